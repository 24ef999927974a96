"""What the agenda services share: locks, permission checks, writing versions and
telling the organisations whose amendments a new version overtook."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext

from agenda import drafting
from agenda.models import (
    TEXT_MAX,
    AgendaItem,
    Amendment,
    Clause,
    DraftVersion,
    Notice,
)


def lock_item(item: AgendaItem) -> AgendaItem:
    """The item's row, locked until the transaction ends (serialises changes to
    one draft). Needs a transaction."""
    return AgendaItem.objects.select_for_update().get(pk=item.pk)


def lock_amendment(amendment: Amendment) -> tuple[AgendaItem, Amendment]:
    """Lock the amendment's item, then read the amendment afresh."""
    item = lock_item(amendment.item)
    fresh = (
        Amendment.objects.select_for_update()
        .select_related("partner__organisation", "proposed_by")
        .get(pk=amendment.pk)
    )
    return item, fresh


def require(actor, perm: str, obj, message) -> None:
    """PermissionDenied(message) unless ``actor`` has ``perm`` on ``obj``."""
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def require_drafting(item: AgendaItem) -> None:
    if item.status != AgendaItem.Status.DRAFTING:
        raise ValidationError(
            gettext("The room has agreed its draft of this item; it can no longer "
                    "be changed."),
            code="not_drafting",
        )


def check_length(text: str, limit: int, message: str) -> None:
    if len(text) > limit:
        values = {"limit": f"{limit:,}", "length": f"{len(text):,}"}
        raise ValidationError(message % values, code="too_long")


def latest_version(item: AgendaItem) -> DraftVersion | None:
    return item.versions.order_by("-number").first()


def clause_pairs(version: DraftVersion | None) -> drafting.Clauses:
    if version is None:
        return []
    return list(version.clauses.order_by("position").values_list("key", "text"))


def next_clause_key(item: AgendaItem) -> int:
    """A key no clause of the item has ever had."""
    top = Clause.objects.filter(version__item=item).aggregate(top=Max("key"))["top"]
    return (top or 0) + 1


def write_version(
    *,
    item: AgendaItem,
    preamble: str,
    clauses: Sequence[tuple[int, str]],
    actor=None,
    amendment: Amendment | None = None,
    note: str = "",
) -> DraftVersion:
    """Write the next version of the item's draft. Needs the item locked."""
    previous = latest_version(item)
    version = DraftVersion.objects.create(
        item=item,
        number=(previous.number + 1) if previous else 1,
        preamble=preamble,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        amendment=amendment,
        note=note[:300],
    )
    Clause.objects.bulk_create(
        Clause(version=version, position=index, key=key, text=text)
        for index, (key, text) in enumerate(clauses, start=1)
    )
    return version


def mark_overtaken(
    *,
    item: AgendaItem,
    old: Sequence[tuple[int, str]],
    new: Sequence[tuple[int, str]],
    version: DraftVersion,
    applied: Amendment | None = None,
) -> list[Amendment]:
    """Mark the pending amendments a new version overtook, and tell their
    organisations.

    Overtaken: a replace or delete of a clause whose text changed or that is gone;
    an insert after a clause that is gone. Each gets ``needs_update`` and its
    organisation a ``Notice`` (in Thai). Returns them.
    """
    changed = drafting.changed_keys(old, new)
    if not changed:
        return []
    gone = {key for key, _ in old} - {key for key, _ in new}
    positions = {key: index for index, (key, _) in enumerate(old, start=1)}
    pending = item.amendments.filter(status__in=Amendment.PENDING).select_related(
        "partner"
    )
    if applied is not None:
        pending = pending.exclude(pk=applied.pk)
    marked = []
    for amendment in pending:
        key = amendment.target_key
        if amendment.kind == Amendment.Kind.INSERT:
            hit = key is not None and key in gone
        else:
            hit = key in changed
        if not hit:
            continue
        amendment.needs_update = True
        amendment.save(update_fields=["needs_update"])
        Notice.objects.create(
            partner=amendment.partner,
            delegate=amendment.proposed_by,
            item=item,
            amendment=amendment,
            text=_overtaken_text(
                position=positions.get(key), gone=key in gone, version=version
            ),
        )
        marked.append(amendment)
    return marked


def _overtaken_text(*, position: int | None, gone: bool, version: DraftVersion) -> str:
    # Stored in the working language: a notice is read by the organisation's
    # delegates whatever language each has chosen.
    with translation.override("th"):
        values = {"position": position, "version": version.number}
        if gone:
            return gettext(
                "Clause %(position)s was removed in version %(version)s of the "
                "draft: please update or withdraw your amendment."
            ) % values
        return gettext(
            "Clause %(position)s was changed in version %(version)s of the draft: "
            "please update or withdraw your amendment."
        ) % values


__all__ = [
    "TEXT_MAX",
    "check_length",
    "clause_pairs",
    "latest_version",
    "lock_amendment",
    "lock_item",
    "mark_overtaken",
    "next_clause_key",
    "require",
    "require_drafting",
    "write_version",
]
