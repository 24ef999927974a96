"""Signing in: password for staff, a personal link for delegates."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assembly import realtime, services, throttles
from assembly.forms import SignInForm
from assembly.models import AuditEvent
from assembly.proxy import client_address


class SignInView(LoginView):
    """Password sign-in, behind the guessing limits of ``assembly.throttles``:
    an attempt they refuse is answered 429 on this page without its password
    being checked."""

    template_name = "assembly/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = (request.POST.get("username") or "")[:150]
        refusal = throttles.password_refusal(request, username)
        if refusal is not None:
            services.audit(
                AuditEvent.Kind.SIGN_IN_FAILED, address=client_address(request),
                username=username, method="password", refused=refusal.reason,
            )
            return refused_sign_in(request, refusal)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # rotates the session key
        username = self.request.user.get_username()
        throttles.password_succeeded(self.request, response, username)
        services.audit(
            AuditEvent.Kind.SIGN_IN, actor=self.request.user,
            address=client_address(self.request), method="password",
        )
        return response

    def form_invalid(self, form):
        username = (form.data.get("username") or "")[:150]
        throttles.password_failed(self.request, username)
        services.audit(
            AuditEvent.Kind.SIGN_IN_FAILED, address=client_address(self.request),
            username=username, method="password",
        )
        return super().form_invalid(form)


def refused_sign_in(request, refusal, credentials=None):
    """The sign-in page again, saying why the attempt was not checked and how
    long to wait (429, ``Retry-After``). Also django-axes's lockout response
    (``AXES_LOCKOUT_CALLABLE``), for the failure that starts a lockout.

    The form is unbound (the username kept): a bound one would check the
    password again when rendered."""
    if not isinstance(refusal, throttles.Refusal):  # called by axes
        refusal = throttles.Refusal("locked", throttles.lockout_seconds(request))
    form = SignInForm(
        request, initial={"username": (request.POST.get("username") or "")[:150]}
    )
    response = render(request, "assembly/login.html", {
        "form": form, "refusal": refusal, "refusal_message": refusal_message(refusal),
    }, status=429)
    response["Retry-After"] = str(refusal.wait)
    return response


def refusal_message(refusal) -> str:
    if refusal.wait < 60:
        wait = ngettext("%(n)s second", "%(n)s seconds", refusal.wait) % {
            "n": refusal.wait}
    else:
        minutes = -(-refusal.wait // 60)
        wait = ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    if refusal.reason == "account":
        text = _("Too many failed sign-ins for this username. Your password was not "
                 "checked. Try again in %(wait)s, or ask the secretariat for your "
                 "personal sign-in link.")
    elif refusal.reason == "address":
        text = _("Too many failed sign-ins from your network. Your password was not "
                 "checked. Try again in %(wait)s, or ask the secretariat for your "
                 "personal sign-in link.")
    else:
        text = _("This username is locked at your network after too many failed "
                 "sign-ins. Try again in %(wait)s, or ask the secretariat for your "
                 "personal sign-in link.")
    return text % {"wait": wait}


def token_sign_in(request, token: str):
    """A delegate's personal link: sign in, check in at the first use.

    GET shows a confirmation button (link scanners and previews must not sign
    anyone in); POST signs in.
    """
    try:
        delegate = services.signin_link_check(token)
    except PermissionDenied as exc:
        # Refused links are counted per address; past the allowance they are
        # answered 429 and leave no row (a script cannot fill the audit log).
        if not throttles.link_failed(request):
            return render(request, "assembly/link_invalid.html",
                          {"message": _("Too many refused links from your network. "
                                        "Wait a few minutes and try again.")},
                          status=429)
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
