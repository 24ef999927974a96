"""Who may run votes, cast ballots and see results: the role matrix."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from assembly.models import Delegate
from assembly.services import delegate_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    room = world.rooms[0]
    partner = world.partners_in(room)[0]
    observer = delegate_create(partner=partner, name_th="ผู้สังเกตการณ์",
                               kind=Delegate.Kind.OBSERVER)
    Delegate.objects.filter(pk=observer.pk).update(checked_in_at=timezone.now())
    late = delegate_create(partner=partner, name_th="ผู้แทนสำรองมาสาย",
                           kind=Delegate.Kind.ALTERNATE)
    admin = factories.user()
    admin.is_superuser = True
    admin.save()
    return {
        "facilitator": world.facilitators[room.pk],
        "other facilitator": world.facilitators[world.rooms[1].pk],
        "secretariat": world.secretariat,
        "voting delegate": world.delegate_of(partner).user,
        "alternate": world.alternates[0].user,
        "observer": observer.user,
        "not checked in": late.user,
        "delegate of another room": world.delegate_of(
            world.partners_in(world.rooms[1])[0]).user,
        "anonymous": AnonymousUser(),
        "superuser": admin,
    }


MATRIX = {
    # who: (run_poll room, run_poll plenary, cast_ballot room, cast_ballot plenary,
    #       view_poll room, manage_proxy assembly)
    "facilitator": (True, False, False, False, True, False),
    "other facilitator": (False, False, False, False, False, False),
    # the secretariat runs the plenary and, as a backup facilitator, any room;
    # it records which absent partner gives its voice to which
    "secretariat": (True, True, False, False, True, True),
    "voting delegate": (False, False, True, True, True, False),
    "alternate": (False, False, True, True, True, False),
    "observer": (False, False, False, False, True, False),
    "not checked in": (False, False, False, False, True, False),
    "delegate of another room": (False, False, False, True, False, False),
    "anonymous": (False, False, False, False, False, False),
    # Django grants an active superuser every permission; the ballot service still
    # refuses anyone who is not a delegate (test_services, test_views).
    "superuser": (True, True, True, True, True, True),
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_role_matrix(world, people, who):
    user, room, plenary = people[who], world.rooms[0], world.plenary
    # A fresh user object: the delegate lookup is cached on the instance.
    if getattr(user, "pk", None):
        user = type(user).objects.get(pk=user.pk)
    got = (
        user.has_perm("voting.run_poll", room),
        user.has_perm("voting.run_poll", plenary),
        user.has_perm("voting.cast_ballot", room),
        user.has_perm("voting.cast_ballot", plenary),
        user.has_perm("voting.view_poll", room),
        user.has_perm("voting.manage_proxy", world.assembly),
    )
    assert got == MATRIX[who]


# The plenary's consensus round on all items: the secretariat alone (a plenary
# facilitator runs item rounds; the service refuses a breakout room).
ALL_ITEMS = {
    "facilitator": False,
    "other facilitator": False,
    "secretariat": True,
    "voting delegate": False,
    "alternate": False,
    "observer": False,
    "not checked in": False,
    "delegate of another room": False,
    "anonymous": False,
    "superuser": True,
}


@pytest.mark.parametrize("who", sorted(ALL_ITEMS))
def test_the_round_on_all_items_matrix(world, people, who):
    user = people[who]
    if getattr(user, "pk", None):
        user = type(user).objects.get(pk=user.pk)
    world.plenary.facilitators.add(world.facilitators[world.rooms[0].pk])
    assert user.has_perm("voting.run_all_items_poll", world.plenary) is ALL_ITEMS[who]
