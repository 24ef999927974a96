"""The poll lifecycle as a state machine: opens, casts, changes, resends, closes.

Invariants after every step: one ballot per organisation; the ballots are the
latest successful choice of each organisation; the ballot log holds one event per
cast or change of a named poll, and for a secret poll nothing until the close,
then one event per organisation without its choice; a secret poll's choices live
only in its secret table while open and are gone from it after the close;
nothing changes after the close; the closing tally equals the latest ballots.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.voting.conftest import make_amendment, make_present
from voting import services, tally
from voting.models import Ballot, BallotEvent, Poll, SecretChoice

pytestmark = pytest.mark.django_db

ALL_CHOICES = list(tally.MAJORITY_CHOICES + tally.CONSENSUS_CHOICES) + ["maybe", ""]
REASONS = ["", "ยังไม่ครอบคลุมเด็กนอกระบบ", "x" * 501]


def lifecycle_machine(world, room, item):
    facilitator = world.facilitators[room.pk]
    voters = [world.delegate_of(p) for p in world.partners_in(room)] + [
        a for a in world.alternates if a.partner.room_id == room.pk
    ]
    outsider = world.delegate_of(world.partners_in(world.rooms[1])[0])

    class PollLifecycle(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each example runs in a savepoint rolled back at the end.
            self.savepoint = transaction.savepoint()
            self.poll = None
            self.expected: dict[int, tuple[str, str]] = {}
            self.events = 0
            self.frozen = None

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        @initialize(kind=st.sampled_from([Poll.Kind.CONSENSUS, Poll.Kind.AMENDMENT]),
                    secret=st.booleans())
        def create(self, kind, secret):
            options = {}
            if kind == Poll.Kind.AMENDMENT:
                options["amendment"] = make_amendment(world, item)
            self.poll = services.poll_create(
                room=room, kind=kind, actor=facilitator, secret=secret, **options
            )
            self.choices = (
                tally.CONSENSUS_CHOICES if kind == Poll.Kind.CONSENSUS
                else tally.MAJORITY_CHOICES
            )

        def status(self):
            self.poll.refresh_from_db()
            return self.poll.status

        @rule()
        def open(self):
            was = self.status()
            make_present(room, world.partners_in(room))  # presence keys expire
            if was == Poll.Status.DRAFT:
                services.poll_open(poll=self.poll, actor=facilitator)
                assert self.status() == Poll.Status.OPEN
            else:
                with pytest.raises(ValidationError):
                    services.poll_open(poll=self.poll, actor=facilitator)

        def _accepts(self, choice, reason) -> tuple[str, str] | None:
            if choice not in self.choices:
                return None
            if choice in ("concerns", "block"):
                reason = reason.strip()
                if not reason or len(reason) > 500:
                    return None
                return choice, reason
            return choice, ""

        @rule(voter=st.sampled_from(voters), choice=st.sampled_from(ALL_CHOICES),
              reason=st.sampled_from(REASONS))
        def cast(self, voter, choice, reason):
            state = self.status()
            accepted = self._accepts(choice, reason)
            if state != Poll.Status.OPEN or accepted is None:
                with pytest.raises(ValidationError):
                    services.ballot_cast(poll=self.poll, delegate=voter, choice=choice,
                                         reason=reason)
                return
            services.ballot_cast(poll=self.poll, delegate=voter, choice=choice,
                                 reason=reason)
            if self.expected.get(voter.partner_id) != accepted and not self.poll.secret:
                self.events += 1
            self.expected[voter.partner_id] = accepted

        @precondition(lambda self: self.expected)
        @rule(data=st.data())
        def resend(self, data):
            """A double tap or a resend after reconnecting: counts once."""
            partner_id = data.draw(st.sampled_from(sorted(self.expected)))
            voter = next(v for v in voters if v.partner_id == partner_id)
            choice, reason = self.expected[partner_id]
            if self.status() == Poll.Status.OPEN:
                services.ballot_cast(poll=self.poll, delegate=voter, choice=choice,
                                     reason=reason)
            else:
                with pytest.raises(ValidationError):
                    services.ballot_cast(poll=self.poll, delegate=voter,
                                         choice=choice, reason=reason)

        @rule(choice=st.sampled_from(ALL_CHOICES))
        def outsider_casts(self, choice):
            with pytest.raises(PermissionDenied):
                services.ballot_cast(poll=self.poll, delegate=outsider, choice=choice)

        @rule()
        def close(self):
            state = self.status()
            if state != Poll.Status.OPEN:
                with pytest.raises(ValidationError):
                    services.poll_close(poll=self.poll, actor=facilitator)
                return
            poll = services.poll_close(poll=self.poll, actor=facilitator)
            counted = Counter(choice for choice, _reason in self.expected.values())
            assert poll.counts == {c: counted.get(c, 0) for c in self.choices}
            assert poll.voting_count == len(self.expected)
            if poll.secret:  # the log is written at close, one per organisation
                self.events = len(self.expected)
            self.status()  # the rows are read from where a closed poll keeps them
            self.frozen = self.rows()

        def table(self):
            """Where the poll's ballots are now: a secret poll's, while open, in
            its secret table."""
            if self.poll.secret and self.poll.status != Poll.Status.CLOSED:
                return SecretChoice
            return Ballot

        def rows(self):
            return (
                sorted(self.table().objects.filter(poll=self.poll).values_list(
                    "partner", "choice", "reason")),
                BallotEvent.objects.filter(poll=self.poll).count(),
            )

        @invariant()
        def one_ballot_per_organisation(self):
            if self.poll is None:
                return
            self.status()
            partners = list(self.table().objects.filter(poll=self.poll).values_list(
                "partner", flat=True))
            assert len(partners) == len(set(partners)) == len(self.expected)

        @invariant()
        def ballots_are_the_latest_choices(self):
            if self.poll is None:
                return
            self.status()  # refresh: a close returns a new object
            rows, events = self.rows()
            assert events == self.events
            if self.frozen is not None:
                assert (rows, events) == self.frozen  # nothing after the close
            if self.poll.status == Poll.Status.CLOSED and self.poll.secret:
                assert all(choice == "" == reason for _p, choice, reason in rows)
            else:
                assert rows == sorted(
                    (p, c, r) for p, (c, r) in self.expected.items()
                )
            if self.poll.secret:
                assert not BallotEvent.objects.filter(poll=self.poll).exclude(
                    choice="").exists()
                if self.poll.status != Poll.Status.CLOSED:
                    assert not Ballot.objects.filter(poll=self.poll).exists()
                else:
                    assert not SecretChoice.objects.filter(poll=self.poll).exists()

    return PollLifecycle


def test_poll_lifecycle(world, room, item, present, no_effects):
    make_present(room, world.partners_in(room))
    machine = lifecycle_machine(world, room, item)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
