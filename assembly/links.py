"""Personal sign-in links, for every account: delegates, facilitators, the
secretariat and the staff of lead agencies.

What this module promises:

- A token is 256 random bits. It is shown once (a badge, a QR code, an e-mail)
  and never stored: the database keeps its SHA-256 only.
- A link carries its token in the URL's fragment (``/s/#<token>``), which a
  browser never sends to a server. The sign-in page's script reads it and posts
  it in the request body (people without JavaScript paste the code into the
  form), so no access log, proxy log, axes record or ``Referer`` header ever
  sees a usable token.
- An account has at most one link that works. Issuing a new one revokes the
  earlier one; revoking or replacing a link ends every session opened with it
  (each is recorded in ``LinkSession``, deleted from the session store when the
  link goes, and its sockets closed), at no cost to any other request.
- Passwords stay possible and are never required.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assembly import realtime
from assembly.services import TOKEN_BYTES, audit, token_digest
from assembly.models import Assembly, AuditEvent, Delegate, LinkSession, SignInLink

log = logging.getLogger("samatcha")
User = get_user_model()

TOKEN_MAX = 200  # anything longer is not a token of ours


def sign_in_url(base_url: str, token: str) -> str:
    """The link to give a person: the token after ``#``, never in the path."""
    return base_url.rstrip("/") + reverse("assembly:token_sign_in") + "#" + token


def _assembly_of(user, assembly: Assembly | None) -> Assembly | None:
    if assembly is not None:
        return assembly
    delegate = Delegate.objects.filter(user=user).select_related("partner").first()
    return delegate.partner.assembly if delegate else None


def _who(user) -> dict:
    """Ids for the audit log (the audit page turns them into names)."""
    delegate_id = Delegate.objects.filter(user=user).values_list("pk", flat=True).first()
    if delegate_id is not None:
        return {"delegate": delegate_id}
    return {"account": user.pk}


# --- Ending the sessions a link opened ------------------------------------------------


def _end_sessions(user, links) -> int:
    """End the sessions opened with ``links`` (ids of ``user``'s links) and
    close their sockets, once the current transaction commits. Returns how
    many sessions were recorded.

    An account without a password (every delegate's) has no session but its
    links' ones: its session hash is rotated too, which ends every session it
    has at its next request at no cost to any request (Django compares the
    hash when it loads the user), sessions opened before they were recorded
    included; all its sockets close. An account with a password keeps the
    sessions it opened with the password."""
    if not user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user_id = user.pk
        transaction.on_commit(
            lambda: realtime.close_group(realtime.user_group(user_id)))
    rows = LinkSession.objects.filter(link__in=links)
    keys = list(rows.values_list("session_key", flat=True))
    if not keys:
        return 0
    rows.delete()

    def end() -> None:
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for key in keys:
            store().delete(key)
            realtime.close_group(realtime.session_group(key))

    transaction.on_commit(end)
    return len(keys)


def session_forget(session_key: str | None) -> None:
    """The person signed out of this session: nothing to end for it later."""
    if session_key:
        LinkSession.objects.filter(session_key=session_key).delete()


# --- Issuing, revoking, checking ------------------------------------------------------


