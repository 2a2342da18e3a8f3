"""What drove a change: decomposition, choice of drivers and the sentences (hand-worked)."""

from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest

import reportgen.analysis.drivers as drivers_module
from reportgen.analysis.drivers import (
    UNKNOWN,
    decompose,
    describe_driver,
    group_phrase,
    main_drivers,
    published_breakdowns,
)


def _s(**counts: float) -> pd.Series:
    return pd.Series(counts, dtype=float)


def test_docstring_examples():
    failures, attempted = doctest.testmod(drivers_module)
    assert attempted > 0
    assert failures == 0


def test_two_groups_by_hand():
    # a: 10 -> 4 (change -6), b: 20 -> 23 (+3); total 30 -> 27 (-3).
    # Shares of the change: a -6 / -3 = 2.0 (more than accounts for it), b +3 / -3 = -1.0.
    result = decompose(_s(a=10, b=20), _s(a=4, b=23))
    assert result.total_previous == 30 and result.total_current == 27
    assert result.total_change == -3
    assert result.groups.loc["a", "change"] == -6
    assert result.groups.loc["a", "share"] == pytest.approx(2.0)
    assert result.groups.loc["b", "share"] == pytest.approx(-1.0)
    assert result.groups["share"].sum() == pytest.approx(1.0)
    assert result.more_than_accounts() == ["a"]
    # Score: a's share of the change minus its share of the previous total: 2.0 - 10/30 = 1.6667.
    (driver,) = main_drivers({"groups": (_s(a=10, b=20), _s(a=4, b=23))}, n=1)
    assert driver.group == "a"
    assert driver.score == pytest.approx(2.0 - 10 / 30)
    assert describe_driver(driver) == (
        "The fall from 30 to 27 children looked after is more than accounted for by a (10 to 4)."
    )


def test_mostly_among_by_hand():
    # a: 50 -> 58 (+8), b: 50 -> 52 (+2); total 100 -> 110. a's share 8 / 10 = 0.8.
    (driver,) = main_drivers({"x": (_s(a=50, b=50), _s(a=58, b=52))}, n=1)
    assert driver.share == pytest.approx(0.8)
    assert driver.score == pytest.approx(0.8 - 0.5)
    assert describe_driver(driver, what="children starting to be looked after") == (
        "The rise from 100 to 110 children starting to be looked after was mostly among a "
        "(50 to 58)."
    )


def test_exactly_accounted_for():
    # a: 10 -> 15 (+5), b unchanged: a accounts for the whole rise (share 1).
    (driver,) = main_drivers({"x": (_s(a=10, b=20), _s(a=15, b=20))})
    assert describe_driver(driver) == (
        "The rise from 30 to 35 children looked after is accounted for by a (10 to 15)."
    )


def test_spread_across_groups():
    # a: 10 -> 14 (+4), b: 30 -> 33 (+3), c: 60 -> 63 (+3); total 100 -> 110.
    # Shares 0.4, 0.3, 0.3; sizes 0.1, 0.3, 0.6; scores 0.3, 0.0, -0.3: a is chosen, but it
    # accounts for less than half of the rise.
    (driver,) = main_drivers({"x": (_s(a=10, b=30, c=60), _s(a=14, b=33, c=63))})
    assert driver.group == "a" and driver.score == pytest.approx(0.3)
    assert describe_driver(driver) == (
        "The rise from 100 to 110 children looked after was spread across groups; the largest "
        "part was among a (10 to 14)."
    )


def test_proportional_change_has_no_driver():
    # Every group grew by 10%: nobody accounts for more than their size.
    assert main_drivers({"x": (_s(a=10, b=30), _s(a=11, b=33))}) == []


def test_zero_total_change():
    # a: 10 -> 15 (+5), b: 20 -> 15 (-5): the total stays 30; shares are undefined. Both moved 5
    # of the gross 10 (score 0.5); the first wins the tie.
    result = decompose(_s(a=10, b=20), _s(a=15, b=15))
    assert result.unchanged and result.groups["share"].isna().all()
    (driver,) = main_drivers({"x": (_s(a=10, b=20), _s(a=15, b=15))})
    assert driver.group == "a" and driver.score == pytest.approx(0.5)
    assert describe_driver(driver) == (
        "The number of children looked after did not change (30); a rise among a (10 to 15) "
        "was offset by changes in other groups."
    )


def test_suppressed_groups_with_totals_become_unknown():
    # b is suppressed in the previous year: it joins "unknown" with the remainder.
    # Previous: total 20, known a 10 + c 5 = 15, unknown 5. Current: total 14, a 6 + c 5 = 11,
    # unknown 3. Change -6: a -4 (share 0.667), unknown -2 (0.333), c 0.
    result = decompose(
        _s(a=10, b=math.nan, c=5), _s(a=6, b=3, c=5), total_previous=20, total_current=14
    )
    assert result.complete
    assert list(result.groups.index) == ["a", "c", UNKNOWN]
    assert result.groups.loc[UNKNOWN, ["previous", "current"]].tolist() == [5, 3]
    assert result.groups.loc["a", "share"] == pytest.approx(4 / 6)
    assert result.groups["share"].sum() == pytest.approx(1.0)
    # "unknown" never wins, even when it moved most: total 40 -> 20; a 10 -> 2 (-8, share 0.4,
    # size 0.25, score 0.15); unknown 30 -> 18 (-12).
    breakdown = {"x": (_s(a=10, b=math.nan), _s(a=2, b=math.nan))}
    (driver,) = main_drivers(breakdown, total_previous=40, total_current=20)
    assert driver.group == "a" and driver.score == pytest.approx(0.15)


