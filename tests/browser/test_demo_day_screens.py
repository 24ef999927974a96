"""The demo day's board, a room page and its projector in Chromium, in Thai, on a phone and a
laptop (issue 12): every Thai word stays whole on its line and inside the screen,
and the pictures go to test-artifacts/ to be looked at as a Thai reader would.

Its own daphne on a free port, its own SQLite file, loaded with ``manage.py
load_demo`` and the live morning of ``tests.demo_day`` (speakers, amendments, an
open vote in the second assembly's room 1); the delegate signs in with a personal
link as on the day.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    LAPTOP,
    PHONE,
    PROJECTOR,
    ROOT,
    Server,
    free_port,
    require_chromium,
    server_env,
    wait_until_serving,
)

LIVE_MORNING = """
from assembly.models import Assembly, Delegate, Room
from assembly import links
from tests.demo_day import _live_morning, _supporters_officer

first, second = Assembly.objects.order_by("starts_on")
_supporters_officer(first, first.secretariat.get(username="secretariat"))
_live_morning(second)
room = Room.objects.get(assembly=second, number=1, kind=Room.Kind.BREAKOUT)
delegate = (Delegate.objects.filter(partner__room=room, kind="voting")
            .order_by("pk").first())
result = {"first": first.pk, "room": room.pk, "projector": room.projector_token,
          "token": links.link_issue(user=delegate.user)}
"""

# Each <th-w> (a word, or a name: never broken) as laid out: how many line boxes
# it takes, and whether it sticks out of the screen.
WORDS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const word of document.querySelectorAll('main th-w')) {
    const rects = Array.from(word.getClientRects()).filter(r => r.width > 0);
    if (!rects.length) continue;  // hidden
    const tops = new Set(rects.map(r => Math.round(r.top)));
    const right = Math.max(...rects.map(r => r.right));
    let scrolls = false;
    for (let e = word.parentElement; e && e !== document.body; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scrolls = true; break; }
    }
    out.push({text: word.textContent, lines: tops.size,
              outside: !scrolls && right > width + 1});
  }
  // Where the design says one line (white-space: nowrap), a <wbr> must not break it.
  const stacked = [];
  for (const wbr of document.querySelectorAll('wbr')) {
    const box = wbr.parentElement;
    if (getComputedStyle(box).whiteSpace !== 'nowrap') continue;
    if (box.closest('.visually-hidden')) continue;  // read out, never laid out
    if (box.closest('.badge')) continue;  // a long badge wraps between its words
    const tops = new Set(Array.from(box.querySelectorAll('th-w'))
      .flatMap(w => Array.from(w.getClientRects()).filter(r => r.width > 0))
      .map(r => Math.round(r.top)));
    if (tops.size > 1) stacked.push(box.textContent);
  }
  return {words: out, stacked: [...new Set(stacked)],
          scrollWidth: document.documentElement.scrollWidth, width};
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[tuple[Server, dict]]:
    require_chromium()
    workdir = tmp_path_factory.mktemp("samatcha-demo-day")
    env = server_env(workdir)
    ARTIFACTS.mkdir(exist_ok=True)
    for command in (["migrate", "--noinput"], ["load_demo"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    server = Server(base_url=f"http://127.0.0.1:{port}", env=env, workdir=workdir,
                    log_path=ARTIFACTS / "daphne-demo-day.log")
    made = server.seed("eval", code=LIVE_MORNING)
    with open(server.log_path, "w") as log:
        server.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "config.asgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_serving(server)
            yield server, made
        finally:
            server.process.terminate()
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=10)


@pytest.fixture
def new_page(chromium, demo_server):
    server, _ = demo_server
    contexts = []

    def open_(viewport: dict):
        context = chromium.new_context(base_url=server.base_url, viewport=viewport,
                                       locale="th-TH", is_mobile=viewport is PHONE,
                                       has_touch=viewport is PHONE)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def words_kept_whole(page, name: str) -> None:
    page.screenshot(path=ARTIFACTS / f"demo-day-{name}.png", full_page=True)
    laid_out = page.evaluate(WORDS)
    assert len(laid_out["words"]) > 50, name
    broken = [w["text"] for w in laid_out["words"] if w["lines"] > 1]
    outside = [w["text"] for w in laid_out["words"] if w["outside"]]
    assert broken == [], f"{name}: a word on two lines"
    assert laid_out["stacked"] == [], f"{name}: one-line text broken at its words"
    assert outside == [], f"{name}: a word sticking out of the screen"
    assert laid_out["scrollWidth"] <= laid_out["width"], f"{name}: sideways scroll"


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_board_of_the_adopted_assembly(new_page, demo_server, viewport):
    _, made = demo_server
    page = new_page(viewport)
    page.goto(f"/board/{made['first']}/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert "เสร็จสิ้น" in page.locator("main").inner_text()
    words_kept_whole(page, f"board-{'phone' if viewport is PHONE else 'laptop'}")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_delegates_room_page_in_session(new_page, demo_server, viewport):
    _, made = demo_server
    page = new_page(viewport)
    page.goto(f"/s/#{made['token']}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/rooms/{made['room']}/")
    page.locator(".ballot-area form, .ballot-area .ballot-status").first.wait_for()
    page.locator("#speakers").wait_for()
    text = page.locator("main").inner_text()
    assert "ผู้แทน" in text or "ภาคีเครือข่าย" in text
    words_kept_whole(page, f"room-{'phone' if viewport is PHONE else 'laptop'}")


def test_the_rooms_projector(new_page, demo_server):
    """The hall's big screen: the issue saw "ทุกภาค/เรียน" and "ระบบการ/ศึกษา" there."""
    _, made = demo_server
    page = new_page(PROJECTOR)
    page.goto(f"/projector/{made['projector']}/")
    page.locator("#vote-result").wait_for()  # a vote is open: the screen shows it
    page.evaluate("document.fonts.ready.then(() => true)")
    words_kept_whole(page, "projector")
