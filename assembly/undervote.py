"""What a poll decides, as text a screen shows (the phone's ballot, the projector).

A read shared by the result fragment and the ballot: a couple of queries, and
the word diff memoised by its two texts (a tally push, several a second in a
burst, does not segment the same Thai again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from agenda.models import AgendaItem, Amendment, DraftVersion


@dataclass(frozen=True)
class UnderVote:
    kind: str  # "amendment" or "draft"
    item: AgendaItem
    # an amendment vote
    amendment_kind: str = ""
    clause_position: int | None = None
    diff_html: str = ""  # escaped text with <ins>/<del>
    # a consensus round or fallback vote
    version_number: int | None = None
    preamble: str = ""
    clauses: list = field(default_factory=list)  # Clause rows, in order
    # a round on all items ("document"): one "draft" part per item, in order
    parts: tuple = ()

    @property
    def amendment_kind_label(self) -> str:
        return Amendment.Kind(self.amendment_kind).label if self.amendment_kind else ""


@lru_cache(maxsize=256)
def diff_html(old: str, new: str) -> str:
    """The word diff of two texts as escaped HTML (memoised by content)."""
    from agenda import selectors

    return selectors.text_diff(old, new).html


def _version_before(amendment: Amendment) -> DraftVersion | None:
    """The version an adopted amendment changed (the current draft holds it)."""
    if not amendment.resulting_version_id:
        return None
    return (
        DraftVersion.objects.filter(
            item_id=amendment.item_id,
            number__lt=amendment.resulting_version.number,
        )
        .order_by("-number")
        .first()
    )


def text_under_vote(poll) -> UnderVote | None:
    from agenda import selectors

    item = poll.item
    if getattr(poll, "all_items", False):
        return UnderVote(
            kind="document",
            item=item,
            parts=tuple(
                _draft(i, i.agreed_version)
                for i in poll.items.select_related("agreed_version").order_by("number")
            ),
        )
    if poll.kind == "amendment" and poll.amendment_id:
        amendment = poll.amendment
        version = _version_before(amendment) or selectors.current_version(item)
        clauses = {c.key: c for c in selectors.version_clauses(version)}
        target = clauses.get(amendment.target_key) if amendment.target_key else None
        current = target.text if target and amendment.kind != "insert" else ""
        new = "" if amendment.kind == "delete" else amendment.text
        return UnderVote(
            kind="amendment",
            item=item,
            amendment_kind=amendment.kind,
            clause_position=target.position if target else None,
            diff_html=diff_html(current, new),
        )
    return _draft(item, poll.version or selectors.current_version(item))


def _draft(item: AgendaItem, version: DraftVersion | None) -> UnderVote:
    from agenda import selectors

    if version is None:
        return UnderVote(kind="draft", item=item)
    return UnderVote(
        kind="draft",
        item=item,
        version_number=version.number,
        preamble=version.preamble,
        clauses=selectors.version_clauses(version),
    )
