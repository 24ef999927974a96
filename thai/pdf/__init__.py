"""PDF typesetting for Thai with reportlab: use these, never a copy.

- ``thai_paragraph(text, style)``: text shown literally, shaped, broken only between
  words (names never), copying back out of the PDF exactly as typed;
- ``paragraph_styles()``: Sarabun 16 pt body, small, h1-h3;
- ``build(story, title=..., footer=...)``: an A4 document with a footer per page;
- ``collector_paused()``: the garbage collector held off while a story is made
  (``build`` holds it off itself);
- ``draw_string(canvas, x, y, text)``: one line of text beside a drawing;
- ``register_fonts()``, ``FONT``: for drawing on a canvas yourself;
- ``recording()``: what was set, in order (tests compare it with the extracted text).
"""

from thai.pdf.document import MARGIN, MUTED, build, collector_paused
from thai.pdf.fonts import FONT, register_fonts
from thai.pdf.paragraphs import (
    draw_string,
    paragraph_styles,
    thai_markup,
    thai_paragraph,
)
from thai.pdf.record import recording

__all__ = [
    "FONT",
    "MARGIN",
    "MUTED",
    "build",
    "collector_paused",
    "draw_string",
    "paragraph_styles",
    "recording",
    "register_fonts",
    "thai_markup",
    "thai_paragraph",
]
