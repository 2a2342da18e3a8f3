"""``reportgen compare``: the new paper with Word tracked changes against the last one, and a
short "Changes since the last report" list from the two runs' indicator JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from reportgen.cli.common import _fail, console, err
from reportgen.run.changes import changes_path, write_changes


def check_inputs(old: Path | str, new: Path | str | None = None) -> None:
    """Fail before any work when a paper is missing or not a .docx, or the comparison
    engine cannot run here (:class:`reportgen.core.errors.ReportgenError`)."""
    from reportgen.docx.compare import check_docx

    check_docx(old, "the last paper")
    if new is not None:
        check_docx(new, "the new paper")
    check_engine()


def check_engine() -> None:
    """Fail before any work when tracked changes cannot be made here (the engine is missing or
    does not run): :class:`reportgen.docx.compare.CompareError`."""
    from reportgen.docx.compare import CompareError, engine_problem

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
