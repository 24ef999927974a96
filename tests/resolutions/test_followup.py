"""Staleness, the secretariat's list of owners with stale resolutions, reminders."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from resolutions import selectors, services

from .conftest import ADOPTED_ON

pytestmark = pytest.mark.django_db


def post(res, actor, day, percent=10, status="on_track"):
    return services.progress_post(
        resolution=res,
        actor=actor,
        status=status,
        percent=percent,
        narrative="รายงาน",
        refers_to=day,
    )


def test_staleness_counts_from_adoption_then_from_the_last_report(adopted):
    res = adopted.resolutions[0]
    assembly = adopted.assembly

    def stale(today):
        rows = selectors.rows_of([res], today=today, interval_days=90)
        return rows[0].stale

    assert not stale(ADOPTED_ON + timedelta(days=90))
    assert stale(ADOPTED_ON + timedelta(days=91))
    post(res, adopted.owner_staff(res), date(2024, 3, 1))
    assert not stale(date(2024, 3, 1) + timedelta(days=90))
    assert stale(date(2024, 3, 1) + timedelta(days=91))
    assert assembly.reporting_interval_days == 90


def test_the_assemblys_interval_is_used(adopted):
    assembly = adopted.assembly
    assembly.reporting_interval_days = 30
    assembly.save()
    board = selectors.board(assembly, today=ADOPTED_ON + timedelta(days=31))
    assert all(row.stale for block in board.items for row in block.rows)
    board = selectors.board(assembly, today=ADOPTED_ON + timedelta(days=30))
    assert not any(row.stale for block in board.items for row in block.rows)


def test_stale_owners_lists_each_owner_with_its_stale_resolutions(adopted):
    first, *_ = adopted.resolutions
    today = date(2024, 6, 1)
    for res in adopted.items[1].resolutions.all():  # item 2: all reported recently
        post(res, adopted.world.staff[res.owner_id], date(2024, 5, 1))
    post(first, adopted.owner_staff(first), date(2024, 5, 20))

    owners = selectors.stale_owners(adopted.assembly, today=today)

    assert [o.organisation for o in owners] == [adopted.items[0].lead_agency]
    assert [r.number for r in owners[0].resolutions] == ["1.2", "1.3"]


def test_done_resolutions_are_not_chased(adopted):
    for res in adopted.resolutions:
        post(res, adopted.world.staff[res.owner_id], date(2024, 1, 1), 100, "done")
    assert selectors.stale_owners(adopted.assembly, today=date(2025, 1, 1)) == []


def test_reminders_email_the_staff_of_owners_with_stale_resolutions(adopted, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = adopted.world
    lead1, lead2 = (item.lead_agency for item in adopted.items)
    w.staff[lead1.pk].email = "owner1@example.org"
    w.staff[lead1.pk].save()
    w.staff[lead2.pk].email = "owner2@example.org"
    w.staff[lead2.pk].save()
    for res in adopted.items[1].resolutions.all():
        post(res, w.staff[res.owner_id], date.today())

    sent = services.reminders_send(assembly=adopted.assembly, actor=w.secretariat)

    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner1@example.org"]
    assert "1.1" in message.subject and "1.3" in message.subject
    assert lead1.name_th in message.body  # in Thai, the working language


def test_only_the_secretariat_sends_reminders(adopted, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(PermissionDenied):
        services.reminders_send(
            assembly=adopted.assembly, actor=adopted.owner_staff(adopted.resolutions[0])
        )
    assert mail.outbox == []
