"""Fixtures of the voting tests: an agenda item per room, partners present."""

from __future__ import annotations

import pytest

from agenda.models import AgendaItem, Amendment, Clause, DraftVersion
from assembly import presence
from assembly.models import Room


def make_item(world, room: Room, *, number: int | None = None,
              status: str = AgendaItem.Status.DRAFTING) -> AgendaItem:
    """An agenda item with a two-clause draft, seated in ``room`` (breakout) or
    agreed for the plenary. Built with the ORM: the voting tests need the rows,
    not the agenda app's rules."""
    number = number or (AgendaItem.objects.filter(assembly=world.assembly).count() + 1)
    item = AgendaItem.objects.create(
        assembly=world.assembly, number=number, title_th=f"วาระที่ {number}",
        title_en=f"Item {number}", lead_agency=world.partners[0].organisation,
        room=None if room.is_plenary else room, status=status,
    )
    version = DraftVersion.objects.create(item=item, number=1, preamble="ร่างมติ")
    Clause.objects.create(version=version, position=1, key=1, text="ข้อหนึ่ง")
    Clause.objects.create(version=version, position=2, key=2, text="ข้อสอง")
    if status != AgendaItem.Status.DRAFTING:
        item.agreed_version = version
        item.save(update_fields=["agreed_version"])
    return item


def make_amendment(world, item: AgendaItem, *, partner=None) -> Amendment:
    partner = partner or world.partners_in(item.room)[0]
    return Amendment.objects.create(
        item=item, partner=partner, proposed_by=world.delegate_of(partner),
        kind=Amendment.Kind.REPLACE, target_key=1,
        base_version=item.versions.order_by("-number").first(), text="ข้อหนึ่ง (แก้)",
        status=Amendment.Status.ACCEPTED,
    )


def make_present(room: Room, partners) -> None:
    """The partners' delegates have a socket open on the room."""
    for partner in partners:
        presence.touch(room.pk, partner.pk)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; test_translations checks the Thai."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def room(world):
    return world.rooms[0]


@pytest.fixture
def item(world, room):
    return make_item(world, room)


@pytest.fixture
def present(world, room):
    make_present(room, world.partners_in(room))
    make_present(world.plenary, world.partners)


@pytest.fixture
def no_effects(monkeypatch):
    """Close polls without touching the agenda (tests of counting, not effects)."""
    calls = []
    monkeypatch.setattr("voting.effects.apply", lambda *, poll: calls.append(poll))
    return calls
