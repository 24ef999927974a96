"""Drafts, amendments and consolidation: the agenda services.

Each refusal is checked for its message and for having changed nothing.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from agenda import services
from agenda.models import AgendaItem, Amendment, Clause, DraftVersion, Notice
from assembly import services as assembly_services
from assembly.models import Delegate
from tests import factories
from tests.factories import SEED_CLAUSES

REPLACE, INSERT, DELETE = (
    Amendment.Kind.REPLACE,
    Amendment.Kind.INSERT,
    Amendment.Kind.DELETE,
)
PLAY = SEED_CLAUSES[1] + " โดยใช้การเล่นเป็นฐาน"
NUTRITION = (
    "ให้องค์กรปกครองส่วนท้องถิ่นจัดอาหารกลางวันและอาหารเสริม (นม) "
    "สำหรับเด็กปฐมวัยอย่างเพียงพอตามหลักโภชนาการ"
)


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; one test checks the Thai."""
    with translation.override("en"):
        yield


@pytest.fixture
def pushes(monkeypatch):
    """The agenda.live pushes the services asked for, as (name, pk)."""
    calls = []
    from agenda import live

    for name in ("push_draft", "push_amendments", "push_item_state"):
        monkeypatch.setattr(
            live, name, lambda obj, _name=name: calls.append((_name, obj.pk))
        )
    # One amendment changed: its row alone is pushed (recorded by item).
    monkeypatch.setattr(
        live, "push_amendment", lambda item, a: calls.append(("push_amendment", item.pk))
    )
    return calls


@pytest.fixture
def item(world):
    return factories.agenda_item(world)


@pytest.fixture
def room_delegates(world, item):
    """The voting delegates seated in the item's room."""
    return [d for d in world.delegates if d.partner.room_id == item.room_id]


def keys_texts(version: DraftVersion) -> list[tuple[int, int, str]]:
    return list(version.clauses.order_by("position").values_list("position", "key", "text"))


def latest(item) -> DraftVersion:
    return item.versions.order_by("-number").first()


def submit(item, delegate, kind=REPLACE, target_key=2, text=PLAY, rationale="เพราะ"):
    return services.amendment_submit(
        item=item, delegate=delegate, kind=kind, target_key=target_key, text=text,
        rationale=rationale,
    )


def facilitator(world, item):
    return world.facilitators[item.room_id]


def snapshot():
    return (
        DraftVersion.objects.count(),
        Clause.objects.count(),
        Amendment.objects.count(),
        list(Amendment.objects.order_by("pk").values_list("status", "needs_update")),
        list(AgendaItem.objects.order_by("pk").values_list("status", "current_clause_key")),
        Notice.objects.count(),
    )


def refused(exc_type, message, call):
    """``call`` raises ``exc_type`` whose message contains ``message``, and leaves
    the database as it was."""
    before = snapshot()
    with pytest.raises(exc_type) as info:
        call()
    text = " ".join(info.value.messages) if exc_type is ValidationError else str(info.value)
    assert message in text
    assert snapshot() == before


# --- Drafts ----------------------------------------------------------------------


def test_first_draft_is_version_one_with_new_keys(world, pushes):
    item = factories.agenda_item(world, clauses=None)
    pushes.clear()
    version = services.draft_set(
        item=item, preamble="  คำปรารภ  ", clauses=["ข้อแรก", " ข้อสอง "],
        actor=world.secretariat,
    )
    assert version.number == 1
    assert version.preamble == "คำปรารภ"
    assert version.created_by == world.secretariat
    assert keys_texts(version) == [(1, 1, "ข้อแรก"), (2, 2, "ข้อสอง")]
    assert ("push_draft", item.pk) in pushes


