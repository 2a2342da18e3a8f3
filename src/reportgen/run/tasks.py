"""One report as a task a batch worker runs: the task, its outcome, and the worker's clean-up.

:mod:`reportgen.run.batch` (the batch on this machine) and :mod:`reportgen.run.executors` (process
pool or Dask) both run :func:`run_task`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.run.kernels import ReusableKernel, process_memory_mb

if TYPE_CHECKING:
    from reportgen.core.config import ReportParams

_CURRENT: dict[str, Path | None] = {"final": None}
"""The report the worker is writing (its watchdog removes the staging folder if abandoned)."""


@dataclass
class Task:
    """One report to write: the CLI values that ``load_params`` resolves."""

    authority: str
    period: str | None
    source: str | None = None
    input: str | None = None
    layout: str | None = None
    out: str | None = None
    since: str | None = None
    """A folder of earlier papers: also write ``<paper>_changes.docx`` against this authority's
    last one there (:func:`reportgen.run.changes.last_paper`)."""

    def params(self) -> ReportParams:
        """The task's validated parameters (``load_params`` on its CLI values)."""
        from reportgen.core.config import load_params
        from reportgen.indicators import registry

        return load_params(
            self.authority,
            self.period,
            source=self.source,
            input=self.input,
            layout=self.layout,
            out=self.out,
            check_indicator=registry.get,
        )


@dataclass
class Outcome:
    """What happened to one task (``status``: written, failed, skipped or interrupted)."""

    authority: str
    period: str | None
    status: str
    seconds: float
    docx: str = ""
    reason: str = ""
    worker: str = ""
    kernel_pid: int | None = None
    memory_mb: dict[str, float | None] = field(default_factory=dict)
    changes: str = ""
    """The tracked-changes copy written (``SINCE``), if any."""
    note: str = ""
    """Why no tracked-changes copy was written (``SINCE``: no earlier paper, or the comparison
    failed), or its warning."""


def run_task(task: Task, kernel: ReusableKernel) -> Outcome:
    """Write one report on ``kernel`` (in a worker); never raises, the outcome says what happened.

    After a report the kernel's state is cleared; after a failed notebook or an unexpected error
    it is restarted, so nothing of one authority leaks into the next.
    """
    from reportgen.core.errors import NotebookError, ReportgenError
    from reportgen.core.redact import redact
    from reportgen.run.report import run_report

    started = time.perf_counter()
    period = task.period
    entered = False
    try:
        params = task.params()
        period = params.period.label
        _CURRENT["final"] = params.out_dir
        entered = True
        result = run_report(params, kernel=kernel)
        kernel.clear()
        outcome = Outcome(
            task.authority, period, "written", time.perf_counter() - started, str(result.docx)
        )
        if task.since:
            outcome.changes, outcome.note = _changes_since(Path(task.since), params, result.docx)
            outcome.seconds = time.perf_counter() - started
    except Exception as error:  # one failure must not stop the batch
        if entered:
            restart = isinstance(error, NotebookError) or not isinstance(error, ReportgenError)
            _recover(kernel, restart)
        text = redact(str(error).splitlines()[0]) if str(error) else ""  # batch.json: no ids
        if not isinstance(error, ReportgenError):
            text = f"unexpected {type(error).__name__}: {text}".rstrip(": ")
        outcome = Outcome(
            task.authority, period, "failed", time.perf_counter() - started, reason=text
        )
    finally:
        _CURRENT["final"] = None
    _release_memory()
    outcome.worker = f"pid {os.getpid()}"
    outcome.kernel_pid = kernel.pid
    own = process_memory_mb(os.getpid())
    kernel_memory = kernel.memory_mb()
    outcome.memory_mb = {
        "worker": own["rss"],
        "worker_peak": own["peak"],
        "kernel": kernel_memory["rss"],
        "kernel_peak": kernel_memory["peak"],
    }
    return outcome


def _changes_since(since: Path, params: ReportParams, paper: Path) -> tuple[str, str]:
    """``(changes copy, note)`` for ``SINCE``: a failed comparison leaves the paper written."""
    from reportgen.core.redact import redact
    from reportgen.run.changes import changes_path, last_paper, write_changes

    old = last_paper(since, params)
    if old is None:
        return "", f"no earlier paper for {params.authority_code} in {since}"
    try:
        written, warnings = write_changes(old, paper, changes_path(paper))
    except Exception as error:  # noqa: BLE001 - the paper is written; say why there is no copy
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        return "", redact(f"no tracked changes against {old.name}: {first}")
    return str(written), redact("; ".join(warnings))


@cache
def _libc() -> object | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


_FROZEN: list[bool] = []
"""Non-empty once this worker has frozen its long-lived objects (:func:`_release_memory`)."""


def _release_memory() -> None:
    """Free what a report left behind now, and give it back to the OS.

    A report's documents (python-docx/lxml trees, notebooks) hold reference cycles that
    Python's collector reaches only now and then, and glibc keeps freed memory: without this a
    worker's memory grew by about 1.3 MB a report (240 to 340 MB over 76 reports); with it, it
    stays flat (bench/README.md). It costs a few tens of milliseconds.

    After the first report the survivors (modules, caches) are frozen (``gc.freeze``), so later
    collections walk only what each report creates.
    """
    gc.collect()
    if not _FROZEN:
        gc.freeze()
        _FROZEN.append(True)
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


def _recover(kernel: ReusableKernel, restart: bool) -> None:
    try:
        kernel.reset() if restart else kernel.clear()
    except Exception:  # a kernel that cannot restart: start a new one for the next report
        kernel.shutdown()
