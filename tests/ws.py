"""Real WebSockets against the real ASGI application, as a signed-in person."""

from __future__ import annotations

import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from tests.readable import readable


def session_cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def connect(path: str, *, user=None, origin: str = "http://testserver"):
    """Open a socket; returns (communicator, accepted, close code or subprotocol)."""
    headers = [(b"origin", origin.encode()), (b"host", b"testserver")]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie_for)(user)
        headers.append(
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())
        )
    communicator = WebsocketCommunicator(application, path, headers=headers)
    accepted, detail = await communicator.connect(timeout=5)
    # An accepted room or projector socket is sent the room's state first; the
    # first ``drain`` waits for it, however busy the machine (see ``drain``).
    communicator.snapshot_due = accepted
    return communicator, accepted, detail


async def receive_until(communicator, needle: str, *, timeout: float = 3.0) -> str:
    """Receive messages until one contains ``needle``; returns that message.

    Messages are read as a reader sees them: without the Thai line-break marking
    (``tests.readable``), so a Thai phrase is found whole.
    """
    seen = []
    communicator.snapshot_due = False  # the caller reads the snapshot itself
    while True:
        message = readable(await communicator.receive_from(timeout=timeout))
        seen.append(message)
        if needle in message:
            return message
        if len(seen) > 200:
            raise AssertionError(f"{needle!r} not pushed; got {seen[-3:]!r}")


async def drain(communicator, *, timeout: float = 0.2) -> list[str]:
    """Everything pushed until the socket has been quiet for ``timeout`` (read as
    a reader sees it, like ``receive_until``).

    On a socket just opened by ``connect`` it first waits (up to 5 s) for the
    snapshot the server sends on connect: a snapshot that arrives after a short
    quiet spell would otherwise be read later as if it were a push."""
    messages = []
    if getattr(communicator, "snapshot_due", False):
        communicator.snapshot_due = False
        messages.append(readable(await communicator.receive_from(timeout=5)))
    while not await communicator.receive_nothing(timeout=timeout):
        messages.append(readable(await communicator.receive_from()))
    return messages


def as_json(message: str):
    return json.loads(message)
