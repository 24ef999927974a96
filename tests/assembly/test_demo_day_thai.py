"""Issue 12, done when: every page and every push fragment of a whole demo day,
in Thai, breaks lines only between words, never inside a word or a name.

The demo is loaded once for the module (``tests.demo_day``): the first assembly's
day to adoption and a year of progress, the second assembly in session with a
live morning in its first room. Every page a person meets is fetched as the
person who meets it (every named URL of the apps is either fetched here or listed
as not a page), and every fragment the day pushed is read as a Thai screen reads
it: no Thai left unmarked, no break inside a word of the text's segmentation
(``thai.segment`` with the data's vocabulary), no break inside the words the issue
found broken, and every person's full name and every organisation's short name
in one unbreakable unit.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import get_resolver, reverse

from agenda.models import AgendaItem, Amendment
from assembly import realtime, thai_words
from assembly.models import Delegate, Room
from resolutions.models import Resolution
from tests.demo_day import (
    BROKEN_IN_THE_ISSUE,
    data_names,
    demo_day_fixture,
    screen_faults,
)
from tests.readable import readable, thai_left_unmarked
from thai import segment
from voting.models import Poll

pytestmark = pytest.mark.django_db

User = get_user_model()

APPS = ("assembly", "agenda", "voting", "resolutions", "records")

# Named URLs that are not pages a person reads: actions (POST only, answering a
# redirect or a fragment already fetched below), files, and redirects.
NOT_PAGES = {
    "assembly:logout", "assembly:start", "assembly:set_status",
    "assembly:delegates_bulk", "assembly:link_issue", "assembly:link_email",
    "assembly:link_revoke", "assembly:desk_check_in", "assembly:desk_check_out",
    "assembly:desk_presence", "assembly:desk_badge", "assembly:account_link",
    "assembly:account_link_email", "assembly:account_link_revoke",
    "assembly:account_deactivate", "assembly:account_reactivate",
    "agenda:speak", "agenda:speak_withdraw", "agenda:amendment_submit",
    "agenda:my_amendment_action", "agenda:clause_set", "agenda:item_agree",
    "agenda:amendment_action", "agenda:speaker_next", "agenda:speaker_finish",
    "agenda:speaker_time", "agenda:plenary_build", "agenda:plenary_comment",
    "agenda:plenary_comment_read",
    "voting:poll_create", "voting:poll_create_all_items", "voting:poll_open",
    "voting:poll_close", "voting:proxy_end",
    "resolutions:remind", "resolutions:review_report", "resolutions:review_decide",
    # files: read back in test_demo_day_pdfs.py (PDFs) and tests/resolutions,
    # tests/records (CSV, DOCX, XLSX)
    "resolutions:resolutions_pdf", "resolutions:progress_pdf",
    "resolutions:agency_progress_pdf", "resolutions:resolutions_csv",
    "resolutions:updates_csv", "resolutions:evidence",
    "records:minutes_docx", "records:minutes_pdf", "records:attendance_csv",
    "records:attendance_xlsx", "records:plenary_docx", "records:plenary_pdf",
}


@pytest.fixture(scope="module")
def day(django_db_setup, django_db_blocker):
    yield from demo_day_fixture(django_db_blocker)


@pytest.fixture
def reader(day):
    """What a Thai reader holds every page to: the data's names and words."""
    thai_words.mark_stale()
    thai_words.ensure_current()
    names, words = data_names()
    words = {w for w in words if len(w) > 2} | set(BROKEN_IN_THE_ISSUE)

    def faults(html: str) -> list[str]:
        return thai_left_unmarked(html) + screen_faults(
            html, names=names, words=words, segment_words=segment.words)

    return faults


