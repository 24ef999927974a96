"""What the agenda app pushes to a room's open screens, and the room snapshot.

Services call these inside their transaction; each schedules its push with
``transaction.on_commit`` (through ``realtime.push_on_commit``) so nothing is
pushed for a write that rolls back. A push renders the same partials of
``agenda/room.html`` that the pages include, once, for everyone: fragments never
depend on the viewer. What differs per person (the ask-to-speak button, the
facilitator's controls) is fetched by each screen itself: a pushed fragment
carries small ``hx-trigger="load"`` elements aimed at those per-person regions;
a page without such a region makes no request.

The context builders here (``draft_context`` ...) are the reads the pages and the
pushes share, assembled from ``agenda.selectors``.
"""

from __future__ import annotations

from django.urls import reverse

from agenda.models import AgendaItem
from assembly import realtime
from assembly.models import Room

ROOM_PAGE = "agenda/room.html"


# --- Shared reads -----------------------------------------------------------------


def item_of(room: Room) -> AgendaItem | None:
    """The agenda item a breakout room deliberates (None for the plenary)."""
    try:
        return room.agenda_item
    except AgendaItem.DoesNotExist:
        return None


def item_context(room: Room, item: AgendaItem | None) -> dict:
    """The item's title and state; in the plenary, every item's state."""
    from agenda import selectors

    items = selectors.items_of(room.assembly) if room.is_plenary else []
    return {"room": room, "item": item, "items": items}


def draft_context(room: Room, item: AgendaItem | None) -> dict:
    from agenda import selectors

    version = selectors.current_version(item) if item else None
    return {
        "room": room,
        "item": item,
        "version": version,
        "clauses": selectors.version_clauses(version) if version else [],
        "current_key": item.current_clause_key if item else None,
    }


def amendments_context(room: Room, item: AgendaItem | None) -> dict:
    from agenda import selectors

    rows = selectors.amendment_list(item) if item else []
    return {
        "room": room,
        "item": item,
        "rows": rows,
        "current_key": item.current_clause_key if item else None,
    }


def speakers_context(room: Room) -> dict:
    from agenda.speakers import speaker_list

    return {"room": room, "speakers": speaker_list(room)}


def room_context(room: Room) -> dict:
    """Everything the shared partials of a room need, for a page."""
    item = item_of(room)
    context = {}
    context.update(item_context(room, item))
    context.update(draft_context(room, item))
    context.update(amendments_context(room, item))
    context.update(speakers_context(room))
    return context


# --- Rendering --------------------------------------------------------------------


def _render(partial: str, context: dict) -> str:
    return realtime.render_fragment(
        f"{ROOM_PAGE}#{partial}", {**context, "pushed": True}
    )


# Which per-person regions (id -> URL name) go stale when a shared part changes.
SIGNALS = {
    "item_state": {"clause-controls": "agenda:console_clause"},
    "draft": {"clause-controls": "agenda:console_clause"},
    "amendments": {
        # the agree form warns how many amendments are still pending
        "clause-controls": "agenda:console_clause",
        "amendment-queue": "agenda:console_amendments",
        "my-amendments": "agenda:my_amendments",
    },
    "speakers": {
        "speak-controls": "agenda:speak_controls",
        "speaker-controls": "agenda:console_speakers",
    },
}


def render_signals(room: Room, *parts: str) -> str:
    """Signals telling the screens that hold these parts' per-person regions to
    fetch their own versions (see room.html#signals)."""
    targets: dict[str, str] = {}
    for part in parts:
        targets.update(SIGNALS[part])
    signals = [
        {"target": target, "url": reverse(name, kwargs={"room_id": room.pk})}
        for target, name in targets.items()
    ]
    return _render("signals", {"room": room, "signals": signals})


def render_item_state(room: Room) -> str:
    return _render("item_state", item_context(room, item_of(room))) + render_signals(
        room, "item_state"
    )


def render_draft(room: Room) -> str:
    return _render("draft", draft_context(room, item_of(room))) + render_signals(
        room, "draft"
    )


def render_amendments(room: Room) -> str:
    # The console's vote controls offer a vote on the accepted amendments, so an
    # amendment change also tells them to refresh (voting's own signal).
    return (
        _render("amendments", amendments_context(room, item_of(room)))
        + render_signals(room, "amendments")
        + realtime.render_fragment("voting/result.html#controls-signal", {"room": room})
    )


def render_speakers(room: Room) -> str:
    return _render("speakers", speakers_context(room)) + render_signals(
        room, "speakers"
    )


def _fresh_room(item: AgendaItem) -> Room | None:
    """The item's room, read again after commit."""
    if item.room_id is None:
        return None
    return Room.objects.select_related("assembly").filter(pk=item.room_id).first()


# --- Pushes -----------------------------------------------------------------------


def push_draft(item: AgendaItem) -> None:
    """The draft (clauses, clause under discussion) changed.

    The amendments' diffs are against the current clauses, so they go too.
    """
    if item.room_id is None:
        return

    def render() -> str:
        room = _fresh_room(item)
        return render_draft(room) + render_amendments(room) if room else ""

    realtime.push_on_commit(realtime.room_group(item.room_id), render)


def push_amendments(item: AgendaItem) -> None:
    """The amendment queue of an item changed."""
    if item.room_id is None:
        return

    def render() -> str:
        room = _fresh_room(item)
        return render_amendments(room) if room else ""

    realtime.push_on_commit(realtime.room_group(item.room_id), render)


def push_speakers(room: Room) -> None:
    """The speaker list of a room changed."""
    room_id = room.pk

    def render() -> str:
        fresh = Room.objects.select_related("assembly").filter(pk=room_id).first()
        return render_speakers(fresh) if fresh else ""

    realtime.push_on_commit(realtime.room_group(room_id), render)


def push_item_state(item: AgendaItem) -> None:
    """An item's status changed (agreed, adopted) or the plenary document.

    Goes to the item's room and to the plenary of its assembly.
    """
    room_ids = []
    if item.room_id is not None:
        room_ids.append(item.room_id)
    plenary = (
        Room.objects.filter(assembly_id=item.assembly_id, kind=Room.Kind.PLENARY)
        .values_list("pk", flat=True)
        .first()
    )
    if plenary is not None and plenary not in room_ids:
        room_ids.append(plenary)
    for room_id in room_ids:
        realtime.push_on_commit(realtime.room_group(room_id), _state_renderer(room_id))


def _state_renderer(room_id: int):
    def render() -> str:
        room = Room.objects.select_related("assembly").filter(pk=room_id).first()
        if room is None:
            return ""
        return render_item_state(room) + render_draft(room)

    return render


# --- Snapshot on (re)connect ------------------------------------------------------


@realtime.room_snapshot_part
def room_snapshot(room: Room) -> str:
    """The item's state, the draft, the amendments and the speaker list."""
    item = item_of(room)
    return (
        _render("item_state", item_context(room, item))
        + _render("draft", draft_context(room, item))
        + _render("amendments", amendments_context(room, item))
        + render_speakers(room)
        + render_signals(room, *SIGNALS)
    )
