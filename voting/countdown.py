"""Closing polls when their countdown runs out, on the server.

Three layers, so a countdown closes a poll whatever restarts:

1. In process: when a poll with a countdown opens, ``schedule`` sets a timer on
   the server's event loop (``loop.call_later``) that runs
   ``services.close_due_polls`` a moment after ``closes_at``.
2. Lazily: ``services.ballot_cast`` first closes a poll whose time is up, so a
   late ballot is refused with "Voting closed before your ballot arrived".
3. Out of process: ``manage.py close_due_polls --every 1`` (a small service next
   to the web server) closes due polls after a restart lost the timers.

Closing is idempotent and serialised on the poll row, so the layers never close
a poll twice.
"""

from __future__ import annotations

import contextvars
import logging
from datetime import datetime

from channels.db import database_sync_to_async
from django.utils import timezone

log = logging.getLogger("samatcha.voting")

GRACE_SECONDS = 0.2


def _close_due() -> int:
    from voting.services import close_due_polls

    return close_due_polls()


async def _run() -> None:
    try:
        await database_sync_to_async(_close_due, thread_sensitive=False)()
    except Exception:  # noqa: BLE001 - the command and the lazy close remain
        log.warning("countdown close failed", exc_info=True)


def schedule(closes_at: datetime) -> bool:
    """Set a timer on the server's event loop to close due polls at ``closes_at``.

    Returns False when there is no server loop (the other two layers close it).
    """
    from voting.live import _server_loop

    loop = _server_loop()
    if loop is None:
        return False
    delay = max(0.0, (closes_at - timezone.now()).total_seconds()) + GRACE_SECONDS

    def start() -> None:
        loop.call_later(delay, lambda: loop.create_task(_run()))

    loop.call_soon_threadsafe(start, context=contextvars.Context())
    return True
