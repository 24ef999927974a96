"""People and the desk, in Chromium: a desk check-in by search, the delegates
table's filters and select-all, personal links for staff (with and without
JavaScript), the accounts and audit pages; axe-core finds nothing serious on
them, in Thai and English, on a laptop and a phone. Screenshots go to
test-artifacts/ (people-*.png)."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LOCALES, assert_accessible, screenshot

_runs = itertools.count(1)
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# 65 partners over two rooms, 93 delegates (28 partners send two), as on the day.
ROSTER = """
from assembly import services
from assembly.models import Assembly, Organisation, Room, Sector, Delegate
a = Assembly.objects.get(pk=params['assembly'])
rooms = list(Room.objects.filter(assembly=a, kind='breakout').order_by('number'))
sectors = [Sector.STATE, Sector.ACADEMIC, Sector.PRIVATE, Sector.CIVIL]
first = ['สมชาย', 'สมหญิง', 'ประเสริฐ', 'วิไล', 'กมลา', 'อนุชา', 'ศิริพร', 'ธนพล']
last = ['ใจดี', 'รักเรียน', 'ศรีสุข', 'แก้วมณี', 'บุญมา', 'ทองคำ', 'พรหมมา']
en_first = ['Somchai', 'Somying', 'Prasert', 'Wilai', 'Kamala', 'Anucha', 'Siriporn', 'Thanaphon']
en_last = ['Jaidee', 'Rakrian', 'Srisuk', 'Kaewmanee', 'Boonma', 'Thongkham', 'Phromma']
n = 0
for i in range(65):
    org = Organisation.objects.create(
        name_th=f'หน่วยงานภาคีที่ {i + 1} {params["tag"]}',
        name_en=f'Partner organisation {i + 1} {params["tag"]}',
        sector=sectors[i % 4])
    p = services.partner_add(assembly=a, organisation=org, room=rooms[i % 2])
    for k in range(2 if i < 28 else 1):
        j = n
        n += 1
        services.delegate_create(
            partner=p, name_th=f'{first[j % 8]} {last[j % 7]} {j + 1}',
            name_en=f'{en_first[j % 8]} {en_last[j % 7]} {j + 1}',
            kind='voting' if k == 0 else 'alternate')
