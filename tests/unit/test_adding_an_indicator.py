"""The worked example of ``docs/adding-an-indicator.md``, replayed.

The fixture declares the how-to's new published indicator in a temporary registry (and takes it
out again), then checks that the declaration alone brings it to the published values, the
comparison table, Appendix A's definitions, Appendix B's trend table, the narrative context and,
from 903 returns, a "needs published data" sentence.

Expected values were looked up by hand in
``shared/data/dfe/la_cla_on_31_march_by_characteristics.csv`` (grep "4. Placed outside the LA
boundary, more than 20 miles from home"): Leicestershire (E10000018) 2025 137 children, 20%;
2024 120, 17%; 2021 to 2023 15%, 15%, 15%; England 2025 14,660, 18%.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.core.config import load_params
from reportgen.indicators import engine, published, registry
from reportgen.indicators.registry import CLA_CHARACTERISTICS, Indicator, extract, table
from reportgen.indicators.result import SectionResult
from reportgen.model import Table
from reportgen.report import narrative as nv
from reportgen.report.assemble import build_report
from reportgen.report.context import Context, Results
from reportgen.report.narrative_context import NarrativeContext
from reportgen.report.notebook_api import compute_sections
from reportgen.sources import choose

NEW_ID = "placed_outside_la_over_20_miles_pct"
TITLE = "Children placed outside the authority and more than 20 miles from home (%)"
DEFINITION = (
    "Percentage of children looked after at 31 March placed outside the local authority "
    "boundary and more than 20 miles from their home address."
)

# The declaration exactly as docs/adding-an-indicator.md gives it (step 1).
DECLARATION = Indicator(
    NEW_ID,
    "sufficiency",
    TITLE,
    DEFINITION,
    "percent",
    "lower_is_better",
    "children placed outside the boundary and more than 20 miles from home",
    "children looked after at 31 March (excluding short breaks)",
    published=extract(
        CLA_CHARACTERISTICS,
        "children_percent",
        characteristic="Distance between home and placement and locality of placement",
        breakdown="4. Placed outside the LA boundary, more than 20 miles from home",
    ),
    shown=(table("sufficiency", 105),),
    addition="published by the DfE; not in indicators.md §0",
)
VALID_903 = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "valid"


def _clear_caches() -> None:
    for cached in (
        published.published_values,
        published._lookup,
        published._years_by_indicator,
        published._codes,
    ):
        cached.cache_clear()


@pytest.fixture
def declared() -> Iterator[Indicator]:
    """The registry with the how-to's declaration added, restored afterwards."""
    assert NEW_ID not in registry.REGISTRY
    registry.REGISTRY[NEW_ID] = DECLARATION
    _clear_caches()
    try:
        yield DECLARATION
    finally:
        del registry.REGISTRY[NEW_ID]
        _clear_caches()


def _sections(params) -> dict[str, SectionResult]:
    return compute_sections(params)


def _tables(blocks_or_sections) -> list[Table]:
    found = []
    for item in blocks_or_sections:
        for block in getattr(item, "blocks", [item]):
            if isinstance(block, Table):
                found.append(block)
            elif hasattr(block, "blocks"):
                found.extend(_tables([block]))
    return found


def test_without_the_declaration_the_indicator_is_nowhere():
    # The case that fails without step 1.
    assert NEW_ID not in registry.REGISTRY
    assert NEW_ID not in set(published.published_values()["indicator"])
    assert NEW_ID not in NarrativeContext.table_ids("sufficiency")


def test_declaration_gives_published_values_and_results(declared):
    frame = published.published_values()
    rows = frame[frame["indicator"].eq(NEW_ID) & frame["new_la_code"].eq("E10000018")]
    assert dict(zip(rows["year"], rows["value"], strict=True)) == {
        2021: 15.0,
        2022: 15.0,
        2023: 15.0,
        2024: 17.0,
        2025: 20.0,
    }
    result = next(
        r for r in published.family_results("sufficiency", "E10000018", 2025, []) if r.id == NEW_ID
    )
    assert (result.value, result.previous, result.england) == (20.0, 17.0, 18.0)
    assert result.source == CLA_CHARACTERISTICS


def test_declaration_reaches_the_table_the_appendices_and_the_narrative(declared):
    params = load_params()  # Leicestershire, 2024-25, published
    sections = _sections(params)
    report = build_report(params, sections, work_dir=Path("."))

    # The comparison table of the sufficiency section: after "outside the boundary" (100),
    # before UASC (110), as its position 105 says.
    key = next(t for t in _tables(report.sections) if "key indicators" in t.caption)
    titles = [row[0] for row in key.rows]
    assert titles.index(TITLE) == titles.index(registry.get("placed_outside_la_pct").title) + 1
    assert next(row for row in key.rows if row[0] == TITLE)[1:4] == ("20%", "17%", "18%")

    appendix_a, appendix_b = report.appendices[0], report.appendices[1]
    definitions = next(t for t in _tables(appendix_a.sections) if t.caption.startswith("Indic"))
    assert (TITLE, DEFINITION, "CLA at 31 March by characteristics") in definitions.rows
    trend = _tables(appendix_b.sections)[0]
    assert next(row for row in trend.rows if row[0] == TITLE)[1:6] == (
        "15%",
        "15%",
        "15%",
        "17%",
        "20%",
    )

    # The narrative context: the line an author adds to templates/narrative/sufficiency.md.
    context = Context(params, Results(sections), Path("."), "2023-24")
    names = NarrativeContext(context).as_dict()
    assert names["has"](NEW_ID)
    assert NEW_ID in names["table_ids"]("sufficiency").split(", ")
    # The lead of the how-to's step 3, word for word.
    lead = (
        "{value} of children looked after were placed both outside the authority's boundary and "
        "more than 20 miles from home"
    )
    text = names["say"](NEW_ID, lead)
    assert (
        "20% of children looked after were placed both outside the authority's boundary and "
        "more than 20 miles from home, worse than 17% in 2023-24"
    ) in text  # lower is better: 17% -> 20% is worse


def test_published_only_indicator_from_903_says_it_needs_published_data(declared):
    history = choose.load_history(VALID_903)
    results = engine.family_results("sufficiency", history, "E10000018", "2024-25")
    result = next(r for r in results if r.id == NEW_ID)
    assert (result.value, result.marker) == (None, registry.NEEDS_PUBLISHED)
    assert result.england == 18.0  # comparators still come from the published table
    assert nv.unavailable_sentence(result, "2023-24") == (
        f"{TITLE.removesuffix(' (%)')}: the 2024-25 figure needs the DfE's published data (it "
        "is not computed from 903 returns)."
    )
