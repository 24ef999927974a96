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
