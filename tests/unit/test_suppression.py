"""Disclosure control on hand-made results (expected values worked out by hand)."""

from __future__ import annotations

from reportgen.formatting import format_cell, format_value
from reportgen.indicators.result import IndicatorResult
from reportgen.suppression import DisclosurePolicy, apply


def r(id, value, unit="count", previous=None, trend=None):
    return IndicatorResult(
        id=id,
        family="sufficiency",
        title=id,
        unit=unit,
        polarity="neutral",
        period="2024-25",
        value=value,
        previous=previous,
        trend=trend or {},
    )


def by_id(results):
    return {x.id: x for x in results}


def test_small_counts_are_withheld_zero_and_five_are_not():
    out = by_id(apply([r("a", 0), r("b", 1), r("c", 4), r("d", 5), r("e", 4, previous=3)]))
    assert out["a"].value == 0 and out["d"].value == 5
    assert out["b"].value is None and out["b"].marker == "suppressed"
    assert out["c"].value is None
    assert out["e"].previous is None and out["e"].previous_marker == "suppressed"
    assert format_value(out["b"].value, "count", out["b"].marker) == "fewer than 5"
    assert format_cell(out["b"].value, "count", out["b"].marker) == "<5"


def test_trend_years_with_small_counts_are_blanked_with_their_rates():
    out = by_id(
        apply(
            [
                r("started", 30, trend={"2023-24": 3, "2024-25": 30}),
                r("started_rate_per_10k", 2.0, unit="rate", trend={"2023-24": 0.2, "2024-25": 2.0}),
            ]
        )
    )
    assert out["started"].trend == {"2023-24": None, "2024-25": 30}
    assert out["started_rate_per_10k"].trend == {"2023-24": None, "2024-25": 2.0}


def test_secondary_suppression_protects_the_total():
    # ceased 40 = adopted 3 + sgo 6 + home 20 + independent 7 + other 4:
    # 3 and 4 are primary; two parts withheld, so no secondary needed.
    parts = {
        "ceased_adopted": 3,
        "ceased_sgo": 6,
        "ceased_returned_home": 20,
        "ceased_independent_living": 7,
        "ceased_other": 4,
    }
    out = by_id(apply([r("ceased", 40)] + [r(k, v) for k, v in parts.items()]))
    assert [k for k in parts if out[k].value is None] == ["ceased_adopted", "ceased_other"]
    # with other = 8 only adopted is primary: 40 - 6 - 20 - 7 - 8 would give 3 away, so the
    # smallest shown part (sgo, 6) is withheld as well
    parts["ceased_other"] = 8
    out = by_id(apply([r("ceased", 40)] + [r(k, v) for k, v in parts.items()]))
    assert out["ceased_adopted"].marker == "suppressed"
    assert out["ceased_sgo"].value is None and out["ceased_sgo"].marker == "secondary"
    assert out["ceased_independent_living"].value == 7
    assert format_value(None, "count", "secondary") == "withheld to protect a small number"


def test_percentages_follow_their_counts():
    # 2 placed with parents out of 50: the count and its percentage (4%) are withheld;
    # 3+ placements 6% of 50 = 3 children: withheld (worked back from the denominator)
    out = by_id(
        apply(
            [
                r("cla_at_end", 50),
                r("placement_with_parents", 2),
                r("placement_with_parents_pct", 4.0, unit="percent"),
                r("placement_foster", 40),
                r("placement_foster_pct", 80.0, unit="percent"),
                r("placement_childrens_homes", 8),
                r("placement_childrens_homes_pct", 16.0, unit="percent"),
                r("stability_3plus_pct", 6.0, unit="percent"),
                r("placed_over_20_miles_pct", 20.0, unit="percent"),
            ]
        )
    )
    assert out["placement_with_parents_pct"].value is None
    # secondary: the smallest other placement (children's homes, 8) and its percentage
    assert out["placement_childrens_homes"].marker == "secondary"
    assert out["placement_childrens_homes_pct"].marker == "secondary"
    assert out["placement_foster_pct"].value == 80.0
    assert out["stability_3plus_pct"].value is None
    assert out["placed_over_20_miles_pct"].value == 20.0  # 10 children


def test_policy_threshold_is_configurable():
    out = by_id(apply([r("a", 7), r("b", 12)], DisclosurePolicy(min_count=10)))
    assert out["a"].value is None and out["b"].value == 12


def test_percentages_of_a_withheld_denominator_are_withheld():
    # 3 care leavers aged 19 to 21: the cohort and every percentage of it are withheld
    out = by_id(
        apply(
            [
                r("cl_19_21_count", 3),
                r("cl_19_21_eet_pct", 100.0, unit="percent"),
                r("cla_at_end", 4),
                r("placed_outside_la_pct", 100.0, unit="percent"),
            ]
        )
    )
    assert out["cl_19_21_eet_pct"].value is None and out["cl_19_21_eet_pct"].marker == "suppressed"
    assert out["placed_outside_la_pct"].value is None


def test_monthly_dashboard_withholds_small_counts_and_their_percentages():
    from reportgen.suppression import monthly

    table = {
        "2025-01": {"cla_at_end": 40, "started": 3, "ceased": 0, "placed_outside_la_pct": 25.0},
        "2025-02": {"cla_at_end": 4, "started": 6, "ceased": None, "placed_outside_la_pct": 50.0},
    }
    assert monthly(table) == {
        "2025-01": {
            "cla_at_end": 40,
            "started": "suppressed",
            "ceased": 0,
            "placed_outside_la_pct": 25.0,
        },
        "2025-02": {
            "cla_at_end": "suppressed",
            "started": 6,
            "ceased": None,
            "placed_outside_la_pct": "suppressed",
        },
    }
