"""Casting, changing and recording an organisation's ballot."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import AuditEvent, Delegate, Organisation, Partner
from assembly.services import audit
from voting import live, selectors
from voting.models import Poll
from voting.services import store
from voting.services.polls import poll_close_if_due


@dataclass(frozen=True)
class CastBallot:
    """An organisation's ballot as it stands after a cast: what its phones show.

    ``action`` is what the ballot log recorded ("cast" or "change"), or None
    when the same choice and reason were already counted (nothing changed)."""

    poll_id: int
    room_id: int
    secret: bool
    partner_id: int
    organisation: Organisation
    choice: str
    reason: str
    cast_by: Delegate | None
    recorded_by: object | None  # the facilitator's User
    proxy_id: int | None
    action: str | None

    @property
    def partner(self) -> Partner:
        """The organisation's partner record (read on demand; tests use it)."""
        return Partner.objects.get(pk=self.partner_id)

    @property
    def changed(self) -> bool:
        return self.action is not None

    @property
    def label(self) -> str:
        return str(selectors.CHOICE_LABELS.get(self.choice, ""))


class _Due(Exception):
    """The poll's countdown ran out: close it first, then refuse."""


def _check_state(target: store.Target) -> None:
    if target.status == Poll.Status.CLOSED:
        raise ValidationError(
            _("Voting closed before your ballot arrived."), code="poll_closed"
        )
    if target.status != Poll.Status.OPEN:
        raise ValidationError(_("This vote is not open yet."), code="poll_not_open")


def _clean_choice(kind: str, choice: str, reason: str) -> tuple[str, str]:
    choice = (choice or "").strip()
    if choice not in selectors.choices_of_kind(kind):
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


def _gave_its_voice(target: store.Target) -> PermissionDenied:
    holder = (
        Partner.objects.select_related("organisation")
        .filter(pk=target.given_proxy_holder_id)
        .first()
    )
    return PermissionDenied(
        _(
            "%(organisation)s has given its voice to %(holder)s today: their "
            "delegate votes for it. The secretariat can end the proxy."
        )
        % {
            "organisation": target.organisation.label,
            "holder": holder.organisation.label if holder else "—",
        }
    )


def _check_delegate(target: store.Target, delegate: Delegate) -> None:
    """The delegate may cast this organisation's ballot in this poll's room:
    their own organisation's, or a partner's that gave it its voice today."""
    if target.delegate_kind is None:
        raise PermissionDenied(_("Only delegates of partner organisations vote."))
    if target.delegate_kind not in store.VOTING_KINDS:
        raise PermissionDenied(
            _(
                "Observers do not vote. Your organisation's voting delegate or "
                "alternate casts its ballot."
            )
        )
    if not target.delegate_checked_in:
        raise PermissionDenied(_("Check in at the registration desk before voting."))
    own = target.delegate_partner_id == target.partner_id
    if not own:
        holder = delegate.partner
        if target.given_proxy_holder_id != target.delegate_partner_id or not (
            selectors.is_entitled_ids(
                target.room_is_plenary, target.room_id, target.room_assembly_id,
                holder.assembly_id, holder.room_id,
            )
        ):
            raise PermissionDenied(
                _(
                    "You vote for your own organisation, and for a partner only "
                    "when it gave your organisation its voice today."
                )
            )
    if not target.entitled:
        raise PermissionDenied(_("Your organisation does not vote in this room."))
    if own and target.given_proxy_holder_id is not None:
        raise _gave_its_voice(target)


def _check_recorded(target: store.Target) -> None:
    if not target.entitled:
        raise PermissionDenied(_("This organisation does not vote in this room."))
    if target.given_proxy_holder_id is not None:
        raise _gave_its_voice(target)
    if not target.checked_in_at_desk:
        raise PermissionDenied(
            _(
                "Nobody of this organisation is checked in: record a ballot only "
                "for an organisation present in the room."
            )
        )


