"""Phrasing from numbers: each case worked out by hand."""

import pytest

from reportgen import narrative as nv
from reportgen.indicators.result import IndicatorResult


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


def test_counts_are_not_compared_with_england():
    # Leicestershire adopted 37 in 2024-25; England 3,040; neighbour mean 32.
    r = result(value=37, england=3040, sn_mean=32.4)
    assert nv.comparator_clause(r) == "higher than the statistical neighbour average (32)"


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
        "The figure for care leavers aged 19 to 21 in touch in 2024-25 has not been published "
        "by the DfE; in 2023-24 it was 92%."
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
