"""A server compiles every template at start (assembly/templates_warm.py), so the
first ballot of the day does not pay for compiling its acknowledgement, its
colleagues' status push and the room's tally."""

from __future__ import annotations

from django.template import engines
from django.template.loaders import app_directories, filesystem

from assembly import templates_warm


def test_every_template_of_the_project_compiles_at_start():
    names = templates_warm.template_names()
    assert {"voting/ballot.html", "voting/result.html", "base.html",
            "assembly/widgets/searchable_checkboxes.html"} <= set(names)
    assert templates_warm.compile_all() == len(names)


def test_after_the_warm_up_the_ballots_templates_are_not_read_again(monkeypatch):
    engine = engines["django"].engine
    engine.template_loaders[0].reset()  # the cached loader, as a server starts
    templates_warm.compile_all()
    read = []
    for loader in (filesystem.Loader, app_directories.Loader):
        original = loader.get_contents

        def reading(self, origin, original=original):
            read.append(origin.template_name)
            return original(self, origin)

        monkeypatch.setattr(loader, "get_contents", reading)
    for name in ("voting/ballot.html#ballot-status", "voting/result.html#vote-result",
                 "agenda/room.html"):
        engines["django"].get_template(name)
    assert read == []