def test_re_entered_draft_keeps_keys_of_kept_and_edited_clauses(world, item):
    first = latest(item)
    version = services.draft_set(
        item=item, preamble=first.preamble,
        clauses=["ข้อใหม่ที่แทรก", SEED_CLAUSES[0], SEED_CLAUSES[1] + " เพิ่มเติม",
                 SEED_CLAUSES[2]],
        actor=world.secretariat, note="แก้ไขตามมติคณะทำงาน",
    )
    assert version.number == 2
    assert version.note == "แก้ไขตามมติคณะทำงาน"
    assert [(p, k) for p, k, _ in keys_texts(version)] == [(1, 4), (2, 1), (3, 2), (4, 3)]
    # the first version is untouched
    assert keys_texts(first) == [(i + 1, i + 1, t) for i, t in enumerate(SEED_CLAUSES)]


def test_paste_splits_a_numbered_thai_draft(world):
    item = factories.agenda_item(world, clauses=None)
    text = (
        "ร่างมติ สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น\n"
        "ข้อ ๑ ให้สำนักงานศึกษาธิการจังหวัดขอนแก่นเป็นหน่วยงานหลัก\n"
        "(1) จัดทำข้อมูลเด็กปฐมวัยรายบุคคล\n"
        "ข้อ ๒ ให้ภาคีเครือข่ายเฝ้าระวัง ติดตาม ประเมินผล\n"
    )
    version = services.draft_paste(item=item, text=text, actor=world.secretariat)
    assert version.preamble == "ร่างมติ สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น"
    assert [t for _, _, t in keys_texts(version)] == [
        "ให้สำนักงานศึกษาธิการจังหวัดขอนแก่นเป็นหน่วยงานหลัก\n(1) จัดทำข้อมูลเด็กปฐมวัยรายบุคคล",
        "ให้ภาคีเครือข่ายเฝ้าระวัง ติดตาม ประเมินผล",
    ]


def test_html_in_a_draft_is_stored_as_typed(world):
    item = factories.agenda_item(world, clauses=None)
    version = services.draft_set(
        item=item, preamble="<b>คำปรารภ</b>", clauses=["<script>alert(1)</script> ข้อ"],
        actor=world.secretariat,
    )
    assert version.preamble == "<b>คำปรารภ</b>"
    assert version.clauses.get().text == "<script>alert(1)</script> ข้อ"


@pytest.mark.parametrize(
    ("preamble", "clauses", "message"),
    [
        ("", [], "A draft needs at least one clause."),
        ("", ["ข้อ", "   "], "Clause 2 is empty."),
        ("", ["ก" * 5001], "Clause 1 is too long: 5,001 characters; the limit is 5,000."),
        ("ก" * 5001, ["ข้อ"], "The preamble is too long"),
        (factories.SEED_PREAMBLE, [c + "  " for c in SEED_CLAUSES], "The draft is unchanged."),
    ],
)
def test_draft_refusals(world, item, preamble, clauses, message):
    refused(ValidationError, message, lambda: services.draft_set(
        item=item, preamble=preamble, clauses=clauses, actor=world.secretariat))


def test_draft_paste_refuses_empty_text(world, item):
    refused(ValidationError, "Paste the text of the draft.", lambda: services.draft_paste(
        item=item, text=" \n ", actor=world.secretariat))


def test_only_the_secretariat_enters_drafts(world, item):
    for person in (facilitator(world, item), world.delegates[0].user):
        refused(PermissionDenied, "Only the secretariat may enter the draft.",
                lambda p=person: services.draft_set(item=item, preamble="",
                                                    clauses=["ข้อ"], actor=p))


def test_a_draft_change_marks_amendments_on_changed_clauses(world, item, room_delegates):
    on_two = submit(item, room_delegates[0], target_key=2)
    on_three = submit(item, room_delegates[1], target_key=3, text="ข้อความใหม่")
    services.draft_set(
        item=item, preamble="", actor=world.secretariat,
        clauses=[SEED_CLAUSES[0], SEED_CLAUSES[1] + " ทุกแห่ง", SEED_CLAUSES[2]],
    )
    on_two.refresh_from_db()
    on_three.refresh_from_db()
    assert on_two.needs_update and not on_three.needs_update
    notice = Notice.objects.get()
    assert notice.partner == room_delegates[0].partner
    assert notice.amendment == on_two


