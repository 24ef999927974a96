"""Issue 11 item 7: revoking (or re-issuing) a link ends every session opened
with it, on every surface: the room page, speaking, amendments, the ballot page
and sockets. A thief's session must not outlive the secretariat's click.

Each test signs in the way a person does (the link's token posted to /s/),
keeps that session's cookie, and uses it after the link went."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import Amendment, SpeakerRequest
from assembly import services
from config.asgi import application
from tests import factories
from tests.ws import drain

ENDINGS = {
    "revoked": lambda d, actor: services.signin_link_revoke(delegate=d, actor=actor),
    "reissued": lambda d, actor: services.signin_link_issue(delegate=d, actor=actor),
}


def link_session(delegate) -> Client:
    """A client signed in with the delegate's personal link, as a phone is."""
    token = services.signin_link_issue(delegate=delegate)
    client = Client()
    response = client.post(reverse("assembly:token_sign_in"), {"token": token})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(delegate.user_id)
    return client


@pytest.fixture
def room_world(db):
    w = factories.world(partners=2, rooms=1, alternates=0, checked_in=False)
    factories.agenda_item(w, room=w.rooms[0])
    return w


def refused(response) -> bool:
    """Signed out: sent to sign in (a page) or 401/403 (an htmx part)."""
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return response.status_code in (401, 403)


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.django_db
def test_the_room_page_and_its_parts_refuse_the_session(room_world, ending):
    d = room_world.delegates[0]
    thief = link_session(d)
    room_id = d.partner.room_id
    pages = [
        reverse("agenda:room", kwargs={"room_id": room_id}),
        reverse("agenda:amendment_form", kwargs={"room_id": room_id}),
        reverse("agenda:my_amendments", kwargs={"room_id": room_id}),
        reverse("voting:ballot", kwargs={"room_id": room_id}),
    ]
    assert all(thief.get(p).status_code == 200 for p in pages)
    ENDINGS[ending](d, room_world.secretariat)
    for page in pages:
        assert refused(thief.get(page)), page
        assert refused(thief.get(page, HTTP_HX_REQUEST="true")), page


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.django_db
def test_speaking_and_amending_are_refused_and_change_nothing(room_world, ending):
    d = room_world.delegates[0]
    thief = link_session(d)
    room_id = d.partner.room_id
    ENDINGS[ending](d, room_world.secretariat)
    speak = thief.post(reverse("agenda:speak", kwargs={"room_id": room_id}),
                       HTTP_HX_REQUEST="true")
    amend = thief.post(
        reverse("agenda:amendment_submit", kwargs={"room_id": room_id}),
        {"kind": "delete", "target_key": "1", "rationale": "ขอตัดข้อนี้"},
        HTTP_HX_REQUEST="true",
    )
    assert refused(speak) and refused(amend)
    assert not SpeakerRequest.objects.exists()
    assert not Amendment.objects.exists()


@pytest.mark.django_db
def test_a_ballot_from_the_ended_session_is_refused(room_world):
    from voting.models import Ballot

    d = room_world.delegates[0]
    thief = link_session(d)
    services.signin_link_revoke(delegate=d, actor=room_world.secretariat)
    response = thief.post(
        reverse("voting:ballot", kwargs={"room_id": d.partner.room_id}),
        {"choice": "yes"}, HTTP_HX_REQUEST="true",
    )
    assert refused(response)
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_the_new_link_still_signs_in_and_the_old_session_stays_out(room_world):
    d = room_world.delegates[0]
    thief = link_session(d)
    fresh = services.signin_link_issue(delegate=d, actor=room_world.secretariat)
    owner = Client()
    owner.post(reverse("assembly:token_sign_in"), {"token": fresh})
    room = reverse("agenda:room", kwargs={"room_id": d.partner.room_id})
    assert owner.get(room).status_code == 200
    assert refused(thief.get(room))


@pytest.mark.django_db
def test_another_delegates_session_is_untouched(room_world):
    d, other = room_world.delegates
    link_session(d)
    bystander = link_session(other)
    services.signin_link_revoke(delegate=d, actor=room_world.secretariat)
    room = reverse("agenda:room", kwargs={"room_id": other.partner.room_id})
    assert bystander.get(room).status_code == 200


@pytest.mark.django_db
def test_ending_sessions_costs_no_query_per_request(room_world):
    """The check happens when the link goes, not on every request: a page
    costs the same queries with a link's session as with any other."""
    d, other = room_world.delegates
    by_link = link_session(d)
    by_other = Client()
    by_other.force_login(other.user)
    room = reverse("agenda:room", kwargs={"room_id": d.partner.room_id})
    by_link.get(room), by_other.get(room)  # warm both sessions
    counts = []
    for client in (by_link, by_other):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(room).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Sockets ---------------------------------------------------------------------------


async def open_room_socket(cookie: str, room_id: int):
    headers = [
        (b"origin", b"http://testserver"), (b"host", b"testserver"),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
    ]
    comm = WebsocketCommunicator(application, f"/ws/rooms/{room_id}/", headers=headers)
    accepted, detail = await comm.connect(timeout=5)
    return comm, accepted, detail


async def close_code(comm, timeout: float = 5.0):
    while True:
        output = await comm.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


@pytest.mark.parametrize("ending", sorted(ENDINGS))
@pytest.mark.django_db(transaction=True)
async def test_the_sessions_sockets_close_and_cannot_come_back(ending):
    w = await database_sync_to_async(factories.world)(partners=2, rooms=1,
                                                      alternates=0)
    d = w.delegates[0]
    thief = await sync_to_async(link_session)(d)
    cookie = thief.cookies[settings.SESSION_COOKIE_NAME].value
    comm, accepted, _ = await open_room_socket(cookie, d.partner.room_id)
    assert accepted
    await drain(comm)
    await database_sync_to_async(ENDINGS[ending])(d, w.secretariat)
    assert await close_code(comm) == 4401
    again, accepted, code = await open_room_socket(cookie, d.partner.room_id)
    assert not accepted


@pytest.mark.django_db(transaction=True)
async def test_a_staff_links_session_closes_but_its_password_session_stays():
    """An account with a password: the link's session and sockets end; the
    screen it signed in with its password stays open."""
    w = await database_sync_to_async(factories.world)(partners=2, rooms=1,
                                                      alternates=0)
    room = w.rooms[0]
    facilitator = w.facilitators[room.pk]

    def sign_in_both():
        token = services.signin_link_issue(user=facilitator)
        by_link = Client()
        by_link.post(reverse("assembly:token_sign_in"), {"token": token})
        by_password = Client()
        by_password.post(reverse("assembly:login"), {
            "username": facilitator.username, "password": factories.PASSWORD})
        return [c.cookies[settings.SESSION_COOKIE_NAME].value
                for c in (by_link, by_password)]

    link_cookie, password_cookie = await sync_to_async(sign_in_both)()
    by_link, ok1, _ = await open_room_socket(link_cookie, room.pk)
    by_password, ok2, _ = await open_room_socket(password_cookie, room.pk)
    assert ok1 and ok2
    await drain(by_link), await drain(by_password)
    await database_sync_to_async(services.signin_link_revoke)(user=facilitator)
    assert await close_code(by_link) == 4401
    assert await by_password.receive_nothing(timeout=0.5)
    await by_password.disconnect()
