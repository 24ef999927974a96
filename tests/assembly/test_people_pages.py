"""Pages that scale to 65 partners and 93 delegates: the delegates table with
search, filters and bulk actions; the badges page with the same filters and
"every one shown"; a searchable choice of organisations; the audit log in
names and words, with filters."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assembly import desk, services
from assembly.models import AuditEvent, Delegate, Sector, SignInLink
from tests import factories

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<tr id="delegate-(\d+)"')


@pytest.fixture
def big(db):
    """Eight partners over two rooms, an alternate, mixed check-ins and links."""
    w = factories.world(partners=8, rooms=2, alternates=1, checked_in=False)
    for d in w.delegates[:3]:
        services.delegate_check_in(delegate=d)
    services.signin_link_issue(delegate=w.delegates[4])  # issued, never used
    used = services.signin_link_issue(delegate=w.delegates[5])
    Client().post(reverse("assembly:token_sign_in"), {"token": used})
    Delegate.objects.filter(pk=w.delegates[6].pk).update(
        name_th="ศิริพร แก้วมณี", name_en="Siriporn Kaewmanee",
        email="siriporn@example.org")
    return w


def sec(w) -> Client:
    client = Client()
    client.force_login(w.secretariat)
    return client


def shown(w, **params) -> set[int]:
    response = sec(w).get(reverse("assembly:delegates", args=[w.assembly.pk]), params)
    assert response.status_code == 200
    return {int(pk) for pk in ROW.findall(response.content.decode())}


def ids(delegates) -> set[int]:
    return {d.pk for d in delegates}


def test_the_delegates_page_is_one_table_row_per_delegate(big):
    everyone = ids(big.delegates) | ids(big.alternates)
    assert shown(big) == everyone


def test_filters_narrow_the_table(big):
    w = big
    room = w.rooms[0]
    in_room = {d.pk for d in [*w.delegates, *w.alternates] if d.partner.room_id == room.pk}
    assert shown(w, room=room.pk) == in_room
    # The three checked in, and the one whose first sign-in checked them in.
    assert shown(w, checked_in="yes") == ids(w.delegates[:3]) | {w.delegates[5].pk}
    assert shown(w, link="unused") == {w.delegates[4].pk}
    assert shown(w, link="used") == {w.delegates[5].pk}
    assert w.delegates[4].pk not in shown(w, link="none")
    assert shown(w, kind=Delegate.Kind.ALTERNATE) == ids(w.alternates)
    org = w.partners[2].organisation
    assert shown(w, organisation=org.pk) == {w.delegates[2].pk}
    state = {d.pk for d in [*w.delegates, *w.alternates]
             if d.partner.organisation.sector == Sector.STATE}
    assert shown(w, sector=Sector.STATE) == state
    assert shown(w, q="แก้วมณี") == shown(w, q="kaewmanee") == {w.delegates[6].pk}
    assert shown(w, q=org.name_en) == {w.delegates[2].pk}
    assert shown(w, room=room.pk, checked_in="no", kind="voting") == {
        d.pk for i, d in enumerate(w.delegates)
        if i >= 3 and i != 5 and d.partner.room_id == room.pk}


@pytest.mark.parametrize("params", [
    {"room": "99999"}, {"organisation": "x"}, {"sector": "<b>"}, {"link": "maybe"},
    {"q": "x" * 500},
])
def test_a_filter_value_not_offered_is_shown_as_an_error_not_a_crash(big, params):
    response = sec(big).get(reverse("assembly:delegates", args=[big.assembly.pk]),
                            params)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert "<b>" not in response.content.decode().split("<main", 1)[1]


def bulk(w, **data):
    return sec(w).post(reverse("assembly:delegates_bulk", args=[w.assembly.pk]), data)


def test_badges_for_a_room_print_every_delegate_shown_and_no_one_else(big):
    w = big
    room = w.rooms[1]
    old = {d.pk: services.signin_link_issue(delegate=d) for d in w.delegates}
    response = bulk(w, action="badges", scope="shown", room=room.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    login = reverse("assembly:token_sign_in")
    for d in w.delegates:
        refused = Client().post(login, {"token": old[d.pk]}).status_code == 403
        assert refused == (d.partner.room_id == room.pk), d


def test_ticked_delegates_get_their_links_by_email_and_the_rest_are_named(big):
    w = big
    with_mail, without = w.delegates[6], w.delegates[7]
    response = bulk(w, action="email", scope="chosen",
                    delegates=[with_mail.pk, without.pk])
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["siriporn@example.org"]]
    page = sec(w).get(response["Location"]).content.decode()
    assert without.name_th in page  # named as having no address
    assert SignInLink.objects.filter(user=without.user).count() == 0


def test_revoking_in_bulk_keeps_the_filters(big):
    w = big
    response = bulk(w, action="revoke", scope="shown", link="unused")
    assert response.status_code == 302 and "link=unused" in response["Location"]
    assert not SignInLink.objects.filter(user=w.delegates[4].user,
                                         revoked_at__isnull=True).exists()
    assert SignInLink.objects.filter(user=w.delegates[5].user,
                                     revoked_at__isnull=True).exists()


def test_nothing_ticked_is_said_and_nothing_happens(big):
    before = SignInLink.objects.count()
    response = bulk(big, action="revoke", scope="chosen")
    assert response.status_code == 302
    page = sec(big).get(response["Location"]).content.decode()
    assert 'class="message error' in page or "error" in page
    assert SignInLink.objects.count() == before
    assert bulk(big, action="explode", scope="shown").status_code == 302
    assert SignInLink.objects.count() == before


def test_the_badges_page_has_the_same_filters_and_every_one_shown(big):
    w = big
    page = sec(w).get(reverse("assembly:badges", args=[w.assembly.pk]),
                      {"kind": "alternate"}).content.decode()
    assert 'name="scope" value="shown"' in page
    assert all(f'value="{d.pk}"' in page for d in w.alternates)
    assert f'id="pick-{w.delegates[7].pk}"' not in page
    response = sec(w).post(reverse("assembly:badges", args=[w.assembly.pk]),
                           {"scope": "shown", "kind": "alternate"})
    assert response["Content-Type"] == "application/pdf"
    issued = set(SignInLink.objects.filter(
        revoked_at__isnull=True, created_at__gte=timezone.now().replace(
            second=0, microsecond=0)).values_list("user_id", flat=True))
    assert {a.user_id for a in w.alternates} <= issued
    assert w.delegates[7].user_id not in issued


# --- Co-leads and supporting agencies ---------------------------------------------------


def test_co_leads_are_a_searchable_list_with_the_chosen_first(big):
    w = big
    item = factories.agenda_item(w, room=w.rooms[0])
    chosen = w.partners[7].organisation
    item.co_leads.add(chosen)
    html = sec(w).get(reverse("assembly:item_edit", args=[w.assembly.pk, item.pk])
                      ).content.decode()
    block = html.split('class="choice-search"', 1)[1].split("</fieldset>", 1)[0]
    assert "data-choice-filter" in block and "hidden" in block  # shown by people.js
    assert "js/people.js" in html
    boxes = re.findall(r'<input type="checkbox" name="co_leads" value="(\d+)"', block)
    assert boxes[0] == str(chosen.pk)  # the chosen one first
    assert len(boxes) >= 8


def test_co_leads_are_chosen_among_this_assemblys_organisations(big):
    """Organisations outlive an assembly: one that takes no part in this one
    (another year's partner) is not offered; an agency an item already names
    is, partner or not."""
    from assembly.models import Organisation

    w = big
    elsewhere = Organisation.objects.create(
        name_th="หน่วยงานของสมัชชาปีก่อน", name_en="Last year's partner",
        sector=Sector.CIVIL)
    named = Organisation.objects.create(
        name_th="สำนักงานเขตพื้นที่การศึกษา", name_en="Area office",
        sector=Sector.STATE)
    item = factories.agenda_item(w, room=w.rooms[0])
    item.co_leads.add(named)
    html = sec(w).get(reverse("assembly:item_edit", args=[w.assembly.pk, item.pk])
                      ).content.decode()
    block = html.split('class="choice-search"', 1)[1].split("</fieldset>", 1)[0]
    boxes = {int(v) for v in
             re.findall(r'<input type="checkbox" name="co_leads" value="(\d+)"', block)}
    assert {p.organisation.pk for p in w.partners} | {named.pk} == boxes
    assert elsewhere.pk not in boxes
    # A forged choice of an organisation that is not offered changes nothing.
    from tests.assembly.test_secretariat import item_post

    response = sec(w).post(
        reverse("assembly:item_edit", args=[w.assembly.pk, item.pk]),
        item_post(w, number=item.number, co_leads=[elsewhere.pk]))
    assert response.status_code in (200, 400)
    assert list(item.co_leads.all()) == [named]


# --- The audit log in names and words ----------------------------------------------------


def audit_page(w, lang="th", **params) -> str:
    client = sec(w)
    if lang == "en":
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("assembly:audit", args=[w.assembly.pk]), params)
    assert response.status_code == 200
    return response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_the_audit_log_names_people_and_says_what_happened(big):
    w = big
    d = w.delegates[0]
    desk.desk_mark_present(assembly=w.assembly, delegate=d, room=w.plenary,
                           actor=w.secretariat)
    Client().post(reverse("assembly:login"),
                  {"username": w.secretariat.username, "password": "wrong"})
    html = audit_page(w, "en")
    assert d.name_en in html and "Marked present in a room" in html
    assert "with a personal link" in html  # delegate 5's sign-in
    assert "username tried: " + w.secretariat.username in html
    assert w.plenary.name_en in html
    assert f"delegate: {d.pk}" not in html and "method: password" not in html
    assert "method:" not in html and "delegate:" not in html


def test_the_audit_log_filters_by_kind_person_and_day(big):
    w = big
    desk.desk_check_in(assembly=w.assembly, delegate=w.delegates[7],
                       actor=w.secretariat)
    html = audit_page(w, "en", kind=AuditEvent.Kind.CHECKED_IN)
    assert w.delegates[7].name_en in html and "Sign-in link issued" not in html
    html = audit_page(w, "en", who="nobody-by-this-name")
    assert "Nothing recorded yet." in html
    assert "Sign-in link issued" in audit_page(w, "en")
    today = timezone.localdate().isoformat()
    assert w.delegates[7].name_en in audit_page(w, "en", day=today)
    assert w.delegates[7].name_en not in audit_page(w, "en", day="2001-01-01")
