"""Reads for the people pages: delegates found by name or organisation (Thai or
English) and narrowed by room, organisation, sector, role, check-in and link
state; the same filters serve the delegates page, the badges page and the
desk."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from assembly.models import Assembly, Delegate, DeskPresence, SignInLink

SEARCH_MAX = 100
NO_ROOM = "none"


@dataclass(frozen=True)
class DelegateFilter:
    """What the person asked for; empty fields do not narrow anything."""

    q: str = ""
    room: str = ""  # a room's pk, NO_ROOM, or ""
    organisation: int | None = None
    sector: str = ""
    kind: str = ""
    checked_in: str = ""  # "yes", "no" or ""
    link: str = ""  # "none", "unused", "used" or ""

    @property
    def active(self) -> bool:
        return any((self.q, self.room, self.organisation, self.sector, self.kind,
                    self.checked_in, self.link))


def search_terms(q: str) -> list[str]:
    """Words of a search, each of which must match somewhere (Thai names have
    spaces between first and last name; English ones too)."""
    return [t for t in q[:SEARCH_MAX].split() if t][:6]


def _matching(delegates: QuerySet[Delegate], q: str) -> QuerySet[Delegate]:
    for term in search_terms(q):
        delegates = delegates.filter(
            Q(name_th__icontains=term)
            | Q(name_en__icontains=term)
            | Q(partner__organisation__name_th__icontains=term)
            | Q(partner__organisation__name_en__icontains=term)
            | Q(partner__organisation__short_name__icontains=term)
        )
    return delegates


def delegates(assembly: Assembly, f: DelegateFilter = DelegateFilter()) -> QuerySet:
    """The assembly's delegates matching ``f``, by room, organisation, role and
    name, each with ``active_links`` (its working link, if any, in a list) and
    ``presence`` (the room the desk marked them present in, or None)."""
    active = SignInLink.objects.filter(revoked_at__isnull=True)
    working = active.filter(user_id=OuterRef("user_id"))
    rows = (
        Delegate.objects.filter(partner__assembly=assembly)
        .select_related("partner__organisation", "partner__room", "user")
        .annotate(has_link=Exists(working),
                  link_used=Exists(working.filter(last_used_at__isnull=False)))
        .prefetch_related(
            Prefetch("user__sign_in_links", queryset=active, to_attr="active_links"),
            Prefetch("desk_presence",
                     queryset=DeskPresence.objects.select_related("room")),
        )
    )
    if f.q:
        rows = _matching(rows, f.q)
    if f.room == NO_ROOM:
        rows = rows.filter(partner__room__isnull=True)
    elif f.room:
        rows = rows.filter(partner__room_id=f.room)
    if f.organisation:
        rows = rows.filter(partner__organisation_id=f.organisation)
    if f.sector:
        rows = rows.filter(partner__organisation__sector=f.sector)
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.checked_in:
        rows = rows.filter(checked_in_at__isnull=f.checked_in == "no")
    if f.link == "none":
        rows = rows.filter(has_link=False)
    elif f.link == "unused":
        rows = rows.filter(has_link=True, link_used=False)
    elif f.link == "used":
        rows = rows.filter(link_used=True)
    return rows.order_by("partner__room__number", "partner__organisation__name_th",
                         "kind", "name_th")


def presence_of(delegate: Delegate):
    """The DeskPresence of a delegate loaded by ``delegates``, or None."""
    try:
        return delegate.desk_presence
    except DeskPresence.DoesNotExist:
        return None
