"""Delegates: the table with its search and filters, their sign-in links (one
at a time or in bulk), badges and check-ins."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assembly import links, roster, selectors, services
from assembly.badges import Badge, badge_sheet_pdf
from assembly.models import Assembly, Delegate
from assembly.people_forms import BulkActionForm, DelegateChoiceForm, DelegateFilterForm
from assembly.views.secretariat.base import no_store, refuse, secretariat_page

FILTER_FIELDS = ("q", "room", "organisation", "sector", "kind", "checked_in", "link")


def base_url(request) -> str:
    return request.build_absolute_uri("/")


def sign_in_url(request, token: str) -> str:
    return links.sign_in_url(base_url(request), token)


def qr_of(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def filters_query(data) -> str:
    """The filters of a request, as a query string to come back to."""
    kept = [(k, data[k]) for k in FILTER_FIELDS if data.get(k)]
    return ("?" + urlencode(kept)) if kept else ""


def filtered(request, assembly: Assembly, data):
    form = DelegateFilterForm(data, assembly=assembly)
    return form, roster.delegates(assembly, form.filter())


@secretariat_page("assembly.issue_signinlink")
def delegates(request, assembly: Assembly):
    """Every delegate in one table: search, filters, each one's link, and
    actions on the ones ticked or on every one shown."""
    form, rows = filtered(request, assembly, request.GET or None)
    rows = list(rows)
    context = {
        "assembly": assembly, "filter_form": form, "delegates": rows,
        "total": Delegate.objects.filter(partner__assembly=assembly).count(),
        "bulk": BulkActionForm(assembly=assembly, shown=rows),
        "query": filters_query(request.GET),
    }
    return render(request, "assembly/secretariat/delegates.html", context)


@secretariat_page("assembly.issue_signinlink")
@require_POST
def delegates_bulk(request, assembly: Assembly):
    """One action on the delegates ticked, or on every one the filters show."""
    _form, shown = filtered(request, assembly, request.POST)
    form = BulkActionForm(request.POST, assembly=assembly, shown=shown)
    back = reverse("assembly:delegates", args=[assembly.pk]) + filters_query(
        request.POST)
    if not form.is_valid():
        for error in form.errors.values():
            for message in error:
                messages.error(request, message)
        return redirect(back)
    chosen = form.chosen()
    action = form.cleaned_data["action"]
    if action == "badges":
        return _badge_sheet(request, assembly, chosen)
    if action == "email":
        _email_links(request, assembly, chosen)
    else:
        revoked = sum(
            services.signin_link_revoke(delegate=d, actor=request.user) for d in chosen
        )
        messages.success(request, ngettext(
            "%(count)s sign-in link no longer works.",
            "%(count)s sign-in links no longer work.", revoked) % {"count": revoked})
    return redirect(back)


def _email_links(request, assembly: Assembly, chosen: list[Delegate]) -> None:
    sent, without, failed = 0, [], []
    for delegate in chosen:
        if not links.email_of(delegate.user):
            without.append(delegate.name)
            continue
        try:
            links.link_email(user=delegate.user, base_url=base_url(request),
                             actor=request.user, assembly=assembly)
        except ValidationError:
            failed.append(delegate.name)
        else:
            sent += 1
    if sent:
        messages.success(request, ngettext(
            "A new sign-in link was sent to %(count)s delegate.",
            "New sign-in links were sent to %(count)s delegates.", sent)
            % {"count": sent})
    if without:
        messages.warning(
            request,
            _("No e-mail address, so no link sent (print their badges instead): "
              "%(names)s") % {"names": ", ".join(without)},
        )
    if failed:
        messages.error(
            request,
            _("The e-mail could not be sent; their links were withdrawn: %(names)s")
            % {"names": ", ".join(failed)},
        )


def _delegate(assembly: Assembly, delegate_id: int) -> Delegate:
    return get_object_or_404(
        Delegate.objects.select_related("partner__organisation", "partner__room",
                                        "user"),
        pk=delegate_id, partner__assembly=assembly,
    )


@secretariat_page("assembly.issue_signinlink")
@require_POST
def link_issue(request, assembly: Assembly, delegate_id: int):
    """Issue (or re-issue) a delegate's link and show it, with its QR code, once."""
    delegate = _delegate(assembly, delegate_id)
    token = services.signin_link_issue(delegate=delegate, actor=request.user)
    url = sign_in_url(request, token)
    response = render(
        request, "assembly/secretariat/link_issued.html",
        {"assembly": assembly, "person": delegate.name,
         "organisation": delegate.partner.organisation.name, "url": url,
         "qr": qr_of(url),
         "back": reverse("assembly:delegates", args=[assembly.pk])
         + f"#delegate-{delegate.pk}"},
    )
    return no_store(response)


