"""The facilitator's console and the secretariat's screens (issue 10), in Chromium
on a laptop (1366×768).

Buttons big enough to hit at once; the irreversible acts (the room agrees its
draft, an amendment adopted by consensus, the assembly closed) ask first, say
what will happen, and a cancel changes nothing; a button shows it is busy while
its request is in flight; an amendment arriving shows in the queue's count with
a signal, without a reload. After signing in each person lands on their own
work; the secretariat opens any room's console and has one page with every
screen's link. Pictures go to test-artifacts/console-*.png and screens-*.png.

States made by tests/browser/seed.py (another process) are not pushed to the
screens; what must arrive live is done in a browser.
"""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.screens import (
    LIVE,
    THAI,
    sign_in_by_link,
    sign_in_with_password,
    view_shot,
    wait_live,
    without,
)

_runs = itertools.count(1)
LAPTOP = {"width": 1366, "height": 768}
AMENDED = "ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็กที่มีคุณภาพและครูที่เพียงพอ"
CLAUSE_2 = "ให้หน่วยงานร่วมกันติดตามพัฒนาการของเด็กทุกคน"
TAP = 44  # px: the least height of a button a hurried hand hits


@pytest.fixture
def hall(app_server):
    """An assembly in session: room 1 (its facilitator, a two-clause draft, three
    partners checked in and present), room 2, the plenary, a lead agency."""
    tag = f"cs{next(_runs)}"
    made = app_server.seed("setup", tag=tag, voters=3, present="room")
    made["tag"] = tag
    made["main"] = [v for v in made["voters"] if not v["alternate"]]
    return made


# --- Helpers ----------------------------------------------------------------------


def signed_in(open_context, hall: dict, role: str, lang: str):
    page = open_context(role, lang=lang, viewport=LAPTOP)
    sign_in_with_password(page, hall["users"][role], hall["password"])
    expect(page.locator("header .who")).not_to_be_empty()
    return page


def open_console(page, room: int) -> None:
    page.goto(f"/rooms/{room}/console/")
    wait_live(page)
    expect(page.locator("#vote-controls .vote-new")).to_be_attached(timeout=LIVE)
    # The socket's snapshot makes the controls fetch themselves again just after
    # connecting; let that settle before pressing anything.
    page.wait_for_load_state("networkidle")


def posts_to(page, pattern: str) -> list:
    """The POSTs this page sends whose URL matches ``pattern``, as they go."""
    found: list = []
    rx = re.compile(pattern)
    page.on("request", lambda r: found.append(r.url)
            if r.method == "POST" and rx.search(r.url) else None)
    return found


def query(server, code: str, **params):
    return server.seed("eval", code=code, **params)


def item_status(server, hall) -> str:
    return query(server, "from agenda.models import AgendaItem\n"
                 "result = AgendaItem.objects.get(pk=params['item']).status",
                 item=hall["item"])


def amendment_status(server, pk: int) -> str:
    return query(server, "from agenda.models import Amendment\n"
                 "result = Amendment.objects.get(pk=params['pk']).status", pk=pk)


def assembly_status(server, hall) -> str:
    return query(server, "from assembly.models import Assembly\n"
                 "result = Assembly.objects.get(pk=params['pk']).status",
                 pk=hall["assembly"])


def in_language(text: str, lang: str, what: str, names=()) -> None:
    plain = without(text, names).strip()
    assert plain, f"{what} says nothing"
    if lang == "en":
        assert not THAI.search(plain), f"{what} is not in English: {text!r}"
    else:
        assert THAI.search(plain), f"{what} is not in Thai: {text!r}"


def asks_first(page, button, *, says: re.Pattern, lang: str, act: str) -> None:
    """Pressing ``button`` opens the confirmation, which says what will happen
    and names the act on its button; nothing has been sent yet."""
    button.click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    text = dialog.locator("#confirm-text")
    expect(text).to_have_text(says)
    in_language(text.inner_text(), lang, f"the confirmation of {act}")
    assert len(text.inner_text()) > 40, f"the confirmation of {act} does not say what happens"
    ok = dialog.locator("#confirm-ok")
    in_language(ok.inner_text(), lang, f"the confirming button of {act}")
    for b in dialog.locator("button").all():
        assert b.bounding_box()["height"] >= TAP, f"a button of {act}'s dialog is small"


