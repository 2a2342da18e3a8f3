"""A kernel reused across reports: nothing leaks from one authority into the next, timeouts and
dead kernels fail the notebook with papermill's banner, one client per kernel, prompt shutdown."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from reportgen.core.config import load_params
from reportgen.run import kernels
from reportgen.run.kernels import ReusableKernel
from reportgen.run.notebook_engine import run_notebook
from reportgen.run.report import run_report

pytestmark = pytest.mark.slow

PROBE = """\
def _probe(path):
    import json, os, sys
    names = sorted(
        n for n in globals()
        if not n.startswith("_") and n not in ("In", "Out", "exit", "quit", "get_ipython")
    )
    state = {"names": names, "cwd": os.getcwd()}
    if "matplotlib" in sys.modules:
        import matplotlib, matplotlib.pyplot as plt
        state["rc"] = {k: repr(v) for k, v in matplotlib.rcParams.items() if k != "backend"}
        state["figures"] = plt.get_fignums()
    if "pandas" in sys.modules:
        import pandas
        state["max_rows"] = pandas.get_option("display.max_rows")
    with open(path, "w") as f:
        json.dump(state, f)
_probe(PATH)
del _probe
"""

LEAK = """\
leaked_from_a = "Southwark"
import os
import signal
import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
sns.set_theme(style="darkgrid", palette="dark", font_scale=2)
mpl.rcParams["lines.linewidth"] = 9
plt.figure()
pd.set_option("display.max_rows", 3)
os.chdir("/")
"""

WARM = (  # what a report's notebooks import (charts only where they are drawn)
    "import matplotlib.pyplot, pandas, seaborn, reportgen.report.notebook_api\n"
    "import reportgen.report.charts\n"
    "del matplotlib, pandas, seaborn, reportgen\n"
)


def _probe(kernel, path):
    assert kernel.execute(PROBE.replace("PATH", repr(str(path))))
    return json.loads(path.read_text())


def _digests(folder):
    """sha256 of the report, its section JSON and its charts (what the notebooks produced)."""
    files = sorted(folder.glob("*.docx")) + sorted((folder / "work").glob("*"))
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_nothing_leaks_from_one_authority_into_the_next(tmp_path):
    a = load_params("Southwark", "2023-24", out=tmp_path / "reused")
    b = load_params("Leicestershire", "2023-24", out=tmp_path / "reused")
    with ReusableKernel() as kernel:
        run_report(a, kernel=kernel)
        during_a = _probe(kernel, tmp_path / "a.json")
        assert {"params", "section", "work_dir"} <= set(during_a["names"])
        assert kernel.execute(LEAK)
        leaked = _probe(kernel, tmp_path / "leaked.json")
        assert "leaked_from_a" in leaked["names"] and leaked["figures"] == [1]

        kernel.clear()
        before_b = _probe(kernel, tmp_path / "before_b.json")
        run_report(b, kernel=kernel)

    with ReusableKernel() as fresh:
        assert fresh.execute(WARM)
        fresh_state = _probe(fresh, tmp_path / "fresh.json")
        b_fresh = load_params("Leicestershire", "2023-24", out=tmp_path / "fresh")
        run_report(b_fresh, kernel=fresh)

    # nothing set during A is there when B starts: variables, figures, styles, options, cwd
    assert before_b["names"] == fresh_state["names"]
    assert not {"leaked_from_a", "section", "params", "work_dir", "mpl"} & set(before_b["names"])
    assert before_b["figures"] == []
    assert before_b["max_rows"] == fresh_state["max_rows"] == 60
    assert before_b["cwd"] == fresh_state["cwd"] != "/"
    different = {k for k in fresh_state["rc"] if before_b["rc"].get(k) != fresh_state["rc"][k]}
    assert not different, sorted(different)
    # and B's outputs are byte for byte those of B on a fresh kernel
    reused, fresh_files = _digests(b.out_dir), _digests(b_fresh.out_dir)
    assert any(name.endswith(".png") for name in reused)
    assert reused == fresh_files


def _banner(path):
    notebook = nbformat.read(path, as_version=4)
    return "An Exception was encountered" in "".join(notebook.cells[0].source)


def test_timeout_fails_the_notebook_with_a_banner_then_the_kernel_recovers(
    tmp_path, probe_notebook
):
    source = probe_notebook("x = 1", "import time\ntime.sleep(60)", "y = 2")
    target = tmp_path / "out.ipynb"
    with ReusableKernel(timeout=3) as kernel:
        started = time.monotonic()
        with pytest.raises(PapermillExecutionError) as caught:
            run_notebook(source, target, {"x": 0}, kernel)
        assert time.monotonic() - started < 15
        assert caught.value.ename == "NotebookTimeout"
        assert "more than 3 s" in caught.value.evalue
        assert _banner(target)
        kernel.reset()  # what a batch worker does after a failure
        quick = probe_notebook("x = 1", "z = x + 1")
        run_notebook(quick, tmp_path / "after.ipynb", {"x": 5}, kernel)


def test_a_dead_kernel_fails_the_notebook_with_a_banner(tmp_path, probe_notebook):
    source = probe_notebook("x = 1", "import os\nos._exit(1)")
    target = tmp_path / "out.ipynb"
    with ReusableKernel(timeout=60) as kernel:
        started = time.monotonic()
        with pytest.raises(PapermillExecutionError) as caught:
            run_notebook(source, target, {}, kernel)
        assert time.monotonic() - started < 20
        assert caught.value.ename == "DeadKernelError"
        assert _banner(target)
        kernel.reset()
        run_notebook(probe_notebook("x = 1"), tmp_path / "after.ipynb", {}, kernel)


def test_one_client_per_kernel_and_prompt_shutdown(tmp_path, monkeypatch, probe_notebook):
    source = probe_notebook("x = 1", "y = x * 2")
    with ReusableKernel() as kernel:
        manager = kernel.start()
        opened = []
        original = manager.client
        monkeypatch.setattr(manager, "client", lambda **kw: opened.append(1) or original(**kw))
        for i in range(3):
            run_notebook(source, tmp_path / f"run{i}.ipynb", {"x": i}, kernel)
            kernel.clear()
        pid = kernel.pid
        assert len(opened) <= 1  # the client opened at start is reused by every notebook
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the kernel is still running after shutdown")


GC_PROBE = """\
import gc as _gc, json as _json, weakref as _weakref
class _Cycle:
    pass
