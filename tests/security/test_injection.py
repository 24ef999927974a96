"""HTML and script typed into any free-text field is shown as text everywhere:
pages, pushed fragments, PDFs and CSV; spreadsheet formulas never come out live.

Every free-text field gets a payload that carries its own marker, then every
surface that shows it is searched: the raw tag must not be there, the escaped
text must be (pages and pushes), or the literal text (PDF), or a neutralised
cell (CSV).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

FIELDS = (
    "org",
    "delegate",
    "clause",
    "amendment",
    "rationale",
    "ruling",
    "ballot",
    "narrative",
    "resolution",
)


def payload(field: str) -> str:
    return (
        f'<script>alert("{field}")</script><img src=x onerror=alert(1)>{field}-ตัวอย่าง'
    )


def raw_in(html: str) -> list[str]:
    return [
        f
        for f in FIELDS
        if f'<script>alert("{f}")</script>' in html or "<img src=x onerror" in html
    ]


def escaped_in(html: str) -> list[str]:
    return [
        f
        for f in FIELDS
        if f"&lt;script&gt;alert(&quot;{f}&quot;)" in html
        or f"&lt;script&gt;alert(&#x27;{f}" in html
        or f"&lt;script&gt;alert(&#34;{f}&#34;)" in html
    ]


@pytest.fixture
def injected(cast):
    """Payloads in every free-text field of room 1's work and its follow-up."""
    from agenda import services as agenda_services
    from agenda.models import Clause
    from assembly import presence, services
    from resolutions.services import progress_post
    from voting import services as voting
    from voting.models import Poll

    org = cast.delegate.partner.organisation
    org.name_th = payload("org")
    org.save(update_fields=["name_th"])
    d = cast.world.delegate_of(cast.world.partners_in(cast.room)[1])
    d.name_th = payload("delegate")
    d.save(update_fields=["name_th"])
    agenda_services.draft_set(
        item=cast.item,
        preamble="",
        clauses=[payload("clause"), "ข้อสอง"],
        actor=cast.users["secretariat"],
    )
    clause = (
        Clause.objects.filter(version__item=cast.item)
        .order_by("-version__number", "position")
        .first()
    )
    amendment = agenda_services.amendment_submit(
        item=cast.item,
        delegate=cast.delegate,
        kind="replace",
        target_key=clause.key,
        text=payload("amendment"),
        rationale=payload("rationale"),
    )
    second = agenda_services.amendment_submit(
        item=cast.item,
        delegate=d,
        kind="delete",
        target_key=clause.key,
        rationale="ลบ",
    )
    agenda_services.amendment_rule_out(
        amendment=second, actor=cast.users["facilitator"], reason=payload("ruling")
    )
    Poll.objects.filter(pk=cast.poll.pk).update(secret=False)
    for partner in cast.world.partners_in(cast.room):
        presence.touch(cast.room.pk, partner.pk)
    poll = voting.poll_open(poll=cast.poll, actor=cast.users["facilitator"])
    voting.ballot_cast(
        poll=poll, delegate=cast.delegate, choice="concerns", reason=payload("ballot")
    )
    resolution = cast.resolution
    resolution.text = payload("resolution")
    resolution.save(update_fields=["text"])
    progress_post(
        resolution=resolution,
        actor=cast.users["staff"],
        status="on_track",
        percent=20,
        narrative=payload("narrative"),
        refers_to=date(2024, 2, 1),
    )
    services.signin_link_issue(delegate=cast.delegate)
    return {"amendment": amendment, "poll": poll}


def pages(cast):
    room = {"room_id": cast.room.pk}
    yield "delegate", reverse("agenda:room", kwargs=room)
    yield "facilitator", reverse("agenda:console", kwargs=room)
    yield "facilitator", reverse("voting:controls", kwargs=room)
    yield (
        "anonymous",
        reverse("agenda:projector", kwargs={"token": cast.room.projector_token}),
    )
    yield "delegate", reverse("agenda:history", kwargs={"item_id": cast.item.pk})
    yield "secretariat", reverse("assembly:delegates", kwargs={"pk": cast.assembly.pk})
    yield "secretariat", reverse("assembly:partners", kwargs={"pk": cast.assembly.pk})
    yield "anonymous", reverse("assembly:detail", kwargs={"pk": cast.assembly.pk})
    yield (
        "anonymous",
        reverse("resolutions:board", kwargs={"assembly_id": cast.assembly.pk}),
    )
    yield (
        "anonymous",
        reverse(
            "resolutions:resolution",
            kwargs={"assembly_id": cast.assembly.pk, "pk": cast.resolution.pk},
        ),
    )
    yield "staff", reverse("resolutions:mine")


