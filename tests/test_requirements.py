"""The two locks: `make run` installs only the app, `make test` adds the tests'
tools; each lock pins its whole tree exactly.

Read from pyproject.toml (the direct dependencies) and from the metadata of the
packages installed in this environment (what each one requires)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
TEST_TOOLS = {"pytest", "playwright", "hypothesis", "pytest-django", "httpx"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """{package: version} of a lock; its ``-r`` includes are not followed."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-r")):
            continue
        name, sep, version = line.partition("==")
        assert sep and version, f"{path.name}: {line!r} is not pinned exactly"
        found[canonical(name)] = version
    return found


def tree(direct: list[str]) -> set[str]:
    """Every package the direct requirements pull in (markers and extras
    evaluated for this interpreter), by the installed packages' metadata."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    todo = [Requirement(r) for r in direct]
    while todo:
        req = todo.pop()
        extras = set(req.extras)
        key = (canonical(req.name), tuple(sorted(extras)))
        if key in seen:
            continue
        seen.add(key)
        for spec in metadata.requires(req.name) or []:
            dep = Requirement(spec)
            if dep.marker is not None:
                wanted = any(
                    dep.marker.evaluate({**default_environment(), "extra": e})
                    for e in extras or {""}
                )
                if not wanted:
                    continue
            todo.append(dep)
    return {name for name, _extras in seen}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_the_app_lock_is_exactly_the_apps_tree_and_holds_no_test_tool():
    app = pins(ROOT / "requirements.lock")
    needed = tree(project()["dependencies"])
    assert set(app) == needed, (
        f"missing: {sorted(needed - set(app))}; not needed: {sorted(set(app) - needed)}"
    )
    assert not TEST_TOOLS & set(app)


def test_the_test_lock_adds_exactly_the_tests_tree_to_the_app_lock():
    text = (ROOT / "requirements-test.lock").read_text()
    assert "-r requirements.lock" in text.splitlines()
    app, added = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-test.lock")
    assert not set(app) & set(added), "a package pinned in both locks"
    everything = tree(
        project()["dependencies"] + project()["optional-dependencies"]["test"]
    )
    assert set(app) | set(added) == everything, (
        f"missing: {sorted(everything - set(app) - set(added))}; "
        f"not needed: {sorted(set(app) | set(added) - everything)}"
    )
    assert TEST_TOOLS <= set(added)


def test_what_is_installed_here_is_what_the_locks_pin():
    both = {**pins(ROOT / "requirements.lock"), **pins(ROOT / "requirements-test.lock")}
    for name, version in both.items():
        installed = metadata.version(name)
        assert Requirement(f"{name}=={version}").specifier.contains(installed), (
            name,
            version,
            installed,
        )


def test_make_run_installs_the_app_lock_and_make_test_both():
    makefile = (ROOT / "Makefile").read_text()
    run_deps = re.search(r"^run: (.*)$", makefile, re.M).group(1).split()
    test_deps = re.search(r"^test: (.*)$", makefile, re.M).group(1).split()
    assert run_deps == ["install"] and test_deps == ["install-test"]
    assert re.search(r"^install: \$\(VENV\)/\.installed$", makefile, re.M)
    app_rule = makefile.split("$(VENV)/.installed:", 1)[1].split("\n\n", 1)[0]
    assert "-r requirements.lock" in app_rule and "test" not in app_rule
    test_rule = makefile.split("$(VENV)/.installed-test:", 1)[1].split("\n\n", 1)[0]
    assert "-r requirements-test.lock" in test_rule
