"""The result panel, a poll's record, and the facilitator's vote controls:
preparing, opening and closing votes, and recording a ballot given on paper or
by a show of hands."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agenda.models import AgendaItem, Amendment
from assembly.models import Partner, Room
from voting import selectors, services
from voting.services import all_items
from voting.forms import PollCreateForm, RecordedBallotForm
from voting.models import Poll
from voting.views.common import message_of, refused, render_part

# --- The result ------------------------------------------------------------------


@require_GET
def room_result(request, room_id: int):
    """The room's result panel, as pushed (for a screen without a socket)."""
    room = get_object_or_404(Room, pk=room_id)
    if not request.user.has_perm("voting.view_poll", room):
        return refused(request, _("You do not follow this room."))
    return render(request, "voting/result.html#vote-result",
                  selectors.result_context(room))


@require_GET
def poll_detail(request, pk: int):
    """A poll's record: the figures and, once a poll is closed, who voted and
    how (by phone, by proxy, recorded by the facilitator); which organisation
    chose what only for a NAMED poll."""
    poll = get_object_or_404(Poll.objects.select_related("room", "item"), pk=pk)
    if not request.user.has_perm("voting.view_poll", poll):
        return refused(request, _("You do not follow this room."))
    context = selectors.result_context(poll.room, poll)
    if poll.status == Poll.Status.CLOSED:
        context["named"] = selectors.named_choices(poll)
    return render_part(request, "voting/result.html", "vote-result", context)


# --- The facilitator's controls --------------------------------------------------


