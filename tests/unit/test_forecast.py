"""The published-source forecast: hand-worked projections, refusals, ranges and the back-test.

The expected numbers are worked out by hand in the comments, not copied from program output.
"""

from __future__ import annotations

import json
import math
import re
import time

import pytest

from reportgen.analysis.forecast import (
    Band,
    ForecastError,
    ForecastHistory,
    RateVariation,
    backtest,
    central_path,
    describe,
    describe_backtest,
    history_from_published,
    pooled_variation,
    project,
    rounding_unit,
    summary_json,
    time_period,
    year_label,
)

YEARS = ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")


def steady(n: int = 5, stock: float = 700, flow: float = 300, population: float = 100_000, **kw):
    """A history in balance: 700 in care, 300 start and 300 leave each year, 100,000 children.

    Entry rate 300 / 100,000 x 10,000 = 30 per 10,000; exit share 300 / (700 + 300) = 0.3;
    reconciliation (700 + 300) / (700 + 300) = 1.
    """
    return ForecastHistory(
        authority_code="E99999999",
        authority_name="Steadyshire",
        years=YEARS[-n:] if n else (),
        looked_after=(stock,) * n,
        starts=(flow,) * n,
        ceased=(flow,) * n,
        population=(population,) * n,
        **kw,
    )


# ---------------------------------------------------------------------------------------------
# Years
# ---------------------------------------------------------------------------------------------


def test_year_forms() -> None:
    assert time_period("2024-25") == 2025
    assert time_period("2024/25") == 2025
    assert time_period(2025) == 2025
    assert time_period(202425) == 2025
    assert year_label(2025) == "2024-25"
    with pytest.raises(ForecastError, match="2024-25"):
        time_period("2024-26")


# ---------------------------------------------------------------------------------------------
# Hand-worked projections
# ---------------------------------------------------------------------------------------------


def test_constant_rates_and_population_stay_flat() -> None:
    history = steady()
    path = central_path(history, horizon=4)
    # each year: (700 + 300) x 1 = 1,000 in care during the year; 0.3 x 1,000 = 300 leave; 700 stay
    assert path.looked_after == pytest.approx((700, 700, 700, 700))
    assert path.starts == pytest.approx((300, 300, 300, 300))
    assert path.leavers == pytest.approx((300, 300, 300, 300))
    assert path.entry_rate_per_10k == pytest.approx((30, 30, 30, 30))
    assert path.exit_share == pytest.approx((0.3, 0.3, 0.3, 0.3))

    # no variation in the history and expected flows: every simulation is the central path
    forecast = project(history, horizon=4, n_sims=200, stochastic_flows=False)
    for year in forecast.years:
        band = year.looked_after
        assert (band.central, band.low80, band.high80, band.low95, band.high95) == pytest.approx(
            (700,) * 5
        )
        assert year.rate_per_10k.central == pytest.approx(70)  # 700 / 100,000 x 10,000


def test_constant_history_with_random_flows_is_centred_on_the_stock() -> None:
    forecast = project(steady(), horizon=3, n_sims=2000, seed=7)
    for year in forecast.years:
        # one year's spread is about sqrt(300 + 1,000 x 0.3 x 0.7) = 22; the median of 2,000 draws
        # is within about 1 of its expectation
        assert abs(year.looked_after.central - 700) <= 5
        assert year.looked_after.low80 < 700 < year.looked_after.high80


