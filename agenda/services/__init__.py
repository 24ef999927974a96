"""Every state change of drafts, amendments and consolidation.

Keyword-only, typed, each in ``transaction.atomic`` with the agenda item's row locked
(``select_for_update``) so that changes to one draft are serialised. Refusals raise
``ValidationError`` (bad input, wrong state) or ``PermissionDenied`` (wrong person),
with a translated message, and change nothing. Each service schedules the matching
``agenda.live.push_*`` (on commit).

Import as ``from agenda import services`` and call ``services.amendment_submit(...)``.
The modules of this package are an implementation detail.
"""

from agenda.services.amendments import (
    amendment_accept,
    amendment_consent,
    amendment_decide,
    amendment_merge,
    amendment_revise,
    amendment_rule_out,
    amendment_submit,
    amendment_withdraw,
)
from agenda.services.consolidation import (
    item_agree,
    item_plenary_decide,
    plenary_document_build,
)
from agenda.services.plenary import plenary_comment_mark_read, plenary_comment_send
from agenda.services.drafts import (
    draft_paste,
    draft_set,
    item_create,
    item_set_current_clause,
    notice_mark_read,
)

__all__ = [
    "amendment_accept",
    "amendment_consent",
    "amendment_decide",
    "amendment_merge",
    "amendment_revise",
    "amendment_rule_out",
    "amendment_submit",
    "amendment_withdraw",
    "draft_paste",
    "draft_set",
    "item_agree",
    "item_create",
    "item_plenary_decide",
    "item_set_current_clause",
    "notice_mark_read",
    "plenary_comment_mark_read",
    "plenary_comment_send",
    "plenary_document_build",
]
