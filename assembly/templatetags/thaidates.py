"""Template filters for dates in the reader's language.

Load with ``{% load thaidates %}``. Thai readers get Thai month names and the
Buddhist Era ("24 พฤศจิกายน 2566"); every other language gets English
("24 November 2023"). Aware datetimes are shown in the current time zone.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from thai import dates

register = template.Library()


def _local(value: date) -> date:
    """An aware datetime moved to the current time zone; anything else unchanged."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter(expects_localtime=False)
def date_local(value: date | None) -> str:
    """``{{ d|date_local }}``: "24 พฤศจิกายน 2566" / "24 November 2023"; "" for none."""
    if not isinstance(value, date):
        return ""
    return dates.format_date(_local(value), get_language())


@register.filter(expects_localtime=False)
def date_local_short(value: date | None) -> str:
    """``{{ d|date_local_short }}``: "24 พ.ย. 2566" / "24 Nov 2023"; "" for none."""
    if not isinstance(value, date):
        return ""
    return dates.format_date_short(_local(value), get_language())


@register.filter(expects_localtime=False)
def datetime_local(value: datetime | date | None) -> str:
    """``{{ dt|datetime_local }}``: "24 พฤศจิกายน 2566 14:05 น." / "… 2023 14:05".

    A plain date (no time of day) is shown as a date; "" for none.
    """
    if not isinstance(value, date):
        return ""
    if not isinstance(value, datetime):
        return dates.format_date(value, get_language())
    return dates.format_datetime(_local(value), get_language())