def _named_urls() -> set[str]:
    names = set()
    for app in APPS:
        resolver = get_resolver().namespace_dict[app][1]
        names |= {f"{app}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    return names


def _pages(day) -> list[tuple[str, object, str, dict]]:
    """(URL name, who, URL, headers) for every page of the day."""
    first, second = day.first, day.second
    secretariat = User.objects.get(username="secretariat")
    room = Room.objects.get(assembly=second, number=1, kind=Room.Kind.BREAKOUT)
    facilitator = room.facilitators.order_by("username").first()
    delegate = (Delegate.objects.filter(partner__room=room, kind="voting")
                .order_by("pk").first())
    first_delegate = Delegate.objects.filter(partner__assembly=first).first()
    staff = User.objects.get(username="staff-kk-peo")
    htmx = {"HTTP_HX_REQUEST": "true"}
    pages: list[tuple[str, object, str, dict]] = []

    def add(name, who, *args, query="", headers=None, **kwargs):
        url = reverse(name, args=args, kwargs=kwargs or None) + query
        pages.append((name, who, url, headers or {}))

    add("assembly:home", None)
    add("assembly:login", None)
    add("assembly:token_sign_in", None)
    add("assembly:create", secretariat)
    for who in (delegate.user, secretariat, staff):
        add("assembly:account", who)
    add("assembly:password", secretariat)
    for a in (first, second):
        add("assembly:detail", None, a.pk)
        for name in ("secretariat", "edit", "next", "items", "item_create", "rooms",
                     "room_create", "partners", "delegates", "checkins", "badges",
                     "desk", "accounts", "account_create", "audit", "screens",
                     "import"):
            add(f"assembly:{name}", secretariat, a.pk)
        add("assembly:checkins", secretariat, a.pk, headers=htmx)
        add("assembly:desk", secretariat, a.pk, query="?q=นาง")
        for item in AgendaItem.objects.filter(assembly=a):
            add("assembly:item_edit", secretariat, a.pk, item.pk)
            add("agenda:history", secretariat, item_id=item.pk)
            add("agenda:draft_edit", secretariat, item_id=item.pk)
            add("resolutions:weights", secretariat, item_id=item.pk)
        for r in Room.objects.filter(assembly=a):
            add("assembly:room_edit", secretariat, a.pk, r.pk)
            add("agenda:projector", None, token=r.projector_token)
        for user in User.objects.filter(delegate__isnull=True).exclude(
                is_superuser=True):
            add("assembly:account_edit", secretariat, a.pk, user.pk)
        add("voting:proxies", secretariat, assembly_id=a.pk)
        add("agenda:plenary", secretariat, assembly_id=a.pk)
        add("records:page", secretariat, a.pk)
        add("resolutions:followup", secretariat, assembly_id=a.pk)
        add("resolutions:review", None, assembly_id=a.pk)
    add("agenda:plenary", first_delegate.user, assembly_id=first.pk)
    # The room as its delegate, its facilitator and the secretariat meet it.
    for who in (delegate.user, facilitator):
        add("agenda:room", who, room_id=room.pk)
    for name in ("speak_controls", "amendment_form", "my_amendments"):
        add(f"agenda:{name}", delegate.user, room_id=room.pk, headers=htmx)
    for name in ("ballot", "room_result"):
        add(f"voting:{name}", delegate.user, room_id=room.pk)
        add(f"voting:{name}", delegate.user, room_id=room.pk, headers=htmx)
    for name in ("console", "console_clause", "console_amendments",
                 "console_speakers", "console_presence"):
        add(f"agenda:{name}", facilitator, room_id=room.pk)
    add("voting:controls", facilitator, room_id=room.pk)
    for r in Room.objects.filter(assembly=first):
        add("agenda:console", secretariat, room_id=r.pk)
        add("voting:room_result", secretariat, room_id=r.pk)
    for poll in Poll.objects.filter(room__assembly__in=[first, second]):
        add("voting:poll_detail", secretariat, poll.pk)
    open_poll = Poll.objects.get(room=room, status=Poll.Status.OPEN)
    add("voting:ballot_record", facilitator, open_poll.pk)
    amendment = Amendment.objects.filter(item__room=room, status="submitted").first()
    add("agenda:amendment_revise", amendment.proposed_by.user,
        room_id=room.pk, amendment_id=amendment.pk)
    # The board and everything it links to.
    add("resolutions:board", None, assembly_id=first.pk)
    add("resolutions:board", None, assembly_id=first.pk, query="?status=done")
    resolutions = Resolution.objects.filter(assembly=first).select_related("owner")
    for owner in {r.owner_id for r in resolutions}:
        add("resolutions:agency", None, assembly_id=first.pk, organisation_id=owner)
    for r in resolutions:
        add("resolutions:resolution", None, assembly_id=first.pk, pk=r.pk)
    add("resolutions:mine", staff)
    mine = resolutions.filter(owner__staff=staff).first()
    add("resolutions:update", staff, mine.pk)
    for name in ("correction", "plan"):
        add(f"resolutions:{name}", secretariat, mine.pk)
    supporter = User.objects.get(username="supporter-officer")
    supported = next(r for r in resolutions
                     if supporter.has_perm("resolutions.add_note", r))
    add("resolutions:note", supporter, supported.pk)
    return pages


def test_every_named_url_is_a_page_read_here_or_not_a_page(day):
    read = {name for name, *_ in _pages(day)}
    assert _named_urls() - read - NOT_PAGES == set()
    assert read & NOT_PAGES == set()


def test_every_page_of_the_day_breaks_only_between_words(day, reader):
    faults: dict[str, str] = {}  # fault -> the first page showing it
    clients: dict[object, Client] = {}
    for name, who, url, headers in _pages(day):
        if who not in clients:
            clients[who] = Client(HTTP_ACCEPT_LANGUAGE="th")
            if who is not None:
                clients[who].force_login(who)
        response = clients[who].get(url, **headers)
        assert response.status_code == 200, (name, url, response.status_code)
        assert response["Content-Type"].startswith("text/html"), url
        html = response.content.decode()
        if "<html" in html:
            assert '<html lang="th"' in html, url
        faults.update({f: url for f in reader(html)})
    assert sorted(faults) == [], faults


def test_the_pages_show_the_names_whole(day, reader):
    """The issue's names, as a Thai reader looks for them."""
    client = Client(HTTP_ACCEPT_LANGUAGE="th")
    client.force_login(User.objects.get(username="secretariat"))
    page = client.get(reverse("assembly:delegates", args=[day.first.pk]))
    html = page.content.decode()
    assert "<th-w>นางกฤษณา เสมหิรัญ</th-w>" in html
    accounts = client.get(reverse("assembly:accounts", args=[day.first.pk]))
    assert "<th-w>นางสาวณัฐพร นิลวัตถา</th-w>" in accounts.content.decode()
    assert "<th-w>นางสาวรัตนา ด้วยดี</th-w>" in accounts.content.decode()
    assert "นางกฤษณา เสมหิรัญ" in readable(html)


def test_every_fragment_pushed_during_the_day_breaks_only_between_words(day, reader):
    assert day.push_errors == []
    assert len(day.pushed) > 10
    joined = "".join(day.pushed)
    for part in ('id="speakers"', 'id="vote-result"', 'id="draft"',
                 'id="ballot-status"'):
        assert part in joined, part
    faults = {f for html in day.pushed for f in reader(html)}
    assert sorted(faults) == []


def test_every_room_snapshot_breaks_only_between_words(day, reader):
    """What a screen is sent on (re)connecting, for every room of both days."""
    faults = set()
    for room in Room.objects.filter(assembly__in=[day.first, day.second]):
        html = realtime.room_snapshot(room, "th")
        assert html.strip(), room
        faults.update(reader(html))
    assert sorted(faults) == []

