"""Setting up an assembly's agenda items (the secretariat's pages).

The agenda app owns what happens to an item in its room (drafts, amendments,
speakers); this module only creates an item and edits its headline facts.
Keyword-only, atomic, raising ``ValidationError`` with a message a person can read.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agenda.models import TEXT_MAX, AgendaItem
from assembly.models import Assembly, Organisation, Room
from assembly.services import require_secretariat

DESCRIPTION_MAX = TEXT_MAX


def _check(*, assembly: Assembly, item: AgendaItem | None, number: int,
           description_th: str, description_en: str, lead_agency: Organisation,
           co_leads: list[Organisation], room: Room | None) -> None:
    if number is None or number < 1:
        raise ValidationError(_("An agenda item's number starts at 1."))
    numbers = AgendaItem.objects.filter(assembly=assembly, number=number)
    if item is not None:
        numbers = numbers.exclude(pk=item.pk)
    if numbers.exists():
        raise ValidationError(
            _("Agenda item %(number)s already exists.") % {"number": number}
        )
    for text in (description_th, description_en):
        if len(text or "") > DESCRIPTION_MAX:
            raise ValidationError(
                _("A description may be at most %(max)s characters long.")
                % {"max": DESCRIPTION_MAX}
            )
    if lead_agency is None or lead_agency.pk is None:
        raise ValidationError(_("Choose the lead agency."))
    if any(co.pk == lead_agency.pk for co in co_leads):
        raise ValidationError(_("The lead agency cannot also be a co-lead."))
    if room is not None:
        if room.assembly_id != assembly.pk or room.is_plenary:
            raise ValidationError(
                _("An agenda item is discussed in a breakout room of its assembly.")
            )
        taken = AgendaItem.objects.filter(room=room)
        if item is not None:
            taken = taken.exclude(pk=item.pk)
        if taken.exists():
            raise ValidationError(
                _("%(room)s already discusses another agenda item.")
                % {"room": room.name}
            )


@transaction.atomic
def agenda_item_create(*, assembly: Assembly, number: int, title_th: str,
                       title_en: str = "", description_th: str = "",
                       description_en: str = "", lead_agency: Organisation,
                       co_leads: Iterable[Organisation] = (),
                       room: Room | None = None, actor=None) -> AgendaItem:
    """A new agenda item of ``assembly``, discussed in ``room`` (a breakout
    room holds one item). Raises ValidationError and creates nothing when a
    value is not valid."""
    require_secretariat(actor, assembly)
    co_leads = list(co_leads)
    _check(assembly=assembly, item=None, number=number,
           description_th=description_th, description_en=description_en,
           lead_agency=lead_agency, co_leads=co_leads, room=room)
    item = AgendaItem(
        assembly=assembly, number=number, title_th=title_th, title_en=title_en,
        description_th=description_th, description_en=description_en,
        lead_agency=lead_agency, room=room,
    )
    item.full_clean(exclude=["assembly", "lead_agency", "room", "agreed_version"])
    item.save()
    item.co_leads.set(co_leads)
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, number: int, title_th: str,
                       title_en: str = "", description_th: str = "",
                       description_en: str = "", lead_agency: Organisation,
                       co_leads: Iterable[Organisation] = (),
                       room: Room | None = None, actor=None) -> AgendaItem:
    """Edit an item's number, titles, descriptions, lead agency, co-leads and
    room. Takes a row lock on the item. Raises ValidationError and changes
    nothing when a value is not valid."""
    item = AgendaItem.objects.select_for_update().select_related("assembly").get(
        pk=item.pk
    )
    require_secretariat(actor, item.assembly)
    co_leads = list(co_leads)
    _check(assembly=item.assembly, item=item, number=number,
           description_th=description_th, description_en=description_en,
           lead_agency=lead_agency, co_leads=co_leads, room=room)
    item.number = number
    item.title_th = title_th
    item.title_en = title_en
    item.description_th = description_th
    item.description_en = description_en
    item.lead_agency = lead_agency
    item.room = room
    item.full_clean(exclude=["assembly", "lead_agency", "room", "agreed_version"])
    item.save()
    item.co_leads.set(co_leads)
    return item
