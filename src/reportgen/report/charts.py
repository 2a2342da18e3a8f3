"""Seaborn charts for the report. Every builder returns ``(figure, alt_text)``.

Charts use a colour-blind-safe palette and never rely on colour alone: series also differ by
marker shape and line style, and values are labelled. PNGs are written without a timestamp
or software tag, so the same data give the same bytes.
"""

from __future__ import annotations

import functools
import itertools
import math
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.patches as mpatches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from reportgen.core.formatting import MARKER_CELL, format_value, is_missing  # noqa: E402
from reportgen.core.periods import parse_period  # noqa: E402
from reportgen.indicators.result import IndicatorResult  # noqa: E402

DPI = 150
PAD_IN = 0.1
"""White space round a chart's tight bounding box, in inches (matplotlib's ``savefig.pad_inches``)."""
SIZE_IN = (7.0, 3.6)
PALETTE = sns.color_palette("colorblind")
SERIES_STYLE = {
    "authority": {"color": PALETTE[0], "marker": "o", "linestyle": "-"},
    "England": {"color": PALETTE[1], "marker": "s", "linestyle": "--"},
    "Statistical neighbours": {"color": PALETTE[2], "marker": "^", "linestyle": ":"},
}
HATCHES = ("", "//", "..")


class NoDataError(Exception):
    """The chart would have nothing to show (every figure suppressed or unpublished)."""


def _theme() -> None:
    sns.set_theme(context="paper", style="whitegrid", font="DejaVu Sans", font_scale=1.1)


def save_png(figure: plt.Figure, path: Path) -> Path:
    """Save ``figure`` as a reproducible PNG (no timestamp or software tag) and close it.

    The image is cropped (or grown) to the figure's tight bounding box plus ``PAD_IN``, as
    ``bbox_inches="tight"`` would, but the box is measured once here instead of by a dry-run
    draw of the whole figure: the figure is drawn once, into the same image. On a chart's own
    canvas (:class:`_Canvas`) the texts measured for the box are not measured again for the draw.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.set_dpi(DPI)
    bbox = figure.get_tightbbox(figure.canvas.get_renderer()).padded(PAD_IN)
    figure.savefig(path, dpi=DPI, bbox_inches=bbox, metadata={"Software": None})
    plt.close(figure)  # a no-op for a chart's own figure, which pyplot does not hold
    return path


class _Canvas(FigureCanvasAgg):
    """Agg canvas of one chart, whose renderers share one memo of text extents.

    ``save_png`` measures the tight bounding box on the canvas's renderer, then ``savefig``
    draws on a new renderer of the cropped size. Matplotlib caches text extents per renderer,
    so every text would be measured twice; an extent depends on the text, its font properties
    and the dpi, not on the size of the image, so the renderers of one canvas share what they
    measured. Only public API: ``get_renderer`` and the renderer's
    ``get_text_width_height_descent``.
    """

    def __init__(self, figure: Figure) -> None:
        super().__init__(figure)
        self._extents: dict[tuple, tuple[float, float, float]] = {}

    def get_renderer(self) -> RendererAgg:
        """The canvas's renderer (a new one when the size or dpi changed), sharing the memo."""
        renderer = super().get_renderer()
        if "get_text_width_height_descent" not in vars(renderer):
            renderer.get_text_width_height_descent = functools.partial(
                _measured, self._extents, renderer.get_text_width_height_descent, renderer.dpi
            )
        return renderer


def _measured(
    memo: dict[tuple, tuple[float, float, float]],
    measure: Callable[[str, FontProperties, bool | str], tuple[float, float, float]],
    dpi: float,
    s: str,
    prop: FontProperties,
    ismath: bool | str,
) -> tuple[float, float, float]:
    """``measure(s, prop, ismath)`` (a renderer's text extent at ``dpi``), remembered in ``memo``."""
    key = (s, prop.copy(), ismath, dpi)  # a copy: FontProperties is mutable, its hash is not fixed
    if (extent := memo.get(key)) is None:
        extent = memo[key] = measure(s, prop, ismath)
    return extent


def _subplots(figsize: tuple[float, float]) -> tuple[Figure, plt.Axes]:
    """A figure with one axes on its own Agg canvas, outside pyplot (nothing to close)."""
    figure = Figure(figsize=figsize)
    _Canvas(figure)
    return figure, figure.subplots()


