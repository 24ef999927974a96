"""An assembly whose agenda items were adopted, ready for the follow-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from agenda.models import AgendaItem, Clause, DraftVersion
from resolutions import services
from resolutions.models import Resolution
from tests import factories

ADOPTED_ON = date(2023, 11, 24)

ITEM_TITLES = [
    "การพัฒนาเด็กปฐมวัยอย่างมีคุณภาพ",
    "โอกาสทางการเรียนรู้และการมีงานทำของเด็กนอกระบบ",
]
CLAUSES = [
    [
        "ให้สำนักงานศึกษาธิการจังหวัดจัดทำฐานข้อมูลเด็กปฐมวัยร่วมกับท้องถิ่น",
        '=HYPERLINK("http://evil.example") จัดสรรงบประมาณพัฒนาครูปฐมวัย',
        "ติดตามพัฒนาการเด็กทุกหกเดือน",
    ],
    [
        "ค้นหา ช่วยเหลือ และส่งต่อเด็กนอกระบบการศึกษาในทุกอำเภอ",
        "จัดการเรียนรู้แบบยืดหยุ่นที่เชื่อมกับการมีงานทำ",
    ],
]


def agreed_item(world, number: int, title: str, clauses: list[str], lead) -> AgendaItem:
    """An agenda item with an agreed version made of ``clauses``, built directly."""
    item = AgendaItem.objects.create(
        assembly=world.assembly,
        number=number,
        title_th=title,
        title_en=f"Item {number}",
        lead_agency=lead,
        status=AgendaItem.Status.AGREED,
    )
    version = DraftVersion.objects.create(item=item, number=1, preamble="")
    for position, text in enumerate(clauses, start=1):
        Clause.objects.create(
            version=version, position=position, key=position, text=text
        )
    item.agreed_version = version
    item.save(update_fields=["agreed_version"])
    return item


@dataclass
class Adopted:
    world: object
    items: list[AgendaItem]
    resolutions: list[Resolution]

    @property
    def assembly(self):
        return self.world.assembly

    def owner_staff(self, resolution: Resolution):
        return self.world.staff[resolution.owner_id]


@pytest.fixture
def adopted(world) -> Adopted:
    """Two adopted items (3 and 2 clauses) led by the first two partners."""
    items, resolutions = [], []
    for n, (title, clauses) in enumerate(zip(ITEM_TITLES, CLAUSES, strict=True), 1):
        lead = world.partners[n - 1].organisation
        item = agreed_item(world, n, title, clauses, lead)
        items.append(item)
        resolutions += services.resolutions_create_for_item(
            item=item, adopted_on=ADOPTED_ON
        )
    return Adopted(world=world, items=items, resolutions=resolutions)


@pytest.fixture
def media(settings, tmp_path):
    """A fresh MEDIA_ROOT for the test; returns its path."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def outbox_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


__all__ = ["ADOPTED_ON", "Adopted", "agreed_item", "factories", "files_in"]


