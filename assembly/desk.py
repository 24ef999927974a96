"""The check-in desk: people arriving, leaving, and present in a room without a
phone. Every change is audited; none depends on a ballot's choice."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.services import audit
from assembly.models import Assembly, AuditEvent, Delegate, DeskPresence, Room


def require_desk(actor, assembly: Assembly) -> None:
    if actor is not None and not actor.has_perm("assembly.run_desk", assembly):
        raise PermissionDenied(
            _("Only the secretariat of this assembly may run the check-in desk.")
        )


def _locked(delegate: Delegate, assembly: Assembly) -> Delegate:
    locked = (
        Delegate.objects.select_for_update()
        .select_related("partner")
        .filter(pk=delegate.pk, partner__assembly=assembly)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("This delegate is not of this assembly."))
    return locked


@transaction.atomic
def desk_check_in(*, assembly: Assembly, delegate: Delegate, actor=None) -> Delegate:
    """Check a delegate in at the desk (again, after a check-out). Checking in
    someone already checked in changes nothing."""
    require_desk(actor, assembly)
    delegate = _locked(delegate, assembly)
    if delegate.checked_in_at is None:
        delegate.checked_in_at = timezone.now()
        delegate.save(update_fields=["checked_in_at"])
        audit(AuditEvent.Kind.CHECKED_IN, actor=actor, assembly=assembly,
               delegate=delegate.pk)
    return delegate


@transaction.atomic
def desk_check_out(*, assembly: Assembly, delegate: Delegate, actor=None) -> Delegate:
    """The delegate left: not checked in, not present in any room (their
    organisation's voice counts only through someone else still there)."""
    require_desk(actor, assembly)
    delegate = _locked(delegate, assembly)
    DeskPresence.objects.filter(delegate=delegate).delete()
    if delegate.checked_in_at is not None:
        delegate.checked_in_at = None
        delegate.save(update_fields=["checked_in_at"])
        audit(AuditEvent.Kind.CHECKED_OUT, actor=actor, assembly=assembly,
               delegate=delegate.pk)
    return delegate


def rooms_for(delegate: Delegate) -> list[Room]:
    """The rooms a delegate sits in: the plenary and their breakout room."""
    rooms = Room.objects.filter(assembly_id=delegate.partner.assembly_id)
    return [r for r in rooms.order_by("number")
            if r.is_plenary or r.pk == delegate.partner.room_id]


@transaction.atomic
def desk_mark_present(*, assembly: Assembly, delegate: Delegate, room: Room,
                      actor=None) -> DeskPresence:
    """Count a delegate without a phone as present in ``room`` (their breakout
    room or the plenary), checking them in if they were not. One room at a
    time: marking them in another room moves them."""
    require_desk(actor, assembly)
    delegate = _locked(delegate, assembly)
    if room.pk not in {r.pk for r in rooms_for(delegate)}:
        raise ValidationError(
            _("%(name)s sits in the plenary and in their own breakout room only.")
            % {"name": delegate.name}
        )
    if delegate.checked_in_at is None:
        delegate.checked_in_at = timezone.now()
        delegate.save(update_fields=["checked_in_at"])
        audit(AuditEvent.Kind.CHECKED_IN, actor=actor, assembly=assembly,
               delegate=delegate.pk)
    presence, _created = DeskPresence.objects.update_or_create(
        delegate=delegate, defaults={"room": room, "marked_by": actor}
    )
    audit(AuditEvent.Kind.MARKED_PRESENT, actor=actor, assembly=assembly,
           delegate=delegate.pk, room=room.pk)
    return presence


@transaction.atomic
def desk_clear_presence(*, assembly: Assembly, delegate: Delegate, actor=None) -> bool:
    """The delegate left the room (they stay checked in). True if they were marked."""
    require_desk(actor, assembly)
    delegate = _locked(delegate, assembly)
    deleted, _rows = DeskPresence.objects.filter(delegate=delegate).delete()
    if deleted:
        audit(AuditEvent.Kind.PRESENCE_CLEARED, actor=actor, assembly=assembly,
               delegate=delegate.pk)
    return bool(deleted)
