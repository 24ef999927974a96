"""Reads of the follow-up: the board, an agency's page, the timeline, the stale list.

The same builders feed the pages, the PDFs and the CSV exports, so a resolution
shows the same status, percent and date everywhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import AgendaItem
from assembly.models import Assembly, Organisation, Partner
from resolutions import progress
from resolutions.models import ProgressUpdate, Resolution

# The board's status filter also offers resolutions nobody has reported on yet.
NO_UPDATE = "none"


def status_choices() -> list[tuple[str, str]]:
    return [(NO_UPDATE, _("No update yet")), *ProgressUpdate.Status.choices]


@dataclass
class ResolutionRow:
    """A resolution as the board shows it: its current state, from its timeline."""

    resolution: Resolution
    status: str  # "" before the first update
    percent: int | None
    last_update: date | None  # the date the owner's latest report refers to
    stale: bool

    @property
    def number(self) -> str:
        return self.resolution.number

    @property
    def status_label(self) -> str:
        if not self.status:
            return str(_("No update yet"))
        return str(ProgressUpdate.Status(self.status).label)

    @property
    def percent_shown(self) -> int:
        return self.percent or 0

    @property
    def status_tone(self) -> str:
        """A badge class: ok, warn or bad."""
        return {
            ProgressUpdate.Status.DONE: "ok",
            ProgressUpdate.Status.ON_TRACK: "ok",
            ProgressUpdate.Status.AT_RISK: "warn",
            ProgressUpdate.Status.DELAYED: "bad",
            ProgressUpdate.Status.DROPPED: "bad",
        }.get(self.status, "")


@dataclass
class ItemBlock:
    item: AgendaItem
    rows: list[ResolutionRow]
    progress: int | None  # roll-up over all the item's resolutions, rounded
    exact: Fraction | None = None


@dataclass
class Board:
    assembly: Assembly
    items: list[ItemBlock]
    progress: int | None
    count: int = 0
    filters: dict = field(default_factory=dict)


def _progress_entries() -> Prefetch:
    return Prefetch(
        "updates",
        queryset=ProgressUpdate.objects.exclude(kind=ProgressUpdate.Kind.NOTE).order_by(
            "created_at", "pk"
        ),
        to_attr="progress_entries",
    )


def resolutions_of(assembly: Assembly) -> QuerySet[Resolution]:
    """The assembly's resolutions with what a row needs, in number order."""
    return (
        Resolution.objects.filter(assembly=assembly)
        .select_related("item", "owner", "poll")
        .prefetch_related("supporters", "co_owners", _progress_entries())
        .order_by("item__number", "position")
    )


def state_of(
    resolution: Resolution,
    entries: list[ProgressUpdate],
    *,
    today: date,
    interval_days: int,
) -> ResolutionRow:
    """The current state from the non-note entries in the order they were posted.

    Status and percent come from the latest update or correction; the date of the
    last update (and staleness) from the owner's own reports.
    """
    latest = entries[-1] if entries else None
    reports = [e.refers_to for e in entries if e.kind == ProgressUpdate.Kind.UPDATE]
    last = max(reports) if reports else None
    return ResolutionRow(
        resolution=resolution,
        status=latest.status if latest else "",
        percent=latest.percent if latest else None,
        last_update=last,
        stale=progress.is_stale(last, resolution.adopted_on, today, interval_days),
    )


def rows_of(
    resolutions, *, today: date | None = None, interval_days: int | None = None
) -> list[ResolutionRow]:
    today = today or timezone.localdate()
    rows = []
    for res in resolutions:
        entries = getattr(res, "progress_entries", None)
        if entries is None:
            entries = list(
                res.updates.exclude(kind=ProgressUpdate.Kind.NOTE).order_by(
                    "created_at", "pk"
                )
            )
        days = interval_days or res.assembly.reporting_interval_days
        rows.append(state_of(res, entries, today=today, interval_days=days))
    return rows


def _item_progress(rows: list[ResolutionRow]) -> Fraction | None:
    return progress.item_progress([(r.percent, r.resolution.weight) for r in rows])


def board(
    assembly: Assembly,
    *,
    agency: Organisation | None = None,
    status: str = "",
    sector: str = "",
    today: date | None = None,
) -> Board:
    """Every agenda item with its resolutions, filtered; the roll-ups unfiltered.

    ``agency`` keeps resolutions it owns (alone or jointly) or supports; ``status``
    the current status (``NO_UPDATE`` for none yet); ``sector`` an owner's sector. An item's progress
    is always over all its resolutions, and the assembly's over all its items.
    """
    all_rows = rows_of(
        resolutions_of(assembly),
        today=today,
        interval_days=assembly.reporting_interval_days,
    )
    by_item: dict[int, list[ResolutionRow]] = {}
    for row in all_rows:
        by_item.setdefault(row.resolution.item_id, []).append(row)

    def keep(row: ResolutionRow) -> bool:
        res = row.resolution
        if (
            agency is not None
            and not res.is_owned_by(agency)
            and not any(s.pk == agency.pk for s in res.supporters.all())
        ):
            return False
        if status == NO_UPDATE and row.status:
            return False
        if status and status != NO_UPDATE and row.status != status:
            return False
        return not (sector and all(o.sector != sector for o in res.owners))

    blocks, exacts, count = [], [], 0
    items = assembly.agenda_items.select_related("lead_agency").order_by("number")
    for item in items:
        rows = by_item.get(item.pk, [])
        exact = _item_progress(rows)
        exacts.append(exact)
        shown = [r for r in rows if keep(r)]
        count += len(shown)
        filtering = agency is not None or status or sector
        if shown or not filtering:
            blocks.append(
                ItemBlock(
                    item=item,
                    rows=shown,
                    progress=progress.percent_display(exact),
                    exact=exact,
                )
            )
    return Board(
        assembly=assembly,
        items=blocks,
        progress=progress.percent_display(progress.assembly_progress(exacts)),
        count=count,
        filters={"agency": agency, "status": status, "sector": sector},
    )


