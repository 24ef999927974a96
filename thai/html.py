"""Thai line breaks marked in HTML, so a browser breaks only between words.

Browsers break Thai with their own dictionary (Chromium: ICU's), which cuts
"ผู้/แทน", "ด้วย/ดี" and every name it does not know. :func:`mark` rewrites the
text of an HTML page or fragment so that each unit of ``thai.breaks.line_units``
that holds Thai is a ``<th-w>`` element (``white-space: nowrap`` in the stylesheet:
never broken inside), with ``<wbr>`` between units (a break is allowed there, and
nowhere else). A text node of several units is wrapped in one ``<th-t>``, so a flex
or grid container still sees one item.

Measured in Chromium (tests/browser/test_thai_breaks.py): ``word-break: keep-all``
and zero-width spaces do not stop ICU breaking inside Thai words; nowrap elements do.

Untouched: tags and attribute values, comments, and the content of ``script``,
``style``, ``textarea``, ``title`` (raw text), ``pre``, ``option``, ``select``,
``svg``, ``math`` and of elements already marked. Text without Thai costs one
regular-expression search.
"""

from __future__ import annotations

import re
from functools import lru_cache

from thai import segment
from thai.breaks import line_units
from thai.chars import THAI, is_space

__all__ = ["UNIT", "WRAPPER", "mark", "mark_text", "unmark"]

UNIT = "th-w"
WRAPPER = "th-t"
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
_SKIP = frozenset({"pre", "option", "select", "svg", "math", "template", UNIT, WRAPPER})
_TAG = re.compile(
    r"""<!--.*?-->"""  # comment
    r"""|<![^>]*>"""  # doctype, CDATA
    r"""|<\?[^>]*>"""
    r"""|<(/?)([A-Za-z][^\s/>]*)"""  # tag name
    r"""((?:[^>"']|"[^"]*"|'[^']*')*)>""",  # attributes, quoted values may hold ">"
    re.S,
)
_MARKUP = re.compile(rf"</?(?:{UNIT}|{WRAPPER})>|<wbr>")


@lru_cache(maxsize=32768)
def _marked(text: str, generation: int) -> str:
    units = line_units(text)
    solid = [i for i, unit in enumerate(units) if not is_space(unit[0])]
    first, last = solid[0], solid[-1]
    out: list[str] = []
    for i in range(first, last + 1):
        unit = units[i]
        if is_space(unit[0]):
            out.append(unit)
            continue
        if i > first and not is_space(units[i - 1][-1]):
            out.append("<wbr>")
        out.append(f"<{UNIT}>{unit}</{UNIT}>" if THAI.search(unit) else unit)
    body = "".join(out)
    if len(solid) > 1:
        body = f"<{WRAPPER}>{body}</{WRAPPER}>"
    return "".join(units[:first]) + body + "".join(units[last + 1 :])


def mark_text(text: str) -> str:
    """One text node (HTML-escaped text, no tags) with its Thai units marked.

    Entities are never split: a break goes only next to a Thai letter.
    """
    if not THAI.search(text):
        return text
    return _marked(text, segment.generation())


def mark(html: str) -> str:
    """``html`` (a page or a fragment) with every Thai text node marked.

    Promises that removing the marking (:func:`unmark`) gives ``html`` back, and
    that marking twice changes nothing more than marking once.
    """
    if not THAI.search(html):
        return html
    out: list[str] = []
    skipping: dict[str, int] = {}
    position = 0
    length = len(html)
    while position < length:
        match = _TAG.search(html, position)
        end = match.start() if match else length
        if end > position:
            text = html[position:end]
            out.append(text if skipping else mark_text(text))
        if not match:
            break
        out.append(match.group(0))
        position = match.end()
        name = (match.group(2) or "").lower()
        if not name:
            continue
        closing = match.group(1) == "/"
        self_closing = match.group(3).rstrip().endswith("/")
        if name in _RAW_TEXT and not closing:
            close = re.compile(rf"</{name}\s*>", re.I).search(html, position)
            stop = close.start() if close else length
            out.append(html[position:stop])
            position = stop
        elif name in _SKIP and not self_closing:
            if closing:
                if skipping.get(name):
                    skipping[name] -= 1
                    if not skipping[name]:
                        del skipping[name]
            else:
                skipping[name] = skipping.get(name, 0) + 1
    return "".join(out)


def unmark(html: str) -> str:
    """``html`` without the marking :func:`mark` adds (for tests and comparisons)."""
    return _MARKUP.sub("", html)
