"""Where a batch's reports run: worker processes on this machine, or a Dask cluster.

Both run the same function (:func:`reportgen.run.tasks.run_task`) on a kernel each worker keeps
alive, and both yield ``(task index, Outcome)`` as reports finish.

**Processes** (default). A ``spawn`` :class:`~concurrent.futures.ProcessPoolExecutor`; each worker
owns one kernel (a child of the worker, which shuts it down when it exits) and a watchdog thread.
When the batch's process goes away (killed, even with SIGKILL) or asks the workers to stop
(Ctrl-C, SIGTERM), the watchdog kills the kernel, removes the report being written and exits:
no orphan worker or kernel, no half-written report. Workers ignore SIGINT (the batch's process
handles Ctrl-C for them). If a worker process dies (e.g. killed by the OOM killer), the pool is
rebuilt and the reports it was writing are tried once more, then reported as failed.

**Dask** (``--executor dask``). The same tasks on a ``distributed`` cluster: a
:class:`~distributed.LocalCluster` of worker processes on this machine, or the scheduler given
with ``--scheduler``. A worker plugin gives every Dask worker process its own kernel, used for
one report at a time and shut down with the worker.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from reportgen.run.kernels import DEFAULT_TIMEOUT, ReusableKernel
from reportgen.run.tasks import _CURRENT, Outcome, Task, run_task

EXECUTORS = ("process", "dask")
WATCH_INTERVAL = 0.2
"""Seconds between a worker's checks that the batch is still there."""


def make_executor(
    name: str,
    workers: int | None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    scheduler: str | None = None,
) -> ProcessExecutor | DaskExecutor:
    """The executor called ``name`` (``process`` or ``dask``)."""
    from reportgen.core.errors import ParamsError

    if name == "process":
        if scheduler:
            raise ParamsError("SCHEDULER is for EXECUTOR=dask: drop it or add EXECUTOR=dask")
        return ProcessExecutor(workers, timeout)
    if name == "dask":
        return DaskExecutor(workers, timeout, scheduler)
    raise ParamsError(f"unknown executor '{name}': expected one of {', '.join(EXECUTORS)}")


def _failed(task: Task, reason: str) -> Outcome:
    return Outcome(task.authority, task.period, "failed", 0.0, reason=reason)


# --- worker processes on this machine -------------------------------------------------------

_KERNEL: ReusableKernel | None = None
_STATE_FILE: Path | None = None


STOP_FILE = "STOP"
"""Created in the batch's state folder to ask the workers to stop (no lock a dying process
could leave held, unlike a multiprocessing Event)."""


def _init_worker(
    parent_pid: int, state_dir: str, timeout: float | None
) -> None:  # pragma: no cover - runs in the worker processes
    global _KERNEL, _STATE_FILE
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch's process handles Ctrl-C
    _KERNEL = ReusableKernel(timeout=timeout)
    _STATE_FILE = Path(state_dir) / f"{os.getpid()}.json"
    import atexit

    atexit.register(_KERNEL.shutdown)  # normal end of the pool: stop the kernel at once
    terminate = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: terminate.set())
    stop = Path(state_dir) / STOP_FILE
    threading.Thread(
        target=_watchdog, args=(parent_pid, stop, terminate), name="watchdog", daemon=True
    ).start()


PR_SET_PDEATHSIG = 1
"""Linux prctl option: the signal a process gets when its parent dies."""