def test_item_create_refuses_a_duplicate_number(world, item):
    refused(ValidationError, "Agenda item 1 already exists.", lambda: services.item_create(
        assembly=world.assembly, number=1, title_th="ซ้ำ",
        lead_agency=world.partners[0].organisation, actor=world.secretariat))


def test_item_create_needs_the_secretariat(world):
    refused(PermissionDenied, "Only the secretariat may add agenda items.",
            lambda: services.item_create(
                assembly=world.assembly, number=9, title_th="วาระ",
                lead_agency=world.partners[0].organisation,
                actor=world.delegates[0].user))


# --- Submitting amendments --------------------------------------------------------


def test_a_delegate_proposes_for_their_organisation(world, item, room_delegates, pushes):
    delegate = room_delegates[0]
    amendment = submit(item, delegate)
    assert amendment.partner == delegate.partner
    assert amendment.proposed_by == delegate
    assert amendment.status == Amendment.Status.SUBMITTED
    assert amendment.base_version == latest(item)
    assert amendment.text == PLAY
    assert ("push_amendment", item.pk) in pushes


def test_an_alternate_may_propose(world, item):
    alternate = world.alternates[0]  # of partner 0, seated in the first room
    assert alternate.partner.room_id == item.room_id
    assert submit(item, alternate).partner == alternate.partner


def test_html_in_an_amendment_is_stored_as_typed(world, item, room_delegates):
    text = '<img src=x onerror="alert(1)"> ให้ทุกคน'
    amendment = submit(item, room_delegates[0], text=text, rationale="<b>เหตุผล</b>")
    amendment.refresh_from_db()
    assert amendment.text == text
    assert amendment.rationale == "<b>เหตุผล</b>"


def test_a_delete_keeps_no_text(world, item, room_delegates):
    amendment = submit(item, room_delegates[0], kind=DELETE, target_key=3, text="x")
    assert amendment.text == ""


def test_in_the_plenary_any_partner_may_propose(world):
    item = factories.agenda_item(world, room=world.plenary)
    other_room = next(d for d in world.delegates if d.partner.room_id != world.rooms[0].pk)
    assert submit(item, other_room).partner == other_room.partner


@pytest.mark.parametrize(
    ("kind", "target_key", "text", "rationale", "message"),
    [
        (REPLACE, 2, "", "", "Enter the proposed text."),
        (REPLACE, 2, "   ", "", "Enter the proposed text."),
        (INSERT, 1, "", "", "Enter the proposed text."),
        (REPLACE, 2, "ก" * 5001, "",
         "The proposed text is too long: 5,001 characters; the limit is 5,000."),
        (REPLACE, 2, "ข้อความ", "ก" * 2001,
         "The rationale is too long: 2,001 characters; the limit is 2,000."),
        (REPLACE, 2, "  " + SEED_CLAUSES[1].replace(" ", "\n  ") + " ", "",
         "The proposed text is the same as the current clause."),
        (REPLACE, 99, "ข้อความ", "", "That clause is not in the current draft."),
        (DELETE, 99, "", "", "That clause is not in the current draft."),
        (INSERT, 99, "ข้อความ", "", "That clause is not in the current draft."),
        (REPLACE, None, "ข้อความ", "", "Choose the clause to change."),
        ("rewrite", 2, "ข้อความ", "", "Choose what the amendment does."),
    ],
)
def test_submit_refusals(world, item, room_delegates, kind, target_key, text,
                         rationale, message):
    refused(ValidationError, message,
            lambda: submit(item, room_delegates[0], kind, target_key, text, rationale))


def test_an_observer_may_not_propose(world, item):
    observer = assembly_services.delegate_create(
        partner=world.partners[0], name_th="ผู้สังเกตการณ์",
        kind=Delegate.Kind.OBSERVER,
    )
    refused(PermissionDenied, "Observers may not propose amendments.",
            lambda: submit(item, observer))