result = {'delegates': Delegate.objects.filter(partner__assembly=a).count()}
"""


@pytest.fixture
def day(app_server):
    tag = f"pp{next(_runs)}"
    seeded = app_server.seed("setup", tag=tag)
    roster = app_server.seed("eval", code=ROSTER, assembly=seeded["assembly"], tag=tag)
    assert roster["delegates"] == 93
    return {**seeded, "tag": tag}


@pytest.fixture
def open_as(chromium, app_server, page_problems):
    """A page in its own context at a given size and language, signed in with a
    password (or not at all), watched for CSP violations and script errors."""
    contexts = []

    def open_(who, day, *, lang="th", size=LAPTOP, javascript=True):
        context = chromium.new_context(
            base_url=app_server.base_url, viewport=size, locale=LOCALES[lang],
            is_mobile=size is PHONE, has_touch=size is PHONE, accept_downloads=True,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page_problems.watch(page, who)
        if who is not None:
            page.goto("/login/")
            page.locator("input[name=username]").fill(day["users"][who])
            page.locator("input[name=password]").fill(day["password"])
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
        if lang != "th":
            page.locator("form.lang-switch button[value=en]").click()
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "en"
        return page

    yield open_
    for context in contexts:
        context.close()
    page_problems.check()


def secretariat_url(day, page: str) -> str:
    return f"/a/{day['assembly']}/secretariat/{page}/"


# --- The desk ------------------------------------------------------------------------


def test_a_desk_check_in_by_search_mark_present_and_one_badge(open_as, day):
    page = open_as("secretariat", day)
    page.goto(secretariat_url(day, "desk"))
    search = page.locator("#desk-q")
    expect(search).to_be_focused()
    search.fill("ศิริพร")  # typing searches by itself (htmx), no page load
    rows = page.locator("#desk-results tbody tr")
    expect(rows.first).to_be_visible()
    assert "?q=" in page.url
    count = rows.count()
    assert 1 <= count <= 40
    # First name, last name and number: one person of the roster (the 39th).
    search.fill("ศิริพร แก้วมณี 39")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_contain_text("Siriporn Kaewmanee 39")
    row.get_by_role("button", name=re.compile("ลงทะเบียนเข้างาน")).click()
    expect(row.locator(".badge.ok")).to_be_visible()
    expect(page.locator("#desk-results tbody tr").first).to_contain_text("ลงทะเบียนแล้ว")
    # Someone without a phone: counted in the plenary.
    row = page.locator("#desk-results tbody tr").first
    row.locator("select[name=room]").select_option(label="ที่ประชุมใหญ่")
    row.get_by_role("button", name=re.compile("^บันทึก")).click()
    expect(page.locator("#desk-results tbody tr").first).to_contain_text(
        "นับว่าอยู่ในที่ประชุมใหญ่")
    assert_accessible(page, "the desk (th, laptop)")
    screenshot(page, "people-desk-th-laptop.png")
    with page.expect_download() as download:
        page.locator("#desk-results tbody tr").first.get_by_role(
            "button", name=re.compile("พิมพ์บัตรผู้แทนใหม่")).click()
    assert download.value.suggested_filename.endswith(".pdf")
    path = download.value.path()
    assert open(path, "rb").read(4) == b"%PDF"


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_desk_on_a_phone(open_as, day, lang):
    page = open_as("secretariat", day, lang=lang, size=PHONE)
    page.goto(secretariat_url(day, "desk") + "?q=Somchai")
    expect(page.locator("#desk-results tbody tr").first).to_be_visible()
    assert_accessible(page, f"the desk ({lang}, phone)")
    screenshot(page, f"people-desk-{lang}-phone.png")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "the page scrolls sideways on a phone"


# --- The delegates table ---------------------------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_delegates_table_filters_and_ticks_what_is_shown(open_as, day, lang):
    page = open_as("secretariat", day, lang=lang)
    page.goto(secretariat_url(day, "delegates"))
    rows = page.locator("table.people tbody tr")
    expect(rows).to_have_count(93)
    assert_accessible(page, f"the delegates table ({lang})")
    screenshot(page, f"people-delegates-{lang}-laptop.png")
    page.locator("select[name=room]").select_option(str(day["room"]))
    page.locator("select[name=kind]").select_option("voting")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state()
    expect(rows).to_have_count(33)  # the voting delegates of room 1 (odd partners)
    everyone = page.locator("thead input[data-select-all]")
    expect(everyone).to_be_visible()  # the script shows it
    everyone.check()
    ticked = page.locator("tbody input[name=delegates]:checked")
    expect(ticked).to_have_count(33)
    page.locator("tbody input[name=delegates]").first.uncheck()
    expect(everyone).not_to_be_checked()
    everyone.check()
    page.locator("select[name=action]").select_option("badges")
    with page.expect_download() as download:
        page.locator("fieldset.band button[type=submit]").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"


def test_the_delegates_table_on_a_phone(open_as, day):
    page = open_as("secretariat", day, size=PHONE)
    page.goto(secretariat_url(day, "delegates") + "?q=วิไล")
    expect(page.locator("table.people tbody tr").first).to_be_visible()
    assert_accessible(page, "the delegates table (th, phone)")
    screenshot(page, "people-delegates-th-phone.png")


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_badges_page_prints_a_room(open_as, day, lang):
    page = open_as("secretariat", day, lang=lang)
    page.goto(secretariat_url(day, "badges") + f"?room={day['other_room']}")
    expect(page.locator("table.people tbody tr")).to_have_count(46)
    assert_accessible(page, f"the badges page ({lang})")
    screenshot(page, f"people-badges-{lang}-laptop.png")
    page.locator("input[name=scope][value=shown]").check()
    with page.expect_download() as download:
        page.locator("fieldset.band button[type=submit]").click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"


# --- Accounts and personal links for staff ----------------------------------------------


def test_the_secretariat_makes_an_account_and_its_link_signs_in(open_as, day):
    page = open_as("secretariat", day)
    page.goto(secretariat_url(day, "people/new"))
    assert_accessible(page, "a new account (th)")
    page.locator("input[name=username]").fill(f"prapa-{day['tag']}")
    page.locator("input[name=first_name]").fill("ประภาพร")
    page.locator("input[name=last_name]").fill("ติดตามผล")
    page.locator("input[name=email]").fill("prapa@example.org")
    page.locator("select[name=organisation]").select_option(str(day["lead"]))
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("ประภาพร")
    assert_accessible(page, "an account (th)")
    screenshot(page, "people-account-th-laptop.png")
    page.get_by_role("button", name=re.compile("แสดงลิงก์ใหม่")).click()
    page.wait_for_load_state()
    url = page.locator("#signin-url").input_value()
    assert re.search(r"/s/#[A-Za-z0-9_-]{43}$", url), url
    screenshot(page, "people-link-issued-th-laptop.png")
    # The staff member's phone opens the link: the token leaves the address bar.
    phone = open_as(None, day, size=PHONE)
    phone.goto(url)
    expect(phone.locator("#link-ready")).to_be_visible()
    assert "#" not in phone.url
    assert_accessible(phone, "the sign-in page (th, phone)")
    screenshot(phone, "people-signin-th-phone.png")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/resolutions/mine/") or "/mine" in phone.url, phone.url
    expect(phone.locator("header")).to_contain_text("ประภาพร")


def test_without_javascript_the_code_is_pasted(open_as, day, app_server):
    token = app_server.seed("eval", code=(
        "from django.contrib.auth import get_user_model\n"
        "from assembly import services\n"
        "u = get_user_model().objects.get(username=params['u'])\n"
        "result = services.signin_link_issue(user=u)\n"), u=day["users"]["facilitator"])
    page = open_as(None, day, size=PHONE, javascript=False)
    page.goto("/s/#" + token)
    field = page.locator("#sign-in-code")
    expect(field).to_be_visible()  # nothing moved it: the person pastes the code
    field.fill(token)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert f"/rooms/{day['room']}/console/" in page.url


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_accounts_and_audit_pages(open_as, day, lang):
    page = open_as("secretariat", day, lang=lang)
    page.goto(secretariat_url(day, "people"))
    expect(page.locator("table.people tbody tr").first).to_be_visible()
    assert_accessible(page, f"the accounts ({lang})")
    screenshot(page, f"people-accounts-{lang}-laptop.png")
    page.goto(secretariat_url(day, "audit"))
    body = page.locator("table tbody").inner_text()
    assert "method:" not in body and "delegate:" not in body
    assert ("ด้วยรหัสผ่าน" if lang == "th" else "with a password") in body
    assert_accessible(page, f"the audit log ({lang})")
    screenshot(page, f"people-audit-{lang}-laptop.png")


# --- Co-leads: a list that filters as one types ----------------------------------------


def test_co_leads_filter_as_one_types(open_as, day):
    page = open_as("secretariat", day)
    page.goto(f"/a/{day['assembly']}/secretariat/items/{day['item']}/")
    box = page.locator("[data-choice-filter]").first
    expect(box).to_be_visible()
    labels = page.locator(".choice-list label:visible")
    before = labels.count()
    assert before >= 65
    box.fill("ภาคีที่ 12 ")
    expect(labels).to_have_count(1)
    labels.first.locator("input").check()
    box.fill("ภาคีที่ 3")
    expect(page.locator(".choice-list input:checked")).to_have_count(1)
    expect(page.locator(".choice-list label:visible", has_text="ภาคีที่ 12 ")).to_be_visible()
    assert_accessible(page, "the agenda item form (th)")
    screenshot(page, "people-coleads-th-laptop.png")
