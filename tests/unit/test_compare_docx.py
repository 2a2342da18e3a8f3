"""``reportgen compare`` and ``report --since``: tracked changes (python-redlines) with the change
list at the top, and one clear error for a missing file or one that is not a .docx."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.core.errors import DataError
from reportgen.docx.compare import add_change_list, check_docx, engine_problem, revisions

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
runner = CliRunner()
ENGINE = engine_problem()
needs_engine = pytest.mark.skipif(bool(ENGINE), reason=f"no tracked-changes engine: {ENGINE}")


def _paper(path: Path, *paragraphs: str) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def _with_run(paper: Path, period: str, value: float, previous: float) -> Path:
    work = paper.parent / "work"
    work.mkdir(parents=True, exist_ok=True)
    indicator = {
        "id": "cla_at_end",
        "family": "sufficiency",
        "title": "Children looked after at 31 March",
        "unit": "count",
        "polarity": "neutral",
        "period": period,
        "value": value,
        "previous": previous,
    }
    section = {
        "family": "sufficiency",
        "authority_code": "E10000018",
        "authority_name": "Leicestershire",
        "period": period,
        "source": "published",
        "indicators": [indicator],
    }
    (work / "sufficiency.json").write_text(json.dumps(section))
    return paper


@pytest.fixture()
def two_papers(tmp_path: Path) -> tuple[Path, Path]:
    old = _paper(
        tmp_path / "old" / "old.docx",
        "Children in care",
        "The number of children looked after rose from 681 to 725.",
        "Placement stability is unchanged.",
    )
    new = _paper(
        tmp_path / "new" / "new.docx",
        "Children in care",
        "The number of children looked after fell from 725 to 694.",
        "Placement stability is unchanged.",
    )
    return _with_run(old, "2023-24", 725, 681), _with_run(new, "2024-25", 694, 725)


# --- errors: one line, non-zero exit, nothing written --------------------------------------


def test_missing_file_is_one_clear_error(tmp_path: Path, two_papers) -> None:
    out = tmp_path / "CHANGES.docx"
    result = runner.invoke(
        app, ["compare", str(tmp_path / "nope.docx"), str(two_papers[1]), "--out", str(out)]
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: the last paper {tmp_path / 'nope.docx'} does not exist: give the path of a "
        ".docx paper"
    ]
    assert not out.exists()


def test_not_a_docx_is_one_clear_error(tmp_path: Path, two_papers) -> None:
    text = tmp_path / "paper.docx"
    text.write_text("not a Word document")
    out = tmp_path / "CHANGES.docx"
    result = runner.invoke(app, ["compare", str(two_papers[0]), str(text), "--out", str(out)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "the new paper" in lines[0] and "is not a Word .docx document (damaged)" in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_zip_that_is_not_word_is_rejected(tmp_path: Path) -> None:
    other = tmp_path / "sheet.xlsx"
    with zipfile.ZipFile(other, "w") as package:
        package.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DataError, match=r"is not a Word \.docx document \(a \.doc, PDF"):
        check_docx(other, "the last paper")


def test_report_since_a_missing_paper_fails_before_running(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["report", "--out", str(out), "--since", str(tmp_path / "last-quarter.docx")]
    )
    assert result.exit_code == 2
    assert "the last paper" in result.output and "does not exist" in result.output
    assert not out.exists()


# --- the change list at the top (python-docx only) -----------------------------------------


def test_change_list_goes_at_the_top_then_a_page_break(two_papers) -> None:
    data = add_change_list(two_papers[1].read_bytes(), "Changes since the last report", ["A", "B"])
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert [p.text for p in paragraphs[:4]] == [
        "Changes since the last report",
        "A",
        "B",
        "Children in care",
    ]
    assert paragraphs[0].style.name == "Heading 1"
    assert [p.style.name for p in paragraphs[1:3]] == ["List Bullet", "List Bullet"]
    assert paragraphs[2]._p.xpath('.//w:br[@w:type="page"]')


# --- tracked changes (python-redlines' Docxodus binary) ------------------------------------


@needs_engine
def test_changes_docx_has_tracked_insertions_and_deletions(tmp_path: Path, two_papers) -> None:
    out = tmp_path / "CHANGES.docx"
    result = runner.invoke(app, ["compare", *map(str, two_papers), "--out", str(out)])
    assert result.exit_code == 0, result.output
    body = _body(out)
    inserted = "".join(body.xpath("//w:ins//w:t/text()", namespaces=NS))
    deleted = "".join(body.xpath("//w:del//w:delText/text()", namespaces=NS))
    assert "fell" in inserted and "694" in inserted
    assert "rose" in deleted and "681" in deleted
    assert body.xpath("//w:ins/@w:author", namespaces=NS)[0] == "reportgen"
    # The unchanged sentence is not a revision.
    assert "Placement stability" not in inserted + deleted
    ins, dels = revisions(out)
    assert ins >= 1 and dels >= 1
    # The list from the runs' JSON, at the top.
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[0] == "Changes since the last report (2023-24)"
    assert texts[1] == (
        "Children looked after at 31 March: 694 in 2024-25 (725 in 2023-24). Since the period "
        "before it fell (725 to 694); the last report said it rose (681 to 725)."
    )


@needs_engine
def test_comparison_is_byte_reproducible(tmp_path: Path, two_papers) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (first, second):
        assert (
            runner.invoke(app, ["compare", *map(str, two_papers), "--out", str(out)]).exit_code == 0
        )
    assert first.read_bytes() == second.read_bytes()


@needs_engine
def test_without_the_runs_json_the_copy_still_has_the_tracked_changes(tmp_path: Path) -> None:
    old = _paper(tmp_path / "a.docx", "Children looked after rose.")
    new = _paper(tmp_path / "b.docx", "Children looked after fell.")
    result = runner.invoke(app, ["compare", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "no indicator JSON beside" in result.output
    written = tmp_path / "b_changes.docx"
    assert revisions(written)[0] >= 1
    assert "No list of the figures" in docx.Document(str(written)).paragraphs[1].text


@needs_engine
def test_report_since_the_paper_it_would_replace_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    paper = _paper(out / "E10000018" / "2024-25" / "E10000018_2024-25_children-in-care.docx", "x")
    before = paper.read_bytes()
    result = runner.invoke(
        app, ["report", "--period", "2024-25", "--out", str(out), "--since", str(paper)]
    )
    assert result.exit_code == 2
    assert "is the paper this run writes" in result.output
    assert paper.read_bytes() == before
    assert sorted(p.name for p in paper.parent.iterdir()) == [paper.name]


def test_without_the_engine_compare_says_how_to_install_it(
    tmp_path: Path, two_papers, monkeypatch
) -> None:
    import reportgen.docx.compare as compare

    monkeypatch.setattr(compare, "engine_problem", lambda: compare.INSTALL_HINT)
    out = tmp_path / "CHANGES.docx"
    result = runner.invoke(app, ["compare", *map(str, two_papers), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {compare.INSTALL_HINT}"]
    assert "pip install -c requirements.lock -e '.[compare]'" in result.output
    assert not out.exists()
