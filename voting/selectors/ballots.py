"""An organisation's ballot as its own people see it, and the ballot records.

The ballot status (``voting/ballot.html#ballot-status``) is what every phone of
an organisation shows about its ballot: counted (which choice, cast by whom,
by proxy or recorded by the facilitator), not yet, or refused (why). The
messages are built here, when the fragment is rendered, so a push rendered
once per language gets each language's words.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from agenda import selectors as agenda_selectors
from assembly.models import Delegate, Partner, Room
from voting.models import Ballot, Poll, Proxy, SecretChoice
from voting.selectors.figures import (
    CHOICE_LABELS,
    REASON_MAX,
    REASON_REQUIRED,
    choices_of,
    current_poll,
    is_entitled,
    subject_of,
)

OWN_STATUS = "ballot-status"
PROXY_STATUS = "ballot-status-proxy"


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def counted_message(*, organisation: str, choice: str, cast_by: Delegate | None,
                    recorded_by=None, holder: str = "") -> str:
    label = CHOICE_LABELS.get(choice, "")
    if recorded_by is not None and cast_by is None:
        return _(
            "%(organisation)s votes: %(choice)s (recorded by %(name)s, "
            "facilitator)."
        ) % {"organisation": organisation, "choice": label,
             "name": _person(recorded_by)}
    name = cast_by.name if cast_by else ""
    if holder:
        return _(
            "%(organisation)s votes: %(choice)s (cast by %(name)s of %(holder)s, "
            "by proxy)."
        ) % {"organisation": organisation, "choice": label, "name": name,
             "holder": holder}
    return _("%(organisation)s votes: %(choice)s (cast by %(name)s).") % {
        "organisation": organisation, "choice": label, "name": name,
    }


def not_voted_message(organisation: str) -> str:
    return _(
        "%(organisation)s has not voted yet. One ballot per organisation: the "
        "last choice counts."
    ) % {"organisation": organisation}


def status_context(*, status_id: str, partner_id: int, state: str, message: str,
                   choice: str = "", poll_id: int | None = None) -> dict:
    """An organisation's ballot status, for ``voting/ballot.html#ballot-status``
    (rendered with ``{"ballot_status": ...}``): ``state`` is "counted", "none"
    (not voted yet) or "refused"; ``sign_in`` a sign-in link (session ended)."""
    return {
        "id": status_id, "partner": partner_id, "state": state, "choice": choice,
        "message": message, "poll": poll_id, "sign_in": "",
    }


def status_of_cast(cast, *, status_id: str = OWN_STATUS) -> dict:
    """The status right after ``services.ballot_cast`` / ``ballot_record``, from
    what is in hand (no query)."""
    holder = ""
    if cast.proxy_id is not None and cast.cast_by is not None:
        holder = cast.cast_by.partner.organisation.label
    return status_context(
        status_id=status_id, partner_id=cast.partner_id, state="counted",
        choice=cast.choice, poll_id=cast.poll_id,
        message=counted_message(
            organisation=cast.organisation.label, choice=cast.choice,
            cast_by=cast.cast_by, recorded_by=cast.recorded_by, holder=holder,
        ),
    )


def status_now(poll: Poll, partner_id: int, *, status_id: str = OWN_STATUS) -> dict:
    """The organisation's ballot in ``poll`` as it stands (one query; an open
    secret poll's from its secret table: this goes only to the organisation's
    own screens)."""
    apart = poll.secret and poll.status != Poll.Status.CLOSED
    model = SecretChoice if apart else Ballot
    row = (
        model.objects.filter(poll=poll, partner_id=partner_id)
        .select_related("partner__organisation", "cast_by", "recorded_by",
                        "proxy__holder__organisation")
        .first()
    )
    if row is None:
        partner = Partner.objects.select_related("organisation").get(pk=partner_id)
        return status_context(
            status_id=status_id, partner_id=partner_id, state="none",
            poll_id=poll.pk, message=not_voted_message(partner.organisation.label),
        )
    organisation = row.partner.organisation.label
    if not row.choice:  # a closed secret poll keeps only who voted
        return status_context(
            status_id=status_id, partner_id=partner_id, state="counted",
            poll_id=poll.pk,
            message=_("%(organisation)s's ballot was counted.")
            % {"organisation": organisation},
        )
    holder = row.proxy.holder.organisation.label if row.proxy_id else ""
    return status_context(
        status_id=status_id, partner_id=partner_id, state="counted",
        choice=row.choice, poll_id=poll.pk,
        message=counted_message(organisation=organisation, choice=row.choice,
                                cast_by=row.cast_by, recorded_by=row.recorded_by,
                                holder=holder),
    )


def refused_status(*, partner_id: int, message: str, status_id: str = OWN_STATUS,
                   poll_id: int | None = None) -> dict:
    return status_context(status_id=status_id, partner_id=partner_id,
                          state="refused", message=message, poll_id=poll_id)


def held_proxy(room: Room, delegate: Delegate | None) -> Proxy | None:
    """Today's proxy held by the delegate's organisation that applies in
    ``room`` (the represented partner votes there too), if any."""
    if delegate is None or not delegate.may_vote or not delegate.checked_in_at:
        return None
    proxy = (
        Proxy.objects.filter(holder_id=delegate.partner_id, day=timezone.localdate(),
                             ended_at__isnull=True)
        .select_related("giver__organisation")
        .first()
    )
    if proxy is None or not is_entitled(room, proxy.giver):
        return None
    if not is_entitled(room, delegate.partner):
        return None
    return proxy


def given_proxy(delegate: Delegate) -> Proxy | None:
    return (
        Proxy.objects.filter(giver_id=delegate.partner_id, day=timezone.localdate(),
                             ended_at__isnull=True)
        .select_related("holder__organisation")
        .first()
    )


def cannot_vote_reason(room: Room, delegate: Delegate | None) -> str:
    """Why this person cannot vote in the room, or "" when they can."""
    if delegate is None:
        return _("Only delegates of partner organisations vote.")
    if not delegate.may_vote:
        return _(
            "Observers do not vote. Your organisation's voting delegate or "
            "alternate casts its ballot."
        )
    if not delegate.checked_in_at:
        return _("Check in at the registration desk before voting.")
    if not is_entitled(room, delegate.partner):
        return _("Your organisation does not vote in this room.")
    given = given_proxy(delegate)
    if given is not None:
        return _(
            "%(organisation)s has given its voice to %(holder)s today: their "
            "delegate votes for it. The secretariat can end the proxy."
        ) % {"organisation": delegate.partner.organisation.label,
             "holder": given.holder.organisation.label}
    return ""


def subject_text(poll: Poll) -> dict:
    """What is voted on, to read on the ballot: an amendment with its word diff
    against the current clause; a consensus round or fallback vote, the draft
    decided (in the plenary, the item's agreed text); a round on all items,
    every item with its agreed text."""
    if poll.kind == Poll.Kind.AMENDMENT and poll.amendment_id:
        row = agenda_selectors.amendment_diff(poll.amendment)
        return {"subject_amendment": row}
    if poll.all_items:
        items = poll.items.select_related("agreed_version").order_by("number")
        return {
            "subject_items": [
                {
                    "item": item,
                    "version": item.agreed_version,
                    "clauses": agenda_selectors.version_clauses(item.agreed_version),
                }
                for item in items
            ]
        }
    version = poll.version
    return {
        "subject_version": version,
        "subject_clauses": agenda_selectors.version_clauses(version),
    }


def ballot_context(room: Room, delegate: Delegate | None) -> dict:
    """The per-person ballot area: the open poll and what it decides, this
    organisation's ballot status (and the represented partner's, for a proxy
    holder), or why this person cannot vote."""
    poll = current_poll(room)
    context: dict = {
        "room": room,
        "poll": poll,
        "delegate": delegate,
        "cannot_vote": cannot_vote_reason(room, delegate),
        "status": None,
        "proxy": None,
    }
    if poll is None or poll.status == Poll.Status.DRAFT:
        return context
    is_open = poll.status == Poll.Status.OPEN
    context.update(
        {
            "subject": subject_of(poll),
            "is_open": is_open,
            "choices": [(c, CHOICE_LABELS[c]) for c in choices_of(poll)],
            "reason_choices": sorted(REASON_REQUIRED & set(choices_of(poll))),
            "reason_max": REASON_MAX,
        }
    )
    if delegate is not None and is_entitled(room, delegate.partner):
        context["status"] = status_now(poll, delegate.partner_id)
    proxy = held_proxy(room, delegate) if is_open else None
    if proxy is not None:
        context["proxy"] = {
            "partner": proxy.giver,
            "status": status_now(poll, proxy.giver_id, status_id=PROXY_STATUS),
        }
    if is_open and not context["cannot_vote"]:
        context.update(subject_text(poll))
    return context


def reasons_for_facilitator(poll: Poll) -> list[dict]:
    """Concerns and blocks with their reasons, for those who run the room.

    In a secret poll the organisation is left out and the order is the
    choice's then the text's, never the order they arrived in; after a secret
    poll closes the reasons are gone and this is empty.
    """
    if poll.secret:
        rows = SecretChoice.objects.filter(
            poll=poll, choice__in=REASON_REQUIRED
        ).order_by("choice", "reason").values_list("choice", "reason")
        return [
            {"label": CHOICE_LABELS[c], "choice": c, "reason": r, "organisation": None}
            for c, r in rows
        ]
    ballots = (
        Ballot.objects.filter(poll=poll, choice__in=REASON_REQUIRED)
        .select_related("partner__organisation")
        .order_by("partner__organisation__name_th")
    )
    return [
        {
            "label": CHOICE_LABELS[b.choice],
            "choice": b.choice,
            "reason": b.reason,
            "organisation": b.partner.organisation.label,
        }
        for b in ballots
    ]


def _how(ballot: Ballot) -> str:
    """Who cast an organisation's ballot, as the record says it."""
    if ballot.proxy_id and ballot.cast_by:
        return _("%(name)s of %(holder)s, by proxy") % {
            "name": ballot.cast_by.name,
            "holder": ballot.proxy.holder.organisation.label,
        }
    if ballot.recorded_by_id and not ballot.cast_by_id:
        return _("recorded by %(name)s, facilitator") % {
            "name": _person(ballot.recorded_by)
        }
    return ballot.cast_by.name if ballot.cast_by else ""


def named_choices(poll: Poll) -> list[dict]:
    """Which organisation chose what, for a closed NAMED poll's record; in a secret
    poll only who voted (its rows never held the choice)."""
    ballots = Ballot.objects.filter(poll=poll).select_related(
        "partner__organisation", "cast_by", "recorded_by",
        "proxy__holder__organisation",
    ).order_by("partner__organisation__name_th")
    return [
        {
            "organisation": b.partner.organisation.name,
            "label": None if poll.secret else CHOICE_LABELS.get(b.choice, ""),
            "reason": "" if poll.secret else b.reason,
            "cast_by": _how(b),
            "by_proxy": bool(b.proxy_id),
            "recorded": bool(b.recorded_by_id and not b.cast_by_id),
        }
        for b in ballots
    ]
