"""``reportgen pdf``: tagged, accessible PDF (PDF/UA) of the papers, to publish."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reportgen.cli.common import OutOpt, _fail, console


def papers_under(folder: Path) -> list[Path]:
    """The papers ``reportgen report`` wrote under ``folder`` (``<code>/<period>/*.docx``),
    without temporary files and tracked-changes comparisons (``*_changes.docx``), which are
    for reviewers, not for publishing."""
    return sorted(
        p
        for p in folder.glob("*/*/*.docx")
        if not p.name.startswith(".") and not p.stem.endswith("_changes")
    )


def pdf(
    papers: Annotated[
        list[Path] | None,
        typer.Argument(help="Papers to convert (default: every report under OUT)."),
    ] = None,
    out: OutOpt = None,
) -> None:
    """Write a tagged PDF (PDF/UA: title, language, headings, tables, charts' alt text) beside
    each report under OUT (default out/), with LibreOffice 7.4 or later."""
    from reportgen.core.errors import DataError
    from reportgen.docx.compare import check_docx
    from reportgen.docx.pdf import write_pdf

    try:
        if papers:
            found = [check_docx(p, "the paper") for p in papers]
        else:
            folder = Path(out or "out")
            found = papers_under(folder)
            if not found:
                raise DataError(f"no reports under {folder}/: run 'make report' first")
        for docx in found:
            console.print(f"[green]pdf[/] {write_pdf(docx)}", highlight=False)
    except Exception as error:  # noqa: BLE001 - _fail gives ReportgenError one line
        _fail(error)


def register(app: typer.Typer) -> None:
    """Add ``pdf`` to the CLI."""
    app.command("pdf")(pdf)
