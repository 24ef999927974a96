"""The shortcuts that make PDFs fast (``thai.pdf``) set exactly what the slow way
sets: a document built twice, with every remembered shaping, width and run in
place the second time, comes out byte for byte the same, and a paragraph whose
fragments are built without the markup parser has the parser's fragments."""

import io

from reportlab.platypus import Paragraph, SimpleDocTemplate

from tests.pdf_text import pdftotext_pages
from thai.pdf import build
from thai.pdf.fonts import _shaped
from thai.pdf.paragraphs import paragraph_styles, thai_markup, thai_paragraph

TEXTS = [
    "ให้สำนักงานเขตพื้นที่การศึกษาร่วมกับภาคีเครือข่ายจัดทำข้อมูลเด็กนอกระบบ (ข้อ 3) 45%",
    "น้ำ ปั่น ที่ ป่า ฟื้น ญี่ปุ่น ฐูฎ ญุ ก่ำ ป่ำ กำ",
    "นางกฤษณา เสมหิรัญ ร่วมกับ A&B <ภาคี> ",
    "  ขึ้นต้นด้วยวรรค  และวรรคคู่\nขึ้นบรรทัดใหม่",
    "Latin only, no Thai",
    "ๆ ฯ ทดสอบ, ทดสอบ. - ๒ -",
]


def _story():
    styles = paragraph_styles()
    return [thai_paragraph(t, styles[name]) for name in styles for t in TEXTS * 3]


def test_fragments_built_without_the_parser_are_the_parsers():
    for style in paragraph_styles().values():
        for text in TEXTS:
            for split_words in (True, False):
                parsed = Paragraph(thai_markup(text, split_words=split_words), style)
                built = thai_paragraph(text, style, split_words=split_words)
                assert built.text == parsed.text
                assert [f.__dict__ for f in built.frags] == [
                    f.__dict__ for f in parsed.frags
                ], text


def test_a_document_is_the_same_with_everything_remembered_as_without():
    _shaped.clear()
    first = build(_story(), title="t", footer=lambda page: f"หน้า {page}")
    assert _shaped  # the second build finds every word shaped already
    second = build(_story(), title="t", footer=lambda page: f"หน้า {page}")
    assert second == first


def test_a_paragraph_drawn_again_from_memory_reads_back_as_typed():
    # The second copy's runs come from what the first one drew (same document).
    buffer = io.BytesIO()
    style = paragraph_styles()["body"]
    SimpleDocTemplate(buffer).build(
        [thai_paragraph(TEXTS[1], style), thai_paragraph(TEXTS[1], style)]
    )
    (page,) = pdftotext_pages(buffer.getvalue())
    lines = [line for line in page.splitlines() if line.strip()]
    assert lines == [TEXTS[1], TEXTS[1]]
