"""Disclosure control on hand-made results (expected values worked out by hand)."""

from __future__ import annotations

from reportgen.analysis.suppression import DisclosurePolicy, apply
from reportgen.core.formatting import format_cell, format_value
from reportgen.indicators.result import IndicatorResult
from reportgen.report.assemble import trend_table


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
    # the trend table says why a year is empty: '<5' (withheld), not 'n/a' (not applicable)
    assert out["started"].trend_markers == {"2023-24": "suppressed"}
    assert out["started_rate_per_10k"].trend_markers == {"2023-24": "suppressed"}
    row = trend_table([out["started"]], "caption", "2024-25").rows[0]
    assert row[1:3] == ("<5", "30")


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
    from reportgen.analysis.suppression import monthly

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
            "started": "secondary",  # 3 + 6 starts in the year would give the 3 away
            "ceased": None,
            "placed_outside_la_pct": "suppressed",
        },
    }


def test_secondary_suppression_goes_on_while_the_withheld_parts_can_be_worked_out():
    # 27 children by age: 0, 1, 5, 9, 12. The 1 is withheld ("fewer than 5"); withholding the 5
    # alone leaves 27 - 21 = 6 withheld children, one of 1 to 4 and one of 5 or more: only 1 + 5
    # fits, so the 9 is withheld too (6 + 9 = 15 withheld: 1 + 14, 2 + 13, ... many answers).
    ages = {
        "cla_by_age_under_1": 0,
        "cla_by_age_1_4": 1,
        "cla_by_age_5_9": 5,
        "cla_by_age_10_15": 9,
        "cla_by_age_16_plus": 12,
    }
    out = by_id(apply([r("cla_at_end", 27)] + [r(k, v) for k, v in ages.items()]))
    assert out["cla_by_age_1_4"].marker == "suppressed"
    assert out["cla_by_age_5_9"].marker == "secondary"
    assert out["cla_by_age_10_15"].marker == "secondary"
    assert out["cla_by_age_16_plus"].value == 12 and out["cla_by_age_under_1"].value == 0
    assert out["cla_at_end"].value == 27


def test_the_total_is_withheld_when_its_parts_cannot_protect_a_small_one():
    # 7 children: 5 fostered, 1 in a children's home, 1 in supported accommodation, none
    # elsewhere. The two 1s add up to 7 - 5 = 2: both are 1. Withholding the 5 as well leaves
    # 7 = x + y + z with x, y of 1 to 4 and z of 5 or more: still 1, 1 and 5. Zero is shown,
    # so only withholding the total (and its rate) protects them.
    placements = {
        "placement_foster": 5,
        "placement_childrens_homes": 1,
        "placement_supported_accommodation": 1,
        "placement_with_parents": 0,
        "placement_other": 0,
    }
    out = by_id(
        apply(
            [r("cla_at_end", 7), r("cla_rate_per_10k", 83.0, unit="rate")]
            + [r(k, v) for k, v in placements.items()]
            + [r("placement_foster_pct", 71.4, unit="percent")]
        )
    )
    assert out["placement_childrens_homes"].marker == "suppressed"
    assert out["placement_foster"].marker == "secondary"
    assert out["placement_foster_pct"].value is None
    assert out["cla_at_end"].value is None and out["cla_at_end"].marker == "secondary"
    assert out["cla_rate_per_10k"].value is None
    assert out["placement_with_parents"].value == 0


def test_trend_years_get_the_same_protection():
    # 2020-21: 34 children, 8.8% with 3 or more placements = 3 children: withheld.
    # 2024-25: 27 children, 40.7% = 11 children: shown.
    # 2022-23: ceased 20 = adopted 2 + sgo 6 + home 12 (+ 0 + 0): the 2 is withheld, and the
    # 6 (sgo, also shown as its twin "sgo" in the adoption family) is withheld as well.
    trend = {"2020-21": 34, "2022-23": 28, "2024-25": 27}
    out = by_id(
        apply(
            [
                r("cla_at_end", 27, trend=trend),
                r(
                    "stability_3plus_pct",
                    40.7,
                    unit="percent",
                    trend={"2020-21": 8.8, "2022-23": 50.0, "2024-25": 40.7},
                ),
                r("ceased", 30, trend={"2022-23": 20, "2024-25": 30}),
                r("ceased_adopted", 10, trend={"2022-23": 2, "2024-25": 10}),
                r("ceased_sgo", 8, trend={"2022-23": 6, "2024-25": 8}),
                r("ceased_returned_home", 12, trend={"2022-23": 12, "2024-25": 12}),
                r("ceased_independent_living", 0, trend={"2022-23": 0, "2024-25": 0}),
                r("ceased_other", 0, trend={"2022-23": 0, "2024-25": 0}),
                r("sgo", 8, trend={"2022-23": 6, "2024-25": 8}),
                r("sgo_pct_of_ceased", 26.7, unit="percent", trend={"2022-23": 30.0}),
            ]
        )
    )
    assert out["stability_3plus_pct"].trend == {"2020-21": None, "2022-23": 50.0, "2024-25": 40.7}
    assert out["ceased_adopted"].trend == {"2022-23": None, "2024-25": 10}
    assert out["ceased_sgo"].trend == {"2022-23": None, "2024-25": 8}
    assert out["sgo"].trend == {"2022-23": None, "2024-25": 8}
    assert out["sgo_pct_of_ceased"].trend == {"2022-23": None}
    assert out["ceased_returned_home"].trend == {"2022-23": 12, "2024-25": 12}


def test_a_part_withheld_to_protect_another_is_withheld_under_its_twin_id():
    # ceased 40 = adopted 6 + sgo 3 + home 20 + independent 11 + other 0: sgo is withheld,
    # adopted (6, the smallest other part) too, and so is "adopted" in the adoption family
    # (the same children) with its percentage of all who ceased.
    parts = {
        "ceased_adopted": 6,
        "ceased_sgo": 3,
        "ceased_returned_home": 20,
        "ceased_independent_living": 11,
        "ceased_other": 0,
    }
    out = by_id(
        apply(
            [r("ceased", 40), r("adopted", 6), r("adopted_pct_of_ceased", 15.0, unit="percent")]
            + [r(k, v) for k, v in parts.items()]
        )
    )
    assert out["ceased_adopted"].marker == "secondary"
    assert out["adopted"].value is None and out["adopted"].marker == "secondary"
    assert out["adopted_pct_of_ceased"].value is None


def test_monthly_percentages_of_a_few_children_and_the_last_month_follow_the_year():
    from reportgen.analysis.suppression import monthly

    # 40 children, 5% placed outside: 2 children, withheld; 10%: 4 children, withheld; 25%: 10.
    table = {
        "2025-01": {"cla_at_end": 40, "placed_outside_la_pct": 5.0},
        "2025-02": {"cla_at_end": 40, "placed_outside_la_pct": 10.0},
        "2025-03": {"cla_at_end": 40, "placed_outside_la_pct": 25.0},
    }
    out = monthly(table)
    assert [out[m]["placed_outside_la_pct"] for m in table] == ["suppressed", "suppressed", 25.0]
    # the period's children looked after withheld: the last month's (the same day) too
    year_end = r("cla_at_end", None)
    year_end.marker = "secondary"
    assert monthly(table, period_end=year_end)["2025-03"]["cla_at_end"] == "secondary"
    assert monthly(table, period_end=r("cla_at_end", 40))["2025-03"]["cla_at_end"] == 40
