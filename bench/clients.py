"""Real sessions against a running server: sign in over HTTP, cast ballots over
HTTP, hold WebSockets and watch the tally they are pushed.

Used by the benchmark and by the multi-process and fault tests. Loopback only;
every wait has a timeout.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from dataclasses import dataclass, field

import httpx
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The tally in the pushed result panel (voting/result.html#vote-result):
# <progress max="entitled" value="partners that voted">.
TALLY = re.compile(r'<progress max="(\d+)" value="(\d+)"')
SESSION_COOKIE = "sessionid"
CSRF_COOKIE = "csrftoken"
LANGUAGE_COOKIE = "django_language"


def tally_of(message: str) -> int | None:
    """Partners that voted, from a pushed result panel; None for other pushes.

    Plain searches, then one anchored match: a pattern spanning the panel,
    tried from every position of every push, was an eighth of the load
    process's time at 2,000 sockets."""
    start = message.find('id="vote-result"')
    if start < 0:
        return None
    start = message.find('<progress max="', start)
    found = TALLY.match(message, start) if start >= 0 else None
    return int(found.group(2)) if found else None


@dataclass
class Session:
    """A signed-in browser: its cookies, and the CSRF token htmx would send."""

    base_url: str
    session_id: str
    csrf_token: str = field(default_factory=lambda: secrets.token_hex(16))
    language: str | None = None  # as chosen with the switch (None: Thai)

    @property
    def cookies(self) -> dict[str, str]:
        cookies = {SESSION_COOKIE: self.session_id, CSRF_COOKIE: self.csrf_token}
        if self.language:
            cookies[LANGUAGE_COOKIE] = self.language
        return cookies

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def headers(self, *, htmx: bool = True) -> dict[str, str]:
        h = {
            "X-CSRFToken": self.csrf_token,
            "Referer": self.base_url + "/",
            "Origin": self.base_url,
            "Cookie": self.cookie_header,
        }
        if htmx:
            h["HX-Request"] = "true"
        return h


async def sign_in(http: httpx.AsyncClient, base_url: str, token: str) -> Session:
    """A delegate's personal link (``/s/#<token>``), as a phone opens it: GET the
    page, then confirm (POST; its script puts the fragment's token in the form)."""
    url = f"{base_url}/s/"
    page = await http.get(url)
    page.raise_for_status()
    csrf_cookie = page.cookies.get(CSRF_COOKIE)
    found = CSRF_FIELD.search(page.text)
    if not found or not csrf_cookie:
        raise RuntimeError(f"no CSRF token on the sign-in page ({page.status_code})")
    done = await http.post(
        url,
        data={"csrfmiddlewaretoken": found.group(1), "token": token},
        headers={"Cookie": f"{CSRF_COOKIE}={csrf_cookie}", "Referer": url},
        follow_redirects=False,
    )
    session_id = done.cookies.get(SESSION_COOKIE)
    if done.status_code != 302 or not session_id:
        raise RuntimeError(f"sign-in refused: {done.status_code} {done.text[:200]}")
    return Session(
        base_url=base_url,
        session_id=session_id,
        csrf_token=done.cookies.get(CSRF_COOKIE) or csrf_cookie,
    )


async def cast_ballot(
    http: httpx.AsyncClient,
    session: Session,
    *,
    room_id: int,
    poll_id: int,
    choice: str,
    base_url: str | None = None,
    timeout: float = 10.0,
) -> httpx.Response:
    """POST the ballot form as htmx does; the response is the ballot partial."""
    base = base_url or session.base_url
    return await http.post(
        f"{base}/rooms/{room_id}/ballot/",
        data={"poll": str(poll_id), "choice": choice, "reason": ""},
        headers=session.headers(),
        timeout=timeout,
    )


class Watcher:
    """Many sockets on one room, noting when each first sees each tally value.

    ``reached[v]`` counts sockets whose pushed tally reached at least ``v``;
    ``all_reached_at[v]`` is the monotonic time the last socket did.
    """

    def __init__(self, expected: int):
        self.expected = expected
        self.last: dict[int, int] = {}
        self.messages: dict[int, int] = {}
        self.reached: dict[int, int] = {}
        self.all_reached_at: dict[int, float] = {}
        self.closes: dict[int, int | None] = {}
        self.events: dict[int, asyncio.Event] = {}
        self.sockets: dict[int, object] = {}
        self.failed: dict[int, str] = {}

    def event(self, value: int) -> asyncio.Event:
        if value not in self.events:
            self.events[value] = asyncio.Event()
            if value in self.all_reached_at:
                self.events[value].set()
        return self.events[value]

    def seen(self, index: int, message: str) -> None:
        self.messages[index] = self.messages.get(index, 0) + 1
        value = tally_of(message)
        if value is None:
            return
        before = self.last.get(index, -1)
        if value <= before:
            return
        self.last[index] = value
        now = time.monotonic()
        for v in range(before + 1, value + 1):
            n = self.reached[v] = self.reached.get(v, 0) + 1
            if n == self.expected:
                self.all_reached_at[v] = now
                if v in self.events:
                    self.events[v].set()

    def forget(self, index: int) -> None:
        """A socket reconnects: its next snapshot counts afresh."""
        before = self.last.pop(index, -1)
        for v in range(0, before + 1):
            self.reached[v] -= 1

    async def wait_all(self, value: int, timeout: float) -> float:
        await asyncio.wait_for(self.event(value).wait(), timeout)
        return self.all_reached_at[value]


async def open_socket(
    ws_base: str,
    path: str,
    session: Session | None,
    *,
    origin: str,
    timeout: float = 10.0,
):
    headers = {"Cookie": session.cookie_header} if session else {}
    return await ws_connect(
        ws_base + path,
        additional_headers=headers,
        origin=origin,
        open_timeout=timeout,
        close_timeout=2,
        ping_interval=None,
        max_size=2**22,
    )


async def follow(
    watcher: Watcher,
    index: int,
    ws_base: str,
    path: str,
    session: Session,
    *,
    origin: str,
    reconnect: bool = False,
    opened: asyncio.Event | None = None,
    stop: asyncio.Event | None = None,
    reconnects: list | None = None,
    timeout: float = 10.0,
) -> None:
    """Hold one socket and feed its messages to ``watcher``; with ``reconnect``,
    open it again after any close (as static/js/samatcha.js does) until
    ``stop`` is set."""
    delay = 0.1
    while True:
        try:
            ws = await open_socket(
                ws_base, path, session, origin=origin, timeout=timeout
            )
        except (OSError, InvalidStatus, asyncio.TimeoutError, TimeoutError) as exc:
            if not reconnect or (stop and stop.is_set()):
                watcher.failed[index] = repr(exc)[:200]
                if opened is not None:
                    opened.set()  # whoever waits learns of the failure
                raise
            watcher.closes[index] = getattr(exc, "code", None)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
            continue
        watcher.sockets[index] = ws
        if opened is not None:
            opened.set()
        try:
            async for message in ws:
                watcher.seen(index, message if isinstance(message, str) else "")
        except ConnectionClosed:
            pass
        watcher.closes[index] = ws.close_code
        if not reconnect or (stop and stop.is_set()):
            return
        if reconnects is not None:
            reconnects.append(index)
        watcher.forget(index)
        await asyncio.sleep(delay)
