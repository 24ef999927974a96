"""A progress report on an assembly's resolutions (or one agency's) as a PDF."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from assembly.models import Assembly, Organisation
from resolutions import selectors
from resolutions.models import ProgressUpdate
from resolutions.pdf.common import ProgressBar, para, styles
from thai import dates
from thai.pdf import build, collector_paused


def _entry_text(entry: ProgressUpdate, lang: str) -> str:
    when = dates.format_date(entry.refers_to, lang)
    if entry.kind == ProgressUpdate.Kind.NOTE:
        who = entry.organisation.name if entry.organisation else ""
        head = _("%(date)s, note from %(agency)s") % {"date": when, "agency": who}
    else:
        head = f"{when}, {entry.get_status_display()} {entry.percent}%"
        if entry.kind == ProgressUpdate.Kind.CORRECTION:
            head = _("%(entry)s (correction by the secretariat)") % {"entry": head}
    text = f"{head}: {entry.narrative}"
    if entry.reason:
        text += " " + _("Reason: %(reason)s") % {"reason": entry.reason}
    return text


@collector_paused()
def progress_report_pdf(
    assembly: Assembly,
    *,
    organisation: Organisation | None = None,
    today: date | None = None,
    with_timeline: bool = True,
) -> bytes:
    """How far the assembly's resolutions (or those ``organisation`` owns or
    supports) have come: the roll-ups, and for each resolution its owner, status,
    last update and a progress bar, then (``with_timeline``) its timeline."""
    lang = get_language() or "th"
    today = today or timezone.localdate()
    st = styles()
    board = selectors.board(assembly, agency=organisation, today=today)
    story = [
        para(_("Progress report"), st["h1"]),
        para(assembly.title, st["h2"]),
    ]
    if organisation is not None:
        story.append(
            para(_("Agency: %(name)s") % {"name": organisation.name}, st["h3"])
        )
    story.append(
        para(_("As of %(date)s") % {"date": dates.format_date(today, lang)}, st["body"])
    )
    if organisation is None:
        story += [
            para(_("Progress of the assembly"), st["body"]),
            ProgressBar(board.progress),
        ]
    entries: dict[int, list[ProgressUpdate]] = {}
    if with_timeline:
        for entry in selectors.updates_of(assembly, organisation=None):
            entries.setdefault(entry.resolution_id, []).append(entry)
    if not board.count:
        story.append(para(_("No resolutions to report on."), st["body"]))
    for block in board.items:
        story += [
            Spacer(1, 4 * mm),
            para(
                _("Agenda item %(number)s: %(title)s")
                % {"number": block.item.number, "title": block.item.title},
                st["h3"],
            ),
            ProgressBar(block.progress),
        ]
        for row in block.rows:
            res = row.resolution
            last = (
                dates.format_date(row.last_update, lang)
                if row.last_update
                else _("never")
            )
            meta = _(
                "Owner: %(owner)s · Status: %(status)s · Last update: %(date)s"
            ) % {
                "owner": " · ".join(o.name for o in res.owners),
                "status": row.status_label,
                "date": last,
            }
            if row.stale:
                meta += " · " + _("No recent update")
            story.append(
                KeepTogether(
                    [
                        para(f"{res.number}  {res.text}", st["clause"]),
                        para(meta, st["meta"]),
                        ProgressBar(row.percent),
                    ]
                )
            )
            for entry in entries.get(res.pk, []):
                story.append(para(_entry_text(entry, lang), st["entry"]))

    def footer(page: int) -> str:
        return _("Progress report · %(title)s · page %(page)s") % {
            "title": assembly.title,
            "page": page,
        }

    return build(story, title=_("Progress report"), footer=footer)
