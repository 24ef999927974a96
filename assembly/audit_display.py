"""The audit log as people read it (contract 10): events store ids and codes;
here they become names and translated words, a page at a time, with a few
queries for the whole page whatever its length."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assembly.models import AuditEvent, Delegate, Room

METHODS = {
    "link": gettext_lazy("with a personal link"),
    "password": gettext_lazy("with a password"),
}
# Why a ballot was refused (codes of voting.services.ballots).
BALLOT_REASONS = {
    "permission": gettext_lazy("not allowed to vote here"),
    "poll_closed": gettext_lazy("the vote had closed"),
    "poll_not_open": gettext_lazy("the vote was not open"),
    "unknown_choice": gettext_lazy("not one of the options"),
    "reason_missing": gettext_lazy("a reason was missing"),
    "reason_too_long": gettext_lazy("the reason was too long"),
    "invalid": gettext_lazy("not valid"),
}
# What a partners' import did (keys of assembly.imports ImportPlan.summary).
IMPORT_COUNTS = {
    "organisation_create": gettext_lazy("organisations added"),
    "organisation_update": gettext_lazy("organisations changed"),
    "partner_create": gettext_lazy("partners added"),
    "partner_update": gettext_lazy("partners moved"),
    "delegate_create": gettext_lazy("delegates added"),
    "delegate_update": gettext_lazy("delegates changed"),
}


@dataclass
class Row:
    event: AuditEvent
    who: str
    about: str = ""
    details: list[str] = field(default_factory=list)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


class _Names:
    """The people and rooms a page of events names, fetched once."""

    def __init__(self, events: list[AuditEvent]):
        User = get_user_model()
        ids = lambda key: {e.detail.get(key) for e in events  # noqa: E731
                           if isinstance(e.detail.get(key), int)}
        self.delegates = {
            d.pk: d for d in Delegate.objects.filter(pk__in=ids("delegate"))
            .select_related("partner__organisation")
        }
        self.accounts = {u.pk: u for u in User.objects.filter(pk__in=ids("account"))}
        self.rooms = {r.pk: r for r in Room.objects.filter(pk__in=ids("room"))}

    def subject(self, detail: dict) -> str:
        if "delegate" in detail:
            d = self.delegates.get(detail["delegate"])
            if d is None:
                return _("a delegate since removed")
            return f"{d.name} ({d.partner.organisation.label})"
        if "account" in detail:
            u = self.accounts.get(detail["account"])
            return _name(u) if u else _("an account since removed")
        return ""

    def room(self, room_id) -> str:
        room = self.rooms.get(room_id)
        return room.name if room else _("a room since removed")


def _details(event: AuditEvent, names: _Names) -> list[str]:
    d, kind, out = event.detail or {}, event.kind, []
    if kind == AuditEvent.Kind.PERMISSION_REFUSED:
        return [f"{d.get('method', '')} {d.get('path', '')}".strip()]
    if kind in (AuditEvent.Kind.SIGN_IN, AuditEvent.Kind.SIGN_IN_FAILED):
        if d.get("method") in METHODS:
            out.append(str(METHODS[d["method"]]))
        if d.get("checked_in"):
            out.append(_("checked in at this first sign-in"))
        if d.get("username"):
            out.append(_("username tried: %(name)s") % {"name": d["username"]})
    if d.get("sessions_ended"):
        out.append(_("%(count)s sessions signed out") % {"count": d["sessions_ended"]})
    if "room" in d:
        out.append(_("in %(room)s") % {"room": names.room(d["room"])})
    if kind == AuditEvent.Kind.BALLOT_REFUSED:
        reason = d.get("reason", "")
        out.append(str(BALLOT_REASONS.get(reason, reason)))
    if "poll" in d:
        out.append(_("vote no. %(number)s") % {"number": d["poll"]})
    if kind == AuditEvent.Kind.POLL_CLOSED:
        out.append(_("adopted") if d.get("adopted") else _("not adopted"))
        if d.get("by_countdown"):
            out.append(_("closed by its countdown"))
    if kind == AuditEvent.Kind.IMPORT:
        if d.get("filename"):
            out.append(_("file: %(name)s") % {"name": d["filename"]})
        if "rows" in d:
            out.append(_("%(count)s lines") % {"count": d["rows"]})
        out += [f"{label}: {d[key]}" for key, label in IMPORT_COUNTS.items()
                if d.get(key)]
    return out


def rows(events) -> list[Row]:
    """A page of events, each with who did it, to whom, and the details in
    words of the reader's language."""
    events = list(events)
    names = _Names(events)
    out = []
    for event in events:
        if event.actor is not None:
            who = _name(event.actor)
        elif event.kind == AuditEvent.Kind.SIGN_IN_FAILED:
            who = _("someone not signed in")
        else:
            who = _("the system")
        out.append(Row(event=event, who=who, about=names.subject(event.detail or {}),
                       details=_details(event, names)))
    return out
