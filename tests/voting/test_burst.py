"""Queue, never refuse (issue 14): a burst of ballots over real HTTP at a real
daphne process on PostgreSQL with a small connection pool. Every ballot is
answered and counted once; none is refused 503 because the server is busy.

The pool here has 4 connections and gives up after 2 s (``DB_POOL_TIMEOUT``):
without the ballot queue (``voting/gate.py``) hundreds of request threads wait
for those 4 connections and most are answered 503. Marked ``services``: it
needs DATABASE_URL (PostgreSQL) and REDIS_URL, and skips without them.
"""

from __future__ import annotations

import asyncio
import collections
import time

import httpx
import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from bench.clients import Session, cast_ballot
from tests import factories
from tests.realtime.conftest import services_env, start_daphne  # noqa: F401
from tests.ws import session_cookie_for

BALLOTS = 300


def _room_with(partners: int):
    from voting.models import Poll

    world = factories.world(partners=partners, rooms=1, alternates=0)
    room = world.rooms[0]
    item = factories.agenda_item(world, room=room)
    poll = Poll.objects.create(room=room, kind=Poll.Kind.CONSENSUS, item=item,
                               status=Poll.Status.OPEN, opened_at=timezone.now())
    cookies = [session_cookie_for(d.user) for d in world.delegates]
    return room, poll, cookies


def _counted(poll) -> tuple[list[int], int]:
    from voting.models import Ballot, BallotEvent

    rows = list(Ballot.objects.filter(poll=poll).values_list("partner_id", flat=True))
    return rows, BallotEvent.objects.filter(poll=poll).count()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
async def test_a_burst_of_ballots_queues_and_every_one_is_counted_once(
    services_env, start_daphne  # noqa: F811
):
    room, poll, cookies = await database_sync_to_async(_room_with)(BALLOTS)
    env = {**services_env, "DB_POOL_MAX": "4", "DB_POOL_TIMEOUT": "2"}
    server = start_daphne(env)
    limits = httpx.Limits(max_connections=BALLOTS + 10,
                          max_keepalive_connections=BALLOTS + 10)
    async with httpx.AsyncClient(limits=limits, timeout=180) as http:
        sessions = [Session(server.url, cookie) for cookie in cookies]
        started = time.monotonic()
        responses = await asyncio.gather(*(
            cast_ballot(http, s, room_id=room.pk, poll_id=poll.pk, choice="support",
                        timeout=180)
            for s in sessions
        ))
        took = time.monotonic() - started
    codes = collections.Counter(r.status_code for r in responses)
    print(f"\n{BALLOTS} ballots at once: {dict(codes)} in {took:.1f} s")
    assert codes == {200: BALLOTS}, server.log()
    assert all('data-state="counted"' in r.text for r in responses)
    rows, events = await database_sync_to_async(_counted)(poll)
    assert len(rows) == len(set(rows)) == BALLOTS  # each counted, once
    assert events == BALLOTS
