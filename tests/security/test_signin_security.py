"""Signing in: lockout, links, sessions, and production-mode cookies and HSTS."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def login(username: str, password: str, address: str):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/login/", {"username": username, "password": password})
    return client, response


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout by username and address together --------------------------------------


def test_lockout_is_by_username_and_address_never_by_address_alone(cast):
    from axes.models import AccessAttempt  # noqa: F401 - axes is installed

    victim = cast.users["secretariat"]
    bystander = cast.users["facilitator"]
    venue = "10.0.0.7"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client, response = login(victim.username, "wrong-password", venue)
        assert not signed_in(client)
    # The right password no longer works for this username at this address ...
    client, response = login(victim.username, factories.PASSWORD, venue)
    assert not signed_in(client)
    assert response.status_code in (403, 429)
    assert "factories" not in response.content.decode()
    # ... but works from another address,
    client, _ = login(victim.username, factories.PASSWORD, "10.0.0.8")
    assert signed_in(client)
    # and someone else at the same venue still signs in.
    client, _ = login(bystander.username, factories.PASSWORD, venue)
    assert signed_in(client)


def test_lockout_does_not_reveal_whether_the_username_exists(db):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("nobody-by-this-name", "x", "10.0.0.9")
    _, unknown = login("nobody-by-this-name", "x", "10.0.0.9")
    assert unknown.status_code in (403, 429)


# --- Sign-in links -------------------------------------------------------------------


def test_tokens_are_unguessable_and_only_their_digest_is_stored(cast):
    from assembly import services
    from assembly.models import SignInLink

    assert services.TOKEN_BYTES * 8 >= 128
    tokens = {services.signin_link_issue(delegate=cast.delegate) for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128
    stored = set(SignInLink.objects.values_list("token_digest", flat=True))
    assert not tokens & stored
    assert all(len(d) == 64 for d in stored)


def test_a_link_signs_in_only_on_post_and_only_its_own_delegate(cast):
    from assembly import services

    token = services.signin_link_issue(delegate=cast.delegate)
    url = reverse("assembly:token_sign_in")
    client = Client()
    assert client.get(url).status_code == 200
    assert not signed_in(client)  # a link preview signs nobody in
    client.post(url, {"token": token})
    assert int(client.session["_auth_user_id"]) == cast.delegate.user_id


def test_a_link_is_single_purpose(cast):
    """A sign-in token is no password, no projector link; a projector link is no
    sign-in token."""
    from assembly import services

    token = services.signin_link_issue(delegate=cast.delegate)
    client, _ = login(cast.delegate.user.username, token, "10.1.1.1")
    assert not signed_in(client)
    projector = reverse("agenda:projector", kwargs={"token": token})
    assert Client().get(projector).status_code in (403, 404)
    room_secret = cast.room.projector_token
    response = Client().post(
        reverse("assembly:token_sign_in"), {"token": room_secret}
    )
    assert response.status_code == 403


def test_a_revoked_or_replaced_link_stops_working(cast):
    from assembly import services

    first = services.signin_link_issue(delegate=cast.delegate)
    second = services.signin_link_issue(delegate=cast.delegate)
    old = Client().post(reverse("assembly:token_sign_in"), {"token": first})
    assert old.status_code == 403
    services.signin_link_revoke(delegate=cast.delegate)
    client = Client()
    response = client.post(reverse("assembly:token_sign_in"), {"token": second})
    assert response.status_code == 403 and not signed_in(client)
    # The refusal is the same for a revoked and a forged link: nothing is learnt.
    forged = Client().post(
        reverse("assembly:token_sign_in"), {"token": "z" * 43}
    )
    assert main_of(forged) == main_of(response)


def test_the_page_showing_a_new_link_is_never_cached(cast):
    client = cast.client("secretariat")
    response = client.post(
        reverse(
            "assembly:link_issue",
            kwargs={"pk": cast.assembly.pk, "delegate_id": cast.delegate.pk},
        )
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- Sessions ------------------------------------------------------------------------


def test_the_session_key_rotates_on_password_sign_in(cast):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.get("/login/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.post(
        "/login/",
        {
            "username": cast.users["secretariat"].username,
            "password": factories.PASSWORD,
        },
    )
    assert signed_in(client)
    assert client.session.session_key != before


def test_the_session_key_rotates_on_link_sign_in(cast):
    from assembly import services

    client = Client()
    client.get("/login/")
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    token = services.signin_link_issue(delegate=cast.delegate)
    client.post(reverse("assembly:token_sign_in"), {"token": token})
    assert signed_in(client)
    assert client.session.session_key != before


def test_another_persons_link_replaces_the_signed_in_person_entirely(cast):
    from assembly import services

    client = cast.client("facilitator")
    before = client.session.session_key
    token = services.signin_link_issue(delegate=cast.delegate)
    client.post(reverse("assembly:token_sign_in"), {"token": token})
    assert int(client.session["_auth_user_id"]) == cast.delegate.user_id
    assert client.session.session_key != before


def test_session_cookie_is_http_only_and_same_site():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert settings.CSRF_COOKIE_SAMESITE in ("Lax", "Strict")


# --- Production mode -----------------------------------------------------------------

PRODUCTION_PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)  # pages read the database
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
setup_test_environment()
# No collectstatic here: plain static storage, the rest as in production.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
r = Client(SERVER_NAME="assembly.example.org").get(
    "/login/", secure=True, headers={"Host": "assembly.example.org"})
plain = Client().get("/login/", headers={"Host": "assembly.example.org"})
print(json.dumps({
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "DEBUG": settings.DEBUG,
    "hsts": r.get("Strict-Transport-Security"),
    "status": r.status_code,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "cookies": {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"])}
                for k, v in r.cookies.items()},
}))
"""


def production_env(tmp_path) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="assembly.example.org",
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        DJANGO_SQLITE_PATH=str(tmp_path / "prod.sqlite3"),
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def test_production_mode_has_secure_cookies_hsts_and_https(tmp_path):
    import json

    done = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["DEBUG"] is False
    assert facts["SESSION_COOKIE_SECURE"] and facts["CSRF_COOKIE_SECURE"]
    assert facts["SESSION_COOKIE_HTTPONLY"]
    assert facts["SECURE_HSTS_SECONDS"] >= 31536000
    assert facts["hsts"] and "max-age=" in facts["hsts"]
    assert facts["status"] == 200
    # Plain HTTP is sent to HTTPS.
    assert facts["plain_status"] == 301
    assert facts["plain_location"].startswith("https://")
    for name, cookie in facts["cookies"].items():
        assert cookie["secure"], f"cookie {name} is not Secure in production"


def test_production_mode_passes_the_deployment_checks(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    env.pop("DJANGO_SECRET_KEY")
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY" in done.stderr
