"""Run the DfE's 903 rules on a return (in the validator's own environment), cached per input.

:func:`run_rules` hands the CSVs to ``runner.py`` in the validator's virtual environment (files
in, JSON out), keeps the JSON in the cache folder under a hash of everything that decides the
result (validator version, runner, year, authority, every file's bytes), and turns it into
:class:`~reportgen.sources.dfe_rules.findings.Finding` rows, marking known validator defects
(:mod:`~reportgen.sources.dfe_rules.known_issues`). :func:`check_history` does every year of a folder of
year folders, each with its previous year so the DfE's cross-year rules run too.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from reportgen.core.atomic import write_json
from reportgen.core.errors import DataError
from reportgen.sources.dfe_rules.environment import (
    RUNNER,
    VALIDATOR_VERSION,
    ValidatorUnavailable,
    cache_root,
    validator_python,
)
from reportgen.sources.dfe_rules.findings import FAILED, KNOWN, Finding
from reportgen.sources.dfe_rules.known_issues import Facts, crash_reason, known_reasons

FIRST_YEAR = 2023
"""The validator has rules from 2022-23 (collection end year 2023)."""

RUN_TIMEOUT = 1800
"""Seconds one validator run may take (a large return takes a few minutes cold)."""


class DfeRulesError(ValidatorUnavailable):
    """The validator ran but could not produce a result (its message is passed on)."""


@dataclass
class DfeRun:
    """The DfE rules' result for one collection year.

    Attributes
    ----------
    year
        Collection end year.
    authority
        Upper-tier GSS code the validator was told (placements inside it are "IN").
    previous
        True when the previous year's return was loaded (cross-year rules ran).
    rules_total, rules_run, rules_skipped
        Rules in the year's rule set, rules run, rules skipped because a table was absent.
    findings
        One per flagged row, known validator issues and failed rules included.
    unread
        Files the validator could not use, with the reason.
    crashed
        Rules that raised instead of running -> the exception (known crashes included).
    cached
        True when the result came from the cache.
    seconds
        Wall time of this call.
    """

    year: int
    authority: str
    previous: bool
    rules_total: int
    rules_run: int
    rules_skipped: int
    findings: list[Finding]
    unread: list[dict] = field(default_factory=list)
    crashed: dict[str, str] = field(default_factory=dict)
    validator_version: str = VALIDATOR_VERSION
    cached: bool = False
    seconds: float = 0.0

    @property
    def errors(self) -> list[Finding]:
        """Findings that are the return's errors (not known validator issues or failed rules)."""
        return [f for f in self.findings if f.severity == "error"]


