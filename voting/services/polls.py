"""Creating, opening and closing polls."""

from __future__ import annotations

import logging
from datetime import timedelta
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import AgendaItem, Amendment, DraftVersion
from assembly.models import AuditEvent, Room
from assembly.services import audit
from voting import effects, live, scrub, selectors, tally
from voting.models import Ballot, BallotEvent, Poll, SecretChoice

log = logging.getLogger("samatcha.voting")

MAJORITY_THRESHOLDS = (tally.SIMPLE_MAJORITY, tally.TWO_THIRDS)
COUNTDOWN_MIN = 10
COUNTDOWN_MAX = 60 * 60


def _require_runs_room(actor, room: Room) -> None:
    if actor is None or not actor.has_perm("voting.run_poll", room):
        raise PermissionDenied(
            _("Only the room's facilitator or the secretariat runs votes.")
        )


def _require_runs_poll(actor, poll: Poll) -> None:
    """Those who run the room run its polls; a round on all items, only the
    secretariat."""
    if poll.all_items:
        from voting.services.all_items import require_runs_all_items

        require_runs_all_items(actor, poll.room)
    else:
        _require_runs_room(actor, poll.room)


def _item_for(room: Room, item: AgendaItem | None) -> AgendaItem:
    if not room.is_plenary:
        room_item = AgendaItem.objects.filter(room=room).first()
        if room_item is None:
            raise ValidationError(_("This room has no agenda item to vote on."))
        if item is not None and item.pk != room_item.pk:
            raise ValidationError(_("This room only votes on its own agenda item."))
        return room_item
    if item is None or item.assembly_id != room.assembly_id:
        raise ValidationError(_("Choose the agenda item the plenary votes on."))
    return item


def _latest_version(item: AgendaItem) -> DraftVersion | None:
    return item.versions.order_by("-number").first()


def _check_share(share: Fraction, allowed_min: Fraction, message: str) -> None:
    if not isinstance(share, Fraction) or not allowed_min <= share <= 1:
        raise ValidationError(message)


def _subject(
    room, kind, item, amendment
) -> tuple[AgendaItem, Amendment | None, DraftVersion | None]:
    """The item, amendment and draft version a new poll is about; refuses a poll
    that cannot take effect."""
    if kind == Poll.Kind.AMENDMENT:
        if amendment is None:
            raise ValidationError(_("Choose the amendment to vote on."))
        item = _item_for(room, amendment.item)
        if amendment.item_id != item.pk:
            raise ValidationError(_("This amendment belongs to another agenda item."))
        if not amendment.is_pending:
            raise ValidationError(_("This amendment has already been decided."))
        if amendment.needs_update:
            # The clause changed since it was written: a vote would silently
            # overwrite the newer text (issue 13). Revised first, or decided
            # knowingly on the console.
            raise ValidationError(
                _(
                    "The clause changed after this amendment was written: the "
                    "proposing organisation revises it first, or the facilitator "
                    "decides it on the console."
                )
            )
        if item.status != AgendaItem.Status.DRAFTING:
            raise ValidationError(_("This agenda item is no longer in deliberation."))
        return item, amendment, None
    item = _item_for(room, item)
    if room.is_plenary:
        if item.status != AgendaItem.Status.AGREED or item.agreed_version_id is None:
            raise ValidationError(
                _("The plenary votes on an item once its room has agreed the draft.")
            )
        return item, None, item.agreed_version
    if item.status != AgendaItem.Status.DRAFTING:
        raise ValidationError(_("This agenda item is no longer in deliberation."))
    version = _latest_version(item)
    if version is None:
        raise ValidationError(_("This agenda item has no draft to decide on yet."))
    return item, None, version


def option_fields(
    *, secret: bool, results_live: bool, threshold: Fraction,
    quorum_share: Fraction, countdown_seconds: int | None,
) -> dict:
    """A poll's checked options (``check_options``) as its model fields."""
    return {
        "secret": bool(secret),
        "results_live": bool(results_live),
        "threshold_num": threshold.numerator,
        "threshold_den": threshold.denominator,
        "quorum_num": quorum_share.numerator,
        "quorum_den": quorum_share.denominator,
        "countdown_seconds": countdown_seconds,
    }


