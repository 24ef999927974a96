"""Delegates without a phone (issue 13): the facilitator records an
organisation's paper or show-of-hands ballot, marked as recorded by them and
audited (in a secret poll only the fact)."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from assembly.models import AuditEvent, Delegate
from voting import services
from voting.models import Ballot, BallotEvent, Poll, SecretChoice
from tests.readable import readable

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def client_for(user, language="en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


@pytest.fixture
def facilitator(world, room):
    return world.facilitators[room.pk]


def open_poll(world, room, **options) -> Poll:
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor,
                                **options)
    return services.poll_open(poll=poll, actor=actor)


def record_url(poll):
    return reverse("voting:ballot_record", args=[poll.pk])


def test_the_facilitator_records_a_paper_ballot_marked_as_theirs(
    world, room, item, present, facilitator
):
    poll = open_poll(world, room)
    partner = world.partners_in(room)[1]
    cast = services.ballot_record(poll=poll, partner=partner, actor=facilitator,
                                  choice="concerns", reason="ต้องมีงบประมาณ")
    assert cast.changed
    ballot = Ballot.objects.get(poll=poll)
    assert (ballot.partner, ballot.choice, ballot.cast_by, ballot.recorded_by) == (
        partner, "concerns", None, facilitator
    )
    event = BallotEvent.objects.get(poll=poll)
    assert (event.delegate, event.recorded_by, event.action) == (
        None, facilitator, "cast"
    )
    audit = AuditEvent.objects.get(kind=AuditEvent.Kind.BALLOT_RECORDED)
    assert audit.actor == facilitator
    assert audit.detail == {"poll": poll.pk, "partner": partner.pk,
                            "choice": "concerns"}
    # The organisation's phone replaces it later: one ballot, the last counts.
    services.ballot_cast(poll=poll, delegate=world.delegate_of(partner),
                         choice="full")
    ballot.refresh_from_db()
    assert (ballot.choice, ballot.recorded_by, ballot.cast_by) == (
        "full", None, world.delegate_of(partner)
    )


def test_a_secret_recorded_ballot_stays_secret_and_is_counted(
    world, room, item, present, facilitator, no_effects
):
    poll = open_poll(world, room, secret=True)
    partner = world.partners_in(room)[2]
    services.ballot_record(poll=poll, partner=partner, actor=facilitator,
                           choice="block", reason="ขัดกับระเบียบ")
    assert not Ballot.objects.filter(poll=poll).exists()
    assert SecretChoice.objects.get(poll=poll).recorded_by == facilitator
    poll = services.poll_close(poll=poll, actor=facilitator)
    assert poll.counts["block"] == 1
    ballot = Ballot.objects.get(poll=poll)
    assert (ballot.choice, ballot.reason, ballot.recorded_by) == ("", "", facilitator)


@pytest.mark.parametrize("who", ["delegate", "other facilitator"])
def test_only_those_who_run_the_room_record_ballots(world, room, item, present, who):
    poll = open_poll(world, room)
    actor = {
        "delegate": world.delegates[0].user,
        "other facilitator": world.facilitators[world.rooms[1].pk],
    }[who]
    with pytest.raises(PermissionDenied):
        services.ballot_record(poll=poll, partner=world.partners_in(room)[1],
                               actor=actor, choice="full")
    assert not Ballot.objects.exists()


def test_a_ballot_is_recorded_only_for_an_organisation_present_in_the_room(
    world, room, item, present, facilitator
):
    poll = open_poll(world, room)
    absent = world.partners_in(room)[1]
    Delegate.objects.filter(partner=absent).update(checked_in_at=None)
    with pytest.raises(PermissionDenied, match="Nobody of this organisation"):
        services.ballot_record(poll=poll, partner=absent, actor=facilitator,
                               choice="full")
    elsewhere = world.partners_in(world.rooms[1])[0]
    with pytest.raises(PermissionDenied, match="does not vote in this room"):
        services.ballot_record(poll=poll, partner=elsewhere, actor=facilitator,
                               choice="full")
    represented = world.partners_in(room)[2]
    services.proxy_give(assembly=world.assembly, giver=represented,
                        holder=world.partners_in(room)[0], actor=world.secretariat)
    with pytest.raises(PermissionDenied, match="has given its voice"):
        services.ballot_record(poll=poll, partner=represented, actor=facilitator,
                               choice="full")
    assert not Ballot.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.BALLOT_RECORDED).exists()


def test_a_recorded_ballot_on_a_closed_poll_or_with_a_bad_choice_is_refused(
    world, room, item, present, facilitator, no_effects
):
    poll = open_poll(world, room)
    partner = world.partners_in(room)[1]
    with pytest.raises(ValidationError, match="Give a short reason"):
        services.ballot_record(poll=poll, partner=partner, actor=facilitator,
                               choice="block")
    services.poll_close(poll=poll, actor=facilitator)
    with pytest.raises(ValidationError, match="Voting closed"):
        services.ballot_record(poll=poll, partner=partner, actor=facilitator,
                               choice="full")
    assert not Ballot.objects.exists()


# --- The form ------------------------------------------------------------------------


def test_the_record_form_lists_the_organisations_present_and_records(
    world, room, item, present, facilitator
):
    poll = open_poll(world, room)
    client = client_for(facilitator)
    form = client.get(record_url(poll), **HX)
    assert form.status_code == 200 and b"<html" not in form.content
    text = readable(form)
    for partner in world.partners_in(room):
        assert partner.organisation.label in text
    assert world.partners_in(world.rooms[1])[0].organisation.label not in text
    page = client.get(record_url(poll))
    assert b"<html" in page.content
    partner = world.partners_in(room)[1]
    response = client.post(record_url(poll),
                           {"partner": partner.pk, "choice": "support"}, **HX)
    assert response.status_code == 200
    assert (f"{partner.organisation.label} votes: Support (recorded by "
            f"{facilitator.get_full_name() or facilitator.get_username()}, "
            "facilitator).") in readable(response)
    assert Ballot.objects.get(poll=poll).recorded_by == facilitator


def test_in_a_secret_poll_the_answer_does_not_show_the_choice(
    world, room, item, present, facilitator
):
    poll = open_poll(world, room, secret=True)
    partner = world.partners_in(room)[1]
    response = client_for(facilitator).post(
        record_url(poll), {"partner": partner.pk, "choice": "block",
                           "reason": "ไม่เห็นด้วย"}, **HX,
    )
    assert response.status_code == 200
    text = html.unescape(readable(response))
    said = re.search(r'<p class="message success" role="status">(.*?)</p>', text)
    assert said.group(1) == f"{partner.organisation.label}'s ballot is recorded."
    assert "ไม่เห็นด้วย" not in text


@pytest.mark.parametrize(
    "data, status, message",
    [
        ({"partner": "", "choice": "full"}, 400,
         "Choose the organisation and its choice."),
        ({"partner": 0, "choice": "full"}, 400,
         "Choose the organisation and its choice."),
        ({"choice": "block", "reason": ""}, 400, "Give a short reason"),
    ],
)
def test_bad_input_is_answered_in_place(world, room, item, present, facilitator,
                                        data, status, message):
    poll = open_poll(world, room)
    data = {"partner": world.partners_in(room)[1].pk, **data}
    response = client_for(facilitator).post(record_url(poll), data, **HX)
    assert response.status_code == status
    assert message in readable(response)
    assert not Ballot.objects.exists()


def test_the_record_form_refuses_a_delegate_and_a_closed_poll(
    world, room, item, present, facilitator, no_effects
):
    poll = open_poll(world, room)
    partner = world.partners_in(room)[1]
    delegate = client_for(world.delegates[0].user)
    assert delegate.get(record_url(poll), **HX).status_code == 403
    assert delegate.post(record_url(poll), {"partner": partner.pk, "choice": "full"},
                         **HX).status_code == 403
    services.poll_close(poll=poll, actor=facilitator)
    closed = client_for(facilitator).post(
        record_url(poll), {"partner": partner.pk, "choice": "full"}, **HX
    )
    assert closed.status_code == 409
    assert "Voting closed" in readable(closed)
    assert not Ballot.objects.exists()


def test_the_vote_controls_carry_the_record_form_while_a_vote_is_open(
    world, room, item, present, facilitator
):
    client = client_for(facilitator)
    url = reverse("voting:controls", args=[room.pk])
    assert 'id="record-ballot"' not in readable(client.get(url, **HX))
    poll = open_poll(world, room)
    text = readable(client.get(url, **HX))
    assert 'id="record-ballot"' in text and record_url(poll) in text


def test_the_record_in_thai(world, room, item, present, facilitator):
    poll = open_poll(world, room)
    partner = world.partners_in(room)[1]
    response = client_for(facilitator, language="th").post(
        record_url(poll), {"partner": partner.pk, "choice": "support"}, **HX
    )
    assert response.status_code == 200
    assert "บันทึกโดย" in readable(response)


def test_the_record_of_the_poll_says_recorded_by_the_facilitator(
    world, room, item, present, facilitator, no_effects
):
    poll = open_poll(world, room)
    services.ballot_record(poll=poll, partner=world.partners_in(room)[1],
                           actor=facilitator, choice="full")
    services.poll_close(poll=poll, actor=facilitator)
    page = client_for(facilitator).get(reverse("voting:poll_detail", args=[poll.pk]))
    name = facilitator.get_full_name() or facilitator.get_username()
    assert f"recorded by {name}, facilitator" in readable(page)
