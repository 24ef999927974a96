"""The demo shows the cycle: `make run` loads the first Khon Kaen assembly,
adopted, with a year of progress, and the second in session reviewing it. One
load, several looks (the load is the slow part)."""

from __future__ import annotations

import html
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agenda.models import AgendaItem, Amendment
from assembly.models import Assembly
from resolutions.models import ProgressUpdate, Resolution, Review
from voting.models import Poll
from tests.readable import readable

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo", "--if-empty", stdout=io.StringIO())
    first, second = Assembly.objects.order_by("starts_on")
    return first, second


def text(response) -> str:
    """The page as read: Thai line-break marking removed, entities decoded."""
    return html.unescape(readable(response))


def test_the_demo_loads_the_cycle(demo):
    first, second = demo
    assert first.status == Assembly.Status.FOLLOWING_UP
    assert second.status == Assembly.Status.IN_SESSION
    assert set(AgendaItem.objects.filter(assembly=first).values_list(
        "status", flat=True)) == {"adopted"}
    assert Resolution.objects.filter(assembly=first).count() == 21
    joint = Resolution.objects.get(assembly=first, item__number=3, position=1)
    assert len(joint.owners) == 6  # room 3's six leads
    assert ProgressUpdate.objects.filter(resolution__assembly=first).count() >= 60
    assert Poll.objects.filter(room__assembly=first, status="closed").count() == 10
    assert set(Amendment.objects.filter(item__assembly=first).values_list(
        "status", flat=True)) == {"adopted", "rejected"}
    # the same organisations, the review under way
    assert set(first.partners.all()) == set(second.partners.all())
    reviews = Review.objects.filter(assembly=second)
    assert reviews.count() == 16  # every resolution neither done nor dropped
    assert reviews.exclude(report="").count() == 8
    assert reviews.exclude(decision="").count() == 4
    # the demo's day is 24 November 2566, not the day it was loaded
    poll = Poll.objects.filter(room__assembly=first).first()
    assert poll.closed_at.date().isoformat() == "2023-11-24"


def test_make_run_shows_a_public_board_with_resolutions_and_progress(demo):
    first, second = demo
    client = Client()
    home = text(client.get("/"))
    board_url = reverse("resolutions:board", args=[first.pk])
    assert board_url in home and second.title_th in home
    assert home.index(second.title_th) < home.index(first.title_th)
    board = text(client.get(board_url))
    assert "เริ่มเก็บข้อมูล" not in board  # narratives live on each resolution
    assert board.count('<progress') >= 21
    assert "เสร็จสิ้น" in board or "แล้วเสร็จ" in board
    detail = text(client.get(reverse(
        "resolutions:resolution",
        args=[first.pk, Resolution.objects.get(assembly=first, item__number=1,
                                               position=1).pk])))
    assert "ฐานข้อมูลเด็กปฐมวัยรายบุคคลครอบคลุม" in detail
    review = text(client.get(reverse("resolutions:review", args=[second.pk])))
    assert "ลงมติแล้ว 4 จาก 16 ข้อ" in review


def test_the_demo_is_not_loaded_twice(demo):
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "not loading" in out.getvalue()
    assert Assembly.objects.count() == 2
