"""Disclosure scan of generated reports (issue 9): no .docx identifies a child or reveals a small
number.

Reports are written once per session by the batch the authors use (``reportgen reports``) and
every .docx is reopened with python-docx and checked with rules worked out by hand from the
disclosure policy (README "Data protection"), never by comparing with the program's own figures:

* :func:`reportgen.analysis.privacy.scan_docx` finds no UPN, postcode, dd/mm/YYYY date or CHILD id; a
  synthetic report is also searched for its children's CHILD ids and dates of birth in words;
* synthetic 903 reports of small authorities state no count from 1 to 4: not in a table cell of
  the authority's own columns for a count row (units from the indicator registry), not in a
  sentence that states a number of children (:func:`small_counts_in_text`), not in chart alt text;
* no withheld figure can be recovered: where the report shows a total and its parts (by age,
  legal status, sex, ethnicity, placement type, foster placement type, reason for ceasing), each
  part's possible values are narrowed by what is shown ("<5" is 1 to 4, our "withheld" is 5 or
  more, a shown percentage pins the count to a range) and by the parts adding up to the total; a
  withheld part narrowed to one value is a leak. A shown percentage whose count, worked back from
  a shown denominator, can only be 1 to 4 is a leak too (synthetic reports);
* Appendix A lists every figure withheld for the period with its reason, and no value.

The same figure must not be withheld in one place and shown in another (a table and the trend
table, Children adopted and Ceased: adopted, children looked after at the period end and at the
end of the dashboard's last month), and a withheld month of starts or cessations must not be
recoverable from the year's figure.

Issue 15 added these relations (each with a planted report that must be flagged):

* the dashboard's months: each month's children looked after minus the last month's (the month
  before April is the previous 31 March) is its starts minus its cessations (:func:`_stock_and_flows`);
* complements: a shown percentage of a shown count whose complement (not in touch, not in
  suitable accommodation, not EET ...) can only be 1 to 4, and no percentage of fewer than 5;
* care leavers: EET + NEET + not in touch (100% minus in touch) make the band (:func:`_care_leavers`);
* withheld parts of a total that add up to 1 to 4 between them.

Several seeds: ``test_synthetic_reports_of_other_seeds_disclose_nothing`` writes Rutland and
City of London from two more seeds (``reportgen synth --seed``).

Cost: the default suite writes the 10 authorities with the fewest children looked after, City
of London and the 2 largest authorities (published), and the 3 smallest authorities from
synthetic 903 data, in two batch runs started together (about 80 seconds on two cores). Every
authority (about 7 minutes) is the ``exhaustive`` test: ``pytest -m exhaustive``.
"""

from __future__ import annotations

import html
import json
import math
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from reportgen.analysis.privacy import scan_docx
from reportgen.indicators import registry
from reportgen.report.assemble import DASHBOARD_LABELS

PERIOD = "2024-25"
SYNTHETIC_AUTHORITIES = ("Rutland", "City of London", "Isles of Scilly")
"""The smallest authorities, for the synthetic 903 reports: a handful of children looked after
(Isles of Scilly), fewer than 10 (City of London), about 30 (Rutland)."""

# ---------------------------------------------------------------------------------- reading


@dataclass
class Grid:
    """One table of a report: its "Table N:" caption, header and rows (cell text)."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Doc:
    """What a reader sees in a report."""

    path: Path
    paragraphs: list[str]
    tables: list[Grid]
    alt_texts: list[str]
    synthetic: bool = False
    period: str = PERIOD
    figures: dict[tuple[str, str], str] = field(default_factory=dict)
    """(row title, column) -> cell, for the authority's own columns of every table."""


def read_report(path: Path) -> Doc:
    """Reopen a .docx: body paragraphs and tables in order, and the alt text of its pictures."""
    from docx import Document
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = Document(str(path))
    paragraphs: list[str] = []
    tables: list[Grid] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = DocxParagraph(element, document).text.strip()
            if text:
                paragraphs.append(text)
        elif tag == "tbl":
            cells = [
                [c.text.strip() for c in row.cells] for row in DocxTable(element, document).rows
            ]
            caption = paragraphs[-1] if paragraphs and paragraphs[-1].startswith("Table ") else ""
            if cells:
                tables.append(Grid(caption, cells[0], cells[1:]))
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    alt_texts = [html.unescape(a) for a in re.findall(r'descr="([^"]*)"', xml)]
    doc = Doc(path, paragraphs, tables, alt_texts)
    doc.synthetic = any(p.startswith("SYNTHETIC DATA") for p in paragraphs[:10])
    found = re.search(r"\b(\d{4}-\d{2})\b", next((p for p in paragraphs if "CHILDREN IN" in p), ""))
    doc.period = found.group(1) if found else PERIOD
    doc.figures = own_figures(doc.tables)
    return doc


# --------------------------------------------------------------------------- what is what

UNITS = {i.title: i.unit for f in registry.FAMILIES for i in registry.by_family(f)}
"""Row title -> unit, from the indicator registry (the titles are the table row labels)."""

OWN_COLUMN = re.compile(r"^(\d{4}-\d{2}(Q\d)?|[A-Z][a-z]{2} \d{2})$")
"""A column of the authority's own figures: a year (2024-25), a quarter, or a month (Apr 24).
England, neighbour, target and status columns are not the authority's counts."""

COUNT_CELL = re.compile(r"^\d{1,3}(,\d{3})*$")
PERCENT_CELL = re.compile(r"^(\d{1,3})%$")


def is_count_row(title: str) -> bool:
    """Counts of children, by the registry's units; a row the registry does not know (the monthly
    dashboard, targets) is a count unless its label says it is a percentage, rate or time."""
    if title in UNITS:
        return UNITS[title] == "count"
    return not re.search(r"\(%\)|per 10,000|\bdays\b|\brate\b", title)


def own_cells(tables: list[Grid]) -> dict[tuple[str, str], list[str]]:
    """(row title, own column) -> its cells in every table that shows it."""
    cells: dict[tuple[str, str], list[str]] = {}
    for grid in tables:
        own = [i for i, c in enumerate(grid.columns) if i and OWN_COLUMN.match(c)]
        for row in grid.rows:
            for i in own:
                if i < len(row):
                    cells.setdefault((row[0], grid.columns[i]), []).append(row[i])
    return cells


def own_figures(tables: list[Grid]) -> dict[tuple[str, str], str]:
    """(row title, own column) -> what a reader learns: a figure shown in any table, else the
    first table's marker."""
    return {
        key: next((c for c in found if COUNT_CELL.match(c) or PERCENT_CELL.match(c)), found[0])
        for key, found in own_cells(tables).items()
    }


