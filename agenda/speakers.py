"""The speaker list of a room (ขอพูด): requests, the queue, the speaker's time.

Services here are keyword-only and atomic; each locks the room's row, so two
requests racing (a call-next and a withdrawal, two facilitators) are serialised,
and the partial unique constraints on ``SpeakerRequest`` back every rule. The
server holds the time: a speaker's turn ends at ``started_at + duration``, and
every screen counts down to that moment, whenever it (re)connected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda import live
from agenda.models import SpeakerRequest
from assembly.models import Delegate, Room

DEFAULT_SECONDS = 180
MIN_SECONDS = 15
MAX_SECONDS = 30 * 60

Status = SpeakerRequest.Status


# --- Reads ------------------------------------------------------------------------


def ends_at(request: SpeakerRequest) -> datetime | None:
    """When a speaker's time is up (None when the turn has not started)."""
    if request.started_at is None:
        return None
    return request.started_at + timedelta(seconds=request.duration_seconds)


def remaining_seconds(request: SpeakerRequest, now: datetime | None = None) -> int:
    """Seconds left of a turn at ``now`` (never below 0)."""
    end = ends_at(request)
    if end is None:
        return request.duration_seconds
    now = now or timezone.now()
    return max(0, int((end - now).total_seconds() + 0.999))


@dataclass
class SpeakerList:
    """What every screen of a room shows of its speaker list."""

    room: Room
    speaking: SpeakerRequest | None
    waiting: list[SpeakerRequest] = field(default_factory=list)
    now: datetime = field(default_factory=timezone.now)

    @property
    def ends_at(self) -> datetime | None:
        return ends_at(self.speaking) if self.speaking else None

    @property
    def ends_at_iso(self) -> str:
        """The end as UTC ISO 8601 (what screens count down to), or ""."""
        end = self.ends_at
        if end is None:
            return ""
        return end.astimezone(UTC).isoformat(timespec="milliseconds").replace(
            "+00:00", "Z"
        )

    @property
    def remaining(self) -> int:
        return remaining_seconds(self.speaking, self.now) if self.speaking else 0

    @property
    def remaining_display(self) -> str:
        minutes, seconds = divmod(self.remaining, 60)
        return f"{minutes}:{seconds:02d}"

    @property
    def next(self) -> SpeakerRequest | None:
        return self.waiting[0] if self.waiting else None


def speaker_list(room: Room) -> SpeakerList:
    """The room's current speaker and its waiting queue, in the order asked."""
    requests = list(
        SpeakerRequest.objects.filter(
            room=room, status__in=[Status.WAITING, Status.SPEAKING]
        )
        .select_related("delegate__partner__organisation")
        .order_by("requested_at", "pk")
    )
    speaking = next((r for r in requests if r.status == Status.SPEAKING), None)
    waiting = [r for r in requests if r.status == Status.WAITING]
    return SpeakerList(room=room, speaking=speaking, waiting=waiting)


def open_request(room: Room, delegate: Delegate | None) -> SpeakerRequest | None:
    """The delegate's waiting or speaking request in the room, if any."""
    if delegate is None:
        return None
    return SpeakerRequest.objects.filter(
        room=room, delegate=delegate, status__in=[Status.WAITING, Status.SPEAKING]
    ).first()


def queue_position(room: Room, delegate: Delegate | None) -> int | None:
    """1 for the next speaker, 2 after them ...; None when not waiting."""
    mine = open_request(room, delegate)
    if mine is None or mine.status != Status.WAITING:
        return None
    return (
        SpeakerRequest.objects.filter(room=room, status=Status.WAITING)
        .filter(requested_at__lte=mine.requested_at)
        .exclude(requested_at=mine.requested_at, pk__gt=mine.pk)
        .count()
    )


# --- Changes ----------------------------------------------------------------------


def _lock(room: Room) -> Room:
    return Room.objects.select_for_update().get(pk=room.pk)


def _check_runs(room: Room, actor) -> None:
    if not actor.has_perm("assembly.run_room", room):
        raise PermissionDenied(
            _("Only the room's facilitators manage the speaker list.")
        )


