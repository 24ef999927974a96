import pytest

from tests import factories


@pytest.fixture
def world(db):
    """A small assembly: 6 partners in 2 breakout rooms, delegates checked in."""
    return factories.world()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Presence and other cached state never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
