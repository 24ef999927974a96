"""The plenary adopts every item in one consensus round ("all items").

The secretariat prepares ONE consensus round over every item the rooms agreed
and the plenary has not yet decided; the delegates vote once on the whole
document. At close (``voting.effects``): reached (quorum, no block, support at
the threshold) adopts every one of them by consensus, each with its
resolutions; not reached (a single block is enough) adopts none, and the
plenary goes on item by item: a consensus round per item, and the
qualified-majority fallback where an item is blocked again.
"""

from __future__ import annotations

from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agenda.models import AgendaItem
from assembly.models import Room
from voting import live, tally
from voting.models import Poll
from voting.services.polls import check_options, option_fields

PERMISSION = "voting.run_all_items_poll"


def require_runs_all_items(actor, room: Room) -> None:
    """Only the secretariat runs a round on all items, and only in the plenary."""
    if actor is None or not actor.has_perm(PERMISSION, room):
        raise PermissionDenied(
            _("Only the secretariat runs the plenary's round on all items.")
        )


def undecided_items(room: Room, *, lock: bool = False) -> list[AgendaItem]:
    """The items of the room's assembly that their rooms agreed and the plenary
    has not decided, in agenda order (locked with ``lock``)."""
    items = AgendaItem.objects.filter(
        assembly_id=room.assembly_id,
        status=AgendaItem.Status.AGREED,
        agreed_version__isnull=False,
    ).order_by("number")
    if lock:
        items = items.select_for_update()
    return list(items)


@transaction.atomic
def poll_create_all_items(
    *,
    room: Room,
    actor,
    secret: bool = False,
    results_live: bool | None = None,
    threshold: Fraction | None = None,
    quorum_share: Fraction = tally.DEFAULT_QUORUM_SHARE,
    countdown_seconds: int | None = None,
) -> Poll:
    """Prepare (status draft) one consensus round in the plenary on every item
    agreed by its room and not yet decided; the secretariat opens it later.

    Refuses (PermissionDenied) anyone but the secretariat (``voting.
    run_all_items_poll``); (ValidationError) a breakout room, no item to decide,
    a round on all items already prepared or open, and the options
    ``poll_create`` refuses. Threshold default 4/5, as any consensus round.
    Locks the items so none is decided half-way through.
    """
    require_runs_all_items(actor, room)
    if not room.is_plenary:
        raise ValidationError(
            _("Only the plenary adopts all items in one round."), code="not_plenary"
        )
    items = undecided_items(room, lock=True)
    if not items:
        raise ValidationError(
            _("No item waits for the plenary's decision: every item agreed by "
              "its room is decided."),
            code="nothing_to_decide",
        )
    if Poll.objects.filter(
        room=room, all_items=True, status__in=[Poll.Status.DRAFT, Poll.Status.OPEN]
    ).exists():
        raise ValidationError(
            _("A round on all items is already prepared: open it, or close it "
              "first."),
            code="all_items_pending",
        )
    threshold = threshold if threshold is not None else tally.CONSENSUS_THRESHOLD
    results_live = check_options(
        kind=Poll.Kind.CONSENSUS, threshold=threshold, secret=secret,
        results_live=results_live, quorum_share=quorum_share,
        countdown_seconds=countdown_seconds,
    )
    poll = Poll.objects.create(
        room=room,
        kind=Poll.Kind.CONSENSUS,
        all_items=True,
        item=items[0],
        version=None,
        round_number=Poll.objects.filter(room=room, all_items=True).count() + 1,
        **option_fields(secret=secret, results_live=results_live,
                        threshold=threshold, quorum_share=quorum_share,
                        countdown_seconds=countdown_seconds),
    )
    poll.items.set(items)
    live.push_controls(room)
    return poll


def check_still_undecided(poll: Poll) -> list[AgendaItem]:
    """Before opening: every item of the round still waits for the plenary (one
    decided item by item since would be decided twice). The round's items."""
    items = list(poll.items.order_by("number"))
    decided = [i for i in items if i.status != AgendaItem.Status.AGREED]
    if decided:
        raise ValidationError(
            _("Agenda item %(numbers)s was decided after this round was "
              "prepared: prepare a new round on all items.")
            % {"numbers": ", ".join(str(i.number) for i in decided)},
            code="item_decided",
        )
    return items
