"""Indicator values read from the DfE published tables, for every geography at once.

:func:`published_values` turns the shipped tables (``data/published``) into one long frame: one row
per geography, year and indicator id, with the published value (float, NaN where the DfE wrote a
marker) and the marker. Extraction is declared in the registry (each
:class:`~reportgen.indicators.registry.Indicator`'s ``published``): :data:`EXTRACTS` says which
file, which rows and which value column give each id; :data:`DERIVED` gives the few ids that are
signed sums of other rows.
:func:`family_results` then builds the :class:`~reportgen.indicators.result.IndicatorResult` list of
one family for an authority, with its previous year, England, statistical-neighbour mean and trend.

Values are stored as published: DfE percentages and rates are whole numbers, LA counts are not
rounded, England and regional counts are rounded to the nearest 10. A marker (``c``, ``k``, ``z``,
``x``) is *missing*, never zero.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pandas as pd
import pyarrow.parquet as pq

from reportgen.core.errors import PeriodError, UnknownAuthorityError
from reportgen.core.paths import DATA_DIR
from reportgen.core.tables import ENGLAND_CODE, load_table, split_markers  # noqa: F401 (re-exported)
from reportgen.indicators import registry
from reportgen.indicators.registry import Extract, Sum
from reportgen.indicators.result import IndicatorResult

"""The ONS code used as ``new_la_code`` for England rows."""

NOT_PUBLISHED = "not published"
"""Marker for an id the published tables do not hold for that geography and year."""

DAYS_PER_MONTH = registry.DAYS_PER_MONTH
"""Days in an average month: converts the DfE's ``YY:MM`` adoption stage durations to days."""

TREND_YEARS = 5
"""How many years (ending at the report year) a result's trend covers."""

COLUMNS = [
    "geographic_level",
    "new_la_code",
    "old_la_code",
    "la_name",
    "year",
    "indicator",
    "value",
    "marker",
]
"""Columns of :func:`published_values`."""


def _declared() -> tuple[dict[str, Extract], dict[str, tuple[tuple[str, int], ...]]]:
    """Extracts and signed sums of every registry id with published data.

    The parts of a :class:`~reportgen.indicators.registry.Sum` are read as private ids
    (``_part_0`` ...; one per distinct extract), dropped from the output once summed.
    """
    extracts: dict[str, Extract] = {}
    derived: dict[str, tuple[tuple[str, int], ...]] = {}
    parts: dict[Extract, str] = {}
    for ind in registry.REGISTRY.values():
        if isinstance(ind.published, Extract):
            extracts[ind.id] = ind.published
        elif isinstance(ind.published, Sum):
            terms = []
            for spec, sign in ind.published.terms:
                part = parts.setdefault(spec, f"_part_{len(parts)}")
                extracts[part] = spec
                terms.append((part, sign))
            derived[ind.id] = tuple(terms)
    return extracts, derived


EXTRACTS, DERIVED = _declared()
"""``EXTRACTS``: indicator id (or private ``_part`` id) -> where its values are published (the
registry's declarations). ``DERIVED``: indicator id -> signed parts; missing if a part is
missing (with that part's marker)."""

SOURCES: dict[str, str] = {
    ind.id: ind.published.table for ind in registry.REGISTRY.values() if ind.published is not None
}
"""Indicator id -> the published table stem its values come from."""


def period_label(year: int) -> str:
    """Label of the reporting year ending 31 March ``year``.

    Examples
    --------
    >>> period_label(2025)
    '2024-25'
    """
    return f"{year - 1}-{year % 100:02d}"


def _geography(table: pd.DataFrame) -> pd.DataFrame:
    """Geography columns with regions and England given codes and names."""
    missing = pd.Series(pd.NA, index=table.index, dtype=object)
    level = table["geographic_level"]
    regional, national = level.eq("Regional"), level.eq("National")
    code = table.get("new_la_code", missing).astype(object)
    name = table.get("la_name", missing).astype(object)
    code = code.mask(regional, table.get("region_code", missing)).mask(national, ENGLAND_CODE)
    name = name.mask(regional, table.get("region_name", missing)).mask(national, "England")
    old = table.get("old_la_code", missing).astype(object)
    return pd.DataFrame(
        {
            "geographic_level": level,
            "new_la_code": code,
            "old_la_code": old.where(old.notna(), None),
            "la_name": name,
            "year": table["time_period"].astype(int),
        }
    )


_GEOGRAPHY_COLUMNS = (
    "time_period",
    "geographic_level",
    "region_code",
    "region_name",
    "old_la_code",
    "la_name",
    "new_la_code",
)


def _read(table: str, columns: set[str]) -> pd.DataFrame:
    """Read only the columns needed from one shipped table, all as published strings.

    :func:`reportgen.core.tables.load_table` parses every value column of every row;
    reading the few columns needed and parsing only the selected rows (with the same
    :func:`~reportgen.core.tables.split_markers`) keeps :func:`published_values` fast.
    """
    path = DATA_DIR / f"{table}.parquet"
    if not path.exists():
        load_table(table)  # raises the DataError that says how to restore the file
    present = set(pq.read_schema(path).names)
    wanted = [c for c in (*_GEOGRAPHY_COLUMNS, *sorted(columns)) if c in present]
    return pd.read_parquet(path, columns=wanted)


