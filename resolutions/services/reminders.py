"""Reminders to owners whose resolutions have gone without news.

Sent by the secretariat's button on the follow-up desk, or by the scheduled
command ``manage.py send_reminders`` (a systemd timer, docs/deploy.md). Each
message links to the update page of every stale resolution. Owners that cannot
be reached (no staff, or no staff with an e-mail address) are never skipped
silently: the desk lists them (``selectors.owner_contacts``) and the command
prints them.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assembly.models import Assembly
from resolutions.models import Reminder
from resolutions.services._base import require as _require


def reminders_send(
    *,
    assembly: Assembly,
    actor=None,
    today: date | None = None,
    base_url: str = "",
    min_days_between: int = 0,
) -> int:
    """E-mail the staff of every owning agency with stale resolutions (a jointly
    owned resolution reminds each owner); return how many messages were sent.

    ``actor`` None is the scheduled command (the system); otherwise the
    secretariat (PermissionDenied for anyone else). ``base_url`` (e.g.
    ``https://samatcha.example.org``) makes the links to the update pages
    absolute. ``min_days_between``: an agency reminded less than that many days
    ago is not written to again (the schedule runs daily). Messages are in Thai,
    the working language. Each sent message is recorded as a ``Reminder``. Uses
    Django's e-mail backend.
    """
    from resolutions import selectors

    if actor is not None:
        _require(
            actor,
            "resolutions.follow_up_assembly",
            assembly,
            _("Only the secretariat can send reminders."),
        )
    recent = set()
    if min_days_between > 0:
        since = timezone.now() - timedelta(days=min_days_between)
        recent = set(
            Reminder.objects.filter(assembly=assembly, sent_at__gte=since)
            .values_list("organisation_id", flat=True)
        )
    messages, records = [], []
    for contact in selectors.owner_contacts(assembly, today=today):
        if not contact.addresses or contact.organisation.pk in recent:
            continue
        messages.append(_message(assembly, contact, base_url))
        records.append(Reminder(
            assembly=assembly, organisation=contact.organisation,
            sent_by=actor if getattr(actor, "is_authenticated", False) else None,
            recipient_count=len(contact.addresses),
            numbers=", ".join(r.number for r in contact.resolutions)[:500],
        ))
    if not messages:
        return 0
    with get_connection() as connection:
        sent = connection.send_messages(messages) or 0
    Reminder.objects.bulk_create(records[:sent])
    return sent


def _message(assembly: Assembly, contact, base_url: str) -> EmailMessage:
    with translation.override("th"):
        numbers = ", ".join(r.number for r in contact.resolutions)
        lines = []
        for resolution in contact.resolutions:
            link = base_url.rstrip("/") + reverse(
                "resolutions:update", args=[resolution.pk]
            )
            text = resolution.text if len(resolution.text) <= 120 else (
                resolution.text[:119] + "…")
            lines.append(
                _("Resolution %(number)s: %(text)s\nPost an update: %(link)s")
                % {"number": resolution.number, "text": text, "link": link}
            )
        subject = _("Progress report due: resolutions %(numbers)s") % {
            "numbers": numbers
        }
        body = _(
            "Dear colleagues at %(agency)s,\n\n"
            "%(assembly)s has had no progress update for more than %(days)s days on "
            "the resolutions your agency owns: %(numbers)s.\n\n"
            "%(links)s\n\n"
            "Please sign in and post an update.\n\nThe secretariat"
        ) % {
            "agency": contact.organisation.name,
            "assembly": assembly.title,
            "days": assembly.reporting_interval_days,
            "numbers": numbers,
            "links": "\n\n".join(lines),
        }
    return EmailMessage(subject=subject, body=body, to=contact.addresses)
