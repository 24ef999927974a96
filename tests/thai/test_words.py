"""The Thai text toolkit: segmentation, word diffs, line breaks, numbered drafts.

Sentences come from the seed reports of the first Khon Kaen assembly (seed 002).
"""

from __future__ import annotations

import html
import json
import re

from hypothesis import given
from hypothesis import strategies as st

from thai.breaks import breakable, line_units
from thai.chars import is_thai
from thai.diff import DiffOp, diff_html, diff_segments, word_diff
from thai.drafts import split_numbered
from thai.segment import words

EARLY_CHILDHOOD = "การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ"
FLEXIBLE_EDUCATION = (
    "การจัดการศึกษาที่ยืดหยุ่นเพื่อป้องกันเด็กกลุ่มเสี่ยงหลุดออกจากระบบการศึกษา"
)
FOLLOW_UP = (
    "เฝ้าระวัง ติดตาม สถานการณ์ประเมินผล สร้างการรับรู้ และเผยแพร่ต่อสาธารณะ "
    "เพื่อนำมาปรับปรุง พัฒนาต่อเนื่อง"
)
MIXED = (
    "เมื่อวันที่ 24 พฤศจิกายน 2566 ที่โรงแรมโฆษะ จังหวัดขอนแก่น "
    "Area Based Education (ABE) ขอนแก่นเมืองแห่งโอกาส (City of Hope)ครั้งที่ 1 "
    "สพป.ขอนแก่น เขต 2 และหน่วยงานอื่น ๆ รวม 65 หน่วยงาน 19,000 คน"
)

SEED_WORDS = sorted(
    {
        word
        for text in (EARLY_CHILDHOOD, FLEXIBLE_EDUCATION, FOLLOW_UP, MIXED)
        for word in words(text)
        if word.strip()
    }
    | {"เยาวชน", "ทุกคน", "ภาครัฐ", "<script>", "&", "๒๕๖๖", "ข้อ", "ๆ", "ฯ"}
)
texts = st.lists(
    st.one_of(st.sampled_from(SEED_WORDS), st.sampled_from([" ", "\n", "  "])),
    max_size=25,
).map("".join)


any_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F),
        st.sampled_from(" \n\t\u200b.,()<>&\"'aZ09"),
    ),
    max_size=40,
)


def _joined(ops: list[DiffOp], *kinds: str) -> str:
    return "".join(op.text for op in ops if op.kind in kinds)


def _changes(old: str, new: str) -> list[tuple[str, str]]:
    return [(op.kind, op.text) for op in word_diff(old, new) if op.kind != "equal"]


def _token_boundaries(text: str) -> set[int]:
    offsets, position = {0}, 0
    for token in words(text):
        position += len(token)
        offsets.add(position)
    return offsets


# --- words -------------------------------------------------------------------


def test_words_splits_thai_sentence_into_dictionary_words():
    assert words(EARLY_CHILDHOOD) == [
        "การพัฒนา", "เด็ก", "ปฐมวัย", "เติบโต", "อย่าง", "มี", "คุณภาพ"
    ]


def test_words_keeps_whitespace_latin_and_numbers_as_they_are():
    tokens = words(MIXED)
    assert "".join(tokens) == MIXED
    assert {"2566", "19,000", "65", " ", "ขอนแก่น", "Education"} <= set(tokens)


def test_words_returns_a_fresh_list_so_callers_cannot_corrupt_the_cache():
    first = words(EARLY_CHILDHOOD)
    first.append("แก้")
    assert words(EARLY_CHILDHOOD)[-1] == "คุณภาพ"


def test_words_of_empty_text_is_empty():
    assert words("") == []


@given(texts)
def test_words_join_back_to_exactly_the_input(text):
    assert "".join(words(text)) == text


# --- word_diff -----------------------------------------------------------------


