"""Batch runs without kernels: periods and authorities a batch expands to, the resume fingerprint,
leftover clean-up, and the summary/resume logic of ``run_batch`` on a stand-in executor."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rich.console import Console

from reportgen.cli import app as cli
from reportgen.core.authorities import all_authorities
from reportgen.core.config import load_params
from reportgen.core.errors import ReportgenError
from reportgen.run import executors, tasks
from reportgen.run import report as run
from reportgen.run.batch import UNCHANGED, Outcome, Task, run_batch

# --- periods ----------------------------------------------------------------------------------


def test_periods_years():
    assert cli._period_list(None, "2020-21:2024-25") == [
        "2020-21",
        "2021-22",
        "2022-23",
        "2023-24",
        "2024-25",
    ]


def test_periods_every_quarter_of_a_year():
    assert cli._period_list(None, "2024-25Q1:2024-25Q4") == [
        "2024-25 Q1",
        "2024-25 Q2",
        "2024-25 Q3",
        "2024-25 Q4",
    ]


def test_periods_quarters_across_years():
    assert cli._period_list(None, "2023-24 Q3:2024-25Q2") == [
        "2023-24 Q3",
        "2023-24 Q4",
        "2024-25 Q1",
        "2024-25 Q2",
    ]


def test_periods_months():
    months = cli._period_list(None, "2024-11:2025-02")
    assert months == ["2024-11", "2024-12", "2025-01", "2025-02"]


def test_single_period_and_default():
    assert cli._period_list("2023-24", None) == ["2023-24"]
    assert cli._period_list(None, None) == [None]


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ("2024-25", "must be a range"),
        ("2024-25:2024-25Q2", "same kind"),
        ("2024-25Q4:2024-25Q1", "ends before it starts"),
        ("2024-25:2020-21", "ends before it starts"),
    ],
)
def test_bad_periods(periods, message):
    with pytest.raises(ReportgenError, match=message):
        cli._period_list(None, periods)


# --- authorities ------------------------------------------------------------------------------


def _region(name):
    return [a.gss for a in all_authorities() if a.region == name]


def test_all_authorities():
    assert cli._authority_list("all") == [a.gss for a in all_authorities()]
    assert cli._authority_list(None) == [a.gss for a in all_authorities()]
    assert cli._is_expanded("all")


def test_region_name_case_insensitive():
    east_midlands = _region("East Midlands")
    assert east_midlands and cli._authority_list("east midlands") == east_midlands
    assert cli._is_expanded("East Midlands")


def test_london_is_inner_and_outer_london():
    london = cli._authority_list("London")
    assert set(london) == set(_region("Inner London")) | set(_region("Outer London"))
    assert "E09000028" in london  # Southwark


def test_list_of_names_and_codes_is_not_expanded():
    assert cli._authority_list("Southwark 855 Nowhereshire") == ["Southwark", "855", "Nowhereshire"]
    assert not cli._is_expanded("Southwark 855")


def test_comma_list_with_spaces_and_regions_deduplicated():
    selected = cli._authority_list("Isle of Wight, North East, Northumberland")
    assert selected[0] == "Isle of Wight"
    assert selected[1:] == _region("North East") + ["Northumberland"]


def test_one_name_with_spaces():
    assert cli._authority_list("Isle of Wight") == ["Isle of Wight"]


# --- fingerprint and resume -------------------------------------------------------------------


@pytest.fixture
def params(tmp_path):
    return load_params("Southwark", "2023-24", out=tmp_path)


def test_fingerprint_is_stable_and_ignores_the_output_folder(params, tmp_path):
    elsewhere = params.model_copy(update={"out": tmp_path / "other"})
    assert run.inputs_fingerprint(params) == run.inputs_fingerprint(params)
    assert run.inputs_fingerprint(params) == run.inputs_fingerprint(elsewhere)


def test_fingerprint_changes_with_params_inputs_and_version(params, monkeypatch):
    before = run.inputs_fingerprint(params)
    changed = params.model_copy(update={"committee": "Another Committee"})
    assert run.inputs_fingerprint(changed) != before
    inputs = run.input_hashes(params)
    assert any(k.endswith(".parquet") for k in inputs)
    assert any(k.startswith("templates/") for k in inputs)
    key = next(iter(inputs))
    assert run.inputs_fingerprint(params, {**inputs, key: "0" * 64}) != before
    monkeypatch.setattr(run, "__version__", "9.9.9")
    assert run.inputs_fingerprint(params) != before


def _fake_report(params, fingerprint):
    folder = params.out_dir
    folder.mkdir(parents=True)
    (folder / run.report_filename(params)).write_bytes(b"PK fake docx")
    info = {"fingerprint": fingerprint, "outputs": {"report": run.report_filename(params)}}
    (folder / "run.json").write_text(json.dumps(info))


def test_up_to_date_needs_docx_and_matching_fingerprint(params):
    assert not run.is_up_to_date(params)  # nothing there
    _fake_report(params, run.inputs_fingerprint(params))
    assert run.is_up_to_date(params)
    changed = params.model_copy(update={"committee": "Another Committee"})
    assert not run.is_up_to_date(changed)
    (params.out_dir / run.report_filename(params)).unlink()
    assert not run.is_up_to_date(params)


def test_up_to_date_false_for_old_run_json_without_fingerprint(params):
    _fake_report(params, None)
    assert not run.is_up_to_date(params)


# --- leftovers of killed runs -----------------------------------------------------------------


def _dead_pid():
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_sweep_removes_dead_staging_and_restores_moved_report(tmp_path):
    dead = _dead_pid()
    staging = tmp_path / "E1" / f".2023-24.staging-{dead}"
    staging.mkdir(parents=True)
    (staging / "half.docx").write_text("x")
    old = tmp_path / "E1" / f".2022-23.old-{dead}"
    old.mkdir()
    (old / "report.docx").write_text("complete")
    alive = tmp_path / "E1" / f".2021-22.staging-{os.getpid()}"
    alive.mkdir()
    handled = run.sweep_leftovers(tmp_path)
    assert set(handled) == {staging, old}
    assert not staging.exists()
    assert (tmp_path / "E1" / "2022-23" / "report.docx").read_text() == "complete"
    assert alive.exists()  # a live process is still writing it


# --- run_batch on a stand-in executor ---------------------------------------------------------


class FakeExecutor:
    def __init__(self, fail=(), interrupt_after=None):
        self.fail = set(fail)
        self.interrupt_after = interrupt_after
        self.ran: list[Task] = []
        self.aborted = False

    def describe(self):
        return {"name": "fake", "workers": 1}

    def run(self, tasks):
        for i, task in enumerate(tasks):
            if self.interrupt_after is not None and i == self.interrupt_after:
                raise KeyboardInterrupt
            self.ran.append(task)
            status = "failed" if task.authority in self.fail else "written"
            yield (
                i,
                Outcome(
                    task.authority,
                    task.period,
                    status,
                    1.0,
                    reason="boom" if status == "failed" else "",
                    memory_mb={"worker_peak": 100.0 + i, "kernel_peak": 300.0},
                ),
            )

    def abort(self):
        self.aborted = True


@pytest.fixture
def fake(monkeypatch):
    made = {}

    def make(name, workers, *, timeout=None, scheduler=None):
        made["executor"] = made.get("executor") or FakeExecutor()
        return made["executor"]

    monkeypatch.setattr(executors, "make_executor", make)
    return made


def test_summary_counts_and_batch_json(fake, tmp_path):
    fake["executor"] = FakeExecutor(fail={"B"})
    tasks = [Task("A", "2023-24"), Task("B", "2023-24"), Task("C", "2023-24")]
    skipped = [Outcome("D", "2023-24", "skipped", 0.0, reason="no published figures")]
    console = Console(record=True, width=120)
    outcomes = run_batch(tasks, 2, tmp_path, console, skipped=skipped)
    assert [o.status for o in outcomes] == ["written", "failed", "written", "skipped"]
    summary = json.loads((tmp_path / "batch.json").read_text())
    assert (summary["written"], summary["failed"], summary["skipped"]) == (2, 1, 1)
    assert summary["notebooks"] == 8  # 2 written x 4 notebooks (3 families + forecast)
    assert summary["peak_memory_mb"] == {"worker": 102.0, "kernel": 300.0}
    text = console.export_text()
    assert "Batch summary" in text and "Failed reports" in text and "boom" in text


def test_interrupt_aborts_writes_summary_and_reraises(fake, tmp_path):
    fake["executor"] = FakeExecutor(interrupt_after=1)
    tasks = [Task("A", "2023-24"), Task("B", "2023-24"), Task("C", "2023-24")]
    with pytest.raises(KeyboardInterrupt):
        run_batch(tasks, 2, tmp_path, Console(record=True))
    assert fake["executor"].aborted
    summary = json.loads((tmp_path / "batch.json").read_text())
    assert summary["written"] == 1 and summary["interrupted"] == 2


def test_resume_skips_unchanged_reports_only(fake, tmp_path):
    a = load_params("Southwark", "2023-24", out=tmp_path)
    b = load_params("Leicestershire", "2023-24", out=tmp_path)
    _fake_report(a, run.inputs_fingerprint(a))
    _fake_report(b, "an old fingerprint")
    tasks = [
        Task("Southwark", "2023-24", out=str(tmp_path)),
        Task("855", "2023-24", out=str(tmp_path)),
    ]
    outcomes = run_batch(tasks, 1, tmp_path, Console(record=True), resume=True)
    assert [t.authority for t in fake["executor"].ran] == ["855"]
    skipped = [o for o in outcomes if o.status == "skipped"]
    assert [(o.authority, o.reason) for o in skipped] == [("Southwark", UNCHANGED)]


def test_resume_keeps_tasks_whose_params_do_not_load(fake, tmp_path):
    tasks = [Task("Nowhereshire", "2023-24", out=str(tmp_path))]
    run_batch(tasks, 1, tmp_path, Console(record=True), resume=True)
    assert [t.authority for t in fake["executor"].ran] == ["Nowhereshire"]


def test_make_executor_checks_names():
    with pytest.raises(ReportgenError, match="unknown executor"):
        executors.make_executor("threads", 2)
    with pytest.raises(ReportgenError, match="SCHEDULER is for EXECUTOR=dask"):
        executors.make_executor("process", 2, scheduler="tcp://x:8786")
    assert executors.make_executor("dask", 2).describe()["scheduler"] == "local cluster"


def test_run_task_never_raises(tmp_path):
    class NoKernel:
        pid = None

        def memory_mb(self):
            return {"rss": None, "peak": None}

    outcome = tasks.run_task(Task("Nowhereshire", "2023-24", out=str(tmp_path)), NoKernel())
    assert outcome.status == "failed" and "unknown authority" in outcome.reason
    assert outcome.worker == f"pid {os.getpid()}"


def test_staging_path_is_hidden_beside_the_report():
    final = Path("/x/out/E1/2023-24")
    assert run.staging_path(final, 42) == Path("/x/out/E1/.2023-24.staging-42")


# --- failures keep the notebooks and a reason; interruptions leave nothing --------------------


def _fake_notebooks(monkeypatch, error):
    def execute(family, params, staging, kernel):
        target = staging / "notebooks" / f"{family}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("{}")
        return target, None

    def read_section(work, family):
        raise error

    monkeypatch.setattr(run, "_execute", execute)
    monkeypatch.setattr(run, "read_section", read_section)


def test_unexpected_error_keeps_the_notebooks_and_a_reason(params, monkeypatch):
    _fake_notebooks(monkeypatch, KeyError("cla_rate_per_10k"))
    with pytest.raises(KeyError):
        run.run_report(params, kernel=object())
    failed = params.out_dir.parent / ".failed" / "2023-24"
    assert "unexpected KeyError" in (failed / "reason.txt").read_text()
    assert (failed / "notebooks" / "sufficiency.ipynb").exists()
    assert not params.out_dir.exists()
    assert not list(params.out_dir.parent.glob(".*staging*"))


def test_interrupted_run_leaves_nothing(params, monkeypatch):
    _fake_notebooks(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        run.run_report(params, kernel=object())
    assert list(params.out_dir.parent.iterdir()) == []
