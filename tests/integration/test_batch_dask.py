"""The Dask executor on a local cluster (2 worker processes) reached through its scheduler address,
as a real cluster would be: same tasks, same failure isolation, one kernel per Dask worker."""

from __future__ import annotations

import json
import os
import time

import pytest
from rich.console import Console

from reportgen.run.batch import Task, run_batch

pytestmark = pytest.mark.slow


def _gone(pid, wait=10.0):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def test_dask_executor_on_a_local_cluster(tmp_path):
    from distributed import LocalCluster

    out = tmp_path / "out"
    tasks = [
        Task("Southwark", "2023-24", out=str(out)),
        Task("Nowhereshire", "2023-24", out=str(out)),
        Task("855", "2023-24", out=str(out)),
    ]
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        outcomes = run_batch(
            tasks,
            None,
            out,
            Console(record=True),
            executor="dask",
            scheduler=cluster.scheduler_address,
            timeout=300,
        )
        workers = {o.worker for o in outcomes}
        kernels = {o.kernel_pid for o in outcomes if o.kernel_pid}
        assert [o.status for o in outcomes] == ["written", "failed", "written"]
        assert "unknown authority" in outcomes[1].reason
        assert workers <= set(cluster.scheduler_info["workers"])
        # one kernel per Dask worker, reused by every report that worker wrote
        assert len(kernels) == len({o.worker for o in outcomes if o.kernel_pid})
        # the batch's end stops the kernels, even though the cluster goes on
        assert all(_gone(pid) for pid in kernels)
    assert len(list((out / "E09000028" / "2023-24").glob("*.docx"))) == 1
    assert len(list((out / "E10000018" / "2023-24").glob("*.docx"))) == 1
    summary = json.loads((out / "batch.json").read_text())
    assert summary["executor"]["name"] == "dask"
    assert (summary["written"], summary["failed"]) == (2, 1)
