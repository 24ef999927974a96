"""The secretariat's plan for a resolution: owner, supporters, target, weights."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agenda.models import AgendaItem
from assembly.models import Organisation
from resolutions.models import Resolution
from resolutions.services._base import require as _require


@transaction.atomic
def resolution_plan_set(
    *,
    resolution: Resolution,
    actor,
    owner: Organisation,
    supporters: Iterable[Organisation] = (),
    co_owners: Iterable[Organisation] | None = None,
    target_date: date | None = None,
    indicator: str = "",
    baseline: str = "",
    target: str = "",
) -> Resolution:
    """Reassign the owner, set the supporting agencies, target date and indicator.

    Secretariat only (PermissionDenied otherwise). ``owner`` is the owning agency
    named first; ``co_owners`` the joint owners (None keeps them as they are). An
    owner is never also a joint owner or a supporter. Baseline and target need an indicator (ValidationError).
    """
    _require(
        actor,
        "resolutions.change_resolution",
        resolution,
        _("Only the secretariat can change who owns a resolution and its plan."),
    )
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    indicator, baseline, target = indicator.strip(), baseline.strip(), target.strip()
    if (baseline or target) and not indicator:
        raise ValidationError(
            {"indicator": _("Say what is measured before giving a baseline or target.")}
        )
    resolution.owner = owner
    resolution.target_date = target_date
    resolution.indicator = indicator
    resolution.baseline = baseline
    resolution.target = target
    resolution.full_clean(exclude=["item", "assembly", "poll", "figures"])
    resolution.save(
        update_fields=["owner", "target_date", "indicator", "baseline", "target"]
    )
    if co_owners is not None:
        resolution.co_owners.set([o for o in co_owners if o.pk != owner.pk])
    else:
        resolution.co_owners.remove(owner)
    owners = {owner.pk, *resolution.co_owners.values_list("pk", flat=True)}
    resolution.supporters.set([o for o in supporters if o.pk not in owners])
    return resolution


@transaction.atomic
def item_weights_set(
    *, item: AgendaItem, actor, weights: Mapping[int, Decimal | int | str]
) -> list[Resolution]:
    """Set the weights of an item's resolutions (by resolution pk) for the roll-up.

    Secretariat only. Every resolution of the item needs a weight, each positive
    and finite; they are normalised by the roll-up (only their ratios matter).
    """
    _require(
        actor,
        "resolutions.follow_up_assembly",
        item,
        _("Only the secretariat can set the weights of resolutions."),
    )
    resolutions = list(item.resolutions.select_for_update())
    parsed: dict[int, Decimal] = {}
    for res in resolutions:
        raw = weights.get(res.pk)
        try:
            value = Decimal(str(raw)) if raw is not None and str(raw).strip() else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value <= 0 or value >= 10000:
            raise ValidationError(
                _("Resolution %(number)s needs a positive weight (below 10,000).")
                % {"number": res.number}
            )
        value = value.quantize(Decimal("0.01"))
        if value <= 0:  # 0.001 rounds to nothing
            raise ValidationError(
                _("Resolution %(number)s needs a positive weight (below 10,000).")
                % {"number": res.number}
            )
        parsed[res.pk] = value
    for res in resolutions:
        res.weight = parsed[res.pk]
    Resolution.objects.bulk_update(resolutions, ["weight"])
    return resolutions
