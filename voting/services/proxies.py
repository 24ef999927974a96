"""The voice by proxy: an absent partner gives its voice to another for a day."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Assembly, AuditEvent, Partner
from assembly.services import audit
from voting.models import Proxy


def _require_secretariat(actor, assembly: Assembly) -> None:
    if actor is None or not actor.has_perm("voting.manage_proxy", assembly):
        raise PermissionDenied(_("Only the secretariat records proxies."))


def _active(assembly: Assembly, day: date):
    return Proxy.objects.filter(assembly=assembly, day=day, ended_at__isnull=True)


@transaction.atomic
def proxy_give(*, assembly: Assembly, giver: Partner, holder: Partner, actor,
               day: date | None = None) -> Proxy:
    """Record that ``giver`` (absent) gives its voice to ``holder`` for ``day``
    (default today, in the assembly's time zone).

    Both must be partners of ``assembly``; never to itself; at most one proxy
    given and one held per partner and day (also database constraints); no
    chains: a partner that holds a proxy gives none, and one that gave its voice
    holds none. Needs ``voting.manage_proxy`` (the secretariat). Locks the
    assembly row, so two desks recording at once cannot build a chain. Audited.
    """
    _require_secretariat(actor, assembly)
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    day = day or timezone.localdate()
    if giver.assembly_id != assembly.pk or holder.assembly_id != assembly.pk:
        raise ValidationError(_("Both organisations must be partners of this assembly."))
    if giver.pk == holder.pk:
        raise ValidationError(_("A partner cannot give its voice to itself."))
    active = _active(assembly, day)
    if active.filter(giver=giver).exists():
        raise ValidationError(
            _("%(organisation)s has already given its voice to a partner today.")
            % {"organisation": giver.organisation.label}
        )
    if active.filter(holder=holder).exists():
        raise ValidationError(
            _("%(organisation)s already holds a proxy today: one per partner.")
            % {"organisation": holder.organisation.label}
        )
    if active.filter(holder=giver).exists():
        raise ValidationError(
            _(
                "%(organisation)s holds another partner's voice today, so it "
                "cannot give its own: no chains of proxies."
            )
            % {"organisation": giver.organisation.label}
        )
    if active.filter(giver=holder).exists():
        raise ValidationError(
            _(
                "%(organisation)s has given its own voice away today, so it "
                "cannot hold another's: no chains of proxies."
            )
            % {"organisation": holder.organisation.label}
        )
    try:
        with transaction.atomic():
            proxy = Proxy.objects.create(
                assembly=assembly, giver=giver, holder=holder, day=day,
                created_by=actor,
            )
    except IntegrityError:  # pragma: no cover - the lock above makes this rare
        raise ValidationError(_("This proxy was just recorded by someone else.")) from None
    audit(AuditEvent.Kind.PROXY_GIVEN, actor=actor, assembly=assembly,
          proxy=proxy.pk, giver=giver.pk, holder=holder.pk, day=day.isoformat())
    return proxy


@transaction.atomic
def proxy_end(*, proxy: Proxy, actor) -> Proxy:
    """End a proxy (the partner arrived, or it was recorded by mistake). From
    then on the partner votes itself. Ballots already cast by the holder stay
    counted. Needs ``voting.manage_proxy``. Audited."""
    proxy = Proxy.objects.select_for_update().select_related("assembly").get(
        pk=proxy.pk
    )
    _require_secretariat(actor, proxy.assembly)
    if proxy.ended_at is not None:
        raise ValidationError(_("This proxy has already ended."))
    proxy.ended_at = timezone.now()
    proxy.ended_by = actor
    proxy.save(update_fields=["ended_at", "ended_by"])
    audit(AuditEvent.Kind.PROXY_ENDED, actor=actor, assembly=proxy.assembly,
          proxy=proxy.pk)
    return proxy
