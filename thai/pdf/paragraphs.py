"""Thai paragraphs for reportlab: Sarabun styles, lines broken only between words.

``thai_paragraph(text, style)`` is the one way the project puts text on a PDF page:
the text is shown literally (never read as markup), shaped, broken into lines only
where ``thai.breaks`` allows (the screen breaks at the same places), names never
broken, and it copies back out of the PDF as typed (``thai.pdf.fonts``).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from thai.breaks import line_units
from thai.chars import has_thai, is_space
from thai.pdf.fonts import FONT, NO_BREAK_SPACE, WORD_BREAK, register_fonts
from thai.pdf.record import note

__all__ = ["draw_string", "paragraph_styles", "thai_markup", "thai_paragraph"]


def _unit(unit: str) -> str:
    # Spaces inside a unit (a name) must not be break opportunities.
    return escape(unit.replace(" ", NO_BREAK_SPACE) if " " in unit else unit)


def thai_markup(text: str, *, split_words: bool = True) -> str:
    """Paragraph markup showing ``text`` literally, breakable only between words.

    ``&``, ``<`` and ``>`` are escaped, so user text never becomes markup. Between
    two units of ``thai.breaks.line_units`` an invisible breakable space
    (``WORD_BREAK``) is put; existing spaces stay; a name's spaces become no-break
    spaces (they extract as spaces). With ``split_words=False`` the whole text is
    one unit: it never breaks (a person's name on a badge).
    """
    if not split_words:
        return _unit(text)
    if not has_thai(text):
        return escape(text)
    parts: list[str] = []
    previous = ""
    for unit in line_units(text):
        if previous and not is_space(unit[0]) and not is_space(previous[-1]):
            parts.append(WORD_BREAK)
        parts.append(_unit(unit) if not is_space(unit[0]) else escape(unit))
        previous = unit
    return "".join(parts)


def paragraph_styles() -> dict[str, ParagraphStyle]:
    """Sarabun styles with shaping on, left-aligned: body (16 pt), small, h1-h3."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=FONT["regular"],
        fontSize=16,
        # Thai stacks marks above and below the line: give it room.
        leading=24,
        alignment=TA_LEFT,
        shaping=1,
        spaceAfter=6,
        # A unit wider than the line is never cut inside a word: it overflows, and
        # a frame that must hold it (a badge) shrinks the text to fit.
        splitLongWords=0,
    )

    def derived(name: str, **overrides: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **overrides)

    return {
        "body": body,
        "small": derived("small", fontSize=12, leading=18),
        "h1": derived("h1", fontName=FONT["bold"], fontSize=24, leading=34),
        "h2": derived("h2", fontName=FONT["bold"], fontSize=20, leading=29),
        "h3": derived("h3", fontName=FONT["bold"], fontSize=17, leading=25),
    }


def thai_paragraph(
    text: str,
    style: ParagraphStyle,
    *,
    split_words: bool = True,
    furniture: bool = False,
    repeats: bool = False,
) -> Paragraph:
    """A Paragraph showing ``text`` literally in ``style``, breaking only between
    words (with ``split_words=False``, never). ``furniture``: drawn on every page
    (a footer); ``repeats``: drawn again on each page (a table's heading row with
    ``repeatRows``); both for ``thai.pdf.record``."""
    register_fonts()
    text = str(text)
    note(text, furniture=furniture, repeats=repeats)
    return Paragraph(thai_markup(text, split_words=split_words), style)


def draw_string(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    *,
    font: str = FONT["regular"],
    size: float = 11,
    noted: bool = False,
) -> None:
    """``text`` drawn on ``canvas`` at (x, y) in one line: shaped, and extracting as
    typed like a paragraph (for labels beside a drawing). A flowable notes its
    text for ``thai.pdf.record`` when it is made (``note``), as a paragraph does;
    drawing straight on a page, pass ``noted=True``."""
    register_fonts()
    if noted:
        note(text)
    canvas.setFont(font, size)
    canvas.drawString(x, y, text, shaping=True)
