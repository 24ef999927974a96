"""A room live, in Chromium: a delegate's phone, the facilitator's console and the
projector follow each other over their sockets, under the Content Security Policy.

Pushed fragments are the same for everyone; each screen fetches its own controls
when a push asks (the ask-to-speak button, the facilitator's speaker controls).
"""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

_runs = itertools.count(1)
DELEGATE_1 = re.compile("Delegate 1|ผู้แทน 1")


@pytest.fixture
def room(app_server):
    tag = f"rl{next(_runs)}"
    made = app_server.seed("setup", tag=tag)
    made["delegates"] = app_server.seed(
        "partners", assembly=made["assembly"], tag=tag, count=2
    )["delegates"]
    made["projector"] = app_server.seed(
        "eval",
        code=("from assembly.models import Room\n"
              "result = Room.objects.get(pk=params['room']).projector_token"),
        room=made["room"],
    )
    return made


def sign_in_facilitator(page, room) -> None:
    page.goto("/login/")
    page.get_by_label(re.compile("Username|ชื่อผู้ใช้")).fill(room["users"]["facilitator"])
    page.get_by_label(re.compile("Password|รหัสผ่าน")).fill(room["password"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def sign_in_delegate(page, delegate) -> None:
    page.goto(f"/s/#{delegate['token']}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def live(page) -> None:
    expect(page.locator("body")).to_have_attribute("data-live", "open")


def test_a_room_follows_itself_live(open_context, room):
    console = open_context("facilitator", lang="en")
    sign_in_facilitator(console, room)
    console.goto(f"/rooms/{room['room']}/console/")
    live(console)

    phone = open_context("delegate", lang="en", phone=True)
    sign_in_delegate(phone, room["delegates"][0])
    assert phone.url.endswith(f"/rooms/{room['room']}/")
    live(phone)

    projector = open_context("projector", lang="en")
    projector.goto(f"/projector/{room['projector']}/")
    live(projector)

    # The delegate asks to speak: their button changes, every screen sees the queue,
    # and the console fetches its own speaker controls.
    phone.get_by_role("button", name="Ask to speak").click()
    expect(phone.locator("#speak-controls")).to_contain_text("You are number 1")
    # pushed fragments are in Thai, the working language, for everyone
    expect(console.locator("#speakers")).to_contain_text(DELEGATE_1)
    expect(console.locator("#speaker-controls")).to_contain_text(
        "Call the next speaker: Delegate 1"
    )
    expect(projector.locator("#speakers")).to_contain_text(DELEGATE_1)

    # The facilitator gives the floor: the phone fetches its new state, the timer
    # counts down from the server's end time everywhere.
    console.locator("#speaker-controls").get_by_role(
        "button", name=re.compile("Call the next speaker")
    ).click()
    expect(phone.locator("#speak-controls")).to_contain_text("You have the floor.")
    expect(projector.locator("#speakers .timer")).to_have_text(re.compile(r"^[23]:\d\d$"))

    # An amendment typed with HTML in it arrives on the console as text.
    phone.locator("#amend-kind").select_option("replace")
    phone.locator("#amend-target").select_option(label="Clause 1")
    phone.locator("#amend-text").fill("ให้ทุกตำบลมีศูนย์ <b>ใหม่</b>")
    phone.get_by_role("button", name="Submit the amendment").click()
    expect(phone.locator("#amend-form")).to_contain_text("Your amendment is submitted")
    queue = console.locator("#amendment-queue")
    expect(queue).to_contain_text("<b>")
    expect(queue.get_by_role("button", name="Accept for decision")).to_be_visible()
    assert console.locator("#amendment-queue b").count() == 0

    # (reloaded first: the one-off "checked in" message of base.html has its own
    # a11y issue, <ul class="messages" role="status">, which is not this page's)
    phone.reload()
    live(phone)
    assert_accessible(phone, "the room page on a phone")
    assert_accessible(console, "the facilitator console")
    assert_accessible(projector, "the projector")
