"""``reportgen compare``: the new paper with Word tracked changes against the last one, and a
short "Changes since the last report" list from the two runs' indicator JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from reportgen.cli.common import _fail, console, err


def changes_path(new: Path) -> Path:
    """Where ``report --since`` writes the comparison: ``<paper>_changes.docx`` beside it."""
    return new.with_name(f"{new.stem}_changes.docx")


def check_inputs(old: Path | str, new: Path | str | None = None) -> None:
    """Fail before any work when a paper is missing or not a .docx, or the comparison
    engine cannot run here (:class:`reportgen.core.errors.ReportgenError`)."""
    from reportgen.docx.compare import CompareError, check_docx, engine_problem

    check_docx(old, "the last paper")
    if new is not None:
        check_docx(new, "the new paper")
    if problem := engine_problem():
        raise CompareError(problem)


def check_not_overwritten(old: Path | str, paper: Path) -> None:
    """Refuse ``--since`` naming the paper this run is about to replace (with its ``work/``)."""
    from reportgen.core.errors import ParamsError

    if Path(old).resolve() == Path(paper).resolve():
        raise ParamsError(
            f"--since {old} is the paper this run writes, so it would be replaced before the "
            "comparison: copy the last paper elsewhere with its work/ folder, or write this "
            "one to another OUT"
        )


def write_changes(old: Path, new: Path, out: Path) -> tuple[Path, list[str]]:
    """Write the tracked-changes copy of ``new`` against ``old`` with the change list at its top.

    Returns
    -------
    tuple
        The path written and warnings (a run whose indicator JSON is missing gets the tracked
        changes without the list, and says so in the list and here).
    """
    from reportgen.core.errors import DataError
    from reportgen.docx.compare import write_comparison
    from reportgen.report.changes import compare_papers, heading

    warnings: list[str] = []
    try:
        changes = compare_papers(old, new)
        title, lines = heading(changes), changes.lines()
    except DataError as error:
        warnings.append(f"{error}; the copy has the tracked changes but no list of figures")
        title = "Changes since the last report"
        lines = [
            "No list of the figures that moved: the indicator JSON of one of the runs was not "
            "found beside its paper. The tracked changes below show every change."
        ]
    return write_comparison(old, new, out, title, lines), warnings


def compare(
    old: Annotated[Path, typer.Argument(help="The last paper (.docx).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The new paper (.docx).", show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The comparison (default: NEW_changes.docx beside NEW)."),
    ] = None,
) -> None:
    """Write NEW with Word tracked changes against OLD (reviewers accept or reject each in
    Word), and at its top the figures that moved and the statements whose meaning changed."""
    from reportgen.docx.compare import revisions

    try:
        check_inputs(old, new)
        target = out or changes_path(new)
        if target.suffix.lower() != ".docx":
            from reportgen.core.errors import ParamsError

            raise ParamsError(f"--out {target} must end in .docx")
        written, warnings = write_changes(old, new, target)
    except Exception as error:  # noqa: BLE001 - _fail gives ReportgenError one line
        _fail(error)
        return
    for warning in warnings:
        err.print(f"[bold yellow]warning:[/] {escape(warning)}", highlight=False)
    inserted, deleted = revisions(written)
    console.print(
        f"[green]written[/] {escape(str(written))}  ({inserted} insertions, {deleted} deletions "
        "tracked)",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``compare`` to the CLI."""
    app.command("compare")(compare)
