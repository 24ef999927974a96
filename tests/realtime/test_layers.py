"""The embedded channel layer: what the consumers rely on, at any size."""

import asyncio

import pytest

from assembly.layers import ThriftyInMemoryChannelLayer


@pytest.fixture
def layer():
    return ThriftyInMemoryChannelLayer(capacity=3)


async def test_a_group_send_reaches_every_member_once(layer):
    channels = [await layer.new_channel() for _ in range(50)]
    for ch in channels:
        await layer.group_add("room.1", ch)
    await layer.group_send("room.1", {"type": "fragments.push", "html": "<p>1</p>"})
    for ch in channels:
        assert (await asyncio.wait_for(layer.receive(ch), 1))["html"] == "<p>1</p>"
    for ch in channels:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(layer.receive(ch), 0.01)


async def test_a_stalled_member_misses_pushes_without_stopping_the_others(layer):
    stalled, live = await layer.new_channel(), await layer.new_channel()
    for ch in (stalled, live):
        await layer.group_add("room.1", ch)
    for n in range(5):  # capacity 3: the stalled queue fills up
        await layer.group_send("room.1", {"type": "fragments.push", "html": str(n)})
        assert (await layer.receive(live))["html"] == str(n)
    got = [(await layer.receive(stalled))["html"] for _ in range(3)]
    assert got == ["0", "1", "2"]


async def test_a_closed_sockets_queue_is_dropped(layer):
    ch = await layer.new_channel()
    await layer.group_add("room.1", ch)
    waiting = asyncio.ensure_future(layer.receive(ch))
    await asyncio.sleep(0)
    assert ch in layer.channels
    waiting.cancel()  # the consumer stops: its socket closed
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert ch not in layer.channels
    await layer.group_discard("room.1", ch)
    await layer.group_send("room.1", {"type": "fragments.push", "html": "x"})
    assert ch not in layer.channels


async def test_members_keep_their_queue_between_pushes(layer):
    ch = await layer.new_channel()
    await layer.group_add("room.1", ch)
    await layer.group_send("room.1", {"type": "fragments.push", "html": "a"})
    queue = layer.channels[ch]
    await layer.receive(ch)
    await layer.group_send("room.1", {"type": "fragments.push", "html": "b"})
    assert layer.channels[ch] is queue


def test_the_expiry_scan_runs_at_most_once_a_second(layer, monkeypatch):
    scans = []
    monkeypatch.setattr(
        ThriftyInMemoryChannelLayer.__mro__[1],
        "_clean_expired",
        lambda self: scans.append(1),
    )
    for _ in range(100):
        layer._clean_expired()
    assert len(scans) == 1
