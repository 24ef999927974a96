"""Sockets that follow a room. Subscribe-only: they authenticate, join groups,
send the current state and relay pushes. They never write to the database."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import uuid
import weakref
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from assembly import fanout, presence, realtime
from assembly.models import Room

log = logging.getLogger("samatcha.realtime")

CLOSE_FORBIDDEN = 4403
CLOSE_SIGNED_OUT = 4401
CLOSE_ABUSE = 4408
MAX_CLIENT_MESSAGE = 2048
MAX_CLIENT_MESSAGES_PER_10S = 50

# Sockets' reads and presence run in the worker pool, not in channels' default
# single thread: that one thread is shared by every socket of the process, and
# at a thousand sockets their connects, heartbeats and state renders queued
# behind each other for minutes (a crowd reconnecting timed out).
off_loop = functools.partial(database_sync_to_async, thread_sensitive=False)


@off_loop
def _room_access(user, room_id: int):
    """(room, partner id or None) when the person may follow the room."""
    room = Room.objects.select_related("assembly").filter(pk=room_id).first()
    if room is None or not user.has_perm("assembly.view_room", room):
        return None, None
    from assembly.predicates import delegate_of

    delegate = delegate_of(user)
    partner_id = None
    # Whether the delegate is checked in is read when presence is (a check-in
    # or check-out at the desk must count without the phone reconnecting).
    if delegate is not None and delegate.may_vote:
        partner_id = delegate.partner_id
    return room, partner_id


@off_loop
def _projector_room(token: str):
    return Room.objects.filter(projector_token=token).first()


@off_loop
def _snapshot(room: Room, language: str) -> str:
    return realtime.room_snapshot(room, language)


def screen_language(scope) -> str:
    """The language of the page that opened the socket: the ``lang`` of the
    socket's URL (the page writes its own language there), else the language
    cookie the switch sets (what the page was rendered in), else Thai."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    asked = (query.get("lang") or [None])[0]
    if asked in realtime.languages():
        return asked
    cookie = (scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME)
    return realtime.language_or_default(cookie)


# Sockets that connect together (a venue's Wi-Fi comes back: hundreds at once)
# share one render of the room's state instead of one each. A socket has joined
# the room's group before it asks, so any render that STARTS after it asked is
# current for it: pushes after that start reach it through the group. Per event
# loop, room and language: the render not yet started (which newcomers join) and
# the one running.
_snapshot_waiting: dict[tuple[int, int, str], asyncio.Future] = {}
_snapshot_running: dict[tuple[int, int, str], asyncio.Future] = {}


async def shared_snapshot(room: Room, language: str) -> str:
    """The room's current state in ``language``, rendered at most twice at a
    time per room and language."""
    loop = asyncio.get_running_loop()
    key = (id(loop), room.pk, language)
    waiting = _snapshot_waiting.get(key)
    if waiting is None:
        waiting = _snapshot_waiting[key] = loop.create_future()
        loop.create_task(_render_when_free(key, room, language, waiting))
    return await asyncio.shield(waiting)


async def _render_when_free(
    key, room: Room, language: str, result: asyncio.Future
) -> None:
    running = _snapshot_running.get(key)
    if running is not None:
        await asyncio.wait({running})
    # From here on, newcomers wait for a later render.
    if _snapshot_waiting.get(key) is result:
        del _snapshot_waiting[key]
    _snapshot_running[key] = result
    try:
        result.set_result(await _snapshot(room, language))
    except Exception as exc:  # noqa: BLE001 - handed to every waiting socket
        result.set_exception(exc)
    finally:
        if _snapshot_running.get(key) is result:
            del _snapshot_running[key]


class Heartbeat:
    """Every ``presence.HEARTBEAT`` seconds, touch the presence of every
    delegate's socket of this process, in one hop to a worker thread: one task
    per process instead of one per socket."""

    def __init__(self):
        self.present: set[tuple[int, int, str]] = set()
        self._task: asyncio.Task | None = None

    def keep(self, entry: tuple[int, int, str]) -> None:
        self.present.add(entry)
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._beat())

    def forget(self, entry: tuple[int, int, str]) -> None:
        self.present.discard(entry)

    async def _beat(self) -> None:
        while self.present:
            await asyncio.sleep(presence.HEARTBEAT)
            entries = list(self.present)
            try:
                await off_loop(presence.touch_all)(entries)
            except Exception:  # noqa: BLE001 - cache down: presence lapses, sockets stay
                log.warning("presence heartbeat failed", exc_info=True)


_heartbeats: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def heartbeat() -> Heartbeat:
    """This event loop's heartbeat (daphne: one per process)."""
    loop = asyncio.get_running_loop()
    if loop not in _heartbeats:
        _heartbeats[loop] = Heartbeat()
    return _heartbeats[loop]