def cancel(page) -> None:
    dialog = page.locator("#confirm-dialog")
    dialog.get_by_role("button").first.click()  # Cancel is first, and focused
    expect(dialog).to_be_hidden()


def confirm(page) -> None:
    dialog = page.locator("#confirm-dialog")
    dialog.locator("#confirm-ok").click()
    expect(dialog).to_be_hidden()


# --- Buttons a hurried hand hits -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_consoles_buttons_are_at_least_44px_high(open_context, app_server, hall, lang):
    room, voters = hall["room"], hall["main"]
    app_server.seed("steps", steps=[
        ["amendment", {"room": room, "delegate": voters[0]["delegate"], "clause": 1,
                       "text": AMENDED}],
        ["amendment", {"room": room, "delegate": voters[1]["delegate"], "clause": 2,
                       "text": CLAUSE_2 + "ทุกปี", "accept": True}],
        ["speaker", {"room": room, "delegate": voters[2]["delegate"], "seconds": 120}],
        ["clause", {"room": room, "key": 1}],
        ["poll", {"room": room, "kind": "consensus", "open": False}],
    ])
    console = signed_in(open_context, hall, "facilitator", lang)
    open_console(console, room)
    expect(console.locator("#amendment-queue")).to_have_attribute("data-pending", "2")
    small = console.evaluate(
        """(tap) => Array.from(document.querySelectorAll(
                '.console-layout button, .console-layout a.button, .console-links a.button'))
            .filter(b => b.offsetParent !== null && !b.closest('details:not([open])'))
            .map(b => ({text: b.innerText.trim(), cls: b.className,
                        h: b.getBoundingClientRect().height}))
            .filter(b => b.h < tap)""",
        TAP,
    )
    assert not small, f"buttons under {TAP} px on the console: {small}"
    primaries = console.locator(".console-layout button.primary:visible")
    assert primaries.count() >= 3
    view_shot(console, f"console-{lang}-1366x768.png")
    screenshot(console, f"console-{lang}-full.png")
    assert_accessible(console, f"the facilitator console ({lang})")


# --- Irreversible acts ask first ---------------------------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_irreversible_acts_ask_first_and_a_cancel_changes_nothing(
    open_context, app_server, hall, lang
):
    room = hall["room"]
    made = app_server.seed("amendment", room=room, delegate=hall["main"][0]["delegate"],
                           clause=1, text=AMENDED, accept=True)
    amendment = made["amendment"]
    console = signed_in(open_context, hall, "facilitator", lang)
    open_console(console, room)
    agree_posts = posts_to(console, r"/agree/$")
    adopt_posts = posts_to(console, r"/adopt/$")

    # "The room agrees this draft": final, to the plenary.
    agree = console.locator("#clause-controls form.agree-form button[type=submit]")
    asks_first(console, agree, lang=lang, act="agreeing the draft",
               says=re.compile("plenary|ที่ประชุมใหญ่"))
    view_shot(console, f"console-confirm-agree-{lang}.png")
    cancel(console)
    expect(agree).to_be_visible()
    expect(agree).to_be_enabled()

    # "Adopt by consensus": the amendment's text goes into the draft.
    adopt = console.locator(f"#amendment-queue form[action$='/{amendment}/adopt/'] button")
    asks_first(console, adopt, lang=lang, act="adopting by consensus",
               says=re.compile(rf"\b{amendment}\b"))
    view_shot(console, f"console-confirm-adopt-{lang}.png")
    cancel(console)
    console.wait_for_load_state("networkidle")
    assert agree_posts == [] and adopt_posts == [], (agree_posts, adopt_posts)
    assert item_status(app_server, hall) == "drafting"
    assert amendment_status(app_server, amendment) == "accepted"
    expect(console.locator("#draft")).not_to_contain_text(AMENDED)

    # Confirmed, it is done.
    asks_first(console, adopt, lang=lang, act="adopting by consensus",
               says=re.compile(rf"\b{amendment}\b"))
    confirm(console)
    expect(console.locator("#draft")).to_contain_text(AMENDED, timeout=LIVE)
    assert len(adopt_posts) == 1
    assert amendment_status(app_server, amendment) == "adopted"

    # Closing the assembly, on the secretariat's dashboard.
    desk = signed_in(open_context, hall, "secretariat", lang)
    desk.goto(f"/a/{hall['assembly']}/secretariat/")
    close_posts = posts_to(desk, r"/status/?$")
    close = desk.locator("form.status-form button[type=submit]")
    asks_first(desk, close, lang=lang, act="closing the assembly",
               says=re.compile("undone|ย้อน|กลับ"))
    expect(desk.locator("#confirm-dialog")).to_have_class(re.compile(r"\bis-danger\b"))
    view_shot(desk, f"dashboard-confirm-close-{lang}.png")
    cancel(desk)
    desk.wait_for_load_state("networkidle")
    assert close_posts == []
    assert assembly_status(app_server, hall) == "in_session"
    assert_accessible(desk, f"the secretariat dashboard ({lang})")


