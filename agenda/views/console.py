"""The facilitator console of a room: the draft and the clause under discussion,
the amendment queue with its decisions, the speaker list and its time, who of the
room's partners is present, and the place for the voting controls.

The shared fragments (draft, speakers) are pushed to every screen; the controls
here are per person and re-fetched by the console with hx-get.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agenda import live, selectors, services, speakers
from agenda.forms import SpeakerTimeForm
from agenda.models import AgendaItem, Amendment
from agenda.views.common import (
    is_htmx,
    message_of,
    page_gate,
    refused_page,
    room_or_404,
    status_of,
)
from assembly import presence
from assembly.models import Delegate, Partner

PAGE = "agenda/console.html"
VOTING_CONTROLS = "voting/room_controls.html"


# --- Contexts -----------------------------------------------------------------------


def clause_context(room, item: AgendaItem | None) -> dict:
    version = selectors.current_version(item) if item else None
    return {
        "room": room,
        "item": item,
        "clauses": selectors.version_clauses(version) if version else [],
        "current_key": item.current_clause_key if item else None,
        "is_drafting": bool(item) and item.status == AgendaItem.Status.DRAFTING,
        # Agreeing closes these undecided: the facilitator is told beforehand.
        "pending_count": (
            item.amendments.filter(status__in=Amendment.PENDING).count() if item else 0
        ),
    }


def queue_context(room, item: AgendaItem | None) -> dict:
    rows = selectors.amendment_list(item) if item else []
    return {
        "room": room,
        "item": item,
        "pending_rows": [r for r in rows if r.amendment.is_pending],
        "decided_rows": [r for r in rows if not r.amendment.is_pending],
        "current_key": item.current_clause_key if item else None,
    }


def speaker_controls_context(room) -> dict:
    return {
        "room": room,
        "speakers": speakers.speaker_list(room),
        "default_seconds": speakers.DEFAULT_SECONDS,
        "min_seconds": speakers.MIN_SECONDS,
        "max_seconds": speakers.MAX_SECONDS,
    }


def presence_context(room) -> dict:
    partners = Partner.objects.filter(assembly_id=room.assembly_id)
    if not room.is_plenary:
        partners = partners.filter(room=room)
    checked_in = Delegate.objects.filter(
        partner=OuterRef("pk"), checked_in_at__isnull=False
    )
    partners = list(
        partners.select_related("organisation").annotate(checked_in=Exists(checked_in))
    )
    # What the quorum counts (assembly.presence): a screen open, or the desk's mark.
    here = presence.presence_in(room, [p.pk for p in partners])
    rows = [(p, p.checked_in, p.pk in here.connected, p.pk in here.at_desk)
            for p in partners]
    return {
        "room": room,
        "presence_rows": rows,
        "present_count": len(here.present),
        "checked_in_count": sum(1 for row in rows if row[1]),
        "partner_count": len(rows),
    }


def voting_controls() -> str | None:
    """The voting app's room controls, once that template exists."""
    try:
        get_template(VOTING_CONTROLS)
    except TemplateDoesNotExist:
        return None
    return VOTING_CONTROLS


def console_context(room) -> dict:
    item = live.item_of(room)
    context = live.room_context(room)
    context.update(clause_context(room, item))
    context.update(queue_context(room, item))
    context.update(speaker_controls_context(room))
    context.update(presence_context(room))
    context["voting_controls"] = voting_controls()
    return context


PARTIALS = {
    "clause_controls": lambda room: clause_context(room, live.item_of(room)),
    "amendment_queue": lambda room: queue_context(room, live.item_of(room)),
    "speaker_controls": speaker_controls_context,
    "presence": presence_context,
}


# --- Answers ------------------------------------------------------------------------


def _gate(request, room_id: int):
    room = room_or_404(room_id)
    if not request.user.is_authenticated or not request.user.has_perm(
        "assembly.run_room", room
    ):
        raise PermissionDenied(_("Only the room's facilitators can do this."))
    return room


