"""Reads of the assembly app."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Q

from assembly.models import Assembly, Delegate, Partner, Room


def current_assembly() -> Assembly | None:
    """The assembly the home page shows: one in session, else the latest."""
    in_session = Assembly.objects.filter(status=Assembly.Status.IN_SESSION).first()
    return in_session or Assembly.objects.first()


def checkin_summary(assembly: Assembly) -> dict:
    """Delegates checked in, per breakout room and in total."""
    delegates = Delegate.objects.filter(partner__assembly=assembly)
    rooms = (
        Room.objects.filter(assembly=assembly, kind=Room.Kind.BREAKOUT)
        .annotate(
            delegates_total=Count("partners__delegates", distinct=True),
            delegates_in=Count(
                "partners__delegates",
                filter=Q(partners__delegates__checked_in_at__isnull=False),
                distinct=True,
            ),
            partners_total=Count("partners", distinct=True),
            partners_in=Count(
                "partners",
                filter=Q(partners__delegates__checked_in_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("number")
    )
    return {
        "rooms": list(rooms),
        "roster": checkin_roster(assembly),
        "delegates_total": delegates.count(),
        "delegates_in": delegates.filter(checked_in_at__isnull=False).count(),
        "partners_total": assembly.partner_set.count(),
        "partners_in": assembly.partner_set.filter(
            delegates__checked_in_at__isnull=False
        ).distinct().count(),
    }


def checkin_roster(assembly: Assembly) -> list[dict]:
    """Who has checked in, room by room: one entry per breakout room (in number
    order), then one for partners not yet seated (``room`` None) if there are
    any. Each entry has ``delegates`` (room's partners' delegates, by
    organisation), ``checked_in`` and ``total``."""
    delegates = (
        Delegate.objects.filter(partner__assembly=assembly)
        .select_related("partner__organisation", "partner__room")
        .order_by("partner__organisation__name_th", "kind", "name_th")
    )
    by_room: dict[int | None, list[Delegate]] = {}
    for delegate in delegates:
        by_room.setdefault(delegate.partner.room_id, []).append(delegate)
    rooms = Room.objects.filter(assembly=assembly, kind=Room.Kind.BREAKOUT).order_by(
        "number"
    )
    entries = [(room, by_room.get(room.pk, [])) for room in rooms]
    if by_room.get(None):
        entries.append((None, by_room[None]))
    return [
        {
            "room": room,
            "delegates": people,
            "checked_in": sum(1 for d in people if d.checked_in_at),
            "total": len(people),
        }
        for room, people in entries
    ]


def audit_events(assembly: Assembly):
    """The assembly's audit log, newest first: its own events, and the password
    sign-ins and failures (recorded before anyone knows which assembly) of the
    people who run it: its secretariat, its rooms' facilitators, the staff of
    its partners."""
    from django.contrib.auth import get_user_model

    from assembly.models import AuditEvent

    people = get_user_model().objects.filter(
        Q(secretariat_of=assembly)
        | Q(facilitated_rooms__assembly=assembly)
        | Q(organisations_staffed__partnerships__assembly=assembly)
    ).distinct()
    usernames = list(people.values_list("username", flat=True))
    return (
        AuditEvent.objects.filter(
            Q(assembly=assembly)
            | Q(assembly__isnull=True, actor__in=people)
            | Q(assembly__isnull=True, actor__isnull=True, detail__username__in=usernames)
        )
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def assemblies_showing(organisation_ids) -> dict[int, set[int]]:
    """For each organisation, the assemblies whose pages show it: as a partner,
    as the lead agency or a co-lead of an agenda item, as the owner or a
    supporter of a resolution (its agency page, the public board). Contract 8:
    an organisation is shared by all of them."""
    ids = list(organisation_ids)
    AgendaItem = apps.get_model("agenda", "AgendaItem")
    Resolution = apps.get_model("resolutions", "Resolution")
    pairs = [
        Partner.objects.filter(organisation_id__in=ids).values_list(
            "organisation_id", "assembly_id"
        ),
        AgendaItem.objects.filter(lead_agency_id__in=ids).values_list(
            "lead_agency_id", "assembly_id"
        ),
        AgendaItem.objects.filter(co_leads__in=ids).values_list(
            "co_leads", "assembly_id"
        ),
        Resolution.objects.filter(owner_id__in=ids).values_list(
            "owner_id", "assembly_id"
        ),
        Resolution.objects.filter(supporters__in=ids).values_list(
            "supporters", "assembly_id"
        ),
    ]
    shown: dict[int, set[int]] = {pk: set() for pk in ids}
    for query in pairs:
        for organisation_id, assembly_id in query:
            shown[organisation_id].add(assembly_id)
    return shown


def organisations_not_editable_by(actor, organisation_ids) -> dict[int, list[Assembly]]:
    """The organisations ``actor`` may not rename or re-sector, each with the
    assemblies that show it and that ``actor`` does not run. An organisation's
    names and sector belong to every assembly that shows it: only someone who
    runs all of them (or a site administrator) changes them."""
    if getattr(actor, "is_superuser", False):
        return {}
    shown = assemblies_showing(organisation_ids)
    others = {pk for assemblies in shown.values() for pk in assemblies}
    run = set(
        Assembly.objects.filter(pk__in=others, secretariat=actor).values_list(
            "pk", flat=True
        )
    ) if getattr(actor, "is_authenticated", False) else set()
    foreign = {
        org: sorted(assemblies - run) for org, assemblies in shown.items()
        if assemblies - run
    }
    by_pk = Assembly.objects.in_bulk({pk for pks in foreign.values() for pk in pks})
    return {org: [by_pk[pk] for pk in pks] for org, pks in foreign.items()}
