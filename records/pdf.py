"""The minutes and the plenary document as PDF, set with the Thai package's
typesetting (``thai.pdf``: Sarabun, breaks only between words, text that copies
back out as typed). Content comes from ``records.minutes``; the DOCX says the
same (``records.word``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from records.minutes import ItemRecord, Minutes
from records.word import _amendment_line
from resolutions.pdf.common import para, styles
from thai import dates
from thai.pdf import MARGIN, build, thai_paragraph

GRID = colors.HexColor("#9a9a9a")
HEAD = colors.HexColor("#ece8df")
WIDTH = 210 * mm - 2 * MARGIN


def _date(d) -> str:
    return dates.format_date(d, get_language() or "th") if d else ""


def _table(header: list[str], lines: list[list[str]], shares: list[float], st):
    cell, head = st["cell"], st["cellhead"]
    # The heading row is set again on each page the table runs over.
    data = [[thai_paragraph(h, head, repeats=True) for h in header]]
    data += [[para(str(v), cell) for v in line] for line in lines]
    grid = Table(data, colWidths=[WIDTH * s for s in shares], repeatRows=1)
    # Columns far enough apart (18 pt) that pdftotext reads each cell as a block
    # of its own rather than running neighbouring cells' lines together.
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 9),
        ("RIGHTPADDING", (0, 0), (-1, -1), 9),
    ]))
    return grid


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    st = styles()
    st["cell"] = ParagraphStyle("cell", parent=st["body"], fontSize=12, leading=18,
                                spaceAfter=0)
    st["cellhead"] = ParagraphStyle("cellhead", parent=st["cell"],
                                    fontName=st["h3"].fontName)
    return st


def _head(m: Minutes, title: str, st) -> list:
    a = m.assembly
    lang = get_language() or "th"
    when = dates.format_date_range(a.starts_on, a.ends_on, lang)
    return [
        para(title, st["h1"]),
        para(a.title, st["h2"]),
        para(_("%(date)s · %(venue)s, %(province)s") % {
            "date": when, "venue": a.venue, "province": a.province}, st["body"]),
    ]


def _item_text(record: ItemRecord, st) -> list:
    item = record.item
    story = [Spacer(1, 3 * mm), para(_("Agenda item %(n)s: %(title)s") % {
        "n": item.number, "title": item.title}, st["h3"]),
        para(_("Lead agency: %(agency)s") % {"agency": item.lead_agency.name},
             st["meta"])]
    if record.outcome:
        story.append(para(" · ".join(x for x in (
            record.outcome.label, record.outcome.method,
            _date(record.outcome.decided_on)) if x), st["body"]))
        if record.outcome.figures:
            story.append(para(record.outcome.figures, st["meta"]))
    if record.preamble:
        story.append(para(record.preamble, st["body"]))
    for clause in record.clauses:
        story.append(para(_("Clause %(n)s") % {"n": clause.position} + "  "
                          + clause.text, st["clause"]))
    return story


def minutes_pdf(m: Minutes) -> bytes:
    st = _styles()
    story = _head(m, _("Minutes of the assembly"), st)
    story.append(para(_("Attendance"), st["h2"]))
    for room in m.rooms:
        story.append(para(room.room.name, st["h3"]))
        story.append(para(_("%(present)s of %(total)s partner organisations present")
                          % {"present": room.present_count, "total": room.total},
                          st["body"]))
        if room.room.is_plenary:
            continue
        lines = [[
            e.organisation.name,
            ", ".join(f"{d.name} ({d.get_kind_display()})" for d in e.delegates),
            _("present") if e.present else _("absent"),
        ] for e in room.partners]
        story.append(_table([_("Organisation"), _("Delegates"), _("Attendance")],
                            lines, [0.42, 0.43, 0.15], st))
    story.append(para(_("Votes"), st["h2"]))
    if m.polls:
        lines = [[p.room.name, p.subject + (f" ({_('secret ballot')})" if p.secret
                                            else ""), p.figures, p.outcome]
                 for p in m.polls]
        story.append(_table([_("Room"), _("Vote"), _("Figures"), _("Outcome")],
                            lines, [0.22, 0.28, 0.34, 0.16], st))
    else:
        story.append(para(_("No vote was held."), st["body"]))
    story.append(para(_("Amendments"), st["h2"]))
    for record in m.items:
        story.append(para(_("Agenda item %(n)s: %(title)s") % {
            "n": record.item.number, "title": record.item.title}, st["h3"]))
        if not record.amendments:
            story.append(para(_("No amendment was decided."), st["meta"]))
        for label, group in (
            (_("Adopted"), record.adopted_amendments),
            (_("Rejected"), record.rejected_amendments),
            (_("Closed without a decision on the text"), record.closed_amendments),
        ):
            if group:
                story.append(para(f"{label} ({len(group)})", st["body"]))
                story += [para("• " + _amendment_line(a), st["entry"]) for a in group]
    story.append(para(_("The consolidated document"), st["h2"]))
    if m.document_number:
        story.append(para(_("Version %(n)s of the plenary document") % {
            "n": m.document_number}, st["meta"]))
    for record in m.items:
        story += _item_text(record, st)
    story.append(para(_("Adopted resolutions"), st["h2"]))
    resolutions = [r for record in m.items for r in record.resolutions]
    if not resolutions:
        story.append(para(_("The plenary has not adopted a resolution yet."),
                          st["body"]))
    for r in resolutions:
        story.append(KeepTogether([
            para(f"{r.number}  {r.text}", st["clause"]),
            para(" · ".join(o.name for o in r.owners) + " · "
                 + str(r.get_method_display()), st["meta"]),
        ]))
    made = dates.format_datetime(timezone.localtime(m.made_at), get_language() or "th")
    story.append(para(_("Made by Samatcha on %(when)s") % {"when": made}, st["meta"]))
    title = m.assembly.title

    def footer(page: int) -> str:
        return _("Minutes · %(title)s · page %(page)s") % {"title": title,
                                                           "page": page}

    return build(story, title=_("Minutes of the assembly"), footer=footer)


def plenary_pdf(m: Minutes) -> bytes:
    st = _styles()
    story = _head(m, _("Plenary document"), st)
    if m.document_number:
        story.append(para(_("Version %(n)s of the plenary document") % {
            "n": m.document_number}, st["meta"]))
    for record in m.items:
        if record.clauses:
            story += _item_text(record, st)
    title = m.assembly.title

    def footer(page: int) -> str:
        return _("Plenary document · %(title)s · page %(page)s") % {
            "title": title, "page": page}

    return build(story, title=_("Plenary document"), footer=footer)
