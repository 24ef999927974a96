"""CSRF on every form, and the Content Security Policy on every page.

Both are table-driven from the URL matrix (``test_url_matrix.RULES``): every
POST there is refused without a CSRF token and passes with the token in the
``X-CSRFToken`` header (the way htmx sends it, from ``hx-headers`` on the body);
every page that answers HTML carries a CSP with a fresh nonce, no unsafe-*, and
markup that runs under it (scripts from static files or with the nonce, no
inline ``style`` attributes, no ``hx-on``, no ``javascript:`` links).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import reverse

from tests.security.conftest import ROLES
from tests.security.test_url_matrix import REDIRECT_ONLY, RULES, project_urls, rules_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ("assembly", "agenda", "voting", "resolutions")


def post_rules():
    for key in sorted(RULES):
        for rule in rules_of(key):
            if rule.method == "post":
                yield key, rule


def get_rules():
    for key in sorted(RULES):
        if key in REDIRECT_ONLY:  # no page of its own: where it leads is checked
            continue
        for rule in rules_of(key):
            if rule.method == "get":
                yield key, rule


def first_allowed(rule) -> str:
    return (
        next(role for role in reversed(ROLES) if role in rule.allowed)
        if rule.allowed
        else "secretariat"
    )


def fingerprint() -> str:
    """Every row of the project's own models, to show that nothing changed. The
    audit log is left out: a refused request is meant to leave a trace there."""
    rows = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label == "assembly.AuditEvent":
                continue
            rows.append(serializers.serialize("json", model.objects.order_by("pk")))
    return "\n".join(rows)


# --- CSRF ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key,rule", list(post_rules()), ids=lambda v: v if isinstance(v, str) else "post"
)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(cast, key, rule):
    if key not in project_urls():
        pytest.skip(f"{key} is gone")
    role = first_allowed(rule)
    url = reverse(key, kwargs=rule.kwargs(cast))
    data = rule.data(cast)
    client = cast.client(role, enforce_csrf_checks=True)
    before = fingerprint()
    response = client.post(url, data)
    assert response.status_code == 403, (key, role, response.status_code)
    # htmx requests too: the HX-Request header is no way around it.
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 403, (key, role, "htmx", response.status_code)
    assert fingerprint() == before


@pytest.mark.parametrize(
    "key,rule",
    [(k, r) for k, r in post_rules() if r.allowed],
    ids=lambda v: v if isinstance(v, str) else "post",
)
def test_a_post_with_the_token_in_the_htmx_header_gets_past_the_csrf_check(
    cast, key, rule
):
    assert key in project_urls(), f"{key} is in the rules but not in the URLs"
    role = first_allowed(rule)
    client = cast.client(role, enforce_csrf_checks=True)
    page = client.get("/")  # every page sets the cookie (the language form)
    assert page.status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse(key, kwargs=rule.kwargs(cast)),
        rule.data(cast),
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert not (response.status_code == 403 and b"CSRF" in response.content), key


def test_the_login_form_needs_the_token_too(cast):
    client = cast.client("anonymous", enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_every_page_sends_the_csrf_token_to_htmx_in_hx_headers(cast):
    client = cast.client("delegate")
    page = client.get(reverse("agenda:room", kwargs={"room_id": cast.room.pk}))
    html = page.content.decode()
    match = re.search(r"<body[^>]*hx-headers='([^']*)'", html)
    assert match, "base.html must put hx-headers with X-CSRFToken on <body>"
    headers = json.loads(match.group(1))
    assert headers.get("X-CSRFToken")


FORM_RE = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    missing = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in FORM_RE.finditer(text):
            attrs = match.group("attrs").lower()
            if 'method="post"' in attrs or "hx-post" in attrs:
                if "csrf_token" not in match.group("body"):
                    line = text[: match.start()].count("\n") + 1
                    missing.append(f"{path.relative_to(ROOT)}:{line}")
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


# --- CSP ----------------------------------------------------------------------------

SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def csp_of(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    policy = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def markup_problems(html: str, nonce: str | None) -> list[str]:
    problems = []
    for attrs, body in SCRIPT_RE.findall(html):
        has_src = re.search(r"\bsrc=", attrs)
        if has_src:
            src = re.search(r"\bsrc=[\"']?([^\"' >]+)", attrs).group(1)
            if re.match(r"(https?:)?//", src):
                problems.append(f"script from another origin: {src}")
        elif body.strip():
            if not nonce or f'nonce="{nonce}"' not in attrs:
                problems.append(f"inline script without the nonce: {body.strip()[:60]}")
    if re.search(r"<[^>]+\sstyle\s*=", html):
        problems.append("an inline style attribute")
    if re.search(r"<[^>]+\shx-on(:|-|\w)", html):
        problems.append("an hx-on attribute (needs eval)")
    if re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, re.I):
        problems.append("a javascript: URL")
    if re.search(r"""hx-(vals|vars)\s*=\s*["']\s*js:""", html):
        problems.append("hx-vals with js: (needs eval)")
    return problems


