"""Fan-out: one subscription per group per process, a push framed once.

channels' own way gives every socket its own layer channel (with Redis, its own
subscription) which joins each group; every push is then queued on each socket's
channel, unpacked for each, dispatched through each consumer's receive loop and
encoded and framed for each. At 1,000 sockets a process did that work 1,000 times
per push.

Here each process (each event loop) keeps a ``Hub``: for every group, the set of
its own sockets that follow it, and ONE layer channel of the process in the
group. A push arrives once per process, is unpacked once, framed once (autobahn's
prepared message, under daphne) and written to each socket's transport. Sockets
have no layer channel of their own.

A socket joins before it is sent the room's state and is ``ready`` once it has
been; pushes arriving in between wait on it and follow the state, in order (a
render that started after the socket joined is current for it).

Messages on the hub's channel carry the group they were sent to (``realtime``
adds it): ``{"type": "fragments.push", "group": ..., "html": ...}`` or
``{"type": "socket.close", "group": ..., "code": ...}``.

A push marked ``"supersedes": True`` shows a whole state that replaces the last
one (a room's tally panel). Every process that takes ballots sends its own, so
a room served by two processes was sent twice as many as each process meant to
send, and each socket received them all. The hub hands a group at most one
such push per ``window`` (ten times what one push to the group's sockets here
costs, 100 ms to 1 s): one arriving sooner waits, a newer one replaces it, and
the one waiting is handed over when the window ends, or at once before any
other message to the group, so order holds and the last state always arrives.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import weakref
from typing import Protocol

from channels.layers import get_channel_layer

log = logging.getLogger("samatcha.realtime")

PUSH_TYPE = "fragments.push"
CLOSE_TYPE = "socket.close"
# Where config.asgi puts the server's WebSocket protocol object (daphne's, an
# autobahn protocol), when there is one, for writes that skip the ASGI hops.
SCOPE_KEY = "samatcha.websocket"
HUB_CHANNEL_PREFIX = "hub"
# A superseding push's window: FANOUT_SHARE times its cost, within these bounds.
MIN_WINDOW = 0.1
MAX_WINDOW = 1.0
FANOUT_SHARE = 10


def window_for(cost: float) -> float:
    """The least time between two superseding pushes to an audience whose pushes
    cost ``cost`` seconds of the event loop: at most about a tenth of the loop
    goes to them, and the rest to ballots."""
    return max(MIN_WINDOW, min(MAX_WINDOW, FANOUT_SHARE * cost))


class Follower(Protocol):
    """What the hub needs of a socket (``consumers.FragmentConsumer``)."""

    async def hub_push(self, frame: Frame) -> None: ...

    async def hub_close(self, code: int) -> None: ...


class Frame:
    """One push's HTML, encoded once and framed once per server factory."""

    __slots__ = ("html", "_payload", "_prepared")

    def __init__(self, html: str):
        self.html = html
        self._payload: bytes | None = None
        self._prepared: dict = {}

    @property
    def payload(self) -> bytes:
        if self._payload is None:
            self._payload = self.html.encode("utf-8")
        return self._payload

    def prepared_for(self, factory):
        """autobahn's prepared text message (frame built once) for ``factory``."""
        prepared = self._prepared.get(id(factory))
        if prepared is None:
            prepared = self._prepared[id(factory)] = factory.prepareMessage(
                self.payload, isBinary=False
            )
        return prepared


def server_websocket(send):
    """daphne's protocol object behind an ASGI ``send``, or None.

    daphne hands each connection ``functools.partial(server.handle_reply,
    protocol)``; its protocol is an autobahn ``WebSocketServerProtocol``, which
    can write a prepared (already framed) message. Any other server: None, and
    pushes go through ``send`` as ASGI messages."""
    if not isinstance(send, functools.partial) or not send.args:
        return None
    protocol = send.args[0]
    if hasattr(protocol, "sendPreparedMessage") and hasattr(protocol, "factory"):
        return protocol
    return None


def write_prepared(protocol, frame: Frame) -> bool:
    """Write ``frame`` on an open daphne WebSocket; False when it is not open."""
    if protocol.state != protocol.STATE_OPEN:
        return False
    protocol.sendPreparedMessage(frame.prepared_for(protocol.factory))
    return True


