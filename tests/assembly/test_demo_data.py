"""The demo assembly data: its invariants and the facts of seed 002."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from collections import Counter
from pathlib import Path

import pytest

from assembly import demo_data
from assembly.demo_data import AGENDA, ASSEMBLY, DELEGATES, ORGANISATIONS


def _by_short_name(short_name: str) -> demo_data.OrganisationData:
    (org,) = [o for o in ORGANISATIONS if o.short_name == short_name]
    return org


def _by_name(name_th: str) -> demo_data.OrganisationData:
    (org,) = [o for o in ORGANISATIONS if o.name_th == name_th]
    return org


def test_validate_accepts_the_demo_data() -> None:
    demo_data.validate()


def test_the_assembly_is_the_first_khon_kaen_assembly_at_hotel_kosa() -> None:
    assert ASSEMBLY.title_th == (
        "สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น ขอนแก่นเมืองแห่งโอกาส"
    )
    assert "City of Hope" in ASSEMBLY.title_en
    assert ASSEMBLY.edition == 1
    assert ASSEMBLY.date == datetime.date(2023, 11, 24)
    assert ASSEMBLY.venue_th == "โรงแรมโฆษะ ขอนแก่น"
    assert ASSEMBLY.venue_en == "Hotel Kosa, Khon Kaen"
    assert (ASSEMBLY.province_th, ASSEMBLY.province_en) == ("ขอนแก่น", "Khon Kaen")


def test_sixty_five_partners_from_every_sector_spread_over_four_rooms() -> None:
    assert len(ORGANISATIONS) == 65
    assert {o.sector for o in ORGANISATIONS} == {
        "state",
        "academic",
        "private",
        "civil",
    }
    per_room = Counter(o.room for o in ORGANISATIONS)
    assert sorted(per_room) == [1, 2, 3, 4]
    assert all(16 <= count <= 17 for count in per_room.values())


@pytest.mark.parametrize(
    "name_th",
    [
        "สำนักงานศึกษาธิการจังหวัดขอนแก่น",
        "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดขอนแก่น",
        "สำนักงานส่งเสริมการเรียนรู้จังหวัดขอนแก่น",
        "เทศบาลนครขอนแก่น",
        "สมาคมไทสิขา",
        "บริษัท ขอนแก่นพัฒนาเมือง จำกัด",
        "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น",
        "องค์การบริหารส่วนจังหวัดขอนแก่น",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดขอนแก่น",
        "สำนักงานสาธารณสุขจังหวัดขอนแก่น",
        "มหาวิทยาลัยขอนแก่น",
        "มหาวิทยาลัยภาคตะวันออกเฉียงเหนือ",
        "สถาบันวิจัยและพัฒนาวิชาชีพครูสำหรับอาเซียน มหาวิทยาลัยขอนแก่น",
        "กองทุนเพื่อความเสมอภาคทางการศึกษา",
        "มูลนิธิชุมชนขอนแก่นทศวรรษหน้า",
        "หอการค้าจังหวัดขอนแก่น",
        "เหล่ากาชาดจังหวัดขอนแก่น",
        "มูลนิธิบ้านบอยส์ทาวน์",
        "สถาบันวิจัยประชากรและสังคม มหาวิทยาลัยมหิดล",
        "สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น",
    ],
)
def test_every_partner_named_in_the_seeds_takes_part(name_th: str) -> None:
    assert _by_name(name_th)


def test_all_five_primary_areas_and_the_secondary_area_take_part() -> None:
    for area in range(1, 6):
        assert _by_short_name(f"สพป.ขอนแก่น เขต {area}").room == 3
    assert _by_short_name("สพม.ขอนแก่น").room == 3


def test_the_four_agenda_items_of_seed_002_with_their_lead_agencies() -> None:
    orgs = demo_data.organisations_by_key()
    leads = {item.number: orgs[item.lead].short_name for item in AGENDA}
    assert leads == {
        1: "ศธจ.ขอนแก่น",
        2: "สกร.จังหวัดขอนแก่น",
        3: "สพป.ขอนแก่น เขต 2",
        4: "ทน.ขอนแก่น",
    }
    assert [item.title_th for item in AGENDA] == [
        "การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ",
        "การสร้างโอกาสการเรียนและการมีงานของเด็กนอกระบบ",
        "การจัดการศึกษาที่ยืดหยุ่นเพื่อป้องกันเด็กกลุ่มเสี่ยงหลุดออกจากระบบการศึกษา",
        "ขอนแก่นเมืองแห่งการเรียนรู้ (Learning City) เมืองแห่งโอกาส",
    ]


def test_khon_kaen_think_tank_co_leads_the_learning_city_item() -> None:
    learning_city = AGENDA[3]
    assert learning_city.co_leads == ("kktt",)
    assert "KKTT" in learning_city.description_th


def test_each_lead_agency_sits_in_its_own_items_room() -> None:
    orgs = demo_data.organisations_by_key()
    for item in AGENDA:
        assert item.room == item.number
        assert orgs[item.lead].room == item.room


def test_each_draft_opens_with_the_assembly_and_has_four_to_six_clauses() -> None:
    for item in AGENDA:
        preamble = item.draft.preamble_th
        assert preamble.startswith("สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น")
        assert preamble.endswith("มีมติดังนี้")
        assert 4 <= len(item.draft.clauses_th) <= 6
        assert all(40 <= len(c) <= 160 for c in item.draft.clauses_th)


def test_the_drafts_draw_on_the_seeds() -> None:
    text = " ".join(c for item in AGENDA for c in item.draft.clauses_th)
    for fact in ("4-3-3-1 KK-Model", "ผู้จัดการรายกรณี", "26 อำเภอ", "129 ชุดข้อมูล"):
        assert fact in text
    assert "19,000" in AGENDA[1].draft.preamble_th


def test_every_partner_has_one_voting_delegate_and_at_most_one_more() -> None:
    per_org = Counter(d.organisation for d in DELEGATES)
    voting = Counter(d.organisation for d in DELEGATES if d.kind == "voting")
    assert set(per_org) == {o.key for o in ORGANISATIONS}
    assert set(voting.values()) == {1}
    assert set(per_org.values()) == {1, 2}
    assert 0.35 <= sum(n == 2 for n in per_org.values()) / 65 <= 0.45


def test_a_few_observers_attend() -> None:
    assert 2 <= sum(d.kind == "observer" for d in DELEGATES) <= 3


def test_people_named_in_the_seeds_speak_for_their_organisations() -> None:
    speakers = {(d.organisation, d.name_th) for d in DELEGATES if d.kind == "voting"}
    assert ("kk-peo", "นางกฤษณา เสมหิรัญ") in speakers
    assert ("kk-next-decade", "นายเจริญลักษณ์ เพ็ชรประดับ") in speakers
    assert ("eef", "นายพัฒนะพงษ์ สุขมะดัน") in speakers


def test_delegates_have_distinct_names_and_made_up_contact_details() -> None:
    assert len({d.name_th for d in DELEGATES}) == len(DELEGATES)
    assert len({d.name_en for d in DELEGATES}) == len(DELEGATES)
    for d in DELEGATES:
        assert d.name_th.startswith(("นาย", "นาง", "ดร.", "รศ.ดร.", "ผศ.ดร."))
        assert d.email.endswith(".example.org")
        digits = d.phone.split("-")
        assert [len(part) for part in digits] == [3, 3, 4]
        assert d.phone.startswith("08")


def test_two_facilitators_per_room_staff_per_lead_and_two_secretaries() -> None:
    assert all(len(item.facilitators) == 2 for item in AGENDA)
    assert [u.organisation for u in demo_data.STAFF] == [i.lead for i in AGENDA]
    assert [u.username for u in demo_data.SECRETARIAT] == [
        "secretariat",
        "secretariat2",
    ]


def test_validate_catches_a_lead_agency_outside_its_room(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moved = tuple(
        dataclasses.replace(o, room=1) if o.key == "kk-city" else o
        for o in ORGANISATIONS
    )
    monkeypatch.setattr(demo_data, "ORGANISATIONS", moved)
    with pytest.raises(AssertionError, match="kk-city"):
        demo_data.validate()


def test_validate_catches_a_partner_without_a_voting_delegate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demoted = tuple(
        dataclasses.replace(d, kind="alternate") if d.organisation == "hpc7" else d
        for d in DELEGATES
    )
    monkeypatch.setattr(demo_data, "DELEGATES", demoted)
    with pytest.raises(AssertionError, match="hpc7"):
        demo_data.validate()


def test_the_data_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ORGANISATIONS[0].room = 2  # type: ignore[misc]


def test_the_sample_import_spreadsheet_matches_the_demo_data() -> None:
    path = Path(__file__).resolve().parents[2] / "docs" / "sample-partners.csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [
        "organisation",
        "organisation_en",
        "short_name",
        "sector",
        "delegate",
        "delegate_en",
        "role",
        "room",
        "phone",
        "email",
    ]
    assert len(rows) == 6
    orgs = {o.name_th: o for o in ORGANISATIONS}
    people = {d.name_th: d for d in DELEGATES}
    for row in rows:
        org, person = orgs[row["organisation"]], people[row["delegate"]]
        assert (row["sector"], int(row["room"])) == (org.sector, org.room)
        assert (row["short_name"], row["organisation_en"]) == (
            org.short_name,
            org.name_en,
        )
        assert person.organisation == org.key
        assert (row["role"], row["phone"], row["email"]) == (
            person.kind,
            person.phone,
            person.email,
        )
    assert {r["sector"] for r in rows} == {"state", "academic", "private", "civil"}
    assert {r["role"] for r in rows} == {"voting", "alternate", "observer"}
