"""What the voting app pushes to open screens, and its snapshot part.

Pushes, each rendered from ``templates/voting/*.html``:

- ``push_poll_state(room)``: a poll was opened or closed. Sends the result panel
  (``id="vote-result"``) plus two small signals that make each screen fetch its
  own per-person part with ``hx-get``: the ballot area (``id="ballot-signal"``)
  and the facilitator controls (``id="vote-controls-signal"``).
- ``push_ballot(room_id=, partner_id=)``: an organisation's ballot changed.
  (1) Its new ballot status (``voting/ballot.html#ballot-status``,
  ``id="ballot-status"``) to that organisation's own sockets in the room
  (``realtime.partner_group``), so the phone whose ballot a colleague replaced
  sees it; when a partner holding its proxy today votes in the room, the same
  status with ``id="ballot-status-proxy"`` to the holder's sockets. Only those
  sockets: in a secret poll this is the one place a choice is pushed.
  (2) The room's result panel (a tally; in a secret poll turnout only) to every
  room socket. Both COALESCED: see below.
- ``push_controls(room)``: a poll was prepared (the console refreshes).

Identical for every receiver of a group: the result panel carries totals only,
never which organisation chose what, and nothing but turnout while a secret poll
is open.

Coalescing. A burst of ballots (65 partners voting in the same ten seconds) must
send a few updates, not one per ballot. Each server process keeps, per push key
(the room's tally; one organisation's status), at most one pending push, and
starts at most one push per key per ``COALESCE_SECONDS`` (100 ms): the first
ballot after a quiet spell is pushed at once (no added latency), a ballot within
100 ms of the last push schedules one flush for when the interval ends
(``loop.call_later`` on the server's event loop); ballots arriving meanwhile
only find the push pending. When it fires, the flush renders the LATEST state
from the database (in a worker thread, never inside the request that cast the
ballot) and sends it, so no ballot is ever left out of the last push. (After a
quiet spell an organisation's status is rendered at once from the ballot in
hand, on the loop: it reads nothing.) All pushes
of a key are sent under one ``asyncio.Lock`` per key and each renders after
taking it, so a stale render can never overtake a newer one; a room's state
pushes share the tally's lock.

Bursts. A push that falls due while a burst of requests changing something
(ballots: two or more, the one asking perhaps among them) is in flight in this
process waits until the burst has been answered, or at most
``MAX_HOLD_SECONDS`` (``assembly.admission.in_burst``): a burst's
acknowledgements are not kept behind renders of tallies that the next ballot
makes stale, and its screens get one push with every ballot in it, then one
at least every half second while ballots keep coming.

The event loop is the one the request came from (asgiref records it in the
thread running the sync view); with no server loop (a management command, a
plain sync test) each push is rendered and sent at once, uncoalesced.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import os
import weakref
from collections.abc import Callable

from asgiref.sync import SyncToAsync
from channels.db import database_sync_to_async
from django.db import transaction

from assembly import admission, fanout, realtime
from assembly.models import Partner, Room
from voting import selectors
from voting.models import Poll

log = logging.getLogger("samatcha.realtime")

COALESCE_SECONDS = 0.1
# The longest a due push waits for the ballots in flight (see "Bursts").
MAX_HOLD_SECONDS = 0.5
RESULT_TEMPLATE = "voting/result.html"
STATUS_TEMPLATE = "voting/ballot.html#ballot-status"

# A push: (group, render) pairs; each render takes no argument (contract 1:
# assembly.realtime may call it once per language) and returns HTML.
Plan = list[tuple[str, Callable[[], str]]]

# Per event loop: the plan of each key with a flush pending (a key is pending
# while it has one), when each key's last flush started (loop time), and a lock
# per key.
_plans: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_last_flush: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_held: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def render_result(room: Room, *, signals: bool, reading: tuple | None = None) -> str:
    """The result panel of the room's current poll (and the refresh signals);
    ``reading``: ``selectors.result_figures(room)``, when already read."""
    context = selectors.result_context(room, reading=reading)
    html = realtime.render_fragment(f"{RESULT_TEMPLATE}#vote-result", context)
    if signals:
        html += realtime.render_fragment(f"{RESULT_TEMPLATE}#ballot-signal", context)
    html += realtime.render_fragment(f"{RESULT_TEMPLATE}#controls-signal", context)
    return html


def render_status(status: dict) -> str:
    return realtime.render_fragment(STATUS_TEMPLATE, {"ballot_status": status})


@realtime.room_snapshot_part
def vote_snapshot(room: Room) -> str:
    """Sent to every (re)connecting screen: the result panel, and the signals so a
    phone fetches its own current ballot and the console its controls."""
    return render_result(room, signals=True)


# --- What a push sends (these read the database: called in a worker thread) --


def _result_plan(room_id: int, signals: bool) -> Plan:
    @functools.cache
    def read() -> tuple:
        # Once per push, whatever the number of languages it is rendered in.
        room = Room.objects.filter(pk=room_id).first()
        return room, selectors.result_figures(room) if room is not None else None

    def render() -> str:
        room, reading = read()
        if room is None:
            return ""
        return render_result(room, signals=signals, reading=reading)

    return [(realtime.room_group(room_id), render)]


def _holder_votes_here(room_id: int, partner_id: int, holder_id: int) -> bool:
    """Both the organisation and the partner holding its voice vote in the room."""
    room = Room.objects.filter(pk=room_id).first()
    partners = Partner.objects.filter(pk__in=[partner_id, holder_id])
    return room is not None and len(partners) == 2 and all(
        selectors.is_entitled(room, partner) for partner in partners
    )


def _status_plan(room_id: int, partner_id: int, holder_id: int | None,
                 cast=None) -> Plan:
    """The organisation's ballot status to its own screens in the room, and to
    those of the partner holding its voice today (``holder_id``, known to the
    ballot that asked for the push). Reads nothing unless a screen follows:
    ``realtime.push`` renders only for groups and languages someone reads, and
    each render reads the poll (at most once) and the ballot as they are; or,
    given ``cast``, renders that ballot as committed, reading nothing."""
    poll_now = functools.cache(
        lambda: Poll.objects.filter(room_id=room_id, status=Poll.Status.OPEN).first()
    )

    def render(status_id: str) -> Callable[[], str]:
        def rendered() -> str:
            if cast is not None:
                return render_status(selectors.status_of_cast(cast, status_id=status_id))
            poll = poll_now()
            if poll is None:  # closed meanwhile: the state push makes phones refetch
                return ""
            return render_status(
                selectors.status_now(poll, partner_id, status_id=status_id)
            )

        return rendered

    plan = [(realtime.partner_group(room_id, partner_id),
             render(selectors.OWN_STATUS))]
    if holder_id is not None and _holder_votes_here(room_id, partner_id, holder_id):
        plan.append((realtime.partner_group(room_id, holder_id),
                     render(selectors.PROXY_STATUS)))
    return plan


# --- Sending --------------------------------------------------------------------


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


async def _send(loop, key: tuple, plan: Callable[[], Plan],
                supersedes: bool = False, reads: bool = True) -> None:
    """Send ``plan``'s pushes under the key's lock. ``reads=False``: the plan
    and its renders read nothing (a status from the ballot in hand): made and
    rendered on the loop, not in a worker thread."""
    locks = _locks.setdefault(loop, {})
    lock = locks.setdefault(key, asyncio.Lock())
    async with lock:
        try:
            if reads:
                plan_now = await database_sync_to_async(plan, thread_sensitive=False)()
            else:
                plan_now = plan()
            # Each rendered once per language followed, to its language's group.
            for group, render in plan_now:
                await realtime.push_async(group, render, supersedes=supersedes,
                                          reads=reads)
        except Exception:  # noqa: BLE001 - a push is best effort; the DB is the record
            log.warning("vote push %s failed", key, exc_info=True)


def _flush(loop, key: tuple) -> None:
    """A due push: at once, or in a burst of writes in this process once the
    burst has been answered, or ``MAX_HOLD_SECONDS`` after it fell due."""
    if not admission.in_burst(loop):
        _flush_now(loop, key)
        return
    token = object()
    _held.setdefault(loop, {})[key] = token

    def release() -> None:
        if _held.get(loop, {}).get(key) is token:
            del _held[loop][key]
            _flush_now(loop, key)

    admission.after_burst(loop, key, release)
    loop.call_later(MAX_HOLD_SECONDS, release)


def _flush_now(loop, key: tuple) -> None:
    _last_flush.setdefault(loop, {})[key] = loop.time()
    plan, reads = _plans.setdefault(loop, {}).pop(key)
    # A tally replaces the last one: every process sends its own, and each
    # process's hub hands the room's sockets at most one per window.
    loop.create_task(_send(loop, key, plan, supersedes=key[0] == "room", reads=reads))


def _window(key: tuple) -> float:
    """The least time between two pushes of ``key``: COALESCE_SECONDS, or for a
    room's tally, the hub's window for what handing one push to the room's
    sockets in this process costs (``fanout.window_for``), so that a room of a
    thousand screens spends at most about a tenth of the event loop on tallies
    and the rest on ballots. (Each process's hub holds the same line for the
    tallies every process sends.)"""
    if key[0] != "room":
        return COALESCE_SECONDS
    group = realtime.room_group(key[1])
    cost = sum(fanout.push_cost(realtime.localized(group, language))
               for language in realtime.languages())
    return max(COALESCE_SECONDS, fanout.window_for(cost))


def _schedule(loop, key: tuple, plan, fast=None, fast_reads: bool = True) -> None:
    """On the loop: schedule one flush of ``key`` unless one is pending, at once
    after a quiet spell, else when the key's window since the last has passed.

    ``fast`` (optional) renders what the caller already holds, without reading
    the database; it is used only for a flush at once after a quiet spell. A
    second request for the key while one is pending, or within the window,
    means two writes close together, whose order only the database knows: the
    flush then renders with ``plan``, from the database. ``fast_reads=False``:
    ``fast`` reads nothing at all, and is made and rendered on the loop."""
    plans = _plans.setdefault(loop, {})
    if key in plans:  # pending: the flush will render from the database
        plans[key] = (plan, True)
        return
    last = _last_flush.setdefault(loop, {}).get(key)
    delay = 0.0 if last is None else max(0.0, last + _window(key) - loop.time())
    if fast is not None and delay == 0.0:
        plans[key] = (fast, fast_reads)
    else:
        plans[key] = (plan, True)
    loop.call_later(delay, _flush, loop, key)


def _now(key: tuple, plan: Callable[[], Plan]) -> None:
    # realtime.push logs a failed render: never fail a committed write over it.
    try:
        plan_now = plan()
    except Exception:  # noqa: BLE001
        log.warning("vote push %s failed", key, exc_info=True)
        return
    for group, render in plan_now:
        realtime.push(group, render)


def _coalesced(key: tuple, plan: Callable[[], Plan],
               fast: Callable[[], Plan] | None = None,
               fast_reads: bool = True) -> None:
    loop = _server_loop()
    if loop is None:
        _now(key, plan)
        return
    # A fresh context: the push must not inherit the request's thread-sensitive
    # context (its sync thread is busy until the request ends).
    loop.call_soon_threadsafe(_schedule, loop, key, plan, fast, fast_reads,
                              context=contextvars.Context())


def request_tally_push(room_id: int) -> None:
    """Ask for a (coalesced) push of the room's result panel. Call after commit."""
    _coalesced(("room", room_id), lambda: _result_plan(room_id, False))


