"""`python -m bench realtime [--scale seed|national|both] [--quick]`.

Two scales, each in its own process (bench/drive.py) with its own database:

- seed: 65 partners, 80 sockets, one daphne process, the embedded settings
  (a fresh SQLite file, the in-memory channel layer, the local-memory cache);
- national: 650 partners, 2,000 sockets over two daphne processes sharing a
  fresh PostgreSQL database (``samatcha_bench``, dropped and created) and Redis
  (channel layer and cache, under a prefix of this run). Needs PostgreSQL and
  Redis: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/
  samatcha_bench``) and ``REDIS_URL`` (default ``redis://127.0.0.1:6379/0``);
  skipped, with the reason, when they cannot be reached.

Plus the embedded channel layers compared at 2,000 members (bench/layerbench.py).
Everything runs on 127.0.0.1; every count and wait is bounded. Results are
printed as JSON and appended as tables to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import uuid
from urllib.parse import urlparse, urlunparse

from bench import machine

SCALES = {
    "seed": {
        "partners": 65,
        "sockets": 80,
        "processes": 1,
        "push_ballots": 30,
        "gap": 0.3,
        # Doubling, then steps of 40 from 80: a doubling ramp could only say
        # 80, 160 or 320, too coarse to tell a third of the floor (~213).
        "rates": [5, 10, 20, 40, 80, 120, 160, 200, 240, 280, 320],
        "rate_seconds": 3,
        "floor_rates": [640],
        "page_requests": 40,
        "deadline_s": 900,
    },
    "national": {
        "partners": 650,
        "sockets": 2000,
        "processes": 2,
        "push_ballots": 20,
        "gap": 0.5,
        "rates": [10, 20, 40, 80, 120, 160, 200, 240, 280, 320],
        "rate_seconds": 3,
        "floor_rates": [640, 1280],
        "page_requests": 40,
        "deadline_s": 1800,
    },
}
QUICK = {
    "seed": {
        "sockets": 20,
        "partners": 15,
        "push_ballots": 5,
        "rates": [20, 50],
        "floor_rates": [100],
        "rate_seconds": 1,
        "page_requests": 5,
    },
    "national": {
        "sockets": 100,
        "partners": 40,
        "push_ballots": 5,
        "rates": [20, 50],
        "floor_rates": [100],
        "rate_seconds": 1,
        "page_requests": 5,
    },
}

BENCH_DB = "postgres://postgres@127.0.0.1:5432/samatcha_bench"


def _fresh_postgres(url: str) -> None:
    """Drop and create the benchmark's own database (never another one)."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith("samatcha_bench"):
        raise SystemExit(
            f"refusing to recreate {name!r}: not a samatcha_bench database"
        )
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _redis_ok(url: str) -> str | None:
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=3).ping()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {url} unreachable: {exc}"


def environment(scale: str, log_dir: str) -> tuple[dict | None, str | None]:
    run = uuid.uuid4().hex[:8]
    # Production mode, as deployed (docs/deploy.md), but over plain HTTP on
    # loopback: no TLS redirect. Static files are collected first (collect_static).
    base = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    if scale == "seed":
        path = os.path.join(log_dir, "bench.sqlite3")
        return {
            **base,
            "DJANGO_SQLITE_PATH": path,
            "DATABASE_URL": "",
            "REDIS_URL": "",
        }, None
    db = os.environ.get("BENCH_DATABASE_URL", BENCH_DB)
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    problem = _redis_ok(redis_url)
    if problem:
        return None, problem
    try:
        _fresh_postgres(db)
    except Exception as exc:  # noqa: BLE001
        return None, f"PostgreSQL for {db} unavailable: {exc}"
    return {
        **base,
        "DATABASE_URL": db,
        "REDIS_URL": redis_url,
        "DJANGO_CHANNELS_PREFIX": f"bench{run}",
        "DJANGO_CACHE_PREFIX": f"bench{run}",
        "DB_POOL_MIN": "4",
        "DB_POOL_MAX": "20",
        "DJANGO_SQLITE_PATH": "",
    }, None


