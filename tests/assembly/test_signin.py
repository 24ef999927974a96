"""Signing in: a delegate's personal link, the password lockout, sessions, sockets."""

from __future__ import annotations

import secrets

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.urls import reverse

from assembly import services
from assembly.models import AuditEvent, Delegate
from tests import factories
from tests.factories import PASSWORD
from tests.ws import connect, drain

# Thai is the default language; the same message for a revoked, forged or unknown link.
REFUSED = "ลิงก์เข้าสู่ระบบนี้ใช้ไม่ได้ โปรดขอลิงก์ใหม่จากฝ่ายเลขานุการ"


LINK_PAGE = "/s/"


def use_link(client: Client, token: str):
    """What the sign-in page's script does with the link's fragment: post it."""
    return client.post(reverse("assembly:token_sign_in"), {"token": token})


def signed_in_user_id(client: Client):
    return client.session.get("_auth_user_id")


def session_key(client: Client) -> str:
    """Give the client a session (as a visitor has before signing in)."""
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


# --- The personal link -------------------------------------------------------------


@pytest.fixture
def fresh(db):
    """A world whose delegates have not checked in yet."""
    return factories.world(partners=2, rooms=2, checked_in=False, alternates=0)


@pytest.mark.django_db
def test_the_link_page_asks_for_the_code_and_signs_nobody_in(fresh):
    d = fresh.delegates[0]
    services.signin_link_issue(delegate=d)
    client = Client()
    response = client.get(LINK_PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "<form" in body and "csrfmiddlewaretoken" in body
    assert 'name="token"' in body and "signin-link.js" in body
    assert signed_in_user_id(client) is None
    d.refresh_from_db()
    assert d.checked_in_at is None


@pytest.mark.django_db
def test_post_signs_in_and_checks_in_at_the_first_use_only(fresh):
    d = fresh.delegates[0]
    token = services.signin_link_issue(delegate=d)
    client = Client()
    response = use_link(client, token)
    assert response.status_code == 302
    room_page = reverse("agenda:room", kwargs={"room_id": d.partner.room_id})
    assert response["Location"] == room_page
    assert signed_in_user_id(client) == str(d.user_id)
    d.refresh_from_db()
    first = d.checked_in_at
    assert first is not None
    again = Client()
    use_link(again, token)
    assert signed_in_user_id(again) == str(d.user_id)
    assert Delegate.objects.get(pk=d.pk).checked_in_at == first
    checked = AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN, actor=d.user)
    assert [e.detail["checked_in"] for e in checked.order_by("pk")] == [True, False]


@pytest.mark.django_db
def test_a_revoked_link_is_refused(fresh):
    d = fresh.delegates[0]
    token = services.signin_link_issue(delegate=d)
    services.signin_link_revoke(delegate=d)
    client = Client()
    response = use_link(client, token)
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    # The refusal leads back to the page where a new code can be entered.
    assert 'href="/s/"' in response.content.decode()
    assert signed_in_user_id(client) is None
    d.refresh_from_db()
    assert d.checked_in_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forged",
    [secrets.token_urlsafe(32), "a", "x" * 300, "' OR 1=1 --"],
    ids=["random", "short", "oversized", "injection"],
)
def test_a_forged_link_is_refused_with_the_same_message(fresh, forged):
    services.signin_link_issue(delegate=fresh.delegates[0])
    client = Client()
    response = use_link(client, forged)
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not Delegate.objects.filter(checked_in_at__isnull=False).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED).exists()


@pytest.mark.django_db
def test_a_reissued_link_invalidates_the_old_one(fresh):
    d = fresh.delegates[0]
    old = services.signin_link_issue(delegate=d)
    new = services.signin_link_issue(delegate=d)
    refused = use_link(Client(), old)
    assert refused.status_code == 403 and REFUSED in refused.content.decode()
    accepted = Client()
    assert use_link(accepted, new).status_code == 302
    assert signed_in_user_id(accepted) == str(d.user_id)


@pytest.mark.django_db
def test_a_link_switches_a_signed_in_person_to_the_delegate(fresh):
    d = fresh.delegates[0]
    token = services.signin_link_issue(delegate=d)
    client = Client()
    client.force_login(fresh.secretariat)
    use_link(client, token)
    assert signed_in_user_id(client) == str(d.user_id)


@pytest.mark.django_db
def test_a_token_post_without_csrf_is_refused(fresh):
    d = fresh.delegates[0]
    token = services.signin_link_issue(delegate=d)
    client = Client(enforce_csrf_checks=True)
    assert use_link(client, token).status_code == 403
    assert signed_in_user_id(client) is None
    d.refresh_from_db()
    assert d.checked_in_at is None


