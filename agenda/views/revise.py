"""The proposing organisation revises its pending amendment on a page of its own:
typically after the clause changed and the amendment was marked "needs an
update" (the conflict is shown above the form)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agenda import selectors, services
from agenda.forms import AmendmentReviseForm
from agenda.models import RATIONALE_MAX, TEXT_MAX, Amendment
from agenda.views.common import message_of, refused_page, room_or_404, status_of
from assembly.predicates import delegate_of

PAGE = "agenda/revise.html"


def _proposer_refusal(request, amendment: Amendment) -> str:
    """Why this person may not revise the amendment ("" when they may)."""
    delegate = delegate_of(request.user)
    if delegate is None or delegate.partner_id != amendment.partner_id:
        return _("Only the organisation that proposed this amendment may do this.")
    if not delegate.may_vote:
        return _("Observers may not act for their organisation on amendments.")
    return ""


def _context(room, amendment: Amendment, data=None, error: str = "") -> dict:
    row = selectors.amendment_diff(amendment)
    return {
        "room": room,
        "item": amendment.item,
        "amendment": amendment,
        "row": row,
        "form_data": data or {"text": amendment.text,
                              "rationale": amendment.rationale},
        "error": error,
        "text_max": TEXT_MAX,
        "rationale_max": RATIONALE_MAX,
        "is_delete": amendment.kind == Amendment.Kind.DELETE,
    }


@require_http_methods(["GET", "POST"])
def amendment_revise(request, room_id: int, amendment_id: int):
    room = room_or_404(room_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    amendment = get_object_or_404(
        Amendment.objects.select_related("item", "partner__organisation",
                                         "base_version"),
        pk=amendment_id, item__room=room,
    )
    refusal = _proposer_refusal(request, amendment)
    if refusal:
        return refused_page(request, refusal)
    if request.method == "GET":
        return render(request, PAGE, _context(room, amendment))
    data = {key: request.POST.get(key, "") for key in ("text", "rationale")}
    form = AmendmentReviseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                [e for errors in form.errors.values() for e in errors]
            )
        services.amendment_revise(
            amendment=amendment, delegate=delegate_of(request.user),
            text=form.cleaned_data["text"], rationale=form.cleaned_data["rationale"],
        )
    except (PermissionDenied, ValidationError) as exc:
        amendment.refresh_from_db()
        context = _context(room, amendment, data, message_of(exc))
        return render(request, PAGE, context, status=status_of(exc))
    messages.success(
        request,
        _("Amendment %(n)s is revised against the current draft.") % {"n": amendment.pk},
    )
    return redirect("agenda:room", room_id=room.pk)
