"""The assembly app's services: each change, and each refusal changing nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agenda.models import AgendaItem
from assembly import links, services, setup
from assembly.models import Assembly, Delegate, Room, SignInLink
from tests import factories

pytestmark = pytest.mark.django_db


# --- assembly_create / assembly_update -------------------------------------------


def test_creating_an_assembly_makes_its_plenary_and_seats_the_creator():
    person = factories.user()
    assembly = services.assembly_create(
        title_th="สมัชชาครั้งที่ 2", starts_on=date(2024, 11, 22), venue_th="โรงแรม",
        province_th="ขอนแก่น", reporting_interval_days=30, actor=person,
    )
    assert assembly.status == Assembly.Status.PREPARING
    assert assembly.reporting_interval_days == 30
    assert services.plenary_of(assembly).number == 0
    assert list(assembly.secretariat.all()) == [person]


def test_update_changes_the_details(world):
    services.assembly_update(assembly=world.assembly, title_th="ชื่อใหม่",
                             venue_en="Kosa Hotel", actor=world.secretariat)
    world.assembly.refresh_from_db()
    assert world.assembly.title_th == "ชื่อใหม่"
    assert world.assembly.venue_en == "Kosa Hotel"


@pytest.mark.parametrize(
    "fields",
    [
        {"title_th": ""},
        {"title_th": "ก" * 301},
        {"ends_on": date(2023, 11, 1)},
        {"reporting_interval_days": 0},
        {"status": "closed"},
    ],
    ids=["empty-title", "oversized-title", "ends-before-start", "zero-interval",
         "status-not-here"],
)
def test_bad_update_is_refused_and_changes_nothing(world, fields):
    before = Assembly.objects.filter(pk=world.assembly.pk).values().get()
    with pytest.raises(ValidationError) as refused:
        services.assembly_update(assembly=world.assembly, actor=world.secretariat,
                                 **fields)
    assert "Constraint" not in " ".join(refused.value.messages)  # a readable message
    assert Assembly.objects.filter(pk=world.assembly.pk).values().get() == before


# --- assembly_set_status ---------------------------------------------------------


def test_status_moves_forward_one_step_at_a_time(world):
    a = world.assembly
    for status in ("in_session", "closed", "following_up"):
        services.assembly_set_status(assembly=a, status=status, actor=world.secretariat)
        a.refresh_from_db()
        assert a.status == status


@pytest.mark.parametrize(
    "start, wanted",
    [
        ("preparing", "closed"),
        ("preparing", "following_up"),
        ("preparing", "preparing"),
        ("in_session", "preparing"),
        ("closed", "in_session"),
        ("following_up", "preparing"),
        ("following_up", "following_up"),
        ("preparing", "archived"),
    ],
)
def test_other_moves_are_refused_with_a_message(world, start, wanted):
    Assembly.objects.filter(pk=world.assembly.pk).update(status=start)
    world.assembly.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.assembly_set_status(assembly=world.assembly, status=wanted,
                                     actor=world.secretariat)
    assert refused.value.messages[0]
    world.assembly.refresh_from_db()
    assert world.assembly.status == start


# --- rooms -----------------------------------------------------------------------


def test_room_add_and_update_with_facilitators(world):
    f1, f2 = factories.user(name="กระบวนกร ก"), factories.user(name="กระบวนกร ข")
    room = services.room_add(assembly=world.assembly, number=3, name_th="ห้องย่อย 3",
                             facilitators=[f1], actor=world.secretariat)
    assert list(room.facilitators.all()) == [f1]
    services.room_update(room=room, number=4, name_th="ห้อง 4", name_en="Room 4",
                         facilitators=[f2], actor=world.secretariat)
    room.refresh_from_db()
    assert (room.number, room.name_th, room.name_en) == (4, "ห้อง 4", "Room 4")
    assert list(room.facilitators.all()) == [f2]


@pytest.mark.parametrize(
    "change",
    [
        {"name_th": ""},
        {"name_th": "ก" * 201},
        {"number": 2},  # taken by the other breakout room
        {"number": 0},
    ],
    ids=["empty-name", "oversized-name", "number-taken", "number-zero"],
)
def test_bad_room_update_changes_nothing(world, change):
    room = world.rooms[0]
    before = Room.objects.filter(pk=room.pk).values().get()
    facilitators = list(room.facilitators.all())
    args = {"name_th": room.name_th, "number": room.number, **change}
    with pytest.raises(ValidationError):
        services.room_update(room=room, facilitators=[], actor=world.secretariat,
                             **args)
    assert Room.objects.filter(pk=room.pk).values().get() == before
    assert list(room.facilitators.all()) == facilitators


def test_a_delegate_cannot_facilitate(world):
    room = world.rooms[0]
    with pytest.raises(ValidationError):
        services.room_update(room=room, name_th=room.name_th,
                             facilitators=[world.delegates[0].user])
    assert world.delegates[0].user not in room.facilitators.all()


def test_the_plenary_keeps_number_zero(world):
    with pytest.raises(ValidationError):
        services.room_update(room=world.plenary, name_th="ใหญ่", number=9)
    world.plenary.refresh_from_db()
    assert world.plenary.number == 0


def test_room_add_refuses_an_empty_name_and_creates_nothing(world):
    count = Room.objects.count()
    with pytest.raises(ValidationError):
        services.room_add(assembly=world.assembly, number=5, name_th="")
    assert Room.objects.count() == count


# --- seating ---------------------------------------------------------------------


def test_partners_are_seated_and_moved(world):
    p0, p1 = world.partners[0], world.partners[1]
    moved = services.partners_seat(
        assembly=world.assembly,
        seats={p0.pk: world.rooms[1].pk, p1.pk: None},
    )
    p0.refresh_from_db()
    p1.refresh_from_db()
    assert moved == 2 and p0.room == world.rooms[1] and p1.room is None


def test_seating_in_the_plenary_or_another_assembly_changes_nothing(world):
    other = factories.world(partners=1, rooms=1)
    p0 = world.partners[0]
    for seats in (
        {p0.pk: world.plenary.pk},
        {p0.pk: other.rooms[0].pk},
        {p0.pk: world.rooms[1].pk, other.partners[0].pk: None},
    ):
        with pytest.raises(ValidationError):
            services.partners_seat(assembly=world.assembly, seats=seats)
        p0.refresh_from_db()
        assert p0.room == world.rooms[0]
    other.partners[0].refresh_from_db()
    assert other.partners[0].room == other.rooms[0]


# --- agenda items ----------------------------------------------------------------


def _item(world, **overrides):
    args = {
        "assembly": world.assembly, "number": 1, "title_th": "การพัฒนาเด็กปฐมวัย",
        "title_en": "Early childhood", "lead_agency": world.partners[0].organisation,
        "co_leads": [world.partners[1].organisation], "room": world.rooms[0],
    }
    args.update(overrides)
    return setup.agenda_item_create(**args)


def test_agenda_item_create_and_update(world):
    item = _item(world)
    assert item.room == world.rooms[0]
    assert list(item.co_leads.all()) == [world.partners[1].organisation]
    setup.agenda_item_update(
        item=item, number=2, title_th="ใหม่", description_th="รายละเอียด",
        lead_agency=world.partners[2].organisation, co_leads=[], room=world.rooms[1],
    )
    item.refresh_from_db()
    assert (item.number, item.title_th, item.room) == (2, "ใหม่", world.rooms[1])
    assert item.lead_agency == world.partners[2].organisation
    assert not item.co_leads.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"title_th": ""},
        {"title_th": "ก" * 301},
        {"description_th": "ก" * 5001},
        {"number": 0},
        {"room": "plenary"},
        {"room": "other-assembly"},
        {"co_leads": "lead"},
    ],
    ids=["empty-title", "oversized-title", "oversized-description", "number-zero",
         "plenary", "other-assembly-room", "lead-as-co-lead"],
)
def test_bad_agenda_item_creates_nothing(world, bad):
    if bad.get("room") == "plenary":
        bad = {"room": world.plenary}
    elif bad.get("room") == "other-assembly":
        bad = {"room": factories.world(partners=1, rooms=1).rooms[0]}
    elif bad.get("co_leads") == "lead":
        bad = {"co_leads": [world.partners[0].organisation]}
    count = AgendaItem.objects.count()
    with pytest.raises(ValidationError):
        _item(world, **bad)
    assert AgendaItem.objects.count() == count


def test_agenda_item_number_and_room_are_unique(world):
    first = _item(world)
    with pytest.raises(ValidationError):
        _item(world, room=world.rooms[1])  # number 1 again
    with pytest.raises(ValidationError):
        _item(world, number=2)  # room 1 again
    second = _item(world, number=2, room=world.rooms[1])
    with pytest.raises(ValidationError):
        setup.agenda_item_update(
            item=second, number=1, title_th="x", lead_agency=first.lead_agency,
            room=world.rooms[1],
        )
    second.refresh_from_db()
    assert second.number == 2


# --- sign-in links and badges ----------------------------------------------------


def test_issuing_a_link_revokes_the_one_before(world):
    d = world.delegates[0]
    old = services.signin_link_issue(delegate=d, actor=world.secretariat)
    new = services.signin_link_issue(delegate=d, actor=world.secretariat)
    assert old != new and len(new) >= 32
    assert links.link_check(new).user == d.user
    with pytest.raises(PermissionDenied):
        links.link_check(old)
    assert SignInLink.objects.filter(user=d.user, revoked_at__isnull=True).count() == 1


def test_badges_issue_fresh_links_for_each_delegate(world):
    chosen = world.delegates[:3]
    olds = [services.signin_link_issue(delegate=d) for d in chosen]
    issued = services.badges_issue(assembly=world.assembly, delegates=chosen,
                                   actor=world.secretariat)
    assert [d for d, _ in issued] == chosen
    for (delegate, token), old in zip(issued, olds):
        assert links.link_check(token).user == delegate.user
        with pytest.raises(PermissionDenied):
            links.link_check(old)


def test_badges_for_another_assemblys_delegate_issue_nothing(world):
    other = factories.world(partners=1, rooms=1)
    count = SignInLink.objects.count()
    with pytest.raises(PermissionDenied):
        services.badges_issue(
            assembly=world.assembly,
            delegates=[world.delegates[0], other.delegates[0]],
        )
    assert SignInLink.objects.count() == count


def test_check_in_happens_once(db):
    w = factories.world(partners=1, rooms=1, checked_in=False)
    d = w.delegates[0]
    assert services.delegate_check_in(delegate=d) is True
    first = Delegate.objects.get(pk=d.pk).checked_in_at
    assert services.delegate_check_in(delegate=d) is False
    assert Delegate.objects.get(pk=d.pk).checked_in_at == first


# --- Who may call the set-up services ----------------------------------------------


@pytest.mark.parametrize("who", ["delegate", "facilitator", "other_secretariat"])
def test_set_up_services_refuse_anyone_but_the_secretariat(world, who):
    actor = {
        "delegate": lambda: world.delegates[0].user,
        "facilitator": lambda: world.facilitators[world.rooms[0].pk],
        "other_secretariat": lambda: factories.world(partners=1, rooms=1).secretariat,
    }[who]()
    a, room, org = world.assembly, world.rooms[0], world.partners[0].organisation
    calls = [
        lambda: services.assembly_update(assembly=a, title_th="x", actor=actor),
        lambda: services.assembly_set_status(assembly=a, status="in_session",
                                             actor=actor),
        lambda: services.room_update(room=room, name_th="x", actor=actor),
        lambda: services.room_add(assembly=a, number=7, name_th="x", actor=actor),
        lambda: services.partners_seat(assembly=a, seats={world.partners[0].pk: None},
                                       actor=actor),
        lambda: services.badges_issue(assembly=a, delegates=world.delegates,
                                      actor=actor),
        lambda: setup.agenda_item_create(assembly=a, number=1, title_th="x",
                                         lead_agency=org, actor=actor),
    ]
    before = (Assembly.objects.filter(pk=a.pk).values().get(),
              list(Room.objects.values()), SignInLink.objects.count())
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    after = (Assembly.objects.filter(pk=a.pk).values().get(),
             list(Room.objects.values()), SignInLink.objects.count())
    assert after == before
    assert not AgendaItem.objects.exists()
    world.partners[0].refresh_from_db()
    assert world.partners[0].room == room
