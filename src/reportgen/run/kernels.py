"""A Jupyter kernel started once and reused across notebooks, and the papermill engine that runs on it.

papermill's stock engine (``km=`` forwarded to nbclient) reuses the kernel but opens a new kernel
client for every notebook, and ``wait_for_ready`` then idles 0.2 s flushing IOPub. The
``reportgen`` engine registered here (a documented papermill extension point) also reuses one
client per kernel, gives each notebook one deadline (``timeout`` seconds for the whole notebook),
and turns a timeout or a dead kernel into an error cell, so papermill writes its error banner and
raises :class:`~papermill.exceptions.PapermillExecutionError` as for any failing cell.

State is cleared between reports by :meth:`ReusableKernel.clear`; after a failure the kernel is
restarted (:meth:`ReusableKernel.reset`). Versions are pinned (requirements.lock) and
``tests/integration/test_batch_kernels.py`` covers the nbclient internals used here.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import KernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger

from reportgen.core.errors import ReportgenError
from reportgen.core.paths import KERNEL_NAME

DEFAULT_TIMEOUT = 600
"""Seconds one notebook may run before it fails (``reportgen reports --timeout``)."""

READY_TIMEOUT = 60.0
"""Seconds a new kernel has to answer its first message before it is replaced by a new one."""

START_ATTEMPTS = 3
"""Kernels started before giving up (:meth:`ReusableKernel.client`)."""

ENGINE_NAME = "reportgen"
"""The papermill engine that runs notebooks on a :class:`ReusableKernel`."""

KERNEL_SETUP = """\
import os as _os, sys as _sys, types as _types, warnings as _warnings
_state = _types.ModuleType("_reportgen_kernel_state")
_state.cwd = _os.getcwd()
_state.warnings = list(_warnings.filters)
_sys.modules["_reportgen_kernel_state"] = _state
del _os, _sys, _types, _warnings, _state
"""
"""Run once when a kernel starts: what :data:`CLEAR_STATE` restores (kept out of the namespace)."""

CLEAR_STATE = """\
get_ipython().run_line_magic("reset", "-f")
def _reportgen_clear():
    import os, sys, warnings
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].rc_file_defaults()
    if "pandas" in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["pandas"].reset_option("all")
    state = sys.modules.get("_reportgen_kernel_state")
    if state is not None:
        os.chdir(state.cwd)
        warnings.filters[:] = state.warnings
        if not getattr(state, "frozen", False):
            import gc
            gc.collect()
            gc.freeze()
            state.frozen = True
_reportgen_clear()
del _reportgen_clear
"""
"""Run in the kernel between reports: no variable, figure, matplotlib/seaborn style, pandas option,
working directory or warnings filter survives into the next report. Imported modules stay loaded
(that is the point of reusing the kernel); their caches hold only the shipped published tables
and results computed from them (``analysis/costs.py``), each used only while the table it was
computed from is the one loaded.

