"""The shared cache on Redis, which a ballot never depends on.

Sessions (``cached_db``), the Thai vocabulary's version and the throttles keep
copies or counters in the cache; the database holds what matters. Django's
``RedisCache`` raises when Redis is unreachable, so a Redis restart mid-vote
answered every ballot with a 500 although PostgreSQL was up. Here a cache that
cannot be reached behaves as an empty cache that forgets what it is told: reads
miss (sessions then come from the database), writes are dropped, counters start
again. Logged, at most once a minute, so that an operator sees it.

What that costs while Redis is down: throttles count from zero (guessing is
slower to stop, never blocked wrongly), and presence is unknown
(``assembly.presence`` handles that itself: the pages say live updates are
paused).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("samatcha")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = {"at": 0.0}


def _warn(operation: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_warning["at"] >= 60:
        _last_warning["at"] = now
        log.warning("the cache (Redis) cannot be reached (%s: %s): going on without it",
                    operation, exc)


class TolerantRedisCache(RedisCache):
    """``RedisCache`` that misses instead of failing when Redis is unreachable."""

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            _warn("add", exc)
            return True

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as exc:
            _warn("get", exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            _warn("set", exc)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as exc:
            _warn("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            _warn("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as exc:
            _warn("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as exc:
            _warn("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            _warn("incr", exc)
            return delta

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as exc:
            _warn("set_many", exc)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as exc:
            _warn("delete_many", exc)
