"""Resolutions from adopted items; the timeline and the current state; the plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agenda.models import AgendaItem, Clause, DraftVersion
from resolutions import selectors, services
from resolutions.models import ProgressUpdate, Resolution
from voting.models import Poll

from .conftest import ADOPTED_ON, CLAUSES, agreed_item

pytestmark = pytest.mark.django_db


def post(resolution, actor, percent, status="on_track", day=date(2024, 1, 10), **kw):
    return services.progress_post(
        resolution=resolution,
        actor=actor,
        status=status,
        percent=percent,
        narrative=kw.pop("narrative", "ดำเนินการตามแผน"),
        refers_to=day,
        **kw,
    )


# --- Creation on adoption -------------------------------------------------------------


def test_each_clause_of_the_agreed_text_becomes_a_numbered_resolution(adopted):
    first = adopted.items[0]
    numbers = [r.number for r in Resolution.objects.filter(assembly=adopted.assembly)]
    assert numbers == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    texts = [r.text for r in first.resolutions.order_by("position")]
    assert texts == CLAUSES[0]
    for res in adopted.resolutions:
        assert res.owner_id == res.item.lead_agency_id
        assert res.adopted_on == ADOPTED_ON
        assert res.method == Resolution.Method.CONSENSUS


def test_the_adopted_text_stays_frozen_when_the_draft_changes_later(adopted):
    item = adopted.items[0]
    newer = DraftVersion.objects.create(item=item, number=2)
    Clause.objects.create(version=newer, position=1, key=1, text="ข้อความใหม่")
    item.agreed_version = newer
    item.save()

    again = services.resolutions_create_for_item(item=item, adopted_on=date(2024, 1, 1))

    assert [r.text for r in again] == CLAUSES[0]  # idempotent: nothing re-created
    assert item.resolutions.count() == 3


def test_a_fallback_poll_records_the_method_and_the_figures(world):
    item = agreed_item(
        world, 3, "วาระทดสอบ", ["ข้อหนึ่ง", "ข้อสอง"], world.partners[2].organisation
    )
    poll = Poll.objects.create(
        room=world.plenary,
        kind=Poll.Kind.FALLBACK,
        item=item,
        version=item.agreed_version,
        status=Poll.Status.CLOSED,
        entitled_count=6,
        present_count=5,
        voting_count=5,
        counts={"yes": 4, "no": 1, "abstain": 0},
        outcome={"adopted": True},
        adopted=True,
    )

    created = services.resolutions_create_for_item(
        item=item, poll=poll, adopted_on=date(2023, 11, 24)
    )

    assert [r.number for r in created] == ["3.1", "3.2"]
    res = created[0]
    assert res.method == Resolution.Method.FALLBACK
    assert res.poll == poll
    assert res.figures["entitled"] == 6
    assert res.figures["present"] == 5
    assert res.figures["counts"] == {"yes": 4, "no": 1, "abstain": 0}
    assert res.owner == world.partners[2].organisation


def test_the_poll_version_wins_over_the_agreed_version(world):
    item = agreed_item(world, 4, "วาระ", ["เดิม"], world.partners[0].organisation)
    plenary_text = DraftVersion.objects.create(item=item, number=2)
    Clause.objects.create(version=plenary_text, position=1, key=1, text="แก้ในที่ประชุมใหญ่")
    poll = Poll.objects.create(
        room=world.plenary,
        kind=Poll.Kind.CONSENSUS,
        item=item,
        version=plenary_text,
        counts={"full": 5, "support": 1},
        entitled_count=6,
        present_count=6,
    )
    created = services.resolutions_create_for_item(item=item, poll=poll)
    assert [r.text for r in created] == ["แก้ในที่ประชุมใหญ่"]
    assert created[0].method == Resolution.Method.CONSENSUS


def test_an_item_without_adopted_text_is_refused(world):
    item = AgendaItem.objects.create(
        assembly=world.assembly,
        number=9,
        title_th="ไม่มีร่าง",
        lead_agency=world.partners[0].organisation,
    )
    with pytest.raises(ValidationError):
        services.resolutions_create_for_item(item=item)
    assert Resolution.objects.count() == 0


# --- Timeline and current state -------------------------------------------------------


def current(resolution):
    return selectors.rows_of(
        [Resolution.objects.get(pk=resolution.pk)],
        today=date(2024, 3, 1),
        interval_days=90,
    )[0]


def test_the_current_status_and_percent_come_from_the_latest_update(adopted):
    res = adopted.resolutions[0]
    staff = adopted.owner_staff(res)
    assert current(res).status == ""
    assert current(res).percent is None

    post(res, staff, 20, day=date(2024, 1, 5))
    post(res, staff, 45, status="at_risk", day=date(2024, 2, 5))

    row = current(res)
    assert (row.status, row.percent, row.last_update) == (
        "at_risk",
        45,
        date(2024, 2, 5),
    )
    assert [e.percent for e in selectors.timeline(res)] == [20, 45]


def test_a_note_does_not_change_status_or_percent(adopted):
    res = adopted.resolutions[0]
    supporter = adopted.world.partners[3].organisation
    res.supporters.add(supporter)
    post(res, adopted.owner_staff(res), 30)

    note = services.progress_note(
        resolution=res,
        actor=adopted.world.staff[supporter.pk],
        narrative="ร่วมจัดกิจกรรม",
        refers_to=date(2024, 2, 1),
    )

    assert note.kind == ProgressUpdate.Kind.NOTE
    assert note.status == "" and note.percent is None
    assert note.organisation == supporter
    assert (current(res).status, current(res).percent) == ("on_track", 30)


def test_a_correction_is_appended_with_its_reason_and_becomes_current(adopted):
    res = adopted.resolutions[0]
    original = post(res, adopted.owner_staff(res), 80)

    services.progress_correct(
        resolution=res,
        actor=adopted.world.secretariat,
        status="delayed",
        percent=40,
        narrative="ตรวจสอบแล้วพบว่ายังไม่ครบ",
        refers_to=date(2024, 1, 20),
        reason="ตัวเลขเดิมนับซ้ำ",
    )

    entries = selectors.timeline(res)
    assert [e.kind for e in entries] == ["update", "correction"]
    assert entries[0].percent == 80  # the corrected entry is kept
    assert entries[1].reason == "ตัวเลขเดิมนับซ้ำ"
    assert (current(res).status, current(res).percent) == ("delayed", 40)
    original.refresh_from_db()
    assert original.percent == 80


def test_a_correction_without_a_reason_is_refused(adopted):
    res = adopted.resolutions[0]
    with pytest.raises(ValidationError) as caught:
        services.progress_correct(
            resolution=res,
            actor=adopted.world.secretariat,
            status="done",
            percent=100,
            narrative="แก้ไข",
            refers_to=date(2024, 1, 20),
            reason="  ",
        )
    assert "reason" in caught.value.message_dict
    assert ProgressUpdate.objects.count() == 0


def test_the_timeline_is_append_only(adopted):
    res = adopted.resolutions[0]
    entry = post(res, adopted.owner_staff(res), 10)
    entry.percent = 90
    with pytest.raises(ValueError):
        entry.save()
    entry.refresh_from_db()
    assert entry.percent == 10


# --- The plan: owner, supporters, indicator, weights -----------------------------------


def test_the_secretariat_reassigns_the_owner_and_the_new_staff_reports(adopted):
    res = adopted.resolutions[0]
    old_staff = adopted.owner_staff(res)
    new_owner = adopted.world.partners[4].organisation
    helper = adopted.world.partners[5].organisation

    services.resolution_plan_set(
        resolution=res,
        actor=adopted.world.secretariat,
        owner=new_owner,
        supporters=[helper, new_owner],
        target_date=date(2025, 9, 30),
        indicator="จำนวนเด็กที่ได้รับการส่งต่อ",
        baseline="0",
        target="1,000 คน",
    )

    res.refresh_from_db()
    assert res.owner == new_owner
    assert list(res.supporters.all()) == [helper]  # the owner is not its own supporter
    assert res.indicator == "จำนวนเด็กที่ได้รับการส่งต่อ"
    post(res, adopted.world.staff[new_owner.pk], 5)
    with pytest.raises(PermissionDenied):
        post(res, old_staff, 6)


def test_a_baseline_without_an_indicator_is_refused(adopted):
    res = adopted.resolutions[0]
    with pytest.raises(ValidationError):
        services.resolution_plan_set(
            resolution=res,
            actor=adopted.world.secretariat,
            owner=res.owner,
            baseline="10",
        )


def test_only_the_secretariat_changes_the_plan(adopted):
    res = adopted.resolutions[0]
    with pytest.raises(PermissionDenied):
        services.resolution_plan_set(
            resolution=res,
            actor=adopted.owner_staff(res),
            owner=adopted.world.partners[4].organisation,
        )
    res.refresh_from_db()
    assert res.owner == adopted.items[0].lead_agency


def test_weights_change_the_item_roll_up(adopted):
    item = adopted.items[0]
    r1, r2, r3 = item.resolutions.order_by("position")
    post(r1, adopted.owner_staff(r1), 100)
    board = selectors.board(adopted.assembly, today=date(2024, 2, 1))
    assert board.items[0].progress == 33  # (100 + 0 + 0) / 3

    services.item_weights_set(
        item=item,
        actor=adopted.world.secretariat,
        weights={r1.pk: Decimal(2), r2.pk: Decimal(1), r3.pk: Decimal(1)},
    )

    board = selectors.board(adopted.assembly, today=date(2024, 2, 1))
    assert board.items[0].progress == 50  # 2 * 100 / 4
    assert board.items[1].progress == 0
    assert board.progress == 25  # average of the items


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "", "NaN", "Infinity"])
def test_weights_must_be_positive(adopted, bad):
    item = adopted.items[0]
    r1, r2, r3 = item.resolutions.order_by("position")
    with pytest.raises(ValidationError):
        services.item_weights_set(
            item=item,
            actor=adopted.world.secretariat,
            weights={r1.pk: bad, r2.pk: "1", r3.pk: "1"},
        )
    assert set(item.resolutions.values_list("weight", flat=True)) == {Decimal(1)}


def test_only_the_secretariat_sets_weights(adopted):
    item = adopted.items[0]
    with pytest.raises(PermissionDenied):
        services.item_weights_set(
            item=item,
            actor=adopted.owner_staff(adopted.resolutions[0]),
            weights={r.pk: "2" for r in item.resolutions.all()},
        )
