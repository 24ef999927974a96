"""How a resolution was adopted, in words, from the figures recorded at adoption."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from resolutions.models import Resolution

COUNT_LABELS = {
    "full": gettext_lazy("full support"),
    "support": gettext_lazy("support"),
    "live": gettext_lazy("can live with it"),
    "concerns": gettext_lazy("serious concerns"),
    "block": gettext_lazy("block"),
    "yes": pgettext_lazy("vote", "yes"),
    "no": pgettext_lazy("vote", "no"),
    "abstain": pgettext_lazy("vote", "abstain"),
}


def figures_of_poll(poll) -> dict:
    """What the record keeps of a closed poll (JSON-serialisable): the figures
    ``figures_text`` puts in words."""
    if poll is None:
        return {}
    return {
        "poll": poll.pk,
        "kind": poll.kind,
        "round": poll.round_number,
        "entitled": poll.entitled_count,
        "present": poll.present_count,
        "voting": poll.voting_count,
        "counts": dict(poll.counts or {}),
        "outcome": dict(poll.outcome or {}),
    }


def figures_text(figures: dict) -> str:
    """ "65 entitled, 58 present; full support 40, support 12 ..." ("" if none)."""
    if not figures:
        return ""
    parts = []
    if figures.get("entitled") is not None:
        parts.append(_("%(n)s entitled") % {"n": figures["entitled"]})
    if figures.get("present") is not None:
        parts.append(_("%(n)s present") % {"n": figures["present"]})
    counts = figures.get("counts") or {}
    tally = [
        f"{COUNT_LABELS[key]} {counts[key]}" for key in COUNT_LABELS if key in counts
    ]
    text = ", ".join(parts)
    if tally:
        text = f"{text}; {', '.join(tally)}" if text else ", ".join(tally)
    return text


def adoption_text(resolution: Resolution) -> str:
    """ "By consensus (65 entitled, 58 present; ...)" or just the method."""
    method = str(resolution.get_method_display())
    figures = figures_text(resolution.figures)
    return f"{method} ({figures})" if figures else method
