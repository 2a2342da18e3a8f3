"""Looking ahead and the money: the forecast, the placement market and costs, for one paper.

:func:`run_outlook` is what ``notebooks/reports/forecast.ipynb`` calls: it projects children
looked after (:mod:`reportgen.analysis.forecast`), estimates the placement type x provider mix
and its cost (:mod:`reportgen.analysis.costs`), applies the params' scenarios, draws the charts
and writes ``work/outlook.json``. The paper's parts (:mod:`reportgen.report.outlook_parts`) read
that file only.

Every figure here comes from the DfE's published tables (for 903 sources too: the forecast and
the costs use the authority's published history up to the period's collection year, and the paper
says so), so no 903 count is shown that disclosure control has not seen.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reportgen.analysis import costs as cst
from reportgen.analysis import forecast as fc
from reportgen.core.config import ReportParams, ScenarioParams
from reportgen.core.errors import ParamsError
from reportgen.core.formatting import format_date, is_missing
from reportgen.core.memo import SourceMemo
from reportgen.core.paths import DATA_DIR, PARAMS_DIR
from reportgen.core.periods import year_label
from reportgen.core.tables import load_table, rows_for_code

COSTS_FILE = PARAMS_DIR / "costs.yaml"
BACKTEST_FILE = DATA_DIR.parent / "forecast_backtest.json"
"""The back-test summary of every authority (``bench/forecast_backtest.py --write``)."""

OUTLOOK_JSON = "outlook.json"
LA_TABLE = cst.LA_TABLE

PROVIDER_LABELS = {
    "own_la": "the council's own provision",
    "other_la": "other councils",
    "other_public": "other public bodies",
    "private": "private providers",
    "voluntary": "voluntary providers",
    "parents": "parents",
    "not_reported": "not recorded",
}
"""Providers as the paper names them."""

TYPE_LABELS = {
    "foster": "Foster care",
    "childrens_home": "Children's homes",
    "supported_accommodation": "Supported accommodation",
    "other_residential": "Other residential settings",
    "residential_school": "Residential schools",
    "with_parents": "Placed with parents",
    "placed_for_adoption": "Placed for adoption",
    "other": "Other placements",
}
"""Placement types as the paper names them (published tables)."""

SHIFT_FROM = ("childrens_home", "private")
SHIFT_TO = ("foster", "own_la")
"""The illustrative shift: from private children's homes to the council's own foster carers."""


class OutlookError(ParamsError):
    """Bad ``costs`` or ``scenarios`` params: named key, accepted values."""


# -- inputs checked before anything runs --------------------------------------------------------


def load_unit_costs(params: ReportParams) -> cst.CostTable:
    """The national unit costs with the authority's own figures applied.

    Raises
    ------
    OutlookError
        A bad figure in ``params/costs.yaml`` or in the authority's ``costs:``.
    """
    try:
        return cst.load_costs(
            COSTS_FILE,
            params.costs or None,
            overrides_source=f"params for {params.authority_name} (costs:)",
        )
    except cst.CostsError as error:
        raise OutlookError(str(error)) from None


def _cell(text: str, key: str) -> tuple[str, str]:
    parts = text.split(".")
    if len(parts) != 2 or parts[0] not in cst.PLACEMENT_TYPES or parts[1] not in cst.PROVIDERS:
        raise OutlookError(
            f"scenarios: {key} {text!r} is not placement_type.provider; placement types: "
            f"{', '.join(cst.PLACEMENT_TYPES)}; providers: {', '.join(cst.PROVIDERS)}"
        )
    return parts[0], parts[1]


def check_params(params: ReportParams) -> None:
    """Check ``costs`` and ``scenarios`` before any notebook runs (one clear message).

    Raises
    ------
    OutlookError
        Naming the key and the accepted values.
    """
    table = load_unit_costs(params)
    first = fc.time_period(forecast_year(params)) + 1
    last = first + params.forecast.horizon - 1
    allowed = [year_label(y) for y in range(first, last + 1)]
    for scenario in params.scenarios:
        where = f"scenario {scenario.name!r}"
        if scenario.from_year is not None and scenario.from_year not in allowed:
            raise OutlookError(
                f"scenarios: {where}: from_year {scenario.from_year!r} is outside the forecast; "
                f"accepted: {', '.join(allowed)}"
            )
        for key in ("move_from", "move_to"):
            text = getattr(scenario, key)
            if text is None:
                continue
            cell = _cell(text, f"{where}: {key}")
            found = table.entry(*cell)
            if found is None or found.weekly is None:
                raise OutlookError(
                    f"scenarios: {where}: {key} {text!r} has no unit cost in {COSTS_FILE.name} "
                    "or the authority's costs: set one"
                )


# -- the year the outlook starts from ----------------------------------------------------------


@cache
def _published_years() -> tuple[int, ...]:
    frame = load_table(fc.CLA_TABLE)
    return tuple(sorted(int(y) for y in frame["time_period"].unique()))


def forecast_year(params: ReportParams) -> str:
    """The last published collection year ending (31 March) on or before the period's end: the
    forecast's origin (a 2024-25 Q3 paper, ending 31 December 2024, starts from 2023-24)."""
    end = params.period.end
    years = [y for y in _published_years() if (y, 3, 31) <= (end.year, end.month, end.day)]
    return year_label(years[-1] if years else _published_years()[0])


