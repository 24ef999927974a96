"""Signing in: password for staff, a personal link for delegates."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly import realtime, services
from assembly.forms import SignInForm
from assembly.models import AuditEvent


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class SignInView(LoginView):
    template_name = "assembly/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # rotates the session key
        services.audit(
            AuditEvent.Kind.SIGN_IN, actor=self.request.user,
            address=client_address(self.request), method="password",
        )
        return response

    def form_invalid(self, form):
        services.audit(
            AuditEvent.Kind.SIGN_IN_FAILED, address=client_address(self.request),
            username=(form.data.get("username") or "")[:150], method="password",
        )
        return super().form_invalid(form)


def token_sign_in(request, token: str):
    """A delegate's personal link: sign in, check in at the first use.

    GET shows a confirmation button (link scanners and previews must not sign
    anyone in); POST signs in.
    """
    try:
        delegate = services.signin_link_check(token)
    except PermissionDenied as exc:
        services.audit(
            AuditEvent.Kind.SIGN_IN_FAILED, address=client_address(request),
            method="link",
        )
        return render(request, "assembly/link_invalid.html", {"message": str(exc)},
                      status=403)
    if request.method != "POST":
        return render(request, "assembly/link_confirm.html", {"delegate": delegate})
    if request.user.is_authenticated and request.user.pk != delegate.user_id:
        logout(request)
    login(request, delegate.user, backend="django.contrib.auth.backends.ModelBackend")
    first = services.delegate_check_in(delegate=delegate)
    services.audit(
        AuditEvent.Kind.SIGN_IN, actor=delegate.user, assembly=delegate.partner.assembly,
        address=client_address(request), method="link", checked_in=first,
    )
    if first:
        messages.success(request, _("Welcome. You are checked in."))
    room = delegate.partner.room
    if room is not None:
        return redirect(reverse("agenda:room", kwargs={"room_id": room.pk}))
    return redirect("assembly:home")


@require_POST
def sign_out(request):
    user = request.user
    if user.is_authenticated:
        services.audit(AuditEvent.Kind.SIGN_OUT, actor=user, address=client_address(request))
        user_id = user.pk
        logout(request)
        realtime.close_group(realtime.user_group(user_id))
    return redirect("assembly:home")
