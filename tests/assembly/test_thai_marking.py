"""Every page and every push has its Thai marked to break only between words
(``assembly.thai_html``), with the words of the assembly's own data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assembly import realtime, services, thai_words
from tests.readable import readable, thai_left_unmarked

pytestmark = pytest.mark.django_db


def test_the_middleware_marks_every_thai_word_of_a_page(world):
    response = Client().get("/")
    assert response.status_code == 200
    assert "<th-w>" in response.content.decode()
    assert thai_left_unmarked(response) == []


def test_the_pages_of_a_delegate_a_facilitator_and_the_secretariat_are_marked(world):
    room = world.rooms[0]
    delegate = world.delegate_of(world.partners_in(room)[0])
    pages = [
        (delegate.user, reverse("agenda:room", args=[room.pk])),
        (world.facilitators[room.pk], reverse("agenda:console", args=[room.pk])),
        (world.secretariat, reverse("assembly:secretariat", args=[world.assembly.pk])),
        (world.secretariat, reverse("assembly:delegates", args=[world.assembly.pk])),
        (None, reverse("assembly:detail", args=[world.assembly.pk])),
    ]
    for user, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert thai_left_unmarked(response) == [], url


def test_an_htmx_partial_is_marked_too(world):
    room = world.rooms[0]
    delegate = world.delegate_of(world.partners_in(room)[0])
    client = Client()
    client.force_login(delegate.user)
    response = client.post(
        reverse("agenda:speak", args=[room.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<th-w>" in response.content.decode()
    assert thai_left_unmarked(response) == []


def test_a_pushed_fragment_is_marked_like_the_page():
    """Every push and snapshot is rendered through ``realtime.render_in``."""
    html = realtime.render_in("th", lambda: realtime.render_fragment(
        "403.html", {"exception": "ผู้แทนภาคีเครือข่าย"}
    ))
    assert "<th-w>ผู้แทน</th-w><wbr><th-w>ภาคีเครือข่าย</th-w>" in html
    assert thai_left_unmarked(html) == []


def test_non_html_responses_are_left_alone(world):
    client = Client()
    pdf = client.get(reverse("resolutions:resolutions_pdf", args=[world.assembly.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"th-w" not in pdf.content
    csv = client.get(reverse("resolutions:resolutions_csv", args=[world.assembly.pk]))
    assert b"th-w" not in csv.content


def test_the_content_length_follows_the_marking(world):
    response = Client().get("/")
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)


def test_a_persons_name_from_the_data_is_one_unit(world):
    partner = world.partners[0]
    services.delegate_create(partner=partner, name_th="นางกฤษณา เสมหิรัญ",
                             name_en="Kritsana Semhiran")
    client = Client()
    client.force_login(world.secretariat)
    page = client.get(reverse("assembly:delegates", args=[world.assembly.pk]))
    assert "<th-w>นางกฤษณา เสมหิรัญ</th-w>" in page.content.decode()


def test_a_renamed_organisation_is_known_by_its_new_name_at_once(
    world, django_capture_on_commit_callbacks
):
    organisation = world.partners[0].organisation
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name_th = "มูลนิธิบ้านบอยส์ทาวน์"
        organisation.save()
    thai_words.ensure_current()
    page = Client().get(reverse("assembly:detail", args=[world.assembly.pk]))
    html = page.content.decode()
    assert "มูลนิธิบ้านบอยส์ทาวน์" in readable(html)
    assert "<th-w>บ้านบอยส์ทาวน์</th-w>" in html
    assert "บ้า</th-w>" not in html


def test_a_sign_in_does_not_rebuild_the_vocabulary(
    world, django_capture_on_commit_callbacks
):
    thai_words.ensure_current()
    user = world.secretariat
    with django_capture_on_commit_callbacks() as callbacks:
        user.save(update_fields=["last_login"])
    assert callbacks == []
