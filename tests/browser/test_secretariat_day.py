"""The secretariat's day in Chromium, in Thai: a delegate who arrives without a
phone is checked in at the desk; the facilitator records that organisation's
ballot, given on paper, and the room agrees its draft; in the plenary the
secretariat prepares ONE consensus round on every item the rooms agreed, a
delegate reads both items' texts on the phone and votes, and the close adopts
both items at once. Screenshots of the plenary console and of the phone ballot
for the round on all items go to test-artifacts/ (secretariat-day-*.png)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PROJECTOR, screenshot

LIVE = 20_000  # ms to wait for a push to arrive on a screen

# Room 1 deliberates item 1 (the seed's) with three partners present and a
# fourth whose delegate has not arrived; room 2 has agreed item 2 already. A
# consensus round is open in room 1 and the three present partners have voted.
SEED = r'''
from agenda import services as agenda
from agenda.models import AgendaItem
from assembly import services
from assembly.models import Assembly, Delegate, Organisation, Room, Sector
from voting import services as voting

a = Assembly.objects.get(pk=params["assembly"])
tag = params["tag"]
room1 = Room.objects.get(assembly=a, number=1)
room2 = Room.objects.get(assembly=a, number=2)
fac1 = room1.facilitators.first()
fac2 = room2.facilitators.first()
sec = a.secretariat.first()
org = Organisation.objects.create(
    name_th=f"สภาองค์กรชุมชนตำบลศิลา {tag}", name_en=f"Sila Community Council {tag}",
    short_name=f"สอช.ศิลา-{tag}", sector=Sector.CIVIL)
late_partner = services.partner_add(assembly=a, organisation=org, room=room1)
late = services.delegate_create(partner=late_partner, name_th=f"บุญมี มาสาย {tag}",
                                name_en=f"Boonmee Masai {tag}")
item2 = agenda.item_create(
    assembly=a, number=2, title_th="โอกาสการเรียนรู้และการมีงานทำของเด็กนอกระบบ",
    title_en="Learning and work for out-of-school children",
    lead_agency=AgendaItem.objects.get(assembly=a, number=1).lead_agency, room=room2)
agenda.draft_set(item=item2, preamble="", actor=sec, clauses=[
    "ให้สำนักงานส่งเสริมการเรียนรู้จังหวัดจัดการเรียนรู้ที่ยืดหยุ่นสำหรับเด็กนอกระบบ",
    "ให้ภาคเอกชนเปิดโอกาสการฝึกงานแก่เยาวชนนอกระบบ"])
agenda.item_agree(item=item2, actor=fac2)
item1 = AgendaItem.objects.get(assembly=a, number=1)
poll = voting.poll_create(room=room1, kind="consensus", actor=fac1)
voting.poll_open(poll=poll, actor=fac1)
for v in params["voters"]:
    voting.ballot_cast(poll=poll, delegate=Delegate.objects.get(pk=v), choice="full")
result = {"late": late.pk, "organisation": org.label, "item1": item1.pk,
          "item2": item2.pk, "room1": room1.pk, "room2": room2.pk,
          "plenary": services.plenary_of(a).pk,
          "projector": services.plenary_of(a).projector_token}
'''

# After room 1 agreed: the plenary document is built and the desk counts every
# partner present in the plenary (the phones of the day follow on their own).
TO_PLENARY = r'''
from agenda import services as agenda
from assembly import desk, services
from assembly.models import Assembly, Delegate
a = Assembly.objects.get(pk=params["assembly"])
sec = a.secretariat.first()
agenda.plenary_document_build(assembly=a, actor=sec)
plenary = services.plenary_of(a)
for d in Delegate.objects.filter(partner__assembly=a, checked_in_at__isnull=False):
    desk.desk_mark_present(assembly=a, delegate=d, room=plenary, actor=sec)
result = {"ok": True}
'''


@pytest.fixture(scope="module")
def day(app_server):
    tag = uuid.uuid4().hex[:6]
    made = app_server.seed("setup", tag=tag, voters=3, present="room")
    voting = [v["delegate"] for v in made["voters"] if not v["alternate"]]
    more = app_server.seed("eval", code=SEED, assembly=made["assembly"], tag=tag,
                           voters=voting)
    return {**made, **more, "tag": tag, "voting": voting}


def sign_in(page, username, password):
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def wait_live(page) -> None:
    expect(page.locator("body")).to_have_attribute("data-live", "open", timeout=LIVE)


def confirm(page, act: str) -> None:
    """Say yes in the page's confirmation dialog, whose button names the act."""
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=act).click()


