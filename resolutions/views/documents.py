"""The public documents: the resolutions PDF, progress reports, CSV exports."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from assembly.models import Assembly, Organisation
from resolutions import exports, selectors
from resolutions.pdf import progress_report_pdf, resolutions_pdf

# A progress report of a large assembly costs seconds of CPU: the public documents
# are kept in the cache until anything they show changes (or for a day at most).
PDF_CACHE_SECONDS = 24 * 60 * 60


def _cached_pdf(assembly: Assembly, name: str, build) -> bytes:
    key = ":".join(
        [
            "resolutions-pdf",
            name,
            get_language() or "",
            timezone.localdate().isoformat(),
            selectors.documents_fingerprint(assembly),
        ]
    )
    pdf = cache.get(key)
    if pdf is None:
        pdf = build()
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def resolutions_document(request, assembly_id: int):
    """The resolutions PDF; ``?digits=thai`` writes its numbers in Thai digits."""
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    thai_digits = request.GET.get("digits") == "thai"
    suffix = "-thai-digits" if thai_digits else ""
    pdf = _cached_pdf(
        assembly,
        f"resolutions-{assembly.pk}{suffix}",
        lambda: resolutions_pdf(assembly, thai_digits=thai_digits),
    )
    return _download(pdf, "application/pdf", f"resolutions-{assembly.pk}{suffix}.pdf")


def progress_report(request, assembly_id: int, organisation_id: int | None = None):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    organisation = (
        get_object_or_404(Organisation, pk=organisation_id) if organisation_id else None
    )
    suffix = f"-{organisation.pk}" if organisation else ""
    stamp = timezone.localdate().isoformat()
    pdf = _cached_pdf(
        assembly,
        f"progress-{assembly.pk}{suffix}",
        lambda: progress_report_pdf(assembly, organisation=organisation),
    )
    return _download(
        pdf,
        "application/pdf",
        f"progress-{assembly.pk}{suffix}-{stamp}.pdf",
    )


def resolutions_csv(request, assembly_id: int):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    rows = selectors.rows_of(
        selectors.resolutions_of(assembly),
        interval_days=assembly.reporting_interval_days,
    )
    return _download(
        exports.resolutions_csv(rows).encode("utf-8"),
        "text/csv; charset=utf-8",
        f"resolutions-{assembly.pk}.csv",
    )


def updates_csv(request, assembly_id: int):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    return _download(
        exports.updates_csv(selectors.updates_of(assembly)).encode("utf-8"),
        "text/csv; charset=utf-8",
        f"progress-updates-{assembly.pk}.csv",
    )
