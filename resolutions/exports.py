"""CSV exports of resolutions and of their progress updates.

UTF-8 with a byte-order mark so that Excel shows Thai, and every text cell that a
spreadsheet would read as a formula (``= + - @``, or a tab or carriage return first)
is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from resolutions.models import ProgressUpdate
from resolutions.selectors import ResolutionRow

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The cell's text, with a leading ' if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _csv(header: list[str], rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def _iso(d) -> str:
    return d.isoformat() if d else ""


def resolutions_csv(rows: Iterable[ResolutionRow]) -> str:
    """One line per resolution with its current state."""
    header = [
        _("Number"),
        _("Agenda item"),
        _("Adopted text"),
        _("Adopted on"),
        pgettext("resolution", "Adopted"),
        _("Owning agencies"),
        _("Supporting agencies"),
        _("Sector"),
        _("Status"),
        _("Percent complete"),
        _("Last update"),
        _("Stale"),
        _("Target date"),
        _("Indicator"),
        _("Baseline"),
        _("Target"),
        _("Weight"),
    ]

    def line(row: ResolutionRow) -> list[object]:
        res = row.resolution
        return [
            res.number,
            res.item.title,
            res.text,
            _iso(res.adopted_on),
            res.get_method_display(),
            "; ".join(o.name for o in res.owners),
            "; ".join(s.name for s in res.supporters.all()),
            "; ".join(str(o.get_sector_display()) for o in res.owners),
            row.status_label,
            "" if row.percent is None else row.percent,
            _iso(row.last_update),
            _("yes") if row.stale else _("no"),
            _iso(res.target_date),
            res.indicator,
            res.baseline,
            res.target,
            res.weight,
        ]

    return _csv(header, (line(r) for r in rows))


def updates_csv(updates: Iterable[ProgressUpdate]) -> str:
    """One line per timeline entry (updates, notes, corrections), oldest first."""
    header = [
        _("Resolution"),
        _("Kind"),
        _("Agency"),
        _("As of"),
        _("Status"),
        _("Percent complete"),
        _("Narrative"),
        _("Reason"),
        _("Evidence link"),
        _("Evidence file"),
        _("Posted at"),
    ]

    def line(u: ProgressUpdate) -> list[object]:
        return [
            u.resolution.number,
            u.get_kind_display(),
            u.organisation.name if u.organisation else _("Secretariat"),
            _iso(u.refers_to),
            u.get_status_display() if u.status else "",
            "" if u.percent is None else u.percent,
            u.narrative,
            u.reason,
            u.evidence_url,
            _("yes") if u.evidence_file else "",
            u.created_at.isoformat(timespec="seconds") if u.created_at else "",
        ]

    return _csv(header, (line(u) for u in updates))
