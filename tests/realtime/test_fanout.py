"""Fan-out through each process's hub (assembly/fanout.py): one subscription per
group per process, pushes framed once, and never ahead of the state a socket is
sent when it connects."""

from __future__ import annotations

import asyncio
import functools
import threading

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from assembly import fanout, realtime
from tests import factories
from tests.ws import connect

pytestmark = pytest.mark.django_db(transaction=True)


async def world():
    return await database_sync_to_async(factories.world)()


async def members(layer, group: str) -> int:
    """How many subscriptions the layer holds for ``group``: the embedded layer's
    own table, or Redis's count of subscribers to the group's pub/sub channel."""
    if hasattr(layer, "groups_listened"):  # Redis pub/sub (assembly.layers)
        inner = layer._get_layer()
        name = inner._get_group_channel_name(group)
        shard = inner._get_shard(name)
        shard._ensure_redis()
        [(_name, count)] = await shard._redis.pubsub_numsub(name)
        return count
    return len(layer.groups.get(group, {}))


async def test_a_process_follows_each_group_once_whatever_its_sockets():
    w = await world()
    room = w.rooms[0]
    layer = get_channel_layer()
    thai, english = (
        realtime.localized(realtime.room_group(room.pk), lang) for lang in ("th", "en")
    )
    sockets = []
    for partner in w.partners_in(room):
        comm, accepted, _ = await connect(
            f"/ws/rooms/{room.pk}/", user=w.delegate_of(partner).user
        )
        assert accepted
        sockets.append(comm)
    comm, accepted, _ = await connect(f"/ws/projector/{room.projector_token}/?lang=en")
    assert accepted
    sockets.append(comm)
    for comm in sockets:
        await comm.receive_from(timeout=15)
    assert len(sockets) >= 3
    # One layer member (this process's hub) per language group, not one per socket.
    assert await members(layer, thai) == 1 and await members(layer, english) == 1
    await realtime.push_async(realtime.room_group(room.pk), lambda: "<p id='x'>1</p>")
    for comm in sockets:
        assert "id='x'" in await comm.receive_from(timeout=5)
    for comm in sockets:
        await comm.disconnect()
    # The last socket gone, the process stops following the groups.
    assert await members(layer, thai) == 0 and await members(layer, english) == 0
    assert await realtime.listening_async(realtime.room_group(room.pk)) == []


async def test_pushes_during_the_state_render_arrive_after_the_state_in_order():
    """A socket joins, its state renders slowly; pushes meanwhile wait, then follow."""
    w = await world()
    room = w.rooms[0]
    rendering, release = threading.Event(), threading.Event()

    def slow_part(r):
        rendering.set()
        assert release.wait(10)
        return '<div id="state">the state</div>'

    saved = list(realtime._room_snapshot_parts)
    realtime._room_snapshot_parts[:] = [slow_part]
    try:
        comm, accepted, _ = await connect(
            f"/ws/rooms/{room.pk}/", user=w.delegates[0].user
        )
        assert accepted
        assert await asyncio.to_thread(rendering.wait, 10)
        group = realtime.room_group(room.pk)
        for n in (1, 2):
            await realtime.push_async(group, lambda n=n: f'<p id="push">{n}</p>')
        assert await comm.receive_nothing(timeout=0.2)  # nothing before the state
        release.set()
        received = [await comm.receive_from(timeout=10) for _ in range(3)]
        assert received == [
            '<div id="state">the state</div>',
            '<p id="push">1</p>',
            '<p id="push">2</p>',
        ]
        await comm.disconnect()
    finally:
        release.set()
        realtime._room_snapshot_parts[:] = saved


