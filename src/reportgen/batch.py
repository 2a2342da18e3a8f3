"""Many reports: a pool of worker processes, each reusing one live kernel, failures isolated.

A failure in one report never stops the others; the batch ends with a summary table,
``<out>/batch.json`` and a non-zero exit when any report failed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from reportgen.kernels import ReusableKernel

_KERNEL: ReusableKernel | None = None


@dataclass
class Task:
    """One report to write: the CLI values that ``load_params`` resolves."""

    authority: str
    period: str | None
    source: str | None = None
    input: str | None = None
    layout: str | None = None
    out: str | None = None


@dataclass
class Outcome:
    """What happened to one task."""

    authority: str
    period: str | None
    status: str
    seconds: float
    docx: str = ""
    reason: str = ""


def _init_worker() -> None:
    global _KERNEL
    _KERNEL = ReusableKernel()


def _run_task(task: Task) -> Outcome:
    from reportgen.config import load_params
    from reportgen.run import run_report

    assert _KERNEL is not None
    started = time.perf_counter()
    try:
        params = load_params(
            task.authority,
            task.period,
            source=task.source,
            input=task.input,
            layout=task.layout,
            out=task.out,
        )
        result = run_report(params, kernel=_KERNEL)
        _KERNEL.clear()
        return Outcome(
            task.authority,
            params.period,
            "written",
            time.perf_counter() - started,
            str(result.docx),
        )
    except Exception as error:  # one failure must not stop the batch
        _KERNEL.reset()
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return Outcome(
            task.authority, task.period, "failed", time.perf_counter() - started, reason=reason
        )


def run_batch(
    tasks: Iterable[Task],
    workers: int | None,
    out: Path,
    console: Console,
    skipped: list[Outcome] | None = None,
) -> list[Outcome]:
    """Run ``tasks`` in ``workers`` processes with a progress bar; write ``out/batch.json``.

    Parameters
    ----------
    tasks
        The reports to write.
    workers
        Worker processes (default: the number of cores).
    out
        Folder for ``batch.json``.
    console
        Where the progress bar and summary go.
    skipped
        Reports not attempted, with the reason (listed in the summary and ``batch.json``).

    Returns
    -------
    list of Outcome
        In task order, then the skipped ones.
    """
    tasks = list(tasks)
    workers = max(1, min(workers or os.cpu_count() or 1, len(tasks) or 1))
    outcomes: dict[int, Outcome] = {}
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with (
        Progress(
            TextColumn("[bold]reports"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeRemainingColumn(),
            console=console,
        ) as progress,
        ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker) as pool,
    ):
        bar = progress.add_task("reports", total=len(tasks), failed=0)
        futures = {pool.submit(_run_task, task): i for i, task in enumerate(tasks)}
        failed = 0
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[futures[future]] = outcome
            failed += outcome.status == "failed"
            progress.update(bar, advance=1, failed=failed)
    ordered = [outcomes[i] for i in range(len(tasks))] + list(skipped or [])
    elapsed = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    summary = {
        "written": sum(o.status == "written" for o in ordered),
        "failed": sum(o.status == "failed" for o in ordered),
        "skipped": sum(o.status == "skipped" for o in ordered),
        "workers": workers,
        "seconds": round(elapsed, 1),
        "reports": [asdict(o) | {"seconds": round(o.seconds, 2)} for o in ordered],
    }
    tmp = out / ".batch.json.tmp"
    tmp.write_text(json.dumps(summary, indent=1) + "\n")
    tmp.replace(out / "batch.json")
    _print_summary(ordered, elapsed, console)
    return ordered


def _print_summary(outcomes: list[Outcome], elapsed: float, console: Console) -> None:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("written", "failed", "skipped")}
    table = Table(title="Batch summary")
    for column in ("Written", "Failed", "Skipped", "Time"):
        table.add_column(column, justify="right")
    table.add_row(*(str(n) for n in counts.values()), f"{elapsed:.0f} s")
    console.print(table)
    for status in ("failed", "skipped"):
        listed = [o for o in outcomes if o.status == status]
        if not listed:
            continue
        reasons = Table(title=f"{status.capitalize()} reports")
        for column in ("Authority", "Period", "Reason"):
            reasons.add_column(column)
        for o in listed:
            reasons.add_row(o.authority, o.period or "", o.reason)
        console.print(reasons)
