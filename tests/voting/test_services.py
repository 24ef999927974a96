"""The voting services: who votes, what is counted, what is refused."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from assembly import presence
from assembly.models import AuditEvent, Delegate
from assembly.services import delegate_create
from tests import factories
from tests.voting.conftest import make_amendment, make_item, make_present
from voting import services
from voting.models import Ballot, BallotEvent, Poll

pytestmark = pytest.mark.django_db


def facilitator(world, room):
    return world.facilitators[room.pk]


def open_poll(world, room, *, kind=Poll.Kind.CONSENSUS, **options) -> Poll:
    actor = world.secretariat if room.is_plenary else facilitator(world, room)
    poll = services.poll_create(room=room, kind=kind, actor=actor, **options)
    return services.poll_open(poll=poll, actor=actor)


def snapshot(poll):
    """Everything a refused action must leave unchanged."""
    poll.refresh_from_db()
    return (
        poll.status,
        list(Ballot.objects.filter(poll=poll).values_list(
            "partner", "choice", "reason")),
        BallotEvent.objects.filter(poll=poll).count(),
    )


# --- Creating and opening -----------------------------------------------------------


def test_poll_opens_with_quorum_and_records_who_opened(world, room, item, present):
    poll = open_poll(world, room)
    assert poll.status == Poll.Status.OPEN
    assert poll.opened_by == facilitator(world, room)
    assert poll.item == item and poll.version == item.versions.get()
    assert (poll.threshold_num, poll.threshold_den) == (4, 5)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.POLL_OPENED).exists()


def test_poll_refuses_to_open_below_quorum_with_the_figures(world, room, item):
    make_present(room, world.partners_in(room)[:1])  # 1 of 3; 2 needed
    poll = services.poll_create(
        room=room, kind=Poll.Kind.CONSENSUS, actor=facilitator(world, room)
    )
    with pytest.raises(ValidationError) as refused:
        services.poll_open(poll=poll, actor=facilitator(world, room))
    assert refused.value.messages == [
        "Quorum not met: 1 of 3 partners present; 2 needed."
    ]
    poll.refresh_from_db()
    assert poll.status == Poll.Status.DRAFT


def test_quorum_counts_only_checked_in_voting_delegates(world, room, item):
    partners = world.partners_in(room)
    Delegate.objects.filter(partner=partners[1]).update(checked_in_at=None)
    make_present(room, partners[:2])  # partner 1 connected but not checked in
    poll = services.poll_create(
        room=room, kind=Poll.Kind.CONSENSUS, actor=facilitator(world, room)
    )
    with pytest.raises(ValidationError, match="1 of 3 partners present"):
        services.poll_open(poll=poll, actor=facilitator(world, room))


def test_quorum_in_the_plenary_counts_every_partner(world, present):
    item = make_item(world, world.plenary, status="agreed")
    presence.leave(world.plenary.pk, world.partners[0].pk)
    presence.leave(world.plenary.pk, world.partners[1].pk)
    presence.leave(world.plenary.pk, world.partners[2].pk)
    poll = services.poll_create(
        room=world.plenary, kind=Poll.Kind.CONSENSUS, item=item,
        actor=world.secretariat, quorum_share=Fraction(2, 3),
    )
    with pytest.raises(ValidationError, match="3 of 6 partners present; 4 needed"):
        services.poll_open(poll=poll, actor=world.secretariat)


def test_only_one_poll_open_per_room(world, room, item, present):
    open_poll(world, room)
    second = services.poll_create(
        room=room, kind=Poll.Kind.CONSENSUS, actor=facilitator(world, room)
    )
    with pytest.raises(ValidationError, match="Another vote is open in this room"):
        services.poll_open(poll=second, actor=facilitator(world, room))


def test_database_allows_one_open_poll_per_room(world, room, item, present):
    first = open_poll(world, room)
    with pytest.raises(IntegrityError), transaction.atomic():
        Poll.objects.create(
            room=room, kind=first.kind, item=item, status=Poll.Status.OPEN
        )


def test_only_the_rooms_facilitator_runs_votes(world, room, item, present):
    """...and the secretariat, as a backup facilitator (test_the_secretariat_
    runs_any_rooms_votes_as_a_backup)."""
    other = world.facilitators[world.rooms[1].pk]
    delegate_user = world.delegates[0].user
    for actor in (other, delegate_user):
        with pytest.raises(PermissionDenied):
            services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor)
    poll = services.poll_create(
        room=room, kind=Poll.Kind.CONSENSUS, actor=facilitator(world, room)
    )
    with pytest.raises(PermissionDenied):
        services.poll_open(poll=poll, actor=other)
    services.poll_open(poll=poll, actor=facilitator(world, room))
    with pytest.raises(PermissionDenied):
        services.poll_close(poll=poll, actor=delegate_user)


def test_the_secretariat_runs_any_rooms_votes_as_a_backup(world, room, item, present):
    poll = services.poll_create(
        room=room, kind=Poll.Kind.CONSENSUS, actor=world.secretariat
    )
    services.poll_open(poll=poll, actor=world.secretariat)
    services.poll_close(poll=poll, actor=world.secretariat)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED
    assert poll.closed_by == world.secretariat


def test_the_secretariat_runs_the_plenary(world, present):
    item = make_item(world, world.plenary, status="agreed")
    with pytest.raises(PermissionDenied):  # a breakout room's facilitator does not
        services.poll_create(
            room=world.plenary, kind=Poll.Kind.CONSENSUS, item=item,
            actor=world.facilitators[world.rooms[0].pk],
        )
    poll = open_poll(world, world.plenary, item=item)
    assert poll.version == item.agreed_version


def test_amendment_threshold_is_a_simple_majority_or_two_thirds(world, room, item):
    amendment = make_amendment(world, item)
    actor = facilitator(world, room)
    poll = services.poll_create(
        room=room, kind=Poll.Kind.AMENDMENT, amendment=amendment, actor=actor,
        threshold=Fraction(2, 3),
    )
    assert (poll.threshold_num, poll.threshold_den) == (2, 3)
    with pytest.raises(ValidationError, match="simple majority or by two-thirds"):
        services.poll_create(
            room=room, kind=Poll.Kind.AMENDMENT, amendment=amendment, actor=actor,
            threshold=Fraction(3, 5),
        )
    with pytest.raises(ValidationError, match="Choose the amendment"):
        services.poll_create(room=room, kind=Poll.Kind.AMENDMENT, actor=actor)


def test_fallback_only_after_a_failed_consensus_round(world, room, item, present,
                                                      no_effects):
    actor = facilitator(world, room)
    with pytest.raises(ValidationError, match="after a consensus round has failed"):
        services.poll_create(room=room, kind=Poll.Kind.FALLBACK, actor=actor)
    first = open_poll(world, room)
    assert first.round_number == 1
    services.ballot_cast(poll=first, delegate=world.delegates[0], choice="block",
                         reason="ยังไม่ครอบคลุมเด็กพิการ")
    services.poll_close(poll=first, actor=actor)
    second = open_poll(world, room)
    assert second.round_number == 2
    services.poll_close(poll=second, actor=actor)
    fallback = services.poll_create(room=room, kind=Poll.Kind.FALLBACK, actor=actor)
    assert (fallback.threshold_num, fallback.threshold_den) == (2, 3)
    assert fallback.round_number == 1


def test_countdown_is_between_ten_seconds_and_an_hour(world, room, item):
    actor = facilitator(world, room)
    for seconds in (0, 5, 3601):
        with pytest.raises(ValidationError, match="countdown lasts"):
            services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor,
                                 countdown_seconds=seconds)


# --- Casting --------------------------------------------------------------------------


def test_one_ballot_per_organisation_the_last_choice_counts(world, room, item, present):
    poll = open_poll(world, room)
    partner = world.partners[0]
    voting, alternate = world.delegates[0], world.alternates[0]
    services.ballot_cast(poll=poll, delegate=voting, choice="full")
    ballot = services.ballot_cast(poll=poll, delegate=alternate, choice="live")
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert (ballot.partner, ballot.choice, ballot.cast_by) == (
        partner, "live", alternate
    )
    events = list(BallotEvent.objects.filter(poll=poll).values_list(
        "partner", "delegate", "action", "choice"))
    assert events == [
        (partner.pk, voting.pk, "cast", "full"),
        (partner.pk, alternate.pk, "change", "live"),
    ]


def test_the_same_ballot_twice_counts_once_and_logs_nothing_new(world, room, item,
                                                                present):
    poll = open_poll(world, room)
    delegate = world.delegates[0]
    services.ballot_cast(poll=poll, delegate=delegate, choice="support")
    before = snapshot(poll)
    services.ballot_cast(poll=poll, delegate=delegate, choice="support")
    services.ballot_cast(poll=poll, delegate=world.alternates[0], choice="support")
    assert snapshot(poll) == before


def test_a_secret_ballot_log_has_no_choice(world, room, item, present, no_effects):
    poll = open_poll(world, room, secret=True)
    services.ballot_cast(poll=poll, delegate=world.delegates[0], choice="full")
    services.ballot_cast(poll=poll, delegate=world.alternates[0], choice="support")
    # Nothing is logged while the poll is open: a log entry's place would date it.
    assert not BallotEvent.objects.filter(poll=poll).exists()
    services.poll_close(poll=poll, actor=facilitator(world, room))
    assert list(BallotEvent.objects.values_list("choice", flat=True)) == [""]


@pytest.mark.parametrize(
    "choice, reason, message",
    [
        ("maybe", "", "Choose one of the options of this vote."),
        ("yes", "", "Choose one of the options of this vote."),  # not on the gradient
        ("", "", "Choose one of the options of this vote."),
        ("concerns", "", "Give a short reason for serious concerns or a block."),
        ("block", "   ", "Give a short reason for serious concerns or a block."),
        ("block", "x" * 501, "Keep the reason to 500 characters or fewer."),
    ],
)
def test_bad_choices_are_refused_and_change_nothing(world, room, item, present,
                                                   choice, reason, message):
    poll = open_poll(world, room)
    services.ballot_cast(poll=poll, delegate=world.delegates[2], choice="full")
    before = snapshot(poll)
    with pytest.raises(ValidationError) as refused:
        services.ballot_cast(poll=poll, delegate=world.delegates[0], choice=choice,
                             reason=reason)
    assert refused.value.messages == [message]
    assert snapshot(poll) == before


def test_a_reason_of_500_characters_is_kept_and_html_stays_text(world, room, item,
                                                                present):
    poll = open_poll(world, room)
    reason = "<script>alert(1)</script>" + "ก" * 475
    ballot = services.ballot_cast(poll=poll, delegate=world.delegates[0],
                                  choice="concerns", reason=reason)
    assert ballot.reason == reason


def test_a_reason_is_dropped_for_a_supportive_choice(world, room, item, present):
    poll = open_poll(world, room)
    ballot = services.ballot_cast(poll=poll, delegate=world.delegates[0],
                                  choice="full", reason="ignored")
    assert ballot.reason == ""


def test_refused_voters_change_nothing(world, room, item, present):
    poll = open_poll(world, room)
    partner = world.partners[0]
    observer = delegate_create(partner=partner, name_th="ผู้สังเกตการณ์",
                               kind=Delegate.Kind.OBSERVER)
    observer.checked_in_at = timezone.now()
    observer.save()
    not_checked_in = delegate_create(partner=partner, name_th="ผู้แทนยังไม่ลงทะเบียน",
                                     kind=Delegate.Kind.ALTERNATE)
    other_room = world.delegate_of(world.partners_in(world.rooms[1])[0])
    stranger = factories.world(partners=1, rooms=1).delegates[0]
    before = snapshot(poll)
    cases = [
        (observer, "Observers do not vote"),
        (not_checked_in, "Check in at the registration desk"),
        (other_room, "Your organisation does not vote in this room."),
        (stranger, "Your organisation does not vote in this room."),
    ]
    for delegate, message in cases:
        with pytest.raises(PermissionDenied, match=message):
            services.ballot_cast(poll=poll, delegate=delegate, choice="full")
    assert snapshot(poll) == before


def test_no_ballot_before_opening_or_after_closing(world, room, item, present,
                                                   no_effects):
    actor = facilitator(world, room)
    poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor)
    with pytest.raises(ValidationError, match="This vote is not open yet."):
        services.ballot_cast(poll=poll, delegate=world.delegates[0], choice="full")
    services.poll_open(poll=poll, actor=actor)
    services.poll_close(poll=poll, actor=actor)
    before = snapshot(poll)
    with pytest.raises(ValidationError) as refused:
        services.ballot_cast(poll=poll, delegate=world.delegates[0], choice="full")
    assert refused.value.messages == ["Voting closed before your ballot arrived."]
    assert snapshot(poll) == before


def test_database_allows_one_ballot_per_organisation(world, room, item, present):
    poll = open_poll(world, room)
    services.ballot_cast(poll=poll, delegate=world.delegates[0], choice="full")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=poll, partner=world.partners[0], choice="block")


def test_the_ballot_log_is_append_only(world, room, item, present):
    poll = open_poll(world, room)
    services.ballot_cast(poll=poll, delegate=world.delegates[0], choice="full")
    event = BallotEvent.objects.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


# --- Closing --------------------------------------------------------------------------


def test_close_records_the_figures_and_the_outcome(world, room, item, present,
                                                   no_effects):
    poll = open_poll(world, room)
    delegates = [world.delegate_of(p) for p in world.partners_in(room)]
    services.ballot_cast(poll=poll, delegate=delegates[0], choice="full")
    services.ballot_cast(poll=poll, delegate=delegates[1], choice="live")
    presence.leave(room.pk, delegates[2].partner_id)
    poll = services.poll_close(poll=poll, actor=facilitator(world, room))
    assert poll.status == Poll.Status.CLOSED and poll.closed_at
    assert (poll.entitled_count, poll.present_count, poll.voting_count) == (3, 2, 2)
    assert poll.counts == {
        "full": 1, "support": 0, "live": 1, "concerns": 0, "block": 0
    }
    assert poll.adopted is True and poll.outcome["reached"] is True
    assert no_effects == [poll]


def test_a_partner_that_voted_then_left_still_counts_as_present(world, room, item,
                                                                present, no_effects):
    poll = open_poll(world, room, kind=Poll.Kind.CONSENSUS)
    for partner in world.partners_in(room):
        services.ballot_cast(poll=poll, delegate=world.delegate_of(partner),
                             choice="support")
        presence.leave(room.pk, partner.pk)
    poll = services.poll_close(poll=poll, actor=facilitator(world, room))
    assert (poll.present_count, poll.voting_count) == (3, 3)
    assert poll.adopted is True


def test_a_block_stops_consensus(world, room, item, present, no_effects):
    poll = open_poll(world, room)
    partners = world.partners_in(room)
    services.ballot_cast(poll=poll, delegate=world.delegate_of(partners[0]),
                         choice="full")
    services.ballot_cast(poll=poll, delegate=world.delegate_of(partners[1]),
                         choice="block", reason="ขัดกับแผนจังหวัด")
    poll = services.poll_close(poll=poll, actor=facilitator(world, room))
    assert poll.adopted is False
    assert poll.outcome["reasons_failed"] == ["blocked", "below_threshold"]


def test_amendment_two_thirds_threshold(world, room, item, present, no_effects):
    amendment = make_amendment(world, item)
    poll = open_poll(world, room, kind=Poll.Kind.AMENDMENT, amendment=amendment,
                     threshold=Fraction(2, 3))
    partners = world.partners_in(room)
    for partner, choice in zip(partners, ["yes", "yes", "no"]):
        services.ballot_cast(poll=poll, delegate=world.delegate_of(partner),
                             choice=choice)
    poll = services.poll_close(poll=poll, actor=facilitator(world, room))
    assert poll.adopted is True and poll.outcome["share_yes"] == "2/3"


def test_fallback_counts_two_thirds_of_partners_present(world, room, item, present,
                                                        no_effects):
    actor = facilitator(world, room)
    failed = open_poll(world, room)
    services.poll_close(poll=failed, actor=actor)
    poll = open_poll(world, room, kind=Poll.Kind.FALLBACK)
    partners = world.partners_in(room)
    services.ballot_cast(poll=poll, delegate=world.delegate_of(partners[0]),
                         choice="yes")
    services.ballot_cast(poll=poll, delegate=world.delegate_of(partners[1]),
                         choice="abstain")
    poll = services.poll_close(poll=poll, actor=actor)
    assert poll.present_count == 3
    assert poll.outcome["required_yes"] == 2
    assert poll.adopted is False


def test_closing_a_secret_poll_erases_choices_but_keeps_who_voted(world, room, item,
                                                                  present, no_effects):
    poll = open_poll(world, room, secret=True)
    partners = world.partners_in(room)
    services.ballot_cast(poll=poll, delegate=world.delegate_of(partners[0]),
                         choice="concerns", reason="งบประมาณไม่พอ")
    services.ballot_cast(poll=poll, delegate=world.delegate_of(partners[1]),
                         choice="full")
    poll = services.poll_close(poll=poll, actor=facilitator(world, room))
    assert poll.counts["concerns"] == 1 and poll.counts["full"] == 1
    rows = set(Ballot.objects.filter(poll=poll).values_list("partner", "choice",
                                                            "reason"))
    assert rows == {(partners[0].pk, "", ""), (partners[1].pk, "", "")}
    assert set(BallotEvent.objects.filter(poll=poll).values_list("choice",
                                                                 flat=True)) == {""}
    detail = AuditEvent.objects.filter(kind=AuditEvent.Kind.POLL_CLOSED).get().detail
    assert "concerns" not in str(detail) and "full" not in str(detail)


def test_a_poll_closes_once(world, room, item, present, no_effects):
    poll = open_poll(world, room)
    services.poll_close(poll=poll, actor=facilitator(world, room))
    with pytest.raises(ValidationError, match="already closed"):
        services.poll_close(poll=poll, actor=facilitator(world, room))
    assert no_effects == [poll] or len(no_effects) == 1


# --- Countdown ------------------------------------------------------------------------


def _expire(poll):
    Poll.objects.filter(pk=poll.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    poll.refresh_from_db()


def test_countdown_sets_the_closing_time(world, room, item, present):
    poll = open_poll(world, room, countdown_seconds=60)
    assert poll.closes_at == poll.opened_at + timedelta(seconds=60)


def test_a_ballot_after_the_countdown_closes_the_poll_and_is_refused(
    world, room, item, present, no_effects
):
    poll = open_poll(world, room, countdown_seconds=60)
    services.ballot_cast(poll=poll, delegate=world.delegates[0], choice="full")
    _expire(poll)
    with pytest.raises(ValidationError, match="Voting closed before your ballot"):
        services.ballot_cast(poll=poll, delegate=world.delegates[2], choice="full")
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED and poll.closed_by is None
    assert poll.voting_count == 1


def test_close_due_polls_command_closes_only_expired_polls(world, present, no_effects):
    make_present(world.rooms[1], world.partners_in(world.rooms[1]))
    expired = make_item(world, world.rooms[0])
    running = make_item(world, world.rooms[1])
    first = open_poll(world, world.rooms[0], countdown_seconds=30)
    second = open_poll(world, world.rooms[1], countdown_seconds=30)
    assert expired and running
    _expire(first)
    call_command("close_due_polls")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Poll.Status.CLOSED
    assert second.status == Poll.Status.OPEN


def test_a_prepared_vote_whose_subject_moved_on_does_not_open(world, room, item,
                                                              present):
    from agenda.models import Amendment

    amendment = make_amendment(world, item)
    actor = facilitator(world, room)
    poll = services.poll_create(room=room, kind=Poll.Kind.AMENDMENT,
                                amendment=amendment, actor=actor)
    Amendment.objects.filter(pk=amendment.pk).update(status=Amendment.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="already been decided"):
        services.poll_open(poll=poll, actor=actor)
    poll.refresh_from_db()
    assert poll.status == Poll.Status.DRAFT


def test_an_amendment_whose_clause_changed_is_not_put_to_a_vote(world, room, item,
                                                                present):
    from agenda.models import Amendment

    amendment = make_amendment(world, item)
    actor = facilitator(world, room)
    prepared = services.poll_create(room=room, kind=Poll.Kind.AMENDMENT,
                                    amendment=amendment, actor=actor)
    Amendment.objects.filter(pk=amendment.pk).update(needs_update=True)
    amendment.refresh_from_db()
    with pytest.raises(ValidationError, match="The clause changed"):
        services.poll_create(room=room, kind=Poll.Kind.AMENDMENT,
                             amendment=amendment, actor=actor)
    with pytest.raises(ValidationError, match="The clause changed"):
        services.poll_open(poll=prepared, actor=actor)
    prepared.refresh_from_db()
    assert prepared.status == Poll.Status.DRAFT