def collect_static(env: dict) -> None:
    """The manifest production mode serves static files from (DJANGO_STATIC_ROOT)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env={**os.environ, **env},
        cwd=machine.DOCS.parent.parent,
        check=True,
        timeout=300,
    )


def run_scale(scale: str, quick: bool) -> dict:
    config = {"name": scale, **SCALES[scale], **(QUICK[scale] if quick else {})}
    log_dir = tempfile.mkdtemp(prefix=f"samatcha-bench-{scale}-")
    env, problem = environment(scale, log_dir)
    if env is None:
        return {"scale": scale, "skipped": problem}
    # Its own static root: collecting into the shared staticfiles/ would pull
    # files from under any other process serving from it (a test run).
    env["DJANGO_STATIC_ROOT"] = os.path.join(log_dir, "static")
    config.update(env=env, log_dir=log_dir)
    collect_static(env)
    child_env = {**os.environ, **env}
    done = subprocess.run(
        [sys.executable, "-m", "bench.drive", json.dumps(config)],
        env=child_env,
        cwd=machine.DOCS.parent.parent,
        capture_output=True,
        text=True,
        timeout=config["deadline_s"] + 60,
    )
    if done.returncode != 0:
        return {"scale": scale, "failed": done.stderr[-3000:], "logs": log_dir}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["logs"] = log_dir
    return result


def _ms(d: dict | None, key: str) -> str:
    return "–" if not d or d.get(key) is None else f"{d[key]:g}"


def _pair(d: dict | None, a: str = "p50", b: str = "p99") -> str:
    return f"{_ms(d, a)} / {_ms(d, b)}"


def _sustained(s: dict) -> str:
    best = s["max_ballots_per_s_p99_within_500ms"]
    if best is not None:
        last = s["steps"][-1]
        passed = not last["errors"] and (last["ack_ms"]["p99"] or 1e9) <= 500
        return f"≥ {best:g}" if passed else f"{best:g}"
    first = s["steps"][0] if s["steps"] else None
    return f"< {first['offered_per_s']}" if first else "–"


def _burst(b: dict) -> str:
    refused = b["errors"]
    return (
        f"{b['sent']} sent, {b['acknowledged']} acked, {refused} refused or "
        f"unanswered, {b['ballots']} counted ({b['distinct_partners']} partners)"
    )


def _setup(r: dict) -> str:
    return (
        f"{r['sockets']} sockets, {r['processes']} × daphne, {r['layer']}, "
        f"{r['database']}"
    )


def report(results: list[dict], layers: list[dict]) -> None:
    ballots, pushes = [], []
    for r in results:
        if "skipped" in r or "failed" in r:
            why = "not run: " + (r.get("skipped") or "failed; see JSON")
            ballots.append([r["scale"], why] + [""] * 6)
            pushes.append([r["scale"], why] + [""] * 6)
            continue
        floor = r["ballot_floor"]
        ratios = r["ballot_ratios"]
        ballots.append(
            [
                r["scale"],
                _setup(r),
                _burst(r["burst"]) + " / floor: " + _burst(floor["burst"]),
                _pair(r["burst"]["ack_ms"]),
                _pair(floor["burst"]["ack_ms"]),
                f"{ratios['burst_ack_p50']} / {ratios['burst_ack_p99']}",
                f"{_sustained(r['sustained'])} / {_sustained(floor['sustained'])}",
                f"{ratios['sustained']}",
            ]
        )
        push, base = r["push"]["push_ms"], r["floor"]["push_ms"]
        pushes.append(
            [
                r["scale"],
                _setup(r),
                f"{_pair(push)} / {_ms(push, 'max')}",
                _pair(base),
                f"{r['floor_ratio_p50']} / {r['floor_ratio_p99']}",
                f"{r['burst']['last_socket_has_full_tally_ms'] or '–'} ms, "
                f"{r['burst']['messages_per_socket_max']} messages per socket",
                f"{r['memory_per_idle_socket_kib']}",
                f"{_pair(r['pages']['room_page'], 'p50', 'p95')} / "
                f"{_pair(r['pages']['public_board'], 'p50', 'p95')}",
            ]
        )
    machine.append_section(
        "Real time: ballots beside the bare ASGI floor",
        [
            "scale",
            "setup",
            "burst (app / floor)",
            "burst ack ms p50 / p99",
            "floor ack ms p50 / p99",
            "ratio p50 / p99",
            "sustained ballots/s, p99 ≤ 500 ms (app / floor)",
            "ratio",
        ],
        ballots,
        notes="The floor (bench/ballot_floor.py) is a bare ASGI app on as many daphne "
        "processes, on the same database, hit by the same client with the same "
        "sessions: it locks the poll row FOR SHARE, upserts one row and answers a "
        "small fragment. Sustained: ballots at rising rates (doubling to 80/s, then "
        "40/s more each step), round-robin over the partners, until an "
        "acknowledgement p99 passes 500 ms or one is refused; the floor then at "
        "640 and 1280/s, where one load process can send about 640 a second "
        "(the floor's figure is the load client's ceiling, not the floor's).",
    )
    machine.append_section(
        "Real time: pushes beside the bare websockets floor, memory, pages",
        [
            "scale",
            "setup",
            "push ms p50 / p99 / max",
            "floor push ms p50 / p99",
            "ratio p50 / p99",
            "burst: last socket has the full tally; messages",
            "KiB per idle socket",
            "room page / public board ms p50 / p95",
        ],
        pushes,
        notes="Push latency: from a ballot's HTTP response to the last socket having "
        "the new tally (each process hands a room's sockets at most one tally per "
        "window: 100 ms, widening to 1 s with the cost of a push to them). The floor "
        "(bench/floor.py) broadcasts the same fragment to as many sockets with the "
        "bare websockets library. The clients (every socket, and one HTTP client "
        "per phone) run in one Python process on the same machine. Full JSON is "
        "printed by the command.",
    )
    machine.append_section(
        "Embedded channel layers, one group of 2,000 members",
        [
            "layer",
            "group_send ms p50",
            "group_send ms max",
            "fan-out ms p50",
            "fan-out ms p99",
        ],
        [
            [
                x["layer"],
                x["group_send_ms_p50"],
                x["group_send_ms_max"],
                x["fanout_ms_p50"],
                x["fanout_ms_p99"],
            ]
            for x in layers
        ],
        notes="Fan-out: the group send plus every member receiving the message, as "
        "2,000 consumers would (bench/layerbench.py).",
    )


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench realtime")
    parser.add_argument("--scale", choices=["seed", "national", "both"], default="both")
    parser.add_argument(
        "--quick", action="store_true", help="small counts, for trying the harness out"
    )
    parser.add_argument(
        "--no-docs",
        action="store_true",
        help="print only; do not append to docs/benchmarks.md",
    )
    args, _ = parser.parse_known_args(argv)
    from bench import layerbench

    layers = layerbench.run(
        members=200 if args.quick else 2000, rounds=3 if args.quick else 10
    )
    scales = ["seed", "national"] if args.scale == "both" else [args.scale]
    results = [run_scale(s, args.quick) for s in scales]
    if not args.no_docs:
        report(results, layers)
    return {"scales": results, "layers": layers}
