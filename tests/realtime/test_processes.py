"""Several daphne processes on one PostgreSQL and one Redis, directly and behind
nginx: a ballot posted to one process moves the tally on sockets held by another.

Marked ``services``: they need DATABASE_URL (PostgreSQL) and REDIS_URL, and skip
without them (``.ci/run`` sets both; on CI an unreachable service fails).
"""

import asyncio
import re

import httpx
import pytest

from bench.clients import Session, Watcher, cast_ballot, follow, sign_in, tally_of
from tests.realtime.live import ballots_counted, sockets, voting_room, ws_base


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_a_ballot_on_one_process_moves_the_tally_on_the_other(
    services_env, start_daphne
):
    w, room, poll, cookies = await voting_room(partners=4)
    a = start_daphne(services_env)
    b = start_daphne(services_env)
    watchers = Watcher(expected=2)
    viewers = [Session(a.url, cookies[0]), Session(b.url, cookies[1])]
    async with (
        sockets(watchers, [a.url, b.url], room.pk, viewers),
        httpx.AsyncClient() as http,
    ):
        await watchers.wait_all(0, timeout=15)  # both were sent the state
        # Partner 3 votes on A, partner 4 on B: each moves both processes' sockets.
        for n, (server, cookie) in enumerate([(a, cookies[2]), (b, cookies[3])], 1):
            voter = Session(server.url, cookie)
            response = await cast_ballot(
                http, voter, room_id=room.pk, poll_id=poll.pk, choice="full"
            )
            assert response.status_code == 200, response.text[:500]
            await watchers.wait_all(n, timeout=5)
    assert len(await ballots_counted(poll)) == 2


