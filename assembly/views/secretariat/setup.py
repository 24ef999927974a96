"""Setting up an assembly: its details and status, agenda items, rooms, seating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agenda.models import AgendaItem
from assembly import selectors, services, setup
from assembly.forms import (
    AgendaItemForm,
    AssemblyForm,
    PartnerSeatsForm,
    RoomForm,
    StatusForm,
)
from assembly.models import Assembly, Partner, Room
from assembly.views.secretariat.base import (
    posted,
    refusal_message,
    refuse,
    secretariat_page,
)


def _save(request, form, save, *, done, back):
    """The set-up pages' one way of saving a form.

    When the form was posted and is valid, call ``save(cleaned_data)``; on
    success flash ``done`` and redirect to ``back`` (``(url name, pk)``; either
    may be a function of what ``save`` returned). A service's refusal is shown
    on the form, and None returned so the page is rendered again.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return None
    messages.success(request, done(result) if callable(done) else done)
    name, pk = back(result) if callable(back) else back
    return redirect(name, pk=pk)


@require_http_methods(["GET", "POST"])
def assembly_create(request):
    """A new assembly, for the secretariat of an earlier one or a superuser."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("assembly.add_assembly"):
        return refuse(request, refusal_message("assembly.add_assembly"),
                      perm="assembly.add_assembly")
    form = AssemblyForm(posted(request))
    saved = _save(
        request, form,
        lambda data: services.assembly_create(**data, actor=request.user),
        done=_("The assembly has been created."),
        back=lambda assembly: ("assembly:secretariat", assembly.pk),
    )
    if saved:
        return saved
    return render(request, "assembly/secretariat/assembly_form.html",
                  {"form": form, "assembly": None})


@secretariat_page()
def dashboard(request, assembly: Assembly, *, error: str = "", status: int = 200):
    next_status = services.STATUS_NEXT.get(assembly.status)
    return render(
        request,
        "assembly/secretariat/dashboard.html",
        {
            "assembly": assembly,
            "summary": selectors.checkin_summary(assembly),
            "next_status": Assembly.Status(next_status) if next_status else None,
            "error": error,
            "items_count": assembly.agenda_items.count(),
            "rooms_count": assembly.rooms.count(),
        },
        status=status,
    )


@secretariat_page()
@require_http_methods(["GET", "POST"])
def assembly_edit(request, assembly: Assembly):
    form = AssemblyForm(posted(request), instance=Assembly.objects.get(pk=assembly.pk))
    saved = _save(
        request, form,
        lambda data: services.assembly_update(
            assembly=assembly, actor=request.user, **data),
        done=_("The assembly's details have been saved."),
        back=("assembly:secretariat", assembly.pk),
    )
    if saved:
        return saved
    return render(request, "assembly/secretariat/assembly_form.html",
                  {"form": form, "assembly": assembly})


@secretariat_page()
@require_POST
def assembly_status(request, assembly: Assembly):
    form = StatusForm(request.POST)
    error = _("That is not a status an assembly can have.")
    if form.is_valid():
        try:
            services.assembly_set_status(
                assembly=assembly, status=form.cleaned_data["status"],
                actor=request.user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("The assembly is now “%(status)s”.")
                % {"status": assembly.get_status_display()},
            )
            return redirect("assembly:secretariat", pk=assembly.pk)
    return dashboard.__wrapped__(request, assembly, error=error, status=400)


# --- Agenda items ---------------------------------------------------------------


@secretariat_page()
def items(request, assembly: Assembly):
    rows = (
        AgendaItem.objects.filter(assembly=assembly)
        .select_related("lead_agency", "room")
        .prefetch_related("co_leads")
        .order_by("number")
    )
    return render(request, "assembly/secretariat/items.html",
                  {"assembly": assembly, "items": rows})


def _item_fields(data: dict) -> dict:
    return {k: data[k] for k in AgendaItemForm.base_fields}


@secretariat_page()
@require_http_methods(["GET", "POST"])
def item_create(request, assembly: Assembly):
    next_number = (assembly.agenda_items.order_by("-number").values_list(
        "number", flat=True).first() or 0) + 1
    form = AgendaItemForm(posted(request), assembly=assembly,
                          initial={"number": next_number})
    saved = _save(
        request, form,
        lambda data: setup.agenda_item_create(
            assembly=assembly, actor=request.user, **_item_fields(data)),
        done=_("The agenda item has been added."),
        back=("assembly:items", assembly.pk),
    )
    if saved:
        return saved
    return render(request, "assembly/secretariat/item_form.html",
                  {"assembly": assembly, "form": form, "item": None})


@secretariat_page()
@require_http_methods(["GET", "POST"])
def item_edit(request, assembly: Assembly, item_id: int):
    item = get_object_or_404(AgendaItem, pk=item_id, assembly=assembly)
    form = AgendaItemForm(posted(request), assembly=assembly,
                          initial=AgendaItemForm.initial_for(item))
    saved = _save(
        request, form,
        lambda data: setup.agenda_item_update(
            item=item, actor=request.user, **_item_fields(data)),
        done=_("The agenda item has been saved."),
        back=("assembly:items", assembly.pk),
    )
    if saved:
        return saved
    return render(request, "assembly/secretariat/item_form.html",
                  {"assembly": assembly, "form": form, "item": item})


# --- Rooms and seating ----------------------------------------------------------


@secretariat_page()
def rooms(request, assembly: Assembly):
    rows = (
        Room.objects.filter(assembly=assembly)
        .select_related("agenda_item")
        .prefetch_related("facilitators")
        .annotate(partner_count=Count("partners"))
        .order_by("number")
    )
    return render(request, "assembly/secretariat/rooms.html",
                  {"assembly": assembly, "rooms": rows})


@secretariat_page()
@require_http_methods(["GET", "POST"])
def room_create(request, assembly: Assembly):
    next_number = (assembly.rooms.order_by("-number").values_list(
        "number", flat=True).first() or 0) + 1
    form = RoomForm(posted(request), initial={"number": next_number})
    saved = _save(
        request, form,
        lambda data: services.room_add(assembly=assembly, actor=request.user, **data),
        done=_("The room has been added."),
        back=("assembly:rooms", assembly.pk),
    )
    if saved:
        return saved
    return render(request, "assembly/secretariat/room_form.html",
                  {"assembly": assembly, "form": form, "room": None})


@secretariat_page()
@require_http_methods(["GET", "POST"])
def room_edit(request, assembly: Assembly, room_id: int):
    room = get_object_or_404(Room, pk=room_id, assembly=assembly)
    form = RoomForm(posted(request), plenary=room.is_plenary,
                    initial=RoomForm.initial_for(room))
    saved = _save(
        request, form,
        lambda data: services.room_update(room=room, actor=request.user, **data),
        done=_("The room has been saved."),
        back=("assembly:rooms", assembly.pk),
    )
    if saved:
        return saved
    return render(request, "assembly/secretariat/room_form.html",
                  {"assembly": assembly, "form": form, "room": room})


@secretariat_page()
@require_http_methods(["GET", "POST"])
def partners(request, assembly: Assembly):
    """Seat each partner in its breakout room (every partner sits in the plenary)."""
    rows = (
        Partner.objects.filter(assembly=assembly)
        .select_related("organisation", "room")
        .prefetch_related(Prefetch("delegates"))
        .order_by("organisation__name_th")
    )
    form = PartnerSeatsForm(posted(request), assembly=assembly, partners=rows)
    saved = _save(
        request, form,
        lambda data: services.partners_seat(
            assembly=assembly, seats=form.seats(), actor=request.user),
        done=lambda moved: _("Seating saved: %(count)s partners moved.")
        % {"count": moved},
        back=("assembly:partners", assembly.pk),
    )
    if saved:
        return saved
    return render(request, "assembly/secretariat/partners.html",
                  {"assembly": assembly, "form": form})