def check_policy(response) -> str | None:
    policy = csp_of(response)
    script = policy.get("script-src", policy.get("default-src", []))
    text = " ".join(w for words in policy.values() for w in words)
    assert "'unsafe-eval'" not in text and "'unsafe-inline'" not in text, text
    assert "'self'" in script
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("frame-ancestors") == ["'none'"]
    nonces = [w[len("'nonce-") : -1] for w in script if w.startswith("'nonce-")]
    return nonces[0] if nonces else None


# URLs that only ever send a person on (no markup of their own to check).
REDIRECTS_ONLY = {"assembly:start"}


def test_a_redirect_only_url_redirects_everyone_it_lets_in(cast):
    for key in REDIRECTS_ONLY:
        for rule in rules_of(key):
            for role in rule.allowed - {"anonymous"}:
                response = cast.client(role).get(reverse(key, kwargs=rule.kwargs(cast)))
                assert response.status_code in (301, 302), (key, role)


@pytest.mark.parametrize(
    "key,rule",
    [(k, r) for k, r in get_rules() if r.allowed and k not in REDIRECTS_ONLY],
    ids=lambda v: v if isinstance(v, str) else "get",
)
def test_every_page_has_a_strict_csp_and_markup_that_runs_under_it(cast, key, rule):
    assert key in project_urls(), f"{key} is in the rules but not in the URLs"
    url = reverse(key, kwargs=rule.kwargs(cast))
    for role in reversed(ROLES):  # the most privileged first: the most to show
        if role in rule.allowed:
            response = cast.client(role).get(url)
            if response.status_code not in (301, 302):
                break
    assert response.status_code not in (301, 302), f"{key} only redirects"
    nonce = check_policy(response)
    if "html" not in response.get("Content-Type", ""):
        # A document (PDF, CSV): the policy holds, and there is no markup to run.
        assert response.status_code == 200, (key, response.status_code)
        return
    problems = markup_problems(response.content.decode("utf-8", "replace"), nonce)
    assert not problems, f"{key} as {role}: " + "; ".join(problems)


def test_the_nonce_is_fresh_for_every_response(cast):
    client = cast.client("anonymous")
    nonces = {check_policy(client.get("/login/")) for _ in range(3)}
    assert None not in nonces and len(nonces) == 3


def test_htmx_is_configured_without_eval(cast):
    html = cast.client("anonymous").get("/login/").content.decode()
    match = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', html)
    assert match
    config = json.loads(match.group(1))
    assert config.get("allowEval") is False
    assert config.get("allowScriptTags") is False


TEMPLATE_RULES = [
    (
        re.compile(r"\sstyle\s*=\s*[\"']"),
        "an inline style attribute (CSP style-src 'self')",
    ),
    (re.compile(r"\shx-on[:\-\w]"), "hx-on (htmx runs with allowEval: false)"),
    (re.compile(r"""hx-(vals|vars)\s*=\s*["']\s*js:"""), "js: in hx-vals"),
    (re.compile(r"\{%\s*autoescape\s+off"), "autoescape off"),
    (
        re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*nonce=)[^>]*>"),
        "an inline script without nonce",
    ),
]


def test_no_template_breaks_the_csp_or_turns_escaping_off():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in TEMPLATE_RULES:
            for match in pattern.finditer(text):
                line = text[: match.start()].count("\n") + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)