def test_doubled_entry_rate_moves_the_projection_by_the_hand_worked_amount() -> None:
    path = central_path(steady(), horizon=3, entry_rate_change=1.0)
    # exit share stays 0.3 (anchored to the baseline); entries 2 x 300 = 600 a year
    # year 1: (700 + 600) x 0.7 = 910, leavers 0.3 x 1,300 = 390
    # year 2: (910 + 600) x 0.7 = 1,057, leavers 0.3 x 1,510 = 453
    # year 3: (1,057 + 600) x 0.7 = 1,159.9, leavers 0.3 x 1,657 = 497.1
    assert path.starts == pytest.approx((600, 600, 600))
    assert path.looked_after == pytest.approx((910, 1057, 1159.9))
    assert path.leavers == pytest.approx((390, 453, 497.1))

    # from the second year only: year 1 stays at 700, then (700 + 600) x 0.7 = 910, ...
    later = central_path(steady(), horizon=3, entry_rate_change=1.0, change_from="2026-27")
    assert later.looked_after == pytest.approx((700, 910, 1057))
    assert later.starts == pytest.approx((300, 600, 600))

    # the simulation without variation agrees with the path
    forecast = project(steady(), horizon=3, entry_rate_change=1.0, stochastic_flows=False)
    assert [y.looked_after.central for y in forecast.years] == pytest.approx([910, 1057, 1159.9])
    assert forecast.assumptions.change_from == "2025-26"


def test_reconciliation_and_exit_trend_by_hand() -> None:
    # stock 100 each year, 50 start, 48 leave: (100 + 48) / (100 + 50) = 0.98667 each year
    history = ForecastHistory(
        authority_code="E99999998",
        authority_name="Trendshire",
        years=YEARS[-3:],
        looked_after=(100.0, 100.0, 100.0),
        starts=(50.0, 50.0, 50.0),
        ceased=(48.0, 48.0, 48.0),
        population=(10_000.0,) * 3,
    )
    path = central_path(history, horizon=2)
    # anchored exit share q* = 1 - 100 / (150 x 0.98667) = 0.324324...; no trend, so flat at 100
    assert path.exit_share[0] == pytest.approx(1 - 100 / (150 * 148 / 150))
    assert path.looked_after == pytest.approx((100, 100))
    assert path.leavers == pytest.approx((48, 48))


# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("years", [0, 1, 2])
def test_fewer_than_three_years_is_refused_with_what_to_add(years: int) -> None:
    with pytest.raises(ForecastError, match="needs at least three years") as error:
        project(steady(years))
    assert "add earlier years" in str(error.value)
    assert "\n" not in str(error.value)
    assert isinstance(error.value, ValueError)


def test_published_authority_with_two_years_is_refused() -> None:
    # Cumberland exists from 2023-24 (the published tables have 'z' before)
    with pytest.raises(
        ForecastError, match="needs at least three years.*2 \\(2023-24 to 2024-25\\)"
    ):
        history_from_published("E06000063", "2024-25")


@pytest.mark.parametrize("horizon", [0, 5, -1])
def test_horizon_outside_one_to_four_is_refused(horizon: int) -> None:
    with pytest.raises(ForecastError, match="from 1 to 4"):
        project(steady(), horizon=horizon)
    with pytest.raises(ForecastError, match="from 1 to 4"):
        central_path(steady(), horizon=horizon)


def test_window_below_three_is_refused() -> None:
    with pytest.raises(ForecastError, match="at least three years"):
        project(steady(), window=2)


# ---------------------------------------------------------------------------------------------
# Ranges
# ---------------------------------------------------------------------------------------------


def test_tiny_authority_never_gets_negative_counts() -> None:
    wild = RateVariation(
        entry_noise=0.5,
        entry_drift=0.5,
        exit_noise=0.5,
        exit_drift=0.5,
        entry_lag1=1.5,
        exit_lag1=1.5,
        entry_dispersion=3.0,
        exit_dispersion=3.0,
        authorities=1,
        last_year="2024-25",
    )
    history = ForecastHistory(
        authority_code="E99999997",
        authority_name="Tinyshire",
        years=YEARS[-3:],
        looked_after=(3.0, 1.0, 4.0),
        starts=(2.0, 0.0, 3.0),
        ceased=(1.0, 2.0, 0.0),
        population=(900.0, 910.0, 905.0),
        variation=wild,
    )
    forecast = project(history, horizon=4, n_sims=1000)
    for year in forecast.years:
        for band in (year.looked_after, year.starts, year.leavers, year.rate_per_10k):
            values = (band.low95, band.low80, band.central, band.high80, band.high95)
            assert min(values) >= 0
            assert list(values) == sorted(values)
        counts = (year.looked_after.low95, year.looked_after.central, year.looked_after.high95)
        assert all(float(v).is_integer() for v in counts)


