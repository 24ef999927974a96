"""Thai and English dates: Thai month names and the Buddhist Era."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from thai.dates import (
    format_date,
    format_date_range,
    format_date_short,
    format_datetime,
    to_thai_digits,
)

ASSEMBLY_DAY = date(2023, 11, 24)

THAI_MONTHS = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
]
THAI_MONTHS_SHORT = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
]
ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def test_the_assembly_day_in_thai_uses_the_buddhist_era() -> None:
    assert format_date(ASSEMBLY_DAY, "th") == "24 พฤศจิกายน 2566"


def test_the_assembly_day_in_english() -> None:
    assert format_date(ASSEMBLY_DAY, "en") == "24 November 2023"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_thai_month_name(month: int) -> None:
    d = date(2024, month, 1)
    assert format_date(d, "th") == f"1 {THAI_MONTHS[month - 1]} 2567"
    assert format_date_short(d, "th") == f"1 {THAI_MONTHS_SHORT[month - 1]} 2567"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_english_month_name(month: int) -> None:
    d = date(2024, month, 9)
    name = ENGLISH_MONTHS[month - 1]
    assert format_date(d, "en") == f"9 {name} 2024"
    assert format_date_short(d, "en") == f"9 {name[:3]} 2024"


def test_the_buddhist_era_turns_over_with_the_calendar_year() -> None:
    assert format_date(date(2023, 12, 31), "th") == "31 ธันวาคม 2566"
    assert format_date(date(2024, 1, 1), "th") == "1 มกราคม 2567"


def test_short_dates() -> None:
    assert format_date_short(ASSEMBLY_DAY, "th") == "24 พ.ย. 2566"
    assert format_date_short(ASSEMBLY_DAY, "en") == "24 Nov 2023"


def test_the_day_has_no_leading_zero() -> None:
    assert format_date(date(2023, 11, 5), "th") == "5 พฤศจิกายน 2566"


@pytest.mark.parametrize("lang", ["th", "th-th", "TH", "th_TH"])
def test_any_thai_language_code_reads_as_thai(lang: str) -> None:
    assert format_date(ASSEMBLY_DAY, lang) == "24 พฤศจิกายน 2566"


@pytest.mark.parametrize("lang", ["en", "en-us", "de", "", None])
def test_every_other_language_reads_as_english(lang: str | None) -> None:
    assert format_date(ASSEMBLY_DAY, lang) == "24 November 2023"


def test_datetimes_add_a_24_hour_clock() -> None:
    dt = datetime(2023, 11, 24, 14, 5)
    assert format_datetime(dt, "th") == "24 พฤศจิกายน 2566 14:05 น."
    assert format_datetime(dt, "en") == "24 November 2023 14:05"
    assert format_datetime(dt, "th", short=True) == "24 พ.ย. 2566 14:05 น."


def test_morning_times_keep_their_leading_zero() -> None:
    dt = datetime(2024, 1, 1, 8, 30)
    assert format_datetime(dt, "th") == "1 มกราคม 2567 08:30 น."
    assert format_datetime(dt, "en") == "1 January 2024 08:30"


def test_a_range_within_one_month_names_the_month_once() -> None:
    start, end = date(2023, 11, 24), date(2023, 11, 25)
    assert format_date_range(start, end, "th") == "24–25 พฤศจิกายน 2566"
    assert format_date_range(start, end, "en") == "24–25 November 2023"


def test_a_range_across_months_names_the_year_once() -> None:
    start, end = date(2023, 11, 30), date(2023, 12, 1)
    assert format_date_range(start, end, "th") == "30 พฤศจิกายน – 1 ธันวาคม 2566"
    assert format_date_range(start, end, "en") == "30 November – 1 December 2023"


def test_a_range_across_the_new_year_names_both_years() -> None:
    start, end = date(2023, 12, 31), date(2024, 1, 1)
    assert format_date_range(start, end, "th") == "31 ธันวาคม 2566 – 1 มกราคม 2567"
    assert format_date_range(start, end, "en", short=True) == (
        "31 Dec 2023 – 1 Jan 2024"
    )


def test_a_one_day_range_is_the_date() -> None:
    assert format_date_range(ASSEMBLY_DAY, ASSEMBLY_DAY, "th") == "24 พฤศจิกายน 2566"


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        format_date_range(date(2023, 11, 25), date(2023, 11, 24), "th")


def test_thai_digits_for_a_document_that_asks_for_them() -> None:
    assert format_date(ASSEMBLY_DAY, "th", thai_digits=True) == "๒๔ พฤศจิกายน ๒๕๖๖"
    assert format_date_short(ASSEMBLY_DAY, "th", thai_digits=True) == "๒๔ พ.ย. ๒๕๖๖"
    assert (
        format_date_range(ASSEMBLY_DAY, date(2023, 11, 25), "th", thai_digits=True)
        == "๒๔–๒๕ พฤศจิกายน ๒๕๖๖"
    )
    # English keeps its digits whatever a Thai document asks for.
    assert format_date(ASSEMBLY_DAY, "en", thai_digits=True) == "24 November 2023"


def test_thai_digits_change_digits_and_nothing_else() -> None:
    assert to_thai_digits("ข้อ 12 (ร้อยละ 60.5)") == "ข้อ ๑๒ (ร้อยละ ๖๐.๕)"
    assert to_thai_digits("") == ""
