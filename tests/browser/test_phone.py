"""The delegate's phone on the assembly day (issue 10), in Chromium at 390×844.

A vote opened on the facilitator's console reaches the phone over its socket (no
reload) and the ballot, with what is voted on, fills the first screen. Serious
concerns and a block ask for the reason before anything is sent. Every refusal
(bad input, a closed poll, an expired session, a CSRF failure, no network, a
server error) is said inside the ballot area, styled, in the phone's language,
and the page around it stays. A double tap sends one ballot; a ballot that could
not be sent is kept, said to be "not sent yet", and sent (once) when the
connection returns. Two phones of one organisation each show the organisation's
counted choice and who cast it.

States made by tests/browser/seed.py (another process) are not pushed to the
screens (its channel layer is not the server's); what must arrive live is done
in a browser. Pictures of every state go to test-artifacts/phone-*.png.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import unquote

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import PROJECTOR, assert_accessible
from tests.browser.screens import (
    LIVE,
    THAI,
    inside_viewport,
    sign_in_by_link,
    sign_in_with_password,
    view_shot,
    wait_live,
    without,
)

_runs = itertools.count(1)
AMENDED = "ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็กที่มีคุณภาพและครูที่เพียงพอ"
CLAUSE_2 = "ให้หน่วยงานร่วมกันติดตามพัฒนาการของเด็กทุกคน"
BALLOT_URL = re.compile(r"/rooms/\d+/ballot/$")
MAJORITY = ("yes", "no", "abstain")
GRADIENT = ("full", "support", "live", "concerns", "block")


@pytest.fixture
def hall(app_server):
    """An assembly in session: room 1 with its draft, three partners checked in
    and present (partner 1 with a second, alternate delegate)."""
    tag = f"ph{next(_runs)}"
    made = app_server.seed("setup", tag=tag, voters=3, present="room")
    made["tag"] = tag
    made["main"] = [v for v in made["voters"] if not v["alternate"]]
    made["alternate"] = next(v for v in made["voters"] if v["alternate"])
    return made


# --- Helpers ----------------------------------------------------------------------


def open_phone(open_context, voter: dict, lang: str, who: str = "delegate"):
    """A delegate's phone, signed in by their link, on their room page, live,
    its ballot area loaded."""
    page = open_context(who, lang=lang, phone=True)
    sign_in_by_link(page, voter["token"])
    assert re.search(r"/rooms/\d+/$", page.url), page.url
    wait_live(page)
    ballot_loaded(page)
    return page


def ballot_loaded(page) -> None:
    expect(page.locator(
        "#ballot .ballot-open, #ballot .ballot-idle, #ballot .ballot-closed"
    )).to_have_count(1, timeout=LIVE)
    # The socket's snapshot may ask the ballot area to fetch itself again just
    # after connecting; let that settle before tapping.
    page.wait_for_load_state("networkidle")


def mark_unreloaded(page) -> float:
    return page.evaluate("() => (window.__unreloaded = Math.random())")


def still_unreloaded(page, mark: float) -> None:
    assert page.evaluate("() => window.__unreloaded") == mark, "the page reloaded"


def choice(page, value: str):
    return page.locator(f"#ballot .ballot-form[data-status=ballot-status] button.vote-choice[value={value}]")


def status(page):
    return page.locator(".ballot-area #ballot-status")


def counted(page, value: str) -> None:
    expect(status(page)).to_have_attribute("data-state", "counted", timeout=LIVE)
    expect(status(page)).to_have_attribute("data-choice", value, timeout=LIVE)
    expect(choice(page, value)).to_have_attribute("aria-pressed", "true")


def ballot_posts(page) -> list:
    """The ballots this page sends (POSTs to the ballot URL), as they go."""
    sent: list = []
    page.on(
        "request",
        lambda r: sent.append(r) if r.method == "POST" and BALLOT_URL.search(r.url) else None,
    )
    return sent


def arrived(page, held: list) -> None:
    """Wait (a condition, polled) until a held request has reached the route."""
    for _ in range(200):
        if held:
            return
        page.wait_for_timeout(50)
    raise AssertionError("the request never left the page")


def ballots(server, poll: int) -> dict:
    """What the server recorded: each partner's ballot and the ballot log."""
    return server.seed(
        "eval",
        poll=poll,
        code=(
            "from voting.models import Ballot, BallotEvent\n"
            "result = {\n"
            "  'ballots': {str(b.partner_id): [b.choice, b.reason] for b in\n"
            "              Ballot.objects.filter(poll_id=params['poll'])},\n"
            "  'events': [[e.partner_id, e.action, e.choice] for e in\n"
            "             BallotEvent.objects.filter(poll_id=params['poll'])],\n"
            "}"
        ),
    )


