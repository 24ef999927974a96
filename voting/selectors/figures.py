"""Who is entitled and present, what a poll counts, and the result panel.

Nothing here writes. Every count is a count of partner organisations. Nothing
here reads a secret poll's choices while it is open: its figures are turnout
only until the close has counted them into the poll.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assembly import presence
from assembly.models import Partner, Room
from assembly.undervote import text_under_vote
from voting import tally
from voting.models import Ballot, Poll, Proxy, SecretChoice

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


def choices_of_kind(kind: str) -> tuple[str, ...]:
    """The choices a ballot in a poll of ``kind`` may carry, in display order."""
    if kind == Poll.Kind.CONSENSUS:
        return tally.CONSENSUS_CHOICES
    return tally.MAJORITY_CHOICES


def choices_of(poll: Poll) -> tuple[str, ...]:
    return choices_of_kind(poll.kind)


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


def entitled_ids(room: Room) -> set[int]:
    """The ids of ``entitled_partners(room)``, unordered: the model's ordering
    joins the organisation to sort, which a set of ids does not need."""
    return set(entitled_partners(room).order_by().values_list("pk", flat=True))


def is_entitled_ids(room_is_plenary: bool, room_id: int, room_assembly_id: int,
                    partner_assembly_id: int, partner_room_id: int | None) -> bool:
    if partner_assembly_id != room_assembly_id:
        return False
    return room_is_plenary or partner_room_id == room_id


def is_entitled(room: Room, partner: Partner) -> bool:
    return is_entitled_ids(room.is_plenary, room.pk, room.assembly_id,
                           partner.assembly_id, partner.room_id)


def proxies_in(room: Room, entitled_ids, day: date | None = None) -> dict[int, int]:
    """Today's proxies that apply in ``room``: represented partner id -> holder
    partner id, for pairs where both vote in the room."""
    entitled_ids = set(entitled_ids)
    pairs = Proxy.objects.filter(
        assembly_id=room.assembly_id, day=day or timezone.localdate(),
        ended_at__isnull=True,
    ).order_by().values_list("giver_id", "holder_id")
    return {g: h for g, h in pairs if g in entitled_ids and h in entitled_ids}


def present_partner_ids(room: Room, entitled_ids, proxies: dict | None = None
                        ) -> set[int]:
    """Entitled partners present in the room now: a checked-in voting delegate
    or alternate has a screen open on it, or the desk marked them present there
    (``assembly.presence``, contract 9); and a partner that gave its voice by
    proxy, when its holder is present."""
    entitled_ids = list(entitled_ids)
    present = set(presence.present_partners(room, entitled_ids))
    if proxies is None:
        proxies = proxies_in(room, entitled_ids)
    present |= {giver for giver, holder in proxies.items() if holder in present}
    return present


def _quorum(entitled: int, present: int, share: Fraction) -> dict:
    return {
        "entitled": entitled,
        "present": present,
        "required": tally.quorum_required(entitled, share),
        "met": tally.quorum_met(entitled, present, share),
    }


def quorum_state(room: Room, share: Fraction) -> dict:
    """Entitled, present and required partner counts now, and whether quorum holds."""
    entitled = entitled_ids(room)
    present = present_partner_ids(room, entitled)
    return _quorum(len(entitled), len(present), share)


def ballots_for_count(poll: Poll) -> list:
    """The poll's ballots as the close counts them: a named poll's ``Ballot``
    rows, a secret poll's ``SecretChoice`` rows (read under the close's lock)."""
    model = SecretChoice if poll.secret else Ballot
    return list(model.objects.filter(poll=poll).order_by("partner_id"))


def figures_from(poll: Poll, ballots: list[tuple[int, str]]) -> dict:
    """The poll's figures from (partner id, choice) pairs, as a close records them.

    ``present`` counts partners present now plus every partner that voted (a partner
    that voted and then lost its connection was present for the vote), so
    ``voting <= present <= entitled`` always holds for the tally.
    """
    room = poll.room
    entitled = entitled_ids(room)
    voter_ids = {partner_id for partner_id, _choice in ballots}
    present_ids = present_partner_ids(room, entitled) | voter_ids
    entitled |= voter_ids
    counts = tally.count((c for _p, c in ballots if c), choices_of(poll))
    return {
        "entitled": len(entitled),
        "present": len(present_ids),
        "voting": len(voter_ids),
        "counts": counts,
    }


def figures_now(poll: Poll) -> dict:
    """The poll's figures now, as a close would record them; for a secret poll
    without the counts (they exist only once it closes)."""
    if poll.secret:
        voters = SecretChoice.objects.filter(poll=poll).values_list(
            "partner_id", flat=True
        )
        figures = figures_from(poll, [(p, "") for p in voters])
        figures["counts"] = {}
        return figures
    ballots = Ballot.objects.filter(poll=poll).values_list("partner_id", "choice")
    return figures_from(poll, list(ballots))


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
    # Ordered within the room only: the model's ordering joins the assembly.
    open_poll = polls.filter(status=Poll.Status.OPEN).order_by("created_at", "pk").first()
    if open_poll is not None:
        return open_poll
    return polls.filter(status=Poll.Status.CLOSED).order_by("-closed_at", "-pk").first()


def subject_of(poll: Poll) -> str:
    """What the poll decides, in words (for headings)."""
    item = poll.item
    if poll.all_items:
        numbers = [str(i.number) for i in poll.items.order_by("number")]
        return _("All items agreed by the rooms (agenda items %(numbers)s)") % {
            "numbers": ", ".join(numbers)
        }
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


def _open_figures(room: Room, poll: Poll) -> tuple[dict, dict]:
    """An open poll's figures and quorum, reading each thing once: the entitled
    partners, presence, today's proxies and the ballots (one query; for a secret
    poll only who voted)."""
    entitled = entitled_ids(room)
    present_now = present_partner_ids(room, entitled)
    if poll.secret:
        pairs = [(p, "") for p in SecretChoice.objects.filter(poll=poll)
                 .order_by().values_list("partner_id", flat=True)]
    else:
        pairs = list(
            Ballot.objects.filter(poll=poll).order_by()
            .values_list("partner_id", "choice")
        )
    voter_ids = {p for p, _c in pairs}
    figures = {
        "entitled": len(entitled | voter_ids),
        "present": len(present_now | voter_ids),
        "voting": len(voter_ids),
        "counts": {} if poll.secret else tally.count(
            (c for _p, c in pairs if c), choices_of(poll)
        ),
    }
    quorum = _quorum(len(entitled), len(present_now), quorum_share_of(poll))
    return figures, quorum


def _closed_figures(poll: Poll) -> tuple[dict, dict]:
    figures = {
        "entitled": poll.entitled_count or 0,
        "present": poll.present_count or 0,
        "voting": poll.voting_count or 0,
        "counts": dict(poll.counts or {}),
    }
    quorum = _quorum(figures["entitled"], figures["present"], quorum_share_of(poll))
    if figures["present"] > figures["entitled"]:
        quorum["met"] = True
    return figures, quorum


def result_figures(room: Room, poll: Poll | None = None) -> tuple:
    """``(poll, figures, quorum, under_vote)`` of the room's current poll (or
    ``poll``): what ``result_context`` reads from the database, the same in
    every language, so that a push read once renders in each. ``under_vote``:
    what the poll decides, in words (``assembly.undervote``; never names the
    proposing organisation). ``(None, None, None, None)`` without a poll."""
    poll = poll if poll is not None else current_poll(room)
    if poll is None:
        return None, None, None, None
    if poll.status == Poll.Status.OPEN:
        figures, quorum = _open_figures(room, poll)
    else:
        figures, quorum = _closed_figures(poll)
    return poll, figures, quorum, text_under_vote(poll)


def result_context(room: Room, poll: Poll | None = None, *,
                   reading: tuple | None = None) -> dict:
    """Everything the ``vote-result`` fragment shows; never depends on the viewer.

    Carries totals only: never which organisation chose what. While a secret
    poll is open, not even totals: only how many organisations voted.
    ``reading``: what ``result_figures`` read, when the caller has it (a push
    renders the same reading in each language).
    """
    poll, figures, quorum, under_vote = reading or result_figures(room, poll)
    context: dict = {"room": room, "poll": poll}
    if poll is None:
        return context
    is_open = poll.status == Poll.Status.OPEN
    is_closed = poll.status == Poll.Status.CLOSED
    outcome = dict(poll.outcome or {})
    show_results = is_closed or (poll.results_live and not poll.secret)
    context.update(
        {
            "subject": subject_of(poll),
            "under_vote": under_vote,
            "is_open": is_open,
            "is_closed": is_closed,
            "figures": figures,
            "quorum": quorum,
            "show_results": show_results,
            "rows": _rows(poll, figures["counts"], figures["voting"])
            if show_results else [],
            "outcome": outcome,
            "failures": [
                FAILURE_LABELS.get(code, code)
                for code in outcome.get("reasons_failed", [])
            ],
            "threshold_percent": round(float(threshold_of(poll) * 100), 1),
        }
    )
    return context


def polls_of_room(room: Room) -> QuerySet[Poll]:
    return Poll.objects.filter(room=room).select_related("item", "amendment")


def fallback_allowed(room: Room, item) -> bool:
    """A fallback vote needs at least one failed consensus round on the item here
    (on that item alone: a blocked round on all items leads to item rounds)."""
    if item is None:
        return False
    return Poll.objects.filter(
        room=room,
        item=item,
        kind=Poll.Kind.CONSENSUS,
        all_items=False,
        status=Poll.Status.CLOSED,
        adopted=False,
    ).exists()
