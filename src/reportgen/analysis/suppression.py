"""Statistical disclosure control, applied in one place before anything is shown.

Applied to figures computed from an authority's own 903 data (published DfE figures keep the
DfE's own markers). The policy (``disclosure:`` in params; defaults in the spirit of DfE
practice for published tables):

* **primary**: a count from 1 to ``min_count - 1`` (default 1 to 4) is withheld and reads
  "fewer than 5" (marker ``"suppressed"``);
* **derived**: a percentage or rate whose numerator or denominator count is withheld is
  withheld too, and so is a percentage whose numerator (worked back from its denominator) is
  1 to 4, or whose denominator is fewer than ``min_denominator`` children (default 5, as the
  DfE: no percentage of 1 to 4 children) (marker ``"suppressed"``);
* **complements**: a percentage of a shown count whose complement (those not in touch, not in
  suitable accommodation, not in education, employment or training ...) is 1 to 4 gives that
  complement away (96% of 23 is 22, so 1 is not), and so does EET beside NEET and in touch (in
  touch = EET + NEET): such a percentage is withheld (marker ``"secondary"``);
* **secondary**: where the parts of a total are shown (reasons for ceasing, placement types, age
  bands, legal statuses ...), a single withheld part could be recovered as the total minus the
  others, so the next smallest part is withheld as well (marker ``"secondary"``), with its
  percentage. So are more parts while what is withheld could still be worked out: a reader who
  knows that "fewer than 5" is 1 to 4 and that a part withheld to protect it is 5 or more can
  tell, say, that 6 withheld children are 1 and 5, or 2 withheld children 1 and 1
  (:func:`recoverable`); and while the withheld parts add up to 1 to 4 (two groups of "fewer
  than 5" that are 3 children between them). The same holds for each year of the trend, and for
  the months of the dashboard, whose starts and cessations add up to the year's and whose
  month-end children looked after change by starts minus cessations (:func:`monthly`).

Zero is never withheld (DfE practice: a zero was a zero return). The previous-period value and
the trend are treated the same way as the current value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from reportgen.core.config import DisclosurePolicy
from reportgen.core.formatting import is_missing
from reportgen.core.periods import parse_period
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
percentage and this denominator count, and withheld with the percentage when small (or when
the complement, denominator minus numerator, is small)."""

