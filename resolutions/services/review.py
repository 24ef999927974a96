"""The next assembly reviews the earlier one's unfinished resolutions: each owning
agency reports, and the assembly decides to continue, revise or close each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Assembly, Organisation
from resolutions.models import ProgressUpdate, Resolution, Review
from resolutions.services._base import NARRATIVE_MAX, REASON_MAX
from resolutions.services._base import require as _require

FINISHED = (ProgressUpdate.Status.DONE, ProgressUpdate.Status.DROPPED)


def unfinished(previous: Assembly) -> list[Resolution]:
    """The earlier assembly's resolutions whose latest status is neither done nor
    dropped (a resolution nobody reported on is unfinished too)."""
    from resolutions import selectors

    rows = selectors.rows_of(selectors.resolutions_of(previous),
                             interval_days=previous.reporting_interval_days)
    return [r.resolution for r in rows if r.status not in FINISHED]


@transaction.atomic
def reviews_open(*, assembly: Assembly, previous: Assembly, actor=None) -> list[Review]:
    """Put each unfinished resolution of ``previous`` on ``assembly``'s review
    (idempotent: one review per resolution). ``actor`` None is the system (the
    next-assembly creation); otherwise the secretariat of ``assembly``. Refuses
    an assembly reviewing itself or a later one."""
    if actor is not None:
        _require(actor, "resolutions.follow_up_assembly", assembly,
                 _("Only the secretariat opens the review of earlier resolutions."))
    if previous.pk == assembly.pk or previous.starts_on > assembly.starts_on:
        raise ValidationError(_("An assembly reviews the resolutions of an earlier "
                                "assembly."))
    for resolution in unfinished(previous):
        Review.objects.get_or_create(assembly=assembly, resolution=resolution)
    return list(
        Review.objects.filter(assembly=assembly, resolution__assembly=previous)
        .select_related("resolution__item", "resolution__owner")
    )


def _owner_of(resolution: Resolution, actor) -> Organisation:
    for organisation in resolution.owners:
        if organisation.staff.filter(pk=actor.pk).exists():
            return organisation
    return resolution.owner


@transaction.atomic
def review_report(*, review: Review, actor, text: str) -> Review:
    """An owning agency's staff reports to the review (what was done, what is
    left); a later report replaces an earlier one until the assembly decides.
    Refuses anyone but the staff of an owner, an empty or oversized report, and a
    review already decided."""
    _require(actor, "resolutions.report_review", review,
             _("Only staff of an owning agency report on this resolution."))
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.decision:
        raise ValidationError(_("The assembly has decided on this resolution; the "
                                "report is closed."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"report": _("Write the agency's report.")})
    if len(text) > NARRATIVE_MAX:
        raise ValidationError({"report": _("The report is too long: at most %(n)s "
                                           "characters.") % {"n": NARRATIVE_MAX}})
    review.report = text
    review.reported_at = timezone.now()
    review.reported_by = actor
    review.reported_for = _owner_of(review.resolution, actor)
    review.save(update_fields=["report", "reported_at", "reported_by",
                               "reported_for"])
    return review


@transaction.atomic
def review_decide(*, review: Review, actor, decision: str, note: str = "",
                  revised_text: str = "") -> Review:
    """Record the assembly's decision on a reviewed resolution: continue, revise
    (with the revised text) or close (with the reasons). The secretariat of the
    reviewing assembly records it; it can be corrected until the assembly closes.
    """
    _require(actor, "resolutions.decide_review", review,
             _("Only the secretariat records the assembly's decisions."))
    review = Review.objects.select_for_update().get(pk=review.pk)
    note, revised_text = (note or "").strip(), (revised_text or "").strip()
    errors = {}
    if decision not in Review.Decision.values:
        errors["decision"] = _("Choose: continue, revise or close.")
    if decision == Review.Decision.REVISE and not revised_text:
        errors["revised_text"] = _("Give the revised text of the resolution.")
    if decision == Review.Decision.CLOSE and not note:
        errors["note"] = _("Say why the assembly closes this resolution.")
    if len(note) > REASON_MAX:
        errors["note"] = _("The reasons are too long: at most %(n)s characters.") % {
            "n": REASON_MAX}
    if len(revised_text) > NARRATIVE_MAX:
        errors["revised_text"] = _("The revised text is too long: at most %(n)s "
                                   "characters.") % {"n": NARRATIVE_MAX}
    if errors:
        raise ValidationError(errors)
    if review.assembly.status in (Assembly.Status.CLOSED,
                                  Assembly.Status.FOLLOWING_UP):
        raise ValidationError(_("This assembly is closed: its decisions stand."))
    review.decision = decision
    review.note = note
    review.revised_text = revised_text if decision == Review.Decision.REVISE else ""
    review.decided_at = timezone.now()
    review.decided_by = actor
    review.save(update_fields=["decision", "note", "revised_text", "decided_at",
                               "decided_by"])
    return review
