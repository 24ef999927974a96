"""Posting to a resolution's timeline: updates, notes, corrections; and the plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from resolutions import selectors, services
from resolutions.forms import CorrectionForm, NoteForm, PlanForm, ProgressUpdateForm
from resolutions.models import Resolution
from resolutions.views.common import page_or_partial, refused

# What each kind of entry needs: its permission, its form and its service.
KINDS = {
    "update": (
        "resolutions.add_progressupdate",
        ProgressUpdateForm,
        services.progress_post,
    ),
    "note": ("resolutions.add_note", NoteForm, services.progress_note),
    "correction": (
        "resolutions.correct_progressupdate",
        CorrectionForm,
        services.progress_correct,
    ),
}


def _titles() -> dict[str, str]:
    return {
        "update": _("Post a progress update"),
        "note": _("Add a note"),
        "correction": _("Correct the progress"),
    }


def _refusals() -> dict[str, str]:
    return {
        "update": _(
            "Only staff of the owning agency can post progress on this resolution."
        ),
        "note": _(
            "Only staff of a supporting agency can add a note to this resolution."
        ),
        "correction": _(
            "Only the secretariat can correct the progress of a resolution."
        ),
    }


def _resolution(pk: int) -> Resolution:
    return get_object_or_404(
        Resolution.objects.select_related("item", "owner", "assembly"), pk=pk
    )


def _done(request, resolution: Resolution, message: str):
    messages.success(request, message)
    url = reverse(
        "resolutions:resolution", args=[resolution.assembly_id, resolution.pk]
    )
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_http_methods(["GET", "POST"])
def post_entry(request, pk: int, kind: str):
    """Show or accept the form for one kind of timeline entry."""
    resolution = _resolution(pk)
    perm, form_class, service = KINDS[kind]
    if not request.user.has_perm(perm, resolution):
        return refused(request, _refusals()[kind])
    posted = request.method == "POST"
    form = form_class(
        request.POST if posted else None, request.FILES if posted else None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                service(resolution=resolution, actor=request.user, **data)
            except PermissionDenied as exc:
                return refused(request, str(exc))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _done(request, resolution, _("Saved. Thank you."))
        status = 400
    return page_or_partial(
        request,
        "resolutions/entry_form.html",
        "entry-form",
        {
            "resolution": resolution,
            "assembly": resolution.assembly,
            "form": form,
            "kind": kind,
            "title": _titles()[kind],
            "action": reverse(f"resolutions:{kind}", args=[resolution.pk]),
        },
        status=status,
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_http_methods(["GET", "POST"])
def plan(request, pk: int):
    """The secretariat's form: owner, supporting agencies, target date, indicator."""
    resolution = _resolution(pk)
    if not request.user.has_perm("resolutions.change_resolution", resolution):
        return refused(
            request,
            _("Only the secretariat can change who owns a resolution and its plan."),
        )
    initial = {
        "owner": resolution.owner,
        "co_owners": list(resolution.co_owners.all()),
        "supporters": list(resolution.supporters.all()),
        "target_date": resolution.target_date,
        "indicator": resolution.indicator,
        "baseline": resolution.baseline,
        "target": resolution.target,
    }
    posted = request.method == "POST"
    form = PlanForm(request.POST if posted else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.resolution_plan_set(
                    resolution=resolution, actor=request.user, **form.cleaned_data
                )
            except PermissionDenied as exc:
                return refused(request, str(exc))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return _done(request, resolution, _("The plan is saved."))
        status = 400
    return page_or_partial(
        request,
        "resolutions/plan_form.html",
        "plan-form",
        {"resolution": resolution, "assembly": resolution.assembly, "form": form},
        status=status,
    )


def mine(request):
    """The resolutions the signed-in person's agencies own or support."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    resolutions = selectors.my_resolutions(request.user)
    rows = selectors.rows_of(resolutions)
    return render(request, "resolutions/mine.html", {"rows": rows})
