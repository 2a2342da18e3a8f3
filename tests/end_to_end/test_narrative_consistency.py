"""Ten authorities of different profile: no sentence contradicts its table, openings vary.

Builds each report model in process (indicators, charts and narrative exactly as the notebooks
and assembler make them), then reads every numbered paragraph that explains one indicator shown
in a comparison table and checks its words against that table row.
"""

from __future__ import annotations

import re

import pytest

from reportgen.core.config import load_params
from reportgen.model import Paragraph, Table
from reportgen.report import narrative as nv
from reportgen.report.assemble import build_report
from reportgen.report.notebook_api import FAMILIES, run_section

pytestmark = pytest.mark.slow

# Large county, London boroughs (one tiny), a small unitary, metropolitan districts, a new
# unitary with short history, and authorities with many suppressed figures.
AUTHORITIES = [
    "E10000018",  # Leicestershire
    "E09000028",  # Southwark
    "E09000001",  # City of London (tiny, many suppressed figures)
    "E06000017",  # Rutland (small)
    "E08000025",  # Birmingham (very large)
    "E06000063",  # Cumberland (new in 2023: short trend)
    "E10000019",  # Lincolnshire
    "E08000035",  # Leeds
    "E06000052",  # Cornwall
    "E09000033",  # Westminster (high UASC)
]
RELATION = re.compile(
    r"(higher than|lower than|the same as|similar to) (England|the statistical neighbour average) \(([^)]+)\)"
)
CHANGE = re.compile(
    r"(an increase from|a decrease from|an improvement on|worse than) ([\d,]+%?) in"
)


def number(cell: str) -> float:
    return float(cell.replace(",", "").rstrip("%"))


@pytest.fixture(scope="module", params=AUTHORITIES)
def report(request, tmp_path_factory):
    params = load_params(request.param, "2024-25")
    work = tmp_path_factory.mktemp(request.param)
    sections = {f: run_section(f, params.to_notebook_parameters(), str(work)) for f in FAMILIES}
    return params, sections, build_report(params, sections, work)


def _rows(report_model):
    """Indicator title -> (authority, previous, England, neighbours) cells of comparison tables."""
    rows = {}
    for section in report_model.sections:
        for block in section.blocks:
            if (
                isinstance(block, Table)
                and block.columns[0] == "Indicator"
                and len(block.columns) == 5
            ):
                for row in block.rows:
                    rows.setdefault(row[0], row[1:])
    return rows


def test_sentences_agree_with_their_table_rows(report):
    params, sections, model = report
    results = {r.id: r for s in sections.values() for r in s.indicators}
    rows = _rows(model)
    checked = 0
    for section in model.sections:
        for block in section.blocks:
            if not (isinstance(block, Paragraph) and len(block.anchors) == 1):
                continue
            result = results.get(block.anchors[0])
            if result is None or result.title not in rows:
                continue
            value, previous, england, neighbours = rows[result.title]
            text = block.text
            assert "nan" not in text.lower() and "None" not in text
            if value in ("withheld", "n/a"):
                assert "not" in text or "withheld" in text, text
                continue
            checked += 1
            assert value in text or (value == "0" and "no " in text), (value, text)
            for relation, who, figure in RELATION.findall(text):
                cell = england if who == "England" else neighbours
                assert figure == cell, (figure, cell, text)
                mine, theirs = number(value), number(cell)
                expected = {
                    "higher than": mine > theirs,
                    "lower than": mine < theirs,
                    "the same as": mine == theirs,
                }.get(relation, True)
                assert expected, (relation, value, cell, text)
            for words, figure in CHANGE.findall(text):
                assert figure == previous, (figure, previous, text)
                if words in ("an increase from", "a decrease from"):
                    assert (number(value) > number(previous)) == (words == "an increase from"), text
    assert checked >= 5 or params.authority_code == "E09000001"


def test_no_two_consecutive_paragraphs_open_the_same_way(report):
    """Within a section (a heading between two paragraphs breaks the run)."""
    _, _, model = report
    for section in model.sections:
        previous = None
        for block in section.blocks:
            if isinstance(block, Paragraph) and block.numbered:
                here = nv.opening(block.text)
                assert here != previous, block.text
                previous = here


def test_no_empty_or_placeholder_text(report):
    _, _, model = report
    for section in model.sections:
        assert section.blocks, section.heading
        for block in section.blocks:
            if isinstance(block, Paragraph):
                assert block.text.strip() and "{" not in block.text and "\u27e6" not in block.text
