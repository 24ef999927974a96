"""Secret polls: no page, export, push, log or stored row links an organisation
to its choice.

Three partners of room 1 vote three different choices in a secret consensus
round (two with reasons). While the poll is open and after it closes, every
surface is collected: the pushes sent to sockets, every page of the URL matrix
as the people allowed to see it, the exports, the audit log, the ballot log and
ballot rows, and the log records. Each is split into rows (a table row, a list
item, a paragraph, a line); no row that names one of the three organisations
may also name a choice. While the poll is open, an organisation's own delegates
see their own choice on their ballot (that is theirs to see): those views are
left out until the poll closes, when the link is erased for them too.
"""

from __future__ import annotations

import html as htmllib
import json
import logging
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.security.conftest import ROLES
from tests.security.test_url_matrix import RULES, project_urls, rules_of
from tests.readable import readable

pytestmark = pytest.mark.django_db

CHOICES = ("full", "concerns", "block")
REASONS = {"concerns": "ต้องมีงบประมาณรองรับก่อน", "block": "ขัดกับระเบียบที่ใช้อยู่"}
ROW_SPLIT = re.compile(
    r"</?(?:tr|li|p|div|section|article|header|h[1-6]|br|ul|ol|table|caption|dt|dd)\b"
    r"[^>]*>|\n",
    re.I,
)


def choice_words() -> set[str]:
    from voting.selectors import CHOICE_LABELS

    words = set()
    for lang in ("th", "en"):
        with translation.override(lang):
            words |= {str(label) for label in CHOICE_LABELS.values()}
    words |= {f"vote-{c}" for c in CHOICES}
    words |= {f'"{c}"' for c in CHOICES} | {f"'{c}'" for c in CHOICES}
    words |= set(REASONS.values())
    return {w for w in words if w}


def org_names(cast) -> dict[int, set[str]]:
    names = {}
    for partner in cast.world.partners_in(cast.room):
        o = partner.organisation
        names[partner.pk] = {n for n in (o.name_th, o.name_en, o.short_name) if n}
    return names


def links_in(text: str, names: dict[int, set[str]], words: set[str]) -> list[str]:
    text = htmllib.unescape(text)
    found = []
    for row in ROW_SPLIT.split(text):
        if not any(n in row for ns in names.values() for n in ns):
            continue
        hits = [w for w in words if w in row]
        if hits:
            found.append(f"{row.strip()[:160]!r} names {hits}")
    return found


@pytest.fixture
def secret_round(cast, django_capture_on_commit_callbacks):
    from assembly import presence, realtime
    from voting import services as voting
    from voting.models import Poll

    # The database refuses live results on a secret poll (a constraint): the
    # round runs as the app allows it, with turnout only while open.
    Poll.objects.filter(pk=cast.poll.pk).update(secret=True, results_live=False)
    cast.poll.refresh_from_db()
    sent = []
    # Every language renders, as if screens of each followed (realtime.push
    # skips a language nobody follows).
    original = realtime.send, realtime.listening
    realtime.listening = lambda group: realtime.languages()
    realtime.send = lambda group, html: sent.append((group, html))
    voters = {}
    try:
        for partner in cast.world.partners_in(cast.room):
            presence.touch(cast.room.pk, partner.pk)
        with django_capture_on_commit_callbacks(execute=True):
            poll = voting.poll_open(poll=cast.poll, actor=cast.users["facilitator"])
        partners = cast.world.partners_in(cast.room)
        assert len(partners) == 3
        for partner, choice in zip(partners, CHOICES):
            delegate = cast.world.delegate_of(partner)
            voters[partner.pk] = (delegate, choice)
            with django_capture_on_commit_callbacks(execute=True):
                voting.ballot_cast(
                    poll=poll,
                    delegate=delegate,
                    choice=choice,
                    reason=REASONS.get(choice, ""),
                )
    finally:
        realtime.send, realtime.listening = original
    return {"poll": poll, "sent": sent, "voters": voters}


