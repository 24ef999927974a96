"""Every push reaches each screen in that screen's language (issue 10, contract 1).

Real sockets against the real ASGI application and the embedded channel layer:
a Thai screen and English screens (by the language cookie the switch sets, and
by the ``lang`` the page writes into its socket's URL) follow one room while
the app's own services push. The same through Redis with two daphne processes
is in ``test_processes.py``.
"""

from __future__ import annotations

import asyncio
import re

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from assembly import realtime
from config.asgi import application
from tests import factories
from tests.readable import readable
from tests.ws import session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True)

THAI = re.compile(r"[\u0e00-\u0e7f]")
RESULT = re.compile(r'<section id="vote-result".*?</section>', re.S)
# UI words of the pushed regions, as the catalogue says them.
ENGLISH_WORDS = ("Full support", "Can live with it", "Block")
THAI_WORDS = ("สนับสนุนเต็มที่", "ยอมรับได้", "คัดค้าน")


@database_sync_to_async
def setup():
    from tests.voting.conftest import make_item
    from voting import services
    from voting.models import Poll

    w = factories.world(partners=4, rooms=1)
    room = w.rooms[0]
    item = make_item(w, room)
    poll = services.poll_create(
        room=room,
        kind=Poll.Kind.CONSENSUS,
        actor=w.facilitators[room.pk],
        results_live=True,
    )
    return w, room, item, poll


async def open_screen(path: str, *, user=None, language_cookie: str | None = None):
    cookies = []
    if user is not None:
        session = await database_sync_to_async(session_cookie_for)(user)
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}")
    if language_cookie:
        cookies.append(f"{settings.LANGUAGE_COOKIE_NAME}={language_cookie}")
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if cookies:
        headers.append((b"cookie", "; ".join(cookies).encode()))
    comm = WebsocketCommunicator(application, path, headers=headers)
    accepted, detail = await comm.connect(timeout=10)
    assert accepted, detail
    return comm


async def collect_until(comm, needle: str, *, timeout: float = 15.0) -> list[str]:
    """Every message up to and including the first that contains ``needle``."""
    seen = []
    while True:
        seen.append(await comm.receive_from(timeout=timeout))
        if needle in seen[-1]:
            return seen


def results(messages: list[str]) -> list[str]:
    return [m for html in messages for m in RESULT.findall(html)]


def without_content(html: str, item) -> str:
    """The HTML less what the people of the assembly wrote (the draft's text,
    the item's Thai title): Thai there is content, not the screen's language."""
    html = readable(html)
    for text in (item.title_th, "ร่างมติ", "ข้อหนึ่ง", "ข้อสอง"):
        html = html.replace(text, "")
    return html


async def test_thai_and_english_screens_each_receive_every_push_in_their_language():
    from voting import services

    w, room, item, poll = await setup()
    partners = w.partners_in(room)
    voter = w.delegate_of(partners[0])
    screens = {
        "thai phone": await open_screen(
            f"/ws/rooms/{room.pk}/", user=w.delegate_of(partners[1]).user
        ),
        "english phone (cookie)": await open_screen(
            f"/ws/rooms/{room.pk}/", user=voter.user, language_cookie="en"
        ),
        "english console (?lang)": await open_screen(
            f"/ws/rooms/{room.pk}/?lang=en", user=w.facilitators[room.pk]
        ),
        "thai projector (?lang, english cookie)": await open_screen(
            f"/ws/projector/{room.projector_token}/?lang=th", language_cookie="en"
        ),
        "english projector (?lang)": await open_screen(
            f"/ws/projector/{room.projector_token}/?lang=en"
        ),
    }
    english = {name for name in screens if name.startswith("english")}
    snapshots = {n: await collect_until(c, "vote-result") for n, c in screens.items()}

    # The facilitator opens the vote, a delegate votes, the facilitator closes it:
    # the app's own pushes, coalescer included.
    actor = w.facilitators[room.pk]
    await database_sync_to_async(services.poll_open)(poll=poll, actor=actor)
    for comm in screens.values():
        await collect_until(comm, "<progress")
    await database_sync_to_async(services.ballot_cast)(
        poll=poll, delegate=voter, choice="full", reason=""
    )
    for comm in screens.values():  # the tally reached every screen
        await collect_until(comm, 'value="1"')
    closed = await database_sync_to_async(services.poll_close)(poll=poll, actor=actor)
    assert closed.status == "closed"
    pushed = {
        n: await collect_until(c, 'class="vote-outcome"') for n, c in screens.items()
    }

    for name, comm in screens.items():
        messages = [readable(m) for m in snapshots[name] + pushed[name]]
        panels = results(messages)
        assert panels, name
        final = panels[-1]
        if name in english:
            assert "Full support" in final, (name, final[:600])
            for word in THAI_WORDS:
                assert word not in "".join(messages), (name, word)
            for html in messages:
                leftover = THAI.findall(without_content(html, item))
                assert not leftover, (name, "".join(leftover), html[:800])
        else:
            assert "สนับสนุนเต็มที่" in final, (name, final[:600])
            for word in ENGLISH_WORDS:
                assert f">{word}<" not in "".join(messages), (name, word)
        # One copy of each push: a screen is in its own language's group only.
        assert sum('class="vote-outcome"' in p for p in panels) == 1, name
        await comm.disconnect()


async def test_a_push_is_rendered_only_in_the_languages_someone_follows():
    """No English screen open: nothing is rendered in English."""
    w, room, _item, _poll = await setup()
    rendered = []

    def render():
        from django.utils import translation

        rendered.append(translation.get_language())
        return f'<div id="probe">{translation.get_language()}</div>'

    group = realtime.room_group(room.pk)
    await realtime.push_async(group, render)
    assert rendered == []  # nobody follows the room

    thai = await open_screen(f"/ws/rooms/{room.pk}/", user=w.delegates[0].user)
    await collect_until(thai, "vote-result")
    await realtime.push_async(group, render)
    assert rendered == ["th"]
    assert '<div id="probe">th</div>' in (await collect_until(thai, "probe"))[-1]

    english = await open_screen(f"/ws/projector/{room.projector_token}/?lang=en")
    await collect_until(english, "vote-result")
    await database_sync_to_async(realtime.push)(group, render)  # the sync door too
    assert sorted(rendered[1:]) == ["en", "th"]
    assert 'probe">en<' in (await collect_until(english, "probe"))[-1]
    assert 'probe">th<' in (await collect_until(thai, "probe"))[-1]

    await english.disconnect()  # gone: English is no longer rendered
    await asyncio.sleep(0)
    await realtime.push_async(group, render)
    assert rendered[3:] == ["th"]
    await thai.disconnect()


def test_a_screen_language_comes_from_its_url_then_the_cookie_then_thai():
    from assembly.consumers import screen_language

    cookie = {"cookies": {settings.LANGUAGE_COOKIE_NAME: "en"}}
    assert screen_language({"query_string": b""}) == "th"
    assert screen_language({"query_string": b"", **cookie}) == "en"
    assert screen_language({"query_string": b"lang=th", **cookie}) == "th"
    assert screen_language({"query_string": b"lang=en"}) == "en"
    # Anything else is the working language, never an unknown group.
    assert screen_language({"query_string": b"lang=fr"}) == "th"
    assert screen_language({"query_string": b"lang=../x", "cookies": {}}) == "th"
    cookie["cookies"][settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert screen_language({"query_string": b"", **cookie}) == "th"
