"""The agenda permissions as a role × permission matrix."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from agenda import services
from agenda.models import Amendment
from assembly import services as assembly_services
from assembly.models import Delegate
from tests import factories

# Django's ModelBackend grants an active superuser every permission: not a role
# of the matrix (see test_a_superuser_may_do_everything).
ROLES = (
    "anonymous", "secretariat", "facilitator", "other_facilitator",
    "delegate", "alternate", "observer", "other_room_delegate", "staff",
)


@pytest.fixture
def people(world):
    room, other = world.rooms
    member = world.delegates[0]  # partner 0, seated in the first room
    observer = assembly_services.delegate_create(
        partner=member.partner, name_th="ผู้สังเกตการณ์", kind=Delegate.Kind.OBSERVER)
    outsider = next(d for d in world.delegates if d.partner.room_id == other.pk)
    superuser = factories.user()
    superuser.is_superuser = True
    superuser.save()
    return {
        "anonymous": AnonymousUser(),
        "superuser": superuser,
        "secretariat": world.secretariat,
        "facilitator": world.facilitators[room.pk],
        "other_facilitator": world.facilitators[other.pk],
        "delegate": member.user,
        "alternate": world.alternates[0].user,
        "observer": observer.user,
        "other_room_delegate": outsider.user,
        "staff": world.staff[member.partner.organisation_id],
    }


def allowed(people, perm, obj) -> set[str]:
    return {role for role in ROLES if people[role].has_perm(perm, obj)}


ITEM_MATRIX = {
    "agenda.change_draft": {"secretariat"},
    "agenda.decide_item": {"secretariat"},
    "agenda.propose_amendment": {"delegate", "alternate"},
    # the secretariat runs any room as a backup facilitator
    "agenda.run_item": {"facilitator", "secretariat"},
    "agenda.manage_amendment": {"facilitator", "secretariat"},
    "agenda.agree_item": {"facilitator", "secretariat"},
    "agenda.view_item": {"secretariat", "facilitator", "delegate",
                         "alternate", "observer"},
}

ASSEMBLY_MATRIX = {
    "agenda.add_agendaitem": {"secretariat"},
    "agenda.build_plenarydocument": {"secretariat"},
    "agenda.view_plenarydocument": {"secretariat", "facilitator",
                                    "other_facilitator", "delegate", "alternate",
                                    "observer", "other_room_delegate"},
}


@pytest.mark.parametrize("perm", sorted(ITEM_MATRIX))
def test_breakout_item_permissions(world, people, perm):
    item = factories.agenda_item(world)
    assert allowed(people, perm, item) == ITEM_MATRIX[perm]


@pytest.mark.parametrize("perm", sorted(ASSEMBLY_MATRIX))
def test_assembly_permissions(world, people, perm):
    assert allowed(people, perm, world.assembly) == ASSEMBLY_MATRIX[perm]


PLENARY_MATRIX = {
    "agenda.propose_amendment": {"delegate", "alternate", "other_room_delegate"},
    "agenda.run_item": {"secretariat"},
    "agenda.manage_amendment": {"secretariat"},
    "agenda.agree_item": {"secretariat"},
    "agenda.view_item": {"secretariat", "delegate", "alternate",
                         "observer", "other_room_delegate"},
}


@pytest.mark.parametrize("perm", sorted(PLENARY_MATRIX))
@pytest.mark.parametrize("room", ["plenary", None])
def test_plenary_item_permissions(world, people, perm, room):
    item = factories.agenda_item(world, room=world.plenary if room else None)
    if room is None:  # no room of its own: the factory's default would seat it
        item.room = None
        item.save()
    assert allowed(people, perm, item) == PLENARY_MATRIX[perm]


AMENDMENT_MATRIX = {
    "agenda.withdraw_amendment": {"delegate", "alternate"},
    "agenda.consent_amendment": {"delegate", "alternate"},
    "agenda.change_amendment": {"delegate", "alternate"},
    "agenda.manage_amendment": {"facilitator", "secretariat"},
    "agenda.view_item": ITEM_MATRIX["agenda.view_item"],
}


@pytest.mark.parametrize("perm", sorted(AMENDMENT_MATRIX))
def test_amendment_permissions(world, people, perm):
    item = factories.agenda_item(world)
    amendment = services.amendment_submit(
        item=item, delegate=world.delegates[0], kind=Amendment.Kind.DELETE,
        target_key=1, text="", rationale="")
    assert allowed(people, perm, amendment) == AMENDMENT_MATRIX[perm]


def test_another_assemblys_people_have_no_say(world, people):
    item = factories.agenda_item(world)
    elsewhere = factories.world(partners=2, rooms=1, title="สมัชชาอื่น")
    strangers = [elsewhere.secretariat, elsewhere.delegates[0].user,
                 next(iter(elsewhere.facilitators.values()))]
    for perm in (*ITEM_MATRIX, "agenda.view_plenarydocument"):
        obj = world.assembly if perm.endswith("plenarydocument") else item
        assert not any(person.has_perm(perm, obj) for person in strangers), perm


def test_a_superuser_may_do_everything(world, people):
    item = factories.agenda_item(world)
    for perm in (*ITEM_MATRIX, *ASSEMBLY_MATRIX):
        assert people["superuser"].has_perm(perm, item), perm
