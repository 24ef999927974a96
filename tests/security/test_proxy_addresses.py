"""One trusted client address, from nginx to the audit log (issue 11, item 6).

The review's attack: twelve wrong passwords, each with ``X-Forwarded-For:
8.8.4.<i>``, through the documented proxy, were never locked out and the audit
log recorded the forged addresses. Here the real nginx runs ``deploy/nginx.conf``
(``servers.deploy_site``) in front of daphne started as the systemd unit starts
it, with ``DJANGO_TRUSTED_PROXIES=127.0.0.1``. Test clients connect from other
loopback addresses (127.0.0.x: Linux routes all of 127/8 to this machine), so
that nginx sees a true client address the client did not write itself.

The site has its own SQLite file (seeded in a subprocess, read back with
sqlite3). With ``REDIS_URL`` set (``.ci/run``'s second pass) two daphne
processes share their lockout counters through Redis, as in production.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assembly.proxy import TrustedProxyMiddleware, as_ip, forwarded_client
from assembly.proxy import parse_networks as networks
from tests.realtime import servers

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "proxy-test-Passw0rd-2566"
NGINX_SEES_FROM = "127.0.0.1"  # nginx connects to daphne from here

SEED = r"""
import django, json, sys
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
call_command("migrate", verbosity=0, interactive=False)
for name in json.loads(sys.argv[1]):
    get_user_model().objects.create_user(username=name, password=sys.argv[2])
