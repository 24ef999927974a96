"""Signing in, in Chromium: staff by password, delegates by their personal link."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.browser.conftest import assert_accessible

_runs = itertools.count(1)


@pytest.fixture
def assembly(app_server):
    return app_server.seed("setup", tag=f"si{next(_runs)}")


def session_cookie(page) -> str | None:
    for cookie in page.context.cookies():
        if cookie["name"] == "sessionid":
            return cookie["value"]
    return None


def sign_in_with_password(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label(re.compile("Username|ชื่อผู้ใช้")).fill(username)
    page.get_by_label(re.compile("Password|รหัสผ่าน")).fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["th", "en"])
def test_public_home_page_is_accessible_and_runs_under_the_csp(
    open_context, assembly, lang
):
    page = open_context("public", lang=lang)
    page.goto(f"/a/{assembly['assembly']}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page, f"the assembly page ({lang})")


def test_thai_first_and_the_language_switch_stays_for_the_session(
    chromium, app_server, page_problems, assembly
):
    context = chromium.new_context(base_url=app_server.base_url, locale="en-GB")
    page = context.new_page()
    page_problems.watch(page, "public")
    page.goto(f"/a/{assembly['assembly']}/")
    assert page.locator("html").get_attribute("lang") == "th"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="ภาษาไทย").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "th"
    context.close()
    page_problems.check()


def test_staff_sign_in_rotates_the_session_and_shows_who(open_context, assembly):
    page = open_context("secretariat")
    page.goto("/login/")
    before = session_cookie(page)
    sign_in_with_password(page, assembly["users"]["secretariat"], assembly["password"])
    after = session_cookie(page)
    assert after and after != before
    assert "สมศรี" in page.locator("header .who").inner_text()
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    assert cookie["httpOnly"]


def test_wrong_password_is_refused_with_a_message(open_context, assembly):
    page = open_context("stranger")
    sign_in_with_password(page, assembly["users"]["secretariat"], "not-the-password")
    assert page.get_by_role("alert").is_visible()
    assert session_cookie(page) is None


def test_delegate_link_asks_before_signing_in(open_context, app_server, assembly):
    """A link preview (GET) signs nobody in; the button does."""
    people = app_server.seed(
        "partners", assembly=assembly["assembly"], tag="link", count=1
    )
    delegate = people["delegates"][0]
    page = open_context("delegate", phone=True)
    page.goto(f"/s/#{delegate['token']}")
    assert session_cookie(page) is None
    # The token left the address bar; the page only asks to confirm.
    assert "#" not in page.url
    assert page.locator("#link-ready").is_visible()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert session_cookie(page) is not None
    assert "ผู้แทน 1 link" in page.locator("header .who").inner_text()


def test_a_forged_link_is_refused_without_saying_why(open_context, assembly):
    page = open_context("stranger", phone=True)
    page.goto("/s/#" + "A" * 43)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("main form button[type=submit]").click()
    assert answer.value.status == 403
    assert session_cookie(page) is None