def die_with_parent(parent_pid: int) -> bool:
    """Ask Linux to send SIGTERM to this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``).

    The worker's SIGTERM handler wakes its watchdog, which kills the kernel, removes the report
    being written and exits, even when the batch was SIGKILLed and could not tell it. (Templates
    that would hold the interpreter in one long C call are refused by the sandbox, so the handler
    gets to run.) Elsewhere than Linux it does nothing (the watchdog still works).

    Parameters
    ----------
    parent_pid
        The batch's process: if it is already gone, this process exits at once.

    Returns
    -------
    bool
        True when the death signal was set.
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        # SIGTERM, not SIGKILL: the worker's handler wakes the watchdog, which kills the kernel
        # and removes the half-written report before exiting (a SIGKILL would leave it behind)
        done = libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    return done


def _watchdog(
    parent_pid: int, stop: Path, terminate: threading.Event
) -> None:  # pragma: no cover - runs in the worker processes
    while not terminate.wait(WATCH_INTERVAL):
        if os.getppid() != parent_pid or stop.exists():
            break
    _abandon()


def _abandon() -> None:  # pragma: no cover - runs in the worker processes
    """Kill the kernel, remove the report being written, exit (from the watchdog thread)."""
    from reportgen.run.report import COMMIT_LOCK, staging_path

    if _KERNEL is not None:
        _KERNEL.kill()
    COMMIT_LOCK.acquire(timeout=10)  # let a rename into place finish; then nothing moves
    final = _CURRENT.get("final")
    if final is not None:
        shutil.rmtree(staging_path(final), ignore_errors=True)
        with contextlib.suppress(OSError):
            final.parent.rmdir()  # only if empty: an authority folder made for this report
    os._exit(1)


def _write_state(index: int | None) -> None:  # pragma: no cover - runs in the worker processes
    if _STATE_FILE is None:
        return
    state = {"task": index, "kernel": _KERNEL.pid if _KERNEL else None}
    tmp = _STATE_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    tmp.replace(_STATE_FILE)


def _process_task(index: int, task: Task) -> Outcome:  # pragma: no cover - runs in the workers
    assert _KERNEL is not None
    _write_state(index)
    try:
        return run_task(task, _KERNEL)
    finally:
        _write_state(None)


class ProcessExecutor:
    """A pool of ``workers`` spawn processes, each with its own reused kernel."""

    def __init__(self, workers: int | None, timeout: float | None = DEFAULT_TIMEOUT):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._pool: ProcessPoolExecutor | None = None
        self._state_dir: Path | None = None

    def describe(self) -> dict[str, Any]:
        return {"name": "process", "workers": self.workers}

    def _states(self) -> dict[int, dict[str, Any]]:
        found = {}
        for path in (self._state_dir or Path("/nonexistent")).glob("*.json"):
            with contextlib.suppress(OSError, ValueError):
                found[int(path.stem)] = json.loads(path.read_text())
        return found

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, Outcome]]:
        self.workers = min(self.workers, max(1, len(tasks)))
        self._state_dir = Path(tempfile.mkdtemp(prefix="reportgen-batch-"))
        pending = set(range(len(tasks)))
        crashes: dict[int, int] = {}
        try:
            while pending:
                broken = yield from self._run_pool(tasks, pending)
                if not broken:
                    break
                # a worker died: the reports it and the others were writing go round once more
                for state in self._states().values():
                    index = state.get("task")
                    if index is None or index not in pending:
                        continue
                    crashes[index] = crashes.get(index, 0) + 1
                    if crashes[index] >= 2:
                        pending.discard(index)
                        yield (
                            index,
                            _failed(
                                tasks[index],
                                "a worker process died twice while writing this report "
                                "(out of memory?)",
                            ),
                        )
                self._kill_kernels()
                for path in self._state_dir.glob("*.json"):
                    path.unlink()
        finally:
            shutil.rmtree(self._state_dir, ignore_errors=True)

    def _run_pool(self, tasks: list[Task], pending: set[int]) -> Iterator[tuple[int, Outcome]]:
        pool = ProcessPoolExecutor(
            min(self.workers, len(pending)),
            mp_context=self._context,
            initializer=_init_worker,
            initargs=(os.getpid(), str(self._state_dir), self.timeout),
        )
        self._pool = pool
        futures = {pool.submit(_process_task, i, tasks[i]): i for i in sorted(pending)}
        broken = False
        try:
            not_done = set(futures)
            while not_done and not broken:
                done, not_done = wait(not_done, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    index = futures[future]
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as error:  # e.g. a task that could not be sent
                        outcome = _failed(tasks[index], f"unexpected {type(error).__name__}")
                    pending.discard(index)
                    yield index, outcome
        except BaseException:  # Ctrl-C, SIGTERM, or the consumer closing us: stop everything now
            self.abort()
            raise
        pool.shutdown(wait=not broken, cancel_futures=True)
        self._pool = None
        return broken

    def _kill_kernels(self) -> None:
        for state in self._states().values():
            pid = state.get("kernel")
            with contextlib.suppress(ProcessLookupError, PermissionError, TypeError):
                if os.getpgid(pid) == pid:  # still a kernel leading its own session
                    os.killpg(pid, signal.SIGKILL)

    def abort(self) -> None:
        """Stop now: workers kill their kernels, remove unfinished reports, and exit."""
        if self._state_dir is not None and self._state_dir.is_dir():
            (self._state_dir / STOP_FILE).touch()
        pool, self._pool = self._pool, None
        processes = list((getattr(pool, "_processes", None) or {}).values())
        deadline = time.monotonic() + 10
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join(5)
        self._kill_kernels()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


# --- Dask -------------------------------------------------------------------------------------

PLUGIN_NAME = "reportgen-kernel"


def _kernel_plugin(timeout: float | None) -> Any:
    from distributed.diagnostics.plugin import WorkerPlugin

    class KernelPlugin(WorkerPlugin):
        """Gives a Dask worker process one kernel, reused for its reports, stopped with it."""

        name = PLUGIN_NAME

        def __init__(self, timeout: float | None):
            self.timeout = timeout
            self.kernel: ReusableKernel | None = None

        def setup(self, worker: Any) -> None:
            self.kernel = ReusableKernel(timeout=self.timeout)
            self.lock = threading.Lock()

        def teardown(self, worker: Any) -> None:
            if self.kernel is not None:  # at the batch's end (or the worker's): nothing runs now
                self.kernel.shutdown()

    return KernelPlugin(timeout)


def run_on_dask_worker(task: Task) -> Outcome:
    """A Dask task: one report on this worker's kernel (one at a time per worker process)."""
    from distributed import get_worker

    worker = get_worker()
    plugin = worker.plugins[PLUGIN_NAME]
    with plugin.lock:  # one kernel per worker process: reports take turns on it
        outcome = run_task(task, plugin.kernel)
    outcome.worker = str(worker.address)
    return outcome