def check_options(
    *, kind: str, threshold: Fraction, secret: bool, results_live: bool | None,
    quorum_share: Fraction, countdown_seconds: int | None,
) -> bool:
    """Refuse options a poll of ``kind`` cannot have; return ``results_live``
    (default: live unless secret)."""
    if results_live is None:
        results_live = not secret
    if secret and results_live:
        raise ValidationError(
            _(
                "A secret ballot shows only how many organisations voted until "
                "it closes: live results would tell the room who chose what."
            ),
            code="secret_live_results",
        )
    if kind == Poll.Kind.AMENDMENT:
        if threshold not in MAJORITY_THRESHOLDS:
            raise ValidationError(
                _("An amendment is adopted by a simple majority or by two-thirds.")
            )
    elif kind == Poll.Kind.CONSENSUS:
        _check_share(
            threshold,
            Fraction(1, 2),
            _("The consensus threshold is a share between one half and all."),
        )
    else:
        _check_share(
            threshold,
            tally.TWO_THIRDS,
            _("A fallback vote needs two-thirds of the partners present or more."),
        )
    _check_share(
        quorum_share,
        Fraction(1, 100),
        _("The quorum is a share of the entitled partners, up to all of them."),
    )
    if countdown_seconds is not None and not (
        COUNTDOWN_MIN <= countdown_seconds <= COUNTDOWN_MAX
    ):
        raise ValidationError(
            _("A countdown lasts between %(min)s seconds and %(max)s minutes.")
            % {"min": COUNTDOWN_MIN, "max": COUNTDOWN_MAX // 60}
        )
    return results_live


@transaction.atomic
def poll_create(
    *,
    room: Room,
    kind: str,
    actor,
    item: AgendaItem | None = None,
    amendment: Amendment | None = None,
    secret: bool = False,
    results_live: bool | None = None,
    threshold: Fraction | None = None,
    quorum_share: Fraction = tally.DEFAULT_QUORUM_SHARE,
    countdown_seconds: int | None = None,
) -> Poll:
    """Prepare a poll (status draft) in ``room``; the facilitator opens it later.

    ``kind`` amendment needs ``amendment`` (pending, on the room's item); consensus
    and fallback decide the room's item (in the plenary: ``item``, agreed by its
    room). ``threshold``: amendment 1/2 (default) or 2/3; consensus default 4/5
    (more than 1/2); fallback 2/3 or more. A fallback needs a failed consensus
    round on the item in this room. Consensus rounds and fallbacks are numbered per
    item and room; amendment votes per amendment. Needs ``voting.run_poll``.
    """
    _require_runs_room(actor, room)
    if kind not in Poll.Kind.values:
        raise ValidationError(_("Choose the kind of vote."))
    item, amendment, version = _subject(room, kind, item, amendment)
    if kind == Poll.Kind.AMENDMENT:
        threshold = threshold if threshold is not None else tally.SIMPLE_MAJORITY
        round_number = Poll.objects.filter(amendment=amendment).count() + 1
    elif kind == Poll.Kind.CONSENSUS:
        threshold = threshold if threshold is not None else tally.CONSENSUS_THRESHOLD
    else:
        threshold = threshold if threshold is not None else tally.TWO_THIRDS
    results_live = check_options(
        kind=kind, threshold=threshold, secret=secret, results_live=results_live,
        quorum_share=quorum_share, countdown_seconds=countdown_seconds,
    )
    if kind == Poll.Kind.FALLBACK and not selectors.fallback_allowed(room, item):
        raise ValidationError(
            _("A fallback vote comes only after a consensus round has failed.")
        )
    if kind != Poll.Kind.AMENDMENT:
        # Rounds on this item alone (a round on all items is numbered apart).
        round_number = (
            Poll.objects.filter(room=room, item=item, kind=kind, all_items=False)
            .count() + 1
        )
    poll = Poll.objects.create(
        room=room,
        kind=kind,
        item=item,
        amendment=amendment,
        version=version,
        round_number=round_number,
        **option_fields(secret=secret, results_live=results_live,
                        threshold=threshold, quorum_share=quorum_share,
                        countdown_seconds=countdown_seconds),
    )
    live.push_controls(room)
    return poll


def _lock(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("room", "item").get(
        pk=poll.pk
    )


@transaction.atomic
def poll_open(*, poll: Poll, actor) -> Poll:
    """Open a draft poll for ballots. Refuses below quorum (partners checked in
    and connected to the room), and while another poll of the room is open (also
    a database constraint). Starts the countdown when the poll has one. Needs
    ``voting.run_poll``; locks the poll row."""
    poll = _lock(poll)
    room = poll.room
    _require_runs_poll(actor, poll)
    if poll.status != Poll.Status.DRAFT:
        raise ValidationError(_("This vote has already been opened."))
    # The subject may have moved on since the poll was prepared (an amendment
    # withdrawn, the draft agreed): a vote that could not take effect stays shut.
    if poll.all_items:
        from voting.services.all_items import check_still_undecided

        check_still_undecided(poll)
    else:
        _subject(room, poll.kind, poll.item, poll.amendment)
    if Poll.objects.filter(room=room, status=Poll.Status.OPEN).exists():
        raise ValidationError(
            _("Another vote is open in this room. Close it before opening this one.")
        )
    quorum = selectors.quorum_state(room, selectors.quorum_share_of(poll))
    if not quorum["met"]:
        raise ValidationError(
            _(
                "Quorum not met: %(present)s of %(entitled)s partners present; "
                "%(required)s needed."
            )
            % quorum
        )
    now = timezone.now()
    poll.status = Poll.Status.OPEN
    poll.opened_at = now
    poll.opened_by = actor
    if poll.countdown_seconds:
        poll.closes_at = now + timedelta(seconds=poll.countdown_seconds)
    try:
        with transaction.atomic():
            poll.save(update_fields=["status", "opened_at", "opened_by", "closes_at"])
    except IntegrityError:
        # Two facilitators' screens opened two polls at once: the constraint won.
        raise ValidationError(
            _("Another vote is open in this room. Close it before opening this one.")
        ) from None
    audit(
        AuditEvent.Kind.POLL_OPENED, actor=actor, assembly=room.assembly, poll=poll.pk
    )
    live.push_poll_state(room)
    if poll.closes_at is not None:
        from voting import countdown

        closes_at = poll.closes_at
        transaction.on_commit(lambda: countdown.schedule(closes_at))
    return poll


def _close_locked(poll: Poll, actor) -> Poll:
    """Close a locked, open poll: record the figures and the outcome, apply the
    decision. A secret poll's choices are counted, its who-voted rows and log
    written in partner order without them, and its choices deleted (the table
    is cleaned physically after commit: ``voting.scrub``). Runs in the caller's
    transaction."""
    ballots = selectors.ballots_for_count(poll)
    figures = selectors.figures_from(poll, [(b.partner_id, b.choice) for b in ballots])
    outcome = selectors.outcome_of(poll, figures)
    adopted = outcome.reached if poll.kind == Poll.Kind.CONSENSUS else outcome.adopted
    poll.status = Poll.Status.CLOSED
    poll.closed_at = timezone.now()
    poll.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    poll.entitled_count = figures["entitled"]
    poll.present_count = figures["present"]
    poll.voting_count = figures["voting"]
    poll.counts = figures["counts"]
    poll.outcome = outcome.as_dict()
    poll.adopted = adopted
    poll.save()
    if poll.secret:
        _settle_secret(poll, ballots)
    effects.apply(poll=poll)
    audit(
        AuditEvent.Kind.POLL_CLOSED,
        actor=poll.closed_by,
        assembly=poll.room.assembly,
        poll=poll.pk,
        adopted=adopted,
        by_countdown=actor is None,
    )
    live.push_poll_state(poll.room)
    return poll


def _settle_secret(poll: Poll, choices: list[SecretChoice]) -> None:
    """Who voted stays, in partner order and without a time; what each
    organisation chose is gone: its rows deleted now, their bytes after commit."""
    choices = sorted(choices, key=lambda c: c.partner_id)
    Ballot.objects.bulk_create(
        Ballot(poll=poll, partner_id=c.partner_id, cast_by_id=c.cast_by_id,
               recorded_by_id=c.recorded_by_id, proxy_id=c.proxy_id)
        for c in choices
    )
    BallotEvent.objects.bulk_create(
        BallotEvent(poll=poll, partner_id=c.partner_id, delegate_id=c.cast_by_id,
                    recorded_by_id=c.recorded_by_id, proxy_id=c.proxy_id,
                    action=BallotEvent.Action.CAST)
        for c in choices
    )
    SecretChoice.objects.filter(poll=poll).delete()
    scrub.after_commit()


@transaction.atomic
def poll_close(*, poll: Poll, actor=None) -> Poll:
    """Close an open poll and let its decision take effect, in one transaction.

    Records the entitled, present and voting counts and the outcome (by
    ``voting.tally``), deletes a secret poll's choices and reasons (keeping who
    voted; ``voting.scrub`` cleans the table's pages after commit), applies the
    effects (``voting.effects``) and pushes the result. ``actor`` None is the
    server (the countdown); otherwise ``voting.run_poll`` is needed. Locks the poll
    row, so no ballot slips in between the count and the close.
    """
    poll = _lock(poll)
    if actor is not None:
        _require_runs_poll(actor, poll)
    if poll.status == Poll.Status.CLOSED:
        raise ValidationError(_("This vote is already closed."))
    if poll.status != Poll.Status.OPEN:
        raise ValidationError(_("This vote has not been opened."))
    return _close_locked(poll, actor)


def poll_close_if_due(*, poll: Poll) -> bool:
    """Close ``poll`` on the server if its countdown has run out. True if this
    call closed it. Commits on its own (call it outside other transactions)."""
    if poll.closes_at is None or poll.closes_at > timezone.now():
        return False
    with transaction.atomic():
        locked = _lock(poll)
        if locked.status != Poll.Status.OPEN or locked.closes_at > timezone.now():
            return False
        _close_locked(locked, None)
        return True


def close_due_polls() -> int:
    """Close every open poll whose countdown has run out; return how many.

    A poll whose close fails (its decision can no longer take effect) stays open
    for the facilitator, and the failure is logged.
    """
    closed = 0
    due = Poll.objects.filter(status=Poll.Status.OPEN, closes_at__lte=timezone.now())
    for poll in due:
        try:
            closed += poll_close_if_due(poll=poll)
        except (ValidationError, PermissionDenied):
            log.exception("poll %s: countdown close refused", poll.pk)
    return closed
