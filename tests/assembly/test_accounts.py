"""Accounts on the web: the secretariat creates and manages facilitator,
lead-agency staff and secretariat accounts on its own pages. Rules as a role ×
action matrix; refusals change nothing; bad input gets a message in place."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from assembly import accounts, services
from assembly.models import AuditEvent, Room, SignInLink
from tests import factories
from tests.ws import connect, drain
from tests.readable import readable

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    """An assembly, the people who run it, and a secretariat of another one."""
    w = factories.world(partners=2, rooms=2, alternates=0)
    other = factories.world(partners=1, rooms=1)
    room = w.rooms[0]
    users = {
        "anonymous": None,
        "delegate": w.delegates[0].user,
        "facilitator": w.facilitators[room.pk],
        "staff": w.staff[w.partners[0].organisation.pk],
        "other_secretariat": other.secretariat,
        "secretariat": w.secretariat,
    }
    return w, users


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, w, *args) -> str:
    return reverse(f"assembly:{name}", args=[w.assembly.pk, *args])


def snapshot(w):
    """What a refused action must leave as it was."""
    return (
        sorted(User.objects.values_list("pk", "username", "first_name", "email",
                                        "is_active", "password")),
        sorted(SignInLink.objects.values_list("pk", "revoked_at")),
        sorted(w.assembly.secretariat.values_list("pk", flat=True)),
        sorted(Room.facilitators.through.objects.values_list("room_id", "user_id")),
    )


def actions(w, target):
    new = {"username": "newperson", "first_name": "ใหม่", "secretariat": "on"}
    edit = {"first_name": "เปลี่ยนชื่อ", "rooms": [w.rooms[1].pk]}
    return {
        "list": ("get", url("accounts", w), {}),
        "create_page": ("get", url("account_create", w), {}),
        "create": ("post", url("account_create", w), new),
        "edit_page": ("get", url("account_edit", w, target.pk), {}),
        "edit": ("post", url("account_edit", w, target.pk), edit),
        "show_link": ("post", url("account_link", w, target.pk), {}),
        "email_link": ("post", url("account_link_email", w, target.pk), {}),
        "revoke_link": ("post", url("account_link_revoke", w, target.pk), {}),
        "deactivate": ("post", url("account_deactivate", w, target.pk), {}),
        "reactivate": ("post", url("account_reactivate", w, target.pk), {}),
    }


ACTIONS = ["list", "create_page", "create", "edit_page", "edit", "show_link",
           "email_link", "revoke_link", "deactivate", "reactivate"]
ROLES = ["anonymous", "delegate", "facilitator", "staff", "other_secretariat",
         "secretariat"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_role_by_action(cast, role, action):
    """Only this assembly's secretariat manages its accounts; everyone else is
    refused (sent to sign in when not signed in) and nothing changes."""
    w, users = cast
    target = users["facilitator"]
    target.email = "kamon@example.org"
    target.save()
    method, address, data = actions(w, target)[action]
    before = snapshot(w)
    response = getattr(client_for(users[role]), method)(address, data)
    if role == "secretariat":
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/login/" not in response["Location"]
        return
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 403
        assert "kamon@example.org" not in readable(response)
    assert snapshot(w) == before
    assert not mail.outbox


def test_the_secretariat_creates_a_facilitator_who_signs_in_by_link(cast):
    w, users = cast
    sec = client_for(users["secretariat"])
    response = sec.post(url("account_create", w), {
        "username": "kamon.j", "first_name": "กมล", "last_name": "ใจดี",
        "email": "Kamon@Example.org", "rooms": [w.rooms[1].pk],
    })
    person = User.objects.get(username="kamon.j")
    assert response.status_code == 302
    assert response["Location"] == url("account_edit", w, person.pk)
    assert person.email == "kamon@example.org" and not person.has_usable_password()
    assert list(Room.objects.filter(facilitators=person)) == [w.rooms[1]]
    page = sec.post(url("account_link", w, person.pk))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    token = page.content.decode().split("/s/#", 1)[1].split('"', 1)[0]
    assert 'src="data:image/svg+xml' in page.content.decode()
    phone = Client()
    landed = phone.post(reverse("assembly:token_sign_in"), {"token": token})
    assert landed["Location"] == reverse("agenda:console",
                                         kwargs={"room_id": w.rooms[1].pk})
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_CREATED,
                                     detail__account=person.pk).exists()


def test_lead_agency_staff_are_tied_to_their_organisation_and_get_a_mail(cast):
    w, users = cast
    org = w.partners[1].organisation
    sec = client_for(users["secretariat"])
    sec.post(url("account_create", w), {
        "username": "somchai", "first_name": "สมชาย", "email": "somchai@kkpeo.go.th",
        "organisation": org.pk,
    })
    person = User.objects.get(username="somchai")
    assert list(person.organisations_staffed.all()) == [org]
    response = sec.post(url("account_link_email", w, person.pk))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["somchai@kkpeo.go.th"]]
    # Moving them to another organisation of the assembly, and to none.
    other_org = w.partners[0].organisation
    sec.post(url("account_edit", w, person.pk), {"first_name": "สมชาย",
                                                 "organisation": other_org.pk})
    assert list(person.organisations_staffed.all()) == [other_org]


@pytest.mark.parametrize("field, value", [
    ("first_name", ""),
    ("first_name", "ก" * 151),
    ("username", "has space"),
    ("username", "newperson"),  # taken below
    ("email", "not-an-address"),
])
def test_bad_input_is_refused_in_place_and_creates_nothing(cast, field, value):
    w, users = cast
    factories.user("newperson")
    before = User.objects.count()
    data = {"username": "someone", "first_name": "สมศรี", "secretariat": "on",
            field: value}
    response = client_for(users["secretariat"]).post(url("account_create", w), data)
    assert response.status_code == 200
    assert 'class="errorlist' in readable(response)
    assert User.objects.count() == before


def test_an_account_without_a_role_is_refused(cast):
    w, users = cast
    response = client_for(users["secretariat"]).post(
        url("account_create", w), {"username": "nobody", "first_name": "ไร้"})
    assert response.status_code == 200 and 'class="errorlist' in readable(response)
    assert not User.objects.filter(username="nobody").exists()


def test_html_in_a_name_is_shown_as_text(cast):
    w, users = cast
    sec = client_for(users["secretariat"])
    sec.post(url("account_create", w), {"username": "x1", "secretariat": "on",
                                        "first_name": "<b>ตัวหนา</b>"})
    html = readable(sec.get(url("accounts", w)))
    assert "&lt;b&gt;ตัวหนา&lt;/b&gt;" in html and "<b>ตัวหนา</b>" not in html


def test_a_room_or_organisation_of_another_assembly_is_refused(cast):
    w, users = cast
    foreign = factories.world(partners=1, rooms=1)
    for data in ({"rooms": [foreign.rooms[0].pk]},
                 {"organisation": foreign.partners[0].organisation.pk},
                 {"rooms": [w.plenary.pk]}):
        response = client_for(users["secretariat"]).post(
            url("account_create", w), {"username": "y", "first_name": "ก", **data})
        assert 'class="errorlist' in readable(response), data
    assert not User.objects.filter(username="y").exists()


# --- Within reach: an account also used at an assembly one does not run ----------------


def test_an_account_shared_with_another_assembly_keeps_its_person_and_link(cast):
    w, users = cast
    other = factories.world(partners=1, rooms=1)
    shared = users["facilitator"]
    other.rooms[0].facilitators.add(shared)  # also facilitates over there
    sec = client_for(users["secretariat"])
    before_name = shared.first_name
    page = readable(sec.get(url("account_edit", w, shared.pk)))
    assert url("account_link", w, shared.pk) not in page  # no way to take it over
    response = sec.post(url("account_edit", w, shared.pk), {"first_name": "ยึด"})
    assert 'class="errorlist' in readable(response)
    shared.refresh_from_db()
    assert shared.first_name == before_name
    for action in ("account_link", "account_link_email", "account_deactivate"):
        assert sec.post(url(action, w, shared.pk)).status_code == 403, action
    assert not SignInLink.objects.filter(user=shared).exists()
    # Its roles here still change.
    sec.post(url("account_edit", w, shared.pk), {"first_name": before_name,
                                                 "rooms": [w.rooms[1].pk]})
    assert set(Room.objects.filter(facilitators=shared)) == {w.rooms[1], other.rooms[0]}


def test_a_delegates_or_a_superusers_account_is_not_managed_here(cast):
    w, users = cast
    admin = User.objects.create_superuser("root", password="x" * 20)
    w.assembly.secretariat.add(admin)
    sec = client_for(users["secretariat"])
    delegate = users["delegate"]
    assert sec.get(url("account_edit", w, delegate.pk)).status_code == 404
    assert sec.post(url("account_deactivate", w, delegate.pk)).status_code == 404
    assert sec.post(url("account_deactivate", w, admin.pk)).status_code == 403
    assert sec.post(url("account_link", w, admin.pk)).status_code == 403
    for target in (delegate, admin):
        target.refresh_from_db()
        assert target.is_active
    assert not SignInLink.objects.filter(user=admin).exists()


def test_one_cannot_lock_oneself_out(cast):
    w, users = cast
    me = users["secretariat"]
    sec = client_for(me)
    sec.post(url("account_deactivate", w, me.pk))
    response = sec.post(url("account_edit", w, me.pk), {"first_name": "ฉัน"})
    me.refresh_from_db()
    assert me.is_active
    assert w.assembly.secretariat.filter(pk=me.pk).exists()
    assert 'class="errorlist' in readable(response)


# --- Deactivating --------------------------------------------------------------------


def test_a_deactivated_account_cannot_sign_in_and_its_sessions_end(cast):
    w, users = cast
    person = users["staff"]
    token = services.signin_link_issue(user=person)
    by_password = client_for(person)
    response = client_for(users["secretariat"]).post(
        url("account_deactivate", w, person.pk))
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert by_password.get(reverse("resolutions:mine")).status_code == 302
    assert Client().post(reverse("assembly:token_sign_in"),
                         {"token": token}).status_code == 403
    stranger = Client()
    login = stranger.post(reverse("assembly:login"),
                          {"username": person.username, "password": factories.PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in stranger.session
    client_for(users["secretariat"]).post(url("account_reactivate", w, person.pk))
    person.refresh_from_db()
    assert person.is_active


@pytest.mark.django_db(transaction=True)
async def test_deactivating_closes_the_accounts_sockets():
    w = await database_sync_to_async(factories.world)(partners=1, rooms=1)
    room = w.rooms[0]
    facilitator = w.facilitators[room.pk]
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=facilitator)
    assert accepted
    await drain(comm)
    await database_sync_to_async(accounts.account_deactivate)(
        assembly=w.assembly, user=facilitator, actor=w.secretariat)
    output = await comm.receive_output(timeout=5)
    while output["type"] != "websocket.close":
        output = await comm.receive_output(timeout=5)
    assert output["code"] == 4401
