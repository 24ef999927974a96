"""Who may do what to a resolution: the role x action matrix."""

import pytest
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db

ACTIONS = [
    "resolutions.add_progressupdate",
    "resolutions.add_note",
    "resolutions.correct_progressupdate",
    "resolutions.change_resolution",
    "resolutions.follow_up_assembly",
]
# role -> the actions it may take (everything else is refused).
MATRIX = {
    "owner's staff": {"resolutions.add_progressupdate"},
    "supporting agency's staff": {"resolutions.add_note"},
    "secretariat": {
        "resolutions.correct_progressupdate",
        "resolutions.change_resolution",
        "resolutions.follow_up_assembly",
    },
    "another agency's staff": set(),
    "delegate of the owning organisation": set(),
    "facilitator": set(),
    "anonymous": set(),
}


def person(adopted, role, res):
    w = adopted.world
    supporter = w.partners[3].organisation
    res.supporters.add(supporter)
    other = w.partners[4].organisation
    return {
        "owner's staff": lambda: w.staff[res.owner_id],
        "supporting agency's staff": lambda: w.staff[supporter.pk],
        "secretariat": lambda: w.secretariat,
        "another agency's staff": lambda: w.staff[other.pk],
        "delegate of the owning organisation": lambda: (
            w.delegate_of(w.partners[0]).user
        ),
        "facilitator": lambda: next(iter(w.facilitators.values())),
        "anonymous": AnonymousUser,
    }[role]()


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("action", ACTIONS)
def test_role_action_matrix(adopted, role, action):
    res = adopted.resolutions[0]
    assert res.owner_id == adopted.world.partners[0].organisation_id
    user = person(adopted, role, res)
    target = res.assembly if action == "resolutions.follow_up_assembly" else res
    assert user.has_perm(action, target) is (action in MATRIX[role])


def test_the_owner_is_never_counted_as_its_own_supporter(adopted):
    res = adopted.resolutions[0]
    res.supporters.add(res.owner)
    assert not adopted.owner_staff(res).has_perm("resolutions.add_note", res)


def test_the_secretariat_of_another_assembly_has_no_say(adopted):
    from tests import factories

    other = factories.world(partners=2, rooms=1)
    res = adopted.resolutions[0]
    assert not other.secretariat.has_perm("resolutions.correct_progressupdate", res)
    assert not other.secretariat.has_perm(
        "resolutions.follow_up_assembly", res.assembly
    )