# --- Busy while in flight ----------------------------------------------------------------------


def test_a_button_shows_it_is_busy_while_its_request_is_in_flight(
    open_context, app_server, hall
):
    room = hall["room"]
    made = app_server.seed("amendment", room=room, delegate=hall["main"][0]["delegate"],
                           clause=1, text=AMENDED)
    console = signed_in(open_context, hall, "facilitator", "th")
    open_console(console, room)
    held: list = []
    console.route(re.compile(r"/accept/$"), lambda route: held.append(route))
    accept = console.locator(
        f"#amendment-queue form[action$='/{made['amendment']}/accept/'] button")
    accept.click()
    expect(accept).to_have_attribute("aria-busy", "true")
    expect(accept).to_be_disabled()
    expect(console.locator(f"#amendment-queue form[action$='/{made['amendment']}/accept/']")
           ).to_have_attribute("aria-busy", "true")
    busy = accept.evaluate("b => getComputedStyle(b, '::after').content")
    assert busy not in ("none", "normal", ""), "the busy button shows no sign of it"
    view_shot(console, "console-busy-th.png")
    accept.click(force=True)  # a second press while it is on its way
    for _ in range(200):  # a condition, polled: the request reached the route
        if held:
            break
        console.wait_for_timeout(50)
    assert len(held) == 1
    held[0].continue_()
    console.unroute(re.compile(r"/accept/$"))
    expect(console.locator("#amendment-queue form[action$='/accept/']")).to_have_count(
        0, timeout=LIVE)
    expect(console.locator("#amendment-queue [aria-busy=true]")).to_have_count(0)
    assert amendment_status(app_server, made["amendment"]) == "accepted"


# --- An amendment arrives ------------------------------------------------------------------------


def test_a_new_amendment_shows_a_count_and_a_signal_in_the_queue_without_reload(
    open_context, app_server, hall
):
    console = signed_in(open_context, hall, "facilitator", "en")
    open_console(console, hall["room"])
    mark = console.evaluate("() => (window.__unreloaded = Math.random())")
    bar = console.locator("[data-bar-queue]")
    expect(bar).to_have_text("0")
    expect(console.locator("#amendment-queue .count")).to_have_text("0")

    phone = open_context("delegate", lang="th", phone=True)
    sign_in_by_link(phone, hall["main"][0]["token"])
    wait_live(phone)
    form = phone.locator("#amend-form")
    form.locator("select[name=kind]").select_option("replace")
    form.locator("select[name=target_key]").select_option(index=2)
    form.locator("textarea[name=text]").fill(CLAUSE_2 + "อย่างต่อเนื่อง")
    form.locator("button[type=submit]").click()
    expect(phone.locator("#amend-form [role=status]")).to_be_visible(timeout=LIVE)

    expect(bar).to_have_text("1", timeout=LIVE)
    expect(console.locator("#amendment-queue .count")).to_have_text("1")
    expect(console.locator(".console-bar .bar-queue")).to_have_class(re.compile(r"\bhas-new\b"))
    fresh = console.locator("#amendment-queue .amendment.is-new")
    expect(fresh).to_have_count(1)
    expect(fresh.locator(".diff")).to_contain_text("อย่างต่อเนื่อง")
    expect(console).to_have_title(re.compile(r"^\(1\) "))
    # The bar that says so is on the first screen, whatever was scrolled.
    b = console.locator(".console-bar .bar-queue").bounding_box()
    assert b and 0 <= b["y"] and b["y"] + b["height"] <= LAPTOP["height"]
    assert console.evaluate("() => window.__unreloaded") == mark, "the console reloaded"
    view_shot(console, "console-new-amendment-en.png")


