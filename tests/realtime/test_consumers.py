"""The room socket's contract: current state on connect, reads only, abusers closed
alone, sign-out closes, and the pages say when live updates are paused."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db.backends import utils as db_utils
from django.test import Client

from assembly import consumers, presence, realtime
from config.asgi import application
from tests import factories
from tests.ws import connect, receive_until, session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "TRUNCATE")


@pytest.fixture
def probe_part():
    """A registered part of the room snapshot, as an app's live.py would add."""

    def part(room):
        return f'<div id="probe-state" hx-swap-oob="true">state of {room.pk}</div>'

    # Only this part: the apps' own parts are tested by the apps.
    saved = list(realtime._room_snapshot_parts)
    realtime._room_snapshot_parts[:] = [part]
    yield part
    realtime._room_snapshot_parts[:] = saved


@pytest.fixture
def sql_log(monkeypatch):
    """Every SQL statement any connection runs while the test runs."""
    statements: list[str] = []
    execute, executemany = (
        db_utils.CursorWrapper.execute,
        db_utils.CursorWrapper.executemany,
    )

    def logged_execute(self, sql, params=None):
        statements.append(str(sql))
        return execute(self, sql, params)

    def logged_executemany(self, sql, param_list):
        statements.append(str(sql))
        return executemany(self, sql, param_list)

    monkeypatch.setattr(db_utils.CursorWrapper, "execute", logged_execute)
    monkeypatch.setattr(db_utils.CursorWrapper, "executemany", logged_executemany)
    return statements


async def world():
    return await database_sync_to_async(factories.world)()


async def state_of(comm) -> str:
    """The room's state, the first message a fresh socket is sent (rendering it
    takes a while the first time, more on a busy machine)."""
    return await comm.receive_from(timeout=15)


async def room_socket(w, room=None, *, index=0):
    room = room or w.rooms[0]
    delegate = w.delegate_of(w.partners_in(room)[index])
    comm, accepted, detail = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert accepted, detail
    return comm, delegate


async def push(group: str, html: str) -> None:
    await realtime.push_async(group, lambda: html)


async def test_every_connect_and_reconnect_is_sent_the_current_state(probe_part):
    w = await world()
    room = w.rooms[0]
    for _ in range(2):  # a reconnect is a connect: the state comes again
        comm, _ = await room_socket(w)
        assert f"state of {room.pk}" in await comm.receive_from(timeout=3)
        await comm.disconnect()
    projector, accepted, _ = await connect(f"/ws/projector/{room.projector_token}/")
    assert accepted
    assert f"state of {room.pk}" in await projector.receive_from(timeout=3)
    await projector.disconnect()


async def test_a_socket_never_writes_to_the_database(sql_log, probe_part):
    w = await world()
    room = w.rooms[0]
    delegate = w.delegate_of(w.partners_in(room)[0])
    cookie = await database_sync_to_async(session_cookie_for)(delegate.user)
    sql_log.clear()  # signing in writes the session; the socket must not write
    comm = WebsocketCommunicator(
        application,
        f"/ws/rooms/{room.pk}/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
        ],
    )
    accepted, _ = await comm.connect(timeout=5)
    assert accepted
    await comm.receive_from(timeout=3)
    await comm.send_to(text_data='{"ping": 1}')
    await push(realtime.room_group(room.pk), '<div id="probe">x</div>')
    await receive_until(comm, "probe")
    # The delegate's presence went to the cache, not the database ...
    assert await database_sync_to_async(presence.connected)(
        room.pk, [delegate.partner_id]
    ) == {delegate.partner_id}
    await comm.disconnect()
    projector, accepted, _ = await connect(f"/ws/projector/{room.projector_token}/")
    await projector.disconnect()
    reads = [s for s in sql_log if s.lstrip().upper().startswith("SELECT")]
    writes = [s for s in sql_log if s.lstrip().upper().startswith(WRITES)]
    assert reads, "the sockets were expected to read the room and the session"
    assert writes == []  # ... and no socket wrote to the database.


@pytest.mark.parametrize(
    "abuse",
    [
        pytest.param([{"text_data": "not json {"}], id="garbage"),
        pytest.param([{"text_data": "[1, 2, 3]"}], id="not-an-object"),
        pytest.param([{"text_data": '{"x": "' + "a" * 5000 + '"}'}], id="oversized"),
        pytest.param([{"bytes_data": b"\x00\x01binary"}], id="binary"),
        pytest.param(
            [{"text_data": '{"ping": 1}'}]
            * (consumers.MAX_CLIENT_MESSAGES_PER_10S + 1),
            id="flood",
        ),
    ],
)
async def test_an_abusive_client_is_closed_and_the_others_keep_their_pushes(abuse):
    w = await world()
    room = w.rooms[0]
    good, _ = await room_socket(w, index=0)
    bad, _ = await room_socket(w, index=1)
    await state_of(good)
    await state_of(bad)
    for message in abuse:
        await bad.send_to(**message)
    closed = await bad.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": consumers.CLOSE_ABUSE}
    await push(realtime.room_group(room.pk), '<div id="tally">7 votes</div>')
    assert "7 votes" in await receive_until(good, "tally")
    await good.disconnect()