def _extract(extracts: dict[str, Extract]) -> pd.DataFrame:
    """Rows of every extract (including the private parts), long format."""
    by_table: dict[str, list[tuple[str, Extract]]] = defaultdict(list)
    for id_, spec in extracts.items():
        by_table[spec.table].append((id_, spec))
    frames = []
    for table_name, table_specs in by_table.items():
        needed = {c for _, spec in table_specs for c, _ in spec.filters}
        needed |= {spec.value for _, spec in table_specs}
        table = _read(table_name, needed)
        groups: dict[tuple, list[tuple[str, Extract]]] = defaultdict(list)
        for id_, spec in table_specs:
            keys = tuple(column for column, _ in spec.filters)
            groups[(keys, spec.value, spec.scale)].append((id_, spec))
        selected = []
        for (keys, value_column, scale), specs in groups.items():
            lookup = pd.DataFrame(
                [dict(spec.filters) | {"indicator": id_} for id_, spec in specs],
                columns=[*keys, "indicator"],
            )
            rows = table.merge(lookup, on=list(keys), how="inner")
            selected.append(rows.assign(_raw=rows[value_column], _scale=scale))
        rows = pd.concat(selected, ignore_index=True)
        values, markers = split_markers(rows["_raw"])
        frame = _geography(rows)
        frame["indicator"] = rows["indicator"].to_numpy(dtype=object)
        frame["value"] = values.to_numpy(dtype="float64") * rows["_scale"].to_numpy()
        frame["marker"] = markers.to_numpy(dtype=object)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _derive(parts: pd.DataFrame, derived: dict[str, tuple[tuple[str, int], ...]]) -> pd.DataFrame:
    """Signed sums of :data:`DERIVED`; missing if any part is missing."""
    needed = {part for spec in derived.values() for part, _ in spec}
    rows = parts[parts["indicator"].isin(needed)]
    wide = rows.set_index(["new_la_code", "year", "indicator"])[["value", "marker"]].unstack()
    attrs = (
        rows.drop_duplicates(["new_la_code", "year"])
        .set_index(["new_la_code", "year"])[["geographic_level", "old_la_code", "la_name"]]
        .reindex(wide.index)
    )
    frames = []
    for id_, spec in derived.items():
        total = pd.Series(0.0, index=wide.index)
        marker = pd.Series(None, index=wide.index, dtype=object)
        for part, sign in spec:
            if ("value", part) in wide:
                part_value = wide[("value", part)].astype("float64")
                part_marker = wide[("marker", part)].astype(object)
                # No row for this part, geography and year.
                part_marker = part_marker.mask(
                    part_value.isna() & part_marker.isna(), NOT_PUBLISHED
                )
            else:
                part_value = pd.Series(float("nan"), index=wide.index)
                part_marker = pd.Series(NOT_PUBLISHED, index=wide.index, dtype=object)
            total = total + sign * part_value
            marker = marker.where(marker.notna() | part_value.notna(), part_marker)
        frame = attrs.copy()
        frame["indicator"] = id_
        frame["value"] = total
        frame["marker"] = marker.where(total.isna(), None)
        frames.append(frame.reset_index())
    return pd.concat(frames, ignore_index=True)


@cache
def published_values() -> pd.DataFrame:
    """Every published indicator value, for every geography and year, in one long frame.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``geographic_level`` (``Local authority``, ``Regional``,
        ``National``), ``new_la_code`` (ONS code; the region code for regions, ``E92000001`` for
        England), ``old_la_code`` (DfE 3-digit number, None for regions and England), ``la_name``
        (region name or ``England`` likewise), ``year`` (int, year ending 31 March), ``indicator``
        (registry id), ``value`` (float, NaN where missing) and ``marker`` (the DfE marker when the
        value is missing, else None). The cached frame is shared: copy it before changing it.
    """
    extracts, derived = _declared()  # the registry as it is now (tests may add to it)
    parts = _extract(extracts)
    frame = pd.concat([parts, _derive(parts, derived)], ignore_index=True)
    frame = frame[~frame["indicator"].str.startswith("_")]
    missing_marker = frame["value"].isna() & frame["marker"].isna()
    frame["marker"] = frame["marker"].mask(missing_marker, NOT_PUBLISHED)
    frame["marker"] = frame["marker"].where(frame["value"].isna(), None)
    for column in ("geographic_level", "new_la_code", "la_name", "indicator"):
        frame[column] = frame[column].astype(str)
    frame = frame.sort_values(["indicator", "new_la_code", "year"], kind="stable")
    return frame[COLUMNS].reset_index(drop=True)