def own_group_of(group: str, room_id: int) -> int | None:
    """The partner whose OWN sockets a group reaches (its ballot status), or
    None for a group that others share (the room, the projector)."""
    prefix = f"room.{room_id}.partner."
    if not group.startswith(prefix):
        return None
    return int(group[len(prefix):].split(".")[0])  # room.1.partner.5.th


def links_in_push(group: str, html: str, cast, names, words) -> list[str]:
    """An organisation's own sockets may see its own choice and no one else's;
    every other group, nobody's."""
    own = own_group_of(group, cast.room.pk)
    others = {pid: ns for pid, ns in names.items() if pid != own}
    return links_in(html, others, words)


def surfaces_while_open(cast, poll) -> dict[str, str]:
    out = {}
    room = {"room_id": cast.room.pk}
    for role, name, kwargs in (
        ("facilitator", "agenda:console", room),
        ("facilitator", "voting:controls", room),
        ("facilitator", "voting:room_result", room),
        ("secretariat", "voting:poll_detail", {"pk": poll.pk}),
        ("secretariat", "voting:room_result", room),
        ("anonymous", "agenda:projector", {"token": cast.room.projector_token}),
    ):
        response = cast.client(role).get(reverse(name, kwargs=kwargs))
        out[f"{name} as {role} (open)"] = response.content.decode("utf-8", "replace")
    return out


def test_nothing_links_an_organisation_to_its_choice_while_the_poll_is_open(
    cast, secret_round
):
    names, words = org_names(cast), choice_words()
    found = []
    for i, (group, html) in enumerate(secret_round["sent"]):
        found += [f"push {i} to {group}: {f}"
                  for f in links_in_push(group, html, cast, names, words)]
    for where, html in surfaces_while_open(cast, secret_round["poll"]).items():
        found += [f"{where}: {f}" for f in links_in(html, names, words)]
    assert secret_round["sent"], "the test saw no push"
    assert not found, "\n".join(found)


def test_a_secret_polls_pushes_carry_no_choice_of_anyone(cast, secret_round):
    for group, html in secret_round["sent"]:
        for reason in REASONS.values():
            assert reason not in html, "a secret poll's reason was pushed"


def pdf_text(body: bytes) -> str | None:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return "\n".join(
            p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages
        )
    except PdfReadError:
        return None  # the test's own stand-in evidence file


def everything_after_close(cast, caplog) -> dict[str, str]:
    out = {}
    for key in sorted(RULES):
        if key not in project_urls():
            continue
        for rule in rules_of(key):
            if rule.method != "get":
                continue
            for role in ROLES:
                if role not in rule.allowed:
                    continue
                response = cast.client(role).get(reverse(key, kwargs=rule.kwargs(cast)))
                if getattr(response, "streaming", False):
                    body = b"".join(response.streaming_content)
                else:
                    body = response.content
                text = pdf_text(body) if body.startswith(b"%PDF") else None
                if text is None:
                    text = body.decode("utf-8-sig", "replace")
                out[f"{key} as {role}"] = text
    return out


def test_nothing_links_an_organisation_to_its_choice_after_the_poll_closes(
    cast, secret_round, caplog, django_capture_on_commit_callbacks
):
    from assembly import realtime
    from assembly.models import AuditEvent
    from voting import services as voting
    from voting.models import Ballot, BallotEvent

    caplog.set_level(logging.DEBUG)
    sent = []
    # Every language renders, as if screens of each followed (realtime.push
    # skips a language nobody follows).
    original = realtime.send, realtime.listening
    realtime.listening = lambda group: realtime.languages()
    realtime.send = lambda group, html: sent.append((group, html))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            poll = voting.poll_close(
                poll=secret_round["poll"], actor=cast.users["facilitator"]
            )
    finally:
        realtime.send, realtime.listening = original
    names, words = org_names(cast), choice_words()
    found = []
    for i, (group, html) in enumerate(sent):
        found += [f"push on close {i} to {group}: {f}"
                  for f in links_in(html, names, words)]
    for where, text in everything_after_close(cast, caplog).items():
        found += [f"{where}: {f}" for f in links_in(text, names, words)]
    # The stored rows keep who voted, never what.
    for ballot in Ballot.objects.filter(poll=poll):
        assert ballot.choice == "" and ballot.reason == "", "choice kept after closing"
    for event in BallotEvent.objects.filter(poll=poll):
        assert event.choice == "", "the ballot log holds a secret choice"
    stored = json.dumps([poll.counts, poll.outcome], ensure_ascii=False)
    for partner_id, ns in names.items():
        assert not any(n in stored for n in ns)
    audit = "\n".join(
        json.dumps(e.detail, ensure_ascii=False) for e in AuditEvent.objects.all()
    )
    assert not any(c in audit for c in CHOICES[1:]) and not any(
        r in audit for r in REASONS.values()
    )
    logs = "\n".join(r.getMessage() for r in caplog.records)
    found += [f"log: {f}" for f in links_in(logs, names, words)]
    assert not any(r in logs for r in REASONS.values())
    assert not found, "\n".join(found)
    # The totals are still told: three organisations voted.
    assert sum((poll.counts or {}).values()) == 3


