"""The 903 multi-state forecast (reportgen.analysis.forecast_903), with hand-worked figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from reportgen.analysis import forecast_903 as f9
from reportgen.analysis.forecast import Forecast, ForecastError
from reportgen.indicators.blocks import to_day
from reportgen.sources.ssda903.read import read_history

CODE = "E10000018"  # Leicestershire: any code with an ONS population will do

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def _returns(tmp_path: Path, children: dict[str, str], episodes: list[str]) -> Path:
    """One 2022-23 return (folder 2023) with the given DOBs and episode rows."""
    folder = tmp_path / "returns" / "2023"
    folder.mkdir(parents=True)
    header = [HEADER] + [f"{c},1,{dob},WBRI,,," for c, dob in children.items()]
    (folder / "header.csv").write_text("\n".join(header) + "\n")
    (folder / "episodes.csv").write_text("\n".join([EPISODES, *episodes]) + "\n")
    return tmp_path / "returns"


def _episode(child: str, decom: str, rne: str, place: str, dec: str = "", rec: str = "") -> str:
    return f"{child},{decom},{rne},C2,N1,{place},PR1,{dec},{rec},,LE1 1AA,LE1 1AA,"


def _two_children(tmp_path: Path) -> Path:
    """A, aged 15 and a half on 31 March 2023; D, aged 8: both fostered all along, nobody else."""
    return _returns(
        tmp_path,
        {"A": "01/10/2007", "D": "01/09/2014"},
        [_episode("A", "01/01/2020", "S", "U4"), _episode("D", "01/06/2021", "S", "U4")],
    )


def test_estimate_counts_exposure_moves_leavers_and_entrants(tmp_path: Path) -> None:
    # Window 1 April 2022 to 31 March 2023 (365 days).
    # A (10-15 all year) fostered all year: 365 foster days.
    # B (aged 11-12: 10-15) fostered 1 April to 30 September (183 days), moves to a children's
    # home on 1 October (1 move foster -> residential), leaves on 1 January (92 residential days).
    # C starts on 1 February 2023, her 3rd birthday (1,096 days old), fostered: 59 days aged 1-4.
    root = _returns(
        tmp_path,
        {"A": "01/10/2007", "B": "15/06/2010", "C": "01/02/2020"},
        [
            _episode("A", "01/01/2020", "S", "U4"),
            _episode("B", "01/01/2021", "S", "U4", "01/10/2022", "X1"),
            _episode("B", "01/10/2022", "P", "K2", "01/01/2023", "E13"),
            _episode("C", "01/02/2023", "S", "U4"),
        ],
    )
    model = f9.estimate(read_history(root), CODE, "2022-23")
    foster, resi = f9.GROUPS.index("Foster placements"), f9.GROUPS.index("Residential settings")
    ten, one = f9.AGE_BANDS.index("10 to 15 years"), f9.AGE_BANDS.index("1 to 4 years")
    expected = np.zeros((5, 4))
    expected[ten, foster] = 365 + 183
    expected[ten, resi] = 92
    expected[one, foster] = 59
    np.testing.assert_array_equal(model.exposure, expected)
    events = np.zeros((5, 4, 5))
    events[ten, foster, resi] = 1
    events[ten, resi, f9.LEAVE] = 1
    np.testing.assert_array_equal(model.events, events)
    assert model.entries == 1 and model.window_days == 365
    assert model.entrant_age.tolist() == [1096] and model.entrant_group.tolist() == [foster]
    assert sorted(model.stock_group.tolist()) == [foster, foster]  # A and C on 31 March 2023
    assert model.window == (to_day("2022-04-01"), to_day("2023-03-31"))


def test_closed_population_only_ages(tmp_path: Path) -> None:
    # Nobody left or started in the window, so every rate is 0 and the two children stay until
    # A's 18th birthday (1 October 2025). A: 16 on 31 March 2024 and 17 in 2025;
    # D: 9 on 31 March 2024 (5-9), 10 in 2025 and 11 in 2026 (10-15).
    history = read_history(_two_children(tmp_path))
    result = f9.project_903(history, CODE, "2022-23", horizon=3, n_sims=50)
    assert isinstance(result, Forecast)
    assert [y.year for y in result.years] == ["2023-24", "2024-25", "2025-26"]
    for year, count in zip(result.years, (2, 2, 1), strict=True):
        band = year.looked_after
        assert (band.low95, band.central, band.high95) == (count, count, count)
        assert year.starts.high95 == 0
    assert [y.leavers.central for y in result.years] == [0, 0, 1]  # A ages out in 2025-26
    ages = [{k: v for k, v in y.age_mix.items() if v} for y in result.years]
    assert ages[0] == {"5 to 9 years": 0.5, "16 years and over": 0.5}
    assert ages[1] == {"10 to 15 years": 0.5, "16 years and over": 0.5}
    assert ages[2] == {"10 to 15 years": 1.0}
    assert result.years[0].placement_mix["Foster placements"] == 1.0
    json.dumps(result.to_dict())  # the same JSON-ready shape as the published method


def _hand_model(n: int, leave_per_day: float, entries_per_day: float = 0.0) -> f9.Model903:
    """``n`` fostered children born 1 April 2016 (aged 6 to 7 over 2023-24: band 5-9 only)."""
    exposure = np.zeros((5, 4))
    exposure[2, 0] = 36_500.0  # 100 child-years
    events = np.zeros((5, 4, 5))
    events[2, 0, f9.LEAVE] = leave_per_day * exposure[2, 0]
    return f9.Model903(
        as_of_day=to_day("2023-03-31"),
        stock_dob=np.full(n, to_day("2016-04-01")),
        stock_group=np.zeros(n, dtype=np.int64),
        events=events,
        exposure=exposure,
        entries=entries_per_day * 365,
        window_days=365,
        entrant_age=np.array([7 * 365]),
        entrant_group=np.array([0]),
    )


def test_constant_leaving_rate_halves_the_stock() -> None:
    # 31 March 2023 to 31 March 2024 is 366 days. With a daily leaving rate h = ln 2 / 366 each
    # child is still looked after with probability exp(-366 h) = 1/2: 100 children -> 50 expected
    # (binomial sd 5 a path, so the mean of 4,000 paths has sd 0.08), 50 leavers.
    # Binomial(100, 1/2): P(X <= 43) = 0.097 and P(X <= 44) = 0.136, so the 10% point is 44 and
    # by symmetry the 90% point is 56.
    model = _hand_model(100, math.log(2) / 366)
    sims = f9.simulate(model, 1, 4000, np.random.default_rng(1), parameter_draws=False)
    stock = sims.stock[:, 0].sum(axis=(1, 2))
    assert abs(stock.mean() - 50) < 0.4
    assert abs(sims.leavers[:, 0].mean() - 50) < 0.4
    assert abs(np.quantile(stock, 0.1, method="inverted_cdf") - 44) <= 1
    assert abs(np.quantile(stock, 0.9, method="inverted_cdf") - 56) <= 1


def test_zero_rate_keeps_everyone_and_entries_follow_their_rate() -> None:
    # No leaving, one entrant a day (aged 7: band 5-9), 366 days: 366 starts expected
    # (Poisson sd 19 a path; mean of 2,000 paths sd 0.43), all still looked after.
    model = _hand_model(100, 0.0, entries_per_day=1.0)
    sims = f9.simulate(model, 1, 2000, np.random.default_rng(2), parameter_draws=False)
    assert abs(sims.starts[:, 0].mean() - 366) < 2
    np.testing.assert_array_equal(sims.stock[:, 0].sum(axis=(1, 2)), 100 + sims.starts[:, 0])
    assert sims.leavers.sum() == 0


def test_too_short_a_window_is_refused(tmp_path: Path) -> None:
    history = read_history(_two_children(tmp_path))
    with pytest.raises(ForecastError, match="needs at least a year of 903 history"):
        f9.project_903(history, CODE, "2022-23", window_months=6)
    # one return cannot cover a 24-month window
    with pytest.raises(ForecastError, match="needs at least a year of 903 history.*not covered"):
        f9.project_903(history, CODE, "2022-23", window_months=24)
    with pytest.raises(ForecastError, match="from 1 to 4"):
        f9.project_903(history, CODE, "2022-23", horizon=5)
    with pytest.raises(ForecastError, match="31 March"):
        f9.project_903(history, CODE, "2022-23 Q3")


def test_same_seed_same_paths() -> None:
    model = _hand_model(100, math.log(2) / 366, entries_per_day=0.5)

    def run(seed: int) -> np.ndarray:
        return f9.simulate(model, 2, 50, np.random.default_rng(seed)).stock

    np.testing.assert_array_equal(run(3), run(3))
    assert not np.array_equal(run(3), run(4))
