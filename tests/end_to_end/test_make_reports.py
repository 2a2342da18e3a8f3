"""``make reports``: many authorities, one failure isolated, summary and non-zero exit; a batch
stopped with SIGTERM or killed with SIGKILL leaves only complete reports and no process behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


def test_batch_continues_past_a_failure_and_exits_non_zero(project_root, tmp_path):
    out = tmp_path / "out"
    completed = subprocess.run(
        [
            "make",
            "reports",
            "PERIOD=2023-24",
            "AUTHORITIES=Southwark 855 Nowhereshire",
            "WORKERS=2",
            f"OUT={out}",
        ],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode != 0
    summary = json.loads((out / "batch.json").read_text())
    assert summary["written"] == 2
    assert summary["failed"] == 1
    failed = [r for r in summary["reports"] if r["status"] == "failed"]
    assert failed[0]["authority"] == "Nowhereshire"
    assert "unknown authority" in failed[0]["reason"]
    assert (out / "E09000028" / "2023-24").is_dir()
    assert len(list((out / "E10000018" / "2023-24").glob("*.docx"))) == 1
    assert "Failed reports" in completed.stdout


def _staging(out):
    return list(out.glob("*/.*staging*")) + list(out.glob("*/.*.old-*"))


def _start_batch(tmp_path):
    """A batch of three reports on two workers, once both workers are writing a report."""
    psutil = pytest.importorskip("psutil")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen.cli.app", "reports", "--period", "2023-24"]
        + ["--authorities", "Southwark 855 Kent", "--workers", "2", "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        kernels = [
            p
            for p in psutil.Process(process.pid).children(recursive=True)
            if "ipykernel_launcher" in " ".join(p.cmdline())
        ]
        if len(kernels) == 2 and len(_staging(out)) == 2:
            break
        assert process.poll() is None, process.stdout.read().decode()
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the batch did not start two workers writing reports within 120 s")
    return process, out, psutil.Process(process.pid).children(recursive=True)


def _assert_clean(out, descendants):
    import psutil

    gone, alive = psutil.wait_procs(descendants, timeout=15)
    assert not alive, [" ".join(p.cmdline())[:80] for p in alive]
    deadline = time.monotonic() + 5
    while _staging(out) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _staging(out), _staging(out)
    for folder in out.glob("*/*"):
        if folder.name.startswith("."):
            continue
        names = {p.name for p in folder.iterdir()}
        assert "run.json" in names and any(n.endswith(".docx") for n in names), folder


def test_sigterm_stops_workers_and_kernels_and_leaves_only_complete_reports(tmp_path):
    process, out, descendants = _start_batch(tmp_path)
    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=60)[0].decode()
    assert process.returncode == 143, output
    _assert_clean(out, descendants)
    summary = json.loads((out / "batch.json").read_text())
    assert summary["interrupted"] >= 1
    assert summary["written"] + summary["interrupted"] == 3


def test_sigkill_of_the_batch_leaves_no_orphans_and_no_half_written_report(tmp_path):
    process, out, descendants = _start_batch(tmp_path)
    process.kill()
    process.wait(timeout=10)
    _assert_clean(out, descendants)