# -- the forecast -------------------------------------------------------------------------------


@cache
def backtest_summary() -> dict[str, Any] | None:
    """The shipped back-test summary (``data/forecast_backtest.json``), or ``None``."""
    if not BACKTEST_FILE.exists():
        return None
    return json.loads(BACKTEST_FILE.read_text(encoding="utf-8"))


def _band(b: fc.Band) -> dict[str, float]:
    return {
        "central": b.central,
        "low80": b.low80,
        "high80": b.high80,
        "low95": b.low95,
        "high95": b.high95,
    }


def run_forecast(params: ReportParams, *, entries_change: float = 0.0, from_year=None):
    """The projection for the params (``None`` with the reason when there is too little history)."""
    history = fc.history_from_published(params.authority_code, forecast_year(params))
    return fc.project(
        history,
        horizon=params.forecast.horizon,
        window=params.forecast.window,
        n_sims=params.forecast.simulations,
        seed=params.forecast.seed,
        entry_rate_change=entries_change,
        change_from=from_year,
    )


BACKTEST_903_FILE = DATA_DIR.parent / "forecast_backtest_903.json"
"""The 903 model's back-test on synthetic returns (``bench/forecast_backtest.py --903``)."""


def run_forecast_903(params: ReportParams):
    """The multi-state projection from the authority's own (or synthetic) returns, from the
    period's 31 March; ``None`` when the period does not end on a 31 March."""
    from reportgen.analysis import forecast_903 as f903
    from reportgen.indicators import engine

    end = params.period.end
    if (end.month, end.day) != (3, 31):
        return None
    return f903.project_903(
        engine.params_history(params),
        params.authority_code,
        year_label(end.year),
        horizon=params.forecast.horizon,
        n_sims=params.forecast.simulations,
        seed=params.forecast.seed,
    )


def _assumptions_903(forecast: Any, params: ReportParams) -> list[str]:
    a = forecast.assumptions
    source = "synthetic returns" if params.source == "synthetic" else "its own SSDA903 returns"
    text = [
        f"The projection follows each child in care from {source}: children move between "
        "placement types, leave care and grow older at the rates seen over the 12 months to "
        f"{format_date(date.fromisoformat(a.window_last_day)) if a.window_last_day else forecast.history.years[-1]}, and new children start to be looked "
        f"after at that year's rate (about {round(a.entries_per_year)} a year), at the ages and "
        "in the placements seen then; everyone leaves care at 18.",
        "The ranges allow for chance, for the uncertainty of rates measured over one year and "
        "for how much authorities' rates change from year to year; they cannot foresee changes "
        "in policy, practice or the law, and they widen each year ahead.",
    ]
    summary = (
        json.loads(BACKTEST_903_FILE.read_text(encoding="utf-8"))
        if BACKTEST_903_FILE.exists()
        else None
    )
    if summary:
        o = summary["overall"]
        text.append(
            f"Tested on synthetic returns for {summary['authorities']} authorities, forecasting "
            f"from earlier years, the actual number fell inside the 80% range "
            f"{round(o['coverage80'])}% of the time and inside the 95% range "
            f"{round(o['coverage95'])}% of the time; the central figure was out by "
            f"{o['mape']:.1f}% on average, against {o['mape_naive']:.1f}% for assuming no "
            "change: read the range, not the central figure."
        )
    return text


