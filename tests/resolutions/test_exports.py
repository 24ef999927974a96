"""CSV exports, read back with the csv module: BOM, Thai intact, formulas neutralised."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from resolutions import services
from resolutions.exports import neutralise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+66 81", "'+66 81"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("ข้อความ", "ข้อความ"),
        ("1.2", "1.2"),
        (None, ""),
        (40, "40"),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def read(response):
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # the byte-order mark, for Excel
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def reported(adopted):
    res = adopted.resolutions[0]
    services.progress_post(
        resolution=res,
        actor=adopted.owner_staff(res),
        status="on_track",
        percent=55,
        narrative="@cmd|' /C calc'!A0 ประชุมคณะทำงานร่วมกับท้องถิ่น",
        refers_to=date(2024, 2, 1),
    )
    return adopted


def test_the_resolutions_csv(reported, client):
    response = client.get(
        reverse("resolutions:resolutions_csv", args=[reported.assembly.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read(response)
    header, body = rows[0], rows[1:]
    assert len(body) == 5
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    first = by_number["1.1"]
    assert first[header[2]] == reported.resolutions[0].text  # Thai intact
    assert first[header[5]] == reported.items[0].lead_agency.name_th  # Thai intact
    assert header[0] == "เลขที่"
    assert first[header[9]] == "55"
    assert by_number["1.2"][header[2]].startswith("'=HYPERLINK(")
    # Dates for Thai readers in the Buddhist Era, and in ISO 8601 for machines.
    assert first["วันที่รับรอง"] == "24 พ.ย. 2566"
    assert first["วันที่รับรอง (ISO 8601)"] == "2023-11-24"
    assert first["รายงานล่าสุด"] == "1 ก.พ. 2567"
    assert first["รายงานล่าสุด (ISO 8601)"] == "2024-02-01"


def test_the_progress_updates_csv(reported, client):
    response = client.get(
        reverse("resolutions:updates_csv", args=[reported.assembly.pk])
    )
    rows = read(response)
    assert len(rows) == 2
    line = rows[1]
    assert line[0] == "1.1"
    assert line[3] == "1 ก.พ. 2567"  # the Buddhist Era for Thai readers
    assert dict(zip(rows[0], line, strict=True))["ข้อมูล ณ วันที่ (ISO 8601)"] == (
        "2024-02-01"
    )
    assert line[5] == "55"
    assert line[6] == "'@cmd|' /C calc'!A0 ประชุมคณะทำงานร่วมกับท้องถิ่น"