def test_desk_check_in_recorded_ballot_and_the_plenary_adopts_all_items(
        open_context, app_server, day):
    users, password, tag = day["users"], day["password"], day["tag"]

    # 1. The desk: the delegate without a phone arrives and is checked in.
    desk = open_context("secretariat")
    sign_in(desk, users["secretariat"], password)
    desk.goto(f"/a/{day['assembly']}/secretariat/desk/")
    desk.locator("#desk-q").fill(f"มาสาย {tag}")
    rows = desk.locator("#desk-results tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("button", name=re.compile("ลงทะเบียนเข้างาน")).click()
    expect(desk.locator("#desk-results tbody tr").first).to_contain_text(
        "ลงทะเบียนแล้ว")

    # 2. Room 1: the facilitator records that organisation's paper ballot, then
    # closes the round: the room agrees its draft.
    console = open_context("facilitator")
    sign_in(console, users["facilitator"], password)
    console.goto(f"/rooms/{day['room1']}/console/")
    wait_live(console)
    console.wait_for_load_state("networkidle")
    controls = console.locator("#vote-controls")
    controls.locator("details.record-details summary").click()
    record = controls.locator("#record-ballot")
    record.locator("select[name=partner]").select_option(label=day["organisation"])
    record.get_by_label("สนับสนุนเต็มที่").check()
    record.get_by_role("button", name="บันทึกการลงคะแนนนี้").click()
    expect(console.locator("#record-ballot")).to_contain_text(
        f"{day['organisation']}", timeout=LIVE)
    expect(console.locator("#vote-result .vote-participation")).to_contain_text(
        "ลงคะแนนแล้ว 4 จาก 4", timeout=LIVE)  # four of four partners voted
    controls.get_by_role("button", name="ปิดการลงมติและนับคะแนน").click()
    confirm(console, "ปิดการลงมติและนับคะแนน")
    expect(console.locator("#vote-result .vote-outcome")).to_contain_text(
        "ได้ฉันทามติ", timeout=LIVE)
    expect(console.locator("#item-state")).to_contain_text(
        "ห้องย่อยเห็นชอบ", timeout=LIVE)
    app_server.seed("eval", code=TO_PLENARY, assembly=day["assembly"])

    # 3. The plenary: one consensus round on both items.
    desk.goto(f"/rooms/{day['plenary']}/console/")
    wait_live(desk)
    desk.wait_for_load_state("networkidle")
    panel = desk.locator("#vote-all-items")
    expect(panel).to_contain_text("รับรองทุกระเบียบวาระในรอบหาฉันทามติเดียว",
                                  timeout=LIVE)
    expect(panel.locator(".all-items-list li")).to_have_count(2)
    expect(panel).to_contain_text("โอกาสการเรียนรู้และการมีงานทำของเด็กนอกระบบ")
    panel.get_by_role("button", name="เตรียมรอบหาฉันทามติทุกระเบียบวาระ").click()
    controls = desk.locator("#vote-controls")
    expect(controls.locator(".vote-drafts")).to_contain_text("ทุกระเบียบวาระ",
                                                             timeout=LIVE)
    controls.locator(".vote-drafts").get_by_role("button", name="เปิดการลงมติ").click()
    expect(controls.locator(".vote-open")).to_contain_text(
        "ทุกระเบียบวาระที่ห้องย่อยเห็นชอบแล้ว (ระเบียบวาระที่ 1, 2)", timeout=LIVE)

    # The plenary's wall: the question and every item's text.
    wall = open_context("projector", viewport=PROJECTOR)
    wall.goto(f"/projector/{day['projector']}/?lang=th")
    expect(wall.locator("body")).to_have_attribute("data-state", "voting",
                                                   timeout=LIVE)
    under = wall.locator("#vote-result .vote-under.is-document")
    expect(under.locator(".vote-under.is-draft")).to_have_count(2)
    expect(under).to_contain_text("โอกาสการเรียนรู้และการมีงานทำของเด็กนอกระบบ")
    screenshot(wall, "secretariat-day-all-items-projector-th.png")

    phone = open_context("delegate", phone=True)
    phone.goto(f"/s/#{day['voters'][0]['token']}")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    phone.goto(f"/rooms/{day['plenary']}/")
    wait_live(phone)
    ballot = phone.locator("#ballot")
    expect(ballot.locator(".ballot-items-help")).to_contain_text(
        "ลงคะแนนครั้งเดียวสำหรับทุกระเบียบวาระด้านล่าง", timeout=LIVE)
    expect(ballot.locator(".ballot-items .vote-under")).to_have_count(2)
    expect(ballot.locator(".ballot-items .vote-under-head").nth(1)).to_be_visible()
    expect(ballot).to_contain_text("การพัฒนาเด็กปฐมวัยอย่างมีคุณภาพ")
    expect(ballot).to_contain_text("ให้ภาคเอกชนเปิดโอกาสการฝึกงานแก่เยาวชนนอกระบบ")
    screenshot(phone, "secretariat-day-all-items-ballot-th-phone.png")
    ballot.locator("button.vote-full").click()
    expect(ballot.locator("button.vote-full")).to_have_attribute(
        "aria-pressed", "true", timeout=LIVE)

    # Two more phones vote (made in the seed's process: no push from there) and
    # the secretariat records the paper ballot of the delegate without a phone,
    # whose push brings every count up to date.
    app_server.seed("ballots", room=day["plenary"], delegates=day["voting"][1:],
                    choices=["full", "support"])
    controls = desk.locator("#vote-controls")
    controls.locator("details.record-details summary").click()
    record = controls.locator("#record-ballot")
    record.locator("select[name=partner]").select_option(label=day["organisation"])
    record.get_by_label("ยอมรับได้").check()
    record.get_by_role("button", name="บันทึกการลงคะแนนนี้").click()
    expect(desk.locator("#record-ballot")).to_contain_text(day["organisation"],
                                                           timeout=LIVE)
    expect(desk.locator("#vote-result .vote-participation")).to_contain_text(
        "ลงคะแนนแล้ว 4 จาก 4", timeout=LIVE)
    screenshot(desk, "secretariat-day-all-items-console-th.png")
    desk.locator("#vote-controls").get_by_role(
        "button", name="ปิดการลงมติและนับคะแนน").click()
    confirm(desk, "ปิดการลงมติและนับคะแนน")
    expect(desk.locator("#vote-result .vote-outcome")).to_contain_text(
        "ได้ฉันทามติ", timeout=LIVE)
    expect(phone.locator("#vote-result .vote-outcome")).to_contain_text(
        "ได้ฉันทามติ", timeout=LIVE)
    screenshot(desk, "secretariat-day-all-items-closed-console-th.png")

    # Both items are adopted by consensus: the plenary document says so for each.
    desk.goto(f"/assemblies/{day['assembly']}/plenary/")
    for number in (1, 2):
        item = desk.locator(f"#item-{number} .outcome")
        expect(item).to_contain_text("ที่ประชุมใหญ่รับรองแล้ว")
        expect(item).to_contain_text("ฉันทามติ")
