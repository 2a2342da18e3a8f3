"""Many reports: a pool of workers, each reusing one live kernel, failures isolated.

A failure in one report never stops the others; the batch ends with a summary table,
``<out>/batch.json`` and a non-zero exit when any report failed. Where the reports run is an
executor (:mod:`reportgen.run.executors`): worker processes on this machine (default) or a Dask
cluster. Ctrl-C or SIGTERM stops the workers and their kernels, removes the reports being
written, and still writes the summary of what was done.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from reportgen.run.kernels import DEFAULT_TIMEOUT
from reportgen.run.tasks import Outcome, Task

if TYPE_CHECKING:
    pass

NOTEBOOKS_PER_REPORT = 4
UNCHANGED = "unchanged since the last run (--resume)"


class Terminated(KeyboardInterrupt):
    """The batch received SIGTERM (handled like Ctrl-C: stop cleanly, exit non-zero)."""


def resume_split(tasks: list[Task]) -> tuple[list[Task], list[Outcome]]:
    """Tasks whose report is up to date (same fingerprint, .docx present) become skipped outcomes.

    A task whose parameters do not load is kept: the worker reports the error.
    """
    from reportgen.core.errors import ReportgenError
    from reportgen.run.report import is_up_to_date

    todo, unchanged = [], []
    for task in tasks:
        try:
            params = task.params()
            current = is_up_to_date(params)
        except (ReportgenError, OSError, ValueError):
            current = False
        if current:
            unchanged.append(
                Outcome(task.authority, params.period.label, "skipped", 0.0, reason=UNCHANGED)
            )
        else:
            todo.append(task)
    return todo, unchanged


def run_batch(
    tasks: Iterable[Task],
    workers: int | None,
    out: Path,
    console: Console,
    skipped: list[Outcome] | None = None,
    *,
    executor: str = "process",
    scheduler: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    resume: bool = False,
) -> list[Outcome]:
    """Run ``tasks`` on ``executor`` with a progress bar; write ``out/batch.json``.

    Parameters
    ----------
    tasks
        The reports to write.
    workers
        Worker processes (default: the number of cores; for Dask, of the local cluster).
    out
        Folder for ``batch.json``.
    console
        Where the progress bar and summary go.
    skipped
        Reports not attempted, with the reason (listed in the summary and ``batch.json``).
    executor
        ``"process"`` (worker processes on this machine) or ``"dask"``.
    scheduler
        Dask scheduler address (``tcp://host:8786``); default: a local cluster.
    timeout
        Seconds one notebook may run before its report fails (None: no limit).
    resume
        Skip reports whose .docx exists and whose inputs and parameters have not changed.

    Returns
    -------
    list of Outcome
        In task order, then the skipped ones.

    Raises
    ------
    KeyboardInterrupt
        After Ctrl-C (:class:`Terminated` after SIGTERM), once the workers have stopped and the
        summary of what was done is written.
    """
    from reportgen.run.executors import make_executor
    from reportgen.run.report import sweep_leftovers

    tasks = list(tasks)
    skipped = list(skipped or [])
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for root in {Path(t.out or "out") for t in tasks} | {out}:
        sweep_leftovers(root)
    if resume and tasks:
        with console.status("Checking which reports are up to date..."):
            tasks, unchanged = resume_split(tasks)
        skipped = unchanged + skipped
    runner = make_executor(executor, workers, timeout=timeout, scheduler=scheduler)
    outcomes: dict[int, Outcome] = {}
    interrupted: KeyboardInterrupt | None = None
    previous = _on_sigterm()
    try:
        with Progress(
            TextColumn("[bold]reports"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        ) as progress:
            bar = progress.add_task("reports", total=len(tasks), failed=0)
            failed = 0
            results: Iterator[tuple[int, Outcome]] = runner.run(tasks) if tasks else iter(())
            try:
                for index, outcome in results:
                    outcomes[index] = outcome
                    failed += outcome.status == "failed"
                    progress.update(bar, advance=1, failed=failed)
            except KeyboardInterrupt as stop:
                interrupted = stop
                progress.stop()
                console.print("[yellow]interrupted:[/] stopping the workers and their kernels...")
                runner.abort()
            finally:
                close = getattr(results, "close", None)
                if close:
                    close()
    finally:
        _restore_sigterm(previous)
    for index, task in enumerate(tasks):
        if index not in outcomes:
            outcomes[index] = Outcome(
                task.authority, task.period, "interrupted", 0.0, reason="the batch was stopped"
            )
    ordered = [outcomes[i] for i in range(len(tasks))] + skipped
    elapsed = time.perf_counter() - started
    _write_summary(out, ordered, elapsed, runner.describe(), timeout)
    _print_summary(ordered, elapsed, console)
    if interrupted is not None:
        raise interrupted
    return ordered


def _on_sigterm() -> object:
    def handler(signum: int, frame: object) -> None:
        raise Terminated()

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _restore_sigterm(previous: object) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]


def _counts(outcomes: list[Outcome]) -> dict[str, int]:
    return {
        s: sum(o.status == s for o in outcomes)
        for s in ("written", "failed", "skipped", "interrupted")
    }


def _peak(outcomes: list[Outcome], key: str) -> float | None:
    values = [o.memory_mb.get(key) for o in outcomes if o.memory_mb.get(key) is not None]
    return max(values) if values else None  # type: ignore[type-var]


def _write_summary(
    out: Path, ordered: list[Outcome], elapsed: float, executor: dict, timeout: float | None
) -> None:
    counts = _counts(ordered)
    notebooks = NOTEBOOKS_PER_REPORT * counts["written"]
    summary = {
        **counts,
        "workers": executor.get("workers"),
        "executor": executor,
        "timeout_seconds": timeout,
        "seconds": round(elapsed, 1),
        "notebooks": notebooks,
        "notebooks_per_minute": round(notebooks / elapsed * 60, 1) if elapsed else None,
        "peak_memory_mb": {
            "worker": _peak(ordered, "worker_peak"),
            "kernel": _peak(ordered, "kernel_peak"),
        },
        "reports": [asdict(o) | {"seconds": round(o.seconds, 2)} for o in ordered],
    }
    tmp = out / ".batch.json.tmp"
    tmp.write_text(json.dumps(summary, indent=1) + "\n")
    tmp.replace(out / "batch.json")


def _print_summary(outcomes: list[Outcome], elapsed: float, console: Console) -> None:
    counts = _counts(outcomes)
    notebooks = NOTEBOOKS_PER_REPORT * counts["written"]
    table = Table(title="Batch summary")
    columns = ["Written", "Failed", "Skipped"] + (["Interrupted"] if counts["interrupted"] else [])
    for column in [*columns, "Time", "Notebooks/min"]:
        table.add_column(column, justify="right")
    rate = f"{notebooks / elapsed * 60:.0f}" if elapsed and notebooks else "-"
    table.add_row(*(str(counts[c.lower()]) for c in columns), f"{elapsed:.0f} s", rate)
    console.print(table)
    copies = sum(bool(o.changes) for o in outcomes)
    if copies:
        what = "copy" if copies == 1 else "copies"
        console.print(f"{copies} tracked-changes {what} written (SINCE): <paper>_changes.docx.")
    noted = [o for o in outcomes if o.status == "written" and o.note]
    if noted:
        notes = Table(title="Notes")
        for column in ("Authority", "Period", "Note"):
            notes.add_column(column)
        for o in noted:
            notes.add_row(o.authority, o.period or "", o.note)
        console.print(notes)
    unchanged = [o for o in outcomes if o.status == "skipped" and o.reason == UNCHANGED]
    if unchanged:
        console.print(f"{len(unchanged)} report(s) unchanged since the last run (--resume).")
    for status in ("failed", "skipped"):
        listed = [o for o in outcomes if o.status == status and o.reason != UNCHANGED]
        if not listed:
            continue
        reasons = Table(title=f"{status.capitalize()} reports")
        for column in ("Authority", "Period", "Reason"):
            reasons.add_column(column)
        for o in listed:
            reasons.add_row(o.authority, o.period or "", o.reason)
        console.print(reasons)
