"""Faults survived: a daphne process killed mid-vote, Redis restarted mid-session,
PostgreSQL unreachable, and (in test_consumers) abusive clients.

The first two start real processes on PostgreSQL + Redis (``services``); the
PostgreSQL one needs no service at all: it points a daphne at a closed port.
"""

import asyncio

import httpx
import pytest

from bench.clients import Session, Watcher, cast_ballot
from tests.realtime import servers
from tests.realtime.live import (
    ballots_counted,
    cast_until_acknowledged,
    sockets,
    voting_room,
    ws_base,
)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_a_process_killed_mid_vote_loses_no_ballot_and_its_sockets_come_back(
    services_env, start_daphne, start_nginx
):
    partners = 12
    w, room, poll, cookies = await voting_room(partners=partners)
    a = start_daphne(services_env)
    b = start_daphne(services_env)
    proxy = start_nginx([a, b])
    sessions = [Session(proxy.url, c) for c in cookies]
    viewers = sessions[:8]
    watcher = Watcher(expected=len(viewers))
    acknowledged: list[int] = []
    async with (
        sockets(
            watcher, [proxy.url] * len(viewers), room.pk, viewers, reconnect=True
        ) as reconnects,
        httpx.AsyncClient() as http,
    ):
        await watcher.wait_all(0, timeout=20)
        for i, s in enumerate(sessions):
            if i == partners // 2:
                a.kill()  # mid-vote, with sockets open on it
            await cast_until_acknowledged(
                http,
                s,
                base_url=proxy.url,
                room_id=room.pk,
                poll_id=poll.pk,
                choice="live",
            )
            acknowledged.append(w.delegates[i].partner_id)
        # Every screen, reconnected or not, ends on the full count.
        await watcher.wait_all(partners, timeout=20)
        assert reconnects, "some sockets were expected on the killed process"
    counted = await ballots_counted(poll)
    assert sorted(counted) == sorted(acknowledged)  # each once, none lost
    assert set(counted.values()) == {"live"}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_redis_restarted_mid_session_loses_no_ballot_and_pushes_resume(
    services_env, start_daphne, private_redis
):
    env = {**services_env, "REDIS_URL": private_redis.url}
    w, room, poll, cookies = await voting_room(partners=5)
    a = start_daphne(env)
    b = start_daphne(env)
    viewers = [Session(a.url, cookies[0]), Session(b.url, cookies[1])]
    watcher = Watcher(expected=2)
    async with (
        sockets(watcher, [a.url, b.url], room.pk, viewers, reconnect=True),
        httpx.AsyncClient() as http,
    ):

        async def vote(server, cookie, choice="full"):
            response = await cast_ballot(
                http,
                Session(server.url, cookie),
                room_id=room.pk,
                poll_id=poll.pk,
                choice=choice,
            )
            assert response.status_code == 200, response.text[:300]
            return response

        await watcher.wait_all(0, timeout=20)
        await vote(a, cookies[2])
        await watcher.wait_all(1, timeout=5)

        private_redis.stop()
        await vote(a, cookies[3])  # recorded while Redis is down
        assert len(await ballots_counted(poll)) == 2
        await asyncio.sleep(0.5)  # the coalesced tally push has failed by now
        later = await http.get(
            f"{a.url}/rooms/{room.pk}/ballot/",
            headers=Session(a.url, cookies[3]).headers(),
        )
        assert later.headers["Samatcha-Live"] == "paused", a.log()

        private_redis.start()  # same port, empty: nothing was kept in it
        await asyncio.sleep(2)  # the layers' receivers reconnect and resubscribe
        await vote(b, cookies[4])
        await watcher.wait_all(3, timeout=15)  # both screens, all three ballots
        after = await http.get(
            f"{b.url}/rooms/{room.pk}/ballot/",
            headers=Session(b.url, cookies[4]).headers(),
        )
        assert after.headers["Samatcha-Live"] == "ok"
    assert len(await ballots_counted(poll)) == 3


