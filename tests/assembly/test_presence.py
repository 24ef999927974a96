"""Presence that is true (contract 9): real sockets connecting and closing on
the real ASGI application, with the embedded cache. A closed screen stops
counting at once; the desk's marks count; a dead process's sockets lapse."""

from __future__ import annotations

import asyncio
import time
from fractions import Fraction

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from assembly import desk, presence
from assembly.models import Delegate
from config.asgi import application
from tests import factories
from tests.ws import drain, session_cookie_for
from voting import selectors as voting_selectors


async def open_socket(user, room_id: int) -> WebsocketCommunicator:
    cookie = await database_sync_to_async(session_cookie_for)(user)
    comm = WebsocketCommunicator(
        application, f"/ws/rooms/{room_id}/",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver"),
                 (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())],
    )
    accepted, _ = await comm.connect(timeout=5)
    assert accepted
    await drain(comm)
    return comm


def present(room, partners) -> set[int]:
    return presence.present_partners(room, [p.pk for p in partners])


def quorum(room) -> dict:
    return voting_selectors.quorum_state(room, Fraction(1, 2))


@pytest.mark.django_db(transaction=True)
async def test_six_screens_count_six_and_closing_four_leaves_two_at_once():
    """The issue's case: 6 of 6 were still counted with 2 connected."""
    w = await database_sync_to_async(factories.world)(partners=6, rooms=1,
                                                      alternates=0)
    plenary = w.plenary
    screens = [await open_socket(d.user, plenary.pk) for d in w.delegates]
    assert await database_sync_to_async(present)(plenary, w.partners) == {
        p.pk for p in w.partners}
    for comm in screens[2:]:
        await comm.disconnect()
    # No waiting for a heartbeat to lapse: the closes are already counted.
    now = await database_sync_to_async(present)(plenary, w.partners)
    assert now == {w.partners[0].pk, w.partners[1].pk}
    state = await database_sync_to_async(quorum)(plenary)
    assert (state["present"], state["entitled"]) == (2, 6)
    for comm in screens[:2]:
        await comm.disconnect()
    assert await database_sync_to_async(present)(plenary, w.partners) == set()


@pytest.mark.django_db(transaction=True)
async def test_a_partner_counts_until_its_last_screen_closes():
    w = await database_sync_to_async(factories.world)(partners=2, rooms=1,
                                                      alternates=1)
    room = w.rooms[0]
    partner = w.partners[0]
    delegate, alternate = w.delegates[0], w.alternates[0]
    phone = await open_socket(delegate.user, room.pk)
    tablet = await open_socket(alternate.user, room.pk)
    other_phone_of_same = await open_socket(delegate.user, room.pk)
    await phone.disconnect()
    await other_phone_of_same.disconnect()
    assert await database_sync_to_async(present)(room, [partner]) == {partner.pk}
    await tablet.disconnect()
    assert await database_sync_to_async(present)(room, [partner]) == set()


@pytest.mark.django_db(transaction=True)
async def test_a_screen_in_another_room_does_not_count_here():
    w = await database_sync_to_async(factories.world)(partners=2, rooms=1,
                                                      alternates=0)
    d = w.delegates[0]
    comm = await open_socket(d.user, d.partner.room_id)
    assert await database_sync_to_async(present)(w.plenary, w.partners) == set()
    await comm.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_desk_check_out_stops_an_open_screen_counting_without_reconnecting():
    w = await database_sync_to_async(factories.world)(partners=2, rooms=1,
                                                      alternates=0)
    d = w.delegates[0]
    room = w.rooms[0]
    comm = await open_socket(d.user, room.pk)
    assert await database_sync_to_async(present)(room, w.partners) == {d.partner_id}
    await database_sync_to_async(desk.desk_check_out)(
        assembly=w.assembly, delegate=d, actor=w.secretariat)
    assert await database_sync_to_async(present)(room, w.partners) == set()
    await database_sync_to_async(desk.desk_check_in)(
        assembly=w.assembly, delegate=d, actor=w.secretariat)
    assert await database_sync_to_async(present)(room, w.partners) == {d.partner_id}
    await comm.disconnect()


# --- The desk's marks --------------------------------------------------------------------


