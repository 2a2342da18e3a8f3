"""``reportgen report --since``: the paper and, beside it, its tracked-changes copy against the
last paper (Leicestershire 2023-24 to 2024-25, the DfE's published figures)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.docx.compare import engine_problem

ENGINE = engine_problem()
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


@pytest.mark.slow
@pytest.mark.skipif(bool(ENGINE), reason=f"no tracked-changes engine: {ENGINE}")
def test_report_since_last_year_writes_the_tracked_changes_copy(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["report", "--period", "2023-24", "--out", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    last = tmp_path / "a/E10000018/2023-24/E10000018_2023-24_children-in-care.docx"
    second = runner.invoke(
        app,
        ["report", "--period", "2024-25", "--out", str(tmp_path / "b"), "--since", str(last)],
    )
    assert second.exit_code == 0, second.output
    folder = tmp_path / "b/E10000018/2024-25"
    changes = folder / "E10000018_2024-25_children-in-care_changes.docx"
    assert sorted(p.name for p in folder.glob("*.docx")) == [
        "E10000018_2024-25_children-in-care.docx",
        changes.name,
    ]
    with zipfile.ZipFile(changes) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    assert body.xpath("//w:ins", namespaces=W) and body.xpath("//w:del", namespaces=W)
    texts = [p.text for p in docx.Document(str(changes)).paragraphs]
    assert texts[0] == "Changes since the last report (2023-24)"
    # Published: 681 (2022-23), 725 (2023-24), 694 (2024-25) children looked after.
    assert texts[1] == (
        "Children looked after at 31 March: 694 in 2024-25 (725 in 2023-24). Since the period "
        "before it fell (725 to 694); the last report said it rose (681 to 725)."
    )


@pytest.mark.slow
@pytest.mark.skipif(bool(ENGINE), reason=f"no tracked-changes engine: {ENGINE}")
def test_reports_since_a_folder_compares_each_paper_with_its_last(tmp_path: Path) -> None:
    import json

    runner = CliRunner()
    first = runner.invoke(
        app, ["report", "--authority", "Rutland", "--period", "2023-24", "--out", str(tmp_path)]
    )
    assert first.exit_code == 0, first.output
    batch = runner.invoke(
        app,
        ["reports", "--period", "2024-25", "--authorities", "Rutland E10000018"]
        + ["--out", str(tmp_path), "--since", str(tmp_path), "--workers", "1"],
    )
    assert batch.exit_code == 0, batch.output
    rutland = tmp_path / "E06000017/2024-25"
    changes = rutland / "E06000017_2024-25_children-in-care_changes.docx"
    assert changes.is_file()
    assert "Changes since the last report" in "\n".join(
        p.text for p in docx.Document(str(changes)).paragraphs[:3]
    )
    assert not list((tmp_path / "E10000018/2024-25").glob("*_changes.docx"))
    reports = {
        r["authority"]: r for r in json.loads((tmp_path / "batch.json").read_text())["reports"]
    }
    assert reports["Rutland"]["changes"] == str(changes)
    assert reports["E10000018"]["note"] == f"no earlier paper for E10000018 in {tmp_path}"
    assert "1 tracked-changes copy written" in batch.output
