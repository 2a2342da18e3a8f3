"""The SSDA903 indicator engine: an authority's own figures, for any period, from its 903 returns.

Public API
----------
:func:`load_history`
    Read a folder of returns (one subfolder per collection year), cached per process.
:func:`compute`
    ``{id: Value}`` for one authority and period (value, marker, note).
:func:`values`
    ``{id: float or None}`` for every registry id (the ``reportgen indicators`` JSON).
:func:`compute_all`
    A frame of every authority in a history (rows) by indicator (columns): the benchmark and
    anyone comparing many authorities' returns.
:func:`family_results`
    :class:`~reportgen.indicators.result.IndicatorResult` objects for a report section: value
    from 903, previous comparable period, the authority's trend over the years the returns
    cover, England and statistical-neighbour comparators from the published DfE tables.
:func:`detail`
    The per-child rows behind one figure, for analysts in notebooks (never in a report).
:func:`check_return` / :func:`validate_input`
    Refuse to report on returns with validation errors (unless ``allow_invalid_903``).

Periods: a collection year, a quarter, a month or any date range (:mod:`reportgen.core.periods`).
Snapshot indicators are taken on the period's last day and flows count events within it;
placement stability uses the 12 months to the last day, long-term stability looks back 2.5
years, adoption timeliness uses the 3 years to the last day (for a collection year these are the
DfE definitions), and care-leaver figures cover young people whose birthday fell in the period.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from reportgen.core.errors import DataError, ParamsError, ReportgenError
from reportgen.core.periods import Period, as_period, parse_period, year_label
from reportgen.indicators import adoption, care_leavers, registry, sufficiency  # noqa: F401
from reportgen.indicators.blocks import (
    DEFAULT_OPTIONS,
    LS_CODES,
    NAT,
    OPEN,
    PLACE_CODES,
    PROVIDER_CODES,
    REC_CODES,
    RNE_CODES,
    EngineOptions,
    Prepared,
    prepare,
)
from reportgen.indicators.measures import FUNCTIONS, TIMINGS, Frame, Measure, NotAvailable
from reportgen.indicators.result import IndicatorResult
from reportgen.sources import choose
from reportgen.sources.choose import (  # noqa: F401 (engine API)
    check_return,
    load_history,
)
from reportgen.sources.ssda903.read import History

NOT_AVAILABLE = "not available"
"""Marker of a figure the returns cannot give (a table or a year is missing); see the note."""

NOT_APPLICABLE = "z"
"""Marker of a percentage or average with nobody in its denominator (the DfE's 'z')."""

NEEDS_PUBLISHED = registry.NEEDS_PUBLISHED
"""Marker of a published-only figure (no 903 function, no ``not_from_903`` reason declared)."""


def not_from_903(indicator_id: str) -> str:
    """Why an id with no 903 function has no value from 903 returns (its registry declaration:
    the ``not_from_903`` reason, else that it needs the DfE's published data)."""
    ind = registry.get(indicator_id)
    if ind.not_from_903:
        return ind.not_from_903
    where = f" ({', '.join(ind.source_tables)})" if ind.source_tables else ""
    return f"needs the DfE's published data{where}: not computed from 903 returns"


TREND_YEARS = 5
"""How many collection years (ending at the period's year) a trend covers."""

ONS_POPULATION = "ons_mid-year_population_estimates_2012_to_2024"
CLA_NUMBERS = "cla_number_and_rate_per_10k_children"


@dataclass(frozen=True)
class Value:
    """One figure: ``value`` (None when missing), the ``marker`` saying why, and a ``note``."""

    value: float | None
    marker: str | None = None
    note: str = ""
    denominator: float | None = None
    """How many children a percentage is of (for disclosure control; None otherwise)."""


@dataclass
class Outcome:
    """One indicator for every authority of a prepared history (arrays by authority)."""

    values: np.ndarray
    markers: list[str | None]
    note: str = ""
    denominators: np.ndarray | None = None
    """A percentage's denominator by authority (disclosure control needs it)."""

    def at(self, index: int) -> Value:
        value = self.values[index]
        den = None if self.denominators is None else float(self.denominators[index])
        return Value(None if np.isnan(value) else float(value), self.markers[index], self.note, den)


# --------------------------------------------------------------------------------------------
# Periods


def previous_period(period: Period | str) -> Period:
    """The previous comparable period: the previous year, quarter, month, or the same number of
    days just before a date range.

    >>> previous_period("2024-25").label, previous_period("2024-25 Q1").label
    ('2023-24', '2023-24 Q4')
    >>> previous_period("2025-01").label, previous_period("2024-04-01:2024-06-30").label
    ('2024-12', '2024-01-01:2024-03-31')
    """
    period = as_period(period)
    if period.kind == "year":
        return Period.for_collection_year(period.collection_year - 1)
    if period.kind == "quarter":
        quarter = period.quarter or 1
        year = period.collection_year - (1 if quarter == 1 else 0)
        return parse_period(f"{year_label(year)} Q{4 if quarter == 1 else quarter - 1}")
    before = period.start - pd.Timedelta(days=1).to_pytimedelta()
    if period.kind == "month":
        found = parse_period(f"{before.year:04d}-{before.month:02d}")
        if found.kind == "month":
            return found
        return Period(f"{before:%Y-%m}", "month", before.replace(day=1), before)
    first = before - pd.Timedelta(days=period.days - 1).to_pytimedelta()
    return parse_period(f"{first.isoformat()}:{before.isoformat()}")


def trend_years(period: Period, available: Iterable[int]) -> list[int]:
    """Collection years of a trend: up to :data:`TREND_YEARS` ending with the last complete
    collection year of the period (the period's own year for a collection year), among
    ``available``."""
    last = period.collection_year
    if not (period.end.month == 3 and period.end.day == 31):
        last -= 1
    have = set(available)
    return [y for y in range(last - TREND_YEARS + 1, last + 1) if y in have]


# --------------------------------------------------------------------------------------------
# Histories and their prepared arrays


_PREPARED: dict[int, tuple[weakref.ref, dict]] = {}


def prepared(
    history: History | Prepared, authority: str = "", options: EngineOptions | None = None
) -> Prepared:
    """The :class:`~reportgen.indicators.blocks.Prepared` arrays of a history (cached)."""
    if isinstance(history, Prepared):
        return history
    options = options or DEFAULT_OPTIONS
    entry = _PREPARED.get(id(history))
    if entry is None or entry[0]() is not history:
        entry = (weakref.ref(history), {})
        _PREPARED[id(history)] = entry
        weakref.finalize(history, _PREPARED.pop, id(history), None)
    store = entry[1]
    key = (authority, options)
    if key not in store:
        store[key] = prepare(history, authority, options)
    return store[key]


# --------------------------------------------------------------------------------------------
# Population (ONS mid-year estimates of children aged 0-17)


@cache
def _population_lookup() -> tuple[dict[tuple[str, int], float], dict[tuple[str, int], float]]:
    from reportgen.core.tables import load_table

    ons = load_table(ONS_POPULATION)
    ons = ons[ons["population_estimate"].notna() & ons["new_la_code"].notna()]
    by_mid_year = {
        (str(c), int(y)): float(v)
        for c, y, v in zip(
            ons["new_la_code"], ons["time_period"], ons["population_estimate"], strict=True
        )
    }
    cla = load_table(CLA_NUMBERS)
    cla = cla[cla["population_estimate"].notna() & cla["new_la_code"].notna()]
    by_year = {
        (str(c), int(y)): float(v)
        for c, y, v in zip(
            cla["new_la_code"], cla["time_period"], cla["population_estimate"], strict=True
        )
    }
    return by_mid_year, by_year


def population(la_codes: Sequence[str], collection_year: int) -> tuple[np.ndarray, str]:
    """ONS 0-17 population of each authority for a collection year, and a note.

    The year ending 31 March Y uses the mid-(Y-1) estimate (``indicators.md`` §5): from the ONS
    table, else the population the DfE used for year Y, else the latest earlier estimate (said in
    the note).
    """
    by_mid_year, by_year = _population_lookup()
    mid = collection_year - 1
    out = np.full(len(la_codes), np.nan)
    fallback: set[int] = set()
    for i, code in enumerate(la_codes):
        if (code, mid) in by_mid_year:
            out[i] = by_mid_year[(code, mid)]
        elif (code, collection_year) in by_year:
            out[i] = by_year[(code, collection_year)]
        else:
            years = [y for (c, y) in by_mid_year if c == code and y < mid]
            if years:
                out[i] = by_mid_year[(code, max(years))]
                fallback.add(max(years))
    note = ""
    if fallback:
        note = (
            f"no ONS estimate for mid-{mid} yet: the rate uses the mid-{max(fallback)} "
            "population of children aged 0 to 17"
        )
    return out, note


# --------------------------------------------------------------------------------------------
# Evaluating indicators


def _aggregate(measure: Measure, frame: Frame) -> Outcome:
    p = frame.p
    n_la = p.n_la
    la = p.child_la[measure.child]
    num = np.bincount(la, weights=measure.num, minlength=n_la).astype(float)
    markers: list[str | None] = [None] * n_la
    note = "; ".join(measure.notes)
    if measure.kind == "count":
        return Outcome(num, markers, note)
    if measure.kind == "rate":
        pop = frame.population if frame.population is not None else np.full(n_la, np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            values = num * 10_000 / pop
        missing = ~np.isfinite(values)
        values[missing] = np.nan
        markers = [NOT_AVAILABLE if m else None for m in missing]
        if missing.any():
            note = "; ".join(
                filter(None, [note, "no ONS population estimate of children for this authority"])
            )
        elif frame.population_note:
            note = "; ".join(filter(None, [note, frame.population_note]))
        return Outcome(values, markers, note)
    den = np.bincount(la, weights=measure.den, minlength=n_la).astype(float)
    scale = 100.0 if measure.kind == "percent" else 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(den > 0, num * scale / np.where(den > 0, den, 1), np.nan)
    markers = [NOT_APPLICABLE if d == 0 else None for d in den]
    return Outcome(values, markers, note, den if measure.kind == "percent" else None)


def make_frame(prep: Prepared, period: Period | str) -> Frame:
    """The :class:`~reportgen.indicators.measures.Frame` of a period (with its population)."""
    period = as_period(period)
    pop, note = population(prep.la_codes, period.collection_year)
    return Frame(prep, period, pop, note)


def evaluate(
    prep: Prepared, period: Period | str, ids: Iterable[str] | None = None
) -> dict[str, Outcome]:
    """Every 903 indicator (or ``ids``) for every authority of a prepared history.

    A figure the returns cannot give is NaN with marker ``"not available"`` and a note; a
    percentage with an empty denominator is NaN with marker ``"z"``. Results are cached on the
    prepared history per period.
    """
    period = as_period(period)
    wanted = list(FUNCTIONS) if ids is None else [i for i in ids if i in FUNCTIONS]
    store = prep.cache.setdefault("outcomes", {}).setdefault(period.label, {})
    todo = [i for i in wanted if i not in store]
    if todo:
        frame = make_frame(prep, period)
        for id_ in todo:
            try:
                store[id_] = _aggregate(FUNCTIONS[id_].function(frame), frame)
            except (NotAvailable, DataError) as missing:
                store[id_] = Outcome(
                    np.full(prep.n_la, np.nan), [NOT_AVAILABLE] * prep.n_la, str(missing)
                )
    return {i: store[i] for i in wanted}


def compute(
    history: History | Prepared,
    authority: str,
    period: Period | str,
    ids: Iterable[str] | None = None,
    options: EngineOptions | None = None,
) -> dict[str, Value]:
    """One authority's 903 figures for a period.

    Parameters
    ----------
    history
        Returns from :func:`load_history` (or :func:`reportgen.sources.ssda903.read.read_history`).
    authority
        The authority's GSS code (used for placements outside the authority and populations).
    period
        A :class:`~reportgen.core.periods.Period` or its text (``2024-25``, ``2024-25 Q3``,
        ``2025-01``, ``2024-04-01:2024-06-30``).
    ids
        Indicator ids (default: every id the engine computes).
    options
        :class:`~reportgen.indicators.blocks.EngineOptions`.

    Returns
    -------
    dict of id -> Value
    """
    prep = prepared(history, authority, options)
    index = prep.la_codes.index(authority) if authority in prep.la_codes else 0
    return {i: o.at(index) for i, o in evaluate(prep, period, ids).items()}


def values(
    history: History | Prepared,
    authority: str,
    period: Period | str,
    options: EngineOptions | None = None,
) -> dict[str, float | None]:
    """Every registry id -> the authority's 903 value (None when missing or not from 903)."""
    found = compute(history, authority, period, options=options)
    return {i: (found[i].value if i in found else None) for i in registry.REGISTRY}


def compute_all(
    history: History | Prepared,
    period: Period | str,
    ids: Iterable[str] | None = None,
    options: EngineOptions | None = None,
) -> pd.DataFrame:
    """Every authority of a history (rows, by GSS code) by indicator (columns); NaN = missing.

    The history's Header needs an ``LA`` column saying which authority each child belongs to
    (otherwise the one row is labelled ``""``).
    """
    prep = prepared(history, "", options)
    outcomes = evaluate(prep, period, ids)
    return pd.DataFrame(
        {i: o.values for i, o in outcomes.items()}, index=pd.Index(prep.la_codes, name="LA")
    )


# --------------------------------------------------------------------------------------------
# Per-child detail (analysts only)

DATE_FIELDS = frozenset(
    {
        "period_of_care_start",
        "same_carer_since",
        "entry",
        "placed",
        "order",
        "match",
        "birthday",
    }
)


def _dates(days: np.ndarray) -> pd.Series:
    days = np.asarray(days, dtype=np.int64)
    unknown = (days == NAT) | (days == OPEN)
    values = np.where(unknown, 0, days).astype("datetime64[D]").astype("datetime64[s]")
    return pd.Series(values).mask(unknown)


def _decode(indexes: np.ndarray, vocabulary: Sequence[str]) -> np.ndarray:
    return np.array(list(vocabulary) + [None], dtype=object)[indexes]


def detail(
    indicator_id: str,
    history: History | Prepared,
    period: Period | str,
    authority: str = "",
    options: EngineOptions | None = None,
) -> pd.DataFrame:
    """The per-child rows behind one 903 figure (for analysts; never put it in a report).

    Returns
    -------
    pandas.DataFrame
        One row per child of the indicator's cohort: ``CHILD`` (and ``LA`` for a multi-authority
        history); ``counted`` (counts and rates) or ``in_denominator`` / ``in_numerator``
        (percentages) or ``in_denominator`` / ``days`` (averages); the episode the figure
        rests on (``DECOM``, ``DEC``, ``RNE``, ``LS``, ``PLACE``, ``PLACE_PROVIDER``, ``REC``,
        and ``PLACE_COUNTED`` when a temporary placement was replaced by the one before it);
        and the indicator's own columns (placements, miles, dates ...).

    Raises
    ------
    ParamsError
        For an id the engine does not compute.
    DataError
        When the returns cannot give the figure (the note says why).
    """
    registry.get(indicator_id)
    if indicator_id not in FUNCTIONS:
        raise ParamsError(
            f"indicator '{indicator_id}' is not computed from 903 returns: "
            f"{not_from_903(indicator_id)}"
        )
    prep = prepared(history, authority, options)
    frame = make_frame(prep, period)
    try:
        measure = FUNCTIONS[indicator_id].function(frame)
    except NotAvailable as missing:
        raise DataError(f"{indicator_id} for {frame.period.label}: {missing}") from None
    out = pd.DataFrame({"CHILD": prep.child_ids[measure.child]})
    if prep.n_la > 1:
        out["LA"] = np.asarray(prep.la_codes, dtype=object)[prep.child_la[measure.child]]
    if measure.kind in ("count", "rate"):
        out["counted"] = measure.num > 0
    elif measure.kind == "percent":
        out["in_denominator"] = measure.den
        out["in_numerator"] = measure.num > 0
    else:
        out["in_denominator"] = measure.den
        out["days"] = np.where(measure.den, measure.num, np.nan)
    if measure.episode is not None:
        rows = measure.episode
        out["DECOM"] = _dates(prep.e_decom[rows])
        out["DEC"] = _dates(prep.e_dec[rows])
        out["RNE"] = _decode(prep.e_rne[rows], RNE_CODES)
        out["LS"] = _decode(prep.e_ls[rows], LS_CODES)
        out["PLACE"] = _decode(prep.e_place[rows], PLACE_CODES)
        out["PLACE_PROVIDER"] = _decode(prep.e_provider[rows], PROVIDER_CODES)
        out["REC"] = _decode(prep.e_rec[rows], REC_CODES)
        eff = prep.e_eff[rows]
        if (eff != rows).any():
            out["PLACE_COUNTED"] = _decode(prep.e_place[eff], PLACE_CODES)
    for name, column in measure.extra.items():
        out[name] = _dates(column) if name in DATE_FIELDS else column
    return out.sort_values("CHILD", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Report results: value, previous period, trend, comparators


@cache
def _published_family(
    family: str, authority: str, year: int, neighbours: tuple[str, ...]
) -> dict[str, IndicatorResult]:
    from reportgen.indicators import published

    return {r.id: r for r in published.family_results(family, authority, year, list(neighbours))}


def _published_years() -> list[int]:
    from reportgen.indicators import published

    return published.available_years()


def _comparators(
    family: str, authority: str, year: int | None, neighbours: Sequence[str]
) -> dict[str, IndicatorResult]:
    if year is None:
        return {}
    try:
        return _published_family(family, authority, year, tuple(neighbours))
    except ReportgenError:
        return {}


def comparator_year(period: Period) -> int | None:
    """The published year to compare a period with: its own collection year when published,
    else the latest published year before it (None when there is none)."""
    years = [y for y in _published_years() if y <= period.collection_year]
    return max(years) if years else None


def _source_text(prep: Prepared, period: Period, year: int | None, returns: str) -> str:
    first, last = year_label(prep.years[0]), year_label(prep.years[-1])
    covered = first if first == last else f"{first} to {last}"
    text = f"{returns} {covered}"
    if year is None:
        return text + "; no published comparators for this period"
    text += f"; England and statistical neighbours: DfE published {year_label(year)}"
    if not period.is_collection_year or year != period.collection_year:
        text += f" (the latest published year; the period is {period.label})"
    return text


def _not_comparable(id_: str, period: Period) -> bool:
    """Annual England/neighbour counts and rates do not compare with part of a year's flow."""
    spec = FUNCTIONS.get(id_)
    if spec is None or period.spans_collection_year:
        return False
    unit = registry.get(id_).unit
    return spec.timing in ("flow", "birthdays") and unit in ("count", "rate")


def _with_note(fields: dict[str, Any], note: str) -> dict[str, Any]:
    if not note:
        return fields
    if "note" in IndicatorResult.model_fields:
        return fields | {"note": note}
    return fields | {"source": f"{fields.get('source', '')}; note: {note}"}


def family_results(
    family: str,
    history: History | Prepared,
    authority: str,
    period: Period | str,
    neighbours: Sequence[str] = (),
    options: EngineOptions | None = None,
    returns: str = "SSDA903 returns",
) -> list[IndicatorResult]:
    """A report section's results, the authority's figures from 903.

    Parameters
    ----------
    family
        ``sufficiency``, ``adoption`` or ``care_leavers``.
    history, authority, period, options
        As :func:`compute`.
    neighbours
        GSS codes of the statistical neighbours (for ``sn_mean``).
    returns
        What the returns are, for the ``source`` text (``"synthetic SSDA903 returns"``).

    Returns
    -------
    list of IndicatorResult
        One per registry id of the family. ``previous`` is the previous comparable period
        (:func:`previous_period`, named in ``previous_period``); ``trend`` the authority's values
        for the collection years the returns cover (:func:`trend_years`); England and neighbour
        values and trends come from the published tables for :func:`comparator_year`, and are
        left out for counts and rates of flows over part of a year. ``source`` says which
        returns and which published year were used; a missing figure has marker
        ``"not available"`` and its reason in the note.
    """
    period = as_period(period)
    prep = prepared(history, authority, options)
    index = prep.la_codes.index(authority) if authority in prep.la_codes else 0
    indicators = registry.by_family(family)
    ids = [ind.id for ind in indicators]
    current = evaluate(prep, period, ids)
    before = previous_period(period)
    previous = evaluate(prep, before, ids)
    years = trend_years(period, set(prep.years) | set(_published_years()))
    trends = {
        y: (evaluate(prep, Period.for_collection_year(y), ids) if y in prep.years else {})
        for y in years
    }
    comp_year = comparator_year(period)
    comparators = _comparators(family, authority, comp_year, neighbours)
    published_by_year = {
        y: _comparators(family, authority, y, neighbours) for y in years if y in _published_years()
    }
    source = _source_text(prep, period, comp_year, returns)
    results = []
    for ind in indicators:
        if ind.id in current:
            value = current[ind.id].at(index)
            prev = previous[ind.id].at(index)
        else:
            why = not_from_903(ind.id)
            marker = NOT_AVAILABLE if ind.not_from_903 else NEEDS_PUBLISHED
            value = Value(None, marker, why)
            prev = Value(None, marker, why)
        comparable = not _not_comparable(ind.id, period)
        comp = comparators.get(ind.id) if comparable else None
        trend = {
            year_label(y): (trends[y][ind.id].at(index).value if ind.id in trends[y] else None)
            for y in years
        }
        trend_denominators = {
            year_label(y): trends[y][ind.id].at(index).denominator
            for y in years
            if ind.id in trends[y]
        }

        def published_trend(attribute: str, ind_id: str = ind.id) -> dict[str, float | None]:
            return {
                year_label(y): (
                    getattr(published_by_year[y][ind_id], attribute)
                    if y in published_by_year and ind_id in published_by_year[y]
                    else None
                )
                for y in years
            }

        fields: dict[str, Any] = {
            "id": ind.id,
            "family": ind.family,
            "title": ind.title,
            "unit": ind.unit,
            "polarity": ind.polarity,
            "period": period.label,
            "value": value.value,
            "marker": value.marker,
            "previous": prev.value,
            "previous_marker": prev.marker,
            "previous_period": before.label,
            "england": comp.england if comp else None,
            "england_marker": comp.england_marker if comp else None,
            "sn_mean": comp.sn_mean if comp else None,
            "sn_n": comp.sn_n if comp else 0,
            "trend": trend,
            "england_trend": published_trend("england"),
            "sn_trend": published_trend("sn_mean"),
            "source": source,
            "denominator": value.denominator,
            "previous_denominator": prev.denominator,
            "trend_denominators": trend_denominators,
        }
        results.append(IndicatorResult(**_with_note(fields, value.note)))
    return results


DASHBOARD_IDS = (
    "cla_at_end",
    "started",
    "ceased",
    "placement_foster_in_house",
    "placement_foster_ifa",
    "placement_childrens_homes",
    "placement_supported_accommodation",
    "placed_outside_la_pct",
)
"""The measures of the monthly dashboard (after Southwark's sufficiency dashboard)."""


def monthly(params: Any, months: int = 12) -> dict[str, dict[str, float | None]]:
    """The dashboard measures for each of the ``months`` calendar months ending with the period.

    Returns
    -------
    dict
        ``{"2025-01": {"cla_at_end": 694.0, ...}, ...}`` oldest first; empty for published data.
    """
    if params.source == "published":
        return {}
    history = params_history(params)
    end = params.period.end
    labels = []
    year, month = end.year, end.month
    for _ in range(months):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    out = {}
    for label in reversed(labels):
        found = compute(history, params.authority_code, label)
        out[label] = {i: (found[i].value if i in found else None) for i in DASHBOARD_IDS}
    return out


def synthetic_history(params: Any) -> History:
    """The synthetic returns for a report's authority and period, calibrated to the published
    values (:func:`reportgen.sources.choose.synthetic_history` with
    :func:`reportgen.indicators.published.published_values` handed in)."""
    from reportgen.indicators.published import published_values

    return choose.synthetic_history(params, published_values)


def params_history(params: Any) -> History:
    """The 903 history a report's params point at: the authority's returns, or synthetic ones
    (:func:`synthetic_history`)."""
    if params.source == "synthetic":
        return synthetic_history(params)
    return load_history(params.input)


def report_results(family: str, params: Any) -> list[IndicatorResult]:
    """What ``sections.compute_indicators`` returns for the ``ssda903`` and ``synthetic``
    sources: the family's results for the authority and period in ``params``."""
    synthetic = params.source == "synthetic"
    if not synthetic:
        check_return(params)  # refuse returns with errors before reading them for the figures
    return family_results(
        family,
        params_history(params),
        params.authority_code,
        params.period,
        list(params.statistical_neighbours),
        returns="synthetic SSDA903 returns" if synthetic else "SSDA903 returns",
    )


def timing_of(indicator_id: str) -> str:
    """How the period applies to an indicator, in words (empty when not from 903)."""
    spec = FUNCTIONS.get(indicator_id)
    return TIMINGS[spec.timing] if spec else ""
