"""The vote-counting rules of an assembly: pure, exact arithmetic.

A partner organisation holds one voice, so every count here is a count of
organisations, never of people. No Django imports: this module is tested without a
database and is the single place where "adopted" and "reached" are decided.

Decisions use ``fractions.Fraction`` only; floats appear solely in the display fields
of ``as_dict()``. In ``as_dict()`` every exact share is a string that ``Fraction()``
parses back ("4/5", "1", "0"), and a ``*_percent`` twin carries the same share as a
float percentage rounded to one decimal, for display only.

The rules:

- Quorum (องค์ประชุม): at least ``ceil(share * entitled)`` partners present, and at
  least one partner entitled.
- Majority of those voting (amendments): ``share_yes = yes / (yes + no)``; abstentions
  count in ``voting`` but not in the share. With the simple-majority threshold 1/2 a
  motion needs strictly more than half (a tie fails); with any other threshold ``t`` it
  needs ``share_yes >= t`` (so exactly two-thirds passes a two-thirds rule). No yes or
  no votes at all: not adopted.
- Consensus (ฉันทามติ): reached iff quorum holds, nobody blocks, at least one partner
  voted, and ``supporting / voting >= threshold`` (4/5 by default), where supporting
  partners chose one of the three support levels and ``voting`` is every partner that
  chose anything on the gradient.
- Qualified-majority fallback: adopted iff at least one partner is present and
  ``yes >= 2/3 * present``: two-thirds of the partners PRESENT, so abstaining or not
  voting weighs like a no.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any


class Choice(StrEnum):
    """A ballot on an amendment or in a qualified-majority fallback."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Gradient(StrEnum):
    """A ballot on the consensus gradient, from most to least supportive."""

    FULL = "full"  # full support
    SUPPORT = "support"
    LIVE = "live"  # can live with it
    CONCERNS = "concerns"  # serious concerns
    BLOCK = "block"


MAJORITY_CHOICES: tuple[str, ...] = tuple(c.value for c in Choice)
CONSENSUS_CHOICES: tuple[str, ...] = tuple(g.value for g in Gradient)
SUPPORT_LEVELS: frozenset[str] = frozenset(
    {Gradient.FULL.value, Gradient.SUPPORT.value, Gradient.LIVE.value}
)

SIMPLE_MAJORITY = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)
CONSENSUS_THRESHOLD = Fraction(4, 5)
DEFAULT_QUORUM_SHARE = Fraction(1, 2)

# Why a consensus poll failed; stable codes for templates and JSON.
NO_QUORUM = "no_quorum"
NO_VOTES = "no_votes"
BLOCKED = "blocked"
BELOW_THRESHOLD = "below_threshold"


def _check_share(name: str, share: Fraction) -> None:
    if not isinstance(share, Fraction) or not 0 < share <= 1:
        raise ValueError(f"{name} must be a Fraction in (0, 1], got {share!r}")


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative int, got {value!r}")


def _display_share(share: Fraction | None) -> tuple[str | None, float | None]:
    if share is None:
        return None, None
    return str(share), round(float(share * 100), 1)


def quorum_required(entitled: int, share: Fraction = DEFAULT_QUORUM_SHARE) -> int:
    """Return how many partners must be present: ``ceil(share * entitled)``.

    ``entitled`` is the number of partner organisations entitled to vote (0 gives 0);
    ``share`` is a Fraction in (0, 1]. Raises ValueError on anything else.
    """
    _check_count("entitled", entitled)
    _check_share("share", share)
    return math.ceil(share * entitled)


def quorum_met(
    entitled: int, present: int, share: Fraction = DEFAULT_QUORUM_SHARE
) -> bool:
    """Return whether ``present`` partners form a quorum of ``entitled``.

    True iff at least one partner is entitled and ``present >= quorum_required``.
    Raises ValueError if a count is negative or ``present > entitled``.
    """
    _check_count("present", present)
    required = quorum_required(entitled, share)
    if present > entitled:
        raise ValueError(f"present ({present}) exceeds entitled ({entitled})")
    return entitled > 0 and present >= required


