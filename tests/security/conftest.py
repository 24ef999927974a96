"""A cast of people for the security tests: one of each role, around one room.

Roles, as the issue names them:

| role                | who                                                      |
|---------------------|----------------------------------------------------------|
| anonymous           | not signed in                                            |
| foreign_delegate    | a delegate of another assembly                           |
| delegate            | the voting delegate of a partner seated in room 1        |
| alternate           | the alternate of a partner seated in room 1              |
| other_facilitator   | the facilitator of room 2                                |
| facilitator         | the facilitator of room 1                                |
| other_staff         | staff of an agency that owns nothing                     |
| staff               | staff of the lead agency of room 1's item                |
| secretariat         | the assembly's secretariat                               |

Room 1 discusses agenda item 1 (a two-clause draft); the lead agency is not a
partner seated in the room, so its staff are only agency staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pytest

ROLES = (
    "anonymous",
    "foreign_delegate",
    "delegate",
    "alternate",
    "other_facilitator",
    "facilitator",
    "other_staff",
    "staff",
    "secretariat",
)

# Text that only people allowed to see room 1's work may see: planted in names
# and drafts so that a refusal can be searched for any trace of it.
MARK = "ตราลับ"


@dataclass
class Cast:
    world: object
    foreign: object
    item: object
    lead: object
    users: dict = field(default_factory=dict)

    @property
    def assembly(self):
        return self.world.assembly

    @property
    def room(self):
        return self.world.rooms[0]

    @property
    def other_room(self):
        return self.world.rooms[1]

    @property
    def delegate(self):
        return self.world.delegate_of(self.world.partners_in(self.room)[0])

    @property
    def alternate(self):
        return self.world.alternates[0]

    def user(self, role: str):
        return self.users[role]

    def client(self, role: str, **kwargs):
        from django.test import Client

        client = Client(**kwargs)
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client

    def own_words(self, role: str) -> set[str]:
        """What a person sees of themselves in every page's header."""
        from assembly.predicates import delegate_of

        user = self.users[role]
        delegate = delegate_of(user) if user is not None else None
        if delegate is None:
            return set()
        org = delegate.partner.organisation
        return {delegate.name_th, delegate.name_en, org.name_th, org.name_en, org.label}

    def private_words(self, role: str) -> list[str]:
        """Names and draft text of room 1, less what the person is themselves."""
        from agenda.models import Clause

        words = set()
        for partner in self.world.partners_in(self.room):
            org = partner.organisation
            words |= {org.name_th, org.name_en}
            for d in partner.delegates.all():
                words |= {d.name_th, d.name_en}
        words |= set(
            Clause.objects.filter(version__item=self.item).values_list(
                "text", flat=True
            )
        )
        return sorted(w for w in words - self.own_words(role) if w)

    # --- Things created on demand, for URLs that need them --------------------------

    @cached_property
    def amendment(self):
        from agenda import services as agenda_services
        from agenda.models import Clause

        clause = (
            Clause.objects.filter(version__item=self.item)
            .order_by("-version__number", "position")
            .first()
        )
        return agenda_services.amendment_submit(
            item=self.item,
            delegate=self.delegate,
            kind="replace",
            target_key=clause.key,
            text=f"{MARK} ข้อความแก้ไขใหม่ทั้งหมด",
            rationale="เหตุผลประกอบ",
        )

    @cached_property
    def review(self):
        """This assembly reviewing a resolution of another (earlier) one."""
        from datetime import date

        from resolutions.models import Resolution, Review

        other = self.foreign.assembly
        item = other.agenda_items.first() or _foreign_item(self.foreign)
        resolution = Resolution.objects.create(
            assembly=other, item=item, position=1, text="มติเดิม",
            adopted_on=date(2023, 1, 1), method="consensus",
            owner=self.foreign.partners[0].organisation,
        )
        return Review.objects.create(assembly=self.assembly, resolution=resolution)

    @cached_property
    def plenary_comment(self):
        """A written comment on room 1's item (made directly: the item is still in
        its room, and the comment only needs to exist for the URL)."""
        from agenda.models import PlenaryComment

        return PlenaryComment.objects.create(
            item=self.item, partner=self.delegate.partner, delegate=self.delegate,
            text=f"{MARK} ความเห็น",
        )

    @cached_property
    def poll(self):
        """A consensus round on room 1's draft, not yet open."""
        from agenda.models import DraftVersion
        from voting.models import Poll

        version = (
            DraftVersion.objects.filter(item=self.item).order_by("-number").first()
        )
        return Poll.objects.create(
            room=self.room,
            kind=Poll.Kind.CONSENSUS,
            item=self.item,
            version=version,
            threshold_num=4,
            threshold_den=5,
        )

    @cached_property
    def plenary_comment(self):
        """A comment of the delegate's organisation on item 1 (made directly:
        the plenary path has its own tests)."""
        from agenda.models import PlenaryComment

        return PlenaryComment.objects.create(
            item=self.item, partner=self.delegate.partner, delegate=self.delegate,
            text="ความเห็นต่อที่ประชุมใหญ่",
        )

    @cached_property
    def proxy(self):
        """Room 1's second partner gives its voice to the delegate's today."""
        from django.utils import timezone

        from voting.models import Proxy

        giver = self.world.partners_in(self.room)[1]
        return Proxy.objects.create(
            assembly=self.assembly, giver=giver, holder=self.delegate.partner,
            day=timezone.localdate(), created_by=self.users["secretariat"],
        )

    @cached_property
    def resolution(self):
        """A resolution of item 1 owned by the lead agency (made directly: the
        adoption path has its own tests)."""
        from datetime import date

        from resolutions.models import Resolution

        return Resolution.objects.create(
            assembly=self.assembly,
            item=self.item,
            position=1,
            text="ให้ทุกตำบลมีศูนย์เด็กเล็กคุณภาพ",
            adopted_on=date(2023, 11, 24),
            method=Resolution.Method.CONSENSUS,
            owner=self.lead,
        )

    @cached_property
    def evidence(self):
        """A progress update of the resolution with an evidence file."""
        from datetime import date

        from django.core.files.base import ContentFile

        from resolutions.models import ProgressUpdate

        entry = ProgressUpdate(
            resolution=self.resolution,
            author=self.users["staff"],
            organisation=self.lead,
            status=ProgressUpdate.Status.ON_TRACK,
            percent=10,
            narrative="เริ่มดำเนินการแล้ว",
            refers_to=date(2024, 1, 15),
        )
        entry.evidence_file.save(
            "evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False
        )
        entry.save()
        return entry


