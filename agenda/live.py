"""What the agenda app pushes to a room's open screens, and the room snapshot.

Services call these inside their transaction; each schedules its push with
``transaction.on_commit`` so nothing is pushed for a write that rolls back.
"""

from __future__ import annotations

from agenda.models import AgendaItem
from assembly.models import Room


def push_draft(item: AgendaItem) -> None:
    """The draft (clauses, clause under discussion) changed."""


def push_amendments(item: AgendaItem) -> None:
    """The amendment queue of an item changed."""


def push_speakers(room: Room) -> None:
    """The speaker list of a room changed."""


def push_item_state(item: AgendaItem) -> None:
    """An item's status changed (agreed, adopted) or the plenary document."""