def open_console(open_context, hall: dict, lang: str):
    page = open_context("facilitator", lang=lang)
    sign_in_with_password(page, hall["users"]["facilitator"], hall["password"])
    page.goto(f"/rooms/{hall['room']}/console/")
    wait_live(page)
    expect(page.locator("#vote-controls .vote-drafts, #vote-controls .vote-new")).not_to_have_count(
        0, timeout=LIVE)
    page.wait_for_load_state("networkidle")
    return page


def open_prepared_vote(console, poll: int) -> None:
    """The facilitator opens a vote prepared beforehand."""
    console.locator(f"#vote-controls form[action$='/votes/{poll}/open/'] button").click()
    expect(console.locator("#vote-controls form[action*='/close/']")).to_be_visible(timeout=LIVE)


def close_vote(console) -> None:
    console.locator("#vote-controls form[action*='/close/'] button").click()
    dialog = console.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#confirm-ok").click()
    expect(console.locator("#vote-controls form[action*='/close/']")).to_have_count(0, timeout=LIVE)


def names_of(hall: dict) -> list[str]:
    out = [hall["tag"]]
    for v in hall["voters"]:
        out += [v["name"], v["name_en"], v["organisation"], v["organisation_en"], v["short"]]
    return out


def in_language(text: str, lang: str, hall: dict, what: str) -> None:
    """``text`` is in the screen's language (proper names aside)."""
    plain = without(text, names_of(hall)).strip()
    assert plain, f"{what} says nothing"
    if lang == "en":
        assert not THAI.search(plain), f"{what} is not in English: {text!r}"
    else:
        assert THAI.search(plain), f"{what} is not in Thai: {text!r}"


def in_view_now(page, locator, what: str) -> None:
    """The element is wholly on the screen as it is now (scrolled or not)."""
    b = locator.bounding_box()
    assert b is not None, f"{what} is not displayed"
    size = page.viewport_size
    assert 0 <= b["y"] and b["y"] + b["height"] <= size["height"] + 1, f"{what} is off screen: {b}"
    assert 0 <= b["x"] and b["x"] + b["width"] <= size["width"] + 1, f"{what} is cut: {b}"


def shot(page, name: str, locator=None) -> None:
    """A picture with ``locator`` scrolled into view. The picture is for eyes, the
    assertions are made before: an element a push swaps meanwhile is found again
    by its locator, and a picture is taken whatever the scroll."""
    if locator is not None:
        for _ in range(3):
            try:
                locator.scroll_into_view_if_needed(timeout=5000)
                break
            except PlaywrightError:
                page.wait_for_timeout(200)
    view_shot(page, f"phone-{name}.png")