def forecast_part(params: ReportParams) -> dict[str, Any]:
    """The forecast as data for the paper: years, bands, sentences, or the reason for none.

    903 and synthetic sources whose period ends on a 31 March use the multi-state model
    (:mod:`reportgen.analysis.forecast_903`) on their own returns; other periods, and the
    published source, the published stock-and-flow projection.
    """
    own = None
    if params.source != "published":
        try:
            own = run_forecast_903(params)
        except fc.ForecastError as error:
            own = None
            reason_903 = str(error)
        else:
            reason_903 = ""
    if own is not None:
        small = params.disclosure.min_count
        shown = [*own.history.looked_after, *(y.looked_after.high80 for y in own.years)]
        if min(shown) < small:  # the returns' own counts would be shown: disclosure control
            return {
                "available": False,
                "reason": (
                    f"fewer than {small} children looked after in some year of the returns or of "
                    "the projection, so a forecast would show small numbers"
                ),
            }
    try:
        forecast = own or run_forecast(params)
    except fc.ForecastError as error:
        return {"available": False, "reason": str(error)}
    sentences = fc.describe(forecast)
    if own is not None:
        sentences = [
            s for s in sentences if not s.startswith(("This assumes", "The ranges allow"))
        ] + _assumptions_903(forecast, params)
    else:
        if params.source != "published":
            why = f" ({reason_903})" if reason_903 else ""
            sentences.append(
                f"The projection starts from the Department for Education's published figures "
                f"for {params.authority_name} up to {forecast.last_year}, not from the "
                f"authority's own returns{why}."
            )
        sentences.append(fc.describe_backtest(backtest_summary(), params.authority_code))
    return {
        "available": True,
        "own_returns": own is not None,
        "last_year": forecast.last_year,
        "method": forecast.method,
        "history": {
            "years": list(forecast.history.years),
            "looked_after": [float(v) for v in forecast.history.looked_after],
        },
        "years": [
            {
                "year": y.year,
                "at": y.at,
                "looked_after": _band(y.looked_after),
                "rate_per_10k": _band(y.rate_per_10k),
                "starts": _band(y.starts),
                "leavers": _band(y.leavers),
                "placement_mix": dict(y.placement_mix),
            }
            for y in forecast.years
        ],
        "sentences": sentences,
        "_forecast": forecast,
    }


# -- the placement market and costs -----------------------------------------------------------


def _provider_shares(rows: pd.DataFrame) -> dict[str, float] | None:
    part = rows[rows["characteristic"] == "Place providers"].set_index("breakdown")
    if "Total" not in part.index or is_missing(part.at["Total", "children_count"]):
        return None
    total = float(part.at["Total", "children_count"])
    if total <= 0:
        return None
    shares: dict[str, float | str | None] = {}
    for label, key in cst.LA_PROVIDER_LABELS.items():
        value = part["children_count"].get(label, np.nan)
        marker = part["children_count_marker"].get(label)
        if is_missing(value):
            shares[key] = "c" if marker == "c" else None
        else:
            shares[key] = float(value) / total * 100
    return shares


def _in_period(rows: pd.DataFrame, period: int) -> pd.DataFrame:
    return rows[rows["time_period"] == period]


_SHARES = SourceMemo(maxsize=4096)
"""Provider shares by (authority code, or None for England; year), per process: a batch asks
for each authority's as its own trend and again as the neighbour of about ten others."""


def _shares_in(frame: pd.DataFrame, code: str | None, period: int) -> dict[str, Any] | None:
    """:func:`_provider_shares` of an authority's rows (England's: ``code`` None) in a year of
    the published table ``frame``, remembered while ``frame`` is the table loaded."""

    def compute() -> dict[str, Any] | None:
        if code is None:
            this = frame[frame["time_period"] == period]
            return _provider_shares(this[this["geographic_level"] == "National"])
        return _provider_shares(_in_period(rows_for_code(frame, code), period))

    shares = _SHARES.get((code, period), (frame,), compute)
    return None if shares is None else dict(shares)


def provider_mix(params: ReportParams, year: str) -> dict[str, Any]:
    """Shares of children by provider: the authority over five years, England and neighbours."""
    frame = load_table(LA_TABLE)
    period = fc.time_period(year)
    own_rows = rows_for_code(frame, params.authority_code)
    trend = {}
    for y in sorted(own_rows["time_period"].unique()):
        if int(y) <= period:
            trend[year_label(int(y))] = _shares_in(frame, params.authority_code, int(y))
    england = _shares_in(frame, None, period)
    neighbours = [
        s
        for code in params.statistical_neighbours
        if (s := _shares_in(frame, code, period)) is not None
    ]
    average = {}
    for key in cst.PROVIDERS:
        values = [s[key] for s in neighbours if isinstance(s.get(key), float)]
        average[key] = float(np.mean(values)) if values else None
    return {
        "year": year,
        "authority": trend.get(year),
        "trend": trend,
        "england": england,
        "neighbours": average,
        "neighbour_count": len(neighbours),
    }


