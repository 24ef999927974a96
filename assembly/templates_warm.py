"""Compile the project's templates while a server starts.

Django's cached loader compiles a template the first time a request renders it:
the first ballot of the day rendered its acknowledgement, the status pushed to
its colleagues' phones and the room's tally from scratch, and the first burst of
a vote was answered a third slower than the next (docs/benchmarks.md). A server
compiles them all at start instead, in the background thread that builds the
Thai dictionary, before what it keeps for life is frozen out of the collector's
walks (``assembly.collector``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines

log = logging.getLogger("samatcha")


def template_names() -> list[str]:
    """Every ``.html`` template of the project's own directories."""
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += sorted(Path(settings.BASE_DIR).glob("*/templates"))
    names = set()
    for root in roots:
        names.update(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
    return sorted(names)


def compile_all() -> int:
    """Load (compile and cache) every project template; how many were loaded."""
    engine = engines["django"]
    loaded = 0
    for name in template_names():
        try:
            engine.get_template(name)
            loaded += 1
        except (TemplateDoesNotExist, TemplateSyntaxError):
            log.warning("template %s did not compile at start", name, exc_info=True)
    return loaded
