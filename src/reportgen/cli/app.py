"""The ``reportgen`` command line. Every ``make`` variable is an option of the same name."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from reportgen.cli.common import (
    DEBUG,
    AuthorityOpt,
    InputOpt,
    LayoutOpt,
    OutOpt,
    PeriodOpt,
    SourceOpt,
    _fail,
    console,
    err,
)
from reportgen.core.errors import ReportgenError

if TYPE_CHECKING:
    from reportgen.run.kernels import ReusableKernel

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Committee reports on children in care, adoption and care leavers.",
    pretty_exceptions_enable=False,
)


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    """Committee reports on children in care, adoption and care leavers."""
    DEBUG["on"] = debug


@app.command()
def report(
    authority: AuthorityOpt = None,
    period: PeriodOpt = None,
    source: SourceOpt = None,
    input: InputOpt = None,
    layout: LayoutOpt = None,
    out: OutOpt = None,
    params_file: Annotated[
        str | None, typer.Option("--params", help="A YAML file of further params for this run.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="The last paper (.docx): also write <paper>_changes.docx, this paper with "
            "tracked changes against it and a list of the figures that moved.",
        ),
    ] = None,
) -> None:
    """Write one report (.docx, executed notebooks, run.json) to OUT/<code>/<period>/."""
    from reportgen.run.kernels import ReusableKernel

    two = (os.cpu_count() or 1) > 1  # the forecast notebook then runs on a second kernel
    with ReusableKernel(warm_up=True) as kernel, ReusableKernel(warm_up=True) as side:
        if not _may_be_a_rerun(out, authority, period):
            # started now, the kernel boots and imports what the notebooks need while the
            # command loads the params (about 1 s sooner; the forecast's kernel starts once the
            # params are good, so a mistyped option is not slowed by two); a re-run that reuses
            # the notebooks' results would only pay for them, so they start then when needed
            kernel.launch()
        _report(
            authority,
            period,
            source,
            input,
            layout,
            out,
            params_file,
            since,
            kernel,
            side if two else None,
        )


def _check_since_folder(since: str) -> None:
    """``reports --since``: an existing folder, and tracked changes possible here."""
    from reportgen.cli.compare import check_engine
    from reportgen.core.errors import ParamsError

    if not Path(since).is_dir():
        what = (
            "is a file: give the folder of earlier papers" if Path(since).exists() else "not found"
        )
        raise ParamsError(
            f"--since {since}: {what} (for reports, SINCE is a folder of earlier papers such as "
            "out; a single report takes the last paper's .docx)"
        )
    check_engine()


def _may_be_a_rerun(out: str | None, authority: str | None, period: str | None) -> bool:
    """True when OUT already holds a report that may be this one (the authority's code or name
    as typed, or any when none is typed; the period's folder name, or any)."""
    from reportgen.core.paths import DEFAULT_OUT_DIR

    wanted = authority.strip().casefold() if authority else None
    for run in Path(out or DEFAULT_OUT_DIR).glob("*/*/run.json"):
        if period and run.parent.name != period.strip():
            continue
        if wanted is None or wanted == run.parent.parent.name.casefold():
            return True
        try:
            name = json.loads(run.read_text())["authority"]["name"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(name, str) and name.casefold() == wanted:
            return True
    return False


def _report(
    authority: str | None,
    period: str | None,
    source: str | None,
    input: str | None,
    layout: str | None,
    out: str | None,
    params_file: str | None,
    since: str | None,
    kernel: ReusableKernel,
    side: ReusableKernel | None,
) -> None:
    try:
        if since:
            from reportgen.cli.compare import check_inputs

            check_inputs(since)
        from reportgen.core.config import load_params
        from reportgen.indicators import registry
        from reportgen.run.report import run_report

        params = load_params(
            authority,
            period,
            source=source,
            input=input,
            layout=layout,
            out=out,
            params_file=params_file,
            check_indicator=registry.get,
        )
        if side is not None and kernel.manager is not None:
            side.launch()  # the params are good: the forecast's kernel starts too
        from reportgen.core.config import disclosure_warning

        if since:
            from reportgen.cli.compare import check_not_overwritten
            from reportgen.run.report import report_filename

            check_not_overwritten(since, params.out_dir / report_filename(params))
        if warning := disclosure_warning(params):
            err.print(f"[bold yellow]warning:[/] {warning}", highlight=False)
        with console.status(f"Writing the {params.period} report for {params.authority_name}..."):
            same = params.kernel_name == kernel.kernel_name  # else run_report starts its own
            result = run_report(params, kernel if same else None, side if same else None)
    except (ReportgenError, Exception) as error:  # noqa: BLE001
        _fail(error)
        return
    console.print(f"[green]written[/] {result.docx}  ({result.timings.get('total', 0):.1f} s)")
    for note in result.notes:
        console.print(f"[yellow]note[/] {note}")
    if result.still_to_write:
        from rich.markup import escape

        from reportgen.report.officer_sections import own_folder

        names = escape("; ".join(result.still_to_write))
        console.print(
            f"[yellow]still to write[/] (default text or placeholder, each marked by a Word "
            f"comment and listed in run.json): {names}; put your own text in "
            f"{os.path.relpath(own_folder(result.params))}/<part>.md and the front-sheet "
            f"details in params/authorities/{result.params.authority_code}.yaml",
            highlight=False,
        )
    if since:
        from rich.markup import escape

        from reportgen.run.changes import changes_path, write_changes

        try:
            changes, warnings = write_changes(Path(since), result.docx, changes_path(result.docx))
        except Exception as error:  # noqa: BLE001
            _fail(error)
            return
        for warning in warnings:
            err.print(f"[bold yellow]warning:[/] {escape(warning)}", highlight=False)
        console.print(
            f"[green]changes[/] {escape(str(changes))}  (tracked changes since {escape(since)})",
            highlight=False,
        )


LONDON = ("Inner London", "Outer London")
"""The DfE publishes London boroughs under these two sub-regions; ``London`` means both."""


def _region_members(text: str) -> list[str] | None:
    """GSS codes of a region's authorities when ``text`` names a region (or London), else None."""
    from reportgen.core.authorities import all_authorities, normalise_name

    key = normalise_name(text)
    if not key:
        return None
    regions = {normalise_name(r): [r] for r in sorted({a.region for a in all_authorities()})}
    regions.setdefault(normalise_name("London"), list(LONDON))
    wanted = regions.get(key)
    if wanted is None:
        return None
    return [a.gss for a in all_authorities() if a.region in wanted]


def _authority_list(authorities: str | None) -> list[str]:
    """What ``AUTHORITIES`` selects: ``all``, a region, or names/codes (comma-separated when a
    name has spaces, e.g. ``"Isle of Wight, Southwark"``); regions may be mixed in a list."""
    if _is_all(authorities):
        from reportgen.core.authorities import all_authorities

        return [a.gss for a in all_authorities()]
    assert authorities is not None
    text = authorities.strip()
    if "," in text:
        items = [item.strip() for item in text.split(",") if item.strip()]
    elif _region_members(text) is not None or _names_one_authority(text):
        items = [text]
    else:
        items = text.split()
    selected: list[str] = []
    for item in items:
        for name in _region_members(item) or [item]:
            if name not in selected:
                selected.append(name)
    return selected


def _names_one_authority(text: str) -> bool:
    from reportgen.core.authorities import lookup

    if " " not in text:
        return False
    try:
        lookup(text)
    except ReportgenError:
        return False
    return True


def _is_all(authorities: str | None) -> bool:
    return not authorities or authorities.strip().lower() == "all"


def _is_expanded(authorities: str | None) -> bool:
    """True when the selection is ``all`` or only regions: authorities without published
    figures for a period are then skipped rather than failed."""
    if _is_all(authorities):
        return True
    assert authorities is not None
    items = [i.strip() for i in authorities.split(",") if i.strip()]
    return all(_region_members(item) is not None for item in items)


def _unpublished(authority: str, period: str | None, source: str | None) -> str:
    """Why ``AUTHORITIES=all`` skips an authority for a period ('' when it has published data)."""
    from reportgen.core.authorities import get, latest_published_year, published_years
    from reportgen.core.periods import parse_period

    if source not in (None, "published"):
        return ""
    year = parse_period(period).collection_year if period else latest_published_year()
    if year in published_years(authority):
        return ""
    return f"no published DfE figures for {get(authority).name} in {parse_period(period).label if period else year}"


def _period_list(period: str | None, periods: str | None) -> list[str | None]:
    """The periods of a batch: ``PERIOD``, or every period from one end of ``PERIODS`` to the
    other: years (``2020-21:2024-25``), quarters (``2024-25Q1:2024-25Q4``) or months
    (``2024-04:2025-03``)."""
    from reportgen.core.periods import parse_period, year_label

    if period and periods:
        raise ReportgenError("give PERIOD or PERIODS, not both")
    if not periods:
        return [period]
    first, sep, last = periods.partition(":")
    if not sep or not first.strip() or not last.strip():
        raise ReportgenError(
            f"PERIODS='{periods}' must be a range like 2020-21:2024-25, "
            "2024-25Q1:2024-25Q4 or 2024-04:2025-03"
        )
    start, end = parse_period(first), parse_period(last)
    if start.kind != end.kind or start.kind == "range":
        raise ReportgenError(
            f"PERIODS='{periods}': both ends must be years, quarters or months of the same kind "
            f"(got a {start.kind} and a {end.kind})"
        )
    if end.start < start.start:
        raise ReportgenError(f"PERIODS='{periods}' ends before it starts")
    if start.kind == "year":
        years = range(start.collection_year, end.collection_year + 1)
        return [year_label(y) for y in years]
    if start.kind == "quarter":
        assert start.quarter is not None and end.quarter is not None

        def step(p):  # (first calendar year of the collection year) * 4 + quarter - 1
            return (p.collection_year - 1) * 4 + p.quarter - 1

        return [
            parse_period(f"{year_label(n // 4 + 1)}Q{n % 4 + 1}").label
            for n in range(step(start), step(end) + 1)
        ]
    months = range(
        start.start.year * 12 + start.start.month - 1, end.start.year * 12 + end.start.month
    )
    return [f"{n // 12}-{n % 12 + 1:02d}" for n in months]


@app.command()
def reports(
    period: PeriodOpt = None,
    periods: Annotated[
        str | None,
        typer.Option(
            "--periods",
            help="A range of periods: years 2020-21:2024-25, quarters 2024-25Q1:2024-25Q4, "
            "months 2024-04:2025-03.",
        ),
    ] = None,
    authorities: Annotated[
        str | None,
        typer.Option(
            "--authorities",
            help='"all" (default), a region ("East Midlands", "London") or codes/names '
            "(separated by spaces, or by commas when names have spaces).",
        ),
    ] = None,
    source: SourceOpt = None,
    input: InputOpt = None,
    layout: LayoutOpt = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (default: cores).", min=1)
    ] = None,
    out: OutOpt = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Skip reports whose .docx exists and whose inputs and parameters are unchanged.",
        ),
    ] = False,
    executor: Annotated[
        str,
        typer.Option("--executor", help="process (default: worker processes here) or dask."),
    ] = "process",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: a local cluster).",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout", help="Seconds one notebook may run before its report fails (600).", min=1
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="A folder of earlier papers (e.g. out): also write each paper's "
            "<paper>_changes.docx against the authority's last paper there.",
        ),
    ] = None,
) -> None:
    """Write reports for many authorities and periods; summary at the end, non-zero if any failed."""
    from reportgen.run.batch import Outcome, Task, Terminated, run_batch
    from reportgen.run.kernels import DEFAULT_TIMEOUT

    try:
        names = _authority_list(authorities)
        expanded = _is_expanded(authorities)
        tasks, skipped = [], []
        for p in _period_list(period, periods):
            for a in names:
                reason = _unpublished(a, p, source) if expanded else ""
                if reason:
                    skipped.append(Outcome(a, p, "skipped", 0.0, reason=reason))
                else:
                    tasks.append(
                        Task(
                            authority=a,
                            period=p,
                            source=source,
                            input=input,
                            layout=layout,
                            out=out,
                            since=since,
                        )
                    )
        if since:
            _check_since_folder(since)
        if executor not in ("process", "dask"):
            raise ReportgenError(f"unknown executor '{executor}': expected process or dask")
        if scheduler and executor != "dask":
            raise ReportgenError("SCHEDULER is for EXECUTOR=dask: drop it or add EXECUTOR=dask")
    except ReportgenError as error:
        _fail(error)
        return
    try:
        outcomes = run_batch(
            tasks,
            workers,
            Path(out or "out"),
            console,
            skipped=skipped,
            executor=executor,
            scheduler=scheduler,
            timeout=timeout or DEFAULT_TIMEOUT,
            resume=resume,
        )
    except Terminated:
        err.print("[bold red]stopped[/] (SIGTERM): unfinished reports were not written")
        raise typer.Exit(143) from None
    except KeyboardInterrupt:
        err.print("[bold red]stopped[/] (Ctrl-C): unfinished reports were not written")
        raise typer.Exit(130) from None
    except ReportgenError as error:
        _fail(error)
        return
    failed = sum(o.status == "failed" for o in outcomes)
    if failed:
        err.print(
            f"[bold red]{failed} report(s) failed[/]: see the table above and {Path(out or 'out') / 'batch.json'}"
        )
        raise typer.Exit(1)


@app.command("list-authorities")
def list_authorities() -> None:
    """List every authority with published data: GSS code, old DfE code, name, region."""
    from reportgen.core.authorities import all_authorities

    table = Table("GSS code", "DfE code", "Name", "Region")
    for a in all_authorities():
        table.add_row(a.gss, a.old_code, a.name, a.region)
    console.print(table)


def _register_commands() -> None:
    from reportgen.cli import compare as cli_compare
    from reportgen.cli import forecast as cli_forecast
    from reportgen.cli import layout as cli_layout
    from reportgen.cli import publish as cli_publish
    from reportgen.cli import ssda903 as cli_903
    from reportgen.cli import synth as cli_synth

    cli_903.register(app)
    cli_synth.register(app)
    cli_forecast.register(app)
    cli_compare.register(app)
    cli_publish.register(app)
    cli_layout.register(app)


_register_commands()

if __name__ == "__main__":
    sys.exit(app())