def _check_duration(duration_seconds: int) -> int:
    try:
        duration = int(duration_seconds)
    except (TypeError, ValueError):
        raise ValidationError(_("The speaking time must be a number of seconds."))
    if not MIN_SECONDS <= duration <= MAX_SECONDS:
        raise ValidationError(
            _("The speaking time must be between %(low)s seconds and %(high)s minutes.")
            % {"low": MIN_SECONDS, "high": MAX_SECONDS // 60}
        )
    return duration


@transaction.atomic
def speaker_request(*, room: Room, delegate: Delegate) -> SpeakerRequest:
    """A delegate seated in the room asks to speak; joins the end of the queue.

    Refused when the delegate is not of the room, not checked in, or already
    waiting or speaking (once at a time).
    """
    partner = delegate.partner
    seated = partner.assembly_id == room.assembly_id and (
        room.is_plenary or partner.room_id == room.pk
    )
    if not seated:
        raise PermissionDenied(_("You can ask to speak only in your own room."))
    if delegate.checked_in_at is None:
        raise ValidationError(_("Check in first; then you can ask to speak."))
    _lock(room)
    if open_request(room, delegate) is not None:
        raise ValidationError(_("You have already asked to speak."))
    try:
        with transaction.atomic():
            request = SpeakerRequest.objects.create(room=room, delegate=delegate)
    except IntegrityError:  # a double tap that slipped past the lock (no row lock)
        raise ValidationError(_("You have already asked to speak."))
    live.push_speakers(room)
    return request


@transaction.atomic
def speaker_withdraw(*, room: Room, delegate: Delegate) -> SpeakerRequest:
    """A waiting delegate leaves the queue."""
    _lock(room)
    request = open_request(room, delegate)
    if request is None:
        raise ValidationError(_("You are not on the speaker list."))
    if request.status == Status.SPEAKING:
        raise ValidationError(
            _("You have the floor now; the facilitator ends your turn.")
        )
    request.status = Status.WITHDRAWN
    request.ended_at = timezone.now()
    request.save(update_fields=["status", "ended_at"])
    live.push_speakers(room)
    return request


@transaction.atomic
def speaker_call_next(*, room: Room, actor, duration_seconds: int = DEFAULT_SECONDS
                      ) -> SpeakerRequest:
    """End the current turn, if any, and give the floor to the first in the queue.

    The new turn ends ``duration_seconds`` after now, by the server's clock.
    Refused, changing nothing, when nobody is waiting.
    """
    _check_runs(room, actor)
    duration = _check_duration(duration_seconds)
    _lock(room)
    queue = speaker_list(room)
    if queue.next is None:
        raise ValidationError(_("Nobody is waiting to speak."))
    now = timezone.now()
    if queue.speaking is not None:
        _end(queue.speaking, now)
    request = queue.next
    request.status = Status.SPEAKING
    request.started_at = now
    request.duration_seconds = duration
    request.save(update_fields=["status", "started_at", "duration_seconds"])
    live.push_speakers(room)
    return request


def _end(request: SpeakerRequest, now: datetime) -> None:
    request.status = Status.DONE
    request.ended_at = now
    request.save(update_fields=["status", "ended_at"])


@transaction.atomic
def speaker_finish(*, room: Room, actor) -> SpeakerRequest:
    """End the current speaker's turn."""
    _check_runs(room, actor)
    _lock(room)
    speaking = speaker_list(room).speaking
    if speaking is None:
        raise ValidationError(_("Nobody is speaking."))
    _end(speaking, timezone.now())
    live.push_speakers(room)
    return speaking


@transaction.atomic
def speaker_set_time(*, room: Room, actor, duration_seconds: int) -> SpeakerRequest:
    """Change the current speaker's time; the turn still counts from its start."""
    _check_runs(room, actor)
    duration = _check_duration(duration_seconds)
    _lock(room)
    speaking = speaker_list(room).speaking
    if speaking is None:
        raise ValidationError(_("Nobody is speaking."))
    speaking.duration_seconds = duration
    speaking.save(update_fields=["duration_seconds"])
    live.push_speakers(room)
    return speaking
