"""Small assemblies for tests, built through the services like real ones."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model

from assembly import services
from assembly.models import Assembly, Delegate, Organisation, Partner, Room, Sector

User = get_user_model()
_seq = itertools.count(1)

PASSWORD = "correct-horse-battery-staple"


def user(username: str | None = None, *, name: str = "") -> "User":
    username = username or f"user{next(_seq)}"
    u = User.objects.create_user(username=username, password=PASSWORD, first_name=name)
    return u


def organisation(name_th: str | None = None, *, sector: str = Sector.STATE,
                 short: str = "", name_en: str = "") -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(
        name_th=name_th or f"หน่วยงานทดสอบที่ {n}",
        name_en=name_en or f"Test Organisation {n}",
        short_name=short, sector=sector,
    )


@dataclass
class World:
    """An assembly with rooms, partners, delegates and the people who run it."""

    assembly: Assembly
    plenary: Room
    rooms: list[Room]
    partners: list[Partner]
    delegates: list[Delegate]  # the voting delegate of each partner, in order
    alternates: list[Delegate]
    secretariat: "User"
    facilitators: dict[int, "User"]  # room pk -> facilitator
    staff: dict[int, "User"] = field(default_factory=dict)  # organisation pk -> staff
    items: list = field(default_factory=list)

    def partners_in(self, room: Room) -> list[Partner]:
        if room.is_plenary:
            return list(self.partners)
        return [p for p in self.partners if p.room_id == room.pk]

    def delegate_of(self, partner: Partner) -> Delegate:
        return next(d for d in self.delegates if d.partner_id == partner.pk)


def world(*, partners: int = 6, rooms: int = 2, checked_in: bool = True,
          alternates: int = 1, title: str = "สมัชชาทดสอบ") -> World:
    """An assembly of ``partners`` organisations spread over ``rooms`` rooms.

    Each partner has one voting delegate; the first ``alternates`` partners also
    have an alternate. Each room has one facilitator; one secretariat user; each
    organisation one staff user.
    """
    secretariat = user(name="เลขานุการ")
    assembly = services.assembly_create(
        title_th=title, title_en="Test Assembly", starts_on=date(2023, 11, 24),
        venue_th="โรงแรมโฆษะ", venue_en="Hotel Kosa", province_th="ขอนแก่น",
        province_en="Khon Kaen", actor=secretariat,
    )
    plenary = services.plenary_of(assembly)
    room_list = [
        services.room_create(assembly=assembly, number=i + 1,
                             name_th=f"ห้องย่อย {i + 1}", name_en=f"Room {i + 1}")
        for i in range(rooms)
    ]
    facilitators = {}
    for room in room_list:
        f = user(name=f"ผู้ดำเนินรายการ {room.number}")
        room.facilitators.add(f)
        facilitators[room.pk] = f
    sectors = [Sector.STATE, Sector.ACADEMIC, Sector.PRIVATE, Sector.CIVIL]
    partner_list, delegates, alts, staff = [], [], [], {}
    for i in range(partners):
        org = organisation(sector=sectors[i % 4])
        p = services.partner_add(
            assembly=assembly, organisation=org,
            room=room_list[i % rooms] if rooms else None,
        )
        partner_list.append(p)
        d = services.delegate_create(partner=p, name_th=f"ผู้แทน {i + 1}",
                                     name_en=f"Delegate {i + 1}")
        if checked_in:
            services.delegate_check_in(delegate=d)
        delegates.append(d)
        if i < alternates:
            a = services.delegate_create(
                partner=p, name_th=f"ผู้แทนสำรอง {i + 1}", name_en=f"Alternate {i + 1}",
                kind=Delegate.Kind.ALTERNATE,
            )
            if checked_in:
                services.delegate_check_in(delegate=a)
            alts.append(a)
        s = user(name=f"เจ้าหน้าที่ {i + 1}")
        org.staff.add(s)
        staff[org.pk] = s
    return World(
        assembly=assembly, plenary=plenary, rooms=room_list, partners=partner_list,
        delegates=delegates, alternates=alts, secretariat=secretariat,
        facilitators=facilitators, staff=staff,
    )


# --- Agenda items and drafts (agenda.services) -------------------------------------

SEED_CLAUSES = (
    "ให้สำนักงานศึกษาธิการจังหวัดขอนแก่นเป็นหน่วยงานหลัก "
    "จัดทำข้อมูลเด็กปฐมวัยรายบุคคลให้ครอบคลุมทั้ง 26 อำเภอ",
    "ให้ศูนย์พัฒนาเด็กเล็กและสถานศึกษาปฐมวัยทุกสังกัด "
    "จัดประสบการณ์การเรียนรู้ตามช่วงวัยที่เหมาะสม",
    "ให้ภาคีเครือข่ายเฝ้าระวัง ติดตาม ประเมินผล สร้างการรับรู้ "
    "และเผยแพร่ต่อสาธารณะ",
)
SEED_PREAMBLE = "สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น ขอนแก่นเมืองแห่งโอกาส"


def agenda_item(w: World, *, room: Room | None = None, number: int | None = None,
                title_th: str = "การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ",
                clauses: tuple[str, ...] | None = SEED_CLAUSES,
                preamble: str = SEED_PREAMBLE):
    """An agenda item of ``w`` discussed in ``room`` (default: the first breakout
    room), with a first draft version of ``clauses`` (None: no draft yet).
    Appended to ``w.items``."""
    from agenda import services as agenda_services

    room = room if room is not None else w.rooms[0]
    item = agenda_services.item_create(
        assembly=w.assembly, number=number or len(w.items) + 1, title_th=title_th,
        lead_agency=w.partners[0].organisation, room=room,
    )
    if clauses is not None:
        agenda_services.draft_set(item=item, preamble=preamble, clauses=list(clauses),
                                  actor=w.secretariat)
    w.items.append(item)
    return item