BAR_WIDTH = 0.8
"""Width of a category's group of bars, in category units (seaborn's default)."""
SATURATION = 0.75
"""Saturation factor applied to the bar colours (seaborn's default for bars)."""


def _bars(
    axes: plt.Axes,
    frame: pd.DataFrame,
    category: str,
    value: str,
    hue: str,
    palette: Sequence[tuple[float, float, float]],
    *,
    order: Sequence[str] | None = None,
    hue_order: Sequence[str] | None = None,
    horizontal: bool = False,
    error_lines: bool = False,
) -> None:
    """Draw grouped bars with matplotlib, exactly as seaborn 0.13.2's ``barplot`` draws them.

    Each bar shows one figure, so there is nothing to average or bootstrap: the artists are
    those ``sns.barplot(frame, x=..., y=..., hue=hue, order=order, hue_order=hue_order,
    palette=palette)`` makes, in the same order and with the same coordinates (including
    seaborn's floating-point steps), so the PNG is byte for byte the same, without seaborn's
    data handling. The caller sets both axis labels and builds the legend itself, from the
    proxy patches added here (as seaborn adds them); seaborn's own interim legend and axis
    labels, which the caller replaces, are not made. Input this does not cover (several rows
    for one bar, values other than text in ``category`` or ``hue``) goes to seaborn itself.

    Parameters
    ----------
    axes
        Where to draw.
    frame
        One row a bar: ``category``, ``value`` and ``hue`` columns. A row with a missing or
        infinite value, or a category or hue level outside ``order``/``hue_order``, draws no
        bar.
    category, value, hue
        Column names: the categorical axis, the bar length, the series.
    palette
        A colour per hue level, in order (desaturated to ``SATURATION``).
    order, hue_order
        Categories and hue levels in order; default: as they first appear in ``frame``.
    horizontal
        Bars along x with the categories down the y axis (seaborn's ``orient="h"``).
    error_lines
        Add the (empty) error-bar line seaborn draws for each bar when ``errorbar`` is left at
        its default: with one figure a bar its interval is NaN, so nothing shows, but the line
        is an artist of the axes like any other.
    """
    if frame.empty:
        return
    cats, hues, values = (frame[c].tolist() for c in (category, hue, value))
    levels = list(order) if order is not None else list(dict.fromkeys(cats))
    hue_levels = list(hue_order) if hue_order is not None else list(dict.fromkeys(hues))
    position = {c: float(i) for i, c in enumerate(levels)}
    wanted = set(hue_levels)
    bars = [
        (h, position[c], float(v))
        for c, h, v in zip(cats, hues, values, strict=True)
        if c in position and h in wanted and v is not None and math.isfinite(v)
    ]
    if not (
        levels
        and palette
        and all(isinstance(x, str) for x in itertools.chain(cats, hues, levels, hue_levels))
        and len(position) == len(levels)
        and len(wanted) == len(hue_levels)
        and len({(h, p) for h, p, _ in bars}) == len(bars)
    ):
        _seaborn_bars(
            axes,
            frame,
            category,
            value,
            hue,
            palette,
            order=order,
            hue_order=hue_order,
            horizontal=horizontal,
            error_lines=error_lines,
        )
        return
    # seaborn dodges the bars when some category has more than one hue level in the data
    dodge = len(set(cats)) != len(set(zip(cats, hues, strict=True)))
    colours = [
        sns.desaturate(c, SATURATION)
        for c in itertools.islice(itertools.cycle(palette), len(hue_levels))
    ]
    cat_axis = axes.yaxis if horizontal else axes.xaxis
    cat_axis.update_units(levels)  # matplotlib's categorical (string) axis, as seaborn sets it
    if horizontal:
        cat_axis.set_inverted(True)  # the first category at the top
    line_width = 1.5 * matplotlib.rcParams["lines.linewidth"]
    n = len(hue_levels)
    for i, (level, colour) in enumerate(zip(hue_levels, colours, strict=True)):
        rows = sorted((p, v) for h, p, v in bars if h == level)
        width = BAR_WIDTH
        centres = [p for p, _ in rows]
        if dodge:  # the same floating-point steps as seaborn's _dodge and _invert_scale
            width = width / n
            offset = width * i + width / 2 - width * n / 2
            centres = [p + offset for p in centres]
        half = width / 2
        edges = np.array([x - half for x in centres], dtype=float)
        widths = np.array([x + half for x in centres], dtype=float) - edges
        lengths = np.array([v for _, v in rows], dtype=float)
        if horizontal:
            axes.barh(
                y=edges, width=lengths, height=widths, align="edge", color=colour, facecolor=colour
            )
        else:
            axes.bar(
                x=edges, height=lengths, width=widths, align="edge", color=colour, facecolor=colour
            )
        if error_lines:
            for x in centres:
                ends = np.array([np.nan, np.nan])
                at = np.array([x, x])
                axes.plot(
                    *((ends, at) if horizontal else (at, ends)), color=".26", linewidth=line_width
                )
    if not all(c == h for c, h in zip(cats, hues, strict=True)):  # else seaborn shows no legend
        for level, colour in zip(hue_levels, colours, strict=True):
            axes.add_artist(mpatches.Rectangle((0, 0), 0, 0, label=level, facecolor=colour))
    ticks = len(cat_axis.get_ticklocs())
    cat_axis.grid(False)
    if horizontal:
        axes.set_ylim(ticks - 0.5, -0.5, auto=None)
    else:
        axes.set_xlim(-0.5, ticks - 0.5, auto=None)