def _lock_active(user) -> list[int]:
    """Lock and return the ids of ``user``'s working links (at most one)."""
    return list(
        SignInLink.objects.select_for_update()
        .filter(user=user, revoked_at__isnull=True)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def link_issue(*, user, actor=None, assembly: Assembly | None = None) -> str:
    """Issue a new personal link for ``user``; any earlier link stops working
    and the sessions it opened end. Returns the token: shown once, never kept."""
    if not user.is_active:
        raise ValidationError(_("This account is deactivated: it cannot sign in."))
    earlier = _lock_active(user)
    ended = _end_sessions(user, earlier)
    SignInLink.objects.filter(pk__in=earlier).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(TOKEN_BYTES)
    SignInLink.objects.create(user=user, token_digest=token_digest(token), created_by=actor)
    audit(
        AuditEvent.Kind.TOKEN_ISSUED, actor=actor,
        assembly=_assembly_of(user, assembly), sessions_ended=ended, **_who(user),
    )
    return token


@transaction.atomic
def link_revoke(*, user, actor=None, assembly: Assembly | None = None) -> int:
    """Revoke ``user``'s link and end every session opened with it (their
    sockets close). Returns how many links stopped working (0 or 1)."""
    active = _lock_active(user)
    ended = _end_sessions(user, SignInLink.objects.filter(user=user).values("pk"))
    count = SignInLink.objects.filter(pk__in=active).update(revoked_at=timezone.now())
    audit(
        AuditEvent.Kind.TOKEN_REVOKED, actor=actor,
        assembly=_assembly_of(user, assembly), sessions_ended=ended, **_who(user),
    )
    return count


def refused() -> PermissionDenied:
    """The one refusal for an unknown, forged, revoked or deactivated link, so
    nothing is learnt from it."""
    return PermissionDenied(
        _("This sign-in link is not valid. Ask the secretariat for a new one.")
    )


def link_check(token: str) -> SignInLink:
    """The link ``token`` opens, with its account; PermissionDenied otherwise."""
    if not token or len(token) > TOKEN_MAX:
        raise refused()
    digest = token_digest(token)
    link = SignInLink.objects.select_related("user").filter(token_digest=digest).first()
    if link is None or not hmac.compare_digest(link.token_digest, digest):
        raise refused()
    if link.revoked_at is not None or not link.user.is_active:
        raise refused()
    return link


@transaction.atomic
def link_use(*, token: str, open_session: Callable[[object], str | None]) -> SignInLink:
    """Sign in with ``token``: ``open_session(user)`` signs the person in and
    returns the new session's key, which is recorded so that revoking the link
    ends it. The link's row is locked: a revoke racing this sign-in either
    sees the session or refuses the link, never misses it."""
    link = link_check(token)
    link = SignInLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if link.revoked_at is not None:
        raise refused()
    session_key = open_session(link.user)
    if session_key:
        LinkSession.objects.update_or_create(
            session_key=session_key, defaults={"link": link}
        )
    SignInLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link


# --- Sending a link by e-mail -----------------------------------------------------------


def email_of(user) -> str:
    if user.email:
        return user.email
    delegate = Delegate.objects.filter(user=user).first()
    return delegate.email if delegate else ""


def link_email(*, user, base_url: str, actor=None,
               assembly: Assembly | None = None) -> str:
    """Issue a new link and e-mail it to the account's address, Thai first and
    English after. The token exists only in the message sent. Returns the
    address. ValidationError (and the new link revoked) when there is no
    address or the mail cannot be sent."""
    address = email_of(user)
    if not address:
        raise ValidationError(_("This account has no e-mail address."))
    token = link_issue(user=user, actor=actor, assembly=assembly)
    context = {
        "name": user.get_full_name() or user.get_username(),
        "url": sign_in_url(base_url, token),
        "assembly": assembly,
    }
    parts = []
    for language in ("th", "en"):
        with translation.override(language):
            parts.append(render_to_string("assembly/email/sign_in_link.txt", context))
    with translation.override("th"):
        subject_th = _("Your personal sign-in link")
    with translation.override("en"):
        subject_en = _("Your personal sign-in link")
    try:
        send_mail(
            f"{subject_th} / {subject_en}", "\n\n----\n\n".join(parts),
            settings.DEFAULT_FROM_EMAIL, [address],
        )
    except Exception:  # noqa: BLE001 - SMTP down, refused address ...
        log.warning("sign-in link e-mail to account %s failed", user.pk, exc_info=True)
        link_revoke(user=user, actor=actor, assembly=assembly)
        raise ValidationError(
            _("The e-mail could not be sent; the new link was withdrawn. "
              "Try again later, or show the link instead.")
        ) from None
    audit(AuditEvent.Kind.TOKEN_EMAILED, actor=actor,
           assembly=_assembly_of(user, assembly), **_who(user))
    return address
