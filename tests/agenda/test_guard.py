"""Conflicting amendments: the guard on adopting a flagged amendment, the
proposer's revise page, and amendments still pending when the room agrees.

A flagged amendment ("needs an update") was written against a clause text that
changed since; applying it silently would undo the later change."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agenda import selectors, services
from agenda.models import AgendaItem, Amendment, DraftVersion, Notice
from tests import factories
from tests.factories import SEED_CLAUSES
from tests.readable import readable

EARLIER = SEED_CLAUSES[1] + " โดยใช้การเล่นเป็นฐาน"
RIVAL = "ให้ศูนย์พัฒนาเด็กเล็กจัดประสบการณ์การเรียนรู้ผ่านการเล่นอย่างอิสระ"
CONFLICT = "The clause changed after this amendment was written."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def item(world):
    return factories.agenda_item(world)


@pytest.fixture
def people(world, item):
    """(facilitator, first delegate, second delegate) of the item's room."""
    seated = [d for d in world.delegates if d.partner.room_id == item.room_id]
    return world.facilitators[item.room_id], seated[0], seated[1]


@pytest.fixture
def flagged(item, people):
    """An accepted amendment to clause 2 that another adopted amendment overtook."""
    fac, first, second = people
    rival = services.amendment_submit(item=item, delegate=second, kind="replace",
                                      target_key=2, text=RIVAL)
    services.amendment_accept(amendment=rival, actor=fac)
    earlier = services.amendment_submit(item=item, delegate=first, kind="replace",
                                        target_key=2, text=EARLIER)
    services.amendment_decide(amendment=earlier, adopted=True, actor=fac)
    rival.refresh_from_db()
    assert rival.needs_update
    return rival


def clause_two(item) -> str:
    return selectors.current_version(item).clauses.get(key=2).text


