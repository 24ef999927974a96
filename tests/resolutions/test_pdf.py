"""The PDFs, read back: Thai titles, owners, dates in the Buddhist Era, progress."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from resolutions import services
from resolutions.pdf import progress_report_pdf, resolutions_pdf
from tests.pdf_text import both_differences, pdftotext_pages
from tests.resolutions.conftest import ITEM_TITLES
from thai.pdf import MARGIN, recording

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_resolutions_pdf_in_thai(adopted):
    with translation.override("th"):
        pdf = resolutions_pdf(adopted.assembly)
    assert pdf.startswith(b"%PDF")
    text = flat(text_of(pdf))
    assert "มติสมัชชา" in text
    assert flat(adopted.assembly.title_th) in text
    assert "24พฤศจิกายน2566" in text  # Buddhist Era
    assert "โรงแรมโฆษะ" in text
    for item in adopted.items:
        assert flat(item.lead_agency.name_th) in text
        assert flat(item.title_th) in text
    for partner in adopted.world.partners:
        assert flat(partner.organisation.name_th) in text
    assert "ฉันทามติ" in text
    assert flat(adopted.resolutions[2].text) in text


def progress(adopted, narrative: str) -> None:
    """The first resolution 60% on track, as of 1 February 2024."""
    res = adopted.resolutions[0]
    services.progress_post(
        resolution=res,
        actor=adopted.owner_staff(res),
        status="on_track",
        percent=60,
        narrative=narrative,
        refers_to=date(2024, 2, 1),
    )


def test_the_progress_report_in_thai_with_bars(adopted):
    progress(adopted, "จัดทำฐานข้อมูลเด็กปฐมวัยครบทุกอำเภอแล้ว")
    with translation.override("th"):
        pdf = progress_report_pdf(adopted.assembly, today=date(2024, 3, 1))
    text = flat(text_of(pdf))
    assert "รายงานความก้าวหน้า" in text
    assert flat(adopted.items[0].lead_agency.name_th) in text
    assert "60%" in text
    assert "1กุมภาพันธ์2567" in text
    assert flat("จัดทำฐานข้อมูลเด็กปฐมวัยครบทุกอำเภอแล้ว") in text


def test_the_report_of_one_agency_holds_only_its_resolutions(adopted):
    lead = adopted.items[1].lead_agency
    with translation.override("th"):
        pdf = progress_report_pdf(
            adopted.assembly, organisation=lead, today=date(2024, 3, 1)
        )
    text = flat(text_of(pdf))
    assert flat(lead.name_th) in text
    assert "2.1" in text and "2.2" in text
    assert flat(adopted.resolutions[0].text) not in text


def test_the_documents_are_served_without_sign_in(adopted, client):
    a = adopted.assembly
    for url in (
        reverse("resolutions:resolutions_pdf", args=[a.pk]),
        reverse("resolutions:progress_pdf", args=[a.pk]),
        reverse(
            "resolutions:agency_progress_pdf",
            args=[a.pk, adopted.items[0].lead_agency_id],
        ),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_a_document_is_built_once_until_something_it_shows_changes(
    adopted, client, monkeypatch
):
    from resolutions.views import documents

    builds = []
    real = documents.progress_report_pdf

    def counting(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "progress_report_pdf", counting)
    url = reverse("resolutions:progress_pdf", args=[adopted.assembly.pk])
    first = client.get(url).content
    assert client.get(url).content == first
    assert len(builds) == 1

    res = adopted.resolutions[0]
    services.progress_post(
        resolution=res,
        actor=adopted.owner_staff(res),
        status="on_track",
        percent=10,
        narrative="เริ่มแล้ว",
        refers_to=date(2024, 1, 2),
    )
    client.get(url)
    assert len(builds) == 2

    services.resolution_plan_set(
        resolution=res,
        actor=adopted.world.secretariat,
        owner=adopted.world.partners[5].organisation,
    )
    client.get(url)
    assert len(builds) == 3


def test_the_resolutions_pdf_in_english(adopted):
    with translation.override("en"):
        pdf = resolutions_pdf(adopted.assembly)
    text = flat(text_of(pdf))
    assert "Resolutionsoftheassembly" in text
    assert "24November2023" in text
    assert "HotelKosa" in text
    assert "Byconsensus" in text


# --- Text that copies back out intact (pdftotext and pypdf) ---------------------------

HARD_THAI = "ยืดหยุ่น น้ำใจ ก้ำกึ่ง ผู้สังเกตการณ์ ผู้แทนที่มีสิทธิ์ลงมติ ญี่ปุ่น ฐูฎ ป่ำ"


def test_every_string_of_both_documents_reads_back_exactly(adopted):
    progress(adopted, f"จัดทำฐานข้อมูลเด็กปฐมวัยครบทุกอำเภอแล้ว {HARD_THAI}")
    with translation.override("th"):
        for build in (
            lambda: resolutions_pdf(adopted.assembly),
            lambda: progress_report_pdf(adopted.assembly, today=date(2024, 3, 1)),
            lambda: progress_report_pdf(
                adopted.assembly,
                organisation=adopted.items[0].lead_agency,
                today=date(2024, 3, 1),
            ),
        ):
            with recording() as noted:
                pdf = build()
            assert len(noted) > 10
            assert both_differences(pdf, noted, margins=(MARGIN, MARGIN)) == {}


def test_pdftotext_keeps_tone_marks_with_their_letters(adopted):
    """poppler orders glyphs by position: without an ActualText per Thai run it
    gave "ยืดหยุน่" for "ยืดหยุ่น" (issue 12)."""
    with translation.override("th"):
        pdf = resolutions_pdf(adopted.assembly)
    text = flat("".join(pdftotext_pages(pdf)))
    assert flat("จัดการเรียนรู้แบบยืดหยุ่นที่เชื่อมกับการมีงานทำ") in text
    assert "ยืดหยุน่" not in text


# --- A document as a Thai provincial office issues it -----------------------------

PREAMBLE = "สมัชชาได้พิจารณารายงานแล้วเห็นว่าเด็กทุกคนควรได้รับโอกาส 19,000 คน"


def with_preambles(adopted):
    for item in adopted.items:
        version = item.agreed_version
        version.preamble = PREAMBLE
        version.save(update_fields=["preamble"])


def test_the_resolutions_read_as_a_thai_document(adopted):
    with_preambles(adopted)
    with translation.override("th"):
        with recording() as noted:
            pdf = resolutions_pdf(adopted.assembly)
    text = flat(text_of(pdf))
    heading = [flat(n.text) for n in noted[:4]]
    assert heading == ["มติสมัชชา", "สมัชชาทดสอบครั้งที่1", "วันที่24พฤศจิกายน2566",
                       "ณโรงแรมโฆษะจังหวัดขอนแก่น"]
    assert text.count(flat(PREAMBLE)) == 2  # each item's preamble, no longer dropped
    assert "ระเบียบวาระที่1เรื่อง" + flat(ITEM_TITLES[0]) in text
    assert "ที่ประชุมสมัชชาจึงมีมติดังนี้" in text
    for res in adopted.resolutions:  # numbered
        assert flat(f"{res.number} {res.text}") in text
    assert "ฝ่ายเลขานุการสมัชชา" in text
    assert both_differences(pdf, noted, margins=(MARGIN, MARGIN)) == {}


def test_thai_digits_on_request(adopted, client):
    with_preambles(adopted)
    with translation.override("th"):
        with recording() as noted:
            pdf = resolutions_pdf(adopted.assembly, thai_digits=True)
    text = flat(text_of(pdf))
    assert "วันที่๒๔พฤศจิกายน๒๕๖๖" in text
    assert "๑.๑" + flat(adopted.resolutions[0].text) in text
    assert "๑๙,๐๐๐คน" in text
    assert not re.search(r"[0-9]", text), "an Arabic digit left"
    assert both_differences(pdf, noted, margins=(MARGIN, MARGIN)) == {}
    url = reverse("resolutions:resolutions_pdf", args=[adopted.assembly.pk])
    served = client.get(url, {"digits": "thai"}, HTTP_ACCEPT_LANGUAGE="th")
    assert "๒๕๖๖" in flat(text_of(served.content))
    assert "2566" in flat(text_of(client.get(url).content))
