"""The DfE rules' plumbing without the validator: known-issue recognition, findings, the cache,
a missing environment, and the data-quality summary (hand-made runner output)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.sources.dfe_rules import check, environment
from reportgen.sources.dfe_rules.findings import FAILED, KNOWN
from reportgen.sources.dfe_rules.known_issues import Facts, known_reasons

VALID = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "valid"


def hit(code, table="Episodes", row=2, child="C1", **values):
    context = values.pop("context", None)
    found = {
        "code": code,
        "table": table,
        "file": "placements.csv",
        "row": row,
        "child": child,
        "fields": list(values),
        "values": values,
    }
    if context is not None:
        found["context"] = context
    return found


# ------------------------------------------------------------------------------ known issues


def test_k3_is_known_in_2024_25_only_and_only_for_k3():
    hits = [hit("146", PLACE="K3"), hit("146", row=3, PLACE="Z9")]
    assert [bool(r) for r in known_reasons(hits, Facts(2025, False))] == [True, False]
    assert known_reasons(hits, Facts(2024, False)) == ["", ""]


def test_placement_area_unknown_to_the_2021_lookup():
    newer = {"PL_POST_LTLA": "E06000063", "LTLA_IN_VALIDATOR_LOOKUP": False}
    old = {"PL_POST_LTLA": "E07000026", "LTLA_IN_VALIDATOR_LOOKUP": True}
    unmatched = {"PL_POST_LTLA": "", "LTLA_IN_VALIDATOR_LOOKUP": False}  # a postcode that is wrong
    hits = [hit("169", context=c, PL_LA="") for c in (newer, old, unmatched)]
    reasons = known_reasons(hits, Facts(2025, False))
    assert "E06000063" in reasons[0] and reasons[1:] == ["", ""]


def test_sex_recoding_is_known_only_when_the_sex_is_the_same():
    hits = [
        hit("202", "Header", 2, "C1", SEX="M"),
        hit("202", "Header_last", 2, "C1", SEX="1"),
        hit("202", "Header", 3, "C2", SEX="F"),
        hit("202", "Header_last", 3, "C2", SEX="1"),  # 1 = male: a real change
    ]
    assert [bool(r) for r in known_reasons(hits, Facts(2025, True))] == [True, True, False, False]
    assert known_reasons(hits, Facts(2025, False)) == [""] * 4  # rule needs last year's data
    assert known_reasons(hits, Facts(2024, True)) == [""] * 4  # codes were the same kind then


def test_blank_mothers_date_is_known_for_624():
    hits = [
        hit("624", "Header", 2, "C1", MC_DOB=""),
        hit("624", "Header", 3, "C2", MC_DOB="01/02/2020"),
    ]
    assert [bool(r) for r in known_reasons(hits, Facts(2025, True))] == [True, False]


def test_care_leavers_the_validator_cannot_see():
    facts = Facts(2025, True, earlier_children={"C1"}, earliest_year=2021)  # data from 1 Apr 2020
    hits = [
        hit("1001", "OC3", 2, "C1", context={"DOB": "01/06/2005"}),  # in an older return
        hit("1001", "OC3", 3, "C2", context={"DOB": "31/03/2004"}),  # 16 on 31/03/2020: before
        hit("1001", "OC3", 4, "C3", context={"DOB": "01/04/2004"}),  # 16 on 01/04/2020: visible
        hit(
            "1002",
            "OC3",
            5,
            "C4",
            context={"DOB": "01/06/2005", "FLAGGED_WITH_DISTINCT_ROWS": False},
        ),
    ]
    reasons = known_reasons(hits, facts)
    assert "before the previous year" in reasons[0]
    assert "turned 16 before 1 April 2020" in reasons[1]
    assert reasons[2] == ""
    assert "without renumbering" in reasons[3]


def test_findings_keep_file_row_child_and_mark_known_and_failed_rules():
    raw = {
        "local_authority": "E10000018",
        "rules": {
            "total": 305,
            "run": 271,
            "skipped": 33,
            "crashed": {"231": "KeyError", "999": "X"},
        },
        "descriptions": {"146": "Placement type code is not a valid code."},
        "findings": [hit("146", row=4, child="C9", PLACE="K3"), hit("146", row=5, PLACE="Z1")],
        "unread": [{"file": "notes.csv", "reason": "columns match no 903 table"}],
    }
    found = check.to_findings(raw, Facts(2025, False), "2025/")
    k3, z1, crash_231, crash_999, unread = found
    assert (k3.rule, k3.file, k3.row, k3.child, k3.values) == (
        "146",
        "2025/placements.csv",
        4,
        "C9",
        "PLACE=K3",
    )
    assert k3.severity == KNOWN and k3.message == "Placement type code is not a valid code."
    assert z1.severity == "error" and z1.reason == ""
    assert crash_231.severity == KNOWN and "UASC_STATUS" in crash_231.reason
    assert crash_999.severity == FAILED and crash_999.row is None
    assert unread.severity == "warning" and unread.file == "2025/notes.csv"


# ------------------------------------------------------------------------------ cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_DFE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def canned(year, authority, *_):
    return {
        "local_authority": authority,
        "validator_version": "0.1.17",
        "rules": {"total": 305, "run": 300, "skipped": 5, "crashed": {}},
        "descriptions": {"101": "The child or young person's reported sex is not valid."},
        "findings": [hit("101", "Header", 3, "C0002", SEX="Z")],
    }


def test_results_are_cached_per_input(cache, tmp_path, monkeypatch):
    calls = []

    def fake(*args):
        calls.append(args)
        return canned(*args)

    monkeypatch.setattr(check, "_run_validator", fake)
    folder = tmp_path / "2025"
    shutil.copytree(VALID / "2025", folder)
    first = check.run_rules(folder, 2025, "E10000018")
    second = check.run_rules(folder, 2025, "E10000018")
    assert len(calls) == 1 and not first.cached and second.cached
    assert second.findings == first.findings and second.errors[0].row == 3
    (folder / "placements.csv").write_text((folder / "placements.csv").read_text() + "\n")
    check.run_rules(folder, 2025, "E10000018")
    assert len(calls) == 2  # a changed file is checked again


def test_no_rules_before_2022_23(cache, tmp_path):
    with pytest.raises(check.DataError, match="from 2022-23"):
        check.run_rules(VALID / "2024", 2022, "E10000018")


def test_an_environment_that_cannot_be_made_is_one_line_and_leaves_nothing(cache, monkeypatch):
    monkeypatch.setattr(environment, "_base_python", lambda: "/nonexistent/python3.11")
    with pytest.raises(environment.ValidatorUnavailable) as raised:
        environment.validator_python()
    assert "cannot make the DfE validator's environment" in str(raised.value)
    assert "\n" not in str(raised.value)
    assert not environment.env_dir().exists()


def test_a_failed_attempt_is_not_repeated_for_an_hour_unless_asked(cache, monkeypatch):
    calls = []

    def fail(env):
        calls.append(env)
        raise environment.ValidatorUnavailable("cannot make it: no network")

    monkeypatch.setattr(environment, "_make", fail)
    for _ in range(2):
        with pytest.raises(environment.ValidatorUnavailable, match="no network"):
            environment.validator_python()
    assert len(calls) == 1  # the second report did not wait for pip again
    with pytest.raises(environment.ValidatorUnavailable, match="less than an hour ago"):
        environment.validator_python()
    with pytest.raises(environment.ValidatorUnavailable):
        environment.validator_python(retry=True)
    assert len(calls) == 2


def test_validate_carries_on_with_its_own_checks_when_the_validator_is_unavailable(
    cache, monkeypatch, tmp_path
):
    monkeypatch.setattr(environment, "_base_python", lambda: "/nonexistent/python3.11")
    out = tmp_path / "findings.csv"
    result = CliRunner().invoke(
        app, ["validate", str(VALID / "2025"), "--year", "2025", "--dfe-rules", "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "DfE rules not run: cannot make the DfE validator's environment" in result.output
    assert "reportgen checks: no problems" in result.output
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("source,rule,severity")


def test_validate_merges_the_dfe_findings(cache, monkeypatch, tmp_path):
    monkeypatch.setattr(check, "_run_validator", canned)
    out = tmp_path / "findings.csv"
    result = CliRunner().invoke(
        app,
        ["validate", str(VALID / "2025"), "--year", "2025", "--dfe-rules", "--csv", str(out)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1  # a DfE error
    assert "1 error in 1 rule" in result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("DfE,101,error,placements.csv,3,C0002,SEX,SEX=Z,")


def test_previous_needs_year_and_dfe_rules(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(VALID), "--previous", str(VALID / "2024")])
    assert result.exit_code == 2 and "--previous needs --year and --dfe-rules" in result.output


# ------------------------------------------------------------------------------ data quality


def test_summary_counts_by_rule_withholds_small_counts_and_names_no_child(cache, monkeypatch):
    from reportgen.core.config import load_params
    from reportgen.report import data_quality

    def many(year, authority, *_):
        raw = canned(year, authority)
        raw["rules"]["crashed"] = {"231": "KeyError: 'UASC_STATUS'"}
        raw["descriptions"]["218"] = "Ofsted Unique reference number (URN) is required."
        raw["findings"] = [hit("218", row=r, child=f"C{r}", URN="") for r in range(2, 9)]
        raw["findings"] += [hit("101", "Header", 3, "C0002", SEX="Z")]
        raw["findings"] += [hit("146", row=9, child="C77", PLACE="K3")]
        return raw

    monkeypatch.setattr(check, "_run_validator", many)
    params = load_params("Leicestershire", "2024-25", source="ssda903", input=str(VALID))
    summary = data_quality.summarise(params)
    dfe = summary["dfe"]
    assert summary["own"] == {"errors": 0, "warnings": 0}
    assert [(r["rule"], r["rows"], r["text"]) for r in dfe["rules"]] == [
        ("218", 7, "7"),
        ("101", None, "<5"),
    ]
    assert dfe["rows_flagged"] == {"rows": 8, "text": "8"}
    assert [(k["rule"], k["text"]) for k in dfe["known"]] == [("146", "<5")]
    assert dfe["failed"][0]["rule"] == "231" and dfe["failed"][0]["reason"]
    text = json.dumps(summary)
    assert "C0002" not in text and "C77" not in text
    appendix = data_quality.appendix(summary, "D", params)
    cells = [
        c
        for s in appendix.sections
        for b in s.blocks
        for row in getattr(b, "rows", ())
        for c in row
    ]
    assert "Ofsted Unique reference number (URN) is required." in cells
    assert not any(c.startswith("C") and c[1:].isdigit() for c in cells)


def test_summary_says_why_the_rules_did_not_run(cache, monkeypatch):
    from reportgen.core.config import load_params
    from reportgen.report import data_quality

    monkeypatch.setattr(environment, "_base_python", lambda: "/nonexistent/python3.11")
    params = load_params("Leicestershire", "2024-25", source="ssda903", input=str(VALID))
    summary = data_quality.summarise(params)
    assert summary["dfe"]["status"] == "not run"
    assert data_quality.notes(summary)[0].startswith("DfE 903 rules not run")
    off = data_quality.summarise(params.model_copy(update={"dfe_rules": False}))
    assert off["dfe"]["status"] == "off" and data_quality.notes(off) == []
