"""Template tag for Thai text: word-level diffs. Load with ``{% load thaitext %}``.

Line breaks need no filter: every page and push has its Thai marked to break only
between words (``assembly.thai_html``).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from thai.diff import diff_html

register = template.Library()


@register.simple_tag
def word_diff(old: object, new: object) -> SafeString:
    """``{% word_diff old new %}``: the word-level diff with ``<del>`` / ``<ins>``.

    Both texts are escaped by :func:`thai.diff.diff_html`; ``None`` counts as "".
    """
    old_text = "" if old is None else str(old)
    new_text = "" if new is None else str(new)
    return mark_safe(diff_html(old_text, new_text))
