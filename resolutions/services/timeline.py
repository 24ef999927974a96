"""Appending to a resolution's timeline: updates, notes, corrections.

Everything is validated before anything is written: a refused entry leaves no row
and no file behind.
"""

from __future__ import annotations

import uuid
from datetime import date

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import Organisation
from resolutions.models import ProgressUpdate, Resolution
from resolutions.services._base import NARRATIVE_MAX, REASON_MAX
from resolutions.services._base import require as _require

EVIDENCE_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}


def evidence_max_bytes() -> int:
    return int(getattr(settings, "RESOLUTIONS_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024))


def _check_evidence_file(upload) -> str:
    """Return the extension the file's content shows, or raise ValidationError.

    The type is read from the content (magic numbers), not from the name or the
    browser's word: an executable renamed .pdf is refused.
    """
    limit = evidence_max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                "evidence_file": _("The evidence file is too large: at most %(mb)s MB.")
                % {"mb": limit // (1024 * 1024)}
            }
        )
    if upload.size == 0:
        raise ValidationError({"evidence_file": _("The evidence file is empty.")})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise ValidationError(
            {
                "evidence_file": _(
                    "The evidence file must be a PDF or an image (PNG, JPEG, GIF, "
                    "WebP); this file's content is not."
                )
            }
        )
    return EVIDENCE_TYPES[kind.mime]


def _check_entry(
    *,
    narrative: str,
    refers_to: date | None,
    evidence_url: str,
    with_progress: bool,
    status: str = "",
    percent=None,
    reason: str = "",
) -> dict:
    """Validate an entry's fields; return them cleaned, or raise ValidationError."""
    errors: dict[str, str] = {}
    narrative = (narrative or "").strip()
    if not narrative:
        errors["narrative"] = _("Write what has happened: the narrative is empty.")
    elif len(narrative) > NARRATIVE_MAX:
        errors["narrative"] = _(
            "The narrative is too long: at most %(n)s characters."
        ) % {"n": NARRATIVE_MAX}
    if not isinstance(refers_to, date):
        errors["refers_to"] = _("Give the date this update refers to.")
    elif refers_to > timezone.localdate():
        errors["refers_to"] = _("The date cannot be in the future.")
    evidence_url = (evidence_url or "").strip()
    if evidence_url:
        try:
            URLValidator(schemes=["http", "https"])(evidence_url)
        except ValidationError:
            errors["evidence_url"] = _(
                "The evidence link must be a web address (https://…)."
            )
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        errors["reason"] = _("The reason is too long: at most %(n)s characters.") % {
            "n": REASON_MAX
        }
    if with_progress:
        if status not in ProgressUpdate.Status.values:
            errors["status"] = _("Choose a status.")
        elif status == ProgressUpdate.Status.DROPPED and not reason:
            errors["reason"] = _("Say why the resolution is dropped.")
        if isinstance(percent, bool) or not isinstance(percent, int):
            errors["percent"] = _(
                "The percent complete must be a whole number from 0 to 100."
            )
        elif not 0 <= percent <= 100:
            errors["percent"] = _("The percent complete must be between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    return {
        "narrative": narrative,
        "refers_to": refers_to,
        "evidence_url": evidence_url,
        "reason": reason,
    }


def _append(resolution: Resolution, *, evidence_file, **fields) -> ProgressUpdate:
    """Insert one timeline entry. Everything is validated before this is called;
    a stored evidence file is removed again if the row cannot be written."""
    entry = ProgressUpdate(resolution=resolution, **fields)
    if evidence_file is not None:
        extension = _check_evidence_file(evidence_file)
        entry.evidence_file = File(
            evidence_file, name=f"{uuid.uuid4().hex}.{extension}"
        )
    try:
        with transaction.atomic():
            entry.save()
    except Exception:
        if entry.evidence_file and entry.evidence_file.name:
            entry.evidence_file.storage.delete(entry.evidence_file.name)
        raise
    return entry


def _supporter_of(resolution: Resolution, actor) -> Organisation | None:
    owners = [o.pk for o in resolution.owners]
    return (
        resolution.supporters.filter(staff=actor)
        .exclude(pk__in=owners)
        .order_by("pk")
        .first()
    )


def _owner_of(resolution: Resolution, actor) -> Organisation:
    """The owning agency the author reports for: the first of the owners, in the
    order they are named, that the author is staff of."""
    for organisation in resolution.owners:
        if organisation.staff.filter(pk=actor.pk).exists():
            return organisation
    return resolution.owner


def progress_post(
    *,
    resolution: Resolution,
    actor,
    status: str,
    percent: int,
    narrative: str,
    refers_to: date,
    evidence_url: str = "",
    evidence_file=None,
    reason: str = "",
) -> ProgressUpdate:
    """Append a progress update (status and percent) by the staff of one of the
    owning agencies (recorded as that agency's report).

    Refuses (PermissionDenied) anyone else, and (ValidationError, naming the field)
    a status outside the list, a percent outside 0–100, a date in the future, an
    empty narrative, a "dropped" status without a reason, a bad link, and an
    evidence file that is too large or is not a PDF or an image by its content.
    Nothing is stored on a refusal.
    """
    _require(
        actor,
        "resolutions.add_progressupdate",
        resolution,
        _("Only staff of the owning agency can post progress on this resolution."),
    )
    fields = _check_entry(
        narrative=narrative,
        refers_to=refers_to,
        evidence_url=evidence_url,
        with_progress=True,
        status=status,
        percent=percent,
        reason=reason,
    )
    if evidence_file is not None:
        _check_evidence_file(evidence_file)
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        return _append(
            resolution,
            evidence_file=evidence_file,
            kind=ProgressUpdate.Kind.UPDATE,
            author=actor,
            organisation=_owner_of(resolution, actor),
            status=status,
            percent=percent,
            **fields,
        )


def progress_note(
    *,
    resolution: Resolution,
    actor,
    narrative: str,
    refers_to: date,
    evidence_url: str = "",
    evidence_file=None,
) -> ProgressUpdate:
    """Append a note by a supporting agency's staff: no status, no percent.

    Same refusals as ``progress_post`` for the fields a note has.
    """
    _require(
        actor,
        "resolutions.add_note",
        resolution,
        _("Only staff of a supporting agency can add a note to this resolution."),
    )
    fields = _check_entry(
        narrative=narrative,
        refers_to=refers_to,
        evidence_url=evidence_url,
        with_progress=False,
    )
    if evidence_file is not None:
        _check_evidence_file(evidence_file)
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        return _append(
            resolution,
            evidence_file=evidence_file,
            kind=ProgressUpdate.Kind.NOTE,
            author=actor,
            organisation=_supporter_of(resolution, actor),
            **fields,
        )


def progress_correct(
    *,
    resolution: Resolution,
    actor,
    status: str,
    percent: int,
    narrative: str,
    refers_to: date,
    reason: str,
) -> ProgressUpdate:
    """Append the secretariat's correction of the status and percent, with a reason.

    The timeline keeps the corrected entry; the correction becomes the latest.
    Refuses anyone but the secretariat, and a correction without a reason.
    """
    _require(
        actor,
        "resolutions.correct_progressupdate",
        resolution,
        _("Only the secretariat can correct the progress of a resolution."),
    )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the progress is corrected.")})
    fields = _check_entry(
        narrative=narrative,
        refers_to=refers_to,
        evidence_url="",
        with_progress=True,
        status=status,
        percent=percent,
        reason=reason,
    )
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        return _append(
            resolution,
            evidence_file=None,
            kind=ProgressUpdate.Kind.CORRECTION,
            author=actor,
            organisation=None,
            status=status,
            percent=percent,
            **fields,
        )