def agencies_of(assembly: Assembly) -> QuerySet[Organisation]:
    """Agencies that own or support a resolution of the assembly."""
    return (
        Organisation.objects.filter(
            Q(owned_resolutions__assembly=assembly)
            | Q(co_owned_resolutions__assembly=assembly)
            | Q(supported_resolutions__assembly=assembly)
        )
        .distinct()
        .order_by("name_th")
    )


def timeline(resolution: Resolution) -> list[ProgressUpdate]:
    """Every entry of the resolution's timeline, oldest first, as posted."""
    return list(
        resolution.updates.select_related("organisation", "author").order_by(
            "created_at", "pk"
        )
    )


def chart_points(entries: list[ProgressUpdate]) -> list[tuple[date, int]]:
    """(date, percent) of each update and correction, for the chart."""
    return [
        (e.refers_to, e.percent)
        for e in entries
        if e.kind != ProgressUpdate.Kind.NOTE and e.percent is not None
    ]


@dataclass
class StaleOwner:
    organisation: Organisation
    resolutions: list[Resolution]
    rows: list[ResolutionRow]


def stale_owners(assembly: Assembly, *, today: date | None = None) -> list[StaleOwner]:
    """Owning agencies with at least one stale resolution, with those resolutions
    (a jointly owned resolution is listed under each of its owners)."""
    rows = rows_of(
        resolutions_of(assembly),
        today=today,
        interval_days=assembly.reporting_interval_days,
    )
    owners: dict[int, StaleOwner] = {}
    for row in rows:
        if not row.stale or row.status in (
            ProgressUpdate.Status.DONE,
            ProgressUpdate.Status.DROPPED,
        ):
            continue
        for owner in row.resolution.owners:
            entry = owners.setdefault(owner.pk, StaleOwner(owner, [], []))
            entry.resolutions.append(row.resolution)
            entry.rows.append(row)
    return sorted(owners.values(), key=lambda o: o.organisation.name_th)


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


def partners_of(assembly: Assembly) -> QuerySet[Partner]:
    return (
        Partner.objects.filter(assembly=assembly)
        .select_related("organisation")
        .order_by("organisation__sector", "organisation__name_th")
    )


def updates_of(
    assembly: Assembly, *, organisation: Organisation | None = None
) -> QuerySet[ProgressUpdate]:
    """All timeline entries of the assembly (or one owner's resolutions), in order."""
    qs = ProgressUpdate.objects.filter(resolution__assembly=assembly)
    if organisation is not None:
        qs = qs.filter(
            Q(resolution__owner=organisation)
            | Q(resolution__co_owners=organisation)
        ).distinct()
    return qs.select_related(
        "resolution__item", "resolution__owner", "organisation"
    ).order_by("resolution__item__number", "resolution__position", "created_at", "pk")


def my_resolutions(user) -> list[Resolution]:
    """Resolutions owned or supported by agencies the person is staff of."""
    if not getattr(user, "is_authenticated", False):
        return []
    orgs = Organisation.objects.filter(staff=user)
    return list(
        Resolution.objects.filter(
            Q(owner__in=orgs) | Q(co_owners__in=orgs) | Q(supporters__in=orgs)
        )
        .distinct()
        .select_related("item", "owner", "assembly")
        .order_by("assembly", "item__number", "position")
    )


def documents_fingerprint(assembly: Assembly) -> str:
    """A value that changes whenever the public documents of the assembly would:
    the assembly, its items, its resolutions and their plan, the timeline."""
    parts = [
        repr(
            Assembly.objects.filter(pk=assembly.pk).values_list(
                "title_th",
                "title_en",
                "venue_th",
                "venue_en",
                "starts_on",
                "ends_on",
                "reporting_interval_days",
            )[:1][0]
        ),
        repr(list(assembly.agenda_items.values_list("pk", "title_th", "title_en"))),
        repr(
            list(
                Resolution.objects.filter(assembly=assembly)
                .order_by("pk")
                .values_list(
                    "pk",
                    "owner_id",
                    "weight",
                    "target_date",
                    "indicator",
                    "baseline",
                    "target",
                    "owner__name_th",
                    "owner__name_en",
                )
            )
        ),
        repr(
            list(
                Resolution.supporters.through.objects.filter(
                    resolution__assembly=assembly
                )
                .order_by("pk")
                .values_list("resolution_id", "organisation_id")
            )
        ),
        repr(
            list(
                Resolution.co_owners.through.objects.filter(
                    resolution__assembly=assembly
                )
                .order_by("pk")
                .values_list("resolution_id", "organisation_id")
            )
        ),
        repr(
            list(
                Partner.objects.filter(assembly=assembly)
                .order_by("pk")
                .values_list("pk", "organisation__name_th", "organisation__name_en")
            )
        ),
        repr(
            ProgressUpdate.objects.filter(resolution__assembly=assembly)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        ),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