def _seaborn_bars(
    axes: plt.Axes,
    frame: pd.DataFrame,
    category: str,
    value: str,
    hue: str,
    palette: Sequence[tuple[float, float, float]],
    *,
    order: Sequence[str] | None = None,
    hue_order: Sequence[str] | None = None,
    horizontal: bool = False,
    error_lines: bool = False,
) -> None:
    """The bars :func:`_bars` draws, drawn by ``sns.barplot`` itself (same parameters): for the
    input ``_bars`` does not cover, and the reference its tests compare it with."""
    sns.barplot(
        frame,
        x=value if horizontal else category,
        y=category if horizontal else value,
        hue=hue,
        order=order,
        hue_order=hue_order,
        palette=list(palette),
        ax=axes,
        orient="h" if horizontal else None,
        errorbar=("ci", 95) if error_lines else None,
    )


def _mark_bars(axes: plt.Axes, fmt: str = "%.0f") -> None:
    """Tell the series apart without colour (hatching, black edges) and label each bar with its
    value formatted by ``fmt``."""
    for container, hatch in zip(axes.containers, HATCHES, strict=False):
        for bar in container:
            bar.set_hatch(hatch)
            bar.set_edgecolor("black")
            bar.set_linewidth(0.5)
        axes.bar_label(container, fmt=fmt, padding=2, fontsize=7)


def trend_chart(
    result: IndicatorResult, authority_name: str, ylabel: str
) -> tuple[plt.Figure, str]:
    """Line chart of an indicator over five years: authority, England and statistical neighbours.

    Parameters
    ----------
    result
        The indicator, with ``trend``, ``england_trend`` and ``sn_trend``.
    authority_name
        Name used for the authority's series.
    ylabel
        Axis label, e.g. "Rate per 10,000 children".

    Returns
    -------
    figure, alt_text
    """
    _theme()
    series = {
        authority_name: result.trend,
        "England": result.england_trend,
        "Statistical neighbours": result.sn_trend,
    }
    rows = [
        {"Year": year, "Series": name, "Value": value}
        for name, values in series.items()
        for year, value in values.items()
        if not is_missing(value)
    ]
    frame = pd.DataFrame(rows, columns=["Year", "Series", "Value"])
    if frame.empty:
        raise NoDataError(result.id)
    figure, axes = _subplots(SIZE_IN)
    years = list(result.trend)
    for name, style_key in zip(series, SERIES_STYLE, strict=True):
        part = frame[frame["Series"] == name]
        if part.empty:
            continue
        x = [years.index(y) for y in part["Year"]]
        axes.plot(
            x, part["Value"], label=name, linewidth=2, markersize=6, **SERIES_STYLE[style_key]
        )
        last_x, last_y = x[-1], part["Value"].iloc[-1]
        axes.annotate(
            format_value(last_y, result.unit),
            (last_x, last_y),
            textcoords="offset points",
            xytext=(6, 0),
            va="center",
            fontsize=8,
        )
    ticks = list(years)
    period = parse_period(result.period)
    if not period.is_collection_year and not is_missing(result.value):
        # a quarter's or month's paper: its own figure after the whole years, so the chart
        # reaches the date the text reports (a stock, such as a rate at a date, compares)
        x = len(years)
        axes.plot(
            [x],
            [result.value],
            linestyle="",
            markersize=8,
            **{k: v for k, v in SERIES_STYLE["authority"].items() if k != "linestyle"},
        )
        axes.annotate(
            format_value(result.value, result.unit),
            (x, result.value),
            textcoords="offset points",
            xytext=(6, 0),
            va="center",
            fontsize=8,
        )
        ticks.append(f"{period.end.day} {period.end:%b %Y}")
    axes.set_xticks(range(len(ticks)), ticks)
    axes.set_xlim(-0.3, len(ticks) - 0.5)
    axes.set_ylabel(ylabel)
    axes.set_xlabel("Year ending 31 March")
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False, loc="lower left", ncols=3, fontsize=8)
    sns.despine(figure)
    latest = years[-1] if years else result.period
    alt = (
        f"Line chart of {result.title.lower()} from {years[0] if years else latest} to {latest} "
        f"for {authority_name}, England and the statistical neighbour average. "
        f"{_alt_series(authority_name, result.trend, result.unit)} "
        f"England: {format_value(result.england, result.unit, result.england_marker)} "
        f"in {latest}. Statistical neighbours: "
        f"{format_value(result.sn_mean, result.unit)} in {latest}."
    )
    if len(ticks) > len(years):
        alt += f" {authority_name} at {ticks[-1]}: {format_value(result.value, result.unit)}."
    return figure, alt


