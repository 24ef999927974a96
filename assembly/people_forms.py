"""Forms of the people pages (delegates, badges, the desk, accounts, the audit
log): input validation only."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from assembly import accounts
from assembly.models import Assembly, AuditEvent, Delegate, Organisation, Room, Sector
from assembly.roster import NO_ROOM, SEARCH_MAX, DelegateFilter
from assembly.widgets import SearchableCheckboxSelectMultiple

User = get_user_model()

YES_NO = [("", _("all")), ("yes", _("checked in")), ("no", _("not checked in"))]
LINK_STATES = [
    ("", _("all")),
    ("none", _("no link that works")),
    ("unused", _("link not used yet")),
    ("used", _("link used")),
]


def _room_choices(assembly: Assembly, *, blank: str, none: bool = True) -> list:
    rooms = Room.objects.filter(assembly=assembly, kind=Room.Kind.BREAKOUT)
    choices = [("", blank)] + [(str(r.pk), r.name) for r in rooms.order_by("number")]
    if none:
        choices.append((NO_ROOM, _("no breakout room yet")))
    return choices


class DelegateFilterForm(forms.Form):
    """The search and filters above a table of delegates (a GET form)."""

    q = forms.CharField(label=_("Name or organisation"), required=False,
                        max_length=SEARCH_MAX)
    room = forms.ChoiceField(label=_("Breakout room"), required=False)
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False,
                                          coerce=int, empty_value=None)
    sector = forms.ChoiceField(label=_("Sector"), required=False,
                               choices=[("", _("all"))] + Sector.choices)
    kind = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("all"))] + Delegate.Kind.choices)
    checked_in = forms.ChoiceField(label=_("Check-in"), required=False, choices=YES_NO)
    link = forms.ChoiceField(label=_("Sign-in link"), required=False,
                             choices=LINK_STATES)

    def __init__(self, data=None, *, assembly: Assembly, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["room"].choices = _room_choices(assembly, blank=_("all"))
        orgs = Organisation.objects.filter(partnerships__assembly=assembly).order_by(
            "name_th")
        self.fields["organisation"].choices = [("", _("all"))] + [
            (o.pk, o.name) for o in orgs
        ]

    def filter(self) -> DelegateFilter:
        """The filter asked for; a field with a value that is not offered is
        left out (and shown as an error beside it)."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DelegateFilter(
            q=(data.get("q") or "").strip(),
            room=data.get("room") or "",
            organisation=data.get("organisation"),
            sector=data.get("sector") or "",
            kind=data.get("kind") or "",
            checked_in=data.get("checked_in") or "",
            link=data.get("link") or "",
        )


class DelegateChoiceForm(forms.Form):
    """Delegates chosen for a bulk action: those ticked, or every one shown by
    the filters (posted again with the action)."""

    SCOPES = [("chosen", _("the delegates ticked")), ("shown", _("every delegate shown"))]

    scope = forms.ChoiceField(label=_("Apply to"), choices=SCOPES, initial="chosen",
                              required=False, widget=forms.RadioSelect)
    delegates = forms.ModelMultipleChoiceField(
        label=_("Delegates"), queryset=Delegate.objects.none(), required=False
    )

    def __init__(self, data=None, *, assembly: Assembly, shown, **kwargs):
        super().__init__(data, **kwargs)
        self.shown = shown
        self.fields["delegates"].queryset = Delegate.objects.filter(
            partner__assembly=assembly)

    def clean(self):
        data = super().clean()
        data["scope"] = data.get("scope") or "chosen"
        if data["scope"] == "chosen" and not data.get("delegates"):
            raise forms.ValidationError(
                _("Tick the delegates first, or choose every delegate shown.")
            )
        return data

    def chosen(self) -> list[Delegate]:
        if self.cleaned_data["scope"] == "shown":
            return list(self.shown)
        ids = {d.pk for d in self.cleaned_data["delegates"]}
        return list(
            Delegate.objects.filter(pk__in=ids)
            .select_related("partner__organisation", "partner__room", "user")
            .order_by("partner__room__number", "partner__organisation__name_th",
                      "kind", "name_th")
        )


class BulkActionForm(DelegateChoiceForm):
    ACTIONS = [
        ("badges", _("Print badges (new links)")),
        ("email", _("Send new links by e-mail")),
        ("revoke", _("Revoke links")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)


class DeskPresenceForm(forms.Form):
    """In which room the desk marks someone present ("" = nowhere)."""

    room = forms.TypedChoiceField(label=_("Present in"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, data=None, *, rooms: list[Room], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["room"].choices = [("", _("not in a room"))] + [
            (r.pk, r.name) for r in rooms
        ]


class AccountForm(forms.Form):
    """An account's person and its roles at one assembly."""

    username = forms.CharField(
        label=_("Username"), max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. Needed only to sign in "
                    "with a password; the personal link needs none."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"), required=False,
        help_text=_("Lead-agency staff receive their sign-in link here."),
    )
    secretariat = forms.BooleanField(label=_("Secretariat of this assembly"),
                                     required=False)
    rooms = forms.ModelMultipleChoiceField(
        label=_("Facilitates these rooms"), queryset=Room.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    organisation = forms.ModelChoiceField(
        label=_("Staff of the organisation"), queryset=Organisation.objects.none(),
        required=False, empty_label=_("(none)"),
    )

    def __init__(self, data=None, *, assembly: Assembly, user=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["rooms"].queryset = Room.objects.filter(
            assembly=assembly, kind=Room.Kind.BREAKOUT).order_by("number")
        self.fields["organisation"].queryset = accounts.organisations_of(assembly)
        if user is not None:
            # The username is how the person signs in with a password: it stays.
            del self.fields["username"]

    @classmethod
    def initial_for(cls, assembly: Assembly, user) -> dict:
        return {
            "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email,
            "secretariat": assembly.secretariat.filter(pk=user.pk).exists(),
            "rooms": list(Room.objects.filter(assembly=assembly, facilitators=user)),
            "organisation": accounts.organisations_of(assembly).filter(
                staff=user).first(),
        }


class AccountFilterForm(forms.Form):
    ROLES = [("", _("all")), ("secretariat", _("Secretariat")),
             ("facilitator", _("Facilitator")), ("staff", _("Agency staff")),
             ("inactive", _("Deactivated"))]
    q = forms.CharField(label=_("Name, username or e-mail"), required=False,
                        max_length=SEARCH_MAX)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=ROLES)


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), required=False)
    who = forms.CharField(label=_("Who"), required=False, max_length=SEARCH_MAX)
    day = forms.DateField(label=_("Day"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"},
                                                 format="%Y-%m-%d"))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["kind"].choices = [("", _("everything"))] + sorted(
            AuditEvent.Kind.choices, key=lambda c: str(c[1]))


class SearchableOrganisationsField(forms.ModelMultipleChoiceField):
    """Many organisations out of dozens: a list that filters as one types
    (a plain scrolling list of checkboxes without JavaScript)."""

    widget = SearchableCheckboxSelectMultiple
