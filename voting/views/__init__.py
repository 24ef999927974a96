"""Voting pages and fragments. Thin: check the permission, call one service,
render the full page (no ``HX-Request``) or the partial (with it).

A refused action answers with its message and changes nothing: 403 not
allowed, 400 bad input, 409 (the ballot) a poll not open; the htmx
configuration of ``templates/base.html`` swaps these into place.
"""

from voting.views.ballot import ballot
from voting.views.controls import (
    ballot_record,
    controls,
    poll_close,
    poll_create,
    poll_create_all_items,
    poll_detail,
    poll_open,
    room_result,
)
from voting.views.proxies import proxies, proxy_end

__all__ = [
    "ballot", "ballot_record", "controls", "poll_close", "poll_create",
    "poll_create_all_items", "poll_detail", "poll_open", "proxies", "proxy_end",
    "room_result",
]
