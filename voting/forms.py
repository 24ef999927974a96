"""Input validation of the voting forms. Rules live in the services."""

from __future__ import annotations

from fractions import Fraction

from django import forms
from django.utils.translation import gettext_lazy as _

from assembly.forms import ID_MAX, IdField
from voting import tally
from voting.models import Poll
from voting.selectors.figures import REASON_MAX


class BallotForm:
    """A ballot. There is deliberately no field naming the organisation voted
    for, except ``for_partner`` for a partner that gave the delegate's
    organisation its voice (the service checks the proxy); any other field
    posted is ignored.

    Validated as a Django form's fields validate (each field's ``clean``), but
    without a form: a form deep-copies its fields for every instance, which
    cost the hottest request of the day more than its own rules. The fields
    hold no state between two ``clean`` calls, so every ballot shares them."""

    fields = {
        "poll": IdField(),
        "choice": forms.CharField(max_length=20),
        "reason": forms.CharField(required=False, max_length=REASON_MAX),
    }

    def __init__(self, data):
        self.data = data
        self.cleaned_data: dict = {}
        self.errors: dict[str, list[str]] = {}

    def is_valid(self) -> bool:
        self.cleaned_data, self.errors = {}, {}
        for name, field in self.fields.items():
            try:
                self.cleaned_data[name] = field.clean(self.data.get(name))
            except forms.ValidationError as error:
                self.errors[name] = error.messages
        return not self.errors

    def represented_partner(self) -> int | None:
        """``for_partner``: the represented partner's id, or None for one's own
        organisation. Read before validation: it decides which status element
        answers, a refusal included."""
        value = self.data.get("for_partner") or ""
        if not (value.isascii() and value.isdigit()) or len(value) > 19:
            return None
        number = int(value)
        return number if 0 < number <= ID_MAX else None

    def problem(self) -> str:
        """What is wrong with an invalid ballot, in a person's words."""
        if "reason" in self.errors:
            return _("Keep the reason to %(max)s characters or fewer.") % {
                "max": REASON_MAX
            }
        if "poll" in self.errors:
            return _("This vote is not open yet.")
        return _("Choose one of the options of this vote.")


class RecordedBallotForm(forms.Form):
    """A ballot the facilitator records for an organisation present in the room
    (paper or show of hands)."""

    partner = IdField(label=_("Organisation"))
    choice = forms.CharField(max_length=20)
    reason = forms.CharField(
        label=_("Reason (for serious concerns or a block)"),
        required=False,
        max_length=REASON_MAX,
    )


class ProxyForm(forms.Form):
    giver = IdField(label=_("Absent partner"))
    holder = IdField(label=_("Gives its voice to"))


MAJORITY_THRESHOLD_CHOICES = [
    ("1/2", _("Simple majority of yes over yes + no")),
    ("2/3", _("Two-thirds of yes over yes + no")),
]
CONSENSUS_THRESHOLD_CHOICES = [
    ("4/5", _("4 in 5 of those voting (the default)")),
    ("3/4", _("3 in 4 of those voting")),
    ("9/10", _("9 in 10 of those voting")),
    ("1", _("All of those voting")),
]
QUORUM_CHOICES = [
    ("1/2", _("Half of the entitled partners (the default)")),
    ("1/3", _("One third of the entitled partners")),
    ("2/3", _("Two-thirds of the entitled partners")),
]


class PollCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of vote"), choices=Poll.Kind.choices)
    amendment = IdField(label=_("Amendment"), required=False)
    item = IdField(label=_("Agenda item"), required=False)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)
    results_live = forms.BooleanField(
        label=_("Show results while the vote is open"), required=False, initial=True
    )
    majority_threshold = forms.ChoiceField(
        label=_("Amendment adopted by"),
        choices=MAJORITY_THRESHOLD_CHOICES,
        required=False,
        initial="1/2",
    )
    consensus_threshold = forms.ChoiceField(
        label=_("Consensus reached with"),
        choices=CONSENSUS_THRESHOLD_CHOICES,
        required=False,
        initial="4/5",
    )
    quorum = forms.ChoiceField(
        label=_("Quorum"), choices=QUORUM_CHOICES, required=False, initial="1/2"
    )
    countdown_seconds = forms.IntegerField(
        label=_("Countdown (seconds, optional)"),
        required=False,
        min_value=10,
        max_value=3600,
    )

    def clean(self):
        data = super().clean()
        if data.get("secret") and data.get("results_live"):
            raise forms.ValidationError(
                _(
                    "A secret ballot shows only how many organisations voted until "
                    "it closes: untick \"Show results while the vote is open\"."
                ),
                code="secret_live_results",
            )
        return data

    def threshold(self) -> Fraction | None:
        kind = self.cleaned_data["kind"]
        if kind == Poll.Kind.AMENDMENT:
            return Fraction(self.cleaned_data.get("majority_threshold") or "1/2")
        if kind == Poll.Kind.CONSENSUS:
            return Fraction(self.cleaned_data.get("consensus_threshold") or "4/5")
        return tally.TWO_THIRDS

    def consensus_share(self) -> Fraction:
        return Fraction(self.cleaned_data.get("consensus_threshold") or "4/5")

    def quorum_share(self) -> Fraction:
        return Fraction(self.cleaned_data.get("quorum") or "1/2")
