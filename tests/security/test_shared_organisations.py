"""One assembly's secretariat cannot rewrite what another assembly shows (issue
11, item 11).

The review imported into assembly 2 a file naming an organisation of assembly 1
with the English name, short name and sector "HACKED": assembly 1's public
board then showed "HACKED". Organisations are shared on purpose (contract 8:
next year's assembly reuses them, the agency page spans the years), so their
names and sector are changed only by someone who runs every assembly that shows
them, or by a site administrator; an import elsewhere is refused line by line,
saying why and how to import the line anyway.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assembly import imports, importing
from assembly.models import Organisation, Partner, Sector
from tests import factories
from tests.readable import readable

pytestmark = pytest.mark.django_db

HEADER = ["organisation", "organisation_en", "short_name", "sector", "delegate",
          "role", "room"]


def csv_file(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def preview(client, assembly, data: bytes):
    upload = SimpleUploadedFile("partners.csv", data)
    return client.post(
        reverse("assembly:import", kwargs={"pk": assembly.pk}),
        {"action": "preview", "file": upload},
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_assemblies(db):
    """Assembly 1 (its own secretariat) with a partner organisation; assembly 2,
    run by someone else."""
    first = factories.world(partners=2, rooms=1, title="สมัชชาขอนแก่น ครั้งที่ 1")
    second = factories.world(partners=1, rooms=1, title="สมัชชาอุดรธานี")
    shared = first.partners[0].organisation
    return first, second, shared


def hostile_row(org: Organisation):
    return [org.name_th, "HACKED", "HACKED", "private", "นายทดลอง นำเข้า", "voting", "1"]


def test_an_import_into_another_assembly_cannot_rename_a_shared_organisation(
    two_assemblies,
):
    first, second, shared = two_assemblies
    before = (shared.name_en, shared.short_name, shared.sector)
    client = signed_in(second.secretariat)
    response = preview(client, second.assembly, csv_file(hostile_row(shared)))
    assert response.status_code == 200
    html = readable(response)
    plan = response.context["plan"]
    assert not plan.is_valid and "payload" not in response.context
    error = plan.errors[0]
    assert error.line == 2 and error.column == "organisation_en"
    # The message names the other assembly, what cannot change, and what to do.
    assert first.assembly.title_th in error.message
    assert before[0] in error.message  # the name as it stands, to copy
    assert first.assembly.title_th in html
    shared.refresh_from_db()
    assert (shared.name_en, shared.short_name, shared.sector) == before
    assert not Partner.objects.filter(assembly=second.assembly, organisation=shared)
    # Assembly 1's public board still shows its partner's own name.
    board = Client().get(reverse("resolutions:board", args=[first.assembly.pk]))
    assert "HACKED" not in board.content.decode()


def test_the_service_refuses_the_change_even_without_the_preview(two_assemblies):
    """A crafted apply (a preview signed before the organisation was shared, or
    a direct call) meets the same check under the assembly's lock."""
    first, second, shared = two_assemblies
    table = importing.read_table(csv_file(hostile_row(shared)), "p.csv")
    rows, errors = importing.validate_rows(table, room_numbers={1})
    assert not errors
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        imports.partners_import(
            assembly=second.assembly, rows=rows, actor=second.secretariat
        )
    assert first.assembly.title_th in " ".join(refused.value.messages)
    shared.refresh_from_db()
    assert shared.name_en != "HACKED" and shared.sector != "private"


def test_the_line_imports_when_its_cells_are_empty_or_as_they_are(two_assemblies):
    first, second, shared = two_assemblies
    client = signed_in(second.secretariat)
    equal = [shared.name_th, shared.name_en, shared.short_name, shared.sector,
             "นางสาวตรงกัน ทุกช่อง", "voting", "1"]
    blank = [shared.name_th, "", "", shared.sector, "นายเว้นว่าง ไว้", "alternate", "1"]
    response = preview(client, second.assembly, csv_file(equal, blank))
    assert response.context["plan"].is_valid, response.context["plan"].errors
    applied = client.post(
        reverse("assembly:import", kwargs={"pk": second.assembly.pk}),
        {"action": "apply", "payload": response.context["payload"]},
    )
    assert applied.status_code == 302
    assert Partner.objects.filter(assembly=second.assembly, organisation=shared)
    assert Organisation.objects.filter(name_th=shared.name_th).count() == 1


def test_whoever_runs_every_assembly_that_shows_it_may_correct_it(two_assemblies):
    first, second, shared = two_assemblies
    second.assembly.secretariat.add(first.secretariat)  # runs both now
    client = signed_in(first.secretariat)
    row = [shared.name_th, "Corrected English name", "แก้แล้ว", shared.sector,
           "นายผู้แทน ปีหน้า", "voting", "1"]
    response = preview(client, second.assembly, csv_file(row))
    assert response.context["plan"].is_valid, response.context["plan"].errors
    client.post(
        reverse("assembly:import", kwargs={"pk": second.assembly.pk}),
        {"action": "apply", "payload": response.context["payload"]},
    )
    shared.refresh_from_db()
    assert shared.name_en == "Corrected English name"


def test_an_organisation_shown_as_a_lead_agency_or_owner_is_protected_too(
    two_assemblies,
):
    first, second, _ = two_assemblies
    lead = Organisation.objects.create(
        name_th="สำนักงานเขตพื้นที่การศึกษาทดสอบ", name_en="Test Area Office",
        sector=Sector.STATE,
    )
    owner = Organisation.objects.create(
        name_th="เทศบาลนครทดสอบ", name_en="Test City Municipality", sector=Sector.STATE,
    )
    item = factories.agenda_item(first)
    item.lead_agency = lead
    item.save(update_fields=["lead_agency"])
    from resolutions.models import Resolution

    Resolution.objects.create(
        assembly=first.assembly, item=item, position=1, text="มติทดสอบ",
        adopted_on=date(2023, 11, 24), method=Resolution.Method.CONSENSUS, owner=owner,
    )
    client = signed_in(second.secretariat)
    response = preview(client, second.assembly, csv_file(
        hostile_row(lead), [*hostile_row(owner)[:4], "นางผู้แทน เทศบาล", "voting", "1"],
    ))
    lines = {e.line for e in response.context["plan"].errors}
    assert lines == {2, 3}
    lead.refresh_from_db()
    owner.refresh_from_db()
    assert lead.name_en == "Test Area Office" and owner.short_name == ""


def test_an_organisation_no_other_assembly_shows_is_filled_in(two_assemblies):
    _, second, _ = two_assemblies
    unused = Organisation.objects.create(name_th="องค์กรที่ยังไม่มีใครใช้", sector=Sector.CIVIL)
    client = signed_in(second.secretariat)
    row = [unused.name_th, "Not yet used", "ยังไม่ใช้", "civil", "นายแรก เข้า", "voting", "1"]
    response = preview(client, second.assembly, csv_file(row))
    assert response.context["plan"].is_valid
    client.post(
        reverse("assembly:import", kwargs={"pk": second.assembly.pk}),
        {"action": "apply", "payload": response.context["payload"]},
    )
    unused.refresh_from_db()
    assert unused.name_en == "Not yet used"
