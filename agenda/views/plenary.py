"""The plenary document: every agenda item's agreed draft, in order, with its
path (amendments adopted and rejected); the secretariat builds it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agenda import selectors, services
from agenda.views.common import can, is_htmx, message_of, refused_page, status_of
from assembly.models import Assembly

PAGE = "agenda/plenary.html"


def plenary_context(request, assembly: Assembly) -> dict:
    document = selectors.latest_plenary_document(assembly)
    return {
        "assembly": assembly,
        "document": document,
        "entries": selectors.plenary_document_entries(document) if document else [],
        "not_agreed": selectors.items_not_agreed(assembly),
        "can_build": can(request.user, "agenda.build_plenarydocument", assembly,
                         fallback="assembly.manage_assembly"),
    }


def _gate(request, assembly: Assembly):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "agenda.view_plenarydocument", assembly,
               fallback="assembly.view_assembly_private"):
        return refused_page(
            request,
            _("The plenary document is open to those taking part in the assembly."),
        )
    return None


@require_GET
def plenary(request, assembly_id: int):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    refusal = _gate(request, assembly)
    if refusal:
        return refusal
    template = f"{PAGE}#document" if is_htmx(request) else PAGE
    return render(request, template, plenary_context(request, assembly))


@require_POST
def plenary_build(request, assembly_id: int):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    refusal = _gate(request, assembly)
    if refusal:
        return refusal
    try:
        document = services.plenary_document_build(
            assembly=assembly, actor=request.user
        )
    except (PermissionDenied, ValidationError) as exc:
        context = plenary_context(request, assembly)
        context["error"] = message_of(exc)
        template = f"{PAGE}#document" if is_htmx(request) else PAGE
        return render(request, template, context, status=status_of(exc))
    success = _("Plenary document %(n)s is built.") % {"n": document.number}
    if not is_htmx(request):
        messages.success(request, success)
        return redirect("agenda:plenary", assembly_id=assembly.pk)
    context = plenary_context(request, assembly)
    context["success"] = success
    return render(request, f"{PAGE}#document", context)
