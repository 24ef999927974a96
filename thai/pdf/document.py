"""An A4 document in Sarabun with a footer on every page: the frame every PDF of
the project is built in (resolutions, progress reports, minutes)."""

from __future__ import annotations

import gc
import io
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate

from thai.pdf.paragraphs import paragraph_styles, thai_paragraph

__all__ = ["MARGIN", "MUTED", "build", "collector_paused"]

MARGIN = 20 * mm
MUTED = colors.HexColor("#555555")


_pause_lock = threading.Lock()
_pauses = 0
_resume = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a document is made.

    Building a PDF allocates hundreds of thousands of small objects (fragments,
    shaped words, operators); each allocation burst set off collections that walk
    every object of the process (PyThaiNLP's dictionary among them): a sixth of a
    long report's time. Collection resumes when the last build in the process
    ends (builds on other threads may overlap); what the build left behind is then
    collected as usual. Also a decorator.
    """
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


def build(
    story: Sequence[Flowable],
    *,
    title: str,
    footer: Callable[[int], str],
    page_number: Callable[[int], str] | None = None,
    author: str = "",
    subject: str = "",
) -> bytes:
    """An A4 PDF of ``story`` with ``footer(page_number)`` at the foot of each page.

    ``page_number(n)``, when given, is set at the top centre of every page but the
    first, as Thai official documents number their pages ("- ๒ -").
    ``title`` (and ``author``, ``subject``) go into the document's properties.
    Byte-identical for identical input (no creation date, no random ids).
    """
    buffer = io.BytesIO()
    footer_style = ParagraphStyle(
        "footer",
        parent=paragraph_styles()["body"],
        fontSize=10,
        leading=14,
        spaceAfter=0,
        textColor=MUTED,
    )

    number_style = ParagraphStyle(
        "page-number", parent=footer_style, fontSize=14, leading=18, alignment=TA_CENTER,
        textColor=colors.black,
    )

    def on_page(canvas, doc) -> None:
        # Paragraphs, not drawString: the Thai is shaped and extracts as typed like
        # the rest of the page.
        canvas.saveState()
        foot = thai_paragraph(footer(doc.page), footer_style, furniture=True)
        foot.wrapOn(canvas, A4[0] - 2 * MARGIN, 20 * mm)
        foot.drawOn(canvas, MARGIN, 8 * mm)
        if page_number is not None and doc.page > 1:
            number = thai_paragraph(page_number(doc.page), number_style, furniture=True)
            _, height = number.wrapOn(canvas, A4[0] - 2 * MARGIN, 20 * mm)
            number.drawOn(canvas, MARGIN, A4[1] - 10 * mm - height)
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        subject=subject,
        lang="th",
        invariant=True,
    )
    with collector_paused():
        doc.build(list(story), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