def test_suppressed_groups_without_totals():
    result = decompose(_s(a=10, b=math.nan), _s(a=6, b=2))
    assert not result.complete
    assert math.isnan(result.groups.loc[UNKNOWN, "previous"])
    assert result.total_change == -4  # the known groups only


def test_group_missing_in_one_year_is_unknown_not_zero():
    result = decompose(_s(a=10, b=5), _s(a=12), total_previous=15, total_current=20)
    assert result.groups.loc[UNKNOWN, ["previous", "current"]].tolist() == [5, 8]


def test_decompose_input_errors():
    with pytest.raises(ValueError, match="reserved"):
        decompose(_s(unknown=1), _s(unknown=2))
    with pytest.raises(ValueError, match="negative"):
        decompose(_s(a=-1), _s(a=2))
    with pytest.raises(ValueError, match="both totals"):
        decompose(_s(a=1), _s(a=2), total_previous=1)
    with pytest.raises(ValueError, match="more than the total"):
        decompose(_s(a=10), _s(a=2), total_previous=5, total_current=2)


def test_main_drivers_ranks_breakdowns():
    # Total 100 -> 90 in both breakdowns.
    # "age": old 40 -> 30 (-10, share 1.0, size 0.4, score 0.6), young 60 -> 60.
    # "status": s1 10 -> 2 (-8, share 0.8, size 0.1, score 0.7), s2 90 -> 88.
    breakdowns = {
        "age": (_s(old=40, young=60), _s(old=30, young=60)),
        "status": (_s(s1=10, s2=90), _s(s1=2, s2=88)),
    }
    ranked = main_drivers(breakdowns, n=2)
    assert [(d.breakdown, d.group) for d in ranked] == [("status", "s1"), ("age", "old")]
    assert [d.score for d in ranked] == pytest.approx([0.7, 0.6])
    assert len(main_drivers(breakdowns, n=1)) == 1


def test_group_phrases():
    assert group_phrase("Unaccompanied asylum-seeking children") == (
        "unaccompanied asylum-seeking children"
    )
    assert group_phrase("LA of placement") == "LA of placement"
    older = {"16 years and over": 10, "other": 10}
    (driver,) = main_drivers({"age": (_s(**older), _s(**{**older, "16 years and over": 20}))})
    assert describe_driver(driver) == (
        "The rise from 20 to 30 children looked after is accounted for by young people aged 16 "
        "and over (10 to 20)."
    )
    assert "by older children (10 to 20)" in describe_driver(
        driver, labels={"16 years and over": "older children"}
    )


def test_never_claims_a_cause():
    cases = [
        ({"x": (_s(a=10, b=20), _s(a=4, b=23))}),
        ({"x": (_s(a=50, b=50), _s(a=58, b=52))}),
        ({"x": (_s(a=10, b=20), _s(a=15, b=15))}),
        ({"x": (_s(a=10, b=30, c=60), _s(a=14, b=33, c=63))}),
    ]
    for breakdowns in cases:
        for driver in main_drivers(breakdowns):
            sentence = describe_driver(driver).lower()
            for word in ("because", "due to", "caused", "driven by", "result of"):
                assert word not in sentence


def test_leicestershire_2024_25_against_the_dfe_tables():
    # DfE, children looked after at 31 March: Leicestershire (855) 725 in 2024 and 694 in 2025;
    # unaccompanied asylum-seeking children 111 and 74. The fall of 31 is more than accounted for
    # by the fall of 37 in unaccompanied asylum-seeking children (share 37 / 31 = 1.19; they were
    # 111 / 725 = 15% of children, so the score is 1.19 - 0.15 = 1.04, the highest breakdown).
    breakdowns, totals = published_breakdowns("855", 2024, 2025)
    assert totals == (725, 694)
    previous, current = breakdowns["UASC status"]
    assert previous["Unaccompanied asylum-seeking children"] == 111
    assert current["Unaccompanied asylum-seeking children"] == 74
    ranked = main_drivers(breakdowns, n=2, total_previous=totals[0], total_current=totals[1])
    first = ranked[0]
    assert (first.breakdown, first.group) == (
        "UASC status",
        "Unaccompanied asylum-seeking children",
    )
    assert first.share == pytest.approx(37 / 31)
    assert first.score == pytest.approx(37 / 31 - 111 / 725)
    assert describe_driver(first) == (
        "The fall from 725 to 694 children looked after is more than accounted for by "
        "unaccompanied asylum-seeking children (111 to 74)."
    )
