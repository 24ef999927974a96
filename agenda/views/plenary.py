"""The plenary document: every agenda item's agreed draft, in order, with its
path (amendments adopted and rejected) and, once decided, the plenary's outcome;
the secretariat builds it. Delegates send written comments per item; the
secretariat reads them here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agenda import plenary as plenary_reads
from agenda import selectors, services
from agenda.models import RATIONALE_MAX, AgendaItem, PlenaryComment
from agenda.views.common import can, is_htmx, message_of, refused_page, status_of
from assembly.models import Assembly
from assembly.predicates import delegate_of

PAGE = "agenda/plenary.html"


def plenary_context(request, assembly: Assembly) -> dict:
    document = selectors.latest_plenary_document(assembly)
    entries = selectors.plenary_document_entries(document) if document else []
    can_read = request.user.has_perm("agenda.read_plenarycomment", assembly)
    delegate = delegate_of(request.user)
    can_comment = bool(delegate) and request.user.has_perm(
        "agenda.add_plenarycomment", assembly)
    items = [e.item for e in entries]
    comments = {}
    if can_read:
        comments = plenary_reads.comments_on(items)
    elif can_comment:
        comments = plenary_reads.comments_on(items, partner=delegate.partner)
    rows = [
        entry_context(entry, outcome=plenary_reads.item_outcome(entry.item),
                      comments=comments.get(entry.item.pk, []),
                      can_comment=can_comment, can_read=can_read)
        for entry in entries
    ]
    return {
        "assembly": assembly,
        "document": document,
        "entries": entries,
        "rows": rows,
        "not_agreed": selectors.items_not_agreed(assembly),
        "can_build": can(request.user, "agenda.build_plenarydocument", assembly,
                         fallback="assembly.manage_assembly"),
        "can_read_comments": can_read,
        "unread_comments": plenary_reads.unread_count(items) if can_read else 0,
    }


def entry_context(entry, *, outcome, comments, can_comment, can_read) -> dict:
    """One item of the document as its comment region needs it."""
    return {
        "entry": entry,
        "item": entry.item,
        "outcome": outcome,
        "comments": comments,
        "can_comment": can_comment
        and entry.item.status == AgendaItem.Status.AGREED,
        "can_read": can_read,
        "comment_max": RATIONALE_MAX,
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


# --- Written comments ----------------------------------------------------------------


def _comments_answer(request, assembly: Assembly, item: AgendaItem, *,
                     error: str = "", success: str = "", text: str = "",
                     status: int = 200):
    """The item's comment region for htmx. Without htmx: back to the document
    when the comment went; the document with the message in place (and the text
    kept) when it was refused as input; a refusal page when refused (403): it is
    audited, and a browser without htmx is not sent on as if the comment had gone."""
    if status == 403 and not is_htmx(request):
        return refused_page(request, error)
    if not is_htmx(request) and not error:
        if success:
            messages.success(request, success)
        return redirect(f"{_plenary_url(assembly)}#item-{item.number}")
    context = plenary_context(request, assembly)
    row = next((r for r in context["rows"] if r["item"].pk == item.pk), None)
    if row is None:
        return refused_page(request, error or _("This item is not in the plenary "
                                                "document."), status=status)
    row.update(error=error, success=success, text=text)
    if not is_htmx(request):
        return render(request, PAGE, context, status=status)
    return render(request, f"{PAGE}#item_comments", row, status=status)


def _plenary_url(assembly: Assembly) -> str:
    from django.urls import reverse

    return reverse("agenda:plenary", kwargs={"assembly_id": assembly.pk})


@require_POST
def comment_send(request, assembly_id: int, item_id: int):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    refusal = _gate(request, assembly)
    if refusal:
        return refusal
    item = get_object_or_404(AgendaItem, pk=item_id, assembly=assembly)
    text = request.POST.get("text", "")
    delegate = delegate_of(request.user)
    try:
        if delegate is None:
            raise PermissionDenied(_("Delegates send comments for their "
                                     "organisation."))
        services.plenary_comment_send(item=item, delegate=delegate, text=text)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    except ValidationError as exc:
        return _comments_answer(request, assembly, item, error=message_of(exc),
                                text=text, status=status_of(exc))
    return _comments_answer(
        request, assembly, item,
        success=_("Your comment is sent to the secretariat."),
    )


@require_POST
def comment_read(request, assembly_id: int, comment_id: int):
    assembly = get_object_or_404(Assembly, pk=assembly_id)
    refusal = _gate(request, assembly)
    if refusal:
        return refusal
    comment = get_object_or_404(
        PlenaryComment.objects.select_related("item"), pk=comment_id,
        item__assembly=assembly,
    )
    try:
        services.plenary_comment_mark_read(comment=comment, actor=request.user)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    return _comments_answer(request, assembly, comment.item)
