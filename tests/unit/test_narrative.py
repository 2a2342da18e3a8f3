"""Phrasing from numbers: each case worked out by hand."""

import pytest

from reportgen.indicators.result import IndicatorResult
from reportgen.report import narrative as nv


def result(**kw):
    base = dict(
        id="x",
        family="sufficiency",
        title="Children looked after at 31 March",
        unit="count",
        polarity="neutral",
        period="2024-25",
    )
    base.update(kw)
    return IndicatorResult(**base)


@pytest.mark.parametrize(
    ("value", "other", "unit", "expected"),
    [
        (47, 67, "rate", "lower than"),
        (75, 69, "percent", "higher than"),
        (54.6, 54.4, "percent", "similar to"),  # 55% v 54%: one point
        (10.4, 9.6, "percent", "the same as"),  # both show as 10%
        (100, 104, "rate", "similar to"),  # within 5%
        (100, 106, "rate", "lower than"),
    ],
)
def test_relation_uses_displayed_figures_and_tolerance(value, other, unit, expected):
    assert nv.relation(value, other, unit) == expected


def test_change_words_follow_polarity():
    # Leicestershire 2024 -> 2025: 725 -> 694 children looked after (neutral).
    assert nv.change_clause(result(value=694, previous=725), "2023-24") == (
        "a decrease from 725 in 2023-24"
    )
    # 3+ placements: lower is better, 9% -> 10% is a deterioration.
    worse = result(unit="percent", polarity="lower_is_better", value=10, previous=9)
    assert nv.change_clause(worse, "2023-24") == "worse than 9% in 2023-24"
    # care leavers in EET: higher is better, 57% -> 59% is an improvement.
    better = result(unit="percent", polarity="higher_is_better", value=59, previous=57)
    assert nv.change_clause(better, "2023-24") == "an improvement on 57% in 2023-24"
    assert nv.change_clause(result(value=5, previous=5), "2023-24") == "unchanged from 2023-24"


def test_counts_are_not_compared_with_england_or_the_neighbours():
    # Leicestershire adopted 37 in 2024-25; England 3,040; neighbour mean 32: a count compares
    # with neither (issue 16: Birmingham's 90 adoptions against a neighbour average of 28).
    r = result(value=37, england=3040, sn_mean=32.4)
    assert nv.comparator_clause(r) == ""


def test_no_comparison_against_missing_values():
    assert nv.change_clause(result(value=694, previous=None), "2023-24") == ""
    r = result(unit="rate", value=47, england=None, sn_mean=53.5)
    assert nv.comparator_clause(r) == "lower than the statistical neighbour average (54)"
    assert nv.comparator_clause(result(unit="rate", value=None, england=67)) == ""


def test_sentence_for_a_missing_figure_says_it_is_unavailable():
    r = result(
        title="Care leavers aged 19 to 21 in touch",
        unit="percent",
        value=None,
        marker="not published",
        previous=92,
    )
    text = nv.indicator_sentence(r, "{value} in touch", "2023-24")
    assert text == (
        "Care leavers aged 19 to 21 in touch: the DfE has not yet published the 2024-25 figure; "
        "in 2023-24 it was 92%."
    )
    assert "nan" not in text and "None" not in text


def test_full_sentence_with_change_and_comparators():
    r = result(
        unit="percent", polarity="higher_is_better", value=59, previous=59, england=54, sn_mean=53.8
    )
    text = nv.indicator_sentence(r, "{value} of care leavers were in EET", "2023-24")
    assert text == (
        "59% of care leavers were in EET, unchanged from 2023-24. This is higher than England "
        "(54%) and the statistical neighbour average (54%)."
    )
    assert nv.judgement(r, "higher than") == "better"


def test_five_year_comparison_is_added_when_the_trend_has_it():
    # Leicestershire CLA: 706 (2020-21), 725 (2023-24), 694 (2024-25): DfE published values.
    r = result(
        value=694,
        previous=725,
        trend={"2020-21": 706, "2021-22": 696, "2022-23": 681, "2023-24": 725, "2024-25": 694},
    )
    assert nv.indicator_sentence(r, "There were {value} children", "2023-24") == (
        "There were 694 children, a decrease from 725 in 2023-24; in 2020-21 it was 706."
    )


def test_first_year_with_no_previous_value():
    r = result(
        unit="percent",
        polarity="higher_is_better",
        value=59,
        previous=None,
        england=54,
        sn_mean=54,
        trend={"2024-25": 59},
    )
    assert nv.indicator_sentence(r, "{value} in EET", "2023-24") == (
        "59% in EET, higher than England (54%) and the statistical neighbour average (54%)."
    )


def test_suppressed_previous_gives_no_change_words():
    r = result(value=12, previous=None, previous_marker="c")
    assert nv.change_clause(r, "2023-24") == ""


def test_zero_counts_read_as_no_children():
    assert nv.count_phrase(0, "children") == "no children"
    assert nv.count_phrase(1, "child") == "1 child"
    assert nv.count_phrase(1, "children") == "1 child"
    assert nv.count_phrase(2, "children") == "2 children"
