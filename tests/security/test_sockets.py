"""WebSockets: who may follow which room, and sockets closed when their person goes.

Real sockets against ``config.asgi.application`` (``tests/ws.py``): the Origin
check, the session, the permission on the room, and the ``user.<id>`` group
that sign-out and a revoked link close.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from tests.security.conftest import ROLES, build_cast
from tests.ws import connect, drain

pytestmark = pytest.mark.django_db(transaction=True)

CLOSE_FORBIDDEN = 4403
CLOSE_SIGNED_OUT = 4401

# Socket routes × roles: who may follow. ``room`` is room 1; ``plenary`` the
# plenary (every partner of the assembly sits in it, the secretariat runs it);
# ``foreign_room`` a room of another assembly.
SOCKET_RULES = {
    "room": {"delegate", "alternate", "facilitator", "secretariat"},
    "other_room": {"other_facilitator", "secretariat"},
    "plenary": {"delegate", "alternate", "secretariat"},
    "foreign_room": {"foreign_delegate"},
}


def path_of(cast, route: str) -> str:
    room = {
        "room": cast.room,
        "other_room": cast.other_room,
        "plenary": cast.world.plenary,
        "foreign_room": cast.foreign.rooms[0],
    }[route]
    return f"/ws/rooms/{room.pk}/"


async def new_cast():
    return await database_sync_to_async(build_cast)()


async def test_every_room_socket_route_admits_exactly_the_roles_the_rules_say():
    cast = await new_cast()
    problems = []
    for route, allowed in SOCKET_RULES.items():
        for role in ROLES:
            comm, accepted, detail = await connect(
                path_of(cast, route), user=cast.users[role]
            )
            if accepted:
                await comm.disconnect()
            if role in allowed and not accepted:
                problems.append(f"{route} × {role}: refused ({detail}), rules allow")
            elif role not in allowed and accepted:
                problems.append(f"{route} × {role}: accepted, rules refuse")
            elif role not in allowed and detail != CLOSE_FORBIDDEN:
                problems.append(f"{route} × {role}: closed with {detail}, not 4403")
    assert not problems, "\n".join(problems)


async def test_a_refused_socket_is_sent_nothing_of_the_room():
    cast = await new_cast()
    comm, accepted, _ = await connect(
        path_of(cast, "room"), user=cast.users["other_facilitator"]
    )
    assert not accepted
    assert await comm.receive_nothing(timeout=0.2)


async def test_no_socket_without_a_session():
    cast = await new_cast()
    for route in SOCKET_RULES:
        comm, accepted, code = await connect(path_of(cast, route))
        assert not accepted and code == CLOSE_FORBIDDEN, route


async def test_no_socket_with_a_forged_session_cookie():
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    cast = await new_cast()
    comm = WebsocketCommunicator(
        application,
        path_of(cast, "room"),
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", b"sessionid=" + b"f" * 32),
        ],
    )
    accepted, code = await comm.connect(timeout=5)
    assert not accepted and code == CLOSE_FORBIDDEN


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "https://testserver.evil.example",
        "null",
    ],
)
async def test_no_socket_from_a_foreign_origin(origin):
    cast = await new_cast()
    comm, accepted, _ = await connect(
        path_of(cast, "room"), user=cast.users["delegate"], origin=origin
    )
    assert not accepted


async def test_no_socket_to_a_room_of_another_assembly():
    cast = await new_cast()
    for role in ("delegate", "alternate", "facilitator", "secretariat"):
        comm, accepted, code = await connect(
            path_of(cast, "foreign_room"), user=cast.users[role]
        )
        assert not accepted and code == CLOSE_FORBIDDEN, role


async def test_the_projector_socket_needs_the_room_secret_link():
    cast = await new_cast()
    comm, accepted, _ = await connect(f"/ws/projector/{cast.room.projector_token}/")
    assert accepted
    await comm.disconnect()
    for token in ("x", cast.room.projector_token[:-1], cast.room.projector_token + "x"):
        comm, accepted, code = await connect(f"/ws/projector/{token}/")
        assert not accepted and code == CLOSE_FORBIDDEN, token


def _sign_out_with(cookie: str) -> int:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return client.post("/logout/").status_code


async def _open_with_cookie(path: str, cookie: str):
    from channels.testing import WebsocketCommunicator
    from django.conf import settings

    from config.asgi import application

    comm = WebsocketCommunicator(
        application,
        path,
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
        ],
    )
    accepted, detail = await comm.connect(timeout=5)
    return comm, accepted, detail


async def test_signing_out_closes_the_persons_open_sockets_and_the_session_is_dead():
    from tests.ws import session_cookie_for

    cast = await new_cast()
    user = cast.users["delegate"]
    cookie = await database_sync_to_async(session_cookie_for)(user)
    room_socket, accepted, _ = await _open_with_cookie(path_of(cast, "room"), cookie)
    assert accepted
    plenary_socket, accepted, _ = await _open_with_cookie(
        path_of(cast, "plenary"), cookie
    )
    assert accepted
    # Someone else's socket in the same room stays open.
    other, accepted, _ = await connect(
        path_of(cast, "room"), user=cast.users["alternate"]
    )
    assert accepted
    await drain(room_socket), await drain(plenary_socket), await drain(other)

    assert await database_sync_to_async(_sign_out_with)(cookie) == 302

    for socket in (room_socket, plenary_socket):
        closed = await socket.receive_output(timeout=3)
        assert closed["type"] == "websocket.close"
        assert closed.get("code") == CLOSE_SIGNED_OUT
    assert await other.receive_nothing(timeout=0.3)
    await other.disconnect()
    # The old cookie opens nothing any more.
    again, accepted, code = await _open_with_cookie(path_of(cast, "room"), cookie)
    assert not accepted and code == CLOSE_FORBIDDEN


async def test_revoking_a_delegates_link_closes_their_open_sockets():
    from assembly import services

    cast = await new_cast()
    delegate = cast.delegate
    comm, accepted, _ = await connect(path_of(cast, "room"), user=delegate.user)
    assert accepted
    await drain(comm)
    await database_sync_to_async(services.signin_link_issue)(delegate=delegate)
    await database_sync_to_async(services.signin_link_revoke)(
        delegate=delegate, actor=cast.users["secretariat"]
    )
    # The room's state may still be on its way (a busy machine): wait for the close.
    closed = await comm.receive_output(timeout=3)
    while closed["type"] == "websocket.send":
        closed = await comm.receive_output(timeout=3)
    assert closed["type"] == "websocket.close"
    assert closed.get("code") == CLOSE_SIGNED_OUT


async def test_revoking_through_the_secretariat_page_closes_the_sockets():
    from django.test import Client
    from django.urls import reverse

    cast = await new_cast()
    delegate = cast.delegate
    comm, accepted, _ = await connect(path_of(cast, "room"), user=delegate.user)
    assert accepted
    await drain(comm)

    def revoke():
        client = Client()
        client.force_login(cast.users["secretariat"])
        url = reverse(
            "assembly:link_revoke",
            kwargs={"pk": cast.assembly.pk, "delegate_id": delegate.pk},
        )
        return client.post(url).status_code

    assert await database_sync_to_async(revoke)() in (200, 302)
    # A push of the room (presence) may be on its way first: wait for the close.
    closed = await comm.receive_output(timeout=3)
    while closed["type"] == "websocket.send":
        closed = await comm.receive_output(timeout=3)
    assert closed["type"] == "websocket.close"
    assert closed.get("code") == CLOSE_SIGNED_OUT


async def test_a_socket_that_sends_garbage_is_closed_and_others_are_unharmed():
    cast = await new_cast()
    bad, accepted, _ = await connect(path_of(cast, "room"), user=cast.users["delegate"])
    assert accepted
    good, accepted, _ = await connect(
        path_of(cast, "room"), user=cast.users["alternate"]
    )
    assert accepted
    await drain(bad), await drain(good)
    await bad.send_to(text_data="<script>alert(1)</script>" * 200)
    closed = await bad.receive_output(timeout=3)
    assert closed["type"] == "websocket.close"
    assert await good.receive_nothing(timeout=0.3)
    await good.disconnect()


# --- The Origin: scheme, host and port (issue 11, item 9) ------------------------------


async def _open_as(user, *, host: str, origin: str | None, scheme: str = "ws"):
    """A socket to room 1 with a session cookie of ``user``, the given Host and
    Origin headers, over ``scheme`` (``wss``: TLS, settled by the proxy layer)."""
    from channels.testing import WebsocketCommunicator
    from django.conf import settings

    from config.asgi import application
    from tests.ws import session_cookie_for

    cookie = await database_sync_to_async(session_cookie_for)(user)
    headers = [
        (b"host", host.encode()),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
    ]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    cast = _open_as.cast
    comm = WebsocketCommunicator(application, path_of(cast, "room"), headers=headers)
    comm.scope["scheme"] = scheme
    accepted, _ = await comm.connect(timeout=5)
    if accepted:
        await comm.disconnect()
    return accepted


@pytest.mark.parametrize(
    "host, origin, scheme, accepted",
    [
        # The review's finding: another port on the same host name.
        ("localhost:8000", "http://localhost:9999", "ws", False),
        ("localhost:8000", "http://localhost:8000", "ws", True),
        ("localhost:8000", "http://localhost", "ws", False),
        # The scheme must match: a page over plain HTTP cannot use a wss socket.
        ("localhost:8000", "https://localhost:8000", "ws", False),
        ("testserver", "http://testserver:80", "ws", True),
        ("assembly.example.org", "https://assembly.example.org", "wss", True),
        ("assembly.example.org", "https://assembly.example.org:443", "wss", True),
        ("assembly.example.org", "http://assembly.example.org", "wss", False),
        ("assembly.example.org", "https://assembly.example.org:8443", "wss", False),
        ("assembly.example.org", "https://evil.example.org", "wss", False),
        # A Host that is not ours, even with a matching Origin.
        ("evil.example", "http://evil.example", "ws", False),
        # No Origin (not a browser page) and the opaque origin of a sandbox.
        ("testserver", None, "ws", False),
        ("testserver", "null", "ws", False),
        ("testserver", "http://testserver/room", "ws", False),
    ],
)
async def test_a_socket_is_accepted_only_from_the_sites_own_origin(
    settings, host, origin, scheme, accepted
):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", "assembly.example.org"]
    _open_as.cast = await new_cast()
    delegate = _open_as.cast.users["delegate"]
    assert await _open_as(delegate, host=host, origin=origin, scheme=scheme) is accepted


async def test_an_origin_listed_as_trusted_may_open_a_socket(settings):
    settings.ALLOWED_HOSTS = ["assembly.example.org"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://board.example.org"]
    _open_as.cast = await new_cast()
    delegate = _open_as.cast.users["delegate"]
    assert await _open_as(
        delegate, host="assembly.example.org", origin="https://board.example.org",
        scheme="wss",
    )
    assert not await _open_as(
        delegate, host="assembly.example.org", origin="https://board.example.org:444",
        scheme="wss",
    )
