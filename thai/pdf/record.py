"""What a PDF was asked to show, in the order it was set: the source strings its
extracted text must give back (tests compare them with pdftotext's and pypdf's).

Every string set through ``thai.pdf`` (``thai_paragraph``, ``draw_string``) is
noted while a ``recording()`` is open; page furniture repeated on every page (a
footer) is noted as such, so that a comparison can set it aside, and so is a
table's heading row, which reportlab sets again on each page the table runs over.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

__all__ = ["Noted", "note", "recording"]


@dataclass(frozen=True)
class Noted:
    text: str
    furniture: bool = False  # drawn on every page (a footer), not in the flow
    repeats: bool = False  # drawn again on each page it runs over (a table's head)


_sink: ContextVar[list[Noted] | None] = ContextVar("thai_pdf_record", default=None)


@contextmanager
def recording() -> Iterator[list[Noted]]:
    """Collect what is set in this context, in order, into the yielded list."""
    noted: list[Noted] = []
    token = _sink.set(noted)
    try:
        yield noted
    finally:
        _sink.reset(token)


def note(text: str, *, furniture: bool = False, repeats: bool = False) -> None:
    """Note ``text`` as set (nothing happens outside a ``recording()``)."""
    sink = _sink.get()
    if sink is not None and text:
        sink.append(Noted(text, furniture, repeats))
