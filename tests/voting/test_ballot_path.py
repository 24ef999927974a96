"""The lean ballot path (issue 14): what one ballot costs through the real ASGI
application, and what it answers (contract 2).

A ballot costs at most five SQL statements, the session read included (cached
sessions: a cache hit, no statement), counted on every thread the request uses
(``tests/voting/asgi.py``). The tally push is not the request's: it is rendered
later, once per push window, by ``voting.live``. Runs on SQLite and, with
DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import gc

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from assembly import thai_words
from tests import factories
from tests.voting.asgi import REQUEST, QueryLog, post
from tests.voting.conftest import make_item, make_present
from tests.ws import session_cookie_for
from voting import services
from voting.models import Ballot, BallotEvent, Poll, SecretChoice

pytestmark = pytest.mark.django_db(transaction=True)

MAX_QUERIES = 5


@database_sync_to_async
def open_room(*, secret=False, proxy=False):
    world = factories.world(partners=6, rooms=2)
    room = world.rooms[0]
    make_item(world, room)
    make_present(room, world.partners_in(room))
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor,
                                secret=secret)
    services.poll_open(poll=poll, actor=actor)
    partners = world.partners_in(room)
    if proxy:
        services.proxy_give(assembly=world.assembly, giver=partners[1],
                            holder=partners[0], actor=world.secretariat)
    sessions = [session_cookie_for(world.delegate_of(p).user) for p in partners]
    # The day's names are known to the Thai segmenter before the first ballot, as
    # after the first page of the day: a ballot never pays for that rebuild.
    thai_words.ensure_current()
    return world, room, poll, partners, sessions


def statements(log: QueryLog, tag: int) -> list[str]:
    return log.by_request.get(tag, [])


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
async def test_a_ballot_costs_at_most_five_queries_with_its_session(
    monkeypatch, secret, no_effects
):
    world, room, poll, partners, sessions = await open_room(secret=secret)
    log = QueryLog().install(monkeypatch)
    url = reverse("voting:ballot", args=[room.pk])
    # A first ballot and a change: both are what a phone sends all day.
    for choice in ("support", "full"):
        status, body, tag = await post(
            url, {"poll": poll.pk, "choice": choice}, session=sessions[0]
        )
        assert status == 200, body
        sql = statements(log, tag)
        assert len(sql) <= MAX_QUERIES, "\n".join(sql)
        # The session came from the cache; the signed-in user and the delegate
        # were read once, in one statement (assembly.backends).
        assert not any("django_session" in s for s in sql), sql
        assert sum('FROM "auth_user"' in s for s in sql) == 1, sql
        assert sum("assembly_delegate" in s and "voting_poll" not in s
                   for s in sql) == 1, sql
        assert any('FROM "auth_user"' in s and "assembly_delegate" in s
                   for s in sql), sql
    counted = await database_sync_to_async(
        lambda: list((SecretChoice if secret else Ballot).objects.filter(
            poll=poll).values_list("partner_id", "choice"))
    )()
    assert counted == [(partners[0].pk, "full")]


async def test_a_ballot_crosses_into_its_thread_once_for_its_whole_stack(
    monkeypatch, no_effects
):
    """Each crossing between the event loop and the request's thread is a
    future, a wake-up and a handover of the lock every thread shares: Django's
    request signals, the middleware, URL resolution, the view and the response's
    close run in one crossing (assembly/handler.py)."""
    from asgiref import sync

    world, room, poll, partners, sessions = await open_room()
    crossings = []
    into_thread, back_to_loop = sync.SyncToAsync.__call__, sync.AsyncToSync.__call__

    def into(self, *args, **kwargs):
        if REQUEST.get() is not None and self._thread_sensitive:
            crossings.append(("into the thread", getattr(self.func, "__name__", "")))
        return into_thread(self, *args, **kwargs)

    def back(self, *args, **kwargs):
        if REQUEST.get() is not None:
            crossings.append(("back to the loop", getattr(self.awaitable, "__name__", "")))
        return back_to_loop(self, *args, **kwargs)

    monkeypatch.setattr(sync.SyncToAsync, "__call__", into)
    monkeypatch.setattr(sync.AsyncToSync, "__call__", back)
    status, body, _tag = await post(
        reverse("voting:ballot", args=[room.pk]),
        {"poll": poll.pk, "choice": "support"}, session=sessions[0],
    )
    assert status == 200 and 'data-state="counted"' in body, body
    assert len(crossings) == 1, crossings
    assert not [c for c in crossings if c[0] == "back to the loop"], crossings


# What an answered request is made of; an object of these types that only the
# cycle collector can free is a request that waited for it.
REQUEST_GRAPH = {"ASGIRequest", "HttpResponse", "SessionStore", "FallbackStorage",
                 "HtmxDetails", "RequestAborted", "ResolverMatch"}


async def test_an_answered_ballot_is_freed_without_the_cycle_collector(no_effects):
    """Each request left for the collector made it stop a busy server's event
    loop more often and for longer (assembly/handler.py, "Cycles")."""
    world, room, poll, partners, sessions = await open_room()
    url = reverse("voting:ballot", args=[room.pk])
    await post(url, {"poll": poll.pk, "choice": "support"}, session=sessions[0])
    gc.collect()
    flags = gc.get_debug()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        status, body, _tag = await post(
            url, {"poll": poll.pk, "choice": "full"}, session=sessions[0]
        )
        gc.collect()
        left = sorted({type(o).__name__ for o in gc.garbage} & REQUEST_GRAPH)
    finally:
        gc.garbage.clear()
        gc.set_debug(flags)
        gc.enable()
    assert status == 200 and 'data-state="counted"' in body, body
    assert left == [], left


async def test_a_ballot_by_proxy_costs_no_more(monkeypatch, no_effects):
    world, room, poll, partners, sessions = await open_room(proxy=True)
    log = QueryLog().install(monkeypatch)
    status, body, tag = await post(
        reverse("voting:ballot", args=[room.pk]),
        {"poll": poll.pk, "choice": "live", "for_partner": partners[1].pk},
        session=sessions[0],
    )
    assert status == 200, body
    assert 'id="ballot-status-proxy"' in body
    assert len(statements(log, tag)) <= MAX_QUERIES, statements(log, tag)


async def test_the_acknowledgement_is_the_small_status_fragment(no_effects):
    world, room, poll, partners, sessions = await open_room()
    status, body, _tag = await post(
        reverse("voting:ballot", args=[room.pk]),
        {"poll": poll.pk, "choice": "support"}, session=sessions[0],
    )
    assert status == 200
    delegate = world.delegate_of(partners[0])
    assert body.lstrip().startswith('<div id="ballot-status"')
    assert 'data-state="counted"' in body and 'data-choice="support"' in body
    assert (f"{partners[0].organisation.label} votes: Support "
            f"(cast by {delegate.name}).") in body
    assert len(body.encode()) < 1024  # not the ballot area, not the tally
    assert "vote-result" not in body and "<form" not in body


@pytest.mark.parametrize(
    "data, code, message",
    [
        ({"choice": "maybe"}, 400, "Choose one of the options of this vote."),
        ({"choice": "block"}, 400,
         "Give a short reason for serious concerns or a block."),
        ({"choice": "block", "reason": "x" * 501}, 400,
         "Keep the reason to 500 characters or fewer."),
    ],
)
async def test_bad_input_answers_400_in_the_status_and_changes_nothing(
    no_effects, data, code, message
):
    world, room, poll, partners, sessions = await open_room()
    status, body, _tag = await post(
        reverse("voting:ballot", args=[room.pk]), {"poll": poll.pk, **data},
        session=sessions[0],
    )
    assert status == code
    assert 'id="ballot-status"' in body and 'data-state="refused"' in body
    assert message in body
    assert await database_sync_to_async(
        lambda: (Ballot.objects.count(), BallotEvent.objects.count())
    )() == (0, 0)


async def test_an_ended_session_answers_401_with_a_way_to_sign_in(no_effects):
    world, room, poll, partners, sessions = await open_room()
    status, body, _tag = await post(
        reverse("voting:ballot", args=[room.pk]),
        {"poll": poll.pk, "choice": "full"}, session="no-such-session",
    )
    assert status == 401
    assert 'data-state="refused"' in body
    assert reverse("assembly:login") in body and "Sign in again" in body
    assert await database_sync_to_async(Ballot.objects.count)() == 0


async def test_a_closed_poll_answers_409_and_changes_nothing(no_effects):
    world, room, poll, partners, sessions = await open_room()
    await database_sync_to_async(services.poll_close)(
        poll=poll, actor=world.facilitators[room.pk]
    )
    status, body, _tag = await post(
        reverse("voting:ballot", args=[room.pk]),
        {"poll": poll.pk, "choice": "full"}, session=sessions[0],
    )
    assert status == 409
    assert "Voting closed before your ballot arrived." in body
    assert await database_sync_to_async(Ballot.objects.count)() == 0


async def test_thai_phones_get_thai_acknowledgements(no_effects):
    world, room, poll, partners, sessions = await open_room()
    status, body, _tag = await post(
        reverse("voting:ballot", args=[room.pk]),
        {"poll": poll.pk, "choice": "support"}, session=sessions[0], language="th",
    )
    assert status == 200
    assert "สนับสนุน" in body and "Support" not in body


async def test_a_ballots_status_reaches_the_organisations_other_phone_from_the_loop(
    monkeypatch, no_effects
):
    """A colleague's phone learns of the ballot (in its own language, its Thai
    marked like a page's) from the ballot in hand: the status is made and
    rendered on the event loop, without a worker thread (voting/live.py)."""
    import threading

    from assembly import realtime
    from tests.readable import readable
    from tests.ws import connect, drain

    world, room, poll, partners, sessions = await open_room()
    # The organisation's alternate, on a phone of their own.
    [colleague] = [d for d in world.alternates if d.partner_id == partners[0].pk]
    phone, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=colleague.user)
    assert accepted
    await drain(phone)
    threads = []
    render_each = realtime._render_each

    def spying(group, render, wanted, **kwargs):
        threads.append((group, threading.current_thread() is threading.main_thread()))
        return render_each(group, render, wanted, **kwargs)

    monkeypatch.setattr(realtime, "_render_each", spying)
    status, body, _tag = await post(
        reverse("voting:ballot", args=[room.pk]),
        {"poll": poll.pk, "choice": "support"}, session=sessions[0],
    )
    assert status == 200, body
    raw = ""
    while 'id="ballot-status"' not in raw:
        raw = await phone.receive_from(timeout=10)
    message = readable(raw)
    assert 'data-state="counted"' in message and 'data-choice="support"' in message
    # The phone reads Thai: who cast it, in Thai, the words marked as on a page.
    assert f"(ลงโดย {world.delegate_of(partners[0]).name_th})" in message
    assert "<th-w>" in raw
    on_loop = [on for group, on in threads if group == realtime.partner_group(
        room.pk, partners[0].pk)]
    assert on_loop == [True]
    await phone.disconnect()


@pytest.mark.postgres
async def test_on_postgresql_a_ballots_statements_are_prepared_once_per_connection(
    no_effects,
):
    """Server-side binding: a connection that has cast a few ballots has its
    statements prepared, so PostgreSQL parses and plans a ballot once per
    connection, not once per ballot (config/settings.py)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (see .ci/run)")
    world, room, poll, partners, sessions = await open_room()

    @database_sync_to_async
    def cast_and_list_prepared():
        for k in range(8):  # psycopg prepares a statement on its fifth run
            partner = partners[k % len(partners)]
            services.ballot_cast(
                poll=Poll(pk=poll.pk, room_id=room.pk),
                delegate=world.delegate_of(partner),
                choice=("support", "full")[(k // len(partners)) % 2],
            )
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    prepared = await cast_and_list_prepared()
    # The poll read under its lock and the ballot's write, each prepared.
    assert any("FOR SHARE" in s or "FOR UPDATE" in s for s in prepared), prepared
    assert any("voting_ballot" in s and "INSERT" in s for s in prepared), prepared
