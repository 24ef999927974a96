"""The projector, read from the back of the hall (issue 10).

One projector follows its room through every state, in Thai and in English (the
states are made by tests/browser/seed.py in another process, whose pushes cannot
reach the server's in-memory layer, so the projector reloads and is sent the
state on connect; the live pushes are proven in test_live_languages.py): idle (the clause under discussion), speaking (the speaker and a timer
that counts on into overtime), voting (the question, its text, turnout against
quorum, the live tally), result (the outcome, dominant). At 1920×1080 and at
1280×720 it never needs a scroll, the tally and the outcome are on the screen,
body text is at least 28 px and the outcome at least 48 px at 1920×1080. The
plenary's projector shows the item under vote. Pictures of every state, both
languages and both sizes, go to test-artifacts/.
"""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PROJECTOR, assert_accessible
from tests.browser.screens import (
    LIVE,
    PROJECTOR_SIZES,
    inside_viewport,
    no_scroll,
    px,
    view_shot,
)

_runs = itertools.count(1)
AMENDED = "ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็กที่มีคุณภาพและครูที่เพียงพอ"
BODY_MIN = 28  # px at 1920×1080
OUTCOME_MIN = 48


@pytest.fixture
def hall(app_server):
    tag = f"pj{next(_runs)}"
    made = app_server.seed("setup", tag=tag, voters=4, present="room")
    made["tag"] = tag
    return made


def state_is(page, state: str) -> None:
    expect(page.locator("body")).to_have_attribute("data-state", state, timeout=LIVE)


def reconnect(page) -> None:
    """Load the projector again: its socket is sent the room's state."""
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-live", "open", timeout=LIVE)


def settled(page) -> None:
    """projector.js has fitted the texts to the new size (never a scroll)."""
    page.wait_for_function(
        "() => document.documentElement.scrollHeight <= window.innerHeight",
        timeout=LIVE,
    )
    page.wait_for_timeout(150)  # one more frame for the fit


def at_each_size(page, check, name: str) -> None:
    """Run ``check`` at 1920×1080 (sizes measured there) and 1280×720."""
    for size, (width, height) in PROJECTOR_SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        settled(page)
        no_scroll(page, f"the projector ({name}, {size})")
        check(page, size)
        view_shot(page, f"projector-{name}-{size}.png")
    page.set_viewport_size(PROJECTOR)
    settled(page)


