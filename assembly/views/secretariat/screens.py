"""Every screen of the day on one page: the projectors, the rooms, the consoles.

The secretariat sets up the laptops at the back of each room and on the stage
from here: each projector's link (a secret link: no sign-in), with a QR code
to open it on the machine that drives the projector, and each room's page and
console (the secretariat runs any room's console as a backup facilitator).
"""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.shortcuts import render
from django.urls import reverse

from assembly.models import Assembly, Room
from assembly.views.secretariat.base import no_store, secretariat_page


@dataclass(frozen=True)
class ScreenLink:
    url: str
    qr: str  # an SVG data URI


@dataclass(frozen=True)
class RoomScreens:
    room: Room
    item_title: str
    facilitators: list[str]
    projector: ScreenLink
    room_page: ScreenLink
    console_url: str


def _link(request, path: str) -> ScreenLink:
    url = request.build_absolute_uri(path)
    return ScreenLink(url=url, qr=segno.make(url, error="m").svg_data_uri(
        scale=4, border=2))


def rooms_screens(request, assembly: Assembly) -> list[RoomScreens]:
    """The plenary first, then the breakout rooms by number."""
    rooms = (
        Room.objects.filter(assembly=assembly)
        .select_related("agenda_item")
        .prefetch_related("facilitators")
        .order_by("number")
    )
    out = []
    for room in rooms:
        item = getattr(room, "agenda_item", None) if not room.is_plenary else None
        out.append(
            RoomScreens(
                room=room,
                item_title=item.title if item else "",
                facilitators=[
                    f.get_full_name() or f.get_username() for f in room.facilitators.all()
                ],
                projector=_link(request, reverse(
                    "agenda:projector", kwargs={"token": room.projector_token})),
                room_page=_link(request, reverse(
                    "agenda:room", kwargs={"room_id": room.pk})),
                console_url=reverse("agenda:console", kwargs={"room_id": room.pk}),
            )
        )
    return out


@secretariat_page()
def screens(request, assembly: Assembly):
    """The links and QR codes of every screen. Carries the projectors' secret
    links: never cached."""
    response = render(
        request,
        "assembly/secretariat/screens.html",
        {"assembly": assembly, "rooms": rooms_screens(request, assembly)},
    )
    return no_store(response)
