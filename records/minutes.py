"""What the minutes say: gathered once from the database, laid out by each writer.

Plain data (dataclasses of model instances and strings), the same for the DOCX
and the PDF, so both say the same thing. Text is in the active language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agenda import plenary as plenary_reads
from agenda import selectors as agenda_selectors
from agenda.models import AgendaItem, Amendment
from assembly.models import Assembly, Delegate, Partner, Room


@dataclass(frozen=True)
class PartnerAttendance:
    partner: Partner
    delegates: list[Delegate]  # in the partner's order (voting delegate first)
    present: bool  # a delegate was checked in at the desk

    @property
    def organisation(self):
        return self.partner.organisation


@dataclass(frozen=True)
class RoomAttendance:
    room: Room
    partners: list[PartnerAttendance]

    @property
    def present_count(self) -> int:
        return sum(1 for p in self.partners if p.present)

    @property
    def total(self) -> int:
        return len(self.partners)


@dataclass(frozen=True)
class PollRecord:
    """One closed poll in words: where, on what, the figures and the outcome."""

    room: Room
    item: AgendaItem
    subject: str
    kind: str
    closed_at: datetime | None
    entitled: int | None
    present: int | None
    voting: int | None
    figures: str
    outcome: str
    adopted: bool | None
    secret: bool


@dataclass(frozen=True)
class ItemRecord:
    """An agenda item: its decided amendments, its agreed text, the plenary's
    outcome and (adopted) its resolutions."""

    item: AgendaItem
    amendments: list[Amendment]
    clauses: list  # the agreed (consolidated) clauses
    preamble: str
    outcome: object  # agenda.plenary.Outcome or None
    resolutions: list = field(default_factory=list)

    @property
    def adopted_amendments(self) -> list[Amendment]:
        return [a for a in self.amendments
                if a.status in (Amendment.Status.ADOPTED, Amendment.Status.MERGED)]

    @property
    def rejected_amendments(self) -> list[Amendment]:
        return [a for a in self.amendments if a.status == Amendment.Status.REJECTED]

    @property
    def closed_amendments(self) -> list[Amendment]:
        """Ruled out, withdrawn or lapsed: closed without a decision on the text."""
        return [a for a in self.amendments
                if a.status in (Amendment.Status.RULED_OUT, Amendment.Status.WITHDRAWN,
                                Amendment.Status.LAPSED)]


@dataclass(frozen=True)
class Minutes:
    assembly: Assembly
    rooms: list[RoomAttendance]  # the breakout rooms, then the plenary
    polls: list[PollRecord]
    items: list[ItemRecord]
    document_number: int | None  # the consolidated document's version
    made_at: datetime

    @property
    def plenary(self) -> RoomAttendance | None:
        return next((r for r in self.rooms if r.room.is_plenary), None)


def attendance(assembly: Assembly) -> list[RoomAttendance]:
    """Each breakout room's partners, then the plenary's (every partner), with
    their delegates and whether one was checked in at the desk."""
    partners = list(
        Partner.objects.filter(assembly=assembly)
        .select_related("organisation", "room")
        .prefetch_related(Prefetch(
            "delegates", queryset=Delegate.objects.order_by("kind", "name_th")))
        .order_by("organisation__name_th")
    )
    rows = {
        p.pk: PartnerAttendance(
            partner=p,
            delegates=_voting_first(list(p.delegates.all())),
            present=any(d.checked_in_at for d in p.delegates.all()),
        )
        for p in partners
    }
    rooms = list(Room.objects.filter(assembly=assembly).order_by("number"))
    breakout = [r for r in rooms if not r.is_plenary]
    result = [
        RoomAttendance(room=room, partners=[rows[p.pk] for p in partners
                                            if p.room_id == room.pk])
        for room in breakout
    ]
    result += [RoomAttendance(room=room, partners=[rows[p.pk] for p in partners])
               for room in rooms if room.is_plenary]
    return result


def _voting_first(delegates: list[Delegate]) -> list[Delegate]:
    order = {Delegate.Kind.VOTING: 0, Delegate.Kind.ALTERNATE: 1,
             Delegate.Kind.OBSERVER: 2}
    return sorted(delegates, key=lambda d: (order.get(d.kind, 3), d.name_th))


def _poll_outcome(poll) -> str:
    if poll.adopted is None:
        return ""
    if poll.kind == "consensus":
        return _("Consensus reached") if poll.adopted else _("Consensus not reached")
    return _("Adopted") if poll.adopted else pgettext("agenda item", "Not adopted")


def _poll_subject(poll) -> str:
    if poll.kind == "amendment":
        return _("Amendment %(n)s to agenda item %(item)s") % {
            "n": poll.amendment_id, "item": poll.item.number}
    if getattr(poll, "all_items", False):
        return _("All agenda items (%(items)s), consensus round %(round)s") % {
            "items": ", ".join(str(i.number) for i in poll.items.order_by("number")),
            "round": poll.round_number}
    if poll.kind == "consensus":
        return _("Agenda item %(item)s, consensus round %(round)s") % {
            "item": poll.item.number, "round": poll.round_number}
    return _("Agenda item %(item)s, qualified-majority vote %(round)s") % {
        "item": poll.item.number, "round": poll.round_number}


def polls(assembly: Assembly) -> list[PollRecord]:
    """Every closed poll of the assembly, in the order they closed."""
    from resolutions.wording import figures_of_poll, figures_text
    from voting.models import Poll

    closed = (
        Poll.objects.filter(room__assembly=assembly, status=Poll.Status.CLOSED)
        .select_related("room", "item", "amendment")
        .order_by("closed_at", "pk")
    )
    return [
        PollRecord(
            room=p.room, item=p.item, subject=_poll_subject(p),
            kind=str(p.get_kind_display()), closed_at=p.closed_at,
            entitled=p.entitled_count, present=p.present_count,
            voting=p.voting_count,
            figures=figures_text(figures_of_poll(p)),
            outcome=_poll_outcome(p), adopted=p.adopted, secret=p.secret,
        )
        for p in closed
    ]


def items(assembly: Assembly) -> tuple[list[ItemRecord], int | None]:
    """Every agenda item with its path and its agreed text (from the latest
    consolidated document where the item is in it, else its agreed version)."""
    document = agenda_selectors.latest_plenary_document(assembly)
    in_document = {}
    if document is not None:
        in_document = {e.item.pk: e for e in
                       agenda_selectors.plenary_document_entries(document)}
    records = []
    for item in agenda_selectors.items_of(assembly):
        entry = in_document.get(item.pk)
        version = entry.version if entry else item.agreed_version
        clauses = (entry.clauses if entry
                   else agenda_selectors.version_clauses(version) if version else [])
        amendments = list(
            item.amendments.exclude(status__in=Amendment.PENDING)
            .select_related("partner__organisation", "resulting_version",
                            "base_version")
            .order_by("created_at", "pk")
        )
        resolutions = list(
            item.resolutions.select_related("owner").prefetch_related("co_owners")
            .order_by("position")
        )
        records.append(ItemRecord(
            item=item, amendments=amendments, clauses=clauses,
            preamble=version.preamble if version else "",
            outcome=plenary_reads.item_outcome(item), resolutions=resolutions,
        ))
    return records, document.number if document else None


def minutes(assembly: Assembly) -> Minutes:
    """Everything the minutes of ``assembly`` say, read now."""
    item_records, document_number = items(assembly)
    return Minutes(
        assembly=assembly,
        rooms=attendance(assembly),
        polls=polls(assembly),
        items=item_records,
        document_number=document_number,
        made_at=timezone.localtime(),
    )
