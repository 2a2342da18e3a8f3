"""Run the DfE's 903 validation rules (csc-validator-be-903) on one year's CSVs; write JSON.

This file runs INSIDE the validator's own virtual environment (see
:mod:`reportgen.sources.dfe_rules.environment`): the validator pins pandas < 2 and numpy < 1.25, so
reportgen never imports it. The file therefore imports nothing from reportgen. It uses the
validator's Python API (``indicators.md`` section 7), not ``run-offline`` (whose metadata is fixed
to 2022-23 and Southwark).

Protocol: files in, JSON out::

    python runner.py --year 2025 --authority E10000018 --this DIR_OR_CSV... \\
        [--prev DIR_OR_CSV...] --out result.json

The JSON has ``collection_year``, ``local_authority``, ``validator_version``, ``files`` (each
file's name, table, ``this``/``prev`` and row count), ``unread`` (files the validator cannot use,
with the reason), ``rules`` (``total``, ``run``, ``skipped``: table absent, ``crashed``: code ->
the exception), ``descriptions`` (code -> DfE message, for the rules that flagged rows) and
``findings``: one per flagged row with ``code``, ``table``, ``file``, ``row`` (as a spreadsheet
shows it: the header is row 1), ``child``, ``fields``, ``values`` (the affected fields' values in
that row) and, for some rules, ``context``: for 169 the lower-tier area of the placement
postcode and whether the validator's 2021 lookup knows it; for 1001 and 1002 the DOB and
whether the rule still flags the row when last year's episodes are numbered after this year's.

Exit status 0 when the validator ran (whatever it found), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import logging
import math
import sys
from importlib import metadata
from pathlib import Path

_BOM = b"\xef\xbb\xbf"


class _Failures(logging.Handler):
    """Collects the exception of every rule the validator reports as failed to run."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Rule code ") and record.exc_info:
            code = message.split()[2]
            error = record.exc_info[1]
            self.errors[code] = f"{type(error).__name__}: {error}"[:300]


def _csvs(items: list[str]) -> list[Path]:
    paths: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            paths.extend(sorted(p for p in path.glob("*.csv") if not p.name.startswith(".")))
        elif path.is_file():
            paths.append(path)
        else:
            raise SystemExit(f"error: {item} is neither a folder nor a file")
    return paths


def _utf8(raw: bytes) -> bytes:
    """The file as UTF-8 without a byte-order mark (Windows-1252 text converted)."""
    raw = raw.removeprefix(_BOM)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raw = raw.decode("cp1252", errors="replace").encode("utf-8")
    return raw


def _table_of(content: bytes, column_names: dict[str, list[str]]) -> str | None:
    first = content.decode("utf-8").splitlines()[:1]
    header = next(csv.reader(io.StringIO(first[0])), []) if first else []
    columns = {c.strip().upper() for c in header}
    for table, expected in column_names.items():
        if columns == set(expected):
            return table
    return None


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return "" if text in ("nan", "NaT", "<NA>", "None") else text


def _flagged_with_distinct_rows(validator, registry, code: str) -> set | None:
    """The OC3 rows rule ``code`` flags when last year's episodes are numbered after this
    year's (the rule concatenates the two tables, whose row numbers both start at 0)."""
    store = {
        name: (
            frame.drop(columns=[c for c in frame.columns if str(c).startswith("ERR_")])
            if name != "metadata"
            else frame
        )
        for name, frame in validator.ds_results.items()
    }
    if "Episodes_last" not in store or "Episodes" not in store:
        return None
    last = store["Episodes_last"].copy()
    last.index = last.index + len(store["Episodes"]) + 1_000_000
    store["Episodes_last"] = last
    try:
        result = registry[code].func(store)
    except Exception:  # noqa: BLE001 (the rule's own failure: no evidence either way)
        return None
    return set(result.get("OC3", []))


