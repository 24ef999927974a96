"""The ballot floor: a bare ASGI app that stores one ballot per POST.

``daphne bench.ballot_floor:application``, with the benchmark's database in the
environment (``DATABASE_URL`` for PostgreSQL, else ``DJANGO_SQLITE_PATH``) and
``BENCH_FLOOR_SESSIONS`` naming a JSON file {session cookie: partner id}. It
answers the same request the app's ballot view does (``POST /rooms/<room>/
ballot/`` with ``poll`` and ``choice``, signed in by the session cookie) with
the least a ballot must cost: lock the poll row ``FOR SHARE`` and check it is
open, upsert the partner's ballot, answer a small fragment. No framework, no
sessions table, no templates, no push. The benchmark drives it with the same
client, on as many daphne processes as the app, and reports the app's ballot
figures as ratios to it.

Ballots go to a table of its own (``bench_floor_ballot``, made by
``create_table``), so the floor never depends on the app's ballot model.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

TABLE = "bench_floor_ballot"
POSTGRES_TABLE = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    poll_id bigint NOT NULL, partner_id bigint NOT NULL,
    choice varchar(10) NOT NULL, updated_at timestamptz NOT NULL,
    PRIMARY KEY (poll_id, partner_id))"""
SQLITE_TABLE = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    poll_id integer NOT NULL, partner_id integer NOT NULL,
    choice varchar(10) NOT NULL, updated_at text NOT NULL,
    PRIMARY KEY (poll_id, partner_id))"""
UPSERT = (
    f"INSERT INTO {TABLE} (poll_id, partner_id, choice, updated_at) "
    "VALUES ({p}, {p}, {p}, {now}) ON CONFLICT (poll_id, partner_id) "
    "DO UPDATE SET choice = excluded.choice, updated_at = excluded.updated_at"
)


def create_table(connection) -> None:
    """Make the floor's table with a Django connection to the same database."""
    sql = POSTGRES_TABLE if connection.vendor == "postgresql" else SQLITE_TABLE
    with connection.cursor() as cursor:
        cursor.execute(sql)


def counted(connection, poll_id: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(DISTINCT partner_id) FROM {TABLE} WHERE poll_id = %s",
            [poll_id],
        )
        rows, partners = cursor.fetchone()
    return {"ballots": rows, "distinct_partners": partners}


class Postgres:
    """Ballots through psycopg's async pool, sized as the app's."""

    def __init__(self, url: str):
        from psycopg_pool import AsyncConnectionPool

        self.pool = AsyncConnectionPool(
            url,
            min_size=int(os.environ.get("DB_POOL_MIN", "2")),
            max_size=int(os.environ.get("DB_POOL_MAX", "20")),
            timeout=float(os.environ.get("DB_POOL_TIMEOUT", "10")),
            open=False,
        )
        self.opened: asyncio.Task | None = None
        self.upsert = UPSERT.format(p="%s", now="now()")

    async def cast(self, poll: int, partner: int, choice: str) -> bool:
        if self.opened is None:
            self.opened = asyncio.ensure_future(self.pool.open())
        await asyncio.shield(self.opened)
        async with self.pool.connection() as conn, conn.transaction():
            cursor = await conn.execute(
                "SELECT status FROM voting_poll WHERE id = %s FOR SHARE", (poll,)
            )
            row = await cursor.fetchone()
            if row is None or row[0] != "open":
                return False
            await conn.execute(self.upsert, (poll, partner, choice))
        return True


class Sqlite:
    """Ballots on one writer thread, as SQLite allows (WAL, immediate)."""

    def __init__(self, path: str):
        self.path = path
        self.executor = ThreadPoolExecutor(max_workers=1)
        self.conn: sqlite3.Connection | None = None
        self.upsert = UPSERT.format(p="?", now="CURRENT_TIMESTAMP")

    def _cast(self, poll: int, partner: int, choice: str) -> bool:
        if self.conn is None:
            self.conn = sqlite3.connect(self.path, timeout=20, isolation_level=None)
            # As the app's settings: WAL, and no fsync per commit.
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            row = c.execute(
                "SELECT status FROM voting_poll WHERE id = ?", (poll,)
            ).fetchone()
            if row is None or row[0] != "open":
                return False
            c.execute(self.upsert, (poll, partner, choice))
        finally:
            c.execute("COMMIT")
        return True

    async def cast(self, poll: int, partner: int, choice: str) -> bool:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.executor, self._cast, poll, partner, choice
        )


def _database():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return Postgres(url)
    return Sqlite(os.environ["DJANGO_SQLITE_PATH"])


DB = None
SESSIONS: dict[str, int] = {}


async def _respond(send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/html; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def application(scope, receive, send):
    global DB, SESSIONS
    if scope["type"] != "http":
        return
    if DB is None:
        DB = _database()
        with open(os.environ["BENCH_FLOOR_SESSIONS"]) as fh:
            SESSIONS = json.load(fh)
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    if scope["method"] != "POST" or not scope["path"].endswith("/ballot/"):
        await _respond(send, 404, b"")
        return
    cookie = SimpleCookie()
    for name, value in scope["headers"]:
        if name == b"cookie":
            cookie.load(value.decode("latin-1"))
    session = cookie.get("sessionid")
    partner = SESSIONS.get(session.value) if session else None
    if partner is None:
        await _respond(send, 403, b"")
        return
    form = parse_qs(body.decode())
    try:
        poll, choice = int(form["poll"][0]), form["choice"][0][:10]
    except (KeyError, ValueError):
        await _respond(send, 400, b"")
        return
    if await DB.cast(poll, partner, choice):
        await _respond(
            send,
            200,
            f'<div id="ballot-status" data-state="counted" '
            f'data-choice="{html.escape(choice)}"></div>'.encode(),
        )
    else:
        await _respond(
            send, 409, b'<div id="ballot-status" data-state="refused"></div>'
        )