def shown_and_withheld(doc: Doc) -> list[str]:
    """A figure withheld in one table must not be shown in another (the trend table repeats the
    key indicators' last two years)."""
    return [
        f"{title} | {column} is {' in one table and '.join(found)} in another"
        for (title, column), found in own_cells(doc.tables).items()
        if set(found) & WITHHELD_CELLS
        and any(COUNT_CELL.match(c) or PERCENT_CELL.match(c) for c in found)
    ]


def small_count_cells(doc: Doc) -> list[str]:
    """Cells of the authority's own columns holding a count of 1 to 4 in a count row."""
    found = []
    for grid in doc.tables:
        own = [i for i, c in enumerate(grid.columns) if i and OWN_COLUMN.match(c)]
        for row in grid.rows:
            if not is_count_row(row[0]):
                continue
            for i in own:
                if i < len(row) and row[i] in {"1", "2", "3", "4"}:
                    found.append(
                        f"{grid.caption or grid.columns}: {row[0]} | {grid.columns[i]} = {row[i]}"
                    )
    return found


SMALL = r"(?<![\d.,:/£-])(?P<n>[1-4]|one|two|three|four)(?![\d%]|[.,]\d)"
CHILDREN = (
    r"(?:children|child|young (?:people|person)|care leavers?|boys?|girls?|babies|baby|"
    r"adoptions?|special guardianship orders?|placement orders?|orders|households|"
    r"unaccompanied asylum-seeking children|starts|cessations)\b"
)
NOT_A_NOUN = r"(?!(?:or|to|and|per|in|of|years?|months?|weeks?|days?|miles?|times?)\b)"
COUNT_PATTERNS = (
    # "3 children", "4 looked-after children", "2 care leavers" (not "4 children ... per 10,000")
    re.compile(
        rf"\b{SMALL}\s+{NOT_A_NOUN}(?:[a-z-]+\s+){{0,2}}{CHILDREN}(?!(?:\s+[a-z-]+){{0,2}}\s+per\s)",
        re.IGNORECASE,
    ),
    # "3 were adopted", "2 left on a special guardianship order", "4 returned home"
    re.compile(
        rf"\b{SMALL}\s+(?:were|was|left|returned|moved|started|ceased|entered|remained|had|are|is)\b",
        re.IGNORECASE,
    ),
    # "made up 3 of the children", "4 of them"
    re.compile(rf"\b{SMALL}\s+of\s+(?:the|these|those|them|all)\b", re.IGNORECASE),
)
CHANGE_PATTERNS = (
    # the previous year and the trend of a count: "a decrease from 3 in 2023-24",
    # "in 2020-21 it was 4.", alt text "Adopted: 2 in 2024-25, compared with 3 in 2020-21"
    re.compile(rf"(?:from|on|than|with|:)\s+{SMALL}\s+in\s+\d{{4}}-\d{{2}}", re.IGNORECASE),
    re.compile(rf"\bit was\s+{SMALL}(?!\s*(?:%|per|days|months|years))", re.IGNORECASE),
)
NOT_COUNTS = re.compile(r"per 10,000|\brate\b|\bper cent\b|average|days|months", re.IGNORECASE)
"""A paragraph about a rate, a percentage or a time: its bare numbers are not counts (a count
in it is still found when a noun says it counts children)."""


def small_counts_in_text(text: str) -> list[str]:
    """Counts of 1 to 4 stated in a paragraph (or alt text): "3 children", "2 were adopted",
    "made up 4 of the children", "a decrease from 3 in 2023-24" in a sentence about a count.

    Numbers that are not counts of children are left alone: years and dates, paragraph, table
    and figure numbers, "3 or more placements", ages ("aged 1 to 4 years"), durations, rates,
    percentages and the comparators in brackets.
    """
    found = [m.group(0) for p in COUNT_PATTERNS for m in p.finditer(text)]
    if not NOT_COUNTS.search(text):
        found += [m.group(0) for p in CHANGE_PATTERNS for m in p.finditer(text)]
    return found


def small_counts_in_sentences(doc: Doc) -> list[str]:
    return [
        f"{hit!r} in: {text}"
        for text in [*doc.paragraphs, *doc.alt_texts]
        for hit in small_counts_in_text(text)
    ]


# ------------------------------------------------------------------------------ recovery

CLA = "Children looked after at 31 March"
CEASED = "Children who ceased to be looked after"
PLACEMENTS = (
    "Foster placements",
    "Placed for adoption",
    "Placed with parents",
    "Children's homes",
    "Supported accommodation and independent living",
    "Residential schools",
    "Other residential settings",
    "Other placements",
)
CEASED_PARTS = ("adopted", "sgo", "returned home", "independent living", "other")
GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    CLA: (
        (
            "Aged under 1 year",
            "Aged 1 to 4 years",
            "Aged 5 to 9 years",
            "Aged 10 to 15 years",
            "Aged 16 years and over",
        ),
        (
            "Legal status: Interim care order",
            "Legal status: Full care order",
            "Legal status: Placement order",
            "Legal status: Section 20 agreement",
            "Legal status: Detained for child protection",
            "Legal status: Youth justice legal statuses",
        ),
        ("Sex: male", "Sex: female"),
        (
            "Ethnicity: White",
            "Ethnicity: Mixed or Multiple ethnic groups",
            "Ethnicity: Asian or Asian British",
            "Ethnicity: Black, African, Caribbean or Black British",
            "Ethnicity: Other ethnic group",
            "Ethnicity: Refused or information not yet available",
        ),
        PLACEMENTS,
    ),
    CEASED: (tuple(f"Ceased: {p}" for p in CEASED_PARTS),),
    "Foster placements": (
        (
            "Foster placements: in-house",
            "Foster placements: other local authority",
            "Foster placements: independent fostering agency",
            "Foster placements: with relatives or friends",
        ),
    ),
}
"""Totals and the parts that add up to them (the DfE's groups; worked out from the definitions)."""

SAME = {"Children adopted": "Ceased: adopted", "Special guardianship orders": "Ceased: sgo"}
"""Rows that are the same figure as a part under another title."""

