"""The next assembly, made from this one: partners, rooms and the review of its
unfinished resolutions carried over."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assembly.carryover import CarryOver, assembly_create_next
from assembly.models import Assembly
from assembly.views.secretariat.base import secretariat_page


class NextAssemblyForm(forms.Form):
    title_th = forms.CharField(label=gettext_lazy("Title (Thai)"), max_length=300)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=300,
                               required=False)
    starts_on = forms.DateField(label=gettext_lazy("First day"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    venue_th = forms.CharField(label=gettext_lazy("Venue (Thai)"), max_length=200)
    venue_en = forms.CharField(label=gettext_lazy("Venue (English)"), max_length=200,
                               required=False)
    province_th = forms.CharField(label=gettext_lazy("Province (Thai)"),
                                  max_length=100)
    province_en = forms.CharField(label=gettext_lazy("Province (English)"),
                                  max_length=100, required=False)
    carry_partners = forms.BooleanField(
        label=gettext_lazy("The same partner organisations, seated as they were"),
        required=False, initial=True)
    carry_rooms = forms.BooleanField(
        label=gettext_lazy("The same breakout rooms (numbers and names)"),
        required=False, initial=True)
    carry_review = forms.BooleanField(
        label=gettext_lazy("Review this assembly's unfinished resolutions"),
        required=False, initial=True)


def _initial(previous: Assembly) -> dict:
    return {
        "title_th": previous.title_th, "title_en": previous.title_en,
        "venue_th": previous.venue_th, "venue_en": previous.venue_en,
        "province_th": previous.province_th, "province_en": previous.province_en,
        "starts_on": previous.starts_on.replace(year=previous.starts_on.year + 1),
        "carry_partners": True, "carry_rooms": True, "carry_review": True,
    }


@secretariat_page()
@require_http_methods(["GET", "POST"])
def assembly_next(request, assembly: Assembly):
    from resolutions.services.review import unfinished

    form = NextAssemblyForm(request.POST or None, initial=_initial(assembly))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            carry = CarryOver(partners=data.pop("carry_partners"),
                              rooms=data.pop("carry_rooms"),
                              review=data.pop("carry_review"))
            try:
                created = assembly_create_next(previous=assembly, actor=request.user,
                                               carry=carry, **data)
            except ValidationError as exc:
                for field, errors in getattr(exc, "error_dict", {None: exc}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The next assembly has been created."))
                return redirect("assembly:secretariat", pk=created.pk)
        status = 400
    return render(request, "assembly/secretariat/next.html", {
        "assembly": assembly, "form": form,
        "partner_count": assembly.partner_set.count(),
        "room_count": assembly.rooms.filter(kind="breakout").count(),
        "unfinished_count": len(unfinished(assembly)),
    }, status=status)
