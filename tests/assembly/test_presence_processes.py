"""Presence across processes (contract 9), on Redis: sockets held by one daphne
process count on another at once, stop counting the moment they close, and a
killed process's sockets lapse after the presence TTL (crash safety only).

Marked ``services``: two daphne processes on the run's PostgreSQL, each with
a private redis-server of this test (never the machine's shared one)."""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import pytest
from channels.db import database_sync_to_async

from bench.clients import Session, open_socket
from tests import factories
from tests.realtime.conftest import private_redis, services_env, start_daphne  # noqa: F401
from tests.realtime.live import ws_base
from tests.ws import session_cookie_for

PRESENT = re.compile(r'data-partner="(\d+)" data-presence="screen"')


def _world():
    w = factories.world(partners=3, rooms=1, alternates=0)
    room = w.rooms[0]
    cookies = [session_cookie_for(d.user) for d in w.delegates]
    return w, room, cookies, session_cookie_for(w.facilitators[room.pk])


async def seen_by(http: httpx.AsyncClient, server, room_id: int, cookie: str) -> set[int]:
    """The partners with a screen in the room, as the facilitator's console
    served by ``server`` shows them."""
    response = await http.get(
        f"{server.url}/rooms/{room_id}/console/presence/",
        headers=Session(server.url, cookie).headers(),
    )
    assert response.status_code == 200, response.text[:300]
    return {int(pk) for pk in PRESENT.findall(response.text)}


async def until(http, server, room_id, cookie, expected: set[int], *, within: float):
    """Wait for the console to show ``expected``; how long it took."""
    started = time.monotonic()
    seen = None
    while time.monotonic() - started < within:
        seen = await seen_by(http, server, room_id, cookie)
        if seen == expected:
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"expected {expected}, the console shows {seen}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_presence_is_shared_by_processes_and_a_close_counts_at_once(
    services_env, start_daphne, private_redis  # noqa: F811
):
    env = {**services_env, "REDIS_URL": private_redis.url,
           "DJANGO_PRESENCE_TTL": "40"}
    w, room, cookies, facilitator = await database_sync_to_async(_world)()
    ids = [p.pk for p in w.partners]
    a, b = start_daphne(env), start_daphne(env)
    sockets = [
        await open_socket(ws_base(a.url), f"/ws/rooms/{room.pk}/",
                          Session(a.url, c), origin=a.url)
        for c in cookies
    ]
    async with httpx.AsyncClient(timeout=10) as http:
        await until(http, b, room.pk, facilitator, set(ids), within=10)
        for ws in sockets[1:]:
            await ws.close()
        # Gone on the other process well before a 40 s heartbeat TTL could lapse.
        took = await until(http, b, room.pk, facilitator, {ids[0]}, within=5)
        assert took < 5
        await sockets[0].close()
        await until(http, b, room.pk, facilitator, set(), within=5)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_a_killed_processs_sockets_lapse_after_the_ttl_not_before(
    services_env, start_daphne, private_redis  # noqa: F811
):
    ttl = 3
    env = {**services_env, "REDIS_URL": private_redis.url,
           "DJANGO_PRESENCE_TTL": str(ttl)}
    w, room, cookies, facilitator = await database_sync_to_async(_world)()
    doomed, survivor = start_daphne(env, name="doomed"), start_daphne(env)
    partner = w.partners[0].pk
    await open_socket(ws_base(doomed.url), f"/ws/rooms/{room.pk}/",
                      Session(doomed.url, cookies[0]), origin=doomed.url)
    async with httpx.AsyncClient(timeout=10) as http:
        await until(http, survivor, room.pk, facilitator, {partner}, within=10)
        doomed.kill()  # SIGKILL: its socket never says it closed
        killed_at = time.monotonic()
        assert await seen_by(http, survivor, room.pk, facilitator) == {partner}
        await until(http, survivor, room.pk, facilitator, set(), within=ttl + 10)
        # It lapsed by its expiry: not sooner than the TTL after its last heartbeat.
        assert time.monotonic() - killed_at >= ttl - ttl // 3 - 0.5