def client_for(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(response) -> str:
    """The page as read: Thai line-break marking removed, entities decoded."""
    return html.unescape(readable(response))


# --- The service ---------------------------------------------------------------------


def test_adopting_a_flagged_amendment_needs_the_explicit_choice(item, people, flagged):
    fac = people[0]
    versions = DraftVersion.objects.count()
    with pytest.raises(ValidationError) as info:
        services.amendment_decide(amendment=flagged, adopted=True, actor=fac)
    assert CONFLICT in " ".join(info.value.messages)
    assert info.value.code == "conflict"
    assert DraftVersion.objects.count() == versions
    assert clause_two(item) == EARLIER  # the earlier adopted text is untouched
    flagged.refresh_from_db()
    assert flagged.status == Amendment.Status.ACCEPTED


def test_the_facilitator_may_choose_to_replace_the_later_text(item, people, flagged):
    version = services.amendment_decide(amendment=flagged, adopted=True,
                                        actor=people[0], over_conflict=True)
    flagged.refresh_from_db()
    assert flagged.status == Amendment.Status.ADOPTED
    assert flagged.adopted_over_conflict
    assert clause_two(item) == RIVAL
    assert version.amendment == flagged


def test_an_unflagged_adoption_is_not_marked_as_over_a_conflict(item, people):
    fac, first, _ = people
    a = services.amendment_submit(item=item, delegate=first, kind="replace",
                                  target_key=2, text=EARLIER)
    services.amendment_decide(amendment=a, adopted=True, actor=fac)
    a.refresh_from_db()
    assert a.status == Amendment.Status.ADOPTED and not a.adopted_over_conflict


def test_rejecting_a_flagged_amendment_needs_no_choice(item, people, flagged):
    services.amendment_decide(amendment=flagged, adopted=False, actor=people[0])
    flagged.refresh_from_db()
    assert flagged.status == Amendment.Status.REJECTED
    assert clause_two(item) == EARLIER


def test_a_friendly_merge_of_a_flagged_amendment_is_guarded_too(item, people, flagged):
    fac, _, second = people
    services.amendment_consent(amendment=flagged, delegate=second)
    with pytest.raises(ValidationError, match="changed after this amendment"):
        services.amendment_merge(amendment=flagged, actor=fac)
    assert clause_two(item) == EARLIER
    services.amendment_merge(amendment=flagged, actor=fac, over_conflict=True)
    assert clause_two(item) == RIVAL


def test_a_vote_is_the_rooms_choice_and_is_recorded(item, people, flagged):
    from voting.models import Poll

    poll = Poll.objects.create(room=item.room, kind=Poll.Kind.AMENDMENT,
                               amendment=flagged, item=item)
    services.amendment_decide(amendment=flagged, adopted=True, poll=poll)
    flagged.refresh_from_db()
    assert flagged.adopted_over_conflict and clause_two(item) == RIVAL


def test_the_conflict_shows_base_now_and_both_diffs(item, flagged):
    conflict = selectors.amendment_conflict(flagged)
    assert conflict.base_text == SEED_CLAUSES[1]
    assert conflict.current_text == EARLIER
    assert conflict.base_position == 2 and conflict.base_version.number == 1
    assert "<ins>" in conflict.since.html and "การเล่นเป็นฐาน" in conflict.since.html
    assert conflict.adopting.old == EARLIER and conflict.adopting.new == RIVAL
    assert not conflict.target_missing


def test_an_unflagged_amendment_has_no_conflict(item, people):
    a = services.amendment_submit(item=item, delegate=people[1], kind="replace",
                                  target_key=2, text=EARLIER)
    assert selectors.amendment_conflict(a) is None


def test_revising_resolves_the_conflict(item, people, flagged):
    fac, _, second = people
    services.amendment_revise(amendment=flagged, delegate=second,
                              text=EARLIER + " อย่างอิสระ")
    flagged.refresh_from_db()
    assert not flagged.needs_update
    services.amendment_accept(amendment=flagged, actor=fac)
    services.amendment_decide(amendment=flagged, adopted=True, actor=fac)
    flagged.refresh_from_db()
    assert not flagged.adopted_over_conflict
    assert clause_two(item) == EARLIER + " อย่างอิสระ"


# --- Pending amendments when the room agrees ------------------------------------------


def test_agreeing_closes_pending_amendments_undecided_and_tells_them(item, people):
    fac, first, second = people
    pending = services.amendment_submit(item=item, delegate=first, kind="replace",
                                        target_key=1, text=EARLIER)
    accepted = services.amendment_submit(item=item, delegate=second, kind="delete",
                                         target_key=3)
    services.amendment_accept(amendment=accepted, actor=fac)
    rejected = services.amendment_submit(item=item, delegate=second, kind="insert",
                                         target_key=None, text=RIVAL)
    services.amendment_decide(amendment=rejected, adopted=False, actor=fac)
    notices = Notice.objects.count()
    services.item_agree(item=item, actor=fac)
    for a in (pending, accepted, rejected):
        a.refresh_from_db()
    assert pending.status == accepted.status == Amendment.Status.LAPSED
    assert pending.decided_at is not None and accepted.decided_at is not None
    assert rejected.status == Amendment.Status.REJECTED
    told = Notice.objects.order_by("pk")[notices:]
    assert [(n.partner_id, n.amendment_id) for n in told] == [
        (first.partner_id, pending.pk), (second.partner_id, accepted.pk)]
    assert all("ปิดโดยไม่ได้พิจารณา" in n.text for n in told)
    assert str(pending.get_status_display()) == (
        "Closed undecided when the room agreed its draft")
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.AGREED


def test_a_consensus_poll_agreeing_the_draft_lapses_them_too(item, people):
    from voting.models import Poll

    a = services.amendment_submit(item=item, delegate=people[1], kind="replace",
                                  target_key=1, text=EARLIER)
    poll = Poll.objects.create(room=item.room, kind=Poll.Kind.CONSENSUS, item=item)
    services.item_agree(item=item, poll=poll)
    a.refresh_from_db()
    assert a.status == Amendment.Status.LAPSED


# --- The console ------------------------------------------------------------------------


def console_post(client, room, amendment, action, **data):
    return client.post(
        reverse("agenda:amendment_action", args=[room.pk, amendment.pk, action]),
        data, HTTP_HX_REQUEST="true",
    )


def test_the_console_shows_the_conflict_and_the_choice(item, people, flagged):
    response = client_for(people[0]).get(
        reverse("agenda:console_amendments", args=[item.room_id]),
        HTTP_HX_REQUEST="true")
    body = page(response)
    assert CONFLICT in body
    assert "Clause 2 when the amendment was written (version 1)" in body
    assert SEED_CLAUSES[1] in body
    assert "Adopt as written, replacing the clause's current text" in body
    assert 'name="conflict" value="replace"' in body
    # the plain adopt button is not offered for it
    assert body.count("Adopted by consensus") == 0


def test_adopting_without_the_choice_is_refused_in_place(item, people, flagged):
    response = console_post(client_for(people[0]), item.room, flagged, "adopt")
    assert response.status_code == 422
    assert CONFLICT in page(response)
    assert 'id="amendment-queue"' in page(response)
    assert clause_two(item) == EARLIER


def test_adopting_with_the_choice_replaces_the_text(item, people, flagged):
    response = console_post(client_for(people[0]), item.room, flagged, "adopt",
                            conflict="replace")
    assert response.status_code == 200
    assert clause_two(item) == RIVAL


def test_the_console_warns_before_agreeing_with_pending_amendments(item, people,
                                                                  flagged):
    fac = people[0]
    url = reverse("agenda:console_clause", args=[item.room_id])
    body = page(client_for(fac).get(url, HTTP_HX_REQUEST="true"))
    assert "1 amendment is still pending: agreeing now closes it undecided" in body
    body = page(client_for(fac, "th").get(url, HTTP_HX_REQUEST="true"))
    assert "ปิดโดยไม่ได้พิจารณา" in body


def test_the_console_conflict_in_thai(item, people, flagged):
    body = page(client_for(people[0], "th").get(
        reverse("agenda:console_amendments", args=[item.room_id]),
        HTTP_HX_REQUEST="true"))
    assert "ข้อความของข้อนี้เปลี่ยนไปหลังจากเสนอคำแปรญัตตินี้" in body


# --- The revise page ----------------------------------------------------------------------


def revise_url(item, amendment):
    return reverse("agenda:amendment_revise", args=[item.room_id, amendment.pk])


def test_the_proposer_sees_the_conflict_and_a_prefilled_form(item, people, flagged):
    response = client_for(people[2].user).get(revise_url(item, flagged))
    assert response.status_code == 200
    body = page(response)
    assert CONFLICT in body and SEED_CLAUSES[1] in body
    assert f">{RIVAL}</textarea>" in body


def test_the_room_page_links_the_flagged_amendment_to_its_page(item, people, flagged):
    body = page(client_for(people[2].user).get(
        reverse("agenda:room", args=[item.room_id])))
    assert revise_url(item, flagged) in body
    assert "The clause changed: revise" in body


def test_the_proposer_revises_on_the_page(item, people, flagged):
    revised = EARLIER + " อย่างอิสระ"
    response = client_for(people[2].user).post(
        revise_url(item, flagged), {"text": revised, "rationale": "ตามร่างใหม่"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.text == revised and not flagged.needs_update
    assert flagged.base_version == selectors.current_version(item)
    assert flagged.status == Amendment.Status.SUBMITTED


@pytest.mark.parametrize("text, message", [
    ("", "Enter the proposed text."),
    ("ก" * 5001, "Ensure this value has at most 5000 characters"),
    (EARLIER, "The proposed text is the same as the current clause."),
])
def test_bad_revisions_are_refused_in_place_and_change_nothing(item, people, flagged,
                                                               text, message):
    response = client_for(people[2].user).post(
        revise_url(item, flagged), {"text": text, "rationale": ""})
    assert response.status_code == 422
    assert message in page(response)
    flagged.refresh_from_db()
    assert flagged.text == RIVAL and flagged.needs_update


def test_html_in_a_revision_is_shown_as_text(item, people, flagged):
    script = '<script>alert("x")</script>'
    client = client_for(people[2].user)
    client.post(revise_url(item, flagged), {"text": script, "rationale": ""})
    body = client.get(revise_url(item, flagged)).content.decode()
    assert script not in body
    assert "&lt;script&gt;" in body


def test_another_organisation_may_not_revise(world, item, people, flagged):
    for user in (people[1].user, people[0], world.secretariat):
        client = client_for(user)
        assert client.get(revise_url(item, flagged)).status_code == 403
        response = client.post(revise_url(item, flagged), {"text": "อื่น"})
        assert response.status_code == 403
        assert "Only the organisation that proposed this amendment" in page(response)
    flagged.refresh_from_db()
    assert flagged.text == RIVAL


def test_revising_after_the_room_agreed_is_refused(item, people, flagged):
    services.item_agree(item=item, actor=people[0])
    response = client_for(people[2].user).post(
        revise_url(item, flagged), {"text": EARLIER + " ใหม่"})
    assert response.status_code == 422
    assert "The room has agreed its draft" in page(response)


def test_the_revise_page_in_thai(item, people, flagged):
    body = page(client_for(people[2].user, "th").get(revise_url(item, flagged)))
    assert "บันทึกคำแปรญัตติที่ปรับปรุง" in body


def test_the_revise_page_needs_sign_in(item, flagged):
    response = Client().get(revise_url(item, flagged))
    assert response.status_code == 302 and "/login/" in response["Location"]
