"""A database that cannot be reached gets a clear 503 page, not a traceback."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger("samatcha")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            return self._unavailable(exc)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self._unavailable(exception)
        return None

    def _unavailable(self, exc: Exception) -> HttpResponse:
        log.error("database unavailable: %s", exc)
        try:
            body = render_to_string("503.html")
        except Exception:  # noqa: BLE001 - the template may need the database too
            body = (
                "<!doctype html><meta charset=utf-8><title>503</title>"
                "<h1>ระบบไม่พร้อมใช้งานชั่วคราว / Temporarily unavailable</h1>"
            )
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "10"
        return response


LIVE_HEADER = "Samatcha-Live"


class LiveStatusMiddleware:
    """Every response says whether this process's pushes reach the sockets.

    A socket cannot tell that the channel layer (Redis) is down: its server
    simply stops sending. The process that handles a write can, because its
    push failed; so each response carries ``Samatcha-Live: paused`` while the
    last push failed, and ``ok`` otherwise. static/js/samatcha.js reads it after
    every htmx request and shows "live updates are paused" until pushes flow
    again. The write itself is committed either way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from assembly.realtime import live_paused

        response = self.get_response(request)
        response[LIVE_HEADER] = "paused" if live_paused() else "ok"
        return response
