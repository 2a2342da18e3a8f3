"""The published-table loader keeps DfE markers as *missing*, never zero."""

from __future__ import annotations

import math

import pandas as pd

from reportgen.core.tables import load_table, split_markers


def test_split_markers_markers_are_missing_not_zero():
    raw = pd.Series(["12", "c", "k", "z", "x", "low", "", "01:07"])

    values, markers = split_markers(raw)

    assert values.iloc[0] == 12.0
    assert values.iloc[1:7].isna().all()
    assert not (values.iloc[1:7] == 0).any()
    assert values.iloc[7] == 19.0  # 1 year 7 months
    assert list(markers) == [None, "c", "k", "z", "x", "low", None, None]
    assert values.dtype == "float64"


def test_split_markers_keeps_real_zeros():
    values, markers = split_markers(pd.Series(["0", "00:00", "c"]))

    assert list(values.iloc[:2]) == [0.0, 0.0]
    assert math.isnan(values.iloc[2])
    assert list(markers) == [None, None, "c"]


def test_split_markers_spreads_each_distinct_value_to_every_cell_it_fills():
    raw = pd.Series(
        [" 5", "c", None, "5", "C", "01:00", "5 ", None], index=[10, 11, 12, 13, 14, 15, 16, 17]
    )

    values, markers = split_markers(raw)

    assert list(values.index) == [10, 11, 12, 13, 14, 15, 16, 17]
    assert [None if math.isnan(v) else v for v in values] == [
        5.0,
        None,
        None,
        5.0,
        None,
        12.0,
        5.0,
        None,
    ]
    assert list(markers) == [None, "c", None, None, "c", None, None, None]
    assert markers.dtype == object and values.dtype == "float64"


def _ceased_row(table: pd.DataFrame, la_code: str, year: int, breakdown: str) -> pd.Series:
    rows = table[
        table["new_la_code"].eq(la_code)
        & table["time_period"].eq(year)
        & table["characteristic"].eq("Reason episode ceased")
        & table["breakdown"].eq(breakdown)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_load_table_keeps_a_real_c_cell_missing():
    # la_children_who_ceased_during_the_year.csv, found with grep:
    # 2025,...,855,Leicestershire,E10000018,Reason episode ceased,
    #   Care taken by another local authority,c,c
    table = load_table("la_children_who_ceased_during_the_year")

    row = _ceased_row(table, "E10000018", 2025, "Care taken by another local authority")

    assert math.isnan(row["children_count"])
    assert math.isnan(row["children_percent"])
    assert row["children_count_marker"] == "c"
    assert row["children_percent_marker"] == "c"
    assert row["children_count_raw"] == "c"


def test_load_table_reads_numbers_next_to_markers():
    # Same LA and year: "Adopted,37,11".
    table = load_table("la_children_who_ceased_during_the_year")

    row = _ceased_row(table, "E10000018", 2025, "Adopted")

    assert row["children_count"] == 37.0
    assert row["children_percent"] == 11.0
    assert row["children_count_marker"] is None


def test_load_table_reads_durations_as_months():
    # national_cla_adopted_average_time_between_adoption_process_stages.csv, 2025, Total:
    # "4. Total average time between entry into care and date placed for adoption" = 01:07
    table = load_table("national_cla_adopted_average_time_between_adoption_process_stages")

    row = table[
        table["time_period"].eq(2025)
        & table["age_start_poc"].eq("Total")
        & table["stage_of_adoption_process"].str.startswith("4. ")
    ].iloc[0]

    assert row["number_raw"] == "01:07"
    assert row["number"] == 19.0
