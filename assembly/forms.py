from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agenda.models import TEXT_MAX, AgendaItem
from assembly import accounts
from assembly.models import Assembly, Delegate, Organisation, Room
from assembly.widgets import SearchableCheckboxSelectMultiple


# The largest id a row can have (PostgreSQL bigint, SQLite INTEGER). A bigger
# number posted as an id names no row: the form refuses it before any query
# (a raw query would fail with an overflow, a 500).
ID_MAX = 2**63 - 1


class IdField(forms.IntegerField):
    """The id of a row, posted by a form: a whole number from 1 to ``ID_MAX``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class SignInForm(AuthenticationForm):
    """Username and password, for the secretariat, facilitators and agency staff."""

    error_messages = {
        "invalid_login": _(
            "The username or password is not right. After several failed tries "
            "this username is locked at this address for a while."
        ),
        "inactive": pgettext_lazy("sign-in", "This account is inactive."),
    }


class LinkCodeForm(forms.Form):
    """The code of a personal link: put there by the sign-in page's script from
    the link's fragment, or pasted by a person without JavaScript."""

    token = forms.CharField(
        label=_("Sign-in code"), max_length=200, strip=True,
        widget=forms.TextInput(attrs={
            "autocomplete": "off", "autocapitalize": "off", "spellcheck": "false",
            "id": "sign-in-code", "aria-describedby": "sign-in-code-help",
        }),
    )


# --- The secretariat's set-up forms: input validation only ----------------------

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def person_label(user) -> str:
    return user.get_full_name() or user.get_username()


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """Chooses among people who sign in with a password (delegates cannot
    facilitate a room)."""

    def label_from_instance(self, obj) -> str:
        return f"{person_label(obj)} ({obj.get_username()})"


def facilitator_candidates():
    return User.objects.filter(is_active=True, delegate__isnull=True).order_by(
        "first_name", "username"
    )


class AssemblyForm(forms.ModelForm):
    """An assembly's titles, dates and venue."""

    class Meta:
        model = Assembly
        fields = [
            "title_th", "title_en", "edition", "starts_on", "ends_on", "venue_th",
            "venue_en", "province_th", "province_en", "reporting_interval_days",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Assembly.Status.choices)


class AgendaItemForm(forms.Form):
    number = forms.IntegerField(label=_("number"), min_value=1, max_value=999)
    title_th = forms.CharField(label=_("title (Thai)"), max_length=300)
    title_en = forms.CharField(label=_("title (English)"), max_length=300,
                               required=False)
    description_th = forms.CharField(label=_("description (Thai)"), required=False,
                                     max_length=TEXT_MAX, widget=forms.Textarea)
    description_en = forms.CharField(label=_("description (English)"), required=False,
                                     max_length=TEXT_MAX, widget=forms.Textarea)
    lead_agency = forms.ModelChoiceField(
        label=_("lead agency"), queryset=Organisation.objects.none()
    )
    co_leads = forms.ModelMultipleChoiceField(
        label=_("co-leads"), queryset=Organisation.objects.none(), required=False,
        widget=SearchableCheckboxSelectMultiple,
    )
    room = forms.ModelChoiceField(
        label=_("breakout room"), queryset=Room.objects.none(), required=False,
        empty_label=_("(no room yet)"),
    )

    def __init__(self, *args, assembly: Assembly, **kwargs):
        super().__init__(*args, **kwargs)
        # Any agency may lead an item (one choice in a list); co-leads are chosen
        # among the assembly's own organisations, not every one ever recorded.
        self.fields["lead_agency"].queryset = Organisation.objects.order_by("name_th")
        self.fields["co_leads"].queryset = accounts.organisations_of(assembly)
        self.fields["room"].queryset = Room.objects.filter(
            assembly=assembly, kind=Room.Kind.BREAKOUT
        ).order_by("number")

    @classmethod
    def initial_for(cls, item: AgendaItem) -> dict:
        return {
            "number": item.number, "title_th": item.title_th, "title_en": item.title_en,
            "description_th": item.description_th,
            "description_en": item.description_en,
            "lead_agency": item.lead_agency_id, "co_leads": list(item.co_leads.all()),
            "room": item.room_id,
        }

    def clean(self):
        data = super().clean()
        lead, co = data.get("lead_agency"), data.get("co_leads") or []
        if lead is not None and lead in co:
            self.add_error("co_leads", _("The lead agency cannot also be a co-lead."))
        return data


class RoomForm(forms.Form):
    number = forms.IntegerField(label=_("number"), min_value=1, max_value=999)
    name_th = forms.CharField(label=_("name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    facilitators = PersonChoiceField(
        label=_("facilitators"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plenary: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = facilitator_candidates()
        if plenary:
            del self.fields["number"]

    @classmethod
    def initial_for(cls, room: Room) -> dict:
        return {
            "number": room.number, "name_th": room.name_th, "name_en": room.name_en,
            "facilitators": list(room.facilitators.all()),
        }


class PartnerSeatsForm(forms.Form):
    """One choice of breakout room per partner of the assembly."""

    def __init__(self, *args, assembly: Assembly, partners, **kwargs):
        super().__init__(*args, **kwargs)
        rooms = Room.objects.filter(assembly=assembly, kind=Room.Kind.BREAKOUT)
        choices = [("", _("(no room yet)"))] + [(str(r.pk), r.name) for r in rooms]
        self.partners = list(partners)
        for partner in self.partners:
            self.fields[f"room-{partner.pk}"] = forms.TypedChoiceField(
                label=partner.organisation.name, choices=choices, required=False,
                coerce=int, empty_value=None,
                initial=str(partner.room_id) if partner.room_id else "",
            )

    def rows(self):
        for partner in self.partners:
            yield partner, self[f"room-{partner.pk}"]

    def seats(self) -> dict[int, int | None]:
        return {p.pk: self.cleaned_data.get(f"room-{p.pk}") for p in self.partners}


class BadgeForm(forms.Form):
    every = forms.BooleanField(label=_("All delegates"), required=False)
    delegates = forms.ModelMultipleChoiceField(
        label=_("Delegates"), queryset=Delegate.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, assembly: Assembly, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegates"].queryset = (
            Delegate.objects.filter(partner__assembly=assembly)
            .select_related("partner__organisation", "partner__room")
            .order_by("partner__room__number", "partner__organisation__name_th",
                      "kind", "name_th")
        )

    def clean(self):
        data = super().clean()
        if not data.get("every") and not data.get("delegates"):
            raise forms.ValidationError(
                _("Choose the delegates whose badges to print, or all of them.")
            )
        return data

    def chosen(self):
        if self.cleaned_data.get("every"):
            return self.fields["delegates"].queryset
        return self.cleaned_data["delegates"]

