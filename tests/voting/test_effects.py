"""A closed poll's decision takes effect, in the same transaction as the close."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from agenda.models import AgendaItem, Amendment
from resolutions.models import Resolution
from tests.voting.conftest import make_amendment, make_item
from voting import services
from voting.models import Poll

pytestmark = pytest.mark.django_db


def run_poll(world, room, choices, *, kind=Poll.Kind.CONSENSUS, **options) -> Poll:
    """Open a poll, cast ``choices`` (one per partner of the room, in order), close."""
    actor = world.secretariat if room.is_plenary else world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=kind, actor=actor, **options)
    services.poll_open(poll=poll, actor=actor)
    for partner, choice in zip(world.partners_in(room), choices):
        reason = "เหตุผล" if choice in ("concerns", "block") else ""
        services.ballot_cast(poll=poll, delegate=world.delegate_of(partner),
                             choice=choice, reason=reason)
    return services.poll_close(poll=poll, actor=actor)


def test_an_adopted_amendment_is_applied_to_the_draft(world, room, item, present):
    amendment = make_amendment(world, item)
    poll = run_poll(world, room, ["yes", "yes", "no"], kind=Poll.Kind.AMENDMENT,
                    amendment=amendment)
    assert poll.adopted is True
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.ADOPTED
    version = amendment.resulting_version
    assert version.number == 2
    assert version.clauses.get(key=1).text == "ข้อหนึ่ง (แก้)"


def test_a_rejected_amendment_leaves_the_draft(world, room, item, present):
    amendment = make_amendment(world, item)
    poll = run_poll(world, room, ["yes", "no", "no"], kind=Poll.Kind.AMENDMENT,
                    amendment=amendment)
    assert poll.adopted is False
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.REJECTED
    assert item.versions.count() == 1


def test_consensus_in_a_room_agrees_its_draft(world, room, item, present):
    poll = run_poll(world, room, ["full", "support", "live"])
    item.refresh_from_db()
    assert poll.adopted is True
    assert item.status == AgendaItem.Status.AGREED
    assert item.agreed_version == poll.version


def test_no_consensus_leaves_the_item_in_deliberation(world, room, item, present):
    poll = run_poll(world, room, ["full", "support", "block"])
    item.refresh_from_db()
    assert poll.adopted is False
    assert item.status == AgendaItem.Status.DRAFTING


def test_plenary_consensus_adopts_the_item_and_creates_its_resolutions(world,
                                                                       present):
    item = make_item(world, world.plenary, status=AgendaItem.Status.AGREED)
    poll = run_poll(world, world.plenary, ["full"] * 6, item=item)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.ADOPTED
    resolutions = list(Resolution.objects.filter(item=item).order_by("position"))
    assert [r.text for r in resolutions] == ["ข้อหนึ่ง", "ข้อสอง"]
    assert {r.method for r in resolutions} == {Resolution.Method.CONSENSUS}
    assert resolutions[0].poll == poll
    assert resolutions[0].figures["voting"] == 6


def test_a_plenary_fallback_decides_the_item_either_way(world, present):
    adopted_item = make_item(world, world.plenary, status=AgendaItem.Status.AGREED)
    rejected_item = make_item(world, world.plenary, status=AgendaItem.Status.AGREED)
    for item, yes in ((adopted_item, 4), (rejected_item, 3)):
        failed = run_poll(world, world.plenary, ["block"] * 6, item=item)
        assert failed.adopted is False
        poll = run_poll(world, world.plenary, ["yes"] * yes + ["no"] * (6 - yes),
                        kind=Poll.Kind.FALLBACK, item=item)
        assert poll.round_number == 1
        item.refresh_from_db()
    assert adopted_item.status == AgendaItem.Status.ADOPTED
    assert {r.method for r in adopted_item.resolutions.all()} == {
        Resolution.Method.FALLBACK
    }
    assert rejected_item.status == AgendaItem.Status.NOT_ADOPTED
    assert not rejected_item.resolutions.exists()


def test_a_close_whose_effect_is_refused_changes_nothing(world, room, item, present):
    amendment = make_amendment(world, item)
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.AMENDMENT,
                                amendment=amendment, actor=actor)
    services.poll_open(poll=poll, actor=actor)
    services.ballot_cast(poll=poll, delegate=world.delegates[0], choice="yes")
    Amendment.objects.filter(pk=amendment.pk).update(
        status=Amendment.Status.WITHDRAWN
    )
    with pytest.raises(ValidationError):
        services.poll_close(poll=poll, actor=actor)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN
    assert poll.counts == {} and poll.adopted is None
