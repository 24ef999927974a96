"""Thai typesetting: Sarabun, HarfBuzz shaping, word wrapping, extractable text."""

import io
import re

from pypdf import PdfReader
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.fonts import tt2ps
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from thai.pdf.fonts import FONT, WORD_BREAK, ThaiTTFont, register_fonts
from thai.pdf.paragraphs import (
    paragraph_styles,
    thai_markup,
    thai_paragraph,
)

NAME = "นางกฤษณา เสมหิรัญ"
ORGANISATION = "สำนักงานศึกษาธิการจังหวัดขอนแก่น"
# Tall consonants, stacked vowels and tone marks, SARA AM with a tone, tailless ญ/ฐ.
MARKS = "น้ำ ปั่น ที่ ป่า ฟื้น ญี่ปุ่น ฐูฎ ญุ ก่ำ ป่ำ กำ"


def pdf_of(*texts: str, style: str = "body") -> bytes:
    buffer = io.BytesIO()
    paragraph_style = paragraph_styles()[style]
    SimpleDocTemplate(buffer).build([thai_paragraph(t, paragraph_style) for t in texts])
    return buffer.getvalue()


def extracted(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def without_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_register_fonts_is_idempotent_and_registers_the_family():
    register_fonts()
    fonts = {name: pdfmetrics.getFont(name) for name in FONT.values()}
    register_fonts()

    for name, font in fonts.items():
        assert pdfmetrics.getFont(name) is font
        assert isinstance(font, ThaiTTFont)
        assert font.shapable
    assert tt2ps("sarabun", 1, 0) == FONT["bold"]
    assert tt2ps("sarabun", 1, 1) == FONT["bold_italic"]


def test_body_style_is_sarabun_16pt_shaped_and_left_aligned():
    styles = paragraph_styles()

    body = styles["body"]
    assert (body.fontName, body.fontSize) == (FONT["regular"], 16)
    assert body.shaping
    assert body.alignment == TA_LEFT
    assert styles["h1"].fontName == FONT["bold"]
    assert all(style.shaping for style in styles.values())


def test_markup_escapes_user_text():
    markup = thai_markup('<b>ชื่อ & "ที่อยู่"</b>')

    assert "<b>" not in markup
    assert "&lt;b&gt;" in markup and "&amp;" in markup


def test_markup_breaks_only_between_thai_words():
    markup = thai_markup(ORGANISATION)

    pieces = markup.split(WORD_BREAK)
    assert pieces == ["สำนักงาน", "ศึกษาธิการจังหวัด", "ขอนแก่น"]
    assert thai_markup("KKTT (2566)") == "KKTT (2566)"
    assert thai_markup(NAME, split_words=False) == NAME.replace(" ", "\u00a0")


def test_thai_text_reads_back_exactly_from_the_pdf():
    text = extracted(pdf_of(NAME, ORGANISATION, "<b>&amp; ตัวหนา?</b>"))

    assert NAME in text
    assert ORGANISATION in text
    assert "<b>&amp; ตัวหนา?</b>" in text


def test_latin_ligatures_read_back_as_their_letters():
    """Shaping draws "fi" as one glyph (U+FB01 in the font's cmap): an English
    minutes PDF copied "Ofﬁce" for "Office" (found over the demo day)."""
    import subprocess

    typed = "Khon Kaen Provincial Education Office: first official offer, affluent"
    pdf = pdf_of(typed)
    poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                             capture_output=True, check=True).stdout.decode()
    for text in (extracted(pdf), poppler):
        assert without_space(typed) in without_space(text)
        assert not re.search("[\ufb00-\ufb06]", text)


def test_shaped_marks_read_back_as_the_characters_typed():
    text = extracted(pdf_of(MARKS))

    # Mark offsets are drawn with TJ adjustments that pypdf takes for word gaps
    # (it inserts a space after some marks), so compare without whitespace.
    assert without_space(MARKS) in without_space(text)
    assert not re.search("[\ue000-\uf8ff]", text), "private-use codes leaked"


def test_shaping_substitutes_glyph_variants_yet_they_extract_as_the_mark():
    pdf = pdf_of("น่า ที่")

    # Shaped, ่ over น and ่ over ี are different glyphs, so different codes;
    # both codes must map back to U+0E48 in the font's ToUnicode table.
    font = next(
        f
        for f in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
        if "Sarabun-Regular" in f.get_object()["/BaseFont"]
    ).get_object()
    cmap = font["/ToUnicode"].get_object().get_data().decode()
    tone_codes = re.findall(r"<([0-9A-F]{2})> <0E48>", cmap)
    assert len(tone_codes) == 2
    assert "น่า ที่" in extracted(pdf)


def test_word_breaks_are_invisible_in_extracted_text():
    text = extracted(pdf_of(ORGANISATION * 3, style="h1"))

    # Wrapped lines break between words; within a line no space appears.
    lines = [line for line in text.splitlines() if line]
    assert len(lines) > 1
    assert "".join(lines) == ORGANISATION * 3
