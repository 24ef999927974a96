"""The Content Security Policy header built once (assembly/csp.py) is the one
django-csp builds, and every response that needs more still gets it."""

from __future__ import annotations

from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from assembly.csp import CSPMiddleware


def through_middleware(view) -> tuple:
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(view)
    response = middleware(request)
    return request, response


def test_a_fragment_without_a_nonce_gets_django_csps_own_policy():
    _, response = through_middleware(lambda request: HttpResponse("<p>ok</p>"))
    assert response["Content-Security-Policy"] == build_policy()
    assert "'nonce-" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_a_page_that_uses_its_nonce_gets_it_in_its_policy():
    def page(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    request, response = through_middleware(page)
    nonce = request._csp_nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    # And a second page gets a fresh one, not the first one's.
    again, second = through_middleware(page)
    assert again._csp_nonce != nonce
    assert f"'nonce-{again._csp_nonce}'" in second["Content-Security-Policy"]


def test_a_per_view_policy_is_still_applied():
    def view(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://tiles.example.org"]}
        return response

    _, response = through_middleware(view)
    assert "https://tiles.example.org" in response["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_refused():
    import pytest
    from csp.exceptions import CSPNonceError

    request, _ = through_middleware(lambda request: HttpResponse("ok"))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_changed_policy_is_built_again():
    plain = lambda request: HttpResponse("ok")  # noqa: E731
    _, before = through_middleware(plain)
    with override_settings(CONTENT_SECURITY_POLICY={
            "DIRECTIVES": {"default-src": ["'none'"]}}):
        _, during = through_middleware(plain)
    _, after = through_middleware(plain)
    assert during["Content-Security-Policy"] == "default-src 'none'"
    assert after["Content-Security-Policy"] == before["Content-Security-Policy"]
