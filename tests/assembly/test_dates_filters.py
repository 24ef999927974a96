"""The date filters show dates in the reader's language and time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

ASSEMBLY_DAY = date(2023, 11, 24)
# 07:05 UTC is 14:05 in Khon Kaen (Asia/Bangkok, UTC+7).
AFTERNOON_SESSION = datetime(2023, 11, 24, 7, 5, tzinfo=UTC)


def render(template: str, lang: str, **context: object) -> str:
    with translation.override(lang), timezone.override("Asia/Bangkok"):
        return Template("{% load thaidates %}" + template).render(Context(context))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("th", "24 พฤศจิกายน 2566"), ("en", "24 November 2023")],
)
def test_date_local_follows_the_active_language(lang: str, expected: str) -> None:
    assert render("{{ d|date_local }}", lang, d=ASSEMBLY_DAY) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("th", "24 พ.ย. 2566"), ("en", "24 Nov 2023")],
)
def test_date_local_short(lang: str, expected: str) -> None:
    assert render("{{ d|date_local_short }}", lang, d=ASSEMBLY_DAY) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("th", "24 พฤศจิกายน 2566 14:05 น."), ("en", "24 November 2023 14:05")],
)
def test_datetime_local_shows_bangkok_time(lang: str, expected: str) -> None:
    rendered = render("{{ dt|datetime_local }}", lang, dt=AFTERNOON_SESSION)
    assert rendered == expected


def test_an_aware_datetime_near_midnight_falls_on_the_local_day() -> None:
    # 31 Dec 2023, 20:00 UTC is already 1 January 2567 BE in Khon Kaen.
    new_year = datetime(2023, 12, 31, 20, 0, tzinfo=UTC)
    assert render("{{ dt|date_local }}", "th", dt=new_year) == "1 มกราคม 2567"
    assert render("{{ dt|date_local_short }}", "en", dt=new_year) == "1 Jan 2024"


def test_a_language_other_than_thai_reads_as_english() -> None:
    assert render("{{ d|date_local }}", "de", d=ASSEMBLY_DAY) == "24 November 2023"


@pytest.mark.parametrize("name", ["date_local", "date_local_short", "datetime_local"])
def test_a_missing_date_renders_as_nothing(name: str) -> None:
    assert render(f"[{{{{ d|{name} }}}}]", "th", d=None) == "[]"
    assert render(f"[{{{{ missing|{name} }}}}]", "th") == "[]"


def test_datetime_local_shows_a_plain_date_without_a_time() -> None:
    assert render("{{ d|datetime_local }}", "th", d=ASSEMBLY_DAY) == (
        "24 พฤศจิกายน 2566"
    )
