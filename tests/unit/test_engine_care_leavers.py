"""903 engine: care leavers (OC3) and staying put on the hand-worked 'care_leavers' case
(returns 2023-24 and 2024-25; stories in tests/fixtures/903/cases/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.indicators import engine
from reportgen.sources import choose

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "cases"
LEICS = "E10000018"


@pytest.fixture(scope="module")
def history():
    return choose.load_history(CASES / "care_leavers")


@pytest.fixture(scope="module")
def got(history):
    return engine.compute(history, LEICS, "2024-25")


def test_age_group_comes_from_the_birthday_in_the_year(history):
    # C01 is 16 on 1 April 2024 and 17 at her birthday: 17-18. C02 turns 18 on 1 April 2024
    # (the year's first day), C03 turns 19 on 31 March 2025 (its last day), C10 (born 29
    # February) turns 21 on 1 March 2025; C11 is 22 (not in 17-21).
    detail = engine.detail("cl_17_18_count", history, "2024-25", LEICS)
    assert sorted(detail["CHILD"]) == ["C01", "C02"]
    detail = engine.detail("cl_19_21_count", history, "2024-25", LEICS)
    assert sorted(detail["CHILD"]) == ["C03", "C04", "C05", "C10"]
    c10 = detail[detail["CHILD"] == "C10"].iloc[0]
    assert str(c10["birthday"].date()) == "2025-03-01"


def test_exclusions(got):
    # Left out: C06 died, C07 returned home, C08's care passed to another authority (E3),
    # C09 only ever had short breaks.
    assert got["cl_17_18_count"].value == 2
    assert got["cl_19_21_count"].value == 4


def test_percentages(got):
    assert got["cl_17_18_in_touch_pct"].value == pytest.approx(100.0)
    assert got["cl_17_18_eet_pct"].value == pytest.approx(50.0)  # C01 F2; C02 G5
    assert got["cl_17_18_suitable_accom_pct"].value == pytest.approx(50.0)  # D1; S2
    assert got["cl_19_21_in_touch_pct"].value == pytest.approx(50.0)  # C03, C10
    assert got["cl_19_21_eet_pct"].value == pytest.approx(50.0)  # C03 F5, C10 P4
    assert got["cl_19_21_neet_pct"].value == pytest.approx(25.0)  # C05 G4
    # Suitability leaves out C05 (R2, residence not known) and C10 (G2, abroad): C03 Z1
    # suitable, C04 '0' (no information) in the total.
    assert got["cl_19_21_suitable_accom_pct"].value == pytest.approx(50.0)


def test_staying_put_at_18(got, history):
    # Left a foster placement on the 18th birthday, eligible: C13 (E8) and C14 (E17). Not: C15
    # (children's home), C16 (48 days in care since 14), C17 (left the day before).
    assert got["staying_put_18_pct"].value == pytest.approx(50.0)
    detail = engine.detail("staying_put_18_pct", history, "2024-25", LEICS)
    assert sorted(detail["CHILD"]) == ["C13", "C14"]


def test_staying_put_at_19_to_20(got):
    # C03 (19) left foster care on her 18th birthday (31/03/2024) and lives with them (Z1).
    # C04 (20) turned 18 before the earliest return: left out, with a note.
    result = got["staying_put_19_20_pct"]
    assert result.value == pytest.approx(100.0)
    assert "18th birthday is before the earliest return" in result.note


def test_previous_year(history):
    got = engine.compute(history, LEICS, "2023-24")
    assert got["cl_19_21_count"].value == 2  # C04 (19), C05 (20)
    assert got["cl_17_18_count"].value == 0
    assert got["cl_17_18_eet_pct"].marker == engine.NOT_APPLICABLE  # nobody to divide by
    assert got["staying_put_19_20_pct"].marker == engine.NOT_AVAILABLE


def test_quarter_counts_birthdays_in_the_quarter(history):
    got = engine.compute(history, LEICS, "2024-25 Q1", ["cl_17_18_count", "cl_19_21_count"])
    assert got["cl_17_18_count"].value == 2  # C01 (15/06), C02 (01/04)
    assert got["cl_19_21_count"].value == 1  # C05 (05/05)


def test_missing_oc3_is_not_available(history):
    got = engine.compute(choose.load_history(CASES / "flows"), LEICS, "2024-25")
    result = got["cl_19_21_eet_pct"]
    assert result.value is None and result.marker == engine.NOT_AVAILABLE
    assert "needs the OC3 table" in result.note
