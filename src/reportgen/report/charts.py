"""Seaborn charts for the report. Every builder returns ``(figure, alt_text)``.

Charts use a colour-blind-safe palette and never rely on colour alone: series also differ by
marker shape and line style, and values are labelled. PNGs are written without a timestamp
or software tag, so the same data give the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

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
    draw of the whole figure: the figure is drawn once, into the same image.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.set_dpi(DPI)
    bbox = figure.get_tightbbox(figure.canvas.get_renderer()).padded(PAD_IN)
    figure.savefig(path, dpi=DPI, bbox_inches=bbox, metadata={"Software": None})
    plt.close(figure)
    return path


def _mark_bars(axes: plt.Axes) -> None:
    """Tell the series apart without colour (hatching, black edges) and label each bar."""
    for container, hatch in zip(axes.containers, HATCHES, strict=False):
        for bar in container:
            bar.set_hatch(hatch)
            bar.set_edgecolor("black")
            bar.set_linewidth(0.5)
        axes.bar_label(container, fmt="%.0f", padding=2, fontsize=7)


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
    figure, axes = plt.subplots(figsize=SIZE_IN)
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
    figure, axes = plt.subplots(figsize=(SIZE_IN[0], height))
    plotted = frame.dropna(subset=["Value"])
    sns.barplot(
        data=plotted,
        y="Indicator",
        x="Value",
        hue="Series",
        hue_order=[authority_name, "England", "Statistical neighbours"],
        order=list(labels),
        palette=PALETTE[:3],
        ax=axes,
        orient="h",
        errorbar=None,  # one figure a bar: nothing to bootstrap (and no error bar to draw)
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
    figure, axes = plt.subplots(figsize=SIZE_IN)
    years = list(results[0].trend) if results else []
    sns.barplot(
        data=frame,
        x="Year",
        y="Children",
        hue="Measure",
        order=years,
        hue_order=list(labels),
        palette=PALETTE[: len(labels)],
        ax=axes,
        errorbar=None,  # one figure a bar: nothing to bootstrap (and no error bar to draw)
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
    figure, axes = plt.subplots(figsize=SIZE_IN)
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
    figure, axes = plt.subplots(figsize=SIZE_IN)
    sns.barplot(
        frame, x="Provider", y="Percent", hue="Series", palette=PALETTE[: len(shares)], ax=axes
    )
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
    figure, axes = plt.subplots(figsize=SIZE_IN)
    sns.barplot(
        frame, x="Year", y="Saving", hue="Scenario", palette=PALETTE[1 : len(others) + 1], ax=axes
    )
    for container, hatch in zip(axes.containers, HATCHES, strict=False):
        for bar in container:
            bar.set_hatch(hatch)
            bar.set_edgecolor("black")
            bar.set_linewidth(0.5)
        axes.bar_label(container, fmt="£%.1fm", padding=2, fontsize=7)
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
