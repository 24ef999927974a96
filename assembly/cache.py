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
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
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


_clients: dict[tuple, RedisCacheClient] = {}
_clients_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one ``redis.Redis`` per pool: Django makes a new
    one for every cache call, and redis-py 8 looks its own version up in the
    installed packages' metadata (a directory scan) for each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redis: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._redis.get(id(pool))
        if client is None:
            client = self._redis[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    """``RedisCache`` that misses instead of failing when Redis is unreachable.

    One Redis client (one connection pool) per process and configuration.
    Django makes a cache object per async context, and under ASGI each request
    is one: with its own pool, every request opened a new connection to Redis
    (connect, health check) to read the session, a third of a ballot's time at
    national scale (docs/benchmarks.md). redis-py's pool is thread-safe and
    starts afresh in a forked child.
    """

    @property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        client = _clients.get(key)
        if client is None:
            with _clients_lock:
                client = _clients.get(key)
                if client is None:
                    client = _clients[key] = SharedRedisCacheClient(
                        self._servers, **self._options
                    )
        return client

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