# --- Item 1: a secret poll shows only turnout while open -------------------------


def test_a_secret_poll_refuses_live_results_in_the_service_form_and_database(cast):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from voting import services as voting
    from voting.forms import PollCreateForm
    from voting.models import Poll

    facilitator = cast.users["facilitator"]
    with translation.override("en"), pytest.raises(
        ValidationError, match="only how many organisations voted"
    ):
        voting.poll_create(room=cast.room, kind=Poll.Kind.CONSENSUS, actor=facilitator,
                           secret=True, results_live=True)
    form = PollCreateForm({"kind": "consensus", "secret": "on", "results_live": "on"})
    assert not form.is_valid()
    response = cast.client("facilitator").post(
        reverse("voting:poll_create", args=[cast.room.pk]),
        {"kind": "consensus", "secret": "on", "results_live": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "แสดงเพียงจำนวนหน่วยงานที่ลงคะแนนแล้ว" in readable(response)
    assert not Poll.objects.filter(secret=True).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Poll.objects.filter(pk=cast.poll.pk).update(secret=True, results_live=True)
    # Unticked, the secret poll is prepared; its default is no live results.
    poll = voting.poll_create(room=cast.room, kind=Poll.Kind.CONSENSUS,
                              actor=facilitator, secret=True)
    assert (poll.secret, poll.results_live) == (True, False)


VOTE_RESULT = re.compile(r'<section id="vote-result".*?</section>', re.DOTALL)


@pytest.mark.django_db(transaction=True)
async def test_room_sockets_learn_only_that_one_more_organisation_voted(no_effects):
    """The attack of issue 11, item 1: sockets held while organisations vote one
    after another. Each push may say that one more organisation voted, and
    nothing else: with the turnout figures taken out, every push of the open
    poll is the same."""
    from tests.voting.test_consumers import cast_over_http, setup_room
    from tests.ws import connect, drain

    world, room, poll = await setup_room(partners=12, secret=True)
    partners = world.partners_in(room)
    choices = [("full", ""), ("concerns", "งบไม่พอ"), ("support", ""),
               ("block", "ขัดระเบียบ"), ("live", "")]
    projector, ok, _ = await connect(f"/ws/projector/{room.projector_token}/")
    watcher, ok_w, _ = await connect(
        f"/ws/rooms/{room.pk}/", user=world.delegate_of(partners[5]).user
    )
    assert ok and ok_w
    await drain(projector)
    await drain(watcher)
    seen: list[str] = []
    for n, ((choice, reason), partner) in enumerate(zip(choices, partners), 1):
        await cast_over_http(world.delegate_of(partner), poll, choice, reason)
        for comm in (projector, watcher):
            while True:
                message = readable(await comm.receive_from(timeout=15))
                panels = VOTE_RESULT.findall(message)
                seen += panels
                if any(f"{n} จาก" in p for p in panels):
                    break
    await projector.disconnect()
    await watcher.disconnect()
    assert len(seen) >= 2 * len(choices)
    without_turnout = {re.sub(r"\d+", "#", panel) for panel in seen}
    assert len(without_turnout) == 1, without_turnout
    words = choice_words() - {f"'{c}'" for c in CHOICES} - {f'"{c}"' for c in CHOICES}
    panel = seen[-1]
    assert not [w for w in words if w in panel], panel
    assert "vote-count" not in panel


@pytest.fixture
def no_effects(monkeypatch):
    monkeypatch.setattr("voting.effects.apply", lambda *, poll: None)


# --- Item 2: no time, no order of voting beside a ballot ------------------------


def test_no_ballot_row_or_log_entry_carries_a_time():
    from django.db import connection, models

    from voting.models import Ballot, BallotEvent, SecretChoice

    for model in (Ballot, SecretChoice, BallotEvent):
        timed = [f.name for f in model._meta.get_fields()
                 if isinstance(f, (models.DateTimeField, models.DateField,
                                   models.TimeField))]
        assert timed == [], f"{model.__name__} keeps {timed}"
        with connection.cursor() as cursor:
            columns = connection.introspection.get_table_description(
                cursor, model._meta.db_table
            )
        assert not [c.name for c in columns
                    if c.name in ("at", "created_at", "updated_at")]


def test_who_voted_is_stored_in_partner_order_not_in_the_order_of_voting(
    cast, no_effects
):
    from assembly import presence
    from voting import services as voting
    from voting.models import Ballot, BallotEvent, Poll

    facilitator = cast.users["facilitator"]
    poll = voting.poll_create(room=cast.room, kind=Poll.Kind.CONSENSUS,
                              actor=facilitator, secret=True)
    partners = cast.world.partners_in(cast.room)
    for partner in partners:
        presence.touch(cast.room.pk, partner.pk)
    voting.poll_open(poll=poll, actor=facilitator)
    for partner in reversed(partners):  # the last partner votes first
        voting.ballot_cast(poll=poll, delegate=cast.world.delegate_of(partner),
                           choice="support")
    assert not Ballot.objects.filter(poll=poll).exists()  # nothing yet
    assert not BallotEvent.objects.filter(poll=poll).exists()
    voting.poll_close(poll=poll, actor=facilitator)
    by_id = list(Ballot.objects.filter(poll=poll).order_by("pk")
                 .values_list("partner_id", flat=True))
    assert by_id == sorted(p.pk for p in partners)
    log = list(BallotEvent.objects.filter(poll=poll).order_by("pk")
               .values_list("partner_id", flat=True))
    assert log == sorted(p.pk for p in partners)


# --- Item 3: nothing choice-dependent in the audit log ---------------------------


def test_a_refused_secret_ballot_audits_nothing_that_depends_on_its_choice(
    cast, no_effects
):
    from assembly import presence
    from assembly.models import AuditEvent
    from voting import services as voting
    from voting.models import Poll

    facilitator = cast.users["facilitator"]
    poll = voting.poll_create(room=cast.room, kind=Poll.Kind.CONSENSUS,
                              actor=facilitator, secret=True)
    for partner in cast.world.partners_in(cast.room):
        presence.touch(cast.room.pk, partner.pk)
    voting.poll_open(poll=poll, actor=facilitator)
    url = reverse("voting:ballot", args=[cast.room.pk])
    phone = cast.client("delegate")

    def refusals():
        return list(
            AuditEvent.objects.filter(kind=AuditEvent.Kind.BALLOT_REFUSED)
            .values_list("detail", flat=True)
        )

    # A block without its reason: refused, and nothing is written anywhere.
    response = phone.post(url, {"poll": poll.pk, "choice": "block"},
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert refusals() == []
    # Once closed, a block and a full support are refused the same way.
    voting.poll_close(poll=poll, actor=facilitator)
    for data in ({"choice": "block"}, {"choice": "full"},
                 {"choice": "concerns", "reason": "x" * 20}):
        response = phone.post(url, {"poll": poll.pk, **data}, HTTP_HX_REQUEST="true")
        assert response.status_code == 409
    codes = [detail["reason"] for detail in refusals()]
    assert codes == ["poll_closed"] * 3
    for detail in refusals():
        assert set(detail) == {"room", "reason"}


def test_a_ballot_recorded_in_a_secret_poll_audits_the_fact_not_the_choice(
    cast, no_effects
):
    from assembly import presence
    from assembly.models import AuditEvent
    from voting import services as voting
    from voting.models import Poll

    facilitator = cast.users["facilitator"]
    partner = cast.world.partners_in(cast.room)[1]
    for secret in (True, False):
        poll = voting.poll_create(room=cast.room, kind=Poll.Kind.CONSENSUS,
                                  actor=facilitator, secret=secret)
        for p in cast.world.partners_in(cast.room):
            presence.touch(cast.room.pk, p.pk)
        voting.poll_open(poll=poll, actor=facilitator)
        voting.ballot_record(poll=poll, partner=partner, actor=facilitator,
                             choice="block", reason="ขัดกับแผน")
        event = AuditEvent.objects.filter(
            kind=AuditEvent.Kind.BALLOT_RECORDED, detail__poll=poll.pk
        ).get()
        assert event.actor == facilitator
        assert event.detail["partner"] == partner.pk
        if secret:
            assert "choice" not in event.detail
            assert "block" not in json.dumps(event.detail)
        else:
            assert event.detail["choice"] == "block"
        voting.poll_close(poll=poll, actor=facilitator)


# --- Item 4: erased is gone, from the table's own pages -------------------------

SECRET_REASONS = ("เหตุผลลับข้อหนึ่งของหน่วยงาน", "เหตุผลลับข้อสองที่เปลี่ยนใจ",
                  "เหตุผลลับข้อสามของการคัดค้าน")
ON_POSTGRES = __import__("os").environ.get("DATABASE_URL", "").startswith("postgres")


def _secret_round_with_a_change(cast):
    """A secret round in which one organisation changes its mind (an old row
    version), with three reasons that appear nowhere else."""
    from assembly import presence
    from voting import services as voting
    from voting.models import Poll

    facilitator = cast.users["facilitator"]
    poll = voting.poll_create(room=cast.room, kind=Poll.Kind.CONSENSUS,
                              actor=facilitator, secret=True)
    partners = cast.world.partners_in(cast.room)
    for partner in partners:
        presence.touch(cast.room.pk, partner.pk)
    voting.poll_open(poll=poll, actor=facilitator)
    first, second, third = (cast.world.delegate_of(p) for p in partners)
    voting.ballot_cast(poll=poll, delegate=first, choice="concerns",
                       reason=SECRET_REASONS[0])
    voting.ballot_cast(poll=poll, delegate=first, choice="concerns",
                       reason=SECRET_REASONS[1])
    voting.ballot_cast(poll=poll, delegate=second, choice="block",
                       reason=SECRET_REASONS[2])
    voting.ballot_cast(poll=poll, delegate=third, choice="full")
    return poll, facilitator


def _postgres_pages(table: str) -> bytes:
    """The raw bytes of every page of a table and of its TOAST table."""
    from django.db import connection

    out = b""
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute(
            "SELECT c.oid::regclass::text, t.oid::regclass::text FROM pg_class c "
            "LEFT JOIN pg_class t ON t.oid = c.reltoastrelid "
            "WHERE c.oid = %s::regclass",
            [table],
        )
        relations = [r for r in cursor.fetchone() if r]
        for relation in relations:
            cursor.execute(
                "SELECT pg_relation_size(%s::regclass) "
                "/ current_setting('block_size')::int",
                [relation],
            )
            for block in range(cursor.fetchone()[0]):
                cursor.execute("SELECT get_raw_page(%s, %s)", [relation, block])
                out += bytes(cursor.fetchone()[0])
    return out


def _leaks(data: bytes) -> list[str]:
    found = [r for r in SECRET_REASONS if r.encode() in data]
    found += [c for c in ("concerns", "block") if c.encode() in data]
    return found


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="reads PostgreSQL pages (pageinspect): "
                    "run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/test")
@pytest.mark.django_db(transaction=True)
def test_after_close_the_secret_tables_pages_hold_no_choice_or_reason(
    cast, no_effects, caplog
):
    from voting import services as voting

    caplog.set_level(logging.INFO, logger="samatcha.voting")
    poll, facilitator = _secret_round_with_a_change(cast)
    # The reading works: while open, the pages hold the choices and reasons,
    # the replaced reason too (a dead row version).
    assert set(_leaks(_postgres_pages("voting_secretchoice"))) == {
        *SECRET_REASONS, "concerns", "block"
    }
    voting.poll_close(poll=poll, actor=facilitator)  # cleans after its commit
    poll.refresh_from_db()
    assert poll.secret_scrubbed
    for table in ("voting_secretchoice", "voting_ballot", "voting_ballotevent"):
        assert _leaks(_postgres_pages(table)) == [], table
    rewritten = [
        r.getMessage() for r in caplog.records if "rewritten" in r.getMessage()
    ]
    print("\n" + "\n".join(rewritten))  # how long the rewrite held its lock
    assert rewritten


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="reads PostgreSQL pages (pageinspect)")
@pytest.mark.django_db(transaction=True)
def test_deleted_rows_stay_in_the_pages_until_the_cleaning(cast, no_effects,
                                                          monkeypatch):
    """Finding 4's mechanism, and what removes it: without the cleaning after
    commit, the deleted rows' bytes are still in the pages; the cleaning that a
    later pass of ``close_due_polls`` runs removes them."""
    from django.core.management import call_command

    from voting import scrub
    from voting import services as voting

    poll, facilitator = _secret_round_with_a_change(cast)
    monkeypatch.setattr(scrub, "after_commit", lambda: None)
    voting.poll_close(poll=poll, actor=facilitator)
    assert set(_leaks(_postgres_pages("voting_secretchoice"))) >= set(SECRET_REASONS)
    poll.refresh_from_db()
    assert not poll.secret_scrubbed
    call_command("close_due_polls")  # one pass of the periodic command
    assert _leaks(_postgres_pages("voting_secretchoice")) == []
    poll.refresh_from_db()
    assert poll.secret_scrubbed


def _sqlite_files() -> bytes:
    from pathlib import Path

    from django.db import connection

    path = Path(connection.settings_dict["NAME"])
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def _secret_table_page(connection) -> bytes:
    """The bytes of the secret table's root page in the database file."""
    from pathlib import Path

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_size")
        size = cursor.fetchone()[0]
        cursor.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'voting_secretchoice'"
        )
        root = cursor.fetchone()[0]
    data = Path(connection.settings_dict["NAME"]).read_bytes()
    return data[(root - 1) * size: root * size]


