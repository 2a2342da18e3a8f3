"""``reportgen reports --resume``: a second run skips every unchanged report; a changed parameter
re-runs only that authority's report. Runs the CLI on a copy of the project's params
(``REPORTGEN_HOME``) so that a parameter can be changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture
def home(project_root, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for name in ("data", "templates", "notebooks"):
        (home / name).symlink_to(project_root / name)
    shutil.copytree(project_root / "params", home / "params")
    return home


def _reports(home, out, *extra):
    env = {**os.environ, "REPORTGEN_HOME": str(home)}
    completed = subprocess.run(
        [sys.executable, "-m", "reportgen.cli.app", "reports", "--period", "2023-24"]
        + ["--authorities", "Southwark 855", "--out", str(out), "--resume", *extra],
        cwd=home.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    summary = json.loads((out / "batch.json").read_text())
    return summary, {r["authority"]: r for r in summary["reports"]}


def test_resume_skips_unchanged_and_reruns_a_changed_param(home, tmp_path):
    out = tmp_path / "out"
    first, _ = _reports(home, out, "--workers", "2")
    assert (first["written"], first["skipped"]) == (2, 0)
    leicestershire = next((out / "E10000018" / "2023-24").glob("*.docx"))
    written_at = leicestershire.stat().st_mtime_ns

    second, reports = _reports(home, out)
    assert (second["written"], second["skipped"]) == (0, 2)
    assert all("unchanged" in r["reason"] for r in reports.values())

    southwark = home / "params" / "authorities" / "E09000028.yaml"
    text = southwark.read_text()
    assert "committee: Corporate Parenting Committee" in text
    southwark.write_text(
        text.replace(
            "committee: Corporate Parenting Committee", "committee: Corporate Parenting Board"
        )
    )
    third, reports = _reports(home, out, "--workers", "1")
    assert (third["written"], third["skipped"]) == (1, 1)
    assert reports["Southwark"]["status"] == "written"
    assert reports["855"]["status"] == "skipped"
    assert leicestershire.stat().st_mtime_ns == written_at
    run = json.loads((out / "E09000028" / "2023-24" / "run.json").read_text())
    assert run["params"]["committee"] == "Corporate Parenting Board"