def test_ranges_widen_with_the_horizon_for_a_real_authority() -> None:
    forecast = project(history_from_published("E10000018", "2024-25"), horizon=4)
    widths = [y.looked_after.high80 - y.looked_after.low80 for y in forecast.years]
    assert widths == sorted(widths)
    for year in forecast.years:
        band = year.looked_after
        assert band.low95 <= band.low80 <= band.central <= band.high80 <= band.high95


def test_same_seed_gives_identical_json_and_another_seed_differs() -> None:
    history = history_from_published("E10000018", "2024-25")
    first = json.dumps(project(history, seed=11).to_dict(), sort_keys=True)
    again = json.dumps(project(history, seed=11).to_dict(), sort_keys=True)
    other = json.dumps(project(history, seed=12).to_dict(), sort_keys=True)
    assert first == again
    assert first != other


def test_one_authority_takes_well_under_half_a_second() -> None:
    history = history_from_published("E10000018", "2024-25")
    project(history, n_sims=1000)  # warm
    start = time.process_time()
    project(history, horizon=4, n_sims=1000)
    assert time.process_time() - start < 0.25


# ---------------------------------------------------------------------------------------------
# Published history
# ---------------------------------------------------------------------------------------------


def test_history_from_published_reads_leicestershire() -> None:
    history = history_from_published("E10000018", "2024-25")
    # the spot-check table in data/published/README.md
    assert history.years == YEARS
    assert history.looked_after == (706, 696, 681, 725, 694)
    assert history.starts == (239, 247, 253, 311, 299)
    assert history.ceased == (188, 262, 271, 275, 332)
    assert history.population[-1] == 147_439  # ONS mid-2024, the DfE's base for 2024-25
    assert history.placement_shares["Foster placements"][0] == pytest.approx(479 / 706)
    assert history.age_shares["16 years and over"][-1] == pytest.approx(214 / 694)
    # nothing after the last year is read
    earlier = history_from_published("E10000018", "2022-23")
    assert earlier.years == YEARS[:3]
    assert earlier.population_years[-1] == "2022-23"
    assert earlier.variation is not None and earlier.variation.last_year == "2022-23"


def test_pooled_variation_is_positive_and_dispersion_bounded() -> None:
    variation = pooled_variation("2024-25")
    assert variation.authorities > 100
    assert variation.entry_lag1 > 0 and variation.exit_lag1 > 0
    assert 1.0 <= variation.entry_dispersion <= 3.0
    assert 1.0 <= variation.exit_dispersion <= 3.0


# ---------------------------------------------------------------------------------------------
# Mix
# ---------------------------------------------------------------------------------------------


def test_mix_trend_is_bounded_and_renormalised() -> None:
    history = steady(
        3,
        placement_shares={
            "Foster placements": (0.5, 0.6, 0.7),
            "Placed for adoption": (0.5, 0.4, 0.3),
            "Residential schools": (math.nan, math.nan, math.nan),
        },
    )
    forecast = project(history, horizon=4, mix_damping=1.0, stochastic_flows=False)
    # straight-line trend of 0.1 a year: foster 0.8, 0.9, 1.0, 1.1 -> 1; adoption 0.2, 0.1, 0, -0.1 -> 0
    foster = [y.placement_mix["Foster placements"] for y in forecast.years]
    adoption = [y.placement_mix["Placed for adoption"] for y in forecast.years]
    assert foster == pytest.approx([0.8, 0.9, 1.0, 1.0])
    assert adoption == pytest.approx([0.2, 0.1, 0.0, 0.0])
    assert forecast.mix_withheld == ("Residential schools",)
    # default: the latest shares held
    held = project(history, horizon=2, stochastic_flows=False)
    assert held.years[1].placement_mix["Foster placements"] == pytest.approx(0.7)


