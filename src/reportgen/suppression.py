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
  percentage.

Zero is never withheld (DfE practice: a zero was a zero return). The previous-period value and
the trend are treated the same way as the current value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from reportgen.formatting import is_missing
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


class DisclosurePolicy(BaseModel):
    """Small-number rules (``disclosure:`` in params)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_count: int = Field(default=5, ge=1, le=100)
    secondary: bool = True


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


def _withhold_years(r: IndicatorResult, years: set[str]) -> IndicatorResult:
    if not years:
        return r
    return r.model_copy(
        update={"trend": {y: (None if y in years else v) for y, v in r.trend.items()}}
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
    # secondary: a single withheld part of a shown total could be worked out by subtraction
    if policy.secondary:
        for parts in groups(by_id).values():
            for slot in SLOTS:
                withheld = [p for p in parts if _withheld(by_id[p], slot)]
                shown = [
                    p
                    for p in parts
                    if not is_missing(getattr(by_id[p], slot)) and getattr(by_id[p], slot) > 0
                ]
                if len(withheld) == 1 and shown:
                    victim = min(shown, key=lambda p: (getattr(by_id[p], slot), p))
                    by_id[victim] = _withhold(by_id[victim], slot, SECONDARY)
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
        by_id[i] = r
    # derived: rates and percentages made from withheld counts
    for i, r in list(by_id.items()):
        parts = [by_id[c] for c in _components(i) if c in by_id]
        for slot in SLOTS:
            marker = next((m for c in parts if (m := _withheld(c, slot))), None)
            if marker:
                r = _withhold(r, slot, marker)
        years = set().union(*(blanked.get(c.id, set()) for c in parts)) if parts else set()
        by_id[i] = _withhold_years(r, years)
    return [by_id[r.id] for r in results]


def withheld(results: Iterable[IndicatorResult]) -> list[IndicatorResult]:
    """The results whose current figure was withheld (for the appendix: which, never what)."""
    return [r for r in results if r.marker in (PRIMARY, SECONDARY)]


def monthly(
    table: dict[str, dict[str, float | None]], policy: DisclosurePolicy | None = None
) -> dict[str, dict[str, float | str | None]]:
    """Disclosure control for the monthly dashboard: small counts, and percentages of a small
    number of children looked after, become ``"suppressed"``."""
    policy = policy or DisclosurePolicy()
    out: dict[str, dict[str, float | str | None]] = {}
    for month, row in table.items():
        small_base = _small(row.get("cla_at_end"), policy)
        out[month] = {
            key: (
                PRIMARY
                if (key.endswith("_pct") and small_base and not is_missing(value))
                or (not key.endswith("_pct") and _small(value, policy))
                else value
            )
            for key, value in row.items()
        }
    return out