@secretariat_page("assembly.issue_signinlink")
@require_POST
def link_email(request, assembly: Assembly, delegate_id: int):
    delegate = _delegate(assembly, delegate_id)
    try:
        address = links.link_email(user=delegate.user, base_url=base_url(request),
                                   actor=request.user, assembly=assembly)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A new sign-in link was sent to %(address)s.")
                         % {"address": address})
    return redirect(reverse("assembly:delegates", args=[assembly.pk])
                    + filters_query(request.POST) + f"#delegate-{delegate.pk}")


@secretariat_page("assembly.issue_signinlink")
@require_POST
def link_revoke(request, assembly: Assembly, delegate_id: int):
    delegate = _delegate(assembly, delegate_id)
    if services.signin_link_revoke(delegate=delegate, actor=request.user):
        messages.success(
            request,
            _("The sign-in link of %(name)s no longer works.")
            % {"name": delegate.name},
        )
    else:
        messages.info(
            request,
            _("%(name)s had no sign-in link that works.") % {"name": delegate.name},
        )
    return redirect(reverse("assembly:delegates", args=[assembly.pk])
                    + filters_query(request.POST) + f"#delegate-{delegate.pk}")


@secretariat_page("assembly.view_checkins")
def checkins(request, assembly: Assembly):
    """Who has checked in, per room and in total; refreshes itself."""
    context = {"assembly": assembly, "summary": selectors.checkin_summary(assembly)}
    template = "assembly/secretariat/checkins.html"
    if request.htmx:
        template += "#summary"
    return render(request, template, context)


# --- Badges --------------------------------------------------------------------------


def _badge(request, delegate: Delegate, token: str) -> Badge:
    room = delegate.partner.room
    return Badge(
        name=delegate.name_th, organisation=delegate.partner.organisation.name_th,
        room=room.name_th if room else "", url=sign_in_url(request, token),
        role_label=delegate.get_kind_display(),
    )


def badge_pdf_response(request, assembly: Assembly, chosen: list[Delegate], *,
                       filename: str) -> HttpResponse:
    """Issue each delegate a new link and answer the badge sheet (PDF)."""
    issued = services.badges_issue(assembly=assembly, delegates=chosen,
                                   actor=request.user)
    # Badges are printed in Thai, the working language, whoever prints them.
    with translation.override("th"):
        pdf = badge_sheet_pdf(
            [_badge(request, d, token) for d, token in issued],
            title=assembly.title_th,
            empty_message=_("No delegates were chosen."),
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return no_store(response)


def _badge_sheet(request, assembly: Assembly, chosen: list[Delegate]):
    try:
        return badge_pdf_response(request, assembly, chosen,
                                  filename=f"badges-assembly-{assembly.pk}.pdf")
    except PermissionDenied as exc:
        return refuse(request, str(exc), assembly=assembly,
                      perm="assembly.print_badges")


@secretariat_page("assembly.print_badges")
@require_http_methods(["GET", "POST"])
def badges(request, assembly: Assembly):
    """Find and tick delegates (or take every one shown); the POST issues each
    a new link and answers the badge sheet."""
    data = request.POST if request.method == "POST" else (request.GET or None)
    filter_form, shown = filtered(request, assembly, data)
    shown = list(shown)
    form = DelegateChoiceForm(request.POST if request.method == "POST" else None,
                              assembly=assembly, shown=shown)
    if request.method == "POST" and form.is_valid():
        return _badge_sheet(request, assembly, form.chosen())
    return render(
        request, "assembly/secretariat/badges.html",
        {"assembly": assembly, "filter_form": filter_form, "form": form,
         "delegates": shown, "query": filters_query(data or {}),
         "total": Delegate.objects.filter(partner__assembly=assembly).count()},
    )
