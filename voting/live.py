"""What the voting app pushes to a room's open screens, and its snapshot part.

Two pushes, both rendered from ``templates/voting/result.html`` and identical for
every receiver (totals only, never which organisation chose what):

- ``push_poll_state(room)``: a poll was opened or closed. Sends the result panel
  (``id="vote-result"``) plus two small signals that make each screen fetch its
  own per-person part with ``hx-get``: the ballot form (``id="ballot-signal"``)
  and the facilitator controls (``id="vote-controls-signal"``).
- ``push_tally(room)``: a ballot was cast or changed. COALESCED: see below.

Coalescing. A burst of ballots (65 partners voting in the same ten seconds) must
send a few updates, not one per ballot. Each server process keeps, per room, at
most one pending push, and starts at most one push per ``COALESCE_SECONDS``
(100 ms): the first ballot after a quiet spell is pushed at once (no added
latency), a ballot within 100 ms of the last push schedules one flush for when
the interval ends (``loop.call_later`` on the server's event loop); ballots
arriving meanwhile only find the push pending.
When it fires, the flush renders the room's LATEST state from the database and
sends it, so no ballot is ever left out of the last push. All pushes of a room
(flushes and state changes) are sent under one ``asyncio.Lock`` per room and each
renders after taking it, so a stale render can never overtake a newer one. The
event loop is the one the request came from (asgiref records it in the thread
running the sync view); with no server loop (a management command, a plain sync
test) each push is rendered and sent at once, uncoalesced.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import os
import weakref

from asgiref.sync import SyncToAsync
from django.db import transaction

from assembly import realtime
from assembly.models import Room
from voting import selectors

log = logging.getLogger("samatcha.realtime")

COALESCE_SECONDS = 0.1
RESULT_TEMPLATE = "voting/result.html"

# Per event loop: room ids with a tally flush pending, when each room's last
# flush started (loop time), and a lock per room.
_pending: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_last_flush: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def render_result(room: Room, *, signals: bool) -> str:
    """The result panel of the room's current poll (and the refresh signals)."""
    context = selectors.result_context(room)
    html = realtime.render_fragment(f"{RESULT_TEMPLATE}#vote-result", context)
    if signals:
        html += realtime.render_fragment(f"{RESULT_TEMPLATE}#ballot-signal", context)
    html += realtime.render_fragment(f"{RESULT_TEMPLATE}#controls-signal", context)
    return html


@realtime.room_snapshot_part
def vote_snapshot(room: Room) -> str:
    """Sent to every (re)connecting screen: the result panel, and the signals so a
    phone fetches its own current ballot and the console its controls."""
    return render_result(room, signals=True)


def _server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop serving this request, when the current thread runs sync
    code for one (asgiref's SyncToAsync records it); else None."""
    local = SyncToAsync.threadlocal
    if getattr(local, "main_event_loop_pid", None) != os.getpid():
        return None
    loop = getattr(local, "main_event_loop", None)
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    return loop


def _render_by_id(room_id: int, signals: bool) -> str:
    room = Room.objects.filter(pk=room_id).first()
    return render_result(room, signals=signals) if room is not None else ""


async def _send(loop, room_id: int, signals: bool) -> None:
    locks = _locks.setdefault(loop, {})
    lock = locks.setdefault(room_id, asyncio.Lock())
    async with lock:
        try:
            # Rendered once per language followed, each to its language's group.
            await realtime.push_async(
                realtime.room_group(room_id), lambda: _render_by_id(room_id, signals)
            )
        except Exception:  # noqa: BLE001 - a push is best effort; the DB is the record
            log.warning("vote push to room %s failed", room_id, exc_info=True)


def _flush(loop, room_id: int) -> None:
    _pending.get(loop, set()).discard(room_id)
    _last_flush.setdefault(loop, {})[room_id] = loop.time()
    loop.create_task(_send(loop, room_id, False))


def _schedule_tally(loop, room_id: int) -> None:
    """On the loop: schedule one flush unless one is already pending, at once
    after a quiet spell, else when COALESCE_SECONDS since the last have passed."""
    pending = _pending.setdefault(loop, set())
    if room_id in pending:
        return
    pending.add(room_id)
    last = _last_flush.setdefault(loop, {}).get(room_id)
    delay = 0.0 if last is None else max(0.0, last + COALESCE_SECONDS - loop.time())
    loop.call_later(delay, _flush, loop, room_id)


def _now(room_id: int, signals: bool) -> None:
    # realtime.push logs a failed render: never fail a committed write over it.
    realtime.push(realtime.room_group(room_id), lambda: _render_by_id(room_id, signals))


def request_tally_push(room_id: int) -> None:
    """Ask for a (coalesced) tally push to the room. Call after commit."""
    loop = _server_loop()
    if loop is None:
        _now(room_id, False)
        return
    # A fresh context: the push must not inherit the request's thread-sensitive
    # context (its sync thread is busy until the request ends).
    loop.call_soon_threadsafe(
        _schedule_tally, loop, room_id, context=contextvars.Context()
    )


def request_state_push(room_id: int) -> None:
    """Push the room's poll state now (in order with the tally pushes)."""
    loop = _server_loop()
    if loop is None:
        _now(room_id, True)
        return
    loop.call_soon_threadsafe(
        lambda: loop.create_task(_send(loop, room_id, True)),
        context=contextvars.Context(),
    )


def push_tally(room: Room) -> None:
    """A ballot changed: after commit, a coalesced push of the room's tally."""
    room_id = room.pk
    transaction.on_commit(lambda: request_tally_push(room_id))


def push_poll_state(room: Room) -> None:
    """A poll opened or closed: after commit, the result and the refresh signals."""
    room_id = room.pk
    transaction.on_commit(lambda: request_state_push(room_id))


def push_controls(room: Room) -> None:
    """Only the facilitator controls changed (a poll prepared)."""
    room_id = room.pk

    def render() -> str:
        context = {"room": Room.objects.get(pk=room_id)}
        return realtime.render_fragment(f"{RESULT_TEMPLATE}#controls-signal", context)

    realtime.push_on_commit(realtime.room_group(room_id), render)
