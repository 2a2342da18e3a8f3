"""Published indicator values agree with the "Spot check" table of the DfE data README.

The README (``shared/data/dfe/README.md``) was produced independently of this code: each cell is
``LA / England / mean of the LA's 10 statistical neighbours`` with ``(n=...)`` when fewer than 10
neighbours had a number.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportgen.core.tables import load_table
from reportgen.indicators import registry
from reportgen.indicators.published import family_results

README = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dfe" / "README.md"

# Label keyword -> indicator id (first match wins, so "rate" is tested before "number").
LABELS = [
    ("rate per 10,000", "cla_rate_per_10k"),
    ("CLA at 31 March (number)", "cla_at_end"),
    ("Started", "started"),
    ("Ceased", "ceased"),
    ("3+", "stability_3plus_pct"),
    ("long-term", "stability_long_term_pct"),
    ("EET", "cl_19_21_eet_pct"),
    ("suitable", "cl_19_21_suitable_accom_pct"),
]
CELL = re.compile(
    r"^\s*(?P<la>[\d.]+)\s*/\s*(?P<england>[\d.]+)\s*/\s*(?P<sn>[\d.]+)"
    r"(?:\s*\(n=(?P<n>\d+)\))?\s*$"
)
TOLERANCE = 0.05


def _indicator_id(label: str) -> str:
    for keyword, indicator_id in LABELS:
        if keyword in label:
            return indicator_id
    raise AssertionError(f"spot check label not mapped: {label!r}")


def _spot_check_rows() -> list[dict]:
    """Rows of the README's spot-check table: LA, indicator id, {year: cell}."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Spot check", 1)[1]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    years = [int(y) for y in header[2:]]
    rows = []
    for line in lines[2:]:  # skip the header and the :--- line
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(
            {
                "la": cells[0],
                "label": cells[1],
                "indicator": _indicator_id(cells[1]),
                "cells": dict(zip(years, cells[2:], strict=True)),
            }
        )
    return rows


def _params() -> list:
    if not README.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{README} not found"))]
    return [pytest.param(row, id=f"{row['la']}-{row['indicator']}") for row in _spot_check_rows()]


@pytest.fixture(scope="module")
def codes() -> dict[str, dict[str, str]]:
    """LA name -> new code and DfE number -> new code, from the CLA numbers file."""
    table = load_table("cla_number_and_rate_per_10k_children")
    la = table[table["geographic_level"].eq("Local authority")]
    pairs = la[["old_la_code", "new_la_code", "la_name"]].drop_duplicates()
    return {
        "by_name": dict(zip(pairs["la_name"], pairs["new_la_code"], strict=True)),
        "by_old": dict(zip(pairs["old_la_code"], pairs["new_la_code"], strict=True)),
        "old_by_name": dict(zip(pairs["la_name"], pairs["old_la_code"], strict=True)),
    }


def _neighbours(la_name: str, codes: dict[str, dict[str, str]]) -> list[str]:
    model = load_table("sn_model_2025_wide")
    row = model[model["old_la_code"].eq(codes["old_by_name"][la_name])].iloc[0]
    return [codes["by_old"][row[f"SN_{i}"]] for i in range(1, 11)]


def test_spot_check_table_is_parsed():
    if not README.exists():
        pytest.skip(f"{README} not found")
    rows = _spot_check_rows()
    assert len(rows) == 32  # 4 LAs x 8 indicators
    assert {row["indicator"] for row in rows} == {indicator_id for _, indicator_id in LABELS}


@pytest.mark.parametrize("row", _params())
def test_published_values_match_spot_check(row, codes):
    la_code = codes["by_name"][row["la"]]
    neighbours = _neighbours(row["la"], codes)
    assert len(neighbours) == 10
    family = registry.get(row["indicator"]).family
    for year, cell in row["cells"].items():
        match = CELL.match(cell)
        assert match, f"cannot read spot-check cell {cell!r}"
        results = family_results(family, la_code, year, neighbours)
        result = next(r for r in results if r.id == row["indicator"])
        where = f"{row['la']} {row['indicator']} {year}"

        assert result.value == pytest.approx(float(match["la"]), abs=TOLERANCE), where
        assert result.england == pytest.approx(float(match["england"]), abs=TOLERANCE), where
        assert result.sn_mean == pytest.approx(float(match["sn"]), abs=TOLERANCE), where
        assert result.sn_n == (int(match["n"]) if match["n"] else 10), where


@pytest.mark.parametrize("row", _params())
def test_trends_match_spot_check(row, codes):
    """One call for the latest year gives the five-year series of the whole row."""
    la_code = codes["by_name"][row["la"]]
    family = registry.get(row["indicator"]).family
    latest = max(row["cells"])
    results = family_results(family, la_code, latest, _neighbours(row["la"], codes))
    result = next(r for r in results if r.id == row["indicator"])
    assert list(result.trend) == [f"{y - 1}-{y % 100:02d}" for y in sorted(row["cells"])]
    for (year, cell), period in zip(sorted(row["cells"].items()), result.trend, strict=True):
        match = CELL.match(cell)
        assert match
        assert result.trend[period] == pytest.approx(float(match["la"]), abs=TOLERANCE)
        assert result.england_trend[period] == pytest.approx(float(match["england"]), abs=TOLERANCE)
        assert result.sn_trend[period] == pytest.approx(float(match["sn"]), abs=TOLERANCE), year
