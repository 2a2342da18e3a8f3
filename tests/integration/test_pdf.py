"""``reportgen pdf``: a tagged PDF (PDF/UA) with the paper's title, language and the charts' alt
text, checked with pypdf. Needs LibreOffice 7.4 or later: skipped (not failed) without it."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.docx import write_report
from reportgen.docx.pdf import export_copy, rename_figure_styles
from reportgen.model import Figure, Paragraph, Report, Section

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui): "
    "reportgen pdf needs it",
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TITLE = "Children in care: sufficiency 2024-25"
ALT = [
    "Line chart: children looked after rose from 600 in 2021 to 680 in 2025.",
    "Bar chart: 60% of children looked after lived with foster carers.",
]


def _paper(folder: Path, png: Path) -> Path:
    """A two-chart paper written by the real writer (county layout)."""
    report = Report(
        title=TITLE,
        committee="Children and Families Overview and Scrutiny Committee",
        meeting_date=dt.date(2025, 6, 4),
        report_of="Report of the Director of Children and Family Services",
        sections=[
            Section(
                "Children in care",
                [
                    Paragraph("There were 680 children looked after at 31 March 2025."),
                    Figure(caption="Children looked after", image=png, alt_text=ALT[0]),
                    Paragraph("Most children lived with foster carers."),
                    Figure(caption="Placement types", image=png, alt_text=ALT[1]),
                ],
            )
        ],
        language="en-GB",
    )
    return write_report(report, folder / "E10000018" / "2024-25" / "paper.docx")


def _figures(node, found: list) -> list:
    """Every /Figure structure element under ``node``."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    node = node.get_object() if isinstance(node, IndirectObject) else node
    if isinstance(node, DictionaryObject):
        if node.get("/S") == "/Figure":
            found.append(node)
        if "/K" in node:
            _figures(node["/K"], found)
    elif isinstance(node, ArrayObject):
        for child in node:
            _figures(child, found)
    return found


def test_the_copy_for_libreoffice_renames_the_figure_paragraph_style(
    tmp_path: Path, png: Path
) -> None:
    """LibreOffice tags a paragraph styled "Figure" as a /Figure with no alt text around the
    chart's own; the copy exported renames the style (its id, used by the paragraphs, stays)."""
    paper = _paper(tmp_path, png)
    with zipfile.ZipFile(paper) as package:
        styles = package.read("word/styles.xml")
    assert b'<w:name w:val="Figure"/>' in styles
    renamed = rename_figure_styles(styles)
    assert b'<w:name w:val="Figure"/>' not in renamed
    assert b'w:styleId="Figure"' in renamed and b'<w:name w:val="Chart"/>' in renamed
    copy = export_copy(paper, tmp_path / "copy.docx")
    with zipfile.ZipFile(copy) as package:
        assert package.read("word/styles.xml") == renamed
        assert package.read("word/document.xml") == zipfile.ZipFile(paper).read("word/document.xml")


@pytest.mark.slow
@needs_soffice
def test_pdf_is_tagged_with_title_language_and_alt_text(tmp_path: Path, png: Path) -> None:
    pypdf = pytest.importorskip(
        "pypdf", reason="pypdf is in the dev extra: pip install -e '.[dev]'"
    )
    paper = _paper(tmp_path / "out", png)
    result = CliRunner().invoke(app, ["pdf", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    pdf = paper.with_suffix(".pdf")
    reader = pypdf.PdfReader(pdf)
    root = reader.trailer["/Root"]
    # Tagged: a structure tree and MarkInfo /Marked true.
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    # Language and title, shown as the window title (PDF/UA).
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == TITLE
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    # PDF/UA declared in the XMP metadata.
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfuaid:part" in xmp
    # Each chart is a /Figure with its alt text, and no /Figure lacks one.
    figures = _figures(root["/StructTreeRoot"], [])
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert len(figures) == 2, alts
    for alt, expected in zip(alts, ALT, strict=True):
        assert expected in alt
    assert all(alts)


@pytest.mark.slow
@needs_soffice
def test_pdf_leaves_out_tracked_changes_copies(tmp_path: Path, png: Path) -> None:
    paper = _paper(tmp_path / "out", png)
    shutil.copy(paper, paper.with_name("paper_changes.docx"))
    result = CliRunner().invoke(app, ["pdf", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in paper.parent.glob("*.pdf")) == ["paper.pdf"]


def test_pdf_of_an_empty_folder_says_run_make_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["pdf", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: no reports under {tmp_path}/: run 'make report' first"
    ]
