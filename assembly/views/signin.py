"""Signing in: a personal link for every role, or a password for those who set one."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assembly import links, realtime, services
from assembly.forms import LinkCodeForm, SignInForm
from assembly.models import AuditEvent, Delegate
from assembly.navigation import landing_url
from assembly.views.secretariat.base import no_store


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


def _open_session(request, user) -> str | None:
    """Sign ``user`` in on this request (a new session key) and return the key."""
    links.session_forget(request.session.session_key)
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return request.session.session_key


@require_http_methods(["GET", "POST"])
def token_sign_in(request):
    """Sign in with a personal link, for every role; a delegate checks in at the
    first use.

    The link is ``/s/#<token>``: the token never reaches a server in a URL.
    GET answers the page whose script takes the token from the fragment into
    the form (or where a person without JavaScript pastes the code): a link
    scanner or preview signs nobody in. POST signs in.
    """
    if request.method != "POST":
        return no_store(render(request, "assembly/link_confirm.html",
                               {"form": LinkCodeForm()}))
    form = LinkCodeForm(request.POST)
    try:
        if not form.is_valid():
            raise links.refused()
        link = links.link_use(
            token=form.cleaned_data["token"],
            open_session=lambda user: _open_session(request, user),
        )
    except PermissionDenied as exc:
        services.audit(
            AuditEvent.Kind.SIGN_IN_FAILED, address=client_address(request),
            method="link",
        )
        return no_store(render(
            request, "assembly/link_invalid.html",
            {"message": str(exc)}, status=403,
        ))
    user = link.user
    delegate = Delegate.objects.select_related("partner__assembly").filter(
        user=user).first()
    first = bool(delegate) and services.delegate_check_in(delegate=delegate)
    services.audit(
        AuditEvent.Kind.SIGN_IN, actor=user,
        assembly=delegate.partner.assembly if delegate else None,
        address=client_address(request), method="link", checked_in=first,
    )
    if first:
        messages.success(request, _("Welcome. You are checked in."))
    return redirect(landing_url(user))


@require_POST
def sign_out(request):
    user = request.user
    if user.is_authenticated:
        services.audit(AuditEvent.Kind.SIGN_OUT, actor=user, address=client_address(request))
        user_id = user.pk
        links.session_forget(request.session.session_key)
        logout(request)
        realtime.close_group(realtime.user_group(user_id))
    return redirect("assembly:home")