async def test_a_well_behaved_client_pinging_stays_open():
    w = await world()
    comm, _ = await room_socket(w)
    await state_of(comm)
    for _ in range(10):
        await comm.send_to(text_data='{"ping": 1}')
    assert await comm.receive_nothing(timeout=0.3)
    await push(realtime.room_group(w.rooms[0].pk), '<div id="still">here</div>')
    assert "here" in await receive_until(comm, "still")
    await comm.disconnect()


async def test_signing_out_closes_that_persons_sockets_only():
    w = await world()
    mine, delegate = await room_socket(w, index=0)
    other, _ = await room_socket(w, index=1)
    await state_of(mine)
    await state_of(other)

    def sign_out():
        client = Client()
        client.force_login(delegate.user)
        return client.post("/logout/")

    response = await database_sync_to_async(sign_out)()
    assert response.status_code == 302
    closed = await mine.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": consumers.CLOSE_SIGNED_OUT}
    assert await other.receive_nothing(timeout=0.3)
    await other.disconnect()


async def test_a_socket_that_reads_slowly_does_not_hold_up_a_push():
    """The push is written to each socket in turn; none waits for another."""
    w = await world()
    room = w.rooms[0]
    sockets = [(await room_socket(w, index=i))[0] for i in range(3)]
    for s in sockets:
        await state_of(s)
    await asyncio.wait_for(
        push(realtime.room_group(room.pk), '<div id="quick">now</div>'), timeout=1
    )
    for s in sockets:
        assert "now" in await receive_until(s, "quick")
        await s.disconnect()


# --- "live updates are paused" ------------------------------------------------


class BrokenLayer:
    """A channel layer whose Redis is gone."""

    async def group_send(self, group, message):
        raise ConnectionError(
            "Error 111 connecting to 127.0.0.1:6379. Connection refused."
        )


def test_pages_say_live_updates_are_paused_while_pushes_fail(world, monkeypatch):
    client = Client()
    client.force_login(w_user := world.delegates[0].user)
    assert w_user.is_authenticated
    assert client.get("/login/")["Samatcha-Live"] == "ok"

    monkeypatch.setattr(realtime, "get_channel_layer", lambda: BrokenLayer())
    assert realtime.send("room.1", "<div id='x'></div>") is False  # logged, not raised
    response = client.get("/login/", headers={"HX-Request": "true"})
    assert response["Samatcha-Live"] == "paused"

    monkeypatch.undo()
    assert realtime.send("room.1", "<div id='x'></div>") is True
    assert client.get("/login/")["Samatcha-Live"] == "ok"


def test_a_failed_push_never_fails_the_committed_write(world, monkeypatch):
    """realtime.send runs on commit; Redis down is logged, the write stands."""
    from django.db import transaction

    from assembly.models import Room

    monkeypatch.setattr(realtime, "get_channel_layer", lambda: BrokenLayer())
    room = world.rooms[0]
    with transaction.atomic():
        Room.objects.filter(pk=room.pk).update(name_en="Renamed")
        realtime.push_on_commit(realtime.room_group(room.pk), lambda: "<div></div>")
    room.refresh_from_db()
    assert room.name_en == "Renamed"
    assert realtime.live_paused()
    monkeypatch.undo()
    realtime.send(realtime.room_group(room.pk), "<div></div>")
    assert not realtime.live_paused()


def test_samatcha_js_reads_the_live_header_and_retries_every_close():
    """The browser half of the contract, checked on the shipped script."""
    from pathlib import Path

    js = (Path(__file__).resolve().parents[2] / "static/js/samatcha.js").read_text()
    assert 'getResponseHeader("Samatcha-Live")' in js
    assert "htmx:wsClose" in js and "reconnect()" in js
    assert 'state("reconnecting")' in js and 'state("paused")' in js


async def test_a_crowd_connecting_at_once_shares_renders_of_the_current_state():
    """A venue's Wi-Fi comes back: every socket gets the state, rendered a few
    times rather than once per socket; a change before a later connect shows."""
    w = await world()
    room = w.rooms[0]
    renders = []

    def part(r):
        renders.append(r.pk)
        return f'<div id="probe-state">v{len(renders)}</div>'

    saved = list(realtime._room_snapshot_parts)
    realtime._room_snapshot_parts[:] = [part]
    try:
        partners = w.partners_in(room)
        crowd = await asyncio.gather(
            *(
                connect(
                    f"/ws/rooms/{room.pk}/",
                    user=w.delegate_of(partners[i % len(partners)]).user,
                )
                for i in range(12)
            )
        )
        for comm, accepted, _ in crowd:
            assert accepted
            assert "probe-state" in await comm.receive_from(timeout=5)
        assert 1 <= len(renders) < 12
        before = len(renders)
        late, accepted, _ = await connect(
            f"/ws/rooms/{room.pk}/", user=w.delegate_of(partners[0]).user
        )
        assert f"v{before + 1}" in await late.receive_from(timeout=5)  # a fresh render
        for comm, _, _ in crowd:
            await comm.disconnect()
        await late.disconnect()
    finally:
        realtime._room_snapshot_parts[:] = saved


