"""The agenda pages: the room page, the console, the draft history, the plenary
document. Full page without HX-Request, the partial with it; every refusal shows
its message and changes nothing."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agenda import services, speakers
from agenda.models import (
    AgendaItem,
    Amendment,
    DraftVersion,
    PlenaryDocument,
    SpeakerRequest,
)
from tests import factories

HX = {"HTTP_HX_REQUEST": "true"}
SCRIPT = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def item(world):
    return factories.agenda_item(world)


@pytest.fixture
def room(item):
    return item.room


@pytest.fixture
def delegate(world, room):
    return world.delegate_of(world.partners_in(room)[0])


@pytest.fixture
def facilitator(world, room):
    return world.facilitators[room.pk]


def client_for(user, language: str = "en") -> Client:
    """A signed-in browser; messages are asserted in English (one test: Thai)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.content.decode())


def url(name, *args):
    return reverse(f"agenda:{name}", args=args)


def clause_keys(item):
    from agenda import selectors

    return [c.key for c in selectors.current_clauses(item)]


# --- The room page ------------------------------------------------------------------


def test_room_page_shows_the_draft_the_current_clause_and_ask_to_speak(
    world, item, room, delegate, facilitator
):
    key = clause_keys(item)[1]
    services.item_set_current_clause(item=item, clause_key=key, actor=facilitator)
    response = client_for(delegate.user).get(url("room", room.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert f'ws-connect="/ws/rooms/{room.pk}/?lang=' in html
    for region in ("draft", "amendments", "speakers", "speak-controls", "amend-form"):
        assert f'id="{region}"' in html
    assert f'id="clause-{key}" aria-current="true"' in html
    assert "Ask to speak" in html
    assert "Propose an amendment" in html


def test_room_page_in_thai(room, delegate):
    client = client_for(delegate.user, "th")
    html = client.get(url("room", room.pk)).content.decode()
    assert "ขอพูด" in html and "เสนอคำแปรญัตติ" in html
    client.post(url("speak", room.pk), **HX)
    response = client.post(url("speak", room.pk), **HX)
    assert "ท่านได้ขอพูดไว้แล้ว" in response.content.decode()


def test_room_page_needs_sign_in(room):
    response = Client().get(url("room", room.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_room_page_of_another_room_is_refused_with_a_message(world, room):
    other = world.delegate_of(world.partners_in(world.rooms[1])[0])
    response = client_for(other.user).get(url("room", room.pk))
    assert response.status_code == 403
    assert "This room is not open to you" in response.content.decode()


def test_a_room_without_an_item_still_opens(world):
    room = world.rooms[1]
    delegate = world.delegate_of(world.partners_in(room)[0])
    response = client_for(delegate.user).get(url("room", room.pk))
    assert response.status_code == 200


def test_ask_to_speak_full_page_redirects_htmx_gets_the_partial(room, delegate):
    client = client_for(delegate.user)
    response = client.post(url("speak", room.pk))
    assert response.status_code == 302
    assert SpeakerRequest.objects.filter(delegate=delegate, status="waiting").exists()
    response = client.post(url("speak_withdraw", room.pk), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="speak-controls"' in html
    assert "Ask to speak" in html
    response = client.post(url("speak", room.pk), **HX)
    assert "You are number 1 on the speaker list." in response.content.decode()


def test_asking_twice_is_refused_with_the_message_in_the_partial(room, delegate):
    client = client_for(delegate.user)
    client.post(url("speak", room.pk), **HX)
    response = client.post(url("speak", room.pk), **HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "You have already asked to speak." in html and 'id="speak-controls"' in html
    assert SpeakerRequest.objects.filter(delegate=delegate).count() == 1


def test_asking_twice_without_htmx_shows_the_page_with_the_message(room, delegate):
    client = client_for(delegate.user)
    client.post(url("speak", room.pk))
    response = client.post(url("speak", room.pk))
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html and "You have already asked to speak." in html


def test_a_facilitator_cannot_ask_to_speak(room, facilitator):
    response = client_for(facilitator).post(url("speak", room.pk), **HX)
    assert response.status_code == 403
    assert "Only delegates can ask to speak." in response.content.decode()
    assert not SpeakerRequest.objects.exists()


def test_speaking_from_another_room_is_refused(world, room):
    other = world.delegate_of(world.partners_in(world.rooms[1])[0])
    response = client_for(other.user).post(url("speak", room.pk), **HX)
    assert response.status_code == 403
    assert "not open to you" in response.content.decode()
    assert not SpeakerRequest.objects.exists()


def test_get_is_not_a_way_to_ask_to_speak(room, delegate):
    response = client_for(delegate.user).get(url("speak", room.pk))
    assert response.status_code == 405
    assert not SpeakerRequest.objects.exists()


def test_submit_an_amendment_htmx_returns_a_fresh_form_and_stores_it(
    item, room, delegate
):
    key = clause_keys(item)[0]
    response = client_for(delegate.user).post(
        url("amendment_submit", room.pk),
        {"kind": "replace", "target_key": key, "text": "ข้อความใหม่ทั้งหมด",
         "rationale": "เหตุผล"},
        **HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="amend-form"' in html and "Your amendment is submitted" in html
    amendment = Amendment.objects.get()
    assert amendment.partner == delegate.partner and amendment.target_key == key


def test_an_empty_amendment_is_refused_and_the_form_keeps_the_input(
    item, room, delegate
):
    key = clause_keys(item)[0]
    response = client_for(delegate.user).post(
        url("amendment_submit", room.pk),
        {"kind": "replace", "target_key": key, "text": "  ", "rationale": "keep me"},
        **HX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter the proposed text." in html and "keep me" in html
    assert not Amendment.objects.exists()


def test_an_oversized_amendment_is_refused(item, room, delegate):
    key = clause_keys(item)[0]
    response = client_for(delegate.user).post(
        url("amendment_submit", room.pk),
        {"kind": "replace", "target_key": key, "text": "ก" * 5001}, **HX,
    )
    assert response.status_code == 422
    assert "5000" in response.content.decode().replace(",", "")
    assert not Amendment.objects.exists()


def test_an_amendment_to_an_unknown_clause_is_refused(item, room, delegate):
    response = client_for(delegate.user).post(
        url("amendment_submit", room.pk),
        {"kind": "replace", "target_key": "999", "text": "ใหม่"}, **HX,
    )
    assert response.status_code == 422
    assert not Amendment.objects.exists()


def test_an_amendment_after_the_room_agreed_is_refused(
    item, room, delegate, facilitator
):
    services.item_agree(item=item, actor=facilitator)
    key = clause_keys(item)[0]
    response = client_for(delegate.user).post(
        url("amendment_submit", room.pk),
        {"kind": "replace", "target_key": key, "text": "ใหม่"}, **HX,
    )
    assert response.status_code == 422
    assert not Amendment.objects.exists()


def test_an_observer_cannot_propose(world, item, room):
    from assembly import services as assembly_services
    from assembly.models import Delegate

    partner = world.partners_in(room)[0]
    observer = assembly_services.delegate_create(
        partner=partner, name_th="ผู้สังเกตการณ์", kind=Delegate.Kind.OBSERVER
    )
    response = client_for(observer.user).post(
        url("amendment_submit", room.pk),
        {"kind": "replace", "target_key": clause_keys(item)[0], "text": "ใหม่"}, **HX,
    )
    assert response.status_code == 403
    assert "Observers may not propose amendments." in response.content.decode()
    assert not Amendment.objects.exists()


def test_html_typed_in_an_amendment_is_shown_as_text_on_the_room_page(
    item, room, delegate
):
    services.amendment_submit(
        item=item, delegate=delegate, kind="replace", target_key=clause_keys(item)[0],
        text=f"ข้อความ {SCRIPT}", rationale=f"เพราะ {SCRIPT}",
    )
    html = client_for(delegate.user).get(url("room", room.pk)).content.decode()
    assert SCRIPT not in html
    assert html.count(ESCAPED) >= 2


def test_my_amendments_lets_the_organisation_withdraw(item, room, delegate):
    amendment = services.amendment_submit(
        item=item, delegate=delegate, kind="delete", target_key=clause_keys(item)[0],
    )
    client = client_for(delegate.user)
    html = client.get(url("my_amendments", room.pk), **HX).content.decode()
    assert 'id="my-amendments"' in html and "Withdraw" in html
    response = client.post(
        url("my_amendment_action", room.pk, amendment.pk, "withdraw"), **HX
    )
    assert response.status_code == 200
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.WITHDRAWN


def test_another_organisation_cannot_withdraw_an_amendment(world, item, room, delegate):
    amendment = services.amendment_submit(
        item=item, delegate=delegate, kind="delete", target_key=clause_keys(item)[0],
    )
    other = world.delegate_of(world.partners_in(room)[1])
    response = client_for(other.user).post(
        url("my_amendment_action", room.pk, amendment.pk, "withdraw"), **HX
    )
    assert response.status_code == 403
    assert "Only the organisation that proposed" in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.SUBMITTED


# --- The console --------------------------------------------------------------------


def test_console_full_page_for_the_facilitator(world, item, room, facilitator):
    response = client_for(facilitator).get(url("console", room.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for region in ("clause-controls", "amendment-queue", "speaker-controls",
                   "presence", "draft", "speakers"):
        assert f'id="{region}"' in html
    assert "vote-controls-area" in html  # the voting app's place
    assert f'ws-connect="/ws/rooms/{room.pk}/?lang=' in html


def test_console_is_refused_to_delegates_with_a_message(room, delegate):
    response = client_for(delegate.user).get(url("console", room.pk))
    assert response.status_code == 403
    assert "Only the room's facilitators" in text(response)


def test_console_parts_are_partials(room, facilitator):
    client = client_for(facilitator)
    for name, region in [("console_clause", "clause-controls"),
                         ("console_amendments", "amendment-queue"),
                         ("console_speakers", "speaker-controls"),
                         ("console_presence", "presence")]:
        html = client.get(url(name, room.pk), **HX).content.decode()
        assert f'id="{region}"' in html and "<html" not in html


def test_console_shows_which_partners_are_present(world, room, facilitator):
    from assembly import presence

    partners = world.partners_in(room)
    presence.touch(room.pk, partners[0].pk)
    html = client_for(facilitator).get(url("console_presence", room.pk), **HX).content
    html = html.decode()
    assert "1 of 3 connected now" in html and "3 checked in" in html


def test_facilitator_sets_the_clause_under_discussion(item, room, facilitator):
    key = clause_keys(item)[2]
    response = client_for(facilitator).post(
        url("clause_set", room.pk), {"clause_key": key}, **HX
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.current_clause_key == key
    assert 'aria-pressed="true"' in response.content.decode()


def test_a_delegate_cannot_set_the_clause(item, room, delegate):
    response = client_for(delegate.user).post(
        url("clause_set", room.pk), {"clause_key": clause_keys(item)[0]}, **HX
    )
    assert response.status_code == 403
    assert "Only the room's facilitators can do this." in text(response)
    item.refresh_from_db()
    assert item.current_clause_key is None


def test_facilitator_accepts_and_rules_out_amendments(
    item, room, delegate, facilitator
):
    keys = clause_keys(item)
    a = services.amendment_submit(item=item, delegate=delegate, kind="delete",
                                  target_key=keys[0])
    b = services.amendment_submit(item=item, delegate=delegate, kind="delete",
                                  target_key=keys[1])
    client = client_for(facilitator)
    response = client.post(url("amendment_action", room.pk, a.pk, "accept"), **HX)
    assert response.status_code == 200
    assert 'id="amendment-queue"' in response.content.decode()
    a.refresh_from_db()
    assert a.status == Amendment.Status.ACCEPTED
    response = client.post(url("amendment_action", room.pk, b.pk, "rule_out"),
                           {"reason": ""}, **HX)
    assert response.status_code == 422
    b.refresh_from_db()
    assert b.status == Amendment.Status.SUBMITTED
    client.post(url("amendment_action", room.pk, b.pk, "rule_out"),
                {"reason": "นอกประเด็น"}, **HX)
    b.refresh_from_db()
    assert b.status == Amendment.Status.RULED_OUT


def test_adopting_an_amendment_makes_a_new_version(item, room, delegate, facilitator):
    key = clause_keys(item)[0]
    a = services.amendment_submit(item=item, delegate=delegate, kind="replace",
                                  target_key=key, text="ข้อความที่แก้ไขแล้ว")
    client = client_for(facilitator)
    client.post(url("amendment_action", room.pk, a.pk, "accept"), **HX)
    client.post(url("amendment_action", room.pk, a.pk, "adopt"), **HX)
    a.refresh_from_db()
    assert a.status == Amendment.Status.ADOPTED
    assert DraftVersion.objects.filter(item=item).count() == 2


def test_speaker_controls_call_next_with_a_time(room, delegate, facilitator):
    speakers.speaker_request(room=room, delegate=delegate)
    response = client_for(facilitator).post(
        url("speaker_next", room.pk), {"minutes": "2"}, **HX
    )
    assert response.status_code == 200
    turn = SpeakerRequest.objects.get()
    assert turn.status == "speaking" and turn.duration_seconds == 120
    html = response.content.decode()
    assert 'id="speaker-controls"' in html and "End this turn" in html


def test_call_next_with_an_empty_queue_shows_the_message(room, facilitator):
    response = client_for(facilitator).post(url("speaker_next", room.pk), **HX)
    assert response.status_code == 422
    assert "Nobody is waiting to speak." in response.content.decode()


def test_a_delegate_cannot_call_speakers(room, delegate):
    speakers.speaker_request(room=room, delegate=delegate)
    response = client_for(delegate.user).post(url("speaker_next", room.pk), **HX)
    assert response.status_code == 403
    assert SpeakerRequest.objects.get().status == "waiting"


def test_agreeing_the_draft_from_the_console(item, room, facilitator):
    response = client_for(facilitator).post(url("item_agree", room.pk))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.AGREED


# --- History and plenary ------------------------------------------------------------


def _second_version(item, world):
    from agenda import selectors

    clauses = [c.text for c in selectors.current_clauses(item)]
    clauses[0] = clauses[0] + " ภายในปี 2567"
    services.draft_set(item=item, preamble="", clauses=clauses, actor=world.secretariat)


def test_history_compares_any_two_versions(world, item, delegate):
    _second_version(item, world)
    client = client_for(delegate.user)
    response = client.get(url("history", item.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Version 1 → version 2" in html and "<ins>" in html
    response = client.get(url("history", item.pk), {"a": 2, "b": 1}, **HX)
    html = response.content.decode()
    assert "<html" not in html and 'id="comparison"' in html and "<del>" in html


def test_history_refuses_a_missing_version_with_a_message(world, item, delegate):
    response = client_for(delegate.user).get(url("history", item.pk), {"a": 1, "b": 9})
    assert response.status_code == 400
    assert "Choose two versions" in response.content.decode()


def test_history_of_another_rooms_item_is_refused(world, item):
    other = world.delegate_of(world.partners_in(world.rooms[1])[0])
    response = client_for(other.user).get(url("history", item.pk))
    assert response.status_code == 403


def test_secretariat_builds_the_plenary_document(world, item, facilitator):
    services.item_agree(item=item, actor=facilitator)
    client = client_for(world.secretariat)
    page = client.get(url("plenary", world.assembly.pk))
    assert page.status_code == 200
    assert "Build the plenary document" in page.content.decode()
    response = client.post(url("plenary_build", world.assembly.pk), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="plenary-document"' in html and "Agenda item 1" in html
    assert "plenary-item" in html
    assert PlenaryDocument.objects.count() == 1


def test_plenary_build_with_nothing_agreed_is_refused(world, item):
    response = client_for(world.secretariat).post(
        url("plenary_build", world.assembly.pk), **HX
    )
    assert response.status_code == 422
    assert not PlenaryDocument.objects.exists()


def test_a_delegate_sees_the_plenary_document_but_cannot_build(world, item, delegate):
    client = client_for(delegate.user)
    page = client.get(url("plenary", world.assembly.pk)).content.decode()
    assert "Build the plenary document" not in page
    response = client.post(url("plenary_build", world.assembly.pk), **HX)
    assert response.status_code == 403
    assert not PlenaryDocument.objects.exists()


def test_secretariat_pastes_a_draft(world, item):
    client = client_for(world.secretariat)
    assert client.get(url("draft_edit", item.pk)).status_code == 200
    response = client.post(url("draft_edit", item.pk),
                           {"text": "ข้อ 1 ให้ทุกอำเภอ\nข้อ 2 ให้ทุกตำบล"})
    assert response.status_code == 302
    assert DraftVersion.objects.filter(item=item).count() == 2


def test_a_facilitator_cannot_paste_a_draft(world, item, facilitator):
    response = client_for(facilitator).post(url("draft_edit", item.pk),
                                            {"text": "ข้อ 1 ใหม่"})
    assert response.status_code == 403
    assert DraftVersion.objects.filter(item=item).count() == 1
