"""Numbers typed into forms: infinity, not-a-number, negative and huge values get
a message, never a 500 (issue 11, item 13: ``minutes=inf`` on the speaker-time
form was an ``OverflowError``).

The cause was arithmetic on a number parsed by hand (``round(float(x) * 60)``):
numbers now go through Django's form fields, which refuse non-finite values
and check ranges before anything is computed. The sweep below sends every
nasty value in every numeric field name the project's forms know to every URL,
as a person allowed to use it, so that a new form with the old habit fails here.
"""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from tests.readable import readable
from tests.security.test_url_matrix import RULES, project_urls, rules_of

pytestmark = pytest.mark.django_db

NASTY = ["inf", "-inf", "nan", "-1", "1e308", "9" * 40, "1e-320", "๙" * 25]
# The sweep sends fewer (each costs a request per URL): one of each kind.
SWEEP = ["inf", "nan", "-1", "1e308", "9" * 40, "๙" * 25]
FORM_MODULES = ["assembly.forms", "agenda.forms", "voting.forms", "resolutions.forms"]
# Numbers read outside a form's declared fields: query parameters of the
# history page (a, b), the clause under discussion, the audit page number, the
# partner a proxy holder votes for.
HAND_READ = {"a", "b", "clause_key", "clause", "page", "for_partner"}
# Who tries a URL: the first of these that its rule allows.
PREFERRED = ["secretariat", "facilitator", "delegate", "staff", "anonymous"]


def numeric_field_names() -> set[str]:
    names = set(HAND_READ)
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm):
                continue
            for name, field in getattr(form, "base_fields", {}).items():
                numeric = isinstance(
                    field, (forms.IntegerField, forms.DecimalField, forms.FloatField)
                )
                coerced = isinstance(field, forms.TypedChoiceField) and field.coerce in (
                    int, float,
                )
                if numeric or coerced:
                    names.add(name)
    return names


def test_the_sweep_knows_the_numeric_fields_of_the_forms():
    names = numeric_field_names()
    for expected in ("minutes", "seconds", "countdown_seconds", "percent", "number"):
        assert expected in names


# --- The speaker-time form (the review's 500) ----------------------------------------


@pytest.fixture
def speaking(cast):
    """Room 1 with a delegate speaking for three minutes."""
    from agenda import speakers

    speakers.speaker_request(room=cast.room, delegate=cast.delegate)
    speakers.speaker_call_next(
        room=cast.room, actor=cast.users["facilitator"], duration_seconds=180
    )
    return cast


def current_duration(cast) -> int:
    from agenda.models import SpeakerRequest

    return SpeakerRequest.objects.get(
        room=cast.room, status=SpeakerRequest.Status.SPEAKING
    ).duration_seconds


@pytest.mark.parametrize("value", NASTY + ["0", "31", "abc", "0.1", "1,5"])
def test_a_speaking_time_that_is_not_a_sensible_number_is_refused_in_place(
    speaking, value
):
    client = speaking.client("facilitator")
    response = client.post(
        reverse("agenda:speaker_time", kwargs={"room_id": speaking.room.pk}),
        {"minutes": value},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422  # the console's answer to bad input
    html = readable(response)
    assert 'role="alert"' in html
    assert "เวลาพูดต้อง" in html  # "The speaking time must ..." in Thai
    assert current_duration(speaking) == 180  # nothing changed


@pytest.mark.parametrize("minutes, seconds", [("2.5", 150), ("๕", 300), ("0.25", 15)])
def test_a_sensible_speaking_time_in_minutes_is_set(speaking, minutes, seconds):
    client = speaking.client("facilitator")
    response = client.post(
        reverse("agenda:speaker_time", kwargs={"room_id": speaking.room.pk}),
        {"minutes": minutes},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert current_duration(speaking) == seconds


def test_a_speaking_time_in_seconds_is_checked_the_same_way(speaking):
    client = speaking.client("facilitator")
    url = reverse("agenda:speaker_time", kwargs={"room_id": speaking.room.pk})
    for value in ("inf", "nan", "-5", "9" * 40):
        response = client.post(url, {"seconds": value}, HTTP_HX_REQUEST="true")
        assert response.status_code == 422, value
    assert current_duration(speaking) == 180


# --- Every numeric field of every form ----------------------------------------------


def _role_for(rule) -> str | None:
    return next((r for r in PREFERRED if r in rule.allowed), None)


@pytest.mark.parametrize("key", sorted(RULES))
def test_no_numeric_input_makes_any_page_fail(cast, key):
    if key not in project_urls():
        pytest.skip(f"{key} is no longer a URL (test_url_matrix says so)")
    names = numeric_field_names() | {f"weight_{cast.resolution.pk}"}
    failures = []
    for rule in rules_of(key):
        role = _role_for(rule)
        if role is None:
            continue
        url = reverse(key, kwargs=rule.kwargs(cast))
        for value in SWEEP:
            client = cast.client(role) if role != "anonymous" else Client()
            data = {**rule.data(cast), **{name: value for name in names}}
            response = getattr(client, rule.method)(url, data)
            if response.status_code >= 500:
                failures.append(f"{rule.method.upper()} {url} {value!r} as {role}")
    assert not failures, "\n".join(failures)


def test_a_huge_id_in_a_url_is_not_found_not_a_failure(cast):
    client = cast.client("secretariat")
    huge = 10**30
    for url in (
        f"/a/{huge}/",
        f"/a/{huge}/secretariat/",
        f"/rooms/{huge}/",
        f"/a/{cast.assembly.pk}/secretariat/items/{huge}/",
    ):
        assert client.get(url).status_code == 404, url