async def test_postgresql_unreachable_answers_a_clear_503_not_a_traceback(tmp_path):
    closed = servers.free_port()  # nothing listens there
    d = servers.Daphne(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed}/samatcha",
            "DB_POOL_TIMEOUT": "2",
            "DB_POOL_MIN": "1",
            "REDIS_URL": "",
            "DJANGO_DEBUG": "1",  # even with debug pages on
        },
        log_dir=tmp_path,
    ).start()
    try:
        async with httpx.AsyncClient(timeout=20) as http:
            for method, path in [
                ("GET", "/"),
                ("GET", "/rooms/1/"),
                ("GET", "/board/1/"),
                ("POST", "/rooms/1/ballot/"),
                ("GET", "/s/"),
            ]:
                # As a signed-in phone would: session cookie, CSRF token.
                headers = Session(d.url, "s" * 32).headers()
                response = await http.request(method, d.url + path, headers=headers)
                assert response.status_code == 503, (path, response.status_code)
                assert "Temporarily unavailable" in response.text
                assert "ระบบไม่พร้อมใช้งานชั่วคราว" in response.text
                assert "Traceback" not in response.text
                assert response.headers["Retry-After"]
            # A socket is refused rather than left hanging.
            from websockets.asyncio.client import connect

            with pytest.raises(Exception):
                async with connect(
                    ws_base(d.url) + "/ws/rooms/1/", origin=d.url, open_timeout=10
                ) as ws:
                    await asyncio.wait_for(ws.recv(), 10)
    finally:
        d.stop()


async def test_a_flooding_client_on_a_real_server_is_closed_and_the_others_vote_on(
    tmp_path, start_daphne
):
    """The consumer's limits hold on a real daphne too (SQLite file, in-memory
    layer, one process: the embedded setup)."""
    db = tmp_path / "flood.sqlite3"
    env = {"DJANGO_SQLITE_PATH": str(db), "DATABASE_URL": "", "REDIS_URL": ""}
    tokens, room_id, poll_id = await asyncio.to_thread(_seed_sqlite, db)
    d = start_daphne(env)
    from bench.clients import open_socket, sign_in

    async with httpx.AsyncClient() as http:
        good_session = await sign_in(http, d.url, tokens[0])
        bad_session = await sign_in(http, d.url, tokens[1])
        watcher = Watcher(expected=1)
        async with sockets(watcher, [d.url], room_id, [good_session]):
            await watcher.wait_all(0, timeout=15)
            bad = await open_socket(
                ws_base(d.url), f"/ws/rooms/{room_id}/", bad_session, origin=d.url
            )
            for _ in range(200):
                try:
                    await bad.send('{"ping": 1}')
                except Exception:  # noqa: BLE001 - closed under us: that is the point
                    break
            await asyncio.wait_for(bad.wait_closed(), 5)
            assert bad.close_code == 4408
            response = await cast_ballot(
                http, bad_session, room_id=room_id, poll_id=poll_id, choice="full"
            )
            assert response.status_code == 200
            await watcher.wait_all(1, timeout=5)


def _seed_sqlite(path, partners: int = 3):
    import json
    import os
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--partners", str(partners), "--migrate"],
        cwd=servers.BASE_DIR,
        check=True,
        timeout=300,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SQLITE_PATH": str(path),
            "DATABASE_URL": "",
            "REDIS_URL": "",
        },
    )
    seeded = json.loads(out.stdout)
    return seeded["tokens"], seeded["room"], seeded["poll"]


async def test_a_burst_of_ballots_reaches_screens_as_a_few_coalesced_pushes(
    tmp_path, start_daphne
):
    """30 partners voting at once over HTTP on a real server: every ballot
    counted once, and each screen gets far fewer pushes than ballots."""
    db = tmp_path / "burst.sqlite3"
    env = {"DJANGO_SQLITE_PATH": str(db), "DATABASE_URL": "", "REDIS_URL": ""}
    tokens, room_id, poll_id = await asyncio.to_thread(_seed_sqlite, db, 30)
    d = start_daphne(env)
    from bench.clients import sign_in

    async with httpx.AsyncClient(timeout=60) as http:
        sessions = [await sign_in(http, d.url, t) for t in tokens]
        watcher = Watcher(expected=2)
        async with sockets(watcher, [d.url] * 2, room_id, sessions[:2]):
            await watcher.wait_all(0, timeout=15)
            before = dict(watcher.messages)
            answers = await asyncio.gather(
                *(
                    cast_ballot(
                        http,
                        s,
                        room_id=room_id,
                        poll_id=poll_id,
                        choice="full",
                        timeout=60,
                    )
                    for s in sessions
                )
            )
            assert [a.status_code for a in answers] == [200] * 30
            await watcher.wait_all(30, timeout=15)
            await asyncio.sleep(0.5)
            pushes = [watcher.messages[i] - before.get(i, 0) for i in (0, 1)]
    assert all(1 <= p < 30 for p in pushes), pushes
    import sqlite3

    with sqlite3.connect(db) as conn:
        (ballots,) = conn.execute(
            "select count(*) from voting_ballot where poll_id = ?", (poll_id,)
        ).fetchone()
        (distinct,) = conn.execute(
            "select count(distinct partner_id) from voting_ballot where poll_id = ?",
            (poll_id,),
        ).fetchone()
    assert ballots == distinct == 30
