"""django-csp's middleware, with the policy of a response that needs no nonce
built once per process.

django-csp builds the header for every response: with our policy, a twentieth
of a ballot's time on the server. Most responses (a ballot's acknowledgement,
every htmx fragment) use no nonce and no per-view policy, so their header is
always the same string: built here once, and again when the settings change.
A response with a nonce, a per-view policy (django-csp's decorators), an
exemption, a header of its own, excluded URL prefixes or DEBUG goes through
django-csp's own ``process_response``, unchanged.
"""

from __future__ import annotations

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
            "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")


@functools.cache
def _policies() -> tuple[str, str] | None:
    """(policy, report-only policy) without a nonce; None when URL prefixes are
    excluded (django-csp decides per path then)."""
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
            return None
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _settings_changed(setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _policies.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        policies = None
        if not (settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
                or HEADER in response or HEADER_REPORT_ONLY in response
                or any(hasattr(response, name) for name in PER_VIEW)):
            policies = _policies()
        if policies is None:
            return super().process_response(request, response)
        policy, report_only = policies
        if policy:
            response[HEADER] = policy
        if report_only:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
