"""Voting pages and fragments. Thin: check the permission, call one service,
render the full page (no ``HX-Request``) or the partial (with it).

A refused action answers 403 with its message; bad input answers 400 with its
message (``static/js/voting.js`` lets htmx swap both into place); neither
changes anything.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agenda.models import AgendaItem, Amendment
from assembly.models import AuditEvent, Room
from assembly.predicates import delegate_of
from assembly.services import audit
from voting import selectors, services
from voting.forms import BallotForm, PollCreateForm
from voting.models import Poll


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def _refused(request, message: str):
    """A refusal: 403 with its message (a fragment for htmx, else the 403 page)."""
    if not request.htmx:
        raise PermissionDenied(message)
    html = format_html('<p class="notice-error" role="alert">{}</p>', message)
    return HttpResponse(html, status=403)


def _render(request, template: str, partial: str, context: dict, status: int = 200):
    name = f"{template}#{partial}" if request.htmx else template
    return render(request, name, context, status=status)


# --- The ballot ------------------------------------------------------------------


def _ballot_response(request, room: Room, *, error: str = "", saved: bool = False,
                     status: int = 200, reason: str = ""):
    context = selectors.ballot_context(room, delegate_of(request.user))
    context.update({"error": error, "saved": saved, "reason_value": reason})
    return _render(request, "voting/ballot.html", "ballot", context, status)


def _audit_refused_ballot(request, room: Room, reason: str) -> None:
    """Record a refused ballot: who, where and why; never the choice."""
    audit(AuditEvent.Kind.BALLOT_REFUSED, actor=request.user,
          assembly=room.assembly, room=room.pk, reason=reason)
    request.refusal_audited = True


@require_http_methods(["GET", "POST"])
def ballot(request, room_id: int):
    """GET: this person's ballot for the room's open poll (their organisation's
    current choice and who cast it). POST: cast or change it."""
    room = get_object_or_404(Room, pk=room_id)
    if not request.user.has_perm("voting.view_poll", room):
        return _refused(request, _("You do not follow this room."))
    if request.method == "GET":
        return _ballot_response(request, room)
    delegate = delegate_of(request.user)
    if not request.user.has_perm("voting.cast_ballot", room):
        message = selectors.cannot_vote_reason(room, delegate) or _(
            "You may not vote in this room."
        )
        _audit_refused_ballot(request, room, "permission")
        return _ballot_response(request, room, error=message, status=403)
    form = BallotForm(request.POST)
    if not form.is_valid():
        return _ballot_response(
            request, room, status=400,
            error=_("Choose one of the options of this vote."),
        )
    poll = Poll.objects.filter(pk=form.cleaned_data["poll"], room=room).first()
    if poll is None:
        return _ballot_response(
            request, room, status=400, error=_("This vote is not open yet.")
        )
    try:
        services.ballot_cast(
            poll=poll,
            delegate=delegate,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        _audit_refused_ballot(request, room, "permission")
        return _ballot_response(request, room, error=_message(error), status=403)
    except ValidationError as error:
        _audit_refused_ballot(request, room, error.code or "invalid")
        return _ballot_response(
            request, room, error=_message(error), status=400,
            reason=form.cleaned_data["reason"],
        )
    if not request.htmx:
        return redirect("voting:ballot", room_id=room.pk)
    return _ballot_response(request, room, saved=True)


# --- The result --------------------------------------------------------------------


@require_GET
def room_result(request, room_id: int):
    """The room's result panel, as pushed (for a screen without a socket)."""
    room = get_object_or_404(Room, pk=room_id)
    if not request.user.has_perm("voting.view_poll", room):
        return _refused(request, _("You do not follow this room."))
    return render(request, "voting/result.html#vote-result",
                  selectors.result_context(room))


@require_GET
def poll_detail(request, pk: int):
    """A poll's record: the figures and, once a NAMED poll is closed, which
    organisation chose what (a secret poll only lists who voted)."""
    poll = get_object_or_404(Poll.objects.select_related("room", "item"), pk=pk)
    if not request.user.has_perm("voting.view_poll", poll):
        return _refused(request, _("You do not follow this room."))
    context = selectors.result_context(poll.room, poll)
    if poll.status == Poll.Status.CLOSED:
        context["named"] = selectors.named_choices(poll)
    return _render(request, "voting/result.html", "vote-result", context)