# --- A vote opens: the ballot comes first --------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_when_a_vote_opens_the_ballot_and_what_is_voted_on_are_in_the_first_phone_screen(
    open_context, app_server, hall, lang
):
    room, voters = hall["room"], hall["main"]
    made = app_server.seed("steps", steps=[
        ["amendment", {"room": room, "delegate": voters[0]["delegate"], "clause": 1,
                       "text": AMENDED, "accept": True}],
        ["poll", {"room": room, "kind": "amendment", "amendment": -1, "open": False}],
    ])
    amendment_poll = made["results"][1]["poll"]
    phone = open_phone(open_context, voters[1], lang)
    expect(phone.locator("#ballot .ballot-idle")).to_be_visible()
    shot(phone, f"idle-{lang}")
    mark = mark_unreloaded(phone)
    projector = open_context("projector", lang=lang, viewport=PROJECTOR)
    projector.goto(f"/projector/{hall['projectors']['room']}/?lang={lang}")
    wait_live(projector)
    console = open_console(open_context, hall, lang)

    # An amendment vote: the buttons, the subject, the amendment's text with its
    # word diff against the clause, all in the first screen.
    open_prepared_vote(console, amendment_poll)
    expect(phone.locator(f"#ballot .ballot-open[data-poll='{amendment_poll}']")).to_be_visible(
        timeout=LIVE)
    text = phone.locator("#ballot .ballot-text")
    expect(text.locator("ins")).to_contain_text("เพียงพอ")
    expect(text).to_contain_text("ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็ก")
    phone.wait_for_load_state("networkidle")
    inside_viewport(phone, phone.locator("#ballot .ballot-subject"), "what is voted on")
    inside_viewport(phone, text, "the amendment's text with its diff")
    inside_viewport(phone, text.locator("ins").first, "the words the amendment adds")
    for value in MAJORITY:
        inside_viewport(phone, choice(phone, value), f"the {value} button")
    in_language(visible_ballot(phone), lang, hall, "the ballot")
    still_unreloaded(phone, mark)
    shot(phone, f"vote-open-amendment-{lang}")
    expect(projector.locator("body")).to_have_attribute("data-state", "voting", timeout=LIVE)
    view_shot(projector, f"projector-live-amendment-vote-{lang}-1920x1080.png")
    assert_accessible(phone, f"the phone during an amendment vote ({lang})")

    # A consensus round: the draft under decision (its clauses) and the five
    # buttons, in the first screen.
    close_vote(console)
    expect(phone.locator("#ballot .ballot-closed, #ballot .ballot-idle")).to_have_count(
        1, timeout=LIVE)
    consensus_poll = app_server.seed("poll", room=room, kind="consensus", open=False)["poll"]
    console.reload()
    wait_live(console)
    console.wait_for_load_state("networkidle")
    open_prepared_vote(console, consensus_poll)
    expect(phone.locator(f"#ballot .ballot-open[data-poll='{consensus_poll}']")).to_be_visible(
        timeout=LIVE)
    expect(text).to_contain_text(CLAUSE_2)
    phone.wait_for_load_state("networkidle")
    inside_viewport(phone, phone.locator("#ballot .ballot-subject"), "what is voted on")
    inside_viewport(phone, text, "the draft under decision")
    inside_viewport(phone, text.locator(".clause").first, "the draft's first clause")
    for value in GRADIENT:
        inside_viewport(phone, choice(phone, value), f"the {value} button")
    in_language(visible_ballot(phone), lang, hall, "the ballot")
    still_unreloaded(phone, mark)
    shot(phone, f"vote-open-consensus-{lang}")
    assert_accessible(phone, f"the phone during a consensus round ({lang})")


def test_in_the_plenary_the_phone_shows_the_items_text_when_its_vote_opens(
    open_context, app_server, hall
):
    made = app_server.seed("steps", steps=[
        ["agree", {"room": hall["room"]}],
        ["poll", {"room": hall["plenary"], "kind": "consensus", "item": hall["item"],
                  "open": False}],
    ])
    poll = made["results"][1]["poll"]
    phone = open_context("delegate", lang="th", phone=True)
    sign_in_by_link(phone, hall["main"][0]["token"])
    phone.goto(f"/rooms/{hall['plenary']}/")
    wait_live(phone)
    ballot_loaded(phone)
    mark = mark_unreloaded(phone)
    desk = open_context("secretariat", lang="th")
    sign_in_with_password(desk, hall["users"]["secretariat"], hall["password"])
    desk.goto(f"/rooms/{hall['plenary']}/console/")
    wait_live(desk)
    expect(desk.locator(f"#vote-controls form[action$='/votes/{poll}/open/']")).to_be_visible(
        timeout=LIVE)
    desk.wait_for_load_state("networkidle")
    open_prepared_vote(desk, poll)

    expect(phone.locator(f"#ballot .ballot-open[data-poll='{poll}']")).to_be_visible(
        timeout=LIVE)
    text = phone.locator("#ballot .ballot-text")
    expect(text).to_contain_text("ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็ก")
    expect(text).to_contain_text(CLAUSE_2)
    expect(phone.locator("#ballot .ballot-subject")).to_contain_text(
        "การพัฒนาเด็กปฐมวัยอย่างมีคุณภาพ")
    phone.wait_for_load_state("networkidle")
    inside_viewport(phone, phone.locator("#ballot .ballot-subject"), "the item under vote")
    inside_viewport(phone, text, "the item's text")
    for value in GRADIENT:
        inside_viewport(phone, choice(phone, value), f"the {value} button")
    still_unreloaded(phone, mark)
    shot(phone, "vote-open-plenary-th")
    choice(phone, "full").click()
    counted(phone, "full")


