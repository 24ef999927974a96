"""Bulk writes by a delegate (issue 11, item 12): an organisation may keep a
bounded number of amendments waiting on an item, and a change to one amendment
pushes that amendment alone, not the whole list, to every open screen.

The review posted 60 maximum-size amendments: the room page grew to 492 KB and
was re-pushed whole to every socket on each change.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from agenda import selectors, services
from agenda.models import TEXT_MAX, Amendment, RATIONALE_MAX
from agenda.services.amendments import PENDING_PER_ORGANISATION
from tests import factories
from tests.ws import connect, drain, receive_until
from tests.readable import readable


def long_text(n: int) -> str:
    """A maximum-size amendment text, different for each n (Thai, with spaces)."""
    word = f"ข้อเสนอที่{n} "
    return (word * (TEXT_MAX // len(word) + 1))[: TEXT_MAX - 1].strip()


def submit(item, delegate, n: int):
    key = selectors.current_clauses(item)[0].key
    return services.amendment_submit(
        item=item, delegate=delegate, kind="replace", target_key=key,
        text=long_text(n), rationale=("เหตุผล " * RATIONALE_MAX)[:RATIONALE_MAX],
    )


@pytest.mark.django_db
def test_an_organisation_may_keep_only_so_many_amendments_waiting_on_an_item(world):
    item = factories.agenda_item(world)
    delegate = world.delegate_of(world.partners_in(item.room)[0])
    for n in range(PENDING_PER_ORGANISATION):
        submit(item, delegate, n)
    url = reverse("agenda:amendment_submit", args=[item.room.pk])
    client = Client()
    client.force_login(delegate.user)
    key = selectors.current_clauses(item)[0].key
    response = client.post(
        url, {"kind": "replace", "target_key": key, "text": "อีกหนึ่งข้อเสนอ"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    html = readable(response)
    assert 'role="alert"' in html and "รอการพิจารณา" in html
    pending = Amendment.objects.filter(item=item, partner=delegate.partner)
    assert pending.count() == PENDING_PER_ORGANISATION
    # Another organisation of the room is not concerned ...
    other = world.delegate_of(world.partners_in(item.room)[1])
    submit(item, other, 99)
    # ... and once one is withdrawn, the first may propose again.
    services.amendment_withdraw(amendment=pending.first(), delegate=delegate)
    response = client.post(
        url, {"kind": "replace", "target_key": key, "text": "อีกหนึ่งข้อเสนอ"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert pending.filter(status__in=Amendment.PENDING).count() == (
        PENDING_PER_ORGANISATION
    )


@database_sync_to_async
def a_room_full_of_long_amendments():
    world = factories.world(partners=6, rooms=1)
    item = factories.agenda_item(world)
    delegates = [world.delegate_of(p) for p in world.partners_in(item.room)[:3]]
    made = [
        submit(item, d, i * 100 + n)
        for i, d in enumerate(delegates)
        for n in range(PENDING_PER_ORGANISATION)
    ]
    return world, item, delegates, made


@pytest.mark.django_db(transaction=True)
async def test_a_change_to_one_amendment_pushes_that_amendment_alone():
    world, item, delegates, made = await a_room_full_of_long_amendments()
    room = item.room
    comm, accepted, _ = await connect(
        f"/ws/rooms/{room.pk}/", user=world.facilitators[room.pk]
    )
    assert accepted
    # The snapshot: thirty long amendments (their diffs take a while to render).
    snapshot = await receive_until(comm, 'id="amendments"', timeout=60)
    snapshot += "".join(await drain(comm, timeout=1))
    assert len(snapshot.encode()) > 300_000

    # One withdrawn: its row is replaced, nothing else of the list is sent.
    target = made[4]
    await database_sync_to_async(services.amendment_withdraw)(
        amendment=target, delegate=delegates[0]
    )
    pushed = await receive_until(comm, f'id="amendment-{target.pk}"', timeout=30)
    assert len(pushed.encode()) < 40_000
    assert 'id="amendments"' not in pushed  # not the whole list
    others = [a.pk for a in made if a.pk != target.pk]
    assert not any(f'id="amendment-{pk}"' in pushed for pk in others)
    assert "is-withdrawn" in pushed  # the row shows its new state

    # A new one from another organisation: its row, to be appended.
    other = world.delegate_of(world.partners_in(room)[4])
    new = await database_sync_to_async(submit)(item, other, 999)
    pushed = await receive_until(comm, f'id="amendment-{new.pk}"', timeout=30)
    assert 'data-append-to="amendment-list"' in pushed
    assert len(pushed.encode()) < 40_000
    await comm.disconnect()
