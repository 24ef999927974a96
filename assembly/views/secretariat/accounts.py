"""Accounts of the people who run the assembly: facilitators, lead-agency staff
and the secretariat; their roles, personal links, and whether they may sign in.
The rules of who may change what are in ``assembly.accounts``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assembly import accounts, links
from assembly.models import Assembly, Room, SignInLink
from assembly.people_forms import AccountFilterForm, AccountForm
from assembly.views.secretariat.base import no_store, posted, refuse, secretariat_page
from assembly.views.secretariat.people import base_url, qr_of

User = get_user_model()
PERM = "assembly.manage_accounts"


def _people(assembly: Assembly, form: AccountFilterForm):
    active = SignInLink.objects.filter(revoked_at__isnull=True)
    orgs = accounts.organisations_of(assembly)
    people = (
        accounts.accounts_of(assembly)
        .prefetch_related(
            Prefetch("sign_in_links", queryset=active, to_attr="active_links"),
            Prefetch("facilitated_rooms",
                     queryset=Room.objects.filter(assembly=assembly).order_by("number"),
                     to_attr="rooms_here"),
            Prefetch("organisations_staffed", queryset=orgs, to_attr="orgs_here"),
            Prefetch("secretariat_of", queryset=Assembly.objects.filter(pk=assembly.pk),
                     to_attr="secretariat_here"),
        )
        .order_by("first_name", "last_name", "username")
    )
    data = form.cleaned_data if form.is_valid() else {}
    for term in (data.get("q") or "").split()[:6]:
        people = people.filter(
            Q(username__icontains=term) | Q(first_name__icontains=term)
            | Q(last_name__icontains=term) | Q(email__icontains=term)
        )
    role = data.get("role")
    if role == "secretariat":
        people = people.filter(secretariat_of=assembly)
    elif role == "facilitator":
        people = people.filter(facilitated_rooms__assembly=assembly)
    elif role == "staff":
        people = people.filter(organisations_staffed__in=orgs)
    elif role == "inactive":
        people = people.filter(is_active=False)
    return people.distinct()


@secretariat_page(PERM)
def account_list(request, assembly: Assembly):
    form = AccountFilterForm(request.GET or None)
    people = list(_people(assembly, form))
    return render(request, "assembly/secretariat/accounts.html", {
        "assembly": assembly, "filter_form": form, "people": people,
        "reach": {p.pk for p in people if accounts.within_reach(request.user, p)},
    })


def _show_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@secretariat_page(PERM)
@require_http_methods(["GET", "POST"])
def account_create(request, assembly: Assembly):
    form = AccountForm(posted(request), assembly=assembly,
                       initial={"username": accounts.suggested_username("")})
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.account_create(assembly=assembly, actor=request.user,
                                           **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _(
                "The account of %(name)s has been created. Give them their "
                "personal sign-in link below.") % {"name": user.get_full_name()})
            return redirect("assembly:account_edit", pk=assembly.pk, user_id=user.pk)
    return render(request, "assembly/secretariat/account_form.html",
                  {"assembly": assembly, "form": form, "person": None})


def _account(assembly: Assembly, user_id: int):
    """An account with a role at this assembly (else 404)."""
    return get_object_or_404(accounts.accounts_of(assembly), pk=user_id)


@secretariat_page(PERM)
@require_http_methods(["GET", "POST"])
def account_edit(request, assembly: Assembly, user_id: int):
    person = _account(assembly, user_id)
    form = AccountForm(posted(request), assembly=assembly, user=person,
                       initial=AccountForm.initial_for(assembly, person))
    if request.method == "POST" and form.is_valid():
        try:
            accounts.account_update(assembly=assembly, user=person, actor=request.user,
                                    **form.cleaned_data)
        except ValidationError as exc:
            _show_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The account has been saved."))
            return redirect("assembly:account_edit", pk=assembly.pk, user_id=person.pk)
    link = SignInLink.objects.filter(user=person, revoked_at__isnull=True).first()
    return render(request, "assembly/secretariat/account_form.html", {
        "assembly": assembly, "form": form, "person": person, "link": link,
        "email": links.email_of(person),
        "in_reach": accounts.within_reach(request.user, person),
        "is_me": person.pk == request.user.pk,
    })


def _action(request, assembly: Assembly, user_id: int, act, done):
    """Run ``act(person)``; a refusal is a 403, a ValidationError a message."""
    person = _account(assembly, user_id)
    try:
        result = act(person)
    except PermissionDenied as exc:
        return refuse(request, str(exc), assembly=assembly, perm=PERM)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if done:
            messages.success(request, done(person, result))
    return redirect("assembly:account_edit", pk=assembly.pk, user_id=person.pk)


@secretariat_page(PERM)
@require_POST
def account_link(request, assembly: Assembly, user_id: int):
    """Issue the account a new link and show it, with its QR code, once."""
    person = _account(assembly, user_id)
    try:
        accounts.require_reach(request.user, person)
        token = links.link_issue(user=person, actor=request.user, assembly=assembly)
    except PermissionDenied as exc:
        return refuse(request, str(exc), assembly=assembly, perm=PERM)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assembly:account_edit", pk=assembly.pk, user_id=person.pk)
    url = links.sign_in_url(base_url(request), token)
    return no_store(render(request, "assembly/secretariat/link_issued.html", {
        "assembly": assembly, "person": person.get_full_name() or person.username,
        "url": url, "qr": qr_of(url),
        "back": reverse("assembly:account_edit", args=[assembly.pk, person.pk]),
    }))


@secretariat_page(PERM)
@require_POST
def account_link_email(request, assembly: Assembly, user_id: int):
    def act(person):
        accounts.require_reach(request.user, person)
        return links.link_email(user=person, base_url=base_url(request),
                                actor=request.user, assembly=assembly)

    return _action(request, assembly, user_id, act, lambda p, address: _(
        "A new sign-in link was sent to %(address)s.") % {"address": address})


@secretariat_page(PERM)
@require_POST
def account_link_revoke(request, assembly: Assembly, user_id: int):
    def act(person):
        accounts.require_reach(request.user, person)
        return links.link_revoke(user=person, actor=request.user, assembly=assembly)

    return _action(request, assembly, user_id, act, lambda p, count: _(
        "The sign-in link of %(name)s no longer works.") % {
        "name": p.get_full_name() or p.username} if count else _(
        "%(name)s had no sign-in link that works.") % {
        "name": p.get_full_name() or p.username})


@secretariat_page(PERM)
@require_POST
def account_deactivate(request, assembly: Assembly, user_id: int):
    return _action(
        request, assembly, user_id,
        lambda p: accounts.account_deactivate(assembly=assembly, user=p,
                                              actor=request.user),
        lambda p, _r: _("%(name)s can no longer sign in; their screens are signed "
                        "out.") % {"name": p.get_full_name() or p.username},
    )


@secretariat_page(PERM)
@require_POST
def account_reactivate(request, assembly: Assembly, user_id: int):
    return _action(
        request, assembly, user_id,
        lambda p: accounts.account_reactivate(assembly=assembly, user=p,
                                              actor=request.user),
        lambda p, _r: _("%(name)s may sign in again: give them a new link.")
        % {"name": p.get_full_name() or p.username},
    )
