"""A whole assembly day, run through the services: amendments voted and decided,
rooms agreeing by consensus, the plenary document, the plenary adopting."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from agenda import services as agenda
from assembly import presence
from tests import factories
from voting import services as voting

REVISED = ("ให้ศูนย์พัฒนาเด็กเล็กและสถานศึกษาปฐมวัยทุกสังกัด "
           "จัดประสบการณ์การเรียนรู้ผ่านการเล่นตามช่วงวัย")
REJECTED = "ให้ยกเลิกการประเมินพัฒนาการเด็กทุกรูปแบบ"


@dataclass
class Day:
    world: object
    items: list
    adopted_amendment: object
    rejected_amendment: object

    @property
    def assembly(self):
        return self.world.assembly


def vote(room, kind, actor, voters, choice, **kwargs):
    """A poll run to its end: the voters' screens are open on the room (presence),
    each casts ``choice``, the facilitator closes it."""
    for delegate in voters:
        presence.touch(room.pk, delegate.partner_id)
    poll = voting.poll_create(room=room, kind=kind, actor=actor, **kwargs)
    voting.poll_open(poll=poll, actor=actor)
    for delegate in voters:
        voting.ballot_cast(poll=poll, delegate=delegate, choice=choice)
    return voting.poll_close(poll=poll, actor=actor)


@pytest.fixture
def day(world) -> Day:
    w = world
    items = [factories.agenda_item(w, room=room) for room in w.rooms]
    room = w.rooms[0]
    fac = w.facilitators[room.pk]
    seated = [w.delegate_of(p) for p in w.partners_in(room)]
    adopted = agenda.amendment_submit(item=items[0], delegate=seated[0],
                                      kind="replace", target_key=2, text=REVISED,
                                      rationale="เน้นการเรียนรู้ผ่านการเล่น")
    agenda.amendment_accept(amendment=adopted, actor=fac)
    vote(room, "amendment", fac, seated, "yes", amendment=adopted)
    rejected = agenda.amendment_submit(item=items[0], delegate=seated[1],
                                       kind="replace", target_key=3, text=REJECTED)
    agenda.amendment_accept(amendment=rejected, actor=fac)
    agenda.amendment_decide(amendment=rejected, adopted=False, actor=fac)
    for item, r in zip(items, w.rooms, strict=True):
        vote(r, "consensus", w.facilitators[r.pk],
             [w.delegate_of(p) for p in w.partners_in(r)], "full")
    agenda.plenary_document_build(assembly=w.assembly, actor=w.secretariat)
    for item in items:
        item.refresh_from_db()
        vote(w.plenary, "consensus", w.secretariat, w.delegates, "full", item=item)
    for item in items:
        item.refresh_from_db()
    return Day(world=w, items=items, adopted_amendment=adopted,
               rejected_amendment=rejected)
