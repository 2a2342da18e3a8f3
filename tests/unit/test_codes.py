"""903 code lists per collection year (reportgen.codes).

Expected values come from indicators.md sections 3 and 6 (and the DfE validator rule files it
cites), not from the YAML itself.
"""

from __future__ import annotations

import doctest

import pytest

import reportgen.codes
from reportgen.codes import (
    CodeListError,
    _load,
    code_info,
    codes_in_group,
    describe,
    field_for_column,
    group_of,
    valid_codes,
)


def test_module_examples():
    failures, attempted = doctest.testmod(reportgen.codes)
    assert attempted > 0
    assert failures == 0


# V lac2025_26/rule_146, copied by hand.
PLACE_2025_26 = {
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6",
    "Z11", "Z12", "Z13", "Z14",
}  # fmt: skip


def test_placement_codes_2025_26_match_the_dfe_validator():
    assert valid_codes("PLACE", 2026) == PLACE_2025_26


def test_placement_codes_2024_25_add_k3_to_h5_p2_and_z1():
    codes_2025 = valid_codes("PLACE", 2025)
    assert PLACE_2025_26 - {"Z11", "Z12", "Z13", "Z14"} | {"H5", "P2", "Z1"} == codes_2025


@pytest.mark.parametrize(
    ("field", "code", "valid_years", "invalid_years"),
    [
        ("PLACE", "K3", [2025, 2026], [2023, 2024]),
        ("PLACE", "H5", [2019, 2024, 2025], [2026]),
        ("PLACE", "P2", [2024, 2025], [2026]),
        ("PLACE", "Z1", [2025], [2026]),
        ("PLACE", "Z12", [2026], [2025]),
        ("REC", "E43", [2017, 2018], [2019]),
        ("REC", "E44", [2018], [2019, 2025]),
        ("REC", "E45", [2019, 2026], [2018]),
        ("REC", "E48", [2019], [2018]),
        ("REC", "E17", [2021, 2025], [2019, 2020]),
        ("REASON_PLACE_CHANGE", "CUSTOD", [2019, 2025], [2018]),
        ("ACTIV", "F3", [2021], [2022]),
        ("ACTIV", "P3", [2020], [2022]),
        ("ACTIV", "F4", [2022, 2025], [2021]),
        ("ACTIV", "P5", [2022], [2021]),
        ("SEX", "1", [2019, 2024], [2025]),
        ("SEX", "2", [2024], [2025]),
        ("SEX", "M", [2025, 2026], [2024]),
        ("SEX", "U", [2025], [2024]),
    ],
)
def test_code_changes_by_collection_year(field, code, valid_years, invalid_years):
    for year in valid_years:
        assert code in valid_codes(field, year), (field, code, year)
    for year in invalid_years:
        assert code not in valid_codes(field, year), (field, code, year)


