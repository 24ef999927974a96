"""Template tags for Thai text: line-break hints and word-level diffs.

Load with ``{% load thaitext %}``.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from thai.breaks import line_units
from thai.diff import diff_html

register = template.Library()


@register.filter
def thai_wrap(text: object) -> SafeString:
    """``{{ text|thai_wrap }}``: the text escaped, with ``<wbr>`` between Thai words.

    The value is treated as plain text and every piece is escaped, so markup in it
    is shown, never run. Browsers do not break Thai lines by dictionary everywhere;
    the ``<wbr>`` hints let long clauses wrap between words on phones and projectors.
    """
    if text is None:
        return mark_safe("")
    chunks = line_units(str(text))
    return mark_safe("<wbr>".join(str(conditional_escape(chunk)) for chunk in chunks))


@register.simple_tag
def word_diff(old: object, new: object) -> SafeString:
    """``{% word_diff old new %}``: the word-level diff with ``<del>`` / ``<ins>``.

    Both texts are escaped by :func:`thai.diff.diff_html`; ``None`` counts as "".
    """
    old_text = "" if old is None else str(old)
    new_text = "" if new is None else str(new)
    return mark_safe(diff_html(old_text, new_text))
