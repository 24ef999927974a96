"""Reads of the voting app: who is entitled and present, the current poll of a
room, and the context builders that a page and a push both use.

Nothing here writes. Every count is a count of partner organisations.
"""

from __future__ import annotations

from fractions import Fraction

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assembly import presence
from assembly.models import Delegate, Partner, Room
from voting import tally
from voting.models import Ballot, Poll

CHOICE_LABELS = {
    tally.Choice.YES.value: pgettext_lazy("vote", "Yes"),
    tally.Choice.NO.value: pgettext_lazy("vote", "No"),
    tally.Choice.ABSTAIN.value: pgettext_lazy("vote", "Abstain"),
    tally.Gradient.FULL.value: _("Full support"),
    tally.Gradient.SUPPORT.value: _("Support"),
    tally.Gradient.LIVE.value: _("Can live with it"),
    tally.Gradient.CONCERNS.value: _("Serious concerns"),
    tally.Gradient.BLOCK.value: _("Block"),
}
REASON_REQUIRED = frozenset({tally.Gradient.CONCERNS.value, tally.Gradient.BLOCK.value})
REASON_MAX = 500

FAILURE_LABELS = {
    tally.NO_QUORUM: _("no quorum"),
    tally.NO_VOTES: _("nobody voted"),
    tally.BLOCKED: _("blocked"),
    tally.BELOW_THRESHOLD: _("support below the threshold"),
}


def choices_of(poll: Poll) -> tuple[str, ...]:
    """The choices a ballot in ``poll`` may carry, in display order."""
    if poll.kind == Poll.Kind.CONSENSUS:
        return tally.CONSENSUS_CHOICES
    return tally.MAJORITY_CHOICES


def threshold_of(poll: Poll) -> Fraction:
    return Fraction(poll.threshold_num, poll.threshold_den)


def quorum_share_of(poll: Poll) -> Fraction:
    return Fraction(poll.quorum_num, poll.quorum_den)


def entitled_partners(room: Room) -> QuerySet[Partner]:
    """Partners entitled to vote in ``room``: its seated partners; in the plenary,
    every partner of the assembly."""
    if room.is_plenary:
        return Partner.objects.filter(assembly_id=room.assembly_id)
    return Partner.objects.filter(room_id=room.pk)


def is_entitled(room: Room, partner: Partner) -> bool:
    if partner.assembly_id != room.assembly_id:
        return False
    return room.is_plenary or partner.room_id == room.pk


def present_partner_ids(room: Room, entitled_ids) -> set[int]:
    """Entitled partners present in the room: a voting delegate or alternate is
    checked in AND has a socket open on the room (``assembly.presence``)."""
    connected = presence.connected(room.pk, entitled_ids)
    if not connected:
        return set()
    checked_in = Delegate.objects.filter(
        partner_id__in=connected,
        checked_in_at__isnull=False,
        kind__in=(Delegate.Kind.VOTING, Delegate.Kind.ALTERNATE),
    ).values_list("partner_id", flat=True)
    return set(checked_in)


def quorum_state(room: Room, share: Fraction) -> dict:
    """Entitled, present and required partner counts now, and whether quorum holds."""
    entitled_ids = list(entitled_partners(room).values_list("pk", flat=True))
    present = len(present_partner_ids(room, entitled_ids))
    entitled = len(entitled_ids)
    return {
        "entitled": entitled,
        "present": present,
        "required": tally.quorum_required(entitled, share),
        "met": tally.quorum_met(entitled, present, share),
    }


def figures_now(poll: Poll) -> dict:
    """The poll's figures from its ballots, as a close would record them now.

    ``present`` counts partners present now plus every partner that voted (a partner
    that voted and then lost its connection was present for the vote), so
    ``voting <= present <= entitled`` always holds for the tally.
    """
    room = poll.room
    entitled_ids = set(entitled_partners(room).values_list("pk", flat=True))
    ballots = list(Ballot.objects.filter(poll=poll).values_list("partner_id", "choice"))
    voter_ids = {partner_id for partner_id, _choice in ballots}
    present_ids = present_partner_ids(room, entitled_ids) | voter_ids
    entitled_ids |= voter_ids
    counts = tally.count((c for _p, c in ballots if c), choices_of(poll))
    return {
        "entitled": len(entitled_ids),
        "present": len(present_ids),
        "voting": len(voter_ids),
        "counts": counts,
    }


def outcome_of(poll: Poll, figures: dict):
    """The tally module's outcome for ``figures`` under the poll's rules."""
    counts = figures["counts"]
    if poll.kind == Poll.Kind.AMENDMENT:
        return tally.majority_outcome(counts, threshold_of(poll))
    if poll.kind == Poll.Kind.CONSENSUS:
        return tally.consensus_outcome(
            counts,
            entitled=figures["entitled"],
            present=figures["present"],
            quorum_share=quorum_share_of(poll),
            threshold=threshold_of(poll),
        )
    return tally.fallback_outcome(
        counts,
        present=figures["present"],
        threshold=threshold_of(poll),
        entitled=figures["entitled"],
        quorum_share=quorum_share_of(poll),
    )


def current_poll(room: Room) -> Poll | None:
    """The poll a room's screens show: the open one, else the last one closed."""
    polls = Poll.objects.filter(room=room).select_related(
        "room", "item", "amendment", "version"
    )
    open_poll = polls.filter(status=Poll.Status.OPEN).first()
    if open_poll is not None:
        return open_poll
    return polls.filter(status=Poll.Status.CLOSED).order_by("-closed_at", "-pk").first()


