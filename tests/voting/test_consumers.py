"""Real sockets on a room while ballots are cast over HTTP."""

from __future__ import annotations

import asyncio
import re
import time

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.voting.conftest import make_item, make_present
from tests.readable import readable
from tests.ws import connect, drain
from tests.ws import receive_until as _receive_until
from voting import live, services
from voting.models import Poll

pytestmark = pytest.mark.django_db(transaction=True)

TALLY = re.compile(
    r'vote-row vote-(\w+)"><th scope="row">[^<]*</th><td class="vote-count">(\d+)<'
)
RESULT = re.compile(r'<section id="vote-result".*?</section>', re.DOTALL)


async def receive_until(comm, needle, timeout=15.0):
    """Generous: the machine running the suite may be busy."""
    return await _receive_until(comm, needle, timeout=timeout)


def tally_of(html: str) -> dict[str, int]:
    return {choice: int(n) for choice, n in TALLY.findall(html)}


@database_sync_to_async
def setup_room(*, partners=6, rooms=2, **poll_options):
    world = factories.world(partners=partners, rooms=rooms)
    room = world.rooms[0]
    make_item(world, room)
    make_present(room, world.partners_in(room))
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor,
                                **poll_options)
    services.poll_open(poll=poll, actor=actor)
    return world, room, poll