def _cast(*, poll_id: int, room_id: int, partner_id: int, choice: str, reason: str,
          delegate: Delegate | None = None, recorded_by=None,
          on_change=None) -> CastBallot:
    """Validate and store one ballot in one short transaction (see ``store``).

    The checks run in a fixed order, whatever the choice: who casts, the
    poll's state, then the choice. So a refusal for who or when never depends
    on what was chosen."""
    with transaction.atomic():
        target = store.read_locked(
            poll_id=poll_id, room_id=room_id, partner_id=partner_id,
            delegate_id=delegate.pk if delegate else None,
            day=timezone.localdate(),
        )
        if target is None:
            raise ValidationError(_("This vote is not open yet."), code="poll_not_open")
        if delegate is not None:
            _check_delegate(target, delegate)
        else:
            _check_recorded(target)
        if (
            target.status == Poll.Status.OPEN
            and target.closes_at is not None
            and target.closes_at <= timezone.now()
        ):
            raise _Due()
        _check_state(target)
        choice, reason = _clean_choice(target.kind, choice, reason)
        proxy_id = target.proxy_id if delegate and (
            delegate.partner_id != partner_id
        ) else None
        row = store.Row(
            poll_id=poll_id, partner_id=partner_id,
            cast_by_id=delegate.pk if delegate else None,
            recorded_by_id=recorded_by.pk if recorded_by else None,
            proxy_id=proxy_id, choice=choice, reason=reason,
        )
        action = store.write(target, row)
        cast = CastBallot(
            poll_id=poll_id, room_id=room_id, secret=target.secret,
            partner_id=partner_id, organisation=target.organisation, choice=choice,
            reason=reason, cast_by=delegate, recorded_by=recorded_by,
            proxy_id=proxy_id, action=action,
        )
        if action is not None:
            if on_change is not None:
                on_change(cast)
            live.push_ballot(room_id=room_id, partner_id=partner_id,
                             holder_id=target.given_proxy_holder_id, cast=cast)
        return cast


def _cast_closing_if_due(**kwargs) -> CastBallot:
    try:
        return _cast(**kwargs)
    except _Due:
        pass
    # The countdown ran out before this ballot: close on the server first (its
    # own transaction), then the ballot is refused like any late one.
    due = Poll.objects.filter(pk=kwargs["poll_id"]).first()
    if due is not None:
        poll_close_if_due(poll=due)
    return _cast(**kwargs)


def ballot_cast(*, poll: Poll, delegate: Delegate, choice: str, reason: str = "",
                for_partner: Partner | int | None = None) -> CastBallot:
    """Cast or change ONE organisation's ballot in ``poll``: the delegate's own
    (``delegate.partner``, from the sign-in, never an input), or with
    ``for_partner`` the partner that gave the delegate's organisation its voice
    today (``services.proxy_give``), in a room where both vote.

    Only ``poll.pk`` and ``poll.room_id`` are read from ``poll``. The delegate
    must be a checked-in voting delegate or alternate; an organisation that gave
    its voice away does not vote itself; the poll must be open; ``choice`` one
    of the poll's; concerns and blocks need a reason (at most 500 characters).
    The last choice counts. A named poll appends each cast or change to the
    ballot log with the choice; a secret poll keeps its choices apart until
    close (``voting.models.SecretChoice``). The same choice and reason again (a
    double tap, a resend) changes and logs nothing.

    Locks the poll row (shared with other ballots, exclusive of a close), so the
    ballot is counted before a close or refused with "Voting closed before your
    ballot arrived". A poll whose countdown has run out is closed first. On
    commit, pushes the organisation's new ballot status to its own sockets and a
    coalesced tally (turnout only, in a secret poll) to the room.
    """
    if for_partner is None:
        partner_id = delegate.partner_id
    else:
        partner_id = getattr(for_partner, "pk", for_partner)
    return _cast_closing_if_due(
        poll_id=poll.pk, room_id=poll.room_id, partner_id=int(partner_id),
        choice=choice, reason=reason, delegate=delegate,
    )


def ballot_record(*, poll: Poll, partner: Partner, actor, choice: str,
                  reason: str = "") -> CastBallot:
    """The facilitator records an organisation's ballot given on paper or by a
    show of hands (a delegate without a phone).

    Needs ``voting.run_poll`` on the room; the organisation must vote in the room,
    have a voting delegate or alternate checked in, and not have given its voice
    to a proxy. Otherwise as ``ballot_cast``: one ballot per organisation, the
    last counts, a phone's later ballot replaces it and the other way round. The
    ballot is marked as recorded by ``actor`` and audited: the organisation and
    who recorded; the choice only in a named poll.
    """
    room = poll.room
    if actor is None or not actor.has_perm("voting.run_poll", room):
        raise PermissionDenied(
            _("Only the room's facilitator or the secretariat records ballots.")
        )
    assembly = room.assembly

    def audit_recorded(cast: CastBallot) -> None:
        detail = {"poll": poll.pk, "partner": partner.pk}
        if not cast.secret:
            detail["choice"] = cast.choice
        audit(AuditEvent.Kind.BALLOT_RECORDED, actor=actor, assembly=assembly,
              **detail)

    return _cast_closing_if_due(
        poll_id=poll.pk, room_id=room.pk, partner_id=partner.pk, choice=choice,
        reason=reason, recorded_by=actor, on_change=audit_recorded,
    )

