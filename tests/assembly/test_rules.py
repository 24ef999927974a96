"""Who may do what in the assembly app: the role × permission and role × page
matrices. Each row is one role; a test per row compares the whole row, so a
failure shows every cell that differs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from assembly import links, services, setup
from assembly.models import Assembly, Delegate, SignInLink
from tests import factories

pytestmark = pytest.mark.django_db

SECRET_NAME = "นางสาวลับเฉพาะ ไม่ควรเห็น"

ROLES = [
    "anonymous", "delegate", "alternate", "observer", "facilitator",
    "other_room_facilitator", "agency_staff", "secretariat",
    "other_assembly_secretariat", "superuser",
]


@pytest.fixture
def cast(world):
    """The world, a person for each role, and a delegate whose name must not leak.

    The delegate, alternate and observer sit in room 1; "facilitator" runs room
    1, "other_room_facilitator" room 2.
    """
    room1, room2 = world.rooms
    partner = world.partners_in(room1)[0]
    observer = services.delegate_create(
        partner=partner, name_th="ผู้สังเกตการณ์", kind=Delegate.Kind.OBSERVER
    )
    hidden_partner = world.partners_in(room2)[0]
    services.delegate_create(partner=hidden_partner, name_th=SECRET_NAME,
                             kind=Delegate.Kind.ALTERNATE)
    other = factories.world(partners=1, rooms=1, title="สมัชชาอื่น")
    root = factories.user("root")
    root.is_superuser = True
    root.save()
    item = setup.agenda_item_create(
        assembly=world.assembly, number=1, title_th="วาระหนึ่ง",
        lead_agency=partner.organisation, room=room1,
    )
    people = {
        "anonymous": AnonymousUser(),
        "delegate": world.delegate_of(partner).user,
        "alternate": world.alternates[0].user,
        "observer": observer.user,
        "facilitator": world.facilitators[room1.pk],
        "other_room_facilitator": world.facilitators[room2.pk],
        "agency_staff": world.staff[partner.organisation.pk],
        "secretariat": world.secretariat,
        "other_assembly_secretariat": other.secretariat,
        "superuser": root,
    }
    assert world.alternates[0].partner == partner
    return world, people, item


# --- Role × permission --------------------------------------------------------------

PERMS = [
    ("assembly.manage_assembly", "assembly"),
    ("assembly.view_checkins", "assembly"),
    ("assembly.print_badges", "assembly"),
    ("assembly.issue_signinlink", "assembly"),
    ("assembly.add_assembly", None),
    ("assembly.run_room", "room1"),
    ("assembly.run_room", "plenary"),
    ("assembly.view_room", "room1"),
    ("assembly.view_room", "room2"),
    ("assembly.view_room", "plenary"),
    ("assembly.view_assembly_private", "assembly"),
]

# Columns, in PERMS order: manage checkins badges links add run:r1 run:pl
#                          view:r1 view:r2 view:pl private
PERM_MATRIX = {
    "anonymous":                  "0 0 0 0 0 0 0 0 0 0 0",
    "delegate":                   "0 0 0 0 0 0 0 1 0 1 1",
    "alternate":                  "0 0 0 0 0 0 0 1 0 1 1",
    "observer":                   "0 0 0 0 0 0 0 1 0 1 1",
    "facilitator":                "0 0 0 0 0 1 0 1 0 0 0",
    "other_room_facilitator":     "0 0 0 0 0 0 0 0 1 0 0",
    "agency_staff":               "0 0 0 0 0 0 0 0 0 0 0",
    "secretariat":                "1 1 1 1 1 1 1 1 1 1 1",
    "other_assembly_secretariat": "0 0 0 0 1 0 0 0 0 0 0",
    # Django grants an active superuser every permission.
    "superuser":                  "1 1 1 1 1 1 1 1 1 1 1",
}


def test_the_matrix_covers_every_role():
    assert set(PERM_MATRIX) == set(ROLES)
    assert all(len(row.split()) == len(PERMS) for row in PERM_MATRIX.values())


@pytest.mark.parametrize("role", ROLES)
def test_role_permissions(cast, role):
    world, people, _ = cast
    objects = {"assembly": world.assembly, "room1": world.rooms[0],
               "room2": world.rooms[1], "plenary": world.plenary, None: None}
    person = people[role]
    actual = {
        f"{perm}:{target}": person.has_perm(perm, objects[target])
        for perm, target in PERMS
    }
    expected = {
        f"{perm}:{target}": cell == "1"
        for (perm, target), cell in zip(PERMS, PERM_MATRIX[role].split())
    }
    assert actual == expected


# --- Role × page ---------------------------------------------------------------------

PAGES = ["secretariat", "edit", "items", "item_create", "item_edit", "rooms",
         "room_create", "room_edit", "partners", "delegates", "checkins", "badges",
         "audit", "create"]

ALLOWED_EVERYWHERE = {"secretariat", "superuser"}


def page_url(name, world, item) -> str:
    a = world.assembly.pk
    if name == "create":
        return reverse("assembly:create")
    if name == "item_edit":
        return reverse("assembly:item_edit", args=[a, item.pk])
    if name == "room_edit":
        return reverse("assembly:room_edit", args=[a, world.rooms[0].pk])
    return reverse(f"assembly:{name}", args=[a])


def client_for(person) -> Client:
    client = Client()
    if person.is_authenticated:
        client.force_login(person)
    return client


def expected_status(role: str, page: str) -> int:
    if role == "anonymous":
        return 302
    if role in ALLOWED_EVERYWHERE:
        return 200
    if page == "create" and role == "other_assembly_secretariat":
        return 200  # the secretariat of any assembly may set up a new one
    return 403


@pytest.mark.parametrize("role", ROLES)
def test_role_pages(cast, role):
    world, people, item = cast
    client = client_for(people[role])
    actual, expected = {}, {}
    for page in PAGES:
        response = client.get(page_url(page, world, item))
        actual[page] = response.status_code
        expected[page] = expected_status(role, page)
        body = response.content.decode()
        if response.status_code == 302:
            assert reverse("assembly:login") in response["Location"]
        if response.status_code == 403:
            assert SECRET_NAME not in body, f"{page} leaks a delegate's name"
            assert world.partners[-1].organisation.name_th not in body
            assert 'role="alert"' in body  # a message says why
    assert actual == expected


def test_the_secretariat_sees_the_hidden_delegate_where_expected(cast):
    world, people, _ = cast
    client = client_for(people["secretariat"])
    for page in ("delegates", "checkins", "badges"):
        body = client.get(reverse(f"assembly:{page}", args=[world.assembly.pk]))
        assert SECRET_NAME in body.content.decode()


# --- Role × action (POST) -------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ALLOWED_EVERYWHERE])
def test_refused_actions_change_nothing(cast, role):
    world, people, _ = cast
    a = world.assembly.pk
    d = world.delegates[0]
    # Before signing in: a new link ends the sessions of a delegate's account.
    token = services.signin_link_issue(delegate=d)
    client = client_for(people[role])
    link_count = SignInLink.objects.count()
    before = Assembly.objects.filter(pk=a).values().get()
    actions = [
        (reverse("assembly:set_status", args=[a]), {"status": "in_session"}),
        (reverse("assembly:edit", args=[a]), {"title_th": "ถูกแก้"}),
        (reverse("assembly:link_issue", args=[a, d.pk]), {}),
        (reverse("assembly:link_revoke", args=[a, d.pk]), {}),
        (reverse("assembly:badges", args=[a]), {"scope": "shown"}),
        (reverse("assembly:room_create", args=[a]), {"number": 9, "name_th": "ใหม่"}),
        (reverse("assembly:partners", args=[a]),
         {f"room-{world.partners[0].pk}": world.rooms[1].pk}),
    ]
    for target, data in actions:
        status = client.post(target, data).status_code
        assert status == (302 if role == "anonymous" else 403), target
    assert Assembly.objects.filter(pk=a).values().get() == before
    assert SignInLink.objects.count() == link_count
    assert links.link_check(token).user == d.user
    assert world.assembly.rooms.count() == 3
    world.partners[0].refresh_from_db()
    assert world.partners[0].room == world.rooms[0]
