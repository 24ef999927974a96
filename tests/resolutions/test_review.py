"""Year after year: the next assembly made from the last (the same organisations,
the rooms' structure, the unfinished resolutions for review), the review session
(owners report, the assembly decides), and the home page listing every assembly."""

from __future__ import annotations

import html
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from assembly.carryover import CarryOver, assembly_create_next
from assembly.models import Assembly, Partner, Room
from resolutions import services
from resolutions.models import Review
from tests.resolutions.conftest import ADOPTED_ON
from tests.readable import readable

pytestmark = pytest.mark.django_db

NEXT = {"title_th": "สมัชชาการศึกษาจังหวัดขอนแก่น ครั้งที่ 2",
        "title_en": "Second assembly", "starts_on": date(2024, 11, 22),
        "venue_th": "มหาวิทยาลัยขอนแก่น", "province_th": "ขอนแก่น"}


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def post(res, actor, status, percent=50):
    return services.progress_post(resolution=res, actor=actor, status=status,
                                   percent=percent, narrative="รายงาน",
                                   refers_to=date(2024, 6, 1))


@pytest.fixture
def finished(adopted):
    """1.1 done, 1.2 dropped, the rest unfinished (reported on or not)."""
    r = adopted.resolutions
    post(r[0], adopted.owner_staff(r[0]), "done", 100)
    services.progress_post(resolution=r[1], actor=adopted.owner_staff(r[1]),
                           status="dropped", percent=10, narrative="ยุติ",
                           refers_to=date(2024, 6, 1), reason="ไม่มีงบประมาณ")
    post(r[2], adopted.owner_staff(r[2]), "delayed", 30)
    return adopted


@pytest.fixture
def nxt(finished):
    return assembly_create_next(previous=finished.assembly,
                                actor=finished.world.secretariat, **NEXT)


def page(response) -> str:
    """The page as read: Thai line-break marking removed, entities decoded."""
    return html.unescape(readable(response))


def client_for(user, language="en"):
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = language
    return client


# --- Creating the next assembly --------------------------------------------------------


def test_the_next_assembly_carries_the_same_organisations_rooms_and_review(finished,
                                                                           nxt):
    old = finished.assembly
    assert nxt.edition == old.edition + 1 and nxt.status == Assembly.Status.PREPARING
    old_partners = {p.organisation_id: p for p in Partner.objects.filter(assembly=old)}
    new_partners = {p.organisation_id: p for p in Partner.objects.filter(assembly=nxt)}
    assert new_partners.keys() == old_partners.keys()  # the same Organisation rows
    for org_id, partner in new_partners.items():
        assert partner.room.number == old_partners[org_id].room.number
        assert partner.room.assembly_id == nxt.pk
    rooms = Room.objects.filter(assembly=nxt, kind="breakout").order_by("number")
    assert [(r.number, r.name_th) for r in rooms] == [
        (r.number, r.name_th) for r in old.rooms.filter(kind="breakout")
        .order_by("number")]
    assert not any(r.facilitators.exists() for r in rooms)
    reviewed = [r.resolution.number for r in Review.objects.filter(assembly=nxt)]
    assert reviewed == ["1.3", "2.1", "2.2"]  # not the done nor the dropped one
    assert set(nxt.secretariat.all()) == set(old.secretariat.all())


def test_carrying_over_is_optional(finished):
    nxt = assembly_create_next(previous=finished.assembly,
                               actor=finished.world.secretariat,
                               carry=CarryOver(partners=False, rooms=False,
                                               review=False), **NEXT)
    assert not Partner.objects.filter(assembly=nxt).exists()
    assert list(nxt.rooms.values_list("kind", flat=True)) == ["plenary"]
    assert not Review.objects.filter(assembly=nxt).exists()


def test_only_the_secretariat_creates_the_next_one_and_after_the_last(finished):
    w = finished.world
    for user in (w.delegates[0].user, w.staff[w.partners[0].organisation.pk]):
        with pytest.raises(PermissionDenied):
            assembly_create_next(previous=finished.assembly, actor=user, **NEXT)
    with pytest.raises(ValidationError):
        assembly_create_next(previous=finished.assembly, actor=w.secretariat,
                             **{**NEXT, "starts_on": ADOPTED_ON})
    assert Assembly.objects.count() == 1


def test_the_next_assembly_page(finished):
    client = client_for(finished.world.secretariat)
    url = reverse("assembly:next", args=[finished.assembly.pk])
    body = page(client.get(url))
    assert "3 resolutions not done or dropped" in body
    response = client.post(url, {**NEXT, "starts_on": "2024-11-22",
                                 "carry_partners": "on", "carry_rooms": "on",
                                 "carry_review": "on"})
    assert response.status_code == 302
    nxt = Assembly.objects.exclude(pk=finished.assembly.pk).get()
    assert Review.objects.filter(assembly=nxt).count() == 3
    response = client.post(url, {**NEXT, "starts_on": "2023-01-01"})
    assert response.status_code == 400
    assert "The next assembly starts after this one ends." in page(response)
    assert client_for(finished.world.delegates[0].user).get(url).status_code == 403


def test_the_next_assembly_page_in_thai(finished):
    body = page(client_for(finished.world.secretariat, "th").get(
        reverse("assembly:next", args=[finished.assembly.pk])))
    assert "สมัชชาครั้งต่อไป" in body


# --- The review session ------------------------------------------------------------------