def _answer(request, room, partial: str, *, error: str = "", status: int = 200):
    """The partial for htmx; otherwise back to the console (or the console with
    the refusal, keeping its status)."""
    room = room_or_404(room.pk)  # read again: the service changed the item
    if is_htmx(request):
        context = PARTIALS[partial](room)
        if error:
            context.update(error=error, error_in=partial)
        return render(request, f"{PAGE}#{partial}", context, status=status)
    if not error and request.method == "POST":
        return redirect(reverse("agenda:console", kwargs={"room_id": room.pk}))
    context = console_context(room)
    if error:
        context.update(error=error, error_in=partial)
    return render(request, PAGE, context, status=status)


def _act(request, room_id: int, partial: str, action):
    """Check the permission, run one service, answer with ``partial``."""
    try:
        room = _gate(request, room_id)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    try:
        action(room)
    except (PermissionDenied, ValidationError) as exc:
        return _answer(request, room, partial, error=message_of(exc),
                       status=status_of(exc))
    return _answer(request, room, partial)


def _item(room) -> AgendaItem:
    item = live.item_of(room)
    if item is None:
        raise ValidationError(_("This room has no agenda item."))
    return item


# --- The page and its parts ---------------------------------------------------------


@require_GET
def console(request, room_id: int):
    room = room_or_404(room_id)
    refusal = page_gate(request, room, "assembly.run_room")
    if refusal:
        return refusal
    return render(request, PAGE, console_context(room))


@require_GET
def console_part(request, room_id: int, partial: str):
    try:
        room = _gate(request, room_id)
    except PermissionDenied as exc:
        return refused_page(request, message_of(exc))
    if partial not in PARTIALS:
        raise Http404
    return _answer(request, room, partial)


# --- Clause under discussion, agreeing the draft -------------------------------------


def _clause_key(raw: str) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(_("That clause is not in the current draft."))


@require_POST
def clause_set(request, room_id: int):
    raw = request.POST.get("clause_key", "")
    return _act(request, room_id, "clause_controls", lambda room: (
        services.item_set_current_clause(
            item=_item(room), clause_key=_clause_key(raw), actor=request.user
        )
    ))


@require_POST
def item_agree(request, room_id: int):
    return _act(request, room_id, "clause_controls", lambda room: (
        services.item_agree(item=_item(room), actor=request.user)
    ))


# --- Amendments ----------------------------------------------------------------------


def _amendment_service(action: str, request):
    reason = request.POST.get("reason", "")
    actor = request.user
    # The facilitator's explicit choice, made on the conflict panel, to adopt a
    # flagged amendment over the clause's later text.
    over_conflict = request.POST.get("conflict") == "replace"
    return {
        "accept": lambda a: services.amendment_accept(amendment=a, actor=actor),
        "merge": lambda a: services.amendment_merge(
            amendment=a, actor=actor, over_conflict=over_conflict
        ),
        "rule_out": lambda a: services.amendment_rule_out(
            amendment=a, actor=actor, reason=reason
        ),
        "adopt": lambda a: services.amendment_decide(
            amendment=a, adopted=True, actor=actor, over_conflict=over_conflict
        ),
        "reject": lambda a: services.amendment_decide(
            amendment=a, adopted=False, actor=actor
        ),
    }.get(action)


@require_POST
def amendment_action(request, room_id: int, amendment_id: int, action: str):
    service = _amendment_service(action, request)

    def run(room):
        amendment = get_object_or_404(Amendment, pk=amendment_id, item__room=room)
        if service is None:
            raise ValidationError(_("Unknown action."))
        service(amendment)

    return _act(request, room_id, "amendment_queue", run)


# --- Speakers ------------------------------------------------------------------------


def _seconds(request) -> int:
    """The speaking time from the form (minutes, or seconds), checked by
    ``SpeakerTimeForm``: a bad number is a message, never arithmetic."""
    form = SpeakerTimeForm(request.POST)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    return form.duration_seconds()


@require_POST
def speaker_next(request, room_id: int):
    return _act(request, room_id, "speaker_controls", lambda room: (
        speakers.speaker_call_next(
            room=room, actor=request.user, duration_seconds=_seconds(request)
        )
    ))


@require_POST
def speaker_finish(request, room_id: int):
    return _act(request, room_id, "speaker_controls", lambda room: (
        speakers.speaker_finish(room=room, actor=request.user)
    ))


@require_POST
def speaker_time(request, room_id: int):
    return _act(request, room_id, "speaker_controls", lambda room: (
        speakers.speaker_set_time(
            room=room, actor=request.user, duration_seconds=_seconds(request)
        )
    ))
