"""The delegates' room page (a phone): follow the draft, ask to speak, propose.

The shared fragments come from ``agenda.live`` (the same the pushes send); the
per-person regions (ask to speak, your organisation's amendments, the amendment
form) are rendered here and re-fetched by each screen with hx-get.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agenda import live, selectors, services, speakers
from agenda.forms import AmendmentForm
from agenda.models import RATIONALE_MAX, TEXT_MAX, AgendaItem, Amendment
from agenda.views.common import (
    is_htmx,
    message_of,
    page_gate,
    refused_page,
    room_or_404,
    status_of,
)
from assembly.models import Room
from assembly.predicates import delegate_of, is_room_member

PAGE = "agenda/room.html"


# --- Per-person contexts ------------------------------------------------------------


def speak_context(request, room) -> dict:
    delegate = delegate_of(request.user)
    seated = bool(delegate) and is_room_member(request.user, room)
    return {
        "room": room,
        "seated": seated,
        "my_request": speakers.open_request(room, delegate) if seated else None,
        "my_position": speakers.queue_position(room, delegate) if seated else None,
    }


def mine_context(request, room, item: AgendaItem | None) -> dict:
    delegate = delegate_of(request.user)
    mine, notices = [], []
    if delegate is not None and item is not None and delegate.may_vote:
        mine = list(
            Amendment.objects.filter(
                item=item, partner=delegate.partner, status__in=Amendment.PENDING
            )
        )
        notices = selectors.notices_for(delegate, item=item)
    return {"room": room, "item": item, "mine": mine, "notices": notices}


def amend_form_context(request, room, item: AgendaItem | None, data=None) -> dict:
    delegate = delegate_of(request.user)
    reason = ""
    if item is None:
        reason = _("This room has no agenda item.")
    elif delegate is None or not is_room_member(request.user, room):
        reason = _("Delegates seated in this room propose amendments.")
    elif not delegate.may_vote:
        reason = _("Observers may not propose amendments.")
    elif item.status != AgendaItem.Status.DRAFTING:
        reason = _("The room has agreed its draft; amendments are closed.")
    version = selectors.current_version(item) if item else None
    if item is not None and not reason and version is None:
        reason = _("The secretariat has not entered the draft yet.")
    clauses = selectors.version_clauses(version) if version else []
    current_key = item.current_clause_key if item else None
    return {
        "room": room,
        "item": item,
        "may_propose": not reason,
        "not_proposing_reason": reason,
        "clauses": clauses,
        "current_key": current_key,
        # the clause under discussion, else the first: what a delegate most
        # likely amends
        "default_key": current_key or (clauses[0].key if clauses else None),
        "kinds": Amendment.Kind.choices,
        "form_data": data or {},
        "text_max": TEXT_MAX,
        "rationale_max": RATIONALE_MAX,
    }


def _personal(request, room) -> dict:
    item = live.item_of(room)
    context = {}
    context.update(speak_context(request, room))
    context.update(mine_context(request, room, item))
    context.update(amend_form_context(request, room, item))
    return context


# --- The page -----------------------------------------------------------------------


@require_GET
def room_page(request, room_id: int):
    room = room_or_404(room_id)
    refusal = page_gate(request, room, "assembly.view_room")
    if refusal:
        return refusal
    context = live.room_context(room)
    context.update(_personal(request, room))
    context["can_run"] = request.user.has_perm("assembly.run_room", room)
    context["plenary"] = _plenary(room)
    return render(request, PAGE, context)


def _plenary(room) -> Room | None:
    """The plenary of the room's assembly: every breakout room links to it."""
    if room.is_plenary:
        return room
    return Room.objects.filter(
        assembly_id=room.assembly_id, kind=Room.Kind.PLENARY
    ).first()


def _room_for(request, room_id: int):
    room = room_or_404(room_id)
    if not request.user.is_authenticated or not request.user.has_perm(
        "assembly.view_room", room
    ):
        raise PermissionDenied(_("This room is not open to you."))
    return room


