"""The client's address and scheme, believed only from the proxies we trust.

nginx (``deploy/nginx.conf``) overwrites ``X-Forwarded-For`` with the address
it sees and ``X-Forwarded-Proto`` with its scheme. ``TrustedProxyMiddleware``
wraps the whole ASGI application (HTTP and WebSockets): when the connection
comes from an address in ``settings.TRUSTED_PROXIES`` it takes the client
address from ``X-Forwarded-For`` (the rightmost entry that is not itself a
trusted proxy) and the scheme from ``X-Forwarded-Proto``; from anyone else it
keeps the connection's own address and scheme and drops those headers, so that
nothing further in (Django's ``SECURE_PROXY_SSL_HEADER``, a log line) can be
fooled by a client that reaches daphne directly.

After it, ``REMOTE_ADDR`` is the one trusted client address, and
``client_address(request)`` is how the audit log, django-axes
(``AXES_CLIENT_IP_CALLABLE``) and the throttles read it. daphne runs without
``--proxy-headers``: it would believe the leftmost ``X-Forwarded-For`` entry
from anyone.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_HEADERS = {b"x-forwarded-for", b"x-forwarded-proto", b"x-real-ip", b"forwarded"}


def parse_networks(entries) -> tuple[Network, ...]:
    """``["127.0.0.1", "10.0.0.0/8", "::1"]`` as networks; ValueError on a bad one."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


@lru_cache(maxsize=4096)  # every request parses its peer's address
def as_ip(text: str | None) -> str | None:
    """The address in its canonical form, or None if ``text`` is not one.

    Accepts the forms proxies write: ``203.0.113.7``, ``2001:db8::1``,
    ``[2001:db8::1]``, ``203.0.113.7:5123`` (a port is dropped). An IPv4
    address mapped into IPv6 (``::ffff:203.0.113.7``) is given as IPv4.
    """
    if not text:
        return None
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


@lru_cache(maxsize=4096)
def is_trusted(address: str | None, networks: tuple[Network, ...]) -> bool:
    if not address or not networks:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip.version == net.version and ip in net for net in networks)


def forwarded_client(
    peer: str | None, forwarded_for: str | None, networks: tuple[Network, ...]
) -> str | None:
    """The client address, given the connection's ``peer`` and the
    ``X-Forwarded-For`` it sent: the peer unless it is a trusted proxy; then the
    rightmost forwarded address that is not a trusted proxy (a client can put
    anything on the left; each trusted proxy appends what it saw on the right).
    A garbled entry ends the walk: the proxy that wrote it is the last known."""
    peer = as_ip(peer)
    if not is_trusted(peer, networks) or not forwarded_for:
        return peer
    client = peer
    for entry in reversed(forwarded_for.split(",")):
        address = as_ip(entry)
        if address is None:
            break
        client = address
        if not is_trusted(address, networks):
            break
    return client


def _header(headers, name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in headers if k.lower() == name]
    # Several headers of one name are one comma-separated list (RFC 9110).
    return ", ".join(values) if values else None


class TrustedProxyMiddleware:
    """ASGI middleware: the client address and scheme from trusted proxies only
    (see the module's docstring). Wraps HTTP and WebSocket scopes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            scope = self.resolve(scope)
        return await self.app(scope, receive, send)

    @staticmethod
    def resolve(scope: dict) -> dict:
        networks = trusted_networks()
        headers = list(scope.get("headers") or [])
        client = scope.get("client") or (None, 0)
        peer = as_ip(client[0])
        scope = dict(scope)
        if is_trusted(peer, networks):
            address = forwarded_client(
                peer, _header(headers, b"x-forwarded-for"), networks
            )
            scope["client"] = (address, 0 if address != peer else client[1])
            proto = (_header(headers, b"x-forwarded-proto") or "").strip().lower()
            if proto in ("http", "https"):
                secure = proto == "https"
                if scope["type"] == "websocket":
                    scope["scheme"] = "wss" if secure else "ws"
                else:
                    scope["scheme"] = "https" if secure else "http"
        elif peer is not None:
            scope["client"] = (peer, client[1])
        # What remains of the forwarding headers has been read (or must not
        # be): nothing further in may believe them.
        scope["headers"] = [(k, v) for k, v in headers if k.lower() not in FORWARDED_HEADERS]
        return scope


def client_address(request) -> str | None:
    """The client's address: the one every part of the app uses (the audit
    log, django-axes, the throttles). ``TrustedProxyMiddleware`` has already
    put the trusted address in ``REMOTE_ADDR``."""
    return as_ip(request.META.get("REMOTE_ADDR"))
