"""Statistical disclosure control, applied in one place before anything is shown.

Applied to figures computed from an authority's own 903 data (published DfE figures keep the
DfE's own markers). The policy (``disclosure:`` in params; defaults in the spirit of DfE
practice for published tables):

* **primary**: a count from 1 to ``min_count - 1`` (default 1 to 4) is withheld and reads
  "fewer than 5" (marker ``"suppressed"``);
* **derived**: a percentage or rate whose numerator or denominator count is withheld is
  withheld too, and so is a percentage whose numerator (worked back from its denominator) is
  1 to 4 (marker ``"suppressed"``);
* **secondary**: where the parts of a total are shown (reasons for ceasing, placement types, age
  bands, legal statuses ...), a single withheld part could be recovered as the total minus the
  others, so the next smallest part is withheld as well (marker ``"secondary"``), with its
  percentage. So are more parts while what is withheld could still be worked out: a reader who
  knows that "fewer than 5" is 1 to 4 and that a part withheld to protect it is 5 or more can
  tell, say, that 6 withheld children are 1 and 5, or 2 withheld children 1 and 1
  (:func:`recoverable`). The same holds for each year of the trend, and for the months of the
  dashboard, whose starts and cessations add up to the year's.

Zero is never withheld (DfE practice: a zero was a zero return). The previous-period value and
the trend are treated the same way as the current value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportgen.core.config import DisclosurePolicy
from reportgen.core.formatting import is_missing
from reportgen.indicators.result import IndicatorResult

PRIMARY = "suppressed"
SECONDARY = "secondary"

GROUPS: dict[str, tuple[str, ...]] = {
    "ceased": (
        "ceased_adopted",
        "ceased_sgo",
        "ceased_returned_home",
        "ceased_independent_living",
        "ceased_other",
    ),
    "cla_at_end": (
        "placement_foster",
        "placement_childrens_homes",
        "placement_supported_accommodation",
        "placement_other_residential",
        "placement_residential_schools",
        "placement_with_parents",
        "placement_placed_for_adoption",
        "placement_other",
    ),
}
"""Totals and the parts that add up to them (prefix groups are added in :func:`groups`)."""

PREFIX_GROUPS = ("cla_by_age_", "cla_by_legal_status_", "cla_by_sex_", "cla_by_ethnicity_")
"""Profiles at the period end: each family of ids adds up to ``cla_at_end``."""

SAME_FIGURE = {"adopted": "ceased_adopted", "sgo": "ceased_sgo"}
"""Ids that are the same figure as a part of a group: withheld whenever the part is."""
MONTHLY_FLOWS = ("started", "ceased")
"""Dashboard rows whose months add up to the year's figure shown in the report."""

DERIVED: dict[str, tuple[str, str]] = {
    "cla_rate_per_10k": ("cla_at_end", ""),
    "started_rate_per_10k": ("started", ""),
    "ceased_rate_per_10k": ("ceased", ""),
    "adopted_pct_of_ceased": ("adopted", "ceased"),
    "sgo_pct_of_ceased": ("sgo", "ceased"),
}
"""Rates and percentages with the counts they are made of (``<id>_pct`` twins are automatic)."""

BACK_CALCULATED: dict[str, str] = {
    "stability_3plus_pct": "cla_at_end",
    "placed_over_20_miles_pct": "cla_at_end",
    "placed_outside_la_pct": "cla_at_end",
    "cl_17_18_in_touch_pct": "cl_17_18_count",
    "cl_17_18_eet_pct": "cl_17_18_count",
    "cl_17_18_suitable_accom_pct": "cl_17_18_count",
    "cl_19_21_in_touch_pct": "cl_19_21_count",
    "cl_19_21_eet_pct": "cl_19_21_count",
    "cl_19_21_neet_pct": "cl_19_21_count",
    "cl_19_21_suitable_accom_pct": "cl_19_21_count",
}
"""Percentages whose numerator is not an indicator of its own: it is worked back from the
percentage and this denominator count, and withheld with the percentage when small."""


