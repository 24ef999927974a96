"""Every state change of the assembly app.

Keyword-only, atomic, and raising ``ValidationError`` / ``PermissionDenied`` with a
message a person can read.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import (
    Assembly,
    AuditEvent,
    Delegate,
    Organisation,
    Partner,
    Room,
)

User = get_user_model()

TOKEN_BYTES = 32  # 256 bits


# Refusals are what a script can make by the thousand: their rows are budgeted
# (assembly.throttles.refusal_recorded); every other event is always written.
REFUSALS = {
    AuditEvent.Kind.SIGN_IN_FAILED,
    AuditEvent.Kind.PERMISSION_REFUSED,
    AuditEvent.Kind.BALLOT_REFUSED,
}


def audit(kind: str, *, actor=None, assembly: Assembly | None = None,
          address: str | None = None, **detail) -> AuditEvent | None:
    """Record a security-relevant event. Callers never pass a secret choice.

    A refusal past its person's or address's allowance is not written (None);
    the first one past it is written with ``detail["throttled"] = True``, saying
    that what follows in the window is not recorded one by one."""
    from assembly import throttles

    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if kind in REFUSALS:
        verdict = throttles.refusal_recorded(
            actor_id=actor.pk if actor is not None else None, address=address
        )
        if verdict == "no":
            return None
        if verdict == "last":
            detail = {**detail, "throttled": True}
    return AuditEvent.objects.create(
        kind=kind, actor=actor, assembly=assembly, address=address, detail=detail
    )


def new_projector_token() -> str:
    return secrets.token_urlsafe(24)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def assembly_create(*, title_th: str, title_en: str = "", edition: int = 1,
                    starts_on: date, ends_on: date | None = None, venue_th: str,
                    venue_en: str = "", province_th: str, province_en: str = "",
                    reporting_interval_days: int = 90, actor=None) -> Assembly:
    """Create an assembly with its plenary room; the creator joins the secretariat."""
    assembly = Assembly(
        title_th=title_th, title_en=title_en, edition=edition, starts_on=starts_on,
        ends_on=ends_on or starts_on, venue_th=venue_th, venue_en=venue_en,
        province_th=province_th, province_en=province_en,
        reporting_interval_days=reporting_interval_days,
    )
    _check_assembly(assembly)
    assembly.full_clean()
    assembly.save()
    Room.objects.create(
        assembly=assembly, kind=Room.Kind.PLENARY, number=0,
        name_th="ที่ประชุมใหญ่", name_en="Plenary",
        projector_token=new_projector_token(),
    )
    if actor is not None and actor.is_authenticated:
        assembly.secretariat.add(actor)
    return assembly


def room_create(*, assembly: Assembly, number: int, name_th: str, name_en: str = "") -> Room:
    if number < 1:
        raise ValidationError(_("A breakout room's number starts at 1."))
    if Room.objects.filter(assembly=assembly, number=number).exists():
        raise ValidationError(_("Room %(number)s already exists.") % {"number": number})
    return Room.objects.create(
        assembly=assembly, kind=Room.Kind.BREAKOUT, number=number, name_th=name_th,
        name_en=name_en, projector_token=new_projector_token(),
    )


def plenary_of(assembly: Assembly) -> Room:
    return Room.objects.get(assembly=assembly, kind=Room.Kind.PLENARY)


def partner_add(*, assembly: Assembly, organisation: Organisation,
                room: Room | None = None) -> Partner:
    """Seat an organisation at an assembly (idempotent), in a breakout room."""
    if room is not None and (room.assembly_id != assembly.pk or room.is_plenary):
        raise ValidationError(_("A partner sits in one breakout room of this assembly."))
    partner, created = Partner.objects.get_or_create(
        assembly=assembly, organisation=organisation, defaults={"room": room}
    )
    if not created and room is not None and partner.room_id != room.pk:
        partner.room = room
        partner.save(update_fields=["room"])
    return partner


def delegate_create(*, partner: Partner, name_th: str, name_en: str = "",
                    kind: str = Delegate.Kind.VOTING, phone: str = "",
                    email: str = "") -> Delegate:
    """A delegate with an account that can only be entered by a sign-in link."""
    user = User(username=f"d-{secrets.token_hex(8)}", first_name=name_th[:150])
    user.set_unusable_password()
    user.save()
    delegate = Delegate(
        partner=partner, user=user, name_th=name_th, name_en=name_en, kind=kind,
        phone=phone, email=email,
    )
    delegate.full_clean(exclude=["user"])
    delegate.save()
    return delegate


def _account(delegate: Delegate | None, user):
    if (delegate is None) == (user is None):
        raise TypeError("give a delegate or a user")
    return delegate.user if delegate is not None else user


def signin_link_issue(*, delegate: Delegate | None = None, user=None, actor=None,
                      assembly: Assembly | None = None) -> str:
    """Issue a new personal link for a delegate or any account (``links``)."""
    from assembly import links

    return links.link_issue(user=_account(delegate, user), actor=actor,
                            assembly=assembly)


def signin_link_revoke(*, delegate: Delegate | None = None, user=None, actor=None,
                       assembly: Assembly | None = None) -> int:
    """Revoke a delegate's or an account's link and end its sessions (``links``)."""
    from assembly import links

    return links.link_revoke(user=_account(delegate, user), actor=actor,
                             assembly=assembly)


def delegate_check_in(*, delegate: Delegate) -> bool:
    """Check a delegate in at their first sign-in. True when this checked them in."""
    updated = Delegate.objects.filter(pk=delegate.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now()
    )
    if updated:
        delegate.refresh_from_db(fields=["checked_in_at"])
    return bool(updated)


# --- Setting up an assembly (the secretariat's pages) ---------------------------


def require_secretariat(actor, assembly: Assembly) -> None:
    """Raise PermissionDenied unless ``actor`` may manage ``assembly``.

    ``actor`` None is the system (demo data, imports, tests) and may.
    """
    if actor is not None and not actor.has_perm("assembly.manage_assembly", assembly):
        raise PermissionDenied(
            _("Only the secretariat of this assembly may change how it is set up.")
        )

ASSEMBLY_FIELDS = (
    "title_th", "title_en", "edition", "starts_on", "ends_on", "venue_th",
    "venue_en", "province_th", "province_en", "reporting_interval_days",
)

# The one way an assembly's status moves: forward, one step at a time.
STATUS_NEXT = {
    Assembly.Status.PREPARING: Assembly.Status.IN_SESSION,
    Assembly.Status.IN_SESSION: Assembly.Status.CLOSED,
    Assembly.Status.CLOSED: Assembly.Status.FOLLOWING_UP,
}


def _check_assembly(assembly: Assembly) -> None:
    """The model's constraints, with messages a person can read."""
    starts, ends = assembly.starts_on, assembly.ends_on
    if starts and ends and ends < starts:
        raise ValidationError(_("The last day cannot be before the first day."))
    if assembly.reporting_interval_days is not None and (
        assembly.reporting_interval_days < 1
    ):
        raise ValidationError(_("Progress is reported at least every day."))