async def test_delegates_stay_present_while_their_sockets_live_one_heartbeat_for_all(
    monkeypatch,
):
    """Presence lapses after TTL unless touched: one heartbeat of the process
    keeps every open delegate socket present; a closed one stops at once."""
    monkeypatch.setattr(presence, "TTL", 1)  # whole seconds: Redis expires keys
    monkeypatch.setattr(presence, "HEARTBEAT", 0.2)
    w = await world()
    room = w.rooms[0]
    first, d1 = await room_socket(w, index=0)
    second, d2 = await room_socket(w, index=1)
    await state_of(first)
    await state_of(second)
    partners = [d1.partner_id, d2.partner_id]

    async def present():
        return await database_sync_to_async(presence.connected)(room.pk, partners)

    assert len(consumers.heartbeat().present) == 2  # one heartbeat, both sockets
    await asyncio.sleep(2.5)  # well past the TTL: only heartbeats keep them
    assert await present() == set(partners)
    await first.disconnect()
    assert await present() == {d2.partner_id}
    await asyncio.sleep(2.0)
    assert await present() == {d2.partner_id}
    await second.disconnect()
    assert await present() == set()
    assert consumers.heartbeat().present == set()


def test_with_redis_presence_is_one_shared_sorted_set_per_room(settings):
    """Several processes share presence through Redis: each socket is its own
    member of the room's sorted set, never a dict that each process rewrites."""
    import os

    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the PostgreSQL + Redis run of .ci/run)")
    assert isinstance(caches["default"], RedisCache)
    assert isinstance(presence._store(), presence._Redis)
    presence.touch(990001, 1, "socket-a")
    presence.touch(990001, 2, "socket-b")
    try:
        client, key = presence._Redis._client_and_key(990001)
        assert client.type(key) == b"zset"
        assert presence.connected(990001, [1, 2, 3]) == {1, 2}
    finally:
        presence.leave(990001, 1)
        presence.leave(990001, 2)
    assert presence.connected(990001, [1, 2]) == set()


def test_a_heartbeat_touches_all_the_processs_sockets_in_one_round_trip():
    """A process's heartbeat keeps every socket it holds present: a thousand at
    national scale. One round trip per socket held the interpreter from the
    ballots in between; now one transaction carries them all, in every room."""
    import os

    from redis import Redis

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the PostgreSQL + Redis run of .ci/run)")
    admin = Redis.from_url(os.environ["REDIS_URL"])

    def transactions() -> int:
        return int(admin.info("commandstats").get("cmdstat_exec", {}).get("calls", 0))

    rooms = [990011, 990012, 990013]
    entries = [(room, partner, f"socket-{room}-{partner}")
               for room in rooms for partner in range(1, 301)]
    before = transactions()
    presence.touch_all(entries)
    try:
        # One (900 before): the count is the server's, so a server another test
        # left running could add its own heartbeat's one in the meantime.
        assert transactions() - before <= 2
        for room in rooms:
            assert presence.connected(room, range(1, 400)) == set(range(1, 301))
    finally:
        for room in rooms:
            for partner in range(1, 301):
                presence.leave(room, partner)
    assert presence.connected(rooms[0], range(1, 400)) == set()


def test_requests_share_one_redis_connection_per_thread_not_one_each():
    """Django makes a cache object per async context, and under ASGI every
    request is one; reading the session then opened a new connection to Redis
    per request. The process keeps one pool: forty requests' cache reads, on
    four threads, connect a handful of times at most."""
    import contextvars
    import os
    from concurrent.futures import ThreadPoolExecutor

    from django.core.cache import caches
    from redis import Redis

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the PostgreSQL + Redis run of .ci/run)")
    admin = Redis.from_url(os.environ["REDIS_URL"])

    def connections_received() -> int:
        return int(admin.info("stats")["total_connections_received"])

    def one_request(n: int):
        # A fresh context, as ASGI gives each request.
        return contextvars.Context().run(lambda: caches["default"].get(f"probe-{n}"))

    one_request(0)
    before = connections_received()
    with ThreadPoolExecutor(4) as threads:
        assert list(threads.map(one_request, range(40))) == [None] * 40
    assert connections_received() - before <= 8