def subject_of(poll: Poll) -> str:
    """What the poll decides, in words (for headings)."""
    item = poll.item
    if poll.kind == Poll.Kind.AMENDMENT and poll.amendment_id:
        return _("Amendment #%(number)s to item %(item)s") % {
            "number": poll.amendment_id,
            "item": item.number,
        }
    return str(item)


def _rows(poll: Poll, counts: dict, total: int) -> list[dict]:
    return [
        {
            "choice": choice,
            "label": CHOICE_LABELS[choice],
            "count": counts.get(choice, 0),
            "max": max(total, 1),
        }
        for choice in choices_of(poll)
    ]


def result_context(room: Room, poll: Poll | None = None) -> dict:
    """Everything the ``vote-result`` fragment shows; never depends on the viewer.

    Carries totals only: never which organisation chose what.
    """
    poll = poll if poll is not None else current_poll(room)
    context: dict = {"room": room, "poll": poll}
    if poll is None:
        return context
    is_open = poll.status == Poll.Status.OPEN
    if is_open:
        figures = figures_now(poll)
        quorum = quorum_state(room, quorum_share_of(poll))
    else:
        figures = {
            "entitled": poll.entitled_count or 0,
            "present": poll.present_count or 0,
            "voting": poll.voting_count or 0,
            "counts": dict(poll.counts or {}),
        }
        share = quorum_share_of(poll)
        quorum = {
            "entitled": figures["entitled"],
            "present": figures["present"],
            "required": tally.quorum_required(figures["entitled"], share),
            "met": tally.quorum_met(figures["entitled"], figures["present"], share)
            if figures["present"] <= figures["entitled"]
            else True,
        }
    outcome = dict(poll.outcome or {})
    context.update(
        {
            "subject": subject_of(poll),
            "is_open": is_open,
            "is_closed": poll.status == Poll.Status.CLOSED,
            "figures": figures,
            "quorum": quorum,
            "show_results": poll.status == Poll.Status.CLOSED or poll.results_live,
            "rows": _rows(poll, figures["counts"], figures["voting"]),
            "outcome": outcome,
            "failures": [
                FAILURE_LABELS.get(code, code)
                for code in outcome.get("reasons_failed", [])
            ],
            "threshold_percent": round(float(threshold_of(poll) * 100), 1),
        }
    )
    return context


def ballot_of(poll: Poll, partner: Partner) -> Ballot | None:
    return (
        Ballot.objects.filter(poll=poll, partner=partner)
        .select_related("cast_by")
        .first()
    )


def cannot_vote_reason(room: Room, delegate: Delegate | None) -> str:
    """Why this person cannot vote in the room, or "" when they can."""
    if delegate is None:
        return _("Only delegates of partner organisations vote.")
    if not delegate.may_vote:
        return _(
            "Observers do not vote. Your organisation's voting delegate or "
            "alternate casts its ballot."
        )
    if not delegate.checked_in_at:
        return _("Check in at the registration desk before voting.")
    if not is_entitled(room, delegate.partner):
        return _("Your organisation does not vote in this room.")
    return ""


def ballot_context(room: Room, delegate: Delegate | None) -> dict:
    """The per-person ballot area: the open poll, this organisation's ballot and
    who cast it, or why this person cannot vote."""
    poll = current_poll(room)
    context: dict = {
        "room": room,
        "poll": poll,
        "delegate": delegate,
        "cannot_vote": cannot_vote_reason(room, delegate),
        "ballot": None,
    }
    if poll is None:
        return context
    if delegate is not None and is_entitled(room, delegate.partner):
        context["ballot"] = ballot_of(poll, delegate.partner)
    ballot = context["ballot"]
    context["ballot_label"] = CHOICE_LABELS.get(ballot.choice, "") if ballot else ""
    context.update(
        {
            "subject": subject_of(poll),
            "is_open": poll.status == Poll.Status.OPEN,
            "choices": [(c, CHOICE_LABELS[c]) for c in choices_of(poll)],
            "reason_choices": sorted(REASON_REQUIRED & set(choices_of(poll))),
            "reason_max": REASON_MAX,
        }
    )
    return context


def reasons_for_facilitator(poll: Poll) -> list[dict]:
    """Concerns and blocks with their reasons, for those who run the room.

    In a secret poll the organisation is left out; after a secret poll closes the
    reasons are erased and this is empty.
    """
    ballots = (
        Ballot.objects.filter(poll=poll, choice__in=REASON_REQUIRED)
        .select_related("partner__organisation")
        .order_by("updated_at", "pk")
    )
    return [
        {
            "label": CHOICE_LABELS[b.choice],
            "choice": b.choice,
            "reason": b.reason,
            "organisation": None if poll.secret else b.partner.organisation.label,
        }
        for b in ballots
    ]


def named_choices(poll: Poll) -> list[dict]:
    """Which organisation chose what, for a closed NAMED poll's record; in a secret
    poll only who voted (the choice is erased at closing)."""
    ballots = Ballot.objects.filter(poll=poll).select_related(
        "partner__organisation", "cast_by"
    ).order_by("partner__organisation__name_th")
    return [
        {
            "organisation": b.partner.organisation.name,
            "label": None if poll.secret else CHOICE_LABELS.get(b.choice, ""),
            "reason": "" if poll.secret else b.reason,
            "cast_by": b.cast_by.name if b.cast_by else "",
        }
        for b in ballots
    ]


def polls_of_room(room: Room) -> QuerySet[Poll]:
    return Poll.objects.filter(room=room).select_related("item", "amendment")


def fallback_allowed(room: Room, item) -> bool:
    """A fallback vote needs at least one failed consensus round on the item here."""
    if item is None:
        return False
    return Poll.objects.filter(
        room=room,
        item=item,
        kind=Poll.Kind.CONSENSUS,
        status=Poll.Status.CLOSED,
        adopted=False,
    ).exists()
