"""`python -m bench [NAME ...] [OPTIONS]`: run benchmark scenarios.

Each scenario is a module ``bench/<name>.py`` with ``main(argv) -> dict``; it
prints JSON and appends a table to docs/benchmarks.md with the machine, the
command and the date. With no name, every scenario in SCENARIOS runs.
"""

from __future__ import annotations

import importlib
import json
import sys

SCENARIOS = ["realtime", "pdf"]


def main(argv: list[str]) -> int:
    # Leading scenario names; everything after them goes to the scenario(s).
    names = []
    while argv and argv[0] in SCENARIOS:
        names.append(argv.pop(0))
    names = names or SCENARIOS
    options = argv
    results = {}
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        results[name] = module.main(options)
    print(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
