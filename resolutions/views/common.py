"""Small helpers the follow-up views share."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render


def refused(request, message: str):
    """Answer a refused action: sign in first if anonymous, else 403 with a message."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "resolutions/refused.html", {"message": message}, status=403)


def page_or_partial(request, template: str, partial: str, context: dict, status=200):
    """The full page, or with ``HX-Request`` only the named partial."""
    name = f"{template}#{partial}" if getattr(request, "htmx", False) else template
    return render(request, name, context, status=status)
