"""The public board without sign-in; posting through the pages; refusals answer 403."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resolutions import services
from resolutions.models import ProgressUpdate

from .conftest import files_in
from .test_refusals import EXE, PDF
from tests.readable import readable

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(adopted):
    res = adopted.resolutions[0]
    services.progress_post(
        resolution=res,
        actor=adopted.owner_staff(res),
        status="at_risk",
        percent=35,
        narrative="ลงพื้นที่แล้ว <script>alert(1)</script>",
        refers_to=date(2024, 1, 5),
    )
    services.progress_post(
        resolution=res,
        actor=adopted.owner_staff(res),
        status="on_track",
        percent=60,
        narrative="ความคืบหน้าดี",
        refers_to=date(2024, 3, 5),
    )
    return adopted


def test_the_board_shows_every_item_and_resolution_without_sign_in(reported, client):
    a = reported.assembly
    response = client.get(reverse("resolutions:board", args=[a.pk]))
    assert response.status_code == 200
    html = readable(response)
    for res in reported.resolutions:
        assert f'id="resolution-{res.pk}"' in html
    assert html.count("<progress") >= 5 + 2 + 1  # resolutions, items, assembly
    assert 'value="60"' in html
    assert reported.items[0].lead_agency.name in html
    assert 'name="viewport"' in html
    assert "style=" not in html


def test_the_board_filters_by_status_agency_and_sector(reported, client):
    a = reported.assembly
    url = reverse("resolutions:board", args=[a.pk])
    first = reported.resolutions[0]
    html = readable(client.get(url, {"status": "on_track"}))
    assert f'id="resolution-{first.pk}"' in html
    assert html.count('class="card resolution"') == 1

    html = readable(client.get(url, {"status": "none"}))
    assert html.count('class="card resolution"') == 4

    second_lead = reported.items[1].lead_agency
    html = readable(client.get(url, {"agency": second_lead.pk}))
    assert html.count('class="card resolution"') == 2

    html = readable(client.get(url, {"sector": second_lead.sector}))
    assert html.count('class="card resolution"') == 2


def test_the_board_filter_answers_htmx_with_the_list_only(reported, client):
    url = reverse("resolutions:board", args=[reported.assembly.pk])
    response = client.get(url, {"status": "on_track"}, headers={"HX-Request": "true"})
    html = readable(response)
    assert html.lstrip().startswith('<section id="board-list"')
    assert "<html" not in html


def test_the_agency_page_lists_what_it_owns(reported, client):
    lead = reported.items[0].lead_agency
    response = client.get(
        reverse("resolutions:agency", args=[reported.assembly.pk, lead.pk])
    )
    assert response.status_code == 200
    html = readable(response)
    assert html.count('class="card resolution"') == 3
    assert lead.name in html


def test_the_resolution_page_has_its_timeline_and_a_server_rendered_chart(
    reported, client
):
    res = reported.resolutions[0]
    response = client.get(
        reverse("resolutions:resolution", args=[reported.assembly.pk, res.pk])
    )
    assert response.status_code == 200
    html = readable(response)
    assert "<svg" in html and "<polyline" in html
    assert 'viewBox="0 0 640 240"' in html and 'width="640"' not in html
    assert len(re.findall(r"<circle ", html)) == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # user text stays text
    assert "<script>alert(1)" not in html
    assert "5 มกราคม 2567" in html  # Buddhist Era in Thai
    assert (
        reverse("resolutions:update", args=[res.pk]) not in html
    )  # public: no actions


def test_the_board_reads_in_english(reported, client):
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("resolutions:board", args=[reported.assembly.pk]),
        headers={"Accept-Language": "en"},
    ).content.decode()
    assert "Follow-up of the resolutions" in html
    assert "5 March 2024" in html


def test_a_missing_assembly_is_404(client):
    assert client.get(reverse("resolutions:board", args=[999])).status_code == 404


def form(**overrides):
    data = {
        "status": "on_track",
        "percent": "70",
        "narrative": "ส่งต่อเด็กแล้ว 40 คน",
        "refers_to": "2024-04-01",
        "evidence_url": "",
        "reason": "",
    }
    data.update(overrides)
    return data


def test_the_owners_staff_posts_an_update_with_evidence(reported, client, media):
    res = reported.resolutions[0]
    client.force_login(reported.owner_staff(res))
    page = client.get(
        reverse("resolutions:resolution", args=[reported.assembly.pk, res.pk])
    )
    assert reverse("resolutions:update", args=[res.pk]) in readable(page)

    data = form(evidence_file=SimpleUploadedFile("r.pdf", PDF, "application/pdf"))
    response = client.post(reverse("resolutions:update", args=[res.pk]), data)

    assert response.status_code == 302
    entry = ProgressUpdate.objects.latest("pk")
    assert (entry.percent, entry.status) == (70, "on_track")
    assert len(files_in(media)) == 1
    evidence = client.get(reverse("resolutions:evidence", args=[entry.pk]))
    assert evidence.status_code == 200
    assert evidence["Content-Type"] == "application/pdf"
    assert b"".join(evidence.streaming_content) == PDF


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"percent": "150"}, "ต้องอยู่ระหว่าง 0 ถึง 100"),
        ({"refers_to": "2999-01-01"}, "อนาคต"),
        ({"narrative": "   "}, "ว่าง"),
        ({"evidence_file": "exe"}, "PDF"),
    ],
)
def test_bad_input_through_the_page_is_refused_and_nothing_stored(
    reported, client, media, overrides, message
):
    res = reported.resolutions[0]
    client.force_login(reported.owner_staff(res))
    before = ProgressUpdate.objects.count()
    if overrides.get("evidence_file") == "exe":
        overrides = {
            "evidence_file": SimpleUploadedFile("r.pdf", EXE, "application/pdf")
        }
    response = client.post(
        reverse("resolutions:update", args=[res.pk]), form(**overrides)
    )
    assert response.status_code == 400
    assert message in readable(response)
    assert ProgressUpdate.objects.count() == before
    assert files_in(media) == []


def test_with_htmx_a_refused_form_comes_back_as_the_partial(reported, client):
    res = reported.resolutions[0]
    client.force_login(reported.owner_staff(res))
    response = client.post(
        reverse("resolutions:update", args=[res.pk]),
        form(percent="-5"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    html = readable(response)
    assert html.lstrip().startswith('<form id="entry-form"')


def test_someone_else_gets_403_with_a_message_and_nothing_changes(reported, client):
    res = reported.resolutions[0]
    other = reported.world.staff[reported.world.partners[4].organisation_id]
    client.force_login(other)
    before = ProgressUpdate.objects.count()
    response = client.post(reverse("resolutions:update", args=[res.pk]), form())
    assert response.status_code == 403
    assert "เจ้าหน้าที่ของหน่วยงานเจ้าของประเด็น" in readable(response)
    assert ProgressUpdate.objects.count() == before


def test_an_anonymous_visitor_is_sent_to_sign_in(reported, client):
    res = reported.resolutions[0]
    response = client.post(reverse("resolutions:update", args=[res.pk]), form())
    assert response.status_code == 302
    assert reverse("assembly:login") in response["Location"]
    assert ProgressUpdate.objects.count() == 2


def test_the_secretariat_corrects_and_reassigns(reported, client):
    res = reported.resolutions[0]
    w = reported.world
    client.force_login(w.secretariat)
    response = client.post(
        reverse("resolutions:correction", args=[res.pk]),
        form(status="delayed", percent="30", reason="ข้อมูลเดิมคลาดเคลื่อน"),
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.latest("pk").kind == "correction"

    new_owner = w.partners[4].organisation
    response = client.post(
        reverse("resolutions:plan", args=[res.pk]),
        {
            "owner": new_owner.pk,
            "supporters": [w.partners[5].organisation_id],
            "target_date": "2025-09-30",
            "indicator": "จำนวนเด็ก",
            "baseline": "0",
            "target": "100",
        },
    )
    assert response.status_code == 302
    res.refresh_from_db()
    assert res.owner == new_owner


def test_the_follow_up_desk_is_the_secretariats(reported, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core import mail

    a = reported.assembly
    url = reverse("resolutions:followup", args=[a.pk])
    client.force_login(reported.owner_staff(reported.resolutions[0]))
    assert client.get(url).status_code == 403
    assert client.post(reverse("resolutions:remind", args=[a.pk])).status_code == 403

    client.force_login(reported.world.secretariat)
    html = readable(client.get(url))
    stale_owner = reported.items[1].lead_agency  # never reported: stale
    assert reverse("resolutions:agency", args=[a.pk, stale_owner.pk]) in html
    for org in (reported.items[0].lead_agency, reported.items[1].lead_agency):
        staff = reported.world.staff[org.pk]
        staff.email = f"staff{org.pk}@example.org"
        staff.save()
    response = client.post(reverse("resolutions:remind", args=[a.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2


def test_weights_through_the_desk(reported, client):
    item = reported.items[0]
    client.force_login(reported.world.secretariat)
    url = reverse("resolutions:weights", args=[item.pk])
    resolutions = list(item.resolutions.order_by("position"))
    bad = {f"weight_{r.pk}": "0" for r in resolutions}
    assert client.post(url, bad).status_code == 400
    good = {f"weight_{r.pk}": str(n) for n, r in enumerate(resolutions, 1)}
    assert client.post(url, good).status_code == 302
    assert [str(r.weight) for r in item.resolutions.order_by("position")] == [
        "1.00",
        "2.00",
        "3.00",
    ]
