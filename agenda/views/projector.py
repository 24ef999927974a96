"""The projector: a read-only screen per room (and the plenary), opened by its
secret link, with no sign-in and no controls."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from agenda import live
from assembly.models import Room


@require_GET
def projector(request, token: str):
    room = get_object_or_404(
        Room.objects.select_related("assembly"), projector_token=token
    )
    context = live.room_context(room)
    context["token"] = token
    response = render(request, "agenda/projector.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
