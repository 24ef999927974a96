"""The timeline as a state machine: any sequence of attempts by anyone leaves exactly
the accepted entries, in order, and the current state is the latest accepted one."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolutions import selectors, services
from resolutions.models import ProgressUpdate

pytestmark = pytest.mark.django_db

ROLES = ["owner", "supporter", "secretariat", "other"]
attempt = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["update", "note", "correction"]),
        "role": st.sampled_from(ROLES),
        "percent": st.integers(-5, 105),
        "days_ago": st.integers(-2, 400),
        "narrative": st.sampled_from(["", "  ", "ดำเนินการแล้ว", "<b>x</b>"]),
        "status": st.sampled_from(["on_track", "at_risk", "done", "bogus"]),
    }
)


def accepted(a) -> bool:
    may = {"update": "owner", "note": "supporter", "correction": "secretariat"}
    if a["role"] != may[a["kind"]]:
        return False
    if not a["narrative"].strip() or a["days_ago"] < 0:
        return False
    if a["kind"] == "note":
        return True
    return 0 <= a["percent"] <= 100 and a["status"] != "bogus"


def attempt_it(res, people, a):
    today = timezone.localdate()
    common = {
        "resolution": res,
        "actor": people[a["role"]],
        "narrative": a["narrative"],
        "refers_to": today - timedelta(days=a["days_ago"]),
    }
    if a["kind"] == "note":
        return services.progress_note(**common)
    fields = {**common, "status": a["status"], "percent": a["percent"]}
    if a["kind"] == "correction":
        return services.progress_correct(**fields, reason="ตรวจทาน")
    return services.progress_post(**fields)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(attempts=st.lists(attempt, max_size=10))
def test_any_sequence_of_attempts_keeps_the_timeline_consistent(adopted, attempts):
    res = adopted.resolutions[0]
    w = adopted.world
    supporter = w.partners[3].organisation
    res.supporters.add(supporter)
    people = {
        "owner": w.staff[res.owner_id],
        "supporter": w.staff[supporter.pk],
        "secretariat": w.secretariat,
        "other": w.staff[w.partners[4].organisation_id],
    }
    with transaction.atomic():
        expected = []
        for a in attempts:
            try:
                attempt_it(res, people, a)
            except (PermissionDenied, ValidationError):
                assert not accepted(a), a
            else:
                assert accepted(a), a
                expected.append(
                    (a["kind"], None if a["kind"] == "note" else a["percent"])
                )

        entries = selectors.timeline(res)
        assert [(e.kind, e.percent) for e in entries] == expected
        row = selectors.rows_of([res], interval_days=90)[0]
        progress = [p for kind, p in expected if kind != "note"]
        assert row.percent == (progress[-1] if progress else None)
        transaction.set_rollback(True)
    assert ProgressUpdate.objects.count() == 0
