"""Resolutions are born when the plenary adopts an agenda item."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.models import AgendaItem, DraftVersion
from resolutions.models import Resolution


def _figures_of(poll) -> dict:
    """What the record keeps of the poll that adopted an item (JSON-serialisable)."""
    from resolutions.wording import figures_of_poll

    return figures_of_poll(poll)


def _method_of(poll) -> str:
    if poll is not None and poll.kind == "fallback":
        return Resolution.Method.FALLBACK
    return Resolution.Method.CONSENSUS


@transaction.atomic
def resolutions_create_for_item(
    *, item: AgendaItem, poll=None, adopted_on: date | None = None
) -> list[Resolution]:
    """Turn each clause of an adopted item's text into a resolution; return them.

    Called by the voting effects inside their transaction when the plenary adopts
    ``item``. The adopted text is ``poll.version`` when the poll names one, else
    ``item.agreed_version``; clause N of item M becomes resolution "M.N", its text
    frozen. The method is the qualified-majority fallback when ``poll.kind`` is
    "fallback", else consensus; the poll's figures are recorded. The owner named
    first is the item's lead agency; the item's co-leads are joint owners. ``adopted_on`` defaults to today (local date).

    Idempotent: an item that already has resolutions gets no new ones, and the
    existing ones are returned. Raises ValidationError when there is no adopted text
    or it has no clauses.
    """
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    existing = list(item.resolutions.select_related("item", "owner"))
    if existing:
        return existing
    version: DraftVersion | None = None
    if poll is not None and poll.version_id:
        version = poll.version
    elif item.agreed_version_id:
        version = item.agreed_version
    if version is None:
        raise ValidationError(
            _("Agenda item %(number)s has no adopted text.") % {"number": item.number}
        )
    clauses = list(version.clauses.order_by("position"))
    if not clauses:
        raise ValidationError(
            _("The adopted text of agenda item %(number)s has no clauses.")
            % {"number": item.number}
        )
    adopted_on = adopted_on or timezone.localdate()
    method = _method_of(poll)
    figures = _figures_of(poll)
    created = [
        Resolution(
            assembly_id=item.assembly_id,
            item=item,
            position=clause.position,
            text=clause.text,
            adopted_on=adopted_on,
            method=method,
            figures=figures,
            poll=poll,
            owner_id=item.lead_agency_id,
        )
        for clause in clauses
    ]
    Resolution.objects.bulk_create(created)
    resolutions = list(item.resolutions.select_related("item", "owner"))
    co_leads = [o for o in item.co_leads.all() if o.pk != item.lead_agency_id]
    if co_leads:
        through = Resolution.co_owners.through
        through.objects.bulk_create(
            through(resolution_id=r.pk, organisation_id=o.pk)
            for r in resolutions
            for o in co_leads
        )
    return resolutions
