"""The check-in desk: find a delegate by name or organisation, check them in
or out, mark someone without a phone present in a room, re-issue and print
their badge. Each action answers the delegate's row (htmx) or comes back to the
search (a plain form)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from assembly import desk, roster, selectors
from assembly.models import Assembly, Delegate, Room
from assembly.people_forms import DeskPresenceForm
from assembly.roster import DelegateFilter
from assembly.views.secretariat.base import refuse, secretariat_page
from assembly.views.secretariat.people import badge_pdf_response

RESULTS_MAX = 40


def _rows(assembly: Assembly, q: str) -> tuple[list[Delegate], bool]:
    """Up to RESULTS_MAX delegates matching ``q``, and whether there are more."""
    found = list(roster.delegates(assembly, DelegateFilter(q=q))[: RESULTS_MAX + 1])
    return found[:RESULTS_MAX], len(found) > RESULTS_MAX


def row_context(assembly: Assembly, delegate: Delegate, *, error: str = "") -> dict:
    rooms = desk.rooms_for(delegate)
    presence = roster.presence_of(delegate)
    return {
        "assembly": assembly, "d": delegate, "error": error,
        "presence": presence,
        "presence_form": DeskPresenceForm(
            rooms=rooms, initial={"room": presence.room_id if presence else None},
            auto_id=f"desk-{delegate.pk}-%s",
        ),
    }


@secretariat_page("assembly.run_desk")
def desk_page(request, assembly: Assembly):
    q = (request.GET.get("q") or "").strip()[: roster.SEARCH_MAX]
    rows, more = _rows(assembly, q) if q else ([], False)
    context = {
        "assembly": assembly, "q": q, "more": more, "results_max": RESULTS_MAX,
        "rows": [row_context(assembly, d) for d in rows],
        "summary": selectors.checkin_summary(assembly),
    }
    template = "assembly/secretariat/desk.html"
    if request.htmx and request.htmx.target == "desk-results":
        template += "#results"
    return render(request, template, context)


def _delegate(assembly: Assembly, delegate_id: int) -> Delegate:
    get_object_or_404(Delegate, pk=delegate_id, partner__assembly=assembly)
    return roster.delegates(assembly).get(pk=delegate_id)


def _answer(request, assembly: Assembly, delegate_id: int, *, done: str = "",
            error: str = "", status: int = 200):
    """The delegate's row, fresh (htmx); else back to the search with a message."""
    if request.htmx:
        context = row_context(assembly, _delegate(assembly, delegate_id), error=error)
        context["done"] = done
        return render(request, "assembly/secretariat/desk.html#row", context,
                      status=status)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    q = request.POST.get("q", "")[: roster.SEARCH_MAX]
    url = reverse("assembly:desk", args=[assembly.pk])
    return redirect(url + ("?" + urlencode({"q": q}) if q else "")
                    + f"#desk-{delegate_id}")


def _act(request, assembly: Assembly, delegate_id: int, action, done) -> object:
    delegate = get_object_or_404(Delegate, pk=delegate_id, partner__assembly=assembly)
    try:
        action(delegate)
    except ValidationError as exc:
        return _answer(request, assembly, delegate_id, error=" ".join(exc.messages),
                       status=400)
    except PermissionDenied as exc:
        return refuse(request, str(exc), assembly=assembly, perm="assembly.run_desk")
    return _answer(request, assembly, delegate_id, done=done(delegate))


def _simple(service, done: str):
    """A desk action that needs nothing but the delegate."""

    @secretariat_page("assembly.run_desk")
    @require_POST
    def view(request, assembly: Assembly, delegate_id: int):
        return _act(
            request, assembly, delegate_id,
            lambda d: service(assembly=assembly, delegate=d, actor=request.user),
            lambda d: _(done) % {"name": d.name},
        )

    return view


desk_check_in = _simple(desk.desk_check_in, gettext_noop("%(name)s is checked in."))
desk_check_out = _simple(desk.desk_check_out, gettext_noop("%(name)s is checked out."))


@secretariat_page("assembly.run_desk")
@require_POST
def desk_presence(request, assembly: Assembly, delegate_id: int):
    """Mark a delegate without a phone present in a room, or in none."""
    delegate = get_object_or_404(
        Delegate.objects.select_related("partner"), pk=delegate_id,
        partner__assembly=assembly,
    )
    form = DeskPresenceForm(request.POST, rooms=desk.rooms_for(delegate))
    if not form.is_valid():
        return _answer(request, assembly, delegate_id, status=400,
                       error=_("Choose one of the rooms offered."))
    room_id = form.cleaned_data["room"]
    if room_id is None:
        return _act(
            request, assembly, delegate_id,
            lambda d: desk.desk_clear_presence(assembly=assembly, delegate=d,
                                               actor=request.user),
            lambda d: _("%(name)s is no longer counted in a room.") % {"name": d.name},
        )
    room = get_object_or_404(Room, pk=room_id, assembly=assembly)
    return _act(
        request, assembly, delegate_id,
        lambda d: desk.desk_mark_present(assembly=assembly, delegate=d, room=room,
                                         actor=request.user),
        lambda d: _("%(name)s counts as present in %(room)s.")
        % {"name": d.name, "room": room.name},
    )


@secretariat_page("assembly.print_badges")
@require_POST
def desk_badge(request, assembly: Assembly, delegate_id: int):
    """Re-issue one delegate's link and answer their badge (PDF): the old badge
    and the screens it signed in stop working."""
    delegate = get_object_or_404(
        Delegate.objects.select_related("partner__organisation", "partner__room"),
        pk=delegate_id, partner__assembly=assembly,
    )
    return badge_pdf_response(request, assembly, [delegate],
                              filename=f"badge-{delegate.pk}.pdf")
