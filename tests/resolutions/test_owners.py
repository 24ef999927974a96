"""Joint lead agencies: a resolution owned by several agencies (one named first).

Seed room 3 has six leads and room 4 two: the item's co-leads become joint owners
of its resolutions, every owner's staff post progress, and the board, the agency
pages and the CSV show them all."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from resolutions import selectors, services
from resolutions.models import ProgressUpdate
from tests.resolutions.conftest import ADOPTED_ON, agreed_item
from tests.readable import readable

pytestmark = pytest.mark.django_db

ACTIONS = [
    "resolutions.add_progressupdate",
    "resolutions.add_note",
    "resolutions.correct_progressupdate",
    "resolutions.change_resolution",
]


@pytest.fixture
def joint(world):
    """Item 1 led by partner 0 with partners 1 and 2 as co-leads, adopted; partner
    3 supports resolution 1.1."""
    lead, *co = (p.organisation for p in world.partners[:3])
    item = agreed_item(world, 1, "เมืองแห่งการเรียนรู้", [
        "ให้เทศบาลนครขอนแก่นร่วมกับภาคีจัดพื้นที่เรียนรู้ในชุมชน",
        "ให้ขอนแก่นพัฒนาเมืองสนับสนุนข้อมูลเมือง",
    ], lead)
    item.co_leads.set(co)
    resolutions = services.resolutions_create_for_item(item=item, adopted_on=ADOPTED_ON)
    resolutions[0].supporters.add(world.partners[3].organisation)
    return resolutions


def test_item_co_leads_carry_over_as_joint_owners(world, joint):
    lead, first_co, second_co = (p.organisation for p in world.partners[:3])
    for resolution in joint:
        assert resolution.owner == lead
        owners = resolution.owners
        assert owners[0] == lead
        assert set(owners[1:]) == {first_co, second_co}


def staff(world, index):
    return world.staff[world.partners[index].organisation.pk]


# role -> actions allowed on a jointly owned resolution
MATRIX = {
    "staff of the owner named first": {"resolutions.add_progressupdate"},
    "staff of a joint owner": {"resolutions.add_progressupdate"},
    "staff of a supporting agency": {"resolutions.add_note"},
    "staff of another agency": set(),
    "secretariat": {"resolutions.correct_progressupdate",
                    "resolutions.change_resolution"},
    "a delegate": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("action", ACTIONS)
def test_joint_ownership_role_by_action(world, joint, role, action):
    user = {
        "staff of the owner named first": lambda: staff(world, 0),
        "staff of a joint owner": lambda: staff(world, 2),
        "staff of a supporting agency": lambda: staff(world, 3),
        "staff of another agency": lambda: staff(world, 4),
        "secretariat": lambda: world.secretariat,
        "a delegate": lambda: world.delegates[1].user,
        "anonymous": AnonymousUser,
    }[role]()
    assert user.has_perm(action, joint[0]) == (action in MATRIX[role])


def test_each_owner_reports_as_itself(world, joint):
    entry = services.progress_post(
        resolution=joint[0], actor=staff(world, 2), status="on_track", percent=30,
        narrative="จัดพื้นที่เรียนรู้แล้ว 3 ชุมชน", refers_to=date(2024, 2, 1))
    assert entry.organisation == world.partners[2].organisation
    entry = services.progress_post(
        resolution=joint[0], actor=staff(world, 0), status="on_track", percent=40,
        narrative="เพิ่มเป็น 5 ชุมชน", refers_to=date(2024, 3, 1))
    assert entry.organisation == world.partners[0].organisation
    with pytest.raises(PermissionDenied):
        services.progress_post(
            resolution=joint[0], actor=staff(world, 3), status="on_track", percent=50,
            narrative="ไม่ใช่เจ้าของ", refers_to=date(2024, 3, 1))
    assert ProgressUpdate.objects.count() == 2


def test_the_plan_sets_joint_owners_and_keeps_supporters_apart(world, joint):
    orgs = [p.organisation for p in world.partners]
    resolution = services.resolution_plan_set(
        resolution=joint[0], actor=world.secretariat, owner=orgs[1],
        co_owners=[orgs[1], orgs[4]], supporters=[orgs[4], orgs[5], orgs[1]])
    assert resolution.owners == [orgs[1], orgs[4]]
    assert list(resolution.supporters.all()) == [orgs[5]]
    # without co_owners the joint owners stay; the new first owner leaves them
    resolution = services.resolution_plan_set(
        resolution=resolution, actor=world.secretariat, owner=orgs[4])
    assert resolution.owners == [orgs[4]]


def test_a_joint_owner_sees_its_resolutions_and_is_reminded(world, joint):
    co = world.partners[2].organisation
    board = selectors.board(world.assembly, agency=co)
    assert [r.number for b in board.items for r in b.rows] == ["1.1", "1.2"]
    assert co in selectors.agencies_of(world.assembly)
    stale = selectors.stale_owners(world.assembly, today=date(2024, 6, 1))
    assert {s.organisation for s in stale} == {
        p.organisation for p in world.partners[:3]}
    assert joint[0] in selectors.my_resolutions(staff(world, 2))


def text_of(response) -> str:
    import html

    return html.unescape(readable(response))


@pytest.mark.parametrize("language, owners_word", [("en", "Joint owners"),
                                                    ("th", "เจ้าของประเด็นร่วม")])
def test_the_board_names_every_owner(world, joint, language, owners_word):
    client = Client()
    client.cookies["django_language"] = language
    body = text_of(client.get(reverse("resolutions:board", args=[world.assembly.pk])))
    with translation.override(language):
        names = [p.organisation.name for p in world.partners[:3]]
    assert owners_word in body
    for name in names:
        assert name in body


def test_the_agency_page_of_a_joint_owner_lists_what_it_owns(world, joint):
    co = world.partners[2].organisation
    client = Client()
    client.cookies["django_language"] = "en"
    body = text_of(client.get(reverse("resolutions:agency",
                                      args=[world.assembly.pk, co.pk])))
    assert "Owns 2 resolutions" in body


def test_the_resolution_page_names_the_owners_in_order(world, joint):
    client = Client()
    client.cookies["django_language"] = "en"
    body = text_of(client.get(reverse("resolutions:resolution",
                                      args=[world.assembly.pk, joint[0].pk])))
    assert "Owning agencies (the first named leads)" in body
    first = world.partners[0].organisation.name_en
    assert body.index(first) < body.index(world.partners[1].organisation.name_en)


def test_the_csv_lists_every_owner(world, joint):
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get(reverse("resolutions:resolutions_csv",
                                  args=[world.assembly.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    column = header.index("Owning agencies")
    owners = rows[1][column].split("; ")
    assert owners[0] == world.partners[0].organisation.name_en
    assert len(owners) == 3
