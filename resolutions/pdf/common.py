"""What the follow-up PDFs share: styles and the progress bar (the page frame is
``thai.pdf.build``)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from thai.pdf import MUTED, draw_string, paragraph_styles, thai_paragraph
from thai.pdf.record import note

ACCENT = colors.HexColor("#0b5d4b")
TRACK = colors.HexColor("#e4e1da")


def styles() -> dict[str, ParagraphStyle]:
    base = paragraph_styles()
    body = base["body"]

    def derived(name: str, parent: ParagraphStyle = body, **overrides) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **overrides)

    return {
        **base,
        "meta": derived(
            "meta", fontSize=13, leading=20, textColor=MUTED, spaceAfter=2,
            leftIndent=12 * mm,
        ),
        # The number hangs in the margin of its text, as in a Thai document.
        "clause": derived("clause", leftIndent=12 * mm, firstLineIndent=-12 * mm),
        "title": derived("title", parent=base["h1"], alignment=TA_CENTER),
        "subtitle": derived("subtitle", parent=base["h2"], alignment=TA_CENTER),
        "centre": derived("centre", alignment=TA_CENTER, spaceAfter=2),
        # Thai official paragraphs open with a 2.5 cm indent.
        "preamble": derived("preamble", firstLineIndent=25 * mm),
        # The signing-off block sits centred in the right half of the page.
        "signature": derived("signature", alignment=TA_CENTER, leftIndent=85 * mm,
                             spaceAfter=0),
        "entry": derived(
            "entry", fontSize=12, leading=18, leftIndent=4 * mm, spaceAfter=2
        ),
    }


def para(text: str, style: ParagraphStyle, *, split_words: bool = True) -> Paragraph:
    """User or translated text, shown literally, wrapped at Thai words."""
    return thai_paragraph(str(text), style, split_words=split_words)


class ProgressBar(Flowable):
    """A horizontal bar filled to ``percent``, with the figure at its right end."""

    def __init__(
        self,
        percent: int | None,
        *,
        width: float = 110 * mm,
        height: float = 4 * mm,
        label: str | None = None,
    ) -> None:
        super().__init__()
        self.percent = max(0, min(100, percent or 0))
        self.bar_width = width
        self.bar_height = height
        self.label = label if label is not None else f"{self.percent}%"
        note(self.label)  # in the story's order, as a paragraph is
        self.width = width + 20 * mm
        self.height = height + 3 * mm

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        y = 1.5 * mm
        c.setFillColor(TRACK)
        c.setStrokeColor(TRACK)
        c.roundRect(0, y, self.bar_width, self.bar_height, 1 * mm, stroke=0, fill=1)
        if self.percent:
            c.setFillColor(ACCENT)
            c.roundRect(
                0,
                y,
                self.bar_width * self.percent / 100,
                self.bar_height,
                1 * mm,
                stroke=0,
                fill=1,
            )
        c.setFillColor(colors.black)
        draw_string(c, self.bar_width + 3 * mm, y + 0.6 * mm, self.label, size=11)
