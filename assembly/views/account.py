"""A signed-in person's own account: who they are, their roles, and a password
if they want one (never required: the personal link is enough)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assembly import services
from assembly.models import AuditEvent, Delegate, Organisation, Room
from assembly.proxy import client_address


def _is_delegate(user) -> bool:
    return Delegate.objects.filter(user=user).exists()


@login_required
def account(request):
    user = request.user
    return render(request, "assembly/account.html", {
        "delegate": Delegate.objects.filter(user=user).select_related(
            "partner__organisation", "partner__room").first(),
        "secretariat_of": user.secretariat_of.all(),
        "rooms": Room.objects.filter(facilitators=user).select_related("assembly"),
        "organisations": Organisation.objects.filter(staff=user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def password(request):
    """Set a password (first time: no old one to give) or change it. Delegates
    sign in by their badge's link only."""
    user = request.user
    if _is_delegate(user):
        return render(request, "403.html", {"exception": _(
            "Delegates sign in with the link on their badge; they have no password.")},
            status=403)
    form_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
    form = form_class(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # This screen stays signed in; other sessions with the old password end.
        update_session_auth_hash(request, user)
        services.audit(AuditEvent.Kind.PASSWORD_SET, actor=user,
                       address=client_address(request))
        messages.success(request, _("Your password is set. Your personal link "
                                    "still works too."))
        return redirect("assembly:account")
    return render(request, "assembly/password.html", {"form": form})
