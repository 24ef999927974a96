"""Who is present in a room NOW: partners with a live screen there, and
delegates the check-in desk marked present (contract 9).

Every open socket of a partner's delegate is one member of its room's set in
the cache, added when the socket opens and removed the moment it closes, so a
partner stops counting as soon as its last screen in the room closes, in every
process (Redis when ``REDIS_URL`` is set; the process's own memory with the
embedded cache, where one process serves everything). A member also carries an
expiry that its socket's heartbeat pushes forward: only a process that died
without closing its sockets leaves members behind, and they lapse after
``TTL`` seconds. Sockets never write to the database.

The voting app reads presence through ``present_partners`` only.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from assembly import layers

log = logging.getLogger("samatcha.realtime")

# Crash safety only: how long a socket whose process died without a word still
# counts. A live socket refreshes its expiry every HEARTBEAT seconds.
TTL = max(3, int(os.environ.get("DJANGO_PRESENCE_TTL", "40")))
HEARTBEAT = max(1, TTL // 3)

_local_lock = threading.Lock()


def _key(room_id: int) -> str:
    return f"presence:{room_id}"


def _member(partner_id: int, socket_id: str) -> str:
    return f"{partner_id}:{socket_id}"


def _partner_of(member: str | bytes) -> int | None:
    if isinstance(member, bytes):
        member = member.decode("ascii", "replace")
    head = member.split(":", 1)[0]
    return int(head) if head.isdigit() else None


def _unavailable(what: str) -> None:
    # The cache is Redis when several processes serve: down, presence is
    # unknown. Pages and pushes carry on (as if nobody were connected) and say
    # that live updates are paused; nothing here may fail a page or a ballot.
    log.warning("presence %s failed: cache unavailable", what, exc_info=True)
    layers.note_push(False)


# --- The two stores: Redis (shared by processes), or this process's cache ----------------


class _Redis:
    """One sorted set per room: member "<partner>:<socket>", score its expiry."""

    @staticmethod
    def _client_and_key(room_id: int):
        key = cache.make_and_validate_key(_key(room_id))
        return cache._cache.get_client(key, write=True), key

    def touch(self, rooms: dict[int, list[str]]) -> None:
        """Every room's members at once: one round trip, however many."""
        now = time.time()
        client = pipe = None
        for room_id, members in rooms.items():
            room_client, key = self._client_and_key(room_id)
            if pipe is None:
                client = room_client
                pipe = client.pipeline(transaction=True)
            pipe.zadd(key, dict.fromkeys(members, now + TTL))
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.expire(key, TTL)
        if pipe is not None:
            with pipe:
                pipe.execute()

    def leave(self, room_id: int, members: Iterable[str] | None, partner_id: int) -> None:
        client, key = self._client_and_key(room_id)
        if members is None:  # every socket of the partner
            members = [
                m for m in client.zrange(key, 0, -1) if _partner_of(m) == partner_id
            ]
        members = list(members)
        if members:
            client.zrem(key, *members)

    def live(self, room_id: int) -> set[int]:
        client, key = self._client_and_key(room_id)
        members = client.zrangebyscore(key, time.time(), "+inf")
        return {p for p in map(_partner_of, members) if p is not None}


class _Local:
    """The embedded cache lives in this process: a dict per room, changed
    under a lock (sockets' threads and requests' threads share it)."""

    def touch(self, rooms: dict[int, list[str]]) -> None:
        now = time.time()
        with _local_lock:
            for room_id, touched in rooms.items():
                members = cache.get(_key(room_id)) or {}
                members = {m: t for m, t in members.items() if t > now}
                members.update(dict.fromkeys(touched, now + TTL))
                cache.set(_key(room_id), members, TTL)

    def leave(self, room_id: int, members: Iterable[str] | None, partner_id: int) -> None:
        with _local_lock:
            current = cache.get(_key(room_id)) or {}
            if members is None:
                gone = {m for m in current if _partner_of(m) == partner_id}
            else:
                gone = set(members)
            kept = {m: t for m, t in current.items() if m not in gone}
            if kept:
                cache.set(_key(room_id), kept, TTL)
            else:
                cache.delete(_key(room_id))

    def live(self, room_id: int) -> set[int]:
        now = time.time()
        members = cache.get(_key(room_id)) or {}
        return {p for m, t in members.items() if t > now
                for p in [_partner_of(m)] if p is not None}