def request_status_push(room_id: int, partner_id: int,
                        holder_id: int | None = None, cast=None) -> None:
    """Ask for a (coalesced) push of one organisation's ballot status to its own
    sockets in the room (and to those of ``holder_id``, the partner holding its
    voice today). Call after commit. With ``cast`` (the ballot just committed,
    ``services.CastBallot``) a push after a quiet spell is rendered from it,
    without reading the database (and, with no holder to check, on the event
    loop); see ``_schedule``."""
    fast = None
    if cast is not None:
        def fast() -> Plan:
            return _status_plan(room_id, partner_id, holder_id, cast=cast)
    _coalesced(
        ("status", room_id, partner_id, holder_id),
        lambda: _status_plan(room_id, partner_id, holder_id),
        fast,
        fast_reads=holder_id is not None,
    )


def request_state_push(room_id: int) -> None:
    """Push the room's poll state now (in order with the tally pushes)."""
    key = ("room", room_id)

    def plan() -> Plan:
        return _result_plan(room_id, True)

    loop = _server_loop()
    if loop is None:
        _now(key, plan)
        return
    loop.call_soon_threadsafe(
        lambda: loop.create_task(_send(loop, key, plan)),
        context=contextvars.Context(),
    )


def push_ballot(*, room_id: int, partner_id: int, holder_id: int | None = None,
                cast=None) -> None:
    """An organisation's ballot changed (``cast``, when the caller has it):
    after commit, its status to its own sockets (and to the screens of
    ``holder_id``, the partner holding its voice today) and the room's result
    panel, both coalesced."""

    def after_commit() -> None:
        request_status_push(room_id, partner_id, holder_id, cast)
        request_tally_push(room_id)

    transaction.on_commit(after_commit)


def push_tally(room: Room) -> None:
    """After commit, a coalesced push of the room's result panel."""
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
