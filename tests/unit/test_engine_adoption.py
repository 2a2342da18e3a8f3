"""903 engine: adoptions, SGOs, placement orders and the scorecard times A1, A10, A2 on the
hand-worked 'adoption' case (returns 2022-23 to 2024-25; stories and the day counts in
tests/fixtures/903/cases/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.indicators import engine
from reportgen.sources import choose

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "cases"
LEICS = "E10000018"

# Days worked by hand (README): entry -> placed with adopters, and order -> match.
A1 = {"D01": 485, "D02": 488, "D03": 214}  # D04 entered care before 2022-23; D06 never placed
A10 = {"D01": 485, "D02": 0, "D03": 214}  # D02 adopted by her foster carers (since entry)
A2 = {"D01": 106, "D02": 136, "D03": 0, "D04": 61}  # D03 matched before the order


@pytest.fixture(scope="module")
def history():
    return choose.load_history(CASES / "adoption")


def test_adoptions_and_sgos_by_year(history):
    assert engine.compute(history, LEICS, "2022-23", ["adopted"])["adopted"].value == 1
    assert engine.compute(history, LEICS, "2023-24", ["adopted"])["adopted"].value == 3
    got = engine.compute(history, LEICS, "2024-25")
    assert got["adopted"].value == 1  # D02
    assert got["sgo"].value == 1  # D07 (E45)
    assert got["adopted_pct_of_ceased"].value == pytest.approx(50.0)


def test_new_placement_orders(history):
    counts = {
        p: engine.compute(history, LEICS, p, ["placement_orders"])["placement_orders"].value
        for p in ("2022-23", "2023-24", "2024-25")
    }
    assert counts == {"2022-23": 3, "2023-24": 2, "2024-25": 0}


def test_waiting_with_a_placement_order(history):
    # 31/03/2023: D01 and D06 (E1, in foster care); D04 already adopted.
    got = engine.compute(history, LEICS, "2022-23", ["waiting_placement_order_not_placed"])
    assert got["waiting_placement_order_not_placed"].value == 2


def test_a1_entry_to_moving_in(history):
    got = engine.compute(history, LEICS, "2024-25", ["a1_avg_days"])["a1_avg_days"]
    assert got.value == pytest.approx(sum(A1.values()) / 3)
    assert "entered care before the earliest return" in got.note
    assert "no placed-for-adoption episode" in got.note


def test_a10_walks_back_to_the_start_with_the_foster_carers(history):
    got = engine.compute(history, LEICS, "2024-25")
    assert got["a10_avg_days"].value == pytest.approx(sum(A10.values()) / 3)
    # under 426 days: D02 (0) and D03 (214); D01 took 485.
    assert got["a10_within_426_days_pct"].value == pytest.approx(100 * 2 / 3)
    detail = engine.detail("a10_avg_days", history, "2024-25", LEICS)
    counted = detail[detail["in_denominator"]]
    assert dict(zip(counted["CHILD"], counted["days"], strict=True)) == A10


def test_a2_order_to_match(history):
    got = engine.compute(history, LEICS, "2024-25", ["a2_avg_days"])["a2_avg_days"]
    assert got.value == pytest.approx(sum(A2.values()) / 4)


def test_timeliness_needs_three_years_of_returns(history):
    got = engine.compute(history, LEICS, "2023-24", ["a1_avg_days", "a2_avg_days"])
    for result in got.values():
        assert result.value is None and result.marker == engine.NOT_AVAILABLE
        assert "2021-22" in result.note
