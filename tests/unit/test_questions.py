"""Questions for the committee: findings and selection, worked out by hand from the rules."""

from __future__ import annotations

from reportgen.indicators.result import IndicatorResult
from reportgen.report import questions as qs

YEARS = ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")


def r(id, unit, values, polarity="neutral", england=None, title=None, **kw):
    """An indicator whose trend is ``values`` over the last years, the last being 2024-25."""
    trend = dict(zip(YEARS[-len(values) :], values, strict=True))
    return IndicatorResult(
        id=id,
        family="sufficiency",
        title=title or id,
        unit=unit,
        polarity=polarity,
        period="2024-25",
        value=values[-1],
        previous=values[-2] if len(values) > 1 else None,
        england=england,
        trend=trend,
        **kw,
    )


def test_sustained_adverse_trend():
    # 8, 10, 12, 14 with lower better: worse 3 years running, by 6 points (2 thresholds)
    homes = r("homes", "percent", [8, 10, 12, 14], "lower_is_better", title="Homes (%)")
    q = qs.finding(homes, "12", "2024-25")
    assert q is not None and (q.kind, q.score) == ("sustained", 5.0)
    assert q.text == (
        "Homes: 14% in 2024-25, worse 3 years running (paragraph 12). What is driving this, "
        "and what is being done to turn it round?"
    )


def test_a_drift_of_two_points_is_not_a_sustained_trend():
    # 98, 97, 96: worse 2 years running but by 2 points only (less than 3)
    accom = r("accom", "percent", [98, 97, 96], "higher_is_better", england=96)
    assert qs.finding(accom, "3", "2024-25") is None


def test_gap_to_england_on_the_worse_side():
    # 40% against England 50%, higher better: 10 points = 2 thresholds -> 1.5 + 2
    eet = r("eet", "percent", [40, 40], "higher_is_better", england=50, title="EET (%)")
    q = qs.finding(eet, "9", "2024-25")
    assert q is not None and (q.kind, q.score) == ("gap", 3.5)
    assert "EET: 40%, worse than England (50%) (paragraph 9)" in q.text
    # the better side raises no question
    assert qs.finding(eet.model_copy(update={"value": 60.0}), "9", "2024-25") is None


def test_sudden_change():
    # usual change 1 (20, 21, 20, 21); 21 -> 30 is 9 usual changes: 1 + 3 (capped)
    rate = r("rate", "rate", [20, 21, 20, 21, 30], england=29, title="Rate")
    q = qs.finding(rate, "7", "2024-25")
    assert q is not None and (q.kind, q.score) == ("sudden", 4.0)
    assert q.text.startswith("Rate changed sharply, from 21 to 30 (paragraph 7).")


def test_figure_resting_on_few_children():
    eet = r("cl_17_18_eet_pct", "percent", [50, 50], "higher_is_better", england=50)
    q = qs.finding(eet, "30", "2024-25", {"cl_17_18_count": 7})
    assert q is not None and q.kind == "few"
    assert "rests on only 7 children (paragraph 30)" in q.text
    assert qs.finding(eet, "30", "2024-25", {"cl_17_18_count": 70}) is None


def test_select_between_three_and_six_each_citing_its_paragraph():
    many = [
        r(f"h{i}", "percent", [8, 10, 12, 14 + i], "lower_is_better", england=10) for i in range(8)
    ]
    numbers = {f"h{i}": str(i + 1) for i in range(8)}
    chosen = qs.select(many, numbers, "2024-25")
    assert len(chosen) == 6
    assert all(f"(paragraph {numbers[q.indicator_id]})" in q.text for q in chosen)
    # no paragraph explains it: no question
    assert qs.select(many, {}, "2024-25") == []


def test_select_fills_up_to_three_with_outlook_questions():
    quiet = [r(f"q{i}", "percent", [50, 50], "higher_is_better", england=50) for i in range(4)]
    numbers = {f"q{i}": str(i + 1) for i in range(4)}
    chosen = qs.select(quiet, numbers, "2024-25")
    assert [q.kind for q in chosen] == ["outlook"] * 3
    assert chosen[0].text == (
        "q0: 50% in 2024-25 (paragraph 1). What does the service expect it to be next year, "
        "and what would change it?"
    )


def test_focused_report_on_the_most_serious_adverse_finding():
    homes = r("homes", "percent", [8, 10, 12, 14], "lower_is_better")
    eet = r("eet", "percent", [40, 40], "higher_is_better", england=50)
    chosen = qs.select([eet, homes], {"homes": "12", "eet": "9"}, "2024-25")
    assert [q.indicator_id for q in chosen][:2] == ["homes", "eet"]
    focus = qs.focused_report(chosen)
    assert focus is not None and focus.indicator_id == "homes"
    assert qs.focused_report([q for q in chosen if q.kind == "outlook"]) is None
