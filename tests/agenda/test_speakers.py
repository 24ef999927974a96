"""The speaker list: once at a time, in order, one speaking, the server's clock.

Each refusal is checked for its message and for having changed nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from agenda import speakers
from agenda.models import SpeakerRequest

Status = SpeakerRequest.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def room(world):
    return world.rooms[0]


@pytest.fixture
def seated(world, room):
    """The voting delegates seated in the room, in partner order."""
    return [world.delegate_of(p) for p in world.partners_in(room)]


@pytest.fixture
def facilitator(world, room):
    return world.facilitators[room.pk]


def statuses(room):
    return list(
        SpeakerRequest.objects.filter(room=room)
        .order_by("requested_at", "pk")
        .values_list("delegate__name_th", "status")
    )


def test_requests_queue_in_the_order_asked(room, seated):
    for delegate in seated:
        speakers.speaker_request(room=room, delegate=delegate)
    queue = speakers.speaker_list(room)
    assert queue.speaking is None
    assert [r.delegate for r in queue.waiting] == seated
    assert queue.next.delegate == seated[0]
    assert speakers.queue_position(room, seated[1]) == 2


def test_a_delegate_asks_once_at_a_time(room, seated):
    speakers.speaker_request(room=room, delegate=seated[0])
    before = statuses(room)
    with pytest.raises(ValidationError) as exc:
        speakers.speaker_request(room=room, delegate=seated[0])
    assert "already asked to speak" in exc.value.messages[0]
    assert statuses(room) == before


def test_a_speaker_cannot_ask_again_while_speaking(room, seated, facilitator):
    speakers.speaker_request(room=room, delegate=seated[0])
    speakers.speaker_call_next(room=room, actor=facilitator)
    with pytest.raises(ValidationError):
        speakers.speaker_request(room=room, delegate=seated[0])


def test_after_a_turn_the_delegate_may_ask_again(room, seated, facilitator):
    speakers.speaker_request(room=room, delegate=seated[0])
    speakers.speaker_call_next(room=room, actor=facilitator)
    speakers.speaker_finish(room=room, actor=facilitator)
    again = speakers.speaker_request(room=room, delegate=seated[0])
    assert again.status == Status.WAITING


def test_a_delegate_of_another_room_is_refused(world, room):
    other = world.delegate_of(world.partners_in(world.rooms[1])[0])
    with pytest.raises(PermissionDenied) as exc:
        speakers.speaker_request(room=room, delegate=other)
    assert "your own room" in str(exc.value)
    assert not SpeakerRequest.objects.exists()


def test_every_partner_may_ask_in_the_plenary(world):
    other = world.delegate_of(world.partners_in(world.rooms[1])[0])
    request = speakers.speaker_request(room=world.plenary, delegate=other)
    assert request.status == Status.WAITING


def test_a_delegate_not_checked_in_is_refused(room, seated):
    delegate = seated[0]
    delegate.checked_in_at = None
    delegate.save()
    with pytest.raises(ValidationError) as exc:
        speakers.speaker_request(room=room, delegate=delegate)
    assert "Check in first" in exc.value.messages[0]
    assert not SpeakerRequest.objects.exists()


def test_withdraw_leaves_the_queue_and_keeps_the_order(room, seated):
    for delegate in seated:
        speakers.speaker_request(room=room, delegate=delegate)
    speakers.speaker_withdraw(room=room, delegate=seated[0])
    queue = speakers.speaker_list(room)
    assert [r.delegate for r in queue.waiting] == seated[1:]
    assert speakers.queue_position(room, seated[1]) == 1


def test_withdraw_without_a_request_is_refused(room, seated):
    with pytest.raises(ValidationError) as exc:
        speakers.speaker_withdraw(room=room, delegate=seated[0])
    assert "not on the speaker list" in exc.value.messages[0]


def test_the_speaker_cannot_withdraw_the_floor(room, seated, facilitator):
    speakers.speaker_request(room=room, delegate=seated[0])
    speakers.speaker_call_next(room=room, actor=facilitator)
    before = statuses(room)
    with pytest.raises(ValidationError):
        speakers.speaker_withdraw(room=room, delegate=seated[0])
    assert statuses(room) == before


def test_call_next_gives_the_floor_to_the_first_and_ends_the_current_turn(
    room, seated, facilitator
):
    for delegate in seated:
        speakers.speaker_request(room=room, delegate=delegate)
    first = speakers.speaker_call_next(room=room, actor=facilitator)
    assert first.delegate == seated[0] and first.status == Status.SPEAKING
    second = speakers.speaker_call_next(room=room, actor=facilitator)
    assert second.delegate == seated[1]
    first.refresh_from_db()
    assert first.status == Status.DONE and first.ended_at is not None
    assert SpeakerRequest.objects.filter(room=room, status=Status.SPEAKING).count() == 1
    assert speakers.speaker_list(room).speaking == second


def test_call_next_with_nobody_waiting_is_refused_and_the_speaker_keeps_the_floor(
    room, seated, facilitator
):
    speakers.speaker_request(room=room, delegate=seated[0])
    speakers.speaker_call_next(room=room, actor=facilitator)
    before = statuses(room)
    with pytest.raises(ValidationError) as exc:
        speakers.speaker_call_next(room=room, actor=facilitator)
    assert "Nobody is waiting" in exc.value.messages[0]
    assert statuses(room) == before


def test_only_the_rooms_facilitators_call_speakers(world, room, seated):
    speakers.speaker_request(room=room, delegate=seated[0])
    before = statuses(room)
    other_facilitator = world.facilitators[world.rooms[1].pk]
    for person in (seated[1].user, other_facilitator):
        with pytest.raises(PermissionDenied) as exc:
            speakers.speaker_call_next(room=room, actor=person)
        assert "facilitators" in str(exc.value)
    assert statuses(room) == before


def test_the_secretariat_runs_the_plenarys_speaker_list(world):
    delegate = world.delegates[0]
    speakers.speaker_request(room=world.plenary, delegate=delegate)
    called = speakers.speaker_call_next(room=world.plenary, actor=world.secretariat)
    assert called.status == Status.SPEAKING


def test_default_speaking_time_is_three_minutes_held_by_the_server(
    room, seated, facilitator
):
    speakers.speaker_request(room=room, delegate=seated[0])
    before = timezone.now()
    turn = speakers.speaker_call_next(room=room, actor=facilitator)
    assert turn.duration_seconds == 180
    assert speakers.ends_at(turn) == turn.started_at + timedelta(seconds=180)
    assert before <= turn.started_at <= timezone.now()


def test_a_reconnecting_screen_gets_the_remainder_from_the_servers_end_time(
    room, seated, facilitator
):
    """A screen that comes back 100 s into a 3-minute turn shows 1:20 left,
    whatever it saw before: the remainder is computed from ends_at."""
    speakers.speaker_request(room=room, delegate=seated[0])
    turn = speakers.speaker_call_next(room=room, actor=facilitator)
    SpeakerRequest.objects.filter(pk=turn.pk).update(
        started_at=timezone.now() - timedelta(seconds=100)
    )
    queue = speakers.speaker_list(room)  # what a (re)connecting screen is sent
    assert 79 <= queue.remaining <= 80
    assert queue.remaining_display in ("1:19", "1:20")
    assert queue.ends_at == queue.speaking.started_at + timedelta(seconds=180)
    assert queue.ends_at_iso.endswith("Z")


def test_time_is_never_negative_once_over(room, seated, facilitator):
    speakers.speaker_request(room=room, delegate=seated[0])
    turn = speakers.speaker_call_next(room=room, actor=facilitator, duration_seconds=60)
    later = turn.started_at + timedelta(seconds=300)
    assert speakers.remaining_seconds(turn, later) == 0


def test_set_time_changes_the_current_turn_counted_from_its_start(
    room, seated, facilitator
):
    speakers.speaker_request(room=room, delegate=seated[0])
    turn = speakers.speaker_call_next(room=room, actor=facilitator)
    speakers.speaker_set_time(room=room, actor=facilitator, duration_seconds=300)
    turn.refresh_from_db()
    assert speakers.ends_at(turn) == turn.started_at + timedelta(seconds=300)


@pytest.mark.parametrize("seconds", [0, 5, 31 * 60, "abc"])
def test_an_unreasonable_speaking_time_is_refused(room, seated, facilitator, seconds):
    speakers.speaker_request(room=room, delegate=seated[0])
    turn = speakers.speaker_call_next(room=room, actor=facilitator)
    with pytest.raises(ValidationError) as exc:
        speakers.speaker_set_time(
            room=room, actor=facilitator, duration_seconds=seconds
        )
    assert "speaking time" in exc.value.messages[0]
    turn.refresh_from_db()
    assert turn.duration_seconds == 180


def test_set_time_and_finish_need_a_speaker(room, facilitator):
    with pytest.raises(ValidationError) as exc:
        speakers.speaker_finish(room=room, actor=facilitator)
    assert "Nobody is speaking" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        speakers.speaker_set_time(room=room, actor=facilitator, duration_seconds=60)


def test_finish_ends_the_turn(room, seated, facilitator):
    speakers.speaker_request(room=room, delegate=seated[0])
    speakers.speaker_request(room=room, delegate=seated[1])
    speakers.speaker_call_next(room=room, actor=facilitator)
    speakers.speaker_finish(room=room, actor=facilitator)
    queue = speakers.speaker_list(room)
    assert queue.speaking is None
    assert [r.delegate for r in queue.waiting] == [seated[1]]


def test_thai_messages(room, seated):
    speakers.speaker_request(room=room, delegate=seated[0])
    with translation.override("th"), pytest.raises(ValidationError) as exc:
        speakers.speaker_request(room=room, delegate=seated[0])
    assert "ขอพูด" in exc.value.messages[0]


def test_each_change_is_pushed_to_the_room_after_commit(
    room, seated, facilitator, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    from assembly import realtime

    monkeypatch.setattr(
        realtime, "send", lambda group, html: sent.append((group, html))
    )
    # As if Thai and English screens followed the room: one rendering each.
    monkeypatch.setattr(realtime, "listening", lambda group: ["th", "en"])
    with django_capture_on_commit_callbacks(execute=True):
        speakers.speaker_request(room=room, delegate=seated[0])
    with django_capture_on_commit_callbacks(execute=True):
        speakers.speaker_call_next(room=room, actor=facilitator)
    assert [g for g, _ in sent] == [f"room.{room.pk}.th", f"room.{room.pk}.en"] * 2
    thai = sent[-2][1]
    assert 'id="speakers"' in thai and "data-ends-at" in thai
    assert seated[0].name_th in thai


def test_a_refused_change_pushes_nothing(
    room, seated, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    from assembly import realtime

    monkeypatch.setattr(
        realtime, "send", lambda group, html: sent.append((group, html))
    )
    monkeypatch.setattr(realtime, "listening", lambda group: ["th", "en"])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            speakers.speaker_withdraw(room=room, delegate=seated[0])
    assert sent == []

