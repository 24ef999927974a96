"""An A4 document in Sarabun with a footer on every page: the frame every PDF of
the project is built in (resolutions, progress reports, minutes)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate

from thai.pdf.paragraphs import paragraph_styles, thai_paragraph

__all__ = ["MARGIN", "MUTED", "build"]

MARGIN = 20 * mm
MUTED = colors.HexColor("#555555")


def build(
    story: Sequence[Flowable],
    *,
    title: str,
    footer: Callable[[int], str],
    author: str = "",
    subject: str = "",
) -> bytes:
    """An A4 PDF of ``story`` with ``footer(page_number)`` at the foot of each page.

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

    def on_page(canvas, doc) -> None:
        # A Paragraph, not drawString: the Thai in the footer is shaped and
        # extracts as typed like the rest of the page.
        canvas.saveState()
        foot = thai_paragraph(footer(doc.page), footer_style)
        foot.wrapOn(canvas, A4[0] - 2 * MARGIN, 20 * mm)
        foot.drawOn(canvas, MARGIN, 8 * mm)
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
    doc.build(list(story), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