def test_a_delegate_of_another_room_may_not_propose(world, item):
    outsider = next(d for d in world.delegates if d.partner.room_id != item.room_id)
    refused(PermissionDenied, "Only the organisations seated in this item's room",
            lambda: submit(item, outsider))


def test_no_amendment_before_the_draft(world, room_delegates):
    item = factories.agenda_item(world, clauses=None, room=world.rooms[1])
    delegate = next(d for d in world.delegates if d.partner.room_id == item.room_id)
    refused(ValidationError, "This item has no draft yet.", lambda: submit(item, delegate))


def test_no_amendment_once_the_room_agreed(world, item, room_delegates):
    services.item_agree(item=item, actor=facilitator(world, item))
    refused(ValidationError, "The room has agreed its draft of this item",
            lambda: submit(item, room_delegates[0]))


# --- Applying amendments ----------------------------------------------------------


def test_adopting_a_replace_changes_the_text_and_keeps_numbers(world, item,
                                                               room_delegates, pushes):
    amendment = submit(item, room_delegates[0], REPLACE, 2, PLAY)
    pushes.clear()
    version = services.amendment_decide(amendment=amendment, adopted=True,
                                        actor=facilitator(world, item))
    amendment.refresh_from_db()
    assert version.number == 2
    assert version.amendment == amendment
    assert amendment.status == Amendment.Status.ADOPTED
    assert amendment.resulting_version == version
    assert amendment.decided_at is not None
    assert keys_texts(version) == [(1, 1, SEED_CLAUSES[0]), (2, 2, PLAY),
                                   (3, 3, SEED_CLAUSES[2])]
    assert version.preamble == latest(item).preamble == factories.SEED_PREAMBLE
    # The draft's push carries every amendment's diff against the new draft.
    assert ("push_draft", item.pk) in pushes


def test_adopting_an_insert_renumbers_the_following_clauses(world, item, room_delegates):
    amendment = submit(item, room_delegates[0], INSERT, 1, NUTRITION)
    version = services.amendment_decide(amendment=amendment, adopted=True,
                                        actor=facilitator(world, item))
    assert keys_texts(version) == [
        (1, 1, SEED_CLAUSES[0]), (2, 4, NUTRITION), (3, 2, SEED_CLAUSES[1]),
        (4, 3, SEED_CLAUSES[2]),
    ]


def test_an_insert_at_the_start_becomes_clause_one(world, item, room_delegates):
    amendment = submit(item, room_delegates[0], INSERT, None, NUTRITION)
    version = services.amendment_decide(amendment=amendment, adopted=True,
                                        actor=facilitator(world, item))
    assert [(p, k) for p, k, _ in keys_texts(version)] == [(1, 4), (2, 1), (3, 2), (4, 3)]


def test_adopting_a_delete_renumbers_and_keeps_keys(world, item, room_delegates):
    amendment = submit(item, room_delegates[0], DELETE, 1, "")
    version = services.amendment_decide(amendment=amendment, adopted=True,
                                        actor=facilitator(world, item))
    assert keys_texts(version) == [(1, 2, SEED_CLAUSES[1]), (2, 3, SEED_CLAUSES[2])]


def test_a_key_is_never_reused_after_a_delete(world, item, room_delegates):
    fac = facilitator(world, item)
    services.amendment_decide(amendment=submit(item, room_delegates[0], DELETE, 3, ""),
                              adopted=True, actor=fac)
    version = services.amendment_decide(
        amendment=submit(item, room_delegates[1], INSERT, 2, NUTRITION),
        adopted=True, actor=fac)
    assert [k for _, k, _ in keys_texts(version)] == [1, 2, 4]


