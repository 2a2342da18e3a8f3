"""Looking ahead: a stock-and-flow projection of children looked after, with honest ranges.

The published-source method, for any of England's authorities, from the DfE and ONS tables
shipped in ``data/published`` (years are DfE reporting years ending 31 March, written
``2024-25``; the tables' ``time_period`` is the year in which it ends, ``2025``).

Method
------
For each year of the history (at least three consecutive years with published figures):

* entry rate ``e = starts / population x 10,000`` (population: children aged 0 to 17, the
  estimate the DfE used for its rates, which is the ONS mid-year estimate of the year before);
* exit share ``q = ceased / (looked after at 31 March + ceased)``, the share of the children
  looked after during the year who left (it needs no figure from the year before, so three years
  of history give three shares);
* reconciliation ``g = (looked after + ceased) / (looked after a year earlier + starts)``: the DfE
  counts only a child's first start and last ceasing in a year, so the stock is about 0.4% above
  what starts minus ceased imply (England's authorities, 2022 to 2025: mean 1.004, sd 0.004).

A projected year then runs ``N = (stock + entries) x g``, ``leavers = q x N``,
``stock = N - leavers``, with ``entries = e x population / 10,000``:

* **entries**: the mean entry rate over the history window, times the population held at its
  latest estimate (``population="flat"``, the default; ``"linear"`` continues the straight-line
  trend of the latest five estimates, which back-tested the same within simulation noise, so the
  simpler assumption is kept);
* **exit share**: anchored so that, at recent entry levels, the current number in care is in
  balance (``q* = 1 - stock / ((stock + entries) x g)``), then moved by the recent linear trend of
  the exit share (logit scale) with damping ``phi`` (default 0.3: the first year takes 30% of a
  year's trend, the second 9% more, and so on). The back-test (``bench/forecast_backtest.md``)
  chose this: at authority level, carrying forward the average historic rates predicted the
  *change* in the number in care worse than assuming no change at all (the changes it predicted
  were uncorrelated with what happened), while the anchored, damped version did about as well as
  no change, slightly better on average (damping 0.3 was among the best of 0, 0.2, ..., 0.6 and 1;
  0.2 to 0.5 differ by less than the simulation noise, a straight line or no trend did worse);
* **mix** by placement type and age band at 31 March: the latest published shares, moved by their
  damped linear trend if ``mix_damping > 0`` (default 0: trends in shares back-tested worse than
  the latest shares), bounded to [0, 1] and renormalised over the categories with published
  figures.

Uncertainty, by seeded simulation (``numpy.random.Generator``, vectorised over simulations):
each simulated path perturbs the log entry rate and the logit exit share by a year-to-year noise
(variance ``sigma^2``) plus a random walk (variance ``tau^2`` a year), then draws entries
(negative binomial) and leavers (beta-binomial) with the over-dispersion seen in the published
flows (children start and leave care with brothers and sisters). ``sigma^2``, ``tau^2`` and the
over-dispersion come from the one- and two-year changes of the rates of every authority with
published figures up to the last history year (:func:`pooled_variation`; nothing later is used),
scaled for each authority by its own one-year variation shrunk towards England's (prior weight
:data:`SHRINK_WEIGHT` years), times ``inflation`` (default :data:`INFLATION` = 1.1: without it the
back-test's one-year-ahead ranges were slightly narrow, 77.8% inside the 80% range and 92.9% inside
the 95% range; with it 81.5% and 94.6%, and two years ahead 87.8% and 98.0%). The central figure is the
median of the simulations. Counts are never negative.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from reportgen.core.periods import year_label
from reportgen.core.tables import load_table

CLA_TABLE = "cla_number_and_rate_per_10k_children"
POPULATION_TABLE = "ons_mid-year_population_estimates_2012_to_2024"
CHARACTERISTICS_TABLE = "la_cla_on_31_march_by_characteristics"

_POPULATION_TYPES = {
    "Children looked after on 31 March each year": "looked_after",
    "Children starting to be looked after each year": "starts",
    "Children ceasing to be looked after each year": "ceased",
}

MIN_YEARS = 3
"""Fewest consecutive history years the published method accepts."""
MAX_HORIZON = 4
"""Longest horizon, in years (the open demand models' users asked for no more)."""
DEFAULT_HORIZON = 3
DEFAULT_SEED = 20250331
"""Default seed of the simulation (a paper is byte-reproducible for a given seed)."""
EXIT_DAMPING = 0.3
"""Damping of the exit-share trend: the yearly step is multiplied by this each year."""
INFLATION = 1.1
"""Multiplier of the rates' standard deviations, set by the back-test (one year ahead near nominal)."""
SHRINK_WEIGHT = 4.0
"""Weight, in years of history, of England's rate variation against the authority's own."""
QUANTILES = (0.025, 0.10, 0.50, 0.90, 0.975)

PLACEMENT_LABELS = {
    "Foster placements": "foster placements",
    "Secure homes and children's homes": "secure homes and children's homes",
    "Independent and semi-independent living arrangements/supported accommodation": (
        "independent or semi-independent living and supported accommodation"
    ),
    "Other residential settings": "other residential settings",
    "Residential schools": "residential schools",
    "Placed with parents or other person with parental responsibility": "placed with parents",
    "Placed for adoption": "placed for adoption",
    "Other placements": "other placements",
}
"""Published placement-type breakdowns and the words used for them in sentences."""

AGE_LABELS = {
    "Under 1 year": "under 1",
    "1 to 4 years": "aged 1 to 4",
    "5 to 9 years": "aged 5 to 9",
    "10 to 15 years": "aged 10 to 15",
    "16 years and over": "aged 16 and over",
}
"""Published age bands (in age order) and the words used for them in sentences."""


class ForecastError(ValueError):
    """A forecast cannot be made: the message is one line naming what to add or change."""


# --------------------------------------------------------------------------------------------
# Years
# --------------------------------------------------------------------------------------------

_LABEL = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")


def time_period(year: str | int) -> int:
    """The DfE ``time_period`` (year ending 31 March) of a collection year.

    Parameters
    ----------
    year
        ``'2024-25'``, ``'2024/25'``, ``'2024-2025'``, the DfE form ``2025`` or ``'2025'``, or the
        six-digit form ``202425``.

    Returns
    -------
    int
        ``2025`` for all the examples above.
    """
    text = str(year).strip()
    match = _LABEL.match(text)
    if match:
        first, second = int(match.group(1)), match.group(2)
        end = int(second) if len(second) == 4 else first + 1
        if end != first + 1 or (len(second) == 2 and int(second) != end % 100):
            raise ForecastError(f"'{year}' is not a collection year: write it like 2024-25")
        return end
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if re.fullmatch(r"\d{6}", text) and int(text[4:]) == (int(text[:4]) + 1) % 100:
        return int(text[:4]) + 1
    raise ForecastError(f"'{year}' is not a collection year: write it like 2024-25")


def _march(time_period_: int) -> str:
    return f"31 March {time_period_}"


# --------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateVariation:
    """Year-to-year variation of the rates across England's authorities (beyond sampling).

    On the log scale for the entry rate and the logit scale for the exit share: ``noise`` is the
    variance of a year's departure from the underlying level, ``drift`` the yearly variance of
    the random walk of that level. ``entry_lag1`` and ``exit_lag1`` are the mean squared
    year-on-year changes (less sampling variation) that an authority's own is compared with;
    ``entry_dispersion`` and ``exit_dispersion`` the variance of the flows as a multiple of
    Poisson (entries) and binomial (leavers) variance.
    """

    entry_noise: float
    entry_drift: float
    exit_noise: float
    exit_drift: float
    entry_lag1: float
    exit_lag1: float
    entry_dispersion: float
    exit_dispersion: float
    authorities: int
    last_year: str


@dataclass(frozen=True)
class ForecastHistory:
    """The published history of one authority that a projection starts from.

    All sequences run over ``years`` (oldest first) except the population series, which is the
    longer ONS series (by reporting year) used for the population trend. Shares are fractions of
    the children looked after at 31 March, NaN where the DfE withheld the count.
    """

    authority_code: str
    authority_name: str
    years: tuple[str, ...]
    looked_after: tuple[float, ...]
    starts: tuple[float, ...]
    ceased: tuple[float, ...]
    population: tuple[float, ...]
    population_years: tuple[str, ...] = ()
    population_series: tuple[float, ...] = ()
    placement_shares: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    age_shares: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    variation: RateVariation | None = None

    def __post_init__(self) -> None:
        n = len(self.years)
        for name in ("looked_after", "starts", "ceased", "population"):
            if len(getattr(self, name)) != n:
                raise ForecastError(
                    f"history: {name} has {len(getattr(self, name))} values for {n} years"
                )
        for group in (self.placement_shares, self.age_shares):
            for key, values in group.items():
                if len(values) != n:
                    raise ForecastError(
                        f"history: share '{key}' has {len(values)} values for {n} years"
                    )
        if len(self.population_years) != len(self.population_series):
            raise ForecastError("history: population_years and population_series differ in length")

    @property
    def last_year(self) -> str:
        """The last collection year of the history."""
        return self.years[-1]

    def to_dict(self) -> dict[str, Any]:
        """The history as JSON-ready data (NaN becomes ``None``)."""
        data = asdict(self)
        data["placement_shares"] = {k: list(v) for k, v in self.placement_shares.items()}
        data["age_shares"] = {k: list(v) for k, v in self.age_shares.items()}
        return _clean(data)


@cache
def _flows_panel() -> pd.DataFrame:
    """Stock, starts, ceased and population by authority and ``time_period`` (floats, NaN missing)."""
    table = load_table(CLA_TABLE)
    la = table[table["geographic_level"] == "Local authority"]
    wide = la.pivot_table(
        index=["new_la_code", "time_period"],
        columns="population_type",
        values="children_count",
        aggfunc="first",
        dropna=False,
    ).rename(columns=_POPULATION_TYPES)
    population = la.groupby(["new_la_code", "time_period"])["population_estimate"].first()
    wide["population"] = population
    ons = load_table(POPULATION_TABLE)
    ons = ons[ons["geographic_level"] == "Local authority"]
    ons_by_year = ons.assign(time_period=ons["time_period"] + 1).set_index(
        ["new_la_code", "time_period"]
    )["population_estimate"]
    wide["population"] = wide["population"].fillna(ons_by_year.reindex(wide.index))
    wide = wide[["looked_after", "starts", "ceased", "population"]].astype("float64")
    return wide.sort_index()


@cache
def _ons_population() -> pd.Series:
    """ONS population aged 0 to 17 by authority and *reporting year* (mid-year + 1)."""
    ons = load_table(POPULATION_TABLE)
    ons = ons[ons["geographic_level"] == "Local authority"]
    series = ons.assign(time_period=ons["time_period"] + 1).set_index(
        ["new_la_code", "time_period"]
    )["population_estimate"]
    return series.dropna().sort_index()


@cache
def _names() -> dict[str, str]:
    table = load_table(CLA_TABLE)
    la = table[table["geographic_level"] == "Local authority"]
    latest = la.sort_values("time_period").groupby("new_la_code")["la_name"].last()
    return latest.to_dict()


@cache
def _shares_panel() -> pd.DataFrame:
    """Shares at 31 March by (code, characteristic, ``time_period``), one column a breakdown.

    A share is the breakdown's count over the ``Total`` count; NaN where either is withheld.
    """
    table = load_table(CHARACTERISTICS_TABLE)
    rows = table[
        (table["geographic_level"] == "Local authority")
        & table["characteristic"].isin(["Placement", "Age group"])
    ]
    counts = rows.pivot_table(
        index=["new_la_code", "characteristic", "time_period"],
        columns="breakdown",
        values="children_count",
        aggfunc="first",
        dropna=False,
    )
    total = counts.pop("Total")
    return counts.div(total.where(total > 0), axis=0).sort_index()


def authority_codes() -> list[str]:
    """The 9-character codes of every authority in the published CLA table (155, defunct included)."""
    return sorted(_names())


def _missing_in(frame: pd.DataFrame, year: int) -> str:
    """Which figures are missing for ``year`` (in words)."""
    words = {
        "looked_after": "the number looked after at 31 March",
        "starts": "the number of starts",
        "ceased": "the number ceased",
        "population": "the child population",
    }
    if year not in frame.index:
        return "every figure is"
    row = frame.loc[year]
    missing = [words[c] for c in words if pd.isna(row[c])]
    if not missing:
        return "a figure is"
    return _join(missing) + (" are" if len(missing) > 1 else " is")


def _complete_run(frame: pd.DataFrame, last: int) -> list[int]:
    """The consecutive years ending at ``last`` with every figure published."""
    years: list[int] = []
    year = last
    while year in frame.index and frame.loc[year].notna().all():
        years.append(year)
        year -= 1
    return sorted(years)


@cache
def pooled_variation(last_year: str | int) -> RateVariation:
    """England's year-to-year variation of the rates, from every authority up to ``last_year``.

    Only years up to ``last_year`` are used, so a back-test never looks ahead. For the log entry
    rate ``x`` and the logit exit share ``y``, the squared changes over one year are regressed,
    across authorities with at least 5 starts and 5 leavers a year, on their sampling variances
    (Poisson ``1/starts``; binomial ``1/(n q (1-q))``): the slope is the over-dispersion of the
    flows (children start and leave care with brothers and sisters, so flows vary more than
    independent events would; bounded to 1-3) and what remains, averaged, is the variation of the
    rates themselves. With a level that is a random walk (yearly variance ``tau^2``) observed with
    noise (``sigma^2``), the one- and two-year values are ``2 sigma^2 + tau^2`` and
    ``2 sigma^2 + 2 tau^2``.
    """
    last = time_period(last_year)
    wide = _flows_panel().unstack("time_period")
    years = sorted(y for y in wide.columns.get_level_values("time_period").unique() if y <= last)
    stock, starts, ceased, population = (
        wide[name].reindex(columns=years).to_numpy(dtype=float)
        for name in ("looked_after", "starts", "ceased", "population")
    )
    complete = (
        np.isfinite(stock) & np.isfinite(starts) & np.isfinite(ceased) & np.isfinite(population)
    )
    in_run = complete.copy()  # inside the run of complete years ending at ``last``
    if years and years[-1] != last:
        in_run[:] = False
    for t in range(len(years) - 2, -1, -1):
        in_run[:, t] &= in_run[:, t + 1]
    small = ((starts < 5) | (ceased < 5)) & in_run
    keep = (in_run.sum(axis=1) >= 2) & ~small.any(axis=1)
    count = int(keep.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        x, vx, y, vy = _transformed(stock, starts, ceased, population)
    squares: dict[str, dict[int, list[float]]] = {"x": {1: [], 2: []}, "y": {1: [], 2: []}}
    sampling: dict[str, dict[int, list[float]]] = {"x": {1: [], 2: []}, "y": {1: [], 2: []}}
    for lag in (1, 2):
        if len(years) <= lag:
            continue
        pair = in_run[:, lag:] & in_run[:, :-lag] & keep[:, None]
        for key, z, vz in (("x", x, vx), ("y", y, vy)):
            squares[key][lag] = list(((z[:, lag:] - z[:, :-lag]) ** 2)[pair])
            sampling[key][lag] = list((vz[:, lag:] + vz[:, :-lag])[pair])

    def components(sq: dict[int, list[float]], sv: dict[int, list[float]]) -> tuple[float, ...]:
        if len(sq[1]) < 3:
            return 0.0, 0.0, 0.0, 1.0
        d2, v = np.asarray(sq[1]), np.asarray(sv[1])
        slope = float(np.polyfit(v, d2, 1)[0]) if np.ptp(v) > 0 else 1.0
        dispersion = min(max(slope, 1.0), 3.0)
        v1 = max(float(np.mean(d2 - dispersion * v)), 0.0)
        if sq[2]:
            v2 = float(np.mean(np.asarray(sq[2]) - dispersion * np.asarray(sv[2])))
        else:
            v2 = 2 * v1
        drift = min(max(v2 - v1, 0.0), v1)
        return (v1 - drift) / 2, drift, v1, dispersion

    ex_noise, ex_drift, ex_v1, ex_disp = components(squares["x"], sampling["x"])
    q_noise, q_drift, q_v1, q_disp = components(squares["y"], sampling["y"])
    return RateVariation(
        entry_noise=ex_noise,
        entry_drift=ex_drift,
        exit_noise=q_noise,
        exit_drift=q_drift,
        entry_lag1=ex_v1,
        exit_lag1=q_v1,
        entry_dispersion=ex_disp,
        exit_dispersion=q_disp,
        authorities=count,
        last_year=year_label(last),
    )


def _transformed(
    stock: Iterable[float],
    starts: Iterable[float],
    ceased: Iterable[float],
    population: Iterable[float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Log entry rate, its sampling variance, logit exit share and its sampling variance."""
    s = np.asarray(stock, dtype=float)
    e = np.asarray(starts, dtype=float)
    c = np.asarray(ceased, dtype=float)
    p = np.asarray(population, dtype=float)
    x = np.log((e + 0.5) / p)
    vx = 1 / (e + 0.5)
    n = s + c
    q = (c + 0.5) / (n + 1)
    y = np.log(q / (1 - q))
    vy = 1 / ((n + 1) * q * (1 - q))
    return x, vx, y, vy


def history_from_published(authority_code: str, last_year: str | int) -> ForecastHistory:
    """The published history of one authority up to ``last_year`` (nothing later is read).

    Parameters
    ----------
    authority_code
        The 9-character ONS code, e.g. ``"E10000018"`` (Leicestershire).
    last_year
        The last collection year to use, e.g. ``"2024-25"`` (or the DfE ``2025``).

    Returns
    -------
    ForecastHistory
        The longest run of consecutive years ending at ``last_year`` in which the number looked
        after at 31 March, starts, ceased and population are all published, with the placement
        and age shares of those years and England's rate variation up to ``last_year``.

    Raises
    ------
    ForecastError
        Unknown authority, or fewer than three such years.
    """
    last = time_period(last_year)
    code = authority_code.strip().upper()
    panel = _flows_panel()
    names = _names()
    if code not in names:
        raise ForecastError(
            f"unknown authority code '{authority_code}': use a 9-character code such as E10000018"
        )
    name = names[code]
    frame = panel.xs(code, level="new_la_code")
    years = _complete_run(frame, last)
    if not years:
        missing = _missing_in(frame, last)
        raise ForecastError(
            f"{name} ({code}): needs at least three years of published figures up to {year_label(last)}, "
            f"but for {year_label(last)} {missing} not published (withheld or not applicable); "
            "choose another year or add the figure"
        )
    if len(years) < MIN_YEARS:
        have = f"{len(years)} ({year_label(years[0])} to {year_label(years[-1])})"
        raise ForecastError(
            f"{name} ({code}): needs at least three years of published children looked after, starts, "
            f"ceased and child population up to {year_label(last)}; consecutive years available: {have}; "
            "add earlier years or choose a later year"
        )
    f = frame.loc[years]
    ons = _ons_population()
    pop = (
        ons.xs(code, level="new_la_code")
        if code in ons.index.get_level_values(0)
        else pd.Series(dtype=float)
    )
    pop = pop[pop.index <= last]
    shares = _shares_panel()

    def share_block(characteristic: str, order: Sequence[str]) -> dict[str, tuple[float, ...]]:
        try:
            block = shares.loc[(code, characteristic)]
        except KeyError:
            return {}
        block = block.reindex(years)
        return {
            key: tuple(float(v) for v in block[key].to_numpy())
            for key in order
            if key in block  # kept when withheld every year: the projection lists it as withheld
        }

    return ForecastHistory(
        authority_code=code,
        authority_name=name,
        years=tuple(year_label(y) for y in years),
        looked_after=tuple(float(v) for v in f["looked_after"]),
        starts=tuple(float(v) for v in f["starts"]),
        ceased=tuple(float(v) for v in f["ceased"]),
        population=tuple(float(v) for v in f["population"]),
        population_years=tuple(year_label(int(y)) for y in pop.index),
        population_series=tuple(float(v) for v in pop.to_numpy()),
        placement_shares=share_block("Placement", list(PLACEMENT_LABELS)),
        age_shares=share_block("Age group", list(AGE_LABELS)),
        variation=pooled_variation(year_label(last)),
    )


# --------------------------------------------------------------------------------------------
# Projection
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A central figure (the median of the simulations) with its 80% and 95% ranges."""

    central: float
    low80: float
    high80: float
    low95: float
    high95: float


@dataclass(frozen=True)
class ProjectedYear:
    """One projected collection year: the stock at its 31 March and the year's flows."""

    year: str
    at: str
    looked_after: Band
    rate_per_10k: Band
    starts: Band
    leavers: Band
    population: float
    entry_rate_per_10k: float
    exit_share: float
    placement_mix: Mapping[str, float]
    age_mix: Mapping[str, float]


@dataclass(frozen=True)
class Assumptions:
    """What the projection assumed, in numbers (for the JSON and for the sentences)."""

    window: tuple[str, ...]
    entry_rate_per_10k: float
    entry_trend_damping: float
    exit_share_now: float
    exit_share_trend_per_year: float
    exit_trend_damping: float
    reconciliation: float
    population: Literal["flat", "linear"]
    population_base: float
    population_base_year: str
    entry_rate_change: float
    change_from: str | None
    mix_damping: float
    entry_sd: tuple[float, float]
    exit_sd: tuple[float, float]
    entry_dispersion: float
    exit_dispersion: float
    inflation: float
    stochastic_flows: bool


@dataclass(frozen=True)
class Forecast:
    """A projection of one authority's children looked after. ``to_dict`` gives JSON-ready data."""

    authority_code: str
    authority_name: str
    last_year: str
    horizon: int
    n_sims: int
    seed: int
    method: str
    history: ForecastHistory
    years: tuple[ProjectedYear, ...]
    assumptions: Assumptions
    mix_withheld: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (floats of 100 or more to 1 decimal, smaller ones to 4; NaN to None)."""
        data = {
            "authority_code": self.authority_code,
            "authority_name": self.authority_name,
            "last_year": self.last_year,
            "horizon": self.horizon,
            "n_sims": self.n_sims,
            "seed": self.seed,
            "method": self.method,
            "assumptions": asdict(self.assumptions),
            "history": self.history.to_dict(),
            "years": [],
            "mix_withheld": list(self.mix_withheld),
        }
        for year in self.years:
            item = asdict(year)
            item["placement_mix"] = dict(year.placement_mix)
            item["age_mix"] = dict(year.age_mix)
            data["years"].append(item)
        return _clean(data)


def _clean(value: Any) -> Any:
    """Round floats for JSON, NaN to ``None``, tuples to lists (deterministic output)."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return None
        digits = 1 if abs(v) >= 100 else 4
        return round(v, digits)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _logit(p: np.ndarray | float) -> np.ndarray:
    return np.log(np.asarray(p, dtype=float) / (1 - np.asarray(p, dtype=float)))


def _expit(y: np.ndarray | float) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(y, dtype=float)))


def _slope(values: np.ndarray) -> float:
    """Least-squares slope per year of the finite values (0 with fewer than two)."""
    t = np.arange(len(values), dtype=float)
    ok = np.isfinite(values)
    if ok.sum() < 2:
        return 0.0
    tc = t[ok] - t[ok].mean()
    return float(tc @ (values[ok] - values[ok].mean()) / (tc @ tc))


def _damped_steps(slope: float, damping: float, horizon: int) -> np.ndarray:
    """``slope x (phi + phi^2 + ... + phi^h)`` for h = 1..horizon."""
    return slope * np.cumsum(damping ** np.arange(1, horizon + 1))


@dataclass(frozen=True)
class CentralPath:
    """The deterministic path (no randomness) of the projection, one value per future year."""

    years: tuple[str, ...]
    looked_after: tuple[float, ...]
    starts: tuple[float, ...]
    leavers: tuple[float, ...]
    population: tuple[float, ...]
    entry_rate_per_10k: tuple[float, ...]
    exit_share: tuple[float, ...]


@dataclass(frozen=True)
class _Setup:
    years: tuple[int, ...]
    entry_rate: np.ndarray  # per child (not per 10,000), with the scenario
    exit_logit: np.ndarray
    population: np.ndarray
    reconciliation: float
    assumptions: Assumptions


def _check(history: ForecastHistory, horizon: int, window: int | None) -> int:
    if (
        isinstance(horizon, bool)
        or not isinstance(horizon, int | np.integer)
        or not 1 <= horizon <= MAX_HORIZON
    ):
        raise ForecastError(
            f"horizon must be a whole number of years from 1 to {MAX_HORIZON} (got {horizon!r})"
        )
    n = len(history.years)
    if n < MIN_YEARS:
        raise ForecastError(
            f"{history.authority_name or history.authority_code}: needs at least three years of children "
            f"looked after, starts, ceased and child population; the history has {n}: add earlier years"
        )
    values = np.array(
        [history.looked_after, history.starts, history.ceased, history.population], dtype=float
    )
    if not np.isfinite(values).all() or (values < 0).any() or (values[3] <= 0).any():
        raise ForecastError(
            "history: every count must be a published number (no markers) and population above 0"
        )
    if window is None:
        return n
    if isinstance(window, bool) or not isinstance(window, int | np.integer) or window < MIN_YEARS:
        raise ForecastError(f"window must be at least three years (got {window!r})")
    return min(int(window), n)


def _setup(
    history: ForecastHistory,
    horizon: int,
    window: int | None,
    *,
    entry_rate_change: float,
    change_from: str | int | None,
    exit_damping: float,
    entry_damping: float,
    population: str,
    mix_damping: float = 0.0,
    inflation: float = 1.0,
    stochastic_flows: bool = False,
    exit_anchor: bool = True,
) -> _Setup:
    k = _check(history, horizon, window)
    if population not in ("flat", "linear"):
        raise ForecastError(f"population must be 'flat' or 'linear' (got {population!r})")
    for name, value in (
        ("exit_damping", exit_damping),
        ("entry_damping", entry_damping),
        ("mix_damping", mix_damping),
    ):
        if not 0 <= value <= 1:
            raise ForecastError(f"{name} must be between 0 and 1 (got {value})")
    if entry_rate_change <= -1:
        raise ForecastError(
            f"entry_rate_change must be above -1, i.e. a fall of less than 100% (got {entry_rate_change})"
        )
    stock = np.asarray(history.looked_after[-k:], dtype=float)
    starts = np.asarray(history.starts[-k:], dtype=float)
    ceased = np.asarray(history.ceased[-k:], dtype=float)
    pop = np.asarray(history.population[-k:], dtype=float)
    last = time_period(history.last_year)
    years = tuple(last + h for h in range(1, horizon + 1))

    # population: flat at the latest estimate, or the straight-line trend of the latest five
    base_pop = float(pop[-1])
    if population == "linear":
        series = (
            np.asarray(history.population_series[-5:], dtype=float)
            if history.population_series
            else pop[-5:]
        )
        step = _slope(series)
        future_pop = np.maximum(base_pop + step * np.arange(1, horizon + 1), 1.0)
    else:
        future_pop = np.full(horizon, base_pop)

    # entries: mean rate over the window (optionally with a damped log-linear trend)
    rate = starts / pop
    mean_rate = float(rate.mean())
    entry_steps = _damped_steps(_slope(np.log((starts + 0.5) / pop)), entry_damping, horizon)
    base_rate = (
        mean_rate * np.exp(entry_steps) if entry_damping > 0 else np.full(horizon, mean_rate)
    )
    first_change = _change_index(change_from, years)
    factor = np.where(np.arange(horizon) >= first_change, 1.0 + entry_rate_change, 1.0)
    entry_rate = base_rate * factor

    # reconciliation of the stock with starts and ceased
    if k >= 2:
        g = float(np.mean((stock[1:] + ceased[1:]) / np.maximum(stock[:-1] + starts[1:], 1.0)))
        g = min(max(g, 0.97), 1.03)
    else:  # pragma: no cover - k >= 3 by _check
        g = 1.0

    # exit share anchored to balance the current stock at baseline entries, plus damped trend
    s_now = float(stock[-1])
    entries_now = float(base_rate[0] * future_pop[0])
    shares = ceased / np.maximum(stock + ceased, 1.0)
    if exit_anchor and s_now + entries_now > 0:
        q_now = 1.0 - s_now / ((s_now + entries_now) * g)
    else:  # the mean share of the window (the back-test's comparison: "average historic rates")
        q_now = float(shares.mean())
    q_now = min(max(q_now, 1e-4), 1 - 1e-4)
    _, _, y_hist, _ = _transformed(stock, starts, ceased, pop)
    exit_slope = _slope(y_hist)
    exit_logit = _logit(q_now) + _damped_steps(exit_slope, exit_damping, horizon)

    sd = _rate_sd(history, k)
    assumptions = Assumptions(
        window=tuple(history.years[-k:]),
        entry_rate_per_10k=mean_rate * 10_000,
        entry_trend_damping=float(entry_damping),
        exit_share_now=q_now,
        exit_share_trend_per_year=float(_expit(_logit(q_now) + exit_slope) - q_now),
        exit_trend_damping=float(exit_damping),
        reconciliation=g,
        population=population,  # type: ignore[arg-type]
        population_base=base_pop,
        population_base_year=history.last_year,
        entry_rate_change=float(entry_rate_change),
        change_from=year_label(years[first_change])
        if entry_rate_change and first_change < horizon
        else None,
        mix_damping=float(mix_damping),
        entry_sd=(sd[0], sd[1]),
        exit_sd=(sd[2], sd[3]),
        entry_dispersion=history.variation.entry_dispersion if history.variation else 1.0,
        exit_dispersion=history.variation.exit_dispersion if history.variation else 1.0,
        inflation=float(inflation),
        stochastic_flows=bool(stochastic_flows),
    )
    return _Setup(years, entry_rate, exit_logit, future_pop, g, assumptions)


def _change_index(change_from: str | int | None, years: tuple[int, ...]) -> int:
    """0-based index of the first projected year that the entry-rate change applies to."""
    if change_from is None:
        return 0
    if isinstance(change_from, int | np.integer) and 1 <= int(change_from) <= len(years):
        return int(change_from) - 1
    tp = time_period(change_from)
    if tp not in years:
        raise ForecastError(
            f"change_from {change_from!r} is not a projected year ({year_label(years[0])} to {year_label(years[-1])})"
        )
    return years.index(tp)


def _rate_sd(history: ForecastHistory, k: int) -> tuple[float, float, float, float]:
    """Standard deviations (noise, drift) of the log entry rate and the logit exit share."""
    x, vx, y, vy = _transformed(
        history.looked_after[-k:], history.starts[-k:], history.ceased[-k:], history.population[-k:]
    )
    v = history.variation
    dx, dy = (v.entry_dispersion, v.exit_dispersion) if v is not None else (1.0, 1.0)
    own_x = float(np.mean(np.diff(x) ** 2 - dx * (vx[1:] + vx[:-1])))
    own_y = float(np.mean(np.diff(y) ** 2 - dy * (vy[1:] + vy[:-1])))
    m = k - 1
    if v is None:  # no England figures: the authority's own lag-1 variation as a random walk
        return 0.0, math.sqrt(max(own_x, 0.0)), 0.0, math.sqrt(max(own_y, 0.0))

    def scaled(own: float, pooled_lag1: float, noise: float, drift: float) -> tuple[float, float]:
        if pooled_lag1 <= 0:
            return 0.0, 0.0
        ratio = (m * own + SHRINK_WEIGHT * pooled_lag1) / ((m + SHRINK_WEIGHT) * pooled_lag1)
        ratio = min(max(ratio, 0.25), 4.0)
        return math.sqrt(ratio * noise), math.sqrt(ratio * drift)

    ex = scaled(own_x, v.entry_lag1, v.entry_noise, v.entry_drift)
    qx = scaled(own_y, v.exit_lag1, v.exit_noise, v.exit_drift)
    return ex[0], ex[1], qx[0], qx[1]


def central_path(
    history: ForecastHistory,
    horizon: int = DEFAULT_HORIZON,
    window: int | None = None,
    *,
    entry_rate_change: float = 0.0,
    change_from: str | int | None = None,
    exit_damping: float = EXIT_DAMPING,
    entry_damping: float = 0.0,
    population: Literal["flat", "linear"] = "flat",
    exit_anchor: bool = True,
) -> CentralPath:
    """The deterministic path: expected flows at the central rates, no randomness.

    Parameters are those of :func:`project`. Each year: ``entries = rate x population / 10,000``,
    ``N = (stock + entries) x g``, ``leavers = exit share x N``, ``stock = N - leavers``.
    """
    setup = _setup(
        history,
        horizon,
        window,
        entry_rate_change=entry_rate_change,
        change_from=change_from,
        exit_damping=exit_damping,
        entry_damping=entry_damping,
        population=population,
        exit_anchor=exit_anchor,
    )
    stock = float(history.looked_after[-1])
    out_s, out_e, out_l = [], [], []
    q = _expit(setup.exit_logit)
    for h in range(horizon):
        entries = setup.entry_rate[h] * setup.population[h]
        n = (stock + entries) * setup.reconciliation
        leavers = q[h] * n
        stock = n - leavers
        out_s.append(float(stock))
        out_e.append(float(entries))
        out_l.append(float(leavers))
    return CentralPath(
        years=tuple(year_label(y) for y in setup.years),
        looked_after=tuple(out_s),
        starts=tuple(out_e),
        leavers=tuple(out_l),
        population=tuple(float(p) for p in setup.population),
        entry_rate_per_10k=tuple(float(r * 10_000) for r in setup.entry_rate),
        exit_share=tuple(float(v) for v in q),
    )


def project(
    history: ForecastHistory,
    horizon: int = DEFAULT_HORIZON,
    window: int | None = None,
    n_sims: int = 1000,
    seed: int = DEFAULT_SEED,
    *,
    entry_rate_change: float = 0.0,
    change_from: str | int | None = None,
    exit_damping: float = EXIT_DAMPING,
    entry_damping: float = 0.0,
    population: Literal["flat", "linear"] = "flat",
    mix_damping: float = 0.0,
    inflation: float = INFLATION,
    stochastic_flows: bool = True,
    exit_anchor: bool = True,
) -> Forecast:
    """Project children looked after, starts and leavers for 1 to 4 years, with ranges.

    Parameters
    ----------
    history
        From :func:`history_from_published` (or built by hand).
    horizon
        Years ahead, 1 to 4 (default 3).
    window
        How many of the latest history years to use (at least 3; default all).
    n_sims
        Number of simulated paths (default 1,000).
    seed
        Seed of the ``numpy.random.Generator``: the same seed gives the same result.
    entry_rate_change
        Scenario: proportional change of the entry rate (``0.1`` = 10% more entries, ``1.0``
        doubles them) from ``change_from`` on; the exit share stays anchored to the baseline.
    change_from
        First projected year of the change: a label such as ``"2026-27"`` or its number 1 to
        ``horizon`` (default: the first projected year).
    exit_damping, entry_damping
        Damping ``phi`` of the exit-share and entry-rate trends (0 = no trend, 1 = straight line).
    population
        ``"flat"`` (latest estimate held) or ``"linear"`` (trend of the latest five estimates).
    mix_damping
        Damping of the trends of the placement and age shares (0 = latest shares held).
    inflation
        Multiplier of the rates' standard deviations (1 = as estimated; above 1 widens).
    stochastic_flows
        Draw entries (negative binomial) and leavers (beta-binomial); ``False`` uses the expected
        flows, so a history without variation gives the central path exactly.
    exit_anchor
        Start the exit share where it balances the current stock (default). ``False`` starts it
        at the window's mean share instead ("average historic rates", kept for the back-test's
        comparison: it forecast worse than no change).

    Returns
    -------
    Forecast
        Per projected year: central (median), 80% and 95% ranges of the number looked after at
        31 March, the rate per 10,000, starts and leavers; the implied mix.

    Raises
    ------
    ForecastError
        Fewer than three history years, a horizon outside 1 to 4, or an invalid option.
    """
    if isinstance(n_sims, bool) or not isinstance(n_sims, int | np.integer) or n_sims < 1:
        raise ForecastError(f"n_sims must be a whole number of at least 1 (got {n_sims!r})")
    if inflation < 0:
        raise ForecastError(f"inflation must be 0 or more (got {inflation})")
    setup = _setup(
        history,
        horizon,
        window,
        entry_rate_change=entry_rate_change,
        change_from=change_from,
        exit_damping=exit_damping,
        entry_damping=entry_damping,
        population=population,
        mix_damping=mix_damping,
        inflation=inflation,
        stochastic_flows=stochastic_flows,
        exit_anchor=exit_anchor,
    )
    a = setup.assumptions
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((4, n_sims, horizon))
    x_dev = inflation * (a.entry_sd[0] * z[0] + a.entry_sd[1] * np.cumsum(z[1], axis=1))
    y_dev = inflation * (a.exit_sd[0] * z[2] + a.exit_sd[1] * np.cumsum(z[3], axis=1))
    mean_entries = setup.entry_rate[None, :] * setup.population[None, :] * np.exp(x_dev)
    exit_share = _expit(setup.exit_logit[None, :] + y_dev)

    stock = np.full(n_sims, float(history.looked_after[-1]))
    stocks, starts, leavers = (np.empty((n_sims, horizon)) for _ in range(3))
    for h in range(horizon):
        if stochastic_flows:
            entries = _overdispersed_counts(rng, mean_entries[:, h], a.entry_dispersion)
            n = np.rint((stock + entries) * setup.reconciliation)
            left = _overdispersed_binomial(rng, n, exit_share[:, h], a.exit_dispersion)
        else:
            entries = mean_entries[:, h]
            n = (stock + entries) * setup.reconciliation
            left = n * exit_share[:, h]
        stock = np.maximum(n - left, 0.0)
        stocks[:, h], starts[:, h], leavers[:, h] = stock, entries, left

    placement, withheld_p = _mix(history.placement_shares, horizon, mix_damping)
    ages, withheld_a = _mix(history.age_shares, horizon, mix_damping)
    years = []
    for h, tp in enumerate(setup.years):
        band = _band(stocks[:, h])
        per_10k = 10_000 / setup.population[h]
        years.append(
            ProjectedYear(
                year=year_label(tp),
                at=_march(tp),
                looked_after=band,
                rate_per_10k=Band(*(v * per_10k for v in asdict(band).values())),
                starts=_band(starts[:, h]),
                leavers=_band(leavers[:, h]),
                population=float(setup.population[h]),
                entry_rate_per_10k=float(setup.entry_rate[h] * 10_000),
                exit_share=float(_expit(setup.exit_logit[h])),
                placement_mix={k: float(v[h]) for k, v in placement.items()},
                age_mix={k: float(v[h]) for k, v in ages.items()},
            )
        )
    return Forecast(
        authority_code=history.authority_code,
        authority_name=history.authority_name,
        last_year=history.last_year,
        horizon=horizon,
        n_sims=int(n_sims),
        seed=int(seed),
        method="published stock-and-flow (anchored exit share, damped trend), simulated ranges",
        history=history,
        years=tuple(years),
        assumptions=a,
        mix_withheld=tuple(withheld_p + withheld_a),
    )


def _overdispersed_counts(
    rng: np.random.Generator, mean: np.ndarray, dispersion: float
) -> np.ndarray:
    """Counts with the given mean and variance ``dispersion x mean`` (Poisson when 1).

    Negative binomial with ``n = mean / (dispersion - 1)`` and ``p = 1 / dispersion``.
    """
    if dispersion <= 1.0 + 1e-9:
        return rng.poisson(mean).astype(float)
    positive = mean > 0
    size = np.where(positive, mean / (dispersion - 1.0), 1.0)
    draws = rng.negative_binomial(size, 1.0 / dispersion).astype(float)
    return np.where(positive, draws, 0.0)


def _overdispersed_binomial(
    rng: np.random.Generator, n: np.ndarray, p: np.ndarray, dispersion: float
) -> np.ndarray:
    """Binomial counts of ``n`` with variance ``dispersion x n p (1 - p)`` (beta-binomial).

    The intra-class correlation is ``(dispersion - 1) / (n - 1)`` (at most 0.5), so groups of
    children leaving together widen the spread without changing the expected number.
    """
    trials = np.maximum(n, 0).astype(np.int64)
    if dispersion > 1.0 + 1e-9:
        rho = np.where(trials > 1, (dispersion - 1.0) / np.maximum(trials - 1, 1), 0.0)
        rho = np.clip(rho, 1e-9, 0.5)
        scale = 1.0 / rho - 1.0
        pp = np.clip(p, 1e-9, 1 - 1e-9)
        drawn = rng.beta(pp * scale, (1 - pp) * scale)
        p = np.where(trials > 1, drawn, p)
    return rng.binomial(trials, p).astype(float)


def _band(samples: np.ndarray) -> Band:
    q = np.quantile(samples, QUANTILES, method="inverted_cdf")
    low95, low80, mid, high80, high95 = (float(v) for v in q)
    return Band(central=mid, low80=low80, high80=high80, low95=low95, high95=high95)


def _mix(
    shares: Mapping[str, tuple[float, ...]], horizon: int, damping: float
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Projected shares (latest published share plus damped trend), bounded and renormalised."""
    if not shares:
        return {}, []
    projected: dict[str, np.ndarray] = {}
    withheld: list[str] = []
    for key, values in shares.items():
        v = np.asarray(values, dtype=float)
        finite = np.flatnonzero(np.isfinite(v))
        if finite.size == 0:
            withheld.append(key)
            continue
        base = v[finite[-1]]
        steps = _damped_steps(_slope(v), damping, horizon) if damping > 0 else np.zeros(horizon)
        projected[key] = np.clip(base + steps, 0.0, 1.0)
    if projected:
        total = np.sum(list(projected.values()), axis=0)
        projected = {
            k: np.where(total > 0, v / np.where(total > 0, total, 1.0), 0.0)
            for k, v in projected.items()
        }
    return projected, withheld


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------


def rounding_unit(width: float) -> int:
    """The rounding unit a range of this width allows (1, 5, 10, 50 or 100)."""
    if width < 20:
        return 1
    if width < 100:
        return 5
    if width < 500:
        return 10
    if width < 2000:
        return 50
    return 100


def _fmt(n: float) -> str:
    return f"{int(round(n)):,}"


def _rounded_range(band: Band, level: int = 80) -> tuple[int, int, int, int]:
    """(low, central, high, unit): low rounded down, high up, central to the nearest unit."""
    low, high = (band.low80, band.high80) if level == 80 else (band.low95, band.high95)
    unit = rounding_unit(band.high80 - band.low80)
    lo = int(math.floor(low / unit) * unit)
    hi = int(math.ceil(high / unit) * unit)
    mid = int(round(band.central / unit) * unit)
    return max(lo, 0), min(max(mid, lo), hi), hi, unit


def _between(lo: int, hi: int) -> str:
    if lo < 5:
        return f"up to {_fmt(hi)}"
    return f"between {_fmt(lo)} and {_fmt(hi)}"


def _about(n: int) -> str:
    return "fewer than 5" if 0 < n < 5 else f"about {_fmt(n)}"


def describe(
    forecast: Forecast, year: str | None = None, backtest: dict[str, Any] | None = None
) -> list[str]:
    """Sentences for the paper, never more precise than the ranges allow.

    Parameters
    ----------
    forecast
        From :func:`project`.
    year
        The projected year the headline describes (default: the last).
    backtest
        Optional: the back-test summary of England's authorities (:func:`summary_json`), for a
        sentence on how well the method has done.

    Returns
    -------
    list of str
        The headline (80% range, central figure, yearly change); the 95% range and the rate per
        10,000; the first year's starts and leavers; the implied mix; the assumptions; the
        caveats; the back-test (if given).
    """
    target = forecast.years[-1] if year is None else _find_year(forecast, year)
    steps = forecast.years.index(target) + 1
    now = forecast.history.looked_after[-1]
    now_at = _march(time_period(forecast.last_year))
    lo, mid, hi, unit = _rounded_range(target.looked_after)
    per_year = (target.looked_after.central - now) / steps
    if abs(mid - now) < unit / 2 or round(abs(per_year)) == 0:
        change = f"about the same number as at {now_at} ({_fmt(now)})"
    else:
        size = round(abs(per_year)) if abs(per_year) < 20 else int(round(abs(per_year) / 5) * 5)
        change = f"about {size} {'more' if per_year > 0 else 'fewer'} each year"
    sentences = [
        f"If recent trends continue, we expect {_between(lo, hi)} children looked after at "
        f"{target.at}, most likely {_about(mid)}: {change}."
    ]

    lo95, _, hi95, _ = _rounded_range(target.looked_after, 95)
    rate = target.rate_per_10k
    now_rate = now / forecast.history.population[-1] * 10_000
    tails = (
        f"There is about a 1 in 20 chance that the number is below {_fmt(lo95)} or above {_fmt(hi95)}. "
        if lo95 >= 5
        else f"There is about a 1 in 40 chance that the number is above {_fmt(hi95)}. "
    )
    sentences.append(
        tails
        + f"That would be about {round(rate.central)} per 10,000 children (between {math.floor(rate.low80)} "
        f"and {math.ceil(rate.high80)}), against {round(now_rate)} per 10,000 at {now_at}."
    )

    first = forecast.years[0]
    s_lo, s_mid, s_hi, _ = _rounded_range(first.starts)
    l_lo, l_mid, l_hi, _ = _rounded_range(first.leavers)
    sentences.append(
        f"In {first.year} we expect {_about(s_mid)} children to start to be looked after "
        f"({_between(s_lo, s_hi)}) and {_about(l_mid)} to leave care ({_between(l_lo, l_hi)})."
    )

    mix = _mix_sentence(forecast, target)
    if mix:
        sentences.append(mix)
    sentences.extend(_assumption_sentences(forecast))
    if backtest is not None:
        sentences.append(describe_backtest(backtest))
    return sentences


def _find_year(forecast: Forecast, year: str) -> ProjectedYear:
    tp = time_period(year)
    for item in forecast.years:
        if time_period(item.year) == tp:
            return item
    raise ForecastError(
        f"{year} is not a projected year ({forecast.years[0].year} to {forecast.years[-1].year})"
    )


def _mix_sentence(forecast: Forecast, target: ProjectedYear) -> str | None:
    parts = []
    central = target.looked_after.central
    unit = 10 if central >= 200 else 5 if central >= 50 else 1
    top = sorted(target.placement_mix.items(), key=lambda kv: -kv[1])[:2]
    for i, (key, share) in enumerate(top):
        count = share * central
        shown = (
            "fewer than 5 children" if count < 5 else f"around {_fmt(round(count / unit) * unit)}"
        )
        verb = "would be " if i == 0 else ""
        label = PLACEMENT_LABELS.get(key, key)
        parts.append(f"{round(share * 100)}% {verb}in {label[:1].lower() + label[1:]} ({shown})")
    older = target.age_mix.get("16 years and over")
    if older is not None:
        parts.append(f"{round(older * 100)}% would be aged 16 and over")
    if not parts:
        return None
    if not forecast.method.startswith("published"):  # a model of the children: its own mix
        return (
            f"At {target.at}, the projection has about {_join(parts).replace('would be ', '', 1)}."
        )
    basis = (
        f"the mix of placements and ages stays as at {_march(time_period(forecast.last_year))}"
        if forecast.assumptions.mix_damping == 0
        else "recent trends in the mix of placements and ages continue, slowing down"
    )
    return f"If {basis}, at {target.at} about {_join(parts)}."


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _assumption_sentences(forecast: Forecast) -> list[str]:
    a = forecast.assumptions
    window = f"{a.window[0]} to {a.window[-1]}"
    trend = a.exit_share_trend_per_year
    balance = "the share of children in care who leave each year starts at the level that would keep today's number steady"
    if abs(trend) < 0.0025 or a.exit_trend_damping == 0:
        exit_words = f"{balance} and stays there"
    else:
        direction = "rising" if trend > 0 else "falling"
        exit_words = (
            f"{balance}, then keeps {direction} as it has over {window}, more slowly each year"
        )
    population = (
        f"the number of children aged 0 to 17 stays at the latest estimate ({_fmt(a.population_base)})"
        if a.population == "flat"
        else "the number of children aged 0 to 17 follows its trend of the last five years"
    )
    first = (
        f"This assumes that children start to be looked after at the average rate of {window} "
        f"({round(a.entry_rate_per_10k)} per 10,000 children a year), that {exit_words}, and that {population}."
    )
    if a.entry_rate_change:
        first += (
            f" As a scenario, entries are {abs(round(a.entry_rate_change * 100))}% "
            f"{'higher' if a.entry_rate_change > 0 else 'lower'} from {a.change_from}."
        )
    second = (
        "The ranges allow for how much these rates have changed from year to year, here and across "
        "England's authorities, and for chance; they cannot foresee changes in policy, practice, the law "
        "or the arrival of unaccompanied asylum-seeking children, and they widen each year ahead."
    )
    return [first, second]


# --------------------------------------------------------------------------------------------
# Back-test
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BacktestRow:
    """One authority, origin and horizon: the forecast against what was published."""

    authority_code: str
    authority_name: str
    origin: str
    horizon: int
    target: str
    actual: float
    central: float
    low80: float
    high80: float
    low95: float
    high95: float
    naive: float

    @property
    def inside80(self) -> bool:
        return self.low80 <= self.actual <= self.high80

    @property
    def inside95(self) -> bool:
        return self.low95 <= self.actual <= self.high95

    @property
    def error(self) -> float:
        """Absolute percentage error of the central figure."""
        return abs(self.central - self.actual) / self.actual * 100

    @property
    def naive_error(self) -> float:
        """Absolute percentage error of "no change"."""
        return abs(self.naive - self.actual) / self.actual * 100


@dataclass(frozen=True)
class BacktestCell:
    """Summary of one origin and horizon (``origin == "all"`` pools every origin)."""

    origin: str
    horizon: int | str
    authorities: int
    coverage80: float
    coverage95: float
    mape: float
    mape_naive: float
    median_ape: float
    median_ape_naive: float
    better_than_naive: float


@dataclass(frozen=True)
class BacktestSummary:
    """The back-test: rows, a summary per origin and horizon, and what was skipped and why."""

    rows: tuple[BacktestRow, ...]
    cells: tuple[BacktestCell, ...]
    skipped: tuple[tuple[str, str, str], ...]
    settings: Mapping[str, Any]

    def cell(self, origin: str = "all", horizon: int | str = "all") -> BacktestCell | None:
        """The summary for an origin and horizon (``"all"`` for pooled), if any."""
        for c in self.cells:
            if c.origin == origin and c.horizon == horizon:
                return c
        return None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        rows = []
        for r in self.rows:
            item = asdict(r)
            item.update(inside80=r.inside80, inside95=r.inside95)
            rows.append(item)
        return _clean(
            {
                "settings": dict(self.settings),
                "cells": [asdict(c) for c in self.cells],
                "rows": rows,
                "skipped": [list(s) for s in self.skipped],
            }
        )


def _summarise(origin: str, horizon: int | str, rows: Sequence[BacktestRow]) -> BacktestCell | None:
    if not rows:
        return None
    err = np.array([r.error for r in rows])
    naive = np.array([r.naive_error for r in rows])
    return BacktestCell(
        origin=origin,
        horizon=horizon,
        authorities=len(rows),
        coverage80=100 * float(np.mean([r.inside80 for r in rows])),
        coverage95=100 * float(np.mean([r.inside95 for r in rows])),
        mape=float(err.mean()),
        mape_naive=float(naive.mean()),
        median_ape=float(np.median(err)),
        median_ape_naive=float(np.median(naive)),
        better_than_naive=100 * float(np.mean(err < naive)),
    )


def backtest(
    origins: Sequence[str] = ("2021-22", "2022-23", "2023-24"),
    horizons: Sequence[int] = (1, 2),
    codes: Sequence[str] | None = None,
    n_sims: int = 1000,
    seed: int = DEFAULT_SEED,
    **options: Any,
) -> BacktestSummary:
    """Forecast from earlier years and compare with what the DfE published later.

    Parameters
    ----------
    origins
        Last history years. ``2021-22`` has only two years of authority-level history in the
        published tables, so every authority is skipped there (reported in ``skipped``).
    horizons
        Years ahead to compare (only those with a published figure are kept).
    codes
        Authorities (default: every authority in the published CLA table).
    n_sims, seed, options
        Passed to :func:`project` (``window``, ``exit_damping``, ``inflation`` ...).

    Returns
    -------
    BacktestSummary
        Coverage of the 80% and 95% ranges and mean absolute percentage errors of the central
        figure and of "no change", per origin and horizon and pooled; authorities skipped and why
        (too little history, or no published figure to compare with).
    """
    panel = _flows_panel()
    latest = int(panel.index.get_level_values("time_period").max())
    codes = list(codes) if codes is not None else authority_codes()
    rows: list[BacktestRow] = []
    skipped: list[tuple[str, str, str]] = []
    for origin in origins:
        o = time_period(origin)
        wanted = [h for h in horizons if o + h <= latest]
        if not wanted:
            continue
        for code in codes:
            try:
                history = history_from_published(code, o)
            except ForecastError as error:
                skipped.append((code, year_label(o), str(error)))
                continue
            forecast = project(history, horizon=max(wanted), n_sims=n_sims, seed=seed, **options)
            for h in wanted:
                actual = panel["looked_after"].get((code, o + h), np.nan)
                if not np.isfinite(actual) or actual <= 0:
                    skipped.append(
                        (code, year_label(o), f"no published number at 31 March {o + h} to compare")
                    )
                    continue
                band = forecast.years[h - 1].looked_after
                rows.append(
                    BacktestRow(
                        authority_code=code,
                        authority_name=history.authority_name,
                        origin=year_label(o),
                        horizon=h,
                        target=year_label(o + h),
                        actual=float(actual),
                        central=band.central,
                        low80=band.low80,
                        high80=band.high80,
                        low95=band.low95,
                        high95=band.high95,
                        naive=float(history.looked_after[-1]),
                    )
                )
    cells: list[BacktestCell] = []
    for origin in dict.fromkeys(r.origin for r in rows):
        for h in sorted({r.horizon for r in rows if r.origin == origin}):
            cell = _summarise(origin, h, [r for r in rows if r.origin == origin and r.horizon == h])
            if cell:
                cells.append(cell)
    for h in sorted({r.horizon for r in rows}):
        cell = _summarise("all", h, [r for r in rows if r.horizon == h])
        if cell:
            cells.append(cell)
    overall = _summarise("all", "all", rows)
    if overall:
        cells.append(overall)
    settings = {
        "origins": list(origins),
        "horizons": list(horizons),
        "n_sims": n_sims,
        "seed": seed,
        **options,
    }
    return BacktestSummary(tuple(rows), tuple(cells), tuple(skipped), settings)


def describe_backtest(summary: dict[str, Any] | None, authority_code: str | None = None) -> str:
    """One sentence on how well the method has done, for England's authorities and this one.

    Parameters
    ----------
    summary
        :func:`summary_json` of a back-test (what ``data/forecast_backtest.json`` holds), or
        ``None`` when there is none.
    authority_code
        Adds how many of this authority's past outcomes fell inside the 80% range.
    """
    if not summary:
        return "The method has not yet been tested against past years."
    overall = summary["overall"]
    if overall is None:
        return "There is not yet enough published history to test how well this method has done."
    text = (
        "Tested by forecasting from earlier years for every authority in England "
        f"({overall['n']} forecasts one and two years ahead), the actual number fell inside the "
        f"80% range {round(overall['coverage80'])}% of the time and inside the 95% range "
        f"{round(overall['coverage95'])}% of the time; the central figure was out by "
        f"{overall['mape']:.1f}% on average, against {overall['mape_naive']:.1f}% for assuming "
        "no change"
    )
    own = summary.get("authorities", {}).get(authority_code) if authority_code else None
    if own and own.get("n"):
        text += (
            f". For this authority, {own['inside80']} of {own['n']} past outcomes fell inside "
            "the 80% range"
        )
    return text + "."


def summary_json(summary: BacktestSummary) -> dict:
    """What a paper quotes: England's overall figures, per origin and horizon, per authority."""
    overall = summary.cell("all", "all")
    authorities: dict[str, dict] = {}
    for row in summary.rows:
        own = authorities.setdefault(row.authority_code, {"n": 0, "inside80": 0, "inside95": 0})
        own["n"] += 1
        own["inside80"] += int(row.inside80)
        own["inside95"] += int(row.inside95)

    def cell(c: BacktestCell) -> dict:
        return {
            "origin": c.origin,
            "horizon": c.horizon,
            "n": c.authorities,
            "coverage80": round(c.coverage80, 1),
            "coverage95": round(c.coverage95, 1),
            "mape": round(c.mape, 2),
            "mape_naive": round(c.mape_naive, 2),
        }

    return {
        "method": "published stock-and-flow (reportgen.analysis.forecast)",
        "settings": dict(summary.settings),
        "overall": cell(overall) if overall else None,
        "cells": [cell(c) for c in summary.cells],
        "authorities": authorities,
    }
