"""Dates as Thai and English readers expect them.

Thai dates use Thai month names and the Buddhist Era (BE = CE + 543), so the first
Khon Kaen assembly took place on "24 พฤศจิกายน 2566"; in English, "24 November 2023".
The Thai forms come from PyThaiNLP (``thai_strftime``); with ``thai_digits`` they are
written in Thai digits ("๒๔ พฤศจิกายน ๒๕๖๖"), as official documents may be.

``lang`` is a language code as Django gives it ("th", "th-th", "en", "en-us"). Any
Thai code selects Thai; every other code, and an empty one, selects English.
"""

from __future__ import annotations

from datetime import date, datetime

from pythainlp.util import arabic_digit_to_thai_digit, thai_strftime
from pythainlp.util.date import thai_abbr_months, thai_full_months

BUDDHIST_ERA_OFFSET = 543

MONTHS_TH: tuple[str, ...] = tuple(thai_full_months)
MONTHS_TH_SHORT: tuple[str, ...] = tuple(thai_abbr_months)
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


def is_thai_language(lang: str | None) -> bool:
    """True when ``lang`` names Thai ("th", "th-th", "TH_th"), else False."""
    if not lang:
        return False
    return lang.replace("_", "-").split("-")[0].lower() == "th"


def to_thai_digits(text: str) -> str:
    """ "ข้อ 12" -> "ข้อ ๑๒": Arabic digits written as Thai digits, nothing else."""
    return arabic_digit_to_thai_digit(text) if text else text


def display_year(year: int, lang: str | None) -> int:
    """The year as the reader counts it: Buddhist Era in Thai, CE otherwise."""
    return year + BUDDHIST_ERA_OFFSET if is_thai_language(lang) else year


def _english(d: date, *, short: bool, year: bool = True) -> str:
    month = (MONTHS_EN_SHORT if short else MONTHS_EN)[d.month - 1]
    return f"{d.day} {month} {d.year}" if year else f"{d.day} {month}"


def _thai(d: date, fmt: str, thai_digits: bool) -> str:
    return thai_strftime(d, fmt, thaidigit=thai_digits)


def format_date(d: date, lang: str | None, *, thai_digits: bool = False) -> str:
    """ "24 พฤศจิกายน 2566" in Thai, "24 November 2023" otherwise."""
    if is_thai_language(lang):
        return _thai(d, "%-d %B %Y", thai_digits)
    return _english(d, short=False)


def format_date_short(d: date, lang: str | None, *, thai_digits: bool = False) -> str:
    """ "24 พ.ย. 2566" in Thai, "24 Nov 2023" otherwise."""
    if is_thai_language(lang):
        return _thai(d, "%-d %b %Y", thai_digits)
    return _english(d, short=True)


def format_time(dt: datetime, lang: str | None, *, thai_digits: bool = False) -> str:
    """ "14:05 น." in Thai, "14:05" otherwise (24-hour clock in both)."""
    if is_thai_language(lang):
        return _thai(dt, "%H:%M น.", thai_digits)
    return f"{dt.hour:02d}:{dt.minute:02d}"


def format_datetime(
    dt: datetime, lang: str | None, *, short: bool = False, thai_digits: bool = False
) -> str:
    """The date followed by the time, read off ``dt`` as given.

    "24 พฤศจิกายน 2566 14:05 น." in Thai, "24 November 2023 14:05" otherwise;
    with ``short``, the abbreviated month. The caller converts an aware datetime to
    the reader's time zone first: this module knows nothing about zones.
    """
    whole = format_date_short if short else format_date
    day = whole(dt, lang, thai_digits=thai_digits)
    return f"{day} {format_time(dt, lang, thai_digits=thai_digits)}"


def _day_month(d: date, lang: str | None, *, short: bool, thai_digits: bool) -> str:
    if is_thai_language(lang):
        return _thai(d, "%-d %b" if short else "%-d %B", thai_digits)
    return _english(d, short=short, year=False)


def format_date_range(
    start: date,
    end: date,
    lang: str | None,
    *,
    short: bool = False,
    thai_digits: bool = False,
) -> str:
    """A span of days, writing the month and year once where they are shared.

    "24–25 พฤศจิกายน 2566", "30 พฤศจิกายน – 1 ธันวาคม 2566",
    "31 ธันวาคม 2566 – 1 มกราคม 2567"; a single day reads as ``format_date``.
    Raises ``ValueError`` when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"date range ends ({end}) before it starts ({start})")

    def whole(d: date) -> str:
        fmt = format_date_short if short else format_date
        return fmt(d, lang, thai_digits=thai_digits)

    if start == end:
        return whole(start)
    if start.year != end.year:
        return f"{whole(start)} – {whole(end)}"
    if start.month != end.month:
        first = _day_month(start, lang, short=short, thai_digits=thai_digits)
        return f"{first} – {whole(end)}"
    day = to_thai_digits(str(start.day)) if thai_digits and is_thai_language(lang) else start.day
    return f"{day}–{whole(end)}"
