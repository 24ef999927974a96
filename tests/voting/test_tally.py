"""The counting rules of an assembly, one voice per partner organisation."""

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting.tally import (
    CONSENSUS_CHOICES,
    MAJORITY_CHOICES,
    SIMPLE_MAJORITY,
    TWO_THIRDS,
    Choice,
    Gradient,
    consensus_outcome,
    count,
    fallback_outcome,
    majority_outcome,
    quorum_met,
    quorum_required,
)


def votes(yes=0, no=0, abstain=0):
    return {"yes": yes, "no": no, "abstain": abstain}


def gradient(full=0, support=0, live=0, concerns=0, block=0):
    return {
        "full": full,
        "support": support,
        "live": live,
        "concerns": concerns,
        "block": block,
    }


# Quorum


def test_quorum_of_65_partners_at_half_is_33():
    assert quorum_required(65) == 33
    assert quorum_met(65, 33, Fraction(1, 2))
    assert not quorum_met(65, 32, Fraction(1, 2))


def test_quorum_rounds_up_and_exact_share_suffices():
    assert quorum_required(64) == 32
    assert quorum_required(10, Fraction(2, 3)) == 7
    assert quorum_met(64, 32)


def test_no_entitled_partners_never_makes_a_quorum():
    assert quorum_required(0) == 0
    assert not quorum_met(0, 0)


@pytest.mark.parametrize("share", [Fraction(0), Fraction(3, 2), 0.5])
def test_quorum_share_must_be_a_fraction_in_zero_one(share):
    with pytest.raises(ValueError):
        quorum_required(10, share)


def test_more_present_than_entitled_is_refused():
    with pytest.raises(ValueError):
        quorum_met(10, 11)


# Counting


def test_count_lists_every_allowed_choice_even_when_unused():
    assert count(["yes", "yes", "abstain"], MAJORITY_CHOICES) == {
        "yes": 2,
        "no": 0,
        "abstain": 1,
    }
    assert count([], CONSENSUS_CHOICES) == gradient()


def test_count_accepts_enum_members_and_keys_by_plain_string():
    counts = count([Gradient.BLOCK, Gradient.LIVE], Gradient)
    assert counts == gradient(live=1, block=1)
    assert all(type(key) is str for key in counts)


def test_count_rejects_an_unknown_choice():
    with pytest.raises(ValueError, match="maybe"):
        count(["yes", "maybe"], MAJORITY_CHOICES)
    with pytest.raises(ValueError):
        count(["yes"], CONSENSUS_CHOICES)


# Majority of those voting


def test_simple_majority_tie_fails():
    outcome = majority_outcome(votes(yes=10, no=10, abstain=3))
    assert outcome.share_yes == Fraction(1, 2)
    assert not outcome.adopted


def test_simple_majority_one_more_yes_passes():
    assert majority_outcome(votes(yes=11, no=10)).adopted


def test_abstentions_count_as_voting_but_not_in_the_share():
    outcome = majority_outcome(votes(yes=2, no=1, abstain=40))
    assert outcome.voting == 43
    assert outcome.share_yes == Fraction(2, 3)
    assert outcome.adopted


@pytest.mark.parametrize("threshold", [SIMPLE_MAJORITY, TWO_THIRDS])
def test_all_abstain_or_empty_poll_adopts_nothing(threshold):
    for counts in (votes(abstain=5), votes(), {}):
        outcome = majority_outcome(counts, threshold)
        assert not outcome.adopted
        assert outcome.share_yes is None


def test_exactly_two_thirds_passes_a_two_thirds_rule():
    assert majority_outcome(votes(yes=20, no=10), TWO_THIRDS).adopted
    assert not majority_outcome(votes(yes=19, no=10), TWO_THIRDS).adopted  # 65.5%


def test_unanimous_yes_passes_a_threshold_of_one():
    assert majority_outcome(votes(yes=3), Fraction(1)).adopted
    assert not majority_outcome(votes(yes=3, no=1), Fraction(1)).adopted


def test_majority_rejects_unknown_keys_and_negative_counts():
    with pytest.raises(ValueError):
        majority_outcome({"yes": 1, "block": 1})
    with pytest.raises(ValueError):
        majority_outcome(votes(yes=-1))