class DaskExecutor:
    """Reports as tasks on a Dask cluster (local unless ``scheduler`` is given)."""

    def __init__(
        self,
        workers: int | None,
        timeout: float | None = DEFAULT_TIMEOUT,
        scheduler: str | None = None,
    ):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.timeout = timeout
        self.scheduler = scheduler
        self._client: Any = None
        self._cluster: Any = None
        self._futures: list[Any] = []
        self._workers_seen: int | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "name": "dask",
            "scheduler": self.scheduler or "local cluster",
            "workers": self._workers_seen,
        }

    def _connect(self, tasks: list[Task]) -> None:
        from distributed import Client, LocalCluster

        from reportgen.core.errors import ReportgenError

        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout="20s")
            except OSError as error:
                raise ReportgenError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {error}"
                ) from error
        else:
            self._cluster = LocalCluster(
                n_workers=min(self.workers, max(1, len(tasks))),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._client = Client(self._cluster)
        self._client.register_plugin(_kernel_plugin(self.timeout), name=PLUGIN_NAME)
        with contextlib.suppress(Exception):
            self._workers_seen = len(self._client.scheduler_info().get("workers", {}))

    def run(self, tasks: list[Task]) -> Iterator[tuple[int, Outcome]]:
        from distributed import as_completed

        # workers may run elsewhere: give them absolute output folders
        tasks = [Task(**{**t.__dict__, "out": str(Path(t.out or "out").resolve())}) for t in tasks]
        self._connect(tasks)
        batch = uuid.uuid4().hex[:8]
        try:
            self._futures = [
                self._client.submit(run_on_dask_worker, task, key=f"report-{batch}-{i}", pure=False)
                for i, task in enumerate(tasks)
            ]
            index = {future.key: i for i, future in enumerate(self._futures)}
            for future in as_completed(self._futures):
                i = index[future.key]
                try:
                    outcome = future.result()
                except Exception as error:  # e.g. KilledWorker: the worker died running it
                    outcome = _failed(tasks[i], f"dask: {type(error).__name__}: {error}")
                yield i, outcome
        finally:
            self._close()

    def abort(self) -> None:
        """Cancel what has not run and close the cluster (its workers stop their kernels)."""
        if self._client is not None and self._futures:
            with contextlib.suppress(Exception):
                self._client.cancel(self._futures, force=True)
        self._close()

    def _close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):  # teardown: each worker stops its kernel now
                self._client.unregister_worker_plugin(PLUGIN_NAME)
            with contextlib.suppress(Exception):
                self._client.close()
            self._client = None
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
            self._cluster = None
