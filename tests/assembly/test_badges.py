"""The badge sheet: pages, Thai text read back, literal user text, QR, wrapping."""

import io
import re

import pytest
import segno
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from assembly.badges import (
    DETAILS_WIDTH,
    HEADER_HEIGHT,
    HEADER_WIDTH,
    Badge,
    badge_details,
    badge_header,
    badge_sheet_pdf,
    fitted,
    qr_runs,
)
from tests.pdf_text import both_differences
from thai.breaks import line_units
from thai.pdf import recording

URL = "https://samatcha.example/s/3f9c2a7b41d04e8e"
KRISANA = Badge(
    name="นางกฤษณา เสมหิรัญ",
    organisation="สำนักงานศึกษาธิการจังหวัดขอนแก่น",
    room="ห้องย่อย 1",
    url=URL,
    role_label="ผู้แทน",
)
LONG_ORGANISATION = (
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่นเขตสองร่วมกับ"
    "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่นและสำนักงานส่งเสริมการเรียนรู้จังหวัด"
)


def badges(count: int) -> list[Badge]:
    return [
        Badge(
            name=f"ผู้แทนลำดับที่ {n}",
            organisation="เทศบาลนครขอนแก่น",
            room="ห้องย่อย 4",
            url=f"https://samatcha.example/s/{n}",
        )
        for n in range(count)
    ]


def pages(pdf: bytes) -> list:
    return PdfReader(io.BytesIO(pdf)).pages


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pages(pdf))


@pytest.mark.parametrize(("count", "expected_pages"), [(1, 1), (8, 1), (9, 2)])
def test_eight_badges_fit_on_a_page(count, expected_pages):
    pdf = badge_sheet_pdf(badges(count), title="สมัชชา")

    assert pdf.startswith(b"%PDF")
    assert len(pages(pdf)) == expected_pages


def test_no_badges_gives_one_page_with_the_callers_message():
    pdf = badge_sheet_pdf([], empty_message="ยังไม่มีผู้แทน")

    assert pdf.startswith(b"%PDF")
    assert len(pages(pdf)) == 1
    assert "ยังไม่มีผู้แทน" in text_of(pdf)


def test_names_organisations_and_rooms_read_back():
    title = "สมัชชาการศึกษาจังหวัดขอนแก่น"
    text = text_of(badge_sheet_pdf([KRISANA, *badges(2)], title=title))

    assert "นางกฤษณา เสมหิรัญ" in text
    # The organisation wraps inside its badge: the line break reads back as one.
    assert "สำนักงานศึกษาธิการจังหวัด\nขอนแก่น" in text
    assert "ผู้แทนลำดับที่ 1" in text
    assert "เทศบาลนครขอนแก่น" in text
    assert "ห้องย่อย 1" in text
    assert title in text


def test_markup_in_a_name_is_shown_literally():
    badge = Badge(name="<b>&amp; นาย<i>ก", organisation="A & B <C>", room="1", url=URL)

    text = text_of(badge_sheet_pdf([badge]))

    assert "<b>&amp; นาย<i>ก" in text
    assert "A & B <C>" in text


def test_qr_code_drawn_is_segnos_matrix_for_the_url():
    content = (
        pages(badge_sheet_pdf([KRISANA]))[0].get_contents().get_data().decode("latin1")
    )

    number = r"(-?[\d.]+)"
    rects = re.findall(rf"{number} {number} {number} {number} re", content)
    drawn = {
        (int(x) + dx, int(y))
        for x, y, width, height in rects
        for dx in range(int(width))
        if height == "1"
    }
    matrix = segno.make(URL, error="m", micro=False).matrix
    dark = {(c, r) for r, row in enumerate(matrix) for c, bit in enumerate(row) if bit}
    assert len(rects) == len(qr_runs(URL))
    assert drawn == dark


def test_long_thai_organisation_wraps_at_word_boundaries_inside_the_badge():
    badge = Badge(
        name="นายสมชาย ใจดี", organisation=LONG_ORGANISATION, room="1", url=URL
    )
    organisation = badge_details(badge)[0]

    organisation.wrap(DETAILS_WIDTH, 10_000)

    lines = organisation.blPara.lines
    assert len(lines) > 1
    assert all(line.maxWidth - line.extraSpace <= DETAILS_WIDTH for line in lines)
    line_texts = [
        "".join(
            "".join(pdfmetrics.getFont(w.fontName).text_of(ord(c)) for c in w.text)
            for w in line.words
        )
        for line in lines
    ]
    assert "".join(line_texts) == LONG_ORGANISATION
    ends, end = set(), 0
    for unit in line_units(LONG_ORGANISATION):
        end += len(unit)
        ends.add(end)
    end = 0
    for text in line_texts:
        end += len(text)
        assert end in ends, f"line broken inside a word: {text!r}"


def test_long_text_is_kept_inside_the_badge():
    badge = Badge(
        name="นางสาว" + "ก" * 60,
        organisation=LONG_ORGANISATION * 3,
        room="ห้องย่อย 3 " * 5,
        url=URL,
        role_label="ผู้แทน",
    )

    canvas = Canvas(io.BytesIO())
    header = fitted(badge_header(badge, title="สมัชชา"), HEADER_WIDTH, HEADER_HEIGHT)
    width, height = header.wrapOn(canvas, HEADER_WIDTH, HEADER_HEIGHT)
    assert width <= HEADER_WIDTH and height <= HEADER_HEIGHT
    details = fitted(badge_details(badge), DETAILS_WIDTH, 80)
    width, height = details.wrapOn(canvas, DETAILS_WIDTH, 80)
    assert width <= DETAILS_WIDTH and height <= 80
    assert LONG_ORGANISATION in re.sub(r"\s", "", text_of(badge_sheet_pdf([badge])))


def test_every_string_of_the_sheet_reads_back_exactly():
    """pdftotext gave "ผูส/้ งั เกตการณ์" and "เอีย/่มทอง" (issue 12); now every string
    comes back whole with both readers (poppler reads the grid row by row)."""
    sheet = [
        Badge(name="นางสาวมาลี เอี่ยมทอง", organisation="มูลนิธิบ้านบอยส์ทาวน์",
              room="ห้องย่อย 1", url=URL, role_label="ผู้สังเกตการณ์"),
        Badge(name="นางกฤษณา เสมหิรัญ", organisation=LONG_ORGANISATION,
              room="ห้องย่อย 2", url=URL, role_label="ผู้แทนที่มีสิทธิ์ลงมติ"),
        *badges(7),
    ]
    with recording() as noted:
        pdf = badge_sheet_pdf(sheet, title="สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น")
    assert len(noted) == 9 * 5 - 7  # title, role (when given), name, organisation, room
    assert both_differences(pdf, noted) == {}


def test_a_persons_name_never_breaks_on_a_badge():
    badge = Badge(name="นางสาวศุภลักษณ์ เหลืองอ่อนประเสริฐสุข", organisation="ก",
                  room="1", url=URL)
    name = badge_header(badge)[-1]
    name.wrap(HEADER_WIDTH / 3, 10_000)  # far too narrow: it must not wrap
    assert len(name.blPara.lines) == 1