def _answer(request, room, partial: str, context: dict, *, status: int = 200):
    """The partial for htmx; otherwise the whole room page (a refusal keeps its
    status, a success goes back to the page)."""
    if is_htmx(request):
        return render(request, f"{PAGE}#{partial}", context, status=status)
    if status == 200 and request.method == "POST":
        if context.get("success"):
            messages.success(request, context["success"])
        return redirect(reverse("agenda:room", kwargs={"room_id": room.pk}))
    full = live.room_context(room)
    full.update(_personal(request, room))
    full.update(context)
    full["can_run"] = request.user.has_perm("assembly.run_room", room)
    full["plenary"] = _plenary(room)
    return render(request, PAGE, full, status=status)


# --- Ask to speak -------------------------------------------------------------------


@require_GET
def speak_controls(request, room_id: int):
    try:
        room = _room_for(request, room_id)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    return _answer(request, room, "speak_controls", speak_context(request, room))


def _speak_action(request, room_id: int, action):
    try:
        room = _room_for(request, room_id)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    delegate = delegate_of(request.user)
    try:
        if delegate is None:
            raise PermissionDenied(_("Only delegates can ask to speak."))
        action(room=room, delegate=delegate)
    except (PermissionDenied, ValidationError) as exc:
        context = speak_context(request, room)
        context.update(error=message_of(exc), error_in="speak_controls")
        return _answer(request, room, "speak_controls", context, status=status_of(exc))
    return _answer(request, room, "speak_controls", speak_context(request, room))


@require_POST
def speak(request, room_id: int):
    return _speak_action(request, room_id, speakers.speaker_request)


@require_POST
def speak_withdraw(request, room_id: int):
    return _speak_action(request, room_id, speakers.speaker_withdraw)


# --- Amendments ---------------------------------------------------------------------


@require_GET
def amendment_form(request, room_id: int):
    try:
        room = _room_for(request, room_id)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    item = live.item_of(room)
    return _answer(request, room, "amend_form", amend_form_context(request, room, item))


def _form_errors(form) -> ValidationError:
    return ValidationError([e for errors in form.errors.values() for e in errors])


@require_POST
def amendment_submit(request, room_id: int):
    try:
        room = _room_for(request, room_id)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    item = live.item_of(room)
    data = {key: request.POST.get(key, "")
            for key in ("kind", "target_key", "text", "rationale")}
    delegate = delegate_of(request.user)
    version = selectors.current_version(item) if item else None
    form = AmendmentForm(request.POST, clauses=selectors.version_clauses(version)
                         if version else [])
    try:
        if item is None:
            raise ValidationError(_("This room has no agenda item."))
        if delegate is None:
            raise PermissionDenied(_("Only delegates propose amendments."))
        if not form.is_valid():
            raise _form_errors(form)
        services.amendment_submit(
            item=item, delegate=delegate, kind=form.cleaned_data["kind"],
            target_key=form.cleaned_data["target_key"],
            text=form.cleaned_data["text"], rationale=form.cleaned_data["rationale"],
        )
    except (PermissionDenied, ValidationError) as exc:
        context = amend_form_context(request, room, item, data)
        context.update(error=message_of(exc), error_in="amend_form")
        return _answer(request, room, "amend_form", context, status=status_of(exc))
    context = amend_form_context(request, room, item)
    context["success"] = _("Your amendment is submitted. Everyone in the room sees it.")
    return _answer(request, room, "amend_form", context)


@require_GET
def my_amendments(request, room_id: int):
    try:
        room = _room_for(request, room_id)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    item = live.item_of(room)
    return _answer(request, room, "my_amendments", mine_context(request, room, item))


MY_ACTIONS = {
    "consent": services.amendment_consent,
    "withdraw": services.amendment_withdraw,
}


@require_POST
def my_amendment_action(request, room_id: int, amendment_id: int, action: str):
    try:
        room = _room_for(request, room_id)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    item = live.item_of(room)
    amendment = get_object_or_404(Amendment, pk=amendment_id, item=item)
    service = MY_ACTIONS.get(action)
    delegate = delegate_of(request.user)
    try:
        if service is None:
            raise ValidationError(_("Unknown action."))
        if delegate is None:
            raise PermissionDenied(_("Only the proposing organisation may do this."))
        service(amendment=amendment, delegate=delegate)
    except (PermissionDenied, ValidationError) as exc:
        context = mine_context(request, room, item)
        context.update(error=message_of(exc), error_in="my_amendments")
        return _answer(request, room, "my_amendments", context, status=status_of(exc))
    return _answer(request, room, "my_amendments", mine_context(request, room, item))