"""

USERS = ["spoof-victim", "audit-target", "direct-target", "elsewhere-target"]


# --- The rules, without a network ----------------------------------------------------


def test_the_client_address_is_believed_only_from_a_trusted_proxy():
    nginx = networks(["127.0.0.1", "10.0.0.0/8"])
    assert forwarded_client("203.0.113.9", "8.8.4.1", nginx) == "203.0.113.9"
    assert forwarded_client("127.0.0.1", "198.51.100.7", nginx) == "198.51.100.7"
    # A client's own entries are on the left; each trusted proxy adds on the right.
    assert forwarded_client("127.0.0.1", "8.8.4.4, 198.51.100.7", nginx) == (
        "198.51.100.7"
    )
    assert forwarded_client("127.0.0.1", "8.8.4.4, 198.51.100.7, 10.1.2.3", nginx) == (
        "198.51.100.7"
    )
    # Garbage ends the walk at the last proxy that wrote something sensible.
    assert forwarded_client("127.0.0.1", "evil, <script>", nginx) == "127.0.0.1"
    assert forwarded_client("127.0.0.1", "", nginx) == "127.0.0.1"
    assert forwarded_client("127.0.0.1", "8.8.4.4", ()) == "127.0.0.1"


def test_addresses_are_read_in_the_forms_proxies_write_them():
    assert as_ip("203.0.113.7:5123") == "203.0.113.7"
    assert as_ip("[2001:db8::1]:443") == "2001:db8::1"
    assert as_ip("2001:DB8::1") == "2001:db8::1"
    assert as_ip("::ffff:203.0.113.7") == "203.0.113.7"
    assert as_ip("unknown") is None and as_ip("") is None and as_ip(None) is None


def scope(peer: str, headers: dict, kind: str = "http") -> dict:
    return {
        "type": kind,
        "scheme": "ws" if kind == "websocket" else "http",
        "client": (peer, 40000),
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
    }


def test_the_asgi_scope_gets_the_trusted_address_and_scheme(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    forwarded = {"x-forwarded-for": "198.51.100.7", "x-forwarded-proto": "https"}
    http = TrustedProxyMiddleware.resolve(scope("127.0.0.1", forwarded))
    assert http["client"][0] == "198.51.100.7" and http["scheme"] == "https"
    socket = TrustedProxyMiddleware.resolve(scope("127.0.0.1", forwarded, "websocket"))
    assert socket["client"][0] == "198.51.100.7" and socket["scheme"] == "wss"
    # From anyone else: the connection's own address and scheme, and the
    # headers are gone so that nothing further in can believe them.
    direct = TrustedProxyMiddleware.resolve(scope("203.0.113.9", forwarded))
    assert direct["client"][0] == "203.0.113.9" and direct["scheme"] == "http"
    assert not any(k.startswith(b"x-forwarded") for k, _ in direct["headers"])


def test_with_no_trusted_proxy_nobody_is_believed(settings):
    settings.TRUSTED_PROXIES = []
    resolved = TrustedProxyMiddleware.resolve(
        scope("127.0.0.1", {"x-forwarded-for": "8.8.4.4", "x-forwarded-proto": "https"})
    )
    assert resolved["client"][0] == "127.0.0.1" and resolved["scheme"] == "http"


def test_the_deploy_nginx_overwrites_the_forwarding_headers():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "$proxy_add_x_forwarded_for" not in conf
    assert re.search(r"proxy_set_header X-Forwarded-For \$remote_addr;", conf)
    assert re.search(r"proxy_set_header X-Forwarded-Proto \$scheme;", conf)


# --- Through the real nginx ----------------------------------------------------------


@dataclass
class Site:
    nginx: servers.Nginx
    daphnes: list[servers.Daphne]
    database: Path

    def audit(self, **where) -> list[dict]:
        with sqlite3.connect(self.database) as db:
            rows = db.execute(
                "SELECT kind, address, detail FROM assembly_auditevent ORDER BY id"
            ).fetchall()
        events = [
            {"kind": k, "address": a, "detail": json.loads(d)} for k, a, d in rows
        ]
        return [e for e in events if all(e.get(k) == v for k, v in where.items())]


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return ""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and Redis at {url} is unreachable: {exc}")
        return ""
    return url


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("proxied-site")
    database = tmp / "site.sqlite3"
    redis_url = _redis_url()
    run = uuid.uuid4().hex[:10]
    env = {
        "DATABASE_URL": "",
        "REDIS_URL": redis_url,
        "DJANGO_SQLITE_PATH": str(database),
        "DJANGO_DEBUG": "1",
        "DJANGO_TRUSTED_PROXIES": NGINX_SEES_FROM,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_CHANNELS_PREFIX": f"p{run}",
        "DJANGO_CACHE_PREFIX": f"p{run}",
    }
    seeded = subprocess.run(
        [sys.executable, "-c", SEED, json.dumps(USERS), PASSWORD],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True,
        timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    daphnes = []
    nginx = None
    try:
        for n in range(2 if redis_url else 1):
            daphnes.append(
                servers.Daphne(env, log_dir=tmp, name=f"daphne{n}").start()
            )
        nginx = servers.Nginx(
            [f"{servers.LOOPBACK}:{d.port}" for d in daphnes], tmp=tmp / "nginx"
        ).start()
        yield Site(nginx=nginx, daphnes=daphnes, database=database)
    finally:
        if nginx is not None:
            nginx.stop()
        for d in daphnes:
            d.stop()


class Browser:
    """A client connecting from ``source`` (a loopback address of its own)."""

    def __init__(self, base: str, source: str):
        self.base = base
        self.http = httpx.Client(
            base_url=base,
            transport=httpx.HTTPTransport(local_address=source),
            timeout=30,
        )

    def sign_in(self, username: str, password: str, *, forged: str | None = None):
        page = self.http.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        headers = {"X-Forwarded-For": forged} if forged else {}
        return self.http.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
            },
            headers=headers,
        )

    def signed_in(self) -> bool:
        return "sessionid" in self.http.cookies


def test_forged_forwarded_for_headers_do_not_escape_the_lockout_through_nginx(site):
    attacker = Browser(site.nginx.url, "127.0.0.21")
    for i in range(12):
        response = attacker.sign_in("spoof-victim", "wrong", forged=f"8.8.4.{i}")
        if response.status_code == 429:
            break
    assert response.status_code == 429, "twelve forged addresses, never locked"
    assert i == 4  # the fifth failure locks (username, true address)
    again = attacker.sign_in("spoof-victim", PASSWORD, forged="8.8.8.8, 1.1.1.1")
    assert again.status_code == 429 and not attacker.signed_in()


def test_the_audit_log_records_the_true_address_not_the_forged_one(site):
    attacker = Browser(site.nginx.url, "127.0.0.22")
    for i in range(3):
        attacker.sign_in("audit-target", "wrong", forged=f"8.8.4.{i}, 9.9.9.{i}")
    failures = [
        e for e in site.audit(kind="sign_in_failed")
        if e["detail"].get("username") == "audit-target"
    ]
    assert [e["address"] for e in failures] == ["127.0.0.22"] * 3
    person = Browser(site.nginx.url, "127.0.0.23")
    assert person.sign_in("audit-target", PASSWORD, forged="8.8.4.200").status_code == 302
    assert site.audit(kind="sign_in")[-1]["address"] == "127.0.0.23"
    everything = json.dumps(site.audit())
    assert "8.8.4." not in everything and "9.9.9." not in everything


def test_the_victim_elsewhere_still_signs_in_while_the_attacker_is_locked(site):
    attacker = Browser(site.nginx.url, "127.0.0.24")
    for _ in range(5):
        attacker.sign_in("elsewhere-target", "wrong", forged="127.0.0.25")
    # The attacker named the victim's address in the header: it changed nothing.
    victim = Browser(site.nginx.url, "127.0.0.25")
    assert victim.sign_in("elsewhere-target", PASSWORD).status_code == 302
    assert victim.signed_in()


def test_a_client_reaching_daphne_directly_cannot_choose_its_address(site):
    """Only nginx's address is trusted: a client that reaches a daphne port
    from anywhere else is known by its own address, whatever it writes."""
    direct = Browser(site.daphnes[0].url, "127.0.0.26")
    for i in range(5):
        direct.sign_in("direct-target", "wrong", forged=f"8.8.4.{i}")
    assert direct.sign_in("direct-target", PASSWORD).status_code == 429
    addresses = {
        e["address"] for e in site.audit(kind="sign_in_failed")
        if e["detail"].get("username") == "direct-target"
    }
    assert addresses == {"127.0.0.26"}
    assert ipaddress.ip_address("127.0.0.26") not in ipaddress.ip_network(
        NGINX_SEES_FROM
    )
