"""End to end: the plenary's adopting poll, through voting's effects, creates the
resolutions (with the agenda services building the item and its draft)."""

import pytest
from django.db import transaction

from resolutions.models import Resolution
from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)


def test_an_adopting_plenary_poll_creates_one_resolution_per_clause(world):
    from agenda.services import item_agree
    from voting import effects
    from voting.models import Poll

    item = factories.agenda_item(world)
    facilitator = world.facilitators[world.rooms[0].pk]
    item = item_agree(item=item, actor=facilitator)
    poll = Poll.objects.create(
        room=world.plenary,
        kind=Poll.Kind.CONSENSUS,
        item=item,
        version=item.agreed_version,
        status=Poll.Status.CLOSED,
        entitled_count=6,
        present_count=6,
        voting_count=6,
        counts={"full": 4, "support": 1, "live": 1, "concerns": 0, "block": 0},
        outcome={"reached": True},
        adopted=True,
    )

    with transaction.atomic():
        effects.apply(poll=poll)

    resolutions = list(Resolution.objects.filter(item=item))
    assert [r.number for r in resolutions] == ["1.1", "1.2", "1.3"]
    assert [r.text for r in resolutions] == list(factories.SEED_CLAUSES)
    assert all(r.owner == item.lead_agency for r in resolutions)
    assert all(r.method == Resolution.Method.CONSENSUS for r in resolutions)
    assert resolutions[0].figures["counts"]["full"] == 4
    item.refresh_from_db()
    assert item.status == item.Status.ADOPTED
