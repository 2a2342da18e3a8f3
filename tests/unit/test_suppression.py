"""Disclosure control on hand-made results (expected values worked out by hand)."""

from __future__ import annotations

from reportgen.analysis.suppression import DisclosurePolicy, apply, monthly
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


# ---------------------------------------------------------------- issue 15, items 1 to 4


def test_monthly_stock_and_flows_cannot_give_a_withheld_month_away():
    # Apr: 30 in care, 6 started, 5 left; May: 32, 2 started, 0 left; Jun: 37, 7 started, 2 left.
    # Each month's change is starts minus cessations (32 - 30 = 2 - 0; 37 - 32 = 7 - 2), so with
    # only the year's sums protected (the rule before), May's 2 starts were 32 - 30 + 0 and
    # June's 2 cessations 32 - 37 + 7. Worked by hand: May's starts are given away by its change
    # (0 cessations cannot be withheld: the smaller month-end, April's 30, is) and by the year
    # (6 + x + 7 = 15: April's 6 starts are withheld); June's cessations by the year (5 + 0 + x
    # = 7: April's 5) and by its change (June's 7 starts).
    table = {
        "2024-04": {"cla_at_end": 30, "started": 6, "ceased": 5},
        "2024-05": {"cla_at_end": 32, "started": 2, "ceased": 0},
        "2024-06": {"cla_at_end": 37, "started": 7, "ceased": 2},
    }
    out = monthly(table)
    assert out == {
        "2024-04": {"cla_at_end": "secondary", "started": "secondary", "ceased": "secondary"},
        "2024-05": {"cla_at_end": 32, "started": "suppressed", "ceased": 0},
        "2024-06": {"cla_at_end": 37, "started": "secondary", "ceased": "suppressed"},
    }
    # a reader cannot tell: April 30 or 31 in care, May's starts 2 or 1, April's 6 or 7, with
    # June 7 started and 2 left, or 6 and 1 (April's cessations then 6): both fit everything shown


def test_monthly_uses_last_years_children_looked_after_for_the_first_month():
    # 31 March 2024: 27 in care (the report's previous year). April: 28, 1 started, 0 left:
    # 28 - 27 = 1, and the year's 8 starts less June's 7 is 1 too. June's 7 starts are withheld
    # (x + y = 8, y 5 or more: x is 1 to 3), then April's 28 (the 0 cannot be), then May's 28
    # (April's 28 = May's 28 - 0 + 0). A reader is left with April 28 to 30, May the same,
    # June's starts 35 - May's: 5 to 7.
    table = {
        "2024-04": {"cla_at_end": 28, "started": 1, "ceased": 0},
        "2024-05": {"cla_at_end": 28, "started": 0, "ceased": 0},
        "2024-06": {"cla_at_end": 35, "started": 7, "ceased": 0},
    }
    year_end = r("cla_at_end", 35, previous=27)
    year_end.previous_period = "2023-24"
    out = monthly(table, period_end=year_end)
    assert out == {
        "2024-04": {"cla_at_end": "secondary", "started": "suppressed", "ceased": 0},
        "2024-05": {"cla_at_end": "secondary", "started": 0, "ceased": 0},
        "2024-06": {"cla_at_end": 35, "started": "secondary", "ceased": 0},
    }


def test_percentages_of_fewer_than_min_denominator_children_are_withheld():
    # long-term stability 75%: 3 of 4 children; staying put 0% of 3 (no small numerator, but
    # 3 children); 75% of 8 = 6 is shown, unless the policy asks for 10 children
    def pct(id, value, den):
        return r(id, value, unit="percent").model_copy(update={"denominator": den})

    results = [
        pct("stability_long_term_pct", 75.0, 4),
        pct("staying_put_18_pct", 0.0, 3),
        pct("staying_put_19_20_pct", 75.0, 8),
    ]
    out = by_id(apply(results))
    assert out["stability_long_term_pct"].marker == "suppressed"
    assert out["staying_put_18_pct"].value is None
    assert out["staying_put_19_20_pct"].value == 75.0
    assert out["staying_put_19_20_pct"].denominator is None  # never travels further
    out = by_id(apply(results, DisclosurePolicy(min_denominator=10)))
    assert out["staying_put_19_20_pct"].value is None