def test_under_daphne_the_hub_finds_the_socket_to_write_framed_pushes_to():
    from daphne.server import Server
    from daphne.ws_protocol import WebSocketFactory

    server = Server(application=None, endpoints=["tcp:port=0:interface=127.0.0.1"])
    protocol = WebSocketFactory(server, protocols=None).buildProtocol(None)
    # daphne hands each connection partial(server.handle_reply, protocol).
    assert fanout.server_websocket(
        functools.partial(server.handle_reply, protocol)
    ) is (protocol)

    async def other_server_send(message):
        pass

    assert fanout.server_websocket(other_server_send) is None
    assert fanout.server_websocket(functools.partial(other_server_send)) is None
    frame = fanout.Frame("<p>ข้อ 1</p>")
    prepared = frame.prepared_for(protocol.factory)
    assert frame.prepared_for(protocol.factory) is prepared  # framed once
    # A text frame (FIN + opcode 1), unmasked, the UTF-8 payload as it is.
    assert prepared.payloadHybi[0] == 0x81
    assert prepared.payloadHybi.endswith("<p>ข้อ 1</p>".encode())


async def test_a_room_gets_one_tally_per_window_however_many_processes_send():
    """Every process that takes ballots sends the room its own tally; each
    process's hub hands its sockets at most one per window (ten times what a
    push to them costs). One sent sooner waits and a newer one replaces it; the
    last always arrives, and any other push to the room goes out behind it."""
    w = await world()
    room = w.rooms[0]
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=w.delegates[0].user)
    assert accepted
    await comm.receive_from(timeout=15)  # the state
    group = realtime.room_group(room.pk)
    thai = realtime.localized(group, "th")
    hub = fanout.hub()

    def costly() -> None:  # as for a thousand screens: a window of a second
        hub.cost[thai] = 0.1  # (each hand-over here measures itself anew)

    async def tally(n: int) -> None:  # as each process's flush sends it
        await realtime.push_async(group, lambda: f'<p id="tally">{n}</p>',
                                  supersedes=True)

    await tally(1)
    first = await comm.receive_from(timeout=5)
    handed = asyncio.get_running_loop().time()
    costly()
    await tally(2)  # the other process, 0 ms later
    await tally(3)
    assert await comm.receive_nothing(timeout=0.2)
    assert await comm.receive_from(timeout=5) == '<p id="tally">3</p>'
    waited = asyncio.get_running_loop().time() - handed
    assert first == '<p id="tally">1</p>' and waited >= 0.95
    # A tally waiting, then another kind of push: both, in the order sent.
    costly()
    await tally(4)
    await realtime.push_async(group, lambda: '<p id="speakers">next</p>')
    assert [await comm.receive_from(timeout=5) for _ in range(2)] == [
        '<p id="tally">4</p>', '<p id="speakers">next</p>']
    assert await comm.receive_nothing(timeout=0.7)  # nothing doubled
    await comm.disconnect()


async def test_pushes_asking_who_follows_in_the_same_turn_ask_redis_once(monkeypatch):
    """The statuses a burst held back are released together: they ask Redis who
    follows their groups in one round trip, and each gets its own answer, as it
    stands when asked (assembly.layers.groups_listened)."""
    layer = get_channel_layer()
    if not hasattr(layer, "groups_listened"):
        pytest.skip("needs REDIS_URL (the PostgreSQL + Redis run of .ci/run); the "
                    "embedded layer knows its groups without asking")
    w = await world()
    followed, unfollowed = w.rooms[0], w.rooms[1]
    partner = w.partners_in(followed)[0]
    comm, accepted, _ = await connect(
        f"/ws/rooms/{followed.pk}/", user=w.delegate_of(partner).user
    )
    assert accepted
    await comm.receive_from(timeout=15)
    asked = []
    real = layer.groups_listened

    async def counted(groups):
        asked.append(sorted(groups))
        return await real(groups)

    monkeypatch.setattr(layer, "groups_listened", counted)
    groups = [realtime.room_group(followed.pk), realtime.room_group(unfollowed.pk),
              realtime.partner_group(followed.pk, partner.pk)]
    answers = await asyncio.gather(*(realtime.listening_async(g) for g in groups))
    assert len(asked) == 1 and len(asked[0]) == 2 * len(groups), asked
    assert answers == [["th"], [], ["th"]]
    # A screen opening later is known to the next ask: nothing is remembered.
    projector, accepted, _ = await connect(
        f"/ws/projector/{unfollowed.projector_token}/?lang=en"
    )
    assert accepted
    await projector.receive_from(timeout=15)
    assert await realtime.listening_async(groups[1]) == ["en"]
    assert len(asked) == 2
    for socket in (comm, projector):
        await socket.disconnect()