# --- Sessions ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_session_key_rotates_on_token_sign_in(fresh):
    token = services.signin_link_issue(delegate=fresh.delegates[0])
    client = Client()
    before = session_key(client)
    use_link(client, token)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not SessionStore().exists(before)


@pytest.mark.django_db
def test_the_session_key_rotates_on_password_sign_in(fresh):
    client = Client()
    before = session_key(client)
    response = client.post(reverse("assembly:login"),
                           {"username": fresh.secretariat.username,
                            "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before and signed_in_user_id(client) == str(fresh.secretariat.pk)
    assert not SessionStore().exists(before)


# --- Password lockout (django-axes): a username at an address ------------------------


def attempt(address: str, username: str, password: str):
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("assembly:login"),
                           {"username": username, "password": password})
    return client, response


@pytest.mark.django_db
def test_five_failures_lock_that_username_at_that_address_only(db):
    alice = factories.user("alice")
    factories.user("bob")
    venue, elsewhere = "203.0.113.10", "198.51.100.7"
    for _ in range(4):
        _, response = attempt(venue, "alice", "wrong")
        assert response.status_code == 200
        assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    _, fifth = attempt(venue, "alice", "wrong")
    assert fifth.status_code == 429
    locked_client, locked = attempt(venue, "alice", PASSWORD)
    assert locked.status_code == 429
    assert signed_in_user_id(locked_client) is None
    assert "locked" in locked.content.decode() or "ล็อก" in locked.content.decode()
    # The same username from another address still signs in.
    other_place, ok = attempt(elsewhere, "alice", PASSWORD)
    assert ok.status_code == 302 and signed_in_user_id(other_place) == str(alice.pk)
    # Another username from the same address (the whole venue) still signs in.
    neighbour, ok = attempt(venue, "bob", PASSWORD)
    assert ok.status_code == 302 and signed_in_user_id(neighbour) is not None


@pytest.mark.django_db
def test_four_failures_do_not_lock(db):
    factories.user("carol")
    for _ in range(4):
        attempt("203.0.113.11", "carol", "wrong")
    client, response = attempt("203.0.113.11", "carol", PASSWORD)
    assert response.status_code == 302 and signed_in_user_id(client) is not None


# --- Sign-out closes the person's sockets ---------------------------------------------


async def _close_code(communicator, *, timeout: float = 3.0):
    while True:
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output.get("code")


@pytest.mark.django_db(transaction=True)
async def test_sign_out_closes_the_persons_sockets():
    w = await database_sync_to_async(factories.world)(partners=2, rooms=2)
    d = w.delegates[0]
    comm, accepted, _ = await connect(f"/ws/rooms/{d.partner.room_id}/", user=d.user)
    assert accepted
    await drain(comm)
    client = Client()
    await sync_to_async(client.force_login)(d.user)
    response = await sync_to_async(client.post)(reverse("assembly:logout"))
    assert response.status_code == 302
    assert await _close_code(comm) == 4401


@pytest.mark.django_db(transaction=True)
async def test_sign_out_leaves_other_peoples_sockets_open():
    w = await database_sync_to_async(factories.world)(partners=4, rooms=2)
    d, other = w.delegates[0], w.delegates[2]
    assert other.partner.room_id == d.partner.room_id
    comm, accepted, _ = await connect(f"/ws/rooms/{other.partner.room_id}/",
                                      user=other.user)
    assert accepted
    await drain(comm)
    client = Client()
    await sync_to_async(client.force_login)(d.user)
    await sync_to_async(client.post)(reverse("assembly:logout"))
    assert await comm.receive_nothing(timeout=0.5)
    await comm.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_revoking_a_link_closes_the_delegates_sockets():
    w = await database_sync_to_async(factories.world)(partners=2, rooms=2)
    d = w.delegates[0]
    comm, accepted, _ = await connect(f"/ws/rooms/{d.partner.room_id}/", user=d.user)
    assert accepted
    await drain(comm)
    await database_sync_to_async(services.signin_link_revoke)(delegate=d)
    assert await _close_code(comm) == 4401


@pytest.mark.django_db
def test_sign_out_needs_post(fresh):
    client = Client()
    client.force_login(fresh.secretariat)
    assert client.get(reverse("assembly:logout")).status_code == 405
    assert signed_in_user_id(client) == str(fresh.secretariat.pk)
