"""The embedded channel layer, fit for a few thousand sockets in one process.

channels' InMemoryChannelLayer scans every channel and group for expired
messages on every receive and every group send, so its cost grows with the
number of sockets; and it deep-copies a group message once per member and sends
through one task per member. This subclass scans at most once a second, copies
a group message once (consumers only read messages), and puts it on each queue
directly.
"""

import asyncio
import time
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer


class ThriftyInMemoryChannelLayer(InMemoryChannelLayer):
    clean_interval = 1.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._last_clean = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._last_clean < self.clean_interval:
            return
        self._last_clean = now
        super()._clean_expired()

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        members = self.groups.get(group)
        if not members:
            return
        item = (time.time() + self.expiry, deepcopy(message))
        for channel in list(members):
            queue = self.channels.setdefault(
                channel, asyncio.Queue(maxsize=self.get_capacity(channel))
            )
            try:
                queue.put_nowait(item)
            except (asyncio.QueueFull, ChannelFull):
                pass  # a stalled socket misses a push; it resyncs on reconnect

    async def flush(self):
        await super().flush()
        self._last_clean = 0.0
