"""Changes to one draft are serialised: real concurrency on PostgreSQL.

Skipped on SQLite (which has no row locks to test); `.ci/run` runs it.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from agenda import services
from agenda.models import Amendment
from tests import factories

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (see .ci/run)")


def run_together(calls):
    """Run each call in its own thread and connection, released together; return
    what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - recorded and asserted on
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_adoptions_racing_on_one_draft_are_both_applied(pg, attempt):
    world = factories.world()
    item = factories.agenda_item(world)
    fac = world.facilitators[item.room_id]
    members = [d for d in world.delegates if d.partner.room_id == item.room_id]
    first = services.amendment_submit(
        item=item, delegate=members[0], kind=Amendment.Kind.REPLACE, target_key=1,
        text="ข้อความใหม่ของข้อหนึ่ง", rationale="")
    second = services.amendment_submit(
        item=item, delegate=members[1], kind=Amendment.Kind.INSERT, target_key=3,
        text="ข้อใหม่ท้ายร่าง", rationale="")
    results = run_together([
        lambda: services.amendment_decide(amendment=first, adopted=True, actor=fac),
        lambda: services.amendment_decide(amendment=second, adopted=True, actor=fac),
    ])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(v.number for v in results) == [2, 3]
    final = item.versions.order_by("-number").first()
    texts = list(final.clauses.order_by("position").values_list("text", flat=True))
    assert texts[0] == "ข้อความใหม่ของข้อหนึ่ง"
    assert texts[-1] == "ข้อใหม่ท้ายร่าง"
    assert len(texts) == 4


def test_one_amendment_decided_twice_at_once_is_decided_once(pg):
    world = factories.world()
    item = factories.agenda_item(world)
    fac = world.facilitators[item.room_id]
    member = next(d for d in world.delegates if d.partner.room_id == item.room_id)
    amendment = services.amendment_submit(
        item=item, delegate=member, kind=Amendment.Kind.DELETE, target_key=2,
        text="", rationale="")
    results = run_together([
        lambda: services.amendment_decide(amendment=amendment, adopted=True, actor=fac),
        lambda: services.amendment_decide(amendment=amendment, adopted=False, actor=fac),
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    amendment.refresh_from_db()
    assert amendment.status in (Amendment.Status.ADOPTED, Amendment.Status.REJECTED)
    assert item.versions.count() == (2 if amendment.status == "adopted" else 1)
