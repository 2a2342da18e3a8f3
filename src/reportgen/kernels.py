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

CLEAR_STATE = """\
get_ipython().run_line_magic("reset", "-f")
import matplotlib as _mpl, matplotlib.pyplot as _plt
_plt.close("all")
_mpl.rcdefaults()
del _mpl, _plt
"""
"""Run in the kernel between reports: no variable, figure or style survives into the next."""


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
        """Restart the kernel (after a failure: nothing of the failed run survives)."""
        if self.manager is not None and self.manager.has_kernel:
            self.manager.restart_kernel(now=True)

    def clear(self) -> None:
        """Clear the user namespace and plotting state between reports, keeping imports warm.

        Much faster than a restart (pandas, seaborn and the published tables stay loaded);
        falls back to :meth:`reset` if the clearing code fails.
        """
        if self.manager is None or not self.manager.has_kernel:
            return
        client = self.manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            reply = client.execute_interactive(CLEAR_STATE, store_history=False, timeout=60)
            ok = reply["content"]["status"] == "ok"
        except (RuntimeError, TimeoutError):
            ok = False
        finally:
            client.stop_channels()
        if not ok:
            self.reset()

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