def _alt_series(name: str, values: dict[str, float | None], unit: str) -> str:
    known = [(y, v) for y, v in values.items() if not is_missing(v)]
    if not known:
        return f"{name}: no published figures."
    (first_year, first), (last_year, last) = known[0], known[-1]
    return (
        f"{name}: {format_value(last, unit)} in {last_year}, "
        f"compared with {format_value(first, unit)} in {first_year}."
    )


def comparison_bars(
    results: Sequence[IndicatorResult],
    labels: Sequence[str],
    authority_name: str,
    title_text: str,
    xlabel: str = "Per cent",
) -> tuple[plt.Figure, str]:
    """Horizontal bars comparing several percentage indicators: authority, England, neighbours.

    Parameters
    ----------
    results
        Percentage indicators, one bar group each.
    labels
        Short label per indicator, in the same order.
    authority_name
        Name of the authority's series.
    title_text
        What the chart shows (used in the alt text).
    xlabel
        Axis label.
    """
    _theme()
    rows = []
    for result, label in zip(results, labels, strict=True):
        for series, value in (
            (authority_name, result.value),
            ("England", result.england),
            ("Statistical neighbours", result.sn_mean),
        ):
            rows.append({"Indicator": label, "Series": series, "Value": value})
    frame = pd.DataFrame(rows, columns=["Indicator", "Series", "Value"])
    if frame["Value"].isna().all():
        raise NoDataError(title_text)
    height = max(2.4, 0.55 * len(labels) + 1.0)
    figure, axes = _subplots((SIZE_IN[0], height))
    plotted = frame.dropna(subset=["Value"])
    _bars(
        axes,
        plotted,
        "Indicator",
        "Value",
        "Series",
        PALETTE[:3],
        order=list(labels),
        hue_order=[authority_name, "England", "Statistical neighbours"],
        horizontal=True,
    )
    _mark_bars(axes)
    for i, result in enumerate(results):  # a missing bar says why, instead of a silent gap
        missing = (
            (result.value, result.marker),
            (result.england, result.england_marker),
            (result.sn_mean, None),
        )
        for s, (value, marker) in enumerate(missing):
            if is_missing(value):
                y = i - 0.4 + 0.8 / 3 * (s + 0.5)
                axes.annotate(
                    MARKER_CELL.get(marker or "not published", "n/a"),
                    (0, y),
                    textcoords="offset points",
                    xytext=(3, 0),
                    va="center",
                    fontsize=7,
                )
    axes.set_xlabel(xlabel)
    axes.set_ylabel("")
    # below the bars, so it never covers a bar or its label
    axes.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3)
    sns.despine(figure)
    parts = []
    for result, label in zip(results, labels, strict=True):
        parts.append(
            f"{label}: {authority_name} {format_value(result.value, result.unit, result.marker)}, "
            f"England {format_value(result.england, result.unit, result.england_marker)}, "
            f"statistical neighbours {format_value(result.sn_mean, result.unit)}"
        )
    alt = f"Bar chart of {title_text}. " + "; ".join(parts) + "."
    return figure, alt


