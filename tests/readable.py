"""Pages and pushes as a reader meets them.

``readable``: the HTML without the Thai line-break marking (``thai.html``: ``<th-w>``
words, ``<wbr>`` between them), so that a test can look for a Thai phrase as it
reads. ``thai_left_unmarked``: the Thai a browser could still break inside a word.
"""

from __future__ import annotations

from html.parser import HTMLParser

from thai.chars import THAI
from thai.html import unmark


def readable(page) -> str:
    """``page`` (a response, bytes or str) as HTML without the Thai marking."""
    if hasattr(page, "content"):
        page = page.content
    if isinstance(page, bytes):
        page = page.decode()
    return unmark(page)


# Where Thai is rightly left as it is: raw text, preformatted text, native controls.
_NOT_MARKED = {"script", "style", "textarea", "title", "pre", "option", "select",
               "svg", "math", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if not THAI.search(data):
            return
        if "th-w" in self.stack or _NOT_MARKED & set(self.stack):
            return
        self.found.append(data.strip())


def thai_left_unmarked(page) -> list[str]:
    """The Thai texts of ``page`` that a browser could break inside a word: text
    outside every ``<th-w>`` (raw text, ``pre`` and native controls excepted).

    A parser of its own (the standard library's), not ``thai.html``'s scanner, so
    that it checks the marking rather than repeating it.
    """
    if hasattr(page, "content"):
        page = page.content
    if isinstance(page, bytes):
        page = page.decode()
    finder = _Finder()
    finder.feed(page)
    finder.close()
    return finder.found