def test_the_last_clause_cannot_be_deleted(world, item, room_delegates):
    """A draft keeps at least one clause: a delete of the only clause is refused
    when proposed, and a delete proposed earlier is refused when it would empty
    the draft (the draft would resolve nothing and could never be adopted)."""
    fac = facilitator(world, item)
    first = submit(item, room_delegates[0], DELETE, 1, "")
    second = submit(item, room_delegates[1], DELETE, 2, "")
    third = submit(item, room_delegates[2], DELETE, 3, "")
    services.amendment_decide(amendment=first, adopted=True, actor=fac)
    services.amendment_consent(amendment=second, delegate=room_delegates[1])
    services.amendment_merge(amendment=second, actor=fac)
    message = "A draft needs at least one clause"
    refused(ValidationError, message, lambda: services.amendment_decide(
        amendment=third, adopted=True, actor=fac))
    services.amendment_consent(amendment=third, delegate=room_delegates[2])
    refused(ValidationError, message, lambda: services.amendment_merge(
        amendment=third, actor=fac))
    refused(ValidationError, message, lambda: submit(item, room_delegates[0], DELETE,
                                                    3, ""))
    assert [k for _, k, _ in keys_texts(latest(item))] == [3]
    third.refresh_from_db()
    assert third.is_pending  # the room may still reject or withdraw it


def test_rejecting_makes_no_version(world, item, room_delegates, pushes):
    amendment = submit(item, room_delegates[0])
    assert services.amendment_decide(amendment=amendment, adopted=False,
                                     actor=facilitator(world, item)) is None
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.REJECTED
    assert amendment.decided_at is not None
    assert item.versions.count() == 1


def test_a_poll_decides_without_an_actor(world, item, room_delegates):
    from voting.models import Poll

    amendment = submit(item, room_delegates[0])
    poll = Poll.objects.create(room=item.room, kind=Poll.Kind.AMENDMENT,
                               amendment=amendment, item=item)
    version = services.amendment_decide(amendment=amendment, adopted=True, poll=poll)
    assert version.created_by is None
    assert version.amendment == amendment


def test_deciding_needs_the_facilitator_or_a_poll(world, item, room_delegates):
    amendment = submit(item, room_delegates[0])
    other = world.facilitators[world.rooms[1].pk]
    for actor in (None, other, room_delegates[0].user):
        refused(PermissionDenied, "Only the room's facilitators may manage",
                lambda a=actor: services.amendment_decide(
                    amendment=amendment, adopted=True, actor=a))
    # the secretariat runs any room as a backup facilitator
    services.amendment_decide(amendment=amendment, adopted=False,
                              actor=world.secretariat)
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.REJECTED


def test_a_decided_amendment_is_not_decided_again(world, item, room_delegates):
    amendment = submit(item, room_delegates[0])
    fac = facilitator(world, item)
    services.amendment_decide(amendment=amendment, adopted=False, actor=fac)
    refused(ValidationError, "This amendment is no longer pending: Rejected.",
            lambda: services.amendment_decide(amendment=amendment, adopted=True,
                                              actor=fac))


def test_an_amendment_whose_clause_is_gone_cannot_be_adopted(world, item,
                                                             room_delegates):
    fac = facilitator(world, item)
    replace = submit(item, room_delegates[0], REPLACE, 2, PLAY)
    delete = submit(item, room_delegates[1], DELETE, 2, "")
    services.amendment_decide(amendment=delete, adopted=True, actor=fac)
    refused(ValidationError, "The clause this amendment concerns is no longer in the draft.",
            lambda: services.amendment_decide(amendment=replace, adopted=True, actor=fac))


# --- Conflicts --------------------------------------------------------------------


def test_adopting_marks_other_pending_amendments_on_the_clause(world, item,
                                                               room_delegates):
    first, second, third = room_delegates[:3]
    adopted = submit(item, first, REPLACE, 2, PLAY)
    rival = submit(item, second, DELETE, 2, "")
    elsewhere = submit(item, third, REPLACE, 3, "ให้ภาคีเครือข่ายติดตามผล")
    after_two = submit(item, third, INSERT, 2, NUTRITION)
    services.amendment_decide(amendment=adopted, adopted=True,
                              actor=facilitator(world, item))
    for a in (adopted, rival, elsewhere, after_two):
        a.refresh_from_db()
    assert rival.needs_update
    assert not adopted.needs_update
    assert not elsewhere.needs_update
    assert not after_two.needs_update  # its clause is still there
    notice = Notice.objects.get()
    assert (notice.partner, notice.delegate, notice.item, notice.amendment) == (
        second.partner, second, item, rival)
    assert notice.read_at is None