_a = _Cycle()
_a.me = _a
_ref = _weakref.ref(_a)
del _a
_gc.collect()
with open(PATH, "w") as _f:
    _json.dump({"frozen": _gc.get_freeze_count(), "collected": _ref() is None}, _f)
"""


def test_clearing_freezes_the_long_lived_objects_once_and_still_collects(tmp_path):
    with ReusableKernel() as kernel:
        assert kernel.execute(WARM)
        kernel.clear()  # the first clear freezes what the imports left
        first = tmp_path / "first.json"
        assert kernel.execute(GC_PROBE.replace("PATH", repr(str(first))))
        kernel.clear()  # later ones do not freeze again (what a report leaves is collected)
        second = tmp_path / "second.json"
        assert kernel.execute(GC_PROBE.replace("PATH", repr(str(second))))
    first_state, second_state = (json.loads(p.read_text()) for p in (first, second))
    assert first_state["frozen"] > 10_000  # modules, classes, caches
    # not frozen again (frozen objects no longer used are still freed: the count may fall)
    assert second_state["frozen"] <= first_state["frozen"]
    assert first_state["collected"] and second_state["collected"]  # new cycles still freed


def test_a_kernel_that_never_answers_is_replaced_by_a_new_one(
    tmp_path, monkeypatch, probe_notebook
):
    """CI once saw a kernel never answer its first message; the report must not fail for it."""
    monkeypatch.setattr(kernels, "READY_TIMEOUT", 3.0)
    launched = []
    launch = kernels.ReusableKernel._launch

    def launch_then_freeze_the_first(self):
        manager = launch(self)
        launched.append(manager.provisioner.process.pid)
        if len(launched) == 1:  # the first kernel hangs: stopped before it can answer
            os.kill(launched[0], signal.SIGSTOP)
        return manager

    monkeypatch.setattr(kernels.ReusableKernel, "_launch", launch_then_freeze_the_first)
    with ReusableKernel() as kernel:
        run_notebook(probe_notebook("x = 1", "y = x + 1"), tmp_path / "out.ipynb", {}, kernel)
        assert kernel.pid == launched[1] != launched[0]
        # the replacement got the set-up a new kernel gets: clearing restores its directory
        assert kernel.execute("import os; os.chdir('/')")
        kernel.clear()
        probe = _probe(kernel, tmp_path / "probe.json")
        assert probe["cwd"] == os.getcwd()
    with pytest.raises(ProcessLookupError):  # the frozen kernel was stopped, not left behind
        for _ in range(50):
            os.kill(launched[0], 0)
            time.sleep(0.1)


def test_a_kernel_that_never_answers_three_times_fails_with_a_message(monkeypatch):
    monkeypatch.setattr(kernels, "READY_TIMEOUT", 1.0)
    launch = kernels.ReusableKernel._launch

    def launch_frozen(self):
        manager = launch(self)
        os.kill(manager.provisioner.process.pid, signal.SIGSTOP)
        return manager

    monkeypatch.setattr(kernels.ReusableKernel, "_launch", launch_frozen)
    with (
        ReusableKernel() as kernel,
        pytest.raises(RuntimeError, match="did not answer within 1 s, 3 times"),
    ):
        kernel.start()


def test_a_warm_kernel_has_the_notebooks_modules_before_any_code_runs():
    with ReusableKernel(warm_up=True) as kernel:
        kernel.launch()  # returns at once: the kernel boots while the caller goes on
        assert kernel.execute(
            "import sys\n"
            "assert all(m in sys.modules for m in "
            f"{kernels.WARM_UP!r})\n"
            "assert 'reportgen' not in dir()  # imported, no name bound\n"
        )


@pytest.mark.parametrize("warm_up", [False, True])
def test_kernels_save_no_input_history(warm_up):
    """IPython's history file grew by every cell of every report (142 MB seen here)."""
    with ReusableKernel(warm_up=warm_up) as kernel:
        assert kernel.execute(
            "manager = get_ipython().history_manager\n"
            "assert not manager.enabled and manager.save_thread is None\n"
        )


def test_the_forecast_on_a_second_kernel_gives_the_same_paper(tmp_path):
    one = load_params("Rutland", "2024-25", out=tmp_path / "one")
    two = load_params("Rutland", "2024-25", out=tmp_path / "two")
    with ReusableKernel() as kernel:
        run_report(one, kernel=kernel)
    with ReusableKernel() as kernel, ReusableKernel() as side:
        result = run_report(two, kernel=kernel, side_kernel=side)
        assert side.pid is not None and side.pid != kernel.pid
    assert _digests(one.out_dir) == _digests(two.out_dir)
    assert {"notebook_forecast", "notebook_sufficiency"} <= set(result.timings)


def test_without_process_groups_the_kernel_is_still_stopped_and_killed(monkeypatch):
    """Windows has no ``os.getpgid`` or SIGKILL: shutdown and kill must still stop the kernel."""
    monkeypatch.delattr(os, "getpgid")
    for stop in ("shutdown", "kill"):
        kernel = ReusableKernel()
        kernel.start()
        process = kernel.manager.provisioner.process
        getattr(kernel, stop)()
        assert process.wait(timeout=10) is not None
        kernel.shutdown()
