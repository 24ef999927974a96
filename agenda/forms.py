"""Input validation for drafts and amendments (validation only: the services
decide and change things, and check everything again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agenda import drafting
from agenda.models import RATIONALE_MAX, TEXT_MAX, Amendment, Clause
from agenda.services.drafts import PASTE_MAX
from thai.drafts import split_numbered

START = ""  # the target choice "at the start" for an insert


def _clause_label(clause: Clause) -> str:
    text = clause.text if len(clause.text) <= 60 else clause.text[:59] + "…"
    return _("Clause %(position)s: %(text)s") % {"position": clause.position,
                                                "text": text}


class AmendmentForm(forms.Form):
    """Propose an amendment to a version's clauses.

    ``clauses``: the current version's clauses, in order (for the target choice and
    the "same as the clause" check). ``cleaned_data["target_key"]`` is an int, or
    None for an insert at the start.
    """

    kind = forms.ChoiceField(label=_("What the amendment does"),
                             choices=Amendment.Kind.choices)
    target_key = forms.TypedChoiceField(label=_("Clause"), coerce=int,
                                        empty_value=None, required=False)
    text = forms.CharField(label=_("Proposed text"), required=False,
                           max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 5}))
    rationale = forms.CharField(label=_("Rationale"), required=False,
                                max_length=RATIONALE_MAX,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, clauses: list[Clause], **kwargs):
        super().__init__(*args, **kwargs)
        self.clauses = {c.key: c for c in clauses}
        self.fields["target_key"].choices = [
            (START, _("At the start (for a new clause)")),
            *[(c.key, _clause_label(c)) for c in clauses],
        ]

    def clean(self):
        data = super().clean()
        kind, key = data.get("kind"), data.get("target_key")
        text = (data.get("text") or "").strip()
        if kind is None or "target_key" in self.errors:
            return data
        if kind != Amendment.Kind.INSERT and key is None:
            self.add_error("target_key", _("Choose the clause to change."))
        if kind == Amendment.Kind.DELETE:
            data["text"] = ""
        elif not text:
            self.add_error("text", _("Enter the proposed text."))
        elif kind == Amendment.Kind.REPLACE and key in self.clauses and (
            drafting.normalise(text) == drafting.normalise(self.clauses[key].text)
        ):
            self.add_error("text",
                           _("The proposed text is the same as the current clause."))
        return data


class AmendmentReviseForm(forms.Form):
    """Update a pending amendment's text and rationale."""

    text = forms.CharField(label=_("Proposed text"), required=False,
                           max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 5}))
    rationale = forms.CharField(label=_("Rationale"), required=False,
                                max_length=RATIONALE_MAX,
                                widget=forms.Textarea(attrs={"rows": 3}))


class DraftPasteForm(forms.Form):
    """Paste a whole numbered draft; ``cleaned_data["preamble"]`` and
    ``cleaned_data["clauses"]`` hold the split."""

    text = forms.CharField(
        label=_("Draft resolution"), max_length=PASTE_MAX,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Number each clause: ข้อ 1, 1. or (1). Text before the first "
                    "clause is the preamble."),
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        preamble, clauses = split_numbered(text)
        if not clauses:
            raise forms.ValidationError(_("A draft needs at least one clause."))
        if len(preamble) > TEXT_MAX:
            raise forms.ValidationError(
                _("The preamble is too long: %(length)s characters; the limit is "
                  "%(limit)s.") % {"length": f"{len(preamble):,}",
                                   "limit": f"{TEXT_MAX:,}"})
        for position, clause in enumerate(clauses, start=1):
            if len(clause) > TEXT_MAX:
                raise forms.ValidationError(
                    _("Clause %(position)s is too long: %(length)s characters; the "
                      "limit is %(limit)s.")
                    % {"position": position, "length": f"{len(clause):,}",
                       "limit": f"{TEXT_MAX:,}"})
        self.cleaned_data["preamble"], self.cleaned_data["clauses"] = preamble, clauses
        return text


class RuleOutForm(forms.Form):
    """The facilitator's reason for ruling an amendment out of order."""

    reason = forms.CharField(label=_("Reason"), max_length=RATIONALE_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={
                                 "required": _("Give the reason for ruling it out.")})
