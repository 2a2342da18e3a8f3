"""Which 903 history a run reads, read once per process: the authority's returns or synthetic ones.

:func:`load_history` reads a folder of returns (one subfolder per collection year) and
:func:`validate_input` checks it, sharing one read of each folder; :func:`check_return` refuses a
report's returns with errors; :func:`synthetic_history` gives synthetic returns (the indicator
engine's ``params_history`` chooses between the two).
Moved here from the indicator engine: choosing and reading a source is the sources' job.
"""

from __future__ import annotations

import dataclasses
import importlib
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.core.errors import DataError, ParamsError
from reportgen.sources.ssda903.folders import year_folders
from reportgen.sources.ssda903.read import History, ReturnScan, read_history, scan_return

if TYPE_CHECKING:
    from reportgen.sources.synthetic.targets import PublishedValues


def _signature(folder: Path) -> tuple:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


@lru_cache(maxsize=2)
def _scans(folder: str, signature: tuple) -> dict[int, ReturnScan]:
    """Each year folder read once (:func:`scan_return`), shared by validation and
    :func:`load_history` in one process. Two folders kept at most: a batch worker validates many
    authorities and must not keep every one's tables."""
    return {year: scan_return(sub, year) for year, sub in year_folders(folder)}


@cache
def _read_history(folder: str, signature: tuple) -> History:
    try:
        scans = _scans(folder, signature)
    except DataError:
        scans = {}  # read_history raises its own message for the same folder
    return read_history(Path(folder), scans)


def load_history(folder: Path | str) -> History:
    """Read a folder of 903 returns (one subfolder per collection year), once per process.

    The cache is keyed by the files' names, sizes and modification times, so an edited return is
    read again.
    """
    path = Path(folder).resolve()
    if not path.is_dir():
        raise DataError(f"903 folder {folder} not found: give a folder with one subfolder per year")
    return _read_history(str(path), _signature(path))


# --------------------------------------------------------------------------------------------
# Validation before a report


@cache
def _validate(folder: str, signature: tuple) -> tuple:
    from reportgen.sources.ssda903.validate import check_continuity, validate_scan

    problems = []
    scans = {}
    for year, scan in _scans(folder, signature).items():
        sub = scan.folder
        found = validate_scan(scan)
        if not any(p.severity == "error" for p in found):
            scans[year] = scan  # a return with errors is not checked against its neighbours
        for problem in found:
            problems.append(dataclasses.replace(problem, file=f"{sub.name}/{problem.file}"))
    for year, scan in scans.items():  # each return against the one before it
        if year - 1 in scans:
            for problem in check_continuity(scans[year - 1], scan):
                problems.append(dataclasses.replace(problem, file=scan.folder.name))
    return tuple(problems)


def validate_input(folder: Path | str) -> list:
    """Every :class:`~reportgen.sources.ssda903.validate.Problem` of every year folder (file names prefixed
    with the year folder), and of each return against the one before it (a ``continuity``
    warning when children are unaccounted for), cached until a file changes.

    Raises
    ------
    DataError
        For a missing folder, no year folders, or two folders for one collection year (as
        :func:`load_history` does, so ``validate`` and ``report`` agree).
    """
    path = Path(folder).resolve()
    year_folders(path)  # raises for a missing or unusable folder
    return list(_validate(str(path), _signature(path)))


def check_return(params: Any) -> list:
    """Validate the report's 903 input; refuse when it has errors.

    Parameters
    ----------
    params
        :class:`~reportgen.core.config.ReportParams` with ``input``; ``allow_invalid_903`` (if the
        field exists and is true) lets a report run on returns with errors.

    Returns
    -------
    list of Problem
        All problems (warnings never block).

    Raises
    ------
    DataError
        When there are errors and the override is not set: the first few, how many, and the
        command that lists them all.
    """
    folder = getattr(params, "input", None)
    if folder is None:
        raise DataError("source 'ssda903' needs the folder of 903 returns: give INPUT=<folder>")
    problems = validate_input(folder)
    errors = [p for p in problems if p.severity == "error"]
    if errors and not getattr(params, "allow_invalid_903", False):
        shown = "; ".join(str(p).removeprefix("error: ") for p in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise DataError(
            f"the 903 returns in {folder} have {len(errors)} validation "
            f"error{'s' if len(errors) != 1 else ''}: {shown}{more}. Run 'reportgen validate "
            f"{folder}' to see them all and correct the files, or set allow_invalid_903: true "
            "to write the report anyway"
        )
    return problems


def synthetic_history(params: Any, published: PublishedValues) -> History:
    """The synthetic returns for a report's authority and period (generated once, then cached).

    Parameters
    ----------
    params
        The report's params (authority, period, optional seed).
    published
        The published indicator values the generator is calibrated to
        (:data:`reportgen.sources.synthetic.targets.PublishedValues`); a source does not import
        indicators, so the caller hands them in (:func:`reportgen.indicators.engine.params_history`).
    """
    try:
        synthetic = importlib.import_module("reportgen.sources.synthetic")
    except ImportError:
        raise ParamsError(
            "SOURCE=synthetic is not available in this version (the synthetic 903 generator "
            "reportgen.sources.synthetic is not installed yet): use SOURCE=ssda903 "
            "INPUT=<folder of 903 returns>"
        ) from None
    seed = getattr(params, "synthetic_seed", None)
    seed = getattr(params, "seed", 0) if seed is None else seed
    made = synthetic.ensure_return(params.authority_code, params.period, seed, published=published)
    return made if isinstance(made, History) else load_history(made)
