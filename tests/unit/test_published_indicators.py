"""Indicators read from the published DfE tables: hand-checked values, markers, the contract.

Expected values were looked up by hand in ``shared/data/dfe/*.csv`` with grep (the CSV line is
quoted in each test), never copied from program output.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reportgen.core.errors import ParamsError, PeriodError, UnknownAuthorityError
from reportgen.core.tables import load_table
from reportgen.indicators import registry
from reportgen.indicators.published import (
    COLUMNS,
    DAYS_PER_MONTH,
    ENGLAND_CODE,
    EXTRACTS,
    NOT_PUBLISHED,
    SOURCES,
    available_years,
    family_results,
    latest_year,
    period_label,
    published_values,
)
from reportgen.indicators.result import IndicatorResult

LEICESTERSHIRE = "E10000018"
LINCOLNSHIRE = "E10000019"
WORCESTERSHIRE = "E10000034"
BARNET = "E09000003"
HARTLEPOOL = "E06000001"

# indicators.md §0, copied by hand. Wildcard rows of §0 are checked as prefixes.
CONTRACT_IDS = {
    "cla_at_end",
    "cla_rate_per_10k",
    "started",
    "started_rate_per_10k",
    "ceased",
    "ceased_rate_per_10k",
    "ceased_adopted",
    "ceased_sgo",
    "ceased_returned_home",
    "ceased_independent_living",
    "ceased_other",
    "placement_foster_in_house",
    "placement_foster_other_la",
    "placement_foster_ifa",
    "placement_foster_kinship",
    "placement_placed_for_adoption",
    "placement_with_parents",
    "placement_childrens_homes",
    "placement_supported_accommodation",
    "placement_residential_schools",
    "placement_other_residential",
    "placement_other",
    "stability_3plus_pct",
    "stability_long_term_pct",
    "placed_over_20_miles_pct",
    "placed_outside_la_pct",
    "uasc_at_end",
    "adopted",
    "adopted_pct_of_ceased",
    "sgo",
    "placement_orders",
    "waiting_placement_order_not_placed",
    "a1_avg_days",
    "a10_avg_days",
    "a2_avg_days",
    "a10_within_426_days_pct",
    "cl_17_18_count",
    "cl_19_21_count",
    "cl_17_18_in_touch_pct",
    "cl_19_21_in_touch_pct",
    "cl_17_18_eet_pct",
    "cl_19_21_eet_pct",
    "cl_19_21_neet_pct",
    "cl_17_18_suitable_accom_pct",
    "cl_19_21_suitable_accom_pct",
    "staying_put_18_pct",
    "staying_put_19_20_pct",
}
# "each also as _pct of cla_at_end" (placement groups of §0).
CONTRACT_PLACEMENT_PCT = {
    f"{i}_pct" for i in CONTRACT_IDS if i.startswith("placement_") and i != "placement_orders"
}
CONTRACT_PATTERNS = ("cla_by_age_", "cla_by_sex_", "cla_by_ethnicity_", "cla_by_legal_status_")


def _value(indicator: str, code: str, year: int) -> tuple[float, str | None]:
    frame = published_values()
    rows = frame[
        frame["indicator"].eq(indicator) & frame["new_la_code"].eq(code) & frame["year"].eq(year)
    ]
    assert len(rows) == 1, (indicator, code, year)
    return rows["value"].iloc[0], rows["marker"].iloc[0]


def _result(
    family: str,
    indicator: str,
    code: str = LEICESTERSHIRE,
    year: int = 2025,
    neighbours: list[str] | None = None,
) -> IndicatorResult:
    results = family_results(family, code, year, neighbours or [])
    return next(r for r in results if r.id == indicator)


# ---------------------------------------------------------------------------- the contract


def test_registry_ids_are_the_contract_plus_documented_additions():
    ids = set(registry.REGISTRY)
    profile = {i for i in ids if i.startswith(CONTRACT_PATTERNS)}
    # An addition to §0 says why in its declaration; a contract id never does.
    additions = {i for i, ind in registry.REGISTRY.items() if ind.addition}

    assert CONTRACT_IDS <= ids
    assert CONTRACT_PLACEMENT_PCT <= ids
    assert ids == CONTRACT_IDS | CONTRACT_PLACEMENT_PCT | profile | additions
    assert not additions & (CONTRACT_IDS | CONTRACT_PLACEMENT_PCT | profile)
    # The additions the registry's docstring documents (checked by hand against it).
    assert {"placement_foster", "sgo_pct_of_ceased", "adoption_entry_to_adopted_days"} <= additions
    for pattern in CONTRACT_PATTERNS:
        assert any(i.startswith(pattern) for i in profile), pattern
    assert {"cla_by_age_under_1", "cla_by_age_16_plus", "cla_by_legal_status_s20"} <= profile


def test_registry_metadata_is_complete_and_families_keep_display_order():
    for indicator in registry.REGISTRY.values():
        assert indicator.title and indicator.definition and indicator.numerator
        assert ("_pct" in indicator.id) == (indicator.unit == "percent")
        if indicator.unit in ("percent", "rate"):
            assert indicator.denominator
    sufficiency = [i.id for i in registry.by_family("sufficiency")]
    assert sufficiency[:3] == ["cla_at_end", "cla_rate_per_10k", "started"]
    assert sum(len(registry.by_family(f)) for f in registry.FAMILIES) == len(registry.REGISTRY)


def test_registry_polarity_reads_like_a_director():
    polarity = {i: registry.get(i).polarity for i in registry.REGISTRY}
    assert polarity["cla_rate_per_10k"] == "neutral"
    assert polarity["stability_3plus_pct"] == "lower_is_better"
    assert polarity["stability_long_term_pct"] == "higher_is_better"
    assert polarity["placed_over_20_miles_pct"] == "lower_is_better"
    assert polarity["cl_19_21_in_touch_pct"] == "higher_is_better"
    assert polarity["cl_19_21_eet_pct"] == "higher_is_better"
    assert polarity["cl_19_21_suitable_accom_pct"] == "higher_is_better"
    assert polarity["cl_19_21_neet_pct"] == "lower_is_better"
    assert polarity["adopted"] in ("neutral", "higher_is_better")


def test_registry_rejects_unknown_ids_and_families():
    with pytest.raises(ParamsError, match="cla_at_end"):
        registry.get("cla_at_ends")
    with pytest.raises(ParamsError, match="unknown indicator family"):
        registry.by_family("fostering")
    with pytest.raises(ValueError, match="unit"):
        registry.Indicator("x", "adoption", "X", "X.", "months", "neutral", "x")  # type: ignore[arg-type]


def test_every_registry_id_with_a_source_table_is_published_and_no_other():
    published = set(published_values()["indicator"].unique())
    with_sources = {i for i, ind in registry.REGISTRY.items() if ind.source_tables}

    assert published == with_sources
    for indicator_id in with_sources:
        assert registry.get(indicator_id).source_tables == (SOURCES[indicator_id],)


def test_published_values_shape_and_geographies():
    frame = published_values()

    assert list(frame.columns) == COLUMNS
    assert frame["year"].dtype == "int64"
    assert frame["value"].dtype == "float64"
    assert not frame.duplicated(["indicator", "new_la_code", "year"]).any()
    assert set(frame["geographic_level"]) == {"Local authority", "Regional", "National"}
    england = frame[frame["geographic_level"].eq("National")]
    assert set(england["new_la_code"]) == {ENGLAND_CODE}
    assert set(england["la_name"]) == {"England"}
    # A marker exactly when the value is missing; never a zero standing in for a marker.
    assert (frame["value"].isna() == frame["marker"].notna()).all()


def test_fast_reader_agrees_with_load_table():
    """published_values reads the Parquet files itself; it must agree with load_table."""
    frame = published_values().set_index(["indicator", "new_la_code", "year"])
    for indicator_id, spec in EXTRACTS.items():
        if indicator_id.startswith("_") or spec.table.startswith("national_"):
            continue
        table = load_table(spec.table)
        mask = table["geographic_level"].eq("Local authority")
        for column, wanted in spec.filters:
            mask &= table[column].eq(wanted)
        rows = table[mask]
        assert len(rows) > 0, indicator_id
        got = frame.loc[
            list(
                zip(
                    [indicator_id] * len(rows),
                    rows["new_la_code"],
                    rows["time_period"],
                    strict=True,
                )
            )
        ]
        pd.testing.assert_series_equal(
            got["value"].reset_index(drop=True),
            rows[spec.value].reset_index(drop=True),
            check_names=False,
        )
        assert list(got["marker"]) == list(rows[f"{spec.value}_marker"]), indicator_id


# ---------------------------------------------------------------------------- hand-checked values


def test_leicestershire_2025_ceased_reasons():
    # la_children_who_ceased_during_the_year.csv, 2025, E10000018, Reason episode ceased:
    # Adopted 37 (11%), Special guardianship order 40 (12%), Returned home ... part of the care
    # planning process 65, ... not part of ... 11, Moved into independent living (with
    # supportive accommodation) 114, (with no formalised support) 15, Total 332.
    assert _value("ceased_adopted", LEICESTERSHIRE, 2025) == (37.0, None)
    assert _value("adopted", LEICESTERSHIRE, 2025) == (37.0, None)
    assert _value("adopted_pct_of_ceased", LEICESTERSHIRE, 2025) == (11.0, None)
    assert _value("ceased_sgo", LEICESTERSHIRE, 2025) == (40.0, None)
    assert _value("sgo_pct_of_ceased", LEICESTERSHIRE, 2025) == (12.0, None)
    assert _value("ceased_returned_home", LEICESTERSHIRE, 2025) == (76.0, None)  # 65 + 11
    assert _value("ceased_independent_living", LEICESTERSHIRE, 2025) == (129.0, None)  # 114+15
    # 332 - 37 - 40 - 65 - 11 - 114 - 15 = 50
    assert _value("ceased_other", LEICESTERSHIRE, 2025) == (50.0, None)


def test_leicestershire_2025_at_31_march():
    # la_cla_on_31_march_by_characteristics.csv, 2025, E10000018:
    # Placement,Foster placements,407,59 | Distance ...,Placed more than 20 miles from home,164,24
    # Locality ...,Placed outside the local authority boundary,302,44
    # Unaccompanied asylum-seeking children,Unaccompanied asylum-seeking children,74,11
    # Age group,16 years and over,214,31
    # Legal status,Voluntary agreements under S20 CA 1989,151,22
    assert _value("placement_foster", LEICESTERSHIRE, 2025) == (407.0, None)
    assert _value("placement_foster_pct", LEICESTERSHIRE, 2025) == (59.0, None)
    assert _value("placed_over_20_miles_pct", LEICESTERSHIRE, 2025) == (24.0, None)
    assert _value("placed_outside_la_pct", LEICESTERSHIRE, 2025) == (44.0, None)
    assert _value("uasc_at_end", LEICESTERSHIRE, 2025) == (74.0, None)
    assert _value("cla_by_age_16_plus", LEICESTERSHIRE, 2025) == (214.0, None)
    assert _value("cla_by_legal_status_s20_pct", LEICESTERSHIRE, 2025) == (22.0, None)
    # Placement,Residential schools,0,0: a real zero stays zero.
    assert _value("placement_residential_schools", LEICESTERSHIRE, 2025) == (0.0, None)


def test_care_leavers_2024_release_values():
    # la_care_leavers_intouch.csv, 2024, E10000018: Aged 17 to 18, Local authority in touch with
    # care leaver,155,100 | Aged 19 to 21, ...,305,98. England 2024: 94 and 92.
    assert _value("cl_17_18_in_touch_pct", LEICESTERSHIRE, 2024) == (100.0, None)
    assert _value("cl_19_21_in_touch_pct", LEICESTERSHIRE, 2024) == (98.0, None)
    assert _value("cl_19_21_in_touch_pct", ENGLAND_CODE, 2024) == (92.0, None)
    # la_care_leavers_stayput.csv, 2024, E10000018: Aged 18 ... 10,53 | Aged 19 to 20 ... 16,30
    assert _value("staying_put_18_pct", LEICESTERSHIRE, 2024) == (53.0, None)
    assert _value("staying_put_19_20_pct", LEICESTERSHIRE, 2024) == (30.0, None)
    # la_care_leavers_activity.csv, 2025, E10000018, 19 to 21 years: Total,376,100 |
    # Total not in education, employment or training,156,41
    assert _value("cl_19_21_count", LEICESTERSHIRE, 2025) == (376.0, None)
    assert _value("cl_19_21_neet_pct", LEICESTERSHIRE, 2025) == (41.0, None)


def test_england_adoption_stage_in_days():
    # national_cla_adopted_average_time_between_adoption_process_stages.csv, 2025, Total,
    # "4. Total average time between entry into care and date placed for adoption" = 01:07
    value, marker = _value("adoption_entry_to_placed_days", ENGLAND_CODE, 2025)
    assert value == pytest.approx(19 * 365.25 / 12)
    assert DAYS_PER_MONTH == pytest.approx(30.4375)
    assert marker is None

    result = _result("adoption", "adoption_entry_to_placed_days")
    assert (result.value, result.marker) == (None, NOT_PUBLISHED)
    assert result.england == pytest.approx(578.3125)
    assert result.unit == "days"


# ---------------------------------------------------------------------------- markers


def test_c_marker_is_passed_through():
    # 2025,...,302,Barnet,E09000003,Placement,Placed for adoption,c,c
    assert _value("placement_placed_for_adoption", BARNET, 2025)[1] == "c"
    assert math.isnan(_value("placement_placed_for_adoption", BARNET, 2025)[0])
    result = _result("sufficiency", "placement_placed_for_adoption_pct", code=BARNET)
    assert (result.value, result.marker) == (None, "c")


def test_derived_sum_takes_the_marker_of_the_missing_part():
    # 2025,...,Hartlepool,E06000001,Reason episode ceased,Returned home ... which was not part
    # of the care planning process,c,c  -> returned home (and the "other" remainder) missing
    assert _value("ceased_returned_home", HARTLEPOOL, 2025)[1] == "c"
    assert math.isnan(_value("ceased_other", HARTLEPOOL, 2025)[0])
    assert _value("ceased_other", HARTLEPOOL, 2025)[1] == "c"


def test_k_marker_for_england():
    # 2025,Reporting year,National,...,Placement,Residential schools,100,k
    assert _value("placement_residential_schools", ENGLAND_CODE, 2025) == (100.0, None)
    result = _result("sufficiency", "placement_residential_schools_pct")
    assert (result.england, result.england_marker) == (None, "k")


def test_not_published_in_2025_for_2024_release_tables():
    result = _result("care_leavers", "cl_19_21_in_touch_pct")

    assert (result.value, result.marker) == (None, NOT_PUBLISHED)
    assert (result.england, result.england_marker) == (None, NOT_PUBLISHED)
    assert (result.previous, result.previous_marker) == (98.0, None)
    assert result.sn_mean is None and result.sn_n == 0
    assert list(result.trend) == ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]
    assert result.trend["2023-24"] == 98.0
    assert result.trend["2024-25"] is None
    assert result.source == "la_care_leavers_intouch"


def test_ids_without_published_tables_are_not_published():
    result = _result("sufficiency", "placement_foster_in_house")
    assert (result.value, result.marker, result.source) == (None, NOT_PUBLISHED, "")
    result = _result("adoption", "a10_avg_days")
    assert (result.value, result.marker) == (None, NOT_PUBLISHED)
    result = _result("sufficiency", "cla_by_sex_female")
    assert (result.value, result.marker) == (None, NOT_PUBLISHED)


# ---------------------------------------------------------------------------- family_results


def test_family_results_comparators_and_trend():
    # cla_number_and_rate_per_10k_children.csv, Children looked after on 31 March each year:
    # Leicestershire 2025 694, 2024 725; England 2025 81770; Lincolnshire 2025 805;
    # Worcestershire 2025 1036 -> neighbour mean (805 + 1036) / 2 = 920.5.
    # Leicestershire 2021-2023: 706, 696, 681.
    result = _result("sufficiency", "cla_at_end", neighbours=[LINCOLNSHIRE, WORCESTERSHIRE])

    assert result.period == "2024-25"
    assert (result.value, result.marker) == (694.0, None)
    assert result.previous == 725.0
    assert result.england == 81770.0
    assert result.sn_mean == 920.5 and result.sn_n == 2
    assert result.trend == {
        "2020-21": 706.0,
        "2021-22": 696.0,
        "2022-23": 681.0,
        "2023-24": 725.0,
        "2024-25": 694.0,
    }
    assert result.source == "cla_number_and_rate_per_10k_children"
    assert (result.unit, result.polarity) == ("count", "neutral")


def test_england_and_neighbour_trends_cover_the_same_years():
    # README spot check, Leicestershire CLA rate per 10,000: England 69, 70, 70, 69, 67.
    # cla_number file, 31 March rate 2021: Lincolnshire 47, Worcestershire 73 -> mean 60.
    result = _result("sufficiency", "cla_rate_per_10k", neighbours=[LINCOLNSHIRE, WORCESTERSHIRE])
    assert list(result.england_trend) == list(result.trend) == list(result.sn_trend)
    assert list(result.england_trend.values()) == [69.0, 70.0, 70.0, 69.0, 67.0]
    assert result.sn_trend["2020-21"] == 60.0
    assert result.sn_trend["2024-25"] == result.sn_mean

    in_touch = _result("care_leavers", "cl_19_21_in_touch_pct", neighbours=[LINCOLNSHIRE])
    assert in_touch.england_trend["2023-24"] == 92.0
    assert in_touch.england_trend["2024-25"] is None
    assert in_touch.sn_trend["2024-25"] is None


def test_sn_mean_skips_neighbours_with_markers():
    # Placed for adoption 2025: Barnet c, Leicestershire 16 -> mean 16 over 1 neighbour.
    result = _result(
        "sufficiency",
        "placement_placed_for_adoption",
        code=LINCOLNSHIRE,
        neighbours=[BARNET, LEICESTERSHIRE],
    )
    assert result.sn_mean == 16.0 and result.sn_n == 1


def test_family_results_follow_registry_order():
    for family in registry.FAMILIES:
        results = family_results(family, LEICESTERSHIRE, 2024, [])
        assert [r.id for r in results] == [i.id for i in registry.by_family(family)]
        assert all(r.period == "2023-24" for r in results)


def test_trend_for_an_earlier_year_starts_at_the_first_published_year():
    result = _result("care_leavers", "cl_19_21_in_touch_pct", year=2024)
    assert list(result.trend) == ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24"]
    result = _result("sufficiency", "cla_at_end", year=2022)
    assert list(result.trend) == ["2020-21", "2021-22"]


def test_years_and_periods():
    assert available_years() == [2021, 2022, 2023, 2024, 2025]
    assert latest_year() == 2025
    assert period_label(2025) == "2024-25"
    assert period_label(2000) == "1999-00"


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(UnknownAuthorityError, match="E99999999"):
        family_results("sufficiency", "E99999999", 2025, [])
    with pytest.raises(UnknownAuthorityError, match="855"):
        family_results("sufficiency", LEICESTERSHIRE, 2025, ["855"])
    with pytest.raises(PeriodError, match="2021 to 2025"):
        family_results("sufficiency", LEICESTERSHIRE, 2019, [])
    with pytest.raises(ParamsError):
        family_results("fostering", LEICESTERSHIRE, 2025, [])


def test_region_rows_use_region_codes():
    # East Midlands (E12000004) 2025 CLA at 31 March is in the CLA numbers file.
    value, marker = _value("cla_at_end", "E12000004", 2025)
    assert marker is None and value > 0
    regions = published_values().query("geographic_level == 'Regional'")
    assert regions["new_la_code"].str.fullmatch(r"E1[23]\d{6}").all()
    assert regions["old_la_code"].isna().all()


def test_trend_years_the_dfe_suppressed_keep_their_marker():
    # la_children_who_ceased_during_the_year.csv, City of London (E09000001), Reason episode
    # ceased, Adopted: 2021 "c,c", 2022 "0,0", 2023 "0,0", 2024 "c,c", 2025 "0,0"
    from reportgen.report.assemble import trend_table

    family = registry.get("ceased_adopted").family
    (result,) = [
        r
        for r in family_results(family, "E09000001", 2025, ["E09000033"])
        if r.id == "ceased_adopted"
    ]
    assert result.trend == {
        "2020-21": None,
        "2021-22": 0,
        "2022-23": 0,
        "2023-24": None,
        "2024-25": 0,
    }
    assert result.trend_markers == {"2020-21": "c", "2023-24": "c"}
    row = trend_table([result], "caption", "2024-25").rows[0]
    assert row[1:6] == ("withheld", "0", "0", "withheld", "0")  # not "n/a": the DfE withheld them
