"""Importing partners and delegates from the secretariat's spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from assembly import importing, imports
from assembly.models import AuditEvent, Delegate, Organisation, Partner, Sector
from tests import factories
from tests.readable import readable

User = get_user_model()

HEADER = [
    "organisation", "organisation_en", "short_name", "sector", "delegate",
    "delegate_en", "role", "room", "phone", "email",
]
ROWS = [
    ["สำนักงานศึกษาธิการจังหวัดขอนแก่น", "Khon Kaen Provincial Education Office",
     "ศธจ.ขอนแก่น", "state", "นางกฤษณา เสมหิรัญ", "Mrs Kritsana Semhiran", "voting",
     "1", "082-501-9153", "kritsana@example.org"],
    ["สำนักงานศึกษาธิการจังหวัดขอนแก่น", "Khon Kaen Provincial Education Office",
     "ศธจ.ขอนแก่น", "state", "นางสาวพิมพ์ชนก ศรีสุวรรณ", "", "alternate", "1", "", ""],
    ["คณะศึกษาศาสตร์ มหาวิทยาลัยขอนแก่น", "Faculty of Education, KKU", "ศษ.มข.",
     "ภาควิชาการ", "รศ.ดร.สุภาพร ชินชัย", "", "ผู้แทนหลัก", "ห้อง 2", "+66 86 513 4181",
     ""],
    ["มูลนิธิชุมชนขอนแก่นทศวรรษหน้า", "", "", "ภาคประชาสังคม",
     "นายเจริญลักษณ์ เพ็ชรประดับ", "", "ผู้สังเกตการณ์", "2", "",
     "charoenlak@example.org"],
]


def csv_bytes(rows=ROWS, header=HEADER, *, bom=False, encoding="utf-8",
              delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows=ROWS, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([int(c) if c.isdigit() else c for c in row])
    workbook.create_sheet("Notes").append(["not read"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def errors_of(data: bytes, name="partners.csv", rooms=frozenset({1, 2})):
    table = importing.read_table(data, name)
    _rows, errors = importing.validate_rows(table, room_numbers=set(rooms))
    return [(e.line, e.column) for e in errors]


def counts():
    return (Organisation.objects.count(), Partner.objects.count(),
            Delegate.objects.count(), User.objects.count())


def url(assembly):
    return reverse("assembly:import", kwargs={"pk": assembly.pk})


def preview(client, assembly, data: bytes, name="partners.csv", **extra):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(url(assembly), {"action": "preview", "file": upload}, **extra)


def apply(client, assembly, response):
    payload = response.context["payload"]
    return client.post(url(assembly), {"action": "apply", "payload": payload})


@pytest.fixture
def secretariat(world):
    client = Client()
    client.force_login(world.secretariat)
    return client


def english():
    return translation.override("en")


# --- Reading the file (no database) -----------------------------------------------


def test_csv_with_and_without_bom_reads_the_same():
    plain = importing.read_table(csv_bytes(), "p.csv")
    with_bom = importing.read_table(csv_bytes(bom=True), "p.csv")
    assert plain.rows == with_bom.rows
    assert plain.rows[0][0] == 2  # the header is line 1
    assert with_bom.rows[0][1]["organisation"] == ROWS[0][0]


def test_utf16_tab_separated_export_from_excel_is_read():
    data = b"\xff\xfe" + csv_bytes(encoding="utf-16-le", delimiter="\t")
    table = importing.read_table(data, "unicode.txt")
    assert table.rows[2][1]["delegate"] == "รศ.ดร.สุภาพร ชินชัย"


def test_windows_thai_cp874_is_read():
    rows = [[c for c in ROWS[3]]]
    table = importing.read_table(csv_bytes(rows, encoding="cp874"), "thai.csv")
    assert table.rows[0][1]["organisation"] == "มูลนิธิชุมชนขอนแก่นทศวรรษหน้า"


def test_thai_header_aliases_and_semicolons():
    header = [
        "องค์กร", "ภาค", "ชื่อผู้แทน", "บทบาท", "ห้อง", "โทรศัพท์", "อีเมล", "ลำดับ",
    ]
    rows = [["หน่วยงาน ก", "ภาครัฐ", "นาย ก", "ผู้แทนหลัก", "1", "0812345678",
             "a@example.org", "1"]]
    table = importing.read_table(csv_bytes(rows, header, delimiter=";"), "th.csv")
    valid, errors = importing.validate_rows(table, room_numbers={1})
    assert errors == []
    assert valid[0].sector == Sector.STATE and valid[0].role == "voting"
    assert valid[0].phone == "0812345678" and valid[0].email == "a@example.org"
    assert table.ignored_columns == ["ลำดับ"]


@pytest.mark.parametrize("text,number", [
    ("2", 2), ("2.0", 2), ("ห้อง 2", 2), ("ห้องย่อย ที่ 2", 2), ("Room 2", 2), ("๒", 2),
    ("two", None), ("", None),
])
def test_room_numbers_are_read_in_the_forms_people_write(text, number):
    assert importing.room_number(text) == number


@pytest.mark.parametrize("data,name", [
    (b"", "empty.csv"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls"),
    (b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary", "partners.csv"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "partners.csv"),
    (b"PK\x03\x04 not really a zip", "partners.xlsx"),
    (csv_bytes(), "partners.pdf"),
    (b"organisation,sector\nX,state\n", "partners.csv"),  # required columns missing
    (b"organisation,sector,delegate,role,room\n", "partners.csv"),  # no rows
])
def test_unreadable_or_wrong_files_are_refused_with_a_reason(data, name):
    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_table(data, name)
    assert str(caught.value.message)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(importing.ImportFileError):
        importing.read_table(out.getvalue(), "partners.xlsx")


def test_a_file_over_2_mb_is_refused():
    data = csv_bytes() + b"x" * importing.MAX_BYTES
    with english(), pytest.raises(importing.ImportFileError) as caught:
        importing.read_table(data, "big.csv")
    assert "too large" in str(caught.value.message)


def test_more_than_5000_rows_are_refused():
    rows = [[f"หน่วยงาน {i}", "", "", "state", "นาย ก", "", "voting", "1", "", ""]
            for i in range(importing.MAX_ROWS + 1)]
    with english(), pytest.raises(importing.ImportFileError) as caught:
        importing.read_table(csv_bytes(rows), "many.csv")
    assert "5000" in str(caught.value.message)


def bad(column: str, value: str, base=None) -> list[str]:
    row = list(base or ROWS[3])
    row[HEADER.index(column)] = value
    return row


@pytest.mark.parametrize("row,column", [
    (bad("organisation", ""), "organisation"),
    (bad("delegate", "   "), "delegate"),
    (bad("sector", "ภาคอวกาศ"), "sector"),
    (bad("role", "president"), "role"),
    (bad("role", ""), "role"),
    (bad("room", "9"), "room"),
    (bad("room", "0"), "room"),
    (bad("room", "ห้องใหญ่"), "room"),
    (bad("email", "not-an-email"), "email"),
    (bad("organisation", "ก" * 301), "organisation"),
    (bad("delegate", "ข" * 201), "delegate"),
    (bad("delegate", "=HYPERLINK(\"http://evil\",\"x\")"), "delegate"),
    (bad("organisation", "+cmd|' /C calc'!A0"), "organisation"),
    (bad("delegate", "-2+3"), "delegate"),
    (bad("email", "@SUM(A1)"), "email"),
    (bad("phone", "=1+1"), "phone"),
])
def test_each_kind_of_bad_row_is_reported_with_its_line_and_column(row, column):
    rows = [ROWS[0], row]
    assert errors_of(csv_bytes(rows)) == [(3, column)]


def test_rows_that_disagree_with_earlier_rows_are_reported():
    other_sector = bad("sector", "private", ROWS[0])
    other_sector[HEADER.index("delegate")] = "นาย ข"
    other_sector[HEADER.index("role")] = "observer"
    other_room = bad("room", "2", ROWS[1])
    duplicate = list(ROWS[1])
    second_voting = bad("delegate", "นาย ค", bad("role", "voting", ROWS[1]))
    rows = [ROWS[0], ROWS[1], other_sector, other_room, duplicate, second_voting]
    found = errors_of(csv_bytes(rows))
    assert (4, "sector") in found
    assert (5, "room") in found
    assert (6, "delegate") in found
    assert (7, "role") in found


def test_every_bad_row_is_reported_not_only_the_first():
    rows = [bad("sector", "?"), ROWS[0], bad("role", "?", ROWS[1]), bad("room", "7")]
    assert [line for line, _ in errors_of(csv_bytes(rows))] == [2, 4, 5]


def test_a_phone_number_with_a_plus_is_not_a_formula():
    assert errors_of(csv_bytes([ROWS[2]])) == []


def test_blank_rows_are_skipped_but_counted_in_line_numbers():
    data = csv_bytes([ROWS[0], [""] * 10, bad("role", "?", ROWS[1])])
    assert errors_of(data) == [(4, "role")]


def test_reasons_are_translated_into_thai():
    table = importing.read_table(csv_bytes([bad("sector", "ภาคอวกาศ")]), "p.csv")
    with translation.override("th"):
        _rows, errors = importing.validate_rows(table, room_numbers={1, 2})
        assert "ภาคอวกาศ" in errors[0].message
        assert "Unknown sector" not in errors[0].message
        assert "ไม่รู้จัก" in errors[0].message


def test_xlsx_formulas_are_refused():
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(ROWS[3][:4] + ["=A2"] + ROWS[3][5:])
    out = io.BytesIO()
    workbook.save(out)
    assert errors_of(out.getvalue(), "f.xlsx") == [(2, "delegate")]


# --- Importing (database, views) ---------------------------------------------------


def test_valid_csv_previews_then_imports(world, secretariat):
    before = counts()
    response = preview(secretariat, world.assembly, csv_bytes(bom=True))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.errors == []
    assert counts() == before  # a preview changes nothing
    assert plan.summary == {
        "organisation_create": 3, "organisation_update": 0,
        "partner_create": 3, "partner_update": 0,
        "delegate_create": 4, "delegate_update": 0,
    }
    response = apply(secretariat, world.assembly, response)
    assert response.status_code == 302
    peo = Partner.objects.get(assembly=world.assembly,
                              organisation__name_th=ROWS[0][0])
    assert peo.room == world.rooms[0]
    assert peo.organisation.sector == Sector.STATE
    assert peo.organisation.short_name == "ศธจ.ขอนแก่น"
    kinds = dict(peo.delegates.values_list("name_th", "kind"))
    assert kinds == {
        "นางกฤษณา เสมหิรัญ": "voting", "นางสาวพิมพ์ชนก ศรีสุวรรณ": "alternate",
    }
    kku = Partner.objects.get(assembly=world.assembly,
                              organisation__name_th=ROWS[2][0])
    assert kku.room == world.rooms[1] and kku.organisation.sector == Sector.ACADEMIC
    assert kku.delegates.get().phone == "+66 86 513 4181"
    foundation = Delegate.objects.get(name_th="นายเจริญลักษณ์ เพ็ชรประดับ")
    assert foundation.kind == "observer"
    assert foundation.partner.organisation.sector == Sector.CIVIL
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.IMPORT)
    assert event.actor == world.secretariat and event.assembly == world.assembly
    assert event.detail["delegate_create"] == 4
    page = readable(secretariat.get(url(world.assembly)))
    assert "นำเข้าเรียบร้อย: สร้างใหม่ 10 รายการ แก้ไข 0 รายการ" in page


def test_valid_xlsx_imports_the_first_sheet(world, secretariat):
    response = preview(secretariat, world.assembly, xlsx_bytes(), "partners.xlsx")
    assert response.context["plan"].errors == []
    apply(secretariat, world.assembly, response)
    delegates = Delegate.objects.filter(partner__assembly=world.assembly)
    assert delegates.count() == 6 + 1 + 4
    assert Partner.objects.get(organisation__name_th=ROWS[3][0]).room == world.rooms[1]


def test_reimporting_the_same_file_changes_nothing(world, secretariat):
    first = preview(secretariat, world.assembly, csv_bytes())
    apply(secretariat, world.assembly, first)
    before = counts()
    response = preview(secretariat, world.assembly, csv_bytes())
    plan = response.context["plan"]
    assert plan.errors == [] and plan.created == 0 and plan.changed == 0
    assert "payload" not in response.context  # nothing to confirm
    assert "สร้างใหม่ 0 รายการ แก้ไข 0 รายการ" in readable(response)
    secretariat.cookies["django_language"] = "en"
    english_page = readable(preview(secretariat, world.assembly, csv_bytes()))
    assert "0 created, 0 changed" in english_page
    # Applying anyway, through the service, changes and creates nothing.
    plan = imports.partners_import(assembly=world.assembly, rows=plan.rows,
                                   actor=world.secretariat)
    assert (plan.created, plan.changed) == (0, 0)
    assert counts() == before


def test_a_second_file_updates_what_differs(world, secretariat):
    first = preview(secretariat, world.assembly, csv_bytes())
    apply(secretariat, world.assembly, first)
    changed = bad("phone", "089-000-0000", bad("room", "2", ROWS[0]))
    alternate = bad("room", "2", ROWS[1])
    response = preview(secretariat, world.assembly, csv_bytes([changed, alternate]))
    plan = response.context["plan"]
    assert plan.errors == []
    assert plan.summary["partner_update"] == 1 and plan.summary["delegate_update"] == 1
    assert plan.created == 0
    apply(secretariat, world.assembly, response)
    voting = Delegate.objects.get(name_th=ROWS[0][4])
    assert voting.phone == "089-000-0000" and voting.partner.room == world.rooms[1]


def test_organisations_are_reused_across_assemblies(world, secretariat):
    org = world.partners[0].organisation
    row = [org.name_th, "", "", org.sector, "ผู้แทนใหม่", "", "alternate", "1", "", ""]
    other = factories.world(partners=0)
    other.assembly.secretariat.add(world.secretariat)
    response = preview(secretariat, other.assembly, csv_bytes([row]))
    assert response.context["plan"].summary["organisation_create"] == 0
    apply(secretariat, other.assembly, response)
    assert Organisation.objects.filter(name_th=org.name_th).count() == 1
    assert Partner.objects.filter(organisation=org).count() == 2


@pytest.mark.parametrize("row", [
    bad("sector", "ภาคอวกาศ"),
    bad("room", "9"),
    bad("email", "x@"),
    bad("delegate", "=1+1"),
])
def test_one_bad_row_and_nothing_is_imported(world, secretariat, row):
    before = counts()
    response = preview(secretariat, world.assembly, csv_bytes(ROWS + [row]))
    plan = response.context["plan"]
    assert [e.line for e in plan.errors] == [6]
    assert "payload" not in response.context
    assert "ไม่มีการนำเข้า" in readable(response)
    assert counts() == before


def test_a_second_voting_delegate_beside_one_already_registered_is_refused(
    world, secretariat
):
    partner = world.partners[0]
    org = partner.organisation
    row = [org.name_th, "", "", org.sector, "คนใหม่", "", "voting",
           str(partner.room.number), "", ""]
    before = counts()
    plan = preview(secretariat, world.assembly, csv_bytes([row])).context["plan"]
    assert [(e.line, e.column) for e in plan.errors] == [(2, "role")]
    assert counts() == before


def test_html_in_names_is_kept_and_shown_as_text(world, secretariat):
    row = bad("delegate", "<script>alert(1)</script><b>ชื่อ</b>")
    response = preview(secretariat, world.assembly, csv_bytes([row]))
    html = readable(response)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    apply(secretariat, world.assembly, response)
    assert Delegate.objects.filter(name_th__startswith="<script>").count() == 1


def test_file_errors_are_shown_and_nothing_changes(world, secretariat):
    before = counts()
    response = preview(secretariat, world.assembly, b"\x00\x01\x02binary", "x.csv")
    assert response.status_code == 200
    assert response.context["file_error"]
    assert counts() == before


def test_htmx_preview_answers_the_result_partial(world, secretariat):
    response = preview(secretariat, world.assembly, csv_bytes(), HTTP_HX_REQUEST="true")
    html = readable(response)
    assert html.lstrip().startswith('<section id="import-result"')
    assert "<html" not in html


def test_full_page_without_htmx(world, secretariat):
    response = secretariat.get(url(world.assembly))
    html = readable(response)
    assert response.status_code == 200 and "<html" in html
    assert 'type="file"' in html and "organisation_en" in html


def test_a_tampered_or_foreign_payload_is_refused(world, secretariat):
    response = preview(secretariat, world.assembly, csv_bytes())
    payload = response.context["payload"]
    other = factories.world(partners=0)
    other.assembly.secretariat.add(world.secretariat)
    before = counts()
    forged = secretariat.post(url(world.assembly),
                              {"action": "apply", "payload": payload[:-3] + "abc"})
    assert forged.status_code == 400
    foreign = secretariat.post(url(other.assembly),
                               {"action": "apply", "payload": payload})
    assert foreign.status_code == 400
    assert counts() == before


def test_apply_checks_again_against_the_assembly_as_it_is_now(world, secretariat):
    response = preview(secretariat, world.assembly, csv_bytes())
    world.rooms[1].delete()  # room 2 went away since the preview
    before = counts()
    refused = apply(secretariat, world.assembly, response)
    assert refused.status_code == 409
    assert counts() == before


@pytest.mark.parametrize("who", ["anonymous", "delegate", "facilitator", "stranger"])
def test_only_the_secretariat_may_import(world, who):
    client = Client()
    if who == "delegate":
        client.force_login(world.delegates[0].user)
    elif who == "facilitator":
        client.force_login(next(iter(world.facilitators.values())))
    elif who == "stranger":
        client.force_login(factories.user())
    before = counts()
    assert client.get(url(world.assembly)).status_code == 403
    response = preview(client, world.assembly, csv_bytes())
    assert response.status_code == 403
    assert "payload" not in (response.context or {})
    # Even a payload signed for the secretariat does not work for someone else.
    owner = Client()
    owner.force_login(world.secretariat)
    payload = preview(owner, world.assembly, csv_bytes()).context["payload"]
    response = client.post(url(world.assembly), {"action": "apply", "payload": payload})
    assert response.status_code == 403
    assert counts() == before


def test_the_service_refuses_someone_who_is_not_secretariat(world):
    table = importing.read_table(csv_bytes(), "p.csv")
    rows, _errors = importing.validate_rows(table, room_numbers={1, 2})
    with pytest.raises(imports.PermissionDenied):
        imports.partners_import(assembly=world.assembly, rows=rows,
                                actor=world.delegates[0].user)


def test_a_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.secretariat)
    before = counts()
    response = preview(client, world.assembly, csv_bytes())
    assert response.status_code == 403
    assert counts() == before


def test_one_organisation_spelt_two_ways_is_one_organisation(world, secretariat):
    first = ["Khon Kaen Think Tank", "", "KKTT", "civil", "นาย ก", "", "voting", "1",
             "", ""]
    second = ["khon kaen  think tank", "", "KKTT", "civil", "นาย ข", "", "observer",
              "1", "", ""]
    response = preview(secretariat, world.assembly, csv_bytes([first, second]))
    assert response.context["plan"].summary["organisation_create"] == 1
    apply(secretariat, world.assembly, response)
    organisation = Organisation.objects.get(name_th="Khon Kaen Think Tank")
    assert Delegate.objects.filter(partner__organisation=organisation).count() == 2


def test_no_file_chosen_is_told_in_the_partial(world, secretariat):
    response = secretariat.post(url(world.assembly), {"action": "preview"},
                                HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in readable(response)


def test_the_sample_file_in_docs_imports(db, settings):
    from pathlib import Path

    sample = Path(settings.BASE_DIR) / "docs" / "sample-partners.csv"
    if not sample.exists():
        pytest.skip("docs/sample-partners.csv is not there yet")
    table = importing.read_table(sample.read_bytes(), sample.name)
    rows, errors = importing.validate_rows(table, room_numbers={1, 2, 3, 4})
    assert [(e.line, str(e.message)) for e in errors] == []
    assert rows
