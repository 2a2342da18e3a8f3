"""``reportgen report --source ssda903`` end to end: a collection year and a quarter.

The expected figure is counted by hand from tests/fixtures/903/valid/README.md: at 31 March 2025
and at 31 December 2024 only C0001 is looked after (C0002 went home on 30/06/2024, C0005 was
adopted on 12/06/2024, C0003 left on an SGO on 20/12/2024, C0004 only had short breaks). A count
of 1 is withheld in a real paper (small-number rules), so these runs set ``disclosure: min_count:
1`` to let the figure through.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
VALID = PROJECT / "tests" / "fixtures" / "903" / "valid"
REPORTGEN = Path(sys.executable).with_name("reportgen")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(REPORTGEN), *args], capture_output=True, text=True, cwd=PROJECT, timeout=600
    )


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("period", "folder", "day"),
    [("2024-25", "2024-25", "31 March 2025"), ("2024-25 Q3", "2024-25-Q3", "31 December 2024")],
)
def test_report_from_903_returns(tmp_path, period, folder, day):
    params = tmp_path / "params.yaml"
    params.write_text("disclosure:\n  min_count: 1\n  min_denominator: 1\n")
    result = _run(
        "report",
        "--source",
        "ssda903",
        "--input",
        str(VALID),
        "--period",
        period,
        "--out",
        str(tmp_path),
        "--params",
        str(params),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "E10000018" / folder
    written = list(out.glob("*.docx"))
    assert len(written) == 1
    assert f"At {day} there was 1 child looked after" in _text(written[0])
    section = json.loads((out / "work" / "sufficiency.json").read_text())
    values = {r["id"]: r for r in section["indicators"]}
    assert values["cla_at_end"]["value"] == 1
    assert values["cla_at_end"]["england"] == 81_770  # DfE published, 31 March 2025
    # the monthly dashboard (Appendix C): twelve months ending with the period's last month,
    # whose month-end count is the period-end count above
    months = section["monthly"]
    last_month = f"{day.split()[-1]}-{ {'March': '03', 'December': '12'}[day.split()[1]] }"
    assert len(months) == 12 and list(months)[-1] == last_month
    assert months[last_month]["cla_at_end"] == 1
    assert "Appendix C: Monthly sufficiency dashboard" in _text(written[0])
    # Appendix D: reportgen's checks and the DfE's 903 rules on the 2024-25 return, by rule,
    # with no child's identifier (the fixture's children are C0001 to C0006)
    text = _text(written[0])
    assert text.count("Appendix D: Data quality of the 903 return") == 2  # listed, then given
    assert "reportgen's own checks, which the calculations depend on" in text
    assert "Leicestershire's SSDA903 returns to the DfE" in text  # Appendix A's data sources
    assert "Appendix D describes how they were checked" in text
    run = json.loads((out / "run.json").read_text())
    if run["data_quality"] == "ran":
        assert "of the 305 rules for 2024-25 applied" in text
        assert "Ofsted Unique reference number (URN) is required." in text  # rule 218's wording
    else:
        assert "The DfE's validation rules were not run" in text
    assert "C000" not in text


def test_report_refuses_returns_with_errors(tmp_path):
    returns = tmp_path / "returns"
    shutil.copytree(VALID, returns)
    placements = returns / "2025" / "placements.csv"
    placements.write_text(placements.read_text().replace("C0003,15/01/2024", "C0003,2024-01-15"))
    result = _run(
        "report", "--source", "ssda903", "--input", str(returns), "--out", str(tmp_path / "out")
    )
    assert result.returncode != 0
    message = result.stdout + result.stderr
    assert "validation error" in message
    assert "reportgen validate" in message
    assert not list((tmp_path / "out").glob("*/*/*.docx"))
