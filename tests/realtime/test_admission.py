"""Queue, never refuse: HTTP requests beyond what the pool serves at once wait
their turn instead of being answered 503 (assembly/admission.py)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from assembly.admission import Admission
from bench.clients import Session, cast_ballot
from tests.realtime.live import ballots_counted, voting_room


async def test_requests_beyond_the_limit_wait_in_order_and_all_are_answered():
    inside, most, order = 0, 0, []

    async def django(scope, receive, send):
        nonlocal inside, most
        inside += 1
        most = max(most, inside)
        order.append(scope["path"])
        await asyncio.sleep(0.01)
        inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    app = Admission(django, limit=3)
    answers = []

    async def request(n):
        async def send(message):
            if message["type"] == "http.response.start":
                answers.append(message["status"])

        await app({"type": "http", "path": f"/{n}"}, None, send)

    await asyncio.gather(*(request(n) for n in range(40)))
    assert answers == [200] * 40
    assert most == 3
    assert order == [f"/{n}" for n in range(40)]  # first come, first served


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_a_burst_larger_than_the_pool_is_answered_in_full(
    services_env, start_daphne
):
    """Four connections, a one-second pool timeout, 30 ballots at once: each is
    counted and acknowledged; none is refused for want of a connection."""
    w, room, poll, cookies = await voting_room(partners=30)
    env = {**services_env, "DB_POOL_MAX": "4", "DB_POOL_TIMEOUT": "1"}
    server = start_daphne(env)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as http:
        answers = await asyncio.gather(
            *(
                cast_ballot(
                    http,
                    Session(server.url, cookie),
                    room_id=room.pk,
                    poll_id=poll.pk,
                    choice="full",
                    timeout=120,
                )
                for cookie in cookies
            )
        )
    assert sorted(r.status_code for r in answers) == [200] * 30, [
        (r.status_code, r.text[:200]) for r in answers if r.status_code != 200
    ]
    assert len(await ballots_counted(poll)) == 30
