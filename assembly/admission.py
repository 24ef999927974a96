"""Queue, never refuse: at most a few HTTP requests inside Django at once.

Under ASGI, Django runs each request's sync code in a thread of its own. A burst
of 650 ballots on two processes started ~325 threads per process at once, all
waiting for one of the pool's 20 database connections; those that waited more
than the pool's timeout were answered 503 although nothing was down, and the
crowd of threads made every request slower (issue 14).

``Admission`` lets at most ``limit`` requests into Django per process; the
others wait their turn on the event loop (first come, first served), which
costs no thread and no connection, and are served as soon as one finishes.
The limit defaults to the pool's size less a few connections for the sockets
and pushes (PostgreSQL), or a few on SQLite (one writer at a time anyway).

Threads that outlive requests. Django gives each request's sync code a thread
of its own (``ThreadSensitiveContext``): asgiref starts a thread for it, and
another to join it when the request ends, while the event loop waits for the
first to start. That was a quarter of a ballot's time on one daphne. Since at
most ``limit`` requests are inside Django at once, each admitted request borrows
one of ``limit`` single-thread executors instead, kept for the next one (the
outer ``ThreadSensitiveContext`` with an executor wins over Django's own). A
request that ends with an error or is cancelled (the client went away) does not
give its thread back: its sync code may still be running; a new one replaces
it. A thread keeps its SQLite connection between requests (``CONN_MAX_AGE``);
on PostgreSQL each request hands its connection back to the pool as before.

Writes in flight. Each event loop counts its requests that change something
(any method but GET, HEAD and OPTIONS: ballots above all), from their arrival,
queued or not, to their answer. While a burst of them is in flight (``BURST``:
two or more, one of them perhaps the ballot asking), the pushes they ask for
wait (``voting.live``): the acknowledgements go out first, then one push with
every ballot in it.
"""

from __future__ import annotations

import asyncio
import os
import weakref
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.conf import settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BURST = 2
# Per event loop: writes in flight, and what waits for a burst's end.
_writes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_when_done: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def in_burst(loop: asyncio.AbstractEventLoop) -> bool:
    """Are ``BURST`` or more writes in flight on ``loop``?"""
    return _writes.get(loop, 0) >= BURST


def after_burst(loop: asyncio.AbstractEventLoop, key, callback) -> None:
    """Call ``callback()`` on ``loop`` once fewer than ``BURST`` writes are in
    flight there (soon, if that is so now). One callback per ``key``: a newer
    one replaces the last, so what waits stays bounded however long a burst."""
    if not in_burst(loop):
        loop.call_soon(callback)
    else:
        _when_done.setdefault(loop, {})[key] = callback


def _write_done(loop: asyncio.AbstractEventLoop) -> None:
    _writes[loop] -= 1
    if not in_burst(loop):
        for callback in _when_done.pop(loop, {}).values():
            loop.call_soon(callback)


def default_limit() -> int:
    """``DJANGO_HTTP_CONCURRENCY``, else fitted to the database's connections."""
    configured = os.environ.get("DJANGO_HTTP_CONCURRENCY", "")
    if configured:
        return max(1, int(configured))
    database = settings.DATABASES["default"]
    pool = database.get("OPTIONS", {}).get("pool")
    if isinstance(pool, dict):
        # Keep connections for the sockets' reads and the pushes' renders.
        return max(2, int(pool.get("max_size", 20)) - 4)
    return 4


class Admission:
    """ASGI middleware: HTTP requests beyond ``limit`` wait, in order."""

    def __init__(self, app, limit: int | None = None):
        self.app = app
        self.limit = limit if limit is not None else default_limit()
        self._gates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._idle: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def gate(self) -> asyncio.Semaphore:
        """This event loop's semaphore (daphne: one loop per process)."""
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Semaphore(self.limit)
        return gate

    def _threads(self) -> list[ThreadPoolExecutor]:
        """This event loop's idle request threads; shut down with the loop."""
        loop = asyncio.get_running_loop()
        idle = self._idle.get(loop)
        if idle is None:
            idle = self._idle[loop] = []
            weakref.finalize(loop, _shut_down, idle)
        return idle

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope.get("method") in SAFE_METHODS:
            return await self._admit(scope, receive, send)
        loop = asyncio.get_running_loop()
        _writes[loop] = _writes.get(loop, 0) + 1
        try:
            return await self._admit(scope, receive, send)
        finally:
            _write_done(loop)

    async def _admit(self, scope, receive, send):
        async with self.gate():
            idle = self._threads()
            thread = idle.pop() if idle else ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="samatcha-request"
            )
            async with ThreadSensitiveContext(executor=thread):
                try:
                    result = await self.app(scope, receive, send)
                except BaseException:
                    thread.shutdown(wait=False)
                    raise
            if len(idle) < self.limit:
                idle.append(thread)
            else:
                thread.shutdown(wait=False)
            return result


def _shut_down(idle: list[ThreadPoolExecutor]) -> None:
    for thread in idle:
        thread.shutdown(wait=False)
    idle.clear()
