"""Where a benchmark ran: machine, command and date, for docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def describe() -> dict:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "command": "make bench BENCH_ARGS=" + shlex.quote(" ".join(sys.argv[1:]))
        if sys.argv[1:] else "make bench",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        # Others' work on the same cores makes every figure slower: say how busy.
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def append_section(title: str, header: list[str], rows: list[list], notes: str = "") -> None:
    """Append a Markdown table with the machine description to docs/benchmarks.md."""
    m = describe()
    lines = [
        f"\n## {title}\n",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}. Command: `{m['command']}`. Date: {m['date']}. "
        f"Load average when written: {m['load']}.\n",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    if notes:
        lines += ["", notes]
    DOCS.parent.mkdir(exist_ok=True)
    if not DOCS.exists():
        DOCS.write_text("# Benchmarks\n\nFigures produced by `make bench`; each section "
                        "says on which machine, with which command, and when.\n")
    with DOCS.open("a") as fh:
        fh.write("\n".join(lines) + "\n")
