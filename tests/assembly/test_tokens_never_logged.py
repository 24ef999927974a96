"""Issue 11 item 8: nothing stores or logs a usable sign-in token.

A real sign-in through a real daphne process (its access log on, as in
production), then every table of its database and every line it printed are
searched for the token. The token travels in the link's fragment, which no
browser sends; the sign-in page posts it in the body."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys

import httpx
import pytest

from tests.realtime import servers

ROOT = servers.BASE_DIR

SEED = """
import json
from assembly import services
from tests import factories
w = factories.world(partners=2, rooms=1, alternates=0, checked_in=False)
d = w.delegates[0]
token = services.signin_link_issue(delegate=d, actor=w.secretariat)
staff = w.facilitators[w.rooms[0].pk]
staff_token = services.signin_link_issue(user=staff, actor=w.secretariat)
print("SEED" + json.dumps({"token": token, "staff_token": staff_token,
                           "room": d.partner.room_id}))
"""


@pytest.fixture
def served(tmp_path):
    """A daphne process on a fresh SQLite file with one delegate's link."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    for command in (["migrate", "--noinput"], ["shell", "-c", SEED]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    seeded = json.loads(done.stdout.split("SEED", 1)[1])
    daphne = servers.Daphne({k: env[k] for k in ("DJANGO_SQLITE_PATH", "DATABASE_URL",
                                                 "REDIS_URL")},
                            log_dir=tmp_path, name="signin")
    daphne.start()
    try:
        yield daphne, seeded, tmp_path / "db.sqlite3"
    finally:
        daphne.stop()


def sign_in(http: httpx.Client, base: str, token: str) -> httpx.Response:
    """What a phone does with /s/#<token>: GET /s/ (the fragment stays in the
    browser), then the page's script posts the token with the CSRF token."""
    page = http.get(f"{base}/s/")
    assert page.status_code == 200
    assert token not in page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return http.post(f"{base}/s/", data={"csrfmiddlewaretoken": csrf, "token": token},
                     headers={"Referer": f"{base}/s/"}, follow_redirects=False)


def database_text(path) -> str:
    """Every value of every table, as text."""
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        chunks = []
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                chunks += [v.decode("latin-1") if isinstance(v, bytes) else str(v)
                           for v in row]
        return "\n".join(chunks)
    finally:
        db.close()


def test_a_real_sign_in_leaves_the_token_in_no_table_and_no_log(served):
    daphne, seeded, db_path = served
    forged = "F" * 43
    with httpx.Client(timeout=20) as http:
        done = sign_in(http, daphne.url, seeded["token"])
        assert done.status_code == 302, done.text[:500]
        room = http.get(daphne.url + done.headers["location"])
        assert room.status_code == 200
        assert f"/rooms/{seeded['room']}/" in done.headers["location"]
    with httpx.Client(timeout=20) as staff:
        assert sign_in(staff, daphne.url, seeded["staff_token"]).status_code == 302
    with httpx.Client(timeout=20) as stranger:
        assert sign_in(stranger, daphne.url, forged).status_code == 403
    daphne.stop()
    log = daphne.log(tail=10**7)
    # The access log is on and saw the sign-ins: the search below means something.
    assert log.count('"POST /s/') >= 3, log[-2000:]
    stored = database_text(db_path)
    assert "sign_in" in stored  # the audit rows are there ...
    for token in (seeded["token"], seeded["staff_token"], forged):
        for text, where in ((log, "daphne's output"), (stored, "the database")):
            assert token not in text, where
            assert token[:16] not in text, where  # not even part of it
