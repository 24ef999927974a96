"""Reminders that run themselves: the scheduled command, the links to the update
pages, and the owners no reminder can reach (listed, never skipped silently)."""

from __future__ import annotations

import html
import io
from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from resolutions import selectors, services
from resolutions.models import Reminder
from tests.readable import readable

pytestmark = pytest.mark.django_db
BASE = "https://samatcha.example.org"


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def reachable(adopted):
    """Item 1's lead has a staff member with an address; item 2's lead's staff
    member has none; item 2 also has a joint owner with no staff at all."""
    w = adopted.world
    lead1, lead2 = (item.lead_agency for item in adopted.items)
    w.staff[lead1.pk].email = "owner1@example.org"
    w.staff[lead1.pk].save()
    no_staff = w.partners[5].organisation
    no_staff.staff.clear()
    for res in adopted.items[1].resolutions.all():
        res.co_owners.add(no_staff)
    return lead1, lead2, no_staff


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_each_reminder_links_every_stale_resolution_to_its_update_page(adopted,
                                                                       reachable):
    sent = services.reminders_send(assembly=adopted.assembly,
                                   actor=adopted.world.secretariat, base_url=BASE)
    assert sent == 1
    body = mail.outbox[0].body
    for res in adopted.items[0].resolutions.all():
        assert f"{BASE}/resolutions/{res.pk}/update/" in body
        assert f"มติที่ {res.number}" in body or res.number in body
    assert "กรุณา" in body  # in Thai, the working language
    reminder = Reminder.objects.get()
    assert (reminder.organisation, reminder.recipient_count, reminder.numbers) == (
        reachable[0], 1, "1.1, 1.2, 1.3")
    assert reminder.sent_by == adopted.world.secretariat


def test_the_scheduled_command_sends_and_lists_the_unreachable(adopted, reachable):
    out, err = run("--base-url", BASE)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner1@example.org"]
    assert f"{BASE}/resolutions/" in mail.outbox[0].body
    lead1, lead2, no_staff = reachable
    assert f"cannot reach {lead2.name_th} (no staff e-mail address)" in err
    assert f"cannot reach {no_staff.name_th} (no staff account)" in err
    assert "1 reminder(s) sent; 2 owner(s) cannot be reached" in out
    assert Reminder.objects.get().sent_by is None  # the schedule, not a person


def test_the_schedule_does_not_write_to_an_agency_every_day(adopted, reachable):
    run("--base-url", BASE)
    run("--base-url", BASE)
    assert len(mail.outbox) == 1
    run("--base-url", BASE, "--min-days", "0")
    assert len(mail.outbox) == 2


def test_the_command_needs_the_sites_address(adopted, reachable, monkeypatch):
    monkeypatch.delenv("SAMATCHA_BASE_URL", raising=False)
    with pytest.raises(CommandError, match="--base-url"):
        run()
    assert mail.outbox == []
    monkeypatch.setenv("SAMATCHA_BASE_URL", BASE)
    run()
    assert len(mail.outbox) == 1


def test_an_assembly_can_be_chosen(adopted, reachable):
    run("--base-url", BASE, "--assembly", str(adopted.assembly.pk + 1000))
    assert mail.outbox == []


def test_owner_contacts_say_why_an_owner_cannot_be_reached(adopted, reachable):
    lead1, lead2, no_staff = reachable
    contacts = {c.organisation: c for c in selectors.owner_contacts(
        adopted.assembly, today=date(2024, 6, 1))}
    assert contacts[lead1].reason == "" and contacts[lead1].addresses == [
        "owner1@example.org"]
    assert contacts[lead2].reason == "no_email"
    assert contacts[no_staff].reason == "no_staff"


@pytest.mark.parametrize("language, words", [
    ("en", ["2 owners cannot be reached by e-mail:", "no staff account",
            "no staff e-mail address", "cannot be reached", "last reminded"]),
    ("th", ["ติดต่อทางอีเมลไม่ได้", "ไม่มีบัญชีเจ้าหน้าที่", "ไม่มีอีเมลของเจ้าหน้าที่"]),
])
def test_the_desk_lists_the_unreachable(adopted, reachable, language, words):
    services.reminders_send(assembly=adopted.assembly, base_url=BASE)
    client = Client()
    client.force_login(adopted.world.secretariat)
    client.cookies["django_language"] = language
    body = html.unescape(readable(client.get(
        reverse("resolutions:followup", args=[adopted.assembly.pk]))))
    for word in words:
        assert word in body
    assert (reachable[2].name_en if language == "en" else reachable[2].name_th) in body


def test_the_desk_button_links_to_this_site(adopted, reachable):
    client = Client()
    client.force_login(adopted.world.secretariat)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("resolutions:remind", args=[adopted.assembly.pk]),
                           follow=True)
    assert "http://testserver/resolutions/" in mail.outbox[0].body
    assert "2 owners cannot be reached by e-mail" in html.unescape(
        readable(response))


def test_the_systemd_unit_runs_this_command_with_options_it_knows(adopted, reachable,
                                                                  monkeypatch):
    """deploy/samatcha-reminders.service runs what the timer promises: the command
    line of its ExecStart works here as written (the base URL from the env)."""
    import configparser
    import shlex
    from pathlib import Path

    deploy = Path(__file__).resolve().parents[2] / "deploy"
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(deploy / "samatcha-reminders.service")
    assert unit["Service"]["Type"] == "oneshot"
    argv = shlex.split(unit["Service"]["ExecStart"])
    assert argv[1:3] == ["manage.py", "send_reminders"]
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(deploy / "samatcha-reminders.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
    monkeypatch.setenv("SAMATCHA_BASE_URL", BASE)
    out, _ = run(*argv[3:])
    assert "1 reminder(s) sent" in out
    assert f"{BASE}/resolutions/" in mail.outbox[0].body
