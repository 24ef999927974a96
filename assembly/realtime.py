"""Group names and broadcasts: the one door from services to open sockets.

A service commits, then (through ``transaction.on_commit``) asks for a push. The
push renders a partial once, from the template the page uses, and sends the HTML
to every socket of the group; the htmx ws extension swaps it in by id. A pushed
fragment never depends on who receives it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from assembly import layers

if TYPE_CHECKING:
    from assembly.models import Room

log = logging.getLogger("samatcha.realtime")

PUSH_TYPE = "fragments.push"


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


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


def render_fragment(template_name: str, context: dict) -> str:
    """Render a partial (``"agenda/room.html#speakers"``) as the pages do.

    Pushes go to people in either language, so every fragment is rendered in
    Thai, the working language, unless ``language`` is in the context.
    """
    language = context.get("language", "th")
    with translation.override(language):
        return render_to_string(template_name, context)


def live_paused() -> bool:
    """True while this process's last push failed (Redis down): the pages say
    that live updates are paused (``LiveStatusMiddleware``) until one succeeds."""
    return layers.live_paused()


def send(group: str, html: str) -> bool:
    """Send HTML fragments to a group now; True when the layer took them.

    Never raises: a push is best effort, the database is the record, and a
    reconnecting screen is sent the state. A failure is logged and makes
    ``live_paused()`` true until a later push succeeds."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        async_to_sync(layer.group_send)(group, {"type": PUSH_TYPE, "html": html})
    except Exception:  # noqa: BLE001 - Redis down must not fail a committed write
        log.warning("push to %s failed; live updates paused", group, exc_info=True)
        layers.note_push(False)
        return False
    layers.note_push(True)
    return True


def push_on_commit(group: str, render: Callable[[], str]) -> None:
    """After the current transaction commits, render and send to ``group``."""
    transaction.on_commit(lambda: send(group, render()))


def close_group(group: str, code: int = 4401) -> None:
    """Ask every socket of a group to close (sign-out, revoked link)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "socket.close", "code": code})
    except Exception:  # noqa: BLE001
        log.warning("close of %s failed", group, exc_info=True)
        layers.note_push(False)
    else:
        layers.note_push(True)


# --- Snapshots sent to a socket on connect ---------------------------------------

RoomSnapshotPart = Callable[["Room"], str]
_room_snapshot_parts: list[RoomSnapshotPart] = []


def room_snapshot_part(fn: RoomSnapshotPart) -> RoomSnapshotPart:
    """Register a function that renders part of a room's current state.

    Apps register theirs in ``AppConfig.ready``; a (re)connecting socket is sent
    every part, so nothing relies on a message having been received before.
    """
    if fn not in _room_snapshot_parts:
        _room_snapshot_parts.append(fn)
    return fn


def room_snapshot(room: Room) -> str:
    """The HTML of every registered part of the room's state. Reads only.

    A part that fails is logged and left out: one broken part must not cost a
    screen the others (the screen's own ``hx-get`` resync still runs)."""
    html = []
    for part in _room_snapshot_parts:
        try:
            html.append(part(room))
        except Exception:  # noqa: BLE001
            name = getattr(part, "__name__", part)
            log.exception("room snapshot part %s failed", name)
    return "".join(html)
