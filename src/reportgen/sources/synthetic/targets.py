"""Calibration targets for the synthetic 903 generator, read from the DfE published tables.

Every figure the generator aims at comes from the published indicator values its caller hands in
(:data:`PublishedValues`: :func:`reportgen.indicators.published.published_values`, which a source
may not import itself), or, for detail the registry does not carry, such as starts by age or the
individual reasons for ceasing, straight from the shipped tables. Markers (``c``, ``k``, ``z``, ``x``) are missing, never
zero:

* a suppressed count among a breakdown's groups gets its share of what the published groups leave
  of the total, split in England's proportions (:func:`filled_group_counts`);
* a suppressed percentage falls back to England's (:func:`filled_pct`);
* a year outside the published years uses the nearest published year;
* an authority with no published count at all (Isles of Scilly) gets England's rate per 10,000 times
  its own child population.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from reportgen.core.tables import ENGLAND_CODE, load_table

PublishedValues = Callable[[], pd.DataFrame]
"""A function giving every published indicator value as one long frame, with at least the columns
``indicator``, ``new_la_code`` (``E92000001`` for England), ``year`` and ``value`` (NaN where a
marker was published): :func:`reportgen.indicators.published.published_values`. The generator's
callers hand it in, so that sources never import indicators; it is called at most once (the values
are cached per function)."""

CEASED_GROUPS = ("adopted", "sgo", "returned_home", "independent_living", "other")
"""Reason-for-ceasing groups the DfE publishes by authority (``ceased_<group>`` ids)."""

PLACEMENT_GROUPS = (
    "foster",
    "childrens_homes",
    "supported_accommodation",
    "other_residential",
    "residential_schools",
    "with_parents",
    "placed_for_adoption",
    "other",
)
"""Placement groups at 31 March (``placement_<group>`` ids)."""

AGE_BANDS = ("under_1", "1_4", "5_9", "10_15", "16_plus")
"""DfE age bands (``cla_by_age_<band>``)."""

CARE_LEAVER_BANDS = ("17_18", "19_21")

_OTHER_REASONS = {
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment determined child aged 18 or over",
    "E17": "Aged 18 (or over) and remained with current carers",
    "E8": "Care ceased for any other reason",
    "E3": "Care taken by another local authority",
    "E16": "Child moved abroad",
    "E2": "Died",
    "E13": "Left care to live with parents, relatives or other person with no parental responsibility",
    "E41": "Residence order or child arrangement order granted",
    "E9": "Sentenced to custody",
    "E7": "Transferred to residential care funded by adult social services",
}
"""The REC codes of the "other" group, with the breakdown label of the ceased table."""

_START_AGE = {
    "under_1": "Under 1 year",
    "1_4": "1 to 4 years",
    "5_9": "5 to 9 years",
    "10_15": "10 to 15 years",
    "16_plus": "16 years and over",
}

_START_LEGAL = {
    "V2": "Voluntary agreement under S20",
    "C1": "Interim care order",
    "L1": "Police protection in LA accommodation",
    "L2": "Emergency protection order",
    "J1": "Remand",
}


def _nearest(values: Mapping[int, float], year: int) -> float:
    """The value for ``year``, else for the nearest year that has one (earlier year on a tie)."""
    numeric = {y: v for y, v in values.items() if v is not None and not math.isnan(v)}
    if not numeric:
        return math.nan
    if year in numeric:
        return numeric[year]
    return numeric[min(numeric, key=lambda y: (abs(y - year), y))]


def _fill(total: float, known: Mapping[str, float], england: Mapping[str, float]) -> dict:
    """Counts for every group: published ones kept, missing ones share the rest England-wise."""
    out = {g: v for g, v in known.items() if not math.isnan(v)}
    missing = [g for g in known if g not in out]
    if missing:
        rest = max(total - sum(out.values()), 0.0)
        weights = {g: max(england.get(g, 0.0), 1e-9) for g in missing}
        scale = sum(weights.values())
        out.update({g: rest * w / scale for g, w in weights.items()})
    return {g: out[g] for g in known}


def _shares(counts: Mapping[str, float]) -> dict[str, float]:
    total = sum(counts.values())
    if total <= 0:
        return {g: 1.0 / len(counts) for g in counts}
    return {g: v / total for g, v in counts.items()}


@cache
def _values(published: PublishedValues) -> dict[tuple[str, str], dict[int, float]]:
    """``(indicator, code) -> {year: value}`` (NaN where a marker was published)."""
    frame = published()
    out: dict[tuple[str, str], dict[int, float]] = {}
    keys = zip(
        frame["indicator"].astype(str).tolist(),
        frame["new_la_code"].astype(str).tolist(),
        frame["year"].astype(int).tolist(),
        frame["value"].astype(float).tolist(),
        strict=True,
    )
    for ind, code, year, value in keys:
        out.setdefault((ind, code), {})[year] = value
    return out


def _series(indicator: str, code: str, published: PublishedValues) -> dict[int, float]:
    return _values(published).get((indicator, code), {})


@cache
def _breakdowns(table: str, characteristic: str) -> dict[str, dict[str, dict[int, float]]]:
    """``code -> breakdown -> {year: count}`` for one characteristic of a table (all codes)."""
    frame = load_table(table)
    frame = frame[frame["characteristic"] == characteristic]
    code = frame["new_la_code"].where(frame["geographic_level"] != "National", ENGLAND_CODE)
    out: dict[str, dict[str, dict[int, float]]] = {}
    rows = zip(
        code.astype(str).tolist(),
        frame["breakdown"].astype(str).tolist(),
        frame["time_period"].astype(int).tolist(),
        pd.to_numeric(frame["children_count"], errors="coerce").astype(float).tolist(),
        strict=True,
    )
    for c, label, year, count in rows:
        out.setdefault(c, {}).setdefault(label, {})[year] = count
    return out


def _breakdown_counts(table: str, characteristic: str, code: str, labels: Mapping[str, str]):
    """{key: {year: count}} for one authority."""
    found = _breakdowns(table, characteristic).get(code, {})
    return {key: dict(found.get(label, {})) for key, label in labels.items()}


@cache
def _population(code: str) -> float:
    frame = load_table("cla_number_and_rate_per_10k_children")
    rows = frame[frame["new_la_code"] == code]
    pop = pd.to_numeric(rows["population_estimate"], errors="coerce").dropna()
    return float(pop.iloc[0]) if len(pop) else math.nan


@dataclass(frozen=True)
class Targets:
    """What one authority's synthetic data aims at, year by year (collection end years).

    Counts are floats (the generator rounds them); shares are fractions 0-1 that add to 1 within
    each breakdown; percentages are 0-100 as published.
    """

    code: str
    cla: dict[int, float]
    started: dict[int, float]
    ceased: dict[int, float]
    ceased_shares: dict[int, dict[str, float]]
    other_reasons: dict[str, float]
    home_planned: float
    independent_supported: float
    placement_shares: dict[int, dict[str, float]]
    stock_age_shares: dict[str, float]
    stock_age_by_year: dict[int, dict[str, float]]
    start_age_shares: dict[str, float]
    start_legal_shares: dict[str, float]
    uasc_stock_share: float
    uasc_start_share: float
    uasc_start_by_year: dict[int, float]
    stability_3plus_pct: dict[int, float]
    outside_la_pct: float
    over_20_miles_pct: float
    in_touch_pct: dict[str, dict[int, float]] = field(default_factory=dict)
    eet_pct: dict[str, dict[int, float]] = field(default_factory=dict)
    suitable_pct: dict[str, dict[int, float]] = field(default_factory=dict)
    staying_put_18_pct: float = 55.0
    staying_put_19_20_pct: float = 28.0

    def count(self, kind: str, year: int) -> float:
        """``cla`` / ``started`` / ``ceased`` for a year (nearest published year outside them)."""
        return _nearest(getattr(self, kind), year)

    def ceased_share(self, year: int) -> dict[str, float]:
        return self.ceased_shares[_nearest_key(self.ceased_shares, year)]

    def stock_age(self, year: int) -> dict[str, float]:
        return self.stock_age_by_year[_nearest_key(self.stock_age_by_year, year)]

    def placement_share(self, year: int) -> dict[str, float]:
        return self.placement_shares[_nearest_key(self.placement_shares, year)]

    def uasc_start(self, year: int) -> float:
        """Share of starts who are unaccompanied asylum-seeking children."""
        return (
            _nearest(self.uasc_start_by_year, year)
            if self.uasc_start_by_year
            else (self.uasc_start_share)
        )

    def stability(self, year: int) -> float:
        return _nearest(self.stability_3plus_pct, year)

    def care_leaver(self, what: str, band: str, year: int) -> float:
        return _nearest(getattr(self, what)[band], year)


def _nearest_key(mapping: Mapping[int, object], year: int) -> int:
    if year in mapping:
        return year
    return min(mapping, key=lambda y: (abs(y - year), y))


def filled_pct(indicator: str, code: str, published: PublishedValues) -> dict[int, float]:
    """A percentage series with England's value wherever the authority's is missing.

    Parameters
    ----------
    indicator
        A percentage indicator id of the published values.
    code
        The authority's GSS code.
    published
        The published indicator values (:data:`PublishedValues`).

    Returns
    -------
    dict
        ``{collection end year: percentage}``, for the years where either figure is published.
    """
    own, england = _series(indicator, code, published), _series(indicator, ENGLAND_CODE, published)
    years = sorted(set(own) | set(england))
    out = {}
    for year in years:
        value = own.get(year, math.nan)
        if math.isnan(value):
            value = england.get(year, math.nan)
        if not math.isnan(value):
            out[year] = value
    return out


def filled_group_counts(
    prefix: str,
    groups: Sequence[str],
    code: str,
    year: int,
    total: float,
    published: PublishedValues,
    *,
    england_default: float = math.nan,
) -> dict[str, float]:
    """A breakdown's counts for one year, England-filled where the authority's are suppressed.

    Parameters
    ----------
    prefix, groups
        The breakdown's indicator ids are ``prefix + group`` (e.g. ``"ceased_"`` and
        :data:`CEASED_GROUPS`).
    code
        The authority's GSS code.
    year
        Collection end year.
    total
        The authority's total the groups add up to.
    published
        The published indicator values (:data:`PublishedValues`).
    england_default
        England's count for a group England did not publish that year.

    Returns
    -------
    dict
        ``{group: count}``: the published counts kept, the suppressed groups sharing what they
        leave of ``total`` in England's proportions (see :func:`_fill`).
    """
    england = {
        g: _series(f"{prefix}{g}", ENGLAND_CODE, published).get(year, england_default)
        for g in groups
    }
    known = {g: _series(f"{prefix}{g}", code, published).get(year, math.nan) for g in groups}
    return _fill(total, known, england)


def _count_series(indicator: str, code: str, published: PublishedValues) -> dict[int, float]:
    """A count series; missing years from the nearest year, or from England's rate if none."""
    own = {y: v for y, v in _series(indicator, code, published).items() if not math.isnan(v)}
    england = _series(indicator, ENGLAND_CODE, published)
    years = sorted(england)
    if own:
        return {y: _nearest(own, y) for y in years}
    pop = _population(code)
    england_pop = _population(ENGLAND_CODE)
    scale = pop / england_pop if pop == pop and england_pop == england_pop else 0.0
    return {y: max(england[y] * scale, 1.0) for y in years if england[y] == england[y]}


