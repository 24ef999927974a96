"""Input validation for the follow-up. The services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Organisation, Sector
from assembly.widgets import SearchableCheckboxSelectMultiple
from resolutions.models import ProgressUpdate
from resolutions.selectors import status_choices
from resolutions.services import NARRATIVE_MAX, REASON_MAX


class DateInput(forms.DateInput):
    input_type = "date"


def _today_max(field: forms.DateField) -> forms.DateField:
    field.widget.attrs["max"] = timezone.localdate().isoformat()
    return field


class _EntryForm(forms.Form):
    narrative = forms.CharField(
        label=_("What has happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NARRATIVE_MAX,
        error_messages={
            "required": _("Write what has happened: the narrative is empty.")
        },
    )
    refers_to = forms.DateField(
        label=_("As of (the date this refers to)"),
        widget=DateInput,
        error_messages={"required": _("Give the date this update refers to.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today_max(self.fields["refers_to"])
        if not self.is_bound:
            self.initial.setdefault("refers_to", timezone.localdate())

    def clean_refers_to(self):
        value = self.cleaned_data["refers_to"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class _ProgressFields(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ProgressUpdate.Status.choices,
        error_messages={"required": _("Choose a status.")},
    )
    percent = forms.IntegerField(
        label=_("Percent complete (0–100)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("The percent complete must be a whole number from 0 to 100."),
            "invalid": _("The percent complete must be a whole number from 0 to 100."),
            "min_value": _("The percent complete must be between 0 and 100."),
            "max_value": _("The percent complete must be between 0 and 100."),
        },
    )


class _EvidenceFields(forms.Form):
    evidence_url = forms.URLField(
        label=_("Evidence link (optional)"),
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": _("The evidence link must be a web address (https://…).")
        },
    )
    evidence_file = forms.FileField(
        label=_("Evidence file (optional): PDF or image, up to 5 MB"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )


class ProgressUpdateForm(_ProgressFields, _EntryForm, _EvidenceFields):
    reason = forms.CharField(
        label=_("Reason (needed when the resolution is dropped)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
    )
    field_order = (
        "status",
        "percent",
        "refers_to",
        "narrative",
        "reason",
        "evidence_url",
        "evidence_file",
    )


class NoteForm(_EntryForm, _EvidenceFields):
    field_order = ("refers_to", "narrative", "evidence_url", "evidence_file")


class CorrectionForm(_ProgressFields, _EntryForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        error_messages={"required": _("Say why the progress is corrected.")},
    )
    field_order = ("status", "percent", "refers_to", "narrative", "reason")


class PlanForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owning agency (named first)"),
        queryset=Organisation.objects.order_by("name_th"),
    )
    co_owners = forms.ModelMultipleChoiceField(
        label=_("Joint owning agencies"),
        required=False,
        queryset=Organisation.objects.order_by("name_th"),
        widget=forms.CheckboxSelectMultiple,
    )
    supporters = forms.ModelMultipleChoiceField(
        label=_("Supporting agencies"),
        required=False,
        queryset=Organisation.objects.order_by("name_th"),
        widget=SearchableCheckboxSelectMultiple,
    )
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=DateInput
    )
    indicator = forms.CharField(
        label=_("Indicator (what is measured)"), required=False, max_length=300
    )
    baseline = forms.CharField(label=_("Baseline"), required=False, max_length=200)
    target = forms.CharField(label=_("Target"), required=False, max_length=200)


class WeightsForm(forms.Form):
    """One weight per resolution of an item, named ``weight_<pk>``."""

    def __init__(self, *args, resolutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.resolutions = list(resolutions)
        for res in self.resolutions:
            self.fields[f"weight_{res.pk}"] = forms.DecimalField(
                label=_("Weight of resolution %(number)s") % {"number": res.number},
                min_value=0.01,
                max_value=9999,
                decimal_places=2,
                initial=res.weight,
                error_messages={
                    "min_value": _("A weight must be positive."),
                    "required": _("A weight must be positive."),
                },
            )

    def weights(self) -> dict[int, object]:
        return {
            res.pk: self.cleaned_data[f"weight_{res.pk}"] for res in self.resolutions
        }


class BoardFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All agencies"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["status"].choices = [("", _("All statuses")), *status_choices()]
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]
