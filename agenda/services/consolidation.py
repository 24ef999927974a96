"""From agreed rooms to the plenary: agreeing, consolidating, adopting."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext

from agenda import live
from agenda.models import AgendaItem, Amendment, DraftVersion, Notice, PlenaryDocument
from agenda.services import _base
from assembly.models import Assembly

# Items whose agreed version belongs in the plenary document.
_CONSOLIDATED = (
    AgendaItem.Status.AGREED,
    AgendaItem.Status.ADOPTED,
    AgendaItem.Status.NOT_ADOPTED,
)


@transaction.atomic
def item_agree(*, item: AgendaItem, actor=None, poll=None) -> AgendaItem:
    """The room agrees its draft: status agreed, ``agreed_version`` = the current
    version (frozen), ``agreed_at``. Refuses an item not in deliberation or without
    a draft. Amendments still pending are closed undecided (status lapsed, with
    ``decided_at``) and each proposing organisation gets a ``Notice`` saying so;
    the console warns the facilitator beforehand. A person needs
    ``agenda.agree_item``; the voting app passes ``poll`` (no actor: no permission
    check). Works inside the caller's transaction. Pushes the item state, the
    draft and (when any lapsed) the amendments. Returns the updated item."""
    if poll is None or actor is not None:
        _base.require(actor, "agenda.agree_item", item,
                      gettext("Only the room's facilitators may record its "
                              "agreement."))
    item = _base.lock_item(item)
    _base.require_drafting(item)
    version = _base.latest_version(item)
    if version is None:
        raise ValidationError(gettext("This item has no draft yet."), code="no_draft")
    item.status = AgendaItem.Status.AGREED
    item.agreed_version = version
    item.agreed_at = timezone.now()
    item.current_clause_key = None
    item.save(update_fields=["status", "agreed_version", "agreed_at",
                             "current_clause_key"])
    lapsed = _lapse_pending(item, version)
    live.push_item_state(item)
    live.push_draft(item)
    if lapsed:
        live.push_amendments(item)
    return item


def _lapse_pending(item: AgendaItem, version: DraftVersion) -> list[Amendment]:
    """Close the item's pending amendments undecided and tell their organisations.
    Needs the item locked."""
    pending = list(
        item.amendments.select_for_update().filter(status__in=Amendment.PENDING)
        .order_by("pk")
    )
    now = timezone.now()
    for amendment in pending:
        amendment.status = Amendment.Status.LAPSED
        amendment.decided_at = now
        amendment.save(update_fields=["status", "decided_at"])
        # In the working language, like every notice (see _base._overtaken_text).
        with translation.override("th"):
            text = gettext(
                "The room agreed version %(version)s of the draft before deciding "
                "amendment %(amendment)s: it is closed undecided."
            ) % {"version": version.number, "amendment": amendment.pk}
        Notice.objects.create(
            partner_id=amendment.partner_id, delegate_id=amendment.proposed_by_id,
            item=item, amendment=amendment, text=text,
        )
    return pending


@transaction.atomic
def plenary_document_build(*, assembly: Assembly, actor) -> PlenaryDocument:
    """The secretariat compiles every agreed item's agreed version, in item order,
    into a new numbered ``PlenaryDocument`` (1, 2, ...: rebuilding after another
    room agrees makes a new one, the old ones stay). Refuses when no item is agreed.
    The returned document carries ``missing_items``: the items not yet agreed (the
    selector ``items_not_agreed`` gives the same). Needs
    ``agenda.build_plenarydocument``. Pushes the item state of every item."""
    _base.require(actor, "agenda.build_plenarydocument", assembly,
                  gettext("Only the secretariat may build the plenary document."))
    # Lock the items so none is agreed half-way through the build.
    items = list(
        AgendaItem.objects.select_for_update().filter(assembly=assembly)
        .order_by("number")
    )
    agreed = [i for i in items if i.status in _CONSOLIDATED and i.agreed_version_id]
    if not agreed:
        raise ValidationError(
            gettext("No room has agreed its draft yet: there is nothing to "
                    "consolidate."),
            code="nothing_agreed",
        )
    top = PlenaryDocument.objects.filter(assembly=assembly).aggregate(
        top=Max("number")
    )["top"]
    document = PlenaryDocument.objects.create(
        assembly=assembly, number=(top or 0) + 1,
        built_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.versions.set([i.agreed_version_id for i in agreed])
    document.missing_items = [i for i in items if i not in agreed]
    for item in items:
        live.push_item_state(item)
    return document


@transaction.atomic
def item_plenary_decide(
    *, item: AgendaItem, adopted: bool, actor=None, poll=None
) -> AgendaItem:
    """The plenary adopts (or does not adopt) an agreed item: status adopted or
    not_adopted. Refuses an item that is not agreed. A person needs
    ``agenda.decide_item`` (the secretariat, who runs the plenary); the voting app
    passes ``poll`` (no actor: no permission check). Works inside the caller's
    transaction. Pushes the item state. Returns the updated item.

    Creating the resolution is NOT done here: the voting app's effects call
    ``resolutions.services.resolutions_create_for_item(item=..., poll=...)`` after
    this, in the same transaction.
    """
    if poll is None or actor is not None:
        _base.require(actor, "agenda.decide_item", item,
                      gettext("Only the secretariat may record the plenary's "
                              "decision."))
    item = _base.lock_item(item)
    if item.status != AgendaItem.Status.AGREED:
        raise ValidationError(
            gettext("Only an item its room has agreed can be decided by the "
                    "plenary."),
            code="not_agreed",
        )
    item.status = (
        AgendaItem.Status.ADOPTED if adopted else AgendaItem.Status.NOT_ADOPTED
    )
    item.save(update_fields=["status"])
    # Call site for the resolutions app: see the docstring (voting's effects module
    # calls resolutions_create_for_item; nothing to do here).
    live.push_item_state(item)
    return item
