"""The data-quality appendix of a 903-based report: how clean is the return behind the figures?

:func:`summarise` runs before the notebooks (:func:`reportgen.run.report.run_report`): reportgen's own
checks and the DfE's 903 rules (:mod:`reportgen.sources.dfe_rules`) on the return for the report's
collection year, with the previous year's so the cross-year rules run. It keeps only counts by
rule and the DfE's wording, never a child's identifier or a row, and withholds counts below the
disclosure threshold. The summary is written to the work folder as ``data_quality.json``;
:func:`appendix` turns it into the appendix.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from reportgen.core.config import ReportParams
from reportgen.core.formatting import plural
from reportgen.model import Appendix, Paragraph, Section, Table

FILE_NAME = "data_quality.json"
TITLE = "Data quality of the 903 return"
TOP = 5
"""The appendix quotes the DfE's wording for this many of the most frequent rules."""


def _input_folder(params: ReportParams) -> Path:
    if params.source == "synthetic":
        from reportgen.indicators.published import published_values
        from reportgen.sources.synthetic import ensure_return

        return Path(ensure_return(params.authority_code, params.period, published=published_values))
    return Path(str(params.input))


def _count(rows: int, min_count: int) -> dict[str, Any]:
    """A count as stored: withheld (``None``) when it is from 1 to ``min_count`` - 1."""
    small = 0 < rows < min_count
    return {
        "rows": None if small else rows,
        "text": f"<{min_count}" if small else f"{rows:,}",
    }


def _own_checks(folder: Path, year: int) -> dict[str, int]:
    from reportgen.sources.choose import validate_input
    from reportgen.sources.ssda903.folders import year_folders

    names = {f"{sub.name}/" for y, sub in year_folders(folder) if y == year}
    problems = [p for p in validate_input(folder) if any(p.file.startswith(n) for n in names)]
    errors = sum(p.severity == "error" for p in problems)
    return {"errors": errors, "warnings": len(problems) - errors}


