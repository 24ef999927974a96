"""The secretariat's pages, used as the secretariat uses them."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from agenda.models import AgendaItem
from assembly import links, services
from assembly.models import Assembly, AuditEvent, Room, SignInLink
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, world, *args):
    return reverse(f"assembly:{name}", args=[world.assembly.pk, *args])


@pytest.fixture
def sec(world):
    client = Client()
    client.force_login(world.secretariat)
    return client


def text(response) -> str:
    return response.content.decode()


ASSEMBLY_POST = {
    "title_th": "สมัชชาการศึกษา ครั้งที่ 2", "title_en": "Second assembly",
    "edition": 2,
    "starts_on": "2024-11-22", "ends_on": "2024-11-23", "venue_th": "โรงแรมโฆษะ",
    "venue_en": "Hotel Kosa", "province_th": "ขอนแก่น", "province_en": "Khon Kaen",
    "reporting_interval_days": 90,
}


# --- Creating and editing the assembly -------------------------------------------


def test_secretariat_creates_the_next_assembly(world, sec):
    response = sec.post(reverse("assembly:create"), ASSEMBLY_POST)
    created = Assembly.objects.get(title_th=ASSEMBLY_POST["title_th"])
    assert response.status_code == 302
    assert response["Location"] == reverse("assembly:secretariat", args=[created.pk])
    assert world.secretariat in created.secretariat.all()
    assert created.rooms.get().is_plenary


def test_create_page_is_refused_to_a_delegate_and_sends_anonymous_to_sign_in(world):
    client = Client()
    response = client.get(reverse("assembly:create"))
    assert response.status_code == 302
    assert reverse("assembly:login") in response["Location"]
    client.force_login(world.delegates[0].user)
    count = Assembly.objects.count()
    response = client.post(reverse("assembly:create"), ASSEMBLY_POST)
    assert response.status_code == 403
    assert "secretariat" in text(response).lower() or "เลขานุการ" in text(response)
    assert Assembly.objects.count() == count


def test_edit_saves_the_details(world, sec):
    response = sec.post(url("edit", world), {**ASSEMBLY_POST, "edition": 3})
    assert response.status_code == 302
    world.assembly.refresh_from_db()
    assert world.assembly.edition == 3 and world.assembly.venue_en == "Hotel Kosa"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title_th": ""}, "title_th"),
        ({"title_th": "   "}, "title_th"),
        ({"title_th": "ก" * 301}, "title_th"),
        ({"starts_on": "2024-11-23", "ends_on": "2024-11-22"}, "ends_on"),
        ({"starts_on": "not a date"}, "starts_on"),
        ({"edition": "-1"}, "edition"),
    ],
    ids=["empty", "blank", "oversized", "ends-before-start", "bad-date", "negative"],
)
def test_bad_details_get_a_message_and_change_nothing(world, sec, change, field):
    before = Assembly.objects.filter(pk=world.assembly.pk).values().get()
    response = sec.post(url("edit", world), {**ASSEMBLY_POST, **change})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="errorlist' in text(response)
    assert Assembly.objects.filter(pk=world.assembly.pk).values().get() == before


def test_html_in_a_title_is_shown_escaped(world, sec):
    title = "<b>ตัวหนา</b><script>x()</script>"
    sec.post(url("edit", world), {**ASSEMBLY_POST, "title_th": title})
    response = sec.get(url("secretariat", world))
    body = text(response)
    assert "&lt;script&gt;x()&lt;/script&gt;" in body
    assert "<script>x()" not in body and "<b>ตัวหนา" not in body


def test_a_forged_post_without_csrf_token_is_refused_and_changes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.secretariat)
    before = Assembly.objects.filter(pk=world.assembly.pk).values().get()
    link_count = SignInLink.objects.count()
    for target, data in [
        (url("edit", world), {**ASSEMBLY_POST, "title_th": "ปลอม"}),
        (url("set_status", world), {"status": "in_session"}),
        (url("link_issue", world, world.delegates[0].pk), {}),
        (url("badges", world), {"scope": "shown"}),
        (reverse("assembly:create"), ASSEMBLY_POST),
    ]:
        assert client.post(target, data).status_code == 403
    assert Assembly.objects.filter(pk=world.assembly.pk).values().get() == before
    assert Assembly.objects.count() == 1
    assert SignInLink.objects.count() == link_count


# --- Status ------------------------------------------------------------------------


def test_status_button_moves_the_assembly_one_step(world, sec):
    page = text(sec.get(url("secretariat", world)))
    assert 'value="in_session"' in page
    response = sec.post(url("set_status", world), {"status": "in_session"})
    assert response.status_code == 302
    world.assembly.refresh_from_db()
    assert world.assembly.status == "in_session"


@pytest.mark.parametrize(
    "wanted", ["closed", "following_up", "preparing", "nonsense", ""]
)
def test_other_status_moves_are_refused_with_a_message(world, sec, wanted):
    response = sec.post(url("set_status", world), {"status": wanted})
    assert response.status_code == 400
    assert 'role="alert"' in text(response)
    world.assembly.refresh_from_db()
    assert world.assembly.status == "preparing"


def test_status_change_needs_post(world, sec):
    assert sec.get(url("set_status", world)).status_code == 405


# --- Agenda items --------------------------------------------------------------------


def item_post(world, **overrides):
    data = {
        "number": 1, "title_th": "การพัฒนาเด็กปฐมวัยอย่างมีคุณภาพ",
        "title_en": "Quality early-childhood development",
        "description_th": "รายละเอียด", "description_en": "",
        "lead_agency": world.partners[0].organisation.pk,
        "co_leads": [world.partners[1].organisation.pk],
        "room": world.rooms[0].pk,
    }
    data.update(overrides)
    return data


def test_agenda_item_is_added_and_edited(world, sec):
    response = sec.post(url("item_create", world), item_post(world))
    assert response.status_code == 302
    item = AgendaItem.objects.get(assembly=world.assembly)
    assert item.room == world.rooms[0] and item.co_leads.count() == 1
    listing = text(sec.get(url("items", world)))
    assert "การพัฒนาเด็กปฐมวัยอย่างมีคุณภาพ" in listing
    response = sec.post(url("item_edit", world, item.pk),
                        item_post(world, title_th="ชื่อใหม่", co_leads=[], room=""))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title_th == "ชื่อใหม่" and item.room is None
    assert not item.co_leads.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"title_th": ""},
        {"title_th": "ก" * 301},
        {"description_th": "ก" * 5001},
        {"lead_agency": ""},
        {"lead_agency": "999999"},
        {"number": "0"},
        {"room": "plenary"},
        {"co_leads": "lead"},
    ],
    ids=["empty", "oversized", "oversized-description", "no-lead", "unknown-lead",
         "number-zero", "plenary", "lead-as-co-lead"],
)
def test_bad_agenda_item_gets_a_message_and_creates_nothing(world, sec, change):
    if change.get("room") == "plenary":
        change = {"room": world.plenary.pk}
    if change.get("co_leads") == "lead":
        change = {"co_leads": [world.partners[0].organisation.pk]}
    response = sec.post(url("item_create", world), item_post(world, **change))
    assert response.status_code == 200
    assert 'class="errorlist' in text(response)
    assert not AgendaItem.objects.exists()


def test_agenda_item_of_another_assembly_is_not_found(world, sec):
    other = factories.world(partners=1, rooms=1)
    from assembly import setup

    item = setup.agenda_item_create(
        assembly=other.assembly, number=1, title_th="อื่น",
        lead_agency=other.partners[0].organisation,
    )
    assert sec.get(url("item_edit", world, item.pk)).status_code == 404


def test_a_second_item_in_the_same_room_is_refused_with_a_message(world, sec):
    sec.post(url("item_create", world), item_post(world))
    response = sec.post(url("item_create", world), item_post(world, number=2))
    assert response.status_code == 200
    assert 'class="errorlist' in text(response)
    assert AgendaItem.objects.count() == 1


# --- Rooms, facilitators, seating -----------------------------------------------------


def test_room_is_added_with_facilitators_and_edited(world, sec):
    f = factories.user("kru.somchai", name="ครูสมชาย")
    page = text(sec.get(url("room_create", world)))
    assert "ครูสมชาย" in page
    assert world.delegates[0].name_th not in page  # delegates are not offered
    response = sec.post(url("room_create", world),
                        {"number": 3, "name_th": "ห้องย่อย 3", "name_en": "",
                         "facilitators": [f.pk]})
    assert response.status_code == 302
    room = Room.objects.get(assembly=world.assembly, number=3)
    assert list(room.facilitators.all()) == [f]
    response = sec.post(url("room_edit", world, room.pk),
                        {"number": 3, "name_th": "ห้องสาม", "name_en": "Room three"})
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.name_en == "Room three" and not room.facilitators.exists()


def test_facilitator_choice_refuses_a_delegate(world, sec):
    room = world.rooms[0]
    response = sec.post(url("room_edit", world, room.pk),
                        {"number": room.number, "name_th": room.name_th,
                         "facilitators": [world.delegates[0].user.pk]})
    assert response.status_code == 200 and 'class="errorlist' in text(response)
    assert world.delegates[0].user not in room.facilitators.all()


def test_html_in_a_room_name_is_shown_escaped(world, sec):
    room = world.rooms[0]
    sec.post(url("room_edit", world, room.pk),
             {"number": room.number, "name_th": '<img src=x onerror="alert(1)">'})
    body = text(sec.get(url("rooms", world)))
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert "<img src=x" not in body


def test_bad_room_gets_a_message_and_changes_nothing(world, sec):
    room = world.rooms[0]
    before = Room.objects.filter(pk=room.pk).values().get()
    for data in ({"number": room.number, "name_th": ""},
                 {"number": world.rooms[1].number, "name_th": "ซ้ำ"},
                 {"number": room.number, "name_th": "ก" * 201}):
        response = sec.post(url("room_edit", world, room.pk), data)
        assert response.status_code == 200 and 'class="errorlist' in text(response)
    assert Room.objects.filter(pk=room.pk).values().get() == before


def test_plenary_edit_has_no_number(world, sec):
    response = sec.post(url("room_edit", world, world.plenary.pk),
                        {"name_th": "ที่ประชุมใหญ่", "name_en": "Plenary session"})
    assert response.status_code == 302
    world.plenary.refresh_from_db()
    assert world.plenary.number == 0 and world.plenary.name_en == "Plenary session"


def test_partners_are_seated_from_one_form(world, sec):
    p0 = world.partners[0]
    data = {f"room-{p.pk}": p.room_id for p in world.partners}
    data[f"room-{p0.pk}"] = world.rooms[1].pk
    response = sec.post(url("partners", world), data)
    assert response.status_code == 302
    p0.refresh_from_db()
    assert p0.room == world.rooms[1]


def test_seating_in_the_plenary_is_refused_and_changes_nothing(world, sec):
    data = {f"room-{p.pk}": p.room_id for p in world.partners}
    data[f"room-{world.partners[0].pk}"] = world.plenary.pk
    response = sec.post(url("partners", world), data)
    assert response.status_code == 200 and 'class="errorlist' in text(response)
    world.partners[0].refresh_from_db()
    assert world.partners[0].room == world.rooms[0]


# --- Sign-in links --------------------------------------------------------------------


def issued_link(response) -> str:
    """The token of the link the page shows (``http://testserver/s/#<token>``)."""
    match = re.search(r'value="http://testserver/s/#([A-Za-z0-9_-]+)"', text(response))
    assert match, "the page shows the link"
    return match.group(1)


def sign_in_with(token: str):
    return Client().post(reverse("assembly:token_sign_in"), {"token": token})


def test_issuing_shows_the_link_and_its_qr_code_once(world, sec):
    d = world.delegates[0]
    response = sec.post(url("link_issue", world, d.pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'src="data:image/svg+xml' in text(response)
    token = issued_link(response)
    assert links.link_check(token).user == d.user
    listing = text(sec.get(url("delegates", world)))
    assert token not in listing  # never shown again


def test_reissuing_invalidates_the_old_link(world, sec):
    d = world.delegates[0]
    old = issued_link(sec.post(url("link_issue", world, d.pk)))
    new = issued_link(sec.post(url("link_issue", world, d.pk)))
    assert old != new
    assert sign_in_with(old).status_code == 403
    assert sign_in_with(new).status_code == 302


def test_revoking_stops_the_link(world, sec):
    d = world.delegates[0]
    link = issued_link(sec.post(url("link_issue", world, d.pk)))
    response = sec.post(url("link_revoke", world, d.pk))
    assert response.status_code == 302
    assert sign_in_with(link).status_code == 403
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_REVOKED).exists()


def test_links_of_another_assemblys_delegate_are_not_touched(world, sec):
    other = factories.world(partners=1, rooms=1)
    count = SignInLink.objects.count()
    assert sec.post(url("link_issue", world, other.delegates[0].pk)).status_code == 404
    assert sec.post(url("link_revoke", world, other.delegates[0].pk)).status_code == 404
    assert SignInLink.objects.count() == count


def test_issue_and_revoke_need_post(world, sec):
    d = world.delegates[0]
    assert sec.get(url("link_issue", world, d.pk)).status_code == 405
    assert sec.get(url("link_revoke", world, d.pk)).status_code == 405
    assert not SignInLink.objects.exists()


# --- Check-in dashboard ---------------------------------------------------------------


def test_checkins_per_room_and_in_total(db):
    w = factories.world(partners=4, rooms=2, checked_in=False, alternates=0)
    services.delegate_check_in(delegate=w.delegates[0])  # room 1
    client = Client()
    client.force_login(w.secretariat)
    response = client.get(url("checkins", w))
    summary = response.context["summary"]
    assert (summary["delegates_in"], summary["delegates_total"]) == (1, 4)
    by_room = {
        e["room"].number: (e["checked_in"], e["total"]) for e in summary["roster"]
    }
    assert by_room == {1: (1, 2), 2: (0, 2)}
    assert "<html" in text(response)
    partial = client.get(url("checkins", w), HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial) and 'id="checkin-summary"' in text(partial)


def test_unseated_partners_are_listed_apart(db):
    w = factories.world(partners=2, rooms=1, alternates=0)
    services.partners_seat(assembly=w.assembly, seats={w.partners[1].pk: None})
    client = Client()
    client.force_login(w.secretariat)
    roster = client.get(url("checkins", w)).context["summary"]["roster"]
    assert [e["room"] for e in roster] == [w.rooms[0], None]


# --- Badges ---------------------------------------------------------------------------


def test_badges_page_says_printing_issues_new_links(world, sec):
    body = text(sec.get(url("badges", world)))
    assert "invalidates old ones" in body or "ลิงก์เดิม" in body


def test_printing_chosen_badges_issues_new_links_for_them_only(world, sec):
    chosen, other = world.delegates[0], world.delegates[1]
    old_chosen = services.signin_link_issue(delegate=chosen)
    old_other = services.signin_link_issue(delegate=other)
    response = sec.post(url("badges", world), {"delegates": [chosen.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert sign_in_with(old_chosen).status_code == 403
    assert links.link_check(old_other).user == other.user


def test_printing_all_badges_issues_a_link_for_everyone(world, sec):
    response = sec.post(url("badges", world), {"scope": "shown"})
    assert response["Content-Type"] == "application/pdf"
    everyone = len(world.delegates) + len(world.alternates)
    assert SignInLink.objects.filter(revoked_at__isnull=True).count() == everyone


def test_printing_with_nobody_chosen_gets_a_message_and_issues_nothing(world, sec):
    response = sec.post(url("badges", world), {})
    assert response.status_code == 200 and 'class="errorlist' in text(response)
    assert not SignInLink.objects.exists()


def test_badges_of_another_assemblys_delegate_are_not_printed(world, sec):
    other = factories.world(partners=1, rooms=1)
    response = sec.post(url("badges", world), {"delegates": [other.delegates[0].pk]})
    assert response.status_code == 200 and 'class="errorlist' in text(response)
    assert not SignInLink.objects.exists()


# --- Audit log ------------------------------------------------------------------------


def test_audit_log_newest_first_and_paginated(world, sec):
    d = world.delegates[0]
    for _ in range(55):
        services.signin_link_issue(delegate=d, actor=world.secretariat)
    services.signin_link_revoke(delegate=d, actor=world.secretariat)
    first = sec.get(url("audit", world))
    page = first.context["page"]
    assert page.paginator.count == 56 and len(page.object_list) == 50
    assert page.object_list[0].kind == AuditEvent.Kind.TOKEN_REVOKED
    second = sec.get(url("audit", world) + "?page=2")
    assert len(second.context["page"].object_list) == 6
    assert sec.get(url("audit", world) + "?page=zzz").status_code == 200


def test_audit_log_shows_only_this_assembly(world, sec):
    other = factories.world(partners=1, rooms=1)
    services.signin_link_issue(delegate=other.delegates[0], actor=other.secretariat)
    page = sec.get(url("audit", world)).context["page"]
    assert all(e.assembly_id == world.assembly.pk for e in page.object_list)


def test_dashboard_links_the_pages(world, sec):
    body = text(sec.get(url("secretariat", world)))
    for name in ("edit", "items", "rooms", "partners", "delegates", "badges",
                 "checkins", "audit"):
        assert f'href="{url(name, world)}"' in body


def test_the_create_page_accepts_a_superuser(db):
    admin = factories.user("root")
    admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("assembly:create")).status_code == 200
    response = client.post(reverse("assembly:create"), {**ASSEMBLY_POST, "ends_on": ""})
    assert response.status_code == 200  # ends_on is required by the form
    assert not Assembly.objects.filter(starts_on=date(2024, 11, 22)).exists()


def test_the_badge_sheet_reads_back_in_thai_whatever_the_page_language(world, sec):
    import io

    from pypdf import PdfReader

    sec.post(reverse("set_language"), {"language": "en", "next": "/"})
    d = world.delegates[0]
    response = sec.post(url("badges", world), {"delegates": [d.pk]})
    pdf = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert d.name_th in text
    assert d.partner.room.name_th in text
    assert "ผู้แทนที่มีสิทธิ์ลงมติ" in text  # the role, in Thai
    assert "Delegate 1" not in text