After the first report, what is left (modules, their caches) is moved out of the cyclic garbage
collector's sight (``gc.freeze``): every later collection, including the one ``%reset`` runs, then
walks only what later reports create (0.15-0.2 s less a report). Reference counting still frees
anything frozen that is no longer used."""


class ReusableKernel:
    """Context manager owning one live kernel and one client connected to it.

    Parameters
    ----------
    kernel_name
        Registered kernel name (``make venv`` registers ``reportgen``).
    timeout
        Seconds one notebook may run (``None``: no limit).
    """

    def __init__(self, kernel_name: str = KERNEL_NAME, timeout: float | None = DEFAULT_TIMEOUT):
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.manager: KernelManager | None = None
        self._client: Any = None
        self._client_thread: int | None = None
        self._needs_setup = False

    def start(self) -> KernelManager:
        """Start the kernel (once), connect to it and return its manager."""
        if self.manager is None:
            self.manager = self._launch()
            self.client()
        return self.manager

    def _launch(self) -> KernelManager:
        """Start a new kernel process (new ports); :meth:`client` runs :data:`KERNEL_SETUP` in it."""
        from jupyter_client.kernelspec import NoSuchKernel

        manager = KernelManager(kernel_name=self.kernel_name)
        try:
            # the kernel's own log (e.g. "running over TCP without encryption") is noise here
            manager.start_kernel(stderr=subprocess.DEVNULL)
        except NoSuchKernel as error:
            raise ReportgenError(
                f"Jupyter kernel '{self.kernel_name}' is not registered: run 'make venv' "
                "(or '.venv/bin/python -m ipykernel install --sys-prefix --name reportgen')"
            ) from error
        self._needs_setup = True
        return manager

    @property
    def pid(self) -> int | None:
        """Process id of the running kernel, if any."""
        process = getattr(getattr(self.manager, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def client(self) -> Any:
        """The kernel's client, opened once and then reused (by every notebook and :meth:`clear`).

        An ``AsyncKernelClient``, as nbclient uses when it opens its own: with a blocking client
        nbclient's IOPub poller blocks its event loop, and cell timeouts never fire. A client
        is used from one thread (its event loop); another thread gets a new one.
        """
        manager = self.start()
        if self._client is not None and self._client_thread != threading.get_ident():
            self._close_client()
        attempt = 1
        while self._client is None:
            from jupyter_client.asynchronous import AsyncKernelClient

            client = AsyncKernelClient(
                **manager.get_connection_info(session=True),
                connection_file=manager.connection_file,
                parent=manager,
            )
            client.start_channels()
            try:
                run_sync(client.wait_for_ready)(timeout=READY_TIMEOUT)
            except RuntimeError as error:
                # a kernel now and then never answers its first message (seen when several
                # start at once on a loaded machine): a new kernel on new ports usually does
                client.stop_channels()
                if attempt >= START_ATTEMPTS:
                    raise RuntimeError(
                        f"the Jupyter kernel '{self.kernel_name}' did not answer within "
                        f"{READY_TIMEOUT:g} s, {attempt} times: is the machine overloaded?"
                    ) from error
                attempt += 1
                with contextlib.suppress(Exception):
                    manager.shutdown_kernel(now=True)
                self.manager = manager = self._launch()
                continue
            client.allow_stdin = False
            self._client, self._client_thread = client, threading.get_ident()
            if self._needs_setup:
                self._needs_setup = False
                self.execute(KERNEL_SETUP)
        return self._client

    def execute(self, code: str, timeout: float = 60) -> bool:
        """Run ``code`` in the kernel without output or history; True when it succeeded."""
        try:
            reply = run_sync(self.client().execute_interactive)(
                code, store_history=False, timeout=timeout, output_hook=lambda msg: None
            )
        except (RuntimeError, TimeoutError):
            return False
        return reply["content"]["status"] == "ok"

    def _close_client(self) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):
                self._client.stop_channels()
            self._client = None

    def reset(self) -> None:
        """Restart the kernel (after a failure or a timeout: nothing of the failed run survives)."""
        self._close_client()
        if self.manager is not None and self.manager.has_kernel:
            self.manager.restart_kernel(now=True)
            self._needs_setup = True
            self.client()

    def clear(self) -> None:
        """Clear the user namespace and plotting state between reports, keeping imports warm.

        Much faster than a restart (pandas, seaborn and the published tables stay loaded);
        falls back to :meth:`reset` if the clearing code fails.
        """
        if self.manager is None or not self.manager.has_kernel:
            return
        if not self.manager.is_alive() or not self.execute(CLEAR_STATE):
            self.reset()

    def shutdown(self) -> None:
        """Stop the kernel at once (no graceful wait: see measured-facts.md)."""
        self._close_client()
        if self.manager is not None:
            with contextlib.suppress(Exception):
                if self.manager.has_kernel:
                    self.manager.shutdown_kernel(now=True)
            self.manager = None

    def kill(self) -> None:
        """SIGKILL the kernel's process group without talking to it (safe from a watchdog thread)."""
        pid = self.pid
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            # the kernel leads its own session (jupyter_client start_new_session=True)
            if os.getpgid(pid) == pid:
                os.killpg(pid, signal.SIGKILL)
            else:
                os.kill(pid, signal.SIGKILL)

    def memory_mb(self) -> dict[str, float | None]:
        """Resident and peak memory (MB) of the kernel process, where the OS tells (Linux)."""
        return process_memory_mb(self.pid)

    def __enter__(self) -> ReusableKernel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()