def _store():
    # ``cache`` is a proxy: ask the configured backend itself (with the proxy,
    # Redis was never recognised and every process rewrote one shared dict).
    return _Redis() if isinstance(caches["default"], RedisCache) else _Local()


# --- What sockets call ----------------------------------------------------------------------


def touch(room_id: int, partner_id: int, socket_id: str = "") -> None:
    """A socket of the partner is open in the room (on connect)."""
    touch_all([(room_id, partner_id, socket_id)])


def touch_all(entries: Iterable[tuple[int, int, str]]) -> None:
    """Sockets (room, partner, socket id) are open: a process's heartbeat for
    all its sockets, in one round trip to the cache. One trip per socket, a
    thousand every heartbeat, held the interpreter from the ballots between."""
    rooms: dict[int, list[str]] = {}
    for room_id, partner_id, socket_id in entries:
        rooms.setdefault(room_id, []).append(_member(partner_id, socket_id))
    if not rooms:
        return
    try:
        _store().touch(rooms)
    except Exception:  # noqa: BLE001
        _unavailable("touch")


def leave(room_id: int, partner_id: int, socket_id: str | None = None) -> None:
    """A socket closed: it stops counting now. Without ``socket_id``, every
    socket of the partner in the room is forgotten."""
    members = None if socket_id is None else [_member(partner_id, socket_id)]
    try:
        _store().leave(room_id, members, partner_id)
    except Exception:  # noqa: BLE001
        _unavailable("leave")


# --- What pages and the voting app read ----------------------------------------------------


def connected(room_id: int, partner_ids: Iterable[int]) -> set[int]:
    """The partners among ``partner_ids`` with a live socket in the room (none
    while the cache is unreachable)."""
    ids = set(partner_ids)
    if not ids:
        return set()
    try:
        return _store().live(room_id) & ids
    except Exception:  # noqa: BLE001
        _unavailable("lookup")
        return set()


def _eligible_here(room) -> list[tuple[int, int | None]]:
    """(partner id, room the desk marked them in, or None) for every checked-in
    voting delegate or alternate of the room's assembly: one statement whose
    size does not grow with the room. A list of partner ids sent as parameters
    (650 at national scale, twice) cost more to build than to run, once per
    tally push."""
    from assembly.models import Delegate

    return list(
        Delegate.objects.filter(
            partner__assembly_id=room.assembly_id,
            checked_in_at__isnull=False,
            kind__in=(Delegate.Kind.VOTING, Delegate.Kind.ALTERNATE),
        )
        .order_by()  # the model's ordering would join two tables and sort
        .values_list("partner_id", "desk_presence__room_id")
        .distinct()
    )


@dataclass(frozen=True)
class Presence:
    """Among some partners, in one room now: those with a screen open there
    (``connected``), those with a checked-in voting delegate or alternate the
    desk marked present there (``at_desk``), and those the quorum counts
    (``present``: a checked-in voting delegate or alternate with a screen open
    there, or ``at_desk``)."""

    connected: frozenset[int]
    at_desk: frozenset[int]
    present: frozenset[int]


def presence_in(room, partner_ids: Iterable[int]) -> Presence:
    """Presence among ``partner_ids`` in ``room``: one cache read, one query."""
    ids = set(partner_ids)
    if not ids:
        return Presence(frozenset(), frozenset(), frozenset())
    live = connected(room.pk, ids)
    eligible, at_desk = set(), set()
    for partner_id, marked_in in _eligible_here(room):
        if partner_id in ids:
            eligible.add(partner_id)
            if marked_in == room.pk:
                at_desk.add(partner_id)
    return Presence(frozenset(live), frozenset(at_desk),
                    frozenset((eligible & live) | at_desk))


def present_partners(room, entitled_ids: Iterable[int]) -> set[int]:
    """The partners among ``entitled_ids`` present in ``room`` now: a checked-in
    voting delegate or alternate of theirs has a screen open on the room, or
    was marked present there by the desk. One cache read and one query."""
    return set(presence_in(room, entitled_ids).present)
