"""``make reports``: many authorities, one failure isolated, summary and non-zero exit."""

from __future__ import annotations

import json
import subprocess

import pytest

pytestmark = pytest.mark.slow


def test_batch_continues_past_a_failure_and_exits_non_zero(project_root, tmp_path):
    out = tmp_path / "out"
    completed = subprocess.run(
        [
            "make",
            "reports",
            "PERIOD=2023-24",
            "AUTHORITIES=Southwark 855 Nowhereshire",
            "WORKERS=2",
            f"OUT={out}",
        ],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode != 0
    summary = json.loads((out / "batch.json").read_text())
    assert summary["written"] == 2
    assert summary["failed"] == 1
    failed = [r for r in summary["reports"] if r["status"] == "failed"]
    assert failed[0]["authority"] == "Nowhereshire"
    assert "unknown authority" in failed[0]["reason"]
    assert (out / "E09000028" / "2023-24").is_dir()
    assert len(list((out / "E10000018" / "2023-24").glob("*.docx"))) == 1
    assert "Failed reports" in completed.stdout
