"""The demo's cycle (issue 13): the first assembly's day run to adoption, a year
of progress on its resolutions, and the second assembly in session reviewing
them. Everything goes through the services, as a secretariat's would; only the
clocks are set back afterwards (a demo loaded today shows a day of 2566), with
plain updates of the timestamps the services stamp with "now".

Data: ``assembly.demo_data`` (the first assembly), ``assembly.demo_history``
(the year after and the second assembly).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from assembly import demo_data as data
from assembly import demo_history as history
from assembly import presence, services
from assembly.models import Assembly, Delegate, Organisation, Partner, Room

BANGKOK = ZoneInfo("Asia/Bangkok")

# Partners whose delegates did not come (the record shows them absent).
ABSENT = ("bankers-club", "tourism-assoc", "kk-chamber")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), BANGKOK)


def _check_in(assembly: Assembly, day: datetime.date) -> None:
    """Voting delegates and alternates checked in from 08:00, a minute apart;
    the ABSENT partners' nobody."""
    absent = {o.name_th for o in data.ORGANISATIONS if o.key in ABSENT}
    delegates = (Delegate.objects.filter(partner__assembly=assembly)
                 .exclude(partner__organisation__name_th__in=absent)
                 .exclude(kind=Delegate.Kind.OBSERVER).order_by("pk"))
    for n, delegate in enumerate(delegates):
        Delegate.objects.filter(pk=delegate.pk).update(
            checked_in_at=at(day, 8, 0) + datetime.timedelta(minutes=n // 2))


def _seated(room: Room) -> list[Delegate]:
    return list(Delegate.objects.filter(
        partner__room=room, kind=Delegate.Kind.VOTING, checked_in_at__isnull=False)
        .select_related("partner").order_by("pk"))


def _vote(room: Room, kind: str, actor, voters: list[Delegate], choice: str,
          **kwargs):
    """A poll run through the voting services: the voters' screens open on the
    room (presence), each casts ``choice``, the facilitator closes it."""
    from voting import services as voting

    for delegate in voters:
        presence.touch(room.pk, delegate.partner_id)
    poll = voting.poll_create(room=room, kind=kind, actor=actor, **kwargs)
    voting.poll_open(poll=poll, actor=actor)
    for delegate in voters:
        voting.ballot_cast(poll=poll, delegate=delegate, choice=choice)
    closed = voting.poll_close(poll=poll, actor=actor)
    for delegate in voters:
        presence.leave(room.pk, delegate.partner_id)
    return closed


# Amendments of the day: (room, clause, kind, text or "", adopted?)
AMENDMENTS = (
    (1, 2, "replace", "ให้ศูนย์พัฒนาเด็กเล็กและสถานศึกษาปฐมวัยทุกสังกัด จัดประสบการณ์"
     "การเรียนรู้ตามช่วงวัยที่เหมาะสม โดยใช้การเล่นเป็นฐานและมีพ่อแม่ผู้ปกครองมีส่วนร่วม",
     True),
    (1, 6, "delete", "", False),
    (3, 3, "replace", "ให้จัดสรรทุนช่วยเหลือเด็กยากจนพิเศษร่วมกับภาคเอกชนและกองทุน"
     "เพื่อความเสมอภาคทางการศึกษา ให้ครอบคลุมเด็กกลุ่มเสี่ยงทุกคน", True),
    (4, 1, "replace", "ให้เทศบาลนครขอนแก่นจัดพื้นที่เรียนรู้ในทุกชุมชนภายในหนึ่งปี", False),
)


def run_first_day(assembly: Assembly, secretariat) -> None:
    """The first assembly's day: check-in, amendments voted or decided, each room
    agreeing by consensus, the plenary document, the plenary adopting every item
    by consensus (a round each), the resolutions with their joint owners."""
    from agenda import services as agenda
    from agenda.models import AgendaItem
    from resolutions.services import resolutions_create_for_item

    day = assembly.starts_on
    _check_in(assembly, day)
    rooms = {r.number: r for r in Room.objects.filter(assembly=assembly,
                                                      kind=Room.Kind.BREAKOUT)}
    for number, clause, kind, text, adopted in AMENDMENTS:
        room = rooms[number]
        item = AgendaItem.objects.get(room=room)
        fac = room.facilitators.order_by("username").first()
        seated = _seated(room)
        version = item.versions.order_by("-number").first()
        key = version.clauses.get(position=clause).key
        amendment = agenda.amendment_submit(
            item=item, delegate=seated[len(seated) // 2], kind=kind, target_key=key,
            text=text, rationale="เสนอจากการอภิปรายในห้องย่อย")
        agenda.amendment_accept(amendment=amendment, actor=fac)
        if adopted:
            _vote(room, "amendment", fac, seated, "yes", amendment=amendment)
        else:
            agenda.amendment_decide(amendment=amendment, adopted=False, actor=fac)
    for room in rooms.values():
        fac = room.facilitators.order_by("username").first()
        _vote(room, "consensus", fac, _seated(room), "full")
    agenda.plenary_document_build(assembly=assembly, actor=secretariat)
    plenary = services.plenary_of(assembly)
    voters = list(Delegate.objects.filter(
        partner__assembly=assembly, kind=Delegate.Kind.VOTING,
        checked_in_at__isnull=False).select_related("partner"))
    for item in AgendaItem.objects.filter(assembly=assembly).order_by("number"):
        choices = ["full", "support", "live"]
        poll_voters = voters
        from voting import services as voting

        for delegate in poll_voters:
            presence.touch(plenary.pk, delegate.partner_id)
        poll = voting.poll_create(room=plenary, kind="consensus", actor=secretariat,
                                  item=item)
        voting.poll_open(poll=poll, actor=secretariat)
        for n, delegate in enumerate(poll_voters):
            voting.ballot_cast(poll=poll, delegate=delegate,
                               choice=choices[0 if n % 5 < 3 else 1 if n % 5 < 4 else 2])
        voting.poll_close(poll=poll, actor=secretariat)
        for delegate in poll_voters:
            presence.leave(plenary.pk, delegate.partner_id)
        item.refresh_from_db()
        resolutions_create_for_item(item=item, adopted_on=day)
    _set_clocks(assembly, day)
    Assembly.objects.filter(pk=assembly.pk).update(status=Assembly.Status.FOLLOWING_UP)


def _set_clocks(assembly: Assembly, day: datetime.date) -> None:
    """The day's timestamps, stamped "now" by the services, set to the day."""
    from agenda.models import Amendment, DraftVersion, PlenaryDocument
    from voting.models import Poll

    DraftVersion.objects.filter(item__assembly=assembly).update(created_at=at(day, 8))
    polls = Poll.objects.filter(room__assembly=assembly).order_by("pk")
    for n, poll in enumerate(polls):
        start = at(day, 10) + datetime.timedelta(minutes=20 * n)
        Poll.objects.filter(pk=poll.pk).update(
            created_at=start, opened_at=start,
            closed_at=start + datetime.timedelta(minutes=5))
    for n, amendment in enumerate(Amendment.objects.filter(item__assembly=assembly)):
        Amendment.objects.filter(pk=amendment.pk).update(
            created_at=at(day, 10, n), decided_at=at(day, 11, n))
    PlenaryDocument.objects.filter(assembly=assembly).update(built_at=at(day, 13))
    # the plenary's consensus rounds created the resolutions "today"
    from resolutions.models import Resolution

    Resolution.objects.filter(assembly=assembly).update(adopted_on=day)


def post_progress(assembly: Assembly) -> int:
    """A year of owners' reports on the first assembly's resolutions; returns how
    many were posted."""
    from resolutions.models import ProgressUpdate, Resolution
    from resolutions.services import progress_post

    posted = 0
    resolutions = {r.number: r for r in Resolution.objects.filter(assembly=assembly)
                   .select_related("item", "owner")}
    for number, reports in history.PROGRESS.items():
        resolution = resolutions[number]
        author = resolution.owner.staff.order_by("username").first()
        for day, report in zip(history.REPORT_DAYS, reports, strict=False):
            entry = progress_post(
                resolution=resolution, actor=author, status=report.status,
                percent=report.percent, narrative=report.narrative, refers_to=day,
                reason=report.reason)
            ProgressUpdate.objects.filter(pk=entry.pk).update(created_at=at(day, 16))
            posted += 1
    return posted


def load_second(previous: Assembly, secretariat, orgs: dict[str, Organisation]
                ) -> Assembly:
    """The second assembly, in session: made from the first (partners, rooms,
    review), its own delegates, facilitators and drafts, the review under way."""
    from agenda import services as agenda
    from assembly.carryover import assembly_create_next
    from resolutions.models import Review
    from resolutions.services import review_decide, review_report

    nxt = assembly_create_next(previous=previous, actor=None, **history.NEXT_ASSEMBLY)
    Assembly.objects.filter(pk=nxt.pk).update(status=Assembly.Status.IN_SESSION)
    nxt.refresh_from_db()
    partners = {p.organisation_id: p for p in Partner.objects.filter(assembly=nxt)}
    for d in data.DELEGATES:
        services.delegate_create(
            partner=partners[orgs[d.organisation].pk], name_th=d.name_th,
            name_en=d.name_en, kind=d.kind, phone=d.phone, email=d.email)
    _check_in(nxt, nxt.starts_on)
    rooms = {r.number: r for r in Room.objects.filter(assembly=nxt,
                                                      kind=Room.Kind.BREAKOUT)}
    previous_rooms = {r.number: r for r in Room.objects.filter(
        assembly=previous, kind=Room.Kind.BREAKOUT)}
    for number, room in rooms.items():
        room.facilitators.set(previous_rooms[number].facilitators.all())
    for spec in history.NEXT_ITEMS:
        item = agenda.item_create(
            assembly=nxt, number=spec.number, title_th=spec.title_th,
            title_en=spec.title_en, lead_agency=orgs[spec.lead],
            room=rooms[spec.number], co_leads=[orgs[k] for k in spec.co_leads])
        agenda.draft_set(item=item, preamble=history.NEXT_PREAMBLE,
                         clauses=list(spec.clauses_th), actor=secretariat,
                         note="ร่างมติจากฝ่ายเลขานุการ")
    reviews = {r.resolution.number: r for r in Review.objects.filter(assembly=nxt)
               .select_related("resolution__item", "resolution__owner")}
    for number, text in history.REVIEW_REPORTS.items():
        review = reviews[number]
        author = review.resolution.owner.staff.order_by("username").first()
        review_report(review=review, actor=author, text=text)
    for number, (decision, revised, note) in history.REVIEW_DECISIONS.items():
        review_decide(review=reviews[number], actor=secretariat, decision=decision,
                      revised_text=revised, note=note)
    return nxt


@transaction.atomic
def load_cycle(first: Assembly, secretariat, orgs: dict[str, Organisation]
               ) -> Assembly:
    """Run the first assembly to adoption, post its year of progress, and open the
    second; returns the second."""
    run_first_day(first, secretariat)
    post_progress(first)
    return load_second(first, secretariat, orgs)
