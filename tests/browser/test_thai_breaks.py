"""Thai lines break only between words in Chromium, by geometry.

Chromium breaks Thai with ICU's dictionary, which cuts "ผู้/แทน", "ด้วย/ดี" and
the names it does not know. ``thai.html.mark`` puts each word in a ``<th-w>``
(``white-space: nowrap`` in the app's stylesheet) with ``<wbr>`` between words.
These tests lay text out in narrow boxes at many widths in the app's own page (its
stylesheet, its Sarabun) and find where each line starts.
"""

from __future__ import annotations

import html

import pytest

from thai import segment
from thai.breaks import line_units
from thai.html import mark
from thai.vocabulary import vocabulary_of

pytestmark = pytest.mark.usefixtures("app_server")

NAMES = ["นางกฤษณา เสมหิรัญ", "นายสมชาย นิลวัตถา"]
ORGANISATIONS = ["มูลนิธิบ้านบอยส์ทาวน์", "โรงเรียนเทศบาลวัดกลาง"]
TEXTS = [
    "ผู้แทนภาคีเครือข่ายร่วมกันจัดทำตัวชี้วัดของท้องถิ่นเพื่อผู้ปกครองและอาหาร"
    "กลางวันเป็นฐานทุกภาคเรียนในระบบการศึกษาด้วยดี",
    "นางกฤษณา เสมหิรัญ นายสมชาย นิลวัตถา มูลนิธิบ้านบอยส์ทาวน์ "
    "โรงเรียนเทศบาลวัดกลาง",
]
WIDTHS = range(70, 430, 9)

# For each width: the text of the box and the offsets (in that text) where a new
# line starts, read from the position of every character.
LAYOUT = """([markup, widths]) => {
  const box = document.createElement('div');
  box.id = 'thai-probe';
  document.querySelector('main').prepend(box);
  const out = [];
  for (const width of widths) {
    box.style.width = width + 'px';
    box.innerHTML = markup;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    let text = '', starts = [], top = null, node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rects = range.getClientRects();
        if (rects.length) {
          const y = Math.round(rects[0].top);
          if (top !== null && y > top + 4) starts.push(text.length);
          if (top === null || y > top + 4) top = y;
        }
        text += node.data[i];
      }
    }
    out.push({width, text, starts});
  }
  box.remove();
  return out;
}"""


@pytest.fixture
def vocabulary():
    segment.set_vocabulary(
        vocabulary_of(people=NAMES, organisations=ORGANISATIONS)
    )
    yield
    segment.set_vocabulary(vocabulary_of())


def allowed_starts(text: str) -> set[int]:
    """Offsets where a line may start: after a unit boundary, or after a space."""
    allowed, offset = set(), 0
    for unit in line_units(text):
        offset += len(unit)
        allowed.add(offset)
    allowed |= {i + 1 for i, c in enumerate(text) if c.isspace()}
    return allowed


def bad_breaks(page, markup: str, text: str) -> list[str]:
    bad = set()
    allowed = allowed_starts(text)
    for layout in page.evaluate(LAYOUT, [markup, list(WIDTHS)]):
        assert layout["text"] == text
        for start in layout["starts"]:
            if start not in allowed:
                bad.add(f"{layout['width']}px: {text[max(0, start - 8):start]}/"
                        f"{text[start:start + 8]}")
    return sorted(bad)


def test_marked_thai_breaks_only_between_words_at_every_width(
    open_context, vocabulary
):
    page = open_context("reader", phone=True)
    page.goto("/")
    for text in TEXTS:
        assert bad_breaks(page, mark(html.escape(text)), text) == []


def test_a_name_never_breaks_even_at_its_space(open_context, vocabulary):
    page = open_context("reader", phone=True)
    page.goto("/")
    text = "ประธานคือ" + NAMES[0] + "และ" + NAMES[1]
    for layout in page.evaluate(LAYOUT, [mark(html.escape(text)), list(WIDTHS)]):
        for name in NAMES:
            at = text.index(name)
            inside = range(at + 1, at + len(name))
            assert not [s for s in layout["starts"] if s in inside], layout["width"]


def test_chromium_alone_cuts_thai_words(open_context, vocabulary):
    """The reason for the marking: unmarked, Chromium (ICU) breaks inside words
    ("ด้วย/ดี", "ร่วม/กัน") and inside names. If this ever stops being true, the
    marking may be retired."""
    page = open_context("reader", phone=True)
    page.goto("/")
    assert bad_breaks(page, html.escape(TEXTS[0]), TEXTS[0]) != []
