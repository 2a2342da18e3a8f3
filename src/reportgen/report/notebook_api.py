"""What the report notebooks call: compute one family's indicators, draw its charts, write its JSON.

A notebook holds only its parameters cell and calls to this module (``run_section``), so the
same code runs in the notebook, in tests and in the batch runner. Output, under ``work_dir``:
``<family>.json`` (a :class:`~reportgen.indicators.result.SectionResult`) and ``<family>_*.png``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from reportgen.analysis import suppression
from reportgen.core.config import ReportParams, load_params
from reportgen.core.errors import ParamsError
from reportgen.core.formatting import format_cell
from reportgen.indicators import published
from reportgen.indicators.result import ChartRef, IndicatorResult, SectionResult
from reportgen.report import charts

FAMILIES = ("sufficiency", "adoption", "care_leavers")
CHART_STEMS = frozenset(
    {"sufficiency_cla_rate", "sufficiency_placements", "adoption_orders", "care_leavers_outcomes"}
)
"""Every chart a notebook may draw (one with no published figures is left out)."""

PLACEMENT_GROUPS = {
    "placement_foster_pct": "Foster placements",
    "placement_childrens_homes_pct": "Secure and children's homes",
    "placement_supported_accommodation_pct": "Supported accommodation",
    "placement_with_parents_pct": "Placed with parents",
    "placement_placed_for_adoption_pct": "Placed for adoption",
    "placement_other_residential_pct": "Other residential",
    "placement_residential_schools_pct": "Residential schools",
    "placement_other_pct": "Other placements",
}
CARE_LEAVER_MEASURES = {
    "cl_19_21_eet_pct": "19-21: in education, employment or training",
    "cl_19_21_suitable_accom_pct": "19-21: in suitable accommodation",
    "cl_17_18_eet_pct": "17-18: in education, employment or training",
    "cl_17_18_suitable_accom_pct": "17-18: in suitable accommodation",
}


def compute_indicators(family: str, params: ReportParams) -> list[IndicatorResult]:
    """Indicator results for one family, from the source the params name.

    ``published`` reads the DfE tables; ``ssda903`` validates the returns in ``params.input``
    (refusing on errors unless ``allow_invalid_903``) and computes the authority's figures with
    :mod:`reportgen.indicators.engine`, comparators from the published tables; ``synthetic``
    does the same on returns from :func:`reportgen.sources.synthetic.ensure_return`.

    Raises
    ------
    ParamsError
        For an unknown family, or SOURCE=synthetic before its generator exists.
    DataError
        For 903 returns with validation errors (without the override).
    """
    if family not in FAMILIES:
        raise ParamsError(
            f"unknown report section '{family}': expected one of {', '.join(FAMILIES)}"
        )
    if params.source in ("ssda903", "synthetic"):
        from reportgen.indicators import engine

        return engine.report_results(family, params)
    if params.source != "published":
        raise ParamsError(f"unknown SOURCE={params.source}: use published, ssda903 or synthetic")
    return published.family_results(
        family,
        params.authority_code,
        params.period_obj.collection_year,
        list(params.statistical_neighbours),
    )


def disclosed_indicators(family: str, params: ReportParams) -> list[IndicatorResult]:
    """A family's indicators after disclosure control (:mod:`reportgen.analysis.suppression`).

    Figures from an authority's own data are checked across all three families at once (a
    total in one family can reveal a part in another); published figures keep the DfE's markers.
    """
    own = compute_indicators(family, params)
    if params.source == "published":
        return own
    everything = [
        r for f in FAMILIES for r in (own if f == family else compute_indicators(f, params))
    ]
    return [r for r in suppression.apply(everything, params.disclosure) if r.family == family]


def _chart_builders(
    family: str, section: SectionResult
) -> list[tuple[str, str, Callable[[], tuple[Any, str]]]]:
    """(file stem, caption, builder) for each chart of a family."""
    name = section.authority_name
    period = section.period
    found = {r.id: r for r in section.indicators}
    if family == "sufficiency":
        placements = [i for i in PLACEMENT_GROUPS if i in found]
        return [
            (
                "sufficiency_cla_rate",
                f"Children looked after per 10,000 children aged under 18, {name}, England and "
                "statistical neighbours",
                lambda: charts.trend_chart(
                    found["cla_rate_per_10k"], name, "Rate per 10,000 children"
                ),
            ),
            (
                "sufficiency_placements",
                f"Children looked after at 31 March by placement type, {period} (per cent)",
                lambda: charts.comparison_bars(
                    [found[i] for i in placements],
                    [PLACEMENT_GROUPS[i] for i in placements],
                    name,
                    f"children looked after at 31 March by placement type, {period}",
                ),
            ),
        ]
    if family == "adoption":
        return [
            (
                "adoption_orders",
                f"Children who left care through adoption or a special guardianship order, {name}",
                lambda: charts.count_trend_bars(
                    [found["adopted"], found["sgo"]],
                    ["Adopted", "Special guardianship orders"],
                    name,
                ),
            )
        ]
    measures = [i for i in CARE_LEAVER_MEASURES if i in found]
    return [
        (
            "care_leavers_outcomes",
            f"Care leavers in education, employment or training and in suitable accommodation, "
            f"{period} (per cent)",
            lambda: charts.comparison_bars(
                [found[i] for i in measures],
                [CARE_LEAVER_MEASURES[i] for i in measures],
                name,
                f"care leavers' activity and accommodation around their birthday, {period}",
            ),
        )
    ]


def draw_charts(section: SectionResult, work_dir: Path) -> list[ChartRef]:
    """Draw a family's charts as PNGs in ``work_dir`` and return references to them."""
    refs = []
    for stem, caption, build in _chart_builders(section.family, section):
        try:
            figure, alt_text = build()
        except charts.NoDataError:
            continue  # nothing published to draw: the narrative says so instead

        path = charts.save_png(figure, work_dir / f"{stem}.png")
        refs.append(ChartRef(file=path.name, caption=caption, alt_text=alt_text))
    return refs


