"""The plenary's written comments on the consolidated document."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from agenda.models import RATIONALE_MAX, AgendaItem, PlenaryComment
from agenda.services import _base
from assembly.models import Delegate


@transaction.atomic
def plenary_comment_send(
    *, item: AgendaItem, delegate: Delegate, text: str
) -> PlenaryComment:
    """A delegate sends a written comment on an item of the consolidated document,
    for their organisation; the secretariat reads it.

    Refuses (PermissionDenied) an observer and a delegate of another assembly;
    (ValidationError) an item that is not in the plenary (not yet agreed by its
    room, or already decided), empty text and text over 2,000 characters. Text is
    stored as typed (the ends stripped): escaping is the templates' job.
    """
    if delegate.partner.assembly_id != item.assembly_id:
        raise PermissionDenied(
            gettext("Only the delegates of this assembly may comment on its items.")
        )
    if not delegate.may_vote:
        raise PermissionDenied(gettext("Observers may not comment for their "
                                       "organisation."))
    item = _base.lock_item(item)
    if item.status != AgendaItem.Status.AGREED:
        raise ValidationError(
            gettext("Comments are open while the plenary considers an item: after "
                    "its room agreed it and before the plenary decides."),
            code="not_in_plenary",
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(gettext("Write your comment."), code="required")
    _base.check_length(
        text, RATIONALE_MAX,
        gettext("The comment is too long: %(length)s characters; the limit is "
                "%(limit)s."),
    )
    return PlenaryComment.objects.create(
        item=item, partner=delegate.partner, delegate=delegate, text=text
    )


@transaction.atomic
def plenary_comment_mark_read(*, comment: PlenaryComment, actor) -> PlenaryComment:
    """The secretariat marks a comment read (idempotent); needs
    ``agenda.read_plenarycomment`` on the item."""
    _base.require(actor, "agenda.read_plenarycomment", comment.item,
                  gettext("Only the secretariat reads the plenary's comments."))
    comment = PlenaryComment.objects.select_for_update().get(pk=comment.pk)
    if comment.read_at is None:
        comment.read_at = timezone.now()
        comment.read_by = actor
        comment.save(update_fields=["read_at", "read_by"])
    return comment
