"""The DfE's own 903 rules (csc-validator-be-903 0.1.17, in its own environment) through
``reportgen validate --dfe-rules``: planted errors are reported with the right rule, file and
row, and a synthetic return has no errors, only the validator's known defects.

The rule codes of the planted errors are the DfE's (903 validation rules 2024-25): 101 sex not
valid, 103 ethnicity not valid, 143 reason for new episode not valid, 144 legal status not
valid, 146 placement type not valid. Rows are as a spreadsheet shows them (header = row 1).

The environment is made on first use (about 2 minutes with a download); when it cannot be made
(offline), the tests are skipped with the reason.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app

pytestmark = pytest.mark.slow

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "valid"
HEADER = "SSDA903_2024-25_children.csv"
EPISODES = "placements.csv"

PLANTED = [
    # (file, row, child, column, planted value, DfE rule)
    (HEADER, 3, "C0002", "SEX", "Z", "101"),
    (HEADER, 5, "C0004", "ETHNIC", "XXXX", "103"),
    (EPISODES, 4, "C0003", "RNE", "Q", "143"),
    (EPISODES, 2, "C0001", "LS", "Q9", "144"),
    (EPISODES, 6, "C0005", "PLACE", "Z9", "146"),
]


@pytest.fixture(scope="module")
def validator():
    from reportgen.sources.dfe_rules import ValidatorUnavailable, validator_python

    try:
        return validator_python()
    except ValidatorUnavailable as error:
        pytest.skip(str(error))


def _plant(folder: Path) -> None:
    for name, row, child, column, value, _ in PLANTED:
        path = folder / name
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        target = rows[row - 2]
        assert target["CHILD"] == child
        target[column] = value
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


def _validate(folder: Path, out: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(
        app,
        ["validate", str(folder / "2025"), "--year", "2025", "--previous", str(folder / "2024")]
        + ["--dfe-rules", "--authority", "Leicestershire", "--csv", str(out)],
    )
    with out.open(encoding="utf-8-sig", newline="") as handle:
        return result.exit_code, list(csv.DictReader(handle))


def test_planted_errors_are_reported_with_rule_file_and_row(validator, tmp_path):
    clean, planted = tmp_path / "clean", tmp_path / "planted"
    shutil.copytree(VALID, clean)
    shutil.copytree(VALID, planted)
    _plant(planted / "2025")
    _, before = _validate(clean, tmp_path / "clean.csv")
    code, after = _validate(planted, tmp_path / "planted.csv")
    assert code == 1
    for name, row, child, column, value, rule in PLANTED:
        key = {"source": "DfE", "rule": rule, "file": name, "row": str(row), "child": child}
        matches = [f for f in after if all(f[k] == v for k, v in key.items())]
        assert matches, f"rule {rule} not reported for {name} row {row}"
        assert matches[0]["severity"] == "error"
        assert f"{column}={value}" in matches[0]["values"]
        assert not [f for f in before if all(f[k] == v for k, v in key.items())]
    # reportgen's own checks see the bad codes too, in the same table
    assert {("reportgen", "SEX"), ("reportgen", "PLACE")} <= {
        (f["source"], f["columns"]) for f in after
    }


def _header_sex(folder: Path) -> dict[str, str]:
    import pandas as pd

    header = pd.read_csv(folder / "synthetic_header.csv", dtype=str)
    return dict(zip(header["CHILD"], header["SEX"], strict=True))


def test_a_synthetic_return_has_only_known_validator_issues(validator):
    import pandas as pd
    import qlacref_authorities

    from reportgen.indicators.published import published_values
    from reportgen.sources import geo
    from reportgen.sources.dfe_rules import check_history
    from reportgen.sources.dfe_rules.findings import FAILED, KNOWN
    from reportgen.sources.synthetic import ensure_return

    folder = Path(ensure_return("E10000018", "2024-25", published=published_values))
    (run,) = check_history(folder, "E10000018", years={2025})
    assert run.previous and run.rules_run > 280
    assert not run.errors, "\n".join(f"{f.rule} {f.file} {f.row}: {f.message}" for f in run.errors)
    assert not [f for f in run.findings if f.severity == FAILED]
    known = [f for f in run.findings if f.severity == KNOWN]
    assert {f.rule for f in known} <= {"146", "169", "202", "231", "624", "1001", "1002"}
    # check the known issues from the data, independently of the recognisers
    episodes = pd.read_csv(folder / "2025" / "synthetic_episodes.csv", dtype=str)
    lookup_2021 = {r["LTLA21CD"] for r in qlacref_authorities.records}
    this, last = _header_sex(folder / "2025"), _header_sex(folder / "2024")
    same = {"M": "1", "F": "2"}
    for f in known:
        if f.rule == "146":
            assert episodes.loc[f.row - 2, "PLACE"] == "K3"
        elif f.rule == "169":
            postcode = episodes.loc[[f.row - 2], "PL_POST"]
            ltla = geo.centroids(postcode)["ltla"].iloc[0]
            assert isinstance(ltla, str) and ltla not in lookup_2021
        elif f.rule == "202":
            assert same[this[f.child]] == last[f.child]
        elif f.rule == "231":
            assert f.row is None
