"""100 ballots from different organisations racing a close, on PostgreSQL.

Every ballot ends counted or refused with "Voting closed before your ballot
arrived", never lost and never counted twice. Threads use their own connections.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests import factories
from tests.voting.conftest import make_item, make_present
from voting import services
from voting.models import Ballot, BallotEvent, Poll

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(
    ("postgres://", "postgresql://")
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs PostgreSQL: run with "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test",
    ),
    pytest.mark.django_db(transaction=True),
]

BALLOTS = 100
CLOSE_AFTER = 40  # the close is sent once this many ballots are counted


def test_ballots_racing_a_close_are_each_counted_or_refused(no_effects):
    world = factories.world(partners=BALLOTS, rooms=1, alternates=0)
    room = world.rooms[0]
    make_item(world, room)
    make_present(room, world.partners)
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor)
    services.poll_open(poll=poll, actor=actor)

    lock = threading.Lock()
    counted: list[int] = []
    refused: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(17)
    close_now = threading.Event()

    def cast(delegate):
        try:
            services.ballot_cast(poll=poll, delegate=delegate, choice="support")
        except ValidationError as error:
            with lock:
                (refused if error.code == "poll_closed" else errors).append(error)
            return
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(error)
            return
        finally:
            connection.close()
        with lock:
            counted.append(delegate.partner_id)
            if len(counted) >= CLOSE_AFTER:
                close_now.set()

    def worker(delegates):
        start.wait()
        for delegate in delegates:
            cast(delegate)

    def closer():
        start.wait()
        close_now.wait(timeout=60)
        try:
            services.poll_close(poll=poll, actor=actor)
        finally:
            connection.close()

    shares = [world.delegates[i::16] for i in range(16)]
    with ThreadPoolExecutor(max_workers=17) as pool:
        futures = [pool.submit(worker, share) for share in shares]
        futures.append(pool.submit(closer))
        for future in futures:
            future.result(timeout=300)

    print(f"counted {len(counted)}, refused {len(refused)}")
    assert not errors, errors
    assert len(counted) + len(refused) == BALLOTS
    assert len(counted) == len(set(counted))  # no organisation counted twice
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED
    rows = list(Ballot.objects.filter(poll=poll).values_list("partner", flat=True))
    assert sorted(rows) == sorted(counted)  # counted = Ballot rows, none lost
    assert poll.voting_count == len(counted)
    assert poll.counts["support"] == len(counted)
    assert BallotEvent.objects.filter(poll=poll).count() == len(counted)
    assert len(counted) >= CLOSE_AFTER


def test_delegates_of_one_organisation_voting_at_once_leave_one_ballot(no_effects):
    """Ballots run side by side on PostgreSQL (the poll row is only share-locked),
    so the two delegates of one organisation racing to cast its first ballot must
    still end with one ballot and a log of one cast and one change, never an
    integrity error. Each round is a fresh poll: a fresh race to create the row."""
    world = factories.world(partners=4, rooms=1, alternates=4)
    room = world.rooms[0]
    make_item(world, room)
    make_present(room, world.partners)
    actor = world.facilitators[room.pk]
    errors: list[BaseException] = []
    polls = []
    for _round in range(8):
        poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor)
        services.poll_open(poll=poll, actor=actor)
        polls.append(poll)
        start = threading.Barrier(8)

        def cast(delegate, choice, poll=poll, start=start):
            try:
                start.wait()
                services.ballot_cast(
                    poll=poll, delegate=delegate, choice=choice, reason="เหตุผล"
                )
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connection.close()

        pairs = []
        for voter, alternate in zip(world.delegates, world.alternates, strict=True):
            pairs += [(voter, "support"), (alternate, "concerns")]
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda pair: cast(*pair), pairs))
        services.poll_close(poll=poll, actor=actor)

    assert errors == []
    for poll in polls:
        assert Ballot.objects.filter(poll=poll).count() == 4
        for partner in world.partners:
            events = BallotEvent.objects.filter(poll=poll, partner=partner)
            assert sorted(events.values_list("action", flat=True)) == ["cast", "change"]


def test_secret_ballots_racing_a_close_are_counted_or_refused_and_leave_no_choice(
    no_effects,
):
    """The same race in a secret poll: the close counts the secret choices it
    finds under its lock, writes who voted, and deletes the choices; a ballot
    that arrives after is refused. Nothing is left in the secret table."""
    from voting.models import SecretChoice

    ballots = 60
    world = factories.world(partners=ballots, rooms=1, alternates=0)
    room = world.rooms[0]
    make_item(world, room)
    make_present(room, world.partners)
    actor = world.facilitators[room.pk]
    poll = services.poll_create(room=room, kind=Poll.Kind.CONSENSUS, actor=actor,
                                secret=True)
    services.poll_open(poll=poll, actor=actor)

    lock = threading.Lock()
    counted: list[int] = []
    refused: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(9)
    close_now = threading.Event()

    def cast(delegate):
        try:
            services.ballot_cast(poll=poll, delegate=delegate, choice="live")
        except ValidationError as error:
            with lock:
                (refused if error.code == "poll_closed" else errors).append(error)
            return
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                errors.append(error)
            return
        finally:
            connection.close()
        with lock:
            counted.append(delegate.partner_id)
            if len(counted) >= ballots // 3:
                close_now.set()

    def worker(delegates):
        start.wait()
        for delegate in delegates:
            cast(delegate)

    def closer():
        start.wait()
        close_now.wait(timeout=60)
        try:
            services.poll_close(poll=poll, actor=actor)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=9) as pool:
        futures = [pool.submit(worker, world.delegates[i::8]) for i in range(8)]
        futures.append(pool.submit(closer))
        for future in futures:
            future.result(timeout=300)

    assert not errors, errors
    assert len(counted) + len(refused) == ballots
    poll.refresh_from_db()
    assert poll.status == Poll.Status.CLOSED
    assert poll.counts["live"] == poll.voting_count == len(counted)
    rows = list(Ballot.objects.filter(poll=poll).values_list("partner", "choice"))
    assert sorted(p for p, _c in rows) == sorted(counted)
    assert {c for _p, c in rows} <= {""}
    assert not SecretChoice.objects.filter(poll=poll).exists()
    assert BallotEvent.objects.filter(poll=poll).count() == len(counted)