@cache
def _lookup() -> dict[tuple[str, str, int], tuple[float | None, str | None]]:
    """``(indicator, new_la_code, year) -> (value or None, marker)``."""
    frame = published_values()
    values = frame["value"].astype(object).where(frame["value"].notna(), None).tolist()
    keys = zip(
        frame["indicator"].tolist(),
        frame["new_la_code"].tolist(),
        frame["year"].tolist(),
        strict=True,
    )
    return dict(zip(keys, zip(values, frame["marker"].tolist(), strict=True), strict=True))


@cache
def _years_by_indicator() -> dict[str, frozenset[int]]:
    frame = published_values()
    return {
        id_: frozenset(int(y) for y in years)
        for id_, years in frame.groupby("indicator")["year"].unique().items()
    }


@cache
def _codes() -> frozenset[str]:
    return frozenset(published_values()["new_la_code"])


def available_years() -> list[int]:
    """Years (ending 31 March) with published children-looked-after numbers: 2021 to 2025."""
    return sorted(_years_by_indicator()["cla_at_end"])


def latest_year() -> int:
    """The latest year with published children-looked-after numbers."""
    return available_years()[-1]


def _cell(indicator_id: str, code: str, year: int) -> tuple[float | None, str | None]:
    return _lookup().get((indicator_id, code, year), (None, NOT_PUBLISHED))


def _neighbour_mean(indicator_id: str, codes: list[str], year: int) -> tuple[float | None, int]:
    """Simple mean of the neighbours' numeric values, and how many had one."""
    numbers = [v for v in (_cell(indicator_id, c, year)[0] for c in codes) if v is not None]
    return (sum(numbers) / len(numbers) if numbers else None), len(numbers)


def family_results(
    family: str, la_code: str, year: int, neighbours: list[str]
) -> list[IndicatorResult]:
    """Results of one indicator family for an authority, from the published tables.

    Parameters
    ----------
    family
        ``"sufficiency"``, ``"adoption"`` or ``"care_leavers"``.
    la_code
        The authority's ONS code (``new_la_code``, e.g. ``"E10000018"``).
    year
        Year ending 31 March (e.g. ``2025`` for 2024-25); one of :func:`available_years`.
    neighbours
        ONS codes of the statistical neighbours whose simple mean is the ``sn_mean``.

    Returns
    -------
    list of IndicatorResult
        One per registry id of the family, in display order. An id with no published row for the
        authority and year has ``value`` None and marker ``"not published"``; a DfE marker (``c``
        ...) is passed through with ``value`` None. ``trend`` holds the authority's values for the
        up to five years ending at ``year`` that the id has data for (and ``year`` itself);
        ``england_trend`` and ``sn_trend`` (neighbour mean) cover the same years, None where
        missing.

    Raises
    ------
    PeriodError
        ``year`` has no published children-looked-after data.
    UnknownAuthorityError
        ``la_code`` or a neighbour code is not in the published tables.
    ParamsError
        ``family`` is unknown.
    """
    indicators = registry.by_family(family)
    if year not in available_years():
        first, last = available_years()[0], available_years()[-1]
        raise PeriodError(
            f"no published data for the year ending 31 March {year}: "
            f"use a year from {first} to {last}"
        )
    codes = _codes()
    for code in [la_code, *neighbours]:
        if code not in codes:
            raise UnknownAuthorityError(
                f"'{code}' is not a local authority code in the published DfE tables: use the "
                "9-character ONS code (new_la_code), e.g. E10000018 for Leicestershire"
            )
    years_by_id = _years_by_indicator()
    results = []
    for ind in indicators:
        value, marker = _cell(ind.id, la_code, year)
        previous, previous_marker = _cell(ind.id, la_code, year - 1)
        england, england_marker = _cell(ind.id, ENGLAND_CODE, year)
        sn_mean, sn_n = _neighbour_mean(ind.id, neighbours, year)
        data_years = years_by_id.get(ind.id, frozenset())
        trend_years = [
            y for y in range(year - TREND_YEARS + 1, year + 1) if y in data_years or y == year
        ]
        cells = {period_label(y): _cell(ind.id, la_code, y) for y in trend_years}
        results.append(
            IndicatorResult(
                id=ind.id,
                family=ind.family,
                title=ind.title,
                unit=ind.unit,
                polarity=ind.polarity,
                period=period_label(year),
                value=value,
                marker=marker,
                previous=previous,
                previous_marker=previous_marker,
                england=england,
                england_marker=england_marker,
                sn_mean=sn_mean,
                sn_n=sn_n,
                trend={label: cell[0] for label, cell in cells.items()},
                trend_markers={
                    label: cell[1] for label, cell in cells.items() if cell[0] is None and cell[1]
                },
                england_trend={
                    period_label(y): _cell(ind.id, ENGLAND_CODE, y)[0] for y in trend_years
                },
                sn_trend={
                    period_label(y): _neighbour_mean(ind.id, neighbours, y)[0] for y in trend_years
                },
                source=ind.published.table if ind.published is not None else "",
            )
        )
    return results
