"""Each report notebook through papermill for one authority, on the registered kernel.

Expected values are the DfE published figures for Leicestershire 2024-25 (the spot-check table in
shared/data/dfe/README.md, typed in by hand), not the program's own output.
"""

from __future__ import annotations

import json

import nbformat
import papermill
import pytest

from reportgen.core.config import load_params
from reportgen.core.paths import NOTEBOOKS_DIR
from reportgen.report.notebook_api import FAMILIES
from reportgen.run.kernels import ReusableKernel

pytestmark = pytest.mark.slow

EXPECTED = {
    "sufficiency": {
        "cla_at_end": 694,
        "cla_rate_per_10k": 47,
        "started": 299,
        "ceased": 332,
        "stability_3plus_pct": 10,
        "stability_long_term_pct": 75,
    },
    "adoption": {},
    "care_leavers": {"cl_19_21_eet_pct": 59, "cl_19_21_suitable_accom_pct": 94},
}
ENGLAND = {"cla_at_end": 81770, "cla_rate_per_10k": 67, "cl_19_21_eet_pct": 54}


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    params = load_params("Leicestershire", "2024-25")
    folder = tmp_path_factory.mktemp("notebooks")
    work = folder / "work"
    with ReusableKernel() as kernel:
        for family in FAMILIES:
            papermill.execute_notebook(
                str(NOTEBOOKS_DIR / f"{family}.ipynb"),
                str(folder / f"{family}.ipynb"),
                parameters={"params": params.to_notebook_parameters(), "work_dir": str(work)},
                kernel_name="reportgen",
                km=kernel.start(),
                progress_bar=False,
            )
    return folder


@pytest.mark.parametrize("family", FAMILIES)
def test_notebook_writes_its_indicators_and_charts(executed, family):
    data = json.loads((executed / "work" / f"{family}.json").read_text())
    assert data["family"] == family
    assert data["authority_code"] == "E10000018"
    values = {r["id"]: r for r in data["indicators"]}
    for indicator_id, expected in EXPECTED[family].items():
        assert values[indicator_id]["value"] == expected, indicator_id
    for indicator_id, expected in ENGLAND.items():
        if indicator_id in values:
            assert values[indicator_id]["england"] == expected
    assert data["charts"], "each family draws at least one chart"
    for chart in data["charts"]:
        png = executed / "work" / chart["file"]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(chart["alt_text"]) > 40


@pytest.mark.parametrize("family", FAMILIES)
def test_executed_notebook_has_injected_parameters_and_no_errors(executed, family):
    notebook = nbformat.read(executed / f"{family}.ipynb", as_version=4)
    tags = [cell.metadata.get("tags", []) for cell in notebook.cells]
    assert any("injected-parameters" in t for t in tags)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error"
