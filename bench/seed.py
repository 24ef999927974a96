"""Seed an assembly of N partners, fast, in the database the environment names.

``python -m bench.seed --partners 650 [--migrate]`` (with DATABASE_URL or
DJANGO_SQLITE_PATH set) creates one assembly with one breakout room seating
every partner, a voting delegate per partner (checked in, with a personal
sign-in link), the room's agenda item with a draft, and an open consensus
poll. It prints JSON: the sign-in tokens, the room, poll, assembly and
projector token. Rows are bulk-created; the few objects with rules (assembly,
rooms, agenda item, draft) go through the services.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from datetime import date


def seed(partners: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from agenda import services as agenda_services
    from assembly import services
    from assembly.models import Delegate, Organisation, Partner, SignInLink
    from voting.models import Poll

    user_model = get_user_model()
    run = secrets.token_hex(3)
    secretariat = user_model.objects.create_user(
        username=f"bench-sec-{run}", first_name="เลขานุการ"
    )
    assembly = services.assembly_create(
        title_th="สมัชชาการศึกษาเพื่อความเสมอภาค (ทดสอบโหลด)",
        title_en="Education equity assembly (load test)",
        starts_on=date(2023, 11, 24),
        venue_th="โรงแรมโฆษะ",
        venue_en="Hotel Kosa",
        province_th="ขอนแก่น",
        province_en="Khon Kaen",
        actor=secretariat,
    )
    room = services.room_create(
        assembly=assembly, number=1, name_th="ห้องย่อย 1", name_en="Room 1"
    )
    sectors = ["state", "academic", "private", "civil"]
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name_th=f"ภาคีเครือข่ายทดสอบ {run}-{i + 1}",
            name_en=f"Bench partner {run}-{i + 1}",
            sector=sectors[i % 4],
        )
        for i in range(partners)
    )
    partner_rows = Partner.objects.bulk_create(
        Partner(assembly=assembly, organisation=o, room=room) for o in orgs
    )
    users = []
    for i in range(partners):
        u = user_model(username=f"bench-{run}-{i}", first_name=f"ผู้แทน {i + 1}")
        u.set_unusable_password()
        users.append(u)
    users = user_model.objects.bulk_create(users)
    now = timezone.now()
    delegates = Delegate.objects.bulk_create(
        Delegate(
            partner=p,
            user=u,
            name_th=f"ผู้แทน {i + 1}",
            name_en=f"Delegate {i + 1}",
            kind=Delegate.Kind.VOTING,
            checked_in_at=now,
        )
        for i, (p, u) in enumerate(zip(partner_rows, users))
    )
    tokens = [secrets.token_urlsafe(services.TOKEN_BYTES) for _ in delegates]
    SignInLink.objects.bulk_create(
        SignInLink(user=d.user, token_digest=services.token_digest(t))
        for d, t in zip(delegates, tokens)
    )
    item = agenda_services.item_create(
        assembly=assembly,
        number=1,
        title_th="การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ",
        lead_agency=orgs[0],
        room=room,
    )
    agenda_services.draft_set(
        item=item,
        actor=secretariat,
        preamble="สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น ขอนแก่นเมืองแห่งโอกาส",
        clauses=[
            "ให้สำนักงานศึกษาธิการจังหวัดขอนแก่นเป็นหน่วยงานหลัก "
            "จัดทำข้อมูลเด็กปฐมวัยรายบุคคลให้ครอบคลุมทั้ง 26 อำเภอ",
            "ให้ศูนย์พัฒนาเด็กเล็กและสถานศึกษาปฐมวัยทุกสังกัด จัดประสบการณ์การเรียนรู้ตามช่วงวัยที่เหมาะสม",
        ],
    )
    # Opened directly: poll_open wants the partners present (sockets open), and
    # the benchmark opens the sockets after seeding.
    poll = Poll.objects.create(
        room=room,
        kind=Poll.Kind.CONSENSUS,
        item=item,
        status=Poll.Status.OPEN,
        opened_at=now,
    )
    return {
        "assembly": assembly.pk,
        "room": room.pk,
        "poll": poll.pk,
        "projector": room.projector_token,
        "tokens": tokens,
        "partners": [p.pk for p in partner_rows],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.seed")
    parser.add_argument("--partners", type=int, default=65)
    parser.add_argument("--migrate", action="store_true")
    args = parser.parse_args(argv)
    if not 1 <= args.partners <= 5000:
        parser.error("--partners between 1 and 5000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
    print(json.dumps(seed(args.partners)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
