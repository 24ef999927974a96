"""Input validation of the agenda forms."""

from __future__ import annotations

import pytest
from django.utils import translation

from agenda.forms import AmendmentForm, DraftPasteForm, RuleOutForm
from agenda.models import Clause


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


CLAUSES = [Clause(position=1, key=1, text="ให้ภาคีเครือข่ายเฝ้าระวัง ติดตาม"),
           Clause(position=2, key=5, text="ให้เผยแพร่ต่อสาธารณะ")]


def form(**data):
    return AmendmentForm(data=data, clauses=CLAUSES)


def test_a_valid_replace():
    f = form(kind="replace", target_key="5", text=" ให้เผยแพร่ทุกช่องทาง ", rationale="")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["target_key"] == 5


def test_an_insert_at_the_start_has_no_target():
    f = form(kind="insert", target_key="", text="ข้อใหม่")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["target_key"] is None


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"kind": "replace", "target_key": "5", "text": ""}, "text",
     "Enter the proposed text."),
    ({"kind": "replace", "target_key": "", "text": "x"}, "target_key",
     "Choose the clause to change."),
    ({"kind": "replace", "target_key": "9", "text": "x"}, "target_key",
     "Select a valid choice."),
    ({"kind": "replace", "target_key": "5", "text": " ให้เผยแพร่ต่อสาธารณะ\n"}, "text",
     "The proposed text is the same as the current clause."),
    ({"kind": "replace", "target_key": "5", "text": "ก" * 5001}, "text",
     "at most 5000 characters"),
    ({"kind": "delete", "target_key": "1", "rationale": "ก" * 2001}, "rationale",
     "at most 2000 characters"),
])
def test_amendment_form_refusals(data, field, message):
    f = form(**data)
    assert not f.is_valid()
    assert any(message in e for e in f.errors[field]), f.errors


def test_a_delete_drops_its_text():
    f = form(kind="delete", target_key="1", text="ไม่ใช้")
    assert f.is_valid()
    assert f.cleaned_data["text"] == ""


def test_paste_form_splits_the_draft():
    f = DraftPasteForm(data={"text": "ส่วนนำ\n1. ข้อแรก\n2. ข้อสอง"})
    assert f.is_valid(), f.errors
    assert f.cleaned_data["preamble"] == "ส่วนนำ"
    assert f.cleaned_data["clauses"] == ["ข้อแรก", "ข้อสอง"]


def test_paste_form_refuses_an_oversized_clause():
    f = DraftPasteForm(data={"text": "1. " + "ก" * 5001})
    assert not f.is_valid()
    assert "Clause 1 is too long" in f.errors["text"][0]


def test_rule_out_needs_a_reason():
    f = RuleOutForm(data={"reason": "  "})
    assert not f.is_valid()
    assert f.errors["reason"] == ["Give the reason for ruling it out."]
