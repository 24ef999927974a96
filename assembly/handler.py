"""Django's ASGI handler, with each request crossing into its thread once.

Under ASGI Django builds an async middleware chain: with sync middleware (ours
are) a request went into its thread, back to the event loop for Django's async
URL resolution, and into the thread again for each ``process_view`` and for the
view; and its two signals (request started, request finished) crossed once each.
Each crossing is a future, a wake-up of the loop and a handover of the
interpreter lock: a ballot made six.

Here a request crosses once: in its thread, Django's "request started" signal,
its sync middleware chain (the one WSGI runs: middleware, URL resolution, view)
and, for a response whose content is complete, the response's close with the
"request finished" signal (which hands the database connection back to the pool
before the bytes go out). A streamed response is closed after it is sent, as
Django does. ``test_ballot_path`` counts the crossings.

Cycles. Django's request points at objects that point back at it (the
messages' storage, ``request.htmx``, the lazy ``request.user``), so each
answered request used to wait for the cycle collector, which stopped the event
loop for tens of milliseconds, a hundred at a thousand sockets, several times
a second under load. Once a request has been answered, its attributes are
dropped (``release``) and its objects are freed as soon as the last reference
goes; ``handle`` reads its tasks' outcomes rather than raising them, which
would tie its own frame into a cycle. ``tests/voting/test_ballot_path.py``
checks that a ballot leaves nothing for the collector.
"""

from __future__ import annotations

import asyncio

from asgiref.sync import sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.urls import set_script_prefix


class ThreadedChainASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        sync_chain = self._middleware_chain

        def in_thread(request):
            signals.request_started.send(sender=self.__class__, scope=request.scope)
            response = sync_chain(request)
            if not response.streaming:
                response._handler_class = self.__class__
                response._resource_closers.append(request.close)
                response.close()
            return response

        # thread_sensitive: the request's own thread (Admission lends each
        # request one), where its sync middleware and view always ran.
        self._middleware_chain = sync_to_async(in_thread, thread_sensitive=True)

    async def handle(self, scope, receive, send):
        """Django's ``ASGIHandler.handle`` (5.2), less the crossings that
        ``load_middleware`` made part of the chain's."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            await signals.request_started.asend(sender=self.__class__, scope=scope)
            body_file.close()
            await self.send_response(error_response, send)
            await sync_to_async(error_response.close)()
            return

        async def process_request(request, send):
            response = await self.run_get_response(request)
            try:
                await self.send_response(response, send)
            except asyncio.CancelledError:
                pass  # the client went away during the send
            return response

        # Listen for a disconnect while the response is made (as Django does).
        tasks = [
            asyncio.create_task(self.listen_for_disconnect(receive)),
            asyncio.create_task(process_request(request, send)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        listener, answer = tasks
        tasks.clear()
        for task in (listener, answer):
            if task.done():
                # Read, not raised here: a raised RequestAborted (the end of
                # every request under daphne) would tie this frame, its task
                # and the request into a cycle (see "Cycles").
                error = None if task.cancelled() else task.exception()
                if isinstance(error, AssertionError):
                    body_file.close()
                if error is not None and not isinstance(error, RequestAborted):
                    raise error
            else:
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
        if answer.cancelled():
            # The client went away: the view may still be running in its
            # thread, with the request; the collector frees it later.
            await signals.request_finished.asend(sender=self.__class__)
            body_file.close()
            return
        response = answer.result()
        if not response.closed:  # streamed: closed once sent, as Django does
            await sync_to_async(response.close)()
        body_file.close()
        release(request)


def release(request) -> None:
    """Break the cycles through an answered request's attributes (its messages'
    storage, its htmx details, its lazy user and nonce all point back at it),
    so that its objects are freed at once rather than by the cycle collector."""
    request.__dict__.clear()