PERCENT_OF: dict[str, str] = {
    **{f"{p} (%)": CLA for p in PLACEMENTS},
    "Children with 3 or more placements in the year (%)": CLA,
    "Children placed more than 20 miles from home (%)": CLA,
    "Children placed outside the authority's boundary (%)": CLA,
    "Children adopted as a share of all leaving care (%)": CEASED,
    "Special guardianship orders as a share of all leaving care (%)": CEASED,
    DASHBOARD_LABELS["placed_outside_la_pct"]: DASHBOARD_LABELS["cla_at_end"],
    **{
        f"Care leavers aged {band} {what} (%)": f"Care leavers aged {band}"
        for band in ("17 to 18", "19 to 21")
        for what in (
            "in touch",
            "in education, employment or training",
            "not in education, employment or training",
            "in suitable accommodation",
        )
    },
}
"""Percentages and the shown count they are a percentage of."""
NOT_STATED = "withheld (narrative)"
WITHHELD_CELLS = {"<5", "withheld", NOT_STATED}
REASONS = {
    "<5": ("fewer than 5",),
    "withheld": ("withheld to protect a small number", "not published (small number)"),
}

Range = tuple[int, int]


def cell_range(cell: str, total: int, synthetic: bool, percent: bool = False) -> Range:
    """The counts a reader can tell a cell stands for, out of ``total``.

    "<5" is 1 to 4; "withheld" is 5 or more in a synthetic report (a part shown until it was
    withheld so that a small one cannot be worked out: zero is always shown) and anything in a
    published one (the DfE's "c" can hide a zero); a figure the narrative says is withheld is 1 or
    more (synthetic) or anything; a percentage ``p%`` rounded half-up is a count ``x`` with
    ``p - 0.5 <= 100x/total < p + 0.5``; "n/a" and anything else could be anything.
    """
    if cell == "<5":
        return (1, 4)
    if cell == "withheld":
        return (5, total) if synthetic else (0, total)
    if cell == NOT_STATED:
        return (1, total) if synthetic else (0, total)
    if cell == "<0.5%":
        return (0, max(0, math.ceil(0.5 * total / 100) - 1))
    if percent and (m := PERCENT_CELL.match(cell)):
        p = int(m.group(1))
        low = max(0, math.ceil((p - 0.5) * total / 100 - 1e-9))
        high = min(total, math.ceil((p + 0.5) * total / 100 - 1e-9) - 1)
        return (low, high)
    if not percent and COUNT_CELL.match(cell):
        value = int(cell.replace(",", ""))
        return (value, value)
    return (0, total)


def _number(cell: str | None) -> int | None:
    return int(cell.replace(",", "")) if cell and COUNT_CELL.match(cell) else None


def ceased_sentence_figures(doc: Doc) -> dict[tuple[str, str], str]:
    """Reasons for ceasing as the narrative states them ("Of the 212 children who ceased to be
    looked after in 2024-25, 8 were adopted, ... The DfE did not publish the number who ...")."""
    phrases = {
        "adopted": r"were adopted",
        "sgo": r"left on a special guardianship order",
        "returned home": r"returned home",
        "independent living": r"moved into independent living",
        "other": r"left care for other reasons",
    }
    figures: dict[tuple[str, str], str] = {}
    for text in doc.paragraphs:
        m = re.match(
            r"Of the ([\d,]+) children who ceased to be looked after in (\d{4}-\d{2}), (.*)", text
        )
        if not m:
            continue
        year, rest = m.group(2), m.group(3)
        shown, _, withheld = re.sub(
            r"[Tt]he DfE did not publish the number who", "The number who", rest
        ).partition("The number who")
        for part, phrase in phrases.items():
            key = (f"Ceased: {part}", year)
            if n := re.search(rf"\b(none|[\d,]+) {phrase}", shown):
                figures[key] = "0" if n.group(1) == "none" else n.group(1)
            elif re.search(phrase, withheld):
                figures[key] = NOT_STATED
    return figures


def recoverable(doc: Doc) -> list[str]:
    """Withheld figures a reader can work out from the total and the other parts, and shown
    percentages that give away a count of 1 to 4 (synthetic reports)."""
    figures = {**ceased_sentence_figures(doc), **doc.figures}
    for title, same in SAME.items():
        for (row, column), cell in list(figures.items()):
            if row == title:
                figures.setdefault((same, column), cell)
    columns = {column for _, column in figures}
    found = []
    for total_title, groups in GROUPS.items():
        for column in sorted(columns):
            total = _number(figures.get((total_title, column)))
            if total is None:
                continue
            for parts in groups:
                ranges = {}
                for part in parts:
                    low, high = cell_range(figures.get((part, column), "n/a"), total, doc.synthetic)
                    pct = figures.get((f"{part} (%)", column))
                    if pct is not None:
                        p_low, p_high = cell_range(pct, total, doc.synthetic, percent=True)
                        low, high = max(low, p_low), min(high, p_high)
                    ranges[part] = (low, high)
                low_sum = sum(lo for lo, _ in ranges.values())
                high_sum = sum(hi for _, hi in ranges.values())
                if not low_sum <= total <= high_sum:
                    found.append(
                        f"{column}: {', '.join(parts)} cannot add up to {total_title} = {total} "
                        f"(ranges {ranges}): the group is not what the test thinks"
                    )
                    continue
                hidden = [
                    part
                    for part in parts
                    if {figures.get((part, column)), figures.get((f"{part} (%)", column))}
                    & WITHHELD_CELLS
                ]
                rest = [ranges[part] for part in parts if part not in hidden]
                # (synthetic reports: the DfE's own published "c" cells are as published)
                if doc.synthetic and len(hidden) > 1 and all(lo == hi for lo, hi in rest):
                    together = total - sum(lo for lo, _ in rest)
                    if 1 <= together <= 4:
                        found.append(
                            f"{column}: {', '.join(hidden)} are withheld but add up to {together}: "
                            f"{total_title} {total} and the other parts {ranges}"
                        )
                for part, (low, high) in ranges.items():
                    shown = [figures.get((part, column)), figures.get((f"{part} (%)", column))]
                    if not any(c in WITHHELD_CELLS for c in shown):
                        continue
                    low, high = (
                        max(low, total - (high_sum - high)),
                        min(high, total - (low_sum - low)),
                    )
                    if low == high:
                        found.append(
                            f"{column}: {part} is withheld but is {low}: {total_title} {total} "
                            f"and the other parts {ranges}"
                        )
    found += shown_and_withheld(doc)
    found += _same_figures(doc, figures) + _months_of_the_year(doc, figures)
    found += _stock_and_flows(doc, figures)
    if doc.synthetic:
        for pct_title, base_title in PERCENT_OF.items():
            for column in sorted(columns):
                base = _number(figures.get((base_title, column)))
                pct = figures.get((pct_title, column), "")
                if base is None or not PERCENT_CELL.match(pct):
                    continue
                low, high = cell_range(pct, base, True, percent=True)
                if 1 <= low and high <= 4:
                    found.append(
                        f"{column}: {pct_title} {pct} of {base_title} {base} is {low} to {high} children"
                    )
                elif 1 <= base < 5:
                    found.append(f"{column}: {pct_title} {pct} is a percentage of {base} children")
                elif pct_title in COMPLEMENTED and 1 <= base - high and base - low <= 4:
                    found.append(
                        f"{column}: {pct_title} {pct} of {base_title} {base} leaves "
                        f"{base - high} to {base - low} children who are not"
                    )
        found += _care_leavers(figures, columns)
    return found


