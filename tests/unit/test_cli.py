"""The CLI's errors: one readable line, a non-zero exit, nothing written."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from reportgen.cli.app import app

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_unknown_authority_suggests_close_matches_and_writes_nothing(tmp_path):
    result = _run("report", "--authority", "Leicestershir", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "did you mean Leicestershire (E10000018, 855)" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_bad_period_names_the_accepted_forms(tmp_path):
    result = _run("report", "--period", "2024-26", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "invalid period '2024-26'" in result.output
    assert "2024-25" in result.output
    assert list(tmp_path.iterdir()) == []


def test_quarter_needs_903_data(tmp_path):
    result = _run("report", "--period", "2024-25Q3", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "SOURCE=ssda903" in result.output


def test_authority_without_published_data(tmp_path):
    result = _run("report", "--authority", "Isles of Scilly", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "no published data for Isles of Scilly" in result.output


def test_reports_rejects_period_and_periods_together(tmp_path):
    result = _run(
        "reports", "--period", "2024-25", "--periods", "2021-22:2022-23", "--out", str(tmp_path)
    )
    assert result.exit_code == 2
    assert "PERIOD or PERIODS" in result.output


def test_list_authorities_lists_153():
    result = _run("list-authorities")
    assert result.exit_code == 0
    codes = set(re.findall(r"\bE(?:06|08|09|10)\d{6}\b", result.output))
    assert len(codes) == 153
    assert {"E10000018", "E09000028"} <= codes


def test_a_likely_rerun_is_told_from_what_out_holds(tmp_path):
    """``reportgen report`` starts its kernels before loading anything unless OUT may already
    hold this report (whose notebooks' results a re-run reuses without a kernel)."""
    from reportgen.cli.app import _may_be_a_rerun

    out = tmp_path / "out"
    assert not _may_be_a_rerun(str(out), None, None)  # no folder at all
    run = out / "E06000017" / "2024-25" / "run.json"
    run.parent.mkdir(parents=True)
    run.write_text('{"authority": {"code": "E06000017", "name": "Rutland"}}')
    assert _may_be_a_rerun(str(out), None, None)  # the default authority may be any
    assert _may_be_a_rerun(str(out), "rutland", None)  # the name, in any case
    assert _may_be_a_rerun(str(out), "E06000017", "2024-25")  # the code and the period
    assert not _may_be_a_rerun(str(out), "Rutland", "2023-24")  # another period
    assert not _may_be_a_rerun(str(out), "Southwark", None)  # another authority
    run.write_text("{not json")
    assert not _may_be_a_rerun(str(out), "Rutland", None)  # unreadable: start early
    assert _may_be_a_rerun(str(out), "e06000017", None)  # the folder names the code
