"""Live rooms over real sockets: HTTP writes, WebSocket pushes, and the state a
(re)connecting screen is sent first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agenda import selectors, services, speakers
from agenda.models import Amendment, SpeakerRequest
from tests import factories
from tests.ws import connect, drain, receive_until
from tests.readable import readable

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = '<script>alert("x")</script>'


@database_sync_to_async
def setting_up():
    w = factories.world()
    item = factories.agenda_item(w)
    room = item.room
    delegate = w.delegate_of(w.partners_in(room)[0])
    return w, item, room, delegate


@database_sync_to_async
def post_as(user, path, data):
    client = Client()
    client.force_login(user)
    return client.post(path, data, HTTP_HX_REQUEST="true")


@database_sync_to_async
def first_key(item):
    return selectors.current_clauses(item)[0].key


async def test_an_amendment_submitted_over_http_arrives_on_a_connected_room_socket():
    w, item, room, delegate = await setting_up()
    facilitator = w.facilitators[room.pk]
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=facilitator)
    assert accepted
    await drain(comm)  # the snapshot
    key = await first_key(item)
    response = await post_as(
        delegate.user, reverse("agenda:amendment_submit", args=[room.pk]),
        {"kind": "replace", "target_key": key, "text": f"ข้อความใหม่ {SCRIPT}",
         "rationale": "เหตุผลของเรา"},
    )
    assert response.status_code == 200
    # The new amendment's row alone, to be appended to the list.
    message = await receive_until(comm, 'data-append-to="amendment-list"')
    assert 'hx-swap-oob="true"' in message
    assert "เหตุผลของเรา" in readable(message)
    assert "<ins>" in message
    # HTML typed into the amendment is pushed as text
    assert SCRIPT not in message and "&lt;script&gt;" in message
    # a small trigger makes each console fetch its own controls
    assert 'hx-target="#amendment-queue"' in message
    assert await database_sync_to_async(Amendment.objects.count)() == 1
    await comm.disconnect()


async def test_a_refused_amendment_pushes_nothing():
    w, item, room, delegate = await setting_up()
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert accepted
    await drain(comm)
    response = await post_as(
        delegate.user, reverse("agenda:amendment_submit", args=[room.pk]),
        {"kind": "replace", "target_key": await first_key(item), "text": ""},
    )
    assert response.status_code == 422
    assert await comm.receive_nothing(timeout=0.5)
    await comm.disconnect()


async def test_a_reconnecting_socket_receives_the_current_state():
    w, item, room, delegate = await setting_up()
    facilitator = w.facilitators[room.pk]

    @database_sync_to_async
    def meanwhile():
        key = selectors.current_clauses(item)[1].key
        services.item_set_current_clause(item=item, clause_key=key, actor=facilitator)
        services.amendment_submit(item=item, delegate=delegate, kind="delete",
                                  target_key=key, rationale="ซ้ำซ้อน")
        speakers.speaker_request(room=room, delegate=delegate)
        turn = speakers.speaker_call_next(room=room, actor=facilitator)
        # the screen was away for 100 s of a 3-minute turn
        SpeakerRequest.objects.filter(pk=turn.pk).update(
            started_at=timezone.now() - timedelta(seconds=100)
        )
        return key

    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert accepted
    await drain(comm)
    await comm.disconnect()
    key = await meanwhile()
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert accepted
    snapshot = "".join(await drain(comm, timeout=0.5))
    assert f'id="clause-{key}" aria-current="true"' in snapshot
    assert "ซ้ำซ้อน" in readable(snapshot)
    assert delegate.name_th in snapshot
    assert "data-ends-at=" in snapshot
    assert ">1:20<" in snapshot or ">1:19<" in snapshot
    await comm.disconnect()


async def test_the_projector_socket_follows_the_speaker_list():
    w, item, room, delegate = await setting_up()
    comm, accepted, _ = await connect(f"/ws/projector/{room.projector_token}/")
    assert accepted
    snapshot = "".join(await drain(comm))
    assert 'id="draft"' in snapshot and 'id="speakers"' in snapshot
    response = await post_as(delegate.user, reverse("agenda:speak", args=[room.pk]), {})
    assert response.status_code == 200
    message = await receive_until(comm, 'id="speakers"')
    assert delegate.name_th in message
    await comm.disconnect()


async def test_calling_the_next_speaker_pushes_the_servers_end_time():
    w, item, room, delegate = await setting_up()
    facilitator = w.facilitators[room.pk]
    await database_sync_to_async(speakers.speaker_request)(room=room, delegate=delegate)
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert accepted
    await drain(comm)
    response = await post_as(
        facilitator, reverse("agenda:speaker_next", args=[room.pk]), {"minutes": "3"}
    )
    assert response.status_code == 200
    message = await receive_until(comm, "data-ends-at")
    queue = await database_sync_to_async(speakers.speaker_list)(room)
    assert queue.ends_at == queue.speaking.started_at + timedelta(seconds=180)
    assert f'data-ends-at="{queue.ends_at_iso}"' in message
    assert 'hx-target="#speak-controls"' in message
    await comm.disconnect()


async def test_the_clause_under_discussion_set_on_the_console_reaches_the_phones():
    w, item, room, delegate = await setting_up()
    facilitator = w.facilitators[room.pk]
    comm, accepted, _ = await connect(f"/ws/rooms/{room.pk}/", user=delegate.user)
    assert accepted
    await drain(comm)
    key = await first_key(item)
    response = await post_as(
        facilitator, reverse("agenda:clause_set", args=[room.pk]), {"clause_key": key}
    )
    assert response.status_code == 200
    message = await receive_until(comm, 'aria-current="true"')
    assert f'id="clause-{key}" aria-current="true"' in message
    await comm.disconnect()


async def test_an_agreed_item_updates_its_room_and_the_plenary():
    w, item, room, delegate = await setting_up()
    facilitator = w.facilitators[room.pk]
    comm, accepted, _ = await connect(f"/ws/rooms/{w.plenary.pk}/", user=w.secretariat)
    assert accepted
    await drain(comm)
    response = await post_as(facilitator, reverse("agenda:item_agree", args=[room.pk]),
                             {})
    assert response.status_code == 200
    # The agreed state, not a connect snapshot that a busy machine sent late.
    message = await receive_until(comm, '<span class="badge ok">')
    assert 'id="item-state"' in message and 'class="plenary-items"' in message
    await comm.disconnect()
