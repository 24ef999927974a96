"""What the follow-up services share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

NARRATIVE_MAX = 5000
REASON_MAX = 2000


def require(actor, perm: str, obj, message: str) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)