def test_inserting_a_thai_word_shows_exactly_that_word_inserted():
    new = "การพัฒนาเด็กปฐมวัยทุกคนเติบโตอย่างมีคุณภาพ"
    assert word_diff(EARLY_CHILDHOOD, new) == [
        DiffOp("equal", "การพัฒนาเด็กปฐมวัย"),
        DiffOp("insert", "ทุกคน"),
        DiffOp("equal", "เติบโตอย่างมีคุณภาพ"),
    ]


def test_inserting_words_into_a_long_clause_shows_only_the_new_words():
    new = FLEXIBLE_EDUCATION.replace("ป้องกันเด็ก", "ป้องกันเด็กและเยาวชน")
    assert _changes(FLEXIBLE_EDUCATION, new) == [("insert", "และเยาวชน")]


def test_deleting_a_thai_word_shows_the_whole_word_deleted():
    new = "การพัฒนาเด็กเติบโตอย่างมีคุณภาพ"
    assert _changes(EARLY_CHILDHOOD, new) == [("delete", "ปฐมวัย")]


def test_deleting_a_word_from_a_long_clause_shows_the_whole_word_deleted():
    new = FLEXIBLE_EDUCATION.replace("ที่ยืดหยุ่น", "ที่")
    assert _changes(FLEXIBLE_EDUCATION, new) == [("delete", "ยืดหยุ่น")]


def test_replacing_a_thai_word_shows_delete_of_old_word_then_insert_of_new():
    new = "การพัฒนาเยาวชนปฐมวัยเติบโตอย่างมีคุณภาพ"
    assert _changes(EARLY_CHILDHOOD, new) == [
        ("delete", "เด็ก"),
        ("insert", "เยาวชน"),
    ]


def test_replacing_two_spaced_words_reads_as_one_change_not_four():
    old = "เฝ้าระวัง ติดตาม"
    new = "ส่งเสริม สนับสนุน"
    assert _changes(old, new) == [("delete", old), ("insert", new)]


def test_identical_texts_give_one_equal_run():
    assert word_diff(EARLY_CHILDHOOD, EARLY_CHILDHOOD) == [
        DiffOp("equal", EARLY_CHILDHOOD)
    ]


def test_diff_from_empty_text_is_one_insertion():
    assert word_diff("", EARLY_CHILDHOOD) == [DiffOp("insert", EARLY_CHILDHOOD)]


@given(texts, texts)
def test_diff_rebuilds_old_from_equal_and_delete_and_new_from_equal_and_insert(
    old, new
):
    ops = word_diff(old, new)
    assert _joined(ops, "equal", "delete") == old
    assert _joined(ops, "equal", "insert") == new


@given(texts, texts)
def test_diff_changes_start_and_end_on_word_boundaries(old, new):
    old_bounds, new_bounds = _token_boundaries(old), _token_boundaries(new)
    old_at = new_at = 0
    for op in word_diff(old, new):
        assert op.text
        if op.kind in ("equal", "delete"):
            assert {old_at, old_at + len(op.text)} <= old_bounds
            old_at += len(op.text)
        if op.kind in ("equal", "insert"):
            assert {new_at, new_at + len(op.text)} <= new_bounds
            new_at += len(op.text)


@given(texts, texts)
def test_diff_never_has_two_neighbouring_runs_of_the_same_kind(old, new):
    kinds = [op.kind for op in word_diff(old, new)]
    assert all(a != b for a, b in zip(kinds, kinds[1:]))
    assert ("insert", "delete") not in set(zip(kinds, kinds[1:]))


# --- diff_html and diff_segments ---------------------------------------------------


def test_diff_html_marks_inserted_and_deleted_words():
    new = "การพัฒนาเยาวชนปฐมวัยเติบโตอย่างมีคุณภาพ"
    assert diff_html(EARLY_CHILDHOOD, new) == (
        "การพัฒนา<del>เด็ก</del><ins>เยาวชน</ins>ปฐมวัยเติบโตอย่างมีคุณภาพ"
    )


