"""`python -m bench pdf`: how long the follow-up PDFs take to build.

Seeds, in a temporary SQLite database, an assembly of 65 partners and 4 agenda
items x 25 adopted resolutions (100), each with 10 progress updates (1,000), then
times over several runs: the resolutions PDF (มติสมัชชา), the assembly's progress
report (100 resolutions, 1,000 timeline entries) and one agency's report. Prints JSON
and appends a table to docs/benchmarks.md (``--no-docs`` to skip).

Options: ``--runs=N`` (default 5), ``--no-docs``.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ITEMS = 4
PER_ITEM = 25
UPDATES_PER_RESOLUTION = 10
PARTNERS = 65

CLAUSE = (
    "ให้{org}ร่วมกับภาคีเครือข่ายจัดทำข้อมูลเด็กและเยาวชนนอกระบบการศึกษารายบุคคล "
    "ค้นหา ช่วยเหลือเบื้องต้น และส่งต่อ ให้ครอบคลุมทั้ง 26 อำเภอ ภายในปีงบประมาณ "
    "โดยเชื่อมโยงฐานข้อมูลของสี่กระทรวงในระดับจังหวัด (ข้อ {n})"
)
NARRATIVE = (
    "คณะทำงานจัดประชุมร่วมกับองค์กรปกครองส่วนท้องถิ่นและสถานศึกษาในพื้นที่ "
    "ลงพื้นที่เยี่ยมบ้านเด็กกลุ่มเสี่ยง ส่งต่อเข้าสู่การเรียนรู้แบบยืดหยุ่นแล้ว {k} คน "
    "และปรับปรุงฐานข้อมูลให้เป็นปัจจุบัน (มติ {number} รายงานครั้งที่ {round})"
)
STATUSES = ["on_track", "on_track", "at_risk", "on_track", "delayed"]


def _option(argv: list[str], name: str, default: str) -> str:
    for arg in argv:
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    return default


def _setup_django(db_path: Path, media: Path) -> None:
    """Point Django at a throw-away SQLite file and migrate it."""
    os.environ["DJANGO_SQLITE_PATH"] = str(db_path)
    os.environ["DJANGO_MEDIA_ROOT"] = str(media)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.apps import apps

    if apps.ready:  # set up by someone else: switch the default database over
        from django.db import connections

        connections["default"].close()
        connections["default"].settings_dict["NAME"] = str(db_path)
    else:
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _seed() -> dict:
    from django.contrib.auth import get_user_model

    from agenda.models import AgendaItem, Clause, DraftVersion
    from assembly import services as assembly_services
    from assembly.models import Organisation, Sector
    from resolutions import services
    from resolutions.models import ProgressUpdate

    User = get_user_model()
    secretariat = User.objects.create_user("bench-secretariat")
    assembly = assembly_services.assembly_create(
        title_th="สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น ขอนแก่นเมืองแห่งโอกาส",
        title_en="Khon Kaen Assembly for Education Equity",
        starts_on=date(2023, 11, 24),
        venue_th="โรงแรมโฆษะ",
        venue_en="Hotel Kosa",
        province_th="ขอนแก่น",
        province_en="Khon Kaen",
        actor=secretariat,
    )
    sectors = list(Sector.values)
    orgs = []
    for n in range(PARTNERS):
        org = Organisation.objects.create(
            name_th=f"สำนักงานเขตพื้นที่การศึกษาและภาคีเครือข่ายที่ {n + 1}",
            name_en=f"Partner {n + 1}",
            sector=sectors[n % len(sectors)],
        )
        assembly_services.partner_add(assembly=assembly, organisation=org)
        orgs.append(org)
    staff = User.objects.create_user("bench-staff")
    for org in orgs[:ITEMS]:
        org.staff.add(staff)
    resolutions = []
    for i in range(ITEMS):
        lead = orgs[i]
        item = AgendaItem.objects.create(
            assembly=assembly,
            number=i + 1,
            lead_agency=lead,
            title_th=f"ระเบียบวาระที่ {i + 1}: โอกาสทางการศึกษาของเด็กนอกระบบ",
            status=AgendaItem.Status.AGREED,
        )
        version = DraftVersion.objects.create(item=item, number=1)
        Clause.objects.bulk_create(
            Clause(
                version=version,
                position=n + 1,
                key=n + 1,
                text=CLAUSE.format(org=lead.name_th, n=n + 1),
            )
            for n in range(PER_ITEM)
        )
        item.agreed_version = version
        item.save(update_fields=["agreed_version"])
        resolutions += services.resolutions_create_for_item(
            item=item, adopted_on=date(2023, 11, 24)
        )
    start = date(2023, 12, 1)
    updates = []
    for r_index, res in enumerate(resolutions):
        for k in range(UPDATES_PER_RESOLUTION):
            updates.append(
                ProgressUpdate(
                    resolution=res,
                    author=staff,
                    organisation_id=res.owner_id,
                    status=STATUSES[(r_index + k) % len(STATUSES)],
                    percent=min(100, 10 * (k + 1)),
                    narrative=NARRATIVE.format(k=k + 3, number=res.number, round=k + 1),
                    refers_to=start + timedelta(days=30 * k),
                )
            )
    ProgressUpdate.objects.bulk_create(updates)
    return {
        "assembly": assembly,
        "agency": orgs[0],
        "resolutions": len(resolutions),
        "updates": len(updates),
    }


def _time(build, runs: int) -> dict:
    """Wall-clock and CPU seconds of ``runs`` builds after a first one.

    CPU time (this process only) is reported next to wall time because the
    machine may be shared: it is what the build itself costs.
    """
    from pypdf import PdfReader

    started = time.perf_counter()
    pdf = build()  # first build: fonts registered, dictionary loaded
    first = time.perf_counter() - started
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = build()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "first_s": round(first, 3),
        "min_s": round(min(wall), 3),
        "median_s": round(statistics.median(wall), 3),
        "max_s": round(max(wall), 3),
        "cpu_min_s": round(min(cpu), 3),
        "cpu_median_s": round(statistics.median(cpu), 3),
        "cpu_max_s": round(max(cpu), 3),
        "runs": runs,
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "bytes": len(pdf),
    }


def main(argv: list[str]) -> dict:
    runs = int(_option(argv, "runs", "5"))
    with tempfile.TemporaryDirectory(prefix="samatcha-bench-pdf-") as tmp:
        _setup_django(Path(tmp) / "bench.sqlite3", Path(tmp) / "media")
        from django.utils import translation

        from resolutions.pdf import progress_report_pdf, resolutions_pdf

        seeded = _seed()
        assembly, agency = seeded["assembly"], seeded["agency"]
        today = date(2024, 12, 1)
        with translation.override("th"):
            results = {
                "resolutions_pdf": _time(lambda: resolutions_pdf(assembly), runs),
                "progress_report_pdf": _time(
                    lambda: progress_report_pdf(assembly, today=today), runs
                ),
                "agency_report_pdf": _time(
                    lambda: progress_report_pdf(
                        assembly, organisation=agency, today=today
                    ),
                    runs,
                ),
            }
        from django.db import connections

        connections.close_all()
    result = {
        "scenario": f"{ITEMS} items x {PER_ITEM} resolutions, "
        f"{seeded['updates']} progress updates, {PARTNERS} partners",
        **results,
    }
    if "--no-docs" not in argv:
        _write_docs(result, runs)
    return result


def _write_docs(result: dict, runs: int) -> None:
    from bench import machine

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())

    labels = {
        "resolutions_pdf": "Resolutions (มติสมัชชา), 4 items x 25 resolutions",
        "progress_report_pdf": "Progress report, 100 resolutions, 1,000 updates",
        "agency_report_pdf": "Progress report of one agency (25 resolutions, 250 updates)",
    }
    rows = [
        [
            labels[key],
            r["first_s"],
            f"{r['min_s']} / {r['median_s']} / {r['max_s']}",
            f"{r['cpu_min_s']} / {r['cpu_median_s']} / {r['cpu_max_s']}",
            r["pages"],
            f"{r['bytes']:,}",
        ]
        for key, r in result.items()
        if key in labels
    ]
    machine.append_section(
        "PDFs (`python -m bench pdf`)",
        [
            "document",
            "first build, wall (s)",
            "wall min / median / max (s)",
            "CPU min / median / max (s)",
            "pages",
            "bytes",
        ],
        rows,
        notes=(
            f"Seconds per build over {runs} runs after a first build (which also "
            "registers the fonts and loads the Thai dictionary). Sarabun, HarfBuzz "
            "shaping, PyThaiNLP word breaks, temporary SQLite database, Thai. "
            "CPU is this process's own time; wall time includes waiting for a "
            f"shared CPU (load average at the end: {load})."
        ),
    )


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2, ensure_ascii=False))
