"""Classes of characters that Thai line breaking and typesetting care about."""

from __future__ import annotations

import re

THAI_FIRST, THAI_LAST = "\u0e00", "\u0e7f"
# Any Thai character: a cheap test of whether a text needs the Thai machinery.
THAI = re.compile(r"[\u0e00-\u0e7f]")
# Vowel and tone marks that sit on a base consonant: a break before one would split
# a character cluster.
COMBINING = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a") | {
    chr(c) for c in range(0x0E47, 0x0E4F)
}
# A line must not start with a repetition mark, an abbreviation mark or closing
# punctuation, nor end with opening punctuation.
NO_BREAK_BEFORE = frozenset("ๆฯ)]}”’».,;:!?%")
NO_BREAK_AFTER = frozenset("([{“‘«")
# Characters that already are a break opportunity (besides str.isspace()).
ZERO_WIDTH_BREAKS = frozenset("\u200b")


def is_thai(char: str) -> bool:
    """Whether ``char`` (a single character) is in the Thai Unicode block."""
    return THAI_FIRST <= char <= THAI_LAST


def has_thai(text: str) -> bool:
    """Whether ``text`` holds at least one Thai character."""
    return THAI.search(text) is not None


def is_space(char: str) -> bool:
    """Whitespace, or a character that already is a break opportunity."""
    return char.isspace() or char in ZERO_WIDTH_BREAKS
