"""The review session: the next assembly goes through the earlier assembly's
unfinished resolutions. Public to read; the owning agencies' staff post their
reports and the secretariat records the assembly's decisions on the same page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly.models import Assembly
from resolutions import selectors, services
from resolutions.models import Review
from resolutions.views.common import refused

PAGE = "resolutions/review.html"


def _rows(request, assembly: Assembly) -> list[dict]:
    reviews = selectors.reviews_of(assembly)
    states = {r.resolution.pk: r for r in selectors.rows_of(
        [review.resolution for review in reviews])}
    return [
        {
            "review": review,
            "state": states.get(review.resolution.pk),
            "can_report": request.user.has_perm("resolutions.report_review", review)
            and not review.decision,
            "can_decide": request.user.has_perm("resolutions.decide_review", review),
        }
        for review in reviews
    ]


def review_page(request, assembly_id: int):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    rows = _rows(request, assembly)
    previous = sorted({r["review"].resolution.assembly for r in rows},
                      key=lambda a: a.starts_on)
    return render(request, PAGE, {
        "assembly": assembly, "rows": rows, "previous": previous,
        "decided": sum(1 for r in rows if r["review"].decision),
        "decisions": Review.Decision.choices,
    })


def _answer(request, review: Review, *, error: str = "", data=None, status=200):
    if not getattr(request, "htmx", False) and not error:
        return redirect(reverse("resolutions:review", args=[review.assembly_id])
                        + f"#review-{review.pk}")
    row = next(r for r in _rows(request, review.assembly)
               if r["review"].pk == review.pk)
    row.update(error=error, data=data or {}, decisions=Review.Decision.choices,
               assembly=review.assembly)
    if not getattr(request, "htmx", False):
        context = {"assembly": review.assembly, "rows": _rows(request, review.assembly),
                   "decisions": Review.Decision.choices, "error_row": review.pk,
                   "error": error, "data": data or {}}
        return render(request, PAGE, context, status=status)
    return render(request, f"{PAGE}#review-row", row, status=status)


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@require_POST
def review_report(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("assembly"), pk=pk)
    if not request.user.has_perm("resolutions.report_review", review):
        return refused(request, _("Only staff of an owning agency report on this "
                                  "resolution."))
    data = {"report": request.POST.get("report", "")}
    try:
        services.review_report(review=review, actor=request.user, text=data["report"])
    except PermissionDenied as exc:
        return refused(request, str(exc))
    except ValidationError as exc:
        return _answer(request, review, error=_message(exc), data=data, status=400)
    messages.success(request, _("The report is saved."))
    return _answer(request, review)


@require_POST
def review_decide(request, pk: int):
    review = get_object_or_404(Review.objects.select_related("assembly"), pk=pk)
    if not request.user.has_perm("resolutions.decide_review", review):
        return refused(request, _("Only the secretariat records the assembly's "
                                  "decisions."))
    data = {key: request.POST.get(key, "") for key in ("decision", "note",
                                                       "revised_text")}
    try:
        services.review_decide(review=review, actor=request.user, **data)
    except PermissionDenied as exc:
        return refused(request, str(exc))
    except ValidationError as exc:
        return _answer(request, review, error=_message(exc), data=data, status=400)
    messages.success(request, _("The decision is recorded."))
    return _answer(request, review)
