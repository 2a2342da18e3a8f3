"""903 engine: placement mix, provider splits, distance, locality, UASC and the profile at
31 March 2025 on the hand-worked 'placements' case (stories in tests/fixtures/903/cases/README.md).

17 children: 16 looked after at 31 March 2025 (P16 is in a short break).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.indicators import engine
from reportgen.sources import choose

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "cases"
LEICS = "E10000018"
CLA = 16


@pytest.fixture(scope="module")
def got():
    history = choose.load_history(CASES / "placements")
    return engine.compute(history, LEICS, "2024-25")


@pytest.fixture(scope="module")
def history():
    return choose.load_history(CASES / "placements")


def test_children_looked_after(got):
    assert got["cla_at_end"].value == CLA


@pytest.mark.parametrize(
    ("id_", "count"),
    [
        # U1-U6: P01-P06 and P15 (in hospital, T1, counted in the U4 placement before it)
        ("placement_foster", 7),
        ("placement_foster_in_house", 3),  # P01, P05, P15 (PR1)
        ("placement_foster_other_la", 1),  # P04 (PR2)
        ("placement_foster_ifa", 3),  # P02 (PR4), P03 (PR5), P06 (PR4)
        ("placement_foster_kinship", 2),  # P05 (U1), P06 (U3)
        ("placement_placed_for_adoption", 1),  # P10 (A5)
        ("placement_with_parents", 1),  # P11
        ("placement_childrens_homes", 2),  # P07 (K2), P08 (K1)
        ("placement_supported_accommodation", 2),  # P09 (K3), P17 (H5)
        ("placement_residential_schools", 1),  # P13
        ("placement_other_residential", 1),  # P12 (R1)
        ("placement_other", 1),  # P14 (Z1)
    ],
)
def test_placement_counts_and_percentages(got, id_, count):
    assert got[id_].value == count
    assert got[f"{id_}_pct"].value == pytest.approx(100 * count / CLA)


def test_provider_groups_add_up(got):
    groups = [
        "placement_foster",
        "placement_placed_for_adoption",
        "placement_with_parents",
        "placement_childrens_homes",
        "placement_supported_accommodation",
        "placement_residential_schools",
        "placement_other_residential",
        "placement_other",
    ]
    assert sum(got[g].value for g in groups) == got["cla_at_end"].value


def test_temporary_placement_counts_the_placement_before_it(history):
    detail = engine.detail("placement_foster_in_house", history, "2024-25", LEICS)
    p15 = detail[detail["CHILD"] == "P15"].iloc[0]
    assert p15["PLACE"] == "T1" and p15["PLACE_COUNTED"] == "U4" and p15["counted"]


def test_distance_matches_the_dfe_validator(history):
    # indicators.md §7: the DfE validator's PL_DISTANCE for LE11 3TU -> LE3 8RA is 7.7 miles and
    # LE11 3TU -> NG1 5FS 13.5 miles.
    detail = engine.detail("placed_over_20_miles_pct", history, "2024-25", LEICS)
    miles = dict(zip(detail["CHILD"], detail["miles"], strict=True))
    assert miles["P01"] == 7.7
    assert miles["P02"] == 13.5
    # P15 is in hospital in Birmingham: the distance is to the foster placement before it.
    assert miles["P15"] == 7.7
    assert miles["P14"] != miles["P14"]  # no postcodes: NaN (not known)


def test_distance_and_locality(got):
    # Only P07 (Loughborough to central Birmingham, about 40 miles) is over 20 miles; P14 has
    # no postcodes and stays in the denominator as 'not known'.
    assert got["placed_over_20_miles_pct"].value == pytest.approx(100 * 1 / CLA)
    # Outside Leicestershire (E10000018): P02 (Nottingham) and P07 (Birmingham).
    assert got["placed_outside_la_pct"].value == pytest.approx(100 * 2 / CLA)


def test_uasc_status_ceased_before_the_day_is_not_counted(got):
    # P09 (no DUC); P17's status ceased on 01/01/2025; P16 is in a short break.
    assert got["uasc_at_end"].value == 1


@pytest.mark.parametrize(
    ("id_", "count"),
    [
        ("cla_by_age_under_1", 1),  # P10
        ("cla_by_age_1_4", 2),  # P11 (4th birthday on 31/03/2025), P12 (5 on 01/04/2025)
        ("cla_by_age_5_9", 1),  # P14
        ("cla_by_age_10_15", 10),  # P01-P08, P13 (10 on 31/03/2025), P15
        ("cla_by_age_16_plus", 2),  # P09, P17
        ("cla_by_sex_male", 9),
        ("cla_by_sex_female", 7),
        ("cla_by_ethnicity_white", 10),
        ("cla_by_ethnicity_mixed", 1),
        ("cla_by_ethnicity_asian", 1),
        ("cla_by_ethnicity_black", 1),
        ("cla_by_ethnicity_other", 1),
        ("cla_by_ethnicity_not_known", 2),  # REFU, NOBT
        ("cla_by_legal_status_interim_care_order", 1),
        ("cla_by_legal_status_full_care_order", 9),
        ("cla_by_legal_status_placement_order", 2),
        ("cla_by_legal_status_s20", 2),
        ("cla_by_legal_status_detained_for_child_protection", 1),
        ("cla_by_legal_status_youth_justice", 1),
    ],
)
def test_profile(got, id_, count):
    assert got[id_].value == count
    assert got[f"{id_}_pct"].value == pytest.approx(100 * count / CLA)


def test_waiting_with_a_placement_order(got):
    # P10 (E1) is placed for adoption (A5); P14 (E1) is in a Z1 placement.
    assert got["waiting_placement_order_not_placed"].value == 1


def test_every_authority_at_once_matches_one_authority(history):
    frame = engine.compute_all(history, "2024-25", ["cla_at_end", "placement_foster_pct"])
    assert frame.loc["", "cla_at_end"] == CLA
    assert frame.loc["", "placement_foster_pct"] == pytest.approx(100 * 7 / CLA)
