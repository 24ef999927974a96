"""What the voting views share: refusals and full-page-or-partial rendering."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext as _


def message_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def refused(request, message: str):
    """A refusal: 403 with its message (a fragment for htmx, else the 403 page)."""
    if not request.htmx:
        raise PermissionDenied(message)
    html = format_html('<p class="notice-error" role="alert">{}</p>', message)
    return HttpResponse(html, status=403)


def render_part(request, template: str, partial: str, context: dict,
                status: int = 200):
    """The whole page without ``HX-Request``, the named partial with it."""
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)
