"""A server-rendered SVG line chart of a resolution's progress over time.

No JavaScript and no Django imports: the caller passes already-translated strings
(title, description, date labels) and gets back one ``<svg>`` element to put inline
in a page or a PDF pipeline. Colours come from ``currentColor`` so the page's CSS
decides them; class names (``chart-grid``, ``chart-line``, ...) allow finer styling.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from html import escape as _html_escape

Y_TICKS = (0, 25, 50, 75, 100)

# Room for the y labels ("100%") on the left and the date labels underneath.
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 16, 12, 28


def _num(value: float) -> str:
    """Format a coordinate compactly: 40, 40.5 (one decimal is plenty on screen)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


# Characters XML 1.0 cannot carry even escaped (C0 controls but tab and newlines,
# lone surrogates, U+FFFE/U+FFFF); dropping them keeps the SVG well-formed.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Escape text for an SVG element or a double-quoted attribute."""
    return _html_escape(_NOT_XML.sub("", text), quote=True)


def _validate(points: Sequence[tuple[date, int]], width: int, height: int) -> None:
    if width <= _LEFT + _RIGHT or height <= _TOP + _BOTTOM:
        raise ValueError(f"chart too small: {width}x{height}")
    for day, percent in points:
        if not isinstance(day, date):
            raise ValueError(f"not a date: {day!r}")
        if isinstance(percent, bool) or not isinstance(percent, int):
            raise ValueError(f"percent must be an int, got {percent!r}")
        if not 0 <= percent <= 100:
            raise ValueError(f"percent must be between 0 and 100, got {percent}")


def percent_chart_svg(
    points: Sequence[tuple[date, int]],
    *,
    width: int = 640,
    height: int = 240,
    title: str,
    date_label: Callable[[date], str] = str,
    description: str | None = None,
) -> str:
    """Return an accessible SVG line chart of percent progress over time.

    The y axis runs 0–100 with gridlines at 0, 25, 50, 75 and 100; the x axis is
    time, labelled with the first and last dates (via ``date_label``). Points are
    drawn in date order (updates of the same day keep their given order and share an
    x position); the polyline has exactly one vertex per point, and each point gets a
    marker whose tooltip is "<date label>: <percent>%". One point, or all points on
    one day, sit in the middle; no points gives the empty axes.

    The root carries ``role="img"``, an ``aria-label`` (``description`` if given,
    else ``title``), a ``<title>`` and, if given, a ``<desc>``. Every caller string
    is escaped. Raises ValueError on a percent outside 0–100 or a too-small size.
    """
    _validate(points, width, height)
    ordered = sorted(points, key=lambda point: point[0])  # stable: same-day order kept
    plot_w = width - _LEFT - _RIGHT
    plot_h = height - _TOP - _BOTTOM
    bottom = _TOP + plot_h

    def y_of(percent: int) -> float:
        return bottom - plot_h * percent / 100

    first = ordered[0][0] if ordered else date.min
    last = ordered[-1][0] if ordered else date.min
    span = (last - first).days

    def x_of(day: date) -> float:
        if span == 0:
            return _LEFT + plot_w / 2
        return _LEFT + plot_w * (day - first).days / span

    label = description if description is not None else title
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}">',
        f"<title>{escape(title)}</title>",
    ]
    if description is not None:
        parts.append(f"<desc>{escape(description)}</desc>")

    parts.append('<g class="chart-grid" stroke="currentColor" stroke-opacity="0.2">')
    for tick in Y_TICKS:
        y = _num(y_of(tick))
        parts.append(f'<line x1="{_LEFT}" y1="{y}" x2="{_LEFT + plot_w}" y2="{y}"/>')
    parts.append("</g>")

    parts.append(
        '<g class="chart-labels" fill="currentColor" font-size="12" aria-hidden="true">'
    )
    for tick in Y_TICKS:
        y = _num(y_of(tick) + 4)  # +4 centres 12px text on its gridline
        parts.append(f'<text x="{_LEFT - 6}" y="{y}" text-anchor="end">{tick}%</text>')
    if ordered:
        y = _num(bottom + 18)
        if span == 0:
            anchors = [(x_of(first), "middle", first)]
        else:
            anchors = [(_LEFT, "start", first), (_LEFT + plot_w, "end", last)]
        for x, anchor, day in anchors:
            parts.append(
                f'<text x="{_num(x)}" y="{y}" text-anchor="{anchor}">'
                f"{escape(date_label(day))}</text>"
            )
    parts.append("</g>")

    if ordered:
        coords = " ".join(f"{_num(x_of(d))},{_num(y_of(p))}" for d, p in ordered)
        parts.append(
            f'<polyline class="chart-line" points="{coords}" fill="none" '
            f'stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>'
        )
        parts.append('<g class="chart-points" fill="currentColor">')
        for day, percent in ordered:
            tip = f"{date_label(day)}: {percent}%"
            parts.append(
                f'<circle cx="{_num(x_of(day))}" cy="{_num(y_of(percent))}" r="3.5">'
                f"<title>{escape(tip)}</title></circle>"
            )
        parts.append("</g>")

    parts.append("</svg>")
    return "\n".join(parts)
