"""Sockets that follow a room. Subscribe-only: they authenticate, join groups,
send the current state and relay pushes. They never write to the database."""

from __future__ import annotations

import asyncio
import json
import logging
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from assembly import presence, realtime
from assembly.models import Room

log = logging.getLogger("samatcha.realtime")

CLOSE_FORBIDDEN = 4403
CLOSE_SIGNED_OUT = 4401
CLOSE_ABUSE = 4408
MAX_CLIENT_MESSAGE = 2048
MAX_CLIENT_MESSAGES_PER_10S = 50


@database_sync_to_async
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


@database_sync_to_async
def _projector_room(token: str):
    return Room.objects.filter(projector_token=token).first()


@database_sync_to_async
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


class FragmentConsumer(AsyncWebsocketConsumer):
    """Relays ``fragments.push`` messages; closes on ``socket.close``.

    A socket follows its groups in one language, its screen's
    (``screen_language``): it joins ``realtime.localized(group, language)``."""

    groups_joined: list[str]

    @property
    def language(self) -> str:
        if not hasattr(self, "_language"):
            self._language = screen_language(self.scope)
        return self._language

    def follow(self, group: str) -> str:
        """The group that carries ``group``'s pushes in this screen's language."""
        return realtime.localized(group, self.language)

    async def join(self, *groups: str) -> None:
        self.groups_joined = list(groups)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        task = getattr(self, "_heartbeat", None)
        if task is not None:
            task.cancel()
            # This screen stops counting now, not when its heartbeat lapses.
            await database_sync_to_async(presence.leave)(
                self.room.pk, self.partner_id, self.channel_name
            )

    async def fragments_push(self, event):
        await self.send(text_data=event["html"])

    async def socket_close(self, event):
        await self.close(code=event.get("code", CLOSE_SIGNED_OUT))

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
        html = await shared_snapshot(room, self.language)
        if html:
            await self.send(text_data=html)


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
            await database_sync_to_async(presence.touch)(
                room.pk, partner_id, self.channel_name
            )
            self._heartbeat = asyncio.ensure_future(self._keep_present())
        await self.send_snapshot(room)

    async def _keep_present(self):
        while True:
            await asyncio.sleep(presence.HEARTBEAT)
            try:
                await database_sync_to_async(presence.touch)(
                    self.room.pk, self.partner_id, self.channel_name
                )
            except Exception:  # noqa: BLE001 - cache down: presence lapses, socket stays
                log.warning("presence heartbeat failed", exc_info=True)


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
