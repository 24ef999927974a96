"""The cycle in Chromium: a facilitator meets a conflicting amendment and
chooses on the console; its proposer revises another on the phone; the next
assembly's secretariat records a review decision; a delegate sends a written
comment in the plenary."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

SEED = r'''
from datetime import date
from agenda import services as agenda
from assembly import links
from resolutions import services as res
from assembly.carryover import assembly_create_next
from tests import factories

w = factories.world(partners=6, rooms=2, alternates=0, title="สมัชชาทดสอบเบราว์เซอร์ " + params["tag"])
item = factories.agenda_item(w)
room = item.room
fac = w.facilitators[room.pk]
seated = [w.delegate_of(p) for p in w.partners_in(room)]
base = "ให้ศูนย์พัฒนาเด็กเล็กจัดประสบการณ์การเรียนรู้ผ่านการเล่น"
rival = agenda.amendment_submit(item=item, delegate=seated[1], kind="replace", target_key=2,
                                text=base + "อย่างอิสระ", rationale="เด็กเลือกเอง")
agenda.amendment_accept(amendment=rival, actor=fac)
third = agenda.amendment_submit(item=item, delegate=seated[2], kind="replace", target_key=2,
                                text=base + "ร่วมกับผู้ปกครอง")
earlier = agenda.amendment_submit(item=item, delegate=seated[0], kind="replace", target_key=2,
                                  text=base + "ทุกวัน")
agenda.amendment_decide(amendment=earlier, adopted=True, actor=fac)
# room 2 agrees its item; the plenary document is built (comments open)
other = factories.agenda_item(w, room=w.rooms[1], number=2)
agenda.item_agree(item=other, actor=w.facilitators[w.rooms[1].pk])
agenda.plenary_document_build(assembly=w.assembly, actor=w.secretariat)
# an adopted earlier resolution, reviewed by a next assembly
from resolutions.models import Resolution
old = Resolution.objects.create(assembly=w.assembly, item=other, position=1,
    text="ให้ติดตามเด็กทุกคน", adopted_on=date(2023, 11, 24), method="consensus",
    owner=other.lead_agency)
nxt = assembly_create_next(previous=w.assembly, actor=w.secretariat,
    title_th="สมัชชาครั้งถัดไป " + params["tag"], starts_on=date(2024, 11, 22),
    venue_th="มหาวิทยาลัยขอนแก่น", province_th="ขอนแก่น")
result = {
    "room": room.pk, "assembly": w.assembly.pk, "next": nxt.pk, "other": other.pk,
    "facilitator": fac.username, "secretariat": w.secretariat.username,
    "rival": rival.pk, "third": third.pk,
    "proposer": links.link_issue(user=seated[2].user),
    "commenter": links.link_issue(user=w.delegates[1].user),
    "password": factories.PASSWORD,
}
'''


@pytest.fixture(scope="module")
def cycle(app_server):
    """One small assembly for this module (the test factories' names are unique
    within one process only)."""
    import uuid

    return app_server.seed("eval", code=SEED, tag=uuid.uuid4().hex[:6])


def sign_in(page, username, password):
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def sign_in_by_link(page, token):
    page.goto(f"/s/#{token}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_the_facilitator_chooses_on_a_conflict(open_context, cycle):
    page = open_context("facilitator", lang="en")
    sign_in(page, cycle["facilitator"], cycle["password"])
    page.goto(f"/rooms/{cycle['room']}/console/")
    queue = page.locator("#amendment-queue")
    expect(queue).to_contain_text("The clause changed after this amendment was written.")
    expect(queue).to_contain_text("Clause 2 when the amendment was written (version 1)")
    queue.get_by_role(
        "button", name="Adopt as written, replacing the clause's current text").click()
    # an irreversible act: the page asks first, naming the act on its button
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_contain_text("the later change to the clause is lost")
    dialog.get_by_role(
        "button", name="Adopt as written, replacing the clause's current text").click()
    expect(page.locator("#draft")).to_contain_text("อย่างอิสระ")
    expect(page.locator("#draft")).not_to_contain_text("ทุกวัน")


def test_the_proposer_revises_on_the_phone(open_context, cycle):
    page = open_context("delegate", phone=True)
    sign_in_by_link(page, cycle["proposer"])
    page.goto(f"/rooms/{cycle['room']}/")
    page.locator("#my-amendments").get_by_role(
        "link", name=re.compile("ข้อความเปลี่ยนไป")).click()
    expect(page.locator("main")).to_contain_text(
        "ข้อความของข้อนี้เปลี่ยนไปหลังจากเสนอคำแปรญัตตินี้")
    page.locator("#revise-text").fill("")
    page.get_by_role("button", name="บันทึกคำแปรญัตติที่ปรับปรุง").click()
    # an empty text is held back by the form itself: the page stays
    expect(page.locator("#revise-text:invalid")).to_have_count(1)
    assert "/revise/" in page.url
    page.locator("#revise-text").fill(
        "ให้ศูนย์พัฒนาเด็กเล็กจัดประสบการณ์การเรียนรู้ผ่านการเล่นทุกวันร่วมกับผู้ปกครอง")
    page.get_by_role("button", name="บันทึกคำแปรญัตติที่ปรับปรุง").click()
    page.wait_for_url(re.compile(rf"/rooms/{cycle['room']}/$"))
    expect(page.locator("#my-amendments")).not_to_contain_text("ต้องปรับปรุง")


def test_the_next_assembly_records_a_review_decision(open_context, cycle):
    page = open_context("secretariat", lang="en")
    sign_in(page, cycle["secretariat"], cycle["password"])
    page.goto(f"/review/{cycle['next']}/")
    card = page.locator("article.review").first
    card.get_by_role("radio", name="Close", exact=True).check()
    card.get_by_role("button", name="Record the decision").click()
    expect(page.locator("article.review").first).to_contain_text(
        "Say why the assembly closes this resolution.")
    card = page.locator("article.review").first
    card.get_by_label("Reasons (needed to close)").fill("รวมกับมติใหม่")
    card.get_by_role("radio", name="Close", exact=True).check()
    card.get_by_role("button", name="Record the decision").click()
    expect(page.locator("article.review").first).to_contain_text("รวมกับมติใหม่")
    page.goto(f"/board/{cycle['assembly']}/")
    expect(page.locator("main")).to_contain_text(": Close")


def test_a_delegate_comments_in_the_plenary(open_context, cycle):
    page = open_context("delegate", phone=True)
    sign_in_by_link(page, cycle["commenter"])
    page.goto(f"/assemblies/{cycle['assembly']}/plenary/")
    region = page.locator(f"#comments-{cycle['other']}")
    region.locator("textarea").fill("ขอให้ระบุงบประมาณให้ชัดเจน")
    region.get_by_role("button", name="ส่งความเห็น").click()
    expect(page.locator(f"#comments-{cycle['other']}")).to_contain_text(
        "ส่งความเห็นถึงฝ่ายเลขานุการแล้ว")
    expect(page.locator(f"#comments-{cycle['other']}")).to_contain_text(
        "ขอให้ระบุงบประมาณให้ชัดเจน")
