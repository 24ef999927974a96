"""Load the demo into the database, through the services, so it is set up the way
a secretariat would: the assembly of seed 002 (Khon Kaen, 24 November 2566) and,
through ``assembly.demo_cycle``, its adoption, a year of progress and the next
assembly reviewing it."""

from __future__ import annotations

import functools
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from agenda.models import AgendaItem
from assembly import demo_data as data
from assembly import services
from assembly.models import Assembly, Organisation, Room

User = get_user_model()

# Demo accounts only: printed by `make run`, never used for a real assembly.
DEMO_PASSWORD = os.environ.get("SAMATCHA_DEMO_PASSWORD", "khonkaen-2566")

ROOM_NAMES = {
    1: ("ห้องย่อย 1", "Room 1"),
    2: ("ห้องย่อย 2", "Room 2"),
    3: ("ห้องย่อย 3", "Room 3"),
    4: ("ห้องย่อย 4", "Room 4"),
}


@functools.cache
def _demo_password_hash() -> str:
    # Hashed once for every demo account: the hasher is slow on purpose (about
    # 0.3 s a hash), and the demo's fourteen accounts share one printed password.
    return make_password(DEMO_PASSWORD)


def _user(spec: data.UserData, *, staff_of: Organisation | None = None):
    first, _, last = spec.name_th.partition(" ")
    user, created = User.objects.get_or_create(
        username=spec.username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    if staff_of is not None:
        staff_of.staff.add(user)
    return user


@transaction.atomic
def load() -> Assembly:
    """The demo's two assemblies (issue 13): the first Khon Kaen assembly of seed
    002 (24 November 2566), adopted, with a year of progress on its resolutions,
    and the second (22 November 2567) in session, reviewing them. Returns the
    second, the one in session."""
    from assembly.demo_cycle import load_cycle

    first, secretariat, orgs = load_first()
    return load_cycle(first, secretariat, orgs)


def load_first() -> tuple[Assembly, object, dict[str, Organisation]]:
    """Create the first demo assembly with its 65 partners, rooms, people and
    drafts; returns it, its first secretary and the organisations by key."""
    from agenda.services import draft_set  # the agenda app's own service

    data.validate()
    a = data.ASSEMBLY
    secretariat = [_user(u) for u in data.SECRETARIAT]
    assembly = services.assembly_create(
        title_th=a.title_th, title_en=a.title_en, edition=a.edition,
        starts_on=a.date, venue_th=a.venue_th, venue_en=a.venue_en,
        province_th=a.province_th, province_en=a.province_en, actor=secretariat[0],
    )
    assembly.secretariat.add(*secretariat)
    assembly.status = Assembly.Status.IN_SESSION
    assembly.save(update_fields=["status"])

    rooms: dict[int, Room] = {}
    for number, (name_th, name_en) in ROOM_NAMES.items():
        item = next(i for i in data.AGENDA if i.room == number)
        rooms[number] = services.room_create(
            assembly=assembly, number=number,
            name_th=f"{name_th}: {item.title_th}", name_en=f"{name_en}: {item.title_en}",
        )

    orgs: dict[str, Organisation] = {}
    partners = {}
    for o in data.ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            name_th=o.name_th,
            defaults={"name_en": o.name_en, "short_name": o.short_name, "sector": o.sector},
        )
        orgs[o.key] = org
        partners[o.key] = services.partner_add(
            assembly=assembly, organisation=org, room=rooms[o.room]
        )
    for d in data.DELEGATES:
        services.delegate_create(
            partner=partners[d.organisation], name_th=d.name_th, name_en=d.name_en,
            kind=d.kind, phone=d.phone, email=d.email,
        )
    for u in data.STAFF:
        _user(u, staff_of=orgs[u.organisation] if u.organisation else None)

    for spec in data.AGENDA:
        room = rooms[spec.room]
        for f in spec.facilitators:
            room.facilitators.add(_user(f))
        item = AgendaItem.objects.create(
            assembly=assembly, number=spec.number, title_th=spec.title_th,
            title_en=spec.title_en, description_th=spec.description_th,
            description_en=spec.description_en, lead_agency=orgs[spec.lead], room=room,
        )
        item.co_leads.add(*(orgs[k] for k in spec.co_leads))
        draft_set(
            item=item, preamble=spec.draft.preamble_th, clauses=list(spec.draft.clauses_th),
            actor=secretariat[0], note="ร่างมติจากฝ่ายเลขานุการ",
        )
    return assembly, secretariat[0], orgs
