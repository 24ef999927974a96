"""What a closed poll does to the agenda: the decision takes effect.

Called by ``voting.services`` inside the transaction that closes the poll, after
the outcome is stored, so a close and its effect commit together or not at all.

- Amendment vote: the amendment is applied (adopted) or rejected.
- Consensus round reached: in a breakout room the room's draft is agreed; in the
  plenary the item is adopted and its resolutions are created. Not reached:
  nothing changes (the facilitator revises and runs another round, or calls a
  fallback vote).
- Fallback vote: in a breakout room, adopted agrees the draft (not adopted
  changes nothing); in the plenary the item is adopted (with its resolutions) or
  not adopted.
- Consensus round on all items (plenary): reached adopts every item of the
  round still waiting for the plenary, each with its resolutions; not reached
  (one block is enough) adopts none: the plenary goes on item by item.
"""

from __future__ import annotations

from voting.models import Poll


def apply(*, poll: Poll) -> None:
    """Let a closed poll's decision take effect. Needs the caller's transaction
    (the poll row locked); the agenda services lock the item themselves."""
    from agenda import services as agenda_services

    if poll.kind == Poll.Kind.AMENDMENT:
        agenda_services.amendment_decide(
            amendment=poll.amendment, adopted=bool(poll.adopted), actor=None, poll=poll
        )
        return
    if poll.all_items:
        _apply_all_items(poll)
        return
    if not poll.room.is_plenary:
        if poll.adopted:
            agenda_services.item_agree(item=poll.item, actor=None, poll=poll)
        return
    if poll.kind == Poll.Kind.CONSENSUS and not poll.adopted:
        return
    agenda_services.item_plenary_decide(
        item=poll.item, adopted=bool(poll.adopted), actor=None, poll=poll
    )
    if poll.adopted:
        from resolutions.services import resolutions_create_for_item

        resolutions_create_for_item(item=poll.item, poll=poll)


def _apply_all_items(poll: Poll) -> None:
    """Every item of a reached round on all items is adopted by consensus, in
    agenda order; an item decided meanwhile (it cannot be, with one open poll
    per room, but the record says what the plenary did) is left as it was."""
    if not poll.adopted:
        return
    from agenda import services as agenda_services
    from agenda.models import AgendaItem
    from resolutions.services import resolutions_create_for_item

    for item in poll.items.order_by("number"):
        if item.status != AgendaItem.Status.AGREED:
            continue
        agenda_services.item_plenary_decide(
            item=item, adopted=True, actor=None, poll=poll
        )
        resolutions_create_for_item(item=item, poll=poll)
