"""The record of the day: the minutes (DOCX read back with python-docx, PDF with
pdftotext), the plenary document, and the attendance as CSV and XLSX."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from records import attendance, minutes, word
from tests.records.conftest import REJECTED, REVISED
from tests.readable import readable

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def pdf_text(body: bytes, tmp_path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed to read PDFs back"
    path = tmp_path / "doc.pdf"
    path.write_bytes(body)
    out = subprocess.run([pdftotext, "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True)
    return out.stdout


def test_the_minutes_gather_the_day(day):
    with translation.override("th"):
        m = minutes.minutes(day.assembly)
    assert [r.room.is_plenary for r in m.rooms] == [False, False, True]
    assert m.plenary.total == 6 and m.plenary.present_count == 6
    assert [p.adopted for p in m.polls] == [True, True, True, True, True]
    assert {p.room for p in m.polls} == {*day.world.rooms, day.world.plenary}
    first = m.items[0]
    assert first.adopted_amendments == [day.adopted_amendment]
    assert first.rejected_amendments == [day.rejected_amendment]
    assert [c.text for c in first.clauses][1] == REVISED
    assert first.outcome.adopted and len(first.resolutions) == 3
    assert m.document_number == 1


def test_the_minutes_docx_reads_back_in_thai(day):
    with translation.override("th"):
        body = word.minutes_docx(minutes.minutes(day.assembly))
    text = docx_text(body)
    assert "รายงานการประชุม" in text
    assert day.assembly.title_th in text
    assert "24 พฤศจิกายน 2566" in text  # Buddhist Era
    for partner in day.world.partners:
        assert partner.organisation.name_th in text
    for delegate in day.world.delegates:
        assert delegate.name_th in text
    # attendance per room (3 of 3) and in the plenary (6 of 6)
    assert text.count("ภาคีเครือข่ายมาประชุม 3 จาก 3 หน่วยงาน") == 2
    assert "ภาคีเครือข่ายมาประชุม 6 จาก 6 หน่วยงาน" in text
    assert REVISED in text and REJECTED in text
    assert "ได้ฉันทามติ" in text  # every consensus round reached
    assert "ไม่ผ่านความเห็นชอบ" in text  # the rejected amendment
    assert "คำแปรญัตติที่ %s ของระเบียบวาระที่ 1" % day.adopted_amendment.pk in text
    for resolution in day.items[0].resolutions.all():
        assert resolution.text in text
    # the figures of each vote: entitled, present, and the counts
    assert "ผู้มีสิทธิ์ 3, เข้าประชุม 3; เห็นด้วย 3" in text  # the amendment vote
    assert "ผู้มีสิทธิ์ 6, เข้าประชุม 6; สนับสนุนเต็มที่ 6" in text  # the plenary


def test_the_docx_is_thai_correct_for_word(day):
    with translation.override("th"):
        body = word.minutes_docx(minutes.minutes(day.assembly))
    doc = Document(io.BytesIO(body))
    normal = doc.styles["Normal"].element.rPr
    fonts = normal.find(qn("w:rFonts"))
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} \
        == {"Sarabun"}
    lang = normal.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "th-TH" and lang.get(qn("w:bidi")) == "th-TH"
    assert normal.find(qn("w:szCs")).get(qn("w:val")) == "32"  # 16 pt
    assert doc.styles["Normal"].font.size.pt == 16
    for name in ("Heading 1", "Heading 2", "Title"):
        rpr = doc.styles[name].element.rPr
        assert rpr.find(qn("w:rFonts")).get(qn("w:cs")) == "Sarabun"
        assert rpr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert runs and all(
        r._r.rPr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
        and r._r.rPr.find(qn("w:rFonts")).get(qn("w:cs")) == "Sarabun"
        for r in runs)
    # A4, and a table header that repeats on each page
    assert round(doc.sections[0].page_width.cm, 1) == 21.0
    assert "w:tblHeader" in zipfile.ZipFile(io.BytesIO(body)).read(
        "word/document.xml").decode()


def test_the_minutes_in_english(day):
    with translation.override("en"):
        text = docx_text(word.minutes_docx(minutes.minutes(day.assembly)))
    assert "Minutes of the assembly" in text and "24 November 2023" in text
    assert "Consensus reached" in text and "Adopted resolutions" in text


def test_the_minutes_pdf_reads_back_with_pdftotext(day, tmp_path):
    from records import pdf

    with translation.override("th"):
        body = pdf.minutes_pdf(minutes.minutes(day.assembly))
    assert body.startswith(b"%PDF")
    text = flat(pdf_text(body, tmp_path))
    assert "รายงานการประชุม" in text
    assert flat(day.assembly.title_th) in text
    assert "24พฤศจิกายน2566" in text
    for partner in day.world.partners:
        assert flat(partner.organisation.name_th) in text
    assert flat(REVISED) in text and flat(REJECTED) in text
    assert "ได้ฉันทามติ" in text and "ไม่ผ่านความเห็นชอบ" in text


def test_the_plenary_document_as_docx_and_pdf(day, tmp_path):
    from records import pdf

    with translation.override("th"):
        m = minutes.minutes(day.assembly)
        body = word.plenary_docx(m)
        printed = pdf.plenary_pdf(m)
    text = docx_text(body)
    assert "เอกสารสำหรับที่ประชุมใหญ่" in text
    assert REVISED in text and "ที่ประชุมใหญ่รับรองแล้ว" in text
    assert "รายงานการประชุม" not in text  # the document, not the minutes
    printed_text = flat(pdf_text(printed, tmp_path))
    assert flat(REVISED) in printed_text and "ที่ประชุมใหญ่รับรองแล้ว" in printed_text


def test_attendance_csv_and_xlsx(day):
    from openpyxl import load_workbook

    d = day.world.delegates[0]
    d.checked_in_at = None
    d.save()
    with translation.override("th"):
        rooms = minutes.attendance(day.assembly)
        text = attendance.attendance_csv(rooms)
        book = load_workbook(io.BytesIO(attendance.attendance_xlsx(
            rooms, title=day.assembly.title_th)))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["ห้อง", "หน่วยงาน", "ภาค", "ผู้แทน"]
    names = {row[3]: row for row in rows[1:]}
    assert set(names) == {x.name_th for x in
                          day.world.delegates + day.world.alternates}
    assert names[d.name_th][5] == ""  # not checked in
    other = day.world.delegates[1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", names[other.name_th][5])
    # the organisation is present all the same: its alternate checked in
    assert names[d.name_th][6] == "ใช่"
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == day.assembly.title_th
    assert any(d.name_th in (v or "") for row in values for v in row)
    assert sheet["D3"].font.name == "Sarabun"
    rooms_sheet = book.worksheets[1]
    counts = [[c.value for c in row] for row in rooms_sheet.iter_rows(min_row=2)]
    assert [row[1] for row in counts] == [3, 3, 6]


def test_formula_looking_names_are_neutralised(day):
    org = day.world.partners[0].organisation
    org.name_th = '=HYPERLINK("http://evil.example")'
    org.save()
    with translation.override("th"):
        text = attendance.attendance_csv(minutes.attendance(day.assembly))
    assert "'=HYPERLINK" in text


# --- Downloads ---------------------------------------------------------------------------


def client_for(user, language="th"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("name, kind", [
    ("records:minutes_docx", "wordprocessingml"),
    ("records:minutes_pdf", "pdf"),
    ("records:attendance_csv", "text/csv"),
    ("records:attendance_xlsx", "spreadsheetml"),
    ("records:plenary_docx", "wordprocessingml"),
    ("records:plenary_pdf", "pdf"),
])
def test_the_secretariat_downloads_each_record(day, name, kind):
    response = client_for(day.world.secretariat).get(
        reverse(name, args=[day.assembly.pk]))
    assert response.status_code == 200
    assert kind in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("name", ["records:minutes_docx", "records:attendance_csv",
                                  "records:attendance_xlsx", "records:page"])
def test_delegates_and_staff_cannot_download_the_minutes(day, name):
    url = reverse(name, args=[day.assembly.pk])
    for user in (day.world.delegates[0].user,
                 day.world.facilitators[day.world.rooms[0].pk]):
        assert client_for(user).get(url).status_code == 403
    response = Client().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_delegates_download_the_plenary_document(day):
    response = client_for(day.world.delegates[0].user).get(
        reverse("records:plenary_docx", args=[day.assembly.pk]))
    assert response.status_code == 200
    assert REVISED in docx_text(response.content)


@pytest.mark.parametrize("language, words", [
    ("th", ["บันทึกของวันประชุม", "รายงานการประชุม (Word)"]),
    ("en", ["Record of the day", "Minutes (Word)", "Attendance (Excel)"]),
])
def test_the_records_page_in_both_languages(day, language, words):
    body = readable(client_for(day.world.secretariat, language).get(
        reverse("records:page", args=[day.assembly.pk])))
    for w in words:
        assert w in body
