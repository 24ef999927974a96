"""The secretariat enters a draft resolution by pasting its numbered text."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from agenda import selectors, services
from agenda.forms import DraftPasteForm
from agenda.models import AgendaItem
from agenda.views.common import can, is_htmx, message_of, refused_page, status_of

PAGE = "agenda/draft_edit.html"


def _current_text(item: AgendaItem) -> str:
    version = selectors.current_version(item)
    if version is None:
        return ""
    lines = [version.preamble] if version.preamble else []
    lines += [f"ข้อ {c.position} {c.text}" for c in selectors.version_clauses(version)]
    return "\n".join(lines)


def draft_edit(request, item_id: int):
    item = get_object_or_404(AgendaItem.objects.select_related("room", "assembly"),
                             pk=item_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "agenda.change_draft", item,
               fallback="assembly.manage_assembly"):
        return refused_page(request, _("Only the secretariat enters the drafts."))
    error, status = "", 200
    if request.method == "POST":
        form = DraftPasteForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(
                    [e for errors in form.errors.values() for e in errors]
                )
            services.draft_paste(item=item, text=form.cleaned_data["text"],
                                 actor=request.user,
                                 note=request.POST.get("note", "")[:300])
        except (PermissionDenied, ValidationError) as exc:
            error, status = message_of(exc), status_of(exc)
        else:
            messages.success(request, _("The draft is saved as a new version."))
            return redirect("agenda:history", item_id=item.pk)
    else:
        form = DraftPasteForm(initial={"text": _current_text(item)})
    template = f"{PAGE}#form" if is_htmx(request) else PAGE
    return render(request, template, {"item": item, "form": form, "error": error},
                  status=status)