def _findings(validator, registry, sources: dict[str, str]) -> list[dict]:
    """One entry per (rule, flagged row), from the ERR_ columns the validator adds."""
    from lac_validator.datastore import la_df, merge_postcodes

    known_ltlas = set(la_df["LTLA21CD"])
    findings = []
    for table, frame in validator.ds_results.items():
        if table == "metadata" or table not in sources:
            continue
        for column in (c for c in frame.columns if str(c).startswith("ERR_")):
            code = column[4:]
            rule = registry.get(code)
            fields = [f for f in (rule.affected_fields if rule else []) if f in frame.columns]
            hits = frame[frame[column] == True]  # noqa: E712 (pandas mask)
            context = {}
            if code == "169" and "PL_POST" in frame.columns and len(hits):
                places = merge_postcodes(hits[["PL_POST"]].copy(), "PL_POST")["laua"]
                context = {
                    index: {
                        "PL_POST_LTLA": _text(laua),
                        "LTLA_IN_VALIDATOR_LOOKUP": _text(laua) in known_ltlas,
                    }
                    for index, laua in zip(hits.index, places, strict=True)
                }
            if code in ("1001", "1002") and "DOB" in frame.columns and len(hits):
                again = _flagged_with_distinct_rows(validator, registry, code)
                context = {
                    index: {"DOB": _text(dob)}
                    | ({} if again is None else {"FLAGGED_WITH_DISTINCT_ROWS": index in again})
                    for index, dob in hits["DOB"].items()
                }
            for index, row in hits.iterrows():
                finding = {
                    "code": code,
                    "table": table,
                    "file": sources[table],
                    "row": int(index) + 2,
                    "child": _text(row.get("CHILD")),
                    "fields": fields,
                    "values": {f: _text(row[f]) for f in fields},
                }
                if index in context:
                    finding["context"] = context[index]
                findings.append(finding)
    return findings


def run(year: str, authority: str, this: list[str], prev: list[str]) -> dict:
    """Validate the files and return the JSON-ready result."""
    logging.disable(logging.WARNING)  # the validator logs every rule at INFO; keep ERROR
    failures = _Failures()
    from lac_validator.config import column_names
    from lac_validator.lac_validator import LacValidator
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    root = logging.getLogger()
    root.handlers[:] = [failures]
    files, unread, sources = [], [], {}
    for label, paths in (("This year", _csvs(this)), ("Prev year", _csvs(prev))):
        for path in paths:
            content = _utf8(path.read_bytes())
            table = _table_of(content, column_names)
            if table is None:
                unread.append({"file": path.name, "reason": "columns match no 903 table"})
                continue
            name = table if label == "This year" else f"{table}_last"
            if name in sources:
                unread.append({"file": path.name, "reason": f"a second {table} file"})
                continue
            sources[name] = path.name
            files.append({"name": path.name, "file_content": content, "description": label})
    registry = get_year_ruleset(year)
    result = {
        "collection_year": year,
        "local_authority": authority,
        "validator_version": metadata.version("csc-validator-be-903"),
        "files": [],
        "unread": unread,
        "rules": {"total": len(registry), "run": 0, "skipped": 0, "crashed": {}},
        "descriptions": {},
        "findings": [],
    }
    if not any(f["description"] == "This year" for f in files):
        return result
    validator = LacValidator(
        metadata={"collectionYear": year, "localAuthority": authority},
        files=files,
        registry=registry,
        selected_rules=None,
    )
    result["files"] = [
        {
            "file": sources[name],
            "table": name.removesuffix("_last"),
            "year": "prev" if name.endswith("_last") else "this",
            "rows": int(len(frame)),
        }
        for name, frame in validator.dfs.items()
        if name in sources
    ]
    crashed = {code: failures.errors.get(code, "failed to run") for code in validator.fails}
    result["rules"] = {
        "total": len(registry),
        "run": len(validator.dones),
        "skipped": len(validator.skips),
        "crashed": dict(sorted(crashed.items())),
    }
    findings = _findings(validator, registry, sources)
    result["findings"] = findings
    result["descriptions"] = {
        f["code"]: registry[f["code"]].message for f in findings if f["code"] in registry
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", required=True, help="collection end year, e.g. 2025")
    parser.add_argument("--authority", required=True, help="upper-tier GSS code")
    parser.add_argument("--this", nargs="+", required=True, help="this year's folder or CSVs")
    parser.add_argument("--prev", nargs="*", default=[], help="previous year's folder or CSVs")
    parser.add_argument("--out", required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    if not (len(args.year) == 4 and args.year.isdigit()):
        parser.error("--year must be a 4-digit collection end year, e.g. 2025")
    with contextlib.redirect_stdout(sys.stderr):  # some rules print to stdout
        result = run(args.year, args.authority, args.this, args.prev)
    out = Path(args.out)
    temp = out.with_name(f".{out.name}.tmp")
    temp.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    temp.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
