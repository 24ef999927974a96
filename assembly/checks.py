"""Deployment checks of our own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def trusted_proxies_check(app_configs, **kwargs):
    """Behind nginx with no trusted proxy, every request looks like plain HTTP
    from nginx's address: an endless redirect to HTTPS, and one address shared
    by every client (one lockout for all)."""
    if settings.DEBUG or getattr(settings, "TRUSTED_PROXIES", None):
        return []
    if not getattr(settings, "SECURE_SSL_REDIRECT", False):
        return []
    return [
        Warning(
            "DJANGO_TRUSTED_PROXIES is empty, so X-Forwarded-For and "
            "X-Forwarded-Proto are believed from nobody.",
            hint=(
                "Behind nginx (deploy/nginx.conf) set DJANGO_TRUSTED_PROXIES to "
                "its address, e.g. 127.0.0.1. If daphne itself terminates TLS, "
                "silence this with SILENCED_SYSTEM_CHECKS."
            ),
            id="samatcha.W001",
        )
    ]
