"""Python's cycle collector in a server process.

A daphne process holding a thousand sockets carries some 750,000 objects, and
each full collection walked every one of them with the event loop stopped: 0.5
to 1 s, a dozen times in the three minutes of the national benchmark. The
ballots waiting then were its slowest acknowledgements (docs/benchmarks.md).

Once the process has loaded what it keeps for its life (Django, the apps, the
Thai dictionary), ``settle``:

- collects, then freezes what is left: some 580,000 objects (modules, classes,
  functions, the dictionary) go to a permanent generation that no collection
  walks again. They live as long as the process (one that is dropped later is
  still freed when nothing refers to it; only a frozen cycle would stay), and
  nothing created after start is frozen;
- makes the young generation hold 10,000 allocations before a collection
  (Python's default is 700): a request's objects mostly die within that span,
  so fewer survive into the older generations and full collections are rare.

Only server processes settle (``config/asgi.py``, ``SERVER_SETTLES_COLLECTOR``);
the test process keeps Python's defaults.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000


def settle() -> None:
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
