"""Charts say why a bar is missing, and keep their legend off the bars (issue 16)."""

from __future__ import annotations

import matplotlib.pyplot as plt

from reportgen.indicators.result import IndicatorResult
from reportgen.report import charts


def _result(**fields) -> IndicatorResult:
    base = {
        "id": "x",
        "family": "adoption",
        "title": "Children adopted",
        "unit": "count",
        "period": "2024-25",
        "polarity": "higher_is_better",
    }
    return IndicatorResult(**{**base, **fields})


def _texts(figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].texts]


def test_a_withheld_trend_year_is_labelled_not_left_as_a_gap():
    # City of London's adoptions: the DfE published 'c' for 2021 and 2024 (checked in the CSV)
    adopted = _result(
        trend={"2020-21": None, "2021-22": 5.0, "2022-23": 6.0, "2023-24": None, "2024-25": 7.0},
        trend_markers={"2020-21": "c", "2023-24": "c"},
    )
    figure, _ = charts.count_trend_bars([adopted], ["Adopted"], "City of London")
    assert _texts(figure).count("withheld") == 2
    plt.close(figure)


def test_a_missing_comparison_bar_says_why_and_the_legend_sits_below_the_bars():
    eet = _result(
        id="y",
        unit="percent",
        title="In suitable accommodation",
        value=None,
        marker="c",
        england=91.0,
        sn_mean=88.0,
        sn_n=10,
    )
    figure, _ = charts.comparison_bars([eet], ["17-18: suitable"], "Rutland", "care leavers")
    assert "withheld" in _texts(figure)
    legend = figure.axes[0].get_legend()
    assert legend.get_bbox_to_anchor().y0 < figure.axes[0].get_window_extent().y0
    plt.close(figure)
