"""903 engine: flows, snapshots and periods on the hand-worked 'flows' case.

Every expected value is counted by hand from the stories in tests/fixtures/903/cases/README.md
(the 'flows' table), never copied from the program's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.indicators import engine
from reportgen.sources import choose

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "cases"
LEICS = "E10000018"
POPULATION_MID_2024 = 147_439  # ONS mid-2024 0-17, Leicestershire (indicators.md §5)
POPULATION_MID_2023 = 145_610  # ONS mid-2023 0-17, Leicestershire (published table)


@pytest.fixture(scope="module")
def flows():
    return choose.load_history(CASES / "flows")


def value(history, period, id_):
    return engine.compute(history, LEICS, period, [id_])[id_].value


def test_year_end_snapshot_excludes_short_breaks_and_episodes_ending_that_day(flows):
    # F04 starts on 31/03/2025, F06 (short break that became continuous), F07 in care
    # throughout; F03 ceased on 31/03/2025 itself; F05 is in a V4 short break.
    assert value(flows, "2024-25", "cla_at_end") == 3
    detail = engine.detail("cla_at_end", flows, "2024-25", LEICS)
    assert list(detail["CHILD"]) == ["F04", "F06", "F07"]


def test_first_start_only_and_short_break_periods_left_out(flows):
    # F01, F02 (twice: counted once), F04, F06; F05's V3/V4 periods are not starts.
    assert value(flows, "2024-25", "started") == 4


def test_last_cessation_only_gives_the_reason(flows):
    # F01 returned home (after an X1 chain), F02 ceased twice (E13, then E45: SGO counts),
    # F03 on 31/03/2025 (E8); F05's short breaks are not cessations.
    got = engine.compute(flows, LEICS, "2024-25")
    assert got["ceased"].value == 3
    assert got["ceased_returned_home"].value == 1
    assert got["ceased_sgo"].value == 1
    assert got["ceased_other"].value == 1
    assert got["ceased_adopted"].value == 0
    assert got["sgo_pct_of_ceased"].value == pytest.approx(100 / 3)


def test_x1_chain_is_one_period_of_care(flows):
    detail = engine.detail("ceased", flows, "2024-25", LEICS)
    f01 = detail[detail["CHILD"] == "F01"]
    assert len(f01) == 1
    assert f01["REC"].item() == "E4A"
    assert str(f01["DEC"].item().date()) == "2025-02-15"


def test_rates_use_the_mid_year_population_before_the_year_end(flows):
    assert value(flows, "2024-25", "cla_rate_per_10k") == pytest.approx(
        3 * 10_000 / POPULATION_MID_2024
    )
    assert value(flows, "2024-25", "started_rate_per_10k") == pytest.approx(
        4 * 10_000 / POPULATION_MID_2024
    )
    assert value(flows, "2023-24", "cla_rate_per_10k") == pytest.approx(
        3 * 10_000 / POPULATION_MID_2023
    )


def test_previous_year_and_an_episode_left_open_in_the_older_return(flows):
    # 31/03/2024: F03, F07 and F08 (open in the 2023-24 return, missing from 2024-25).
    got = engine.compute(flows, LEICS, "2023-24")
    assert got["cla_at_end"].value == 3
    assert got["started"].value == 2  # F03, F08
    assert got["ceased"].value == 0
    # F08's Header row is only in the 2023-24 return, coded SEX 2 (female).
    assert got["cla_by_sex_female"].value == 1
    assert got["cla_by_sex_male"].value == 2
    # F08 is not counted as leaving care in 2024-25 (its end is unknown): a note says so.
    later = engine.compute(flows, LEICS, "2024-25", ["ceased"])["ceased"]
    assert "left open in an older return" in later.note


def test_quarter_snapshot_at_quarter_end_and_flows_within_it(flows):
    # 30/06/2024: F01, F03, F06, F07 (F02 ceased 20/06, re-entered 01/09).
    got = engine.compute(flows, LEICS, "2024-25 Q1")
    assert got["cla_at_end"].value == 4
    assert got["started"].value == 3  # F01, F02, F06
    # F02's last cessation within Q1 is the E13 one: 'other', not the later SGO.
    assert got["ceased"].value == 1
    assert got["ceased_other"].value == 1
    assert got["ceased_sgo"].value == 0


def test_quarter_three(flows):
    got = engine.compute(flows, LEICS, "2024-25 Q3")
    assert got["cla_at_end"].value == 5  # F01, F02, F03, F06, F07 at 31/12/2024
    assert got["started"].value == 0
    assert got["ceased"].value == 0


def test_month_and_date_range(flows):
    got = engine.compute(flows, LEICS, "2025-01")
    assert got["cla_at_end"].value == 4  # F01, F03, F06, F07 at 31/01/2025
    assert got["ceased_sgo"].value == 1  # F02 on 10/01/2025
    ranged = engine.compute(flows, LEICS, "2024-04-01:2024-06-30")
    assert ranged["cla_at_end"].value == 4
    assert ranged["started"].value == 3


def test_period_outside_the_returns_is_not_available(flows):
    got = engine.compute(flows, LEICS, "2022-23", ["cla_at_end", "started"])
    assert got["cla_at_end"].value is None
    assert got["cla_at_end"].marker == engine.NOT_AVAILABLE
    assert "add the 2022-23 return" in got["cla_at_end"].note
    assert got["started"].marker == engine.NOT_AVAILABLE


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        ("2024-25", "2023-24"),
        ("2024-25 Q1", "2023-24 Q4"),
        ("2024-25 Q3", "2024-25 Q2"),
        ("2025-01", "2024-12"),
        ("2024-04-01:2024-06-30", "2024-01-01:2024-03-31"),
    ],
)
def test_previous_comparable_period(period, previous):
    assert engine.previous_period(period).label == previous


def test_sex_codes_change_between_years(flows):
    # 31/03/2025 (Header 2024-25, M/F): F04 female, F06 and F07 male.
    got = engine.compute(flows, LEICS, "2024-25")
    assert got["cla_by_sex_male"].value == 2
    assert got["cla_by_sex_female"].value == 1
