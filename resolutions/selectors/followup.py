"""Reads of the follow-up desk (who a reminder reaches) and of the next
assembly's review of earlier resolutions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from assembly.models import Assembly, Organisation
from resolutions.models import ProgressUpdate, Resolution
from resolutions.selectors import ResolutionRow, stale_owners

__all__ = ["OwnerContact", "owner_contacts", "reviews_of"]


@dataclass
class OwnerContact:
    """An owning agency with stale resolutions and how a reminder reaches it:
    ``addresses`` the e-mail addresses of its staff (sorted); ``reason`` why it
    cannot be reached ("" when it can): "no_staff" or "no_email"."""

    organisation: Organisation
    resolutions: list[Resolution]
    rows: list[ResolutionRow]
    addresses: list[str]
    staff_count: int
    last_reminded: date | None = None  # the day of the last Reminder

    @property
    def reason(self) -> str:
        if self.addresses:
            return ""
        return "no_email" if self.staff_count else "no_staff"

    @property
    def reachable(self) -> bool:
        return bool(self.addresses)


def owner_contacts(assembly: Assembly, *, today: date | None = None) -> list[OwnerContact]:
    """Every owner with stale resolutions (``stale_owners``) and whether a reminder
    can reach it, with when it was last reminded."""
    from resolutions.models import Reminder

    owners = stale_owners(assembly, today=today)
    staff: dict[int, list] = {}
    for org in Organisation.objects.filter(
        pk__in=[o.organisation.pk for o in owners]
    ).prefetch_related("staff"):
        staff[org.pk] = [u for u in org.staff.all() if u.is_active]
    last: dict[int, object] = {}
    for org_id, sent_at in Reminder.objects.filter(assembly=assembly).values_list(
        "organisation_id", "sent_at"
    ):
        day = timezone.localtime(sent_at).date()
        if org_id not in last or day > last[org_id]:
            last[org_id] = day
    return [
        OwnerContact(
            organisation=o.organisation,
            resolutions=o.resolutions,
            rows=o.rows,
            addresses=sorted({u.email for u in staff.get(o.organisation.pk, [])
                              if u.email}),
            staff_count=len(staff.get(o.organisation.pk, [])),
            last_reminded=last.get(o.organisation.pk),
        )
        for o in owners
    ]


def reviews_of(assembly: Assembly) -> list:
    """The reviews the assembly holds of earlier resolutions, in number order,
    with what the page shows (the resolution, its owners, its progress)."""
    from resolutions.models import Review

    return list(
        Review.objects.filter(assembly=assembly)
        .select_related("resolution__item", "resolution__owner",
                        "resolution__assembly", "reported_for", "reported_by")
        .prefetch_related("resolution__co_owners", Prefetch(
            "resolution__updates",
            queryset=ProgressUpdate.objects.exclude(kind=ProgressUpdate.Kind.NOTE)
            .order_by("created_at", "pk"),
            to_attr="progress_entries"))
        .order_by("resolution__assembly__starts_on", "resolution__item__number",
                  "resolution__position")
    )
