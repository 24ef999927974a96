"""Reminders to owners whose resolutions have gone without news."""

from __future__ import annotations

from datetime import date

from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext as _

from assembly.models import Assembly
from resolutions.services._base import require as _require


def reminders_send(*, assembly: Assembly, actor, today: date | None = None) -> int:
    """Email the staff of every owning agency with stale resolutions; return how
    many messages were sent (one per agency that has staff with an email address).

    Secretariat only. Uses Django's email backend (the console by default).
    """
    from resolutions import selectors

    _require(
        actor,
        "resolutions.follow_up_assembly",
        assembly,
        _("Only the secretariat can send reminders."),
    )
    messages = []
    for owner in selectors.stale_owners(assembly, today=today):
        recipients = sorted(
            {u.email for u in owner.organisation.staff.all() if u.email}
        )
        if not recipients:
            continue
        numbers = ", ".join(r.number for r in owner.resolutions)
        subject = _("Progress report due: resolutions %(numbers)s") % {
            "numbers": numbers
        }
        body = _(
            "Dear colleagues at %(agency)s,\n\n"
            "%(assembly)s has had no progress update for more than %(days)s days on "
            "the resolutions your agency owns: %(numbers)s.\n\n"
            "Please sign in and post an update.\n\nThe secretariat"
        ) % {
            "agency": owner.organisation.name,
            "assembly": assembly.title,
            "days": assembly.reporting_interval_days,
            "numbers": numbers,
        }
        messages.append(EmailMessage(subject=subject, body=body, to=recipients))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
