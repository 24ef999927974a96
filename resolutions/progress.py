"""Follow-up roll-up: how far the adopted resolutions have got. Pure and exact.

Progress is measured in percent (0 to 100) and rolled up with ``Fraction`` so that an
item or an assembly never shows 66% in one place and 67% in another: rounding happens
once, in ``percent_display``. No Django imports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

Weight = Decimal | Fraction | int | None


def _exact_weight(weight: Decimal | Fraction | int) -> Fraction:
    if isinstance(weight, bool) or not isinstance(weight, Decimal | Fraction | int):
        raise ValueError(f"weight must be a Decimal, Fraction or int, got {weight!r}")
    try:
        exact = Fraction(weight)
    except (ValueError, OverflowError):  # Decimal NaN or infinity
        raise ValueError(f"weight must be finite, got {weight!r}") from None
    if exact <= 0:
        raise ValueError(f"weight must be positive, got {weight!r}")
    return exact


def _percent(percent: int | None) -> int:
    if percent is None:
        return 0
    if isinstance(percent, bool) or not isinstance(percent, int):
        raise ValueError(f"percent must be an int, got {percent!r}")
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, got {percent}")
    return percent


def item_progress(resolutions: Sequence[tuple[int | None, Weight]]) -> Fraction | None:
    """Return an agenda item's progress, in percent, from its resolutions.

    Each entry is ``(percent, weight)``: the resolution's latest reported percent
    (None when nobody has reported yet, which counts as 0%) and its weight. The result
    is the weighted average ``sum(w * p) / sum(w)``, exact. With no weights at all the
    resolutions weigh equally; a None weight next to given weights counts as 1. Given
    weights must be positive and finite (Decimal, Fraction or int; floats are refused).
    Returns None for an item without resolutions. Raises ValueError on bad input.
    """
    if not resolutions:
        return None
    total_weight = Fraction(0)
    weighted = Fraction(0)
    for percent, weight in resolutions:
        w = Fraction(1) if weight is None else _exact_weight(weight)
        total_weight += w
        weighted += w * _percent(percent)
    return weighted / total_weight


def assembly_progress(item_progresses: Sequence[Fraction | None]) -> Fraction | None:
    """Return an assembly's progress: the plain average of its items' progress.

    Items without resolutions (None) are left out; None if no item has any.
    """
    known = [p for p in item_progresses if p is not None]
    if not known:
        return None
    return Fraction(sum(known, Fraction(0)), len(known))


def is_stale(
    last_update: date | None,
    adopted_on: date,
    today: date,
    interval_days: int = 90,
) -> bool:
    """Return whether a resolution has gone without news for longer than the interval.

    Measured from the last progress update, or from adoption when there is none:
    stale iff more than ``interval_days`` days have passed (exactly ``interval_days``
    is not yet stale). Raises ValueError on a negative interval.
    """
    if interval_days < 0:
        raise ValueError(f"interval_days must not be negative, got {interval_days}")
    since = adopted_on if last_update is None else last_update
    return (today - since).days > interval_days


def percent_display(x: Fraction | None) -> int | None:
    """Round a progress percent to a whole number for display, halves up (None stays).

    ``Fraction(125, 2)`` (62.5) shows as 63; ``Fraction(2, 3) * 100`` as 67.
    """
    if x is None:
        return None
    return math.floor(x + Fraction(1, 2))