def test_majority_outcome_as_dict_is_json_and_exact():
    data = majority_outcome(votes(yes=2, no=1), TWO_THIRDS).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["share_yes"] == "2/3"
    assert Fraction(data["share_yes"]) == Fraction(2, 3)
    assert data["share_yes_percent"] == 66.7
    assert data["threshold"] == "2/3"
    assert data["adopted"] is True


# Consensus


def test_exactly_four_fifths_support_reaches_consensus():
    outcome = consensus_outcome(
        gradient(full=20, support=10, live=10, concerns=10), entitled=65, present=50
    )
    assert outcome.share_support == Fraction(4, 5)
    assert outcome.reached
    assert outcome.reasons_failed == ()


def test_just_below_four_fifths_is_not_consensus():
    outcome = consensus_outcome(gradient(full=39, concerns=10), entitled=65, present=50)
    assert not outcome.reached
    assert outcome.reasons_failed == ("below_threshold",)


def test_a_single_block_defeats_99_percent_support():
    outcome = consensus_outcome(gradient(full=99, block=1), entitled=100, present=100)
    assert outcome.share_support == Fraction(99, 100)
    assert not outcome.reached
    assert outcome.reasons_failed == ("blocked",)


def test_without_quorum_there_is_no_consensus():
    outcome = consensus_outcome(gradient(full=30), entitled=65, present=32)
    assert not outcome.quorum_met
    assert not outcome.reached
    assert outcome.reasons_failed == ("no_quorum",)


def test_an_empty_consensus_poll_reports_no_votes():
    outcome = consensus_outcome({}, entitled=65, present=40)
    assert outcome.voting == 0
    assert outcome.share_support is None
    assert outcome.reasons_failed == ("no_votes",)


def test_every_failed_condition_is_reported_in_order():
    outcome = consensus_outcome(
        gradient(live=1, concerns=2, block=1), entitled=65, present=10
    )
    assert outcome.reasons_failed == ("no_quorum", "blocked", "below_threshold")


def test_can_live_with_it_counts_as_support_but_serious_concerns_do_not():
    outcome = consensus_outcome(gradient(live=4, concerns=1), entitled=5, present=5)
    assert outcome.supporting == 4
    assert outcome.reached


def test_consensus_refuses_more_votes_than_partners_present():
    with pytest.raises(ValueError):
        consensus_outcome(gradient(full=11), entitled=65, present=10)


def test_consensus_outcome_as_dict_is_json():
    outcome = consensus_outcome(gradient(full=9, block=1), entitled=20, present=10)
    data = outcome.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["counts"] == gradient(full=9, block=1)
    assert data["share_support"] == "9/10"
    assert data["share_support_percent"] == 90.0
    assert data["reasons_failed"] == ["blocked"]


def test_consensus_outcome_counts_are_read_only():
    outcome = consensus_outcome(gradient(full=3), entitled=3, present=3)
    with pytest.raises(TypeError):
        outcome.counts["block"] = 1


# Qualified-majority fallback


def test_fallback_counts_two_thirds_of_partners_present_not_of_those_voting():
    # 20 of 30 voting is two-thirds of those voting, but 45 partners are present.
    outcome = fallback_outcome(votes(yes=20, no=10), present=45)
    assert outcome.required_yes == 30
    assert not outcome.adopted
    assert majority_outcome(votes(yes=20, no=10), TWO_THIRDS).adopted


def test_fallback_exactly_two_thirds_of_present_passes():
    outcome = fallback_outcome(votes(yes=30, no=5, abstain=5), present=45)
    assert outcome.share_yes == Fraction(2, 3)
    assert outcome.adopted
    assert not fallback_outcome(votes(yes=29), present=45).adopted


def test_fallback_with_nobody_present_adopts_nothing():
    outcome = fallback_outcome({}, present=0)
    assert outcome.share_yes is None
    assert not outcome.adopted


def test_fallback_checks_quorum_only_when_asked():
    counts = votes(yes=10)
    assert fallback_outcome(counts, present=10).quorum_met is None
    assert fallback_outcome(counts, present=10).adopted
    no_quorum = fallback_outcome(counts, present=10, entitled=65)
    assert no_quorum.quorum_met is False
    assert not no_quorum.adopted


def test_fallback_refuses_more_votes_than_present():
    with pytest.raises(ValueError):
        fallback_outcome(votes(yes=5), present=4)


