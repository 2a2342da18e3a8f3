"""One report: run the three notebooks with papermill, assemble, write the .docx atomically.

Everything is written to a staging folder beside the final one and renamed into place at the
end, so a failure never leaves a half-written report. A failed notebook (with papermill's error
banner) and a ``reason.txt`` are kept under ``out/<code>/.failed/<period>/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import time
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

import papermill
from papermill.exceptions import PapermillExecutionError

from reportgen import __version__
from reportgen.assemble import build_report
from reportgen.config import ReportParams
from reportgen.docx import write_report
from reportgen.errors import NotebookError, ReportgenError
from reportgen.kernels import ReusableKernel
from reportgen.officer_sections import check_required, still_to_write
from reportgen.paths import DATA_DIR, NOTEBOOKS_DIR
from reportgen.sections import FAMILIES, read_section

PACKAGES = ("papermill", "nbclient", "nbconvert", "pandas", "seaborn", "matplotlib", "python-docx")


@dataclass
class RunResult:
    """What one report run produced."""

    params: ReportParams
    docx: Path
    out_dir: Path
    timings: dict[str, float] = field(default_factory=dict)
    still_to_write: list[str] = field(default_factory=list)


def report_filename(params: ReportParams) -> str:
    """``E10000018_2024-25_children-in-care.docx``."""
    return f"{params.authority_code}_{params.period_obj.folder_name}_children-in-care.docx"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def input_hashes(params: ReportParams) -> dict[str, str]:
    """Hashes of everything a report reads: data, notebooks, params files."""
    from reportgen.paths import AUTHORITY_PARAMS_DIR, PARAMS_DIR

    files = sorted(DATA_DIR.glob("*.parquet")) + [NOTEBOOKS_DIR / f"{f}.ipynb" for f in FAMILIES]
    files += [PARAMS_DIR / "defaults.yaml", AUTHORITY_PARAMS_DIR / f"{params.authority_code}.yaml"]
    root = DATA_DIR.parents[1]
    return {
        str(p.relative_to(root) if p.is_relative_to(root) else p): sha256(p)
        for p in files
        if p.exists()
    }


def versions() -> dict[str, str]:
    """Versions of Python, reportgen and the packages that shape the output."""
    found = {"python": platform.python_version(), "reportgen": __version__}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def execute_notebook(
    family: str, params: ReportParams, staging: Path, kernel: ReusableKernel
) -> Path:
    """Execute one family notebook into ``staging/notebooks`` on the reused kernel."""
    source = NOTEBOOKS_DIR / f"{family}.ipynb"
    if not source.exists():
        raise ReportgenError(f"report notebook {source} is missing: restore it from git")
    target = staging / "notebooks" / f"{family}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(source),
            str(target),
            parameters={
                "params": params.to_notebook_parameters(),
                "work_dir": str(staging / "work"),
            },
            kernel_name=params.kernel_name,
            km=kernel.start(),
            progress_bar=False,
            request_save_on_cell_execute=False,
        )
    except PapermillExecutionError as error:
        raise NotebookError(
            f"notebook {family}.ipynb failed for {params.authority_name} {params.period}: "
            f"{error.ename}: {error.evalue.splitlines()[0] if error.evalue else ''}"
        ) from error
    return target


@cache
def _html_exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter()


def export_html(notebook: Path) -> Path:
    """Write the executed notebook's HTML (nbconvert) beside it, for audit."""
    body, _ = _html_exporter().from_filename(str(notebook))
    html = notebook.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return html


def _move_into_place(staging: Path, final: Path) -> None:
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _keep_failure(staging: Path, params: ReportParams, reason: str) -> Path:
    failed = params.out_dir.parent / ".failed" / params.period_obj.folder_name
    shutil.rmtree(failed, ignore_errors=True)
    failed.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(failed)
    (failed / "reason.txt").write_text(reason + "\n", encoding="utf-8")
    for item in failed.glob("*.docx"):
        item.unlink()
    return failed


def run_report(params: ReportParams, kernel: ReusableKernel | None = None) -> RunResult:
    """Write one report for ``params`` into ``params.out_dir``.

    Parameters
    ----------
    params
        Validated parameters.
    kernel
        A live kernel to reuse (batch runs); by default one is started and stopped here.

    Returns
    -------
    RunResult

    Raises
    ------
    ReportgenError
        With one readable line; nothing is left at ``params.out_dir`` that was not there before.
    """
    check_required(params)
    final = params.out_dir
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.with_name(f".{final.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    own_kernel = kernel is None
    kernel = kernel or ReusableKernel(params.kernel_name)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    try:
        notebooks = []
        for family in FAMILIES:
            t0 = time.perf_counter()
            notebooks.append(execute_notebook(family, params, staging, kernel))
            timings[f"notebook_{family}"] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()
        sections = {f: read_section(staging / "work", f) for f in FAMILIES}
        report = build_report(params, sections, staging / "work")
        docx_path = write_report(report, staging / report_filename(params))
        timings["assemble_and_write"] = round(time.perf_counter() - t0, 3)
        if params.keep_notebooks:
            t0 = time.perf_counter()
            for notebook in notebooks:
                export_html(notebook)
            timings["html"] = round(time.perf_counter() - t0, 3)
        else:
            shutil.rmtree(staging / "notebooks")
        timings["total"] = round(time.perf_counter() - started, 3)
        run_info = {
            "authority": {"code": params.authority_code, "name": params.authority_name},
            "period": params.period,
            "params": params.model_dump(mode="json"),
            "inputs": input_hashes(params),
            "versions": versions(),
            "timings_seconds": timings,
            "outputs": {"report": docx_path.name, "sha256": sha256(docx_path)},
            "notebooks_restricted": False,
            "still_to_write": still_to_write(params),
            "errors": [],
        }
        (staging / "run.json").write_text(json.dumps(run_info, indent=1, sort_keys=True) + "\n")
        _move_into_place(staging, final)
    except ReportgenError as error:
        _keep_failure(staging, params, str(error))
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if own_kernel:
            kernel.shutdown()
    return RunResult(
        params=params,
        docx=final / docx_path.name,
        out_dir=final,
        timings=timings,
        still_to_write=still_to_write(params),
    )