def test_diff_html_escapes_markup_in_both_texts():
    result = diff_html(
        "ข้อ 1 <script>alert(1)</script>", 'ข้อ 1 <img src=x onerror="a">&'
    )
    assert "<script" not in result
    assert "<img" not in result
    assert "&lt;script&gt;" in result
    assert "&amp;" in result


@given(texts, texts)
def test_diff_html_shows_new_text_once_deletions_are_dropped(old, new):
    result = diff_html(old, new)
    assert "<script" not in result
    shown = re.sub(r"<del>.*?</del>", "", result, flags=re.S)
    assert html.unescape(shown.replace("<ins>", "").replace("</ins>", "")) == new


def test_diff_segments_round_trip_through_json():
    new = "การพัฒนาเยาวชนปฐมวัยเติบโตอย่างมีคุณภาพ"
    segments = diff_segments(EARLY_CHILDHOOD, new)
    assert json.loads(json.dumps(segments, ensure_ascii=False)) == segments
    assert segments == [
        ["equal", "การพัฒนา"],
        ["delete", "เด็ก"],
        ["insert", "เยาวชน"],
        ["equal", "ปฐมวัยเติบโตอย่างมีคุณภาพ"],
    ]


# --- breakable -----------------------------------------------------------------


def test_breakable_puts_separator_between_thai_words():
    assert breakable(EARLY_CHILDHOOD, "|") == (
        "การพัฒนา|เด็ก|ปฐมวัย|เติบโต|อย่าง|มี|คุณภาพ"
    )


def test_breakable_leaves_latin_words_numbers_and_spaces_alone():
    result = breakable("Area Based Education (ABE) 19,000 คน 2566", "|")
    assert result == "Area Based Education (ABE) 19,000 คน 2566"


def test_breakable_does_not_break_before_repetition_or_abbreviation_marks():
    result = breakable("หน่วยงานอื่นๆ และโครงการฯ", "|")
    assert "|ๆ" not in result
    assert "|ฯ" not in result
    assert result.replace("|", "") == "หน่วยงานอื่นๆ และโครงการฯ"


def test_breakable_with_zero_width_space_keeps_visible_text_identical():
    result = breakable(FLEXIBLE_EDUCATION, "\u200b")
    assert result.replace("\u200b", "") == FLEXIBLE_EDUCATION
    assert result.count("\u200b") == len(words(FLEXIBLE_EDUCATION)) - 1


@given(texts)
def test_breakable_only_ever_inserts_the_separator(text):
    sep = "\x00"
    result = breakable(text, sep)
    assert result.replace(sep, "") == text
    assert "".join(line_units(text)) == text
    for match in re.finditer(sep, result):
        before, after = result[match.start() - 1], result[match.end()]
        assert not before.isspace() and not after.isspace()
        assert is_thai(before) or is_thai(after)


# --- split_numbered ----------------------------------------------------------------

PASTED_DRAFT = """\
ร่างมติ ระเบียบวาระที่ 3
การจัดการศึกษาที่ยืดหยุ่นเพื่อป้องกันเด็กกลุ่มเสี่ยงหลุดออกจากระบบการศึกษา

สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น ครั้งที่ 1 จึงมีมติดังนี้

ข้อ 1 ให้สำนักงานเขตพื้นที่การศึกษาทุกเขตจัดการศึกษาที่ยืดหยุ่น
สำหรับเด็กกลุ่มเสี่ยง
ข้อ 2. ให้ผู้จัดการรายกรณีค้นหา ช่วยเหลือเบื้องต้น และส่งต่อ
   (1) ข้อมูลของครูประจำชั้น
   (2) ภาคเอกชนสนับสนุนทุนการศึกษา

ข้อ 3 ให้ภาคีเครือข่ายเฝ้าระวัง ติดตาม ประเมินผล
ข้อ 4 ให้เผยแพร่ต่อสาธารณะ
"""


