"""Thai line breaks marked in HTML: words in <th-w>, <wbr> between, nothing else."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thai import segment
from thai.html import mark, mark_text, unmark
from thai.vocabulary import vocabulary_of

PAGE = """<!doctype html>
<html lang="th"><head><title>ผู้แทนภาคีเครือข่าย</title>
<style>a > b { content: "ผู้แทน"; }</style>
<script>const x = '<p>ผู้แทน</p>';</script></head>
<body><p class="lead" data-confirm="ปิดการลงคะแนน > ยืนยัน">ผู้แทนภาคีเครือข่ายร่วมกันจัดทำตัวชี้วัด (ข้อ 1) &amp; KKTT</p>
<textarea name="t">ผู้แทนภาคี</textarea>
<select><option value="1">ผู้แทนภาคี</option></select>
<pre>ผู้แทน ภาคี</pre>
<svg><text>ผู้แทน</text></svg>
<input value="ผู้แทน" placeholder="ผู้แทน">
<button>  บันทึก  </button><!-- ผู้แทน -->
</body></html>"""


def test_each_thai_word_is_a_unit_with_break_opportunities_between():
    assert mark("<p>ผู้แทนภาคีเครือข่ายร่วมกัน</p>") == (
        "<p><th-t><th-w>ผู้แทน</th-w><wbr><th-w>ภาคีเครือข่าย</th-w><wbr>"
        "<th-w>ร่วมกัน</th-w></th-t></p>"
    )


def test_one_word_alone_needs_no_wrapper_and_its_spaces_stay_outside():
    assert mark("<button>\n  บันทึก\n</button>") == (
        "<button>\n  <th-w>บันทึก</th-w>\n</button>"
    )


def test_spaces_are_kept_and_latin_and_numbers_are_left_to_the_browser():
    marked = mark("<p>ข้อ 1 Area Based Education ร้อยละ 60%</p>")
    assert "Area Based Education" in marked
    assert "<th-w>ข้อ</th-w> 1 Area" in marked
    assert unmark(marked) == "<p>ข้อ 1 Area Based Education ร้อยละ 60%</p>"


def test_nothing_outside_text_nodes_is_touched():
    marked = mark(PAGE)
    assert unmark(marked) == PAGE
    for untouched in [
        "<title>ผู้แทนภาคีเครือข่าย</title>",
        'content: "ผู้แทน"',
        "const x = '<p>ผู้แทน</p>';",
        'data-confirm="ปิดการลงคะแนน > ยืนยัน"',
        "<textarea name=\"t\">ผู้แทนภาคี</textarea>",
        "<option value=\"1\">ผู้แทนภาคี</option>",
        "<pre>ผู้แทน ภาคี</pre>",
        "<svg><text>ผู้แทน</text></svg>",
        '<input value="ผู้แทน" placeholder="ผู้แทน">',
        "<!-- ผู้แทน -->",
    ]:
        assert untouched in marked
    assert "<th-w>ตัวชี้วัด</th-w>" in marked
    assert "&amp; KKTT" in marked


def test_marking_twice_is_marking_once():
    assert mark(mark(PAGE)) == mark(PAGE)


def test_html_without_thai_comes_back_as_the_same_object():
    page = "<p>English only &amp; numbers 12</p>" * 100
    assert mark(page) is page


def test_names_are_one_unit_with_their_space():
    segment.set_vocabulary(vocabulary_of(people=["นางกฤษณา เสมหิรัญ"]))
    assert mark_text("โดยนางกฤษณา เสมหิรัญ") == (
        "<th-t><th-w>โดย</th-w><wbr><th-w>นางกฤษณา เสมหิรัญ</th-w></th-t>"
    )


def test_a_repetition_mark_and_closing_punctuation_stay_with_their_word():
    marked = mark_text("หน่วยงานอื่นๆ (ภาคี)")
    assert "<wbr>ๆ" not in marked
    assert "<th-w>(ภาคี)</th-w>" in marked


thai_or_markup = st.text(
    alphabet="กขคงจ่้ิีาเแ ะ<>&;/\"'=abp!-", min_size=0, max_size=60
)


@given(thai_or_markup)
def test_unmarking_always_gives_the_input_back(html):
    assert unmark(mark(html)) == html


@given(st.text(alphabet="กขคงจ่้ิีาเแะ ab1", min_size=1, max_size=40))
def test_every_thai_letter_of_a_text_node_ends_up_inside_a_unit(text):
    marked = mark(f"<p>{text}</p>")
    outside = re.sub(r"<th-w>.*?</th-w>", "", marked)
    assert not re.search(r"[\u0e00-\u0e7f]", outside)
