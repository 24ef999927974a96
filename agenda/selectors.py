"""Reads of drafts, amendments and consolidation, shared by pages and pushes.

Everything returned is plain data (model instances and small frozen dataclasses)
that templates can loop over. Diffs come from :mod:`thai.diff`: ``html`` fields
are already escaped and may be marked safe (``{{ x.html|safe }}``); ``segments``
are JSON-serialisable ``[[kind, text], ...]`` for pushes and PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch

from agenda.models import (
    AgendaItem,
    Amendment,
    Clause,
    DraftVersion,
    Notice,
    PlenaryDocument,
)
from assembly.models import Assembly, Delegate
from thai import diff as thai_diff


@dataclass(frozen=True)
class TextDiff:
    """A word-level diff of two texts."""

    old: str
    new: str
    html: str  # escaped, <del>/<ins>
    segments: list  # [[kind, text], ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class ClauseChange:
    """One clause across two versions, matched by key.

    ``status``: "same", "changed", "inserted" (only in the newer) or "deleted"
    (only in the older). ``moved``: its number changed.
    """

    key: int
    status: str
    old_position: int | None
    new_position: int | None
    diff: TextDiff

    @property
    def moved(self) -> bool:
        return (
            self.old_position is not None
            and self.new_position is not None
            and self.old_position != self.new_position
        )


@dataclass(frozen=True)
class VersionComparison:
    """Two versions compared: the preamble's diff and each clause's, in the newer
    version's order (deleted clauses where they stood). Iterating gives the
    clauses."""

    old: DraftVersion
    new: DraftVersion
    preamble: TextDiff
    clauses: list[ClauseChange]

    def __iter__(self):
        return iter(self.clauses)

    @property
    def changed(self) -> bool:
        return self.preamble.changed or any(c.status != "same" for c in self.clauses)


@dataclass(frozen=True)
class HistoryEntry:
    """Who made one version: a person entering the draft, or an amendment
    (adopted or merged) of an organisation."""

    version: DraftVersion
    number: int
    created_at: datetime
    source: str  # "draft" (entered by a person), "adopted", "merged"
    author_name: str  # the person, or "" (a vote)
    amendment: Amendment | None
    organisation_name: str  # the amendment's organisation, or ""
    note: str
    comparison: VersionComparison | None  # against the previous version


@dataclass(frozen=True)
class AmendmentConflict:
    """Why a flagged amendment (``needs_update``) cannot simply be applied: the
    clause it was written against, the clause now, and what changed in between.

    ``base_text``: the target clause in the amendment's base version ("" for an
    insert at the start). ``current_text``: the clause now ("" when gone).
    ``since``: the word diff base → now (what the room changed after the amendment
    was written); ``adopting``: the word diff now → the amendment (what adopting
    it as written would do). ``target_missing``: nothing left to apply it to.
    """

    base_version: DraftVersion
    base_position: int | None
    base_text: str
    current_text: str
    since: TextDiff
    adopting: TextDiff
    target_missing: bool


@dataclass(frozen=True)
class AmendmentRow:
    """An amendment as shown in a queue: where it applies now and its diff
    against the CURRENT clause (an insert: all inserted; a delete: all deleted).

    ``position``: the target clause's number in the current version (None if it is
    gone, or an insert at the start). ``target_missing``: the clause it replaces,
    deletes or follows no longer exists.
    """

    amendment: Amendment
    position: int | None
    current_text: str
    diff: TextDiff
    target_missing: bool
    conflict: AmendmentConflict | None = None


@dataclass(frozen=True)
class PlenaryEntry:
    """One item of the plenary document: its agreed version and clauses, and its
    path (amendments adopted, merged and rejected)."""

    item: AgendaItem
    version: DraftVersion
    clauses: list[Clause]
    adopted: list[Amendment] = field(default_factory=list)
    rejected: list[Amendment] = field(default_factory=list)


def text_diff(old: str, new: str) -> TextDiff:
    """Word-level diff of two texts (Thai segmented into whole words)."""
    return TextDiff(
        old=old, new=new, html=thai_diff.diff_html(old, new),
        segments=thai_diff.diff_segments(old, new),
    )


def current_version(item: AgendaItem) -> DraftVersion | None:
    """The item's latest draft version, or None before a draft is entered."""
    return item.versions.order_by("-number").first()


