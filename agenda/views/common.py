"""What every agenda view shares: finding the room, permissions, refusals, and
answering with the full page (no ``HX-Request``) or the partial (with it)."""

from __future__ import annotations

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from assembly.models import Room


def can(user, perm: str, obj, *, fallback: str) -> bool:
    """``user.has_perm(perm, obj)``; ``fallback`` (an ``assembly.*`` perm) while
    the agenda permission is not registered."""
    if rules.perm_exists(perm):
        return user.has_perm(perm, obj)
    return user.has_perm(fallback, obj)


def is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def message_of(exc: Exception) -> str:
    """The translated, readable message of a refusal."""
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    text = str(exc)
    return text or _("You are not allowed to do this.")


def status_of(exc: Exception) -> int:
    return 403 if isinstance(exc, PermissionDenied) else 422


def refused_page(request, message: str, *, status: int = 403):
    """A refusal as a page (or, for htmx, just the message)."""
    template = "agenda/refused.html"
    if is_htmx(request):
        template += "#message"
    return render(request, template, {"message": message}, status=status)


def room_or_404(room_id: int) -> Room:
    return get_object_or_404(Room.objects.select_related("assembly"), pk=room_id)


def page_gate(request, room: Room, perm: str):
    """None when the person may open the page; else the response to send."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, room):
        if perm == "assembly.run_room":
            message = _("Only the room's facilitators can open its console.")
        else:
            message = _(
                "This room is not open to you. Delegates follow their own room."
            )
        return refused_page(request, message)
    return None