class Recorder(Watcher):
    """A watcher that also keeps every message each socket was sent."""

    def __init__(self, expected: int):
        super().__init__(expected)
        self.texts: dict[int, list[str]] = {}

    def seen(self, index: int, message: str) -> None:
        self.texts.setdefault(index, []).append(message)
        super().seen(index, message)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_each_screen_gets_each_push_in_its_language_from_either_process(
    services_env, start_daphne
):
    """Through Redis: Thai and English screens on both processes; a ballot on
    one process reaches each screen once, rendered in that screen's language."""
    w, room, poll, cookies = await voting_room(partners=5)
    a = start_daphne(services_env)
    b = start_daphne(services_env)
    screens = [  # (process, session, socket path suffix, language expected)
        (a, Session(a.url, cookies[0]), "", "th"),
        (b, Session(b.url, cookies[1], language="en"), "", "en"),
        (a, Session(a.url, cookies[2]), "?lang=en", "en"),
        (b, Session(b.url, cookies[3], language="en"), "?lang=th", "th"),
    ]
    recorder = Recorder(expected=len(screens))
    tasks = [
        asyncio.create_task(
            follow(
                recorder,
                i,
                ws_base(server.url),
                f"/ws/rooms/{room.pk}/{suffix}",
                session,
                origin=server.url,
            )
        )
        for i, (server, session, suffix, _) in enumerate(screens)
    ]
    try:
        await recorder.wait_all(0, timeout=20)  # each was sent the state
        # Each process follows each language's group once (its hub), not once
        # per socket.
        import redis

        client = redis.Redis.from_url(services_env["REDIS_URL"])
        prefix = services_env["DJANGO_CHANNELS_PREFIX"]
        counts = dict(
            client.pubsub_numsub(
                *(f"{prefix}__group__room.{room.pk}.{lang}" for lang in ("th", "en"))
            )
        )
        assert sorted(counts.values()) == [2, 2], counts
        async with httpx.AsyncClient() as http:
            # Partner 5 votes on A, partner 1 on B.
            for n, (server, cookie) in enumerate([(a, cookies[4]), (b, cookies[0])], 1):
                voter = Session(server.url, cookie)
                response = await cast_ballot(
                    http, voter, room_id=room.pk, poll_id=poll.pk, choice="full"
                )
                assert response.status_code == 200, response.text[:500]
                await recorder.wait_all(n, timeout=10)
    finally:
        for ws in list(recorder.sockets.values()):
            await ws.close()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for i, (_server, _session, _suffix, language) in enumerate(screens):
        texts = recorder.texts[i]
        results = [t for t in texts if 'id="vote-result"' in t]
        final = results[-1]
        assert 'value="2"' in final, final[:400]
        ours, theirs = ("สนับสนุนเต็มที่", "Full support")[:: 1 if language == "th" else -1]
        assert ours in final, (i, language, final[:600])
        assert all(theirs not in t for t in texts), (i, language)
        # Each tally once per screen: one group per language, joined once.
        tallies = [tally_of(t) for t in results]
        assert tallies.count(2) == 1, (i, tallies)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_signing_out_on_one_process_closes_the_socket_held_by_the_other(
    services_env, start_daphne
):
    w, room, poll, cookies = await voting_room(partners=2)
    a = start_daphne(services_env)
    b = start_daphne(services_env)
    watcher = Watcher(expected=1)
    me = Session(b.url, cookies[0])
    async with sockets(watcher, [b.url], room.pk, [me]), httpx.AsyncClient() as http:
        await watcher.wait_all(0, timeout=15)
        out = await http.post(
            f"{a.url}/logout/",
            headers=Session(a.url, cookies[0]).headers(htmx=False),
            follow_redirects=False,
        )
        assert out.status_code == 302
        for _ in range(50):
            if watcher.closes.get(0):
                break
            await asyncio.sleep(0.1)
    assert watcher.closes.get(0) == 4401


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_nginx_spreads_sockets_over_two_processes_and_every_tally_reaches_all(
    services_env, start_daphne, start_nginx
):
    """deploy/nginx.conf's proxy, generated for two local daphne processes:
    sign-in over HTTP through nginx, WebSocket upgrade through nginx."""
    from channels.db import database_sync_to_async

    from assembly import services as assembly_services

    w, room, poll, _ = await voting_room(partners=6)
    tokens = await database_sync_to_async(
        lambda: [assembly_services.signin_link_issue(delegate=d) for d in w.delegates]
    )()
    a = start_daphne(services_env)
    b = start_daphne(services_env)
    proxy = start_nginx([a, b])
    async with httpx.AsyncClient() as http:
        sessions = [await sign_in(http, proxy.url, t) for t in tokens]
        watcher = Watcher(expected=len(sessions))
        async with sockets(watcher, [proxy.url] * len(sessions), room.pk, sessions):
            await watcher.wait_all(0, timeout=15)
            for n, s in enumerate(sessions, 1):
                response = await cast_ballot(
                    http, s, room_id=room.pk, poll_id=poll.pk, choice="support"
                )
                assert response.status_code == 200, response.text[:500]
                assert response.headers["Samatcha-Live"] == "ok"
                await watcher.wait_all(n, timeout=5)
        static = await http.get(f"{proxy.url}/static/js/samatcha.js")
        assert static.status_code == 200 and "Samatcha-Live" in static.text
    assert len(await ballots_counted(poll)) == len(sessions)
    # Both processes held some of the sockets.
    for d in (a, b):
        assert re.search(r"WSCONNECT /ws/rooms/", d.log(tail=10**6)), d.name


def test_the_systemd_unit_starts_daphne_as_the_tests_do():
    """deploy/samatcha@.service and the tests' daphne share their options."""
    from tests.realtime import servers

    unit = (servers.BASE_DIR / "deploy" / "samatcha@.service").read_text()
    exec_start = unit.split("ExecStart=", 1)[1].split("\nRestart=", 1)[0]
    for option in [*servers.DAPHNE_OPTIONS, "config.asgi:application"]:
        assert option in exec_start
    # The same listen backlog: a crowd waits for its accept, never reset.
    assert servers.endpoint("127.0.0.1", "%i") in exec_start
    # The app, not daphne, decides whose X-Forwarded-For to believe.
    assert "--proxy-headers" not in exec_start
