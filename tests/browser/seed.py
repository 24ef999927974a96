"""Data for the browser tests, made through the services in a subprocess.

    python tests/browser/seed.py COMMAND '{"json": "params"}'

prints one line of JSON. Run by ``Server.seed`` with the server's environment
(its SQLite file). Commands:

- ``setup``: a small assembly for one run of the scenario (``tag`` keeps names
  unique between runs): a secretariat and a lead-agency user with passwords,
  the plenary, two breakout rooms each with a facilitator, one agenda item in
  room 1 with a two-clause draft. No partners: the secretariat imports them.
- ``partners``: the partners and delegates of ``setup`` made directly, for
  tests that do not go through the import page.
- ``resolution``: item 1 adopted, with one resolution (``text``) owned by its
  lead agency, made directly.
- ``eval``: run ``code`` with Django set up; prints the JSON of ``result``.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "browser-test-Passw0rd-2566"


def setup(tag: str, **_) -> dict:
    from django.contrib.auth import get_user_model

    from agenda import services as agenda_services
    from assembly import services
    from assembly.models import Assembly, Organisation, Sector

    User = get_user_model()

    def person(username: str, first: str, last: str):
        user = User.objects.create_user(
            username=username, password=PASSWORD, first_name=first, last_name=last
        )
        return user

    secretariat = person(f"sec-{tag}", "สมศรี", "เลขาดี")
    assembly = services.assembly_create(
        title_th=f"สมัชชาการศึกษาทดสอบ {tag}",
        title_en=f"Browser test assembly {tag}",
        starts_on=date(2023, 11, 24),
        venue_th="โรงแรมโฆษะ",
        venue_en="Hotel Kosa",
        province_th="ขอนแก่น",
        province_en="Khon Kaen",
        actor=secretariat,
    )
    Assembly.objects.filter(pk=assembly.pk).update(status=Assembly.Status.IN_SESSION)
    plenary = services.plenary_of(assembly)
    room = services.room_create(
        assembly=assembly,
        number=1,
        name_th="ห้องย่อย 1: ปฐมวัย",
        name_en="Room 1: Early childhood",
    )
    other_room = services.room_create(
        assembly=assembly,
        number=2,
        name_th="ห้องย่อย 2: เด็กนอกระบบ",
        name_en="Room 2: Out-of-school children",
    )
    facilitator = person(f"fac-{tag}", "กมล", "ผู้ดำเนิน")
    other_facilitator = person(f"fac2-{tag}", "วิไล", "กระบวนกร")
    room.facilitators.add(facilitator)
    other_room.facilitators.add(other_facilitator)
    lead = Organisation.objects.create(
        name_th=f"สำนักงานศึกษาธิการจังหวัดขอนแก่น {tag}",
        name_en=f"Khon Kaen Provincial Education Office {tag}",
        short_name=f"ศธจ.ขก. {tag}",
        sector=Sector.STATE,
    )
    staff = person(f"staff-{tag}", "ประภา", "ศึกษาธิการ")
    lead.staff.add(staff)
    item = agenda_services.item_create(
        assembly=assembly,
        number=1,
        title_th="การพัฒนาเด็กปฐมวัยอย่างมีคุณภาพ",
        title_en="Quality early-childhood development",
        lead_agency=lead,
        room=room,
    )
    agenda_services.draft_set(
        item=item,
        preamble="ที่ประชุมสมัชชาเห็นพ้องร่วมกันดังนี้",
        clauses=[
            "ให้ทุกตำบลมีศูนย์พัฒนาเด็กเล็กที่มีคุณภาพ",
            "ให้หน่วยงานร่วมกันติดตามพัฒนาการของเด็กทุกคน",
        ],
        actor=secretariat,
    )
    return {
        "assembly": assembly.pk,
        "plenary": plenary.pk,
        "room": room.pk,
        "other_room": other_room.pk,
        "item": item.pk,
        "lead": lead.pk,
        "password": PASSWORD,
        "users": {
            "secretariat": secretariat.username,
            "facilitator": facilitator.username,
            "other_facilitator": other_facilitator.username,
            "staff": staff.username,
        },
    }


def partners(assembly: int, tag: str, count: int = 3, **_) -> dict:
    """``count`` partners in room 1, each with a voting delegate (not yet checked in) and a
    fresh sign-in link."""
    from assembly import services
    from assembly.models import Assembly, Organisation, Room, Sector

    a = Assembly.objects.get(pk=assembly)
    room = Room.objects.get(assembly=a, number=1)
    out = []
    for i in range(count):
        org = Organisation.objects.create(
            name_th=f"องค์กรภาคี {i + 1} {tag}",
            name_en=f"Partner {i + 1} {tag}",
            sector=[Sector.ACADEMIC, Sector.CIVIL, Sector.PRIVATE][i % 3],
        )
        partner = services.partner_add(assembly=a, organisation=org, room=room)
        delegate = services.delegate_create(
            partner=partner,
            name_th=f"ผู้แทน {i + 1} {tag}",
            name_en=f"Delegate {i + 1} {tag}",
        )
        token = services.signin_link_issue(delegate=delegate)
        out.append(
            {"delegate": delegate.pk, "token": token, "organisation": org.name_th}
        )
    return {"delegates": out}


def resolution(assembly: int, text: str, **_) -> dict:
    """Item 1 adopted by consensus with one resolution owned by its lead agency,
    made directly (for tests of the follow-up that do not vote first)."""
    from django.utils import timezone

    from agenda.models import AgendaItem
    from resolutions.models import Resolution

    item = AgendaItem.objects.get(assembly_id=assembly, number=1)
    AgendaItem.objects.filter(pk=item.pk).update(status=AgendaItem.Status.ADOPTED)
    made = Resolution.objects.create(
        assembly_id=assembly,
        item=item,
        position=1,
        text=text,
        adopted_on=timezone.localdate(),
        method=Resolution.Method.CONSENSUS,
        owner=item.lead_agency,
    )
    return {"resolution": made.pk}


def eval_(code: str, **params) -> object:
    namespace = {"params": params, "result": None}
    exec(code, namespace)  # noqa: S102 - test-only, code written in the tests
    return namespace["result"]


COMMANDS = {
    "setup": setup,
    "partners": partners,
    "resolution": resolution,
    "eval": eval_,
}


def main() -> None:
    import django

    django.setup()
    command = sys.argv[1]
    params = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    result = COMMANDS[command](**params)
    sys.stdout.write("\n" + json.dumps(result, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main()
