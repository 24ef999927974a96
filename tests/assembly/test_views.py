"""The public pages and the header: full pages, escaped user text, who you are."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assembly.models import Organisation
from tests import factories
from tests.readable import readable

pytestmark = pytest.mark.django_db


def body(response) -> str:
    """The page as a reader sees its text: without the Thai word-break hints."""
    return readable(response)


def test_home_shows_the_current_assembly(world):
    response = Client().get("/")
    assert response.status_code == 200
    page = body(response)
    assert world.assembly.title_th in page
    for partner in world.partners:
        assert partner.organisation.name_th in page


def test_home_without_an_assembly_says_so(db):
    page = body(Client().get("/"))
    assert "<main" in page and reverse("assembly:login") in page


def test_an_unknown_assembly_is_not_found(db):
    assert Client().get(reverse("assembly:detail", args=[999])).status_code == 404


def test_html_in_an_organisation_name_is_shown_escaped(world):
    Organisation.objects.filter(pk=world.partners[0].organisation_id).update(
        name_th='<script>alert("x")</script>มูลนิธิ'
    )
    page = body(Client().get(reverse("assembly:detail", args=[world.assembly.pk])))
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page


def test_the_secretariat_link_is_only_for_the_secretariat(world):
    url = reverse("assembly:secretariat", args=[world.assembly.pk])
    detail = reverse("assembly:detail", args=[world.assembly.pk])
    assert url not in body(Client().get(detail))
    delegate = Client()
    delegate.force_login(world.delegates[0].user)
    assert url not in body(delegate.get(detail))
    sec = Client()
    sec.force_login(world.secretariat)
    assert url in body(sec.get(detail))


def test_the_header_says_who_a_delegate_is(world):
    d = world.delegates[0]
    client = Client()
    client.force_login(d.user)
    page = body(client.get("/"))
    header = page.split('class="who"', 1)[1].split("</div>", 1)[0]
    assert d.name_th in header
    assert d.partner.organisation.label in header
    assert d.partner.room.name_th in header


def test_the_header_names_a_password_user(world):
    client = Client()
    client.force_login(world.secretariat)
    header = body(client.get("/")).split('class="who"', 1)[1].split("</div>", 1)[0]
    assert "เลขานุการ" in header


def test_the_sign_in_page_has_labelled_fields(db):
    page = body(Client().get(reverse("assembly:login")))
    assert 'for="id_username"' in page and 'for="id_password"' in page
    assert "csrfmiddlewaretoken" in page


def test_a_wrong_password_gets_a_message(db):
    factories.user("dao")
    response = Client().post(reverse("assembly:login"),
                             {"username": "dao", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in body(response)


def test_pages_carry_a_content_security_policy_without_inline_styles(world):
    client = Client()
    client.force_login(world.secretariat)
    for url in (
        "/",
        reverse("assembly:secretariat", args=[world.assembly.pk]),
        reverse("assembly:checkins", args=[world.assembly.pk]),
        reverse("assembly:delegates", args=[world.assembly.pk]),
    ):
        response = client.get(url)
        assert "script-src" in response["Content-Security-Policy"]
        assert " style=" not in body(response)
        assert "hx-on" not in body(response)


def test_an_empty_site_offers_a_superuser_to_set_up_an_assembly(db):
    root = factories.user("root")
    root.is_superuser = True
    root.save()
    create = reverse("assembly:create")
    assert create not in body(Client().get("/"))
    client = Client()
    client.force_login(root)
    assert create in body(client.get("/"))