def visible_ballot(page) -> str:
    """The ballot's own words (what is voted on is the draft's Thai text: left out)."""
    return page.locator("#ballot").evaluate(
        """e => { const c = e.cloneNode(true);
                  c.querySelectorAll('.ballot-text, [hidden], .visually-hidden, template')
                   .forEach(x => x.remove());
                  return c.textContent; }"""
    )


# --- Concerns and block ask for the reason first --------------------------------------


def test_concerns_and_block_ask_for_the_reason_before_anything_is_sent(
    open_context, app_server, hall
):
    poll = app_server.seed("poll", room=hall["room"], kind="consensus")["poll"]
    phone = open_phone(open_context, hall["main"][0], "th")
    sent = ballot_posts(phone)
    box = phone.locator("#ballot .ballot-form[data-status=ballot-status] [data-reason-box]")
    reason = box.locator("textarea[name=reason]")

    choice(phone, "concerns").click()
    expect(box).to_be_visible()
    expect(box.locator("[data-reason-actions]")).to_be_visible()
    expect(reason).to_be_focused()
    expect(box.locator("label")).to_contain_text(choice(phone, "concerns").inner_text().strip())
    in_view_now(phone, box.locator("[data-send-reason]"), "the send-with-reason button")
    in_view_now(phone, reason, "the reason box")
    shot(phone, "reason-asked-th")
    # Sending it without a reason is refused on the phone, nothing goes out.
    box.locator("[data-send-reason]").click()
    expect(status(phone)).to_have_attribute("data-state", "refused")
    expect(reason).to_be_focused()
    assert sent == [], "a ballot was sent before its reason was written"
    assert ballots(app_server, poll)["ballots"] == {}

    reason.fill("งบประมาณไม่พอสำหรับทุกตำบล")
    box.locator("[data-send-reason]").click()
    counted(phone, "concerns")
    assert len(sent) == 1
    partner = str(hall["main"][0]["partner"])
    assert ballots(app_server, poll)["ballots"] == {
        partner: ["concerns", "งบประมาณไม่พอสำหรับทุกตำบล"]}

    # A block asks again; cancelling it sends nothing and the counted choice stays.
    reason.fill("")
    choice(phone, "block").click()
    expect(box.locator("[data-reason-actions]")).to_be_visible()
    expect(box.locator("label")).to_contain_text(choice(phone, "block").inner_text().strip())
    box.locator("[data-cancel-reason]").click()
    expect(box.locator("[data-reason-actions]")).to_be_hidden()
    counted(phone, "concerns")
    assert len(sent) == 1
    assert ballots(app_server, poll)["ballots"][partner][0] == "concerns"


# --- Every refusal in place -----------------------------------------------------------


