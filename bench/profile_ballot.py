"""`python -m bench.profile_ballot`: cProfile of ballots through the real view.

Seeds 65 partners in a temporary SQLite database (bench/seed.py), signs their
delegates in with Django's test client, casts 40 ballots through the ballot view
(as htmx posts them) and prints the query count of one ballot, the time per
ballot and the profile of the project's own code. In a management-command-like
process there is no server event loop, so each ballot renders its tally push at
once (uncoalesced): in a server that render happens once per 100 ms instead.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time

PATTERN = (
    r"(voting|assembly|agenda|rules|template/loader"
    r"|db/models/sql/compiler.py.*execute_sql)"
)


def main() -> None:
    db = os.path.join(tempfile.mkdtemp(prefix="samatcha-profile-"), "db.sqlite3")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SQLITE_PATH": db,
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
        }
    )
    seeded = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.seed", "--partners", "65", "--migrate"],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assembly.models import Delegate

    room, poll = seeded["room"], seeded["poll"]
    clients = []
    for d in Delegate.objects.filter(partner__room_id=room).order_by("pk")[:41]:
        c = Client()
        c.force_login(d.user)
        clients.append(c)

    def cast(i: int, choice: str) -> None:
        r = clients[i].post(
            f"/rooms/{room}/ballot/",
            {"poll": poll, "choice": choice, "reason": ""},
            HTTP_HX_REQUEST="true",
        )
        assert r.status_code == 200, r.status_code

    cast(40, "full")  # warm-up
    with CaptureQueriesContext(connection) as queries:
        cast(0, "full")
    print("queries in one ballot (with its uncoalesced push):", len(queries))
    profile = cProfile.Profile()
    t0 = time.perf_counter()
    profile.enable()
    for k in range(1, 40):
        cast(k, "support")
    profile.disable()
    print("ms per ballot:", round((time.perf_counter() - t0) / 39 * 1000, 1))
    pstats.Stats(profile).sort_stats("cumulative").print_stats(PATTERN, 30)


if __name__ == "__main__":
    main()
