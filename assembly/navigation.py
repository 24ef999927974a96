"""Where each person works: the navigation of every page and the page a person
lands on after signing in.

A person may hold several roles (a secretariat member who also facilitates a
room); the navigation offers every role's pages, the landing page is the first
role's work in this order: secretariat (the dashboard), facilitator (their
console), lead-agency staff (their resolutions), delegate (their room). Reads
only; used lazily by ``base.html`` so a fragment answered to htmx costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from assembly.models import Assembly, Organisation, Room
from assembly.predicates import delegate_of
from assembly.selectors import current_assembly


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Roles:
    """What a signed-in person is, in the assembly they work on now."""

    assembly: Assembly | None
    secretariat: bool
    rooms: tuple[Room, ...]  # rooms they facilitate
    staff: bool  # staff of an agency (resolutions to report on)
    delegate_room: Room | None
    plenary: Room | None
    is_delegate: bool


def _working_assembly(user, delegate) -> Assembly | None:
    """The assembly a person works on: their delegate's; else the current one if
    they serve it; else the newest one they serve."""
    if delegate is not None:
        return delegate.partner.assembly
    current = current_assembly()
    served = Assembly.objects.filter(secretariat=user) | Assembly.objects.filter(
        rooms__facilitators=user
    )
    served = served.distinct()
    if current is not None and served.filter(pk=current.pk).exists():
        return current
    return served.first() or current


def roles_of(user) -> Roles:
    delegate = delegate_of(user)
    assembly = _working_assembly(user, delegate)
    rooms: tuple[Room, ...] = ()
    plenary = None
    secretariat = False
    if assembly is not None:
        secretariat = assembly.secretariat.filter(pk=user.pk).exists()
        rooms = tuple(
            Room.objects.filter(assembly=assembly, facilitators=user).order_by("number")
        )
        plenary = Room.objects.filter(assembly=assembly, kind=Room.Kind.PLENARY).first()
    delegate_room = None
    if delegate is not None:
        delegate_room = delegate.partner.room or plenary
    return Roles(
        assembly=assembly,
        secretariat=secretariat,
        rooms=rooms,
        staff=Organisation.objects.filter(staff=user).exists(),
        delegate_room=delegate_room,
        plenary=plenary,
        is_delegate=delegate is not None,
    )


def landing_url(user) -> str:
    """The page a person starts on after signing in: their own work."""
    if not getattr(user, "is_authenticated", False):
        return reverse("assembly:login")
    roles = roles_of(user)
    if roles.secretariat:
        return reverse("assembly:secretariat", kwargs={"pk": roles.assembly.pk})
    if roles.rooms:
        return reverse("agenda:console", kwargs={"room_id": roles.rooms[0].pk})
    if roles.staff:
        return reverse("resolutions:mine")
    if roles.delegate_room is not None:
        return reverse("agenda:room", kwargs={"room_id": roles.delegate_room.pk})
    return reverse("assembly:home")


def _links(user) -> list[tuple[str, str]]:
    """(label, url) of every page a person's roles work on, most used first."""
    if not getattr(user, "is_authenticated", False):
        assembly = current_assembly()
        if assembly is None:
            return []
        return [
            (_("Assembly"), reverse("assembly:detail", kwargs={"pk": assembly.pk})),
            (_("Resolutions"), reverse("resolutions:board",
                                       kwargs={"assembly_id": assembly.pk})),
        ]
    roles = roles_of(user)
    assembly = roles.assembly
    links: list[tuple[str, str]] = []
    if assembly is not None and roles.secretariat:
        links += [
            (_("Dashboard"), reverse("assembly:secretariat", kwargs={"pk": assembly.pk})),
            (_("Screens and links"),
             reverse("assembly:screens", kwargs={"pk": assembly.pk})),
        ]
        if roles.plenary is not None:
            links.append((_("Plenary console"), reverse(
                "agenda:console", kwargs={"room_id": roles.plenary.pk})))
    for room in roles.rooms:
        label = _("Console") if len(roles.rooms) == 1 else _("Console: %(room)s") % {
            "room": room.name}
        links.append((label, reverse("agenda:console", kwargs={"room_id": room.pk})))
    if roles.delegate_room is not None:
        links.append((_("My room"), reverse(
            "agenda:room", kwargs={"room_id": roles.delegate_room.pk})))
        if roles.plenary is not None and roles.plenary != roles.delegate_room:
            links.append((_("Plenary"), reverse(
                "agenda:room", kwargs={"room_id": roles.plenary.pk})))
    if roles.staff:
        links.append((_("Our resolutions"), reverse("resolutions:mine")))
    if assembly is not None and (roles.secretariat or roles.rooms or roles.is_delegate):
        links.append((_("Plenary document"), reverse(
            "agenda:plenary", kwargs={"assembly_id": assembly.pk})))
    if assembly is not None:
        if roles.secretariat:
            links.append((_("Follow-up"), reverse(
                "resolutions:followup", kwargs={"assembly_id": assembly.pk})))
        links.append((_("Resolutions"), reverse(
            "resolutions:board", kwargs={"assembly_id": assembly.pk})))
    return links


def nav_links(request) -> list[NavLink]:
    """The navigation of the page ``request`` asks for, its current page marked.

    The current page is the link whose URL is the longest prefix of the path
    (a secretariat page under the dashboard marks the dashboard), so exactly one
    link, or none, is marked."""
    seen: set[str] = set()
    links = []
    for label, url in _links(request.user):
        if url not in seen:
            seen.add(url)
            links.append((label, url))
    path = request.path
    matches = [url for _label, url in links if path.startswith(url)]
    current = max(matches, key=len) if matches else None
    return [NavLink(label, url, url == current) for label, url in links]