def refused_in_place(page, hall: dict, lang: str, mark: float, what: str, *,
                     state: str = "refused") -> str:
    """The ballot area says it, styled, in the screen's language; the page around
    it is intact (the header, the item, the draft) and was not reloaded."""
    el = status(page)
    expect(el).to_have_attribute("data-state", state, timeout=LIVE)
    expect(el).to_be_visible()
    text = el.inner_text()
    in_language(text, lang, hall, f"the {what} message")
    look = el.evaluate(
        "e => { const s = getComputedStyle(e); return {bg: s.backgroundColor, "
        "border: parseFloat(s.borderLeftWidth), color: s.color}; }")
    assert look["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), f"{what}: unstyled {look}"
    assert look["border"] >= 2, f"{what}: no coloured edge {look}"
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("header.site-header .who")).not_to_be_empty()
    expect(page.locator("#item-state")).to_be_visible()
    expect(page.locator("#draft")).to_contain_text(CLAUSE_2)
    assert page.locator("header.site-header").count() == 1
    assert page.locator(".ballot-area #ballot-status").count() == 1
    still_unreloaded(page, mark)
    shot(page, f"refused-{what}-{lang}", el)
    return text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_every_refusal_is_said_in_the_ballot_area_in_the_phones_language(
    open_context, app_server, hall, lang
):
    poll = app_server.seed("poll", room=hall["room"], kind="consensus")["poll"]
    first, second = hall["main"][0], hall["main"][1]
    phone = open_phone(open_context, first, lang, "delegate 1")
    late = open_phone(open_context, second, lang, "delegate 2")
    mark = mark_unreloaded(phone)

    # Bad input: a choice the poll does not have (a tampered page).
    choice(phone, "full").evaluate("b => { b.value = 'maybe'; }")
    choice(phone, "maybe").click()
    refused_in_place(phone, hall, lang, mark, "bad-input")
    choice(phone, "maybe").evaluate("b => { b.value = 'full'; }")

    # No network: the ballot is kept, "not sent yet", and sent when it returns.
    phone.route(BALLOT_URL, lambda route: route.abort("internetdisconnected"))
    choice(phone, "full").click()
    refused_in_place(phone, hall, lang, mark, "network", state="pending")
    expect(choice(phone, "full")).to_have_class(re.compile(r"\bis-unsent\b"))
    phone.unroute(BALLOT_URL)
    counted(phone, "full")

    # A server error: kept and sent again.
    phone.route(BALLOT_URL, lambda route: route.fulfill(
        status=500, content_type="text/html", body="<h1>Server Error (500)</h1>"))
    choice(phone, "support").click()
    refused_in_place(phone, hall, lang, mark, "server-error", state="pending")
    assert "Server Error" not in phone.locator("main").inner_text()
    phone.unroute(BALLOT_URL)
    counted(phone, "support")

    # A CSRF failure (the page's token no longer matches): kept; reloading sends it.
    phone.context.add_cookies([{"name": "csrftoken", "value": "x" * 32,
                                "url": app_server.base_url}])
    choice(phone, "live").click()
    refused_in_place(phone, hall, lang, mark, "csrf")
    assert ballots(app_server, poll)["ballots"][str(first["partner"])][0] == "support"
    status(phone).get_by_role("button").click()  # "reload the page"
    phone.wait_for_load_state()
    wait_live(phone)
    counted(phone, "live")
    mark = mark_unreloaded(phone)

    # An expired session: said in place, with a way to sign in again.
    phone.context.clear_cookies(name="sessionid")
    choice(phone, "support").click()
    refused_in_place(phone, hall, lang, mark, "session")
    again = status(phone).get_by_role("link")
    expect(again).to_be_visible()
    assert re.search(r"/login/\?next=/rooms/\d+/", unquote(again.get_attribute("href")))
    assert ballots(app_server, poll)["ballots"][str(first["partner"])][0] == "live"

    # A poll closed between the page's loading and the tap.
    late_mark = mark_unreloaded(late)
    app_server.seed("close", room=hall["room"])
    choice(late, "full").click()
    refused_in_place(late, hall, lang, late_mark, "closed-poll")
    assert str(second["partner"]) not in ballots(app_server, poll)["ballots"]
    assert_accessible(late, f"the phone with a refused ballot ({lang})")


def test_a_ballot_area_read_before_the_ballot_was_written_does_not_undo_it(
    open_context, app_server, hall
):
    """After a reload the phone sends its kept ballot while it fetches its ballot
    area again; an area read before that ballot was written, answered after it,
    showed the older ballot as the one counted. The newer status stays."""
    app_server.seed("poll", room=hall["room"], kind="consensus")
    phone = open_phone(open_context, hall["main"][0], "th")
    choice(phone, "full").click()
    counted(phone, "full")

    held: list = []

    def hold_the_area(route):
        if route.request.method == "GET":
            held.append((route, route.fetch()))  # read now: "full" is counted
        else:
            route.continue_()

    phone.route(BALLOT_URL, hold_the_area)
    phone.evaluate("() => htmx.trigger(document.body, 'samatcha:resync')")
    deadline = 50
    while not held and deadline:
        phone.wait_for_timeout(100)
        deadline -= 1
    assert held, "the ballot area was not asked for"
    choice(phone, "support").click()
    counted(phone, "support")
    route, stale = held[0]
    route.fulfill(response=stale)  # the area read before "support" was written
    phone.wait_for_timeout(500)
    phone.unroute(BALLOT_URL)
    counted(phone, "support")


# --- A double tap, and a ballot sent on flaky Wi-Fi ---------------------------------------


