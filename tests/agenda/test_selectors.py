"""Reads of drafts and amendments: versions, comparisons, history, queues."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from agenda import selectors, services
from agenda.models import Amendment
from thai.segment import words
from tests import factories
from tests.factories import SEED_CLAUSES

REPLACE, INSERT, DELETE = (
    Amendment.Kind.REPLACE,
    Amendment.Kind.INSERT,
    Amendment.Kind.DELETE,
)
# Seed 002: the follow-up work of the network, and the early-childhood item.
WATCH = SEED_CLAUSES[2]  # ให้ภาคีเครือข่ายเฝ้าระวัง ติดตาม ประเมินผล สร้างการรับรู้ ...
WATCH_FUND = (
    "ให้ภาคีเครือข่ายและกองทุนเพื่อความเสมอภาคทางการศึกษาเฝ้าระวัง ติดตาม ประเมินผล "
    "และเผยแพร่ต่อสาธารณะ"
)
PLAY = SEED_CLAUSES[1] + " โดยใช้การเล่นเป็นฐาน"


@pytest.fixture
def item(world):
    return factories.agenda_item(world)


@pytest.fixture
def members(world, item):
    return [d for d in world.delegates if d.partner.room_id == item.room_id]


@pytest.fixture
def fac(world, item):
    return world.facilitators[item.room_id]


def submit(item, delegate, kind, key, text=""):
    return services.amendment_submit(item=item, delegate=delegate, kind=kind,
                                     target_key=key, text=text, rationale="")


def adopt(amendment, actor):
    return services.amendment_decide(amendment=amendment, adopted=True, actor=actor)


def changed_runs(segments, kind):
    return [text for k, text in segments if k == kind]


def whole_words(run: str, text: str) -> bool:
    """``run`` is a sequence of whole words of ``text`` (no word cut in two)."""
    tokens = words(text)
    for start in range(len(tokens)):
        joined = ""
        for token in tokens[start:]:
            joined += token
            if joined == run:
                return True
            if len(joined) >= len(run):
                break
    return False


def test_current_version_and_its_clauses_in_order(world, item, members, fac):
    empty = factories.agenda_item(world, clauses=None, room=world.rooms[1])
    assert selectors.current_version(empty) is None
    assert selectors.current_clauses(empty) == []
    assert selectors.version_clauses(None) == []
    adopt(submit(item, members[0], INSERT, None, "ข้อแรกใหม่"), fac)
    version = selectors.current_version(item)
    assert version.number == 2
    clauses = selectors.current_clauses(item)
    assert [c.position for c in clauses] == [1, 2, 3, 4]
    assert [c.text for c in clauses] == ["ข้อแรกใหม่", *SEED_CLAUSES]


def test_the_clause_under_discussion(world, item, fac):
    assert selectors.current_clause(item) is None
    services.item_set_current_clause(item=item, clause_key=3, actor=fac)
    item.refresh_from_db()
    assert selectors.current_clause(item).text == WATCH


def test_comparison_shows_whole_thai_words_inserted_and_deleted(world, item, members,
                                                                fac):
    first = selectors.current_version(item)
    second = adopt(submit(item, members[0], REPLACE, 3, WATCH_FUND), fac)
    comparison = selectors.compare_versions(first, second)
    assert comparison.changed
    assert not comparison.preamble.changed
    statuses = [(c.key, c.status) for c in comparison]
    assert statuses == [(1, "same"), (2, "same"), (3, "changed")]
    segments = comparison.clauses[2].diff.segments
    assert changed_runs(segments, "insert") == ["และกองทุนเพื่อความเสมอภาคทางการศึกษา"]
    assert changed_runs(segments, "delete") == ["สร้างการรับรู้ "]
    for run in changed_runs(segments, "insert"):
        assert whole_words(run, WATCH_FUND)
    for run in changed_runs(segments, "delete"):
        assert whole_words(run, WATCH)
    html = comparison.clauses[2].diff.html
    assert "<ins>และกองทุนเพื่อความเสมอภาคทางการศึกษา</ins>" in html
    assert "<del>สร้างการรับรู้ </del>" in html
    json.dumps(segments)  # pushes and PDFs take it as it is


def test_comparison_of_inserted_deleted_and_moved_clauses(world, item, members, fac):
    first = selectors.current_version(item)
    adopt(submit(item, members[0], DELETE, 1), fac)
    last = adopt(submit(item, members[1], INSERT, 3, "ข้อใหม่ท้ายร่าง"), fac)
    comparison = selectors.compare_versions(first, last)
    rows = [(c.key, c.status, c.old_position, c.new_position, c.moved)
            for c in comparison]
    assert rows == [
        (1, "deleted", 1, None, False),
        (2, "same", 2, 1, True),
        (3, "same", 3, 2, True),
        (4, "inserted", None, 3, False),
    ]
    assert comparison.clauses[0].diff.segments == [["delete", SEED_CLAUSES[0]]]
    assert comparison.clauses[3].diff.segments == [["insert", "ข้อใหม่ท้ายร่าง"]]


def test_comparing_a_version_with_itself_shows_no_change(item):
    version = selectors.current_version(item)
    assert not selectors.compare_versions(version, version).changed


def test_a_deleted_clause_stays_where_it_stood(world, item, members, fac):
    first = selectors.current_version(item)
    last = adopt(submit(item, members[0], DELETE, 2), fac)
    keys = [(c.key, c.status) for c in selectors.compare_versions(first, last)]
    assert keys == [(1, "same"), (2, "deleted"), (3, "same")]


def test_html_in_a_diff_is_escaped(world, item, members, fac):
    first = selectors.current_version(item)
    last = adopt(submit(item, members[0], REPLACE, 1, "<script>alert(1)</script>"), fac)
    html = selectors.compare_versions(first, last).clauses[0].diff.html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_history_says_who_made_each_version(world, item, members, fac):
    adopt(submit(item, members[0], REPLACE, 2, PLAY), fac)
    friendly = submit(item, members[1], INSERT, 3, "ข้อเพิ่มเติม")
    services.amendment_consent(amendment=friendly, delegate=members[1])
    services.amendment_merge(amendment=friendly, actor=fac)
    services.draft_set(item=item, preamble="ส่วนนำใหม่",
                       clauses=[c.text for c in selectors.current_clauses(item)],
                       actor=world.secretariat, note="แก้ส่วนนำ")
    history = selectors.item_history(item)
    assert [(h.number, h.source) for h in history] == [
        (1, "draft"), (2, "adopted"), (3, "merged"), (4, "draft")]
    assert history[0].author_name == "เลขานุการ"
    assert history[0].comparison is None
    assert history[1].amendment.partner == members[0].partner
    assert history[1].organisation_name == members[0].partner.organisation.name
    assert history[1].author_name == "ผู้ดำเนินรายการ 1"
    assert history[2].organisation_name == members[1].partner.organisation.name
    assert history[3].note == "แก้ส่วนนำ"
    assert history[3].comparison.preamble.changed
    assert [c.status for c in history[1].comparison] == ["same", "changed", "same"]


def test_history_of_a_vote_has_no_person(world, item, members):
    from voting.models import Poll

    amendment = submit(item, members[0], DELETE, 1)
    poll = Poll.objects.create(room=item.room, kind=Poll.Kind.AMENDMENT,
                               amendment=amendment, item=item)
    services.amendment_decide(amendment=amendment, adopted=True, poll=poll)
    entry = selectors.item_history(item)[-1]
    assert (entry.source, entry.author_name) == ("adopted", "")


def test_amendments_are_diffed_against_the_current_clause(world, item, members, fac):
    late = submit(item, members[1], REPLACE, 2, PLAY + " และชุมชน")
    adopt(submit(item, members[0], REPLACE, 2, PLAY), fac)
    row = selectors.amendment_diff(late)
    assert row.current_text == PLAY
    assert row.position == 2
    assert row.diff.segments == [["equal", PLAY], ["insert", " และชุมชน"]]
    assert not row.target_missing
    rows = selectors.amendment_list(item, pending_only=True)
    assert [r.amendment for r in rows] == [late]
    assert len(selectors.amendment_list(item)) == 2


def test_an_insert_is_all_inserted_and_a_delete_all_deleted(world, item, members):
    insert = submit(item, members[0], INSERT, 1, "ข้อใหม่")
    delete = submit(item, members[1], DELETE, 3)
    rows = {r.amendment: r for r in selectors.amendment_list(item)}
    assert rows[insert].diff.segments == [["insert", "ข้อใหม่"]]
    assert rows[insert].position == 1  # follows ข้อ 1
    assert rows[delete].diff.segments == [["delete", WATCH]]
    assert rows[delete].position == 3


def test_an_amendment_on_a_removed_clause_shows_it_missing(world, item, members, fac):
    late = submit(item, members[1], REPLACE, 2, PLAY)
    adopt(submit(item, members[0], DELETE, 2), fac)
    row = selectors.amendment_diff(late)
    assert row.target_missing
    assert row.position is None
    assert row.diff.segments == [["insert", PLAY]]


def test_amendments_on_one_clause(world, item, members):
    on_two = submit(item, members[0], REPLACE, 2, PLAY)
    submit(item, members[1], DELETE, 3)
    assert [r.amendment for r in selectors.amendments_on_clause(item, 2)] == [on_two]


def test_notices_for_the_organisation(world, item, members, fac):
    submit(item, members[1], DELETE, 2)
    adopt(submit(item, members[0], REPLACE, 2, PLAY), fac)
    notices = selectors.notices_for(members[1], item=item)
    assert len(notices) == 1
    with translation.override("th"):
        assert "ข้อ 2" in notices[0].text
    assert selectors.notices_for(members[0]) == []
    services.notice_mark_read(notice=notices[0], delegate=members[1])
    assert selectors.notices_for(members[1]) == []
    assert len(selectors.notices_for(members[1], unread_only=False)) == 1


def test_the_plenary_document_and_each_items_path(world, item, members, fac):
    second = factories.agenda_item(world, room=world.rooms[1])
    adopted = submit(item, members[0], REPLACE, 2, PLAY)
    adopt(adopted, fac)
    rejected = submit(item, members[1], DELETE, 3)
    services.amendment_decide(amendment=rejected, adopted=False, actor=fac)
    submit(item, members[2], DELETE, 1)  # left pending: not on the path
    services.item_agree(item=item, actor=fac)
    assert selectors.items_not_agreed(world.assembly) == [second]
    assert selectors.latest_plenary_document(world.assembly) is None
    document = services.plenary_document_build(assembly=world.assembly,
                                               actor=world.secretariat)
    assert selectors.latest_plenary_document(world.assembly) == document
    [entry] = selectors.plenary_document_entries(document)
    assert entry.item == item
    assert entry.version.number == 2
    assert [c.text for c in entry.clauses] == [SEED_CLAUSES[0], PLAY, WATCH]
    assert entry.adopted == [adopted]
    assert entry.rejected == [rejected]
    assert [i.number for i in selectors.items_of(world.assembly)] == [1, 2]
