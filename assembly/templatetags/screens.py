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


@register.simple_tag
def under_vote(poll):
    """What a poll decides, in words a screen shows beside the question: for an
    amendment vote the amendment's text with its word diff against the clause it
    changes; for a consensus round or fallback vote the draft version under vote
    (in the plenary, the item's agreed text). None without a poll.

    ``{% under_vote poll as uv %}``. The same for every viewer: it goes into the
    pushed result fragment. Never names the proposing organisation. Read once
    per poll as read: a push renders the same poll in each language.
    """
    if poll is None:
        return None
    from assembly.undervote import text_under_vote

    if "_under_vote" not in poll.__dict__:
        poll.__dict__["_under_vote"] = text_under_vote(poll)
    return poll.__dict__["_under_vote"]
