"""Looking ahead from 903 returns: a multi-state model over age band x placement group.

The 903-source method of issue 17, in the spirit of the open demand models councils use (the
D2I / Social Finance children's services demand model): the children looked after are in one of
5 x 4 states, age band (under 1, 1-4, 5-9, 10-15, 16-17) by placement group (foster,
residential, supported accommodation, other); rates of moving between placement groups and of
leaving care are estimated per age band from the returns' episodes over a window; children enter
at the window's rate with the ages and first placements seen in it; they age by their date of
birth. Re-implemented here from the description of the method (no code of that project is used).
The result is the same :class:`~reportgen.analysis.forecast.Forecast` the published method
returns, so the report layer can use either.

Method
------
**Estimation** (:func:`estimate`) over the window, by default the 12 months to the period end
(``window_months``; at least 12). From the engine's prepared episodes
(:func:`reportgen.indicators.engine.prepared`): short breaks are left out; a temporary placement
counts as the placement before it (the engine's rule); each child is in state (age band on the
day, placement group of the episode). For every state, the days children spent in it inside the
window (the exposure) and the events that left it: a move to another placement group (the next
episode of the same period of care has another group) or leaving care (the period of care ends).
Leaving at or after the 18th birthday is not a rate: the simulation ends care at 18. A rate is
events / exposure per day, with a weak prior of :data:`PRIOR_DAYS` child-days at the rate of the
same band (leaving) or the same placement group over all bands (moves), so a state with almost
nobody in it borrows its neighbours' rate rather than showing 0 or 1. Entries: every period of
care that starts in the window, with the child's age at the start (in days) and first placement
group; entrants per day = starts / days in the window.

**Simulation** (:func:`simulate`), individual children, vectorised over all the seeded paths
(``numpy.random.Generator``, default 1,000): each child looked after at the period end, and each
simulated entrant, waits an exponential time for its next event at the total rate of its state
(a continuous-time Markov chain); a birthday at 1, 5, 10 or 16 moves it to the next age band and
the 18th birthday ends care; the stock is counted at each future 31 March. Entrants per year are
Poisson, arrive uniformly in the year, and take the age at entry and first placement of a start
drawn at random from the window's starts.

**Ranges** come from three sources, all in the simulation: chance (who moves, leaves and
enters); the uncertainty of rates estimated from one window (each path draws every rate from
its Gamma posterior); and the year-to-year variation of authorities' rates beyond chance, from
England's published figures up to the period end (:func:`reportgen.analysis.forecast.pooled_variation`,
the same estimate the published method uses): each path's entry rate and leaving rates move by a
noise for the window's own year, a noise for each projected year and a random walk (the exit
variation, on the logit scale of the yearly share leaving, is converted to the log scale of the
leaving rates). ``rate_variation=False`` and ``parameter_draws=False`` switch the last two off.
The central figure is the median of the paths. The horizon is 1 to 4 years.

The population for the rate per 10,000 is the ONS estimate of children aged 0 to 17 that the
engine uses for the period end's year (:func:`reportgen.indicators.engine.population`), held
flat. Starts count periods of care (a child who starts twice in a year counts twice), leavers
count endings of care (18th birthdays included).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from reportgen.analysis.forecast import (
    AGE_LABELS,
    DEFAULT_HORIZON,
    DEFAULT_SEED,
    MAX_HORIZON,
    QUANTILES,
    Assumptions,
    Band,
    Forecast,
    ForecastError,
    ForecastHistory,
    ProjectedYear,
    pooled_variation,
)
from reportgen.core.periods import Period, as_period, year_label
from reportgen.indicators import engine
from reportgen.indicators.blocks import (
    NAT,
    OPEN,
    PLACE_CODES,
    REC_CODES,
    Prepared,
    add_months,
    birthday,
    from_day,
    to_day,
)
from reportgen.sources.ssda903.read import EPISODE_FIX_REC, History

AGE_BANDS: tuple[str, ...] = tuple(AGE_LABELS)
"""Age bands, youngest first (the published tables' labels; "16 years and over" is 16 and 17)."""

BAND_EDGES: tuple[int, ...] = (1, 5, 10, 16)
"""Birthdays that move a child to the next band; care ends at :data:`CARE_ENDS_AT`."""

CARE_ENDS_AT = 18

PLACEMENT_GROUPS: dict[str, frozenset[str]] = {
    "Foster placements": frozenset({"U1", "U2", "U3", "U4", "U5", "U6"}),
    "Residential settings": frozenset({"K1", "K2", "R1", "R2", "R3", "R5", "S1"}),
    "Supported accommodation": frozenset({"H5", "K3", "P2", "P3"}),
    "Other placements": frozenset(),  # everything else: with parents, for adoption, Z1, ...
}
"""Placement groups of the model and their PLACE codes (any code not listed is "other")."""

PLACEMENT_GROUP_LABELS: dict[str, str] = {
    "Foster placements": "foster placements",
    "Residential settings": "children's homes and other residential settings",
    "Supported accommodation": "supported accommodation and independent living",
    "Other placements": "other placements (with parents, placed for adoption and others)",
}
"""The words for each placement group in sentences."""

GROUPS: tuple[str, ...] = tuple(PLACEMENT_GROUPS)
LEAVE = len(GROUPS)
"""Outcome index of leaving care (outcomes 0..3 are moves to that placement group)."""

MIN_WINDOW_MONTHS = 12
DEFAULT_WINDOW_MONTHS = 12
PRIOR_DAYS = 91.0
"""Weight of the prior rate of a state, in child-days (a quarter of a child-year)."""

METHOD = "903 multi-state (age band x placement group), simulated ranges"


def _group_of_place() -> np.ndarray:
    lookup = {code: i for i, (_, codes) in enumerate(PLACEMENT_GROUPS.items()) for code in codes}
    other = GROUPS.index("Other placements")
    return np.array([lookup.get(code, other) for code in PLACE_CODES] + [other], dtype=np.int8)


# --------------------------------------------------------------------------------------------
# The model's inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Model903:
    """What the simulation starts from: the stock, the rates and the entrants.

    Arrays are indexed by age band (``AGE_BANDS``), placement group (``GROUPS``) and outcome
    (a placement group, or :data:`LEAVE`). Days are day numbers (days since 1970-01-01).

    Attributes
    ----------
    as_of_day
        The period end (a 31 March): the stock is the children looked after on that day.
    stock_dob, stock_group
        Date of birth (day number) and placement group of each child looked after then.
    events
        ``(5, 4, 5)`` number of moves to each group and of leavings from each state in the window
        (leaving at 18 excluded); may be fractional when built by hand.
    exposure
        ``(5, 4)`` child-days spent in each state in the window.
    entries
        Periods of care that started in the window.
    window_days
        Length of the window in days.
    entrant_age, entrant_group
        Age at entry in days and first placement group of each of those starts (the pool new
        entrants are drawn from).
    window
        First and last day of the window.
    """

    as_of_day: int
    stock_dob: np.ndarray
    stock_group: np.ndarray
    events: np.ndarray
    exposure: np.ndarray
    entries: float
    window_days: int
    entrant_age: np.ndarray
    entrant_group: np.ndarray
    window: tuple[int, int] = (0, 0)
    notes: tuple[str, ...] = field(default=())

    def rates(self, prior_days: float = PRIOR_DAYS) -> tuple[np.ndarray, np.ndarray]:
        """Gamma posterior ``(shape, rate)`` of every daily rate, each ``(5, 4, 5)``.

        The prior of a leaving rate is the band's leaving rate over all groups, of a move the
        group's rate of that move over all bands (else the overall rate), with weight
        ``prior_days`` child-days: mean ``(events + prior_days x prior) / (exposure + prior_days)``.
        """
        events = np.asarray(self.events, dtype=float)
        exposure = np.asarray(self.exposure, dtype=float)
        n_b, n_g, n_o = events.shape
        prior = np.zeros_like(events)
        with np.errstate(invalid="ignore", divide="ignore"):
            overall = events.sum(axis=(0, 1)) / max(exposure.sum(), 1.0)  # (5,) by outcome
            band_leave = events[:, :, LEAVE].sum(axis=1) / exposure.sum(axis=1)
            group_move = events.sum(axis=0) / exposure.sum(axis=0)[:, None]  # (4, 5)
        band_leave = np.where(np.isfinite(band_leave), band_leave, overall[LEAVE])
        group_move = np.where(np.isfinite(group_move), group_move, overall[None, :])
        prior[:, :, :LEAVE] = group_move[None, :, :LEAVE]
        prior[:, :, LEAVE] = band_leave[:, None]
        for g in range(n_g):
            prior[:, g, g] = 0.0
            events[:, g, g] = 0.0
        shape = events + prior_days * prior
        rate = exposure[:, :, None] + prior_days
        return shape, np.broadcast_to(rate, shape.shape).copy()


@dataclass(frozen=True)
class Simulated:
    """The simulated paths: counts by path and projected year."""

    checkpoints: np.ndarray  # days from the period end to each future 31 March
    stock: np.ndarray  # (n_sims, horizon, 5, 4) children looked after at each 31 March
    starts: np.ndarray  # (n_sims, horizon)
    leavers: np.ndarray  # (n_sims, horizon)


# --------------------------------------------------------------------------------------------
# Estimation from the episodes
# --------------------------------------------------------------------------------------------


def _as_of_day(as_of: str | Period | date) -> int:
    if isinstance(as_of, date):
        day = to_day(as_of)
        label = as_of.isoformat()
    else:
        period = as_period(as_of)
        day = to_day(period.end)
        label = period.label
    when = from_day(day)
    if (when.month, when.day) != (3, 31):
        raise ForecastError(
            f"the 903 forecast starts from a 31 March (got {label}): give a collection year such as 2024-25"
        )
    return day


def _band_of(dob: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Age band on ``day`` (0..4), 5 from the 18th birthday."""
    band = np.zeros(len(dob), dtype=np.int64)
    for age in (*BAND_EDGES, CARE_ENDS_AT):
        band += birthday(dob, age) <= day
    return band


def estimate(
    history: History | Prepared,
    authority_code: str,
    as_of: str | Period | date,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> Model903:
    """Estimate the model from an authority's 903 returns, up to a period end.

    Parameters
    ----------
    history
        The returns (:func:`reportgen.indicators.engine.load_history`), or their prepared arrays.
        Only episodes up to ``as_of`` are used.
    authority_code
        The authority's GSS code (the engine keys its prepared arrays by it).
    as_of
        The period end to forecast from: a collection year (``"2022-23"`` ends 31 March 2023),
        a :class:`~reportgen.core.periods.Period` or a date; it must be a 31 March.
    window_months
        Months of history, ending at ``as_of``, that the rates are estimated from (at least 12).

    Returns
    -------
    Model903

    Raises
    ------
    ForecastError
        A window shorter than a year, returns that do not cover the window, or a period end that
        is not a 31 March.
    """
    if (
        isinstance(window_months, bool)
        or not isinstance(window_months, int | np.integer)
        or window_months < MIN_WINDOW_MONTHS
    ):
        raise ForecastError(
            f"needs at least a year of 903 history to estimate the rates: the window is "
            f"{window_months!r} months; use 12 months or more"
        )
    last = _as_of_day(as_of)
    first = add_months(last, -int(window_months)) + 1
    p = engine.prepared(history, authority_code) if isinstance(history, History) else history
    years = sorted(p.years)
    covered_from = to_day(date(years[0] - 1, 4, 1)) if years else OPEN
    covered_to = to_day(date(years[-1], 3, 31)) if years else NAT
    missing = p.missing_years(first, last) if years else []
    if first < covered_from or last > covered_to or missing:
        have = (
            f"the returns cover {from_day(covered_from):%-d %B %Y} to {from_day(covered_to):%-d %B %Y}"
            if years
            else "there are no returns"
        )
        gap = f" without {', '.join(year_label(y) for y in missing)}" if missing else ""
        raise ForecastError(
            f"needs at least a year of 903 history: the window {from_day(first):%-d %B %Y} to "
            f"{from_day(last):%-d %B %Y} ({window_months} months) is not covered ({have}{gap}); "
            "add the missing returns or choose a later period"
        )

    group_of = _group_of_place()
    keep = ~p.e_short & (p.e_decom <= last) & (p.dob[p.e_child] != NAT)
    rows = np.flatnonzero(keep)
    child = p.e_child[rows]
    dob = p.dob[child]
    start = p.e_decom[rows]
    end = np.minimum(p.e_end[rows], last + 1)  # half-open [start, end): days looked after
    group = group_of[p.e_place[p.e_eff[rows]]].astype(np.int64)
    poc = p.e_poc[rows]
    n = len(rows)
    has_next = np.zeros(n, dtype=bool)
    if n > 1:
        has_next[:-1] = (poc[1:] == poc[:-1]) & (child[1:] == child[:-1])
    has_prev = np.r_[False, has_next[:-1]] if n else has_next

    # exposure: days of each row inside the window, split at the band birthdays
    exposure = np.zeros((len(AGE_BANDS), len(GROUPS)))
    lo_edge = dob
    for b in range(len(AGE_BANDS)):
        hi_age = (*BAND_EDGES, CARE_ENDS_AT)[b]
        hi_edge = birthday(dob, hi_age)
        lo = np.maximum.reduce([start, np.full(n, first), lo_edge])
        hi = np.minimum.reduce([end, np.full(n, last + 1), hi_edge])
        days = np.clip(hi - lo, 0, None).astype(float)
        exposure[b] += np.bincount(group, weights=days, minlength=len(GROUPS))
        lo_edge = hi_edge

    events = np.zeros((len(AGE_BANDS), len(GROUPS), len(GROUPS) + 1))
    # moves: the next row of the period of care is in another group, starting inside the window
    nxt = np.flatnonzero(has_next)
    when = start[nxt + 1]
    moved = (group[nxt + 1] != group[nxt]) & (when > first) & (when <= last)
    src = nxt[moved]
    band = _band_of(dob[src], when[moved] - 1)
    ok = band < len(AGE_BANDS)
    np.add.at(events, (band[ok], group[src[ok]], group[src[ok] + 1]), 1.0)
    # leaving: the period of care ends inside the window (not at or after the 18th birthday)
    ends = np.flatnonzero(~has_next)
    when = p.e_end[rows[ends]]
    closed = (when != OPEN) & (when > first) & (when <= last)
    src = ends[closed]
    when = when[closed]
    adult = when >= birthday(dob[src], CARE_ENDS_AT)
    band = _band_of(dob[src], when - 1)
    ok = ~adult & (band < len(AGE_BANDS))
    np.add.at(events, (band[ok], group[src[ok]], LEAVE), 1.0)

    # entrants: periods of care starting in the window
    starts = np.flatnonzero(~has_prev & (start >= first) & (start <= last))
    age = (start[starts] - dob[starts]).astype(np.int64)
    fine = (age >= 0) & (start[starts] < birthday(dob[starts], CARE_ENDS_AT))
    entrant_age, entrant_group = age[fine], group[starts[fine]]

    # the stock on the period end
    on = p.looked_after_on(last)
    on = on[p.dob[p.e_child[on]] != NAT]
    notes: list[str] = []
    unknown = int(np.sum(p.dob[p.e_child[p.looked_after_on(last)]] == NAT))
    if unknown:
        notes.append(f"{unknown} children looked after without a date of birth are left out")
    return Model903(
        as_of_day=int(last),
        stock_dob=p.dob[p.e_child[on]].astype(np.int64),
        stock_group=group_of[p.e_place[p.e_eff[on]]].astype(np.int64),
        events=events,
        exposure=exposure,
        entries=float(len(entrant_age)),
        window_days=int(last - first + 1),
        entrant_age=entrant_age,
        entrant_group=entrant_group,
        window=(int(first), int(last)),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------


def _checkpoints(as_of_day: int, horizon: int) -> np.ndarray:
    """Days from the period end to each of the next ``horizon`` 31 Marches (0 first)."""
    year = from_day(as_of_day).year
    return np.array(
        [0] + [to_day(date(year + h, 3, 31)) - as_of_day for h in range(1, horizon + 1)],
        dtype=float,
    )


def _birthdays(dob: np.ndarray, origin: int) -> np.ndarray:
    """``(n, 5)`` time (days after ``origin``) of the 1st, 5th, 10th, 16th and 18th birthdays."""
    unique, inverse = np.unique(dob, return_inverse=True)  # paths repeat the same children
    days = np.stack([birthday(unique, age) for age in (*BAND_EDGES, CARE_ENDS_AT)], axis=1)
    return (days - origin).astype(float)[inverse]


def simulate(
    model: Model903,
    horizon: int,
    n_sims: int,
    rng: np.random.Generator,
    entry_multiplier: np.ndarray | None = None,
    leave_multiplier: np.ndarray | None = None,
    parameter_draws: bool = True,
) -> Simulated:
    """Simulate the children looked after, path by path, to each future 31 March.

    Parameters
    ----------
    model
        From :func:`estimate` (or built by hand).
    horizon
        Years ahead (1 to 4).
    n_sims
        Number of paths.
    rng
        The seeded generator.
    entry_multiplier, leave_multiplier
        ``(n_sims, horizon)`` factors on the entry rate and on every leaving rate in each
        projected year (default 1: no variation of the rates from year to year).
    parameter_draws
        Draw each path's rates from their Gamma posterior (default); ``False`` uses the
        posterior means for every path (only chance remains).

    Returns
    -------
    Simulated
    """
    n_b, n_g = len(AGE_BANDS), len(GROUPS)
    c = _checkpoints(model.as_of_day, horizon)
    total_time = c[-1]
    origin = model.as_of_day + 1  # time 0 is the start of the day after the period end
    ones = np.ones((n_sims, horizon))
    entry_mult = ones if entry_multiplier is None else np.asarray(entry_multiplier, dtype=float)
    leave_mult = ones if leave_multiplier is None else np.asarray(leave_multiplier, dtype=float)

    shape, rate = model.rates()
    if parameter_draws:
        base = rng.gamma(np.broadcast_to(shape, (n_sims, *shape.shape)), 1.0) / rate
        entry_rate = rng.gamma(np.full(n_sims, model.entries), 1.0) / model.window_days
    else:
        base = np.broadcast_to(shape / rate, (n_sims, *shape.shape))
        entry_rate = np.full(n_sims, model.entries / model.window_days)
    hazards = np.repeat(base[:, None], horizon, axis=1)  # (n_sims, horizon, 5, 4, 5)
    hazards[..., LEAVE] *= leave_mult[:, :, None, None]

    # children looked after at the period end, then the entrants of each year
    n0 = len(model.stock_dob)
    path = [np.repeat(np.arange(n_sims), n0)]
    dob = [np.tile(np.asarray(model.stock_dob, dtype=np.int64), n_sims)]
    grp = [np.tile(np.asarray(model.stock_group, dtype=np.int64), n_sims)]
    t0 = [np.zeros(n0 * n_sims)]
    starts = np.zeros((n_sims, horizon))
    pool = len(model.entrant_age)
    for h in range(horizon):
        length = c[h + 1] - c[h]
        counts = (
            rng.poisson(entry_rate * entry_mult[:, h] * length)
            if pool
            else np.zeros(n_sims, dtype=np.int64)
        )
        starts[:, h] = counts
        total = int(counts.sum())
        if not total:
            continue
        arrive = c[h] + rng.random(total) * length
        pick = rng.integers(pool, size=total)
        entry_day = origin + np.floor(arrive).astype(np.int64)
        path.append(np.repeat(np.arange(n_sims), counts))
        dob.append(entry_day - np.asarray(model.entrant_age, dtype=np.int64)[pick])
        grp.append(np.asarray(model.entrant_group, dtype=np.int64)[pick])
        t0.append(arrive)
    path_a, dob_a, grp_a, t = (np.concatenate(x) for x in (path, dob, grp, t0))
    bdays = _birthdays(dob_a, origin)  # (n, 5)

    stock = np.zeros(n_sims * horizon * n_b * n_g)
    leavers = np.zeros(n_sims * horizon)
    adult = bdays[:, 4] <= t  # an 18th birthday on the first day: care ends at once
    if adult.any():
        y = np.searchsorted(c[1:], t[adult], side="right")
        leavers += np.bincount(path_a[adult] * horizon + y, minlength=leavers.size)
    active = np.flatnonzero((t < total_time) & ~adult)
    while active.size:
        ta = t[active]
        bd = bdays[active]
        year = np.searchsorted(c[1:], ta, side="right")  # projected year of the time
        band = (bd[:, :4] <= ta[:, None]).sum(axis=1)
        rates = hazards[path_a[active], year, band, grp_a[active]]  # (m, 5)
        total = rates.sum(axis=1)
        after = np.where(bd > ta[:, None], bd, np.inf).min(axis=1)
        boundary = np.minimum(after, c[year + 1])
        wait = rng.exponential(size=active.size)
        with np.errstate(divide="ignore"):
            dt = np.where(total > 0, wait / np.where(total > 0, total, 1.0), np.inf)
        event = ta + dt < boundary
        gone = np.zeros(active.size, dtype=bool)

        # an event: a move to another placement group, or leaving care
        if event.any():
            e = np.flatnonzero(event)
            u = rng.random(e.size) * total[e]
            outcome = (np.cumsum(rates[e], axis=1) < u[:, None]).sum(axis=1)
            outcome = np.minimum(outcome, LEAVE)
            t[active[e]] = ta[e] + dt[e]
            left = outcome == LEAVE
            leavers += np.bincount(
                path_a[active[e[left]]] * horizon + year[e[left]], minlength=leavers.size
            )
            gone[e[left]] = True
            stay = e[~left]
            grp_a[active[stay]] = outcome[~left]

        # a boundary: a 31 March (count the stock, in the band before any birthday that day),
        # then a birthday (the 18th ends care)
        f = np.flatnonzero(~event)
        if f.size:
            tb = boundary[f]
            t[active[f]] = tb
            at_march = np.isin(tb, c[1:])
            m = f[at_march]
            if m.size:
                k = np.searchsorted(c, tb[at_march]) - 1  # 0-based projected year
                band_then = (bd[m, :4] < tb[at_march][:, None]).sum(axis=1)
                cell = ((path_a[active[m]] * horizon + k) * n_b + band_then) * n_g + grp_a[
                    active[m]
                ]
                stock += np.bincount(cell, minlength=stock.size)
            adult = tb >= bd[f, 4]
            if adult.any():
                a = f[adult]
                y = np.searchsorted(c[1:], tb[adult], side="right")
                inside = y < horizon
                leavers += np.bincount(
                    path_a[active[a[inside]]] * horizon + y[inside], minlength=leavers.size
                )
                gone[a] = True
        keep = ~gone & (t[active] < total_time)
        active = active[keep]
    return Simulated(
        checkpoints=c[1:],
        stock=stock.reshape(n_sims, horizon, n_b, n_g),
        starts=starts,
        leavers=leavers.reshape(n_sims, horizon),
    )


# --------------------------------------------------------------------------------------------
# The forecast
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumptions903(Assumptions):
    """The published method's :class:`~reportgen.analysis.forecast.Assumptions`, filled in for
    the 903 model, plus its own figures (rates per child-year, by age band)."""

    window_months: int = DEFAULT_WINDOW_MONTHS
    window_first_day: str = ""
    window_last_day: str = ""
    entries_per_year: float = 0.0
    entries_by_band: dict[str, float] = field(default_factory=dict)
    leaving_rate_by_band: dict[str, float] = field(default_factory=dict)
    moves_per_child_year: float = 0.0
    aged_out_at_18: bool = True
    rate_variation: bool = True
    parameter_draws: bool = True
    notes: tuple[str, ...] = ()


def _history_903(
    p: Prepared, code: str, name: str, last_year: int, placement: bool = True
) -> ForecastHistory:
    """The stock at each 31 March, starts and ceased of each complete year up to ``last_year``."""
    group_of = _group_of_place()
    years = [y for y in sorted(p.years) if y <= last_year]
    looked_after, starts, ceased, population = [], [], [], []
    shares_p: dict[str, list[float]] = {g: [] for g in GROUPS}
    shares_a: dict[str, list[float]] = {b: [] for b in AGE_BANDS}
    first_rows = p.poc_first[~p.poc_all_short]
    last_rows = p.poc_last[~p.poc_all_short]
    rec = p.e_rec[last_rows]
    left = (
        (p.e_dec[last_rows] != OPEN)
        & (rec >= 0)
        & (rec != REC_CODES.index("X1"))
        & (rec != REC_CODES.index(EPISODE_FIX_REC))
    )
    for y in years:
        lo, hi = to_day(date(y - 1, 4, 1)), to_day(date(y, 3, 31))
        on = p.looked_after_on(hi)
        looked_after.append(float(len(on)))
        begun = first_rows[(p.e_decom[first_rows] >= lo) & (p.e_decom[first_rows] <= hi)]
        starts.append(float(len(np.unique(p.e_child[begun]))))
        ended = last_rows[left & (p.e_dec[last_rows] >= lo) & (p.e_dec[last_rows] <= hi)]
        ceased.append(float(len(np.unique(p.e_child[ended]))))
        pop, _ = engine.population([code], y)
        population.append(float(pop[0]))
        total = max(len(on), 1)
        g = np.bincount(group_of[p.e_place[p.e_eff[on]]], minlength=len(GROUPS))
        for i, key in enumerate(GROUPS):
            shares_p[key].append(g[i] / total if len(on) else math.nan)
        dob = p.dob[p.e_child[on]]
        b = _band_of(dob, np.full(len(on), hi))
        known = (dob != NAT) & (b < len(AGE_BANDS))
        counts = np.bincount(b[known], minlength=len(AGE_BANDS))
        for i, key in enumerate(AGE_BANDS):
            shares_a[key].append(counts[i] / max(known.sum(), 1) if known.any() else math.nan)
    try:
        variation = pooled_variation(year_label(last_year))
    except Exception:  # pragma: no cover - published tables missing
        variation = None
    return ForecastHistory(
        authority_code=code,
        authority_name=name,
        years=tuple(year_label(y) for y in years),
        looked_after=tuple(looked_after),
        starts=tuple(starts),
        ceased=tuple(ceased),
        population=tuple(population),
        placement_shares={k: tuple(v) for k, v in shares_p.items()},
        age_shares={k: tuple(v) for k, v in shares_a.items()},
        variation=variation,
    )


def _band(samples: np.ndarray) -> Band:
    q = np.quantile(samples, QUANTILES, method="inverted_cdf")
    low95, low80, mid, high80, high95 = (float(v) for v in q)
    return Band(central=mid, low80=low80, high80=high80, low95=low95, high95=high95)


def _authority_name(code: str) -> str:
    from reportgen.core import authorities

    try:
        return authorities.get(code).name
    except Exception:
        return code


def project_903(
    history: History | Prepared,
    authority_code: str,
    as_of: str | Period | date,
    horizon: int = DEFAULT_HORIZON,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    n_sims: int = 1000,
    seed: int = DEFAULT_SEED,
    *,
    rate_variation: bool = True,
    parameter_draws: bool = True,
    inflation: float = 1.0,
    population: float | None = None,
) -> Forecast:
    """Project children looked after from an authority's 903 returns, with simulated ranges.

    Parameters
    ----------
    history
        The returns (:func:`reportgen.indicators.engine.load_history`) or their prepared arrays.
    authority_code
        The authority's GSS code, e.g. ``"E10000018"``.
    as_of
        The 31 March to forecast from: a collection year such as ``"2022-23"``, a
        :class:`~reportgen.core.periods.Period` ending on 31 March or a date.
    horizon
        Years ahead, 1 to 4 (default 3).
    window_months
        Months of episodes, ending at ``as_of``, the rates are estimated from (default 12, at
        least 12).
    n_sims, seed
        Number of simulated paths (default 1,000) and the seed of the generator.
    rate_variation
        Let each path's entry and leaving rates vary from year to year as England's authorities'
        rates have (default); ``False`` leaves only chance and the rates' estimation uncertainty.
    parameter_draws
        Draw each path's rates from their posterior (default); ``False`` uses the estimates.
    inflation
        Multiplier of the year-to-year standard deviations (default 1).
    population
        Children aged 0 to 17 for the rate per 10,000 (default: the ONS estimate for ``as_of``).

    Returns
    -------
    Forecast
        The published method's shape: per projected year the number looked after at 31 March,
        its rate per 10,000, starts and leavers (median, 80% and 95% ranges), and the mix by
        placement group and age band (shares of the mean simulated stock).

    Raises
    ------
    ForecastError
        A horizon outside 1 to 4, a window shorter than a year or not covered by the returns,
        a period end that is not a 31 March, or no population for the rate.
    """
    if (
        isinstance(horizon, bool)
        or not isinstance(horizon, int | np.integer)
        or not 1 <= horizon <= MAX_HORIZON
    ):
        raise ForecastError(
            f"horizon must be a whole number of years from 1 to {MAX_HORIZON} (got {horizon!r})"
        )
    if isinstance(n_sims, bool) or not isinstance(n_sims, int | np.integer) or n_sims < 1:
        raise ForecastError(f"n_sims must be a whole number of at least 1 (got {n_sims!r})")
    if inflation < 0:
        raise ForecastError(f"inflation must be 0 or more (got {inflation})")
    code = authority_code.strip().upper()
    p = engine.prepared(history, code) if isinstance(history, History) else history
    model = estimate(p, code, as_of, window_months)
    last_year = from_day(model.as_of_day).year
    name = _authority_name(code)
    past = _history_903(p, code, name, last_year)
    if population is None:
        pop = past.population[-1] if past.population else math.nan
    else:
        pop = float(population)
    if not (math.isfinite(pop) and pop > 0):
        raise ForecastError(
            f"{name} ({code}): no ONS population of children aged 0 to 17 for {year_label(last_year)}: "
            "give the population"
        )
    return forecast_from_model(
        model,
        past,
        horizon=horizon,
        n_sims=int(n_sims),
        seed=int(seed),
        population=pop,
        window_months=int(window_months),
        rate_variation=rate_variation,
        parameter_draws=parameter_draws,
        inflation=float(inflation),
    )


def _multipliers(
    model: Model903,
    past: ForecastHistory,
    horizon: int,
    n_sims: int,
    rng: np.random.Generator,
    inflation: float,
) -> tuple[np.ndarray, np.ndarray, tuple[float, float], tuple[float, float]]:
    """Year-to-year factors on the entry rate and the leaving rates, and their (noise, drift) sd."""
    v = past.variation
    if v is None:
        ones = np.ones((n_sims, horizon))
        return ones, ones, (0.0, 0.0), (0.0, 0.0)
    window_years = max(model.window_days / 365.25, 1.0)
    z = rng.standard_normal((6, n_sims, horizon))

    def walk(noise: float, drift: float, a: np.ndarray, b: np.ndarray, c: np.ndarray):
        sd_n, sd_d = inflation * math.sqrt(noise), inflation * math.sqrt(drift)
        own = a[:, :1] * sd_n / math.sqrt(window_years)  # the window's own year(s)
        return own + sd_n * b + sd_d * np.cumsum(c, axis=1), (sd_n, sd_d)

    x, entry_sd = walk(v.entry_noise, v.entry_drift, z[0], z[1], z[2])
    y, exit_sd = walk(v.exit_noise, v.exit_drift, z[3], z[4], z[5])
    # logit of the yearly share leaving -> log of the leaving rate: d log H = (q / H) d logit q
    exposure = float(np.sum(model.exposure))
    leaving = float(np.sum(model.events[..., LEAVE]))
    aged = exposure / 365.25
    hazard = leaving / aged if aged > 0 else 0.0
    q = 1 - math.exp(-hazard)
    factor = q / hazard if hazard > 0 else 1.0
    return np.exp(x), np.exp(factor * y), entry_sd, exit_sd


def forecast_from_model(
    model: Model903,
    past: ForecastHistory,
    *,
    horizon: int = DEFAULT_HORIZON,
    n_sims: int = 1000,
    seed: int = DEFAULT_SEED,
    population: float,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    rate_variation: bool = True,
    parameter_draws: bool = True,
    inflation: float = 1.0,
) -> Forecast:
    """Simulate a :class:`Model903` and summarise it as a :class:`Forecast` (see :func:`project_903`)."""
    rng = np.random.default_rng(seed)
    if rate_variation:
        entry_mult, leave_mult, entry_sd, exit_sd = _multipliers(
            model, past, horizon, n_sims, rng, inflation
        )
    else:
        entry_mult = leave_mult = None
        entry_sd = exit_sd = (0.0, 0.0)
    sims = simulate(model, horizon, n_sims, rng, entry_mult, leave_mult, parameter_draws)
    last_year = from_day(model.as_of_day).year
    per_10k = 10_000 / population
    years = []
    totals = sims.stock.sum(axis=(2, 3))
    for h in range(horizon):
        band = _band(totals[:, h])
        mean_total = float(totals[:, h].mean())
        by_group = sims.stock[:, h].sum(axis=(0, 1)) / n_sims
        by_band = sims.stock[:, h].sum(axis=(0, 2)) / n_sims
        years.append(
            ProjectedYear(
                year=year_label(last_year + h + 1),
                at=f"31 March {last_year + h + 1}",
                looked_after=band,
                rate_per_10k=Band(*(getattr(band, f) * per_10k for f in Band.__dataclass_fields__)),
                starts=_band(sims.starts[:, h]),
                leavers=_band(sims.leavers[:, h]),
                population=float(population),
                entry_rate_per_10k=float(model.entries / model.window_days * 365.25 * per_10k),
                exit_share=float(np.mean(sims.leavers[:, h]))
                / max(float(np.mean(sims.leavers[:, h])) + mean_total, 1.0),
                placement_mix={
                    g: float(by_group[i] / mean_total) if mean_total > 0 else 0.0
                    for i, g in enumerate(GROUPS)
                },
                age_mix={
                    b: float(by_band[i] / mean_total) if mean_total > 0 else 0.0
                    for i, b in enumerate(AGE_BANDS)
                },
            )
        )
    exposure_years = model.exposure.sum(axis=1) / 365.25
    leaving_by_band = {
        b: float(model.events[i, :, LEAVE].sum() / exposure_years[i])
        if exposure_years[i] > 0
        else math.nan
        for i, b in enumerate(AGE_BANDS)
    }
    counts = np.bincount(
        np.searchsorted(
            np.array([365.25 * a for a in BAND_EDGES]), model.entrant_age, side="right"
        ),
        minlength=len(AGE_BANDS),
    )
    years_in_window = model.window_days / 365.25
    moves = float(model.events[..., :LEAVE].sum())
    stock_now = len(model.stock_dob)
    entries_year = model.entries / years_in_window
    leaving_total = float(model.events[..., LEAVE].sum()) / years_in_window
    assumptions = Assumptions903(
        window=(f"{from_day(model.window[0]):%-d %B %Y}", f"{from_day(model.window[1]):%-d %B %Y}"),
        entry_rate_per_10k=entries_year * per_10k,
        entry_trend_damping=0.0,
        exit_share_now=leaving_total / max(stock_now + entries_year, 1.0),
        exit_share_trend_per_year=0.0,
        exit_trend_damping=0.0,
        reconciliation=1.0,
        population="flat",
        population_base=float(population),
        population_base_year=year_label(last_year),
        entry_rate_change=0.0,
        change_from=None,
        mix_damping=0.0,
        entry_sd=entry_sd,
        exit_sd=exit_sd,
        entry_dispersion=1.0,
        exit_dispersion=1.0,
        inflation=float(inflation),
        stochastic_flows=True,
        window_months=int(window_months),
        window_first_day=from_day(model.window[0]).isoformat(),
        window_last_day=from_day(model.window[1]).isoformat(),
        entries_per_year=float(entries_year),
        entries_by_band={b: float(counts[i] / years_in_window) for i, b in enumerate(AGE_BANDS)},
        leaving_rate_by_band=leaving_by_band,
        moves_per_child_year=moves / max(float(exposure_years.sum()), 1e-9),
        rate_variation=bool(rate_variation),
        parameter_draws=bool(parameter_draws),
        notes=model.notes,
    )
    return Forecast(
        authority_code=past.authority_code,
        authority_name=past.authority_name,
        last_year=year_label(last_year),
        horizon=int(horizon),
        n_sims=int(n_sims),
        seed=int(seed),
        method=METHOD,
        history=past,
        years=tuple(years),
        assumptions=assumptions,
    )


def stock_on(history: History | Prepared, authority_code: str, day: date) -> int:
    """Children looked after on a day by the engine's rule (the back-test's actual figure)."""
    p = engine.prepared(history, authority_code) if isinstance(history, History) else history
    return int(len(p.looked_after_on(to_day(day))))


def summary(forecast: Forecast) -> list[dict[str, Any]]:
    """Per projected year: central, 80% and 95% bounds of the number looked after (rounded)."""
    return [
        {
            "year": y.year,
            "central": round(y.looked_after.central),
            "low80": round(y.looked_after.low80),
            "high80": round(y.looked_after.high80),
            "low95": round(y.looked_after.low95),
            "high95": round(y.looked_after.high95),
        }
        for y in forecast.years
    ]


__all__ = [
    "AGE_BANDS",
    "GROUPS",
    "PLACEMENT_GROUPS",
    "PLACEMENT_GROUP_LABELS",
    "Assumptions903",
    "Model903",
    "Simulated",
    "estimate",
    "forecast_from_model",
    "project_903",
    "simulate",
    "stock_on",
]
