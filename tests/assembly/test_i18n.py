"""Thai by default, English on a switch that stays for the session."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assembly.models import Assembly, Room
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_like(db):
    """An assembly like the demo's: 24 November 2566 BE (2023 CE), at Hotel Kosa."""
    return factories.world(title="สมัชชาการศึกษาเพื่อความเสมอภาค จังหวัดขอนแก่น")


def body(response) -> str:
    """The page as a reader sees its text: without the Thai word-break hints."""
    return response.content.decode().replace("<wbr>", "")


def test_home_page_is_thai_by_default(demo_like):
    response = Client().get("/")
    page = body(response)
    assert response.status_code == 200
    assert '<html lang="th">' in page
    assert "สมัชชาการศึกษาเพื่อความเสมอภาค" in page
    assert "24 พฤศจิกายน 2566" in page
    assert "โรงแรมโฆษะ" in page
    assert "ระเบียบวาระ" in page  # "Agenda"
    assert "เข้าสู่ระบบ" in page  # "Sign in"
    assert "November" not in page and ">24 พฤศจิกายน 2023" not in page


def test_english_after_the_switch_and_for_the_following_requests(demo_like):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    for _ in range(2):  # the choice stays for later requests
        page = body(client.get("/"))
        assert '<html lang="en">' in page
        assert "Test Assembly" in page
        assert "24 November 2023" in page
        assert "Hotel Kosa" in page
        assert "Agenda" in page and "Sign in" in page
        assert "2566" not in page
    # The secretariat's pages follow the same choice.
    client.force_login(demo_like.secretariat)
    dashboard = reverse("assembly:secretariat", args=[demo_like.assembly.pk])
    page = body(client.get(dashboard))
    assert '<html lang="en">' in page and "Secretariat" in page


def test_switching_back_to_thai(demo_like):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "th", "next": "/"})
    page = body(client.get("/"))
    assert '<html lang="th">' in page and "24 พฤศจิกายน 2566" in page


def test_the_switch_is_a_labelled_form_on_every_page(demo_like):
    page = body(Client().get("/"))
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="en"' in page and "csrfmiddlewaretoken" in page


def test_an_unknown_language_keeps_thai(demo_like):
    client = Client()
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert '<html lang="th">' in body(client.get("/"))


def test_the_model_labels_are_translated():
    with translation.override("th"):
        assert str(Assembly.Status.IN_SESSION.label) != "In session"
        assert str(Room.Kind.PLENARY.label) == "ที่ประชุมใหญ่"
        assert str(Assembly._meta.verbose_name) == "สมัชชา"
    with translation.override("en"):
        assert str(Room.Kind.PLENARY.label) == "Plenary"


def test_a_secretariat_refusal_is_translated(demo_like):
    client = Client()
    client.force_login(demo_like.delegates[0].user)
    url = reverse("assembly:secretariat", args=[demo_like.assembly.pk])
    thai = body(client.get(url))
    assert "Only the secretariat" not in thai and "ฝ่ายเลขานุการ" in thai
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Only the secretariat of this assembly" in body(client.get(url))