# ---------------------------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------------------------


def test_rounding_unit() -> None:
    assert [rounding_unit(w) for w in (8, 60, 150, 900, 3000)] == [1, 5, 10, 50, 100]


def test_sentences_for_a_steady_authority() -> None:
    forecast = project(steady(), horizon=3, n_sims=2000, seed=3)
    sentences = describe(forecast)
    headline = sentences[0]
    match = re.match(
        r"If recent trends continue, we expect between ([\d,]+) and ([\d,]+) children looked after "
        r"at 31 March 2028, most likely about ([\d,]+): about the same number as at 31 March 2025 \(700\)\.$",
        headline,
    )
    assert match, headline
    low, high, mid = (int(g.replace(",", "")) for g in match.groups())
    unit = rounding_unit(
        forecast.years[-1].looked_after.high80 - forecast.years[-1].looked_after.low80
    )
    assert low % unit == 0 and high % unit == 0 and mid % unit == 0
    assert low <= 700 <= high
    assert any("average rate of 2020-21 to 2024-25 (30 per 10,000" in s for s in sentences)
    assert any("cannot foresee" in s for s in sentences)


def test_sentence_for_a_rise_states_the_yearly_change() -> None:
    forecast = project(steady(), horizon=3, entry_rate_change=1.0, stochastic_flows=False)
    # central 1,159.9 after 3 years: (1,159.9 - 700) / 3 = 153.3 a year, shown to the nearest 5
    headline = describe(forecast)[0]
    assert headline.endswith("about 155 more each year."), headline
    assert "most likely about 1,160" in headline


def test_small_counts_are_not_shown_precisely() -> None:
    history = ForecastHistory(
        authority_code="E99999996",
        authority_name="Smallshire",
        years=YEARS[-3:],
        looked_after=(3.0, 3.0, 3.0),
        starts=(2.0, 2.0, 2.0),
        ceased=(2.0, 2.0, 2.0),
        population=(1000.0,) * 3,
    )
    headline = describe(project(history, stochastic_flows=False))[0]
    assert "most likely fewer than 5" in headline
    assert "up to 3 children" in headline


# ---------------------------------------------------------------------------------------------
# Back-test
# ---------------------------------------------------------------------------------------------


def test_backtest_on_four_real_authorities() -> None:
    codes = ["E10000018", "E10000019", "E10000034", "E09000028"]  # Leics, Lincs, Worcs, Southwark
    result = backtest(origins=("2021-22", "2022-23"), horizons=(1, 2), codes=codes, n_sims=500)
    # 2021-22 has two years of authority history: every authority skipped, saying why
    early = [s for s in result.skipped if s[1] == "2021-22"]
    assert len(early) == 4 and all("needs at least three years" in s[2] for s in early)
    assert len(result.rows) == 8  # 4 authorities x horizons 1 and 2 from 2022-23
    leics = [r for r in result.rows if r.authority_code == "E10000018"]
    assert [(r.target, r.actual, r.naive) for r in leics] == [
        ("2023-24", 725, 681),
        ("2024-25", 694, 681),
    ]
    overall = result.cell("all", "all")
    assert overall is not None and overall.authorities == 8
    assert 0 <= overall.coverage80 <= overall.coverage95 <= 100
    # "no change" from 681: |681 - 725| / 725 and |681 - 694| / 694, in percent
    assert leics[0].naive_error == pytest.approx(44 / 725 * 100)
    assert leics[1].naive_error == pytest.approx(13 / 694 * 100)
    json.dumps(result.to_dict())
    assert describe_backtest(summary_json(result)).startswith(
        "Tested by forecasting from earlier years for every authority in England (8 forecasts"
    )


def test_band_is_frozen() -> None:
    band = Band(1, 0, 2, 0, 3)
    with pytest.raises(AttributeError):
        band.central = 5  # type: ignore[misc]
