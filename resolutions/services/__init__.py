"""Every state change of adopted resolutions and their follow-up.

Keyword-only, typed, atomic; refusals raise ``PermissionDenied`` or
``ValidationError`` with a translated message.
"""

from resolutions.services._base import NARRATIVE_MAX, REASON_MAX
from resolutions.services.creation import resolutions_create_for_item
from resolutions.services.plan import item_weights_set, resolution_plan_set
from resolutions.services.reminders import reminders_send
from resolutions.services.review import review_decide, review_report, reviews_open
from resolutions.services.timeline import (
    EVIDENCE_TYPES,
    evidence_max_bytes,
    progress_correct,
    progress_note,
    progress_post,
)

__all__ = [
    "EVIDENCE_TYPES",
    "NARRATIVE_MAX",
    "REASON_MAX",
    "evidence_max_bytes",
    "item_weights_set",
    "progress_correct",
    "progress_note",
    "progress_post",
    "reminders_send",
    "resolution_plan_set",
    "resolutions_create_for_item",
    "review_decide",
    "review_report",
    "reviews_open",
]