def _counted_market(
    params: ReportParams, market: dict[str, Any], counted: pd.DataFrame
) -> dict[str, Any]:
    """903 sources: the authority's provider shares counted from its returns at the period's
    end (:func:`counted_at_end`; a provider with fewer children than the disclosure threshold is
    withheld, "c", with one more when a single one would be 100% less the others), against the
    published England and neighbour shares."""
    counts = counted.sum(axis=0).reindex(list(cst.PROVIDERS), fill_value=0.0)
    total = float(counts.sum())
    shown = withhold_lines(counts.sort_index().to_frame(), params.disclosure.min_count).iloc[:, 0]
    shares: dict[str, float | str | None] = {
        key: "c" if pd.isna(shown[key]) else (counts[key] / total * 100 if total else None)
        for key in cst.PROVIDERS
    }
    return {
        **market,
        "authority": shares,
        "trend": {},
        "counted": True,
        "at": _at(params),
        "distance": distance_by_provider(params),
    }


DISTANCE_BANDS = ("20 miles or less", "more than 20 miles", "distance not known")


def withhold_lines(table: pd.DataFrame, small: int) -> pd.DataFrame:
    """Cells of 1 to ``small - 1`` withheld (``NaN``), and more until no row or column has a
    single withheld cell (its value would be the line's total, shown elsewhere, less the rest).

    >>> t = pd.DataFrame({"a": [2.0, 10.0], "b": [7.0, 6.0]}, index=["x", "y"])
    >>> withhold_lines(t, 5).isna().to_numpy().tolist()
    [[True, True], [True, True]]
    >>> int(withhold_lines(pd.DataFrame({"a": [0.0, 9.0], "b": [8.0, 6.0]}), 5).isna().sum().sum())
    0
    """
    values = table.astype(float)
    hidden = (values > 0) & (values < small)
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = hidden.T if axis == 0 else hidden
            vals = values.T if axis == 0 else values
            for name in lines.index:
                row = lines.loc[name]
                if row.sum() == 1:
                    shown = vals.loc[name][~row & (vals.loc[name] > 0)]
                    if not shown.empty:
                        pick = shown.idxmin()
                        if axis == 0:
                            hidden.loc[pick, name] = True
                        else:
                            hidden.loc[name, pick] = True
                        changed = True
    return values.mask(hidden)


@cache
def _provider_groups() -> dict[str, str]:
    """PLACE_PROVIDER code -> provider group (``PR4`` -> ``private``), from the code lists."""
    from reportgen.indicators.blocks import _groups

    return {c: g for g, codes in _groups("PLACE_PROVIDER").items() for c in codes}


def distance_by_provider(params: ReportParams) -> dict[str, Any]:
    """903 sources: children looked after at the period's end by provider and distance from home
    (DfE formula, 20 miles), from the returns, with small cells withheld."""
    from reportgen.indicators import engine
    from reportgen.indicators.blocks import PROVIDER_CODES
    from reportgen.indicators.measures import NotAvailable
    from reportgen.indicators.sufficiency import distances

    prep = engine.prepared(engine.params_history(params), params.authority_code)
    frame = engine.make_frame(prep, params.period)
    try:
        miles = distances(frame)
    except NotAvailable as error:
        return {"available": False, "reason": str(error)}
    group = _provider_groups()
    codes = prep.e_provider[frame.cla_eff]
    providers = [
        group.get(PROVIDER_CODES[i], "not_reported") if i >= 0 else "not_reported" for i in codes
    ]
    limit = prep.options.distance_miles
    bands = np.where(
        np.isnan(miles),
        DISTANCE_BANDS[2],
        np.where(miles > limit, DISTANCE_BANDS[1], DISTANCE_BANDS[0]),
    )
    counts = (
        pd.crosstab(pd.Series(providers, name="provider"), pd.Series(bands, name="band"))
        .reindex(index=list(cst.PROVIDERS), columns=list(DISTANCE_BANDS), fill_value=0)
        .astype(float)
    )
    shown = withhold_lines(counts, params.disclosure.min_count)
    return {
        "available": True,
        "at": _at(params),
        "cells": {
            p: {b: (None if pd.isna(v) else float(v)) for b, v in row.items()}
            for p, row in shown.iterrows()
            if counts.loc[p].sum() > 0
        },
    }


