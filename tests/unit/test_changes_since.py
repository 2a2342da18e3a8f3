"""``reports --since FOLDER``: each authority's last paper is found in the folder by its run.json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.core.config import load_params
from reportgen.run.changes import last_paper

CODE = "E10000018"


def _paper(root: Path, period_label: str, folder: str, code: str = CODE) -> Path:
    run = root / code / folder / "run.json"
    run.parent.mkdir(parents=True)
    paper = run.parent / f"{code}_{folder}_children-in-care.docx"
    paper.write_bytes(b"PK")
    run.write_text(json.dumps({"period": period_label, "outputs": {"report": paper.name}}))
    return paper


def test_the_newest_paper_ending_before_this_period_is_the_last_one(tmp_path):
    _paper(tmp_path, "2022-23", "2022-23")
    year = _paper(tmp_path, "2023-24", "2023-24")
    _paper(tmp_path, "2024-25", "2024-25")  # the paper being written: not its own last paper
    _paper(tmp_path, "2023-24", "2023-24", code="E06000017")  # another authority's
    params = load_params(CODE, "2024-25")
    assert last_paper(tmp_path, params) == year
    # a quarter's paper that ends later (31 December 2024) is the last one the committee saw
    quarter = _paper(tmp_path, "2024-25 Q3", "2024-25-Q3")
    assert last_paper(tmp_path, params) == quarter
    assert last_paper(tmp_path, load_params(CODE, "2023-24")) is not None  # 2022-23
    assert last_paper(tmp_path, load_params(CODE, "2022-23")) is None  # nothing earlier


def test_a_run_without_its_paper_or_with_a_bad_run_json_is_passed_over(tmp_path):
    gone = _paper(tmp_path, "2023-24", "2023-24")
    gone.unlink()
    bad = tmp_path / CODE / "2022-23" / "run.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("{not json")
    assert last_paper(tmp_path, load_params(CODE, "2024-25")) is None
    assert last_paper(tmp_path / "missing", load_params(CODE, "2024-25")) is None


def test_reports_since_must_be_a_folder(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["reports", "--since", str(tmp_path / "none")])
    assert missing.exit_code == 2
    assert "--since" in missing.output and "not found" in missing.output
    paper = tmp_path / "last.docx"
    paper.write_bytes(b"PK")
    a_file = runner.invoke(app, ["reports", "--since", str(paper)])
    assert a_file.exit_code == 2 and "give the folder of earlier papers" in a_file.output