class ServerWebSocket:
    """ASGI middleware (outermost): notes daphne's protocol object in the scope."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket":
            scope = {**scope, SCOPE_KEY: server_websocket(send)}
        return await self.app(scope, receive, send)


class Hub:
    """The groups followed in one process, and their sockets here."""

    def __init__(self, layer):
        self.layer = layer
        self.members: dict[str, set[Follower]] = {}
        self._subscribed: set[str] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self._channel: str | None = None
        self._receiver: asyncio.Task | None = None
        self._channel_lock = asyncio.Lock()
        # Seconds the last pushes of each group took to reach its sockets here
        # (smoothed): what a push to that audience costs this event loop.
        self.cost: dict[str, float] = {}
        # Superseding pushes: the one waiting for its group's window, when the
        # last was handed over (loop time), and one hand-over at a time.
        self._held: dict[str, dict] = {}
        self._handed_at: dict[str, float] = {}
        self._handing: dict[str, asyncio.Lock] = {}

    async def join(self, group: str, follower: Follower) -> None:
        """Follow ``group``; on return this process receives its pushes."""
        self.members.setdefault(group, set()).add(follower)
        await self._settle(group)

    async def leave(self, group: str, follower: Follower) -> None:
        members = self.members.get(group)
        if members is None:
            return
        members.discard(follower)
        if not members:
            del self.members[group]
            self.cost.pop(group, None)
            self._held.pop(group, None)
            self._handed_at.pop(group, None)
            handing = self._handing.get(group)
            if handing is not None and not handing.locked():
                del self._handing[group]
            await self._settle(group)

    async def _channel_name(self) -> str:
        async with self._channel_lock:
            if self._channel is None:
                self._channel = await self.layer.new_channel(f"{HUB_CHANNEL_PREFIX}.")
                self._receiver = asyncio.ensure_future(self._receive_forever())
            return self._channel

    async def _settle(self, group: str) -> None:
        """Subscribe the process to ``group`` while it has members here, and
        unsubscribe when it has none; one change at a time per group, so a
        leave and a join racing end in the state the members call for."""
        lock = self._locks.setdefault(group, asyncio.Lock())
        async with lock:
            wanted = bool(self.members.get(group))
            if wanted and group not in self._subscribed:
                await self.layer.group_add(group, await self._channel_name())
                self._subscribed.add(group)
            elif not wanted and group in self._subscribed:
                self._subscribed.discard(group)
                await self.layer.group_discard(group, self._channel)

    async def _receive_forever(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self._channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a bad message must not stop the hub
                log.exception("receiving pushes failed")
                await asyncio.sleep(0.5)
                continue
            try:
                await self.deliver(message)
            except Exception:  # noqa: BLE001
                log.exception("delivering a push failed")

    def window(self, group: str) -> float:
        return window_for(self.cost.get(group, 0.0))

    async def deliver(self, message: dict) -> None:
        """Hand one message to every socket here that follows its group; a
        superseding push no sooner than its group's window allows."""
        group = message.get("group")
        if not self.members.get(group):
            return
        if not message.get("supersedes"):
            await self._release(group)  # what waits goes first: order holds
            await self._hand(group, message)
            return
        if group in self._held:  # one waits already: this newer state replaces it
            self._held[group] = message
            return
        loop = asyncio.get_running_loop()
        wait = self._handed_at.get(group, -1e9) + self.window(group) - loop.time()
        if wait > 0:
            self._held[group] = message
            loop.call_later(wait, self._release_later, loop, group)
            return
        await self._hand(group, message)

    def _release_later(self, loop, group: str) -> None:
        async def release() -> None:
            try:
                await self._release(group)
            except Exception:  # noqa: BLE001 - as in _receive_forever
                log.exception("delivering a push failed")

        loop.create_task(release())

    async def _release(self, group: str) -> None:
        """Hand over the superseding push waiting for ``group``, if any."""
        message = self._held.pop(group, None)
        if message is not None:
            await self._hand(group, message)

    async def _hand(self, group: str, message: dict) -> None:
        lock = self._handing.setdefault(group, asyncio.Lock())
        async with lock:
            members = self.members.get(group)
            if not members:
                return
            kind = message.get("type")
            if kind == PUSH_TYPE:
                if message.get("supersedes"):
                    self._handed_at[group] = asyncio.get_running_loop().time()
                started = time.perf_counter()
                frame = Frame(message["html"])
                for follower in list(members):
                    await follower.hub_push(frame)
                took = time.perf_counter() - started
                self.cost[group] = 0.5 * self.cost.get(group, took) + 0.5 * took
            elif kind == CLOSE_TYPE:
                for follower in list(members):
                    await follower.hub_close(message.get("code") or 4401)


_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def push_cost(group: str) -> float:
    """Seconds a push to ``group`` recently took this event loop to hand to its
    sockets here (0 when none of them is here, or outside a loop)."""
    try:
        found = _hubs.get(asyncio.get_running_loop())
    except RuntimeError:
        return 0.0
    return found.cost.get(group, 0.0) if found is not None else 0.0


def hub() -> Hub:
    """This event loop's hub (daphne: one per process)."""
    loop = asyncio.get_running_loop()
    found = _hubs.get(loop)
    if found is None:
        found = _hubs[loop] = Hub(get_channel_layer())
    return found