def test_notices_are_written_in_thai(world, item, room_delegates):
    services.amendment_decide(amendment=submit(item, room_delegates[0]), adopted=True,
                              actor=facilitator(world, item))
    services.amendment_decide(amendment=submit(item, room_delegates[1], DELETE, 2, ""),
                              adopted=False, actor=facilitator(world, item))
    submit(item, room_delegates[1], DELETE, 3, "")
    submit(item, room_delegates[2], INSERT, 3, NUTRITION)
    services.amendment_decide(amendment=submit(item, room_delegates[0], DELETE, 3, ""),
                              adopted=True, actor=facilitator(world, item))
    texts = sorted(Notice.objects.values_list("text", flat=True))
    assert len(texts) == 2
    assert all("ข้อ 3" in text and "ฉบับที่ 3" in text for text in texts)


def test_deleting_a_clause_marks_inserts_after_it(world, item, room_delegates):
    insert = submit(item, room_delegates[1], INSERT, 2, NUTRITION)
    services.amendment_decide(amendment=submit(item, room_delegates[0], DELETE, 2, ""),
                              adopted=True, actor=facilitator(world, item))
    insert.refresh_from_db()
    assert insert.needs_update
    assert Notice.objects.get().partner == room_delegates[1].partner


def test_revising_clears_the_mark_and_rebases(world, item, room_delegates):
    fac = facilitator(world, item)
    rival = submit(item, room_delegates[1], REPLACE, 2, "ข้อความเดิมของคู่แข่ง")
    services.amendment_accept(amendment=rival, actor=fac)
    services.amendment_decide(amendment=submit(item, room_delegates[0]), adopted=True,
                              actor=fac)
    revised = services.amendment_revise(amendment=rival, delegate=room_delegates[1],
                                        text=PLAY + " และชุมชน", rationale="ปรับปรุง")
    assert not revised.needs_update
    assert revised.status == Amendment.Status.SUBMITTED
    assert revised.base_version == latest(item)
    refused(ValidationError, "The proposed text is the same as the current clause.",
            lambda: services.amendment_revise(amendment=rival, delegate=room_delegates[1],
                                              text=PLAY))
    refused(PermissionDenied, "Only the organisation that proposed this amendment",
            lambda: services.amendment_revise(amendment=rival, delegate=room_delegates[0],
                                              text="อื่น"))


# --- The facilitator and the proposer ---------------------------------------------


def test_the_facilitator_accepts_for_decision(world, item, room_delegates):
    amendment = submit(item, room_delegates[0])
    fac = facilitator(world, item)
    services.amendment_accept(amendment=amendment, actor=fac)
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.ACCEPTED
    refused(ValidationError, "This amendment is already accepted.",
            lambda: services.amendment_accept(amendment=amendment, actor=fac))


def test_another_rooms_facilitator_may_not_accept(world, item, room_delegates):
    amendment = submit(item, room_delegates[0])
    refused(PermissionDenied, "Only the room's facilitators may manage its amendments.",
            lambda: services.amendment_accept(
                amendment=amendment, actor=world.facilitators[world.rooms[1].pk]))


def test_ruling_out_needs_a_reason(world, item, room_delegates):
    amendment = submit(item, room_delegates[0])
    fac = facilitator(world, item)
    refused(ValidationError, "Give the reason for ruling it out.",
            lambda: services.amendment_rule_out(amendment=amendment, actor=fac,
                                                reason="  "))
    refused(ValidationError, "The reason is too long",
            lambda: services.amendment_rule_out(amendment=amendment, actor=fac,
                                                reason="ก" * 2001))
    services.amendment_rule_out(amendment=amendment, actor=fac,
                                reason="<i>ไม่เกี่ยวกับวาระ</i>")
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.RULED_OUT
    assert amendment.decision_reason == "<i>ไม่เกี่ยวกับวาระ</i>"
    assert amendment.decided_at is not None


