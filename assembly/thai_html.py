"""Thai line breaks on every page and every push, by one mechanism.

:class:`ThaiLineBreakMiddleware` marks the Thai text of every ``text/html``
response, and ``assembly.realtime.render_fragment`` marks every pushed fragment,
with ``thai.html.mark``: each word is a ``<th-w>`` the browser never breaks inside
(``static/css/samatcha.css``), with ``<wbr>`` between words. Template authors write
text plainly; nothing to remember (DEVELOPERS.md, "Thai").
"""

from __future__ import annotations

from assembly import thai_words
from thai.html import mark


def mark_fragment(html: str) -> str:
    """A rendered fragment (a push) with its Thai marked like the pages'."""
    thai_words.ensure_current()
    return mark(html)


class ThaiLineBreakMiddleware:
    """Mark the Thai text of every HTML response (pages and htmx partials)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        thai_words.ensure_current()
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (
            getattr(response, "streaming", False)
            or not content_type.startswith("text/html")
            or response.get("Content-Encoding")
        ):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset)
        marked = mark(html)
        if marked is not html:
            response.content = marked.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