def test_split_numbered_separates_preamble_from_kho_clauses():
    preamble, clauses = split_numbered(PASTED_DRAFT)
    assert preamble == (
        "ร่างมติ ระเบียบวาระที่ 3\n"
        "การจัดการศึกษาที่ยืดหยุ่นเพื่อป้องกันเด็กกลุ่มเสี่ยงหลุดออกจากระบบการศึกษา\n"
        "สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น ครั้งที่ 1 จึงมีมติดังนี้"
    )
    assert clauses == [
        "ให้สำนักงานเขตพื้นที่การศึกษาทุกเขตจัดการศึกษาที่ยืดหยุ่น\n"
        "สำหรับเด็กกลุ่มเสี่ยง",
        "ให้ผู้จัดการรายกรณีค้นหา ช่วยเหลือเบื้องต้น และส่งต่อ\n"
        "(1) ข้อมูลของครูประจำชั้น\n(2) ภาคเอกชนสนับสนุนทุนการศึกษา",
        "ให้ภาคีเครือข่ายเฝ้าระวัง ติดตาม ประเมินผล",
        "ให้เผยแพร่ต่อสาธารณะ",
    ]


def test_split_numbered_reads_thai_digits():
    draft = (
        "ร่างมติ การพัฒนาเด็กปฐมวัย\n"
        "ข้อ ๑ การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ\n"
        "ข้อ ๒ ให้สำนักงานศึกษาธิการจังหวัดเป็นผู้รับผิดชอบหลัก\n"
        "ข้อ๓. ให้ทุกภาคส่วนร่วมกัน\n"
        "ข้อ ๔) ติดตามประเมินผล"
    )
    assert split_numbered(draft) == (
        "ร่างมติ การพัฒนาเด็กปฐมวัย",
        [
            "การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ",
            "ให้สำนักงานศึกษาธิการจังหวัดเป็นผู้รับผิดชอบหลัก",
            "ให้ทุกภาคส่วนร่วมกัน",
            "ติดตามประเมินผล",
        ],
    )


def test_split_numbered_reads_dot_paren_and_thai_digit_markers():
    assert split_numbered("1. เฝ้าระวัง\n2. ติดตาม")[1] == ["เฝ้าระวัง", "ติดตาม"]
    assert split_numbered("1) เฝ้าระวัง\n2) ติดตาม")[1] == ["เฝ้าระวัง", "ติดตาม"]
    assert split_numbered("(1) เฝ้าระวัง\n(2) ติดตาม")[1] == ["เฝ้าระวัง", "ติดตาม"]
    assert split_numbered("๑. เฝ้าระวัง\n๒. ติดตาม")[1] == ["เฝ้าระวัง", "ติดตาม"]


def test_split_numbered_does_not_take_decimals_or_sub_items_for_clauses():
    _, clauses = split_numbered("1. งบประมาณ\n1.5 ล้านบาท\n1.1 ย่อย\n2. ติดตาม")
    assert clauses == ["งบประมาณ\n1.5 ล้านบาท\n1.1 ย่อย", "ติดตาม"]


def test_split_numbered_without_markers_gives_one_clause_per_paragraph():
    text = f"\n{EARLY_CHILDHOOD}\n  ต่อบรรทัด\n\n\n{FLEXIBLE_EDUCATION}\n"
    assert split_numbered(text) == (
        "",
        [f"{EARLY_CHILDHOOD}\nต่อบรรทัด", FLEXIBLE_EDUCATION],
    )


def test_split_numbered_of_blank_text_is_empty():
    assert split_numbered("  \n\n") == ("", [])


@given(any_text, any_text)
def test_invariants_hold_for_arbitrary_thai_character_soup(old, new):
    assert "".join(words(old)) == old
    ops = word_diff(old, new)
    assert _joined(ops, "equal", "delete") == old
    assert _joined(ops, "equal", "insert") == new
    assert breakable(old, "\x00").replace("\x00", "") == old
