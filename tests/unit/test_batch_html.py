"""The audit HTML of an executed notebook: the faster exporter writes the same document as
nbconvert's HTMLExporter (equal once parsed)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402
from nbconvert import HTMLExporter  # noqa: E402
from nbformat.v4 import (  # noqa: E402
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

from reportgen.run.report import export_html  # noqa: E402


def _png() -> str:
    figure, axes = plt.subplots(figsize=(1, 1))
    axes.plot([1, 2], [3, 4])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=20)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def _executed_notebook():
    table = pd.DataFrame({"indicator": ["CLA <rate>", "Adopted & SGO"], "value": [67, 12]})
    cells = [
        new_markdown_cell("# Placement sufficiency\n\nSome *text* with `code` and <b>html</b>."),
        new_code_cell("params = None\nwork_dir = 'work'", metadata={"tags": ["parameters"]}),
        new_code_cell(
            "from reportgen.report.notebook_api import run_section\nsection = run_section('x', params, w)",
            execution_count=2,
            outputs=[
                new_output("stream", name="stdout", text="hello <world>\n"),
                new_output(
                    "execute_result",
                    data={"text/html": table.to_html(), "text/plain": str(table)},
                    execution_count=2,
                ),
            ],
        ),
        new_code_cell(
            "for image in images:\n    display(image)",
            execution_count=3,
            outputs=[new_output("display_data", data={"image/png": _png(), "text/plain": "<img>"})],
        ),
        new_code_cell(
            "<script>alert(1)</script>",
            outputs=[
                new_output(
                    "display_data",
                    data={"text/html": "<p onclick='x()'>hi</p><script>alert(1)</script>"},
                )
            ],
        ),
    ]
    notebook = new_notebook(cells=cells)
    notebook.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    notebook.metadata["kernelspec"] = {
        "name": "reportgen",
        "display_name": "r",
        "language": "python",
    }
    return notebook


def test_audit_html_equals_nbconvert_once_parsed(tmp_path):
    notebook = _executed_notebook()
    path = tmp_path / "sufficiency.ipynb"
    nbformat.write(notebook, path)
    stock, _ = HTMLExporter().from_filename(str(path))
    ours = export_html(path).read_text(encoding="utf-8")
    from_memory = export_html(path, nbformat.read(path, as_version=4)).read_text(encoding="utf-8")
    assert ours == from_memory
    parsed = BeautifulSoup(ours, "html.parser")
    assert parsed == BeautifulSoup(stock, "html.parser")
    assert parsed.title.string == "sufficiency"
    assert all(img.get("alt") for img in parsed.find_all("img"))
    assert parsed.select("div.jp-Cell-inputWrapper[tabindex='0']")


def test_highlighting_kept_per_process_follows_each_cells_source_and_language(tmp_path):
    """The highlighted input is remembered per process (every report has the same code cells),
    but a cell whose source or magics language differs is highlighted afresh, and every export
    still equals nbconvert's."""
    notebook = _executed_notebook()
    first = tmp_path / "first.ipynb"
    nbformat.write(notebook, first)
    export_html(first)
    notebook.cells[2].source = "edited_name_in_the_source = 1"
    notebook.cells[3].metadata["magics_language"] = "bash"
    notebook.cells[3].source = "%%bash\necho edited"
    second = tmp_path / "second.ipynb"
    nbformat.write(notebook, second)
    ours = export_html(second).read_text(encoding="utf-8")
    stock, _ = HTMLExporter().from_filename(str(second))
    assert "edited_name_in_the_source" in ours
    assert BeautifulSoup(ours, "html.parser") == BeautifulSoup(stock, "html.parser")
    assert "run_section" not in BeautifulSoup(ours, "html.parser").select("div.jp-Cell")[2].text