@pytest.mark.skipif(ON_POSTGRES, reason="reads the SQLite file (the embedded default)")
@pytest.mark.django_db(transaction=True)
def test_after_close_the_sqlite_files_hold_no_secret_choice_or_reason(
    cast, no_effects, monkeypatch
):
    from django.db import connection

    from voting import scrub
    from voting import services as voting

    poll, facilitator = _secret_round_with_a_change(cast)
    # The reading works: the database file and its WAL hold them while open.
    assert set(SECRET_REASONS) <= set(_leaks(_sqlite_files()))
    # Without the checkpoint the WAL still holds the old page images ...
    cleaned = []
    monkeypatch.setattr(scrub, "after_commit", lambda: cleaned.append(1))
    voting.poll_close(poll=poll, actor=facilitator)
    assert cleaned and set(SECRET_REASONS) <= set(_leaks(_sqlite_files()))
    # ... and the cleaning (here run by the periodic command's pass) removes them.
    assert scrub.scrub_pending()
    assert [r for r in SECRET_REASONS if r.encode() in _sqlite_files()] == []
    page = _secret_table_page(connection)
    assert b"concerns" not in page and b"block" not in page
    poll.refresh_from_db()
    assert poll.secret_scrubbed


@pytest.mark.skipif(ON_POSTGRES, reason="reads the SQLite file (the embedded default)")
@pytest.mark.django_db(transaction=True)
def test_closing_a_secret_poll_cleans_the_sqlite_files_by_itself(cast, no_effects):
    from voting import services as voting

    poll, facilitator = _secret_round_with_a_change(cast)
    voting.poll_close(poll=poll, actor=facilitator)
    assert [r for r in SECRET_REASONS if r.encode() in _sqlite_files()] == []
    poll.refresh_from_db()
    assert poll.secret_scrubbed