class FragmentConsumer(AsyncWebsocketConsumer):
    """A socket that follows groups through this process's hub
    (``assembly.fanout``): pushes are written to it framed once per process;
    ``socket.close`` closes it.

    A socket follows its groups in one language, its screen's
    (``screen_language``): it joins ``realtime.localized(group, language)``.
    It has no channel-layer channel of its own (the hub has one per process)."""

    # No layer for the consumer itself: channels would give each socket its own
    # channel (a Redis subscription each) and a second receive task.
    channel_layer_alias = "samatcha-sockets-use-the-hub"

    groups_joined: tuple[str, ...] = ()
    # (room, partner, socket) while this is a delegate's socket counted present.
    _present: tuple[int, int, str] | None = None
    _ready = False
    _socket_id: str | None = None
    _pending: list | None = None

    @property
    def socket_id(self) -> str:
        """This socket's own name (presence counts sockets, not organisations):
        the hub leaves sockets without a layer channel to name them by."""
        if self._socket_id is None:
            self._socket_id = uuid.uuid4().hex
        return self._socket_id

    @property
    def language(self) -> str:
        if not hasattr(self, "_language"):
            self._language = screen_language(self.scope)
        return self._language

    def follow(self, group: str) -> str:
        """The group that carries ``group``'s pushes in this screen's language."""
        return realtime.localized(group, self.language)

    async def join(self, *groups: str) -> None:
        """Follow ``groups``; pushes wait until the state has been sent."""
        self.groups_joined = groups
        self._pending = []
        for group in groups:
            await fanout.hub().join(group, self)

    async def disconnect(self, code):
        self._ready, self._pending = False, None
        for group in self.groups_joined:
            await fanout.hub().leave(group, self)
        present, self._present = self._present, None
        if present is not None:
            heartbeat().forget(present)
            # This screen stops counting now, not when its heartbeat lapses.
            await off_loop(presence.leave)(*present)

    # --- What the hub calls --------------------------------------------------------

    async def hub_push(self, frame: fanout.Frame) -> None:
        if not self._ready:
            if self._pending is not None:
                self._pending.append(frame)
            return
        await self._write(frame)

    async def hub_close(self, code: int) -> None:
        await self.close(code=code)

    async def _write(self, frame: fanout.Frame) -> None:
        protocol = self.scope.get(fanout.SCOPE_KEY)
        if protocol is not None:
            fanout.write_prepared(protocol, frame)
        else:  # not under daphne (a test's communicator): the ASGI way
            await self.send(text_data=frame.html)

    async def _flush_pending(self) -> None:
        """Send what was pushed while the state was on its way, then go live."""
        while self._pending:
            await self._write(self._pending.pop(0))
        if self._pending is not None:  # (None: the socket closed meanwhile)
            self._ready = True

    async def receive(self, text_data=None, bytes_data=None):
        """Clients have nothing to say but pings; garbage or floods close them."""
        self._received = getattr(self, "_received", [])
        now = asyncio.get_running_loop().time()
        self._received = [t for t in self._received if now - t < 10] + [now]
        too_big = len(text_data or "") > MAX_CLIENT_MESSAGE or bytes_data
        if too_big or len(self._received) > MAX_CLIENT_MESSAGES_PER_10S:
            await self.close(code=CLOSE_ABUSE)
            return
        try:
            message = json.loads(text_data or "")
        except ValueError:
            await self.close(code=CLOSE_ABUSE)
            return
        if not isinstance(message, dict):
            await self.close(code=CLOSE_ABUSE)

    async def send_snapshot(self, room: Room) -> None:
        """The room's current state, then the pushes that arrived meanwhile."""
        try:
            html = await shared_snapshot(room, self.language)
            if html:
                await self.send(text_data=html)
        finally:
            await self._flush_pending()


class RoomConsumer(FragmentConsumer):
    """A delegate's, facilitator's or secretariat's socket on a room."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        room, partner_id = await _room_access(
            user, int(self.scope["url_route"]["kwargs"]["room_id"])
        )
        if room is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.room = room
        self.partner_id = partner_id
        groups = [self.follow(realtime.room_group(room.pk)), realtime.user_group(user.pk)]
        if partner_id is not None:
            # The organisation's own ballot status (voting.live.push_ballot).
            groups.append(self.follow(realtime.partner_group(room.pk, partner_id)))
        session_key = getattr(self.scope.get("session"), "session_key", None)
        if session_key:  # revoking the link that opened the session closes it
            groups.append(realtime.session_group(session_key))
        await self.join(*groups)
        await self.accept()
        if partner_id is not None:
            self._present = (room.pk, partner_id, self.socket_id)
            await off_loop(presence.touch)(*self._present)
            heartbeat().keep(self._present)
        await self.send_snapshot(room)


class ProjectorConsumer(FragmentConsumer):
    """The read-only projector screen, opened by its secret link."""

    async def connect(self):
        room = await _projector_room(self.scope["url_route"]["kwargs"]["token"])
        if room is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.join(self.follow(realtime.room_group(room.pk)))
        await self.accept()
        await self.send_snapshot(room)
