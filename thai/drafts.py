"""A pasted draft resolution, split into its preamble and numbered clauses.

Thai drafts number their clauses "ข้อ 1", "1.", "1)" or "(1)", in Arabic or Thai
digits ("ข้อ ๑").
"""

from __future__ import annotations

import re

__all__ = ["split_numbered"]

_DIGITS = "0-9๐-๙"
# Marker styles, tried in this order. The number must end the marker: "1.5 ล้าน" and
# "1.1" (a sub-item) are not clause starts.
_NUMBER = rf"([{_DIGITS}]+)(?![{_DIGITS}]|\.[{_DIGITS}])"
_MARKERS: dict[str, re.Pattern[str]] = {
    "kho": re.compile(rf"^ข้อ\s*{_NUMBER}[.):]?\s*"),
    "parenthesised": re.compile(rf"^\({_NUMBER}\)\s*"),
    "dot": re.compile(rf"^{_NUMBER}\.\s*"),
    "paren": re.compile(rf"^{_NUMBER}\)\s*"),
}


def _marker(line: str) -> tuple[str, str] | None:
    """(style, rest of line) if ``line`` starts with a clause number, else None."""
    for style, pattern in _MARKERS.items():
        match = pattern.match(line)
        if match:
            return style, line[match.end() :]
    return None


def _join(lines: list[str]) -> str:
    return "\n".join(stripped for line in lines if (stripped := line.strip()))


def split_numbered(text: str) -> tuple[str, list[str]]:
    """Split a pasted draft resolution into ``(preamble, clauses)``.

    A clause starts at a line (leading whitespace ignored) that begins with
    ``ข้อ 1``, ``1.``, ``1)`` or ``(1)``, in Arabic or Thai digits (``ข้อ ๑``, ``๑.``).
    The first marker found fixes the style: later lines in another style, such as
    ``(1)`` sub-items under ``ข้อ 1``, continue the current clause. The marker is
    removed; each line is stripped, blank lines are dropped, and a clause's lines are
    joined with ``"\\n"``. Lines before the first marker form the preamble. Clauses
    left empty are dropped.

    Text with no marker at all gives ``("", paragraphs)``: each block of lines
    separated by a blank line becomes one clause, so an unnumbered draft can still be
    pasted paragraph by paragraph.
    """
    lines = [line.strip() for line in text.splitlines()]
    style: str | None = None
    preamble: list[str] = []
    clauses: list[list[str]] = []
    for line in lines:
        found = _marker(line)
        if found and (style is None or found[0] == style):
            style = found[0]
            clauses.append([found[1].strip()])
        elif clauses:
            clauses[-1].append(line)
        else:
            preamble.append(line)
    if style is None:
        paragraphs = re.split(r"\n\s*\n", text.strip())
        return "", [p for p in (_join(p.splitlines()) for p in paragraphs) if p]
    bodies = [_join(clause) for clause in clauses]
    return _join(preamble), [body for body in bodies if body]
