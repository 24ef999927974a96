"""Agenda items and their draft texts: creating, entering, pasting, steering."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from agenda import drafting, live
from agenda.models import TEXT_MAX, AgendaItem, DraftVersion, Notice
from agenda.services import _base
from assembly.models import Assembly, Delegate, Organisation, Room
from thai.drafts import split_numbered

PASTE_MAX = 100_000  # a whole pasted draft; each clause is still held to TEXT_MAX


@transaction.atomic
def item_create(
    *,
    assembly: Assembly,
    number: int,
    title_th: str,
    lead_agency: Organisation,
    room: Room | None = None,
    title_en: str = "",
    description_th: str = "",
    description_en: str = "",
    co_leads: Iterable[Organisation] = (),
    actor=None,
) -> AgendaItem:
    """Register an agenda item (status drafting, no draft yet).

    ``actor`` None is the system (demo data, imports); otherwise the secretariat
    (``agenda.add_agendaitem``). Refuses an empty title, a number already used in
    the assembly, and a room of another assembly or already given an item.
    """
    if actor is not None:
        _base.require(actor, "agenda.add_agendaitem", assembly,
                      gettext("Only the secretariat may add agenda items."))
    title_th = title_th.strip()
    if not title_th:
        raise ValidationError(gettext("Enter the item's title."), code="required")
    if number < 1:
        raise ValidationError(gettext("The item number must be 1 or more."),
                              code="invalid")
    if AgendaItem.objects.filter(assembly=assembly, number=number).exists():
        raise ValidationError(
            gettext("Agenda item %(number)s already exists.") % {"number": number},
            code="duplicate",
        )
    if room is not None:
        if room.assembly_id != assembly.pk:
            raise ValidationError(gettext("That room belongs to another assembly."),
                                  code="invalid")
        if AgendaItem.objects.filter(room=room).exists():
            raise ValidationError(gettext("That room already discusses another item."),
                                  code="duplicate")
    item = AgendaItem.objects.create(
        assembly=assembly, number=number, title_th=title_th, title_en=title_en.strip(),
        description_th=description_th, description_en=description_en,
        lead_agency=lead_agency, room=room,
    )
    item.co_leads.set(list(co_leads))
    live.push_item_state(item)
    return item


@transaction.atomic
def draft_set(
    *, item: AgendaItem, preamble: str, clauses: Sequence[str], actor, note: str = ""
) -> DraftVersion:
    """The secretariat enters (or corrects) the whole draft: a new version.

    The first version is number 1. Clauses are stripped; clauses whose text is kept
    (or edited in place) keep their ``key``, new clauses get new keys (see
    :func:`agenda.drafting.keep_keys`). Needs ``agenda.change_draft``; the item
    must be in deliberation. Refuses: no clause, an empty clause, a clause or
    preamble over 5,000 characters, a draft identical to the current one. Pending
    amendments on changed or removed clauses are marked ``needs_update`` and their
    organisations get a ``Notice``. Pushes the draft and the amendments.
    """
    _base.require(actor, "agenda.change_draft", item,
                  gettext("Only the secretariat may enter the draft."))
    item = _base.lock_item(item)
    _base.require_drafting(item)
    preamble = preamble.strip()
    texts = [text.strip() for text in clauses]
    _check_draft(preamble, texts)
    previous = _base.latest_version(item)
    old = _base.clause_pairs(previous)
    if previous is not None and _same_draft(previous.preamble, old, preamble, texts):
        raise ValidationError(gettext("The draft is unchanged."), code="unchanged")
    new = drafting.keep_keys(old, texts, next_key=_base.next_clause_key(item))
    version = _base.write_version(
        item=item, preamble=preamble, clauses=new, actor=actor, note=note.strip()
    )
    marked = _base.mark_overtaken(item=item, old=old, new=new, version=version)
    _keep_current_clause(item, new)
    live.push_draft(item)
    if marked:
        live.push_amendments(item)
    return version


def _same_draft(old_preamble: str, old: drafting.Clauses, preamble: str,
                texts: list[str]) -> bool:
    norm = drafting.normalise
    return norm(old_preamble) == norm(preamble) and [norm(t) for _, t in old] == [
        norm(t) for t in texts
    ]


def _check_draft(preamble: str, texts: list[str]) -> None:
    _base.check_length(
        preamble, TEXT_MAX,
        gettext("The preamble is too long: %(length)s characters; the limit is "
                "%(limit)s."),
    )
    if not texts:
        raise ValidationError(gettext("A draft needs at least one clause."),
                              code="required")
    for position, text in enumerate(texts, start=1):
        if not text:
            raise ValidationError(
                gettext("Clause %(position)s is empty.") % {"position": position},
                code="required",
            )
        if len(text) > TEXT_MAX:
            raise ValidationError(
                gettext("Clause %(position)s is too long: %(length)s characters; the "
                        "limit is %(limit)s.")
                % {"position": position, "length": f"{len(text):,}",
                   "limit": f"{TEXT_MAX:,}"},
                code="too_long",
            )


def _keep_current_clause(item: AgendaItem, clauses: drafting.Clauses) -> None:
    """The clause under discussion stays if it still exists."""
    if item.current_clause_key is not None and item.current_clause_key not in dict(
        clauses
    ):
        item.current_clause_key = None
        item.save(update_fields=["current_clause_key"])


@transaction.atomic
def draft_paste(*, item: AgendaItem, text: str, actor, note: str = "") -> DraftVersion:
    """Enter a pasted numbered Thai text (``ข้อ 1`` / ``1.`` / ``(1)`` ...).

    Split with :func:`thai.drafts.split_numbered` (text before the first number is
    the preamble; unnumbered text is split at blank lines), then as
    :func:`draft_set`. Refuses empty text and text over 100,000 characters.
    """
    _base.require(actor, "agenda.change_draft", item,
                  gettext("Only the secretariat may enter the draft."))
    if not text.strip():
        raise ValidationError(gettext("Paste the text of the draft."), code="required")
    _base.check_length(
        text, PASTE_MAX,
        gettext("The pasted text is too long: %(length)s characters; the limit is "
                "%(limit)s."),
    )
    preamble, clauses = split_numbered(text)
    return draft_set(item=item, preamble=preamble, clauses=clauses, actor=actor,
                     note=note)


@transaction.atomic
def item_set_current_clause(
    *, item: AgendaItem, clause_key: int | None, actor
) -> AgendaItem:
    """Set (or clear with None) the clause under discussion; returns the item.

    Needs ``agenda.run_item`` (the room's facilitators). The key must be a clause of
    the current version. Pushes the draft.
    """
    _base.require(actor, "agenda.run_item", item,
                  gettext("Only the room's facilitators may choose the clause under "
                          "discussion."))
    item = _base.lock_item(item)
    if clause_key is not None:
        keys = dict(_base.clause_pairs(_base.latest_version(item)))
        if clause_key not in keys:
            raise ValidationError(gettext("That clause is not in the current draft."),
                                  code="unknown_clause")
    item.current_clause_key = clause_key
    item.save(update_fields=["current_clause_key"])
    live.push_draft(item)
    return item


@transaction.atomic
def notice_mark_read(*, notice: Notice, delegate: Delegate) -> Notice:
    """A delegate of the notice's organisation marks it read (idempotent)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if delegate.partner_id != notice.partner_id:
        raise PermissionDenied(gettext("This notice is for another organisation."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice
