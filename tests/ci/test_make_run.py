"""`make run`, the README's first command (issue 11: defaults and reliability)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT, env={**os.environ, **(env or {})},
        capture_output=True, text=True, timeout=120,
    )


def test_a_second_make_run_on_a_busy_port_changes_nothing_and_issues_no_links(
    tmp_path,
):
    database = tmp_path / "second.sqlite3"
    with socket.socket() as running:  # the first `make run`, serving
        running.bind(("127.0.0.1", 0))
        running.listen()
        port = running.getsockname()[1]
        done = make("run", f"PORT={port}", env={"DJANGO_SQLITE_PATH": str(database)})
    assert done.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "no links were issued" in done.stderr
    assert "/s/" not in done.stdout  # no personal link printed ...
    assert "migrate" not in done.stdout  # ... and nothing ran before the check
    assert not database.exists()


def test_a_free_port_passes_the_check():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = make("port-free", f"PORT={port}")
    assert done.returncode == 0, done.stderr


def test_make_run_asks_for_development_mode_and_a_local_key_explicitly():
    done = make("-n", "run", "PORT=1")
    assert done.returncode == 0, done.stderr
    commands = [line for line in done.stdout.splitlines() if "manage.py" in line]
    commands += [line for line in done.stdout.splitlines() if "daphne" in line]
    assert commands
    for line in commands:
        assert "DJANGO_DEBUG=1" in line and "DJANGO_SECRET_KEY=" in line, line
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".secret_key"], cwd=ROOT
    ).returncode
    assert ignored == 0, ".secret_key must never be committed"
