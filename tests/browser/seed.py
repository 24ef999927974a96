"""Data for the browser tests, made through the services in a subprocess.

    python tests/browser/seed.py COMMAND '{"json": "params"}'

prints one line of JSON. Run by ``Server.seed`` with the server's environment
(its SQLite file). Commands:

- ``setup``: a small assembly for one run of the scenario (``tag`` keeps names
  unique between runs): a secretariat and a lead-agency user with passwords,
  the plenary, two breakout rooms each with a facilitator, one agenda item in
  room 1 with a two-clause draft. No partners: the secretariat imports them;
  with ``voters`` (and ``present``), ``voters`` below made at once.
- ``partners``: the partners and delegates of ``setup`` made directly, for
  tests that do not go through the import page.
- ``resolution``: item 1 adopted, with one resolution (``text``) owned by its
  lead agency, made directly.
- ``voters``: ``count`` partners in room 1 (``room`` 2: room 2), each with a voting
  delegate checked in and a fresh link; partner 0 also has an alternate (two phones
  of one organisation). With ``present`` ("room" or "plenary"): the desk marks
  them present there (quorum without phones).
- ``speaker``: delegate ``delegate`` asks to speak and the room's facilitator gives
  the floor for ``seconds``; ``started_ago`` seconds ago (overtime when larger).
- ``finish``: the speaker's turn ends.
- ``amendment``: delegate ``delegate`` proposes to replace clause ``clause`` with
  ``text``; ``accept``: the facilitator accepts it for decision.
- ``clause``: the clause under discussion (``key``, or none).
- ``poll``: a vote of ``kind`` prepared and opened in ``room`` (the room's
  facilitator; the secretariat in the plenary), ``amendment`` for an amendment
  vote (-1: the latest accepted), ``item`` in the plenary; ``results_live``, ``secret``.
- ``ballots``: delegates ``delegates`` cast ``choices`` in the room's open poll.
- ``close``: the room's open poll closes.
- ``steps``: several of these in one process: ``[[command, params], ...]``.
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


def setup(tag: str, voters: int = 0, present: str = "", **_) -> dict:
    made = _setup(tag)
    if voters:
        made["voters"] = globals()["voters"](
            assembly=made["assembly"], tag=tag, count=voters, present=present
        )["voters"]
    return made


def _setup(tag: str) -> dict:
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
    room.refresh_from_db()
    plenary.refresh_from_db()
    return {
        "assembly": assembly.pk,
        "plenary": plenary.pk,
        "projectors": {"room": room.projector_token, "plenary": plenary.projector_token},
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


def voters(assembly: int, tag: str, count: int = 3, room: int = 1,
           present: str = "", **_) -> dict:
    """Partners ready to vote: checked in, a link each; partner 0 has an alternate."""
    from assembly import desk, services
    from assembly.models import Assembly, Delegate, Organisation, Room, Sector

    a = Assembly.objects.get(pk=assembly)
    seat = Room.objects.get(assembly=a, number=room)
    plenary = services.plenary_of(a)
    secretariat = a.secretariat.first()
    out = []
    for i in range(count):
        org = Organisation.objects.create(
            name_th=f"องค์กรภาคี {i + 1} {tag}",
            name_en=f"Partner {i + 1} {tag}",
            short_name=f"ภาคี{i + 1}-{tag}",
            sector=[Sector.ACADEMIC, Sector.CIVIL, Sector.PRIVATE][i % 3],
        )
        partner = services.partner_add(assembly=a, organisation=org, room=seat)
        people = [services.delegate_create(
            partner=partner, name_th=f"ผู้แทน {i + 1} {tag}",
            name_en=f"Delegate {i + 1} {tag}")]
        if i == 0:
            people.append(services.delegate_create(
                partner=partner, name_th=f"ผู้แทนสำรอง 1 {tag}",
                name_en=f"Alternate 1 {tag}", kind=Delegate.Kind.ALTERNATE))
        for delegate in people:
            services.delegate_check_in(delegate=delegate)
            if present:  # one room at a time: "room" or "plenary"
                where = plenary if present == "plenary" else seat
                desk.desk_mark_present(assembly=a, delegate=delegate, room=where,
                                       actor=secretariat)
            out.append({
                "delegate": delegate.pk,
                "partner": partner.pk,
                "token": services.signin_link_issue(delegate=delegate),
                "name": delegate.name_th,
                "name_en": delegate.name_en,
                "organisation": org.name_th,
                "organisation_en": org.name_en,
                "short": org.short_name,
                "alternate": delegate.kind == Delegate.Kind.ALTERNATE,
            })
    return {"voters": out}


def _room(pk: int):
    from assembly.models import Room

    return Room.objects.select_related("assembly").get(pk=pk)


def _runner(room):
    return room.facilitators.first() or room.assembly.secretariat.first()


def speaker(room: int, delegate: int, seconds: int = 180, started_ago: int = 0,
            **_) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from agenda import speakers
    from agenda.models import SpeakerRequest
    from assembly.models import Delegate

    r = _room(room)
    speakers.speaker_request(room=r, delegate=Delegate.objects.get(pk=delegate))
    speakers.speaker_call_next(room=r, actor=_runner(r), duration_seconds=seconds)
    if started_ago:
        SpeakerRequest.objects.filter(room=r, status="speaking").update(
            started_at=timezone.now() - timedelta(seconds=started_ago))
    return {"ok": True}


def finish(room: int, **_) -> dict:
    """The speaker's turn ends."""
    from agenda import speakers

    r = _room(room)
    speakers.speaker_finish(room=r, actor=_runner(r))
    return {"ok": True}