def version_clauses(version: DraftVersion | None) -> list[Clause]:
    """The clauses of a version, in order (``position`` is the ข้อ number)."""
    if version is None:
        return []
    return list(version.clauses.order_by("position"))


def current_clauses(item: AgendaItem) -> list[Clause]:
    """The clauses of the item's current version, in order."""
    return version_clauses(current_version(item))


def current_clause(item: AgendaItem) -> Clause | None:
    """The clause under discussion in the current version, or None."""
    if item.current_clause_key is None:
        return None
    version = current_version(item)
    if version is None:
        return None
    return version.clauses.filter(key=item.current_clause_key).first()


def compare_versions(old: DraftVersion, new: DraftVersion) -> VersionComparison:
    """Compare two versions of the same item clause by clause (matched by key)
    with Thai word-level diffs. Clauses come in the newer version's order; a
    clause only in the older one comes where it stood (after the clauses that
    preceded it)."""
    before = version_clauses(old)
    after = version_clauses(new)
    old_by_key = {c.key: c for c in before}
    new_keys = {c.key for c in after}
    changes: list[ClauseChange] = []
    # Deleted clauses are emitted right after the surviving clause they followed.
    deleted_after: dict[int | None, list[Clause]] = {}
    previous_kept: int | None = None
    for clause in before:
        if clause.key in new_keys:
            previous_kept = clause.key
        else:
            deleted_after.setdefault(previous_kept, []).append(clause)

    def emit_deleted(anchor: int | None) -> None:
        for gone in deleted_after.pop(anchor, []):
            changes.append(ClauseChange(
                key=gone.key, status="deleted", old_position=gone.position,
                new_position=None, diff=text_diff(gone.text, ""),
            ))

    emit_deleted(None)
    for clause in after:
        was = old_by_key.get(clause.key)
        if was is None:
            status, old_text, old_position = "inserted", "", None
        else:
            old_text, old_position = was.text, was.position
            status = "same" if was.text == clause.text else "changed"
        changes.append(ClauseChange(
            key=clause.key, status=status, old_position=old_position,
            new_position=clause.position, diff=text_diff(old_text, clause.text),
        ))
        emit_deleted(clause.key)
    for anchor in list(deleted_after):  # anchors that moved after their followers
        emit_deleted(anchor)
    return VersionComparison(
        old=old, new=new, preamble=text_diff(old.preamble, new.preamble),
        clauses=changes,
    )


def item_history(item: AgendaItem) -> list[HistoryEntry]:
    """Every version, oldest first, with who made it and what changed."""
    versions = list(
        item.versions.order_by("number").select_related(
            "created_by", "amendment__partner__organisation"
        )
    )
    entries = []
    previous = None
    for version in versions:
        amendment = version.amendment
        if amendment is None:
            source = "draft"
        elif amendment.status == Amendment.Status.MERGED:
            source = "merged"
        else:
            source = "adopted"
        person = version.created_by
        author = (person.get_full_name() or person.get_username()) if person else ""
        entries.append(HistoryEntry(
            version=version, number=version.number, created_at=version.created_at,
            source=source,
            author_name=author,
            amendment=amendment,
            organisation_name=amendment.partner.organisation.name if amendment else "",
            note=version.note,
            comparison=compare_versions(previous, version) if previous else None,
        ))
        previous = version
    return entries


def amendment_diff(
    amendment: Amendment, version: DraftVersion | None = None
) -> AmendmentRow:
    """One amendment against ``version`` (default: the item's current version)."""
    if version is None:
        version = current_version(amendment.item)
    return _row(amendment, {c.key: c for c in version_clauses(version)})


def _row(amendment: Amendment, clauses: dict[int, Clause]) -> AmendmentRow:
    target = clauses.get(amendment.target_key) if amendment.target_key else None
    missing = amendment.target_key is not None and target is None
    current = target.text if target and amendment.kind != Amendment.Kind.INSERT else ""
    if amendment.kind == Amendment.Kind.DELETE:
        diff = text_diff(current, "")
    elif amendment.kind == Amendment.Kind.REPLACE and missing:
        diff = text_diff("", amendment.text)
    else:
        diff = text_diff(current, amendment.text)
    conflict = None
    if amendment.needs_update and amendment.is_pending:
        conflict = _conflict(amendment, target, diff, missing)
    return AmendmentRow(
        amendment=amendment, position=target.position if target else None,
        current_text=current, diff=diff, target_missing=missing, conflict=conflict,
    )