def build_cast():
    from agenda import services as agenda_services
    from assembly.models import Organisation, Sector
    from tests import factories

    w = factories.world(partners=6, rooms=2, alternates=1)
    for partner in w.partners:
        org = partner.organisation
        org.name_th = f"{org.name_th} {MARK}"
        org.save(update_fields=["name_th"])
    foreign = factories.world(partners=2, rooms=1, alternates=0, title="สมัชชาจังหวัดอื่น")
    lead = Organisation.objects.create(
        name_th="สำนักงานศึกษาธิการจังหวัดทดสอบ",
        name_en="Test Provincial Education Office",
        short_name="ศธจ.ทดสอบ",
        sector=Sector.STATE,
    )
    other_agency = Organisation.objects.create(
        name_th="หน่วยงานอื่นที่ไม่เป็นเจ้าของ",
        name_en="An agency that owns nothing",
        sector=Sector.STATE,
    )
    staff = factories.user(name="เจ้าหน้าที่เจ้าภาพ")
    lead.staff.add(staff)
    other_staff = factories.user(name="เจ้าหน้าที่หน่วยงานอื่น")
    other_agency.staff.add(other_staff)
    item = agenda_services.item_create(
        assembly=w.assembly,
        number=1,
        title_th="การพัฒนาเด็กปฐมวัย",
        title_en="Early childhood",
        lead_agency=lead,
        room=w.rooms[0],
    )
    agenda_services.draft_set(
        item=item,
        preamble="",
        clauses=[f"{MARK} ให้ทุกตำบลมีศูนย์เด็กเล็กคุณภาพ", f"{MARK} ให้ติดตามเด็กทุกคน"],
        actor=w.secretariat,
    )
    cast = Cast(world=w, foreign=foreign, item=item, lead=lead)
    cast.users = {
        "anonymous": None,
        "foreign_delegate": foreign.delegates[0].user,
        "delegate": cast.delegate.user,
        "alternate": cast.alternate.user,
        "other_facilitator": w.facilitators[w.rooms[1].pk],
        "facilitator": w.facilitators[w.rooms[0].pk],
        "other_staff": other_staff,
        "staff": staff,
        "secretariat": w.secretariat,
    }
    assert cast.alternate.partner.room_id == cast.room.pk
    return cast


@pytest.fixture
def cast(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_cast()


def _foreign_item(foreign):
    from agenda.models import AgendaItem

    return AgendaItem.objects.create(
        assembly=foreign.assembly, number=1, title_th="วาระเดิม",
        lead_agency=foreign.partners[0].organisation,
    )
