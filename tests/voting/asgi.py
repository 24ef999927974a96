"""Requests through the real ASGI application, and the queries each one causes.

``post(...)`` sends one request to ``config.asgi.application`` as daphne would
(its own event loop task, the sync view in a thread of its own), with a real
session cookie and CSRF token. ``QueryLog`` counts every SQL statement a
request causes on ANY thread (the view's, a worker's), by tagging the request's
context inside the application (``tagged``): asgiref copies the context into
the threads it runs sync code in, so a statement is the request's when it runs
in a context that carries the tag. Work the app detaches from the request on
purpose (a push, on a fresh context) is not the request's.
"""

from __future__ import annotations

import contextvars
import itertools
import threading
from urllib.parse import urlencode

from channels.testing import HttpCommunicator
from django.conf import settings
from django.db.backends import utils

from config.asgi import application

REQUEST: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "samatcha_test_request", default=None
)
_ids = itertools.count(1)
CSRF = "t" * 32


class QueryLog:
    """Every statement run in a tagged request's context, by request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_request: dict[int, list[str]] = {}

    def note(self, sql: str) -> None:
        tag = REQUEST.get()
        if tag is not None:
            with self.lock:
                self.by_request.setdefault(tag, []).append(sql)

    def install(self, monkeypatch) -> "QueryLog":
        execute = utils.CursorWrapper._execute
        executemany = utils.CursorWrapper._executemany

        def counted_execute(cursor, sql, params, *args):
            self.note(sql)
            return execute(cursor, sql, params, *args)

        def counted_executemany(cursor, sql, param_list, *args):
            self.note(sql)
            return executemany(cursor, sql, param_list, *args)

        monkeypatch.setattr(utils.CursorWrapper, "_execute", counted_execute)
        monkeypatch.setattr(utils.CursorWrapper, "_executemany", counted_executemany)
        return self


TAG_HEADER = b"x-test-request"


def tagged(app):
    """``app``, with each request's context tagged from its test header (the
    test's own context does not reach the app: asgiref's communicator starts it
    in an empty one)."""

    async def wrapper(scope, receive, send):
        tag = dict(scope.get("headers") or []).get(TAG_HEADER)
        token = REQUEST.set(int(tag)) if tag else None
        try:
            await app(scope, receive, send)
        finally:
            if token is not None:
                REQUEST.reset(token)

    return wrapper


TAGGED = tagged(application)


async def post(path: str, data: dict, *, session: str | None, htmx: bool = True,
               language: str = "en") -> tuple[int, str, int]:
    """POST ``data`` as a phone's htmx does; (status, body, request tag)."""
    tag = next(_ids)
    cookies = [f"csrftoken={CSRF}", f"{settings.LANGUAGE_COOKIE_NAME}={language}"]
    if session:
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session}")
    headers = [
        (b"host", b"testserver"),
        (b"origin", b"http://testserver"),
        (b"referer", b"http://testserver/"),
        (b"cookie", "; ".join(cookies).encode()),
        (b"x-csrftoken", CSRF.encode()),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (TAG_HEADER, str(tag).encode()),
    ]
    if htmx:
        headers.append((b"hx-request", b"true"))
    communicator = HttpCommunicator(
        TAGGED, "POST", path, body=urlencode(data).encode(), headers=headers
    )
    response = await communicator.get_response(timeout=30)
    # daphne tells the app once the response is out (its request is over).
    await communicator.send_input({"type": "http.disconnect"})
    await communicator.wait(timeout=30)  # and what Django does after the response
    return response["status"], response["body"].decode(), tag
