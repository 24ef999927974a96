"""A whole demo day, loaded once per test module, and how a Thai reader checks it.

``demo_day_fixture`` loads the demo (``manage.py load_demo``: the first assembly's
day, adopted, a year of progress, the second assembly in session), then plays a
morning in the second assembly's first room (people ask to speak, one speaks,
amendments come in, a vote is open and ballots arrive), capturing every fragment
pushed to open screens, in Thai, as ``realtime`` renders it.

The reading helpers say where a browser or a PDF may break a line of Thai and
whether that falls inside a word or a name:

- ``screen_faults(html, reader)``: the marked page (``<th-w>`` words, ``<wbr>``
  between them, spaces) read as a browser lays it out;
- ``pdf_line_faults(lines, noted)``: the lines ``pdftotext`` reads, against the
  strings the PDF was asked to show.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from thai.chars import is_thai

# The words the issue found broken (issue 12), each a word or a name that must
# never be cut: on screen, in pushes and in PDFs.
BROKEN_IN_THE_ISSUE = (
    "เสมหิรัญ",
    "นิลวัตถา",
    "ด้วยดี",
    "ภาคีเครือข่าย",
    "ผู้แทน",
    "ตัวชี้วัด",
    "ท้องถิ่น",
    "จัดทำ",
    "ผู้ปกครอง",
    "อาหารกลางวัน",
    "ร่วมกัน",
    "ภาคเรียน",
    "การศึกษา",
    "ยืดหยุ่น",
    "บ้านบอยส์ทาวน์",
    "วัดกลาง",
    "ผู้สังเกตการณ์",
    "สิทธิ์",
    "เอี่ยมทอง",
)


# --- The day ----------------------------------------------------------------------


@dataclass
class Day:
    first: object  # the adopted assembly (24 November 2566)
    second: object  # the assembly in session (22 November 2567)
    pushed: list[str] = field(default_factory=list)  # Thai fragments, unique
    push_errors: list[str] = field(default_factory=list)


def _live_morning(second) -> None:
    """The second assembly's room 1 in session: speakers, amendments, an open vote."""
    from agenda import services as agenda
    from agenda import speakers
    from agenda.models import AgendaItem
    from assembly import presence
    from assembly.models import Delegate, Room
    from voting import services as voting

    room = Room.objects.get(assembly=second, number=1, kind=Room.Kind.BREAKOUT)
    item = AgendaItem.objects.get(room=room)
    facilitator = room.facilitators.order_by("username").first()
    seated = list(Delegate.objects.filter(
        partner__room=room, kind=Delegate.Kind.VOTING, checked_in_at__isnull=False)
        .select_related("partner").order_by("pk"))
    version = item.versions.order_by("-number").first()
    keys = list(version.clauses.order_by("position").values_list("key", flat=True))
    agenda.item_set_current_clause(item=item, clause_key=keys[0], actor=facilitator)
    for delegate in seated[:3]:
        speakers.speaker_request(room=room, delegate=delegate)
    speakers.speaker_call_next(room=room, actor=facilitator)
    accepted = agenda.amendment_submit(
        item=item, delegate=seated[3], kind="replace", target_key=keys[0],
        text="ให้องค์กรปกครองส่วนท้องถิ่นร่วมกับผู้ปกครองจัดทำอาหารกลางวันที่มีคุณภาพ"
             "ให้เด็กทุกคนทุกภาคเรียน โดยใช้ตัวชี้วัดที่ภาคีเครือข่ายเห็นด้วยดี",
        rationale="เสนอโดยผู้แทนภาคีเครือข่ายในห้องย่อย")
    agenda.amendment_accept(amendment=accepted, actor=facilitator)
    agenda.amendment_submit(
        item=item, delegate=seated[4], kind="insert", target_key=keys[-1],
        text="ให้สถานศึกษาจัดการเรียนรู้แบบยืดหยุ่นในระบบการศึกษาทุกระดับ",
        rationale="")
    for delegate in seated:
        presence.touch(room.pk, delegate.partner_id)
    poll = voting.poll_create(room=room, kind="amendment", actor=facilitator,
                              amendment=accepted)
    voting.poll_open(poll=poll, actor=facilitator)
    for n, delegate in enumerate(seated[: len(seated) // 2]):
        voting.ballot_cast(poll=poll, delegate=delegate,
                           choice=("yes", "no", "abstain")[n % 3])


def _supporters_officer(first, secretariat) -> None:
    """A supporting agency for the first resolution, and its officer, who adds
    notes to it (the demo names no supporters)."""
    from django.contrib.auth import get_user_model

    from resolutions.models import Resolution
    from resolutions.services import resolution_plan_set

    resolution = Resolution.objects.filter(assembly=first).order_by("pk").first()
    supporter = (first.partners.all()
                 .exclude(pk__in=[o.pk for o in resolution.owners])
                 .order_by("pk").first())
    resolution_plan_set(
        resolution=resolution, actor=secretariat, owner=resolution.owner,
        supporters=[supporter], target_date=resolution.target_date,
        indicator=resolution.indicator, baseline=resolution.baseline,
        target=resolution.target)
    officer = get_user_model().objects.create(
        username="supporter-officer", first_name="นางสาวมาลี", last_name="เอี่ยมทอง")
    supporter.staff.add(officer)


def demo_day_fixture(django_db_blocker) -> Iterator[Day]:
    """Body of a module-scoped fixture: load the day, yield it, empty the database."""
    from django.core.management import call_command

    from assembly import realtime, thai_words
    from assembly.models import Assembly

    pushed: dict[str, None] = {}
    errors: list[str] = []

    def send(group: str, html: str) -> bool:
        pushed.setdefault(html)
        return True

    def failed(message, *args, **kwargs):
        errors.append(message % args)

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        # Every push of the day rendered as a Thai screen reads it.
        patch.setattr(realtime, "send", send)
        patch.setattr(realtime, "listening", lambda group: ["th"])
        patch.setattr(realtime.log, "exception", failed)
        try:
            call_command("load_demo", stdout=io.StringIO())
            first, second = Assembly.objects.order_by("starts_on")
            thai_words.mark_stale()
            thai_words.ensure_current()
            _supporters_officer(first, first.secretariat.get(username="secretariat"))
            _live_morning(second)
            patch.undo()
            yield Day(first=first, second=second, pushed=list(pushed),
                      push_errors=errors)
        finally:
            patch.undo()
            call_command("flush", interactive=False, verbosity=0)
            thai_words.mark_stale()


def data_names() -> tuple[set[str], set[str]]:
    """(people's full names and organisations' short names: never broken at all,
    the words of the data that are never broken inside)."""
    from assembly.thai_words import vocabulary_from_data

    vocabulary = vocabulary_from_data()
    return set(vocabulary.names), set(vocabulary.words)


# --- Reading a marked page as a browser lays it out -----------------------------

# Where Thai is rightly left as it is (tests.readable): not laid out in lines.
_NOT_LAID_OUT = {"script", "style", "textarea", "title", "pre", "option", "select",
                 "svg", "math", "template", "head"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}
_SPACE = re.compile(r"[ \t\n\r\f]")  # breakable; a no-break space is not


class _Flow(HTMLParser):
    """The visible text of a marked page and the places a line may break there.

    A break may fall at a ``<wbr>``, at a space outside a ``<th-w>``, and at any
    element boundary other than the marking's own (``<th-w>``, ``<th-t>``).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: list[str] = []
        self.length = 0
        self.breaks: set[int] = set()
        self.nodes: list[tuple[int, int]] = []  # text between element boundaries
        self._node_start = 0
        self._nowrap = 0
        self._hidden = 0

    def _boundary(self) -> None:
        if self.length > self._node_start:
            self.nodes.append((self._node_start, self.length))
        self._node_start = self.length
        self.breaks.add(self.length)

    def handle_starttag(self, tag, attrs):
        if tag == "wbr":
            self.breaks.add(self.length)
            return
        if tag in _VOID:
            self._boundary()
            return
        self.stack.append(tag)
        if tag == "th-w":
            self._nowrap += 1
        elif tag != "th-t":
            self._boundary()
            if tag in _NOT_LAID_OUT:
                self._hidden += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag == "th-w":
                self._nowrap -= 1
            elif open_tag != "th-t":
                self._boundary()
                if open_tag in _NOT_LAID_OUT:
                    self._hidden -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._hidden:
            return
        for char in data:
            if not self._nowrap and _SPACE.match(char):
                self.breaks.add(self.length)
                self.breaks.add(self.length + 1)
            self.parts.append(char)
            self.length += 1

    def text(self) -> str:
        return "".join(self.parts)


def _occurrences(text: str, word: str) -> Iterator[int]:
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + 1)


def screen_faults(html: str, *, names: Iterable[str], words: Iterable[str],
                  segment_words) -> list[str]:
    """Where a browser could break a line of ``html`` inside a word or a name.

    - a break inside a ``names`` entry (a person's full name, an organisation's
      short name: never broken at all, not even at its space);
    - a break inside one of ``words`` (the data's words, the issue's list);
    - a break inside a word of ``segment_words(text)`` (thai.segment with the
      data's vocabulary) of any text node.
    """
    flow = _Flow()
    flow.feed(html)
    flow.close()
    text, breaks = flow.text(), flow.breaks
    faults: list[str] = []

    def inside(start: int, end: int) -> list[int]:
        return [p for p in breaks if start < p < end]

    for name in names:
        for start in _occurrences(text, name):
            if inside(start, start + len(name)):
                faults.append(f"name broken: {name}: "
                              f"{_shown(text, start - 12, len(name) + 24, breaks)}")
    for word in words:
        for start in _occurrences(text, word):
            cut = [p for p in inside(start, start + len(word))
                   if not _SPACE.match(text[p - 1]) and not _SPACE.match(text[p])]
            if cut:
                faults.append(f"word broken: {word}: "
                              f"{_shown(text, start - 12, len(word) + 24, breaks)}")
    for start, end in flow.nodes:
        node = text[start:end]
        if not any(is_thai(c) for c in node):
            continue
        allowed = {start}
        for token in segment_words(node):
            allowed.add(max(allowed) + len(token))
        for p in inside(start, end):
            if p not in allowed and is_thai(text[p - 1]) and is_thai(text[p]):
                shown = _shown(text, p - 12, 24, breaks)
                faults.append(f"break inside a word: {shown}")
    return sorted(set(faults))


def _shown(text: str, start: int, length: int, breaks: set[int]) -> str:
    start = max(start, 0)
    out = []
    for p in range(start, min(start + length, len(text))):
        if p in breaks and p != start:
            out.append("/")
        out.append(text[p])
    return "".join(out)


# --- Reading a PDF's lines --------------------------------------------------------


def _flat(text: str) -> str:
    return re.sub(r"[\s\u200b\u00a0]+", "", text)


def pdf_line_faults(lines: list[str], noted, *, line_units, names: Iterable[str] = ()
                    ) -> list[str]:
    """Line ends of ``lines`` (pdftotext's, in reading order) that fall inside a
    word of a string the PDF set (``noted``), by ``line_units`` of that string
    (the source text's segmentation), or inside one of ``names`` (names, and
    words never to be broken).

    A line break between the end of one line and the start of the next is
    located in the source strings by the text around it (up to 12 letters each
    side); a break found nowhere inside one string falls between two strings.
    """
    sources = []
    for n in noted:
        flat = _flat(n.text)
        if not flat:
            continue
        allowed = {0}
        position = 0
        for unit in line_units(n.text):
            position += len(_flat(unit))
            allowed.add(position)
        sources.append((flat, allowed))
    flat_names = [_flat(name) for name in names]
    faults = []
    rows = [_flat(line) for line in lines]
    rows = [row for row in rows if row]
    for before, after in zip(rows, rows[1:]):
        if not (is_thai(before[-1]) and is_thai(after[0])):
            continue
        left, right = before[-12:], after[:12]
        joined = left + right
        found, allowed_somewhere = False, False
        for flat, allowed in sources:
            for start in _occurrences(flat, joined):
                found = True
                if start + len(left) in allowed:
                    allowed_somewhere = True
        if found and not allowed_somewhere:
            faults.append(f"line ends inside a word: {left}/{right}")
        for name in flat_names:
            for cut in range(1, len(name)):
                if left.endswith(name[:cut]) and right.startswith(name[cut:]):
                    faults.append(f"line ends inside {name}: {left}/{right}")
    return sorted(set(faults))
