"""Who is connected to a room, kept in the cache (Redis when REDIS_URL is set).

A socket of a partner's delegate touches ``presence:<room>:<partner>`` on
connect and every ``HEARTBEAT`` seconds while open; the partner counts as
connected while the key lives (``TTL``). Sockets never write to the database.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache

HEARTBEAT = 15
TTL = 40


def _key(room_id: int, partner_id: int) -> str:
    return f"presence:{room_id}:{partner_id}"


def touch(room_id: int, partner_id: int) -> None:
    cache.set(_key(room_id, partner_id), time.time(), TTL)


def leave(room_id: int, partner_id: int) -> None:
    """Forget a partner's presence (its last socket in the room closed)."""
    cache.delete(_key(room_id, partner_id))


def connected(room_id: int, partner_ids: Iterable[int]) -> set[int]:
    """The partners among ``partner_ids`` with a live socket in the room."""
    ids = list(partner_ids)
    if not ids:
        return set()
    found = cache.get_many([_key(room_id, pid) for pid in ids])
    return {pid for pid in ids if _key(room_id, pid) in found}
