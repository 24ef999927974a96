"""Helpers of the multi-process and fault tests: a room with an open vote, and
signed-in sessions that real server processes accept."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
from channels.db import database_sync_to_async
from django.utils import timezone

from bench.clients import Session, Watcher, cast_ballot, follow
from tests import factories
from tests.ws import session_cookie_for


def _voting_room(partners: int):
    from voting.models import Poll

    w = factories.world(partners=partners, rooms=1, alternates=0)
    room = w.rooms[0]
    item = factories.agenda_item(w, room=room)
    # Opened directly: poll_open needs partners present, i.e. sockets that the
    # server processes record in their cache; the tests open those afterwards.
    poll = Poll.objects.create(
        room=room,
        kind=Poll.Kind.CONSENSUS,
        item=item,
        status=Poll.Status.OPEN,
        opened_at=timezone.now(),
    )
    cookies = [session_cookie_for(d.user) for d in w.delegates]
    return w, room, poll, cookies


async def voting_room(partners: int = 4):
    """(world, room, open consensus poll, session cookie of each partner's delegate)."""
    return await database_sync_to_async(_voting_room)(partners)


def ws_base(http_url: str) -> str:
    return "ws" + http_url[len("http") :]


async def ballots_counted(poll) -> dict[int, str]:
    from voting.models import Ballot

    def rows():
        return dict(
            Ballot.objects.filter(poll=poll).values_list("partner_id", "choice")
        )

    return await database_sync_to_async(rows)()


@contextlib.asynccontextmanager
async def sockets(
    watcher: Watcher,
    urls: list[str],
    room_id: int,
    sessions: list[Session],
    *,
    reconnect: bool = False,
):
    """One socket per (url, session) pair on the room; closed on exit."""
    stop = asyncio.Event()
    reconnects: list[int] = []
    tasks = [
        asyncio.create_task(
            follow(
                watcher,
                i,
                ws_base(url),
                f"/ws/rooms/{room_id}/",
                session,
                origin=url,
                reconnect=reconnect,
                stop=stop,
                reconnects=reconnects,
            )
        )
        for i, (url, session) in enumerate(zip(urls, sessions))
    ]
    try:
        yield reconnects
    finally:
        stop.set()
        for ws in list(watcher.sockets.values()):
            with contextlib.suppress(Exception):
                await ws.close()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def cast_until_acknowledged(
    http: httpx.AsyncClient,
    session: Session,
    *,
    base_url: str,
    room_id: int,
    poll_id: int,
    choice: str,
    attempts: int = 20,
) -> httpx.Response:
    """A delegate presses "vote" again until the server acknowledges it (a 502
    while a process dies, a refused connection); returns the acknowledgement."""
    last = None
    for _ in range(attempts):
        try:
            last = await cast_ballot(
                http,
                session,
                base_url=base_url,
                room_id=room_id,
                poll_id=poll_id,
                choice=choice,
                timeout=5,
            )
            if last.status_code == 200:
                return last
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"ballot never acknowledged: {last and last.status_code}")
