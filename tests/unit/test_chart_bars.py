"""The charts' own bars are seaborn's bars, byte for byte, and a chart's texts are measured once."""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

from reportgen.indicators.result import IndicatorResult
from reportgen.report import charts

NAN = math.nan
YEARS = ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]


def _frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


# (name, frame, category, value, hue, palette, order, hue_order, horizontal, error_lines)
CASES = [
    (
        # comparison bars: a missing bar, a category with one series only, England absent there
        "horizontal",
        _frame(
            ["Indicator", "Series", "Value"],
            [("A", "Rutland", 50.5), ("A", "England", 60.0), ("A", "Statistical neighbours", 55.2)]
            + [("B", "Rutland", 20.0), ("B", "Statistical neighbours", 30.0), ("C", "Rutland", 5)],
        ),
        "Indicator",
        "Value",
        "Series",
        charts.PALETTE[:3],
        ["A", "B", "C", "D"],
        ["Rutland", "England", "Statistical neighbours"],
        True,
        False,
    ),
    (
        # a hue level with no row at all: an empty container (which still takes a hatch)
        "horizontal, a series absent",
        _frame(["Indicator", "Series", "Value"], [("A", "Rutland", 1.0), ("B", "Rutland", 2.0)]),
        "Indicator",
        "Value",
        "Series",
        charts.PALETTE[:3],
        ["A", "B"],
        ["Rutland", "England", "Statistical neighbours"],
        True,
        False,
    ),
    (
        # horizontal with the empty error-bar lines, default orders
        "horizontal, error lines",
        _frame(
            ["Indicator", "Series", "Value"],
            [("A", "Rutland", 3.0), ("B", "England", 4.0), ("B", "Rutland", 0.5)],
        ),
        "Indicator",
        "Value",
        "Series",
        charts.PALETTE[:2],
        None,
        None,
        True,
        True,
    ),
    (
        # count trend bars: a year missing for one measure, another year for both
        "vertical, missing years",
        _frame(
            ["Year", "Measure", "Children"],
            [(y, "Adopted", 40 + i) for i, y in enumerate(YEARS) if i != 2]
            + [(y, "SGO", 10 + 2 * i) for i, y in enumerate(YEARS) if i not in (2, 4)],
        ),
        "Year",
        "Children",
        "Measure",
        charts.PALETTE[:2],
        YEARS,
        ["Adopted", "SGO"],
        False,
        False,
    ),
    (
        # provider bars: order by first appearance, palette longer than the series shown,
        # a NaN and an infinite value (no bar), the empty error-bar lines
        "vertical, default order",
        _frame(
            ["Provider", "Series", "Percent"],
            [("own\nprovision", "England", 40.0), ("private", "England", 35.5)]
            + [("voluntary", "England", NAN), ("private", "Statistical neighbours", 30.0)]
            + [("parents", "Statistical neighbours", math.inf), ("own\nprovision", "X", 0.0)],
        ),
        "Provider",
        "Percent",
        "Series",
        charts.PALETTE[:4],
        None,
        None,
        False,
        True,
    ),
    (
        # scenarios: negative savings, one series (no dodge)
        "vertical, one series",
        _frame(
            ["Year", "Scenario", "Saving"], [(y, "Fewer", 1.5 - i) for i, y in enumerate(YEARS)]
        ),
        "Year",
        "Saving",
        "Scenario",
        charts.PALETTE[1:2],
        None,
        None,
        False,
        True,
    ),
    (
        # two rows for one bar: left to seaborn
        "duplicate bar",
        _frame(["Year", "Measure", "Children"], [("2024-25", "A", 3), ("2024-25", "A", 5)]),
        "Year",
        "Children",
        "Measure",
        charts.PALETTE[:1],
        None,
        None,
        False,
        False,
    ),
]


def _png(case: tuple, own: bool, path: Path) -> bytes:
    name, frame, category, value, hue, palette, order, hue_order, horizontal, error_lines = case
    charts._theme()
    figure, axes = charts._subplots(charts.SIZE_IN)
    draw = charts._bars if own else charts._seaborn_bars
    draw(
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
    # what every chart does after its bars
    charts._mark_bars(axes)
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    axes.legend(frameon=False, fontsize=8)
    sns.despine(figure)
    return charts.save_png(figure, path).read_bytes()


@pytest.mark.filterwarnings("ignore:The palette list has more values")
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_the_bars_are_seaborn_barplots_bars_byte_for_byte(case, tmp_path):
    assert _png(case, True, tmp_path / "own.png") == _png(case, False, tmp_path / "sns.png")


def _comparison() -> tuple[plt.Figure, str]:
    result = IndicatorResult(
        id="x",
        family="care_leavers",
        title="In suitable accommodation",
        unit="percent",
        polarity="higher_is_better",
        period="2024-25",
        value=None,
        marker="c",
        england=91.0,
        sn_mean=88.0,
    )
    return charts.comparison_bars([result], ["17-18: suitable"], "Rutland", "care leavers")


def test_a_chart_measures_each_text_once_and_writes_the_same_png(tmp_path, monkeypatch):
    # save_png measures the tight box on one renderer and draws on another of the cropped size;
    # the chart's canvas lets the second reuse what the first measured, same bytes
    calls = []
    measure = RendererAgg.get_text_width_height_descent

    def counted(self, s, prop, ismath):
        calls.append((s, prop.copy(), ismath, self.dpi))
        return measure(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counted)
    shared = charts.save_png(_comparison()[0], tmp_path / "shared.png").read_bytes()
    once = len(calls)
    assert once == len(set(calls))  # nothing measured twice
    calls.clear()
    monkeypatch.setattr(charts._Canvas, "get_renderer", FigureCanvasAgg.get_renderer)
    twice = charts.save_png(_comparison()[0], tmp_path / "twice.png").read_bytes()
    assert len(calls) > once  # without the shared memo, matplotlib measures again
    assert shared == twice


def test_charts_leave_no_figure_open_in_pyplot(tmp_path):
    before = plt.get_fignums()
    figure, _ = _comparison()
    assert isinstance(figure.canvas, charts._Canvas)
    assert plt.get_fignums() == before
    charts.save_png(figure, tmp_path / "c.png")
    assert plt.get_fignums() == before
