"""PDF typesetting for Thai with reportlab: use these, never a copy.

- ``thai_paragraph(text, style)``: text shown literally, shaped, broken only between
  words (names never), copying back out of the PDF exactly as typed;
- ``paragraph_styles()``: Sarabun 16 pt body, small, h1-h3;
- ``build(story, title=..., footer=...)``: an A4 document with a footer per page;
- ``register_fonts()``, ``FONT``: for drawing on a canvas yourself (``drawString``
  in a ``FONT`` face also extracts as typed).
"""

from thai.pdf.document import MARGIN, MUTED, build
from thai.pdf.fonts import FONT, register_fonts
from thai.pdf.paragraphs import paragraph_styles, thai_markup, thai_paragraph

__all__ = [
    "FONT",
    "MARGIN",
    "MUTED",
    "build",
    "paragraph_styles",
    "register_fonts",
    "thai_markup",
    "thai_paragraph",
]
