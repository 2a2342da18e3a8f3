"""A re-run after editing only officer text or a narrative template reuses the notebooks' results.

``reportgen report`` on a copy of the project's params and templates (``REPORTGEN_HOME``): the
second run copies ``work/`` and the executed notebooks of the first instead of running the
notebooks, and writes the same .docx byte for byte; officer text still reaches the paper; a
changed input the notebooks read, or a tampered ``work/`` file, runs the notebooks again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

pytestmark = pytest.mark.slow

CODE, PERIOD = "E06000017", "2023-24"  # Rutland: a small authority


@pytest.fixture
def home(project_root, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    for name in ("data", "notebooks"):
        (home / name).symlink_to(project_root / name)
    for name in ("params", "templates"):
        shutil.copytree(project_root / name, home / name)
    return home


def _report(home, out) -> dict:
    env = {**os.environ, "REPORTGEN_HOME": str(home)}
    completed = subprocess.run(
        [sys.executable, "-m", "reportgen.cli.app", "report", "--authority", CODE]
        + ["--period", PERIOD, "--out", str(out)],
        cwd=home.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads((out / CODE / PERIOD / "run.json").read_text())


def _ran_notebooks(run: dict) -> bool:
    timings = run["timings_seconds"]
    ran = any(key.startswith("notebook_") for key in timings)
    assert ran != ("notebooks_reused" in timings)
    return ran


def _docx(out):
    return next((out / CODE / PERIOD).glob("*.docx"))


def _document_xml(out) -> str:
    with zipfile.ZipFile(_docx(out)) as archive:
        return archive.read("word/document.xml").decode()


def test_rerun_reuses_notebook_results_and_writes_the_same_bytes(home, tmp_path):
    out = tmp_path / "out"
    first = _report(home, out)
    assert _ran_notebooks(first)
    full_bytes = _docx(out).read_bytes()
    work = {p.name: p.read_bytes() for p in (out / CODE / PERIOD / "work").iterdir()}

    second = _report(home, out)  # nothing changed: the fast path
    assert not _ran_notebooks(second)
    assert _docx(out).read_bytes() == full_bytes
    assert second["notebooks_fingerprint"] == first["notebooks_fingerprint"]
    assert {p.name for p in (out / CODE / PERIOD / "notebooks").iterdir()} == {
        f"{n}.{ext}"
        for n in ("sufficiency", "adoption", "care_leavers", "forecast")
        for ext in ("ipynb", "html")
    }

    # the officer writes the conclusions: the paper changes, the notebooks do not run
    own = home / "params" / "authorities" / CODE / PERIOD
    own.mkdir(parents=True, exist_ok=True)
    (own / "conclusions.md").write_text("Rutland's officers wrote this conclusion by hand.\n")
    third = _report(home, out)
    assert not _ran_notebooks(third)
    assert "wrote this conclusion by hand" in _document_xml(out)
    assert third["fingerprint"] != second["fingerprint"]
    assert {p.name: p.read_bytes() for p in (out / CODE / PERIOD / "work").iterdir()} == work

    # a narrative template is edited: still no notebooks
    template = home / "templates" / "narrative" / "conclusions.md"
    template.write_text(template.read_text() + "\n{# reviewed #}\n")
    assert not _ran_notebooks(_report(home, out))

    # an input the notebooks read (the unit costs) changes: the notebooks run again
    costs = home / "params" / "costs.yaml"
    costs.write_text(costs.read_text() + "\n# reviewed\n")
    assert _ran_notebooks(_report(home, out))

    # a work/ file no longer has the recorded hash: the notebooks run again
    chart = out / CODE / PERIOD / "work" / "sufficiency_cla_rate.png"
    chart.write_bytes(chart.read_bytes() + b"\0")
    assert _ran_notebooks(_report(home, out))
    assert chart.read_bytes() == work["sufficiency_cla_rate.png"]  # drawn again
