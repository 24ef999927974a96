"""The secretariat's follow-up desk: stale resolutions, reminders, weights."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from agenda.models import AgendaItem
from assembly.models import Assembly
from resolutions import selectors, services
from resolutions.forms import WeightsForm
from resolutions.views.common import page_or_partial, refused


def _refused(request):
    return refused(request, _("Only the secretariat can see the follow-up desk."))


def desk(request, assembly_id: int):
    """Owners with stale resolutions, and the agenda items' weights."""
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    if not request.user.has_perm("resolutions.follow_up_assembly", assembly):
        return _refused(request)
    stale = selectors.owner_contacts(assembly)
    return render(
        request,
        "resolutions/followup.html",
        {
            "assembly": assembly,
            "stale": stale,
            "unreachable": [o for o in stale if not o.reachable],
            "items": assembly.agenda_items.order_by("number"),
        },
    )


@require_POST
def remind(request, assembly_id: int):
    """Email the staff of each owner with stale resolutions."""
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    if not request.user.has_perm("resolutions.follow_up_assembly", assembly):
        return _refused(request)
    try:
        sent = services.reminders_send(
            assembly=assembly, actor=request.user,
            base_url=request.build_absolute_uri("/"),
        )
    except PermissionDenied as exc:
        return refused(request, str(exc))
    messages.success(
        request,
        ngettext("%(n)s reminder sent.", "%(n)s reminders sent.", sent) % {"n": sent},
    )
    unreachable = [o for o in selectors.owner_contacts(assembly) if not o.reachable]
    if unreachable:
        messages.warning(
            request,
            ngettext(
                "%(n)s owner cannot be reached by e-mail: see the list below.",
                "%(n)s owners cannot be reached by e-mail: see the list below.",
                len(unreachable),
            ) % {"n": len(unreachable)},
        )
    return redirect("resolutions:followup", assembly_id=assembly.pk)


@require_http_methods(["GET", "POST"])
def weights(request, item_id: int):
    """The weights of an item's resolutions in its roll-up."""
    item = get_object_or_404(AgendaItem.objects.select_related("assembly"), pk=item_id)
    if not request.user.has_perm("resolutions.follow_up_assembly", item.assembly):
        return _refused(request)
    resolutions = list(item.resolutions.select_related("item"))
    form = WeightsForm(
        request.POST if request.method == "POST" else None, resolutions=resolutions
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.item_weights_set(
                    item=item, actor=request.user, weights=form.weights()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The weights are saved."))
                return redirect("resolutions:followup", assembly_id=item.assembly_id)
        status = 400
    return page_or_partial(
        request,
        "resolutions/weights_form.html",
        "weights-form",
        {"item": item, "assembly": item.assembly, "form": form},
        status=status,
    )