@transaction.atomic
def assembly_update(*, assembly: Assembly, actor=None, **fields) -> Assembly:
    """Change an assembly's titles, dates, venue or reporting interval.

    Only the fields in ``ASSEMBLY_FIELDS`` may be given; the status moves with
    ``assembly_set_status``. Raises ValidationError and changes nothing when a
    value is not valid.
    """
    require_secretariat(actor, assembly)
    unknown = set(fields) - set(ASSEMBLY_FIELDS)
    if unknown:
        raise ValidationError(_("These details cannot be changed here."))
    assembly = Assembly.objects.select_for_update().get(pk=assembly.pk)
    for name, value in fields.items():
        setattr(assembly, name, value)
    _check_assembly(assembly)
    assembly.full_clean(exclude=["secretariat", "partners"])
    assembly.save(update_fields=list(fields) or None)
    return assembly


@transaction.atomic
def assembly_set_status(*, assembly: Assembly, status: str, actor=None) -> Assembly:
    """Move the assembly to ``status``: preparing → in session → closed →
    following up, one step forward at a time. Any other move raises
    ValidationError and changes nothing. Takes a row lock: two secretaries
    pressing the button at once move it one step, not two."""
    require_secretariat(actor, assembly)
    locked = Assembly.objects.select_for_update().get(pk=assembly.pk)
    if status not in Assembly.Status.values:
        raise ValidationError(_("That is not a status an assembly can have."))
    expected = STATUS_NEXT.get(locked.status)
    if status != expected:
        raise ValidationError(
            _("An assembly cannot move from “%(current)s” to “%(wanted)s”.")
            % {
                "current": Assembly.Status(locked.status).label,
                "wanted": Assembly.Status(status).label,
            }
        )
    locked.status = status
    locked.save(update_fields=["status"])
    assembly.status = status
    return locked


