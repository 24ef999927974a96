"""Reads of the voting app: who is entitled and present, the current poll of a
room, its figures, an organisation's ballot status, and the context builders
that a page and a push both use. Nothing here writes.

Import as ``from voting import selectors``; the modules of this package are an
implementation detail.
"""

from voting.selectors.ballots import (
    OWN_STATUS,
    PROXY_STATUS,
    ballot_context,
    cannot_vote_reason,
    counted_message,
    given_proxy,
    held_proxy,
    named_choices,
    not_voted_message,
    reasons_for_facilitator,
    refused_status,
    status_context,
    status_now,
    status_of_cast,
    subject_text,
)
from voting.selectors.figures import (
    CHOICE_LABELS,
    FAILURE_LABELS,
    REASON_MAX,
    REASON_REQUIRED,
    ballots_for_count,
    choices_of,
    choices_of_kind,
    current_poll,
    entitled_partners,
    fallback_allowed,
    figures_from,
    figures_now,
    is_entitled,
    is_entitled_ids,
    outcome_of,
    polls_of_room,
    present_partner_ids,
    proxies_in,
    quorum_share_of,
    quorum_state,
    result_context,
    result_figures,
    subject_of,
    threshold_of,
)
from voting.selectors.proxies import partners_of, proxies_today, recordable_partners

__all__ = [
    "CHOICE_LABELS", "FAILURE_LABELS", "OWN_STATUS", "PROXY_STATUS", "REASON_MAX",
    "REASON_REQUIRED", "ballot_context", "ballots_for_count", "cannot_vote_reason",
    "choices_of", "choices_of_kind", "counted_message", "current_poll",
    "entitled_partners", "fallback_allowed", "figures_from", "figures_now",
    "given_proxy", "held_proxy", "is_entitled", "is_entitled_ids", "named_choices",
    "not_voted_message", "outcome_of", "partners_of", "polls_of_room",
    "present_partner_ids", "proxies_in", "proxies_today", "quorum_share_of",
    "quorum_state", "reasons_for_facilitator", "recordable_partners",
    "refused_status", "result_context", "result_figures", "status_context", "status_now",
    "status_of_cast", "subject_of", "subject_text", "threshold_of",
]