def test_fallback_outcome_as_dict_is_json():
    data = fallback_outcome(votes(yes=30), present=45, entitled=65).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["share_yes"] == "2/3"
    assert data["required_yes"] == 30
    assert data["adopted"] is True


# Properties

majority_ballots = st.lists(st.sampled_from(MAJORITY_CHOICES), max_size=200)
consensus_ballots = st.lists(st.sampled_from(CONSENSUS_CHOICES), max_size=200)
thresholds = st.sampled_from([SIMPLE_MAJORITY, TWO_THIRDS, Fraction(3, 4), Fraction(1)])


@given(majority_ballots)
def test_counts_sum_to_the_number_of_ballots(ballots):
    counts = count(ballots, MAJORITY_CHOICES)
    assert sum(counts.values()) == len(ballots)
    assert majority_outcome(counts).voting == len(ballots)


@given(consensus_ballots)
def test_consensus_counts_sum_to_the_number_of_ballots(ballots):
    counts = count(ballots, Gradient)
    assert sum(counts.values()) == len(ballots)


@given(majority_ballots, thresholds)
def test_adding_a_yes_never_turns_adopted_into_rejected(ballots, threshold):
    before = majority_outcome(count(ballots, Choice), threshold)
    after = majority_outcome(count([*ballots, "yes"], Choice), threshold)
    assert after.adopted or not before.adopted


@given(majority_ballots, thresholds)
def test_adding_a_no_never_turns_rejected_into_adopted(ballots, threshold):
    before = majority_outcome(count(ballots, Choice), threshold)
    after = majority_outcome(count([*ballots, "no"], Choice), threshold)
    assert before.adopted or not after.adopted


@given(majority_ballots, thresholds)
def test_an_abstention_never_changes_a_majority_decision(ballots, threshold):
    before = majority_outcome(count(ballots, Choice), threshold)
    after = majority_outcome(count([*ballots, "abstain"], Choice), threshold)
    assert before.adopted == after.adopted


@given(majority_ballots)
def test_adopted_by_two_thirds_implies_adopted_by_simple_majority(ballots):
    counts = count(ballots, Choice)
    if majority_outcome(counts, TWO_THIRDS).adopted:
        assert majority_outcome(counts, SIMPLE_MAJORITY).adopted


@given(majority_ballots, st.integers(min_value=0, max_value=50))
def test_fallback_adding_a_yes_never_turns_adopted_into_rejected(ballots, absent):
    present = len(ballots) + 1 + absent
    before = fallback_outcome(count(ballots, Choice), present=present)
    after = fallback_outcome(count([*ballots, "yes"], Choice), present=present)
    assert after.adopted or not before.adopted


@given(majority_ballots, st.integers(min_value=0, max_value=50))
def test_fallback_is_never_easier_than_two_thirds_of_those_voting(ballots, absent):
    counts = count(ballots, Choice)
    fallback = fallback_outcome(counts, present=len(ballots) + absent)
    if fallback.adopted:
        assert majority_outcome(counts, TWO_THIRDS).adopted


@given(consensus_ballots, st.integers(min_value=0, max_value=50))
def test_consensus_reached_iff_quorum_no_block_and_four_fifths(ballots, extra):
    present = len(ballots)
    entitled = present + extra
    counts = count(ballots, Gradient)
    outcome = consensus_outcome(counts, entitled=entitled, present=present)
    supporting = sum(1 for b in ballots if b in ("full", "support", "live"))
    expected = (
        entitled > 0
        and 2 * present >= entitled
        and "block" not in ballots
        and len(ballots) > 0
        and 5 * supporting >= 4 * len(ballots)
    )
    assert outcome.reached == expected
    assert outcome.reached == (outcome.reasons_failed == ())


@given(consensus_ballots, st.sampled_from(["full", "support", "live"]))
def test_one_more_supporter_never_breaks_a_consensus(ballots, level):
    present = len(ballots) + 1
    before = consensus_outcome(
        count(ballots, Gradient), entitled=present, present=present
    )
    after = consensus_outcome(
        count([*ballots, level], Gradient), entitled=present, present=present
    )
    assert after.reached or not before.reached


@given(st.integers(min_value=0, max_value=10_000), thresholds)
def test_quorum_required_is_the_smallest_count_reaching_the_share(entitled, share):
    required = quorum_required(entitled, share)
    assert required >= share * entitled
    assert required == 0 or required - 1 < share * entitled