def _controls_context(room: Room) -> dict:
    polls = list(selectors.polls_of_room(room).order_by("-created_at", "-pk")[:20])
    open_poll = next((p for p in polls if p.status == Poll.Status.OPEN), None)
    if room.is_plenary:
        # What the plenary can still vote on: the items agreed and not decided.
        items = AgendaItem.objects.filter(
            assembly_id=room.assembly_id, status=AgendaItem.Status.AGREED
        )
    else:
        items = AgendaItem.objects.filter(room=room)
    items = list(items.order_by("number"))
    amendments = Amendment.objects.filter(
        item__in=items, status__in=Amendment.PENDING
    ).select_related("item", "partner__organisation")
    context = {
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
    if room.is_plenary:
        context.update(_all_items_context(room=room, polls=polls))
    if open_poll is not None:
        context.update(_record_context(open_poll))
    return context


def _all_items_context(*, room: Room, polls: list[Poll]) -> dict:
    """The plenary's round on all items: the items it would decide now, and the
    last such round when it failed (the plenary then goes item by item)."""
    last = next((p for p in polls if p.all_items), None)
    failed = (
        last if last is not None and last.status == Poll.Status.CLOSED
        and not last.adopted else None
    )
    return {
        "all_items": all_items.undecided_items(room),
        "all_items_pending": last is not None and last.status != Poll.Status.CLOSED,
        "all_items_failed": failed,
        "all_items_failures": [
            selectors.FAILURE_LABELS.get(code, code)
            for code in (failed.outcome or {}).get("reasons_failed", [])
        ] if failed else [],
    }


def _controls_response(request, room: Room, *, error: str = "", status: int = 200,
                       form=None, error_in: str = ""):
    context = _controls_context(room)
    context["error"] = error
    context["error_in"] = error_in
    context["can_run_all_items"] = request.user.has_perm(
        all_items.PERMISSION, room
    )
    if form is not None:
        context["form"] = form
    return render_part(request, "voting/controls.html", "controls", context, status)


def _runs_room(request, room: Room) -> bool:
    return request.user.has_perm("voting.run_poll", room)


def _run_refused(request):
    return refused(
        request,
        _("Only the room's facilitator or the secretariat runs votes."),
    )


@require_GET
def controls(request, room_id: int):
    room = get_object_or_404(Room, pk=room_id)
    if not _runs_room(request, room):
        return _run_refused(request)
    return _controls_response(request, room)


def _form_problem(form) -> str:
    errors = form.non_field_errors()
    return " ".join(errors) if errors else _("Check the options of the vote.")


@require_POST
def poll_create(request, room_id: int):
    room = get_object_or_404(Room, pk=room_id)
    if not _runs_room(request, room):
        return _run_refused(request)
    form = PollCreateForm(request.POST)
    if not form.is_valid():
        return _controls_response(
            request, room, form=form, status=400, error=_form_problem(form),
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
                                  error=message_of(error))
    return _after_control(request, room)


@require_POST
def poll_create_all_items(request, room_id: int):
    """The secretariat prepares the plenary's consensus round on all items."""
    room = get_object_or_404(Room, pk=room_id)
    if not request.user.has_perm(all_items.PERMISSION, room):
        return refused(
            request, _("Only the secretariat runs the plenary's round on all items.")
        )
    form = PollCreateForm(request.POST)
    if not form.is_valid():
        return _controls_response(
            request, room, form=form, status=400, error=_form_problem(form),
            error_in="all_items",
        )
    data = form.cleaned_data
    try:
        all_items.poll_create_all_items(
            room=room,
            actor=request.user,
            secret=data["secret"],
            results_live=data["results_live"],
            threshold=form.consensus_share(),
            quorum_share=form.quorum_share(),
            countdown_seconds=data["countdown_seconds"],
        )
    except ValidationError as error:
        return _controls_response(request, room, form=form, status=400,
                                  error=message_of(error), error_in="all_items")
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
        return _controls_response(request, poll.room, error=message_of(error),
                                  status=400)
    return _after_control(request, poll.room)


@require_POST
def poll_open(request, pk: int):
    return _poll_action(request, pk, services.poll_open)


@require_POST
def poll_close(request, pk: int):
    return _poll_action(request, pk, services.poll_close)


# --- A ballot recorded by the facilitator ----------------------------------------


def _record_context(poll: Poll, **extra) -> dict:
    context = {
        "record_poll": poll,
        "record_partners": selectors.recordable_partners(poll),
        "record_choices": [
            (c, selectors.CHOICE_LABELS[c]) for c in selectors.choices_of(poll)
        ],
        "record_reason_max": selectors.REASON_MAX,
        "record_error": "",
        "record_done": "",
    }
    context.update(extra)
    return context


@require_http_methods(["GET", "POST"])
def ballot_record(request, pk: int):
    """GET: the form to record a ballot given on paper or by a show of hands
    (``voting/record.html#record``, placed in the console). POST: record it and
    answer the form again with what was recorded, or why not (400 bad input,
    403 not allowed, 409 poll not open). In a secret poll the answer says only
    that the ballot was recorded, not which choice: the facilitator's screen is
    seen by others."""
    poll = get_object_or_404(Poll.objects.select_related("room__assembly"), pk=pk)
    if not _runs_room(request, poll.room):
        return _run_refused(request)
    if request.method == "GET":
        return render_part(request, "voting/record.html", "record",
                           _record_context(poll))
    form = RecordedBallotForm(request.POST)

    def answer(status: int, **extra):
        return render_part(request, "voting/record.html", "record",
                           _record_context(poll, **extra), status=status)

    if not form.is_valid():
        return answer(400, record_error=_("Choose the organisation and its choice."))
    partner = Partner.objects.select_related("organisation").filter(
        pk=form.cleaned_data["partner"], assembly_id=poll.room.assembly_id
    ).first()
    if partner is None:
        return answer(400, record_error=_("Choose the organisation and its choice."))
    try:
        cast = services.ballot_record(
            poll=poll, partner=partner, actor=request.user,
            choice=form.cleaned_data["choice"], reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        return answer(403, record_error=message_of(error))
    except ValidationError as error:
        closed = error.code in {"poll_closed", "poll_not_open"}
        return answer(409 if closed else 400, record_error=message_of(error))
    if cast.secret:
        done = _("%(organisation)s's ballot is recorded.") % {
            "organisation": partner.organisation.label
        }
    else:
        done = selectors.status_of_cast(cast)["message"]
    return answer(200, record_done=done)