def test_a_friendly_merge_needs_the_proposers_consent(world, item, room_delegates):
    amendment = submit(item, room_delegates[0])
    fac = facilitator(world, item)
    refused(ValidationError, "The proposing organisation has not consented to a merge.",
            lambda: services.amendment_merge(amendment=amendment, actor=fac))
    refused(PermissionDenied, "Only the organisation that proposed this amendment",
            lambda: services.amendment_consent(amendment=amendment,
                                               delegate=room_delegates[1]))
    services.amendment_consent(amendment=amendment, delegate=world.alternates[0])
    amendment.refresh_from_db()
    assert amendment.merge_consented_by == world.alternates[0]
    assert amendment.merge_consented_at is not None
    version = services.amendment_merge(amendment=amendment, actor=fac)
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.MERGED
    assert amendment.resulting_version == version
    assert version.amendment == amendment
    assert version.created_by == fac
    assert keys_texts(version)[1] == (2, 2, PLAY)


def test_the_proposer_withdraws_a_pending_amendment(world, item, room_delegates):
    amendment = submit(item, room_delegates[0])
    refused(PermissionDenied, "Only the organisation that proposed this amendment",
            lambda: services.amendment_withdraw(amendment=amendment,
                                                delegate=room_delegates[1]))
    services.amendment_withdraw(amendment=amendment, delegate=room_delegates[0])
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.WITHDRAWN
    refused(ValidationError, "This amendment is no longer pending: Withdrawn.",
            lambda: services.amendment_withdraw(amendment=amendment,
                                                delegate=room_delegates[0]))


def test_an_observer_may_not_withdraw_for_the_organisation(world, item, room_delegates):
    amendment = submit(item, room_delegates[0])
    observer = assembly_services.delegate_create(
        partner=room_delegates[0].partner, name_th="ผู้สังเกตการณ์",
        kind=Delegate.Kind.OBSERVER,
    )
    refused(PermissionDenied, "Observers may not act for their organisation",
            lambda: services.amendment_withdraw(amendment=amendment, delegate=observer))


def test_setting_the_clause_under_discussion(world, item, pushes):
    fac = facilitator(world, item)
    services.item_set_current_clause(item=item, clause_key=2, actor=fac)
    item.refresh_from_db()
    assert item.current_clause_key == 2
    assert ("push_draft", item.pk) in pushes
    refused(ValidationError, "That clause is not in the current draft.",
            lambda: services.item_set_current_clause(item=item, clause_key=99, actor=fac))
    refused(PermissionDenied, "Only the room's facilitators may choose the clause",
            lambda: services.item_set_current_clause(
                item=item, clause_key=1, actor=world.delegates[0].user))
    services.item_set_current_clause(item=item, clause_key=None, actor=fac)
    item.refresh_from_db()
    assert item.current_clause_key is None


def test_deleting_the_clause_under_discussion_clears_it(world, item, room_delegates):
    fac = facilitator(world, item)
    services.item_set_current_clause(item=item, clause_key=2, actor=fac)
    services.amendment_decide(amendment=submit(item, room_delegates[0], DELETE, 2, ""),
                              adopted=True, actor=fac)
    item.refresh_from_db()
    assert item.current_clause_key is None


def test_marking_a_notice_read(world, item, room_delegates):
    services.amendment_decide(amendment=submit(item, room_delegates[0]), adopted=True,
                              actor=facilitator(world, item))
    submit(item, room_delegates[1], DELETE, 2, "")
    services.draft_set(item=item, preamble="", clauses=["ข้อเดียว"],
                       actor=world.secretariat)
    notice = Notice.objects.get()
    with pytest.raises(PermissionDenied):
        services.notice_mark_read(notice=notice, delegate=room_delegates[0])
    assert services.notice_mark_read(notice=notice,
                                     delegate=room_delegates[1]).read_at is not None


# --- Consolidation ----------------------------------------------------------------


