"""SSDA903 commands: ``reportgen validate`` and ``reportgen indicators``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer

SHOWN_PROBLEMS = 100
"""``reportgen validate`` prints at most this many findings (all go to the CSV); known validator
issues are summarised by rule instead."""


def _problems(folder: Path, year: int | None) -> list[Any]:
    from reportgen.sources import choose
    from reportgen.sources.ssda903.validate import validate_return

    if year is not None:
        return validate_return(folder, year)
    return choose.validate_input(folder)


def _findings_table(findings: list[Any], limit: int) -> Any:
    from rich.markup import escape
    from rich.table import Table

    from reportgen.core.redact import redact

    colours = {"error": "red", "warning": "yellow"}
    table = Table("source", "rule")
    table.add_column("file", no_wrap=True)  # a file name is what a reader looks for: never split
    for name in ("row", "columns", "values", "message", "severity"):
        table.add_column(name)
    for f in findings[:limit]:
        colour = colours.get(f.severity, "dim")
        message = escape(redact(f.message, [f.child] if f.child else ()))
        message = f"{message} [dim]({escape(f.reason)})[/]" if f.reason else message
        table.add_row(
            f.source,
            f.rule,
            f.file,
            "" if f.row is None else str(f.row),
            f.columns,
            escape(_shown_values(f.values, f.child)),
            message,
            f"[{colour}]{f.severity}[/]",
        )
    return table


def _shown_values(values: str, child: str | None) -> str:
    """``COLUMN=value`` pairs as the terminal shows them: identifying values and dates withheld
    (the --csv file has them all)."""
    from reportgen.core.redact import redact, redact_value

    shown = []
    for pair in filter(None, (p.strip() for p in values.split(","))):
        column, sep, value = pair.partition("=")
        shown.append(f"{column}={redact_value(column, value)}" if sep else redact(pair))
    return redact(", ".join(shown), [child] if child else ())


def _dfe_runs(
    folder: Path, year: int | None, previous: Path | None, authority: str | None
) -> list[Any]:
    from reportgen.core.authorities import lookup
    from reportgen.sources.dfe_rules import check_history, run_rules

    code = lookup(authority).gss if authority else None
    if year is None:
        return check_history(folder, code)
    labels = ("", f"{previous.name}/" if previous else "")
    return [run_rules(folder, year, code, previous=previous, labels=labels)]


def dfe_summary(run: Any) -> str:
    """One line about a DfE rules run: rules run, errors, known issues, failed rules, time."""
    from reportgen.core.formatting import plural
    from reportgen.core.periods import year_label
    from reportgen.sources.dfe_rules.findings import FAILED, KNOWN, counts

    by = counts(run.findings)
    parts = [
        f"{plural(by.get('error', 0), 'error')} in "
        f"{plural(len({f.rule for f in run.errors}), 'rule')}",
        plural(by.get(KNOWN, 0), "known validator issue"),
    ]
    if by.get(FAILED):
        parts.append(f"{plural(by[FAILED], 'rule')} failed to run")
    return (
        f"DfE rules {year_label(run.year)} (csc-validator-be-903 {run.validator_version}, "
        f"{run.authority}{', with the previous year' if run.previous else ''}): "
        f"{run.rules_run} of {run.rules_total} rules ran; {'; '.join(parts)}; "
        f"{'from the cache in' if run.cached else 'took'} {run.seconds:.1f} s"
    )


def validate(
    folder: Annotated[
        Path, typer.Argument(help="A return's folder, or a folder of year folders (2025, 2024-25).")
    ],
    year: Annotated[
        int | None,
        typer.Option("--year", help="Collection end year of FOLDER (2025 = 2024-25)."),
    ] = None,
    dfe_rules: Annotated[
        bool,
        typer.Option(
            "--dfe-rules",
            help="Also run the DfE's own 903 rules (csc-validator-be-903, in its own "
            "environment, made on first use).",
        ),
    ] = False,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="The previous year's return, for the DfE's cross-year rules (with --year).",
        ),
    ] = None,
    authority: Annotated[
        str | None,
        typer.Option(
            "--authority", help="Whose return (for the DfE rules); default: from home postcodes."
        ),
    ] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Also write every finding here.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Print at most this many findings.")
    ] = SHOWN_PROBLEMS,
) -> None:
    """Check 903 returns; print the findings (rule, file, row, columns, values, message; no
    CHILD id, date or other identifier: --csv FILE has every detail) and exit non-zero when
    there are errors."""
    from reportgen.cli.common import _fail, console
    from reportgen.core.errors import ParamsError, ReportgenError
    from reportgen.sources.dfe_rules import ValidatorUnavailable, from_problem, write_findings_csv
    from reportgen.sources.dfe_rules.findings import KNOWN
    from reportgen.sources.dfe_rules.known_issues import SUMMARIES
    from reportgen.sources.ssda903.validate import summarise

    runs: list[Any] = []
    skipped = ""
    try:
        if not folder.is_dir():
            raise ReportgenError(f"903 folder {folder} not found")
        if previous is not None and (year is None or not dfe_rules):
            raise ParamsError(
                "--previous needs --year and --dfe-rules (without --year, every year folder is "
                "checked with the one before it)"
            )
        problems = _problems(folder, year)
        if dfe_rules:
            try:
                runs = _dfe_runs(folder, year, previous, authority)
            except ValidatorUnavailable as error:
                skipped = f"DfE rules not run: {error}; reportgen's own checks are below"
        findings = [from_problem(p) for p in problems] + [f for r in runs for f in r.findings]
        if csv is not None:
            write_findings_csv(findings, csv)
    except (ReportgenError, Exception) as error:  # noqa: BLE001
        _fail(error)
        return
    if skipped:
        console.print(f"[yellow]{skipped}[/]")
    shown = [f for f in findings if f.severity != KNOWN]
    if shown:
        console.print(_findings_table(shown, limit))
        if len(shown) > limit:
            console.print(f"... and {len(shown) - limit} more (all of them: --csv FILE)")
    known = Counter(f.rule for f in findings if f.severity == KNOWN)
    if known:
        from rich.table import Table

        table = Table("rule", "rows", "known validator issue (not the return's error)")
        for rule, count in sorted(known.items(), key=lambda kv: -kv[1]):
            table.add_row(rule, f"{count:,}", SUMMARIES.get(rule, ""))
        console.print(table)
    written = f"; written {csv}" if csv else ""
    console.print(f"{folder}: reportgen checks: {summarise(problems)}{written}")
    for run in runs:
        console.print(dfe_summary(run))
    if any(p.severity == "error" for p in problems) or any(r.errors for r in runs):
        raise typer.Exit(1)


UNSUPPRESSED_KEY = "_unsuppressed"
"""Top-level key of ``reportgen indicators`` JSON made from 903 data (the figures are raw)."""
UNSUPPRESSED_NOTE = (
    "these figures are computed from child-level 903 data and are NOT suppressed: small numbers "
    "are shown as they are; do not publish or share them (a report applies the disclosure rules)"
)


def indicator_values(params: Any, allow_invalid: bool = False) -> dict[str, float | int | None]:
    """Every registry id -> the authority's value for the params' source and period."""
    from reportgen.indicators import engine, published, registry
    from reportgen.sources import choose

    if params.source == "published":
        found: dict[str, float | None] = {}
        for family in registry.FAMILIES:
            for result in published.family_results(
                family,
                params.authority_code,
                params.period.collection_year,
                list(params.statistical_neighbours),
            ):
                found[result.id] = result.value
    else:
        if params.source == "synthetic":
            history = engine.synthetic_history(params)
        else:
            choose.check_return(
                SimpleNamespace(input=params.input, allow_invalid_903=allow_invalid)
            )
            history = choose.load_history(params.input)
        found = engine.values(history, params.authority_code, params.period)
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
    """Compute every indicator for one authority and period; write a flat JSON {id: value}.

    From 903 or synthetic data the figures are unsuppressed: the JSON then starts with
    ``"_unsuppressed": "<why>"`` and a warning is printed."""
    from reportgen.cli.common import _fail, console, err
    from reportgen.core.atomic import write_json
    from reportgen.core.config import load_params
    from reportgen.core.errors import ReportgenError
    from reportgen.indicators import registry

    try:
        params = load_params(
            authority, period, source=source, input=input, check_indicator=registry.get
        )
        data: dict[str, Any] = dict(indicator_values(params, allow_invalid))
        if params.source != "published":  # figures from child-level data: say so where they are
            data = {UNSUPPRESSED_KEY: UNSUPPRESSED_NOTE, **data}
        if json_out is not None:
            write_json(data, json_out)
    except (ReportgenError, Exception) as error:  # noqa: BLE001
        _fail(error)
        return
    if UNSUPPRESSED_KEY in data:
        err.print(f"[bold yellow]warning:[/] {UNSUPPRESSED_NOTE}", highlight=False)
    if json_out is None:
        console.print_json(json.dumps(data))
        return
    missing = sum(v is None for v in data.values())
    console.print(
        f"[green]written[/] {json_out}: {len(data)} indicators for {params.authority_name} "
        f"{params.period} ({missing} not available)"
    )


def dfe_validator() -> None:
    """Make the DfE 903 validator's own environment (csc-validator-be-903, pinned) if it is
    missing, and print where it is. ``validate --dfe-rules`` and 903 reports make it on first use."""
    from reportgen.cli.common import _fail, console
    from reportgen.sources.dfe_rules.environment import VALIDATOR_VERSION, env_dir, is_ready

    try:
        from reportgen.sources.dfe_rules import validator_python

        if not is_ready():
            console.print(f"making {env_dir()} (csc-validator-be-903 {VALIDATOR_VERSION}) ...")
        python = validator_python(retry=True)
    except Exception as error:  # noqa: BLE001
        _fail(error)
        return
    console.print(f"[green]ready[/] csc-validator-be-903 {VALIDATOR_VERSION}: {python}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``reportgen`` app."""
    app.command("validate")(validate)
    app.command("dfe-validator")(dfe_validator)
    app.command("indicators")(indicators)
