"""What the screens' browser tests share: signing in, waiting for the socket,
geometry and computed styles, and pictures kept in test-artifacts/."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import artifact

LIVE = 20_000  # ms to wait for a push to arrive on a screen
THAI = re.compile(r"[\u0E00-\u0E7F]")
PROJECTOR_SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}


def sign_in_with_password(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def sign_in_by_link(page, token: str) -> None:
    """A delegate's personal link (the token after #), confirmed by the button."""
    page.goto(f"/s/#{token}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def wait_live(page) -> None:
    """The page's socket is open (samatcha.js marks the body)."""
    expect(page.locator("body")).to_have_attribute("data-live", "open", timeout=LIVE)


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not displayed"
    return found


def inside_viewport(page, locator, what: str) -> None:
    """The element is displayed wholly inside the first screen (no scrolling)."""
    scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
    b = box(locator)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    top, left = b["y"] + scroll[1], b["x"] + scroll[0]
    assert b["width"] > 0 and b["height"] > 0, f"{what} has no size"
    assert left >= 0 and left + b["width"] <= width + 1, f"{what} is cut at the sides: {b}"
    assert top >= 0 and top + b["height"] <= height + 1, (
        f"{what} is not inside the first {width}x{height} screen: {b}"
    )


def px(locator, prop: str = "font-size") -> float:
    value = locator.evaluate(f"e => getComputedStyle(e).getPropertyValue('{prop}')")
    return float(value.replace("px", ""))


def no_scroll(page, what: str) -> None:
    """Nothing on the page reaches beyond the window, and it cannot scroll."""
    sizes = page.evaluate(
        """() => ({
            sh: document.documentElement.scrollHeight, ih: window.innerHeight,
            sw: document.documentElement.scrollWidth, iw: window.innerWidth,
            overflow: getComputedStyle(document.documentElement).overflowY,
        })"""
    )
    assert sizes["sh"] <= sizes["ih"], f"{what} scrolls: {sizes}"
    assert sizes["sw"] <= sizes["iw"], f"{what} scrolls sideways: {sizes}"


def view_shot(page, name: str) -> None:
    """A picture of what is on the screen (the viewport), in test-artifacts/."""
    page.screenshot(path=artifact(name))


def visible_text(page, selector: str) -> str:
    """The text a person sees in the element (hidden parts left out)."""
    return page.locator(selector).evaluate("e => e.innerText")


def without(text: str, names) -> str:
    """``text`` with every proper name (and content typed by people) taken out."""
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, " ")
    return text