# --- Where each person lands -----------------------------------------------------------------------


def test_after_signing_in_each_person_lands_on_their_own_work(open_context, app_server, hall):
    expected = {
        "facilitator": rf"/rooms/{hall['room']}/console/$",
        "staff": r"/resolutions/mine/$",
        "secretariat": rf"/a/{hall['assembly']}/secretariat/$",
    }
    for role, path in expected.items():
        page = signed_in(open_context, hall, role, "th")
        assert re.search(path, page.url), f"the {role} landed on {page.url}"
        expect(page.locator(".site-nav a[aria-current=page]")).to_have_count(1)
    phone = open_context("delegate", lang="en", phone=True)
    sign_in_by_link(phone, hall["main"][0]["token"])
    assert re.search(rf"/rooms/{hall['room']}/$", phone.url), phone.url
    expect(phone.locator(".site-nav a[aria-current=page]")).to_have_count(1)


# --- The secretariat's screens, and a backup facilitator ---------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_screens_page_lists_every_projector_and_opens_any_rooms_console(
    open_context, app_server, hall, lang
):
    rooms = query(app_server,
                  "from assembly.models import Room\n"
                  "result = {str(r.pk): r.projector_token for r in "
                  "Room.objects.filter(assembly_id=params['pk'])}",
                  pk=hall["assembly"])
    assert len(rooms) == 3  # the plenary and two breakout rooms
    page = signed_in(open_context, hall, "secretariat", lang)
    page.locator(f".site-nav a[href$='/a/{hall['assembly']}/secretariat/screens/']").click()
    page.wait_for_load_state()
    expect(page.locator(".site-nav a[aria-current=page]")).to_have_attribute(
        "href", re.compile(r"/screens/$"))
    links = page.locator("input.projector-url")
    expect(links).to_have_count(len(rooms))
    values = [el.input_value() for el in links.all()]
    for pk, token in rooms.items():
        assert any(v.endswith(f"/projector/{token}/") for v in values), (pk, values)
        section = page.locator(f"#room-{pk}")
        expect(section.locator("img.qr").first).to_be_visible()
        assert section.locator("img.qr").first.evaluate("i => i.complete && i.naturalWidth > 0")
        expect(section.locator("a.console-link")).to_have_attribute(
            "href", re.compile(rf"/rooms/{pk}/console/$"))
    screenshot(page, f"screens-{lang}.png")
    assert_accessible(page, f"the screens page ({lang})")

    # A projector opens from its link, no sign-in needed.
    with page.context.expect_page() as opened:
        page.locator(f"#room-{hall['room']} a[href*='/projector/']").click()
    projector = opened.value
    wait_live(projector)
    expect(projector.locator("body")).to_have_attribute("data-state", re.compile(r"\w+"))
    projector.close()

    # The secretariat runs room 1 as a backup facilitator: the console, live,
    # and its controls act.
    page.locator(f"#room-{hall['room']} a.console-link").click()
    page.wait_for_url(re.compile(rf"/rooms/{hall['room']}/console/$"))
    wait_live(page)
    expect(page.locator("#vote-controls .vote-new")).to_be_attached(timeout=LIVE)
    page.wait_for_load_state("networkidle")
    page.locator("#clause-controls button[name=clause_key]").nth(1).click()
    expect(page.locator("#draft .clause.is-current")).to_contain_text(CLAUSE_2, timeout=LIVE)
    view_shot(page, f"console-backup-secretariat-{lang}-1366x768.png")
    # and room 2's console opens too
    page.goto(f"/rooms/{hall['other_room']}/console/")
    wait_live(page)
    expect(page.locator("#vote-controls .vote-new")).to_be_attached(timeout=LIVE)


