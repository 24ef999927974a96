"""Bad input on the timeline: a clear message, and nothing stored (rows or files)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from resolutions import services
from resolutions.models import ProgressUpdate

from .conftest import files_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
# The start of a Windows executable (MZ header, PE signature), named like a PDF.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + (b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 200)
)


def upload(content: bytes, name: str = "evidence.pdf", kind: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=kind)


def valid(**overrides):
    fields = {
        "status": "on_track",
        "percent": 40,
        "narrative": "จัดอบรมครูปฐมวัยแล้ว 3 รุ่น",
        "refers_to": date(2024, 1, 10),
        "evidence_url": "",
        "evidence_file": None,
    }
    fields.update(overrides)
    return fields


def test_a_valid_update_with_a_pdf_is_stored_through_the_storage_api(adopted, media):
    res = adopted.resolutions[0]
    entry = services.progress_post(
        resolution=res,
        actor=adopted.owner_staff(res),
        **valid(evidence_file=upload(PDF), evidence_url="https://example.org/report"),
    )
    assert ProgressUpdate.objects.count() == 1
    stored = files_in(media)
    assert len(stored) == 1 and stored[0].suffix == ".pdf"
    assert entry.evidence_file.storage.exists(entry.evidence_file.name)
    assert stored[0].read_bytes() == PDF


def test_an_image_is_accepted_and_named_by_its_content(adopted, media):
    res = adopted.resolutions[0]
    services.progress_post(
        resolution=res,
        actor=adopted.owner_staff(res),
        **valid(evidence_file=upload(PNG, "photo.pdf", "application/pdf")),
    )
    assert [p.suffix for p in files_in(media)] == [".png"]


REFUSALS = [
    ("percent", {"percent": 101}, "between 0 and 100"),
    ("percent", {"percent": -1}, "between 0 and 100"),
    ("percent", {"percent": "50"}, "whole number"),
    ("refers_to", {"refers_to": "tomorrow"}, "in the future"),
    ("narrative", {"narrative": ""}, "narrative is empty"),
    ("narrative", {"narrative": "   \n  "}, "narrative is empty"),
    ("narrative", {"narrative": "ก" * 5001}, "too long"),
    ("status", {"status": "finished"}, "Choose a status"),
    ("reason", {"status": "dropped"}, "dropped"),
    ("evidence_url", {"evidence_url": "javascript:alert(1)"}, "web address"),
    ("evidence_file", {"evidence_file": "exe"}, "PDF or an image"),
    ("evidence_file", {"evidence_file": "big"}, "too large"),
    ("evidence_file", {"evidence_file": "text"}, "PDF or an image"),
]


@pytest.mark.parametrize(("field", "change", "message"), REFUSALS)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(
    adopted, media, field, change, message
):
    res = adopted.resolutions[0]
    change = dict(change)
    if change.get("refers_to") == "tomorrow":
        change["refers_to"] = timezone.localdate() + timedelta(days=1)
    if change.get("evidence_file") == "exe":
        change["evidence_file"] = upload(EXE, "report.pdf", "application/pdf")
    elif change.get("evidence_file") == "big":
        change["evidence_file"] = upload(PDF + b"0" * (5 * 1024 * 1024), "big.pdf")
    elif change.get("evidence_file") == "text":
        change["evidence_file"] = upload(b"just some text, not a pdf", "notes.pdf")

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.progress_post(
            resolution=res, actor=adopted.owner_staff(res), **valid(**change)
        )

    assert field in caught.value.message_dict
    assert message in " ".join(caught.value.message_dict[field])
    assert ProgressUpdate.objects.count() == 0
    assert files_in(media) == []


def test_an_oversized_file_respects_the_configured_limit(adopted, media, settings):
    settings.RESOLUTIONS_EVIDENCE_MAX_BYTES = 100
    res = adopted.resolutions[0]
    with pytest.raises(ValidationError):
        services.progress_post(
            resolution=res,
            actor=adopted.owner_staff(res),
            **valid(evidence_file=upload(PDF + b"x" * 100)),
        )
    assert ProgressUpdate.objects.count() == 0
    assert files_in(media) == []


def others(adopted, res):
    """People who are not the owner's staff, by role."""
    w = adopted.world
    supporter = w.partners[3].organisation
    res.supporters.add(supporter)
    other_org = next(
        p.organisation
        for p in w.partners
        if p.organisation_id not in (res.owner_id, supporter.pk)
    )
    return {
        "supporting agency's staff": w.staff[supporter.pk],
        "another agency's staff": w.staff[other_org.pk],
        "secretariat": w.secretariat,
        "facilitator": next(iter(w.facilitators.values())),
        "delegate of the owner": w.delegate_of(w.partners[0]).user,
    }


def test_nobody_but_the_owners_staff_may_post_progress(adopted, media):
    res = adopted.resolutions[0]
    for role, person in others(adopted, res).items():
        with pytest.raises(PermissionDenied):
            services.progress_post(
                resolution=res, actor=person, **valid(evidence_file=upload(PDF))
            )
        assert ProgressUpdate.objects.count() == 0, role
    assert files_in(media) == []


def test_a_note_is_refused_to_the_owner_and_to_other_agencies(adopted):
    res = adopted.resolutions[0]
    people = others(adopted, res)
    for person in (adopted.owner_staff(res), people["another agency's staff"]):
        with pytest.raises(PermissionDenied):
            services.progress_note(
                resolution=res,
                actor=person,
                narrative="บันทึก",
                refers_to=date(2024, 1, 1),
            )
    assert ProgressUpdate.objects.count() == 0


def test_an_empty_note_is_refused(adopted):
    res = adopted.resolutions[0]
    supporter = adopted.world.partners[3].organisation
    res.supporters.add(supporter)
    with pytest.raises(ValidationError):
        services.progress_note(
            resolution=res,
            actor=adopted.world.staff[supporter.pk],
            narrative=" ",
            refers_to=date(2024, 1, 1),
        )
    assert ProgressUpdate.objects.count() == 0


def test_a_dropped_status_with_a_reason_is_accepted(adopted):
    res = adopted.resolutions[0]
    entry = services.progress_post(
        resolution=res,
        actor=adopted.owner_staff(res),
        **valid(status="dropped", reason="รวมเข้ากับมติ 1.2 แล้ว"),
    )
    assert entry.reason == "รวมเข้ากับมติ 1.2 แล้ว"
