"""Signing in: a personal link for every role, or a password for those who set one."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assembly import backends, links, realtime, services, throttles
from assembly.forms import LinkCodeForm, SignInForm
from assembly.models import AuditEvent, Delegate
from assembly.navigation import landing_url
from assembly.proxy import client_address
from assembly.views.secretariat.base import no_store


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


def _open_session(request, user) -> str | None:
    """Sign ``user`` in on this request (a new session key) and return the key."""
    links.session_forget(request.session.session_key)
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    login(request, user, backend=backends.PATH)
    return request.session.session_key


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