@transaction.atomic
def room_update(*, room: Room, name_th: str, name_en: str = "",
                number: int | None = None, facilitators=None, actor=None) -> Room:
    """Rename or renumber a room and, when ``facilitators`` is given, make them
    its facilitators (replacing the earlier ones). The plenary keeps number 0."""
    room = Room.objects.select_for_update().select_related("assembly").get(pk=room.pk)
    require_secretariat(actor, room.assembly)
    if number is not None and number != room.number:
        if room.is_plenary:
            raise ValidationError(_("The plenary's number is always 0."))
        if number < 1:
            raise ValidationError(_("A breakout room's number starts at 1."))
        taken = Room.objects.filter(assembly_id=room.assembly_id, number=number)
        if taken.exclude(pk=room.pk).exists():
            raise ValidationError(
                _("Room %(number)s already exists.") % {"number": number}
            )
        room.number = number
    room.name_th = name_th
    room.name_en = name_en
    room.full_clean(exclude=["assembly", "facilitators"])
    room.save()
    if facilitators is not None:
        facilitators = list(facilitators)
        if any(getattr(u, "pk", None) is None for u in facilitators):
            raise ValidationError(_("Choose facilitators from the people listed."))
        if Delegate.objects.filter(user__in=facilitators).exists():
            raise ValidationError(_("A delegate cannot facilitate a room."))
        room.facilitators.set(facilitators)
    return room


@transaction.atomic
def room_add(*, assembly: Assembly, number: int, name_th: str, name_en: str = "",
             facilitators=None, actor=None) -> Room:
    """A new breakout room with its facilitators; names validated like an edit."""
    require_secretariat(actor, assembly)
    room = Room(assembly=assembly, kind=Room.Kind.BREAKOUT, number=number,
                name_th=name_th, name_en=name_en, projector_token="-")
    room.full_clean(exclude=["assembly", "facilitators", "projector_token"])
    room = room_create(assembly=assembly, number=number, name_th=name_th,
                       name_en=name_en)
    if facilitators:
        room_update(room=room, name_th=name_th, name_en=name_en,
                    facilitators=facilitators, actor=actor)
    return room


@transaction.atomic
def partners_seat(*, assembly: Assembly, seats: dict[int, int | None],
                  actor=None) -> int:
    """Seat partners in breakout rooms: ``seats`` maps a partner's pk to a room's
    pk (or None: no room yet). Every partner and room must be of this assembly
    and every room a breakout room, else ValidationError and nothing changes.
    Returns how many partners moved."""
    require_secretariat(actor, assembly)
    partners = {
        p.pk: p
        for p in Partner.objects.select_for_update().filter(
            assembly=assembly, pk__in=list(seats)
        )
    }
    rooms = {
        r.pk: r for r in Room.objects.filter(assembly=assembly, kind=Room.Kind.BREAKOUT)
    }
    if len(partners) != len(seats):
        raise ValidationError(_("A partner listed is not a partner of this assembly."))
    if any(room_id is not None and room_id not in rooms for room_id in seats.values()):
        raise ValidationError(
            _("A partner sits in one breakout room of this assembly.")
        )
    moved = 0
    for partner_id, room_id in seats.items():
        partner = partners[partner_id]
        if partner.room_id != room_id:
            partner.room_id = room_id
            partner.save(update_fields=["room"])
            moved += 1
    return moved


@transaction.atomic
def badges_issue(
    *, assembly: Assembly, delegates, actor=None
) -> list[tuple[Delegate, str]]:
    """Issue a fresh sign-in link for each delegate, for printing on badges.

    Only digests are kept, so a badge can only carry a new link: every earlier
    link of these delegates stops working. Every delegate must be of this
    assembly, else PermissionDenied and nothing is issued.
    """
    if actor is not None and not actor.has_perm("assembly.print_badges", assembly):
        raise PermissionDenied(
            _("Only the secretariat of this assembly may print badges.")
        )
    delegates = list(delegates)
    if any(d.partner.assembly_id != assembly.pk for d in delegates):
        raise PermissionDenied(_("These delegates are not all of this assembly."))
    return [(d, signin_link_issue(delegate=d, actor=actor)) for d in delegates]
