"""What the follow-up PDFs share: styles and the progress bar (the page frame is
``thai.pdf.build``)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from thai.pdf import FONT, MUTED, paragraph_styles, thai_paragraph

ACCENT = colors.HexColor("#0b5d4b")
TRACK = colors.HexColor("#e4e1da")


def styles() -> dict[str, ParagraphStyle]:
    base = paragraph_styles()
    body = base["body"]

    def derived(name: str, **overrides) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **overrides)

    return {
        **base,
        "meta": derived("meta", fontSize=13, leading=20, textColor=MUTED, spaceAfter=2),
        "clause": derived("clause", leftIndent=10 * mm, firstLineIndent=-10 * mm),
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
        c.setFont(FONT["regular"], 11)
        c.drawString(self.bar_width + 3 * mm, y + 0.6 * mm, self.label)
