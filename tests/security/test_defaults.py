"""Defaults that fail closed (issue 11, item 10).

With no environment the app is in production mode and refuses to start until it
is given a strong key and its host names; development mode is asked for
explicitly (``make run`` and the tests do). The settings module is executed
afresh with a chosen environment (``runpy``), as a process starting would.
"""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.keys import weak_key_reason

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "config" / "settings.py"

# What this file's tests set or clear; everything else of the environment stays.
OURS = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_TRUSTED_PROXIES",
    "DJANGO_PROXY_COUNT",
)


def strong_key() -> str:
    return secrets.token_urlsafe(50)


def load_settings(monkeypatch, **env) -> dict:
    """The settings module run with only ``env`` of the variables above."""
    for name in OURS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_with_no_environment_the_app_refuses_to_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY is not set"):
        load_settings(monkeypatch)


def test_with_only_a_key_and_hosts_debug_is_off_and_the_secure_defaults_on(
    monkeypatch,
):
    settings = load_settings(
        monkeypatch,
        DJANGO_SECRET_KEY=strong_key(),
        DJANGO_ALLOWED_HOSTS="assembly.example.org",
    )
    assert settings["DEBUG"] is False
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SECURE_SSL_REDIRECT"]
    assert settings["SECURE_HSTS_SECONDS"] >= 31536000


def test_development_mode_is_asked_for_and_still_needs_a_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="make run"):
        load_settings(monkeypatch, DJANGO_DEBUG="1")
    settings = load_settings(monkeypatch, DJANGO_DEBUG="1", DJANGO_SECRET_KEY="local")
    assert settings["DEBUG"] is True


def test_no_fixed_key_is_left_in_the_settings():
    text = SETTINGS.read_text()
    assert "dev-only-not-secret" not in text
    assert 'SECRET_KEY = "' not in text


OLD_FIXED_KEY = "dev-only-not-secret-samatcha-key-0123456789-abcdefghijklmnop"


@pytest.mark.parametrize(
    "key, why",
    [
        ("short-" + secrets.token_urlsafe(16), "characters; at least 50"),
        ("k" * 60, "different characters"),
        ("ab" * 40, "different characters"),
        (OLD_FIXED_KEY, "development key"),
        ("django-insecure-" + secrets.token_urlsafe(40), "django-insecure"),
        ("changeme-" + secrets.token_urlsafe(45), "changeme"),
    ],
    ids=["short", "one-letter", "two-letters", "old-fixed", "insecure", "changeme"],
)
def test_production_refuses_a_weak_key(monkeypatch, key, why):
    with pytest.raises(ImproperlyConfigured, match="too weak") as refused:
        load_settings(
            monkeypatch, DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="a.example.org"
        )
    assert why in str(refused.value)
    assert key not in str(refused.value)  # the message never repeats the key


def test_production_refuses_to_start_without_host_names(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS"):
        load_settings(monkeypatch, DJANGO_SECRET_KEY=strong_key())


def test_random_keys_are_never_called_weak():
    from django.core.management.utils import get_random_secret_key

    for _ in range(2000):
        assert weak_key_reason(secrets.token_urlsafe(50)) is None
        assert weak_key_reason(get_random_secret_key()) is None


def test_manage_py_with_no_environment_refuses_and_says_what_to_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SQLITE_PATH"] = str(tmp_path / "never.sqlite3")
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in done.stderr
    assert not (tmp_path / "never.sqlite3").exists()


def test_the_old_proxy_count_setting_stops_the_app_saying_what_replaces_it(
    monkeypatch,
):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES"):
        load_settings(
            monkeypatch, DJANGO_DEBUG="1", DJANGO_SECRET_KEY="local",
            DJANGO_PROXY_COUNT="1",
        )


def test_a_garbled_trusted_proxy_stops_the_app(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRUSTED_PROXIES"):
        load_settings(
            monkeypatch, DJANGO_DEBUG="1", DJANGO_SECRET_KEY="local",
            DJANGO_TRUSTED_PROXIES="127.0.0.1, nginx.local",
        )


def test_production_without_a_trusted_proxy_fails_the_deploy_check(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SECRET_KEY=strong_key(),
        DJANGO_ALLOWED_HOSTS="assembly.example.org",
        DJANGO_SQLITE_PATH=str(tmp_path / "never.sqlite3"),
        DATABASE_URL="", REDIS_URL="",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "samatcha.W001" in done.stdout + done.stderr
