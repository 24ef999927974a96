"""Group names and pushes: the one door from services to open sockets.

A service commits, then (through ``transaction.on_commit``) asks for a push. A
push is a render callable with no language argument: this module calls it once
per language that some screen of the group reads, under
``translation.override``, and sends each rendering to that language's group
(``room.12.th``, ``room.12.en``). A socket joins the group of its screen's
language, so an English screen receives English and a Thai screen Thai. The
htmx ws extension swaps the HTML in by id. A pushed fragment never depends on
who receives it, only on the language it is read in.

Rules (DEVELOPERS.md, "Pushes"): never hard-code a language in a push, never
call ``channel_layer.group_send`` outside this module.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from assembly import fanout, layers
from assembly.thai_html import mark_fragment
from thai.html import mark

if TYPE_CHECKING:
    from assembly.models import Room

log = logging.getLogger("samatcha.realtime")

PUSH_TYPE = fanout.PUSH_TYPE

# A push: renders the HTML of one push in the active language.
Render = Callable[[], str]


# --- Group names -----------------------------------------------------------------


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def partner_group(room_id: int, partner_id: int) -> str:
    """In one room, every socket of one organisation's voting delegates (and
    alternates): what only that organisation may see, such as its own ballot in
    a secret poll (``voting.live.push_ballot``)."""
    return f"room.{room_id}.partner.{partner_id}"


def assembly_group(assembly_id: int) -> str:
    return f"assembly.{assembly_id}"


def user_group(user_id: int) -> str:
    """Every socket of one signed-in person (to close them on sign-out)."""
    return f"user.{user_id}"


def session_group(session_key: str) -> str:
    """Every socket opened with one session (to close them when the sign-in
    link that opened the session is revoked). Named by a digest: a session key
    is a credential and never goes into the channel layer."""
    digest = hashlib.sha256(session_key.encode("utf-8")).hexdigest()[:32]
    return f"session.{digest}"


def languages() -> list[str]:
    """The languages a screen may be read in, the working language first."""
    return [code for code, _name in settings.LANGUAGES]


def language_or_default(code: str | None) -> str:
    """``code`` when it is one of the site's languages, else the working one."""
    return code if code in languages() else settings.LANGUAGE_CODE


def localized(group: str, language: str) -> str:
    """The group of the screens of ``group`` read in ``language``: a socket
    joins this one; a push is sent to one per language."""
    return f"{group}.{language}"


# --- Rendering -------------------------------------------------------------------


def render_fragment(template_name: str, context: dict) -> str:
    """Render a partial (``"agenda/room.html#speakers"``) as the pages do, in
    the active language (a push's render is called under each language)."""
    return render_to_string(template_name, context)


def render_in(language: str, render: Render, *, words_current: bool = False) -> str:
    """``render()`` under ``language``, its Thai marked to break only between
    words as the pages' is (``assembly.thai_html``): every push and snapshot
    passes here, once per language, however many screens it reaches.
    ``words_current``: the Thai vocabulary need not be checked for new names
    (on the event loop, which must not read the cache or the database; the
    request that asked for the push has just checked it)."""
    with translation.override(language):
        html = render()
        return mark(html) if words_current else mark_fragment(html)


def _render_each(group: str, render: Render, wanted: Iterable[str], *,
                 words_current: bool = False) -> dict:
    """{language: html} for each wanted language; a render that fails is logged
    and that push is dropped (a screen resyncs on reconnect)."""
    out = {}
    for language in wanted:
        try:
            out[language] = render_in(language, render, words_current=words_current)
        except Exception:  # noqa: BLE001 - never fail a committed write over a push
            log.exception("rendering a push to %s in %s failed", group, language)
            return {}
    return out


# --- Sending ---------------------------------------------------------------------


def live_paused() -> bool:
    """True while this process's last push failed (Redis down): the pages say
    that live updates are paused (``LiveStatusMiddleware``) until one succeeds."""
    return layers.live_paused()


async def listening_async(group: str) -> list[str]:
    """The languages in which some screen follows ``group`` now. Any language
    when the channel layer cannot tell (or fails to)."""
    everyone = languages()
    layer = get_channel_layer()
    if layer is None:
        return []
    try:
        listened = await layers.groups_listened(
            layer, [localized(group, lang) for lang in everyone]
        )
    except Exception:  # noqa: BLE001 - when in doubt, render for everyone
        log.warning("could not tell who follows %s", group, exc_info=True)
        return everyone
    if listened is None:
        return everyone
    return [lang for lang in everyone if localized(group, lang) in listened]


