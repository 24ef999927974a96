"""Segmentation that knows the assembly's words: names, organisations, places, terms.

The broken words are the ones a Thai reader found on the screens and in the PDFs
(issue 12).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thai import segment
from thai.breaks import breakable, line_units
from thai.vocabulary import name_parts, anchors_pattern, vocabulary_of, without_title

PEOPLE = ["นางกฤษณา เสมหิรัญ", "นายสมชาย นิลวัตถา", "นางสาวมาลี เอี่ยมทอง"]
ORGANISATIONS = [
    "มูลนิธิบ้านบอยส์ทาวน์",
    "โรงเรียนเทศบาลวัดกลาง",
    "สำนักงานศึกษาธิการจังหวัดขอนแก่น",
    "บริษัท ขอนแก่นทรานซิทซิสเต็ม จำกัด",
]
SHORT_NAMES = ["สพป.ขอนแก่น เขต 2", "ศธจ.ขอนแก่น"]
PLACES = ["โรงแรมโฆษะ", "ขอนแก่น"]


@pytest.fixture
def assembly_words():
    segment.set_vocabulary(
        vocabulary_of(
            organisations=ORGANISATIONS,
            short_names=SHORT_NAMES,
            people=PEOPLE,
            places=PLACES,
        )
    )


def breaks(text: str) -> str:
    return breakable(text, "/")


# --- The words the issue found broken -------------------------------------------------


@pytest.mark.parametrize(
    "word",
    ["ด้วยดี", "ภาคีเครือข่าย", "ผู้แทน", "ตัวชี้วัด", "ท้องถิ่น", "จัดทำ", "ผู้ปกครอง",
     "อาหารกลางวัน", "ร่วมกัน", "เป็นฐาน", "ภาคเรียน", "การศึกษา",
     # the vote choices, as the plenary document printed them: "มีข้อ/กังวล"
     "ข้อกังวล", "ยอมรับ"],
)
def test_the_agendas_terms_are_never_broken_inside(word):
    sentence = f"ให้ผู้เกี่ยวข้อง{word}ในทุกภาคส่วน{word}และ{word}"
    broken = breaks(sentence)
    assert broken.replace("/", "") == sentence
    assert [word[:i] + "/" + word[i:] for i in range(1, len(word))
            if word[:i] + "/" + word[i:] in broken] == []


def test_without_the_assemblys_words_the_dictionary_cuts_names():
    # The reason for the vocabulary: PyThaiNLP alone does this.
    assert "/" in breaks("เสมหิรัญ")
    assert "มูลนิธิบ้า/นบ" in breaks("มูลนิธิบ้านบอยส์ทาวน์") or "บ/อยส์" in breaks(
        "มูลนิธิบ้านบอยส์ทาวน์"
    )


def test_family_names_are_words(assembly_words):
    assert breaks("เสมหิรัญ") == "เสมหิรัญ"
    assert breaks("นิลวัตถา") == "นิลวัตถา"
    assert breaks("ครอบครัวเสมหิรัญ") == "ครอบครัว/เสมหิรัญ"


def test_a_persons_full_name_never_breaks_at_all(assembly_words):
    text = "ประธานคือนางกฤษณา เสมหิรัญและนายสมชาย นิลวัตถาเป็นเลขานุการ"
    units = line_units(text)
    assert "นางกฤษณา เสมหิรัญ" in units
    assert "นายสมชาย นิลวัตถา" in units
    assert segment.is_name("นางกฤษณา เสมหิรัญ")


def test_a_given_name_without_its_title_is_a_word(assembly_words):
    assert without_title("นางสาวมาลี") == "มาลี"
    assert breaks("คุณมาลีเอี่ยมทอง") == "คุณ/มาลี/เอี่ยมทอง"


def test_a_short_name_never_breaks_even_at_its_spaces(assembly_words):
    units = line_units("ร่วมกับสพป.ขอนแก่น เขต 2 และศธจ.ขอนแก่น")
    assert "สพป.ขอนแก่น เขต 2" in units
    assert "ศธจ.ขอนแก่น" in units


def test_an_organisation_breaks_only_between_its_parts(assembly_words):
    assert breaks("มูลนิธิบ้านบอยส์ทาวน์") == "มูลนิธิ/บ้านบอยส์ทาวน์"
    assert breaks("โรงเรียนเทศบาลวัดกลาง") == "โรงเรียน/เทศบาล/วัดกลาง"
    assert breaks("สำนักงานศึกษาธิการจังหวัดขอนแก่น") == (
        "สำนักงาน/ศึกษาธิการ/จังหวัด/ขอนแก่น"
    )
    assert breaks("บริษัท ขอนแก่นทรานซิทซิสเต็ม จำกัด") == (
        "บริษัท ขอนแก่น/ทรานซิทซิสเต็ม จำกัด"
    )


def test_an_organisation_in_a_sentence_keeps_its_parts(assembly_words):
    text = "ให้มูลนิธิบ้านบอยส์ทาวน์ร่วมกับโรงเรียนเทศบาลวัดกลางจัดทำ"
    broken = breaks(text)
    assert "บ้านบอยส์ทาวน์" in broken.split("/")
    assert "วัดกลาง" in broken.split("/")


def test_name_parts_cut_only_at_anchors():
    anchors = anchors_pattern({"มูลนิธิ", "จังหวัด", "ขอนแก่น"})
    assert name_parts("มูลนิธิบ้านบอยส์ทาวน์จังหวัดขอนแก่น", anchors) == [
        "มูลนิธิ", "บ้านบอยส์ทาวน์", "จังหวัด", "ขอนแก่น"
    ]
    assert name_parts("บ้านบอยส์ทาวน์", None) == ["บ้านบอยส์ทาวน์"]
    # Short generic words are not anchors: "สภา" would cut "สภาพ".
    assert anchors_pattern({"สภา"}) is None


def test_a_new_vocabulary_replaces_the_old_one(assembly_words):
    assert breaks("เสมหิรัญ") == "เสมหิรัญ"
    segment.set_vocabulary(vocabulary_of(people=["นายใหม่ ชื่อใหม่"]))
    assert "/" in breaks("เสมหิรัญ")
    assert not segment.is_name("นางกฤษณา เสมหิรัญ")


def test_the_same_vocabulary_twice_changes_nothing(assembly_words):
    before = segment.generation()
    segment.set_vocabulary(
        vocabulary_of(organisations=ORGANISATIONS, short_names=SHORT_NAMES,
                      people=PEOPLE, places=PLACES)
    )
    assert segment.generation() == before


names = st.lists(
    st.text(alphabet="กขคงจฉชซญดตถทนบปผพฟมยรลวสหอะาิีึืุูเแโใไ่้๊๋์", min_size=2,
            max_size=8),
    min_size=1, max_size=4,
)


@given(names, names)
def test_words_still_join_back_to_the_text_with_any_vocabulary(given_names, families):
    people = [f"{g} {f}" for g, f in zip(given_names, families, strict=False)]
    segment.set_vocabulary(vocabulary_of(people=people, organisations=given_names))
    text = "และ".join(people) + "".join(given_names)
    assert "".join(segment.words(text)) == text
    assert "".join(line_units(text)) == text
    segment.set_vocabulary(vocabulary_of())


# --- Where two readings overlap, neither reading's own word is broken ---------------


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        # newmm reads "หน่วย|งานหลัก" as readily as "หน่วยงาน|หลัก"
        ("ศธจ.ขอนแก่นเป็นหน่วยงานหลักในการจัดทำข้อมูล", "หน่วยงานหลัก"),
        # "เป็นฐาน" (a term) against "ฐานข้อมูล": a break in neither
        ("ใช้ข้อมูลของหน่วยงานต่าง ๆ เป็นฐานข้อมูลเดียวกัน", "เป็นฐานข้อมูล"),
        # "เห็นด้วย" against "ด้วยดี", both terms
        ("ภาคีเครือข่ายเห็นด้วยดี", "เห็นด้วยดี"),
    ],
)
def test_words_overlapping_an_agenda_term_break_around_both(text, whole):
    broken = breaks(text)
    assert broken.replace("/", "") == text
    assert any(whole in unit for unit in line_units(text)), broken


def test_an_agenda_term_found_inside_other_words_only_joins_units():
    """Keeping an own word whole never adds a break, only removes some."""
    text = "ให้ผู้เกี่ยวข้องร่วมกันในทุกภาคส่วนร่วมกันและร่วมกัน"
    units = line_units(text)
    assert "".join(units) == text
    words_end, position = set(), 0
    for word in segment.words(text):
        position += len(word)
        words_end.add(position)
    position = 0
    for unit in units[:-1]:
        position += len(unit)
        assert position in words_end