@database_sync_to_async
def cast_over_http(delegate, poll, choice, reason=""):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(delegate.user)
    response = client.post(
        reverse("voting:ballot", args=[poll.room_id]),
        {"poll": poll.pk, "choice": choice, "reason": reason},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content
    return response


@database_sync_to_async
def close(world, poll):
    return services.poll_close(poll=poll, actor=world.facilitators[poll.room_id])


async def open_socket(world, room, partner_index=0):
    delegate = world.delegate_of(world.partners_in(room)[partner_index])
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert accepted
    return comm


async def until_tally(comm, expected: dict[str, int], timeout=15.0, log=None) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = readable(await comm.receive_from(timeout=timeout))
        if log is not None:
            log.append(message)
        if 'id="vote-result"' not in message:
            continue
        if all(tally_of(message).get(k) == v for k, v in expected.items()):
            return message
    raise AssertionError(f"tally {expected} never pushed")


async def test_a_socket_gets_the_poll_state_and_the_ballot_signal_on_connect(
    no_effects,
):
    world, room, poll = await setup_room()
    comm = await open_socket(world, room)
    snapshot = await receive_until(comm, 'id="vote-result"')
    assert "0 of 3 partners voted" in snapshot or "0 จาก 3" in snapshot
    assert 'id="ballot-signal"' in snapshot
    assert reverse("voting:ballot", args=[room.pk]) in snapshot
    await comm.disconnect()


async def test_a_ballot_cast_over_http_moves_the_tally_on_room_sockets(no_effects):
    world, room, poll = await setup_room()
    delegate_socket = await open_socket(world, room, 1)
    projector, accepted, _ = await connect(f"/ws/projector/{room.projector_token}/")
    assert accepted
    await drain(delegate_socket)
    await drain(projector)
    voter = world.delegate_of(world.partners_in(room)[0])
    await cast_over_http(voter, poll, "support")
    for comm in (delegate_socket, projector):
        pushed = await until_tally(comm, {"support": 1})
        assert "1 of 3 partners voted" in pushed or "1 จาก 3" in pushed
    await cast_over_http(voter, poll, "full")  # a change moves the tally too
    pushed = await until_tally(projector, {"support": 0, "full": 1})
    await close(world, poll)
    closed = await receive_until(projector, "vote-outcome")
    assert 'id="ballot-signal"' in closed
    for comm in (delegate_socket, projector):
        await comm.disconnect()


async def test_a_secret_poll_pushes_only_turnout_while_open_and_figures_at_close(
    no_effects,
):
    world, room, poll = await setup_room(secret=True)
    comm = await open_socket(world, room, 2)
    await drain(comm)
    partners = world.partners_in(room)
    await cast_over_http(world.delegate_of(partners[0]), poll, "concerns",
                         "งบประมาณไม่พอสำหรับเด็กพิการ")
    await cast_over_http(world.delegate_of(partners[1]), poll, "full")
    pushes: list[str] = []
    while True:  # turnout moves with each ballot ...
        pushes.append(await receive_until(comm, 'id="vote-result"'))
        if "2 จาก 3" in pushes[-1] or "2 of 3" in pushes[-1]:
            break
    # ... and no figure of any choice is pushed while the poll is open.
    assert all(tally_of(p) == {} for p in pushes), pushes
    await close(world, poll)
    pushes.append(await receive_until(comm, "vote-outcome"))
    pushes += await drain(comm)
    await comm.disconnect()
    comm = await open_socket(world, room, 2)  # the snapshot after closing too
    pushes.append(await receive_until(comm, 'id="vote-result"'))
    await comm.disconnect()
    assert tally_of(pushes[-1]) == {"full": 1, "support": 0, "live": 0,
                                    "concerns": 1, "block": 0}
    forbidden = ["งบประมาณไม่พอ"]
    for partner in partners:
        org = partner.organisation
        forbidden += [org.name_th, org.name_en]
        forbidden += [org.short_name] if org.short_name else []
    forbidden += [d.name_th for d in world.delegates + world.alternates]
    for message in pushes:
        # The voting parts of every message; a tally push is nothing else.
        mine = RESULT.findall(message)
        if message.lstrip().startswith('<section id="vote-result"'):
            mine.append(message)
        assert mine
        for part in mine:
            for text in forbidden:
                assert text not in part


async def test_results_after_closing_hide_the_tally_but_show_participation(no_effects):
    world, room, poll = await setup_room(results_live=False)
    comm = await open_socket(world, room, 1)
    await drain(comm)
    await cast_over_http(world.delegate_of(world.partners_in(room)[0]), poll, "block",
                         "ขัดกับแผน")
    pushed = await receive_until(comm, "ลงคะแนนแล้ว 1 จาก 3 ภาคี")  # pushes are Thai
    assert tally_of(pushed) == {}
    await close(world, poll)
    closed = await receive_until(comm, "vote-outcome")
    assert tally_of(closed)["block"] == 1
    await comm.disconnect()


async def room_ready_for_a_burst(world, room, poll, *, gap: float = 0.0):
    """A socket on the room with its state read, and a burst: every partner of
    the room votes "live", ``gap`` seconds apart."""
    comm = await open_socket(world, room)
    # The socket's state first, whole: rendered late on a busy machine (after
    # some ballots of the burst), it would count as one more tally push.
    await receive_until(comm, 'id="vote-result"')
    await drain(comm)
    delegates = [world.delegate_of(p) for p in world.partners_in(room)]

    @database_sync_to_async
    def burst():
        for delegate in delegates:
            services.ballot_cast(poll=poll, delegate=delegate, choice="live")
            time.sleep(gap)

    return comm, burst


async def test_a_burst_of_ballots_sends_a_few_coalesced_updates(no_effects,
                                                                monkeypatch):
    monkeypatch.setattr(live, "COALESCE_SECONDS", 0.3)
    world, room, poll = await setup_room(partners=24, rooms=1)
    comm, burst = await room_ready_for_a_burst(world, room, poll)
    started = time.monotonic()
    await burst()
    elapsed = time.monotonic() - started
    received = []
    while True:
        message = await receive_until(comm, 'id="vote-result"')
        # Only pushes the burst caused: the socket's snapshot or the open's own
        # push may still arrive after the drain on a busy machine (both show
        # no ballot); they are not tally updates.
        if tally_of(message).get("live", 0) > 0:
            received.append(message)
        if tally_of(message).get("live") == 24:
            break
    await comm.disconnect()
    # At most one push per 0.3 s while ballots arrive, plus the last flush; a
    # burst without coalescing would send one push per ballot.
    assert len(received) <= elapsed / 0.3 + 2
    assert tally_of(received[-1])["live"] == 24


def a_write_in_flight():
    """A POST to the app whose body has not all arrived: in flight, as a ballot
    of a burst is while the server works through the ones before it."""
    from channels.testing import ApplicationCommunicator

    from config.asgi import application

    scope = {"type": "http", "http_version": "1.1", "method": "POST",
             "path": "/rooms/1/ballot/", "raw_path": b"/rooms/1/ballot/",
             "query_string": b"", "scheme": "http", "root_path": "",
             "headers": [(b"host", b"testserver")],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    return ApplicationCommunicator(application, scope)


async def a_socket_during_a_burst():
    """A socket on a room with its state read, two ballots in flight (a burst),
    and ``vote(choice)``: a third partner's ballot, cast in a worker thread."""
    world, room, poll = await setup_room(partners=3, rooms=1)
    comm = await open_socket(world, room)
    await receive_until(comm, 'id="vote-result"')
    await drain(comm)
    in_flight = [a_write_in_flight(), a_write_in_flight()]
    for request in in_flight:
        await request.send_input({"type": "http.request", "body": b"poll=1",
                                  "more_body": True})
    await asyncio.sleep(0.1)  # the requests have arrived

    @database_sync_to_async
    def vote(choice: str):
        services.ballot_cast(poll=poll, delegate=world.delegate_of(
            world.partners_in(room)[1]), choice=choice)

    return comm, vote, in_flight


async def test_a_tally_waits_for_the_ballots_in_flight_then_shows_them_all(
        no_effects):
    """During a burst the server answers ballots first: a tally falling due while
    a ballot is still in flight is pushed once that one has been answered."""
    comm, vote, in_flight = await a_socket_during_a_burst()
    await vote("live")
    # Held while the other ballot is in flight, far beyond the 100 ms window.
    held = await drain(comm, timeout=0.35)
    assert not [m for m in held if 'id="vote-result"' in m], held
    await in_flight[0].send_input({"type": "http.request", "body": b"&choice=live"})
    answer = await in_flight[0].receive_output(timeout=15)
    assert answer["type"] == "http.response.start"
    # One left in flight is no burst (it could be the ballot asking): pushed.
    pushed = await until_tally(comm, {"live": 1}, timeout=5)
    assert tally_of(pushed)["live"] == 1
    await comm.disconnect()
    await in_flight[1].send_input({"type": "http.disconnect"})
    await in_flight[1].wait(timeout=5)


async def test_a_tally_waits_at_most_half_a_second_for_ballots_in_flight(
        no_effects):
    """Ballots that keep coming never starve the screens: a due tally goes out
    at most MAX_HOLD_SECONDS after it fell due, writes in flight or not."""
    comm, vote, in_flight = await a_socket_during_a_burst()
    asked = time.monotonic()
    await vote("support")
    await until_tally(comm, {"support": 1}, timeout=5)
    waited = time.monotonic() - asked
    assert live.MAX_HOLD_SECONDS - 0.1 <= waited < live.MAX_HOLD_SECONDS + 2, waited
    await comm.disconnect()
    for request in in_flight:
        await request.send_input({"type": "http.disconnect"})
        await request.wait(timeout=5)


async def test_a_room_whose_pushes_cost_its_process_more_gets_fewer_of_them(
        no_effects, monkeypatch):
    """A push to a thousand screens costs the event loop tens of milliseconds;
    the tally window widens to ten times that (at most a second), so the loop
    keeps its time for ballots. Here a room whose pushes are said to take 50 ms
    per language: tally pushes at least a second apart, the last one whole."""
    from assembly import fanout, realtime

    world, room, poll = await setup_room(partners=24, rooms=1)
    costly = {realtime.localized(realtime.room_group(room.pk), lang)
              for lang in realtime.languages()}
    monkeypatch.setattr(fanout, "push_cost",
                        lambda group: 0.05 if group in costly else 0.0)
    comm, burst = await room_ready_for_a_burst(world, room, poll, gap=0.05)
    casting = asyncio.ensure_future(burst())  # read the pushes as they come
    arrivals = []
    while True:
        message = await receive_until(comm, 'id="vote-result"', timeout=10)
        if tally_of(message).get("live", 0) > 0:
            arrivals.append(time.monotonic())
        if tally_of(message).get("live") == 24:
            break
    await casting
    await comm.disconnect()
    assert len(arrivals) >= 2
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    # A second apart when sent; rendering time may vary a little between two.
    assert min(gaps) >= 0.8, gaps


async def test_the_countdown_closes_the_poll_on_the_server(no_effects, monkeypatch):
    monkeypatch.setattr("voting.services.polls.COUNTDOWN_MIN", 1)
    world, room, poll = await setup_room(countdown_seconds=1)
    comm = await open_socket(world, room)
    closed = await receive_until(comm, "vote-outcome")
    await comm.disconnect()
    assert 'id="ballot-signal"' in closed  # phones fetch their closed ballot

    @database_sync_to_async
    def reload():
        return Poll.objects.get(pk=poll.pk)

    poll = await reload()
    assert poll.status == Poll.Status.CLOSED and poll.closed_by is None
    assert poll.closed_at >= poll.closes_at


STATUS = re.compile(r'<div id="ballot-status"[^>]*>.*?</div>', re.DOTALL)


def statuses(messages: list[str]) -> list[str]:
    return [s for m in messages for s in STATUS.findall(m)]


async def until_status(comm, choice: str, timeout=15.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = await comm.receive_from(timeout=timeout)
        for status in STATUS.findall(message):
            if f'data-choice="{choice}"' in status:
                return status
    raise AssertionError(f"no ballot status with {choice} pushed")


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
async def test_a_replaced_ballot_is_pushed_to_every_phone_of_that_organisation_only(
    no_effects, secret
):
    world, room, poll = await setup_room(secret=secret)
    partners = world.partners_in(room)
    mine = partners[0]  # has a voting delegate and an alternate
    delegate, alternate = world.delegate_of(mine), world.alternates[0]
    assert alternate.partner_id == mine.pk
    phone_a, ok_a, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    phone_b, ok_b, _ = await connect(f"/ws/rooms/{room.pk}/", user=alternate.user)
    other = await open_socket(world, room, 1)
    projector, ok_p, _ = await connect(f"/ws/projector/{room.projector_token}/")
    assert ok_a and ok_b and ok_p
    for comm in (phone_a, phone_b, other, projector):
        await drain(comm)
    # The alternate votes first; then the voting delegate replaces that ballot.
    await cast_over_http(alternate, poll, "support")
    for phone in (phone_a, phone_b):
        pushed = await until_status(phone, "support")
        assert alternate.name_th in pushed
    await cast_over_http(delegate, poll, "live")
    for phone in (phone_a, phone_b):
        pushed = await until_status(phone, "live")
        assert 'data-state="counted"' in pushed
        assert f'data-partner="{mine.pk}"' in pushed
        assert delegate.name_th in pushed  # who cast the counted ballot
    # The room's other sockets see the turnout move, never the organisation's
    # ballot status.
    await until_tally_or_turnout(projector, voted=1)
    seen = await drain(other, timeout=0.5) + await drain(projector, timeout=0.5)
    assert statuses(seen) == []
    for comm in (phone_a, phone_b, other, projector):
        await comm.disconnect()


async def test_a_late_push_of_an_older_ballot_shows_the_ballot_that_counts(
    no_effects, monkeypatch
):
    """A ballot's status after a quiet spell is rendered from the ballot in hand;
    a second push for the organisation within the window reads the database.
    So when two colleagues' after-commit hooks run in the reverse order of their
    commits, the phones end on the ballot that counts, not on the older one."""
    monkeypatch.setattr(live, "COALESCE_SECONDS", 0.5)
    world, room, poll = await setup_room()
    mine = world.partners_in(room)[0]
    delegate, alternate = world.delegate_of(mine), world.alternates[0]
    phone, ok, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert ok
    await drain(phone)
    older = await database_sync_to_async(services.ballot_cast)(
        poll=poll, delegate=alternate, choice="support")
    await until_status(phone, "support")
    await database_sync_to_async(services.ballot_cast)(
        poll=poll, delegate=delegate, choice="live")
    # The older ballot's push, late: as if its hook had lost the race.
    await database_sync_to_async(live.request_status_push)(
        room.pk, mine.pk, None, older)
    await until_status(phone, "live")
    seen = await drain(phone, timeout=1.0)
    assert all('data-choice="live"' in status for status in statuses(seen)), seen
    await phone.disconnect()


async def until_tally_or_turnout(comm, *, voted: int, timeout=15.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = readable(await comm.receive_from(timeout=timeout))
        assert 'id="ballot-status' not in message
        if f"{voted} จาก" in message or f"{voted} of" in message:
            return message
    raise AssertionError(f"turnout {voted} never pushed")


async def test_the_represented_partners_status_reaches_the_holders_phones(no_effects):
    world, room, poll = await setup_room()
    partners = world.partners_in(room)
    holder, giver = partners[0], partners[1]

    @database_sync_to_async
    def give():
        services.proxy_give(assembly=world.assembly, giver=giver, holder=holder,
                            actor=world.secretariat)

    await give()
    phone, ok, _ = await connect(f"/ws/rooms/{room.pk}/",
                                 user=world.delegate_of(holder).user)
    other = await open_socket(world, room, 2)
    assert ok
    await drain(phone)
    await drain(other)
    await cast_over_http_for(world.delegate_of(holder), poll, "support", giver)
    deadline = time.monotonic() + 15
    found = ""
    while not found and time.monotonic() < deadline:
        message = await phone.receive_from(timeout=15)
        found = next((s for s in re.findall(
            r'<div id="ballot-status-proxy"[^>]*>', message)), "")
    assert f'data-partner="{giver.pk}"' in found and 'data-choice="support"' in found
    seen = await drain(other, timeout=0.5)
    assert not any("ballot-status" in m for m in seen)
    await phone.disconnect()
    await other.disconnect()


@database_sync_to_async
def cast_over_http_for(delegate, poll, choice, partner):
    client = Client()
    client.force_login(delegate.user)
    response = client.post(
        reverse("voting:ballot", args=[poll.room_id]),
        {"poll": poll.pk, "choice": choice, "for_partner": partner.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content
    return response


async def test_a_tally_push_reads_the_room_once_whatever_the_languages_it_is_shown_in(
    no_effects,
):
    """Screens reading Thai and English get the same tally, each in its own
    language, from one reading of the database: a push in a burst costs the
    reading once, not once per language (voting/live.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assembly import realtime

    world, room, poll = await setup_room()
    await cast_over_http(world.delegate_of(world.partners_in(room)[0]), poll, "full")

    @database_sync_to_async
    def render(languages):
        [(group, one)] = live._result_plan(room.pk, False)
        with CaptureQueriesContext(connection) as queries:
            html = realtime._render_each(group, one, languages)
        return html, len(queries)

    thai_only, reads_for_one = await render(["th"])
    both, reads_for_two = await render(["th", "en"])
    assert reads_for_two == reads_for_one
    assert both["th"] == thai_only["th"]
    thai, english = readable(both["th"]), readable(both["en"])
    assert tally_of(thai) == tally_of(english)
    assert tally_of(english)["full"] == 1
    assert "ฉันทามติ" in thai and "Consensus" in english
