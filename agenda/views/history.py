"""A draft's history: every version, who made it, and any two compared."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agenda import selectors
from agenda.models import AgendaItem, DraftVersion
from agenda.views.common import can, is_htmx, refused_page

PAGE = "agenda/history.html"


def _version(item: AgendaItem, raw: str | None) -> DraftVersion | None:
    try:
        number = int(raw or "")
    except ValueError:
        return None
    return item.versions.filter(number=number).first()


@require_GET
def history(request, item_id: int):
    item = get_object_or_404(AgendaItem.objects.select_related("room", "assembly"),
                             pk=item_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "agenda.view_item", item, fallback="assembly.view_room"):
        return refused_page(request, _("This agenda item is not open to you."))
    versions = list(item.versions.order_by("number"))
    old = _version(item, request.GET.get("a"))
    new = _version(item, request.GET.get("b"))
    error = ""
    if ("a" in request.GET or "b" in request.GET) and (old is None or new is None):
        error = _("Choose two versions of this draft to compare.")
    if old is None or new is None:
        new = versions[-1] if versions else None
        old = versions[-2] if len(versions) > 1 else new
    context = {
        "item": item,
        "room": item.room,
        "versions": versions,
        "entries": selectors.item_history(item),
        "old": old,
        "new": new,
        "comparison": selectors.compare_versions(old, new) if old and new else None,
        "error": error,
        "can_change_draft": can(request.user, "agenda.change_draft", item,
                                fallback="assembly.manage_assembly"),
    }
    template = f"{PAGE}#comparison" if is_htmx(request) else PAGE
    return render(request, template, context, status=400 if error else 200)
