"""Benchmark: batch runs with kernel reuse against the naive way, on the same authorities.

(a) naive: one ``papermill`` CLI call per notebook (a new Python process and a new kernel for
    each of the four notebooks of a report), one report after another, then the assembly
    in-process (the same ``build_report`` + ``write_report``; no HTML export, no run.json: the
    naive side does strictly less work);
(b) ``reportgen reports``: worker processes each keeping one kernel;
(c) ``make report`` once per authority (warm environment: the venv stamp is taken as up to date,
    ``make -o``), one after another: what an analyst's loop over ``make`` does.

All three write the same reports (the .docx are compared byte for byte). Prints wall time, CPU
time (this process's children: less sensitive to other load on the machine), the ratios (a)/(b)
and (c)/(b) and the notebooks per minute, then the time per stage of (b) from the reports'
run.json. ``--skip-naive`` leaves (a) out.

``--all`` instead times every authority for one period with ``reportgen reports`` and reports
peak memory per worker and kernel, and whether memory grows from the first reports of a worker
to its last.

Run from the project root (not part of the test suite)::

    .venv/bin/python bench/batch.py                 # 22 authorities, 2 workers
    .venv/bin/python bench/batch.py --all           # all 153 authorities, one period
    .venv/bin/python bench/batch.py --skip-naive    # (c) and (b) only
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = 4  # sufficiency, adoption, care_leavers, forecast (reportgen.run.report.NOTEBOOKS)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _authorities(count: int, period: str) -> list[str]:
    """``count`` authorities spread over the list (every n-th), each with figures for ``period``."""
    from reportgen.core.authorities import all_authorities, published_years
    from reportgen.core.periods import parse_period

    year = parse_period(period).collection_year
    usable = [a.gss for a in all_authorities() if year in published_years(a.gss)]
    step = max(1, len(usable) // count)
    return usable[::step][:count]


def naive(codes: list[str], period: str, out: Path) -> None:
    """(a): papermill CLI per notebook, then assemble in this process."""
    from reportgen.core.config import load_params
    from reportgen.core.paths import NOTEBOOKS_DIR
    from reportgen.docx import write_report
    from reportgen.report.assemble import build_report
    from reportgen.report.notebook_api import FAMILIES, read_section
    from reportgen.run.report import NOTEBOOKS as ALL
    from reportgen.run.report import report_filename

    for code in codes:
        params = load_params(code, period, out=out)
        folder = params.out_dir
        work = folder / "work"
        work.mkdir(parents=True, exist_ok=True)
        (folder / "notebooks").mkdir()
        parameters = json.dumps({"params": params.to_notebook_parameters()})
        for family in ALL:
            subprocess.run(
                [
                    str(BIN / "papermill"),
                    str(NOTEBOOKS_DIR / f"{family}.ipynb"),
                    str(folder / "notebooks" / f"{family}.ipynb"),
                    "-k",
                    "reportgen",
                    "-y",
                    parameters,
                    "-p",
                    "work_dir",
                    str(work),
                    "--no-progress-bar",
                ],
                check=True,
                capture_output=True,
            )
        sections = {f: read_section(work, f) for f in FAMILIES}
        report = build_report(params, sections, work)
        write_report(report, folder / report_filename(params))


def make_reports(codes: list[str], period: str, out: Path) -> None:
    """(c): ``make report`` once per authority, one after another."""
    stamp = BIN.parent / ".reportgen-installed"
    for code in codes:
        command = ["make", "-s", "-o", str(stamp), "report", f"AUTHORITY={code}"]
        command += [f"PERIOD={period}", f"OUT={out}", f"VENV={BIN.parent}"]
        subprocess.run(command, check=True, capture_output=True)


def batch(codes: list[str] | None, period: str, out: Path, workers: int) -> dict:
    """(b): ``reportgen reports``; returns its batch.json."""
    command = [str(BIN / "reportgen"), "reports", "--period", period, "--out", str(out)]
    command += ["--workers", str(workers)]
    if codes is not None:
        command += ["--authorities", " ".join(codes)]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.exit(completed.stdout + completed.stderr)
    return json.loads((out / "batch.json").read_text())


def _timed(label: str, run) -> tuple[float, float]:
    load = _load()
    cpu, started = _children_cpu(), time.perf_counter()
    run()
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
    print(f"  {label}: {wall:6.1f} s wall, {cpu:6.1f} s CPU  (load before: {load})", flush=True)
    return wall, cpu


def _docx_digests(out: Path) -> dict[str, str]:
    return {
        p.parent.parent.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out.glob("*/*/*.docx")
    }


def _stages(out: Path) -> dict[str, float]:
    timings = defaultdict(list)
    for path in out.glob("*/*/run.json"):
        for stage, seconds in json.loads(path.read_text())["timings_seconds"].items():
            timings[stage].append(seconds)
    return {stage: statistics.mean(values) for stage, values in sorted(timings.items())}


def compare(count: int, period: str, workers: int, skip_naive: bool = False) -> None:
    """Time (a), (c) and (b) on the same authorities and print the table and ratios."""
    codes = _authorities(count, period)
    reports, notebooks = len(codes), NOTEBOOKS * len(codes)
    print(f"{reports} authorities, {period}, {notebooks} notebooks, {os.cpu_count()} cores")
    print(f"load average at start: {_load()}")
    rows: dict[str, tuple[float, float]] = {}
    digests: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        runs = [
            ("(a) papermill CLI per notebook", "naive", naive),
            ("(c) make report per authority", "make", make_reports),
            (
                f"(b) reportgen reports, {workers} workers",
                "batch",
                lambda c, p, o: batch(c, p, o, workers),
            ),
        ]
        for label, name, run in runs:
            if skip_naive and name == "naive":
                continue
            out = Path(tmp) / name
            rows[label] = _timed(label, lambda run=run, out=out: run(codes, period, out))
            digests[label] = _docx_digests(out)
        stages = _stages(Path(tmp) / "batch")
    print(f"load average at end: {_load()}")
    print()
    print("| | wall (s) | CPU (s) | notebooks/min | s per report |")
    print("|---|---:|---:|---:|---:|")
    for label, (wall, cpu) in rows.items():
        print(
            f"| {label} | {wall:.1f} | {cpu:.1f} | {notebooks / wall * 60:.0f} | {wall / reports:.2f} |"
        )
    print()
    b_label = runs[-1][0]
    b_wall, b_cpu = rows[b_label]
    for label, (wall, cpu) in rows.items():
        if label != b_label:
            print(f"ratio {label[:3]}/(b): {wall / b_wall:.1f}x wall, {cpu / b_cpu:.1f}x CPU")
    same = all(d == digests[b_label] for d in digests.values())
    print(f"identical .docx from every way: {same}")
    print(
        "(b) mean seconds per report and stage (run.json): "
        + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
    )


def all_authorities(period: str, workers: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-batch-all-") as tmp:
        out = Path(tmp) / "out"
        wall, cpu = _timed(
            f"reportgen reports, all authorities, {workers} workers",
            lambda: batch(None, period, out, workers),
        )
        summary = json.loads((out / "batch.json").read_text())
        stages = _stages(out)
    print()
    print(
        f"written {summary['written']}, failed {summary['failed']}, skipped {summary['skipped']} "
        f"in {summary['seconds']:.0f} s ({wall:.0f} s with start-up): "
        f"{summary['notebooks_per_minute']:.0f} notebooks/min, {cpu:.0f} s CPU"
    )
    print(
        "mean seconds per report and stage: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
    )
    per_worker = defaultdict(list)
    for report in summary["reports"]:
        if report["status"] == "written":
            per_worker[report["worker"]].append(report["memory_mb"])
    print()
    print(
        "| worker | reports | worker RSS first 5 -> last 5 (MB) | worker peak | kernel RSS first 5 -> last 5 (MB) | kernel peak |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for worker, memory in sorted(per_worker.items()):

        def mean(key, part):
            return statistics.mean(m[key] for m in part)

        first, last = memory[:5], memory[-5:]
        print(
            f"| {worker} | {len(memory)} | {mean('worker', first):.0f} -> {mean('worker', last):.0f} "
            f"| {max(m['worker_peak'] for m in memory):.0f} "
            f"| {mean('kernel', first):.0f} -> {mean('kernel', last):.0f} "
            f"| {max(m['kernel_peak'] for m in memory):.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=22, help="how many (default 22)")
    parser.add_argument("--period", default="2024-25")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--all", action="store_true", help="every authority, (b) only")
    parser.add_argument("--skip-naive", action="store_true", help="leave out (a)")
    args = parser.parse_args()
    os.chdir(ROOT)
    shutil.which("papermill", path=str(BIN)) or sys.exit(f"papermill not found in {BIN}")
    if args.all:
        all_authorities(args.period, args.workers)
    else:
        compare(args.authorities, args.period, args.workers, args.skip_naive)


if __name__ == "__main__":
    main()