# --- Item 5: the admin filters, shows and searches nothing by choice -------------


def test_the_admin_has_no_filter_column_or_search_by_choice(cast, no_effects):
    from django.contrib.auth import get_user_model

    from assembly import presence
    from voting import services as voting
    from voting.models import Poll

    facilitator = cast.users["facilitator"]
    named = voting.poll_create(room=cast.room, kind=Poll.Kind.CONSENSUS,
                               actor=facilitator)
    for partner in cast.world.partners_in(cast.room):
        presence.touch(cast.room.pk, partner.pk)
    voting.poll_open(poll=named, actor=facilitator)
    voting.ballot_cast(poll=named, delegate=cast.delegate, choice="block",
                       reason="ขัดกับแผน")
    admin = get_user_model().objects.create_superuser("root", "r@x.th", "pw-x-123")
    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(admin)
    for model in ("ballot", "ballotevent"):
        listing = client.get(f"/admin/voting/{model}/?poll__id__exact={named.pk}")
        assert listing.status_code == 200
        text = listing.content.decode()
        assert "column-choice" not in text and "ขัดกับแผน" not in text
        for attack in ("choice=block", "choice__exact=block", "reason__contains=x",
                       "poll__ballots__choice=block"):
            response = client.get(f"/admin/voting/{model}/?{attack}")
            assert response.status_code in (400, 302), (model, attack)
            assert response.status_code != 200
    response = client.get("/admin/voting/poll/?ballots__choice=block")
    assert response.status_code != 200
    from django.contrib import admin as django_admin

    for model, model_admin in django_admin.site._registry.items():
        if model._meta.app_label == "voting":
            assert not model_admin.search_fields, model  # no search at all
    assert client.get("/admin/voting/secretchoice/").status_code == 404
    from voting.models import Ballot

    change = client.get(f"/admin/voting/ballot/{Ballot.objects.get().pk}/change/")
    assert change.status_code == 200 and "ขัดกับแผน" not in change.content.decode()
    assert 'name="choice"' not in change.content.decode()


