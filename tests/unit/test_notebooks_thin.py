"""Notebooks are thin: a parameters cell and calls to reportgen (ARCHITECTURE.md §4)."""

import ast

import nbformat
import pytest

from reportgen.core.paths import NOTEBOOKS_DIR, PROJECT_ROOT
from reportgen.report.notebook_api import FAMILIES

EXPLORE_DIR = PROJECT_ROOT / "notebooks" / "explore"
EXPLORE = sorted(EXPLORE_DIR.glob("*.ipynb"))
PLAIN_PARAMETERS = {"authority", "period", "source", "input", "layout", "out", "params_file"}


def _code_cells(path):
    notebook = nbformat.read(path, as_version=4)
    return [c for c in notebook.cells if c.cell_type == "code"]


def _assigned(source: str) -> dict[str, object]:
    """Names the parameters cell sets, with their literal values."""
    return {
        target.id: ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


@pytest.mark.parametrize(
    "path", [NOTEBOOKS_DIR / f"{f}.ipynb" for f in FAMILIES] + EXPLORE, ids=lambda p: p.name
)
def test_notebooks_hold_no_definitions_and_no_outputs(path):
    """Notebooks hold no definitions and no outputs (ARCHITECTURE.md §4)."""
    code = _code_cells(path)
    assert code[0].metadata.get("tags") == ["parameters"]
    for cell in code:
        assert not cell.outputs and cell.execution_count is None
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda), cell.source


@pytest.mark.parametrize("family", FAMILIES)
def test_report_notebooks_take_plain_parameters(family):
    """An analyst changes plain values; the runner's whole ``params`` stays None by default."""
    code = _code_cells(NOTEBOOKS_DIR / f"{family}.ipynb")
    values = _assigned(code[0].source)
    assert PLAIN_PARAMETERS <= set(values)
    assert values["authority"] == "Leicestershire"
    assert values["params"] is None and values["work_dir"] is None
    assert all(values[name] is None for name in PLAIN_PARAMETERS - {"authority"})
    assert len(code) <= 4
    for line in "".join(c.source for c in code).splitlines():
        assert not line.lstrip().startswith("import pandas"), line


def test_there_are_starter_notebooks():
    assert {p.name for p in EXPLORE} == {
        "compare_with_neighbours.ipynb",
        "look_at_a_903_return.ipynb",
    }
