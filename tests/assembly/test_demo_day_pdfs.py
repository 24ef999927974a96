"""Issue 12, done when: every PDF of a whole demo day copies back exactly as typed,
and its lines end between words.

Each PDF the app makes, fetched as the person who downloads it, while
``thai.pdf.recording()`` notes every string it sets: the resolutions of the adopted
assembly (Thai, Thai digits, English), the progress reports (the assembly's and
each agency's), the badge sheets of every delegate of both assemblies, the minutes
and the plenary document. Each is read back with poppler's ``pdftotext`` and with
pypdf and compared with those strings (whitespace set aside): zero differences.
Each line ``pdftotext`` reads ends between two words of the source text, never
inside a word or a name. The first page of each goes to test-artifacts/ as a
picture, to be looked at as a Thai reader would.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from assembly import thai_words
from resolutions.models import Resolution
from tests.demo_day import (
    BROKEN_IN_THE_ISSUE,
    data_names,
    demo_day_fixture,
    pdf_line_faults,
)
from tests.pdf_text import both_differences, flat, pdftotext_pages
from thai.breaks import line_units
from thai.pdf import MARGIN, recording

pytestmark = pytest.mark.django_db

User = get_user_model()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def day(django_db_setup, django_db_blocker):
    yield from demo_day_fixture(django_db_blocker)


@pytest.fixture
def client(day):
    thai_words.mark_stale()
    thai_words.ensure_current()
    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    return client


def _fetch(client, url: str, *, language: str = "th", post: dict | None = None):
    """The PDF at ``url`` and the strings it was asked to show."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the language switch
    with recording() as noted:
        if post is None:
            response = client.get(url)
        else:
            response = client.post(url, post)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf", url
    assert noted, f"{url}: nothing noted (the PDF was not built now)"
    return response.content, noted


def _picture(pdf: bytes, name: str) -> None:
    """The PDF and a picture of its first page, kept in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"pdf-{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1",
                    "-singlefile", "-", str(ARTIFACTS / f"pdf-{name}")],
                   input=pdf, check=True, capture_output=True)


def _line_faults(pdf: bytes, noted) -> list[str]:
    names, words = data_names()
    whole = names | {w for w in words if len(w) > 2} | set(BROKEN_IN_THE_ISSUE)
    lines = [line for page in pdftotext_pages(pdf) for line in page.splitlines()]
    return pdf_line_faults(lines, noted, line_units=line_units, names=whole)


def _check(pdf: bytes, noted, name: str, *, margins=(MARGIN, MARGIN)) -> dict:
    _picture(pdf, name)
    found = {}
    differences = both_differences(pdf, noted, margins=margins)
    if differences:
        found["differences"] = differences
    faults = _line_faults(pdf, noted)
    if faults:
        found["line ends"] = faults
    return found


def test_the_resolutions_of_the_adopted_assembly(day, client):
    url = reverse("resolutions:resolutions_pdf", args=[day.first.pk])
    found = {}
    for name, language, query in (("resolutions-th", "th", ""),
                                  ("resolutions-th-digits", "th", "?digits=thai"),
                                  ("resolutions-en", "en", "")):
        pdf, noted = _fetch(client, url + query, language=language)
        if name == "resolutions-th":  # every resolution of the day is there
            text = flat("".join(n.text for n in noted))
            for resolution in Resolution.objects.filter(assembly=day.first):
                assert flat(resolution.text) in text, resolution.number
        found.update({f"{name} {k}": v for k, v in _check(pdf, noted, name).items()})
    assert found == {}


def test_the_progress_reports(day, client):
    found = {}
    url = reverse("resolutions:progress_pdf", args=[day.first.pk])
    for language in ("th", "en"):
        pdf, noted = _fetch(client, url, language=language)
        found.update({f"progress-{language} {k}": v
                      for k, v in _check(pdf, noted, f"progress-{language}").items()})
    owners = {o.pk for r in Resolution.objects.filter(assembly=day.first)
              .prefetch_related("co_owners") for o in r.owners}
    for pk in sorted(owners):
        pdf, noted = _fetch(client, reverse("resolutions:agency_progress_pdf",
                                            args=[day.first.pk, pk]))
        name = f"progress-agency-{pk}"
        found.update({f"{name} {k}": v for k, v in _check(pdf, noted, name).items()})
    assert found == {}


def test_the_badge_sheets_of_every_delegate(day, client):
    found = {}
    for assembly in (day.first, day.second):
        url = reverse("assembly:badges", args=[assembly.pk])
        pdf, noted = _fetch(client, url, post={"scope": "shown"})
        names = {n.text for n in noted}
        for delegate in assembly.partner_set.all().values_list(
                "delegates__name_th", flat=True):
            assert delegate in names
        name = f"badges-{assembly.pk}"
        found.update({f"{name} {k}": v
                      for k, v in _check(pdf, noted, name, margins=None).items()})
    assert found == {}


def test_the_record_of_the_day(day, client):
    found = {}
    for view in ("minutes_pdf", "plenary_pdf"):
        url = reverse(f"records:{view}", args=[day.first.pk])
        for language in ("th", "en"):
            pdf, noted = _fetch(client, url, language=language)
            name = f"{view.replace('_pdf', '')}-{language}"
            found.update({f"{name} {k}": v
                          for k, v in _check(pdf, noted, name).items()})
    assert found == {}