COMPLEMENTED = {
    "Children with 3 or more placements in the year (%)",
    "Children placed more than 20 miles from home (%)",
    "Children placed outside the authority's boundary (%)",
    DASHBOARD_LABELS["placed_outside_la_pct"],
    *(t for t in PERCENT_OF if t.startswith("Care leavers aged")),
}
"""Percentages whose complement (the children not counted) is not shown as parts of a group:
a shown percentage must not pin it to 1 to 4 (96% of 23 in suitable accommodation: 1 not)."""


def narrowed(
    ranges: dict[str, Range], equations: list[tuple[dict[str, int], int]]
) -> dict[str, Range]:
    """What a reader can tell each unknown is: each ``sum(coefficient * x) == constant`` narrows
    each of its unknowns to what the others allow, until nothing changes."""
    ranges = dict(ranges)
    changed = True
    while changed:
        changed = False
        for terms, constant in equations:
            for x, a in terms.items():
                others = [(b, ranges[y]) for y, b in terms.items() if y != x]
                low = constant - sum(max(b * lo, b * hi) for b, (lo, hi) in others)
                high = constant - sum(min(b * lo, b * hi) for b, (lo, hi) in others)
                low, high = (low, high) if a == 1 else (-high, -low)
                new = (max(ranges[x][0], low), min(ranges[x][1], high))
                if new != ranges[x] and new[0] <= new[1]:
                    ranges[x], changed = new, True
    return ranges


def _care_leavers(figures: dict[tuple[str, str], str], columns: set[str]) -> list[str]:
    """Care leavers aged 19 to 21 are EET, NEET or not in touch (100% minus in touch): a
    withheld one of them must not be pinned (EET 11 and 5 not in touch of 20 leave NEET 4)."""
    band = "Care leavers aged 19 to 21"
    titles = {
        "EET": f"{band} in education, employment or training (%)",
        "NEET": f"{band} not in education, employment or training (%)",
        "in touch": f"{band} in touch (%)",
    }
    found = []
    for column in sorted(columns):
        n = _number(figures.get((band, column)))
        cells = {k: figures.get((t, column), "n/a") for k, t in titles.items()}
        if not n or not set(cells.values()) & WITHHELD_CELLS:
            continue
        ranges = {k: cell_range(c, n, True, percent=True) for k, c in cells.items()}
        touch = ranges.pop("in touch")
        ranges["not in touch"] = (n - touch[1], n - touch[0])
        if cells["in touch"] in WITHHELD_CELLS:
            ranges["not in touch"] = (0, n)
        result = narrowed(ranges, [({k: 1 for k in ranges}, n)])
        for part, cell in (
            ("EET", cells["EET"]),
            ("NEET", cells["NEET"]),
            ("not in touch", cells["in touch"]),
        ):
            low, high = result[part]
            if cell in WITHHELD_CELLS and low == high:
                found.append(f"{column}: {band} {part} is withheld but is {low} ({cells})")
    return found


def _stock_and_flows(doc: Doc, figures: dict[tuple[str, str], str]) -> list[str]:
    """The dashboard's months: in care at a month end minus at the last month's is the month's
    starts minus its cessations; the month before the first is the previous 31 March (the key
    indicators' previous year). A withheld figure narrowed to one value is a leak."""
    months = sorted(
        {c for _, c in figures if MONTH.match(c)}, key=lambda m: pd.to_datetime(m, format="%b %y")
    )
    rows = {"S": DASHBOARD_LABELS["cla_at_end"], "in": DASHBOARD_LABELS["started"]}
    rows["out"] = DASHBOARD_LABELS["ceased"]
    ranges: dict[str, Range] = {}
    hidden = set()
    for m in months:
        for key, title in rows.items():
            cell = figures.get((title, m))
            if cell is None:
                continue
            ranges[f"{key} {m}"] = cell_range(cell, 10**6, doc.synthetic)
            if cell in WITHHELD_CELLS:
                hidden.add(f"{key} {m}")
    if not hidden:
        return []
    year = int(doc.period[:4])
    previous = f"{year - 1}-{year % 100:02d}"
    before = _number(figures.get((CLA, previous)))
    if months and before is not None and months[0].startswith("Apr"):
        ranges["S before"] = (before, before)
    equations = []
    for i, m in enumerate(months):
        last = f"S {months[i - 1]}" if i else "S before"
        terms = {f"S {m}": 1, last: -1, f"in {m}": -1, f"out {m}": 1}
        if all(t in ranges for t in terms):
            equations.append((terms, 0))
    for key, title in (("in", "Children who started to be looked after"), ("out", CEASED)):
        total = _number(figures.get((title, doc.period)))
        terms = {f"{key} {m}": 1 for m in months}
        if total is not None and all(t in ranges for t in terms):
            equations.append((terms, total))
    result = narrowed(ranges, equations)
    return [
        f"dashboard: {x} is withheld but is {result[x][0]}"
        for x in sorted(hidden)
        if result[x][0] == result[x][1]
    ]


MONTH = re.compile(r"^[A-Z][a-z]{2} \d{2}$")
MONTHLY_FLOWS = {
    "Children who started to be looked after": DASHBOARD_LABELS["started"],
    "Children who ceased to be looked after": DASHBOARD_LABELS["ceased"],
}
"""The year's figure and the dashboard row of its months (first start and last cessation in a
month: they add up to the year's unless a child came into care twice in it, which a reader
cannot know and would not assume)."""


def _same_figures(doc: Doc, figures: dict[tuple[str, str], str]) -> list[str]:
    """A figure withheld in one place must not be shown in another: a row and its twin (Children
    adopted, Ceased: adopted), and children looked after at the period end and at the end of the
    dashboard's last month."""
    months = sorted(
        {c for _, c in figures if MONTH.match(c)}, key=lambda m: pd.to_datetime(m, format="%b %y")
    )
    pairs = [((a, c), (b, c)) for a, b in SAME.items() for c in {c for _, c in figures}]
    if months:
        pairs.append(((CLA, doc.period), (DASHBOARD_LABELS["cla_at_end"], months[-1])))
    found = []
    for one, other in pairs:
        cells = {figures.get(one), figures.get(other)}
        if cells & WITHHELD_CELLS and any(c and COUNT_CELL.match(c) for c in cells):
            found.append(
                f"{one} and {other} are the same figure: {figures.get(one)} and {figures.get(other)}"
            )
    return found


