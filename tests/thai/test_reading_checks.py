"""The checks the demo-day tests read pages and PDFs with (``tests.demo_day``)
find what they promise: a test of the tests, without a database."""

from __future__ import annotations

from tests.demo_day import pdf_line_faults, screen_faults
from thai import segment
from thai.breaks import line_units
from thai.pdf.record import Noted

NAME = "นางกฤษณา เสมหิรัญ"


def faults(html: str, words=("ผู้แทน",)) -> list[str]:
    return screen_faults(html, names=[NAME], words=words, segment_words=segment.words)


def test_a_page_marked_between_words_has_no_fault():
    html = ("<p><th-t><th-w>ผู้แทน</th-w><wbr><th-w>ภาคีเครือข่าย</th-w></th-t></p>"
            f"<td><th-w>{NAME}</th-w></td>")
    assert faults(html) == []


def test_a_break_inside_a_listed_word_is_found():
    html = "<p><th-t><th-w>ผู้</th-w><wbr><th-w>แทน</th-w></th-t></p>"
    assert any("ผู้แทน" in f for f in faults(html))


def test_a_word_split_across_elements_is_found():
    assert faults("<p><b>ผู้</b>แทน</p>") != []


def test_a_name_broken_at_its_space_is_found():
    html = "<p><th-w>นางกฤษณา</th-w> <th-w>เสมหิรัญ</th-w></p>"
    assert any(f.startswith("name broken") for f in faults(html, words=()))


def test_a_break_the_segmentation_does_not_allow_is_found():
    html = "<p><th-t><th-w>การพัฒ</th-w><wbr><th-w>นาเด็ก</th-w></th-t></p>"
    assert any(f.startswith("break inside a word") for f in faults(html, words=()))


def test_raw_text_is_not_laid_out():
    assert faults("<script>var a = 'ผู้แทน';</script><title>ผู้ แทน</title>") == []


def test_a_pdf_line_ending_inside_a_word_is_found():
    noted = [Noted("ให้ผู้แทนภาคีเครือข่ายจัดทำข้อมูลเด็กปฐมวัย")]
    between = ["ให้ผู้แทนภาคีเครือข่าย", "จัดทำข้อมูลเด็กปฐมวัย"]
    inside = ["ให้ผู้แทนภาคีเครือ", "ข่ายจัดทำข้อมูลเด็กปฐมวัย"]
    assert pdf_line_faults(between, noted, line_units=line_units) == []
    assert pdf_line_faults(inside, noted, line_units=line_units) != []


def test_a_pdf_line_ending_inside_a_name_is_found():
    noted = [Noted(f"ผู้แทน {NAME}"), Noted("ห้องย่อย 1")]
    lines = ["ผู้แทน นางกฤษณา", "เสมหิรัญ"]
    assert pdf_line_faults(lines, noted, line_units=line_units, names=[NAME]) != []
    assert pdf_line_faults([f"ผู้แทน {NAME}", "ห้องย่อย 1"], noted,
                           line_units=line_units, names=[NAME]) == []
