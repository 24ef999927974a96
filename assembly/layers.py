"""The embedded channel layer, fit for a few thousand sockets in one process.

channels' InMemoryChannelLayer scans every channel and group for expired
messages on every receive and every group send, so its cost grows with the
number of sockets; it deep-copies a group message once per member, sends
through one task per member, and drops a channel's queue whenever it empties
(so every push builds one queue per member again). This subclass scans at most
once a second, copies a group message once (consumers only read messages), puts
it on each queue directly, and keeps a queue while its consumer waits on it.
Measured in docs/benchmarks.md (``bench/layerbench.py``).
"""

import asyncio
import time
import weakref
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer


class ThriftyInMemoryChannelLayer(InMemoryChannelLayer):
    clean_interval = 1.0
    # A process's hub (assembly.fanout) receives every push of the process on
    # one channel: it must not drop them as a single socket's channel may.
    hub_capacity = 10_000

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._last_clean = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._last_clean < self.clean_interval:
            return
        self._last_clean = now
        super()._clean_expired()

    def get_capacity(self, channel):
        if channel.startswith("hub."):
            return self.hub_capacity
        return super().get_capacity(channel)

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        item = (time.time() + self.expiry, deepcopy(message))
        channels = self.channels
        for channel in list(members):
            queue = channels.get(channel)
            if queue is None:  # (not setdefault: that builds a queue per member)
                queue = channels[channel] = asyncio.Queue(
                    maxsize=self.get_capacity(channel)
                )
            try:
                queue.put_nowait(item)
            except (asyncio.QueueFull, ChannelFull):
                pass  # a stalled socket misses a push; it resyncs on reconnect

    async def receive(self, channel):
        """As channels' receive, but a live consumer keeps its queue between
        messages: channels drops an emptied queue after every message, so each
        group send had to build one ``asyncio.Queue`` per member again. The
        queue goes when its consumer stops waiting (cancelled: socket closed)."""
        self.require_valid_channel_name(channel)
        self._clean_expired()
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(
                maxsize=self.get_capacity(channel)
            )
        try:
            _, message = await queue.get()
        except BaseException:
            if queue.empty() and self.channels.get(channel) is queue:
                del self.channels[channel]
            raise
        return message

    async def flush(self):
        await super().flush()
        self._last_clean = 0.0


# --- Who follows a group? ---------------------------------------------------------


def groups_listened_now(layer, groups: list[str]) -> set[str] | None:
    """The groups of ``groups`` with a member, when the layer can tell without
    waiting (the embedded layer: one process holds every socket); else None."""
    if isinstance(layer, InMemoryChannelLayer):
        return {g for g in groups if layer.groups.get(g)}
    return None


async def groups_listened(layer, groups: list[str]) -> set[str] | None:
    """The groups of ``groups`` that some process has a member of; None when
    the layer cannot tell (then a push is rendered for every language).

    Asked of the layer once per turn of the event loop for every push that
    asks in that turn: the pushes a burst held back are released together,
    and asking for each (a round trip to Redis, a connection of the pool each
    while they overlap) cost more than rendering one of them."""
    known = groups_listened_now(layer, groups)
    if known is not None:
        return known
    if getattr(layer, "groups_listened", None) is None:
        return None
    loop = asyncio.get_running_loop()
    asks = _asks.setdefault(loop, {})
    ask = asks.get(layer)
    if ask is None:
        ask = asks[layer] = _Ask(loop)
        loop.call_soon(_ask_now, loop, layer, ask)
    ask.groups.update(groups)
    listened = await asyncio.shield(ask.answer)
    return listened.intersection(groups)


class _Ask:
    """The groups asked about in one turn of an event loop, and the answer."""

    __slots__ = ("groups", "answer")

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.groups: set[str] = set()
        self.answer: asyncio.Future = loop.create_future()


# Per event loop: {layer: the ask being gathered in this turn}.
_asks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _ask_now(loop: asyncio.AbstractEventLoop, layer, ask: _Ask) -> None:
    del _asks[loop][layer]  # later asks gather in a new turn

    async def answer() -> None:
        try:
            listened = await layer.groups_listened(sorted(ask.groups))
        except Exception as exc:  # noqa: BLE001 - each asker decides
            ask.answer.set_exception(exc)
        else:
            ask.answer.set_result(listened)

    loop.create_task(answer())


# --- Is the layer taking pushes? -------------------------------------------------
# When this process last failed and last succeeded to hand a group message to the
# layer (time.monotonic()). Live updates count as paused while the last attempt
# failed; see assembly.middleware.LiveStatusMiddleware.
_push_status = {"failed": 0.0, "succeeded": 0.0}


def note_push(ok: bool) -> None:
    _push_status["succeeded" if ok else "failed"] = time.monotonic()


def live_paused() -> bool:
    """True while this process's last group send failed (Redis down)."""
    return _push_status["failed"] > _push_status["succeeded"]


try:
    from channels_redis.pubsub import RedisPubSubChannelLayer, _async_proxy
except ImportError:  # pragma: no cover - channels_redis is in requirements
    RedisPubSubChannelLayer = None

if RedisPubSubChannelLayer is not None:

    class ObservedRedisPubSubChannelLayer(RedisPubSubChannelLayer):
        """channels_redis's pub/sub layer that notes whether group sends reach
        Redis, whoever sends them (``realtime.send``, an app's coalescer)."""

        async def group_send(self, group, message):
            try:
                await _async_proxy(self, "group_send", group, message)
            except Exception:
                note_push(False)
                raise
            note_push(True)

        async def groups_listened(self, groups: list[str]) -> set[str]:
            """The groups some process subscribes to (Redis PUBSUB NUMSUB: one
            round trip per shard, far cheaper than rendering for nobody)."""
            layer = self._get_layer()
            by_shard: dict = {}
            for group in groups:
                name = layer._get_group_channel_name(group)
                by_shard.setdefault(layer._get_shard(name), {})[name] = group
            listened = set()
            for shard, names in by_shard.items():
                shard._ensure_redis()
                counts = await shard._redis.pubsub_numsub(*names)
                for name, count in counts:
                    if isinstance(name, bytes):
                        name = name.decode()
                    if count:
                        listened.add(names[name])
            return listened