def amendment(room: int, delegate: int, clause: int, text: str,
              accept: bool = False, **_) -> dict:
    from agenda import services as agenda_services
    from agenda.selectors import current_clauses
    from assembly.models import Delegate

    r = _room(room)
    item = r.agenda_item
    target = next(c for c in current_clauses(item) if c.position == clause)
    made = agenda_services.amendment_submit(
        item=item, delegate=Delegate.objects.get(pk=delegate), kind="replace",
        target_key=target.key, text=text, rationale="ครูไม่พอในหลายตำบล")
    if accept:
        agenda_services.amendment_accept(amendment=made, actor=_runner(r))
    return {"amendment": made.pk, "clause_key": target.key}


def clause(room: int, key: int | None = None, **_) -> dict:
    from agenda import services as agenda_services

    r = _room(room)
    agenda_services.item_set_current_clause(
        item=r.agenda_item, clause_key=key, actor=_runner(r))
    return {"ok": True}


def poll(room: int, kind: str, amendment: int | None = None, item: int | None = None,
         results_live: bool = True, secret: bool = False, open: bool = True,
         **_) -> dict:
    from agenda.models import AgendaItem, Amendment
    from voting import services as voting_services

    r = _room(room)
    if amendment == -1:  # the room's latest amendment accepted for decision
        amendment = Amendment.objects.filter(
            item__room=r, status=Amendment.Status.ACCEPTED).latest("pk").pk
    made = voting_services.poll_create(
        room=r, kind=kind, actor=_runner(r),
        amendment=Amendment.objects.get(pk=amendment) if amendment else None,
        item=AgendaItem.objects.get(pk=item) if item else None,
        results_live=results_live and not secret, secret=secret)
    if open:
        voting_services.poll_open(poll=made, actor=_runner(r))
    return {"poll": made.pk}


def ballots(room: int, delegates: list, choices: list, **_) -> dict:
    from assembly.models import Delegate
    from voting import services as voting_services
    from voting.models import Poll

    open_poll = Poll.objects.get(room_id=room, status=Poll.Status.OPEN)
    for pk, choice in zip(delegates, choices):
        voting_services.ballot_cast(
            poll=open_poll, delegate=Delegate.objects.get(pk=pk), choice=choice,
            reason="งบประมาณไม่พอ" if choice in ("concerns", "block") else "")
    return {"poll": open_poll.pk}


def close(room: int, **_) -> dict:
    from voting import services as voting_services
    from voting.models import Poll

    r = _room(room)
    open_poll = Poll.objects.get(room=r, status=Poll.Status.OPEN)
    voting_services.poll_close(poll=open_poll, actor=_runner(r))
    open_poll.refresh_from_db()
    return {"poll": open_poll.pk, "adopted": open_poll.adopted}


def eval_(code: str, **params) -> object:
    namespace = {"params": params, "result": None}
    exec(code, namespace)  # noqa: S102 - test-only, code written in the tests
    return namespace["result"]


def agree(room: int, **_) -> dict:
    """The room agrees its draft (for the plenary's vote on the item), and the
    desk moves its partners' delegates to the plenary."""
    from agenda import services as agenda_services
    from assembly import desk
    from assembly.models import Delegate

    r = _room(room)
    agenda_services.item_agree(item=r.agenda_item, actor=_runner(r))
    plenary = r.assembly.rooms.get(kind="plenary")
    for delegate in Delegate.objects.filter(partner__room=r, desk_presence__isnull=False):
        desk.desk_mark_present(assembly=r.assembly, delegate=delegate, room=plenary,
                               actor=r.assembly.secretariat.first())
    return {"item": r.agenda_item.pk}


def steps(steps: list, **_) -> dict:
    """Several commands in one process (each subprocess costs a Django start):
    ``[[command, params], ...]``; the result of each, in order."""
    return {"results": [COMMANDS[name](**params) for name, params in steps]}


COMMANDS = {
    "steps": steps,
    "agree": agree,
    "setup": setup,
    "partners": partners,
    "resolution": resolution,
    "voters": voters,
    "speaker": speaker,
    "finish": finish,
    "amendment": amendment,
    "clause": clause,
    "poll": poll,
    "ballots": ballots,
    "close": close,
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
