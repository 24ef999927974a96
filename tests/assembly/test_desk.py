"""The check-in desk: find a delegate by name or organisation in Thai or
English, check in and out, mark someone without a phone present in a room,
print one new badge; in both languages, with and without htmx."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assembly import services
from assembly.models import AuditEvent, Delegate, DeskPresence, SignInLink
from tests import factories
from tests.readable import readable

pytestmark = pytest.mark.django_db
ROW = re.compile(r'id="desk-\d+"')
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def fair(db):
    """Three partners in two rooms, nobody checked in yet, recognisable names."""
    w = factories.world(partners=3, rooms=2, alternates=0, checked_in=False)
    names = [("สมหญิง รักเรียน", "Somying Rakrian"), ("ประเสริฐ ใจงาม", "Prasert Jaingam"),
             ("วิไล ศรีสุข", "Wilai Srisuk")]
    for d, (th, en) in zip(w.delegates, names):
        Delegate.objects.filter(pk=d.pk).update(name_th=th, name_en=en)
        d.refresh_from_db()
    org = w.partners[1].organisation
    org.name_th, org.name_en, org.short_name = (
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 2",
        "Khon Kaen Primary Educational Service Area Office 2", "สพป.ขก.2")
    org.save()
    return w


def sec(w) -> Client:
    client = Client()
    client.force_login(w.secretariat)
    return client


def desk_url(w, **params) -> str:
    url = reverse("assembly:desk", args=[w.assembly.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def act(w, name: str, d) -> str:
    return reverse(f"assembly:desk_{name}", args=[w.assembly.pk, d.pk])


@pytest.mark.parametrize("query, found", [
    ("สมหญิง", 0), ("Somying", 0), ("rakrian", 0),  # a name, Thai or English, any case
    ("สพป.ขก.2", 1), ("ประถมศึกษา", 1), ("Primary Educational", 1),  # the organisation
    ("ประเสริฐ เขต 2", 1),  # several words must all match
])
def test_the_desk_finds_a_delegate_by_name_or_organisation(fair, query, found):
    html = readable(sec(fair).get(desk_url(fair, q=query)))
    target = fair.delegates[found]
    assert f'id="desk-{target.pk}"' in html
    others = [d for d in fair.delegates if d.pk != target.pk]
    assert not any(f'id="desk-{d.pk}"' in html for d in others)


def test_nobody_matches_says_so_and_an_empty_search_shows_nobody(fair):
    html = readable(sec(fair).get(desk_url(fair, q="ไม่มีชื่อนี้")))
    assert "ไม่มีชื่อนี้" in html and not ROW.search(html)
    html = readable(sec(fair).get(desk_url(fair)))
    assert not ROW.search(html)


def test_htmx_search_answers_the_results_only(fair):
    response = sec(fair).get(desk_url(fair, q="Wilai"), HTTP_HX_TARGET="desk-results",
                             **HX)
    html = readable(response)
    assert html.lstrip().startswith('<section id="desk-results"') and "<html" not in html
    assert f'id="desk-{fair.delegates[2].pk}"' in html


def test_check_in_and_out_at_the_desk(fair):
    d = fair.delegates[0]
    client = sec(fair)
    response = client.post(act(fair, "check_in", d), {"q": "สมหญิง"}, **HX)
    assert response.status_code == 200
    html = readable(response)
    assert html.lstrip().startswith(f'<tr id="desk-{d.pk}"')
    d.refresh_from_db()
    assert d.checked_in_at is not None
    assert act(fair, "check_out", d) in html  # the row now offers the way out
    # Without htmx: back to the same search, the row in view, a message.
    response = client.post(act(fair, "check_out", d), {"q": "สมหญิง"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?q=%E0%B8%AA%E0%B8%A1%E0%B8%AB%E0%B8%8D%E0%B8%B4%E0%B8%87#desk-{d.pk}")
    d.refresh_from_db()
    assert d.checked_in_at is None
    kinds = list(AuditEvent.objects.filter(detail__delegate=d.pk).values_list(
        "kind", flat=True).order_by("pk"))
    assert kinds == [AuditEvent.Kind.CHECKED_IN, AuditEvent.Kind.CHECKED_OUT]


def test_someone_without_a_phone_is_marked_present_in_a_room(fair):
    d = fair.delegates[0]
    response = sec(fair).post(act(fair, "presence", d),
                              {"room": d.partner.room_id}, **HX)
    assert response.status_code == 200
    mark = DeskPresence.objects.get(delegate=d)
    assert mark.room_id == d.partner.room_id and mark.marked_by == fair.secretariat
    d.refresh_from_db()
    assert d.checked_in_at is not None
    # Nowhere ("") clears the mark, and keeps them checked in.
    sec(fair).post(act(fair, "presence", d), {"room": ""}, **HX)
    assert not DeskPresence.objects.exists()
    d.refresh_from_db()
    assert d.checked_in_at is not None


@pytest.mark.parametrize("room", ["other-partners-room", "another-assembly", "garbage"])
def test_a_room_they_do_not_sit_in_is_refused_in_place_and_changes_nothing(fair, room):
    d = fair.delegates[0]
    other = factories.world(partners=1, rooms=1)
    value = {
        "other-partners-room": next(r.pk for r in fair.rooms if r.pk != d.partner.room_id),
        "another-assembly": other.rooms[0].pk,
        "garbage": "<script>alert(1)</script>",
    }[room]
    response = sec(fair).post(act(fair, "presence", d), {"room": value}, **HX)
    assert response.status_code == 400
    html = readable(response)
    assert 'role="alert"' in html and "<script>alert" not in html
    assert not DeskPresence.objects.exists()
    d.refresh_from_db()
    assert d.checked_in_at is None


def test_another_assemblys_delegate_is_not_found_here(fair):
    other = factories.world(partners=1, rooms=1)
    stranger = other.delegates[0]
    for name in ("check_in", "check_out", "presence", "badge"):
        response = sec(fair).post(act(fair, name, stranger), {"room": ""})
        assert response.status_code == 404, name
    stranger.refresh_from_db()
    assert stranger.checked_in_at is not None  # as the other world made it


def test_printing_one_new_badge_reissues_that_link_only(fair):
    d, other = fair.delegates[0], fair.delegates[1]
    old, kept = (services.signin_link_issue(delegate=x) for x in (d, other))
    response = sec(fair).post(act(fair, "badge", d))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    login = reverse("assembly:token_sign_in")
    assert Client().post(login, {"token": old}).status_code == 403
    assert Client().post(login, {"token": kept}).status_code == 302
    assert SignInLink.objects.filter(user=d.user, revoked_at__isnull=True).count() == 1
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=response.content,
                              capture_output=True, check=True).stdout.decode()
        assert "สมหญิง" in text.replace(" ", "").replace("\n", "") or "สมหญิง" in text


@pytest.mark.parametrize("lang, words", [
    ("th", ["จุดลงทะเบียน", "ลงทะเบียนเข้า"]),
    ("en", ["Check-in desk", "Check in"]),
])
def test_the_desk_speaks_both_languages(fair, lang, words):
    client = sec(fair)
    if lang == "en":
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with translation.override(lang):
        html = readable(client.get(desk_url(fair, q="Somying")))
    for word in words:
        assert word in html, word


@pytest.mark.parametrize("role", ["delegate", "facilitator", "staff", "other_secretariat",
                                  "anonymous"])
def test_only_this_assemblys_secretariat_runs_the_desk(fair, role):
    d = fair.delegates[0]
    user = {
        "delegate": fair.delegates[1].user,
        "facilitator": fair.facilitators[fair.rooms[0].pk],
        "staff": fair.staff[fair.partners[0].organisation.pk],
        "other_secretariat": factories.world(partners=1, rooms=1).secretariat,
        "anonymous": None,
    }[role]
    client = Client()
    if user is not None:
        client.force_login(user)
    pages = [("get", desk_url(fair, q="สมหญิง"))] + [
        ("post", act(fair, name, d)) for name in ("check_in", "presence", "badge")]
    for method, url in pages:
        response = getattr(client, method)(url, {"room": d.partner.room_id})
        if user is None:
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 403, (role, url)
            assert "สมหญิง" not in readable(response)
    d.refresh_from_db()
    assert d.checked_in_at is None
    assert not DeskPresence.objects.exists()
    assert not SignInLink.objects.exists()