def test_agreeing_freezes_the_current_version(world, item, room_delegates, pushes):
    fac = facilitator(world, item)
    version = services.amendment_decide(amendment=submit(item, room_delegates[0]),
                                        adopted=True, actor=fac)
    pushes.clear()
    agreed = services.item_agree(item=item, actor=fac)
    assert agreed.status == AgendaItem.Status.AGREED
    assert agreed.agreed_version == version
    assert agreed.agreed_at is not None
    assert ("push_item_state", item.pk) in pushes
    refused(ValidationError, "The room has agreed its draft of this item",
            lambda: services.item_agree(item=item, actor=fac))
    refused(ValidationError, "The room has agreed its draft of this item",
            lambda: services.draft_set(item=item, preamble="", clauses=["ใหม่"],
                                       actor=world.secretariat))


def test_agreeing_needs_the_facilitator_and_a_draft(world, item):
    refused(PermissionDenied, "Only the room's facilitators may record its agreement.",
            lambda: services.item_agree(item=item, actor=world.delegates[0].user))
    empty = factories.agenda_item(world, clauses=None, room=world.rooms[1])
    refused(ValidationError, "This item has no draft yet.",
            lambda: services.item_agree(item=empty,
                                        actor=world.facilitators[world.rooms[1].pk]))


def test_the_plenary_document_gathers_agreed_versions_in_order(world):
    first = factories.agenda_item(world)
    second = factories.agenda_item(world, room=world.rooms[1])
    refused(ValidationError, "No room has agreed its draft yet",
            lambda: services.plenary_document_build(assembly=world.assembly,
                                                    actor=world.secretariat))
    services.item_agree(item=second, actor=world.facilitators[world.rooms[1].pk])
    document = services.plenary_document_build(assembly=world.assembly,
                                               actor=world.secretariat)
    assert document.number == 1
    assert document.built_by == world.secretariat
    assert list(document.versions.all()) == [latest(second)]
    assert document.missing_items == [first]
    services.item_agree(item=first, actor=world.facilitators[world.rooms[0].pk])
    again = services.plenary_document_build(assembly=world.assembly,
                                            actor=world.secretariat)
    assert again.number == 2
    assert again.missing_items == []
    assert list(again.versions.order_by("item__number")) == [latest(first),
                                                             latest(second)]


def test_only_the_secretariat_builds_the_plenary_document(world, item):
    services.item_agree(item=item, actor=facilitator(world, item))
    refused(PermissionDenied, "Only the secretariat may build the plenary document.",
            lambda: services.plenary_document_build(assembly=world.assembly,
                                                    actor=facilitator(world, item)))


def test_the_plenary_decides_an_agreed_item(world, item):
    refused(ValidationError, "Only an item its room has agreed",
            lambda: services.item_plenary_decide(item=item, adopted=True,
                                                 actor=world.secretariat))
    services.item_agree(item=item, actor=facilitator(world, item))
    refused(PermissionDenied, "Only the secretariat may record the plenary's decision.",
            lambda: services.item_plenary_decide(item=item, adopted=True,
                                                 actor=facilitator(world, item)))
    decided = services.item_plenary_decide(item=item, adopted=True,
                                           actor=world.secretariat)
    assert decided.status == AgendaItem.Status.ADOPTED
    refused(ValidationError, "Only an item its room has agreed",
            lambda: services.item_plenary_decide(item=item, adopted=False,
                                                 actor=world.secretariat))


def test_a_poll_records_the_plenary_not_adopting(world, item):
    from voting.models import Poll

    services.item_agree(item=item, actor=facilitator(world, item))
    poll = Poll.objects.create(room=world.plenary, kind=Poll.Kind.CONSENSUS, item=item)
    decided = services.item_plenary_decide(item=item, adopted=False, poll=poll)
    assert decided.status == AgendaItem.Status.NOT_ADOPTED


def test_refusal_messages_are_translated_to_thai(world, item, room_delegates):
    with translation.override("th"), pytest.raises(ValidationError) as info:
        submit(item, room_delegates[0], text="")
    assert info.value.messages == ["กรุณาระบุข้อความที่เสนอ"]