def count_trend_bars(
    results: Sequence[IndicatorResult], labels: Sequence[str], authority_name: str
) -> tuple[plt.Figure, str]:
    """Grouped vertical bars of several counts for the authority over five years."""
    _theme()
    rows = [
        {"Year": year, "Measure": label, "Children": value}
        for result, label in zip(results, labels, strict=True)
        for year, value in result.trend.items()
        if not is_missing(value)
    ]
    frame = pd.DataFrame(rows, columns=["Year", "Measure", "Children"])
    if frame.empty or frame["Children"].sum() == 0:
        raise NoDataError(", ".join(labels))
    figure, axes = _subplots(SIZE_IN)
    years = list(results[0].trend) if results else []
    _bars(
        axes,
        frame,
        "Year",
        "Children",
        "Measure",
        PALETTE[: len(labels)],
        order=years,
        hue_order=list(labels),
    )
    _mark_bars(axes)
    # a withheld or unpublished year is labelled, not left as an unexplained gap
    width = 0.8 / max(len(labels), 1)
    for j, result in enumerate(results):
        for i, year in enumerate(years):
            if is_missing(result.trend.get(year)):
                marker = result.trend_markers.get(year) or "not published"
                text = MARKER_CELL.get(marker, "n/a")
                x = i - 0.4 + width * (j + 0.5)
                axes.annotate(
                    text,
                    (x, 0),
                    textcoords="offset points",
                    xytext=(0, 3),
                    ha="center",
                    va="bottom",
                    rotation=90,
                    fontsize=7,
                )
    axes.set_xlabel("Year ending 31 March")
    axes.set_ylabel("Number of children")
    axes.legend(frameon=False, fontsize=8)
    sns.despine(figure)
    parts = [
        _alt_series(label, result.trend, result.unit)
        for result, label in zip(results, labels, strict=True)
    ]
    alt = (
        f"Bar chart of {' and '.join(label.lower() for label in labels)} in {authority_name} "
        f"by year. " + " ".join(parts)
    )
    return figure, alt


def fan_chart(
    history: dict[str, float],
    years: list[dict],
    authority_name: str,
    history_label: str = "published",
) -> tuple[plt.Figure, str]:
    """Fan chart: children looked after as a line, then the projection with 80% and 95% ranges.

    Parameters
    ----------
    history
        ``{year label: children looked after at 31 March}``.
    years
        Projected years: ``{"year", "at", "looked_after": {"central", "low80", "high80", "low95",
        "high95"}}``.
    authority_name
        For the legend and the alt text.
    history_label
        Where the history comes from ("published", "from the returns").

    Returns
    -------
    figure, alt_text
    """
    _theme()
    labels = list(history) + [y["year"] for y in years]
    figure, axes = _subplots(SIZE_IN)
    hx = list(range(len(history)))
    hy = list(history.values())
    axes.plot(
        hx,
        hy,
        label=f"{authority_name} ({history_label})",
        linewidth=2,
        **SERIES_STYLE["authority"],
    )
    fx = [hx[-1]] + [len(history) + i for i in range(len(years))]
    band = {k: [hy[-1]] + [y["looked_after"][k] for y in years] for k in years[0]["looked_after"]}
    axes.fill_between(
        fx, band["low95"], band["high95"], color=PALETTE[0], alpha=0.15, label="95% range"
    )
    axes.fill_between(
        fx,
        band["low80"],
        band["high80"],
        color=PALETTE[0],
        alpha=0.3,
        label="80% range",
        hatch="//",
    )
    axes.plot(
        fx,
        band["central"],
        linestyle="--",
        marker="D",
        color=PALETTE[0],
        linewidth=1.5,
        label="Most likely",
    )
    for x, y in zip(hx, hy, strict=True):
        axes.annotate(
            f"{y:,.0f}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7
        )
    for x, y, lo, hi in zip(
        fx[1:], band["central"][1:], band["low80"][1:], band["high80"][1:], strict=True
    ):
        unit = _rounding_unit(hi - lo)  # never more precise than the range allows
        axes.annotate(
            f"about {round(y / unit) * unit:,.0f}",
            (x, y),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7,
        )
    axes.set_xticks(range(len(labels)), labels)
    axes.set_ylabel("Children looked after at 31 March")
    axes.set_xlabel("Year ending 31 March")
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False, loc="lower left", ncols=4, fontsize=8)
    sns.despine(figure)
    past = "; ".join(f"{k}: {v:,.0f}" for k, v in history.items())
    ahead = "; ".join(_alt_year(y["year"], y["looked_after"]) for y in years)
    alt = (
        f"Fan chart of children looked after by {authority_name} at 31 March: the figures "
        f"{history_label} ({past}), then the projection ({ahead})."
    )
    return figure, alt