def _months_of_the_year(doc: Doc, figures: dict[tuple[str, str], str]) -> list[str]:
    """A withheld month of starts or cessations worked out from the year's figure."""
    months = sorted({c for _, c in figures if MONTH.match(c)})
    found = []
    for year_title, month_title in MONTHLY_FLOWS.items():
        total = _number(figures.get((year_title, doc.period)))
        cells = {m: figures.get((month_title, m), "n/a") for m in months}
        if total is None or not months or not set(cells.values()) & WITHHELD_CELLS:
            continue
        ranges = {m: cell_range(c, total, doc.synthetic) for m, c in cells.items()}
        low_sum = sum(lo for lo, _ in ranges.values())
        high_sum = sum(hi for _, hi in ranges.values())
        for m, (low, high) in ranges.items():
            if cells[m] not in WITHHELD_CELLS:
                continue
            low, high = max(low, total - (high_sum - high)), min(high, total - (low_sum - low))
            if low == high:
                found.append(
                    f"{month_title}, {m}: withheld but is {low} ({year_title} {total}, months {cells})"
                )
    return found


def appendix_problems(doc: Doc) -> list[str]:
    """Appendix A must list every figure withheld for the period with why, and never a value."""
    tables = [g for g in doc.tables if g.columns[:2] == ["Indicator", "Reason"]]
    if len(tables) != 1:
        return [f"expected one 'Indicator | Reason' table in Appendix A, found {len(tables)}"]
    listed = {row[0]: row[1] for row in tables[0].rows}
    problems = []
    if doc.synthetic and not any("'<5'" in p and "fewer than 5" in p for p in doc.paragraphs):
        problems.append("the appendix does not say what '<5' and 'withheld' mean")
    for title, reason in listed.items():
        if re.search(r"\d", re.sub(r"fewer than 5|less than 0\.5%", "", reason)):
            problems.append(f"appendix gives a number for {title}: {reason}")
    for (title, column), cell in doc.figures.items():
        if column != doc.period or cell not in WITHHELD_CELLS:
            continue
        if listed.get(title) not in REASONS[cell]:
            problems.append(
                f"{title} is '{cell}' for {column} but the appendix says {listed.get(title)!r}"
            )
    return problems


# --------------------------------------------------------------------------- synthetic data


def child_identifiers(authority: str) -> tuple[set[str], set[str]]:
    """CHILD ids and dates of birth (in words, as a report writes dates) of a synthetic return."""
    from reportgen.core.authorities import lookup
    from reportgen.indicators.published import published_values
    from reportgen.sources.synthetic import ensure_return

    folder = ensure_return(lookup(authority).gss, PERIOD, published=published_values)
    ids: set[str] = set()
    births: set[str] = set()
    for csv in folder.rglob("*.csv"):
        frame = pd.read_csv(csv, dtype=str)
        if "CHILD" in frame:
            ids.update(frame["CHILD"].dropna())
        if "DOB" in frame:
            for dob in pd.to_datetime(frame["DOB"].dropna(), format="%d/%m/%Y", errors="coerce"):
                if not pd.isna(dob):
                    births.add(f"{dob.day} {dob:%B %Y}")
    return ids, births


def dates_of_birth_in(doc: Doc, births: set[str]) -> list[str]:
    """Children's dates of birth written in words; the period's first and last days and the
    meeting date on the front page are the report's own dates."""
    text = " ".join(
        [*doc.paragraphs, *doc.alt_texts, *(" ".join(r) for g in doc.tables for r in g.rows)]
    )
    own = re.compile(r"^(31 March|1 April) \d{4}$")
    meeting = " ".join(doc.paragraphs[:3]).lower()
    return sorted(
        d
        for d in births
        if not own.match(d) and d.lower() not in meeting and re.search(rf"\b{d}\b", text)
    )


# --------------------------------------------------------------------------------- running