def test_valid_lists_of_other_fields():
    assert valid_codes("RNE", 2025) == {"S", "L", "P", "T", "B", "U"}
    assert valid_codes("PLACE_PROVIDER", 2025) == {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"}
    assert valid_codes("IN_TOUCH", 2025) == {"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"}
    assert valid_codes("MISSING", 2025) == {"M", "A"}
    assert len(valid_codes("ETHNIC", 2025)) == 20
    assert valid_codes("CIN", 2025) == {f"N{i}" for i in range(1, 9)}
    assert valid_codes("LS", 2025) == {
        "C1", "C2", "D1", "E1", "V2", "V3", "V4", "L1", "L2", "L3", "J1", "J2", "J3",
    }  # fmt: skip
    # V rule_133: 31 accommodation codes, S and X only as "not suitable"
    accom = valid_codes("ACCOM", 2025)
    assert len(accom) == 31
    assert "S1" not in accom and "X1" not in accom and {"S2", "X2", "0"} <= accom


def test_rec_2024_25_is_the_validator_list():
    # V rule_149
    assert valid_codes("REC", 2025) == {
        "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48",
        "E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "year", "group"),
    [
        ("E11", 2025, "adopted"),
        ("E12", 2025, "adopted"),
        ("E43", 2018, "sgo"),
        ("E46", 2025, "sgo"),
        ("E4A", 2025, "returned_home"),
        ("E4B", 2025, "returned_home"),
        ("E5", 2025, "independent_living"),
        ("E6", 2025, "independent_living"),
        ("E13", 2025, "other"),
        ("E17", 2025, "other"),
        ("E8", 2025, "other"),
        ("X1", 2025, None),  # not a cessation
        ("E43", 2019, None),  # no longer valid
        ("E17", 2020, None),  # not yet valid
    ],
)
def test_reason_ceased_groups(code, year, group):
    assert group_of("REC", code, year) == group


def test_care_leaver_groups():
    assert group_of("ACTIV", "F5", 2025) == "eet"
    assert group_of("ACTIV", "P1", 2025) == "eet"
    assert group_of("ACTIV", "G6", 2025) == "neet"
    assert group_of("ACTIV", "0", 2025) == "unknown"
    assert group_of("ACCOM", "Z1", 2025) == "suitable"
    assert group_of("ACCOM", "S2", 2025) == "unsuitable"
    assert group_of("ACCOM", "0", 2025) == "unknown"
    assert group_of("ACCOM", "G1", 2025, grouping="suitability_total") == "excluded"
    assert group_of("ACCOM", "U1", 2025, grouping="suitability_total") == "included"
    assert group_of("IN_TOUCH", "YES", 2025) == "in_touch"
    assert group_of("IN_TOUCH", "REFU", 2025) == "not_in_touch"
    assert group_of("IN_TOUCH", "RHOM", 2025) == "excluded"
    assert codes_in_group("ACTIV", "neet", 2025) == {"G4", "G5", "G6"}
    assert codes_in_group("ACTIV", "eet", 2021) == {"F1", "P1", "F2", "P2", "F3", "P3"}


def test_placement_groups_and_dfe_labels():
    assert codes_in_group("PLACE", "foster", 2025) == {"U1", "U2", "U3", "U4", "U5", "U6"}
    assert codes_in_group("PLACE", "relative_or_friend", 2025, grouping="carer") == {
        "U1",
        "U2",
        "U3",
    }
    assert codes_in_group("PLACE", "supported_accommodation", 2025) == {"H5", "P2", "K3", "P3"}
    assert codes_in_group("PLACE", "supported_accommodation", 2026) == {"K3", "P3"}
    assert group_of("PLACE", "K2", 2025, "dfe_group") == "Secure homes and children's homes"
    assert group_of("PLACE", "A5", 2025, "dfe_group") == "Placed for adoption"
    assert group_of("PLACE", "T1", 2025, "dfe_group") is None
    assert group_of("PLACE_PROVIDER", "PR4", 2025) == "private"
    assert group_of("RNE", "B", 2025) == "new_carer"
    assert group_of("RNE", "U", 2025) == "same_carer"
    assert group_of("LS", "V3", 2025) == "short_break"


def test_lookups_ignore_case_and_spaces():
    assert group_of("rec", " e11 ", 2025) == "adopted"
    assert "K3" in valid_codes("place", 2025)
    assert (
        describe("Place", "u4") == "Foster placement with other foster carer: long-term fostering"
    )


def test_describe_unknown_code_says_so():
    assert describe("PLACE", "XX") == "unknown PLACE code 'XX'"


def test_unknown_field_is_a_key_error():
    with pytest.raises(KeyError, match="no 903 code list for 'PLACEMENT'"):
        valid_codes("PLACEMENT", 2025)


def test_oc2_flags_share_one_list():
    assert field_for_column("CONVICTED") == "OC2_FLAG"
    assert field_for_column("intervention_offered") == "OC2_FLAG"
    assert valid_codes("HEALTH_CHECK", 2025) == {"0", "1"}
    assert field_for_column("DECOM") is None


def test_minimum_ages_and_dates():
    # indicators.md section 3: H5/P2 minimum 16 from 2023-24 (was 14/15), K3 16 from 2024-25
    assert code_info("PLACE", "H5").min_age_in(2023) == 14
    assert code_info("PLACE", "H5").min_age_in(2024) == 16
    assert code_info("PLACE", "P2").min_age_in(2023) == 15
    assert code_info("PLACE", "P2").min_age_in(2025) == 16
    assert code_info("PLACE", "K3").min_age_in(2025) == 16
    assert code_info("PLACE", "U4").min_age_in(2025) is None
    assert str(code_info("PLACE", "P2").must_end_by) == "2023-10-28"
    assert code_info("PLACE", "K3").validity() == "valid from 2024-25"
    assert code_info("SEX", "1").validity() == "valid up to 2023-24"


def test_unquoted_yaml_booleans_are_refused(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "IN_TOUCH:\n  title: In touch\n  codes:\n    NO: {meaning: No, group: not_in_touch}\n",
        encoding="utf-8",
    )
    with pytest.raises(CodeListError, match="quote the code"):
        _load(tmp_path)


def test_a_field_defined_twice_is_refused(tmp_path):
    text = "SEX:\n  title: Sex\n  codes:\n    'M': {meaning: Male}\n"
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CodeListError, match="also in a.yaml"):
        _load(tmp_path)
