"""Every state change of the voting app.

Keyword-only, typed, each in ``transaction.atomic`` with the poll row locked
(``select_for_update``): a ballot and a close on the same poll are serialised, so
every ballot is either counted or refused, never lost or counted twice. Refusals
raise ``ValidationError`` (bad input, wrong state) or ``PermissionDenied`` (wrong
person) with a translated message and change nothing. Pushes are scheduled with
``transaction.on_commit`` through ``voting.live``.

Import as ``from voting import services`` and call ``services.ballot_cast(...)``.
The modules of this package are an implementation detail.
"""

from voting.services.ballots import CastBallot, ballot_cast, ballot_record
from voting.services.polls import (
    close_due_polls,
    poll_close,
    poll_close_if_due,
    poll_create,
    poll_open,
)
from voting.services.proxies import proxy_end, proxy_give

__all__ = [
    "CastBallot",
    "ballot_cast",
    "ballot_record",
    "close_due_polls",
    "poll_close",
    "poll_close_if_due",
    "poll_create",
    "poll_open",
    "proxy_end",
    "proxy_give",
]