def _by_type(cells: pd.DataFrame) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for key, group in cells.groupby("placement_type", sort=False):
        costed = group["weekly_unit_cost"].notna()
        out[str(key)] = {
            "children": float(group["children"].sum()),
            "weekly_cost": float(group.loc[costed, "weekly_cost"].sum()),
            "annual_cost": float(group.loc[costed, "annual_cost"].sum()),
            "costed": bool(costed.any()),
        }
    return out


def protect(costs: dict[str, float], withheld: set[str]) -> set[str]:
    """Withheld placement types, plus one more where the total less the types shown would give
    away a single withheld type's cost (and so its number of children).

    >>> sorted(protect({"homes": 300.0, "adoption": 0.0, "foster": 100.0, "sa": 50.0}, {"homes", "adoption"}))
    ['adoption', 'homes', 'sa']
    >>> sorted(protect({"homes": 300.0, "school": 80.0, "foster": 100.0}, {"homes", "school"}))
    ['homes', 'school']
    """
    withheld = set(withheld)
    costly = [k for k in withheld if costs.get(k, 0.0) > 0]
    if len(costly) == 1:
        others = sorted((v, k) for k, v in costs.items() if k not in withheld and v > 0)
        if others:
            withheld.add(others[0][1])
    return withheld


def counted_at_end(params: ReportParams) -> pd.DataFrame:
    """903 sources: children in each placement type x provider on the period's last day, counted
    from the returns' PLACE and PLACE_PROVIDER; a placement type with fewer children than the
    disclosure threshold is marked withheld (with one more beside it when it would be the total
    less the others), like any other count from the returns."""
    counts, _ = placement_days(params, last_day_only=True)
    counts = counts.reindex(columns=list(cst.PROVIDERS), fill_value=0.0)
    small = params.disclosure.min_count
    by_type = withhold_lines(counts.sum(axis=1).sort_index().to_frame(), small).iloc[:, 0]
    counts.attrs.update(
        note=(
            f"Counted from {'synthetic returns' if params.source == 'synthetic' else 'the returns'}: "
            f"children in each placement type and provider on {_at(params)}; types with fewer "
            f"than {small} children are withheld."
        ),
        seed_year=None,
        withheld=sorted(by_type.index[by_type.isna()]),
    )
    return counts