@cache
def targets_for(code: str, published: PublishedValues) -> Targets:
    """The calibration targets of an authority, England-filled where suppressed.

    Parameters
    ----------
    code
        The authority's GSS code.
    published
        The published indicator values (:data:`PublishedValues`), handed in by the caller.
    """
    cla = _count_series("cla_at_end", code, published)
    started = _count_series("started", code, published)
    ceased = _count_series("ceased", code, published)
    years = sorted(cla)

    def shares(
        prefix: str, groups: Sequence[str], totals: Mapping[int, float], year: int, default=math.nan
    ) -> dict[str, float]:
        counts = filled_group_counts(
            prefix, groups, code, year, totals[year], published, england_default=default
        )
        return _shares(counts)

    ceased_shares = {y: shares("ceased_", CEASED_GROUPS, ceased, y) for y in years}
    placement_shares = {y: shares("placement_", PLACEMENT_GROUPS, cla, y) for y in years}
    first = years[0]
    stock_age = shares("cla_by_age_", AGE_BANDS, cla, first, 0.0)
    stock_age_by_year = {y: shares("cla_by_age_", AGE_BANDS, cla, y, 0.0) for y in years}

    ceased_table = "la_children_who_ceased_during_the_year"
    started_table = "la_children_who_started_to_be_looked_after_during_the_year"

    def latest_shares(table: str, characteristic: str, labels: Mapping[str, str]) -> dict:
        own = _breakdown_counts(table, characteristic, code, labels)
        eng = _breakdown_counts(table, characteristic, ENGLAND_CODE, labels)
        own_total = {k: sum(v for v in series.values() if v == v) for k, series in own.items()}
        eng_total = {k: sum(v for v in series.values() if v == v) for k, series in eng.items()}
        suppressed = any(
            any(v != v for v in series.values()) or not series for series in own.values()
        )
        total = sum(own_total.values())
        if suppressed or total < 30:
            # small or suppressed: England's mix, nudged by what the authority did publish
            mixed = {k: eng_total[k] + own_total[k] for k in labels}
            return _shares(mixed)
        return _shares(own_total)

    other_reasons = latest_shares(ceased_table, "Reason episode ceased", _OTHER_REASONS)
    home = latest_shares(
        ceased_table,
        "Reason episode ceased",
        {
            "E4A": "Returned home to live with parents or other person with parental "
            "responsibility which was part of the care planning process",
            "E4B": "Returned home to live with parents or other person with parental "
            "responsibility which was not part of the care planning process",
        },
    )
    independent = latest_shares(
        ceased_table,
        "Reason episode ceased",
        {
            "E5": "Moved into independent living (with supportive accommodation)",
            "E6": "Moved into independent living (with no formalised support)",
        },
    )
    start_age = latest_shares(started_table, "Age on starting", _START_AGE)
    start_legal = latest_shares(started_table, "Legal status", _START_LEGAL)
    uasc_start = latest_shares(
        started_table,
        "Unaccompanied asylum-seeking children",
        {
            "uasc": "Unaccompanied asylum-seeking children",
            "other": "Children excluding unaccompanied asylum-seeking children",
        },
    )["uasc"]

    labels = {
        "uasc": "Unaccompanied asylum-seeking children",
        "other": "Children excluding unaccompanied asylum-seeking children",
    }
    own_u = _breakdown_counts(started_table, "Unaccompanied asylum-seeking children", code, labels)
    eng_u = _breakdown_counts(
        started_table, "Unaccompanied asylum-seeking children", ENGLAND_CODE, labels
    )
    uasc_by_year = {}
    for year in sorted(eng_u["uasc"]):
        a, b = own_u["uasc"].get(year, math.nan), own_u["other"].get(year, math.nan)
        if a == a and b == b and a + b > 0:
            uasc_by_year[year] = a / (a + b)
        else:
            ea, eb = eng_u["uasc"][year], eng_u["other"][year]
            uasc_by_year[year] = uasc_start * 0.5 + 0.5 * ea / (ea + eb)

    uasc = _series("uasc_at_end", code, published)
    uasc_share = _nearest(
        {y: uasc[y] / cla[y] for y in uasc if y in cla and cla[y] > 0 and uasc[y] == uasc[y]},
        first,
    )
    if math.isnan(uasc_share):
        england_uasc = _series("uasc_at_end", ENGLAND_CODE, published)
        england_cla = _series("cla_at_end", ENGLAND_CODE, published)
        uasc_share = england_uasc[first] / england_cla[first]

    def banded(indicator: str) -> dict[str, dict[int, float]]:
        return {
            band: filled_pct(indicator.format(band=band), code, published)
            for band in CARE_LEAVER_BANDS
        }

    stay18 = _nearest(filled_pct("staying_put_18_pct", code, published), years[-1])
    stay19 = _nearest(filled_pct("staying_put_19_20_pct", code, published), years[-1])
    return Targets(
        code=code,
        cla=cla,
        started=started,
        ceased=ceased,
        ceased_shares=ceased_shares,
        other_reasons=other_reasons,
        home_planned=home["E4A"],
        independent_supported=independent["E5"],
        placement_shares=placement_shares,
        stock_age_shares=stock_age,
        stock_age_by_year=stock_age_by_year,
        start_age_shares=start_age,
        start_legal_shares=start_legal,
        uasc_stock_share=float(uasc_share),
        uasc_start_share=float(uasc_start),
        uasc_start_by_year=uasc_by_year,
        stability_3plus_pct=filled_pct("stability_3plus_pct", code, published),
        outside_la_pct=_nearest(filled_pct("placed_outside_la_pct", code, published), years[-1]),
        over_20_miles_pct=_nearest(
            filled_pct("placed_over_20_miles_pct", code, published), years[-1]
        ),
        in_touch_pct=banded("cl_{band}_in_touch_pct"),
        eet_pct=banded("cl_{band}_eet_pct"),
        suitable_pct=banded("cl_{band}_suitable_accom_pct"),
        staying_put_18_pct=55.0 if math.isnan(stay18) else stay18,
        staying_put_19_20_pct=28.0 if math.isnan(stay19) else stay19,
    )
