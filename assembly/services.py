"""Every state change of the assembly app.

Keyword-only, atomic, and raising ``ValidationError`` / ``PermissionDenied`` with a
message a person can read.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly import realtime
from assembly.models import (
    Assembly,
    AuditEvent,
    Delegate,
    Organisation,
    Partner,
    Room,
    SignInLink,
)

User = get_user_model()

TOKEN_BYTES = 32  # 256 bits


def audit(kind: str, *, actor=None, assembly: Assembly | None = None,
          address: str | None = None, **detail) -> AuditEvent:
    """Record a security-relevant event. Callers never pass a secret choice."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
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
                    actor=None) -> Assembly:
    """Create an assembly with its plenary room; the creator joins the secretariat."""
    assembly = Assembly(
        title_th=title_th, title_en=title_en, edition=edition, starts_on=starts_on,
        ends_on=ends_on or starts_on, venue_th=venue_th, venue_en=venue_en,
        province_th=province_th, province_en=province_en,
    )
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


@transaction.atomic
def signin_link_issue(*, delegate: Delegate, actor=None) -> str:
    """Issue a new personal link; any earlier link stops working.

    Returns the token: it is shown once (badge, QR) and only its digest kept.
    """
    now = timezone.now()
    SignInLink.objects.select_for_update().filter(
        delegate=delegate, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    SignInLink.objects.create(
        delegate=delegate, token_digest=token_digest(token), created_by=actor
    )
    audit(
        AuditEvent.Kind.TOKEN_ISSUED, actor=actor, assembly=delegate.partner.assembly,
        delegate=delegate.pk,
    )
    return token


@transaction.atomic
def signin_link_revoke(*, delegate: Delegate, actor=None) -> int:
    """Revoke the delegate's link and close their open sockets."""
    count = SignInLink.objects.filter(
        delegate=delegate, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    audit(
        AuditEvent.Kind.TOKEN_REVOKED, actor=actor, assembly=delegate.partner.assembly,
        delegate=delegate.pk,
    )
    user_id = delegate.user_id
    transaction.on_commit(lambda: realtime.close_group(realtime.user_group(user_id)))
    return count


def signin_link_check(token: str) -> Delegate:
    """The delegate a token belongs to. Raises PermissionDenied for an unknown,
    forged or revoked token (the same message for each, so nothing is learnt)."""
    refused = PermissionDenied(
        _("This sign-in link is not valid. Ask the secretariat for a new one.")
    )
    if not token or len(token) > 200:
        raise refused
    digest = token_digest(token)
    link = (
        SignInLink.objects.select_related("delegate__partner__assembly")
        .filter(token_digest=digest)
        .first()
    )
    if link is None or not hmac.compare_digest(link.token_digest, digest):
        raise refused
    if link.revoked_at is not None:
        raise refused
    SignInLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link.delegate


def delegate_check_in(*, delegate: Delegate) -> bool:
    """Check a delegate in at their first sign-in. True when this checked them in."""
    updated = Delegate.objects.filter(pk=delegate.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now()
    )
    if updated:
        delegate.refresh_from_db(fields=["checked_in_at"])
    return bool(updated)
