"""The papermill engine that runs notebooks on a :class:`~reportgen.run.kernels.ReusableKernel`.

papermill's stock engine (``km=`` forwarded to nbclient) reuses the kernel but opens a new kernel
client for every notebook, and ``wait_for_ready`` then idles 0.2 s flushing IOPub. The
``reportgen`` engine registered here (a documented papermill extension point) also reuses one
client per kernel, gives each notebook one deadline (``timeout`` seconds for the whole notebook),
and turns a timeout or a dead kernel into an error cell, so papermill writes its error banner and
raises :class:`~papermill.exceptions.PapermillExecutionError` as for any failing cell.

Versions are pinned (requirements.lock) and ``tests/integration/test_batch_kernels.py`` covers the
nbclient internals used here.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger

from reportgen.run.kernels import ReusableKernel

ENGINE_NAME = "reportgen"
"""The papermill engine that runs notebooks on a :class:`ReusableKernel`."""


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
