"""Who is connected to a room, kept in the cache (Redis when REDIS_URL is set).

A socket of a partner's delegate touches ``presence:<room>:<partner>`` on
connect and every ``HEARTBEAT`` seconds while open; the partner counts as
connected while the key lives (``TTL``). Sockets never write to the database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from django.core.cache import cache

from assembly import layers

log = logging.getLogger("samatcha.realtime")

HEARTBEAT = 15
TTL = 40


def _key(room_id: int, partner_id: int) -> str:
    return f"presence:{room_id}:{partner_id}"


def _unavailable(what: str) -> None:
    # The cache is Redis when several processes serve: down, presence is
    # unknown. Pages and pushes carry on (as if nobody were connected) and say
    # that live updates are paused; nothing here may fail a page or a ballot.
    log.warning("presence %s failed: cache unavailable", what, exc_info=True)
    layers.note_push(False)


def touch(room_id: int, partner_id: int) -> None:
    try:
        cache.set(_key(room_id, partner_id), time.time(), TTL)
    except Exception:  # noqa: BLE001
        _unavailable("touch")


def leave(room_id: int, partner_id: int) -> None:
    """Forget a partner's presence (its last socket in the room closed)."""
    try:
        cache.delete(_key(room_id, partner_id))
    except Exception:  # noqa: BLE001
        _unavailable("leave")


def connected(room_id: int, partner_ids: Iterable[int]) -> set[int]:
    """The partners among ``partner_ids`` with a live socket in the room (none
    while the cache is unreachable)."""
    ids = list(partner_ids)
    if not ids:
        return set()
    try:
        found = cache.get_many([_key(room_id, pid) for pid in ids])
    except Exception:  # noqa: BLE001
        _unavailable("lookup")
        return set()
    return {pid for pid in ids if _key(room_id, pid) in found}
