"""The ballot form, the facilitator's controls and the result pages over HTTP."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assembly.models import Delegate
from assembly.services import delegate_create
from tests.voting.conftest import make_amendment
from voting import services
from voting.models import Ballot, BallotEvent, Poll
from tests.readable import readable

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def client_for(user, language="en", **kwargs) -> Client:
    """A signed-in client that chose ``language`` (the language cookie)."""
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


@pytest.fixture
def poll(world, room, item, present):
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor)
    return services.poll_open(poll=poll, actor=actor)


def ballot_url(room):
    return reverse("voting:ballot", args=[room.pk])


def state(poll):
    return (
        list(Ballot.objects.filter(poll=poll).values_list("partner", "choice")),
        BallotEvent.objects.filter(poll=poll).count(),
    )


def test_ballot_page_without_htmx_is_a_full_page_and_the_partial_with_it(world, room,
                                                                         poll):
    client = client_for(world.delegates[0].user)
    page = client.get(ballot_url(room))
    assert page.status_code == 200
    assert b"<html" in page.content and b'value="full"' in page.content
    partial = client.get(ballot_url(room), **HX)
    assert b"<html" not in partial.content and b'value="block"' in partial.content


def test_a_delegate_votes_with_htmx_and_sees_the_choice_and_who_cast_it(world, room,
                                                                         poll):
    delegate = world.delegates[0]
    response = client_for(delegate.user).post(
        ballot_url(room), {"poll": poll.pk, "choice": "support"}, **HX
    )
    assert response.status_code == 200
    ballot = Ballot.objects.get(poll=poll)
    assert (ballot.partner, ballot.choice, ballot.cast_by) == (
        delegate.partner, "support", delegate
    )
    text = readable(response)
    assert "Support" in text and delegate.name in text
    # The alternate of the same organisation sees the same ballot.
    other = client_for(world.alternates[0].user).get(ballot_url(room), **HX)
    assert delegate.name in readable(other)


def test_without_htmx_a_ballot_redirects_back_to_the_form(world, room, poll):
    response = client_for(world.delegates[0].user).post(
        ballot_url(room), {"poll": poll.pk, "choice": "full"}
    )
    assert response.status_code == 302
    assert Ballot.objects.filter(poll=poll, choice="full").count() == 1


def test_a_forged_organisation_field_is_ignored(world, room, poll):
    mine, theirs = world.partners_in(room)[:2]
    client_for(world.delegate_of(mine).user).post(
        ballot_url(room),
        {"poll": poll.pk, "choice": "block", "reason": "x", "partner": theirs.pk,
         "partner_id": theirs.pk, "organisation": theirs.organisation_id},
        **HX,
    )
    assert list(Ballot.objects.values_list("partner", flat=True)) == [mine.pk]


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(world, room, poll):
    client = client_for(world.delegates[0].user, enforce_csrf_checks=True)
    response = client.post(ballot_url(room), {"poll": poll.pk, "choice": "full"}, **HX)
    assert response.status_code == 403
    assert state(poll) == ([], 0)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"choice": "maybe"}, "Choose one of the options of this vote."),
        ({"choice": "block"}, "Give a short reason for serious concerns or a block."),
        ({"choice": "block", "reason": "x" * 501},
         "Keep the reason to 500 characters or fewer."),
        ({}, "Choose one of the options of this vote."),
    ],
)
def test_bad_input_is_refused_with_its_message(world, room, poll, data, message):
    response = client_for(world.delegates[0].user).post(
        ballot_url(room), {"poll": poll.pk, **data}, **HX
    )
    assert response.status_code == 400
    assert message in readable(response)
    assert state(poll) == ([], 0)


def test_a_ballot_on_a_closed_poll_is_refused(world, room, poll, no_effects):
    services.poll_close(poll=poll, actor=world.facilitators[room.pk])
    response = client_for(world.delegates[0].user).post(
        ballot_url(room), {"poll": poll.pk, "choice": "full"}, **HX
    )
    assert response.status_code == 409
    assert "Voting closed before your ballot arrived." in readable(response)
    assert state(poll) == ([], 0)


def test_a_ballot_for_another_rooms_poll_is_refused(world, room, poll):
    other_room = world.rooms[1]
    delegate = world.delegate_of(world.partners_in(other_room)[0])
    response = client_for(delegate.user).post(
        ballot_url(other_room), {"poll": poll.pk, "choice": "full"}, **HX
    )
    assert response.status_code == 409  # no such vote open in that room
    assert "This vote is not open yet." in response.content.decode()
    response = client_for(delegate.user).post(
        ballot_url(room), {"poll": poll.pk, "choice": "full"}, **HX
    )
    assert response.status_code == 403
    assert state(poll) == ([], 0)


def test_an_observer_is_refused_with_a_message(world, room, poll):
    observer = delegate_create(partner=world.partners[0], name_th="ผู้สังเกตการณ์",
                               kind=Delegate.Kind.OBSERVER)
    Delegate.objects.filter(pk=observer.pk).update(checked_in_at=poll.opened_at)
    client = client_for(observer.user)
    page = client.get(ballot_url(room), **HX)
    assert "Observers do not vote" in readable(page)
    response = client.post(ballot_url(room), {"poll": poll.pk, "choice": "full"}, **HX)
    assert response.status_code == 403
    assert "Observers do not vote" in readable(response)
    assert state(poll) == ([], 0)


def test_a_facilitator_cannot_vote(world, room, poll):
    response = client_for(world.facilitators[room.pk]).post(
        ballot_url(room), {"poll": poll.pk, "choice": "full"}, **HX
    )
    assert response.status_code == 403
    assert state(poll) == ([], 0)


def test_anonymous_visitors_are_refused(world, room, poll):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(ballot_url(room), {"poll": poll.pk, "choice": "full"})
    assert response.status_code == 302  # without htmx: to the sign-in page
    assert response["Location"].startswith(reverse("assembly:login"))
    response = client.post(ballot_url(room), {"poll": poll.pk, "choice": "full"}, **HX)
    assert response.status_code == 401
    assert 'data-state="refused"' in response.content.decode()
    assert state(poll) == ([], 0)


# --- Controls -------------------------------------------------------------------------


def test_only_the_facilitator_sees_the_controls(world, room, item):
    url = reverse("voting:controls", args=[room.pk])
    assert client_for(world.delegates[0].user).get(url).status_code == 403
    assert client_for(world.facilitators[world.rooms[1].pk]).get(url).status_code == 403
    page = client_for(world.facilitators[room.pk]).get(url)
    assert page.status_code == 200 and b"<html" in page.content


def test_the_facilitator_prepares_opens_and_closes_a_vote(world, room, item, present,
                                                          no_effects):
    amendment = make_amendment(world, item)
    client = client_for(world.facilitators[room.pk])
    response = client.post(
        reverse("voting:poll_create", args=[room.pk]),
        {"kind": "amendment", "amendment": amendment.pk, "majority_threshold": "2/3",
         "secret": "on", "countdown_seconds": "90"},
        **HX,
    )
    assert response.status_code == 200, response.content
    poll = Poll.objects.get()
    assert (poll.kind, poll.secret, poll.results_live, poll.countdown_seconds) == (
        "amendment", True, False, 90
    )
    assert (poll.threshold_num, poll.threshold_den) == (2, 3)
    assert client.post(reverse("voting:poll_open", args=[poll.pk]), **HX
                       ).status_code == 200
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN and poll.closes_at
    assert client.post(reverse("voting:poll_close", args=[poll.pk]), **HX
                       ).status_code == 200
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED


def test_opening_below_quorum_answers_with_the_figures(world, room, item):
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor)
    response = client_for(actor).post(reverse("voting:poll_open", args=[poll.pk]), **HX)
    assert response.status_code == 400
    assert "Quorum not met: 0 of 3 partners present; 2 needed." in (
        readable(response)
    )
    poll.refresh_from_db()
    assert poll.status == Poll.Status.DRAFT


def test_a_delegate_cannot_open_or_close(world, room, poll):
    client = client_for(world.delegates[0].user)
    assert client.post(reverse("voting:poll_close", args=[poll.pk])).status_code == 403
    poll.refresh_from_db()
    assert poll.status == Poll.Status.OPEN


def test_the_record_of_a_named_poll_shows_choices_and_of_a_secret_poll_only_voters(
    world, room, item, present, no_effects
):
    actor = world.facilitators[room.pk]
    client = client_for(actor)
    partner = world.partners_in(room)[0]
    for secret in (False, True):
        poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor,
                                    secret=secret)
        services.poll_open(poll=poll, actor=actor)
        services.ballot_cast(poll=poll, delegate=world.delegate_of(partner),
                             choice="concerns", reason="งบประมาณไม่พอ")
        services.poll_close(poll=poll, actor=actor)
        url = reverse("voting:poll_detail", args=[poll.pk])
        text = readable(client.get(url))
        assert partner.organisation.name in text
        assert ("งบประมาณไม่พอ" in text) is (not secret)


def test_refusals_are_in_thai_for_a_thai_phone(world, room, poll, no_effects):
    services.poll_close(poll=poll, actor=world.facilitators[room.pk])
    response = client_for(world.delegates[0].user, language="th").post(
        ballot_url(room), {"poll": poll.pk, "choice": "full"}, **HX
    )
    assert response.status_code == 409
    assert "ปิดการลงมติก่อนที่คะแนนของท่านจะมาถึง" in readable(response)


def test_the_console_carries_the_vote_controls_that_fetch_themselves(world, room,
                                                                      item):
    page = client_for(world.facilitators[room.pk]).get(
        reverse("agenda:console", args=[room.pk])
    )
    assert page.status_code == 200
    text = readable(page)
    assert 'id="vote-controls"' in text and 'id="vote-controls-signal"' in text
    assert reverse("voting:controls", args=[room.pk]) in text


def test_refusals_to_htmx_are_a_message_fragment(world, room, item):
    outsider = world.delegate_of(world.partners_in(world.rooms[1])[0])
    response = client_for(outsider.user).get(ballot_url(room), **HX)
    assert response.status_code == 403
    assert b"<html" not in response.content
    assert "You do not follow this room." in readable(response)
    response = client_for(world.delegates[0].user).get(
        reverse("voting:controls", args=[room.pk]), **HX
    )
    assert response.status_code == 403
    assert "runs votes" in readable(response)


# --- What is voted on, on the ballot ------------------------------------------------


def test_an_amendment_ballot_shows_its_text_with_the_word_diff(world, room, item,
                                                              present):
    amendment = make_amendment(world, item)
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.AMENDMENT,
                                amendment=amendment, actor=actor)
    services.poll_open(poll=poll, actor=actor)
    area = client_for(world.delegates[0].user).get(ballot_url(room), **HX)
    text = readable(area)
    assert 'class="ballot-text amendment"' in text
    assert "<ins" in text and "(แก้)" in text  # the inserted words, marked
    assert "Clause 1" in text


def test_a_consensus_ballot_shows_the_draft_decided(world, room, poll):
    text = readable(client_for(world.delegates[0].user).get(ballot_url(room), **HX))
    assert 'class="ballot-text"' in text
    assert "ข้อหนึ่ง" in text and "ข้อสอง" in text and "ร่างมติ" in text


def test_the_plenary_ballot_shows_the_items_agreed_text(world, present):
    from tests.voting.conftest import make_item

    item = make_item(world, world.plenary, status="agreed")
    poll = services.poll_create(room=world.plenary, kind=Poll.Kind.CONSENSUS,
                                item=item, actor=world.secretariat)
    services.poll_open(poll=poll, actor=world.secretariat)
    text = readable(client_for(world.delegates[3].user).get(
        ballot_url(world.plenary), **HX))
    assert "ข้อหนึ่ง" in text and "ข้อสอง" in text


def test_the_ballot_area_carries_the_status_of_contract_two(world, room, poll):
    client = client_for(world.delegates[0].user)
    text = client.get(ballot_url(room), **HX).content.decode()
    assert 'id="ballot-status"' in text and 'data-state="none"' in text
    assert f'data-partner="{world.delegates[0].partner_id}"' in text
    client.post(ballot_url(room), {"poll": poll.pk, "choice": "live"}, **HX)
    text = client.get(ballot_url(room), **HX).content.decode()
    assert 'data-state="counted"' in text and 'data-choice="live"' in text
    assert 'class="vote-choice vote-live is-chosen"' in text


def test_pages_do_not_load_the_debug_script_that_replaces_them_on_a_refusal(
    world, room, poll, settings
):
    """django-htmx's debug script (added by ``{% htmx_script %}`` when DEBUG is
    on, as under ``make run``) replaces the whole page with any 400 or 403
    answer: a refused ballot would wipe the phone's page instead of showing its
    reason in place."""
    settings.DEBUG = True
    page = client_for(world.delegates[0].user).get(
        reverse("agenda:room", args=[room.pk])
    ).content.decode()
    assert "django_htmx/htmx-2.min.js" in page
    assert "django-htmx.js" not in page
