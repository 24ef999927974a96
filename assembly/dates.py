"""Dates as Thai and English readers expect them. Pure: no Django imports.

Thai dates use Thai month names and the Buddhist Era (BE = CE + 543), so the first
Khon Kaen assembly took place on "24 พฤศจิกายน 2566"; in English, "24 November 2023".

``lang`` is a language code as Django gives it ("th", "th-th", "en", "en-us"). Any
Thai code selects Thai; every other code, and an empty one, selects English.
"""

from __future__ import annotations

from datetime import date, datetime

BUDDHIST_ERA_OFFSET = 543

MONTHS_TH: tuple[str, ...] = (
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
)
MONTHS_TH_SHORT: tuple[str, ...] = (
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
)
MONTHS_EN: tuple[str, ...] = (
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
)
MONTHS_EN_SHORT: tuple[str, ...] = tuple(name[:3] for name in MONTHS_EN)


def is_thai(lang: str | None) -> bool:
    """True when ``lang`` names Thai ("th", "th-th", "TH_th"), else False."""
    if not lang:
        return False
    return lang.replace("_", "-").split("-")[0].lower() == "th"


def display_year(year: int, lang: str | None) -> int:
    """The year as the reader counts it: Buddhist Era in Thai, CE otherwise."""
    return year + BUDDHIST_ERA_OFFSET if is_thai(lang) else year


def _month(month: int, lang: str | None, *, short: bool) -> str:
    if is_thai(lang):
        names = MONTHS_TH_SHORT if short else MONTHS_TH
    else:
        names = MONTHS_EN_SHORT if short else MONTHS_EN
    return names[month - 1]


def _day_month(d: date, lang: str | None, *, short: bool) -> str:
    return f"{d.day} {_month(d.month, lang, short=short)}"


def format_date(d: date, lang: str | None) -> str:
    """ "24 พฤศจิกายน 2566" in Thai, "24 November 2023" otherwise."""
    return f"{_day_month(d, lang, short=False)} {display_year(d.year, lang)}"


def format_date_short(d: date, lang: str | None) -> str:
    """ "24 พ.ย. 2566" in Thai, "24 Nov 2023" otherwise."""
    return f"{_day_month(d, lang, short=True)} {display_year(d.year, lang)}"


def format_time(dt: datetime, lang: str | None) -> str:
    """ "14:05 น." in Thai, "14:05" otherwise (24-hour clock in both)."""
    clock = f"{dt.hour:02d}:{dt.minute:02d}"
    return f"{clock} น." if is_thai(lang) else clock


def format_datetime(dt: datetime, lang: str | None, *, short: bool = False) -> str:
    """The date followed by the time, read off ``dt`` as given.

    "24 พฤศจิกายน 2566 14:05 น." in Thai, "24 November 2023 14:05" otherwise;
    with ``short``, the abbreviated month. The caller converts an aware datetime to
    the reader's time zone first: this module knows nothing about zones.
    """
    day = format_date_short(dt, lang) if short else format_date(dt, lang)
    return f"{day} {format_time(dt, lang)}"


def format_date_range(
    start: date, end: date, lang: str | None, *, short: bool = False
) -> str:
    """A span of days, writing the month and year once where they are shared.

    "24–25 พฤศจิกายน 2566", "30 พฤศจิกายน – 1 ธันวาคม 2566",
    "31 ธันวาคม 2566 – 1 มกราคม 2567"; a single day reads as ``format_date``.
    Raises ``ValueError`` when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"date range ends ({end}) before it starts ({start})")
    whole = format_date_short if short else format_date
    if start == end:
        return whole(start, lang)
    if start.year != end.year:
        return f"{whole(start, lang)} – {whole(end, lang)}"
    if start.month != end.month:
        first = _day_month(start, lang, short=short)
        return f"{first} – {whole(end, lang)}"
    return f"{start.day}–{whole(end, lang)}"