def review_of(nxt, number):
    return next(r for r in Review.objects.filter(assembly=nxt)
                if r.resolution.number == number)


MATRIX = {
    "staff of the owner": {"resolutions.report_review"},
    "staff of another agency": set(),
    "secretariat": {"resolutions.decide_review"},
    "a delegate": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("role", MATRIX)
@pytest.mark.parametrize("action", ["resolutions.report_review",
                                    "resolutions.decide_review"])
def test_review_role_by_action(finished, nxt, role, action):
    review = review_of(nxt, "2.1")
    w = finished.world
    user = {
        "staff of the owner": lambda: finished.owner_staff(review.resolution),
        "staff of another agency": lambda: w.staff[w.partners[4].organisation.pk],
        "secretariat": lambda: w.secretariat,
        "a delegate": lambda: w.delegates[0].user,
        "anonymous": AnonymousUser,
    }[role]()
    assert user.has_perm(action, review) == (action in MATRIX[role])


def test_the_owner_reports_and_the_assembly_decides(finished, nxt):
    review = review_of(nxt, "2.1")
    staff = finished.owner_staff(review.resolution)
    services.review_report(review=review, actor=staff,
                           text="ส่งต่อเด็กนอกระบบได้ 1,200 คน ยังเหลืออีก 3 อำเภอ")
    review.refresh_from_db()
    assert review.reported_for == review.resolution.owner
    services.review_decide(review=review, actor=finished.world.secretariat,
                           decision="revise", revised_text="ค้นหาและส่งต่อเด็กทุกอำเภอภายในปี 2568")
    review.refresh_from_db()
    assert review.decision == "revise" and review.decided_at
    with pytest.raises(ValidationError, match="has decided"):
        services.review_report(review=review, actor=staff, text="เพิ่มเติม")


@pytest.mark.parametrize("data, field", [
    ({"decision": "maybe"}, "decision"),
    ({"decision": "revise"}, "revised_text"),
    ({"decision": "close"}, "note"),
])
def test_bad_decisions_are_refused(finished, nxt, data, field):
    review = review_of(nxt, "2.2")
    with pytest.raises(ValidationError) as info:
        services.review_decide(review=review, actor=finished.world.secretariat, **data)
    assert field in info.value.error_dict
    review.refresh_from_db()
    assert review.decision == ""


def test_the_review_page_is_public_and_shows_decisions(finished, nxt):
    review = review_of(nxt, "1.3")
    services.review_decide(review=review, actor=finished.world.secretariat,
                           decision="close", note="รวมกับมติใหม่ข้อ 1.1")
    body = page(client_for(None).get(reverse("resolutions:review", args=[nxt.pk])))
    assert "1 of 3 decided" in body and "รวมกับมติใหม่ข้อ 1.1" in body
    assert "Record the decision" not in body and "Save the report" not in body
    # the earlier assembly's public board says what became of it
    old_board = page(client_for(None).get(
        reverse("resolutions:board", args=[finished.assembly.pk])))
    assert f"Reviewed by {nxt.title_en}: Close" in old_board


def test_owners_report_and_the_secretariat_decides_on_the_page(finished, nxt):
    review = review_of(nxt, "2.1")
    staff = finished.owner_staff(review.resolution)
    url = reverse("resolutions:review", args=[nxt.pk])
    body = page(client_for(staff).get(url))
    assert body.count("Save the report") == 2  # item 2's two resolutions
    response = client_for(staff).post(
        reverse("resolutions:review_report", args=[review.pk]),
        {"report": "ดำเนินการแล้วร้อยละ 60"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "ดำเนินการแล้วร้อยละ 60" in page(response)
    response = client_for(staff).post(
        reverse("resolutions:review_report", args=[review.pk]), {"report": " "},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "Write the agency's report." in page(response)
    response = client_for(staff).post(
        reverse("resolutions:review_decide", args=[review.pk]), {"decision": "continue"})
    assert response.status_code == 403
    secretariat = client_for(finished.world.secretariat)
    response = secretariat.post(reverse("resolutions:review_decide", args=[review.pk]),
                                {"decision": "continue", "note": ""})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == "continue" and review.report == "ดำเนินการแล้วร้อยละ 60"


def test_html_in_a_report_is_shown_as_text(finished, nxt):
    review = review_of(nxt, "2.1")
    services.review_report(review=review, actor=finished.owner_staff(review.resolution),
                           text='<script>alert("x")</script>')
    raw = client_for(None).get(reverse("resolutions:review", args=[nxt.pk])
                               ).content.decode()
    assert '<script>alert("x")</script>' not in raw and "&lt;script&gt;" in raw


def test_the_review_page_in_thai(finished, nxt):
    body = page(client_for(finished.world.secretariat, "th").get(
        reverse("resolutions:review", args=[nxt.pk])))
    assert "ทบทวนมติ" in body and "บันทึกมติของที่ประชุม" in body


# --- The home page -------------------------------------------------------------------------


def test_the_home_page_lists_every_assembly_the_current_first(finished, nxt):
    nxt.status = Assembly.Status.IN_SESSION
    nxt.save()
    body = page(client_for(None).get("/"))
    first, second = body.index(NEXT["title_en"]), body.index(
        finished.assembly.title_en)
    assert first < second
    assert "In session now" in body
    assert reverse("resolutions:board", args=[finished.assembly.pk]) in body
    assert reverse("resolutions:review", args=[nxt.pk]) in body
    body = page(client_for(None, "th").get("/"))
    assert "กำลังประชุม" in body