def costs_part(
    params: ReportParams,
    year: str,
    table: cst.CostTable,
    counted: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Estimated cost of the placements at the year end, with England's mix, a shift and trend.

    Published source: the type x provider table estimated from the DfE's two margins. 903 and
    synthetic sources: ``counted``, the table counted from the returns on the period's last day
    (:func:`counted_at_end`).
    """
    own = counted is not None
    try:
        counts = counted if own else cst.estimated_type_by_provider(params.authority_code, year)
    except (cst.IPFError, ValueError) as error:
        return {"available": False, "reason": str(error)}
    if own:
        year = year_label(params.period.collection_year)
        if float(counts.to_numpy().sum()) < params.disclosure.min_count:
            return {
                "available": False,
                "reason": (
                    f"fewer than {params.disclosure.min_count} children were looked after at the "
                    "period's end, so their placements' cost is withheld"
                ),
            }
    cells = cst.placement_costs(counts, table, year)
    by_type = _by_type(cells)
    seed_year = counts.attrs["seed_year"] or _latest_england_year(year)
    england = cst.england_type_by_provider(seed_year)
    at_england = cst.cost_at_england_mix(counts, england, table, year)
    children = cells.attrs["children"]
    shift = cst.shift_saving(table, SHIFT_FROM, SHIFT_TO, share=0.01, of=children, year=year)
    trend: dict[str, float | None] = {}
    for y in range(fc.time_period(year) - 4, fc.time_period(year) + 1) if not own else ():
        label = year_label(y)
        try:
            earlier = cst.estimated_type_by_provider(params.authority_code, label)
        except (cst.IPFError, ValueError):
            trend[label] = None
            continue
        trend[label] = cst.placement_costs(earlier, table, year).attrs["annual_cost"]
    figures = table.figures(year)
    own_cells = figures[figures["origin"] == "authority"] if "origin" in figures else figures[:0]
    return {
        "available": True,
        "year": year,
        "estimate_note": counts.attrs["note"],
        "counted": own,
        "at": _at(params) if own else f"31 March {fc.time_period(year)}",
        "seed_year": seed_year,
        "children": children,
        "costed_children": cells.attrs["costed_children"],
        "uncosted_children": cells.attrs["uncosted_children"],
        "weekly_cost": cells.attrs["weekly_cost"],
        "annual_cost": cells.attrs["annual_cost"],
        "annual_cost_england_mix": at_england.attrs["annual_cost"],
        "by_type": by_type,
        "withheld_types": sorted(
            protect(
                {k: v["annual_cost"] for k, v in by_type.items()},
                set(counts.attrs["withheld"]),
            )
        )
        if own
        else sorted(
            k for k, m in counts.attrs["margins"]["markers"].items() if k in cst.PLACEMENT_TYPES
        ),
        "unit_costs": {
            f"{r.placement_type}.{r.provider}": r.weekly_unit_cost
            for r in cells.itertuples()
            if not is_missing(r.weekly_unit_cost)
        },
        "shift": {
            "from": list(SHIFT_FROM),
            "to": list(SHIFT_TO),
            "children": shift.n_children,
            "weekly_from": shift.weekly_from,
            "weekly_to": shift.weekly_to,
            "annual_saving": shift.annual_saving,
        },
        "trend_at_this_years_prices": trend,
        "own_figures": sorted(f"{r.placement_type}.{r.provider}" for r in own_cells.itertuples()),
    }


def _latest_england_year(year: str) -> str:
    """England's type x provider table for ``year``, or the latest earlier one published."""
    years = sorted(int(y) for y in load_table(cst.NATIONAL_TABLE)["time_period"].unique())
    earlier = [y for y in years if y <= fc.time_period(year)]
    return year_label(earlier[-1] if earlier else years[0])


def _at(params: ReportParams) -> str:
    """The period's last day, "31 December 2024"."""
    return format_date(params.period.end)


def placement_days(
    params: ReportParams, last_day_only: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """903 sources: placement-days in the period, and distinct children, by type x provider.

    Every day a child spent in a placement within the period counts once (short breaks left
    out); temporary placements (T0-T4) count as ``other``, foster placements with a relative or
    friend (U1-U3) as ``kinship``, a missing provider as ``not_reported``. With
    ``last_day_only`` the window is the period's last day, so each cell is the number of children
    in that placement at the period's end.
    """
    from reportgen.core.periods import Period
    from reportgen.indicators import blocks, engine

    period: Period = params.period
    prep = engine.prepared(engine.params_history(params), params.authority_code)
    start, end = blocks.to_day(period.start), blocks.to_day(period.end) + 1
    if last_day_only:
        start = end - 1
    first = np.maximum(prep.e_decom, start)
    last = np.minimum(prep.e_end, end)
    days = np.maximum(last - first, 0)
    keep = (days > 0) & ~prep.e_short.astype(bool)
    place_group = {c: g for g, codes in blocks.PLACE_GROUPS.items() for c in codes}
    place_group.update({c: "kinship" for c in blocks.KINSHIP})
    provider_group = _provider_groups()
    places = np.array(blocks.PLACE_CODES, dtype=object)[prep.e_place[keep]]
    providers = np.array([*blocks.PROVIDER_CODES, ""], dtype=object)[
        np.where(prep.e_provider[keep] < 0, len(blocks.PROVIDER_CODES), prep.e_provider[keep])
    ]
    frame = pd.DataFrame(
        {
            "placement_type": [
                place_group.get(p, "other") if place_group.get(p) != "temporary" else "other"
                for p in places
            ],
            "provider": [provider_group.get(p, "not_reported") for p in providers],
            "days": days[keep].astype(float),
            "child": prep.e_child[keep],
        }
    )
    table = frame.pivot_table(
        index="placement_type", columns="provider", values="days", aggfunc="sum", fill_value=0.0
    )
    children = frame.groupby("placement_type")["child"].nunique()
    return table, children


def period_costs_part(params: ReportParams, table: cst.CostTable) -> dict[str, Any]:
    """903 sources: what the placements in the period cost (placement-days x daily unit cost).

    A placement type with fewer children than the disclosure threshold is withheld with its cost.
    """
    try:
        days, children = placement_days(params)
    except Exception as error:  # noqa: BLE001 - the paper says why, the run goes on
        return {"available": False, "reason": f"the 903 placements could not be read: {error}"}
    year = year_label(params.period.collection_year)
    small = params.disclosure.min_count
    if int(children.sum()) < small:  # distinct children per type: their sum bounds the total
        return {
            "available": False,
            "reason": f"fewer than {small} children were in placements during the period",
        }
    cells = cst.placement_days_cost(days, table, year=year)
    by_type: dict[str, dict[str, Any]] = {}
    for key, group in cells.groupby("placement_type", sort=False):
        n = int(children.get(key, 0))
        costed = group["weekly_unit_cost"].notna()
        by_type[str(key)] = {
            "days": float(group["days"].sum()),
            "cost": float(group.loc[costed, "cost"].sum()),
            "costed": bool(costed.any()),
            "withheld": 0 < n < small,
        }
    for key in protect(
        {k: v["cost"] for k, v in by_type.items()}, {k for k, v in by_type.items() if v["withheld"]}
    ):
        by_type[key]["withheld"] = True
    return {
        "available": True,
        "period": params.period.label,
        "year": year,
        "days": cells.attrs["days"],
        "uncosted_days": cells.attrs["uncosted_days"],
        "cost": cells.attrs["cost"],
        "by_type": by_type,
    }


# -- scenarios -----------------------------------------------------------------------------------


def scenarios_part(
    params: ReportParams, forecast: Any, costs: dict[str, Any], table: cst.CostTable
) -> list[dict[str, Any]]:
    """Children looked after and cost per year, for the baseline and each named scenario.

    Cost per year = projected children x this year's average annual cost per costed child
    (the estimated mix held), less the cumulative saving of any moves.
    """
    if forecast is None or not costs.get("available") or not params.scenarios:
        return []
    per_child = costs["annual_cost"] / max(costs["costed_children"], 1e-9)
    years = [y.year for y in forecast.years]
    rows = [
        {
            "name": "Baseline (recent trends continue)",
            "years": {
                y.year: {
                    "looked_after": y.looked_after.central,
                    "annual_cost": y.looked_after.central * per_child,
                }
                for y in forecast.years
            },
        }
    ]
    for scenario in params.scenarios:
        rows.append(
            _scenario_row(params, scenario, forecast, years, per_child, table, costs["year"])
        )
    return rows


def _scenario_row(
    params: ReportParams,
    scenario: ScenarioParams,
    baseline: Any,
    years: list[str],
    per_child: float,
    table: cst.CostTable,
    prices: str,
) -> dict[str, Any]:
    projected = baseline
    if scenario.entries_change:
        projected = run_forecast(
            params, entries_change=scenario.entries_change, from_year=scenario.from_year
        )
    start = years.index(scenario.from_year) if scenario.from_year else 0
    unit_saving = 0.0
    if scenario.move_from and scenario.move_to:
        from_cell = _cell(scenario.move_from, "move_from")
        to_cell = _cell(scenario.move_to, "move_to")
        unit_saving = table.weekly(*from_cell, prices) - table.weekly(*to_cell, prices)
    out = {}
    for index, y in enumerate(projected.years):
        moved = scenario.children_per_year * max(0, index - start + 1)
        saving = moved * unit_saving * cst.WEEKS_PER_YEAR
        out[y.year] = {
            "looked_after": y.looked_after.central,
            "annual_cost": y.looked_after.central * per_child - saving,
            "moved": moved,
        }
    return {"name": scenario.name, "years": out}


# -- the notebook's entry point ---------------------------------------------------------------------


def outlook_path(work_dir: Path) -> Path:
    """``work/outlook.json``."""
    return Path(work_dir) / OUTLOOK_JSON


def compute(params: ReportParams) -> dict[str, Any]:
    """Everything the "Looking ahead" and costs parts need, as plain data."""
    table = load_unit_costs(params)
    year = forecast_year(params)
    forecast = forecast_part(params)
    model = forecast.pop("_forecast", None)
    counted = counted_at_end(params) if params.source != "published" else None
    costs = costs_part(params, year, table, counted)
    market = provider_mix(params, year)
    if counted is not None and costs.get("available"):
        market = _counted_market(params, market, counted)
    period_costs = period_costs_part(params, table) if params.source != "published" else None
    return {
        "period_costs": period_costs,
        "authority_code": params.authority_code,
        "source": params.source,
        "year": year,
        "forecast": forecast,
        "market": market,
        "costs": costs,
        "scenarios": scenarios_part(params, model, costs, table),
        "unit_cost_sources": _sources(table, year),
        "inflation": table.inflation.name if hasattr(table, "inflation") else "",
    }


def _sources(table: cst.CostTable, year: str) -> list[dict[str, Any]]:
    figures = table.figures(year)
    keep = [
        c
        for c in figures.columns
        if c in {"placement_type", "provider", "weekly", "origin", "source", "price_base", "year"}
    ]
    return json.loads(figures[keep].to_json(orient="records"))


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return None if np.isnan(value) else round(value, 4)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def write_outlook(data: dict[str, Any], work_dir: Path) -> Path:
    """Write ``work/outlook.json`` (rounded, sorted keys: byte-reproducible)."""
    path = outlook_path(work_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_round(data), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_outlook(work_dir: Path) -> dict[str, Any] | None:
    """The outlook a notebook wrote, or ``None`` (a paper written before it existed)."""
    path = outlook_path(work_dir)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def draw_charts(data: dict[str, Any], work_dir: Path, authority_name: str) -> dict[str, Any]:
    """The fan chart and the provider chart, as PNGs under ``work_dir`` with alt text."""
    from reportgen.report import charts

    drawn: dict[str, Any] = {}
    forecast = data["forecast"]
    if forecast.get("available"):
        history = dict(
            zip(forecast["history"]["years"], forecast["history"]["looked_after"], strict=True)
        )
        figure, alt = charts.fan_chart(
            history,
            forecast["years"],
            authority_name,
            "from the returns" if forecast.get("own_returns") else "published",
        )
        charts.save_png(figure, Path(work_dir) / "forecast_fan.png")
        last = forecast["years"][-1]["at"]
        drawn["forecast_fan"] = {
            "file": "forecast_fan.png",
            "alt_text": alt,
            "caption": f"Children looked after: published figures and the projection to {last}",
        }
    if len(data.get("scenarios") or ()) > 1:
        year = data["costs"]["year"]
        figure, alt = charts.scenario_chart(data["scenarios"], year)
        charts.save_png(figure, Path(work_dir) / "scenarios.png")
        drawn["scenarios"] = {
            "file": "scenarios.png",
            "alt_text": alt,
            "caption": f"What each scenario would save a year against the baseline, {year} prices",
        }
    market = data["market"]
    if market.get("authority"):
        series = {authority_name: market["authority"], "England": market["england"] or {}}
        if market["neighbour_count"]:
            series["Statistical neighbours"] = market["neighbours"]
        try:
            figure, alt = charts.provider_bars(series, PROVIDER_LABELS)
        except charts.NoDataError:
            return drawn
        charts.save_png(figure, Path(work_dir) / "providers.png")
        drawn["providers"] = {
            "file": "providers.png",
            "alt_text": alt,
            "caption": f"Children looked after by placement provider, {market['year']}",
        }
    return drawn


def run_outlook(params: ReportParams, work_dir: Path) -> dict[str, Any]:
    """Compute the outlook, draw its charts and write ``work/outlook.json`` (the notebook's job).

    Returns
    -------
    dict
        What was written (also shown in the executed notebook).
    """
    data = compute(params)
    data["charts"] = draw_charts(data, Path(work_dir), params.authority_name)
    write_outlook(data, Path(work_dir))
    return data


def with_options(
    params: ReportParams,
    *,
    horizon: int | None = None,
    window: int | None = None,
    simulations: int | None = None,
) -> ReportParams:
    """``params`` with the forecast options an analyst set in the notebook (``None``: keep).

    Raises
    ------
    ParamsError
        A horizon outside 1-4, a window under 3 years, too few or too many simulations.
    """
    from pydantic import ValidationError

    from reportgen.core.config import ForecastParams

    update = {
        k: v
        for k, v in {"horizon": horizon, "window": window, "simulations": simulations}.items()
        if v is not None
    }
    if not update:
        return params
    try:
        options = ForecastParams(**{**params.forecast.model_dump(), **update})
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(p) for p in first["loc"])
        raise ParamsError(
            f"forecast {key}: {first['msg']} (accepted: horizon 1 to 4 years, window 3 to 10 "
            "years, simulations 100 to 20,000)"
        ) from None
    return params.model_copy(update={"forecast": options})


def summary_frame(data: dict[str, Any]) -> pd.DataFrame:
    """The projection as a table for the notebook: one row per year, counts and ranges."""
    forecast = data["forecast"]
    if not forecast.get("available"):
        return pd.DataFrame({"no forecast": [forecast.get("reason", "")]})
    rows = []
    for y in forecast["years"]:
        band = y["looked_after"]
        rows.append(
            {
                "year": y["year"],
                "most likely": round(band["central"]),
                "80% range": f"{band['low80']:.0f} to {band['high80']:.0f}",
                "95% range": f"{band['low95']:.0f} to {band['high95']:.0f}",
                "rate per 10,000": round(y["rate_per_10k"]["central"]),
                "starts": round(y["starts"]["central"]),
                "leavers": round(y["leavers"]["central"]),
            }
        )
    return pd.DataFrame(rows)
