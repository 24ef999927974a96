"""The public board: no sign-in needed."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from assembly.models import Assembly, Organisation
from resolutions import chart, selectors
from resolutions.forms import BoardFilterForm
from resolutions.models import ProgressUpdate, Resolution
from resolutions.views.common import page_or_partial
from resolutions.wording import adoption_text
from thai import dates

CHART_WIDTH, CHART_HEIGHT = 640, 240


def board(request, assembly_id: int):
    """Every agenda item with its resolutions; filter by agency, status, sector."""
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    agencies = selectors.agencies_of(assembly)
    form = BoardFilterForm(request.GET or None, agencies=agencies)
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.board(
        assembly,
        agency=filters.get("agency"),
        status=filters.get("status") or "",
        sector=filters.get("sector") or "",
    )
    return page_or_partial(
        request,
        "resolutions/board.html",
        "board-list",
        {"assembly": assembly, "board": data, "form": form},
    )


def agency(request, assembly_id: int, organisation_id: int):
    """Everything one agency owns (and supports) at an assembly."""
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    data = selectors.board(assembly, agency=organisation)
    owned = [
        r for b in data.items for r in b.rows if r.resolution.is_owned_by(organisation)
    ]
    supported = [
        r
        for b in data.items
        for r in b.rows
        if not r.resolution.is_owned_by(organisation)
    ]
    return render(
        request,
        "resolutions/agency.html",
        {
            "assembly": assembly,
            "organisation": organisation,
            "owned": owned,
            "supported": supported,
        },
    )


def resolution_detail(request, assembly_id: int, pk: int):
    """One resolution: its text, plan, current state, chart and timeline."""
    resolution = get_object_or_404(
        Resolution.objects.select_related("item", "owner", "assembly", "poll"),
        pk=pk,
        assembly_id=assembly_id,
    )
    entries = selectors.timeline(resolution)
    row = selectors.state_of(
        resolution,
        [e for e in entries if e.kind != ProgressUpdate.Kind.NOTE],
        today=timezone.localdate(),
        interval_days=resolution.assembly.reporting_interval_days,
    )
    lang = get_language()
    points = selectors.chart_points(entries)
    svg = chart.percent_chart_svg(
        points,
        title=_("Percent complete over time"),
        description=ngettext(
            "Progress of resolution %(number)s: %(n)s report, latest %(p)s%%",
            "Progress of resolution %(number)s: %(n)s reports, latest %(p)s%%",
            len(points),
        )
        % {"number": resolution.number, "n": len(points), "p": row.percent_shown},
        date_label=lambda d: dates.format_date_short(d, lang),
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
    )
    # Without a fixed size the chart takes the width of the page (its viewBox keeps
    # the proportions), so it fits a phone without scrolling and needs no CSS.
    svg = svg.replace(f' width="{CHART_WIDTH}" height="{CHART_HEIGHT}"', "", 1)
    user = request.user
    return render(
        request,
        "resolutions/resolution.html",
        {
            "assembly": resolution.assembly,
            "resolution": resolution,
            "row": row,
            "entries": entries,
            # chart.py escapes every string it is given: the markup is its own.
            "chart": mark_safe(svg),
            "adoption": adoption_text(resolution),
            "can_update": user.has_perm("resolutions.add_progressupdate", resolution),
            "can_note": user.has_perm("resolutions.add_note", resolution),
            "can_correct": user.has_perm(
                "resolutions.correct_progressupdate", resolution
            ),
            "can_plan": user.has_perm("resolutions.change_resolution", resolution),
        },
    )


def evidence(request, pk: int):
    """An evidence file, served from storage with the type its content was checked as."""
    entry = get_object_or_404(ProgressUpdate, pk=pk)
    if not entry.evidence_file:
        raise Http404
    name = entry.evidence_file.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = entry.evidence_file.storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = (
        f'inline; filename="evidence-{entry.pk}{_ext(name)}"'
    )
    return response


def _ext(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot != -1 else ""
