"""Downloads of the record of the day, and the page that lists them.

The minutes and the attendance name people: the secretariat's. The plenary
document is for everyone taking part (``agenda.view_plenarydocument``).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agenda.views.common import refused_page
from assembly.models import Assembly
from records import attendance, minutes, word

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _gate(request, assembly: Assembly, perm: str, message: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, assembly):
        return refused_page(request, message)
    return None


def _secretariat(request, pk: int):
    assembly = get_object_or_404(Assembly, pk=pk)
    return assembly, _gate(request, assembly, "assembly.manage_assembly",
                           _("The record of the day is the secretariat's."))


@require_GET
def records_page(request, pk: int):
    assembly, refusal = _secretariat(request, pk)
    if refusal:
        return refusal
    m = minutes.minutes(assembly)
    return render(request, "records/records.html", {"assembly": assembly, "m": m})


@require_GET
def minutes_docx(request, pk: int):
    assembly, refusal = _secretariat(request, pk)
    if refusal:
        return refusal
    body = word.minutes_docx(minutes.minutes(assembly))
    return _download(body, DOCX, f"minutes-{assembly.pk}.docx")


@require_GET
def minutes_pdf(request, pk: int):
    from records import pdf

    assembly, refusal = _secretariat(request, pk)
    if refusal:
        return refusal
    body = pdf.minutes_pdf(minutes.minutes(assembly))
    return _download(body, "application/pdf", f"minutes-{assembly.pk}.pdf")


@require_GET
def attendance_csv(request, pk: int):
    assembly, refusal = _secretariat(request, pk)
    if refusal:
        return refusal
    body = attendance.attendance_csv(minutes.attendance(assembly))
    return _download(body.encode("utf-8"), "text/csv; charset=utf-8",
                     f"attendance-{assembly.pk}.csv")


@require_GET
def attendance_xlsx(request, pk: int):
    assembly, refusal = _secretariat(request, pk)
    if refusal:
        return refusal
    body = attendance.attendance_xlsx(minutes.attendance(assembly),
                                      title=assembly.title)
    return _download(body, XLSX, f"attendance-{assembly.pk}.xlsx")


def _participant(request, pk: int):
    assembly = get_object_or_404(Assembly, pk=pk)
    return assembly, _gate(
        request, assembly, "agenda.view_plenarydocument",
        _("The plenary document is open to those taking part in the assembly."))


@require_GET
def plenary_docx(request, pk: int):
    assembly, refusal = _participant(request, pk)
    if refusal:
        return refusal
    body = word.plenary_docx(minutes.minutes(assembly))
    return _download(body, DOCX, f"plenary-{assembly.pk}.docx")


@require_GET
def plenary_pdf(request, pk: int):
    from records import pdf

    assembly, refusal = _participant(request, pk)
    if refusal:
        return refusal
    body = pdf.plenary_pdf(minutes.minutes(assembly))
    return _download(body, "application/pdf", f"plenary-{assembly.pk}.pdf")
