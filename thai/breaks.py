"""Where a line of Thai may break: between words, never inside a word or a name.

Screens (``thai.html``) and PDFs (``thai.pdf``) both cut text with
:func:`line_units`, so a clause breaks at the same places everywhere.
"""

from __future__ import annotations

from functools import lru_cache

from thai import segment
from thai.chars import COMBINING, NO_BREAK_AFTER, NO_BREAK_BEFORE, is_space, is_thai

__all__ = ["breakable", "line_units", "may_break"]


def may_break(left: str, right: str) -> bool:
    """Whether a line may break between the non-space tokens ``left`` and ``right``.

    Only where at least one side is Thai (Latin words, numbers and URLs are left to
    the renderer, which knows them), never before a combining mark, ``ๆ``, ``ฯ`` or
    closing punctuation, never after opening punctuation.
    """
    before, after = left[-1], right[0]
    if not (is_thai(before) or is_thai(after)):
        return False
    if after in COMBINING or after in NO_BREAK_BEFORE:
        return False
    return before not in NO_BREAK_AFTER


@lru_cache(maxsize=16384)
def _units(text: str, generation: int) -> tuple[str, ...]:
    units: list[str] = []
    inside = segment.inside_own_words(text)
    position = 0
    for token in segment.words(text):
        if (
            units
            and not is_space(token[0])
            and not is_space(units[-1][-1])
            and (position in inside or not may_break(units[-1], token))
        ):
            units[-1] += token
        else:
            units.append(token)
        position += len(token)
    return tuple(units)


def line_units(text: str) -> list[str]:
    """``text`` cut into the units a line may break between.

    A run of whitespace is a unit of its own (it breaks as it always does); between
    two other units a line may break; a unit is never broken inside. A unit is a
    word (``thai.segment``) with what may not be parted from it (``ๆ``, closing
    punctuation, an attached Latin word or number), or a whole name ("นางกฤษณา
    เสมหิรัญ", spaces included); words that overlap one of the assembly's own words
    are one unit with it ("เป็นฐานข้อมูล": ``segment.inside_own_words``). Promises
    ``"".join(line_units(text)) == text``.
    """
    if not text:
        return []
    return list(_units(text, segment.generation()))


def breakable(text: str, sep: str) -> str:
    """``text`` with ``sep`` inserted at each line-break opportunity between words.

    Removing the inserted separators gives ``text`` back; nothing else changes.
    Existing whitespace is left as it is (it already is a break opportunity).
    """
    units = line_units(text)
    out: list[str] = []
    for i, unit in enumerate(units):
        if i and not is_space(unit[0]) and not is_space(units[i - 1][-1]):
            out.append(sep)
        out.append(unit)
    return "".join(out)