def count(choices: Iterable[str], allowed: Iterable[str]) -> dict[str, int]:
    """Count ballots: one key per allowed choice, in ``allowed`` order, zero if unused.

    Keys are plain ``str`` (enum members are accepted and stored by value). Raises
    ValueError on a choice outside ``allowed``; the counts sum to the ballots given.
    """
    counts: dict[str, int] = {str(a): 0 for a in allowed}
    for choice in choices:
        key = str(choice)
        if key not in counts:
            raise ValueError(f"unknown choice {choice!r}; allowed: {sorted(counts)}")
        counts[key] += 1
    return counts


def _normalise(counts: Mapping[str, int], allowed: tuple[str, ...]) -> dict[str, int]:
    """Return counts with every allowed key; reject unknown keys and bad numbers."""
    normal = {key: 0 for key in allowed}
    for key, value in counts.items():
        if str(key) not in normal:
            raise ValueError(f"unknown choice {key!r}; allowed: {list(allowed)}")
        _check_count(f"count of {key!r}", value)
        normal[str(key)] = value
    return normal


@dataclass(frozen=True)
class MajorityOutcome:
    """The result of a yes/no/abstain poll decided by a majority of those voting."""

    yes: int
    no: int
    abstain: int
    voting: int  # yes + no + abstain
    threshold: Fraction
    share_yes: Fraction | None  # yes / (yes + no); None when nobody said yes or no
    adopted: bool

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (exact shares as "a/b" strings)."""
        share, percent = _display_share(self.share_yes)
        return {
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "voting": self.voting,
            "threshold": str(self.threshold),
            "share_yes": share,
            "share_yes_percent": percent,
            "adopted": self.adopted,
        }


def majority_outcome(
    counts: Mapping[str, int], threshold: Fraction = SIMPLE_MAJORITY
) -> MajorityOutcome:
    """Decide a yes/no/abstain poll by the share of yes among yes and no.

    Threshold 1/2 (simple majority) adopts iff ``share_yes > 1/2``: a tie fails. Any
    other threshold ``t`` adopts iff ``share_yes >= t``. Without any yes or no vote
    (empty poll, all abstain) nothing is adopted. Missing keys count as zero; an
    unknown key, a negative count or a threshold outside (0, 1] raises ValueError.
    """
    _check_share("threshold", threshold)
    c = _normalise(counts, MAJORITY_CHOICES)
    yes, no, abstain = c[Choice.YES], c[Choice.NO], c[Choice.ABSTAIN]
    decided = yes + no
    share = Fraction(yes, decided) if decided else None
    if share is None:
        adopted = False
    elif threshold == SIMPLE_MAJORITY:
        adopted = share > threshold
    else:
        adopted = share >= threshold
    return MajorityOutcome(
        yes=yes,
        no=no,
        abstain=abstain,
        voting=yes + no + abstain,
        threshold=threshold,
        share_yes=share,
        adopted=adopted,
    )


@dataclass(frozen=True)
class ConsensusOutcome:
    """The result of a consensus poll on the five-level gradient."""

    counts: Mapping[str, int]  # read-only, every gradient level present
    entitled: int
    present: int
    voting: int  # partners that chose any level
    supporting: int  # full + support + live
    blocks: int
    quorum_met: bool
    threshold: Fraction
    share_support: Fraction | None  # supporting / voting; None when nobody voted
    reached: bool
    reasons_failed: tuple[str, ...]  # empty iff reached

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (exact shares as "a/b" strings)."""
        share, percent = _display_share(self.share_support)
        return {
            "counts": dict(self.counts),
            "entitled": self.entitled,
            "present": self.present,
            "voting": self.voting,
            "supporting": self.supporting,
            "blocks": self.blocks,
            "quorum_met": self.quorum_met,
            "threshold": str(self.threshold),
            "share_support": share,
            "share_support_percent": percent,
            "reached": self.reached,
            "reasons_failed": list(self.reasons_failed),
        }