def start_batch(out: Path, authorities: str, source: str = "published") -> subprocess.Popen:
    """Start ``reportgen reports`` (the authors' batch, two workers) writing to ``out``."""
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen.cli.app", "reports", "--period", PERIOD]
        + ["--authorities", authorities, "--source", source, "--workers", "2", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish_batch(process: subprocess.Popen, out: Path) -> list[tuple[str, Path]]:
    """Wait for a batch; (authority, .docx) of every report written (none may fail)."""
    output, _ = process.communicate(timeout=1800)
    summary = json.loads((out / "batch.json").read_text())
    failed = [
        f"{r['authority']}: {r['reason']}" for r in summary["reports"] if r["status"] == "failed"
    ]
    assert not failed, f"{failed}\n{output[-3000:]}"
    written = [
        (r["authority"], Path(r["docx"])) for r in summary["reports"] if r["status"] == "written"
    ]
    assert written, output[-3000:]
    return written


def run_batch(out: Path, authorities: str, source: str = "published") -> list[tuple[str, Path]]:
    return finish_batch(start_batch(out, authorities, source), out)


def representative_authorities() -> list[str]:
    """The 10 authorities with the fewest children looked after, City of London (its count is
    suppressed) and the 2 with the most."""
    from reportgen.indicators.published import published_values

    frame = published_values()
    year = int(PERIOD[:4]) + 1
    cla = frame[
        (frame["indicator"] == "cla_at_end")
        & (frame["year"] == year)
        & (frame["geographic_level"] == "Local authority")
        & frame["value"].notna()
    ].sort_values("value")
    codes = list(cla["new_la_code"].head(10)) + ["E09000001"] + list(cla["new_la_code"].tail(2))
    return list(dict.fromkeys(codes))


@pytest.fixture(scope="session")
def written_reports(tmp_path_factory) -> dict[str, list[tuple[str, Path]]]:
    """Both batches at once (published, synthetic): their workers share the two cores."""
    out = tmp_path_factory.mktemp("disclosure")
    published = start_batch(out / "published", " ".join(representative_authorities()))
    synthetic = start_batch(out / "synthetic", ", ".join(SYNTHETIC_AUTHORITIES), "synthetic")
    return {
        "published": finish_batch(published, out / "published"),
        "synthetic": finish_batch(synthetic, out / "synthetic"),
    }


@pytest.fixture(scope="session")
def published_reports(written_reports) -> list[Doc]:
    return [read_report(path) for _, path in written_reports["published"]]


@pytest.fixture(scope="session")
def synthetic_reports(written_reports) -> list[tuple[str, Doc]]:
    return [(code, read_report(path)) for code, path in written_reports["synthetic"]]


def check_published(docs: list[Doc]) -> None:
    problems = {}
    for doc in docs:
        found = [f"privacy: {f}" for f in scan_docx(doc.path)]
        found += recoverable(doc) + appendix_problems(doc)
        if found:
            problems[doc.path.name] = found
    assert not problems, json.dumps(problems, indent=1)
    # the DfE withholds small figures of these authorities: the checks had some to look at
    assert sum(cell == "withheld" for doc in docs for cell in doc.figures.values()) > 10


# ----------------------------------------------------------------------------------- tests


@pytest.mark.slow
def test_published_reports_of_small_and_large_authorities_disclose_nothing(published_reports):
    assert len(published_reports) >= 12
    check_published(published_reports)


@pytest.mark.slow
@pytest.mark.exhaustive
def test_every_authority_published_report_discloses_nothing(tmp_path):
    written = run_batch(tmp_path / "out", "all")
    assert len(written) >= 150  # every English authority but the Isles of Scilly
    check_published([read_report(p) for _, p in written])


@pytest.mark.slow
def test_synthetic_reports_of_small_authorities_disclose_nothing(synthetic_reports):
    assert len(synthetic_reports) == len(SYNTHETIC_AUTHORITIES)
    problems = {}
    withheld = 0
    for code, doc in synthetic_reports:
        assert doc.synthetic
        ids, births = child_identifiers(code)
        assert ids and births
        found = [f"privacy: {f}" for f in scan_docx(doc.path, child_ids=ids)]
        found += [f"date of birth: {d}" for d in dates_of_birth_in(doc, births)]
        found += [f"small count in a table: {c}" for c in small_count_cells(doc)]
        found += [f"small count in a sentence: {c}" for c in small_counts_in_sentences(doc)]
        found += recoverable(doc) + appendix_problems(doc)
        if found:
            problems[doc.path.name] = found
        withheld += sum(cell in WITHHELD_CELLS for cell in doc.figures.values())
    assert not problems, json.dumps(problems, indent=1)
    assert withheld > 20  # small authorities: the checks above had withheld figures to look at


# ------------------------------------------------------------ the detectors can fail (fast)


@pytest.mark.parametrize(
    "text",
    [
        "At 31 March 2025 there were 3 children looked after by Rutland.",
        "During 2024-25, four children started to be looked after.",
        "Of the 13 children who ceased to be looked after in 2024-25, 2 were adopted.",
        "Of the 13 children who ceased to be looked after in 2024-25, 6 left care for other "
        "reasons and 1 returned home to their parents.",
        "Unaccompanied asylum-seeking children made up 3 of the children looked after.",
        "At 31 March 2025 there were 27 children looked after, an increase from 4 in 2023-24.",
        "Special guardianship orders were granted for 28 children; in 2020-21 it was 2.",
        "Bar chart of adopted and special guardianship orders in Rutland by year. Adopted: 2 in "
        "2024-25, compared with 7 in 2020-21.",
        "In 2024-25, 3 looked-after children were adopted.",
    ],
)
def test_small_count_detector_flags_a_planted_count(text):
    assert small_counts_in_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "Children with 3 or more placements in the year: the 2024-25 figure is fewer than 5.",
        "Aged 1 to 4 years; aged 16 years and over.",
        "Figure 2: Children looked after at 31 March by placement type, 2024-25 (per cent)",
        "Children adopted as a share of all leaving care: 0% (paragraph 3).",
        "This is a rate of 4 children looked after per 10,000 children aged under 18, a decrease "
        "from 3 in 2023-24; in 2020-21 it was 2.",
        "Children adopted waited on average 2 years 3 months, 1 year 7 months to placement.",
        "Among care leavers aged 19 to 21, 4% were in education; in 2020-21 it was 3%.",
        "This is lower than the statistical neighbour average (3).",
        "At 31 March 2025 there were 27 children looked after; the 2024-25 figure is fewer than 5.",
        "Regulation 9(2) of the Care Leavers Regulations; Section 22G of the Children Act 1989.",
    ],
)
def test_small_count_detector_leaves_other_numbers_alone(text):
    assert small_counts_in_text(text) == []


def _planted_docx(
    path: Path,
    paragraph: str,
    rows: list[list[str]],
    *,
    synthetic: bool = True,
    caption: str = "Table 1: Children looked after in Rutland: key indicators, 2024-25",
    header: tuple[str, ...] = (
        "Indicator",
        "2024-25",
        "2023-24",
        "England 2024-25",
        "Neighbours 2024-25",
    ),
) -> Path:
    from docx import Document

    document = Document()
    if synthetic:
        document.add_paragraph("SYNTHETIC DATA: generated test data.")
    document.add_paragraph(paragraph)
    document.add_paragraph(caption)
    table = document.add_table(rows=0, cols=len(header))
    for row in [list(header), *rows]:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    document.save(str(path))
    return path


def test_table_check_flags_a_planted_cell_and_not_comparators(tmp_path):
    doc = read_report(
        _planted_docx(
            tmp_path / "planted.docx",
            "The key messages are below.",
            [
                ["Children looked after at 31 March", "27", "25", "81,770", "3"],
                ["Children adopted", "3", "<5", "3,040", "2"],
                ["Children adopted as a share of all leaving care (%)", "4%", "<5", "9%", "3%"],
                ["Children looked after per 10,000 children", "4", "3", "67", "60"],
            ],
        )
    )
    assert doc.synthetic
    assert small_count_cells(doc) == [
        "Table 1: Children looked after in Rutland: key indicators, 2024-25: Children adopted "
        "| 2024-25 = 3"
    ]