def section_path(work_dir: Path, family: str) -> Path:
    """Where a family's JSON lives."""
    return work_dir / f"{family}.json"


def write_section(section: SectionResult, work_dir: Path) -> Path:
    """Write ``<family>.json``."""
    path = section_path(work_dir, section.family)
    path.write_text(json.dumps(section.model_dump(mode="json"), indent=1, sort_keys=True) + "\n")
    return path


def read_section(work_dir: Path, family: str) -> SectionResult:
    """Read a family's JSON written by its notebook."""
    return SectionResult.model_validate_json(section_path(work_dir, family).read_text())


def run_section(family: str, params: dict[str, Any] | None, work_dir: str) -> SectionResult:
    """Everything a report notebook does: indicators, charts and JSON for one family.

    Parameters
    ----------
    family
        ``sufficiency``, ``adoption`` or ``care_leavers``.
    params
        The validated report parameters as literal values (``ReportParams.to_notebook_parameters``);
        None (an analyst running the notebook by hand) means the defaults (``load_params()``).
    work_dir
        Folder for the JSON and PNG files.
    """
    report_params = (
        load_params() if params is None else ReportParams.from_notebook_parameters(params)
    )
    folder = Path(work_dir)
    folder.mkdir(parents=True, exist_ok=True)
    section = SectionResult(
        family=family,
        authority_code=report_params.authority_code,
        authority_name=report_params.authority_name,
        period=report_params.period,
        source=report_params.source,
        indicators=disclosed_indicators(family, report_params),
    )
    if family == "sufficiency" and report_params.source != "published":
        from reportgen.indicators.engine import monthly

        section.monthly = suppression.monthly(
            monthly(report_params), report_params.disclosure, section.get("cla_at_end")
        )
    section.charts = draw_charts(section, folder)
    write_section(section, folder)
    return section


def show_charts(section: SectionResult, work_dir: str) -> list[Any]:
    """The section's charts as IPython images, for display in a notebook."""
    from IPython.display import Image

    return [Image(filename=str(Path(work_dir) / chart.file)) for chart in section.charts]


def summary_frame(section: SectionResult) -> pd.DataFrame:
    """A display table of a section's indicators for analysts (formatted like the report)."""
    return pd.DataFrame(
        [
            {
                "id": r.id,
                "indicator": r.title,
                section.authority_name: format_cell(r.value, r.unit, r.marker),
                "previous year": format_cell(r.previous, r.unit, r.previous_marker),
                "England": format_cell(r.england, r.unit, r.england_marker),
                "statistical neighbours": format_cell(r.sn_mean, r.unit),
            }
            for r in section.indicators
        ]
    ).set_index("id")