def test_a_double_tap_sends_one_ballot_and_the_buttons_show_it_is_on_its_way(
    open_context, app_server, hall
):
    poll = app_server.seed("poll", room=hall["room"], kind="consensus")["poll"]
    phone = open_phone(open_context, hall["main"][0], "th")
    sent = ballot_posts(phone)
    partner = hall["main"][0]["partner"]

    # Held on its way: the tapped button is busy, every choice is disabled, and a
    # second tap sends nothing.
    held: list = []
    phone.route(BALLOT_URL, lambda route: held.append(route))
    choice(phone, "full").dblclick()
    expect(choice(phone, "full")).to_have_attribute("aria-busy", "true")
    for value in GRADIENT:
        expect(choice(phone, value)).to_be_disabled()
    expect(status(phone)).to_have_attribute("data-state", "sending")
    shot(phone, "sending-th")
    choice(phone, "support").click(force=True)  # a second tap while it is on its way
    arrived(phone, held)
    assert len(held) == 1 and len(sent) == 1, (held, sent)
    held[0].continue_()
    phone.unroute(BALLOT_URL)
    counted(phone, "full")
    expect(choice(phone, "full")).not_to_have_attribute("aria-busy", "true")
    expect(choice(phone, "support")).to_be_enabled()

    # A plain double tap on another choice: one request, one change in the log.
    choice(phone, "support").dblclick()
    counted(phone, "support")
    phone.wait_for_load_state("networkidle")
    assert len(sent) == 2, [r.url for r in sent]
    recorded = ballots(app_server, poll)
    assert recorded["ballots"] == {str(partner): ["support", ""]}
    assert [e[1:] for e in recorded["events"]] == [["cast", "full"], ["change", "support"]]


def test_a_ballot_that_could_not_be_sent_is_kept_and_sent_once_when_back_online(
    open_context, app_server, hall
):
    poll = app_server.seed("poll", room=hall["room"], kind="consensus")["poll"]
    phone = open_phone(open_context, hall["main"][1], "th")
    mark = mark_unreloaded(phone)
    partner = hall["main"][1]["partner"]

    phone.context.set_offline(True)
    choice(phone, "live").click()
    expect(status(phone)).to_have_attribute("data-state", "pending", timeout=LIVE)
    expect(status(phone)).to_contain_text("ยังไม่ได้ส่ง")
    expect(choice(phone, "live")).to_have_class(re.compile(r"\bis-unsent\b"))
    assert phone.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('samatcha:ballot:')).length"
    ) == 1, "the unsent ballot is not kept on the phone"
    shot(phone, "not-sent-yet-th", status(phone))
    assert ballots(app_server, poll)["ballots"] == {}

    phone.context.set_offline(False)
    counted(phone, "live")
    expect(choice(phone, "live")).not_to_have_class(re.compile(r"\bis-unsent\b"))
    wait_live(phone)
    phone.wait_for_load_state("networkidle")
    still_unreloaded(phone, mark)
    assert phone.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('samatcha:ballot:')).length"
    ) == 0
    recorded = ballots(app_server, poll)
    assert recorded["ballots"] == {str(partner): ["live", ""]}
    assert [e[1:] for e in recorded["events"]] == [["cast", "live"]], "counted more than once"
    shot(phone, "sent-when-back-online-th", status(phone))


# --- Two phones of one organisation --------------------------------------------------------


def test_two_phones_of_one_organisation_each_show_the_counted_choice_and_who_cast_it(
    open_context, app_server, hall
):
    poll = app_server.seed("poll", room=hall["room"], kind="consensus")["poll"]
    main, alternate = hall["main"][0], hall["alternate"]
    thai = open_phone(open_context, main, "th", "delegate")
    english = open_phone(open_context, alternate, "en", "alternate")
    marks = [mark_unreloaded(p) for p in (thai, english)]

    choice(thai, "full").click()
    counted(thai, "full")
    counted(english, "full")
    expect(status(english)).to_contain_text(main["name_en"])
    in_language(status(english).inner_text(), "en", hall, "the pushed status")
    shot(english, "colleague-voted-en", status(english))

    # The alternate replaces the organisation's ballot: the first phone follows.
    choice(english, "support").click()
    counted(english, "support")
    counted(thai, "support")
    expect(status(thai)).to_contain_text(alternate["name"])
    expect(choice(thai, "full")).to_have_attribute("aria-pressed", "false")
    in_language(status(thai).inner_text(), "th", hall, "the pushed status")
    shot(thai, "ballot-replaced-th", status(thai))
    for page, mark in zip((thai, english), marks):
        still_unreloaded(page, mark)
    recorded = ballots(app_server, poll)
    assert recorded["ballots"] == {str(main["partner"]): ["support", ""]}
    assert_accessible(thai, "the phone after a colleague's ballot (th)")
    assert_accessible(english, "the phone after a colleague's ballot (en)")