def listening(group: str) -> list[str]:
    """As ``listening_async``, from sync code."""
    layer = get_channel_layer()
    if layer is None:
        return []
    everyone = languages()
    known = layers.groups_listened_now(
        layer, [localized(group, lang) for lang in everyone]
    )
    if known is not None:
        return [lang for lang in everyone if localized(group, lang) in known]
    return async_to_sync(listening_async)(group)


def _message(group: str, html: str, supersedes: bool = False) -> dict:
    # The group goes along: each process's hub hands it to that group's sockets
    # (a superseding one no more often than the group's window: assembly.fanout).
    message = {"type": PUSH_TYPE, "group": group, "html": html}
    if supersedes:
        message["supersedes"] = True
    return message


def send(group: str, html: str) -> bool:
    """Send rendered HTML to one (language's) group now; True when the layer
    took it. Called by ``push`` for each language; code outside this module
    pushes through ``push`` / ``push_on_commit``, never with HTML it rendered.

    Never raises: a push is best effort, the database is the record, and a
    reconnecting screen is sent the state. A failure is logged and makes
    ``live_paused()`` true until a later push succeeds."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        async_to_sync(layer.group_send)(group, _message(group, html))
    except Exception:  # noqa: BLE001 - Redis down must not fail a committed write
        log.warning("push to %s failed; live updates paused", group, exc_info=True)
        layers.note_push(False)
        return False
    layers.note_push(True)
    return True


async def send_async(group: str, html: str, *, supersedes: bool = False) -> bool:
    """``send`` from the event loop."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        await layer.group_send(group, _message(group, html, supersedes))
    except Exception:  # noqa: BLE001
        log.warning("push to %s failed; live updates paused", group, exc_info=True)
        layers.note_push(False)
        return False
    layers.note_push(True)
    return True


def push(group: str, render: Render) -> None:
    """Render ``render`` once per language some screen of ``group`` reads, and
    send each rendering to that language's group. Now: from sync code outside
    the event loop (a service's on-commit callback, a management command).

    A language nobody follows is neither rendered nor sent: a screen that
    opens afterwards is sent the current state when it connects."""
    rendered = _render_each(group, render, listening(group))
    for language, html in rendered.items():
        if html:
            send(localized(group, language), html)


async def push_async(group: str, render: Render, *, supersedes: bool = False,
                     reads: bool = True) -> None:
    """``push`` from the event loop: renders in a worker thread (the render may
    read the database), sends from the loop. ``supersedes``: the fragment is a
    whole state that replaces the last one pushed to the group (a tally), so
    each process's hub may hand its sockets only the latest within a window.
    ``reads=False``: the render reads nothing (a ballot's status from the ballot
    in hand) and runs on the loop, without the two hand-overs to a thread and
    back that cost more than the render."""
    wanted = await listening_async(group)
    if not wanted:
        return
    if reads:
        rendered = await database_sync_to_async(_render_each, thread_sensitive=False)(
            group, render, wanted
        )
    else:
        rendered = _render_each(group, render, wanted, words_current=True)
    for language, html in rendered.items():
        if html:
            await send_async(localized(group, language), html, supersedes=supersedes)


def push_on_commit(group: str, render: Render) -> None:
    """After the current transaction commits, ``push(group, render)``."""
    transaction.on_commit(lambda: push(group, render))


def close_group(group: str, code: int = 4401) -> None:
    """Ask every socket of a group to close (sign-out, revoked link)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            group, {"type": fanout.CLOSE_TYPE, "group": group, "code": code}
        )
    except Exception:  # noqa: BLE001
        log.warning("close of %s failed", group, exc_info=True)
        layers.note_push(False)
    else:
        layers.note_push(True)


# --- Snapshots sent to a socket on connect ---------------------------------------

RoomSnapshotPart = Callable[["Room"], str]
_room_snapshot_parts: list[RoomSnapshotPart] = []


def room_snapshot_part(fn: RoomSnapshotPart) -> RoomSnapshotPart:
    """Register a function that renders part of a room's current state (in the
    active language, like a push).

    Apps register theirs in ``AppConfig.ready``; a (re)connecting socket is sent
    every part, so nothing relies on a message having been received before.
    """
    if fn not in _room_snapshot_parts:
        _room_snapshot_parts.append(fn)
    return fn


def room_snapshot(room: Room, language: str | None = None) -> str:
    """The HTML of every registered part of the room's state, in ``language``
    (default: the active one). Reads only.

    A part that fails is logged and left out: one broken part must not cost a
    screen the others (the screen's own ``hx-get`` resync still runs)."""
    if language is not None:
        return render_in(language, lambda: room_snapshot(room))
    html = []
    for part in _room_snapshot_parts:
        try:
            html.append(part(room))
        except Exception:  # noqa: BLE001
            name = getattr(part, "__name__", part)
            log.exception("room snapshot part %s failed", name)
    return "".join(html)
