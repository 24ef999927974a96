"""The delegates' badge sheet: an A4 PDF of cut-out name badges with sign-in QR codes.

Pure: takes plain ``Badge`` values, no Django models. Text is Thai-shaped Sarabun
(see ``thai.pdf``), wrapped at Thai word boundaries; every badge's text
is kept inside its badge, shrunk if it has to be.

The QR code is drawn as vector rectangles from segno's module matrix rather than
as a PNG: it prints sharp at any printer resolution, needs no raster encoding, and
a test can check that the modules drawn are exactly segno's.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame, Paragraph

from thai.pdf import FONT, paragraph_styles, thai_paragraph

COLUMNS = 2
ROWS = 4
PER_PAGE = COLUMNS * ROWS
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 10 * mm
BADGE_WIDTH = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS
BADGE_HEIGHT = (PAGE_HEIGHT - 2 * MARGIN) / ROWS
PADDING = 4 * mm
QR_SIZE = 30 * mm
GAP = 3 * mm
# Inside the padding a badge has a header (title, role, name) across its width and,
# below it, the details (organisation, room) left of the QR code in the corner.
HEADER_WIDTH = BADGE_WIDTH - 2 * PADDING
HEADER_HEIGHT = BADGE_HEIGHT - 2 * PADDING - QR_SIZE - GAP
DETAILS_WIDTH = HEADER_WIDTH - QR_SIZE - GAP


@dataclass(frozen=True)
class Badge:
    """What one delegate's badge shows; ``url`` is their personal sign-in link."""

    name: str
    organisation: str
    room: str
    url: str
    role_label: str = ""


def _styles() -> dict[str, ParagraphStyle]:
    body = paragraph_styles()["body"]

    def style(name: str, font: str, size: float, **extra: object) -> ParagraphStyle:
        settings: dict[str, object] = {"leading": size * 1.45, "spaceAfter": 0}
        settings.update(extra)
        return ParagraphStyle(
            name, parent=body, fontName=font, fontSize=size, **settings
        )

    return {
        "title": style("badge-title", FONT["regular"], 10, textColor=colors.grey),
        "role": style("badge-role", FONT["bold"], 11, textColor=colors.darkblue),
        "name": style("badge-name", FONT["bold"], 20, spaceBefore=2, spaceAfter=4),
        "organisation": style("badge-organisation", FONT["regular"], 13),
        "room": style("badge-room", FONT["bold"], 13, spaceBefore=4),
    }


def badge_header(badge: Badge, *, title: str = "") -> list[Paragraph]:
    """Title, role and name as paragraphs (empty ones left out). The name breaks
    only at spaces: a segmenter's guess inside a person's name is no place for it."""
    styles = _styles()
    parts = [
        thai_paragraph(title, styles["title"]) if title.strip() else None,
        thai_paragraph(badge.role_label, styles["role"])
        if badge.role_label.strip()
        else None,
        thai_paragraph(badge.name, styles["name"], split_words=False),
    ]
    return [part for part in parts if part is not None]


def badge_details(badge: Badge) -> list[Paragraph]:
    """Organisation and room as paragraphs wrapping at Thai word boundaries."""
    styles = _styles()
    return [
        thai_paragraph(badge.organisation, styles["organisation"]),
        thai_paragraph(badge.room, styles["room"]),
    ]


def fitted(content: list[Paragraph], width: float, height: float) -> KeepInFrame:
    """``content`` shrunk as needed so that it fits ``width`` x ``height``."""
    return KeepInFrame(width, height, content, mode="shrink", vAlign="TOP")


def qr_runs(url: str) -> list[tuple[int, int, int]]:
    """Dark runs of segno's QR matrix for ``url`` (no quiet zone), as
    ``(column, row_from_top, length)``."""
    matrix = segno.make(url, error="m", micro=False).matrix
    runs: list[tuple[int, int, int]] = []
    for row, bits in enumerate(matrix):
        column = 0
        while column < len(bits):
            if bits[column]:
                start = column
                while column < len(bits) and bits[column]:
                    column += 1
                runs.append((start, row, column - start))
            else:
                column += 1
    return runs


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code for ``url`` in the square with lower-left corner (x, y)."""
    runs = qr_runs(url)
    modules = len(segno.make(url, error="m", micro=False).matrix)
    canvas.saveState()
    canvas.translate(x, y + size)
    # One module is one unit, rows counted downwards from the top edge.
    canvas.scale(size / modules, -size / modules)
    path = canvas.beginPath()
    for column, row, length in runs:
        path.rect(column, row, length, 1)
    # One filled path, not many rectangles: no hairline seams between modules.
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _draw_badge(
    canvas: Canvas, badge: Badge, *, title: str, x: float, y: float
) -> None:
    """Draw one badge whose lower-left corner is (x, y)."""
    left = x + PADDING
    top = y + BADGE_HEIGHT - PADDING
    header = fitted(badge_header(badge, title=title), HEADER_WIDTH, HEADER_HEIGHT)
    _, header_height = header.wrapOn(canvas, HEADER_WIDTH, HEADER_HEIGHT)
    header.drawOn(canvas, left, top - header_height)
    top -= header_height + GAP
    details_height = top - (y + PADDING)
    details = fitted(badge_details(badge), DETAILS_WIDTH, details_height)
    _, height = details.wrapOn(canvas, DETAILS_WIDTH, details_height)
    details.drawOn(canvas, left, top - height)
    qr_x = x + BADGE_WIDTH - PADDING - QR_SIZE
    _draw_qr(canvas, badge.url, qr_x, y + PADDING, QR_SIZE)


def _draw_cut_lines(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colors.lightgrey)
    canvas.setLineWidth(0.5)
    canvas.setDash(3, 3)
    for column in range(COLUMNS + 1):
        x = MARGIN + column * BADGE_WIDTH
        canvas.line(x, 0, x, PAGE_HEIGHT)
    for row in range(ROWS + 1):
        y = MARGIN + row * BADGE_HEIGHT
        canvas.line(0, y, PAGE_WIDTH, y)
    canvas.restoreState()


def _pages(badges: Sequence[Badge]) -> Iterator[Sequence[Badge]]:
    for start in range(0, len(badges), PER_PAGE):
        yield badges[start : start + PER_PAGE]


def _draw_empty(canvas: Canvas, message: str) -> None:
    paragraph = thai_paragraph(message, paragraph_styles()["h2"])
    width = PAGE_WIDTH - 2 * MARGIN
    _, height = paragraph.wrapOn(canvas, width, PAGE_HEIGHT)
    paragraph.drawOn(canvas, MARGIN, PAGE_HEIGHT - MARGIN - height)


def badge_sheet_pdf(
    badges: Sequence[Badge], *, title: str = "", empty_message: str = ""
) -> bytes:
    """An A4 PDF of ``badges``, 2 x 4 per page in reading order, with cut lines.

    ``title`` (the assembly's name) heads every badge and names the document. With
    no badges the PDF has one page showing ``empty_message``. User text is shown
    literally, never read as markup.
    """
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(title)
    if not badges:
        _draw_empty(canvas, empty_message)
        canvas.showPage()
    for page in _pages(badges):
        _draw_cut_lines(canvas)
        for index, badge in enumerate(page):
            row, column = divmod(index, COLUMNS)
            x = MARGIN + column * BADGE_WIDTH
            y = PAGE_HEIGHT - MARGIN - (row + 1) * BADGE_HEIGHT
            _draw_badge(canvas, badge, title=title, x=x, y=y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