def _conflict(amendment: Amendment, target: Clause | None, adopting: TextDiff,
              missing: bool) -> AmendmentConflict:
    base = None
    if amendment.target_key is not None:
        base = amendment.base_version.clauses.filter(key=amendment.target_key).first()
    base_text = base.text if base else ""
    current_text = target.text if target else ""
    return AmendmentConflict(
        base_version=amendment.base_version,
        base_position=base.position if base else None,
        base_text=base_text, current_text=current_text,
        since=text_diff(base_text, current_text), adopting=adopting,
        target_missing=missing,
    )


def amendment_conflict(amendment: Amendment) -> AmendmentConflict | None:
    """The conflict of a pending amendment marked ``needs_update`` against the
    current version, or None when there is none to show."""
    return amendment_diff(amendment).conflict


def _amendments(item: AgendaItem):
    return item.amendments.select_related(
        "partner__organisation", "proposed_by", "merge_consented_by", "base_version"
    ).order_by("created_at", "pk")


def amendment_list(
    item: AgendaItem, *, pending_only: bool = False
) -> list[AmendmentRow]:
    """The item's amendments, oldest first, each with its diff against the current
    clause. ``pending_only``: submitted and accepted ones only."""
    amendments = _amendments(item)
    if pending_only:
        amendments = amendments.filter(status__in=Amendment.PENDING)
    clauses = {c.key: c for c in current_clauses(item)}
    return [_row(a, clauses) for a in amendments]


def amendments_on_clause(item: AgendaItem, clause_key: int) -> list[AmendmentRow]:
    """The pending amendments that replace, delete or follow one clause."""
    amendments = _amendments(item).filter(
        status__in=Amendment.PENDING, target_key=clause_key
    )
    clauses = {c.key: c for c in current_clauses(item)}
    return [_row(a, clauses) for a in amendments]


def notices_for(delegate: Delegate, *, item: AgendaItem | None = None,
                unread_only: bool = True) -> list[Notice]:
    """The notices of the delegate's organisation (newest first)."""
    notices = Notice.objects.filter(partner_id=delegate.partner_id).select_related(
        "amendment", "item"
    )
    if item is not None:
        notices = notices.filter(item=item)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return list(notices)


def items_of(assembly: Assembly) -> list[AgendaItem]:
    """The assembly's agenda items, in order, with room and lead agency loaded."""
    return list(
        AgendaItem.objects.filter(assembly=assembly)
        .select_related("room", "lead_agency", "agreed_version")
        .order_by("number")
    )


def items_not_agreed(assembly: Assembly) -> list[AgendaItem]:
    """The items still in deliberation (not yet in the plenary document)."""
    return [i for i in items_of(assembly) if i.status == AgendaItem.Status.DRAFTING]


def latest_plenary_document(assembly: Assembly) -> PlenaryDocument | None:
    """The most recently built plenary document, or None."""
    return assembly.plenary_documents.order_by("-number").first()


def plenary_document_entries(document: PlenaryDocument) -> list[PlenaryEntry]:
    """The document's items in item order, each with its agreed clauses and path
    (amendments adopted or merged, and rejected)."""
    versions = (
        document.versions.select_related("item__room", "item__lead_agency")
        .prefetch_related(
            Prefetch("clauses", queryset=Clause.objects.order_by("position"))
        )
        .order_by("item__number")
    )
    entries = []
    for version in versions:
        decided = list(
            _amendments(version.item).filter(
                status__in=(
                    Amendment.Status.ADOPTED,
                    Amendment.Status.MERGED,
                    Amendment.Status.REJECTED,
                ),
            )
        )
        entries.append(PlenaryEntry(
            item=version.item, version=version, clauses=list(version.clauses.all()),
            adopted=[a for a in decided if a.status != Amendment.Status.REJECTED],
            rejected=[a for a in decided if a.status == Amendment.Status.REJECTED],
        ))
    return entries
