"""One scale of the real-time benchmark, in its own process (its own settings).

Run by bench/realtime.py as ``python -m bench.drive CONFIG_JSON`` with the
environment naming the database; prints one JSON line. It starts the app as
configured, signs real sessions in over HTTP, opens real WebSockets, and
measures. Every count and every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import ssl
import statistics
import subprocess
import sys
import time

import httpx

from bench.clients import Session, Watcher, cast_ballot, follow, open_socket, sign_in
from tests.realtime import servers


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(
        ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 1
    )


def summary(values_ms: list[float]) -> dict:
    return {
        "n": len(values_ms),
        "p50": pct(values_ms, 50),
        "p95": pct(values_ms, 95),
        "p99": pct(values_ms, 99),
        "max": round(max(values_ms), 1) if values_ms else None,
    }


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def new_poll(room_id: int) -> int:
    """Close the room's open poll and open a fresh one (no push: the next
    ballot's push carries the new poll's panel)."""
    from django.utils import timezone

    from voting.models import Poll

    old = Poll.objects.get(room_id=room_id, status=Poll.Status.OPEN)
    Poll.objects.filter(pk=old.pk).update(
        status=Poll.Status.CLOSED, closed_at=timezone.now()
    )
    return Poll.objects.create(
        room_id=room_id,
        kind=old.kind,
        item_id=old.item_id,
        status=Poll.Status.OPEN,
        opened_at=timezone.now(),
    ).pk


def _statuses(results) -> dict:
    """How many answers of each HTTP status (0: none came)."""
    out: dict[str, int] = {}
    for _ms, status in results:
        out[str(status)] = out.get(str(status), 0) + 1
    return out


def floor_counts(poll_id: int) -> dict:
    from django.db import connection

    from bench import ballot_floor

    return ballot_floor.counted(connection, poll_id)


def ballot_counts(poll_id: int) -> dict:
    from voting.models import Ballot, BallotEvent

    rows = list(
        Ballot.objects.filter(poll_id=poll_id).values_list("partner_id", flat=True)
    )
    return {
        "ballots": len(rows),
        "distinct_partners": len(set(rows)),
        "events": BallotEvent.objects.filter(poll_id=poll_id).count(),
    }


class Run:
    def __init__(self, config: dict, seeded: dict, urls: list[str]):
        self.config = config
        self.seeded = seeded
        self.urls = urls
        self.room = seeded["room"]
        self.poll = seeded["poll"]
        self.http = httpx.AsyncClient(
            timeout=30, limits=httpx.Limits(max_connections=700)
        )
        self.sessions: list[Session] = []
        self.watcher: Watcher | None = None
        self.tasks: list[asyncio.Task] = []
        # Ballots go out as from phones: each session its own client and
        # connection. One client for 650 phones spent half the load process
        # in httpcore matching each request to one of 650 pooled connections
        # (a scan of every connection per request), and measured itself.
        self.phones: dict[int, httpx.AsyncClient] = {}
        self._tls = ssl.create_default_context()  # loaded once, not per phone

    def phone(self, i: int) -> httpx.AsyncClient:
        i %= len(self.sessions)
        if i not in self.phones:
            self.phones[i] = httpx.AsyncClient(
                timeout=30, verify=self._tls,
                limits=httpx.Limits(max_connections=6, max_keepalive_connections=2),
            )
        return self.phones[i]

    def prepare_phones(self) -> None:
        for i in range(len(self.sessions)):
            self.phone(i)

    async def sign_in_all(self) -> float:
        sem = asyncio.Semaphore(16)
        tokens = self.seeded["tokens"]

        async def one(i: int, token: str) -> Session:
            async with sem:
                return await sign_in(self.http, self.urls[i % len(self.urls)], token)

        t0 = time.monotonic()
        self.sessions = await asyncio.wait_for(
            asyncio.gather(*(one(i, t) for i, t in enumerate(tokens))), timeout=600
        )
        return time.monotonic() - t0

    async def open_sockets(
        self, count: int, *, first: int = 0, expected: int | None = None
    ) -> float:
        if self.watcher is None:
            self.watcher = Watcher(expected=expected or count)
        opened = {i: asyncio.Event() for i in range(first, first + count)}
        sem = asyncio.Semaphore(64)

        async def one(i: int) -> None:
            url = self.urls[i % len(self.urls)]
            session = self.sessions[i % len(self.sessions)]
            async with sem:
                task = asyncio.create_task(
                    follow(
                        self.watcher,
                        i,
                        "ws" + url[4:],
                        f"/ws/rooms/{self.room}/",
                        session,
                        origin=url,
                        opened=opened[i],
                        timeout=90,
                    )
                )
                self.tasks.append(task)
                await asyncio.wait_for(opened[i].wait(), 120)

        t0 = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*(one(i) for i in opened)), 900)
        if self.watcher.failed:  # measure on the sockets that did open
            self.watcher.expected = first + count - len(self.watcher.failed)
        if self.watcher.expected <= first + count:
            await self.watcher.wait_all(0, timeout=120)  # every socket sent the state
        return time.monotonic() - t0

    def reset_watch(self) -> None:
        w = self.watcher
        w.last.clear(), w.reached.clear(), w.all_reached_at.clear(), w.events.clear()

    async def vote(
        self, i: int, choice: str, poll: int | None = None
    ) -> tuple[float, int]:
        """(seconds to the acknowledgement, HTTP status; 0 if none came)."""
        session = self.sessions[i % len(self.sessions)]
        t0 = time.monotonic()
        try:
            r = await cast_ballot(
                self.phone(i),
                session,
                room_id=self.room,
                poll_id=poll or self.poll,
                choice=choice,
                base_url=self.urls[i % len(self.urls)],
                timeout=120,
            )
        except httpx.HTTPError:
            return time.monotonic() - t0, 0
        return time.monotonic() - t0, r.status_code

    async def burst(self, partners: int) -> dict:
        # Counted from before the first ballot: pushes arrive while acks do.
        before = dict(self.watcher.messages) if self.watcher else {}
        t0 = time.monotonic()
        results = await asyncio.wait_for(
            asyncio.gather(*(self.vote(i, "full") for i in range(partners))),
            timeout=300,
        )
        acked = [ms for ms, status in results if status == 200]
        if self.watcher is None:  # the ballot floor: no sockets
            counts = await asyncio.to_thread(floor_counts, self.poll)
            return {
                "sent": partners,
                "acknowledged": len(acked),
                "errors": partners - len(acked),
                "statuses": _statuses(results),
                "ack_ms": summary([ms * 1000 for ms in acked]),
                **counts,
            }
        pushed_all = None
        try:
            done = await self.watcher.wait_all(partners, timeout=180)
            pushed_all = round((done - t0) * 1000, 1)
        except asyncio.TimeoutError:
            pass
        await asyncio.sleep(0.5)
        per_socket = [
            self.watcher.messages.get(i, 0) - before.get(i, 0)
            for i in range(self.watcher.expected)
        ]
        counts = await asyncio.to_thread(ballot_counts, self.poll)
        return {
            "sent": partners,
            "acknowledged": len(acked),
            "errors": partners - len(acked),
            "statuses": _statuses(results),
            "ack_ms": summary([ms * 1000 for ms in acked]),
            "last_socket_has_full_tally_ms": pushed_all,
            "messages_per_socket_max": max(per_socket),
            "messages_per_socket_mean": round(statistics.mean(per_socket), 1),
            **counts,
        }

    async def push_latency(self, ballots: int, gap: float) -> dict:
        self.poll = await asyncio.to_thread(new_poll, self.room)
        await asyncio.sleep(0.5)
        self.reset_watch()
        latencies, acks, missed = [], [], 0
        for k in range(1, ballots + 1):
            took, status = await self.vote(k - 1, "support")
            answered = time.monotonic()
            if status != 200:
                continue
            acks.append(took * 1000)
            try:
                done = await self.watcher.wait_all(k, timeout=30)
            except asyncio.TimeoutError:
                missed += 1
                continue
            latencies.append(max(0.0, (done - answered) * 1000))
            await asyncio.sleep(gap)
        return {
            "push_ms": summary(latencies),
            "ack_ms": summary(acks),
            "not_reaching_every_socket_in_30s": missed,
        }

    async def sustained(self, rates: list[int], seconds: float, voters: int) -> dict:
        """Ballots (changes, round-robin over partners) at rising rates; the
        highest rate whose acknowledgement p99 stays within 500 ms."""
        steps, best = [], None
        choices = ["full", "support", "live"]
        n = 0
        for rate in rates:
            total = int(rate * seconds)
            t0 = time.monotonic()
            pending = []
            for j in range(total):
                due = t0 + j / rate
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                n += 1
                pending.append(
                    asyncio.create_task(
                        self.vote(n % voters, choices[(n // voters) % 3])
                    )
                )
            results = await asyncio.wait_for(asyncio.gather(*pending), timeout=300)
            elapsed = time.monotonic() - t0
            ok = [ms * 1000 for ms, status in results if status == 200]
            step = {
                "offered_per_s": rate,
                "achieved_per_s": round(len(ok) / elapsed, 1),
                "errors": total - len(ok),
                "ack_ms": summary(ok),
            }
            steps.append(step)
            if step["errors"] or (step["ack_ms"]["p99"] or 1e9) > 500:
                break
            best = step["achieved_per_s"]
            await asyncio.sleep(1)
        return {"max_ballots_per_s_p99_within_500ms": best, "steps": steps}

    async def page_times(self, requests: int) -> dict:
        me = self.sessions[0]
        room_url = f"{self.urls[0]}/rooms/{self.room}/"
        board_url = f"{self.urls[0]}/board/{self.seeded['assembly']}/"
        out = {}
        for name, url, headers in [
            ("room_page", room_url, me.headers(htmx=False)),
            ("public_board", board_url, {}),
        ]:
            times, status = [], None
            for _ in range(3):  # warm-up: first renders compile templates
                await self.http.get(url, headers=headers)
            for _ in range(requests):
                t0 = time.monotonic()
                r = await self.http.get(url, headers=headers)
                times.append((time.monotonic() - t0) * 1000)
                status = r.status_code
            out[name] = {"status": status, **summary(times)}
        return out

    async def close(self) -> None:
        if self.http.is_closed:
            return
        for ws in list(self.watcher.sockets.values()) if self.watcher else []:
            try:
                await asyncio.wait_for(ws.close(), 2)
            except Exception:  # noqa: BLE001
                pass
        for t in self.tasks:
            t.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.close_phones()
        await self.http.aclose()

    async def close_phones(self) -> None:
        phones, self.phones = list(self.phones.values()), {}
        await asyncio.gather(*(p.aclose() for p in phones), return_exceptions=True)


async def floor(sockets: int, pushes: int, fragment: str, gap: float) -> dict:
    """The same fragment to the same number of sockets from a bare server."""
    port = servers.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.floor", str(port)],
        stdout=subprocess.PIPE,
        cwd=servers.BASE_DIR,
    )
    try:
        servers.wait_for_port(port, timeout=20, process=proc)
        base = f"ws://{servers.LOOPBACK}:{port}"
        origin = f"http://{servers.LOOPBACK}:{port}"
        watcher = Watcher(expected=sockets)
        opened = [asyncio.Event() for _ in range(sockets)]
        tasks = []
        sem = asyncio.Semaphore(64)

        async def one(i):
            async with sem:
                tasks.append(
                    asyncio.create_task(
                        follow(
                            watcher,
                            i,
                            base,
                            "/ws",
                            None,
                            origin=origin,
                            opened=opened[i],
                        )
                    )
                )
                await asyncio.wait_for(opened[i].wait(), 30)

        await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(sockets))), 300)
        control = await open_socket(base, "/control", None, origin=origin)
        latencies = []
        for k in range(1, pushes + 1):
            html = _with_tally(fragment, k)
            t0 = time.monotonic()
            await control.send("push " + html)
            done = await watcher.wait_all(k, timeout=30)
            latencies.append((done - t0) * 1000)
            await control.recv()
            await asyncio.sleep(gap)
        await control.close()
        for ws in list(watcher.sockets.values()):
            await ws.close()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return {"push_ms": summary(latencies)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _floor_setup(room_id: int, sessions: dict, path: str) -> int:
    """A fresh poll for the floor, its table, and who each session is."""
    from django.db import connection

    from bench import ballot_floor

    ballot_floor.create_table(connection)
    with open(path, "w") as fh:
        json.dump(sessions, fh)
    return new_poll(room_id)


async def ballot_floor(config: dict, seeded: dict, run: Run) -> dict:
    """The app's burst and sustained ballots, against the bare ASGI floor on as
    many daphne processes, the same database, client and sessions."""
    path = os.path.join(config["log_dir"], "floor-sessions.json")
    sessions = {s.session_id: seeded["partners"][i] for i, s in enumerate(run.sessions)}
    poll = await asyncio.to_thread(_floor_setup, seeded["room"], sessions, path)
    env = {**config["env"], "BENCH_FLOOR_SESSIONS": path}
    daphnes = [
        servers.Daphne(
            env,
            log_dir=config["log_dir"],
            name=f"ballot-floor{i}",
            app="bench.ballot_floor:application",
        ).start()
        for i in range(config["processes"])
    ]
    floor_run = Run(config, seeded, [d.url for d in daphnes])
    floor_run.sessions, floor_run.poll = run.sessions, poll
    floor_run.prepare_phones()
    try:
        # Warm up as the app was (its pages were served first): each process
        # opens its database connections before the burst.
        for i in range(len(daphnes)):
            for _ in range(3):
                await floor_run.vote(i, "support")
        await asyncio.sleep(1)
        burst = await floor_run.burst(config["partners"])
        sustained = await floor_run.sustained(
            config["rates"] + config.get("floor_rates", []),
            config["rate_seconds"],
            config["partners"],
        )
    finally:
        await floor_run.close_phones()
        await floor_run.http.aclose()
        for d in daphnes:
            d.stop()
    return {"burst": burst, "sustained": sustained}


def _ratio(ours, base) -> float | None:
    if ours is None or not base:
        return None
    return round(ours / base, 2)


def _with_tally(fragment: str, value: int) -> str:
    import re

    return re.sub(
        r'(<progress max="\d+" value=")\d+(")', rf"\g<1>{value}\2", fragment, count=1
    )


async def drive(config: dict) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    env = config["env"]
    seeded = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.seed",
                "--partners",
                str(config["partners"]),
                "--migrate",
            ],
            env={**os.environ, **env},
            cwd=servers.BASE_DIR,
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        ).stdout
    )
    daphnes = [
        servers.Daphne(env, log_dir=config["log_dir"], name=f"daphne{i}").start()
        for i in range(config["processes"])
    ]
    result: dict = {
        "scale": config["name"],
        "partners": config["partners"],
        "sockets": config["sockets"],
        "processes": config["processes"],
        "layer": "redis pub/sub" if env.get("REDIS_URL") else "in-memory",
        "database": "postgresql" if env.get("DATABASE_URL") else "sqlite",
    }
    run = Run(config, seeded, [d.url for d in daphnes])
    try:
        result["sign_in_s"] = round(await run.sign_in_all(), 1)
        run.prepare_phones()
        # Warm up (templates, connections, one socket in ten), then measure the
        # memory the remaining sockets add while idle.
        total = config["sockets"]
        warm = max(len(daphnes), total // 10)
        result["pages"] = await run.page_times(config["page_requests"])
        await run.open_sockets(warm, expected=total)
        await asyncio.sleep(2)
        rss_before = sum(rss_kib(d.pid) for d in daphnes)
        result["open_sockets_s"] = round(
            await run.open_sockets(total - warm, first=warm), 1
        )
        await asyncio.sleep(3)
        rss_after = sum(rss_kib(d.pid) for d in daphnes)
        opened_now = total - warm - len(run.watcher.failed)
        result["sockets_failed_to_open"] = len(run.watcher.failed)
        if run.watcher.failed:
            result["socket_failure_sample"] = next(iter(run.watcher.failed.values()))
        result["memory_per_idle_socket_kib"] = round(
            (rss_after - rss_before) / max(1, opened_now), 1
        )
        result["burst"] = await run.burst(config["partners"])
        result["push"] = await run.push_latency(config["push_ballots"], config["gap"])
        result["sustained"] = await run.sustained(
            config["rates"], config["rate_seconds"], config["partners"]
        )
        sockets = run.watcher.expected if run.watcher else 0
        await run.close()
        for d in daphnes:
            d.stop()
        daphnes = []
        result["ballot_floor"] = await ballot_floor(config, seeded, run)
        ours_b, floor_b = result["burst"], result["ballot_floor"]["burst"]
        ours_s = result["sustained"]["max_ballots_per_s_p99_within_500ms"]
        floor_s = result["ballot_floor"]["sustained"][
            "max_ballots_per_s_p99_within_500ms"
        ]
        result["ballot_ratios"] = {
            "burst_ack_p50": _ratio(ours_b["ack_ms"]["p50"], floor_b["ack_ms"]["p50"]),
            "burst_ack_p99": _ratio(ours_b["ack_ms"]["p99"], floor_b["ack_ms"]["p99"]),
            "sustained": _ratio(ours_s or 0, floor_s),
        }
        result["sockets_measured"] = sockets
        sample = await asyncio.to_thread(_sample_fragment, seeded["room"])
        result["floor"] = await floor(
            config["sockets"], config["push_ballots"], sample, config["gap"]
        )
        ours, base = result["push"]["push_ms"], result["floor"]["push_ms"]
        result["floor_ratio_p50"] = round(ours["p50"] / max(base["p50"], 0.1), 1)
        result["floor_ratio_p99"] = round(ours["p99"] / max(base["p99"], 0.1), 1)
    finally:
        try:
            await run.close()
        except Exception:  # noqa: BLE001
            pass
        for d in daphnes:
            d.stop()
    return result


def _sample_fragment(room_id: int) -> str:
    """The result panel as pushed to the room now (the floor sends the same)."""
    from assembly.models import Room
    from voting import live

    return live.render_result(Room.objects.get(pk=room_id), signals=False)


if __name__ == "__main__":
    cfg = json.loads(sys.argv[1])
    django_setup()
    print(json.dumps(asyncio.run(asyncio.wait_for(drive(cfg), cfg["deadline_s"]))))
