"""A Jupyter kernel started once and reused across notebooks (papermill ``km=``).

papermill 2.7 forwards ``km`` to nbclient, which then neither starts nor shuts the kernel down
(not documented API: versions are pinned and tests cover it). State is cleared between reports
by :meth:`ReusableKernel.reset`.
"""

from __future__ import annotations

import subprocess

from jupyter_client.manager import KernelManager

from reportgen.errors import ReportgenError
from reportgen.paths import KERNEL_NAME


class ReusableKernel:
    """Context manager owning one live kernel.

    Parameters
    ----------
    kernel_name
        Registered kernel name (``make venv`` registers ``reportgen``).
    """

    def __init__(self, kernel_name: str = KERNEL_NAME):
        self.kernel_name = kernel_name
        self.manager: KernelManager | None = None

    def start(self) -> KernelManager:
        """Start the kernel (once) and return its manager."""
        if self.manager is None:
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
            self.manager = manager
        return self.manager

    def reset(self) -> None:
        """Restart the kernel so nothing leaks from one report into the next."""
        if self.manager is not None and self.manager.has_kernel:
            self.manager.restart_kernel(now=True)

    def shutdown(self) -> None:
        """Stop the kernel at once (no graceful wait: see measured-facts.md)."""
        if self.manager is not None:
            if self.manager.has_kernel:
                self.manager.shutdown_kernel(now=True)
            self.manager = None

    def __enter__(self) -> ReusableKernel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()