# --- Prepare a vote: only what applies to its kind ---------------------------------------------


def test_preparing_a_vote_shows_only_the_options_of_its_kind(open_context, app_server, hall):
    made = app_server.seed("amendment", room=hall["room"],
                           delegate=hall["main"][0]["delegate"], clause=1, text=AMENDED,
                           accept=True)
    console = signed_in(open_context, hall, "facilitator", "en")
    open_console(console, hall["room"])
    form = console.locator("#vote-controls form.vote-new-form")
    expect(form).to_be_visible()  # nothing prepared: the form is open
    kind = form.locator("select[name=kind]")
    consensus = form.locator("#vote-consensus")
    majority = form.locator("#vote-majority")
    amendment = form.locator("#vote-amendment")

    kind.select_option("consensus")
    expect(consensus).to_be_visible()
    expect(majority).to_be_hidden()
    expect(amendment).to_be_hidden()
    kind.select_option("amendment")
    expect(consensus).to_be_hidden()
    expect(majority).to_be_visible()
    expect(amendment).to_be_visible()
    # A secret ballot shows only the turnout until it closes.
    form.locator("input[data-secret]").check()
    expect(form.locator("input[data-results-live]")).not_to_be_checked()
    expect(form.locator("input[data-results-live]")).to_be_disabled()
    view_shot(console, "console-prepare-amendment-vote-en.png")

    amendment.select_option(str(made["amendment"]))
    form.locator("button[type=submit]").click()
    drafts = console.locator("#vote-controls .vote-drafts")
    expect(drafts).to_contain_text(f"#{made['amendment']}", timeout=LIVE)
    expect(drafts).to_contain_text("secret")
    expect(drafts).not_to_contain_text("round")


# --- Primary buttons keep their place -----------------------------------------------------------

# The slot of each primary action, and what may stand in it: the vote's slot holds
# "Open the vote", then "Close the vote and count", then (nothing prepared) "Open
# the vote" again, disabled. The amendment's button is there while the amendment
# waits (the vote decides it: it leaves the queue, whose heading stays).
SLOTS = {
    "the vote's button": "#vote-controls .vote-slot button",
    "the amendment queue": "#amendment-queue h2",
    "the amendment's primary button": "#amendment-queue .amendment-actions button.primary",
    "the room agrees the draft": "#clause-controls form.agree-form button",
    "call the next speaker": "#speaker-controls form.speaker-next button",
    "end this turn": "#speaker-controls .speaker-turn form button",
}
STILL = 2  # px


def slots(page) -> dict:
    """Where each primary button is now, the page not scrolled (None: not shown)."""
    page.evaluate("() => window.scrollTo(0, 0)")
    assert page.evaluate("() => [window.scrollX, window.scrollY]") == [0, 0]
    return page.evaluate(
        """(slots) => Object.fromEntries(Object.entries(slots).map(([slot, sel]) => {
            const el = document.querySelector(sel);
            if (!el || el.offsetParent === null) return [slot, null];
            const b = el.getBoundingClientRect();
            return [slot, [b.x, b.y, b.width, b.height].map(Math.round)];
        }))""",
        SLOTS,
    )


def kept_their_place(page, before: dict, after_what: str, *, gone=()) -> dict:
    after = slots(page)
    for slot in SLOTS:
        if slot in gone:
            assert after[slot] is None, f"{slot} is still there after {after_what}"
            continue
        assert before[slot] is not None and after[slot] is not None, (
            f"{slot} is not shown (before, after {after_what}): {before[slot]}, {after[slot]}")
    moved = {
        slot: (before[slot], after[slot]) for slot in SLOTS
        if slot not in gone
        and any(abs(a - b) > STILL for a, b in zip(before[slot], after[slot]))
    }
    assert not moved, f"primary buttons moved after {after_what} (x, y, w, h): {moved}"
    return after


