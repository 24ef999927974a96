"""The audit log of an assembly: who did what, in names and words, filtered."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from assembly import audit_display, selectors
from assembly.models import Assembly
from assembly.people_forms import AuditFilterForm
from assembly.views.secretariat.base import secretariat_page

PAGE_SIZE = 50


def _filtered(events, data: dict):
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    for term in (data.get("who") or "").split()[:4]:
        events = events.filter(
            Q(actor__first_name__icontains=term) | Q(actor__last_name__icontains=term)
            | Q(actor__username__icontains=term) | Q(detail__username__icontains=term)
        )
    if data.get("day"):
        start = timezone.make_aware(datetime.combine(data["day"], time.min))
        events = events.filter(at__gte=start, at__lt=start + timedelta(days=1))
    return events


@secretariat_page()
def audit_log(request, assembly: Assembly):
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    events = _filtered(selectors.audit_events(assembly), data)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = [(k, request.GET[k]) for k in ("kind", "who", "day") if request.GET.get(k)]
    return render(request, "assembly/secretariat/audit.html", {
        "assembly": assembly, "page": page, "filter_form": form,
        "rows": audit_display.rows(page.object_list),
        "query": urlencode(kept),
    })
