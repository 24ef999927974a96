"""The real app in Debian's Chromium.

One daphne process serves the app for the whole session, on a free port of
127.0.0.1, against a fresh SQLite file in a temporary folder. Data the scenario
needs is made by ``tests/browser/seed.py`` in a subprocess, through the services,
the way a secretariat would (the browser tests never touch the database in this
process: Playwright's sync API runs an event loop here, and the server owns the
file).

Chromium is ``/usr/bin/chromium`` with the flags of DEVELOPERS.md; no browser is
ever downloaded. Without it the tests are skipped with the way to install it,
except under ``CI=true``, where a missing Chromium is a failure.

Every page opened through ``open_context`` is watched: a console message saying
``Refused to`` (a Content Security Policy violation) or an uncaught page error
fails the test that opened it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 860}
PROJECTOR = {"width": 1920, "height": 1080}
LOCALES = {"th": "th-TH", "en": "en-GB"}
SEED = Path(__file__).with_name("seed.py")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def require_chromium() -> None:
    if os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return
    message = f"{CHROMIUM} is missing: install Chromium: apt-get install chromium"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- The server -------------------------------------------------------------------


@dataclass
class Server:
    base_url: str
    env: dict
    workdir: Path
    log_path: Path
    process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def seed(self, command: str, **params) -> dict:
        """Run a command of ``seed.py`` against the server's database; its JSON."""
        done = subprocess.run(
            [sys.executable, str(SEED), command, json.dumps(params)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"seed.py {command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
            )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def server_env(workdir: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
        DJANGO_SQLITE_PATH=str(workdir / "browser.sqlite3"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


def wait_until_serving(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"daphne exited early:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url("/login/"), timeout=5) as resp:
                if resp.status == 200:
                    return
        except Exception as exc:  # noqa: BLE001 - not up yet
            last = exc
        time.sleep(0.25)
    raise RuntimeError(
        f"daphne did not answer in {timeout}s ({last}):\n{server.log_tail()}"
    )


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[Server]:
    """The app served by daphne on a free port, on a fresh SQLite file."""
    require_chromium()
    workdir = tmp_path_factory.mktemp("samatcha-browser")
    env = server_env(workdir)
    ARTIFACTS.mkdir(exist_ok=True)
    for stale in ARTIFACTS.glob("failed-*.png"):
        stale.unlink()
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    port = free_port()
    server = Server(
        base_url=f"http://127.0.0.1:{port}",
        env=env,
        workdir=workdir,
        log_path=ARTIFACTS / "daphne.log",
    )
    log = open(server.log_path, "w")
    server.process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_serving(server)
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)
        log.close()


# --- The browser ------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, launched by Playwright (never a downloaded browser)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageProblems:
    """What the watched pages said that a person should never cause."""

    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    step: str = ""  # what the test was doing, set by the test

    def watch(self, page, who: str) -> None:
        def on_console(msg):
            text = msg.text
            if (
                "Refused to" in text
                or "Content Security Policy" in text
                or text.startswith("CSP-VIOLATION")
            ):
                self.csp.append(f"[{self.step}] {who} {page.url}: {text}")

        def on_error(exc):
            self.errors.append(f"[{self.step}] {who} {page.url}: {exc}")

        page.on("console", on_console)
        page.on("pageerror", on_error)

    def check(self) -> None:
        assert not self.csp, "Content Security Policy violations:\n" + "\n".join(
            self.csp
        )
        assert not self.errors, "JavaScript errors:\n" + "\n".join(self.errors)


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def open_context(chromium, app_server, page_problems):
    """``open_context(who, lang="th", phone=False, viewport=None)`` -> a new page
    in its own browser context (its own cookies), watched for CSP violations and
    errors."""
    contexts = []

    def open_(who: str, *, lang: str = "th", phone: bool = False,
              viewport: dict | None = None):
        context = chromium.new_context(
            base_url=app_server.base_url,
            viewport=viewport or (PHONE if phone else LAPTOP),
            locale=LOCALES[lang],
            is_mobile=phone,
            has_touch=phone,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        # Say which element or script broke the policy, next to Chromium's message.
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'CSP-VIOLATION ' + JSON.stringify({directive: e.violatedDirective, "
            "sample: e.sample, source: e.sourceFile, line: e.lineNumber, "
            "column: e.columnNumber, blocked: e.blockedURI})));"
        )
        contexts.append(context)
        page = context.new_page()
        context.on("page", lambda p: page_problems.watch(p, who))
        page_problems.watch(page, who)
        if lang != "th":
            # Thai is the working language whatever the browser asks for; a
            # person reading English presses the switch in the header once.
            page.goto("/")
            page.locator(f"form.lang-switch button[value={lang}]").click()
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == lang
        return page

    yield open_
    for context in contexts:
        context.close()
    page_problems.check()


# --- Accessibility ----------------------------------------------------------------


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; the violations of the given impacts.

    axe is evaluated through the DevTools protocol, which the page's Content
    Security Policy does not apply to (a ``<script>`` tag would be refused,
    rightly, and show up as a CSP violation of the test's own making).
    """
    if not AXE.exists():
        message = f"{AXE} is missing: run npm ci"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    violations = page.evaluate(
        """async () => {
            // axe leaves empty style="" attributes behind; a later htmx swap
            // copies them and the CSP (rightly) refuses: put the page back as it was.
            const styled = new Set(document.querySelectorAll('[style]'));
            const r = await axe.run(document, {resultTypes: ['violations']});
            document.querySelectorAll('[style]').forEach(e => {
                if (!styled.has(e)) e.removeAttribute('style');
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' +
                       (n.failureSummary || '').replace(/\\s+/g, ' ')),
            }));
        }"""
    )
    return [v for v in violations if v["impact"] in impacts]


# Violations found in templates this suite does not own, each with the fix the
# lead was told. They are tolerated (and printed) until fixed; anything else fails.
A11Y_KNOWN: dict[tuple[str, str], str] = {}


def assert_accessible(page, what: str) -> None:
    found = []
    for violation in axe_violations(page):
        nodes = [
            n
            for n in violation["nodes"]
            if (violation["id"], n.split(" :: ")[0]) not in A11Y_KNOWN
        ]
        if nodes:
            found.append({**violation, "nodes": nodes})
        elif violation["nodes"]:
            print(
                f"known a11y issue on {what}: {violation['id']} "
                f"{[A11Y_KNOWN[(violation['id'], n.split(' :: ')[0])] for n in violation['nodes']]}"
            )
    assert not found, f"axe: serious or critical violations on {what}:\n" + json.dumps(
        found, ensure_ascii=False, indent=1
    )


UNSTYLE = """(before) => document.querySelectorAll('[style]').forEach(e => {
    if (!before.includes(e.id + '|' + e.tagName)) e.removeAttribute('style');
})"""


def screenshot(page, name: str) -> Path:
    """A full-page picture kept under test-artifacts/. Chromium leaves empty
    ``style=""`` attributes on form fields after a full-page capture; a later
    htmx swap copies them and the CSP refuses: they are taken away again."""
    before = page.evaluate(
        "() => Array.from(document.querySelectorAll('[style]')).map(e => e.id + '|' + e.tagName)"
    )
    path = artifact(name)
    page.screenshot(path=path, full_page=True)
    page.evaluate(UNSTYLE, before)
    return path


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def which(tool: str) -> str | None:
    return shutil.which(tool)