def test_pages_show_injected_html_as_text(cast, injected):
    problems = []
    seen = set()
    for role, url in pages(cast):
        response = cast.client(role).get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        if raw_in(html):
            problems.append(f"{url} as {role}: raw markup of {raw_in(html)}")
        seen |= set(escaped_in(html))
    assert not problems, "\n".join(problems)
    # Every field was shown somewhere (so the test looked at it).
    assert seen >= {
        "org",
        "delegate",
        "clause",
        "amendment",
        "rationale",
        "ruling",
        "narrative",
        "resolution",
    }, seen


def test_htmx_partials_show_injected_html_as_text(cast, injected):
    room = {"room_id": cast.room.pk}
    for role, name in (
        ("delegate", "agenda:my_amendments"),
        ("facilitator", "agenda:console_amendments"),
        ("facilitator", "voting:controls"),
        ("delegate", "voting:room_result"),
    ):
        html = (
            cast.client(role)
            .get(reverse(name, kwargs=room), headers={"HX-Request": "true"})
            .content.decode()
        )
        assert not raw_in(html), (name, raw_in(html))


def test_pushed_fragments_show_injected_html_as_text(
    cast, injected, django_capture_on_commit_callbacks
):
    from agenda import live as agenda_live
    from assembly import realtime

    snapshot = realtime.room_snapshot(cast.room)
    assert snapshot
    assert not raw_in(snapshot), raw_in(snapshot)
    assert {"clause", "amendment"} <= set(escaped_in(snapshot))
    sent = []
    # Every language renders, as if screens of each followed (realtime.push
    # skips a language nobody follows).
    original = realtime.send, realtime.listening
    realtime.listening = lambda group: realtime.languages()
    try:
        realtime.send = lambda group, html: sent.append(html)
        with django_capture_on_commit_callbacks(execute=True):
            agenda_live.push_draft(cast.item)
            agenda_live.push_amendments(cast.item)
            agenda_live.push_item_state(cast.item)
    finally:
        realtime.send, realtime.listening = original
    assert sent
    for html in sent:
        assert not raw_in(html), raw_in(html)
    assert {"clause", "amendment", "rationale"} <= set(escaped_in("".join(sent)))


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)


def test_pdfs_print_injected_html_literally(cast, injected):
    client = cast.client("anonymous")
    for name in ("resolutions:resolutions_pdf", "resolutions:progress_pdf"):
        response = client.get(reverse(name, kwargs={"assembly_id": cast.assembly.pk}))
        assert response.status_code == 200, name
        text = pdf_text(response.content).replace("\u200b", "")
        assert "alert(" in text and "<script>" in text, (name, text[:300])


FORMULAS = (
    '=HYPERLINK("http://evil.example")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
)


def test_csv_exports_neutralise_formulas_and_keep_html_as_text(cast, injected):
    from resolutions.services import progress_post

    for formula in FORMULAS:
        progress_post(
            resolution=cast.resolution,
            actor=cast.users["staff"],
            status="on_track",
            percent=30,
            narrative=formula,
            refers_to=date(2024, 3, 1),
        )
    client = cast.client("anonymous")
    for name in ("resolutions:resolutions_csv", "resolutions:updates_csv"):
        response = client.get(reverse(name, kwargs={"assembly_id": cast.assembly.pk}))
        text = response.content.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        live = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert not live, (name, live)
        if name == "resolutions:updates_csv":
            assert any("HYPERLINK" in c for c in cells)
            assert any("alert(" in c for c in cells)


def test_an_imported_spreadsheet_with_html_shows_it_as_text_and_refuses_formulas(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = cast.client("secretariat")
    url = reverse("assembly:import", kwargs={"pk": cast.assembly.pk})
    rows = [
        "organisation,sector,delegate,role,room",
        f'"{payload("org").replace(chr(34), chr(34) * 2)} ใหม่",civil,'
        f'"{payload("delegate").replace(chr(34), chr(34) * 2)}",voting,1',
    ]
    upload = SimpleUploadedFile(
        "partners.csv", "\n".join(rows).encode("utf-8"), content_type="text/csv"
    )
    preview = client.post(url, {"action": "preview", "file": upload}).content.decode()
    assert not raw_in(preview)
    assert "org" in escaped_in(preview)
    formula = SimpleUploadedFile(
        "evil.csv",
        "organisation,sector,delegate,role,room\n"
        '=HYPERLINK("http://evil.example"),civil,ชื่อ,voting,1\n'.encode(),
        content_type="text/csv",
    )
    refused = client.post(url, {"action": "preview", "file": formula}).content.decode()
    assert "payload" not in refused  # nothing to confirm
    from assembly.models import Organisation

    assert not Organisation.objects.filter(name_th__startswith="=").exists()
