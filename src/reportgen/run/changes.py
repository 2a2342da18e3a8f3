"""What changed since the last paper: the tracked-changes copy of a new paper against an earlier
one, for ``reportgen report --since``, ``reportgen reports --since`` and ``reportgen compare``.

A batch finds each authority's last paper itself (:func:`last_paper`): the newest paper in the
``SINCE`` folder for the same authority whose period ends before the new paper's.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.core.config import ReportParams


def changes_path(new: Path) -> Path:
    """Where ``report --since`` writes the comparison: ``<paper>_changes.docx`` beside it."""
    return new.with_name(f"{new.stem}_changes.docx")


def write_changes(old: Path, new: Path, out: Path) -> tuple[Path, list[str]]:
    """Write the tracked-changes copy of ``new`` against ``old`` with the change list at its top.

    Returns
    -------
    tuple
        The path written and warnings (a run whose indicator JSON is missing gets the tracked
        changes without the list, and says so in the list and here).
    """
    from reportgen.core.errors import DataError
    from reportgen.docx.compare import write_comparison
    from reportgen.report.changes import compare_papers, heading

    warnings: list[str] = []
    try:
        changes = compare_papers(old, new)
        title, lines = heading(changes), changes.lines()
    except DataError as error:
        warnings.append(f"{error}; the copy has the tracked changes but no list of figures")
        title = "Changes since the last report"
        lines = [
            "No list of the figures that moved: the indicator JSON of one of the runs was not "
            "found beside its paper. The tracked changes below show every change."
        ]
    return write_comparison(old, new, out, title, lines), warnings


def last_paper(since: Path, params: ReportParams) -> Path | None:
    """The newest paper under ``since/<authority code>/`` whose period ends before ``params``'s.

    Papers are found by their ``run.json`` (its period and the .docx it names), so a folder of
    earlier batches (``OUT`` itself, or a copy of last quarter's) can be given as it is. None when
    there is no such paper.
    """
    from reportgen.core.periods import as_period

    end = params.period.end
    found: list[tuple[date, Path]] = []
    for run in (Path(since) / params.authority_code).glob("*/run.json"):
        try:
            info = json.loads(run.read_text())
            period = as_period(info["period"])
            paper = run.parent / info["outputs"]["report"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if period.end < end and paper.is_file():
            found.append((period.end, paper))
    return max(found, key=lambda item: item[0])[1] if found else None
