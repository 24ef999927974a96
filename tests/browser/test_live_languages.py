"""Each screen follows one room live in its own reader's language (issue 10).

In Chromium, five screens follow room 1 at once: an English phone, an English
console and an English projector, a Thai phone and a Thai projector. Everything
that changes is done in the browser (the facilitator's console calls the next
speaker, opens a vote and closes it; the two phones cast their ballots), so every
change reaches the other screens as a live push over their sockets, with no
reload. After each step the pushed regions (the vote panel, the tally and the
turnout, the outcome, the item's state, the speakers, the ballot) are read as a
person sees them: an English screen shows no Thai character apart from proper
names and the assembly's own text (the draft, the amendment, the item's title,
names of people and organisations, which are taken out first), and a Thai screen
shows no English word. Pictures of the result go to test-artifacts/live-*.png.

The raw pushes (each language rendered once, routed to its own group) are proven
in tests/realtime/test_languages.py; this is what a person reads on the screen.
"""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, PROJECTOR
from tests.browser.screens import LIVE, THAI, view_shot, wait_live, without
from tests.browser.test_phone import (
    choice,
    close_vote,
    counted,
    open_console,
    open_phone,
    open_prepared_vote,
)

_runs = itertools.count(1)
AMENDED = "ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็กที่มีคุณภาพและครูที่เพียงพอ"
# An English word of the interface: two Latin letters or more (numbers, times and
# signs are the same in both languages).
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# What a person reads in each region (hidden parts and templates left out; the
# assembly's own text under vote -- the draft, the amendment with its diff -- too).
REGION_TEXT = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
    const c = e.cloneNode(true);
    c.querySelectorAll('[hidden], template, script, .ballot-text, .vote-under, .diff,'
                       + ' .clause-text, .draft').forEach(x => x.remove());
    return c.textContent.replace(/\\s+/g, ' ').trim();
}).join(' | ')"""

REGIONS = {
    "phone": "#item-state, #speakers, #ballot, #vote-result",
    "console": "#item-state, #speakers, #vote-panel, .console-bar",
    "projector": "#item-state, #speakers, #vote-result",
}


@pytest.fixture
def hall(app_server):
    """Room 1 in session: its draft, an amendment accepted for decision, an
    amendment vote prepared (not open), two delegates waiting to speak."""
    tag = f"ll{next(_runs)}"
    made = app_server.seed("setup", tag=tag, voters=3, present="room")
    made["tag"] = tag
    made["main"] = [v for v in made["voters"] if not v["alternate"]]
    room, voters = made["room"], made["main"]
    done = app_server.seed("steps", steps=[
        ["amendment", {"room": room, "delegate": voters[0]["delegate"], "clause": 1,
                       "text": AMENDED, "accept": True}],
        ["poll", {"room": room, "kind": "amendment", "amendment": -1, "open": False}],
        ["eval", {"code": (
            "from agenda import speakers\n"
            "from assembly.models import Delegate, Room\n"
            "r = Room.objects.get(pk=params['room'])\n"
            "for pk in params['delegates']:\n"
            "    speakers.speaker_request(room=r, delegate=Delegate.objects.get(pk=pk))\n"
            "from agenda.models import AgendaItem, DraftVersion\n"
            "i = r.agenda_item\n"
            "result = {'texts': [i.title_th, i.title_en, r.name_th, r.name_en,\n"
            "                    i.assembly.title_th, i.assembly.title_en]}\n"),
            "room": room, "delegates": [voters[2]["delegate"], voters[1]["delegate"]]}],
    ])
    made["poll"] = done["results"][1]["poll"]
    made["texts"] = done["results"][2]["texts"]
    return made


def proper_names(hall: dict) -> list[str]:
    """Names of people and organisations, and the assembly's own texts."""
    out = [hall["tag"], AMENDED, "ครูไม่พอในหลายตำบล", *hall["texts"]]
    for v in hall["voters"]:
        out += [v["name"], v["name_en"], v["organisation"], v["organisation_en"],
                v["short"]]
    return out


def read(page, kind: str) -> str:
    return page.evaluate(REGION_TEXT, REGIONS[kind])


def in_its_language(screens: dict, hall: dict, step: str) -> None:
    """Every screen's pushed regions read in the screen's own language."""
    names = proper_names(hall)
    for who, (page, kind, lang) in screens.items():
        text = read(page, kind)
        plain = without(text, names)
        assert plain.strip(), f"{who}: nothing to read ({step})"
        if lang == "en":
            thai = THAI.findall(plain)
            assert not thai, (
                f"the {who} shows Thai after {step}: {''.join(thai)!r} in {text!r}")
        else:
            assert THAI.search(plain), f"the {who} is not in Thai after {step}: {text!r}"
            english = LATIN_WORD.findall(plain)
            assert not english, (
                f"the {who} shows English after {step}: {english} in {text!r}")