def provider_bars(
    shares: dict[str, dict[str, float | None]], labels: dict[str, str]
) -> tuple[plt.Figure, str]:
    """Grouped bars of the share of children by placement provider, for each series.

    Parameters
    ----------
    shares
        ``{series name: {provider key: percent or None}}`` (authority, England, neighbours).
    labels
        Provider key to the label shown.

    Returns
    -------
    figure, alt_text
    """
    _theme()
    rows = [
        {"Provider": textwrap.fill(labels[key], 12), "Series": name, "Percent": value}
        for name, values in shares.items()
        for key, value in values.items()
        if key in labels and isinstance(value, int | float) and not is_missing(value)
    ]
    frame = pd.DataFrame(rows, columns=["Provider", "Series", "Percent"])
    if frame.empty:
        raise NoDataError("providers")
    figure, axes = _subplots(SIZE_IN)
    _bars(axes, frame, "Provider", "Percent", "Series", PALETTE[: len(shares)], error_lines=True)
    _mark_bars(axes)
    axes.set_xlabel("")
    axes.set_ylabel("Children looked after (%)")
    axes.tick_params(axis="x", labelsize=8)
    axes.legend(frameon=False, fontsize=8, ncols=len(shares), loc="upper right")
    sns.despine(figure)
    parts = [
        f"{name}: "
        + ", ".join(
            f"{labels[k]} {v:.0f}%"
            for k, v in values.items()
            if k in labels and isinstance(v, int | float) and not is_missing(v)
        )
        for name, values in shares.items()
    ]
    alt = (
        "Bar chart of the share of children looked after by placement provider. "
        + "; ".join(parts)
        + "."
    )
    return figure, alt


def _rounding_unit(width: float) -> int:
    from reportgen.analysis.forecast import rounding_unit

    return rounding_unit(width)


def _alt_year(year: str, band: dict[str, float]) -> str:
    """One projected year for the alt text, rounded as the paper rounds it."""
    unit = _rounding_unit(band["high80"] - band["low80"])

    def r(v: float) -> str:
        return f"{round(v / unit) * unit:,.0f}"

    return (
        f"{year}: most likely about {r(band['central'])}, 80% range {r(band['low80'])} to "
        f"{r(band['high80'])}, 95% range {r(band['low95'])} to {r(band['high95'])}"
    )


def scenario_chart(scenarios: list[dict], year: str) -> tuple[plt.Figure, str]:
    """Grouped bars: what each scenario saves (or costs) a year against the baseline.

    Parameters
    ----------
    scenarios
        ``{"name", "years": {year: {"looked_after", "annual_cost"}}}``, the baseline first.
    year
        The prices the costs are in ("2024-25").

    Returns
    -------
    figure, alt_text
    """
    _theme()
    base, others = scenarios[0], scenarios[1:]
    years = list(base["years"])
    rows, parts = [], []
    for s in others:
        saved = [
            (base["years"][y]["annual_cost"] - s["years"][y]["annual_cost"]) / 1e6 for y in years
        ]
        rows += [
            {"Year": y, "Scenario": textwrap.fill(s["name"], 45), "Saving": v}
            for y, v in zip(years, saved, strict=True)
        ]
        parts.append(
            f"{s['name']}: "
            + ", ".join(f"{y} £{v:,.1f} million" for y, v in zip(years, saved, strict=True))
        )
    frame = pd.DataFrame(rows, columns=["Year", "Scenario", "Saving"])
    figure, axes = _subplots(SIZE_IN)
    _bars(axes, frame, "Year", "Saving", "Scenario", PALETTE[1 : len(others) + 1], error_lines=True)
    _mark_bars(axes, fmt="£%.1fm")
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xlabel("Year ending 31 March")
    axes.set_ylabel(f"Saving a year (£ million, {year} prices)")
    axes.legend(frameon=False, fontsize=7, loc="upper left")
    sns.despine(figure)
    alt = (
        f"Bar chart of what each scenario would save a year against the baseline (recent trends "
        f"continue), at {year} prices; a negative saving is a cost. " + "; ".join(parts) + "."
    )
    return figure, alt