# --- Item 14: the ballot log is append-only in the database -----------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_update_or_delete_the_ballot_log(cast, no_effects):
    from django.core.management import call_command
    from django.db import DatabaseError, connection, transaction

    from assembly import presence
    from voting import services as voting
    from voting.models import BallotEvent, Poll

    facilitator = cast.users["facilitator"]
    poll = voting.poll_create(room=cast.room, kind=Poll.Kind.CONSENSUS,
                              actor=facilitator)
    for partner in cast.world.partners_in(cast.room):
        presence.touch(cast.room.pk, partner.pk)
    voting.poll_open(poll=poll, actor=facilitator)
    voting.ballot_cast(poll=poll, delegate=cast.delegate, choice="full")
    event = BallotEvent.objects.get()
    for sql in (
        "UPDATE voting_ballotevent SET choice = 'block'",
        "UPDATE voting_ballotevent SET partner_id = partner_id",
        "DELETE FROM voting_ballotevent",
        f"DELETE FROM voting_ballotevent WHERE id = {event.pk}",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic():
        BallotEvent.objects.filter(pk=event.pk).update(choice="block")
    assert list(BallotEvent.objects.values_list("choice", flat=True)) == ["full"]
    # Emptying the whole database stays possible (a fresh start, the tests'
    # own flush), and the guard is back afterwards.
    call_command("flush", interactive=False, verbosity=0)
    assert not BallotEvent.objects.exists()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'voting_ballotevent'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid = 'voting_ballotevent'::regclass"
            )
        assert cursor.fetchone()[0] == 2