IN_TOUCH: dict[str, tuple[str, tuple[str, ...]]] = {
    "cl_17_18_count": ("cl_17_18_in_touch_pct", ("cl_17_18_eet_pct",)),
    "cl_19_21_count": ("cl_19_21_in_touch_pct", ("cl_19_21_eet_pct", "cl_19_21_neet_pct")),
}
"""Care leavers of a band are in education, employment or training (EET), not (NEET), or not
in touch (the complement of in touch): three parts of the band's count. Where NEET is not
shown it is in touch minus EET, so a small difference is withheld with EET."""


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
    all small, at their most); and the withheld parts together must not be 1 to 4 either.

    >>> policy = DisclosurePolicy()
    >>> recoverable(27, 21, 1, 1, policy), recoverable(27, 20, 1, 1, policy)  # 6 = 1 + 5; 7
    (True, False)
    >>> recoverable(7, 5, 2, 0, policy), recoverable(12, 4, 2, 0, policy)  # 2 = 1 + 1; 8 = 4 + 4
    (True, True)
    >>> recoverable(32, 29, 2, 0, policy), recoverable(32, 26, 2, 0, policy)  # 3 between two; 6
    (True, False)
    """
    if small + secondary == 0:
        return False
    if small + secondary == 1 or is_missing(total):
        return small + secondary == 1
    left = total - shown  # type: ignore[operator]
    if 0 < left < policy.min_count:  # the withheld parts together are a small number
        return True
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
    # percentages of few children, or whose numerator or complement is small
    for i, r in list(by_id.items()):
        if r.unit == "percent":
            by_id[i] = _percent_of_few(r, by_id, blanked, policy)
    if policy.secondary:
        for base_id, (touch_id, parts) in IN_TOUCH.items():
            _protect_in_touch(by_id, blanked, base_id, touch_id, parts, original, policy)
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
    return [
        by_id[r.id].model_copy(
            update={"denominator": None, "previous_denominator": None, "trend_denominators": {}}
        )
        for r in results
    ]


def _places(r: IndicatorResult) -> list[str]:
    """Where a result has figures: this period, the previous one, and each trend year."""
    return [*SLOTS, *r.trend]


def _figure(r: IndicatorResult, where: str) -> float | None:
    return getattr(r, where) if where in SLOTS else r.trend.get(where)


def _marker_at(r: IndicatorResult, where: str) -> str | None:
    if where in SLOTS:
        return _withheld(r, where)
    marker = r.trend_markers.get(where)
    return marker if marker in (PRIMARY, SECONDARY) and r.trend.get(where) is None else None


def _hide(
    r: IndicatorResult, where: str, marker: str, blanked: dict[str, set[str]]
) -> IndicatorResult:
    if where in SLOTS:
        return _withhold(r, where, marker)
    blanked[r.id] = blanked.get(r.id, set()) | {where}
    return _withhold_years(r, {where}, marker)


def _denominator(
    r: IndicatorResult, where: str, by_id: dict[str, IndicatorResult]
) -> tuple[float | None, str | None]:
    """How many children a percentage is of, and whether that count is shown in the report
    (the id of the shown count, or None: a reader does not know it)."""
    den_id = BACK_CALCULATED.get(r.id)
    base = by_id.get(den_id) if den_id else None
    if base is not None and not is_missing(_figure(base, where)):
        return _figure(base, where), (den_id if _marker_at(base, where) is None else None)
    own = {"value": r.denominator, "previous": r.previous_denominator}.get(where)
    if where not in SLOTS:
        own = r.trend_denominators.get(where)
    return own, None


def _percent_of_few(
    r: IndicatorResult,
    by_id: dict[str, IndicatorResult],
    blanked: dict[str, set[str]],
    policy: DisclosurePolicy,
) -> IndicatorResult:
    """Withhold a percentage of fewer than ``min_denominator`` children, of a withheld count,
    or whose numerator (worked back from its denominator) is small; and one whose complement
    (denominator minus numerator) is small where the denominator is shown."""
    for where in _places(r):
        pct = _figure(r, where)
        if is_missing(pct):
            continue
        den_id = BACK_CALCULATED.get(r.id)
        if den_id in by_id and (marker := _marker_at(by_id[den_id], where)):
            r = _hide(r, where, marker, blanked)  # the denominator itself is withheld
            continue
        base, shown = _denominator(r, where, by_id)
        if is_missing(base):
            continue
        count = round(pct * base / 100)  # type: ignore[operator]
        if base < policy.min_denominator or _small(count, policy):  # type: ignore[operator]
            r = _hide(r, where, PRIMARY, blanked)
        elif shown and policy.secondary and _small(base - count, policy):  # type: ignore[operator]
            r = _hide(r, where, SECONDARY, blanked)
    return r


def _protect_in_touch(
    by_id: dict[str, IndicatorResult],
    blanked: dict[str, set[str]],
    base_id: str,
    touch_id: str,
    parts: tuple[str, ...],
    original: dict[str, dict[str, float | None]],
    policy: DisclosurePolicy,
) -> None:
    """Care leavers are EET, NEET or not in touch: protect a withheld one of them as a part of
    all care leavers of the band (shown), where not in touch is the complement of in touch.
    Where NEET is not shown, in touch minus EET is the number NEET: withhold EET when that is
    small. ``original`` holds every figure before disclosure control (a withheld part's count
    is still needed here)."""
    if base_id not in by_id or touch_id not in by_id or not all(p in by_id for p in parts):
        return
    for where in _places(by_id[touch_id]):
        base, touch = _figure(by_id[base_id], where), original[touch_id].get(where)
        if is_missing(base) or is_missing(touch) or _marker_at(by_id[base_id], where):
            continue
        counts = {
            p: round(v * base / 100)  # type: ignore[operator]
            for p in (touch_id, *parts)
            if not is_missing(v := original[p].get(where))
        }
        if len(counts) <= len(parts):
            continue
        if len(parts) == 1:  # NEET not shown: in touch minus EET is the number NEET
            (eet,) = parts
            shown = not _marker_at(by_id[eet], where) and not _marker_at(by_id[touch_id], where)
            if shown and _small(counts[touch_id] - counts[eet], policy):
                by_id[eet] = _hide(by_id[eet], where, SECONDARY, blanked)
            continue
        values = {**{p: counts[p] for p in parts}, touch_id: base - counts[touch_id]}  # type: ignore[operator]
        withheld = {
            p: (PRIMARY if _small(values[p], policy) else SECONDARY)
            for p in values
            if _marker_at(by_id[p], where)
        }
        if not withheld:
            continue
        victims, exposed = _protect(values, withheld, base, policy)  # type: ignore[arg-type]
        if exposed:
            victims = [p for p in values if p not in withheld and values[p] > 0]
        for victim in victims:
            by_id[victim] = _hide(by_id[victim], where, SECONDARY, blanked)


def withheld(results: Iterable[IndicatorResult]) -> list[IndicatorResult]:
    """The results whose current figure was withheld (for the appendix: which, never what)."""
    return [r for r in results if r.marker in (PRIMARY, SECONDARY)]


Cell = tuple[str, str]
"""A dashboard cell: (row, month); the month before the first is ``"before"``."""
Equation = tuple[dict[Cell, int], float]
"""``sum(coefficient * cell) == constant``."""
BIG = 10**6
"""No upper bound (a withheld month-end count of children looked after)."""


def narrow(
    ranges: dict[Cell, tuple[float, float]], equations: Sequence[Equation]
) -> dict[Cell, tuple[float, float]]:
    """What a reader can tell each cell is, from ``ranges`` and the relations between cells.

    Bound propagation: each equation narrows each of its cells to what the others allow, until
    nothing changes. Coefficients are 1 or -1.

    >>> r = narrow({"a": (1, 4), "b": (0, 0), "s": (27, 27), "t": (28, 28)},
    ...            [({"t": 1, "s": -1, "a": -1, "b": 1}, 0)])
    >>> r["a"]  # 28 - 27 = starts - 0: the withheld starts are 1
    (1, 1)
    """
    ranges = dict(ranges)
    for _ in range(100):
        changed = False
        for coefficients, constant in equations:
            for cell, a in coefficients.items():
                low = high = constant
                for other, b in coefficients.items():
                    if other != cell:
                        lo, hi = ranges[other]
                        low -= max(b * lo, b * hi)
                        high -= min(b * lo, b * hi)
                new = (low, high) if a == 1 else (-high, -low)
                old = ranges[cell]
                found = (max(old[0], new[0]), min(old[1], new[1]))
                if found != old and found[0] <= found[1]:
                    ranges[cell] = found
                    changed = True
        if not changed:
            break
    return ranges


def _given_away(
    marks: dict[Cell, str | None],
    values: dict[Cell, float],
    equations: Sequence[Equation],
    policy: DisclosurePolicy,
) -> Cell | None:
    """A withheld cell a reader can work out (or whose sum with other withheld cells of a sum
    is 1 to 4): the first found, or None."""
    ranges = {}
    for cell, value in values.items():
        mark = marks.get(cell)
        if mark == PRIMARY:
            ranges[cell] = (1, policy.min_count - 1)
        elif mark == SECONDARY:
            ranges[cell] = (policy.min_count, BIG)
        elif mark == "unknown":
            ranges[cell] = (0, BIG)
        else:
            ranges[cell] = (value, value)
    narrowed = narrow(ranges, equations)
    for cell, mark in marks.items():
        if mark in (PRIMARY, SECONDARY) and narrowed[cell][0] == narrowed[cell][1]:
            return cell
    for coefficients, constant in equations:
        hidden = [c for c in coefficients if marks.get(c) in (PRIMARY, SECONDARY)]
        if len(hidden) > 1 and all(coefficients[c] == 1 for c in hidden):
            rest = sum(coefficients[c] * values[c] for c in coefficients if c not in hidden)
            if 0 < constant - rest < policy.min_count:
                return hidden[0]
    return None


def monthly(
    table: dict[str, dict[str, float | None]],
    policy: DisclosurePolicy | None = None,
    period_end: IndicatorResult | None = None,
) -> dict[str, dict[str, float | str | None]]:
    """Disclosure control for the monthly dashboard.

    Small counts become ``"suppressed"``, and so do percentages of fewer than
    ``min_denominator`` children looked after, of a withheld month-end count, or whose numerator
    or complement (worked back from the month's children looked after) is small. Then, while a
    withheld figure can be worked out, one more is withheld (``"secondary"``: the smallest shown
    figure beside it, a flow before a month-end count; never a zero): from the months of a flow
    (starts, cessations) adding up to the year's figure, and from each month's change in
    children looked after, which is starts minus cessations (a month's starts are its month-end
    count minus the last month's plus its cessations). The month before the first is the
    previous year's ``cla_at_end`` when ``period_end`` (the report's ``cla_at_end`` after
    :func:`apply`) is for the year before the dashboard's first month; when ``period_end`` is
    withheld, so is the last month's figure (the same children).
    """
    policy = policy or DisclosurePolicy()
    out: dict[str, dict[str, float | str | None]] = {}
    for month, row in table.items():
        cells: dict[str, float | str | None] = {}
        for key, value in row.items():
            cells[key] = (
                PRIMARY if (key.endswith("_pct") is False and _small(value, policy)) else value
            )
        out[month] = cells
    if period_end is not None and _withheld(period_end, "value") and out:
        last = out[list(out)[-1]]
        if not is_missing(last.get("cla_at_end")):  # type: ignore[arg-type]
            last["cla_at_end"] = period_end.marker
    if policy.secondary:
        _protect_months(table, out, policy, period_end)
    for month, row in table.items():  # percentages of the month's children looked after
        base = row.get("cla_at_end")
        for key, value in row.items():
            if not key.endswith("_pct") or is_missing(value):
                continue
            if out[month].get("cla_at_end") in (PRIMARY, SECONDARY):
                out[month][key] = out[month]["cla_at_end"]
            elif not is_missing(base):
                count = round(value * base / 100)  # type: ignore[operator]
                if base < policy.min_denominator or _small(count, policy):  # type: ignore[operator]
                    out[month][key] = PRIMARY
                elif policy.secondary and _small(base - count, policy):  # type: ignore[operator]
                    out[month][key] = SECONDARY
    return out


def _protect_months(
    table: dict[str, dict[str, float | None]],
    out: dict[str, dict[str, float | str | None]],
    policy: DisclosurePolicy,
    period_end: IndicatorResult | None,
) -> None:
    """Secondary suppression of the dashboard's stocks and flows (in place on ``out``)."""
    months = list(table)
    values: dict[Cell, float] = {}
    marks: dict[Cell, str | None] = {}
    for month in months:
        for key in ("cla_at_end", *MONTHLY_FLOWS):
            value = table[month].get(key)
            if not is_missing(value):
                values[(key, month)] = value  # type: ignore[assignment]
                shown = out[month][key]
                marks[(key, month)] = shown if shown in (PRIMARY, SECONDARY) else None
    before = ("cla_at_end", "before")
    if (
        months
        and period_end is not None
        and period_end.previous_period
        and parse_period(period_end.previous_period).end + timedelta(days=1)
        == parse_period(months[0]).start
    ):
        if not is_missing(period_end.previous):
            values[before], marks[before] = period_end.previous, None  # type: ignore[assignment]
        elif _withheld(period_end, "previous"):
            values[before], marks[before] = 0.0, "unknown"
    equations: list[Equation] = []
    for key in MONTHLY_FLOWS:  # the months add up to the year's figure (shown in the report)
        cells = [(key, m) for m in months]
        if cells and all(c in values for c in cells):
            equations.append(({c: 1 for c in cells}, sum(values[c] for c in cells)))
    for i, month in enumerate(months):  # stock(t) - stock(t-1) - starts(t) + ceased(t) = 0
        earlier = ("cla_at_end", months[i - 1]) if i else before
        cells = [("cla_at_end", month), earlier, ("started", month), ("ceased", month)]
        if all(c in values for c in cells):
            here = dict(zip(cells, (1, -1, -1, 1), strict=True))
            equations.append(
                (here, values[cells[0]] - values[cells[1]] - values[cells[2]] + values[cells[3]])
            )
    # the last month's count is the report's children looked after at the period end: shown
    # there, so it cannot be withheld here
    fixed = {before}
    if months and period_end is not None and not is_missing(period_end.value):
        fixed.add(("cla_at_end", months[-1]))
    while (leak := _given_away(marks, values, equations, policy)) is not None:
        near = [c for eq, _ in equations if leak in eq for c in eq]
        candidates = [
            c
            for c in dict.fromkeys(near)
            if marks.get(c) is None and c not in fixed and values[c] > 0
        ]
        if not candidates:  # nothing beside it to withhold: any shown figure of its equations
            candidates = [
                c
                for eq, _ in equations
                if any(marks.get(x) in (PRIMARY, SECONDARY) for x in eq)
                for c in eq
                if marks.get(c) is None and c not in fixed and values[c] > 0
            ]
        if not candidates:
            break
        victim = min(candidates, key=lambda c: (c[0] == "cla_at_end", values[c], c))
        marks[victim] = SECONDARY
        out[victim[1]][victim[0]] = SECONDARY
