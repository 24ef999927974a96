"""Amendments: proposing, steering by the facilitator, deciding, applying."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from agenda import drafting, live
from agenda.models import (
    RATIONALE_MAX,
    TEXT_MAX,
    AgendaItem,
    Amendment,
    DraftVersion,
)
from agenda.services import _base
from assembly.models import Delegate

# --- Proposing ---------------------------------------------------------------------


@transaction.atomic
def amendment_submit(
    *,
    item: AgendaItem,
    delegate: Delegate,
    kind: str,
    target_key: int | None,
    text: str = "",
    rationale: str = "",
) -> Amendment:
    """A delegate proposes an amendment for their organisation (``delegate.partner``).

    ``kind`` is an ``Amendment.Kind``; ``target_key`` the clause replaced or deleted,
    or for an insert the clause it follows (None: at the start). The amendment is
    based on the current version. Refuses (PermissionDenied): an observer, a
    delegate whose partner is not seated in the item's room (every partner sits in
    the plenary; an item with no room is the plenary's). Refuses (ValidationError):
    an item not in deliberation, no draft yet, an unknown clause, empty text for a
    replace or insert, text over 5,000 or rationale over 2,000 characters, text
    identical to the current clause (whitespace normalised). A delete keeps no
    text. Text is stored as typed (HTML included; the ends stripped): escaping is
    the templates' job. Pushes the amendments.
    """
    _check_proposer(item, delegate)
    item = _base.lock_item(item)
    _base.require_drafting(item)
    version = _base.latest_version(item)
    if version is None:
        raise ValidationError(gettext("This item has no draft yet."), code="no_draft")
    if kind not in Amendment.Kind.values:
        raise ValidationError(gettext("Choose what the amendment does."),
                              code="invalid_kind")
    text, rationale = _clean(kind, text, rationale)
    _check_target(kind, target_key, text, dict(_base.clause_pairs(version)))
    amendment = Amendment.objects.create(
        item=item, partner=delegate.partner, proposed_by=delegate, kind=kind,
        target_key=target_key, base_version=version, text=text, rationale=rationale,
    )
    live.push_amendments(item)
    return amendment


@transaction.atomic
def amendment_revise(
    *, amendment: Amendment, delegate: Delegate, text: str, rationale: str = ""
) -> Amendment:
    """The proposing organisation updates a pending amendment's text (typically
    after it was marked ``needs_update``): rebased on the current version, the mark
    and any consent to merge cleared, back to submitted. Same checks as
    :func:`amendment_submit` (kind and clause stay)."""
    _check_proposing_organisation(amendment, delegate)
    item, amendment = _base.lock_amendment(amendment)
    _base.require_drafting(item)
    _require_pending(amendment)
    version = _base.latest_version(item)
    text, rationale = _clean(amendment.kind, text, rationale)
    _check_target(amendment.kind, amendment.target_key, text,
                  dict(_base.clause_pairs(version)))
    amendment.text, amendment.rationale = text, rationale
    amendment.base_version = version
    amendment.needs_update = False
    amendment.status = Amendment.Status.SUBMITTED
    amendment.merge_consented_at = None
    amendment.merge_consented_by = None
    amendment.proposed_by = delegate
    amendment.save()
    live.push_amendments(item)
    return amendment


def _check_proposer(item: AgendaItem, delegate: Delegate) -> None:
    if not delegate.may_vote:
        raise PermissionDenied(gettext("Observers may not propose amendments."))
    partner = delegate.partner
    room = item.room
    seated = partner.assembly_id == item.assembly_id and (
        room is None or room.is_plenary or partner.room_id == room.pk
    )
    if not seated:
        raise PermissionDenied(
            gettext("Only the organisations seated in this item's room may propose "
                    "amendments to it.")
        )


def _clean(kind: str, text: str, rationale: str) -> tuple[str, str]:
    text = "" if kind == Amendment.Kind.DELETE else text.strip()
    rationale = rationale.strip()
    if kind != Amendment.Kind.DELETE and not text:
        raise ValidationError(gettext("Enter the proposed text."), code="required")
    _base.check_length(
        text, TEXT_MAX,
        gettext("The proposed text is too long: %(length)s characters; the limit is "
                "%(limit)s."),
    )
    _base.check_length(
        rationale, RATIONALE_MAX,
        gettext("The rationale is too long: %(length)s characters; the limit is "
                "%(limit)s."),
    )
    return text, rationale


def _check_target(kind: str, target_key: int | None, text: str,
                  clauses: dict[int, str]) -> None:
    if target_key is None and kind != Amendment.Kind.INSERT:
        raise ValidationError(gettext("Choose the clause to change."),
                              code="unknown_clause")
    if target_key is not None and target_key not in clauses:
        raise ValidationError(gettext("That clause is not in the current draft."),
                              code="unknown_clause")
    norm = drafting.normalise
    if kind == Amendment.Kind.REPLACE and norm(text) == norm(clauses[target_key]):
        raise ValidationError(
            gettext("The proposed text is the same as the current clause."),
            code="unchanged",
        )
    if kind == Amendment.Kind.DELETE and len(clauses) == 1:
        raise _last_clause_refused()


def _last_clause_refused() -> ValidationError:
    # A draft resolution without a clause resolves nothing: agreeing it, adopting
    # it and turning it into resolutions would all fail later, far from the cause.
    return ValidationError(
        gettext("A draft needs at least one clause: propose new text for this "
                "clause instead of deleting it."),
        code="last_clause",
    )


# --- The proposing organisation ---------------------------------------------------


def _check_proposing_organisation(amendment: Amendment, delegate: Delegate) -> None:
    if delegate.partner_id != amendment.partner_id:
        raise PermissionDenied(
            gettext("Only the organisation that proposed this amendment may do this.")
        )
    if not delegate.may_vote:
        raise PermissionDenied(
            gettext("Observers may not act for their organisation on amendments.")
        )


def _require_pending(amendment: Amendment) -> None:
    if not amendment.is_pending:
        raise ValidationError(
            gettext("This amendment is no longer pending: %(status)s.")
            % {"status": amendment.get_status_display()},
            code="not_pending",
        )


@transaction.atomic
def amendment_consent(*, amendment: Amendment, delegate: Delegate) -> Amendment:
    """The proposing organisation consents to its amendment being merged as a
    friendly change (sets ``merge_consented_at`` / ``merge_consented_by``;
    idempotent). Pending amendments only; a voting delegate or alternate of that
    organisation. Pushes the amendments."""
    _check_proposing_organisation(amendment, delegate)
    item, amendment = _base.lock_amendment(amendment)
    _base.require_drafting(item)
    _require_pending(amendment)
    if amendment.merge_consented_at is None:
        amendment.merge_consented_at = timezone.now()
        amendment.merge_consented_by = delegate
        amendment.save(update_fields=["merge_consented_at", "merge_consented_by"])
    live.push_amendments(item)
    return amendment


@transaction.atomic
def amendment_withdraw(*, amendment: Amendment, delegate: Delegate) -> Amendment:
    """The proposing organisation withdraws its pending amendment. Pushes the
    amendments."""
    _check_proposing_organisation(amendment, delegate)
    item, amendment = _base.lock_amendment(amendment)
    _require_pending(amendment)
    amendment.status = Amendment.Status.WITHDRAWN
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["status", "decided_at"])
    live.push_amendments(item)
    return amendment


# --- The facilitator -----------------------------------------------------------------

_MANAGE = "agenda.manage_amendment"


def _manage_refused() -> str:
    return gettext("Only the room's facilitators may manage its amendments.")


@transaction.atomic
def amendment_accept(*, amendment: Amendment, actor) -> Amendment:
    """The facilitator accepts a submitted amendment for decision (submitted →
    accepted). Needs ``agenda.manage_amendment``. Pushes the amendments."""
    _base.require(actor, _MANAGE, amendment.item, _manage_refused())
    item, amendment = _base.lock_amendment(amendment)
    _base.require_drafting(item)
    if amendment.status != Amendment.Status.SUBMITTED:
        _require_pending(amendment)
        raise ValidationError(gettext("This amendment is already accepted."),
                              code="not_submitted")
    amendment.status = Amendment.Status.ACCEPTED
    amendment.save(update_fields=["status"])
    live.push_amendments(item)
    return amendment


@transaction.atomic
def amendment_rule_out(*, amendment: Amendment, actor, reason: str) -> Amendment:
    """The facilitator rules a pending amendment out of order, with a reason
    (required, up to 2,000 characters). Needs ``agenda.manage_amendment``. Pushes
    the amendments."""
    _base.require(actor, _MANAGE, amendment.item, _manage_refused())
    reason = reason.strip()
    if not reason:
        raise ValidationError(gettext("Give the reason for ruling it out."),
                              code="required")
    _base.check_length(
        reason, RATIONALE_MAX,
        gettext("The reason is too long: %(length)s characters; the limit is "
                "%(limit)s."),
    )
    item, amendment = _base.lock_amendment(amendment)
    _require_pending(amendment)
    amendment.status = Amendment.Status.RULED_OUT
    amendment.decision_reason = reason
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["status", "decision_reason", "decided_at"])
    live.push_amendments(item)
    return amendment


@transaction.atomic
def amendment_merge(
    *, amendment: Amendment, actor, over_conflict: bool = False
) -> DraftVersion:
    """The facilitator merges a friendly change the proposer consented to: applied
    to the current draft as a new version, status merged. Needs
    ``agenda.manage_amendment``. Refuses without the proposer's consent, and an
    amendment marked ``needs_update`` unless ``over_conflict`` (see
    :func:`amendment_decide`). Marks overtaken amendments like an adoption.
    Pushes the draft and the amendments."""
    _base.require(actor, _MANAGE, amendment.item, _manage_refused())
    item, amendment = _base.lock_amendment(amendment)
    _base.require_drafting(item)
    _require_pending(amendment)
    if amendment.merge_consented_at is None:
        raise ValidationError(
            gettext("The proposing organisation has not consented to a merge."),
            code="no_consent",
        )
    return _apply(item, amendment, Amendment.Status.MERGED, actor=actor,
                  over_conflict=over_conflict)


def _require_choice_on_conflict(amendment: Amendment, over_conflict: bool) -> None:
    """A flagged amendment was written against text that has changed since:
    applying it silently would undo that later change. A person must choose."""
    if amendment.needs_update and not over_conflict:
        raise ValidationError(
            gettext("The clause changed after this amendment was written. Compare "
                    "the texts, then adopt it as written (replacing the clause's "
                    "current text), reject it, or leave it for the proposing "
                    "organisation to revise."),
            code="conflict",
        )


@transaction.atomic
def amendment_decide(
    *, amendment: Amendment, adopted: bool, actor=None, poll=None,
    over_conflict: bool = False,
) -> DraftVersion | None:
    """Record the decision on a pending (submitted or accepted) amendment.

    Adopted: applied to the current draft (replace the clause / insert after the
    target / delete, clauses renumbered, keys kept), a new version linked to the
    amendment, status adopted, ``resulting_version`` set; returns the version.
    Other pending amendments on a changed or deleted clause are marked
    ``needs_update`` and told. Rejected: status rejected; returns None. Either
    way ``decided_at``. Pushes the amendments (and the draft when adopted).

    Called by a person (``actor`` with ``agenda.manage_amendment``) or by the
    voting app when a poll closes (``poll``, no actor: no permission check). Works
    inside the caller's transaction; commits nothing itself. Refuses an amendment
    that is not pending, an item not in deliberation, and (adopted) an amendment
    whose clause no longer exists (``selectors.amendment_diff(a).target_missing``
    tells beforehand) or whose deletion would leave the draft without a clause.

    The guard: a person adopting an amendment marked ``needs_update`` (its clause
    changed since it was written) must pass ``over_conflict=True``, having been
    shown ``selectors.amendment_conflict``; without it the service refuses (code
    "conflict"). A poll is the room's choice: it applies the amendment as voted
    (the voting app refuses to open a vote on a flagged amendment). Either way
    ``adopted_over_conflict`` records it.
    """
    if poll is None or actor is not None:
        _base.require(actor, _MANAGE, amendment.item, _manage_refused())
    item, amendment = _base.lock_amendment(amendment)
    _base.require_drafting(item)
    _require_pending(amendment)
    if adopted:
        return _apply(item, amendment, Amendment.Status.ADOPTED, actor=actor,
                      over_conflict=over_conflict or poll is not None)
    amendment.status = Amendment.Status.REJECTED
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["status", "decided_at"])
    live.push_amendments(item)
    return None


def _apply(
    item: AgendaItem, amendment: Amendment, status: str, *, actor,
    over_conflict: bool,
) -> DraftVersion:
    """Apply the amendment to the current draft as a new version. Needs the item
    and amendment locked. Refusals, in this order: the clause is gone, the draft
    would be left without a clause, a flagged amendment without the choice."""
    current = _base.latest_version(item)
    old = _base.clause_pairs(current)
    try:
        new = drafting.apply_change(
            old, kind=amendment.kind, target_key=amendment.target_key,
            text=amendment.text, new_key=_base.next_clause_key(item),
        )
    except KeyError:
        raise ValidationError(
            gettext("The clause this amendment concerns is no longer in the draft."),
            code="target_missing",
        ) from None
    if not new:
        raise _last_clause_refused()
    _require_choice_on_conflict(amendment, over_conflict)
    version = _base.write_version(
        item=item, preamble=current.preamble, clauses=new, actor=actor,
        amendment=amendment,
    )
    amendment.status = status
    amendment.decided_at = timezone.now()
    amendment.resulting_version = version
    amendment.adopted_over_conflict = amendment.needs_update
    amendment.save(update_fields=["status", "decided_at", "resulting_version",
                                  "adopted_over_conflict"])
    _base.mark_overtaken(item=item, old=old, new=new, version=version,
                         applied=amendment)
    if item.current_clause_key is not None and item.current_clause_key not in dict(new):
        item.current_clause_key = None
        item.save(update_fields=["current_clause_key"])
    live.push_draft(item)
    live.push_amendments(item)
    return version
