"""Template helpers of the design system (DEVELOPERS.md, "Screens")."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def aria_current(context, url: str) -> str:
    """`` aria-current="page"`` when ``url`` is the page being shown, for a link
    of a navigation: ``<a href="{{ u }}"{% aria_current u %}>``."""
    request = context.get("request")
    if request is not None and url and request.path == url:
        return mark_safe(' aria-current="page"')  # a constant: nothing to escape
    return ""
