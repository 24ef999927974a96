"""The projector: a read-only link per room, no sign-in, no controls."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agenda import selectors, services, speakers
from agenda.models import SpeakerRequest
from tests import factories

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def item(world):
    return factories.agenda_item(world)


def projector(room):
    return Client().get(reverse("agenda:projector", args=[room.projector_token]))


def test_the_link_works_without_sign_in_and_shows_no_controls(world, item):
    response = projector(item.room)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'ws-connect="/ws/projector/{item.room.projector_token}/?lang=' in html
    assert 'class="projector"' in html
    for control in ("<form", "<button", "<input", "<select", "<textarea"):
        assert control not in html
    assert 'id="vote-result"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_wrong_token_is_not_found(db):
    response = Client().get(reverse("agenda:projector", args=["not-a-token"]))
    assert response.status_code == 404


def test_the_plenary_has_its_projector(world):
    response = projector(world.plenary)
    assert response.status_code == 200
    assert 'id="speakers"' in response.content.decode()


def test_it_shows_the_clause_under_discussion_and_its_amendments(world, item):
    room = item.room
    clause = selectors.current_clauses(item)[1]
    services.item_set_current_clause(item=item, clause_key=clause.key,
                                     actor=world.facilitators[room.pk])
    delegate = world.delegate_of(world.partners_in(room)[0])
    services.amendment_submit(item=item, delegate=delegate, kind="replace",
                              target_key=clause.key, text=f"ข้อความใหม่ {SCRIPT}")
    html = projector(room).content.decode()
    assert 'class="draft has-current"' in html
    assert f'id="clause-{clause.key}" aria-current="true"' in html
    assert "amendment card is-submitted is-pending on-current" in html
    assert "<ins>" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_it_shows_the_speaker_and_the_servers_remaining_time(world, item):
    room = item.room
    delegate = world.delegate_of(world.partners_in(room)[0])
    speakers.speaker_request(room=room, delegate=delegate)
    turn = speakers.speaker_call_next(room=room, actor=world.facilitators[room.pk])
    SpeakerRequest.objects.filter(pk=turn.pk).update(
        started_at=timezone.now() - timedelta(seconds=61)
    )
    html = projector(room).content.decode()
    assert delegate.name_en in html or delegate.name_th in html
    assert "data-ends-at=" in html
    assert ">1:59<" in html or ">1:58<" in html


def test_the_plenary_screens_show_every_items_state(world, item):
    services.item_agree(item=item, actor=world.facilitators[item.room.pk])
    html = projector(world.plenary).content.decode()
    assert 'class="plenary-items"' in html
    assert '<span class="badge ok">' in html
