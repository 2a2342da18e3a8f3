"""A Jupyter kernel started once and reused across notebooks.

A :class:`ReusableKernel` owns one kernel process and one client connected to it; the papermill
engine that runs notebooks on it is in :mod:`reportgen.run.notebook_engine`. State is cleared
between reports by :meth:`ReusableKernel.clear`; after a failure the kernel is restarted
(:meth:`ReusableKernel.reset`). A single report launches its kernel before it loads anything
(:meth:`ReusableKernel.launch`, with the notebooks' imports done as the kernel starts: ``warm_up``)
so that the kernel's start overlaps the command's own start. This module imports no papermill or
nbclient, so the command line can launch a kernel early at little cost.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager
from jupyter_core.utils import run_sync

from reportgen.core.errors import ReportgenError
from reportgen.core.paths import KERNEL_NAME

DEFAULT_TIMEOUT = 600
"""Seconds one notebook may run before it fails (``reportgen reports --timeout``)."""

READY_TIMEOUT = 60.0
"""Seconds a new kernel has to answer its first message before it is replaced by a new one."""

START_ATTEMPTS = 3
"""Kernels started before giving up (:meth:`ReusableKernel.client`)."""

KERNEL_SETUP = """\
import os as _os, sys as _sys, types as _types, warnings as _warnings
_state = _types.ModuleType("_reportgen_kernel_state")
_state.cwd = _os.getcwd()
_state.warnings = list(_warnings.filters)
_sys.modules["_reportgen_kernel_state"] = _state
del _os, _sys, _types, _warnings, _state
"""
"""Run once when a kernel starts: what :data:`CLEAR_STATE` restores (kept out of the namespace)."""

KERNEL_OPTIONS = ("--HistoryManager.enabled=False",)
"""Options of every kernel reportgen starts: no input history saved to IPython's SQLite file
(``~/.ipython/profile_default/history.sqlite`` grew by every cell of every report, and its
thread cost CPU; the notebooks never read ``In``/``Out`` from earlier sessions)."""

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


WARM_UP = (
    "reportgen.report.notebook_api",
    "reportgen.report.charts",
    "reportgen.report.outlook",
)
"""Modules the report notebooks import: a ``warm_up`` kernel imports them as it starts (binding
no name), while the command that launched it is still loading its own."""


class ReusableKernel:
    """Context manager owning one live kernel and one client connected to it.

    Parameters
    ----------
    kernel_name
        Registered kernel name (``make venv`` registers ``reportgen``).
    timeout
        Seconds one notebook may run (``None``: no limit).
    warm_up
        Import :data:`WARM_UP` in every kernel as it starts (before it answers).
    """

    def __init__(
        self,
        kernel_name: str = KERNEL_NAME,
        timeout: float | None = DEFAULT_TIMEOUT,
        warm_up: bool = False,
    ):
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.warm_up = warm_up
        self.manager: KernelManager | None = None
        self._client: Any = None
        self._client_thread: int | None = None
        self._needs_setup = False

    def launch(self) -> KernelManager:
        """Start the kernel process (once) without waiting for it: :meth:`client` connects."""
        if self.manager is None:
            self.manager = self._launch()
        return self.manager

    def start(self) -> KernelManager:
        """Start the kernel (once), connect to it and return its manager."""
        self.client()
        assert self.manager is not None
        return self.manager

    def _launch(self) -> KernelManager:
        """Start a new kernel process (new ports); :meth:`client` runs :data:`KERNEL_SETUP` in it."""
        from jupyter_client.kernelspec import NoSuchKernel

        manager = KernelManager(kernel_name=self.kernel_name)
        try:
            # the kernel's own log (e.g. "running over TCP without encryption") is noise here
            warm = [f"--IPKernelApp.exec_lines=__import__({name!r})" for name in WARM_UP]
            manager.start_kernel(
                stderr=subprocess.DEVNULL,
                extra_arguments=[*KERNEL_OPTIONS, *(warm if self.warm_up else [])],
            )
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
        manager = self.launch()
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
                self.shutdown()  # killed at once, as any kernel this object stops
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
            process = getattr(self.manager.provisioner, "process", None)
            with contextlib.suppress(Exception):
                if self.manager.has_kernel:
                    if process is not None and hasattr(os, "getpgid"):
                        # killed and reaped here, jupyter_client's shutdown finds it gone at
                        # once instead of polling every 0.1 s (0.1 s at the end of every report)
                        with contextlib.suppress(Exception):
                            self.kill()
                            process.wait(timeout=10)
                    self.manager.shutdown_kernel(now=True)
            self.manager = None

    def kill(self) -> None:
        """SIGKILL the kernel's process group without talking to it (safe from a watchdog thread)."""
        pid = self.pid
        if pid is None:
            return
        if not hasattr(os, "getpgid"):  # Windows: no process groups or SIGKILL
            with contextlib.suppress(Exception):
                self.manager.provisioner.process.kill()  # type: ignore[union-attr]
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
