"""What the report notebooks call: compute one family's indicators, draw its charts, write its JSON.

A notebook holds only its parameters cell and calls to this module (``resolve_params``,
``run_section``, ``summary_table``, ``show_charts``), so the same code runs in the notebook, in tests
and in the batch runner. Output, under ``work_dir``: ``<family>.json`` (a
:class:`~reportgen.indicators.result.SectionResult`) and ``<family>_*.png``; for 903 and synthetic
sources the sufficiency section also writes ``breakdowns.json`` (:mod:`reportgen.report.breakdowns`).

Two routes give a notebook its parameters: an analyst sets plain values (``authority``,
``period``, ``source``, ...) in the parameters cell or with ``papermill -p``, and
:func:`resolve_params` loads them with :func:`~reportgen.core.config.load_params`, as
``make report`` does; the report runner injects ``params``, the whole validated parameters.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from reportgen.analysis import suppression
from reportgen.core.config import ReportParams, load_params
from reportgen.core.errors import ParamsError, ReportgenError
from reportgen.core.formatting import format_cell
from reportgen.core.paths import PROJECT_ROOT
from reportgen.indicators import published, registry
from reportgen.indicators.result import ChartRef, IndicatorResult, SectionResult

FAMILIES = ("sufficiency", "adoption", "care_leavers")
CHART_STEMS = frozenset(registry.CHARTS)
"""Every chart a notebook may draw (one with no published figures is left out)."""

# Which indicators each chart shows, and their bar labels, are declared in the registry
# (``Indicator.shown``); these are read afresh for each section, so a declaration added at run
# time (a test's temporary registry) reaches the charts too.


def compute_sections(params: ReportParams) -> dict[str, SectionResult]:
    """Every family's :class:`SectionResult` for ``params``, computed here without a notebook
    or disclosure control (for analysts and tests that build a report in one process)."""
    return {f: _section(f, params, compute_indicators(f, params)) for f in FAMILIES}


def _section(family: str, params: ReportParams, indicators: list[IndicatorResult]) -> SectionResult:
    """A family's :class:`SectionResult`: its indicators with the params' authority and period."""
    return SectionResult(
        family=family,
        authority_code=params.authority_code,
        authority_name=params.authority_name,
        period=params.period.label,
        source=params.source,
        indicators=indicators,
    )


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
        params.period.collection_year,
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
    from reportgen.report import charts  # matplotlib: only where charts are drawn (the kernel)

    name = section.authority_name
    period = section.period
    found = {r.id: r for r in section.indicators}
    (rate_id,) = registry.chart_labels("sufficiency_cla_rate")
    placement_groups = registry.chart_labels("sufficiency_placements")
    orders = registry.chart_labels("adoption_orders")
    care_leaver_measures = registry.chart_labels("care_leavers_outcomes")
    if family == "sufficiency":
        placements = [i for i in placement_groups if i in found]
        return [
            (
                "sufficiency_cla_rate",
                f"Children looked after per 10,000 children aged under 18, {name}, England and "
                "statistical neighbours",
                lambda: charts.trend_chart(found[rate_id], name, "Rate per 10,000 children"),
            ),
            (
                "sufficiency_placements",
                f"Children looked after at 31 March by placement type, {period} (per cent)",
                lambda: charts.comparison_bars(
                    [found[i] for i in placements],
                    [placement_groups[i] for i in placements],
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
                    [found[i] for i in orders],
                    list(orders.values()),
                    name,
                ),
            )
        ]
    measures = [i for i in care_leaver_measures if i in found]
    return [
        (
            "care_leavers_outcomes",
            f"Care leavers in education, employment or training and in suitable accommodation, "
            f"{period} (per cent)",
            lambda: charts.comparison_bars(
                [found[i] for i in measures],
                [care_leaver_measures[i] for i in measures],
                name,
                f"care leavers' activity and accommodation around their birthday, {period}",
            ),
        )
    ]


def draw_charts(section: SectionResult, work_dir: Path) -> list[ChartRef]:
    """Draw a family's charts as PNGs in ``work_dir`` and return references to them."""
    from reportgen.report import charts

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


def _project_path(value: str | Path | None) -> Path | None:
    """A path given in a notebook: relative paths are taken from the project folder (a notebook
    runs in its own folder, ``notebooks/reports``, which nobody means)."""
    if value is None:
        return None
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _text(value: object) -> str | None:
    """``papermill -p period 2024`` or ``-p authority 855`` arrive as ints: use them as text."""
    return None if value is None else str(value)


