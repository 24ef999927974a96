"""Reads of the plenary (selectors): each item's outcome once the plenary decided
it, and the written comments sent on the consolidated document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from agenda.models import AgendaItem, PlenaryComment
from assembly.models import Partner


@dataclass(frozen=True)
class Outcome:
    """How the plenary decided an item: ``adopted`` True/False, the way (consensus
    or the qualified-majority fallback), the day and the figures in words."""

    adopted: bool
    label: str
    method: str
    decided_on: date | None
    figures: str


def item_outcome(item: AgendaItem) -> Outcome | None:
    """The plenary's decision on the item, or None while it is undecided."""
    from resolutions.wording import figures_of_poll, figures_text

    if item.status not in (AgendaItem.Status.ADOPTED, AgendaItem.Status.NOT_ADOPTED):
        return None
    adopted = item.status == AgendaItem.Status.ADOPTED
    poll = (
        item.polls.filter(room__kind="plenary", status="closed", adopted=adopted)
        .order_by("-closed_at", "-pk").first()
    )
    resolution = item.resolutions.order_by("position").first() if adopted else None
    if resolution is not None:
        method = str(resolution.get_method_display())
        decided_on = resolution.adopted_on
        figures = figures_text(resolution.figures)
    else:
        method = str(poll.get_kind_display()) if poll else ""
        decided_on = timezone.localdate(poll.closed_at) if poll and poll.closed_at else None
        figures = figures_text(figures_of_poll(poll)) if poll else ""
    return Outcome(
        adopted=adopted,
        label=str(item.get_status_display()),
        method=method,
        decided_on=decided_on,
        figures=figures,
    )


def comments_on(items: list[AgendaItem], *, partner: Partner | None = None
                ) -> dict[int, list[PlenaryComment]]:
    """The plenary comments on ``items`` by item pk, oldest first; only one
    organisation's with ``partner``."""
    comments = PlenaryComment.objects.filter(item__in=items).select_related(
        "partner__organisation", "delegate", "read_by"
    ).order_by("created_at", "pk")
    if partner is not None:
        comments = comments.filter(partner=partner)
    by_item: dict[int, list[PlenaryComment]] = {item.pk: [] for item in items}
    for comment in comments:
        by_item.setdefault(comment.item_id, []).append(comment)
    return by_item


def unread_count(items: list[AgendaItem]) -> int:
    return PlenaryComment.objects.filter(item__in=items, read_at__isnull=True).count()