def test_recovery_check_flags_a_single_withheld_part(tmp_path):
    # 2024-25: 27 children = 0 + x + 5 + 9 + 12 by age, so the withheld 1 to 4 band is x = 1.
    # 2023-24: 25 = 0 + 0 + x + y + 14 with x "<5" (1 to 4) and y "withheld" (5 or more):
    # x + y = 11 has several answers, nothing can be worked out.
    rows = [
        ["Children looked after at 31 March", "27", "25", "81,770", "639"],
        ["Aged under 1 year", "0", "0", "3,630", "28"],
        ["Aged 1 to 4 years", "<5", "0", "10,030", "83"],
        ["Aged 5 to 9 years", "5", "<5", "15,110", "124"],
        ["Aged 10 to 15 years", "9", "withheld", "30,930", "243"],
        ["Aged 16 years and over", "12", "14", "22,060", "162"],
    ]
    found = recoverable(read_report(_planted_docx(tmp_path / "single.docx", "", rows)))
    assert len(found) == 1
    assert found[0].startswith("2024-25: Aged 1 to 4 years is withheld but is 1:")
    # 5 to 9 withheld as well: 27 - 21 = 6 = x + y, x 1 to 4, y 5 or more: still 1 and 5
    rows[3] = ["Aged 5 to 9 years", "withheld", "<5", "15,110", "124"]
    found = recoverable(read_report(_planted_docx(tmp_path / "pinned.docx", "", rows)))
    assert [f.split(":")[1].strip() for f in found] == [
        "Aged 1 to 4 years is withheld but is 1",
        "Aged 5 to 9 years is withheld but is 5",
    ]
    # with 16 and over 11 instead, x + y = 7 is 1 + 6 or 2 + 5: protected
    rows[5] = ["Aged 16 years and over", "11", "14", "22,060", "162"]
    assert recoverable(read_report(_planted_docx(tmp_path / "safe.docx", "", rows))) == []


def test_recovery_check_uses_percentages_and_the_narrative(tmp_path):
    # Published (no synthetic notice): 40 ceased; adopted 8 and SGO 6 in the table, the
    # narrative gives returned home 20 and withholds independent living and other: 6 left, two
    # parts of 1 or more: not recoverable. Adding "other" = 5 leaves independent living = 1.
    def report(sentence):
        rows = [
            ["Children who ceased to be looked after", "40", "34,450"],
            ["Children adopted", "8", "3,040"],
            ["Special guardianship orders", "6", "4,110"],
        ]
        path = _planted_docx(
            tmp_path / "c.docx",
            sentence,
            rows,
            synthetic=False,
            caption="Table 1: Adoption",
            header=("Indicator", "2024-25", "England 2024-25"),
        )
        return read_report(path)

    start = "Of the 40 children who ceased to be looked after in 2024-25, 8 were adopted, "
    safe = report(
        start + "6 left on a special guardianship order and 20 returned home to their parents. "
        "The DfE did not publish the number who moved into independent living or left care for "
        "other reasons, to protect confidentiality."
    )
    assert recoverable(safe) == []
    leak = report(
        start + "6 left on a special guardianship order, 20 returned home to their parents and "
        "5 left care for other reasons. The DfE did not publish the number who moved into "
        "independent living, to protect confidentiality."
    )
    assert [f.split(" is withheld")[0] for f in recoverable(leak)] == [
        "2024-25: Ceased: independent living"
    ]


def test_percentage_of_a_shown_total_can_give_away_a_small_count(tmp_path):
    # 27 children, 11% had 3 or more placements: 100x/27 in [10.5, 11.5) gives x = 3.
    rows = [
        ["Children looked after at 31 March", "27", "25", "81,770", "639"],
        ["Children with 3 or more placements in the year (%)", "11%", "<5", "10%", "11%"],
        ["Children placed outside the authority's boundary (%)", "48%", "32%", "44%", "41%"],
    ]
    doc = read_report(_planted_docx(tmp_path / "pct.docx", "", rows))
    assert recoverable(doc) == [
        "2024-25: Children with 3 or more placements in the year (%) 11% of Children looked "
        "after at 31 March 27 is 3 to 3 children"
    ]


def test_ceased_sentence_of_a_synthetic_report_is_read():
    text = (
        "Of the 13 children who ceased to be looked after in 2024-25, none were adopted and 6 "
        "left care for other reasons, including turning 18. The number who left on a special "
        "guardianship order, returned home to their parents or moved into independent living is "
        "withheld to protect confidentiality."
    )
    figures = ceased_sentence_figures(Doc(Path("x.docx"), [text], [], [], synthetic=True))
    assert figures == {
        ("Ceased: adopted", "2024-25"): "0",
        ("Ceased: other", "2024-25"): "6",
        ("Ceased: sgo", "2024-25"): NOT_STATED,
        ("Ceased: returned home", "2024-25"): NOT_STATED,
        ("Ceased: independent living", "2024-25"): NOT_STATED,
    }


def test_a_figure_withheld_in_one_table_and_shown_in_another_is_found(tmp_path):
    from docx import Document

    document = Document()
    for caption, columns, row in (
        ("Table 1: Key indicators", ["Indicator", "2024-25", "2023-24"], ["<5", "12%"]),
        ("Table 2: Five-year trend", ["Indicator", "2023-24", "2024-25"], ["12%", "11%"]),
    ):
        document.add_paragraph(caption)
        table = document.add_table(rows=0, cols=3)
        for cells in (columns, ["Children with 3 or more placements in the year (%)", *row]):
            for cell, text in zip(table.add_row().cells, cells, strict=True):
                cell.text = text
    document.save(str(tmp_path / "two.docx"))
    doc = read_report(tmp_path / "two.docx")
    assert shown_and_withheld(doc) == [
        "Children with 3 or more placements in the year (%) | 2024-25 is <5 in one table and 11% "
        "in another"
    ]


# ------------------------------------------------ issue 15: each relation as a planted attack


def test_dashboard_stock_and_flows_attack_is_flagged(tmp_path):
    # June: 28 in care after May's 27, no one left: the "<5" starts are 1. July: 28 to 30 with
    # "<5" starts and "<5" cessations: 2 + out, several answers.
    rows = [
        [DASHBOARD_LABELS["cla_at_end"], "27", "28", "30"],
        [DASHBOARD_LABELS["started"], "0", "<5", "<5"],
        [DASHBOARD_LABELS["ceased"], "0", "0", "<5"],
    ]
    header = ("Measure", "May 24", "Jun 24", "Jul 24")
    doc = read_report(
        _planted_docx(tmp_path / "d.docx", "", rows, caption="Table 10: Dashboard", header=header)
    )
    assert recoverable(doc) == ["dashboard: in Jun 24 is withheld but is 1"]
    rows[0][2] = "withheld"  # May 27, June 5 or more, July 30: June's starts are 1 to 3
    doc = read_report(
        _planted_docx(tmp_path / "e.docx", "", rows, caption="Table 10: Dashboard", header=header)
    )
    assert recoverable(doc) == []


