"""Run the DfE's 903 validator (csc-validator-be-903) on one year's CSVs and write a JSON summary.

This script runs INSIDE the validator's own virtual environment (``.venv-903validator``, made by
``make validate-synthetic``): the validator pins pandas < 2 and numpy < 1.25, so it can never be
imported by reportgen itself. It uses the validator's Python API (``indicators.md`` section 7), not
``run-offline``, whose metadata is fixed to 2022-23 and Southwark.

Usage::

    .venv-903validator/bin/python scripts/dfe_validator_runner.py \\
        --year 2025 --authority E10000018 --this out/synth/2025 [--prev out/synth/2024] \\
        --out result.json

``--this`` / ``--prev`` take a folder (every ``*.csv`` in it) or CSV files. The JSON written has:

* ``collection_year``, ``local_authority``, ``validator_version``;
* ``rules``: counts of rules ``run``, ``skipped`` (a table was absent) and the codes that
  ``crashed`` (the rule raised, e.g. 231 on CSV input, ``indicators.md`` section 10);
* ``errors``: one entry per rule that flagged rows: ``code``, ``count``, ``description``,
  ``fields`` and up to ``--examples`` ``examples`` (``child``, ``table``, ``row``).

Exit status 0 when the validator ran (whatever it found), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from importlib import metadata
from pathlib import Path


def _csvs(items: list[str]) -> list[str]:
    paths: list[str] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            paths.extend(str(p) for p in sorted(path.glob("*.csv")))
        elif path.is_file():
            paths.append(str(path))
        else:
            raise SystemExit(f"error: {item} is neither a folder nor a file")
    return paths


def run(year: str, authority: str, this: list[str], prev: list[str], examples: int) -> dict:
    """Validate the files and return the JSON-ready summary."""
    logging.disable(logging.CRITICAL)  # the validator logs every rule at INFO level
    from lac_validator.lac_validator import LacValidator
    from lac_validator.report import Report
    from lac_validator.rules.ruleset_utils import get_year_ruleset
    from lac_validator.utils import process_uploaded_files

    files = {"This year": _csvs(this)}
    if prev:
        files["Prev year"] = _csvs(prev)
    uploaded = process_uploaded_files(files)
    registry = get_year_ruleset(year)
    validator = LacValidator(
        metadata={"collectionYear": year, "localAuthority": authority},
        files=uploaded,
        registry=registry,
        selected_rules=None,
    )
    report = Report(validator.ds_results, registry)
    summary = report.error_summary
    flagged = summary[summary["Error Count"] > 0]
    errors = []
    for row in flagged.itertuples(index=False):
        code = str(row[0])
        column = f"ERR_{code}"
        hits = report.report[report.report[column] == True]  # noqa: E712 (pandas mask)
        errors.append(
            {
                "code": code,
                "count": int(row[1]),
                "description": str(row[2]),
                "fields": str(row[3]),
                "examples": [
                    {"child": str(h.CHILD), "table": str(h.Table), "row": int(h.RowID)}
                    for h in hits.head(examples).itertuples(index=False)
                ],
            }
        )
    try:
        version = metadata.version("csc-validator-be-903")
    except metadata.PackageNotFoundError:  # pragma: no cover
        version = "unknown"
    return {
        "collection_year": year,
        "local_authority": authority,
        "validator_version": version,
        "files": files,
        "tables": {name: int(len(frame)) for name, frame in validator.dfs.items()},
        "rules": {
            "total": len(registry),
            "run": len(validator.dones),
            "skipped": len(validator.skips),
            "crashed": sorted(validator.fails),
        },
        "errors": sorted(errors, key=lambda e: e["code"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", required=True, help="collection end year, e.g. 2025")
    parser.add_argument("--authority", required=True, help="upper-tier GSS code")
    parser.add_argument("--this", nargs="+", required=True, help="this year's folder or CSVs")
    parser.add_argument("--prev", nargs="*", default=[], help="previous year's folder or CSVs")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--examples", type=int, default=5, help="example rows per rule")
    parser.add_argument("--summary", action="store_true", help="also print a short summary")
    args = parser.parse_args(argv)
    if not (len(args.year) == 4 and args.year.isdigit()):
        parser.error("--year must be a 4-digit collection end year, e.g. 2025")
    with contextlib.redirect_stdout(sys.stderr):  # some rules print to stdout
        result = run(args.year, args.authority, args.this, args.prev, args.examples)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.summary:
        rules = result["rules"]
        print(
            f"{args.year}: {rules['run']} rules run, {rules['skipped']} skipped (table absent), "
            f"crashed: {', '.join(rules['crashed']) or 'none'}; "
            f"{len(result['errors'])} rules flagged rows"
        )
        for error in result["errors"]:
            print(f"  {error['code']:>9} x{error['count']}: {error['description'][:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
