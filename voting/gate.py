"""Queue, never refuse: ballots wait their turn for the database.

Under ASGI each request runs its sync view in a thread of its own, so a burst
of 650 ballots is 650 threads asking the connection pool at once; those that
wait longer than the pool's timeout (``DB_POOL_TIMEOUT``) used to be answered
503 while the server was merely busy. A ballot's whole database work (the
signed-in user, the delegate, the poll lock and the write, an audit entry)
instead runs inside ``ballot_turn()``: at most ``BALLOT_CONCURRENCY`` ballots of
a process at once, the others queued first come, first served
(``threading.Semaphore`` wakes waiters in order), and each turn hands its
connection back to the pool as it ends. The queue's own limit
(``BALLOT_QUEUE_TIMEOUT``, two minutes) is far beyond any burst: a ballot is
refused (503, the app's bilingual page) only when the database is really
unreachable, or a turn could not start for that long.

``BALLOT_CONCURRENCY`` defaults to half the PostgreSQL pool (at most 8: two
cores gain nothing from more ballots at once, and pushes and pages need the
rest of the pool) and to 1 on SQLite, which has one writer anyway.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection


def _concurrency() -> int:
    configured = getattr(settings, "BALLOT_CONCURRENCY", 0)
    if configured:
        return max(1, int(configured))
    db = settings.DATABASES["default"]
    pool = (db.get("OPTIONS") or {}).get("pool")
    if db["ENGINE"].endswith("postgresql") and pool:
        size = pool.get("max_size", 4) if isinstance(pool, dict) else 4
        return max(1, min(8, size // 2))
    if db["ENGINE"].endswith("postgresql"):
        return 4
    return 1


_lock = threading.Lock()
_turns: threading.Semaphore | None = None


def _semaphore() -> threading.Semaphore:
    global _turns
    if _turns is None:
        with _lock:
            if _turns is None:
                _turns = threading.Semaphore(_concurrency())
    return _turns


def reset() -> None:
    """Forget the sizing (tests that change the settings)."""
    global _turns
    with _lock:
        _turns = None


@contextmanager
def ballot_turn():
    """Run a ballot's database work in its turn. Raises ``OperationalError``
    (answered 503 by ``DatabaseUnavailableMiddleware``) only when no turn came
    within ``BALLOT_QUEUE_TIMEOUT`` seconds."""
    turns = _semaphore()
    timeout = float(getattr(settings, "BALLOT_QUEUE_TIMEOUT", 120))
    if not turns.acquire(timeout=timeout):
        raise OperationalError("no turn for this ballot within the queue's limit")
    try:
        yield
    finally:
        try:
            # Hand the pooled connection back before the next ballot's turn.
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                connection.close()
        finally:
            turns.release()