def groups(ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The groups to protect among ``ids``: fixed groups plus the profile families."""
    ids = list(ids)
    found = {total: tuple(p for p in parts if p in ids) for total, parts in GROUPS.items()}
    for prefix in PREFIX_GROUPS:
        parts = tuple(i for i in ids if i.startswith(prefix) and not i.endswith("_pct"))
        if parts:
            found[prefix] = parts
    return {k: v for k, v in found.items() if v}


SLOTS = {"value": "marker", "previous": "previous_marker"}
"""The figures of a result that can be withheld, with the field holding each one's marker."""


def _small(value: float | None, policy: DisclosurePolicy) -> bool:
    return not is_missing(value) and 0 < value < policy.min_count  # type: ignore[operator]


def _withhold(r: IndicatorResult, slot: str, marker: str) -> IndicatorResult:
    if is_missing(getattr(r, slot)):
        return r
    return r.model_copy(update={slot: None, SLOTS[slot]: marker})


def _withhold_years(
    r: IndicatorResult, years: set[str], marker: str | dict[str, str] = PRIMARY
) -> IndicatorResult:
    """Blank the trend ``years``, marking each (``marker``: one for all, or by year; a year
    already marked keeps its marker)."""
    if not years:
        return r
    markers = dict(r.trend_markers)
    for year in sorted(years & set(r.trend)):
        mark = marker if isinstance(marker, str) else marker.get(year, PRIMARY)
        markers.setdefault(year, mark)
    return r.model_copy(
        update={
            "trend": {y: (None if y in years else v) for y, v in r.trend.items()},
            "trend_markers": markers,
        }
    )


def _components(indicator_id: str) -> tuple[str, ...]:
    if indicator_id in DERIVED:
        return tuple(c for c in DERIVED[indicator_id] if c)
    if indicator_id.endswith("_pct"):
        return (indicator_id.removesuffix("_pct"),)
    return ()


def _withheld(r: IndicatorResult, slot: str) -> str | None:
    marker = getattr(r, SLOTS[slot])
    return marker if marker in (PRIMARY, SECONDARY) else None


def recoverable(
    total: float | None, shown: float, small: int, secondary: int, policy: DisclosurePolicy
) -> bool:
    """Whether a reader could work out a withheld part of a total from what is shown.

    The withheld parts add up to ``total - shown``; each small one is 1 to ``min_count - 1``
    and each secondary one at least ``min_count`` (it was shown before). A part is given away
    when it is the only one withheld, or when the withheld parts can only be at their least (or,
    all small, at their most).

    >>> policy = DisclosurePolicy()
    >>> recoverable(27, 21, 1, 1, policy), recoverable(27, 20, 1, 1, policy)  # 6 = 1 + 5; 7
    (True, False)
    >>> recoverable(7, 5, 2, 0, policy), recoverable(7, 4, 2, 0, policy)  # 2 = 1 + 1; 3
    (True, False)
    """
    if small + secondary == 0:
        return False
    if small + secondary == 1 or is_missing(total):
        return small + secondary == 1
    left = total - shown  # type: ignore[operator]
    if left == small + policy.min_count * secondary:
        return True
    return secondary == 0 and left == (policy.min_count - 1) * small


def _total_id(group: str) -> str:
    return group if group in GROUPS else "cla_at_end"


def _protect(
    values: dict[str, float | None],
    withheld: dict[str, str],
    total: float | None,
    policy: DisclosurePolicy,
) -> tuple[list[str], bool]:
    """The parts to withhold as well (smallest first) so that no withheld part can be worked out,
    and whether one still can be once every part but the zeros is withheld (the total must then
    be withheld too: a handful of children, all in one or two groups).

    ``values`` holds every part's figure (withheld ones too), ``withheld`` the marker of those
    withheld so far.
    """
    victims: list[str] = []
    marks = dict(withheld)
    while True:
        small = sum(m == PRIMARY for m in marks.values())
        secondary = sum(m == SECONDARY for m in marks.values())
        shown = [p for p, v in values.items() if p not in marks and not is_missing(v)]
        if not recoverable(total, sum(values[p] for p in shown), small, secondary, policy):  # type: ignore[misc]
            return victims, False
        candidates = [p for p in shown if values[p] > 0]  # type: ignore[operator]
        if not candidates:
            return victims, True
        victim = min(candidates, key=lambda p: (values[p], p))
        victims.append(victim)
        marks[victim] = SECONDARY


def apply(
    results: Sequence[IndicatorResult], policy: DisclosurePolicy | None = None
) -> list[IndicatorResult]:
    """Withhold small numbers, what can be derived from them, and what would reveal them.

    Parameters
    ----------
    results
        All the indicators of one report (every family: groups cross families).
    policy
        The rules; the default withholds 1 to 4.

    Returns
    -------
    list of IndicatorResult
        Same order; a withheld figure is None with marker ``"suppressed"`` or ``"secondary"``.
    """
    policy = policy or DisclosurePolicy()
    by_id = {r.id: r for r in results}
    original = {r.id: {**r.trend, **{slot: getattr(r, slot) for slot in SLOTS}} for r in results}
    blanked: dict[str, set[str]] = {}
    # primary: small counts (this period, the previous one, and the trend)
    for i, r in by_id.items():
        if r.unit != "count":
            continue
        for slot in SLOTS:
            if _small(getattr(r, slot), policy):
                r = _withhold(r, slot, PRIMARY)
        blanked[i] = {y for y, v in r.trend.items() if _small(v, policy)}
        by_id[i] = _withhold_years(r, blanked[i])
    # secondary: a withheld part of a shown total could be worked out by subtraction
    if policy.secondary:
        for group, parts in groups(by_id).items():
            total = by_id.get(_total_id(group))
            for slot in SLOTS:
                values = {p: original[p].get(slot) for p in parts}
                withheld = {p: m for p in parts if (m := _withheld(by_id[p], slot))}
                figure = None if total is None else getattr(total, slot)
                victims, exposed = _protect(values, withheld, figure, policy)
                for victim in victims:
                    by_id[victim] = _withhold(by_id[victim], slot, SECONDARY)
                if exposed and total is not None:
                    by_id[total.id] = total = _withhold(total, slot, SECONDARY)
            years = {y for p in parts for y in by_id[p].trend}
            for year in sorted(years):
                values = {p: original[p].get(year) for p in parts}
                withheld = {p: PRIMARY for p in parts if year in blanked.get(p, set())}
                figure = None if total is None else total.trend.get(year)
                if is_missing(figure) and not withheld:
                    continue
                victims, exposed = _protect(values, withheld, figure, policy)
                if exposed and total is not None:
                    victims.append(total.id)
                for victim in victims:
                    blanked[victim] = blanked.get(victim, set()) | {year}
                    by_id[victim] = _withhold_years(by_id[victim], {year}, SECONDARY)
                total = None if total is None else by_id[total.id]
        # the same figure under another id is withheld with it
        for twin, part in SAME_FIGURE.items():
            if twin not in by_id or part not in by_id:
                continue
            for slot in SLOTS:
                if marker := _withheld(by_id[part], slot):
                    by_id[twin] = _withhold(by_id[twin], slot, marker)
            blanked[twin] = blanked.get(twin, set()) | blanked.get(part, set())
            by_id[twin] = _withhold_years(by_id[twin], blanked[twin], by_id[part].trend_markers)
    # percentages whose numerator is small (worked back from the denominator)
    for i, den_id in BACK_CALCULATED.items():
        if i not in by_id or den_id not in by_id:
            continue
        r, den = by_id[i], by_id[den_id]
        for slot in SLOTS:
            pct, base = getattr(r, slot), getattr(den, slot)
            if is_missing(pct):
                continue
            if marker := _withheld(den, slot):  # the denominator itself is withheld
                r = _withhold(r, slot, marker)
            elif not is_missing(base) and _small(round(pct * base / 100), policy):
                r = _withhold(r, slot, PRIMARY)
        years = set()
        for year, pct in r.trend.items():
            base = den.trend.get(year)
            if is_missing(pct):
                continue
            if year in blanked.get(den_id, set()) or (
                not is_missing(base) and _small(round(pct * base / 100), policy)
            ):
                years.add(year)
        blanked[i] = blanked.get(i, set()) | years
        by_id[i] = _withhold_years(r, years)
    # derived: rates and percentages made from withheld counts
    for i, r in list(by_id.items()):
        parts = [by_id[c] for c in _components(i) if c in by_id]
        for slot in SLOTS:
            marker = next((m for c in parts if (m := _withheld(c, slot))), None)
            if marker:
                r = _withhold(r, slot, marker)
        years = set().union(*(blanked.get(c.id, set()) for c in parts)) if parts else set()
        marks = {y: m for c in reversed(parts) for y, m in c.trend_markers.items()}
        by_id[i] = _withhold_years(r, years, marks)
    return [by_id[r.id] for r in results]


def withheld(results: Iterable[IndicatorResult]) -> list[IndicatorResult]:
    """The results whose current figure was withheld (for the appendix: which, never what)."""
    return [r for r in results if r.marker in (PRIMARY, SECONDARY)]


def monthly(
    table: dict[str, dict[str, float | None]],
    policy: DisclosurePolicy | None = None,
    period_end: IndicatorResult | None = None,
) -> dict[str, dict[str, float | str | None]]:
    """Disclosure control for the monthly dashboard: small counts become ``"suppressed"``, and so
    do percentages of a small number of children looked after or whose numerator (worked back
    from the month's children looked after) is small; where the months of a flow (starts,
    cessations) would give a withheld month away from the year's figure, more months are
    withheld (``"secondary"``). ``period_end`` is the report's ``cla_at_end`` after
    :func:`apply`: when it is withheld, so is the last month's figure (the same children)."""
    policy = policy or DisclosurePolicy()
    out: dict[str, dict[str, float | str | None]] = {}
    for month, row in table.items():
        base = row.get("cla_at_end")
        cells: dict[str, float | str | None] = {}
        for key, value in row.items():
            if key.endswith("_pct"):
                small = not is_missing(value) and (
                    _small(base, policy)
                    or (not is_missing(base) and _small(round(value * base / 100), policy))  # type: ignore[operator]
                )
            else:
                small = _small(value, policy)
            cells[key] = PRIMARY if small else value
        out[month] = cells
    if policy.secondary:
        for key in MONTHLY_FLOWS:
            values = {m: row.get(key) for m, row in table.items() if key in row}
            withheld = {m: PRIMARY for m in values if out[m][key] == PRIMARY}
            known = [v for v in values.values() if not is_missing(v)]
            total = sum(known) if known else None  # the year's figure, as near as can be
            for victim in _protect(values, withheld, total, policy)[0]:  # type: ignore[arg-type]
                out[victim][key] = SECONDARY
    if period_end is not None and _withheld(period_end, "value") and out:
        last = out[list(out)[-1]]
        if not is_missing(last.get("cla_at_end")):  # type: ignore[arg-type]
            last["cla_at_end"] = period_end.marker
    return out
