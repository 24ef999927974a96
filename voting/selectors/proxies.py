"""Reads for the secretariat's proxy page and the facilitator's recording form."""

from __future__ import annotations

from django.utils import timezone

from assembly.models import Assembly, Delegate, Partner
from voting.models import Poll, Proxy
from voting.selectors.figures import entitled_partners


def proxies_today(assembly: Assembly) -> list[Proxy]:
    """Today's proxies of the assembly, active first, then ended."""
    return list(
        Proxy.objects.filter(assembly=assembly, day=timezone.localdate())
        .select_related("giver__organisation", "holder__organisation")
        .order_by("ended_at", "giver__organisation__name_th")
    )


def partners_of(assembly: Assembly) -> list[Partner]:
    return list(
        Partner.objects.filter(assembly=assembly)
        .select_related("organisation")
        .order_by("organisation__name_th")
    )


def recordable_partners(poll: Poll) -> list[Partner]:
    """Organisations whose ballot the facilitator may record in ``poll``: those
    voting in the room with a voting delegate or alternate checked in, that did
    not give their voice by proxy today. Says nothing about who has voted (in a
    secret poll that, beside the reasons the facilitator reads, could tell who
    chose what)."""
    given = Proxy.objects.filter(
        assembly_id=poll.room.assembly_id, day=timezone.localdate(),
        ended_at__isnull=True,
    ).values_list("giver_id", flat=True)
    checked_in = Delegate.objects.filter(
        checked_in_at__isnull=False,
        kind__in=(Delegate.Kind.VOTING, Delegate.Kind.ALTERNATE),
    ).values_list("partner_id", flat=True)
    return list(
        entitled_partners(poll.room)
        .filter(pk__in=checked_in)
        .exclude(pk__in=given)
        .select_related("organisation")
        .order_by("organisation__name_th")
    )
