"""Django's ASGI handler with one crossing per request (assembly/handler.py):
what a request must still get from Django, whatever crosses where. Through the
project's handler, middleware included, on this module's two views."""

from __future__ import annotations

import pytest
from channels.testing import HttpCommunicator
from django.core import signals
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path

from assembly.handler import ThreadedChainASGIHandler

closed: list[str] = []


class Parts:
    """A streamed body that notes when Django closes it."""

    def __iter__(self):
        yield b"one "
        yield b"two"

    def close(self):
        closed.append("stream")


def page(request):
    return HttpResponse("whole")


def streamed(request):
    return StreamingHttpResponse(Parts())


urlpatterns = [path("whole/", page), path("streamed/", streamed)]


@pytest.fixture
def handler(settings):
    settings.ROOT_URLCONF = __name__
    closed.clear()
    finished = []

    def note(**kwargs):
        finished.append(kwargs.get("sender"))

    signals.request_finished.connect(note)
    yield ThreadedChainASGIHandler(), finished
    signals.request_finished.disconnect(note)


@pytest.mark.django_db(transaction=True)
# Django's own note that it reads a sync iterator for an async server.
@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume")
@pytest.mark.parametrize("where, body", [("/whole/", b"whole"),
                                         ("/streamed/", b"one two")])
async def test_each_request_is_answered_whole_and_finished_once(handler, where, body):
    app, finished = handler
    communicator = HttpCommunicator(app, "GET", where, headers=[(b"host", b"testserver")])
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(timeout=10)
    received, more = b"", True
    while more:  # (a last empty part may carry no "body": ASGI allows it)
        part = await communicator.receive_output(timeout=10)
        received += part.get("body", b"")
        more = part.get("more_body", False)
    await communicator.wait(timeout=10)
    assert start["status"] == 200
    assert received == body
    assert finished == [ThreadedChainASGIHandler]
    if where == "/streamed/":
        assert closed == ["stream"]  # after its parts were sent
