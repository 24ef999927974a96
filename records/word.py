"""The minutes and the plenary document as Word files (python-docx).

Thai offices edit these in Word, so the file is set up the way a Thai official
document is: Sarabun for every script (``w:rFonts`` ascii, hAnsi, east-Asian and
complex-script), the language th-TH on the styles and on every run (so Word
breaks lines between Thai words and checks Thai spelling), 16 pt body text, A4
with 2.5 cm margins. Content comes from ``records.minutes``; nothing is read here.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from records.minutes import ItemRecord, Minutes
from thai.dates import format_date, format_datetime

FONT = "Sarabun"
LANG = "th-TH"
BODY_PT = 16
SIZES = {"Normal": 16, "Title": 24, "Subtitle": 18, "Heading 1": 20,
         "Heading 2": 18, "Heading 3": 16, "List Bullet": 16, "List Number": 16,
         "Table Grid": 14, "Caption": 14}


def thai_rpr(rpr, *, size: float | None = None, bold: bool | None = None) -> None:
    """Make a run-properties element Thai-correct: Sarabun for every script, the
    language th-TH (also for complex scripts), the size for both scripts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), "1" if bold else "0")
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            element = rpr.find(qn(tag))
            if element is None:
                element = OxmlElement(tag)
                rpr.append(element)
            element.set(qn("w:val"), str(int(size * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    lang.set(qn("w:bidi"), LANG)


def new_document(title: str):
    """An A4 document whose styles are all Thai-correct."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            thai_rpr(rpr, size=BODY_PT)
    for name, size in SIZES.items():
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        thai_rpr(style.element.get_or_add_rPr(), size=size)
        if name.startswith(("Heading", "Title")):
            style.font.color.rgb = None
    doc.core_properties.title = title
    doc.core_properties.language = LANG
    return doc


def paragraph(doc, text: str = "", style: str | None = None, *, bold: bool = False,
              size: float | None = None):
    """A paragraph of one Thai-correct run (also in table cells: ``doc`` may be a
    cell)."""
    par = doc.add_paragraph(style=style)
    if text:
        run(par, text, bold=bold, size=size)
    return par


def run(par, text: str, *, bold: bool = False, size: float | None = None):
    r = par.add_run(text)
    thai_rpr(r._r.get_or_add_rPr(), size=size, bold=bold if bold else None)
    return r


def heading(doc, text: str, level: int):
    par = doc.add_heading(level=level)
    run(par, text)
    return par


def table(doc, header: list[str], lines: list[list[str]], widths: list[float]):
    """A bordered table with a bold header row that repeats on every page."""
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.paragraphs[0].text = ""
        run(cell.paragraphs[0], text, bold=True, size=14)
    header_tr = grid.rows[0]._tr
    tr_pr = header_tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for line in lines:
        cells = grid.add_row().cells
        for cell, text in zip(cells, line, strict=True):
            cell.paragraphs[0].text = ""
            run(cell.paragraphs[0], str(text), size=14)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return grid


def _date(d) -> str:
    return format_date(d, get_language()) if d else ""


def _when(moment) -> str:
    return format_datetime(timezone.localtime(moment), get_language()) if moment else ""


# --- The minutes ------------------------------------------------------------------------


def minutes_docx(m: Minutes) -> bytes:
    a = m.assembly
    doc = new_document(_("Minutes: %(title)s") % {"title": a.title})
    paragraph(doc, _("Minutes of the assembly"), "Title")
    paragraph(doc, a.title, "Subtitle")
    paragraph(doc, _("%(date)s · %(venue)s, %(province)s") % {
        "date": _date(a.starts_on), "venue": a.venue, "province": a.province})
    _attendance(doc, m)
    _polls(doc, m)
    heading(doc, _("Amendments"), 1)
    for record in m.items:
        _amendments(doc, record)
    heading(doc, _("The consolidated document"), 1)
    if m.document_number:
        paragraph(doc, _("Version %(n)s of the plenary document") % {
            "n": m.document_number})
    for record in m.items:
        _item_text(doc, record)
    _resolutions(doc, m)
    paragraph(doc, _("Made by Samatcha on %(when)s") % {"when": _when(m.made_at)},
              size=12)
    return _bytes(doc)


def _attendance(doc, m: Minutes) -> None:
    heading(doc, _("Attendance"), 1)
    for room in m.rooms:
        heading(doc, room.room.name, 2)
        paragraph(doc, _("%(present)s of %(total)s partner organisations present") % {
            "present": room.present_count, "total": room.total})
        if room.room.is_plenary:
            continue  # every partner: listed room by room above
        lines = [[
            entry.organisation.name,
            ", ".join(f"{d.name} ({d.get_kind_display()})" for d in entry.delegates),
            _("present") if entry.present else _("absent"),
        ] for entry in room.partners]
        table(doc, [_("Organisation"), _("Delegates"), _("Attendance")], lines,
              [6.5, 7, 2.5])


def _polls(doc, m: Minutes) -> None:
    heading(doc, _("Votes"), 1)
    if not m.polls:
        paragraph(doc, _("No vote was held."))
        return
    lines = [[
        p.room.name,
        p.subject + (f" ({_('secret ballot')})" if p.secret else ""),
        p.figures,
        p.outcome,
    ] for p in m.polls]
    table(doc, [_("Room"), _("Vote"), _("Figures"), _("Outcome")], lines,
          [3.5, 4.5, 5.5, 2.5])


def _clause_number(a) -> int | None:
    """The number (position) of the amendment's clause in the version it was
    written against: what the room saw when it decided."""
    if a.target_key is None:
        return None
    clause = a.base_version.clauses.filter(key=a.target_key).first()
    return clause.position if clause else None


def _amendment_line(a) -> str:
    number = _clause_number(a)
    where = (_("clause %(n)s") % {"n": number}) if number else ""
    text = f": {a.text}" if a.text else ""
    parts = [_("Amendment %(n)s") % {"n": a.pk}, str(a.get_kind_display())]
    if where:
        parts.append(where)
    parts.append(a.partner.organisation.label)
    line = " · ".join(parts) + text
    if a.adopted_over_conflict:
        line += " " + _("(adopted over a later change to the clause)")
    if a.decision_reason:
        line += " " + _("Reason: %(reason)s") % {"reason": a.decision_reason}
    return line


def _amendments(doc, record: ItemRecord) -> None:
    heading(doc, _("Agenda item %(n)s: %(title)s") % {
        "n": record.item.number, "title": record.item.title}, 2)
    groups = [
        (_("Adopted"), record.adopted_amendments),
        (_("Rejected"), record.rejected_amendments),
        (_("Closed without a decision on the text"), record.closed_amendments),
    ]
    if not record.amendments:
        paragraph(doc, _("No amendment was decided."))
    for label, amendments in groups:
        if not amendments:
            continue
        paragraph(doc, f"{label} ({len(amendments)})", bold=True)
        for a in amendments:
            par = paragraph(doc, style="List Bullet")
            run(par, _amendment_line(a))
            if a.status not in ("adopted", "merged", "rejected"):
                run(par, f" [{a.get_status_display()}]")


def _item_text(doc, record: ItemRecord) -> None:
    item = record.item
    heading(doc, _("Agenda item %(n)s: %(title)s") % {
        "n": item.number, "title": item.title}, 2)
    paragraph(doc, _("Lead agency: %(agency)s") % {"agency": item.lead_agency.name})
    if record.outcome:
        paragraph(doc, " · ".join(x for x in (
            record.outcome.label, record.outcome.method, _date(record.outcome.decided_on),
        ) if x), bold=True)
        if record.outcome.figures:
            paragraph(doc, record.outcome.figures, size=14)
    elif not record.clauses:
        paragraph(doc, _("Not agreed by its room."))
    if record.preamble:
        paragraph(doc, record.preamble)
    for clause in record.clauses:
        par = paragraph(doc)
        run(par, _("Clause %(n)s") % {"n": clause.position} + " ", bold=True)
        run(par, clause.text)


def _resolutions(doc, m: Minutes) -> None:
    heading(doc, _("Adopted resolutions"), 1)
    resolutions = [r for record in m.items for r in record.resolutions]
    if not resolutions:
        paragraph(doc, _("The plenary has not adopted a resolution yet."))
        return
    lines = [[
        r.number, r.text, " · ".join(o.name for o in r.owners),
        str(r.get_method_display()),
    ] for r in resolutions]
    table(doc, [_("Number"), _("Resolution"), _("Owning agencies"), _("Adopted")],
          lines, [1.5, 8, 4.5, 2])


# --- The plenary document ---------------------------------------------------------------


def plenary_docx(m: Minutes) -> bytes:
    a = m.assembly
    doc = new_document(_("Plenary document: %(title)s") % {"title": a.title})
    paragraph(doc, _("Plenary document"), "Title")
    paragraph(doc, a.title, "Subtitle")
    line = _("%(date)s · %(venue)s, %(province)s") % {
        "date": _date(a.starts_on), "venue": a.venue, "province": a.province}
    if m.document_number:
        line += " · " + _("Version %(n)s of the plenary document") % {
            "n": m.document_number}
    paragraph(doc, line)
    for record in m.items:
        if record.clauses:
            _item_text(doc, record)
    return _bytes(doc)


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
