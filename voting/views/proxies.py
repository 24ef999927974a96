"""The secretariat's page of proxies: which absent partner gives its voice to
which other partner today."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assembly.models import Assembly, Partner
from voting import selectors, services
from voting.forms import ProxyForm
from voting.models import Proxy
from voting.views.common import message_of, refused, render_part


def _manages(request, assembly: Assembly) -> bool:
    return request.user.has_perm("voting.manage_proxy", assembly)


def _page(request, assembly: Assembly, *, error: str = "", done: str = "",
          status: int = 200, form=None):
    context = {
        "assembly": assembly,
        "proxies": selectors.proxies_today(assembly),
        "partners": selectors.partners_of(assembly),
        "form_data": form.data if form is not None else {},
        "error": error,
        "done": done,
    }
    return render_part(request, "voting/proxies.html", "proxies", context, status)


def _refused(request):
    return refused(request, _("Only the secretariat records proxies."))


@require_http_methods(["GET", "POST"])
def proxies(request, assembly_id: int):
    """GET the page; POST record a proxy (400 with the reason if refused)."""
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    if not _manages(request, assembly):
        return _refused(request)
    if request.method == "GET":
        return _page(request, assembly)
    form = ProxyForm(request.POST)
    if not form.is_valid():
        return _page(request, assembly, status=400, form=form,
                     error=_("Choose the absent partner and the partner it gives "
                             "its voice to."))
    partners = Partner.objects.select_related("organisation").filter(
        assembly=assembly
    ).in_bulk([form.cleaned_data["giver"], form.cleaned_data["holder"]])
    giver = partners.get(form.cleaned_data["giver"])
    holder = partners.get(form.cleaned_data["holder"])
    if giver is None or holder is None:
        return _page(request, assembly, status=400, form=form,
                     error=_("Both organisations must be partners of this assembly."))
    try:
        services.proxy_give(assembly=assembly, giver=giver, holder=holder,
                            actor=request.user)
    except ValidationError as error:
        return _page(request, assembly, status=400, form=form,
                     error=message_of(error))
    done = _("%(giver)s gives its voice to %(holder)s today.") % {
        "giver": giver.organisation.label, "holder": holder.organisation.label,
    }
    if not request.htmx:
        return redirect("voting:proxies", assembly_id=assembly.pk)
    return _page(request, assembly, done=done)


@require_POST
def proxy_end(request, assembly_id: int, pk: int):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    if not _manages(request, assembly):
        return _refused(request)
    proxy = get_object_or_404(Proxy, pk=pk, assembly=assembly)
    try:
        services.proxy_end(proxy=proxy, actor=request.user)
    except ValidationError as error:
        return _page(request, assembly, status=400, error=message_of(error))
    if not request.htmx:
        return redirect("voting:proxies", assembly_id=assembly.pk)
    return _page(request, assembly, done=_("The proxy has ended."))
