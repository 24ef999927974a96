"""Casting and changing an organisation's ballot."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from assembly.models import Delegate
from voting import live, selectors
from voting.models import Ballot, BallotEvent, Poll
from voting.services.polls import poll_close_if_due

def _check_voter(poll: Poll, delegate: Delegate) -> None:
    reason = selectors.cannot_vote_reason(poll.room, delegate)
    if reason:
        raise PermissionDenied(reason)


def _check_state(poll: Poll) -> None:
    if poll.status == Poll.Status.CLOSED:
        raise ValidationError(
            _("Voting closed before your ballot arrived."), code="poll_closed"
        )
    if poll.status != Poll.Status.OPEN:
        raise ValidationError(_("This vote is not open yet."), code="poll_not_open")


def _clean_choice(poll: Poll, choice: str, reason: str) -> tuple[str, str]:
    choice = (choice or "").strip()
    if choice not in selectors.choices_of(poll):
        raise ValidationError(
            _("Choose one of the options of this vote."), code="unknown_choice"
        )
    if choice not in selectors.REASON_REQUIRED:
        return choice, ""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give a short reason for serious concerns or a block."),
            code="reason_missing",
        )
    if len(reason) > selectors.REASON_MAX:
        raise ValidationError(
            _("Keep the reason to %(max)s characters or fewer.")
            % {"max": selectors.REASON_MAX},
            code="reason_too_long",
        )
    return choice, reason


def _lock_for_ballot(poll_pk: int, partner_pk: int) -> Poll:
    """The poll, locked for a ballot; needs a transaction.

    On PostgreSQL the poll row is locked FOR SHARE: ballots of different
    organisations proceed side by side, while a close (FOR UPDATE) waits for the
    ballots in flight and ballots that arrive during a close wait for it, then
    see it closed. Two ballots of the same organisation take a transaction-scoped
    advisory lock on (poll, partner), so the second sees the first's row. Other
    databases lock the row for update (SQLite serialises writers anyway).
    """
    if connection.vendor != "postgresql":
        return Poll.objects.select_for_update().select_related("room").get(pk=poll_pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM voting_poll WHERE id = %s FOR SHARE", [poll_pk])
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [poll_pk % 2_147_483_647, partner_pk % 2_147_483_647],
        )
    return Poll.objects.select_related("room").get(pk=poll_pk)


def ballot_cast(
    *, poll: Poll, delegate: Delegate, choice: str, reason: str = ""
) -> Ballot:
    """Cast or change the ONE ballot of the delegate's organisation in ``poll``.

    The organisation is always ``delegate.partner`` (from the sign-in), never an
    input. The delegate must be a checked-in voting delegate or alternate of a
    partner entitled in the poll's room; the poll must be open; ``choice`` one of
    the poll's; concerns and blocks need a reason (at most 500 characters). The
    last choice counts; each cast or change is appended to the ballot log (without
    the choice in a secret poll). The same choice and reason again (a double tap,
    a resend) changes and logs nothing.

    Locks the poll row (shared with other ballots, exclusive of a close), so the
    ballot is either counted before a close or refused with "Voting closed before
    your ballot arrived"; ballots of one organisation are serialised. A poll whose countdown has
    run out is closed first. Pushes the coalesced tally on commit.
    """
    poll_close_if_due(poll=poll)
    with transaction.atomic():
        delegate = Delegate.objects.select_related("partner").get(pk=delegate.pk)
        poll = _lock_for_ballot(poll.pk, delegate.partner_id)
        _check_voter(poll, delegate)
        _check_state(poll)
        choice, reason = _clean_choice(poll, choice, reason)
        partner = delegate.partner
        ballot = Ballot.objects.filter(poll=poll, partner=partner).first()
        if ballot is not None and ballot.choice == choice and ballot.reason == reason:
            return ballot
        if ballot is None:
            action = BallotEvent.Action.CAST
            ballot = Ballot.objects.create(
                poll=poll, partner=partner, cast_by=delegate, choice=choice,
                reason=reason,
            )
        else:
            action = BallotEvent.Action.CHANGE
            ballot.choice, ballot.reason, ballot.cast_by = choice, reason, delegate
            ballot.save(update_fields=["choice", "reason", "cast_by", "updated_at"])
        BallotEvent.objects.create(
            poll=poll,
            partner=partner,
            delegate=delegate,
            action=action,
            choice="" if poll.secret else choice,
        )
        live.push_tally(poll.room)
        return ballot