def summarise(params: ReportParams) -> dict[str, Any]:
    """Check the report's return; the JSON-ready summary (no child identifiers, no rows).

    Returns
    -------
    dict
        ``year``, ``own`` (reportgen's error and warning counts), ``dfe``: ``status``
        (``"ran"``, ``"not run"``, ``"off"``), ``reason`` when not run, and when run the
        validator version, rules run, whether the previous year was loaded, ``rules`` (code,
        rows, DfE description; most frequent first), ``known`` (code, rows, reason) and
        ``failed`` (rule codes that could not run).
    """
    from reportgen.core.errors import DataError
    from reportgen.sources.dfe_rules import ValidatorUnavailable, check_history
    from reportgen.sources.dfe_rules.findings import KNOWN
    from reportgen.sources.dfe_rules.known_issues import SUMMARIES, crash_reason

    year = params.period.collection_year
    folder = _input_folder(params)
    summary: dict[str, Any] = {"year": year, "own": _own_checks(folder, year)}
    if not params.dfe_rules:
        summary["dfe"] = {"status": "off", "reason": "dfe_rules is false in the report's params"}
        return summary
    try:
        runs = check_history(folder, params.authority_code, years={year})
    except (ValidatorUnavailable, DataError) as error:
        summary["dfe"] = {"status": "not run", "reason": str(error)}
        return summary
    if not runs:
        summary["dfe"] = {
            "status": "not run",
            "reason": "the DfE's validation tool has rules from 2022-23 onwards only",
        }
        return summary
    run = runs[0]
    minimum = params.disclosure.min_count
    errors = Counter(f.rule for f in run.errors)
    wording = {f.rule: f.message for f in run.errors}
    known = Counter(f.rule for f in run.findings if f.severity == KNOWN and f.row is not None)
    summary["dfe"] = {
        "status": "ran",
        "validator_version": run.validator_version,
        "rules_run": run.rules_run,
        "rules_total": run.rules_total,
        "previous": run.previous,
        "rows_flagged": _count(sum(errors.values()), minimum),
        "rules": [
            {"rule": code, **_count(rows, minimum), "description": wording[code]}
            for code, rows in sorted(errors.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "known": [
            {"rule": code, **_count(rows, minimum), "reason": SUMMARIES.get(code, "")}
            for code, rows in sorted(known.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "failed": [
            {"rule": code, "reason": SUMMARIES.get(code, "") if crash_reason(code, year) else ""}
            for code in sorted(run.crashed)
        ],
    }
    return summary


def write(summary: dict[str, Any], work_dir: Path) -> Path:
    """Keep the summary beside the notebooks' results."""
    from reportgen.core.atomic import write_json

    return write_json(summary, work_dir / FILE_NAME)


def load(work_dir: Path) -> dict[str, Any] | None:
    """The summary :func:`write` kept, or ``None`` (published data has none)."""
    path = work_dir / FILE_NAME
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def notes(summary: dict[str, Any] | None) -> list[str]:
    """A line for the author when the DfE's rules could not be run (none otherwise)."""
    if summary is None or summary["dfe"]["status"] != "not run":
        return []
    return [
        f"DfE 903 rules not run (the data-quality appendix says so): {summary['dfe']['reason']}"
    ]


def _own_sentence(own: dict[str, int]) -> str:
    errors, warnings = own["errors"], own["warnings"]
    found = []
    if errors:
        found.append(plural(errors, "error"))
    if warnings:
        found.append(plural(warnings, "warning"))
    what = " and ".join(found) if found else "no errors or warnings"
    tail = (
        " The report was written with the errors present (allow_invalid_903), so the figures "
        "they touch may be affected."
        if errors
        else ""
    )
    return (
        f"reportgen's own checks, which the calculations depend on (complete records, valid "
        f"codes and dates, episodes that do not overlap), found {what}.{tail}"
    )


def _rule_table(
    caption: str, rules: list[dict[str, Any]], third: tuple[str, str] | None, source: str
) -> Table:
    """Rule, rows flagged and (``third``: title, key) one more column, one row per rule."""
    columns = ("Rule", "Rows flagged") + ((third[0],) if third else ())
    return Table(
        caption=caption,
        columns=columns,
        rows=tuple((r["rule"], r["text"]) + ((r[third[1]],) if third else ()) for r in rules),
        numeric_columns=(1,),
        source=source,
    )


def appendix(summary: dict[str, Any], letter: str, params: ReportParams) -> Appendix:
    """The data-quality appendix for the summary of :func:`summarise`."""
    from reportgen.core.periods import year_label

    name, label = params.authority_name, year_label(summary["year"])
    kind = "synthetic " if params.source == "synthetic" else ""
    dfe = summary["dfe"]
    intro = [
        Paragraph(
            f"The figures in this report come from {name}'s {kind}SSDA903 return for {label}. "
            "Before "
            "they were produced the return was checked in two ways: by reportgen's own checks "
            "and by the Department for Education's validation rules for the 903 collection, "
            "the rules an authority's return must pass when it is submitted.",
            numbered=False,
        ),
        Paragraph(_own_sentence(summary["own"]), numbered=False),
    ]
    if dfe["status"] != "ran":
        intro.append(
            Paragraph(f"The DfE's validation rules were not run: {dfe['reason']}.", numbered=False)
        )
        return Appendix(letter, TITLE, [Section("How the return was checked", intro, level=1)])
    rules, known = dfe["rules"], dfe["known"]
    previous = (
        ", with the previous year's return loaded so that the rules comparing years also ran"
        if dfe["previous"]
        else ""
    )
    intro.append(
        Paragraph(
            f"The DfE's rules were run with the DfE's own validation tool (csc-validator-be-903 "
            f"{dfe['validator_version']}): {dfe['rules_run']} of the {dfe['rules_total']} rules "
            f"for {label} applied to the tables in the return{previous}. "
            + (
                f"They flagged {dfe['rows_flagged']['text'].replace('<', 'fewer than ')} "
                f"{'row' if dfe['rows_flagged']['rows'] == 1 else 'rows'} under "
                f"{plural(len(rules), 'rule')}."
                if rules
                else "No rule flagged any row."
            ),
            numbered=False,
        )
    )
    if known:
        intro.append(
            Paragraph(
                "Some rows were flagged because of known faults in the validation tool, not in "
                "the data; they are listed separately and not counted above.",
                numbered=False,
            )
        )
    for failed in dfe["failed"]:
        reason = failed["reason"]
        why = f" (a known fault: {reason[0].lower()}{reason[1:]})" if reason else ""
        intro.append(
            Paragraph(
                f"Rule {failed['rule']} could not be run by the tool on this return{why}; the "
                "other rules ran.",
                numbered=False,
            )
        )
    sections = [Section("How the return was checked", intro, level=1)]
    marks = (
        f"'<{params.disclosure.min_count}' marks a count of fewer than "
        f"{params.disclosure.min_count}, withheld."
    )
    if rules:
        blocks = [
            _rule_table(
                f"The {len(rules[:TOP])} most frequent DfE rules flagged in the {label} return",
                rules[:TOP],
                ("What the DfE rule checks (DfE wording)", "description"),
                "Source: DfE 903 validation rules (csc-validator-be-903); "
                f"{name}'s SSDA903 return. {marks}",
            )
        ]
        if len(rules) > TOP:
            blocks.append(
                _rule_table(
                    f"All DfE rules flagged in the {label} return", rules, None, "Source: as above."
                )
            )
        sections.append(Section("Rules flagged", blocks, level=1))
    if known:
        table = _rule_table(
            "Rows flagged by known faults in the DfE's validation tool",
            known,
            ("Why this is not an error in the data", "reason"),
            f"Source: reportgen's list of known faults in csc-validator-be-903. {marks}",
        )
        sections.append(Section("Known faults in the validation tool", [table], level=1))
    return Appendix(letter, TITLE, sections)
