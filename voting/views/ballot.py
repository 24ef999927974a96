"""The ballot (contract 2 of the project's brief).

``GET /rooms/<room>/ballot/``: the per-person ballot area
(``voting/ballot.html#ballot``): what is voted on, the organisation's ballot
status, the choices; for a proxy holder, the represented partner's ballot too.

``POST``: one ballot. Answers the SMALL status fragment
``voting/ballot.html#ballot-status`` (``id="ballot-status"``, or
``"ballot-status-proxy"`` for the represented partner; ``data-state``
"counted" or "refused", ``data-choice``, the message) with:

- 200 counted; 400 bad input (unknown choice, missing or too long reason);
- 403 not allowed; 409 poll closed or not open;
- 401 session expired, with a link to sign in again.

Every refusal changes nothing. The POST is the hot path of the day: its whole
database work runs in a turn of ``voting.gate`` (a queue, never a pool
timeout) and costs at most five queries with the session read (a cache hit);
the acknowledgement is rendered from what is in hand; the tally is pushed
later, coalesced, by ``voting.live``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assembly.models import AuditEvent, Room
from assembly.predicates import delegate_of
from assembly.services import audit
from voting import gate, live, selectors, services
from voting.forms import BallotForm
from voting.models import Poll
from voting.views.common import message_of, refused, render_part

STATUS = live.STATUS_TEMPLATE
# Refusals audited: for who sent the ballot or when it came, never for what it
# chose (a missing reason means concerns or block: in a secret poll that is a
# choice). See docs/voting.md.
AUDITED_CODES = {"poll_closed", "poll_not_open"}


@require_http_methods(["GET", "POST"])
def ballot(request, room_id: int):
    """GET: this person's ballot area. POST: cast or change a ballot."""
    if request.method == "POST":
        with gate.ballot_turn():
            return _post(request, room_id)
    return _get(request, room_id)


def _get(request, room_id: int):
    room = get_object_or_404(Room, pk=room_id)
    if not request.user.is_authenticated and request.htmx:
        return _expired(request, room_id, selectors.OWN_STATUS)
    if not request.user.has_perm("voting.view_poll", room):
        return refused(request, _("You do not follow this room."))
    context = selectors.ballot_context(room, delegate_of(request.user))
    return render_part(request, "voting/ballot.html", "ballot", context)


def _expired(request, room_id: int, status_id: str):
    """401: the session ended (signed out, link revoked, expired)."""
    room_page = reverse("agenda:room", kwargs={"room_id": room_id})
    sign_in = f"{reverse('assembly:login')}?{urlencode({'next': room_page})}"
    if not request.htmx:
        return redirect(sign_in)
    context = selectors.refused_status(
        partner_id=0, status_id=status_id,
        message=_(
            "Your session has ended, so this ballot was not counted. Sign in "
            "again with your personal link or QR code, then vote again."
        ),
    )
    context["sign_in"] = sign_in
    return render(request, STATUS, {"ballot_status": context}, status=401)


def _audit_refused(request, room_id: int, code: str) -> None:
    """Record a refused ballot: who, where and why; never the choice."""
    room = Room.objects.select_related("assembly").filter(pk=room_id).first()
    audit(AuditEvent.Kind.BALLOT_REFUSED, actor=request.user,
          assembly=room.assembly if room else None, room=room_id, reason=code)
    request.refusal_audited = True


def _refuse(request, room_id: int, *, message: str, status: int, status_id: str,
            partner_id: int):
    if not request.htmx:
        room = get_object_or_404(Room, pk=room_id)
        context = selectors.ballot_context(room, delegate_of(request.user))
        context["error"] = message
        return render(request, "voting/ballot.html", context, status=status)
    context = selectors.refused_status(partner_id=partner_id, message=message,
                                       status_id=status_id)
    return render(request, STATUS, {"ballot_status": context}, status=status)


def _post(request, room_id: int):
    form = BallotForm(request.POST)
    for_partner = form.represented_partner()
    status_id = selectors.PROXY_STATUS if for_partner else selectors.OWN_STATUS
    if not request.user.is_authenticated:
        return _expired(request, room_id, status_id)
    delegate = delegate_of(request.user)
    partner_id = for_partner or (delegate.partner_id if delegate else 0)

    def refuse(message: str, status: int):
        return _refuse(request, room_id, message=message, status=status,
                       status_id=status_id, partner_id=partner_id)

    if delegate is None:
        _audit_refused(request, room_id, "permission")
        return refuse(_("Only delegates of partner organisations vote."), 403)
    if not form.is_valid():
        return refuse(form.problem(), 400)
    try:
        cast = services.ballot_cast(
            poll=Poll(pk=form.cleaned_data["poll"], room_id=room_id),
            delegate=delegate,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
            for_partner=for_partner,
        )
    except PermissionDenied as error:
        _audit_refused(request, room_id, "permission")
        return refuse(message_of(error), 403)
    except ValidationError as error:
        if error.code in AUDITED_CODES:
            _audit_refused(request, room_id, error.code)
            return refuse(message_of(error), 409)
        return refuse(message_of(error), 400)
    if not request.htmx:
        return redirect("voting:ballot", room_id=room_id)
    status = selectors.status_of_cast(cast, status_id=status_id)
    # From what is in hand, as its push renders it (no context processors).
    return HttpResponse(live.render_status(status))
