"""Rolling up the progress of adopted resolutions."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolutions.progress import (
    assembly_progress,
    is_stale,
    item_progress,
    percent_display,
)

# item_progress


def test_an_item_without_resolutions_has_no_progress():
    assert item_progress([]) is None


def test_resolutions_weigh_equally_without_weights():
    assert item_progress([(100, None), (50, None), (0, None)]) == 50


def test_a_resolution_nobody_reported_on_counts_as_zero():
    assert item_progress([(90, None), (None, None)]) == 45


def test_weights_are_normalised():
    assert item_progress([(100, 3), (0, 1)]) == 75
    assert item_progress([(100, 30), (0, 10)]) == 75


def test_decimal_and_fraction_weights_stay_exact():
    assert item_progress([(100, Decimal("0.1")), (0, Decimal("0.2"))]) == Fraction(
        100, 3
    )
    assert item_progress([(60, Fraction(1, 3)), (0, Fraction(2, 3))]) == 20


def test_a_missing_weight_beside_given_weights_counts_as_one():
    assert item_progress([(100, 3), (0, None)]) == 75


@pytest.mark.parametrize(
    "weight", [0, -1, Decimal("0"), Decimal("-0.5"), Decimal("NaN"), 0.5, True]
)
def test_weights_must_be_positive_exact_numbers(weight):
    with pytest.raises(ValueError):
        item_progress([(50, weight)])


@pytest.mark.parametrize("percent", [-1, 101, 50.0, True])
def test_percents_must_be_whole_numbers_from_0_to_100(percent):
    with pytest.raises(ValueError):
        item_progress([(percent, None)])


# assembly_progress


def test_assembly_progress_averages_items_that_have_resolutions():
    assert assembly_progress([Fraction(100), None, Fraction(50)]) == 75


def test_assembly_progress_is_none_without_any_resolutions():
    assert assembly_progress([]) is None
    assert assembly_progress([None, None]) is None


def test_assembly_progress_is_a_plain_not_a_weighted_average():
    first = item_progress([(100, None)])
    second = item_progress([(0, None), (0, None), (0, None)])
    assert assembly_progress([first, second]) == 50


# is_stale

ADOPTED = date(2023, 11, 24)


def test_exactly_the_interval_is_not_yet_stale():
    assert not is_stale(None, ADOPTED, ADOPTED + timedelta(days=90))
    assert is_stale(None, ADOPTED, ADOPTED + timedelta(days=91))


def test_staleness_counts_from_the_last_update():
    last = date(2024, 3, 1)
    assert not is_stale(last, ADOPTED, last + timedelta(days=90))
    assert is_stale(last, ADOPTED, last + timedelta(days=91))


def test_a_custom_interval_is_respected():
    assert is_stale(None, ADOPTED, ADOPTED + timedelta(days=31), interval_days=30)
    assert not is_stale(None, ADOPTED, ADOPTED + timedelta(days=30), interval_days=30)


def test_a_date_before_adoption_is_not_stale():
    assert not is_stale(None, ADOPTED, ADOPTED - timedelta(days=400))


def test_a_negative_interval_is_refused():
    with pytest.raises(ValueError):
        is_stale(None, ADOPTED, ADOPTED, interval_days=-1)


# percent_display


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, None),
        (Fraction(0), 0),
        (Fraction(125, 2), 63),
        (Fraction(249, 2), 125),
        (Fraction(100, 3), 33),
        (Fraction(200, 3), 67),
        (Fraction(1, 2), 1),
        (Fraction(100), 100),
    ],
)
def test_percent_display_rounds_half_up(value, shown):
    assert percent_display(value) == shown


# Properties

entries = st.lists(
    st.tuples(
        st.none() | st.integers(min_value=0, max_value=100),
        st.none()
        | st.integers(min_value=1, max_value=1000)
        | st.fractions(min_value=Fraction(1, 1000), max_value=1000),
    ),
    min_size=1,
    max_size=30,
)


@given(entries)
def test_item_progress_lies_between_the_lowest_and_highest_percent(resolutions):
    progress = item_progress(resolutions)
    percents = [p or 0 for p, _ in resolutions]
    assert min(percents) <= progress <= max(percents)
    assert 0 <= percent_display(progress) <= 100


@given(entries, st.integers(min_value=2, max_value=50))
def test_scaling_every_weight_leaves_item_progress_unchanged(resolutions, factor):
    weighted = [(p, 1 if w is None else w) for p, w in resolutions]
    scaled = [(p, w * factor) for p, w in weighted]
    assert item_progress(weighted) == item_progress(scaled)


@given(st.lists(st.none() | st.fractions(min_value=0, max_value=100), max_size=20))
def test_assembly_progress_lies_between_its_items(items):
    progress = assembly_progress(items)
    known = [i for i in items if i is not None]
    if not known:
        assert progress is None
    else:
        assert min(known) <= progress <= max(known)
