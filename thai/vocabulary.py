"""The assembly's own words, which a general Thai dictionary does not know.

PyThaiNLP's dictionary cuts "เสมหิรัญ" (a family name) into "เส/มหิ/รัญ" and
"มูลนิธิบ้านบอยส์ทาวน์" into "มูลนิธิ/บ้า/นบ/อยส์/ทาวน์". A ``Vocabulary`` tells the
segmenter (``thai.segment``) which words to keep whole:

- ``words``: never broken inside (place names, the agenda's terms);
- ``names``: never broken at all, spaces included (a person's given and family
  name, an organisation's short name);
- ``phrases``: long names (organisations), broken only between their parts, where
  the parts are found by ``name_parts``.

Built from plain strings; the Django side collects them from the data
(``assembly.thai_words``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from thai.chars import has_thai

# Honorifics written before a Thai given name, longest first: "นางสาวมาลี" is
# "มาลี" with a title, and the name alone must stay whole too.
TITLES: tuple[str, ...] = (
    "ว่าที่ร้อยตรีหญิง",
    "ว่าที่ร้อยตรี",
    "ผศ.ดร.",
    "รศ.ดร.",
    "ศ.ดร.",
    "นางสาว",
    "ผศ.",
    "รศ.",
    "ศ.",
    "ดร.",
    "นาง",
    "นาย",
    "น.ส.",
)

# The agenda's terms (DOMAIN.md's glossary and the words of the reports), kept
# whole even where the general dictionary would cut them ("ตัวชี้/วัด").
TERMS: frozenset[str] = frozenset(
    {
        "สมัชชา",
        "ภาคีเครือข่าย",
        "หน่วยงาน",
        "ผู้แทน",
        "ผู้ดำเนินรายการ",
        "กระบวนกร",
        "ฝ่ายเลขานุการ",
        "ระเบียบวาระ",
        "ห้องย่อย",
        "ที่ประชุมใหญ่",
        "ร่างมติ",
        "คำแปรญัตติ",
        "ลงมติ",
        "การลงคะแนน",
        "ฉันทามติ",
        "องค์ประชุม",
        "ผู้ขออภิปราย",
        "หน่วยงานเจ้าภาพ",
        "ผู้รับผิดชอบหลัก",
        "ความก้าวหน้า",
        "เจ้าของประเด็น",
        "ตัวชี้วัด",
        "ค่าเป้าหมาย",
        "ค่าฐาน",
        "ผู้สังเกตการณ์",
        "งดออกเสียง",
        # the vote choices ("มีข้อ/กังวล" and "ยอม/รับได้" were read otherwise)
        "ข้อกังวล",
        "ยอมรับ",
        "เห็นด้วย",
        "ด้วยดี",
        "ปฐมวัย",
        "ความเสมอภาค",
        "ภาคเรียน",
        "ท้องถิ่น",
        "ผู้ปกครอง",
        "อาหารกลางวัน",
        "ร่วมกัน",
        "จัดทำ",
        "เป็นฐาน",
        "สามเหลี่ยมเขยื้อนภูเขา",
    }
)

# Words organisation names are built from. A long name breaks next to one of these
# or next to a word of the vocabulary (a place), and nowhere else: between them a
# general dictionary goes wrong on proper names ("มูลนิธิบ้า/นบ/อยส์ทาวน์").
GENERIC: frozenset[str] = frozenset(
    {
        "สำนักงาน",
        "มูลนิธิ",
        "โรงเรียน",
        "เทศบาล",
        "เทศบาลนคร",
        "เทศบาลเมือง",
        "เทศบาลตำบล",
        "องค์การบริหารส่วนจังหวัด",
        "องค์การบริหารส่วนตำบล",
        "จังหวัด",
        "อำเภอ",
        "ตำบล",
        "สมาคม",
        "ชมรม",
        "เครือข่าย",
        "ศูนย์",
        "สถาบัน",
        "มหาวิทยาลัย",
        "วิทยาลัย",
        "กลุ่ม",
        "บริษัท",
        "กระทรวง",
        "เขตพื้นที่",
        "การศึกษา",
        "ประถมศึกษา",
        "มัธยมศึกษา",
        "สาธารณสุข",
        "ส่งเสริม",
        "พัฒนา",
        "สหกรณ์",
        "เพื่อ",
    }
)
# Shorter anchors would be found inside other words ("สภา" in "สภาพ").
ANCHOR_LENGTH = 4


@dataclass(frozen=True)
class Vocabulary:
    """What the segmenter must keep whole, beyond its dictionary."""

    words: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = field(default_factory=frozenset)
    phrases: frozenset[str] = field(default_factory=frozenset)


def _clean(values: Iterable[str | None]) -> set[str]:
    return {" ".join(v.split()) for v in values if v and has_thai(v)}


def without_title(name: str) -> str:
    """ "นางสาวมาลี" -> "มาลี"; a name with no known title comes back unchanged."""
    for title in TITLES:
        if name.startswith(title) and len(name) > len(title):
            return name[len(title) :].lstrip()
    return name


def vocabulary_of(
    *,
    organisations: Iterable[str | None] = (),
    short_names: Iterable[str | None] = (),
    people: Iterable[str | None] = (),
    places: Iterable[str | None] = (),
    terms: Iterable[str] = TERMS,
) -> Vocabulary:
    """A vocabulary from the data's strings (blank and non-Thai ones are ignored).

    ``people`` are full names ("นางกฤษณา เสมหิรัญ"): the whole name never breaks,
    and its given and family names (with and without the title) are words.
    ``short_names`` never break. ``organisations`` are long names, broken only
    between their parts. ``places`` and ``terms`` are words.
    """
    names = _clean(people) | _clean(short_names)
    words = _clean(places) | _clean(terms)
    for name in _clean(people):
        for part in name.split():
            words.add(part)
            words.add(without_title(part))
    phrases = _clean(organisations) - names
    return Vocabulary(
        words=frozenset(w for w in words if has_thai(w)),
        names=frozenset(names),
        phrases=frozenset(phrases),
    )


def anchors_pattern(anchors: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern finding ``anchors`` (long enough ones), longest first."""
    usable = sorted({a for a in anchors if len(a) >= ANCHOR_LENGTH}, key=len, reverse=True)
    if not usable:
        return None
    return re.compile("(" + "|".join(map(re.escape, usable)) + ")")


def name_parts(name: str, anchors: re.Pattern[str] | None) -> list[str]:
    """A long name cut into the parts a line may break between.

    The name breaks before and after each anchor (``anchors_pattern``: generic words
    of organisation names, places, terms) and nowhere else: "มูลนิธิบ้านบอยส์ทาวน์"
    gives "มูลนิธิ", "บ้านบอยส์ทาวน์"; "โรงเรียนเทศบาลวัดกลาง" gives "โรงเรียน",
    "เทศบาล", "วัดกลาง". Promises ``"".join(result) == name``.
    """
    if anchors is None:
        return [name]
    return [part for part in anchors.split(name) if part]
