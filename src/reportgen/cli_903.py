"""SSDA903 commands: ``reportgen validate`` and ``reportgen indicators``."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer

SHOWN_PROBLEMS = 200
"""``reportgen validate`` prints at most this many problems (all go to the CSV)."""


def _problems(folder: Path, year: int | None) -> list[Any]:
    from reportgen.indicators import engine
    from reportgen.validation import validate_return

    if year is not None:
        return validate_return(folder, year)
    return engine.validate_input(folder)


def _problem_table(problems: list[Any], limit: int) -> Any:
    from rich.table import Table

    table = Table("file", "row", "CHILD", "column", "value", "message", "severity")
    for problem in problems[:limit]:
        colour = "red" if problem.severity == "error" else "yellow"
        table.add_row(
            problem.file,
            "" if problem.row is None else str(problem.row),
            problem.child or "",
            problem.column or "",
            problem.value or "",
            problem.message,
            f"[{colour}]{problem.severity}[/]",
        )
    return table


def validate(
    folder: Annotated[
        Path, typer.Argument(help="A return's folder, or a folder of year folders (2025, 2024-25).")
    ],
    year: Annotated[
        int | None,
        typer.Option("--year", help="Collection end year of FOLDER (2025 = 2024-25)."),
    ] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Also write every problem here.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Print at most this many problems.")
    ] = SHOWN_PROBLEMS,
) -> None:
    """Check 903 returns; print the problems (file, row, child, column, value, message) and
    exit non-zero when there are errors."""
    from reportgen.cli import _fail, console
    from reportgen.errors import ReportgenError
    from reportgen.validation import has_errors, summarise, write_problems_csv

    try:
        if not folder.is_dir():
            raise ReportgenError(f"903 folder {folder} not found")
        problems = _problems(folder, year)
        if csv is not None:
            write_problems_csv(problems, csv)
    except (ReportgenError, Exception) as error:  # noqa: BLE001
        _fail(error)
        return
    if problems:
        console.print(_problem_table(problems, limit))
        if len(problems) > limit:
            console.print(f"... and {len(problems) - limit} more (all of them: --csv FILE)")
    console.print(f"{folder}: {summarise(problems)}" + (f"; written {csv}" if csv else ""))
    if has_errors(problems):
        raise typer.Exit(1)


def _write_json(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
            out.write("\n")
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def indicator_values(params: Any, allow_invalid: bool = False) -> dict[str, float | int | None]:
    """Every registry id -> the authority's value for the params' source and period."""
    from reportgen.indicators import engine, published, registry

    if params.source == "published":
        found: dict[str, float | None] = {}
        for family in registry.FAMILIES:
            for result in published.family_results(
                family,
                params.authority_code,
                params.period_obj.collection_year,
                list(params.statistical_neighbours),
            ):
                found[result.id] = result.value
    else:
        if params.source == "synthetic":
            history = engine._synthetic_history(params)
        else:
            engine.check_return(
                SimpleNamespace(input=params.input, allow_invalid_903=allow_invalid)
            )
            history = engine.load_history(params.input)
        found = engine.values(history, params.authority_code, params.period_obj)
    out: dict[str, float | int | None] = {}
    for id_ in registry.REGISTRY:
        value = found.get(id_)
        if value is not None and registry.get(id_).unit == "count" and float(value).is_integer():
            value = int(value)
        out[id_] = value
    return out


def indicators(
    authority: Annotated[
        str | None, typer.Option("--authority", help="Name, GSS code or old DfE code.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="2024-25, 2024-25Q3, 2025-01 or 2024-04-01:2024-06-30."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="ssda903, synthetic or published.")
    ] = None,
    input: Annotated[
        str | None, typer.Option("--input", help="Folder of 903 returns (one per year).")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write {id: value} here (default: print it).")
    ] = None,
    allow_invalid: Annotated[
        bool,
        typer.Option("--allow-invalid", help="Compute even when the returns have errors."),
    ] = False,
) -> None:
    """Compute every indicator for one authority and period; write a flat JSON {id: value}."""
    from reportgen.cli import _fail, console
    from reportgen.config import load_params
    from reportgen.errors import ReportgenError

    try:
        params = load_params(authority, period, source=source, input=input)
        data = indicator_values(params, allow_invalid)
        if json_out is not None:
            _write_json(data, json_out)
    except (ReportgenError, Exception) as error:  # noqa: BLE001
        _fail(error)
        return
    if json_out is None:
        console.print_json(json.dumps(data))
        return
    missing = sum(v is None for v in data.values())
    console.print(
        f"[green]written[/] {json_out}: {len(data)} indicators for {params.authority_name} "
        f"{params.period} ({missing} not available)"
    )


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``reportgen`` app."""
    app.command("validate")(validate)
    app.command("indicators")(indicators)
