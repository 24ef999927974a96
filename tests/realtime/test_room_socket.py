import pytest

from assembly import realtime
from tests import factories
from tests.ws import connect, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


async def test_delegate_of_the_room_connects_and_receives_a_push():
    w = await factories_world()
    room = w.rooms[0]
    delegate = w.delegate_of(w.partners_in(room)[0])
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert accepted
    await comm.receive_nothing(timeout=0.3) or await comm.receive_from()
    await _send(realtime.room_group(room.pk), '<div id="probe">hello room</div>')
    assert "hello room" in await receive_until(comm, "probe")
    await comm.disconnect()


async def test_anonymous_socket_is_closed_with_4403():
    w = await factories_world()
    comm, accepted, code = await connect(f"/ws/rooms/{w.rooms[0].pk}/")
    assert not accepted and code == 4403


async def test_delegate_of_another_room_is_refused():
    w = await factories_world()
    other = w.delegate_of(w.partners_in(w.rooms[1])[0])
    comm, accepted, code = await connect(f"/ws/rooms/{w.rooms[0].pk}/", user=other.user)
    assert not accepted and code == 4403


async def test_foreign_origin_is_refused():
    w = await factories_world()
    delegate = w.delegate_of(w.partners_in(w.rooms[0])[0])
    comm, accepted, _ = await connect(
        f"/ws/rooms/{w.rooms[0].pk}/", user=delegate.user, origin="http://evil.example"
    )
    assert not accepted


async def test_projector_link_needs_no_sign_in_but_a_valid_token():
    w = await factories_world()
    comm, accepted, _ = await connect(f"/ws/projector/{w.rooms[0].projector_token}/")
    assert accepted
    await comm.disconnect()
    comm, accepted, code = await connect("/ws/projector/not-a-token/")
    assert not accepted and code == 4403


async def factories_world():
    from channels.db import database_sync_to_async

    return await database_sync_to_async(factories.world)()


async def _send(group, html):
    await realtime.push_async(group, lambda: html)
