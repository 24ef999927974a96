"""Django's ASGI handler with its middleware stack run in one thread hop.

Under ASGI Django builds an async middleware chain: with sync middleware (ours
are) a request went into its thread, back to the event loop for Django's async
URL resolution, and into the thread again for each ``process_view`` and for the
view. Here the chain is Django's sync one (the one WSGI runs: middleware, URL
resolution and view in a single thread), entered once per request from the event
loop, whatever each middleware could also do async. Each crossing is a future, a
wake-up of the loop and a handover of the interpreter lock; a ballot made six,
now three with Django's two signals (``test_ballot_path`` counts them).
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class ThreadedChainASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        # thread_sensitive: the request's own thread (Django gives each request
        # a ThreadSensitiveContext), as its sync middleware and view ran before.
        self._middleware_chain = sync_to_async(
            self._middleware_chain, thread_sensitive=True
        )