def test_a_percentage_whose_complement_is_small_is_withheld():
    # 24 care leavers aged 19 to 21: EET 83.3% = 20, NEET 16.7% = 4 (withheld): 24 - 20 = 4
    # gives NEET away, so EET is withheld; 23/24 suitable (95.8%) gives 1 not; 100% in touch
    # has no complement and stays. 20 aged 17 to 18, 75% in touch (15) and 60% EET (12): in
    # touch minus EET is 3 NEET, so EET is withheld.
    out = by_id(
        apply(
            [
                r("cl_19_21_count", 24),
                r("cl_19_21_in_touch_pct", 100.0, unit="percent"),
                r("cl_19_21_eet_pct", 100 * 20 / 24, unit="percent"),
                r("cl_19_21_neet_pct", 100 * 4 / 24, unit="percent"),
                r("cl_19_21_suitable_accom_pct", 100 * 23 / 24, unit="percent"),
                r("cl_17_18_count", 20),
                r("cl_17_18_in_touch_pct", 75.0, unit="percent"),
                r("cl_17_18_eet_pct", 60.0, unit="percent"),
            ]
        )
    )
    assert out["cl_19_21_neet_pct"].marker == "suppressed"
    assert out["cl_19_21_eet_pct"].marker == "secondary"
    assert out["cl_19_21_suitable_accom_pct"].marker == "secondary"
    assert out["cl_19_21_in_touch_pct"].value == 100.0
    assert out["cl_17_18_eet_pct"].marker == "secondary"
    assert out["cl_17_18_in_touch_pct"].value == 75.0


def test_eet_neet_and_in_touch_are_parts_of_the_cohort():
    # 20 care leavers: 15 in touch (75%), 11 EET (55%), 4 NEET (20%, withheld), so 5 not in
    # touch. No complement is small, but 20 - 11 - 5 = 4 gives NEET away: the smallest other
    # part, the 5 not in touch, is withheld (in touch with it): NEET + not in touch = 9, 1 + 8
    # to 4 + 5.
    # 25 care leavers: 24 in touch (96%: 1 not, withheld), 18 EET (72%), 6 NEET (24%): 18 + 6
    # gives in touch back, so NEET (the smaller) is withheld too.
    def cohort(n, touch, eet, neet):
        return [
            r("cl_19_21_count", n),
            r("cl_19_21_in_touch_pct", 100 * touch / n, unit="percent"),
            r("cl_19_21_eet_pct", 100 * eet / n, unit="percent"),
            r("cl_19_21_neet_pct", 100 * neet / n, unit="percent"),
        ]

    out = by_id(apply(cohort(20, 15, 11, 4)))
    assert out["cl_19_21_neet_pct"].marker == "suppressed"
    assert out["cl_19_21_in_touch_pct"].marker == "secondary"
    assert out["cl_19_21_eet_pct"].value == 55.0
    out = by_id(apply(cohort(25, 24, 18, 6)))
    assert out["cl_19_21_in_touch_pct"].marker == "secondary"
    assert out["cl_19_21_neet_pct"].marker == "secondary"
    assert out["cl_19_21_eet_pct"].value == 72.0


def test_withheld_parts_must_not_add_up_to_a_small_number():
    # 32 children: White 21, Mixed 2, Asian 1, Black 8, others 0. The two withheld groups are
    # 32 - 29 = 3 children between them (1 + 2 or 2 + 1: neither pinned, but 3 is a small
    # number shown by subtraction): Black (8, the smallest shown) is withheld too (11 between
    # three groups).
    ethnicity = {
        "cla_by_ethnicity_white": 21,
        "cla_by_ethnicity_mixed": 2,
        "cla_by_ethnicity_asian": 1,
        "cla_by_ethnicity_black": 8,
        "cla_by_ethnicity_other": 0,
    }
    out = by_id(apply([r("cla_at_end", 32)] + [r(k, v) for k, v in ethnicity.items()]))
    assert out["cla_by_ethnicity_mixed"].marker == "suppressed"
    assert out["cla_by_ethnicity_black"].marker == "secondary"
    assert out["cla_by_ethnicity_white"].value == 21
    assert out["cla_at_end"].value == 32
