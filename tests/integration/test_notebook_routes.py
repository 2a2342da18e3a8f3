"""The report notebooks' two routes to their parameters, and the starter notebooks (issue 14).

An analyst: ``papermill notebooks/reports/<family>.ipynb OUT -p authority ... -p period ...``
(the papermill command line, as the README says). The report runner: the whole validated
``params`` and a ``work_dir``. Both must write the same section; a bad value must fail with the
CLI's message and write nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from reportgen.core.config import load_params
from reportgen.core.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from reportgen.run.kernels import ReusableKernel

pytestmark = pytest.mark.slow

PAPERMILL = [sys.executable, "-m", "papermill", "--kernel", "reportgen", "--no-progress-bar"]
EXPLORE_DIR = PROJECT_ROOT / "notebooks" / "explore"


def _outputs(path: Path) -> list[dict]:
    notebook = nbformat.read(path, as_version=4)
    return [o for cell in notebook.cells for o in cell.get("outputs", [])]


def test_papermill_plain_parameters_and_the_runner_write_the_same_section(tmp_path):
    source = NOTEBOOKS_DIR / "sufficiency.ipynb"
    by_hand = tmp_path / "by_hand.ipynb"
    subprocess.run(
        [*PAPERMILL, str(source), str(by_hand)]
        + ["-p", "authority", "Southwark", "-p", "period", "2023-24", "-p", "out", str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    # the default work_dir: <out>/<GSS code of Southwark>/<period>/work
    hand_work = tmp_path / "E09000028" / "2023-24" / "work"
    section = json.loads((hand_work / "sufficiency.json").read_text())
    assert (section["authority_code"], section["period"]) == ("E09000028", "2023-24")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["E09000028", "by_hand.ipynb"]

    runner_work = tmp_path / "runner"
    params = load_params("Southwark", "2023-24")
    with ReusableKernel() as kernel:
        papermill.execute_notebook(
            str(source),
            str(tmp_path / "runner.ipynb"),
            parameters={"params": params.to_notebook_parameters(), "work_dir": str(runner_work)},
            kernel_name="reportgen",
            km=kernel.start(),
            progress_bar=False,
        )
    assert (runner_work / "sufficiency.json").read_bytes() == (
        hand_work / "sufficiency.json"
    ).read_bytes()
    for chart in section["charts"]:
        assert (runner_work / chart["file"]).read_bytes() == (
            hand_work / chart["file"]
        ).read_bytes()

    # the executed notebook shows every indicator (ids whole) and the charts
    outputs = _outputs(by_hand)
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    for indicator in section["indicators"]:
        assert f">{indicator['id']}<" in html, indicator["id"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == len(section["charts"]) >= 1


def test_a_bad_authority_fails_with_the_cli_message_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [*PAPERMILL, str(NOTEBOOKS_DIR / "adoption.ipynb"), str(tmp_path / "bad.ipynb")]
        + ["-p", "authority", "Narnia", "-p", "out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    cli = subprocess.run(
        [str(Path(sys.executable).parent / "reportgen"), "report", "--authority", "Narnia"]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0 and cli.returncode != 0
    message = cli.stderr.strip().removeprefix("error: ")
    assert message.startswith("unknown authority 'Narnia'")
    assert f"UnknownAuthorityError: {message}" in run.stderr
    assert not out.exists()


@pytest.mark.parametrize("name", ["compare_with_neighbours.ipynb", "look_at_a_903_return.ipynb"])
def test_starter_notebooks_run_top_to_bottom(tmp_path, name):
    target = tmp_path / name
    papermill.execute_notebook(
        str(EXPLORE_DIR / name),
        str(target),
        kernel_name="reportgen",
        progress_bar=False,
        cwd=str(EXPLORE_DIR),
    )
    outputs = _outputs(target)
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "a chart"
    assert any("text/html" in o.get("data", {}) for o in outputs), "a table"
    shown = json.dumps(outputs)
    assert "SYN" not in shown  # no synthetic child id (they all start with SYN)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
