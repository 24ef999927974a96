"""Thai is the language unless the person switched to English."""

import pytest

from tests import factories
from tests.readable import readable


@pytest.fixture
def assembly(db):
    return factories.world(partners=2, rooms=1).assembly


def test_a_browser_asking_for_english_still_gets_thai_by_default(client, assembly):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "th"
    assert "24 พฤศจิกายน 2566" in readable(response)


def test_the_switch_to_english_holds_for_the_following_pages(client, assembly):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="th")
    assert response["Content-Language"] == "en"
    assert "24 November 2023" in readable(response)
    client.post("/i18n/setlang/", {"language": "th", "next": "/"})
    assert client.get("/")["Content-Language"] == "th"


def test_an_unknown_language_cookie_falls_back_to_thai(client, assembly):
    client.cookies["django_language"] = "fr"
    assert client.get("/")["Content-Language"] == "th"
