"""The draft and its amendments as a state machine (hypothesis).

Any sequence of proposals, facilitator steps, decisions and re-entered drafts
keeps the draft's history exact: versions numbered 1, 2, 3 ...; in each version
at least one clause, numbered 1..n with distinct keys; every adopted or merged amendment made
exactly the version it points to; every pending amendment that the draft moved
away from is marked as needing an update.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from agenda import services
from agenda.models import Amendment, DraftVersion
from tests import factories

WORDS = ["ให้", "ภาคีเครือข่าย", "เฝ้าระวัง", "ติดตาม", "ประเมินผล", "เด็กปฐมวัย",
         "ทุกอำเภอ", "<b>", "และ"]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)


class DraftMachine(RuleBasedStateMachine):
    amendments = Bundle("amendments")

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.world = factories.world(partners=4, rooms=1, alternates=0)
        self.item = factories.agenda_item(self.world)
        self.fac = self.world.facilitators[self.item.room_id]
        self.draft_sets = 0

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def keys(self) -> list[int]:
        version = self.item.versions.order_by("-number").first()
        return list(version.clauses.order_by("position").values_list("key", flat=True))

    @rule(target=amendments, who=st.integers(0, 3),
          kind=st.sampled_from(Amendment.Kind.values), pick=st.integers(0, 9),
          text=texts)
    def submit(self, who, kind, pick, text):
        keys = self.keys()
        target = None if (kind == "insert" and pick == 9) else keys[pick % len(keys)]
        try:
            return services.amendment_submit(
                item=self.item, delegate=self.world.delegates[who], kind=kind,
                target_key=target, text=text, rationale="")
        except ValidationError:
            return None

    @rule(amendment=amendments, step=st.sampled_from(
        ["accept", "rule_out", "withdraw", "merge", "adopt", "reject",
         "adopt_over_conflict"]))
    def act(self, amendment, step):
        if amendment is None:
            return
        amendment.refresh_from_db()
        calls = {
            "accept": lambda: services.amendment_accept(amendment=amendment,
                                                        actor=self.fac),
            "rule_out": lambda: services.amendment_rule_out(
                amendment=amendment, actor=self.fac, reason="นอกประเด็น"),
            "withdraw": lambda: services.amendment_withdraw(
                amendment=amendment, delegate=amendment.proposed_by),
            "merge": lambda: (
                services.amendment_consent(amendment=amendment,
                                           delegate=amendment.proposed_by),
                services.amendment_merge(amendment=amendment, actor=self.fac)),
            "adopt": lambda: services.amendment_decide(amendment=amendment,
                                                       adopted=True, actor=self.fac),
            "adopt_over_conflict": lambda: services.amendment_decide(
                amendment=amendment, adopted=True, actor=self.fac,
                over_conflict=True),
            "reject": lambda: services.amendment_decide(amendment=amendment,
                                                        adopted=False, actor=self.fac),
        }
        was_pending = amendment.is_pending
        flagged = amendment.needs_update
        keys_before = self.keys()
        applies = step in ("merge", "adopt", "adopt_over_conflict")
        try:
            calls[step]()
        except (ValidationError, PermissionDenied):
            amendment.refresh_from_db()
            # only a decided amendment, one whose clause is gone, a delete of the
            # draft's last clause (a draft keeps one), or a flagged amendment
            # applied without the facilitator's explicit choice is refused
            gone = amendment.target_key not in self.keys()
            last = (amendment.kind == "delete"
                    and keys_before == [amendment.target_key])
            unchosen = flagged and step in ("merge", "adopt")
            assert (not was_pending or step == "accept" or gone
                    or (last and applies) or unchosen)
        else:
            assert not (applies and amendment.kind == "delete"
                        and keys_before == [amendment.target_key])
            # the guard: a flagged amendment is never applied without the choice
            assert not (was_pending and flagged and step in ("merge", "adopt"))
            amendment.refresh_from_db()
            if applies and amendment.status in ("adopted", "merged"):
                assert amendment.adopted_over_conflict == flagged

    @rule(drop=st.integers(0, 9), text=texts)
    def re_enter(self, drop, text):
        version = self.item.versions.order_by("-number").first()
        clauses = list(version.clauses.order_by("position").values_list("text",
                                                                        flat=True))
        if len(clauses) > 1:
            del clauses[drop % len(clauses)]
        clauses.append(text)
        try:
            services.draft_set(item=self.item, preamble=version.preamble,
                               clauses=clauses, actor=self.world.secretariat)
            self.draft_sets += 1
        except ValidationError:
            pass

    @invariant()
    def versions_are_numbered_in_order(self):
        numbers = list(self.item.versions.order_by("number").values_list("number",
                                                                         flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        applied = Amendment.objects.filter(
            item=self.item, status__in=["adopted", "merged"]).count()
        assert len(numbers) == 1 + applied + self.draft_sets

    @invariant()
    def clauses_are_numbered_with_distinct_keys(self):
        for version in DraftVersion.objects.filter(item=self.item):
            rows = list(version.clauses.order_by("position").values_list("position",
                                                                         "key"))
            assert rows, "a version without a clause"
            assert [p for p, _ in rows] == list(range(1, len(rows) + 1))
            assert len({k for _, k in rows}) == len(rows)

    @invariant()
    def applied_amendments_made_their_version(self):
        for a in Amendment.objects.filter(item=self.item,
                                          status__in=["adopted", "merged"]):
            assert a.resulting_version.amendment_id == a.pk
            assert a.decided_at is not None

    @invariant()
    def pending_amendments_on_missing_clauses_need_an_update(self):
        keys = set(self.keys())
        for a in Amendment.objects.filter(item=self.item, status__in=Amendment.PENDING):
            if a.target_key is not None and a.target_key not in keys:
                assert a.needs_update


@pytest.mark.django_db
def test_draft_lifecycle(settings_fast):
    run_state_machine_as_test(
        DraftMachine,
        settings=settings(max_examples=15, stateful_step_count=20, deadline=None,
                          suppress_health_check=list(HealthCheck)),
    )


@pytest.fixture
def settings_fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
