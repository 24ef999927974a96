"""A server process settles Python's cycle collector once it has started
(assembly/collector.py): what it loaded for life is frozen out of every full
collection's walk, which stopped a busy server's event loop for up to a second;
and its young generation is larger. Checked in a process started as daphne
starts one: importing ``config.asgi``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from assembly import collector
from tests.realtime.servers import BASE_DIR

PROBE = """
import gc, json, threading
import config.asgi
for thread in threading.enumerate():
    if thread.name == "thai-warm-up":
        thread.join(60)
print(json.dumps({"frozen": gc.get_freeze_count(), "young": gc.get_threshold()[0]}))
"""


def started(settings_module: str, **env: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_server_freezes_what_it_loaded_and_collects_its_young_less_often():
    server = started("config.settings")
    # Django, the apps and the Thai dictionary: hundreds of thousands of objects.
    assert server["frozen"] > 100_000
    assert server["young"] == collector.YOUNG_THRESHOLD


def test_a_server_told_not_to_keeps_pythons_collector():
    server = started("config.settings", DJANGO_SETTLE_COLLECTOR="0")
    assert server == {"frozen": 0, "young": 700}
