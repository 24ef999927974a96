"""The Thai package is pure: its tests need no database, and each starts from the
segmenter's default vocabulary (the agenda's terms), whatever a test before set."""

import pytest

from thai import segment
from thai.vocabulary import vocabulary_of


@pytest.fixture(autouse=True)
def _default_vocabulary():
    segment.set_vocabulary(vocabulary_of())
    yield
    segment.set_vocabulary(vocabulary_of())
