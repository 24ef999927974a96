"""Which pages may open a WebSocket: this site's own, to the scheme and port.

Channels' ``AllowedHostsOriginValidator`` compares only the Origin's host name
with ``ALLOWED_HOSTS``: ``http://localhost:9999`` passed for a site on
``localhost:8000``, so any other program on the machine (or on a shared host
name) could open a socket with a delegate's cookie. A browser sends its
session cookie with a WebSocket from any page, so the Origin is the only
thing that says whose page asked.

``SameOriginValidator`` accepts a socket only when its Origin is the socket's
own origin: the same scheme (``https`` for ``wss``, after
``proxy.TrustedProxyMiddleware`` has settled the scheme behind nginx), the same
host as the ``Host`` header (itself one of ``ALLOWED_HOSTS``) and the same port
(80 and 443 when not written), or exactly one of ``CSRF_TRUSTED_ORIGINS``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def parse_origin(text: str) -> Origin | None:
    """``"https://Example.org"`` → ``("https", "example.org", 443)``; None for
    ``null``, a missing host or a scheme other than http(s)."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.username:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def own_origin(scope: dict) -> Origin | None:
    """The origin of the page that may open this socket: its own scheme, and
    the host and port it was asked for (``Host``), if that host is ours."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
    return parse_origin(f"{scheme}://{host}")


def origin_allowed(scope: dict) -> bool:
    sent = _header(scope, b"origin")
    origin = parse_origin(sent) if sent else None
    if origin is None:
        return False
    if origin == own_origin(scope):
        return True
    trusted = {parse_origin(o) for o in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])}
    return origin in trusted - {None}


def _header(scope: dict, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            try:
                return value.decode("latin-1")
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes all
                return None
    return None


class SameOriginValidator:
    """ASGI middleware for WebSocket scopes: refuse the handshake (403) unless
    ``origin_allowed``; the application behind never sees the socket."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