def test_dashboard_first_month_uses_the_previous_31_march(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("SYNTHETIC DATA: generated test data.")
    for columns, rows in (
        (["Indicator", "2024-25", "2023-24"], [[CLA, "32", "27"]]),
        (
            ["Measure", "Apr 24"],
            [[DASHBOARD_LABELS["cla_at_end"], "29"], [DASHBOARD_LABELS["started"], "<5"]]
            + [[DASHBOARD_LABELS["ceased"], "0"]],
        ),
    ):
        table = document.add_table(rows=0, cols=len(columns))
        for cells in (columns, *rows):
            for cell, text in zip(table.add_row().cells, cells, strict=True):
                cell.text = text
    document.save(str(tmp_path / "april.docx"))
    # 31 March 2024: 27; April: 29 with no one leaving: 2 started
    assert recoverable(read_report(tmp_path / "april.docx")) == [
        "dashboard: in Apr 24 is withheld but is 2"
    ]


def test_percentage_complement_attack_is_flagged(tmp_path):
    # 96% of 23 in suitable accommodation: 22 (95.7%) is the only count, so 1 is not;
    # 100% in touch leaves none; 80% EET of 23 (18.5 to 18.6: 18 or 19? 18/23 = 78.3, 19/23 =
    # 82.6: no count gives 80%) is not the synthetic engine's; 57% EET is 13 (4 or more not).
    rows = [
        ["Care leavers aged 19 to 21", "23", "25", "38,440", "281"],
        ["Care leavers aged 19 to 21 in touch (%)", "100%", "96%", "n/a", "n/a"],
        ["Care leavers aged 19 to 21 in suitable accommodation (%)", "96%", "80%", "89%", "88%"],
        [
            "Care leavers aged 19 to 21 in education, employment or training (%)",
            "57%",
            "60%",
            "54%",
            "58%",
        ],
    ]
    found = recoverable(read_report(_planted_docx(tmp_path / "c.docx", "", rows)))
    assert found == [
        "2023-24: Care leavers aged 19 to 21 in touch (%) 96% of Care leavers aged 19 to 21 25 "
        "leaves 1 to 1 children who are not",
        "2024-25: Care leavers aged 19 to 21 in suitable accommodation (%) 96% of Care leavers "
        "aged 19 to 21 23 leaves 1 to 1 children who are not",
    ]


def test_percentage_of_fewer_than_5_children_is_flagged(tmp_path):
    # 0% of 3 children: no small numerator, but a percentage of 3 children
    rows = [
        ["Children looked after at 31 March", "3", "27", "81,770", "639"],
        ["Children placed more than 20 miles from home (%)", "0%", "22%", "22%", "31%"],
    ]
    found = recoverable(read_report(_planted_docx(tmp_path / "m.docx", "", rows)))
    assert (
        "2024-25: Children placed more than 20 miles from home (%) 0% is a percentage of 3 children"
        in found
    )


def test_eet_neet_in_touch_attack_is_flagged(tmp_path):
    # 20 care leavers, 75% in touch (5 not), 55% EET (11): NEET "<5" is 20 - 11 - 5 = 4.
    # With in touch withheld as well, NEET + not in touch = 9: 1 + 8 to 4 + 5, safe.
    rows = [
        ["Care leavers aged 19 to 21", "20", "25", "38,440", "281"],
        ["Care leavers aged 19 to 21 in touch (%)", "75%", "n/a", "n/a", "n/a"],
        [
            "Care leavers aged 19 to 21 in education, employment or training (%)",
            "55%",
            "n/a",
            "54%",
            "58%",
        ],
        [
            "Care leavers aged 19 to 21 not in education, employment or training (%)",
            "<5",
            "n/a",
            "40%",
            "35%",
        ],
    ]
    found = recoverable(read_report(_planted_docx(tmp_path / "n.docx", "", rows)))
    assert [f.split(" (")[0] for f in found] == [
        "2024-25: Care leavers aged 19 to 21 NEET is withheld but is 4"
    ]
    rows[1][1] = "withheld"
    assert recoverable(read_report(_planted_docx(tmp_path / "o.docx", "", rows))) == []


def test_withheld_groups_adding_up_to_a_small_number_are_flagged(tmp_path):
    # 32 children: White 21, Black 8, two groups "<5", none in the rest: the two are 3 children
    rows = [
        ["Children looked after at 31 March", "32", "27", "81,770", "639"],
        ["Ethnicity: White", "21", "15", "n/a", "n/a"],
        ["Ethnicity: Mixed or Multiple ethnic groups", "<5", "0", "n/a", "n/a"],
        ["Ethnicity: Asian or Asian British", "<5", "0", "n/a", "n/a"],
        ["Ethnicity: Black, African, Caribbean or Black British", "8", "12", "n/a", "n/a"],
        ["Ethnicity: Other ethnic group", "0", "0", "n/a", "n/a"],
        ["Ethnicity: Refused or information not yet available", "0", "0", "n/a", "n/a"],
    ]
    found = recoverable(read_report(_planted_docx(tmp_path / "g.docx", "", rows)))
    assert [f.split(": Children looked after")[0] for f in found] == [
        "2024-25: Ethnicity: Mixed or Multiple ethnic groups, Ethnicity: Asian or Asian British "
        "are withheld but add up to 3"
    ]
    rows[4][1] = "withheld"  # 11 between three groups: 1 + 1 + 9 ... 4 + 2 + 5
    assert recoverable(read_report(_planted_docx(tmp_path / "h.docx", "", rows))) == []


def _synth_report(out: Path, code: str, seed: int) -> subprocess.Popen:
    """Start ``reportgen synth --seed`` then ``reportgen report`` for one authority."""
    returns = out / f"{code}-{seed}"
    script = (
        f"{sys.executable} -m reportgen.cli.app synth --authority {code} --years 2022-23:2024-25 "
        f"--seed {seed} --out {returns} && {sys.executable} -m reportgen.cli.app report "
        f"--authority {code} --source ssda903 --input {returns} --period {PERIOD} "
        f"--out {out / 'papers'}"
    )
    return subprocess.Popen(
        ["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.slow
def test_synthetic_reports_of_other_seeds_disclose_nothing(tmp_path):
    # two more seeds, two small authorities, written at the same time (about 40 s on two cores)
    runs = {
        ("E06000017", 3): _synth_report(tmp_path, "E06000017", 3),
        ("E09000001", 7): _synth_report(tmp_path, "E09000001", 7),
    }
    problems = {}
    for (code, seed), process in runs.items():
        output, _ = process.communicate(timeout=900)
        assert process.returncode == 0, output[-3000:]
        (path,) = (tmp_path / "papers" / code).rglob("*.docx")
        doc = read_report(path)
        found = [f"small count in a table: {c}" for c in small_count_cells(doc)]
        found += [f"small count in a sentence: {c}" for c in small_counts_in_sentences(doc)]
        found += recoverable(doc) + appendix_problems(doc)
        if found:
            problems[f"{code} seed {seed}"] = found
    assert not problems, json.dumps(problems, indent=1)