# --- The facilitator's controls -------------------------------------------------


def _controls_context(room: Room) -> dict:
    polls = list(selectors.polls_of_room(room).order_by("-created_at", "-pk")[:20])
    open_poll = next((p for p in polls if p.status == Poll.Status.OPEN), None)
    if room.is_plenary:
        items = AgendaItem.objects.filter(assembly_id=room.assembly_id)
    else:
        items = AgendaItem.objects.filter(room=room)
    items = list(items.order_by("number"))
    amendments = Amendment.objects.filter(
        item__in=items, status__in=Amendment.PENDING
    ).select_related("item", "partner__organisation")
    return {
        "room": room,
        "polls": polls,
        "open_poll": open_poll,
        "drafts": [p for p in polls if p.status == Poll.Status.DRAFT],
        "closed": [p for p in polls if p.status == Poll.Status.CLOSED][:5],
        "items": items,
        "amendments": list(amendments),
        "fallback_items": [i for i in items if selectors.fallback_allowed(room, i)],
        "reasons": selectors.reasons_for_facilitator(open_poll) if open_poll else [],
        "result": selectors.result_context(room, open_poll) if open_poll else None,
        "form": PollCreateForm(),
    }


def _controls_response(request, room: Room, *, error: str = "", status: int = 200,
                       form=None):
    context = _controls_context(room)
    context["error"] = error
    if form is not None:
        context["form"] = form
    return _render(request, "voting/controls.html", "controls", context, status)


def _runs_room(request, room: Room) -> bool:
    return request.user.has_perm("voting.run_poll", room)


def _run_refused(request):
    return _refused(
        request,
        _(
            "Only the room's facilitator (the secretariat in the plenary) "
            "runs votes."
        ),
    )


@require_GET
def controls(request, room_id: int):
    room = get_object_or_404(Room, pk=room_id)
    if not _runs_room(request, room):
        return _run_refused(request)
    return _controls_response(request, room)


@require_POST
def poll_create(request, room_id: int):
    room = get_object_or_404(Room, pk=room_id)
    if not _runs_room(request, room):
        return _run_refused(request)
    form = PollCreateForm(request.POST)
    if not form.is_valid():
        return _controls_response(
            request, room, form=form, status=400,
            error=_("Check the options of the vote."),
        )
    data = form.cleaned_data
    amendment = None
    if data["amendment"]:
        amendment = Amendment.objects.filter(
            pk=data["amendment"], item__assembly_id=room.assembly_id
        ).first()
    item = None
    if data["item"]:
        item = AgendaItem.objects.filter(
            pk=data["item"], assembly_id=room.assembly_id
        ).first()
    try:
        services.poll_create(
            room=room,
            kind=data["kind"],
            actor=request.user,
            item=item,
            amendment=amendment,
            secret=data["secret"],
            results_live=data["results_live"],
            threshold=form.threshold(),
            quorum_share=form.quorum_share(),
            countdown_seconds=data["countdown_seconds"],
        )
    except ValidationError as error:
        return _controls_response(request, room, form=form, status=400,
                                  error=_message(error))
    return _after_control(request, room)


def _after_control(request, room: Room):
    if not request.htmx:
        return redirect("voting:controls", room_id=room.pk)
    return _controls_response(request, room)


def _poll_action(request, pk: int, action):
    poll = get_object_or_404(Poll.objects.select_related("room"), pk=pk)
    if not _runs_room(request, poll.room):
        return _run_refused(request)
    try:
        action(poll=poll, actor=request.user)
    except ValidationError as error:
        return _controls_response(request, poll.room, error=_message(error),
                                  status=400)
    return _after_control(request, poll.room)


@require_POST
def poll_open(request, pk: int):
    return _poll_action(request, pk, services.poll_open)


@require_POST
def poll_close(request, pk: int):
    return _poll_action(request, pk, services.poll_close)
