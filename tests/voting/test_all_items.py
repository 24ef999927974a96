"""The plenary adopts every agreed item in one consensus round; blocked, none is
adopted and the plenary goes item by item (consensus, then the fallback)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agenda.models import AgendaItem
from resolutions.models import Resolution
from tests.voting.conftest import make_item
from voting import selectors, services
from voting.models import Poll
from voting.services.all_items import poll_create_all_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(world):
    """Three items agreed by their rooms, waiting for the plenary."""
    return [make_item(world, world.plenary, status=AgendaItem.Status.AGREED)
            for _ in range(3)]


def vote_all(world, poll, choices):
    for partner, choice in zip(world.partners, choices):
        reason = "ข้อ 2 ของวาระที่ 2 ยังไม่มีงบประมาณ" if choice == "block" else ""
        services.ballot_cast(poll=poll, delegate=world.delegate_of(partner),
                             choice=choice, reason=reason)


def run_all(world, choices, **options) -> Poll:
    poll = poll_create_all_items(room=world.plenary, actor=world.secretariat,
                                 **options)
    services.poll_open(poll=poll, actor=world.secretariat)
    vote_all(world, poll, choices)
    return services.poll_close(poll=poll, actor=world.secretariat)


def statuses(items):
    return [AgendaItem.objects.get(pk=i.pk).status for i in items]


def test_no_block_adopts_every_item_by_consensus_with_its_resolutions(
        world, agreed, present):
    poll = run_all(world, ["full", "support", "live", "full", "full", "support"])
    assert poll.adopted is True and poll.all_items
    assert statuses(agreed) == [AgendaItem.Status.ADOPTED] * 3
    for item in agreed:
        resolutions = list(Resolution.objects.filter(item=item).order_by("position"))
        # each item's own agreed text, clause by clause
        assert [r.text for r in resolutions] == ["ข้อหนึ่ง", "ข้อสอง"]
        assert {r.method for r in resolutions} == {Resolution.Method.CONSENSUS}
        assert resolutions[0].poll == poll
        assert resolutions[0].figures["voting"] == 6


def test_one_block_adopts_no_item_and_opens_the_way_item_by_item(
        world, agreed, present):
    poll = run_all(world, ["full", "full", "full", "full", "full", "block"])
    assert poll.adopted is False
    assert poll.outcome["reasons_failed"] == ["blocked"]
    assert statuses(agreed) == [AgendaItem.Status.AGREED] * 3
    assert not Resolution.objects.filter(item__in=agreed).exists()
    # the block reason, naming the item, reaches the secretariat's record
    assert "วาระที่ 2" in Poll.objects.get(pk=poll.pk).ballots.get(
        choice="block").reason
    # per item: a consensus round first (the failed round on all items does not
    # stand in for it), then the fallback where the item is blocked again
    plenary, secretariat = world.plenary, world.secretariat
    assert not selectors.fallback_allowed(plenary, agreed[0])
    with pytest.raises(ValidationError):
        services.poll_create(room=plenary, kind="fallback", actor=secretariat,
                             item=agreed[0])
    first = services.poll_create(room=plenary, kind="consensus", actor=secretariat,
                                 item=agreed[0])
    assert first.round_number == 1  # the item's own first round
    services.poll_open(poll=first, actor=secretariat)
    vote_all(world, first, ["full"] * 5 + ["block"])
    services.poll_close(poll=first, actor=secretariat)
    fallback = services.poll_create(room=plenary, kind="fallback", actor=secretariat,
                                    item=agreed[0])
    services.poll_open(poll=fallback, actor=secretariat)
    vote_all(world, fallback, ["yes"] * 5 + ["no"])
    services.poll_close(poll=fallback, actor=secretariat)
    assert statuses(agreed)[0] == AgendaItem.Status.ADOPTED
    assert {r.method for r in Resolution.objects.filter(item=agreed[0])} == {
        Resolution.Method.FALLBACK}
    # a second round on all items covers only the items still waiting
    again = poll_create_all_items(room=plenary, actor=secretariat)
    assert [i.pk for i in again.items.order_by("number")] == [
        agreed[1].pk, agreed[2].pk]
    assert again.round_number == 2


def test_an_item_already_decided_is_not_in_the_round(world, agreed, present):
    decided = agreed[1]
    decided.status = AgendaItem.Status.ADOPTED
    decided.save(update_fields=["status"])
    drafting = make_item(world, world.rooms[0])  # still in its room
    poll = poll_create_all_items(room=world.plenary, actor=world.secretariat)
    assert set(poll.items.all()) == {agreed[0], agreed[2]}
    assert drafting not in poll.items.all()
    assert "1, 3" in selectors.subject_of(poll)


def test_a_round_prepared_before_an_item_was_decided_does_not_open(
        world, agreed, present):
    poll = poll_create_all_items(room=world.plenary, actor=world.secretariat)
    AgendaItem.objects.filter(pk=agreed[2].pk).update(
        status=AgendaItem.Status.NOT_ADOPTED)
    with pytest.raises(ValidationError, match="Agenda item 3 was decided"):
        services.poll_open(poll=poll, actor=world.secretariat)
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.DRAFT


def test_only_the_secretariat_runs_the_round_on_all_items(world, agreed, present):
    plenary = world.plenary
    plenary.facilitators.add(world.facilitators[world.rooms[0].pk])
    facilitator = world.facilitators[world.rooms[0].pk]
    delegate = world.delegate_of(world.partners[0]).user
    for person in (facilitator, delegate, None):
        with pytest.raises(PermissionDenied):
            poll_create_all_items(room=plenary, actor=person)
    assert not Poll.objects.exists()
    poll = poll_create_all_items(room=plenary, actor=world.secretariat)
    # a plenary facilitator runs item rounds, not this one
    with pytest.raises(PermissionDenied):
        services.poll_open(poll=poll, actor=facilitator)
    services.poll_open(poll=poll, actor=world.secretariat)
    with pytest.raises(PermissionDenied):
        services.poll_close(poll=poll, actor=facilitator)
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.OPEN


@pytest.mark.parametrize("options, message", [
    ({"threshold": Fraction(1, 3)}, "between one half and all"),
    ({"secret": True, "results_live": True}, "secret ballot"),
    ({"quorum_share": Fraction(0)}, "quorum"),
    ({"countdown_seconds": 5}, "countdown"),
])
def test_bad_options_are_refused_and_nothing_is_prepared(world, agreed, options,
                                                          message):
    with pytest.raises(ValidationError, match=f"(?i){message}"):
        poll_create_all_items(room=world.plenary, actor=world.secretariat,
                              **options)
    assert not Poll.objects.exists()


def test_nothing_to_decide_a_breakout_room_and_a_second_round_are_refused(
        world, present):
    with pytest.raises(ValidationError, match="No item waits"):
        poll_create_all_items(room=world.plenary, actor=world.secretariat)
    make_item(world, world.plenary, status=AgendaItem.Status.AGREED)
    with pytest.raises(ValidationError, match="Only the plenary"):
        poll_create_all_items(room=world.rooms[0], actor=world.secretariat)
    poll_create_all_items(room=world.plenary, actor=world.secretariat)
    with pytest.raises(ValidationError, match="already prepared"):
        poll_create_all_items(room=world.plenary, actor=world.secretariat)
    assert Poll.objects.count() == 1


def test_the_ballot_and_the_screens_show_every_item_with_its_text(
        world, agreed, present):
    from assembly.undervote import text_under_vote

    poll = poll_create_all_items(room=world.plenary, actor=world.secretariat)
    services.poll_open(poll=poll, actor=world.secretariat)
    delegate = world.delegate_of(world.partners[0])
    context = selectors.ballot_context(world.plenary, delegate)
    shown = context["subject_items"]
    assert [s["item"].pk for s in shown] == [i.pk for i in agreed]
    assert [c.text for c in shown[0]["clauses"]] == ["ข้อหนึ่ง", "ข้อสอง"]
    under = text_under_vote(poll)
    assert under.kind == "document"
    assert [p.item.pk for p in under.parts] == [i.pk for i in agreed]


def test_the_minutes_name_the_round_and_its_items(world, agreed, present):
    from records import minutes

    run_all(world, ["full"] * 6)
    [record] = minutes.polls(world.assembly)
    assert record.subject == "All agenda items (1, 2, 3), consensus round 1"
