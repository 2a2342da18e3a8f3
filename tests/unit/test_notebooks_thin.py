"""Report notebooks are thin: a parameters cell and calls to reportgen (ARCHITECTURE.md §4)."""

import nbformat

from reportgen.core.paths import NOTEBOOKS_DIR
from reportgen.report.notebook_api import FAMILIES


def test_report_notebooks_are_thin():
    """Notebooks hold no definitions and no outputs (ARCHITECTURE.md §4)."""
    for family in FAMILIES:
        notebook = nbformat.read(NOTEBOOKS_DIR / f"{family}.ipynb", as_version=4)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert code[0].metadata.get("tags") == ["parameters"]
        for cell in code:
            assert not cell.outputs and cell.execution_count is None
            for line in cell.source.splitlines():
                assert not line.lstrip().startswith(("def ", "class ", "import pandas")), line
        assert len(code) <= 4