@pytest.mark.django_db
def test_someone_without_a_phone_counts_where_the_desk_marked_them():
    w = factories.world(partners=3, rooms=1, alternates=0, checked_in=False)
    room, d = w.rooms[0], w.delegates[0]
    assert present(room, w.partners) == set()
    desk.desk_mark_present(assembly=w.assembly, delegate=d, room=room,
                           actor=w.secretariat)
    d.refresh_from_db()
    assert d.checked_in_at is not None  # marking present checks them in
    assert present(room, w.partners) == {d.partner_id}
    assert present(w.plenary, w.partners) == set()
    # Moved to the plenary: counted there, no longer in the breakout room.
    desk.desk_mark_present(assembly=w.assembly, delegate=d, room=w.plenary,
                           actor=w.secretariat)
    assert present(room, w.partners) == set()
    assert present(w.plenary, w.partners) == {d.partner_id}
    assert quorum(w.plenary)["present"] == 1
    desk.desk_check_out(assembly=w.assembly, delegate=d, actor=w.secretariat)
    assert present(w.plenary, w.partners) == set()


@pytest.mark.django_db
def test_an_observer_marked_present_does_not_count():
    w = factories.world(partners=1, rooms=1, alternates=0)
    observer = factories.services.delegate_create(
        partner=w.partners[0], name_th="ผู้สังเกตการณ์", kind=Delegate.Kind.OBSERVER)
    desk.desk_mark_present(assembly=w.assembly, delegate=observer, room=w.plenary,
                           actor=w.secretariat)
    assert present(w.plenary, w.partners) == set()


@pytest.mark.django_db
def test_the_desk_cannot_mark_someone_in_another_partners_room():
    from django.core.exceptions import ValidationError

    w = factories.world(partners=2, rooms=2, alternates=0)
    d = w.delegates[0]
    elsewhere = next(r for r in w.rooms if r.pk != d.partner.room_id)
    with pytest.raises(ValidationError):
        desk.desk_mark_present(assembly=w.assembly, delegate=d, room=elsewhere,
                               actor=w.secretariat)
    assert present(elsewhere, w.partners) == set()


@pytest.mark.django_db
def test_reading_presence_costs_one_cache_read_and_one_query(
        django_assert_num_queries):
    w = factories.world(partners=6, rooms=1, alternates=0)
    for d in w.delegates[:3]:
        presence.touch(w.plenary.pk, d.partner_id, f"socket-{d.pk}")
    ids = [p.pk for p in w.partners]
    with django_assert_num_queries(1):
        assert len(presence.present_partners(w.plenary, ids)) == 3


@pytest.mark.django_db
def test_reading_presence_sends_the_same_statement_however_large_the_assembly():
    """At national scale (650 partners) the read sent every partner's id to the
    database, twice, on every tally push: building that statement was a fifth
    of a server's time. Now its text and parameters do not depend on the size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def read(partners: int) -> tuple[int, list[str]]:
        w = factories.world(partners=partners, rooms=1, alternates=0,
                            title=f"สมัชชา {partners}")
        for d in w.delegates[::2]:
            presence.touch(w.plenary.pk, d.partner_id, f"socket-{d.pk}")
        ids = [p.pk for p in w.partners]
        with CaptureQueriesContext(connection) as queries:
            found = presence.present_partners(w.plenary, ids)
        return len(found), [q["sql"] for q in queries.captured_queries]

    small_count, small_sql = read(6)
    large_count, large_sql = read(60)
    assert (small_count, large_count) == (3, 30)
    assert [len(sql) for sql in small_sql] == [len(sql) for sql in large_sql]


# --- Crash safety ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dead_processs_socket_lapses_after_the_ttl_only(monkeypatch):
    """A process killed with its sockets open never says they closed: their
    members carry an expiry, which only a live socket's heartbeat renews."""
    monkeypatch.setattr(presence, "TTL", 1)
    w = factories.world(partners=1, rooms=1, alternates=0)
    partner = w.partners[0]
    presence.touch(w.plenary.pk, partner.pk, "specific.dead!1")
    assert presence.connected(w.plenary.pk, [partner.pk]) == {partner.pk}
    deadline = time.monotonic() + 10
    while presence.connected(w.plenary.pk, [partner.pk]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert presence.connected(w.plenary.pk, [partner.pk]) == set()


@pytest.mark.django_db(transaction=True)
async def test_a_live_sockets_heartbeat_keeps_it_counted_past_the_ttl(monkeypatch):
    monkeypatch.setattr(presence, "TTL", 2)
    monkeypatch.setattr(presence, "HEARTBEAT", 0.3)
    w = await database_sync_to_async(factories.world)(partners=1, rooms=1,
                                                      alternates=0)
    d = w.delegates[0]
    comm = await open_socket(d.user, w.plenary.pk)
    started = time.monotonic()
    while time.monotonic() - started < 3:  # longer than the TTL
        assert await database_sync_to_async(presence.connected)(
            w.plenary.pk, [d.partner_id]) == {d.partner_id}
        await asyncio.sleep(0.25)
    await comm.disconnect()
    assert await database_sync_to_async(presence.connected)(
        w.plenary.pk, [d.partner_id]) == set()
