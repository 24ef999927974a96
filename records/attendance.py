"""Attendance as CSV and XLSX: one line per delegate, room by room.

The CSV follows the project's exports (``resolutions.exports``: UTF-8 with a
byte-order mark for Excel, formula-looking cells neutralised); the XLSX is a real
workbook (openpyxl) with one sheet of delegates and one of rooms, Thai text in
Sarabun, the header frozen.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from records.minutes import RoomAttendance
from resolutions.exports import _csv, neutralise


def _header() -> list[str]:
    return [
        _("Room"),
        _("Organisation"),
        _("Sector"),
        _("Delegate"),
        _("Role"),
        _("Checked in at"),
        _("Organisation present"),
    ]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def rows(rooms: list[RoomAttendance]) -> list[list[object]]:
    """One line per delegate of each breakout room (the plenary repeats everyone,
    so it is left out here: see the room sheet for its count)."""
    lines = []
    for room in rooms:
        if room.room.is_plenary:
            continue
        for entry in room.partners:
            org = entry.organisation
            for delegate in entry.delegates or [None]:
                lines.append([
                    room.room.name,
                    org.name,
                    org.get_sector_display(),
                    delegate.name if delegate else "",
                    delegate.get_kind_display() if delegate else "",
                    _when(delegate.checked_in_at) if delegate else "",
                    _("yes") if entry.present else _("no"),
                ])
    return lines


def room_rows(rooms: list[RoomAttendance]) -> list[list[object]]:
    return [[r.room.name, r.total, r.present_count] for r in rooms]


def attendance_csv(rooms: list[RoomAttendance]) -> str:
    return _csv(_header(), rows(rooms))


def attendance_xlsx(rooms: list[RoomAttendance], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Delegates")[:31]
    bold, body = Font(name="Sarabun", bold=True, size=14), Font(name="Sarabun", size=14)
    sheet.append([neutralise(title)])
    sheet["A1"].font = Font(name="Sarabun", bold=True, size=16)
    sheet.append([neutralise(h) for h in _header()])
    for cell in sheet[2]:
        cell.font = bold
    for line in rows(rooms):
        sheet.append([neutralise(v) for v in line])
        for cell in sheet[sheet.max_row]:
            cell.font = body
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDEFG", (34, 46, 26, 34, 18, 18, 14), strict=True):
        sheet.column_dimensions[column].width = width
    summary = book.create_sheet(_("Rooms")[:31])
    summary.append([_("Room"), _("Partner organisations"), _("Present")])
    for cell in summary[1]:
        cell.font = bold
    for line in room_rows(rooms):
        summary.append([neutralise(line[0]), line[1], line[2]])
        for cell in summary[summary.max_row]:
            cell.font = body
    summary.column_dimensions["A"].width = 60
    summary.column_dimensions["B"].width = 20
    summary.column_dimensions["C"].width = 12
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
