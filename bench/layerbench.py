"""The embedded channel layers compared: one group of N sockets' channels.

For channels' ``InMemoryChannelLayer`` and our ``ThriftyInMemoryChannelLayer``:
the time of one ``group_send`` to N members, and of the whole fan-out (the send
plus every member receiving it, as N consumers would). No Django needed.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from channels.layers import InMemoryChannelLayer

from assembly.layers import ThriftyInMemoryChannelLayer


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def _measure(layer_class, members: int, rounds: int) -> dict:
    layer = layer_class(capacity=100)
    channels = [await layer.new_channel() for _ in range(members)]
    for ch in channels:
        await layer.group_add("room.1", ch)
    message = {
        "type": "fragments.push",
        "html": "<section id='vote-result'>" + "x" * 1500 + "</section>",
    }
    sends, fanouts = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await layer.group_send("room.1", message)
        t1 = time.perf_counter()
        # channels' layer sends through one task per member: let them run.
        await asyncio.sleep(0)
        for ch in channels:
            await layer.receive(ch)
        t2 = time.perf_counter()
        sends.append((t1 - t0) * 1000)
        fanouts.append((t2 - t0) * 1000)
    await layer.flush()
    return {
        "layer": layer_class.__name__,
        "members": members,
        "rounds": rounds,
        "group_send_ms_p50": round(statistics.median(sends), 2),
        "group_send_ms_max": round(max(sends), 2),
        "fanout_ms_p50": round(statistics.median(fanouts), 2),
        "fanout_ms_p99": round(_pct(fanouts, 99), 2),
    }


def run(members: int = 2000, rounds: int = 10) -> list[dict]:
    return [
        asyncio.run(_measure(cls, members, rounds))
        for cls in (InMemoryChannelLayer, ThriftyInMemoryChannelLayer)
    ]


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
