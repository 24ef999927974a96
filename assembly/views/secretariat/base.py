"""The gate every secretariat page goes through."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from assembly.models import Assembly


def refuse(request: HttpRequest, message: str, *, assembly: Assembly | None = None,
           perm: str = "") -> HttpResponse:
    """Answer 403 with a message. Shows nothing else; the refusal is recorded
    by assembly.audit.RefusalAuditMiddleware."""
    return render(request, "403.html", {"exception": message}, status=403)


def refusal_message(perm: str) -> str:
    return {
        "assembly.view_checkins": _(
            "Only the secretariat of this assembly may see who has checked in."
        ),
        "assembly.print_badges": _(
            "Only the secretariat of this assembly may print badges."
        ),
        "assembly.issue_signinlink": _(
            "Only the secretariat of this assembly may issue or revoke sign-in links."
        ),
        "assembly.add_assembly": _(
            "Only the secretariat of an assembly may set up a new one."
        ),
    }.get(perm, _("Only the secretariat of this assembly may open this page."))


def secretariat_page(perm: str = "assembly.manage_assembly") -> Callable:
    """Load the assembly ``pk`` and let through only people with ``perm`` on it.

    Someone not signed in is sent to sign in; anyone else without the
    permission gets 403 with a message and no data. The view is called as
    ``view(request, assembly, **kwargs)``.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def gated(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
            assembly = get_object_or_404(Assembly, pk=pk)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm, assembly):
                return refuse(request, refusal_message(perm), assembly=assembly,
                              perm=perm)
            return view(request, assembly, **kwargs)

        return gated

    return decorator


def no_store(response: HttpResponse) -> HttpResponse:
    """A page carrying a secret (a sign-in link) is never cached anywhere."""
    response["Cache-Control"] = "no-store, private"
    response["Pragma"] = "no-cache"
    return response


def posted(request: HttpRequest):
    """The POST data of a POST (even an empty one), else None: an unbound form."""
    return request.POST if request.method == "POST" else None
