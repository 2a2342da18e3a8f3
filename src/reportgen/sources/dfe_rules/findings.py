"""One table for reportgen's own 903 checks and the DfE's rules: :class:`Finding`, CSV output."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from reportgen.core.atomic import write_csv

KNOWN = "known validator issue"
"""Severity of a DfE finding that is the validator's defect, not the authority's error."""

FAILED = "rule failed"
"""Severity of a DfE rule that raised instead of running (the run carries on)."""

FINDING_COLUMNS = (
    "source",
    "rule",
    "severity",
    "file",
    "row",
    "child",
    "columns",
    "values",
    "message",
    "reason",
)
"""Columns of the merged findings table and its CSV, in order."""


@dataclass(frozen=True)
class Finding:
    """One finding about a 903 return, from reportgen's checks or a DfE rule.

    Attributes
    ----------
    source
        ``"reportgen"`` (checks the engine needs) or ``"DfE"`` (csc-validator-be-903).
    rule
        The DfE rule code (``"146"``, ``"SW12STG2"``) or reportgen's check name.
    severity
        ``"error"``, ``"warning"``, :data:`KNOWN` or :data:`FAILED`.
    file
        File name (year folder first when several years are checked).
    row
        Row as a spreadsheet shows it (the header is row 1); ``None`` for the whole file or rule.
    child
        The row's CHILD, when there is one.
    columns
        The affected columns, comma-separated.
    values
        The affected values, ``COLUMN=value`` comma-separated.
    message
        The DfE's wording of the rule, or reportgen's message (what is wrong, how to fix it).
    reason
        Why a finding is a known validator issue or a failed rule; otherwise empty.
    """

    source: str
    rule: str
    severity: str
    file: str
    row: int | None
    child: str | None
    columns: str
    values: str
    message: str
    reason: str = ""


def from_problem(problem) -> Finding:
    """A :class:`~reportgen.sources.ssda903.validate.Problem` as a :class:`Finding`."""
    return Finding(
        source="reportgen",
        rule=problem.check or "check",
        severity=problem.severity,
        file=problem.file,
        row=problem.row,
        child=problem.child,
        columns=problem.column or "",
        values="" if problem.value is None else f"{problem.column or 'value'}={problem.value}",
        message=problem.message,
    )


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """The findings as a table (:data:`FINDING_COLUMNS`; ``row`` as nullable integers)."""
    frame = pd.DataFrame([asdict(f) for f in findings], columns=list(FINDING_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell beginning with one of these is a formula (or starts one) when Excel opens the CSV."""


def excel_safe(value: object) -> object:
    """A cell as it may go into a CSV for Excel: text beginning with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets a leading single quote, so Excel shows it and never runs it
    (formula injection); anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_findings_csv(findings: Iterable[Finding], path: Path | str) -> Path:
    """Write the findings to a CSV (UTF-8 with a byte-order mark, for Excel), atomically.

    Text cells that Excel would read as a formula are escaped (:func:`excel_safe`).
    """
    frame = findings_frame(findings)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].map(excel_safe)
    return write_csv(frame, path)


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings by severity, e.g. ``{"error": 3, "known validator issue": 120}``."""
    out: dict[str, int] = {}
    for finding in findings:
        out[finding.severity] = out.get(finding.severity, 0) + 1
    return out
