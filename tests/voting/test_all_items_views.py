"""The plenary's round on all items over HTTP, in Thai and in English: the
secretariat prepares it on the vote controls, the phones show every item's text,
a refusal says why in place and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agenda.models import AgendaItem
from tests.readable import readable
from tests.voting.conftest import make_item
from tests.voting.test_views import HX, client_for
from voting import services
from voting.models import Poll
from voting.services.all_items import poll_create_all_items

pytestmark = pytest.mark.django_db

WORDS = {
    "en": {
        "heading": "Adopt all items in one consensus round",
        "button": "Prepare the round on all items",
        "prepared": "all items",
        "nothing": "No item agreed by its room waits for the plenary",
        "refused_nothing": "No item waits for the plenary",
        "ballot_help": "One ballot on every item below.",
        "failed": "did not reach consensus: no item was adopted by it",
        "item_by_item": "Decide item by item now",
    },
    "th": {
        "heading": "รับรองทุกระเบียบวาระในรอบหาฉันทามติเดียว",
        "button": "เตรียมรอบหาฉันทามติทุกระเบียบวาระ",
        "prepared": "ทุกระเบียบวาระ",
        "nothing": "ไม่มีระเบียบวาระที่ห้องย่อยเห็นชอบแล้วและรอมติของที่ประชุมใหญ่",
        "refused_nothing": "ไม่มีระเบียบวาระที่รอมติของที่ประชุมใหญ่",
        "ballot_help": "ลงคะแนนครั้งเดียวสำหรับทุกระเบียบวาระด้านล่าง",
        "failed": "ไม่มีระเบียบวาระใดได้รับการรับรองในรอบนี้",
        "item_by_item": "พิจารณาทีละระเบียบวาระ",
    },
}


@pytest.fixture
def agreed(world):
    items = [make_item(world, world.plenary, status=AgendaItem.Status.AGREED)
             for _ in range(2)]
    AgendaItem.objects.filter(pk=items[1].pk).update(title_th="โอกาสการเรียนรู้",
                                                     title_en="Learning chances")
    return items


def controls_url(world):
    return reverse("voting:controls", args=[world.plenary.pk])


def create_url(world):
    return reverse("voting:poll_create_all_items", args=[world.plenary.pk])


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_secretariat_prepares_the_round_on_the_controls(world, agreed, lang):
    words = WORDS[lang]
    client = client_for(world.secretariat, lang)
    page = client.get(controls_url(world))
    text = readable(page)
    assert page.status_code == 200 and "<html" in text
    assert words["heading"] in text and words["button"] in text
    assert ("โอกาสการเรียนรู้" if lang == "th" else "Learning chances") in text
    answer = client.post(create_url(world), {"kind": "consensus",
                                             "consensus_threshold": "4/5",
                                             "quorum": "1/2", "results_live": "on"},
                         **HX)
    assert answer.status_code == 200
    text = readable(answer)
    assert "<html" not in text and words["prepared"] in text
    poll = Poll.objects.get()
    assert poll.all_items and poll.status == Poll.Status.DRAFT
    assert set(poll.items.all()) == set(agreed)
    # without htmx: back to the controls page
    again = client.post(create_url(world), {"kind": "consensus"})
    assert again.status_code == 400  # a second round while one is prepared


@pytest.mark.parametrize("lang", ["th", "en"])
def test_nothing_to_decide_is_said_in_place_and_nothing_is_prepared(world, lang):
    words = WORDS[lang]
    client = client_for(world.secretariat, lang)
    assert words["nothing"] in readable(client.get(controls_url(world), **HX))
    answer = client.post(create_url(world), {"kind": "consensus"}, **HX)
    assert answer.status_code == 400
    text = readable(answer)
    assert words["refused_nothing"] in text and 'role="alert"' in text
    assert not Poll.objects.exists()


def test_a_bad_threshold_is_refused_in_place(world, agreed):
    client = client_for(world.secretariat, "th")
    answer = client.post(create_url(world), {"kind": "consensus",
                                             "consensus_threshold": "1/3"}, **HX)
    assert answer.status_code == 400
    assert 'role="alert"' in answer.content.decode()
    assert not Poll.objects.exists()


def test_no_one_else_prepares_it(world, agreed):
    facilitator = world.facilitators[world.rooms[0].pk]
    world.plenary.facilitators.add(facilitator)
    for user in (facilitator, world.delegates[0].user):
        answer = client_for(user, "en").post(create_url(world), {"kind": "consensus"},
                                             **HX)
        assert answer.status_code == 403
    assert not Poll.objects.exists()
    # a plenary facilitator sees the items but no button to prepare the round
    text = readable(client_for(facilitator, "en").get(controls_url(world), **HX))
    assert WORDS["en"]["heading"] in text and WORDS["en"]["button"] not in text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_the_phone_ballot_shows_every_item_and_its_text(world, agreed, present, lang):
    poll = poll_create_all_items(room=world.plenary, actor=world.secretariat)
    services.poll_open(poll=poll, actor=world.secretariat)
    client = client_for(world.delegates[0].user, lang)
    text = readable(client.get(reverse("voting:ballot", args=[world.plenary.pk]),
                               **HX))
    assert WORDS[lang]["ballot_help"] in text
    assert ("โอกาสการเรียนรู้" if lang == "th" else "Learning chances") in text
    assert text.count("ข้อหนึ่ง") == 2  # both items' clauses
    assert 'value="block"' in text


@pytest.mark.parametrize("lang", ["th", "en"])
def test_after_a_block_the_controls_say_so_and_offer_item_rounds(world, agreed,
                                                                 present, lang):
    poll = poll_create_all_items(room=world.plenary, actor=world.secretariat)
    services.poll_open(poll=poll, actor=world.secretariat)
    for i, partner in enumerate(world.partners):
        choice = "block" if i == 0 else "full"
        services.ballot_cast(poll=poll, delegate=world.delegate_of(partner),
                             choice=choice, reason="วาระที่ 2" if i == 0 else "")
    services.poll_close(poll=poll, actor=world.secretariat)
    text = readable(client_for(world.secretariat, lang).get(controls_url(world), **HX))
    assert WORDS[lang]["failed"] in text and WORDS[lang]["item_by_item"] in text
    # the item rounds' form still lists the items
    assert f'value="{agreed[0].pk}"' in text
    # once every item is decided item by item, the notice has done its work
    AgendaItem.objects.filter(pk__in=[i.pk for i in agreed]).update(
        status=AgendaItem.Status.ADOPTED)
    text = readable(client_for(world.secretariat, lang).get(controls_url(world), **HX))
    assert WORDS[lang]["failed"] not in text and WORDS[lang]["nothing"] in text