def test_each_screen_follows_the_room_live_in_its_own_language(
    open_context, app_server, hall
):
    room, voters = hall["room"], hall["main"]
    projector_url = f"/projector/{hall['projectors']['room']}/"
    phone_en = open_phone(open_context, voters[0], "en", "english phone")
    phone_th = open_phone(open_context, voters[1], "th", "thai phone")
    projector_en = open_context("english projector", lang="en", viewport=PROJECTOR)
    projector_en.goto(projector_url + "?lang=en")
    projector_th = open_context("thai projector", lang="th", viewport=PROJECTOR)
    projector_th.goto(projector_url + "?lang=th")
    for projector in (projector_en, projector_th):
        wait_live(projector)
    console = open_console(open_context, hall, "en")
    screens = {
        "english phone": (phone_en, "phone", "en"),
        "english console": (console, "console", "en"),
        "english projector": (projector_en, "projector", "en"),
        "thai phone": (phone_th, "phone", "th"),
        "thai projector": (projector_th, "projector", "th"),
    }
    marks = {who: page.evaluate("() => (window.__unreloaded = Math.random())")
             for who, (page, _k, _l) in screens.items()}
    in_its_language(screens, hall, "loading")

    # The facilitator gives the floor to the first delegate waiting.
    console.locator("#speaker-controls form.speaker-next button[type=submit]").click()
    for who, (page, _k, lang) in screens.items():
        name = voters[2]["name_en"] if lang == "en" else voters[2]["name"]
        expect(page.locator("#speakers .speaker-name")).to_have_text(name, timeout=LIVE)
    in_its_language(screens, hall, "a speaker was called")

    # The vote on the amendment opens: the phones show the ballot, the projectors vote.
    open_prepared_vote(console, hall["poll"])
    for page in (phone_en, phone_th):
        expect(page.locator(f"#ballot .ballot-open[data-poll='{hall['poll']}']")
               ).to_be_visible(timeout=LIVE)
    for page in (projector_en, projector_th):
        expect(page.locator("body")).to_have_attribute("data-state", "voting", timeout=LIVE)
    for page, *_ in screens.values():
        expect(page.locator("#vote-result[data-state=open]")).to_be_attached(timeout=LIVE)
    in_its_language(screens, hall, "the vote opened")

    # Two ballots arrive, one from each phone: the tally moves on every screen.
    choice(phone_en, "yes").click()
    counted(phone_en, "yes")
    choice(phone_th, "no").click()
    counted(phone_th, "no")
    for page in (projector_en, projector_th, console):
        expect(page.locator("#vote-result .vote-yes .vote-count")).to_have_text(
            "1", timeout=LIVE)
        expect(page.locator("#vote-result .vote-no .vote-count")).to_have_text(
            "1", timeout=LIVE)
    # The console's own figures follow too (its controls fetch themselves again).
    expect(console.locator("#vote-controls .vote-open-figures")).to_contain_text(
        "2 of 3", timeout=LIVE)
    console.wait_for_load_state("networkidle")
    in_its_language(screens, hall, "two ballots arrived")

    # The facilitator closes the vote: the outcome on every screen.
    close_vote(console)
    for page, *_ in screens.values():
        expect(page.locator("#vote-result .vote-outcome")).to_be_visible(timeout=LIVE)
    for page in (projector_en, projector_th):
        expect(page.locator("body")).to_have_attribute("data-state", "result", timeout=LIVE)
        expect(page.locator("#vote-result .vote-verdict")).to_be_visible()
    in_its_language(screens, hall, "the vote closed")
    expect(projector_en.locator("#vote-result")).to_contain_text(re.compile(r"[A-Za-z]{4}"))

    for who, (page, _k, _l) in screens.items():
        assert page.evaluate("() => window.__unreloaded") == marks[who], f"the {who} reloaded"
    projector_en.wait_for_timeout(300)  # projector.js fits the text to the screen
    view_shot(projector_en, "live-projector-result-en-1920x1080.png")
    view_shot(projector_th, "live-projector-result-th-1920x1080.png")
    assert phone_en.viewport_size == PHONE
    view_shot(phone_en, "live-phone-result-en-390x844.png")
    phone_en.locator("#vote-result").scroll_into_view_if_needed()
    view_shot(phone_en, "live-phone-result-en-390x844-tally.png")
    view_shot(console, "live-console-result-en.png")