def _csvs(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise DataError(f"903 folder {folder} not found")
    return sorted(p for p in folder.glob("*.csv") if not p.name.startswith("."))


def _key(year: int, authority: str | None, this: list[Path], previous: list[Path]) -> str:
    digest = hashlib.sha256()
    for part in (VALIDATOR_VERSION, RUNNER.read_bytes(), str(year), authority or "?"):
        digest.update(part if isinstance(part, bytes) else part.encode())
    for label, paths in (("this", this), ("prev", previous)):
        for path in paths:
            digest.update(f"\0{label}\0{path.name}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def _read_column(path: Path, column: str) -> pd.Series | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            frame = pd.read_csv(path, dtype=str, encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (ValueError, OSError):
            return None
        frame.columns = [str(c).strip().upper() for c in frame.columns]
        return frame[column] if column in frame.columns else None
    return None


def infer_authority(folder: Path | str) -> str:
    """The upper-tier authority most children's home postcodes lie in (the return's owner).

    Raises
    ------
    DataError
        When no home postcode can be placed: give the authority explicitly.
    """
    from reportgen.sources import geo

    for path in _csvs(Path(folder)):
        homes = _read_column(path, "HOME_POST")
        if homes is None:
            continue
        places = geo.centroids(homes.dropna())["utla"].dropna()
        if len(places):
            return str(places.mode().iloc[0])
    raise DataError(
        f"cannot tell whose return {folder} is (no known HOME_POST postcodes): give --authority"
    )


def _run_validator(
    year: int, authority: str, this: Path, previous: Path | None, create: bool
) -> dict:
    python = validator_python(create=create)
    root = cache_root() / "results"
    root.mkdir(parents=True, exist_ok=True)
    out = root / f".run-{time.time_ns()}.json"
    command = [str(python), str(RUNNER), "--year", str(year), "--authority", authority]
    command += ["--this", str(this), "--out", str(out)]
    if previous is not None:
        command += ["--prev", str(previous)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise DfeRulesError(
            f"the DfE validator took more than {RUN_TIMEOUT} s on {this} and was stopped"
        ) from None
    try:
        if done.returncode != 0 or not out.exists():
            last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise DfeRulesError(f"the DfE validator could not check {this}: {last}")
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)


def _joined(fields: Iterable[str], values: dict[str, str]) -> tuple[str, str]:
    fields = list(fields)
    return ", ".join(fields), ", ".join(f"{f}={values.get(f, '')}" for f in fields)


def to_findings(
    raw: dict,
    facts: Facts,
    this_label: str = "",
    previous_label: str = "",
) -> list[Finding]:
    """The runner's JSON as findings (known validator issues marked, failed rules included).

    Parameters
    ----------
    raw
        The runner's JSON.
    facts
        What the known-issue recognisers may use.
    this_label, previous_label
        Prefixes for file names of this year's and the previous year's files (e.g. ``"2025/"``).
    """
    descriptions = raw.get("descriptions", {})
    hits = raw.get("findings", [])
    reasons = known_reasons(hits, facts)
    findings = []
    for hit, reason in zip(hits, reasons, strict=True):
        columns, values = _joined(hit["fields"], hit["values"])
        label = previous_label if hit["table"].endswith("_last") else this_label
        findings.append(
            Finding(
                source="DfE",
                rule=hit["code"],
                severity=KNOWN if reason else "error",
                file=f"{label}{hit['file']}",
                row=hit["row"],
                child=hit["child"] or None,
                columns=columns,
                values=values,
                message=descriptions.get(hit["code"], ""),
                reason=reason,
            )
        )
    for code, error in raw["rules"].get("crashed", {}).items():
        known = crash_reason(code, facts.year)
        findings.append(
            Finding(
                source="DfE",
                rule=code,
                severity=KNOWN if known else FAILED,
                file=this_label.rstrip("/"),
                row=None,
                child=None,
                columns="",
                values="",
                message=f"rule {code} could not run: {error}",
                reason=known or "the rule raised an error; the other rules ran",
            )
        )
    for unread in raw.get("unread", []):
        findings.append(
            Finding(
                source="DfE",
                rule="file",
                severity="warning",
                file=f"{this_label}{unread['file']}",
                row=None,
                child=None,
                columns="",
                values="",
                message=f"the DfE validator did not read this file: {unread['reason']}",
            )
        )
    return findings


def run_rules(
    folder: Path | str,
    year: int,
    authority: str | None = None,
    previous: Path | str | None = None,
    earlier_children: Collection[str] = frozenset(),
    earliest_year: int | None = None,
    labels: tuple[str, str] = ("", ""),
    create: bool = True,
) -> DfeRun:
    """Run the DfE's rules for ``year`` on ``folder`` (cached per input).

    Parameters
    ----------
    folder
        The year's return (its CSVs).
    year
        Collection end year (2023 or later: the validator has no older rules).
    authority
        Upper-tier GSS code; inferred from the home postcodes when omitted.
    previous
        The previous year's return, for the cross-year rules.
    earlier_children
        CHILD ids with episodes before the previous year (recognises rules 1001/1002's false
        positives).
    earliest_year
        The oldest collection year of the returns available (default: the previous year's, or
        this year's).
    labels
        Prefixes for this year's and the previous year's file names.
    create
        Make the validator's environment when it is missing.

    Raises
    ------
    ValidatorUnavailable
        The environment cannot be made, or the validator failed as a whole (one line).
    DataError
        A folder is missing, the year has no rules, or the authority cannot be inferred.
    """
    started = time.perf_counter()
    folder = Path(folder)
    if year < FIRST_YEAR:
        raise DataError(
            f"the DfE validator has rules from 2022-23 only; {year - 1}-{str(year)[2:]} "
            "cannot be checked against them"
        )
    this = _csvs(folder)
    before = _csvs(Path(previous)) if previous is not None else []
    key = _key(year, authority, this, before)
    cached = cache_root() / "results" / f"{key}.json"
    hit = cached.exists()
    if hit:
        raw = json.loads(cached.read_text(encoding="utf-8"))
    else:
        code = authority or infer_authority(folder)
        raw = _run_validator(year, code, folder, Path(previous) if previous else None, create)
        write_json(raw, cached)
    facts = Facts(
        year=year,
        cross_year=bool(before),
        earlier_children=earlier_children,
        earliest_year=earliest_year or (year - 1 if before else year),
    )
    rules = raw["rules"]
    return DfeRun(
        year=year,
        authority=raw["local_authority"],
        previous=bool(before),
        rules_total=rules["total"],
        rules_run=rules["run"],
        rules_skipped=rules["skipped"],
        findings=to_findings(raw, facts, *labels),
        unread=raw.get("unread", []),
        crashed=dict(rules.get("crashed", {})),
        validator_version=raw.get("validator_version", VALIDATOR_VERSION),
        cached=hit,
        seconds=time.perf_counter() - started,
    )


def _children(folder: Path) -> set[str]:
    """CHILD ids in a return's Episodes file (the file with DECOM and CHILD columns)."""
    for path in _csvs(folder):
        try:
            head = pd.read_csv(path, dtype=str, nrows=0, encoding="utf-8-sig").columns
        except (UnicodeDecodeError, ValueError, OSError):
            continue
        if {"CHILD", "DECOM", "RNE"} <= {str(c).strip().upper() for c in head}:
            column = _read_column(path, "CHILD")
            return set() if column is None else set(column.dropna().str.strip().str.upper())
    return set()


def check_history(
    folder: Path | str,
    authority: str | None = None,
    years: Collection[int] | None = None,
    create: bool = True,
) -> list[DfeRun]:
    """Run the DfE rules on each year folder of ``folder`` from 2022-23, each with its previous
    year when present (file names prefixed with the year folder).

    Parameters
    ----------
    folder
        A folder of year folders (``2024``, ``2025`` or ``2024-25``), as a report's INPUT.
    authority
        Upper-tier GSS code (inferred from each year's home postcodes when omitted).
    years
        Only these collection years (default: every year the validator has rules for).
    create
        Make the validator's environment when it is missing.
    """
    from reportgen.sources.ssda903.folders import year_folders

    found = dict(year_folders(folder))
    wanted = sorted(y for y in found if y >= FIRST_YEAR and (years is None or y in years))
    children: dict[int, set[str]] = {}  # each older return's children, read once
    runs = []
    for year in wanted:
        previous = found.get(year - 1)
        earlier: set[str] = set()
        for older, sub in found.items():
            if older < year - 1:
                if older not in children:
                    children[older] = _children(sub)
                earlier |= children[older]
        runs.append(
            run_rules(
                found[year],
                year,
                authority,
                previous=previous,
                earlier_children=earlier,
                earliest_year=min(found),
                labels=(f"{found[year].name}/", f"{previous.name}/" if previous else ""),
                create=create,
            )
        )
    return runs