def _short_reportgen_errors() -> None:
    """In Jupyter, show a :class:`ReportgenError` as its one-line message, as the CLI does
    (``%tb`` still shows the full traceback); outside IPython, do nothing."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the kernel
        return
    shell = get_ipython()
    if shell is None:
        return

    def one_line(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None):
        shell.showtraceback((etype, value, tb), exception_only=True)

    shell.set_custom_exc((ReportgenError,), one_line)


def resolve_params(
    params: dict[str, Any] | None = None,
    *,
    authority: str | int | None = None,
    period: str | int | None = None,
    source: str | None = None,
    input: str | Path | None = None,
    layout: str | None = None,
    out: str | Path | None = None,
    params_file: str | Path | None = None,
) -> ReportParams:
    """A notebook's report parameters, from its parameters cell.

    Parameters
    ----------
    params
        The whole validated parameters, as the report runner injects them
        (``ReportParams.to_notebook_parameters``); when given, the plain values are ignored.
    authority, period, source, input, layout, out, params_file
        What an analyst sets in the parameters cell or with ``papermill -p``: the same values
        as ``make report`` takes (``AUTHORITY=``, ``PERIOD=``, ... ``PARAMS=``), loaded the
        same way (:func:`~reportgen.core.config.load_params`: ``params/defaults.yaml``, the
        authority's file, then these). ``None`` means not given. Relative paths are taken
        from the project folder.

    Returns
    -------
    ReportParams

    Raises
    ------
    ReportgenError
        The CLI's error for the same bad value (unknown authority, a period with no published
        data, ...); in Jupyter it is shown as that one line.
    """
    if params is not None:
        return ReportParams.from_notebook_parameters(params, check_indicator=registry.get)
    _short_reportgen_errors()
    return load_params(
        _text(authority),
        _text(period),
        source=source,
        input=_project_path(input),
        layout=layout,
        out=_project_path(out),
        params_file=_project_path(params_file),
        check_indicator=registry.get,
    )


def default_work_dir(params: ReportParams) -> Path:
    """Where a notebook run by hand writes: ``out/<code>/<period>/work`` under the project
    (or under ``params.out`` when that is absolute)."""
    work = params.out_dir / "work"
    return work if work.is_absolute() else PROJECT_ROOT / work


def run_section(
    family: str,
    params: ReportParams | dict[str, Any] | None,
    work_dir: str | Path | None = None,
) -> SectionResult:
    """Everything a report notebook does: indicators, charts and JSON for one family.

    Parameters
    ----------
    family
        ``sufficiency``, ``adoption`` or ``care_leavers``.
    params
        The report parameters (:func:`resolve_params`), or the validated parameters as literal
        values (``ReportParams.to_notebook_parameters``); None means the defaults
        (:func:`resolve_params` with no values: Leicestershire, the latest published year).
    work_dir
        Folder for the JSON and PNG files; None: :func:`default_work_dir`.
    """
    if isinstance(params, ReportParams):
        report_params = params
    else:
        report_params = resolve_params(params)
    folder = Path(work_dir) if work_dir is not None else default_work_dir(report_params)
    folder.mkdir(parents=True, exist_ok=True)
    section = _section(family, report_params, disclosed_indicators(family, report_params))
    if family == "sufficiency" and report_params.source != "published":
        from reportgen.indicators.engine import monthly

        section.monthly = suppression.monthly(
            monthly(report_params), report_params.disclosure, section.get("cla_at_end")
        )
        from reportgen.report import breakdowns  # driver sentences' counts (issue 16)

        breakdowns.write(report_params, folder, section.indicators)
    section.charts = draw_charts(section, folder)
    write_section(section, folder)
    return section


def show_charts(section: SectionResult, work_dir: str | Path) -> list[Any]:
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


WHOLE_TABLE_OPTIONS = (
    "display.max_rows",
    None,
    "display.max_columns",
    None,
    "display.max_colwidth",
    None,
    "display.width",
    None,
)
"""pandas display options under which :class:`WholeTable` renders: every row, column and
character (pandas' defaults show 10 of 78 rows and cut ids and labels at 50 characters)."""


class WholeTable:
    """A table that Jupyter (and so the executed notebook and its HTML) shows whole.

    Parameters
    ----------
    frame
        The table.
    caption
        Shown above it in HTML.
    """

    def __init__(self, frame: pd.DataFrame, caption: str = ""):
        self.frame = frame
        self.caption = caption

    def _repr_html_(self) -> str:
        with pd.option_context(*WHOLE_TABLE_OPTIONS):
            html = self.frame.to_html(notebook=True)
        if not self.caption:
            return html
        from html import escape

        return f"<p><strong>{escape(self.caption)}</strong></p>\n{html}"

    def __repr__(self) -> str:
        with pd.option_context(*WHOLE_TABLE_OPTIONS):
            text = self.frame.to_string()
        return f"{self.caption}\n{text}" if self.caption else text


def summary_table(section: SectionResult) -> WholeTable:
    """:func:`summary_frame` for display: every indicator, with full ids and labels."""
    caption = f"{section.authority_name}, {section.period} ({section.source} data)"
    return WholeTable(summary_frame(section), caption)