def settle(page) -> None:
    """The swaps and the refetches they ask for are done; one frame for layout."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_consoles_primary_buttons_keep_their_place_after_each_action(
    open_context, app_server, hall, lang
):
    room, voters = hall["room"], hall["main"]
    made = app_server.seed("steps", steps=[
        ["amendment", {"room": room, "delegate": voters[0]["delegate"], "clause": 1,
                       "text": AMENDED, "accept": True}],
        ["poll", {"room": room, "kind": "amendment", "amendment": -1, "open": False}],
        ["speaker", {"room": room, "delegate": voters[2]["delegate"], "seconds": 120}],
        ["eval", {"code": (
            "from agenda import speakers\n"
            "from assembly.models import Delegate, Room\n"
            "speakers.speaker_request(room=Room.objects.get(pk=params['room']),\n"
            "    delegate=Delegate.objects.get(pk=params['delegate']))\n"),
            "room": room, "delegate": voters[1]["delegate"]}],
    ])
    poll = made["results"][1]["poll"]
    console = signed_in(open_context, hall, "facilitator", lang)
    open_console(console, room)
    phone = open_context("delegate", lang=lang, phone=True)
    sign_in_by_link(phone, voters[0]["token"])
    wait_live(phone)
    settle(console)
    places = slots(console)
    view_shot(console, f"console-places-1-before-{lang}.png")

    # The vote opens: "Open the vote" gives way to "Close the vote and count".
    console.locator(f"#vote-controls form[action$='/votes/{poll}/open/'] button").click()
    expect(console.locator("#vote-controls .vote-slot form.vote-close")).to_be_visible(
        timeout=LIVE)
    expect(console.locator("#vote-result[data-state=open]")).to_be_attached(timeout=LIVE)
    settle(console)
    places = kept_their_place(console, places, "the vote opened")
    view_shot(console, f"console-places-2-open-{lang}.png")

    # A ballot arrives from a phone: the tally on the console moves, the buttons do not.
    expect(phone.locator(f"#ballot .ballot-open[data-poll='{poll}']")).to_be_visible(
        timeout=LIVE)
    phone.locator("#ballot button.vote-choice[value=yes]").click()
    expect(console.locator("#vote-result .vote-yes .vote-count")).to_have_text(
        "1", timeout=LIVE)
    settle(console)
    places = kept_their_place(console, places, "a ballot arrived")
    view_shot(console, f"console-places-3-ballot-{lang}.png")

    # The vote closes (confirmed): the result comes, the amendment leaves the queue,
    # and the vote's slot waits for the next vote.
    console.locator("#vote-controls form.vote-close button").click()
    console.locator("#confirm-dialog #confirm-ok").click()
    expect(console.locator("#vote-result[data-state=closed]")).to_be_attached(timeout=LIVE)
    expect(console.locator("#vote-controls form.vote-close")).to_have_count(0, timeout=LIVE)
    expect(console.locator("#vote-controls .vote-slot button")).to_be_disabled()
    expect(console.locator("#amendment-queue .amendment-actions")).to_have_count(
        0, timeout=LIVE)
    settle(console)
    places = kept_their_place(console, places, "the vote closed",
                              gone={"the amendment's primary button"})
    view_shot(console, f"console-places-4-closed-{lang}.png")
    assert_accessible(console, f"the console showing a result in its fixed panel ({lang})")

    # The next speaker is called: the list changes, the speaker's buttons stay.
    console.locator("#speaker-controls form.speaker-next button").click()
    name = voters[1]["name_en"] if lang == "en" else voters[1]["name"]
    expect(console.locator("#speakers .speaker-name")).to_have_text(name, timeout=LIVE)
    settle(console)
    kept_their_place(console, places, "the next speaker was called",
                     gone={"the amendment's primary button"})
    view_shot(console, f"console-places-5-speaker-{lang}.png")
