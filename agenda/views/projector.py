"""The projector: a read-only screen per room (and the plenary), opened by its
secret link, with no sign-in and no controls."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.http import require_GET

from agenda import live
from assembly import realtime
from assembly.models import Room


@require_GET
def projector(request, token: str):
    """``?lang=en`` shows the screen in English (a hall's projector has no
    language switch); without it, the browser's chosen language, Thai first.
    Its socket follows the pushes in the same language."""
    room = get_object_or_404(
        Room.objects.select_related("assembly"), projector_token=token
    )
    language = request.GET.get("lang")
    if language not in realtime.languages():
        language = translation.get_language()
    with translation.override(language):
        context = live.room_context(room)
        context["token"] = token
        response = render(request, "agenda/projector.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
