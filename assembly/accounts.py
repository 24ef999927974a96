"""Accounts of the people who run an assembly, managed by its secretariat on its
own pages: facilitators, lead-agency staff and the secretariat itself.

An account signs in by its personal link (``assembly.links``); a password is
possible, never required. Delegates' accounts are made with their delegate
(``services.delegate_create``) and are not managed here.

Who may change what (the secretariat of assembly A, "you"):

- roles in A (its secretariat, the facilitators of its rooms): any account but
  a superuser's or a delegate's;
- everything else (name, e-mail, which organisation's staff, active or not,
  its sign-in link): only an account *within your reach*, one whose every tie
  (secretariat, rooms, organisations served, and the assemblies those
  organisations take part in) is to assemblies you run. An account also used
  elsewhere belongs to those secretariats too: changing its e-mail or issuing
  its link would let you act as that person there.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from assembly import links, realtime
from assembly.services import audit
from assembly.models import Assembly, AuditEvent, Delegate, Organisation, Room

User = get_user_model()

NAME_MAX = 150


def require_accounts(actor, assembly: Assembly) -> None:
    if actor is not None and not actor.has_perm("assembly.manage_accounts", assembly):
        raise PermissionDenied(
            _("Only the secretariat of this assembly may manage its accounts.")
        )


# --- Reads -------------------------------------------------------------------------------


def organisations_of(assembly: Assembly) -> QuerySet[Organisation]:
    """The organisations taking part in this assembly: its partners and the lead
    agencies and co-leads of its agenda items. Organisations outlive an assembly
    (the next year's carries them over), so "every organisation" grows year after
    year: choices for this assembly (staff, co-leads) offer these."""
    return (
        Organisation.objects.filter(
            Q(partnerships__assembly=assembly)
            | Q(led_items__assembly=assembly)
            | Q(co_led_items__assembly=assembly)
        )
        .distinct()
        .order_by("name_th")
    )


def accounts_of(assembly: Assembly) -> QuerySet:
    """Every account with a role at this assembly other than a delegate's: its
    secretariat, its rooms' facilitators, the staff of its organisations."""
    return (
        User.objects.filter(
            Q(secretariat_of=assembly)
            | Q(facilitated_rooms__assembly=assembly)
            | Q(organisations_staffed__in=organisations_of(assembly))
        )
        .filter(delegate__isnull=True)
        .distinct()
    )


def assemblies_of(user) -> set[int]:
    """The assemblies an account is tied to, by any of its roles."""
    ids = set(user.secretariat_of.values_list("pk", flat=True))
    ids |= set(
        Room.objects.filter(facilitators=user).values_list("assembly_id", flat=True)
    )
    orgs = Organisation.objects.filter(staff=user)
    for path in ("partnerships__assembly", "led_items__assembly",
                 "co_led_items__assembly"):
        ids |= {pk for pk in orgs.values_list(path, flat=True) if pk is not None}
    ids |= set(
        Delegate.objects.filter(user=user).values_list("partner__assembly", flat=True)
    )
    return ids


def within_reach(actor, user) -> bool:
    """May ``actor`` change ``user``'s person, e-mail, organisation, active
    state and link? (See the module's docstring.)"""
    if actor is None or actor.is_superuser:
        return True
    if user.is_superuser or user.is_staff:
        return False
    if Delegate.objects.filter(user=user).exists():
        return False
    runs = set(actor.secretariat_of.values_list("pk", flat=True))
    return assemblies_of(user) <= runs


def require_reach(actor, user) -> None:
    if not within_reach(actor, user):
        raise PermissionDenied(
            _("This account is also used at an assembly you do not run: only its "
              "roles here can be changed from this page.")
        )


# --- Checks --------------------------------------------------------------------------------


def _clean_person(*, first_name: str, last_name: str, email: str) -> dict:
    first_name, last_name, email = first_name.strip(), last_name.strip(), email.strip()
    if not first_name:
        raise ValidationError(_("Give the person's first name."))
    if len(first_name) > NAME_MAX or len(last_name) > NAME_MAX:
        raise ValidationError(_("A name is at most 150 characters long."))
    if email:
        validate_email(email)
    return {"first_name": first_name, "last_name": last_name, "email": email.lower()}


def _clean_roles(assembly: Assembly, rooms, organisation) -> list[Room]:
    rooms = list(rooms or [])
    if any(r.assembly_id != assembly.pk or r.is_plenary for r in rooms):
        raise ValidationError(_("A facilitator runs breakout rooms of this assembly."))
    if organisation is not None and not organisations_of(assembly).filter(
        pk=organisation.pk
    ).exists():
        raise ValidationError(_("Choose an organisation that takes part in this assembly."))
    return rooms


def _set_roles(*, assembly: Assembly, user, secretariat: bool, rooms: list[Room]) -> None:
    """Make the roles of ``user`` at ``assembly`` exactly these; roles elsewhere stay."""
    if secretariat:
        assembly.secretariat.add(user)
    else:
        assembly.secretariat.remove(user)
    current = set(Room.objects.filter(assembly=assembly, facilitators=user))
    wanted = set(rooms)
    for room in current - wanted:
        room.facilitators.remove(user)
    for room in wanted - current:
        room.facilitators.add(user)


def _set_organisation(*, assembly: Assembly, user, organisation) -> None:
    """Staff of ``organisation`` (or of none) among this assembly's organisations."""
    for org in organisations_of(assembly).filter(staff=user):
        if organisation is None or org.pk != organisation.pk:
            org.staff.remove(user)
    if organisation is not None:
        organisation.staff.add(user)


# --- State changes ---------------------------------------------------------------------------


@transaction.atomic
def account_create(*, assembly: Assembly, actor=None, username: str, first_name: str,
                   last_name: str = "", email: str = "", secretariat: bool = False,
                   rooms=(), organisation: Organisation | None = None):
    """A new account with its roles at ``assembly``. It has no password: the
    person signs in by a personal link (or sets a password once signed in)."""
    require_accounts(actor, assembly)
    username = username.strip()
    if not username:
        raise ValidationError(_("Give a username."))
    UnicodeUsernameValidator()(username)
    if len(username) > 150:
        raise ValidationError(_("A username is at most 150 characters long."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This username is taken; choose another."))
    person = _clean_person(first_name=first_name, last_name=last_name, email=email)
    rooms = _clean_roles(assembly, rooms, organisation)
    if not (secretariat or rooms or organisation):
        raise ValidationError(
            _("Give the account a role: secretariat, facilitator or agency staff.")
        )
    user = User(username=username, **person)
    user.set_unusable_password()
    user.save()
    _set_roles(assembly=assembly, user=user, secretariat=secretariat, rooms=rooms)
    _set_organisation(assembly=assembly, user=user, organisation=organisation)
    audit(AuditEvent.Kind.ACCOUNT_CREATED, actor=actor, assembly=assembly,
           account=user.pk)
    return user


@transaction.atomic
def account_update(*, assembly: Assembly, user, actor=None, first_name: str,
                   last_name: str = "", email: str = "", secretariat: bool = False,
                   rooms=(), organisation: Organisation | None = None):
    """Change an account's person and roles at ``assembly``. The person, e-mail
    and organisation only change for an account within the actor's reach;
    otherwise giving new values for them raises PermissionDenied."""
    require_accounts(actor, assembly)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser or Delegate.objects.filter(user=user).exists():
        raise PermissionDenied(_("This account is not managed on this page."))
    rooms = _clean_roles(assembly, rooms, organisation)
    person = _clean_person(first_name=first_name, last_name=last_name, email=email)
    current_org = organisations_of(assembly).filter(staff=user).first()
    changes_person = any(getattr(user, k) != v for k, v in person.items())
    if changes_person or current_org != organisation:
        require_reach(actor, user)
    if actor is not None and user.pk == actor.pk and not secretariat and (
        assembly.secretariat.filter(pk=user.pk).exists()
    ):
        raise ValidationError(_("You cannot take yourself off the secretariat."))
    for key, value in person.items():
        setattr(user, key, value)
    user.save(update_fields=list(person))
    _set_roles(assembly=assembly, user=user, secretariat=secretariat, rooms=rooms)
    if current_org != organisation:
        _set_organisation(assembly=assembly, user=user, organisation=organisation)
    audit(AuditEvent.Kind.ACCOUNT_CHANGED, actor=actor, assembly=assembly,
           account=user.pk)
    return user


@transaction.atomic
def account_deactivate(*, assembly: Assembly, user, actor=None):
    """Stop an account signing in: its link is revoked, every session of it
    ends at its next request (Django refuses an inactive account's session),
    and its sockets close now. Its roles and history stay; it can be
    reactivated."""
    require_accounts(actor, assembly)
    require_reach(actor, user)
    if actor is not None and user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    links.link_revoke(user=user, actor=actor, assembly=assembly)
    user.is_active = False
    user.save(update_fields=["is_active"])
    user_id = user.pk
    transaction.on_commit(lambda: realtime.close_group(realtime.user_group(user_id)))
    audit(AuditEvent.Kind.ACCOUNT_DEACTIVATED, actor=actor, assembly=assembly,
           account=user.pk)
    return user


@transaction.atomic
def account_reactivate(*, assembly: Assembly, user, actor=None):
    """Let a deactivated account sign in again (with a new link)."""
    require_accounts(actor, assembly)
    require_reach(actor, user)
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    audit(AuditEvent.Kind.ACCOUNT_REACTIVATED, actor=actor, assembly=assembly,
           account=user.pk)
    return user


def suggested_username(first_name: str, last_name: str = "") -> str:
    """A free username for a new account (the person never needs to type it:
    they sign in by link)."""
    base = "".join(c for c in f"{first_name}{last_name}".lower() if c.isalnum())[:20]
    base = base or "user"
    for _attempt in range(20):
        candidate = f"{base}-{secrets.token_hex(2)}"
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    return f"user-{secrets.token_hex(6)}"
