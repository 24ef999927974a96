"""Physically clean a secret poll's choices out of the database's pages.

Deleting a row does not remove its bytes: PostgreSQL keeps the dead row version
in the table's pages until a vacuum, SQLite keeps old page images in its WAL
file until a checkpoint. A secret poll's close deletes its ``SecretChoice``
rows in the closing transaction; after commit, outside any transaction, this
module removes the bytes:

- PostgreSQL: ``VACUUM (FULL) voting_secretchoice`` rewrites the small table
  (and its index and TOAST table) into new files, copying only live rows, and
  the old files are unlinked. A dead row version is copied anyway while some
  snapshot older than the delete could still see it, so it first waits (at most
  ``WAIT_SECONDS``) until no other session of this database holds a snapshot
  from before the close. The ACCESS EXCLUSIVE lock of the rewrite is held for
  milliseconds on a table of a few dozen rows (ballots of another room's secret
  poll wait that long); ``lock_timeout`` keeps it from queueing behind a stuck
  session.
- SQLite: ``PRAGMA secure_delete=ON`` (every connection, ``config.settings``)
  has zeroed the deleted cells in the pages; ``PRAGMA wal_checkpoint(TRUNCATE)``
  writes the final pages into the database file and empties the WAL, which
  held the earlier page images with the choices.

A poll is marked ``secret_scrubbed`` when its cleaning completed. One that could
not complete (a long transaction or a backup held an old snapshot, a reader
kept the WAL) is retried by ``manage.py close_due_polls`` on each pass
(``scrub_pending``). What this cannot reach (WAL segments and backups taken
during the poll, the file system's freed blocks) is in docs/voting.md.
"""

from __future__ import annotations

import logging
import time

from django.db import connection, transaction

log = logging.getLogger("samatcha.voting")

WAIT_SECONDS = 5.0
POLL_INTERVAL = 0.05
LOCK_TIMEOUT = "2s"


def _older_snapshots(cursor, horizon: str) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_xmin IS NOT NULL AND age(backend_xmin) > age(%s::xid)",
        [horizon],
    )
    return cursor.fetchone()[0]


def _postgres(wait: float) -> bool:
    from voting.models import SecretChoice

    table = connection.ops.quote_name(SecretChoice._meta.db_table)
    with connection.cursor() as cursor:
        # Every transaction that committed so far, the close included, is
        # older than this; a snapshot taken before it could still see the rows.
        cursor.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::xid::text")
        horizon = cursor.fetchone()[0]
        deadline = time.monotonic() + wait
        while _older_snapshots(cursor, horizon):
            if time.monotonic() >= deadline:
                log.warning("secret choices: an old snapshot holds their pages")
                return False
            time.sleep(POLL_INTERVAL)
        cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        try:
            started = time.monotonic()
            cursor.execute(f"VACUUM (FULL) {table}")
            log.info("secret choices: table rewritten in %.1f ms",
                     (time.monotonic() - started) * 1000)
        except Exception:  # noqa: BLE001 - retried by the next pass
            log.warning("secret choices: the rewrite did not run", exc_info=True)
            return False
        finally:
            cursor.execute("RESET lock_timeout")
    return True


def _sqlite() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log_frames, _checkpointed = cursor.fetchone()
    if busy:
        log.warning("secret choices: a reader kept the WAL; retried later")
    return not busy


def scrub_now(wait: float = WAIT_SECONDS) -> bool:
    """Clean the secret table's pages now and mark the closed secret polls
    scrubbed; True when done. Must run outside any transaction (returns False
    inside one)."""
    if connection.in_atomic_block:
        return False
    from voting.models import Poll

    pending = list(
        Poll.objects.filter(
            secret=True, status=Poll.Status.CLOSED, secret_scrubbed=False
        ).values_list("pk", flat=True)
    )
    if connection.vendor == "postgresql":
        done = _postgres(wait)
    elif connection.vendor == "sqlite":
        done = _sqlite()
    else:  # pragma: no cover - the project runs on these two
        done = False
    if done and pending:
        Poll.objects.filter(pk__in=pending).update(secret_scrubbed=True)
    return done


def scrub_pending() -> bool:
    """Clean again if a closed secret poll is not marked scrubbed (for the
    periodic command); True when nothing is left to do."""
    from voting.models import Poll

    if not Poll.objects.filter(
        secret=True, status=Poll.Status.CLOSED, secret_scrubbed=False
    ).exists():
        return True
    return scrub_now(wait=0.5)


def _run() -> None:
    try:
        scrub_now()
    except Exception:  # noqa: BLE001 - the periodic command retries
        log.warning("secret choices: cleaning failed", exc_info=True)
    finally:
        connection.close()


def after_commit() -> None:
    """Clean the secret table once the current transaction (a secret poll's
    close) has committed: on the server's event loop, in a worker thread (the
    closing request does not wait); without one (a command, a test), at once
    in this thread."""

    def start() -> None:
        from voting.live import _server_loop

        loop = _server_loop()
        if loop is None:
            if not connection.in_atomic_block:
                scrub_now()
            return
        import contextvars

        from channels.db import database_sync_to_async

        async def run() -> None:
            await database_sync_to_async(_run, thread_sensitive=False)()

        loop.call_soon_threadsafe(
            lambda: loop.create_task(run()), context=contextvars.Context()
        )

    transaction.on_commit(start)
