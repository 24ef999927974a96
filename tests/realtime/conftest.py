"""Fixtures of the real-time tests: fast password hashing, and real server
processes (daphne, nginx, a private redis-server) for the ``services`` tests."""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

from tests.realtime import servers


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _missing(reason: str):
    """Not configured: skip. Configured but unusable: a failure on CI."""
    if _on_ci():
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture
def services_env(transactional_db):
    """The environment of a daphne process sharing this test's PostgreSQL
    database and Redis. Skips unless DATABASE_URL is PostgreSQL and REDIS_URL is
    set (the SQLite run); when they are set, an unreachable Redis fails on CI."""
    from django.db import connection

    db = connection.settings_dict
    redis_url = os.environ.get("REDIS_URL", "")
    if db["ENGINE"] != "django.db.backends.postgresql" or not redis_url:
        pytest.skip(
            "needs the production services: set DATABASE_URL to PostgreSQL and "
            "REDIS_URL (see .ci/run)"
        )
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        _missing(f"Redis at {redis_url} is unreachable: {exc}")
    user = quote(db.get("USER") or "postgres")
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{quote(password)}" if password else user
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    run = uuid.uuid4().hex[:10]
    return {
        "DATABASE_URL": f"postgres://{auth}@{host}:{port}/{db['NAME']}",
        "REDIS_URL": redis_url,
        # Other suites may share this Redis: keep our pushes and presence apart.
        "DJANGO_CHANNELS_PREFIX": f"t{run}",
        "DJANGO_CACHE_PREFIX": f"t{run}",
        "DB_POOL_MIN": "1",
        "DB_POOL_MAX": "4",
        "DJANGO_DEBUG": "1",
        "DJANGO_SQLITE_PATH": "",
    }


@pytest.fixture
def start_daphne(tmp_path):
    """``start_daphne(env)`` starts one daphne process; all are stopped after."""
    started: list[servers.Daphne] = []

    def start(env: dict, name: str = "daphne") -> servers.Daphne:
        d = servers.Daphne(env, log_dir=tmp_path, name=f"{name}{len(started)}")
        started.append(d)
        return d.start()

    yield start
    for d in started:
        d.stop()


@pytest.fixture
def start_nginx(tmp_path):
    """``start_nginx(daphnes)``: deploy/nginx.conf in front of them; its files
    (configuration, logs) live in the test's tmp_path, which pytest prunes."""
    started: list[servers.Nginx] = []

    def start(daphnes: list[servers.Daphne]) -> servers.Nginx:
        try:
            n = servers.Nginx(
                [f"{servers.LOOPBACK}:{d.port}" for d in daphnes],
                tmp=tmp_path / f"nginx{len(started)}",
            )
            started.append(n)
            return n.start()
        except RuntimeError as exc:
            _missing(str(exc))

    yield start
    for n in started:
        n.stop()


@pytest.fixture
def private_redis():
    """A redis-server of this test alone, which it may stop and start again."""
    r = servers.RedisServer()
    try:
        r.start()
    except RuntimeError as exc:
        _missing(str(exc))
    yield r
    r.stop()