def consensus_outcome(
    counts: Mapping[str, int],
    *,
    entitled: int,
    present: int,
    quorum_share: Fraction = DEFAULT_QUORUM_SHARE,
    threshold: Fraction = CONSENSUS_THRESHOLD,
) -> ConsensusOutcome:
    """Decide whether a consensus poll reached consensus.

    Reached iff quorum holds, no partner blocks, at least one partner voted and
    ``supporting / voting >= threshold``. Otherwise ``reasons_failed`` lists every
    failed condition, in this order: "no_quorum", "no_votes", "blocked",
    "below_threshold" ("below_threshold" only when somebody voted).

    Needs ``voting <= present <= entitled`` (voters are present); raises ValueError
    otherwise, or on an unknown key, a negative count, or a share outside (0, 1].
    """
    _check_share("threshold", threshold)
    c = _normalise(counts, CONSENSUS_CHOICES)
    voting = sum(c.values())
    if voting > present:
        raise ValueError(f"voting ({voting}) exceeds present ({present})")
    has_quorum = quorum_met(entitled, present, quorum_share)
    supporting = sum(c[level] for level in SUPPORT_LEVELS)
    blocks = c[Gradient.BLOCK]
    share = Fraction(supporting, voting) if voting else None

    reasons: list[str] = []
    if not has_quorum:
        reasons.append(NO_QUORUM)
    if share is None:
        reasons.append(NO_VOTES)
    if blocks:
        reasons.append(BLOCKED)
    if share is not None and share < threshold:
        reasons.append(BELOW_THRESHOLD)
    return ConsensusOutcome(
        counts=MappingProxyType(c),
        entitled=entitled,
        present=present,
        voting=voting,
        supporting=supporting,
        blocks=blocks,
        quorum_met=has_quorum,
        threshold=threshold,
        share_support=share,
        reached=not reasons,
        reasons_failed=tuple(reasons),
    )


@dataclass(frozen=True)
class FallbackOutcome:
    """The result of a qualified-majority fallback, counted on partners present."""

    yes: int
    no: int
    abstain: int
    voting: int  # yes + no + abstain
    present: int
    threshold: Fraction
    required_yes: int  # ceil(threshold * present)
    share_yes: Fraction | None  # yes / present; None when nobody is present
    quorum_met: bool | None  # None when the caller did not ask (no ``entitled``)
    adopted: bool

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (exact shares as "a/b" strings)."""
        share, percent = _display_share(self.share_yes)
        return {
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "voting": self.voting,
            "present": self.present,
            "threshold": str(self.threshold),
            "required_yes": self.required_yes,
            "share_yes": share,
            "share_yes_percent": percent,
            "quorum_met": self.quorum_met,
            "adopted": self.adopted,
        }


def fallback_outcome(
    counts: Mapping[str, int],
    *,
    present: int,
    threshold: Fraction = TWO_THIRDS,
    entitled: int | None = None,
    quorum_share: Fraction = DEFAULT_QUORUM_SHARE,
) -> FallbackOutcome:
    """Decide a qualified-majority fallback by the partners present, not voting.

    Adopted iff ``present > 0`` and ``yes >= threshold * present`` (two-thirds by
    default, boundary included): a partner present that abstains or does not vote
    weighs like a no. When ``entitled`` is given, quorum must hold too; without it
    quorum is the caller's concern and ``quorum_met`` is None.

    Needs ``voting <= present``; raises ValueError otherwise, or on an unknown key, a
    negative count, or a share outside (0, 1].
    """
    _check_share("threshold", threshold)
    _check_count("present", present)
    c = _normalise(counts, MAJORITY_CHOICES)
    yes, no, abstain = c[Choice.YES], c[Choice.NO], c[Choice.ABSTAIN]
    voting = yes + no + abstain
    if voting > present:
        raise ValueError(f"voting ({voting}) exceeds present ({present})")
    has_quorum = (
        None if entitled is None else quorum_met(entitled, present, quorum_share)
    )
    share = Fraction(yes, present) if present else None
    adopted = share is not None and share >= threshold and has_quorum is not False
    return FallbackOutcome(
        yes=yes,
        no=no,
        abstain=abstain,
        voting=voting,
        present=present,
        threshold=threshold,
        required_yes=math.ceil(threshold * present),
        share_yes=share,
        quorum_met=has_quorum,
        adopted=adopted,
    )
