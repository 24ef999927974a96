"""Delegates' sign-in links, badges, check-ins and the audit log."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assembly import selectors, services
from assembly.badges import Badge, badge_sheet_pdf
from assembly.forms import BadgeForm
from assembly.models import Assembly, Delegate, Partner, SignInLink
from assembly.views.secretariat.base import (
    no_store,
    posted,
    refuse,
    secretariat_page,
)

AUDIT_PAGE_SIZE = 50


def sign_in_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("assembly:token_sign_in", args=[token]))


@secretariat_page("assembly.issue_signinlink")
def delegates(request, assembly: Assembly):
    """Every partner's delegates, each with the state of their sign-in link."""
    active = SignInLink.objects.filter(revoked_at__isnull=True)
    rows = (
        Partner.objects.filter(assembly=assembly)
        .select_related("organisation", "room")
        .prefetch_related(
            Prefetch(
                "delegates",
                queryset=Delegate.objects.prefetch_related(
                    Prefetch("sign_in_links", queryset=active, to_attr="active_links")
                ).order_by("kind", "name_th"),
            )
        )
        .order_by("organisation__name_th")
    )
    return render(request, "assembly/secretariat/delegates.html",
                  {"assembly": assembly, "partners": rows})


@secretariat_page("assembly.issue_signinlink")
@require_POST
def link_issue(request, assembly: Assembly, delegate_id: int):
    """Issue (or re-issue) a delegate's link and show it, with its QR code, once."""
    delegate = get_object_or_404(
        Delegate.objects.select_related("partner__organisation", "partner__room"),
        pk=delegate_id, partner__assembly=assembly,
    )
    token = services.signin_link_issue(delegate=delegate, actor=request.user)
    url = sign_in_url(request, token)
    qr = segno.make(url, error="m").svg_data_uri(scale=5, border=2)
    response = render(
        request, "assembly/secretariat/link_issued.html",
        {"assembly": assembly, "delegate": delegate, "url": url, "qr": qr},
    )
    return no_store(response)


@secretariat_page("assembly.issue_signinlink")
@require_POST
def link_revoke(request, assembly: Assembly, delegate_id: int):
    delegate = get_object_or_404(Delegate, pk=delegate_id, partner__assembly=assembly)
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
                    + f"#delegate-{delegate.pk}")


@secretariat_page("assembly.view_checkins")
def checkins(request, assembly: Assembly):
    """Who has checked in, per room and in total; refreshes itself."""
    context = {"assembly": assembly, "summary": selectors.checkin_summary(assembly)}
    template = "assembly/secretariat/checkins.html"
    if request.htmx:
        template += "#summary"
    return render(request, template, context)


def _badge(request, delegate: Delegate, token: str) -> Badge:
    room = delegate.partner.room
    return Badge(
        name=delegate.name_th, organisation=delegate.partner.organisation.name_th,
        room=room.name_th if room else "", url=sign_in_url(request, token),
        role_label=delegate.get_kind_display(),
    )


@secretariat_page("assembly.print_badges")
@require_http_methods(["GET", "POST"])
def badges(request, assembly: Assembly):
    """Choose delegates; the POST issues each a new link and answers a PDF."""
    form = BadgeForm(posted(request), assembly=assembly)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.chosen())
        try:
            issued = services.badges_issue(assembly=assembly, delegates=chosen,
                                           actor=request.user)
        except PermissionDenied as exc:
            return refuse(request, str(exc), assembly=assembly,
                          perm="assembly.print_badges")
        # Badges are printed in Thai, the working language, whoever prints them.
        with translation.override("th"):
            pdf = badge_sheet_pdf(
                [_badge(request, d, token) for d, token in issued],
                title=assembly.title_th,
                empty_message=_("No delegates were chosen."),
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="badges-assembly-{assembly.pk}.pdf"'
        )
        return no_store(response)
    return render(request, "assembly/secretariat/badges.html",
                  {"assembly": assembly, "form": form})


@secretariat_page()
def audit_log(request, assembly: Assembly):
    events = selectors.audit_events(assembly)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assembly/secretariat/audit.html",
                  {"assembly": assembly, "page": page})
