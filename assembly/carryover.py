"""The next assembly, made from the last one: the same partner organisations
(the same ``Organisation`` rows: contract 8), the rooms' structure, and the
previous assembly's unfinished resolutions put on its review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assembly import services
from assembly.models import Assembly, Partner, Room


@dataclass(frozen=True)
class CarryOver:
    """What to bring from the previous assembly."""

    partners: bool = True  # its partner organisations (seated as they were)
    rooms: bool = True  # its breakout rooms: numbers and names, no facilitators
    review: bool = True  # its unfinished resolutions, for review


@transaction.atomic
def assembly_create_next(
    *,
    previous: Assembly,
    actor,
    title_th: str,
    starts_on: date,
    venue_th: str,
    province_th: str,
    title_en: str = "",
    venue_en: str = "",
    province_en: str = "",
    carry: CarryOver = CarryOver(),
) -> Assembly:
    """Create the assembly that follows ``previous`` (status preparing, next
    edition, the same reporting interval and secretariat) and carry over what
    ``carry`` says. ``actor`` None is the system (the demo); otherwise the
    secretariat of ``previous``. Refuses a first day that is not after the
    previous assembly's last. Partners without rooms carried sit in no room.
    """
    if actor is not None and not actor.has_perm("assembly.manage_assembly", previous):
        raise PermissionDenied(
            _("Only the secretariat of this assembly may create the next one."))
    if starts_on <= previous.ends_on:
        raise ValidationError(
            {"starts_on": _("The next assembly starts after this one ends.")})
    assembly = services.assembly_create(
        title_th=title_th.strip(), title_en=title_en.strip(),
        edition=previous.edition + 1, starts_on=starts_on, venue_th=venue_th.strip(),
        venue_en=venue_en.strip(), province_th=province_th.strip(),
        province_en=province_en.strip(),
        reporting_interval_days=previous.reporting_interval_days, actor=actor,
    )
    assembly.secretariat.add(*previous.secretariat.all())
    rooms: dict[int, Room] = {}
    if carry.rooms:
        for room in Room.objects.filter(assembly=previous,
                                        kind=Room.Kind.BREAKOUT).order_by("number"):
            rooms[room.pk] = services.room_create(
                assembly=assembly, number=room.number, name_th=room.name_th,
                name_en=room.name_en)
    if carry.partners:
        for partner in Partner.objects.filter(assembly=previous).select_related(
                "organisation"):
            services.partner_add(assembly=assembly, organisation=partner.organisation,
                                 room=rooms.get(partner.room_id))
    if carry.review:
        from resolutions.services import reviews_open

        reviews_open(assembly=assembly, previous=previous)
    return assembly