def process_memory_mb(pid: int | None) -> dict[str, float | None]:
    """``{"rss": ..., "peak": ...}`` in MB from ``/proc/<pid>/status`` (None where unknown)."""
    found: dict[str, float | None] = {"rss": None, "peak": None}
    if pid is None:
        return found
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return found
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found["rss" if key == "VmRSS" else "peak"] = round(int(value.split()[0]) / 1024, 1)
    return found


class _ReusedKernelClient(PapermillNotebookClient):
    """papermill's client on an already open kernel client, with a per-notebook deadline."""

    def __init__(self, nb_man: Any, kernel: ReusableKernel, **kw: Any):
        super().__init__(nb_man, km=kernel.start(), **kw)
        self.kc = kernel.client()  # nbclient then neither opens a client nor closes it
        self.notebook_timeout = kernel.timeout
        self.deadline = None if not kernel.timeout else time.monotonic() + kernel.timeout
        if self.deadline is not None:
            self.timeout_func = self._remaining
        self.aborted = False

    def _remaining(self, cell: Any) -> int:
        assert self.deadline is not None
        return max(1, math.ceil(self.deadline - time.monotonic()))

    def execute(self, **kwargs: Any) -> Any:
        self.reset_execution_trackers()
        with self.setup_kernel(**kwargs):
            self.papermill_execute_cells()
            if not self.aborted:  # a timed-out kernel is still busy and would not answer
                info_msg = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
            self.set_widgets_metadata()
        return self.nb

    def papermill_execute_cells(self) -> None:
        for index, cell in enumerate(self.nb.cells):
            try:
                self.nb_man.cell_start(cell, index)
                self.execute_cell(cell, index)
            except CellExecutionError as ex:
                self.nb_man.cell_exception(self.nb.cells[index], cell_index=index, exception=ex)
                break
            except Exception as ex:  # timeout, dead kernel, lost connection: an error cell too
                self.aborted = True
                self._record_failure(index, ex)
                self.nb_man.cell_exception(self.nb.cells[index], cell_index=index, exception=ex)
                break
            finally:
                self.nb_man.cell_complete(self.nb.cells[index], cell_index=index)

    def _record_failure(self, index: int, error: Exception) -> None:
        if isinstance(error, CellTimeoutError):
            ename = "NotebookTimeout"
            evalue = (
                f"the notebook ran for more than {self.notebook_timeout:g} s "
                "(raise it with --timeout / TIMEOUT=)"
            )
        elif isinstance(error, DeadKernelError):
            ename, evalue = "DeadKernelError", "the kernel died (out of memory, or killed)"
        else:
            ename, evalue = type(error).__name__, str(error)
        cell = self.nb.cells[index]
        if cell.get("cell_type") == "code":
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
                )
            )


class ReusedKernelEngine(NBClientEngine):
    """papermill engine running notebooks on a :class:`ReusableKernel` (``reusable_kernel=``)."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        reusable_kernel: ReusableKernel | None = None,
        **kwargs: Any,
    ) -> Any:
        if reusable_kernel is None:
            raise TypeError("the reportgen papermill engine needs reusable_kernel=")
        for unused in ("input_path", "timeout", "startup_timeout"):
            kwargs.pop(unused, None)
        client = _ReusedKernelClient(
            nb_man,
            reusable_kernel,
            kernel_name=kernel_name,
            startup_timeout=start_timeout,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        return client.execute()


papermill_engines.register(ENGINE_NAME, ReusedKernelEngine)


def run_notebook(
    source: Path, target: Path, parameters: dict[str, Any], kernel: ReusableKernel
) -> Any:
    """Execute ``source`` into ``target`` on ``kernel`` with papermill; return the notebook node.

    Raises
    ------
    papermill.exceptions.PapermillExecutionError
        A cell failed, the notebook timed out or the kernel died; ``target`` holds the
        notebook with papermill's error banner.
    """
    import papermill

    return papermill.execute_notebook(
        str(source),
        str(target),
        parameters=parameters,
        engine_name=ENGINE_NAME,
        kernel_name=kernel.kernel_name,
        reusable_kernel=kernel,
        progress_bar=False,
        request_save_on_cell_execute=False,
    )