def body_text_at_least(page, selector: str, what: str) -> None:
    for el in page.locator(selector).all():
        if el.is_visible():
            assert px(el) >= BODY_MIN, f"{what} is {px(el)} px at 1920×1080"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_projector_follows_the_room_through_every_state(
    open_context, app_server, hall, lang
):
    room = hall["room"]
    voters = [v for v in hall["voters"] if not v["alternate"]]
    page = open_context("projector", lang=lang, viewport=PROJECTOR)
    page.goto(f"/projector/{hall['projectors']['room']}/?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-live", "open", timeout=LIVE)

    # Idle: the clause under discussion, large.
    app_server.seed("clause", room=room, key=1)
    reconnect(page)
    state_is(page, "idle")
    clause = page.locator("#draft .clause.is-current .clause-text")
    expect(clause).to_contain_text("ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็ก", timeout=LIVE)

    def idle(page, size):
        inside_viewport(page, clause, f"the clause under discussion ({size})")
        if size == "1920x1080":
            body_text_at_least(page, "#draft .clause.is-current .clause-text",
                               "the clause under discussion")

    at_each_size(page, idle, f"idle-{lang}")

    # Speaking: the speaker, their organisation, the time, into overtime.
    app_server.seed("speaker", room=room, delegate=voters[1]["delegate"],
                    seconds=60, started_ago=75)
    reconnect(page)
    state_is(page, "speaking")
    timer = page.locator("#speakers .speaking .timer")
    expect(timer).to_have_text(re.compile(r"^\+\d+:\d\d$"), timeout=LIVE)
    expect(timer).to_have_class(re.compile(r"\bis-over\b"))
    first = timer.inner_text()
    expect(timer).not_to_have_text(first, timeout=5_000)  # it counts on, not frozen
    name = voters[1]["name"] if lang == "th" else voters[1]["name_en"]
    expect(page.locator("#speakers .speaker-name")).to_have_text(name)

    def speaking(page, size):
        inside_viewport(page, page.locator("#speakers .speaker-name"), "the speaker")
        inside_viewport(page, timer, "the speaker's timer")
        if size == "1920x1080":
            body_text_at_least(page, "#speakers .speaker-name, #speakers .speaker-org",
                               "the speaker")
            assert px(timer) >= 2 * OUTCOME_MIN

    at_each_size(page, speaking, f"speaking-{lang}")

    # Voting: the question, its text, turnout against quorum, the live tally.
    app_server.seed("steps", steps=[
        ["finish", {"room": room}],
        ["amendment", {"room": room, "delegate": voters[0]["delegate"], "clause": 1,
                       "text": AMENDED, "accept": True}],
        ["poll", {"room": room, "kind": "amendment", "amendment": -1}],
        ["ballots", {"room": room, "delegates": [v["delegate"] for v in voters[:3]],
                     "choices": ["yes", "yes", "no"]}],
    ])
    reconnect(page)
    state_is(page, "voting")
    under = page.locator("#vote-result .vote-under")
    expect(under.locator("ins")).to_contain_text("เพียงพอ", timeout=LIVE)
    participation = page.locator("#vote-result .vote-participation")
    expect(participation).to_contain_text(re.compile(r"\b3\D+4\b"), timeout=LIVE)
    expect(page.locator("#vote-result .vote-yes .vote-count")).to_have_text("2")

    def voting(page, size):
        for part, what in (
            (".vote-title", "the question"),
            (".vote-participation", "the turnout"),
            (".vote-quorum", "the quorum"),
            (".vote-tally", "the live tally"),
            (".vote-under", "the text under vote"),
        ):
            inside_viewport(page, page.locator(f"#vote-result {part}"), what)
        if size == "1920x1080":
            body_text_at_least(
                page,
                "#vote-result .vote-under .diff, #vote-result .vote-participation, "
                "#vote-result .vote-tally th, #vote-result .vote-tally td.vote-count",
                "the vote",
            )

    at_each_size(page, voting, f"voting-{lang}")
    assert_accessible(page, f"the projector during a vote ({lang})")

    # Result: the outcome, dominant, with the figures.
    app_server.seed("close", room=room)
    reconnect(page)
    state_is(page, "result")
    verdict = page.locator("#vote-result .vote-outcome .vote-verdict")
    expect(verdict).to_be_visible(timeout=LIVE)

    def result(page, size):
        inside_viewport(page, verdict, "the outcome")
        inside_viewport(page, page.locator("#vote-result .vote-tally"), "the tally")
        inside_viewport(page, page.locator("#vote-result .vote-why"), "the figures")
        if size == "1920x1080":
            assert px(verdict) >= OUTCOME_MIN, f"the outcome is {px(verdict)} px"
            body_text_at_least(page, "#vote-result .vote-why", "the outcome's figures")
            others = [px(el) for el in page.locator(
                "#vote-result p:not(.vote-verdict), #vote-result th").all()
                      if el.is_visible()]
            assert px(verdict) > 1.5 * max(others), "the outcome does not dominate"

    at_each_size(page, result, f"result-{lang}")
    assert_accessible(page, f"the projector showing a result ({lang})")

    # The room moves on (a speaker has the floor): the result leaves the wall.
    app_server.seed("speaker", room=room, delegate=voters[2]["delegate"])
    reconnect(page)
    state_is(page, "speaking")


def test_the_plenary_projector_shows_the_item_under_vote(open_context, app_server, hall):
    app_server.seed("steps", steps=[
        ["agree", {"room": hall["room"]}],
        ["poll", {"room": hall["plenary"], "kind": "consensus", "item": hall["item"]}],
    ])
    page = open_context("plenary projector", viewport=PROJECTOR)
    page.goto(f"/projector/{hall['projectors']['plenary']}/")
    expect(page.locator("body")).to_have_attribute("data-live", "open", timeout=LIVE)
    state_is(page, "voting")
    under = page.locator("#vote-result .vote-under")
    expect(under).to_contain_text("การพัฒนาเด็กปฐมวัยอย่างมีคุณภาพ", timeout=LIVE)
    expect(under).to_contain_text("ให้หน่วยงานร่วมกันติดตามพัฒนาการของเด็กทุกคน")
    settled(page)
    no_scroll(page, "the plenary projector during a vote")
    inside_viewport(page, under.locator(".clause").first, "the item's first clause")
    inside_viewport(page, page.locator("#vote-result .vote-participation"), "the turnout")
    view_shot(page, "projector-plenary-voting-th-1920x1080.png")
