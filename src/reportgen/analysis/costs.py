"""Placement costs: the provider mix, unit costs and what a change of mix would save.

Four pure cores, used by the sufficiency story and the Financial implications section:

1. **Estimating an authority's placement type x provider table** from published data. The DfE
   publishes, for each authority, the two *margins* only (children looked after at 31 March by
   placement type, and by placement provider, in ``la_cla_on_31_march_by_characteristics``), and
   England's *full* placement type x provider table
   (``national_cla_on_31_march_by_placement_provider_placement_type_and_locality``).
   :func:`ipf_estimate` fits a table to the authority's margins starting from England's table
   (iterative proportional fitting, IPF); :func:`estimated_type_by_provider` does this from the
   published files for one authority and year. The result is an **estimate** and must be called one.
2. **Unit costs** (``params/costs.yaml``): a weekly cost per placement type x provider, each with
   its public source, year and price base, uplifted to the report year by an inflation index that is
   itself a parameter. :func:`load_costs` validates the file and applies an authority's own figures,
   marking each figure ``national`` or ``authority``.
3. **Costing**: :func:`placement_costs` (a snapshot of children, weekly and annual cost per cell),
   :func:`cost_at_england_mix` (the same number of children in England's mix),
   :func:`shift_saving` (moving children from one cell to another) and
   :func:`placement_days_cost` (903 sources: the cost of the placement-days in a period).
4. **Money in GOV.UK style**: :func:`money` ("£820", "£1,250", "£3.7 million").

Conventions
-----------
* Placement types and providers use the project's group keys (``codes/place.yaml`` and
  ``codes/place_provider.yaml``): see :data:`PLACEMENT_TYPES` and :data:`PROVIDERS`.
* Years are financial years written ``"2024-25"``; an ``int`` is a DfE reporting year (year ending
  31 March), so ``2025`` means ``"2024-25"``.
* A year has ``365.25 / 7`` (about 52.18) weeks: :data:`WEEKS_PER_YEAR`. Annual cost = weekly
  cost x 365.25 / 7, so a figure per week and one per year describe the same average day.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    ValidationError,
    field_validator,
)

from reportgen.core.memo import SourceMemo
from reportgen.core.periods import year_label
from reportgen.core.tables import load_table, value_positions

# --------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------

WEEKS_PER_YEAR: float = 365.25 / 7
"""Weeks in an average year (52.1786): annual cost = weekly cost x ``WEEKS_PER_YEAR``."""

PLACEMENT_TYPES: dict[str, str] = {
    "foster": "Foster placement (in published tables: including kinship and connected carers)",
    "kinship": "Foster placement with a relative or friend (kinship or connected carer; 903 only)",
    "childrens_home": "Children's home (in published tables: including secure children's homes)",
    "secure_childrens_home": "Secure children's home (903 only)",
    "supported_accommodation": "Independent and semi-independent living or supported accommodation",
    "other_residential": "Other residential settings (health, family centres, custody)",
    "residential_school": "Residential school",
    "with_parents": "Placed with parents or other person with parental responsibility",
    "placed_for_adoption": "Placed for adoption",
    "other": "Other placements",
}
"""Placement types (keys as the ``group`` of ``PLACE`` in ``codes/place.yaml``, plus ``kinship``
for foster placements with a relative or friend, codes U1 to U3)."""

PROVIDERS: dict[str, str] = {
    "own_la": "Own provision (by the local authority)",
    "other_la": "Other local authority provision",
    "other_public": "Other public provision (for example a health body)",
    "private": "Private provision",
    "voluntary": "Voluntary or third sector provision",
    "parents": "Parents or other person with parental responsibility",
    "not_reported": "Placement provider not reported",
}
"""Placement providers (keys as the ``group`` of ``PLACE_PROVIDER`` in ``codes/place_provider.yaml``,
plus ``not_reported``, the DfE's label for placements with no provider, such as other placements)."""

ANY_PROVIDER = "any"
"""Key in ``costs.yaml`` for a figure that applies to every provider of a placement type
(a provider's own figure, where given, wins)."""

Origin = Literal["national", "authority"]

# --------------------------------------------------------------------------------------------
# The published tables and the mapping between their labels
# --------------------------------------------------------------------------------------------

LA_TABLE = "la_cla_on_31_march_by_characteristics"
NATIONAL_TABLE = "national_cla_on_31_march_by_placement_provider_placement_type_and_locality"

LA_PLACEMENT_LABELS: dict[str, str] = {
    "Foster placements": "foster",
    "Secure homes and children's homes": "childrens_home",
    "Independent and semi-independent living arrangements/supported accommodation": (
        "supported_accommodation"
    ),
    "Other residential settings": "other_residential",
    "Residential schools": "residential_school",
    "Placed with parents or other person with parental responsibility": "with_parents",
    "Placed for adoption": "placed_for_adoption",
    "Other placements": "other",
}
"""The authority's ``Placement`` margin (column ``breakdown`` where ``characteristic`` is
``Placement``; the DfE file swaps the two column names) to placement type keys. Published foster
placements include kinship placements, and ``Secure homes and children's homes`` include secure
children's homes: the published estimate cannot separate them."""

NATIONAL_PLACEMENT_ROWS: dict[str, tuple[str, ...]] = {
    "foster": ("2a. Foster placements", "3a. Foster placements"),
    "childrens_home": (
        "2b. Secure homes and children's homes",
        "3b. Secure homes and children's homes",
    ),
    "supported_accommodation": (
        "2c. Independent and semi-independent living arrangements/supported accommodation",
        "3c. Independent and semi-independent living arrangements/supported accommodation",
    ),
    "other_residential": ("2d. Other residential settings", "3d. Other residential settings"),
    "residential_school": ("2e. Residential schools", "3e. Residential schools"),
    "with_parents": (
        "2f. Placed with parents or other person with parental responsibility",
        "3f. Placed with parents or other person with parental responsibility",
    ),
    "placed_for_adoption": ("2g. Placed for adoption", "3g. Placed for adoption"),
    "other": ("4. Other placement",),
}
"""England's table splits each placement type by locality (``2x`` inside the council boundary,
``3x`` outside); a type's row is the sum of the two. ``4. Other placement`` has no locality split.
Rows ``1.``, ``2.`` and ``3.`` are totals and are not used."""

LA_PROVIDER_LABELS: dict[str, str] = {
    "Own provision (by the LA)": "own_la",
    "Other LA provision": "other_la",
    "Other public provision (e.g. by a PCT etc)": "other_public",
    "Private provision": "private",
    "Voluntary/third sector provision": "voluntary",
    "Parents or other person with parental responsibility": "parents",
    "Placement provider not reported": "not_reported",
}
"""The authority's ``Place providers`` margin to provider keys."""

NATIONAL_PROVIDER_LABELS: dict[str, str] = {
    "Own provision (by the LA)": "own_la",
    "Other LA provision": "other_la",
    "Other public provision (e.g., PCT)": "other_public",
    "Private provision": "private",
    "Voluntary/third sector provision": "voluntary",
    "Parents or other person with parental responsibility": "parents",
    "Placement provider not reported": "not_reported",
}
"""England's ``placement_provider`` labels to provider keys (``All children`` is the total and is
not used). Note the other public provision label differs from the authority file's."""

PUBLISHED_TYPES: tuple[str, ...] = tuple(NATIONAL_PLACEMENT_ROWS)
"""Placement types that exist in the published tables (no ``kinship`` or ``secure_childrens_home``)."""

SUPPRESSED_SEED = 2.5
"""Seed for an England cell published as ``c`` (suppressed): a small positive number (England's
counts are rounded to the nearest 10, so a suppressed cell is small)."""

ROUNDED_ZERO_SEED = 0.5
"""Seed for an England cell published as ``0``: England's counts are rounded to the nearest 10, so
``0`` means fewer than 5 children, not none. A small positive seed lets an authority whose margins
need such a cell be fitted. Cells published as ``z`` (not applicable, for example foster placements
with a parent as provider) are structural zeros and stay zero."""

ESTIMATE_NOTE = (
    "Estimated: the DfE publishes {name}'s children looked after at 31 March {year_end} by placement "
    "type and by placement provider separately; the table combining them is estimated from those two "
    "totals and England's published table for {seed_year} (iterative proportional fitting), so each "
    "cell is an estimate, not a published count."
)
"""Sentence for the paper and Appendix A under any figure from :func:`estimated_type_by_provider`."""


class IPFError(ValueError):
    """The margins cannot be fitted: inconsistent, infeasible for the seed, or not converging."""


class CostsError(ValueError):
    """A bad unit cost, placement type, provider or key in ``costs.yaml`` or an authority's figures.

    The message names the file, the key and the accepted values.
    """


# --------------------------------------------------------------------------------------------
# Years
# --------------------------------------------------------------------------------------------

_FY = re.compile(r"^(\d{4})-(\d{2})$")


def financial_year(year: int | str) -> str:
    """Normalise a year to a financial-year label (a reporting year through
    :func:`reportgen.core.periods.year_label`).

    Parameters
    ----------
    year
        ``"2024-25"``, or a DfE reporting year (year ending 31 March) as ``2025`` or ``"2025"``.

    Returns
    -------
    str
        For example ``"2024-25"``.

    Examples
    --------
    >>> financial_year(2025), financial_year("2024-25")
    ('2024-25', '2024-25')
    """
    if isinstance(year, bool):
        raise ValueError(f"not a year: {year!r}")
    if isinstance(year, int) or (isinstance(year, str) and year.strip().isdigit()):
        return year_label(int(year))
    if isinstance(year, str):
        match = _FY.match(year.strip())
        if match and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
            return year.strip()
    raise ValueError(f"not a year: {year!r}; write a financial year such as '2024-25' or 2025")


def reporting_year(year: int | str) -> int:
    """The DfE ``time_period`` (year ending 31 March) of a year: ``"2024-25"`` -> ``2025``."""
    return int(financial_year(year)[:4]) + 1


# --------------------------------------------------------------------------------------------
# Iterative proportional fitting
# --------------------------------------------------------------------------------------------


def _remainder(margin: pd.Series, total: float, name: str) -> float:
    """What the missing entries of a margin share: the total minus the known entries."""
    known = margin.notna()
    remainder = total - float(margin[known].sum())
    if remainder < -1e-9 * max(1.0, total):
        raise IPFError(
            f"{name} margin: the published entries add up to {margin[known].sum():g}, more than "
            f"the total {total:g}, so the suppressed entries "
            f"({', '.join(map(str, margin.index[~known]))}) cannot be filled"
        )
    return max(remainder, 0.0)


def _constraint_groups(
    margin: pd.Series, total: float, name: str
) -> list[tuple[np.ndarray, float]]:
    """One constraint per known entry, and one for the unknown entries together (their remainder)."""
    known = margin.notna().to_numpy()
    values = margin.to_numpy(dtype=float)
    groups = [(np.array([i]), float(values[i])) for i in np.flatnonzero(known)]
    if not known.all():
        groups.append((np.flatnonzero(~known), _remainder(margin, total, name)))
    return groups


def ipf_estimate(
    row_margin: pd.Series,
    col_margin: pd.Series,
    seed_table: pd.DataFrame,
    tol: float = 1e-9,
    max_iter: int = 1000,
    *,
    total: float | None = None,
) -> pd.DataFrame:
    """Fit a two-way table to its row and column totals, starting from a seed table (IPF).

    Iterative proportional fitting scales the seed's rows to the row margin, then its columns to
    the column margin, and repeats until both margins hold. The fitted table keeps the seed's odds
    ratios (its "shape"), so an authority's table estimated from England's seed looks like
    England's, adjusted to the authority's own totals.

    Parameters
    ----------
    row_margin, col_margin
        Totals for each row and column label of ``seed_table`` (the same labels, in any order).
        ``NaN`` marks a missing or suppressed entry: see *Missing entries*.
    seed_table
        Non-negative starting table (rows x columns), no ``NaN``. A zero cell stays zero (a
        structural zero).
    tol
        Convergence: stop when every row and column total (or group of missing entries) is within
        ``tol`` of its target, in the units of the table (children).
    max_iter
        Iterations (one row and one column pass each) before giving up.
    total
        The grand total, when known separately (the DfE publishes a ``Total`` row). Needed when
        both margins have missing entries.

    Returns
    -------
    pandas.DataFrame
        The fitted table (labels and order of ``seed_table``). ``attrs`` (plain numbers, lists and
        dicts, so that pandas can compare and carry them) records: ``iterations``;
        ``total``; ``row_scale`` and ``col_scale`` (factors applied to a complete margin whose sum
        differed from the total); ``row_margin_fitted`` and ``col_margin_fitted`` (the margins the
        table has, including the values given to missing entries); ``row_filled`` and
        ``col_filled`` (labels of the entries that were missing).

    Raises
    ------
    IPFError
        Margins that do not match the seed's labels or are negative; missing entries that cannot be
        filled (published entries exceeding the total, or both margins incomplete without a
        ``total``); a positive total for a row or column whose seed is all zero; no convergence
        within ``max_iter`` (margins inconsistent with the seed's structural zeros).

    Notes
    -----
    *Totals that differ.* When both margins are complete but add up to different totals (rounding,
    or two publications), the column margin is scaled to the row margin's total (or both to
    ``total`` when given), and the factor is reported in ``attrs["col_scale"]``: a table cannot
    have two grand totals.

    *Missing entries.* A ``NaN`` in a margin is unknown, not zero. The unknown entries of a margin
    share the remainder (the total minus the known entries), and IPF treats them as one group:
    each pass scales the unknown rows together to the remainder, leaving their split to the seed
    and the other margin. So a suppressed count is filled with what the other margin and England's
    pattern imply, and the filled values are reported (``row_margin_fitted``, ``row_filled``).

    *Zero cells.* Seed zeros are structural and stay zero; a margin entry of zero empties its row
    or column. Where the zeros tie a row to a column one-to-one (the row's only non-zero seed cell
    is in that column and vice versa), their totals must be equal: a missing one is filled from
    the other before fitting, and a difference is an error.

    Examples
    --------
    >>> seed = pd.DataFrame([[1.0, 1.0], [1.0, 3.0]], index=["a", "b"], columns=["x", "y"])
    >>> fit = ipf_estimate(pd.Series({"a": 2.0, "b": 4.0}), pd.Series({"x": 3.0, "y": 3.0}), seed)
    >>> fit.round(6).values.tolist()
    [[1.354249, 0.645751], [1.645751, 2.354249]]
    """
    if not isinstance(seed_table, pd.DataFrame) or seed_table.empty:
        raise IPFError("seed_table must be a non-empty DataFrame")
    seed = seed_table.astype(float)
    if seed.isna().any().any():
        raise IPFError("seed_table has missing (NaN) cells: give every cell a number")
    if (seed.to_numpy() < 0).any():
        raise IPFError("seed_table has negative cells")
    rows = _align_margin(row_margin, seed.index, "row")
    cols = _align_margin(col_margin, seed.columns, "column")

    row_complete, col_complete = bool(rows.notna().all()), bool(cols.notna().all())
    if total is None:
        if row_complete:
            total = float(rows.sum())
        elif col_complete:
            total = float(cols.sum())
        else:
            raise IPFError(
                "both margins have missing entries: give the grand total (total=...) so the "
                "missing entries can share the remainder"
            )
    total = float(total)
    if not math.isfinite(total) or total < 0:
        raise IPFError(f"total must be a non-negative number, not {total!r}")

    rows, row_scale = _scale_complete(rows, total, "row")
    cols, col_scale = _scale_complete(cols, total, "column")
    row_filled = list(rows.index[rows.isna()])
    col_filled = list(cols.index[cols.isna()])
    rows, cols = _propagate_ties(rows, cols, seed, total)
    row_groups = _constraint_groups(rows, total, "row")
    col_groups = _constraint_groups(cols, total, "column")

    x = seed.to_numpy(copy=True)
    _check_feasible(x.sum(axis=1), row_groups, seed.index, "row")
    _check_feasible(x.sum(axis=0), col_groups, seed.columns, "column")

    iterations, gap = 0, math.inf
    if total == 0:
        x[:] = 0.0
    while total > 0 and gap > tol:
        if iterations == max_iter:
            raise IPFError(
                f"iterative proportional fitting did not converge in {max_iter} iterations "
                f"(largest gap to a margin {gap:.3g}, tolerance {tol:g}): the margins are "
                "inconsistent with the seed's zero cells"
            )
        iterations += 1
        _scale_groups(x, row_groups, axis=1)
        _scale_groups(x, col_groups, axis=0)
        gap = _largest_gap(x, row_groups, col_groups)

    fitted = pd.DataFrame(x, index=seed.index, columns=seed.columns)
    fitted.attrs.update(
        iterations=iterations,
        total=total,
        row_scale=row_scale,
        col_scale=col_scale,
        row_margin_fitted={k: float(v) for k, v in fitted.sum(axis=1).items()},
        col_margin_fitted={k: float(v) for k, v in fitted.sum(axis=0).items()},
        row_filled=row_filled,
        col_filled=col_filled,
    )
    return fitted


def _align_margin(margin: pd.Series, labels: pd.Index, name: str) -> pd.Series:
    margin = pd.Series(margin, dtype=float)
    missing = [str(label) for label in labels if label not in margin.index]
    extra = [str(label) for label in margin.index if label not in labels]
    if missing or extra or margin.index.has_duplicates:
        raise IPFError(
            f"{name} margin labels do not match the seed table's: missing {missing}, "
            f"unknown {extra}; accepted: {[str(label) for label in labels]}"
        )
    margin = margin.reindex(labels)
    if (margin.dropna() < 0).any():
        raise IPFError(f"{name} margin has negative entries: {margin[margin < 0].to_dict()}")
    return margin


def _propagate_ties(
    rows: pd.Series, cols: pd.Series, seed: pd.DataFrame, total: float
) -> tuple[pd.Series, pd.Series]:
    """Fill missing margin entries that the structure determines exactly.

    Two rules, repeated until nothing changes: a margin with a single missing entry gets the
    remainder; and a row and a column tied one-to-one by the seed (the row's only non-zero cell is
    in that column and the column's only non-zero cell is in that row, as placed with parents and
    parent providers are) must have equal totals, so a missing one takes the other's value.
    Without this, IPF approaches such solutions only slowly (they lie on the boundary).
    """
    rows, cols = rows.copy(), cols.copy()
    positive = seed.to_numpy() > 0
    ties = [
        (seed.index[r], seed.columns[c[0]])
        for r in range(positive.shape[0])
        if len(c := np.flatnonzero(positive[r])) == 1
        and np.flatnonzero(positive[:, c[0]]).size == 1
    ]
    changed = True
    while changed:
        changed = False
        for margin, name in ((rows, "row"), (cols, "column")):
            missing = margin.index[margin.isna()]
            if len(missing) == 1:
                margin[missing[0]] = _remainder(margin, total, name)
                changed = True
        for row, col in ties:
            if pd.isna(rows[row]) and not pd.isna(cols[col]):
                rows[row], changed = cols[col], True
            elif pd.isna(cols[col]) and not pd.isna(rows[row]):
                cols[col], changed = rows[row], True
            elif not pd.isna(rows[row]) and not math.isclose(
                rows[row], cols[col], rel_tol=1e-9, abs_tol=1e-9
            ):
                raise IPFError(
                    f"row {row} ({rows[row]:g}) and column {col} ({cols[col]:g}) must be equal: "
                    f"the seed table's only cell for each is {row} x {col}"
                )
    return rows, cols


def _scale_complete(margin: pd.Series, total: float, name: str) -> tuple[pd.Series, float]:
    """Scale a complete margin to the total (returns the factor; 1.0 when nothing changed)."""
    if margin.isna().any():
        return margin, 1.0
    current = float(margin.sum())
    if math.isclose(current, total, rel_tol=0.0, abs_tol=1e-12):
        return margin, 1.0
    if current == 0:
        raise IPFError(f"{name} margin adds up to 0 but the total is {total:g}")
    factor = total / current
    return margin * factor, factor


def _check_feasible(
    seed_sums: np.ndarray, groups: list[tuple[np.ndarray, float]], labels: pd.Index, name: str
) -> None:
    for index, target in groups:
        if target > 0 and seed_sums[index].sum() == 0:
            names = ", ".join(str(labels[i]) for i in index)
            raise IPFError(
                f"{name} {names}: total {target:g} but the seed table has no cell there "
                "(all zero), so no table can have that total"
            )


def _scale_groups(x: np.ndarray, groups: list[tuple[np.ndarray, float]], axis: int) -> None:
    sums = x.sum(axis=axis)
    for index, target in groups:
        current = sums[index].sum()
        factor = 0.0 if target == 0 else (target / current if current > 0 else 0.0)
        if axis == 1:
            x[index, :] *= factor
        else:
            x[:, index] *= factor


def _largest_gap(
    x: np.ndarray,
    row_groups: list[tuple[np.ndarray, float]],
    col_groups: list[tuple[np.ndarray, float]],
) -> float:
    row_sums, col_sums = x.sum(axis=1), x.sum(axis=0)
    gaps = [abs(row_sums[i].sum() - t) for i, t in row_groups]
    gaps += [abs(col_sums[i].sum() - t) for i, t in col_groups]
    return max(gaps)


# --------------------------------------------------------------------------------------------
# The published tables
# --------------------------------------------------------------------------------------------


_LA_INDEX = SourceMemo(maxsize=2)
_ENGLAND = SourceMemo(maxsize=32)
_ESTIMATES = SourceMemo(maxsize=16)


def _la_index(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, dict[str, np.ndarray]]]:
    """``frame``'s local-authority rows, and their positions by old code, GSS code (upper case)
    and name (case-folded): built once per loaded table instead of once per look-up."""

    def build() -> tuple[pd.DataFrame, dict[str, dict[str, np.ndarray]]]:
        la = frame[frame["geographic_level"] == "Local authority"]
        keys = {
            "old": la["old_la_code"].astype(str),
            "new": la["new_la_code"].astype(str).str.upper(),
            "name": la["la_name"].astype(str).str.casefold(),
        }
        return la, {kind: value_positions(values) for kind, values in keys.items()}

    return _LA_INDEX.get("la_index", (frame,), build)


def _authority_rows(frame: pd.DataFrame, authority_code: str) -> pd.DataFrame:
    code = str(authority_code).strip()
    la, index = _la_index(frame)
    empty = np.array([], dtype=np.intp)
    positions = np.union1d(
        np.union1d(index["old"].get(code, empty), index["new"].get(code.upper(), empty)),
        index["name"].get(code.casefold(), empty),
    )
    hit = la.iloc[positions]
    if hit.empty:
        raise ValueError(
            f"authority {authority_code!r} not found in {LA_TABLE}: give a 3-digit DfE code "
            "(for example '855'), a GSS code ('E10000018') or the name"
        )
    return hit


def published_margins(authority_code: str, year: int | str) -> dict[str, Any]:
    """An authority's published placement type and provider margins for one year.

    Parameters
    ----------
    authority_code
        3-digit DfE code (``"855"``), GSS code (``"E10000018"``) or name.
    year
        ``"2024-25"`` or the reporting year ``2025`` (children looked after at 31 March 2025).

    Returns
    -------
    dict
        ``types`` and ``providers`` (Series keyed by :data:`PLACEMENT_TYPES` and :data:`PROVIDERS`
        keys, ``NaN`` where the DfE suppressed the count), ``markers`` (DfE marker per label, for
        example ``{"other_la": "c"}``; ``"total"`` for the total), ``total`` (the published ``Total`` of the placement
        margin), ``provider_total``, ``name``, ``old_la_code``, ``new_la_code``, ``time_period``.
    """
    period = reporting_year(year)
    frame = load_table(LA_TABLE)
    rows = _authority_rows(frame, authority_code)
    rows = rows[rows["time_period"] == period]
    if rows.empty:
        years = sorted(frame["time_period"].unique())
        raise ValueError(f"no {LA_TABLE} rows for {authority_code!r} in {period}; years: {years}")

    def margin(characteristic: str, labels: dict[str, str]) -> tuple[pd.Series, dict, float]:
        part = rows[rows["characteristic"] == characteristic].set_index("breakdown")
        unknown = sorted(set(part.index) - set(labels) - {"Total"})
        absent = sorted(set(labels) - set(part.index))
        if unknown or absent:
            raise ValueError(
                f"{LA_TABLE} '{characteristic}' labels changed: unknown {unknown}, absent {absent}; "
                "update the mapping in reportgen.analysis.costs"
            )
        values = pd.Series({labels[k]: part.at[k, "children_count"] for k in labels}, dtype=float)
        markers = {
            labels[k]: part.at[k, "children_count_marker"]
            for k in labels
            if part.at[k, "children_count_marker"] is not None
            and not pd.isna(part.at[k, "children_count_marker"])
        }
        total_marker = part.at["Total", "children_count_marker"]
        if total_marker is not None and not pd.isna(total_marker):
            markers["total"] = total_marker
        return values, markers, float(part.at["Total", "children_count"])

    types, type_markers, total = margin("Placement", LA_PLACEMENT_LABELS)
    providers, provider_markers, provider_total = margin("Place providers", LA_PROVIDER_LABELS)
    first = rows.iloc[0]
    return {
        "types": types,
        "providers": providers,
        "markers": {**type_markers, **provider_markers},
        "total": total,
        "provider_total": provider_total,
        "name": str(first["la_name"]),
        "old_la_code": str(first["old_la_code"]),
        "new_la_code": str(first["new_la_code"]),
        "time_period": period,
    }


def england_type_by_provider(year: int | str, *, as_seed: bool = False) -> pd.DataFrame:
    """England's published children looked after at 31 March by placement type x provider.

    Inside and outside the council boundary are added together for each placement type
    (:data:`NATIONAL_PLACEMENT_ROWS`).

    Parameters
    ----------
    year
        ``"2023-24"`` or ``2024``; the national table covers 2019-20 to 2023-24.
    as_seed
        ``False``: published numbers, with ``c`` (suppressed) and ``z`` (not applicable) as 0 (for
        England's mix; England's counts are rounded to the nearest 10, so the difference is small).
        ``True``: the IPF seed: ``z`` is 0 (structural), ``c`` is :data:`SUPPRESSED_SEED` and a
        published 0 is :data:`ROUNDED_ZERO_SEED`.

    Returns
    -------
    pandas.DataFrame
        Placement types (rows, :data:`PUBLISHED_TYPES`) x providers (columns, :data:`PROVIDERS`).
        Computed once per process for each year (while the published table is the same) and
        copied for each caller.
    """
    period = reporting_year(year)
    frame = load_table(NATIONAL_TABLE)
    table = _ENGLAND.get(
        (period, bool(as_seed)), (frame,), lambda: _england_table(frame, period, as_seed=as_seed)
    )
    return table.copy()


def _england_table(frame: pd.DataFrame, period: int, *, as_seed: bool) -> pd.DataFrame:
    """:func:`england_type_by_provider` from the national table ``frame``."""
    part = frame[frame["time_period"] == period]
    if part.empty:
        raise ValueError(
            f"no {NATIONAL_TABLE} rows for {period}; years: {sorted(frame['time_period'].unique())}"
        )
    providers = part["placement_provider"].map(NATIONAL_PROVIDER_LABELS)
    unknown = sorted(set(part.loc[providers.isna(), "placement_provider"]) - {"All children"})
    if unknown:
        raise ValueError(f"{NATIONAL_TABLE}: unknown placement_provider labels {unknown}")
    values = part["number"].astype(float)
    marker = part["number_marker"].astype(object)
    if as_seed:
        values = values.where(values != 0, ROUNDED_ZERO_SEED)
        values = values.mask(marker == "c", SUPPRESSED_SEED)
    values = values.mask(marker.isin(["z", "x"]), 0.0).fillna(0.0)
    cells = pd.DataFrame(
        {"placement_type": part["placement_type"], "provider": providers, "n": values}
    ).dropna(subset=["provider"])
    table = pd.DataFrame(0.0, index=list(PUBLISHED_TYPES), columns=list(PROVIDERS))
    for key, labels in NATIONAL_PLACEMENT_ROWS.items():
        absent = [label for label in labels if label not in set(cells["placement_type"])]
        if absent:
            raise ValueError(f"{NATIONAL_TABLE}: placement_type rows {absent} not found")
        chosen = cells[cells["placement_type"].isin(labels)]
        table.loc[key] = chosen.groupby("provider")["n"].sum().reindex(PROVIDERS, fill_value=0.0)
    table.attrs["time_period"] = period
    return table


def estimated_type_by_provider(
    authority_code: str,
    year: int | str,
    *,
    seed_year: int | str | None = None,
    tol: float = 1e-9,
    max_iter: int = 1000,
) -> pd.DataFrame:
    """Estimate an authority's children looked after by placement type x provider.

    The DfE publishes the authority's two margins (by placement type, by provider); this fits a
    table to them with :func:`ipf_estimate`, seeded with England's published table
    (:func:`england_type_by_provider` with ``as_seed=True``). **The result is an estimate**: say so
    wherever it is used (``attrs["note"]``, :data:`ESTIMATE_NOTE`).

    Parameters
    ----------
    authority_code
        3-digit DfE code (``"855"``), GSS code (``"E10000018"``) or name.
    year
        ``"2024-25"`` or ``2025``: children looked after at 31 March 2025.
    seed_year
        England's year to use; default the same year when published, otherwise the latest earlier
        one (the national table in ``data/published`` ends in 2023-24, the authority table in
        2024-25).
    tol, max_iter
        Passed to :func:`ipf_estimate`.

    Returns
    -------
    pandas.DataFrame
        Placement types (:data:`PUBLISHED_TYPES`) x providers (:data:`PROVIDERS`), fractional
        children. ``attrs``: ``estimate`` (``True``), ``note``, ``method``, ``authority``,
        ``old_la_code``, ``new_la_code``, ``year``, ``seed_year``, ``margins`` (the published
        margins as dicts, ``None`` where suppressed, and markers), ``filled`` (values given to suppressed margin entries) and the
        :func:`ipf_estimate` attributes.

    Notes
    -----
    A paper asks for its own year twice (its costs and its five-year trend): the last estimates
    are kept per process while the published tables are the same, and copied for each caller.
    """
    key = (authority_code, year, seed_year, tol, max_iter)
    frames = (load_table(LA_TABLE), load_table(NATIONAL_TABLE))
    fitted = _ESTIMATES.get(
        key,
        frames,
        lambda: _estimate(authority_code, year, seed_year=seed_year, tol=tol, max_iter=max_iter),
    )
    return fitted.copy()


def _estimate(
    authority_code: str, year: int | str, *, seed_year: int | str | None, tol: float, max_iter: int
) -> pd.DataFrame:
    """:func:`estimated_type_by_provider`, computed."""
    published = published_margins(authority_code, year)
    period = published["time_period"]
    if pd.isna(published["total"]):
        marker = published["markers"].get("total", "not published")
        raise IPFError(
            f"no estimate for {published['name']} at 31 March {period}: its total number of "
            f"children looked after is not published (DfE marker '{marker}')"
        )
    national_years = sorted(load_table(NATIONAL_TABLE)["time_period"].unique())
    if seed_year is None:
        earlier = [y for y in national_years if y <= period]
        seed_period = int(earlier[-1] if earlier else national_years[0])
    else:
        seed_period = reporting_year(seed_year)
    seed = england_type_by_provider(seed_period, as_seed=True)
    fitted = ipf_estimate(
        published["types"],
        published["providers"],
        seed,
        tol=tol,
        max_iter=max_iter,
        total=published["total"],
    )
    filled = {
        **{k: float(fitted.attrs["row_margin_fitted"][k]) for k in fitted.attrs["row_filled"]},
        **{k: float(fitted.attrs["col_margin_fitted"][k]) for k in fitted.attrs["col_filled"]},
    }
    fitted.attrs.update(
        estimate=True,
        method="iterative proportional fitting (reportgen.analysis.costs.ipf_estimate)",
        note=ESTIMATE_NOTE.format(
            name=published["name"], year_end=period, seed_year=year_label(seed_period)
        ),
        authority=published["name"],
        old_la_code=published["old_la_code"],
        new_la_code=published["new_la_code"],
        year=year_label(period),
        seed_year=year_label(seed_period),
        margins={
            **published,
            "types": {k: (None if pd.isna(v) else float(v)) for k, v in published["types"].items()},
            "providers": {
                k: (None if pd.isna(v) else float(v)) for k, v in published["providers"].items()
            },
        },
        filled=filled,
    )
    return fitted


# --------------------------------------------------------------------------------------------
# Unit costs: the file and its validation
# --------------------------------------------------------------------------------------------

_TOP_KEYS = {"currency": "GBP", "unit": "text", "inflation": "section", "costs": "section"}
_ENTRY_FIELDS = ("weekly", "year", "price_base", "source", "note")
_INFLATION_FIELDS = ("name", "source", "base", "note", "values")
_YEAR_PATTERN = r"^\d{4}-\d{2}$"


class _UnitCostModel(BaseModel):
    """One figure in ``costs.yaml``."""

    model_config = ConfigDict(extra="forbid")
    weekly: StrictFloat | StrictInt | None
    year: str = Field(pattern=_YEAR_PATTERN)
    price_base: str = Field(pattern=_YEAR_PATTERN)
    source: str = Field(min_length=1)
    note: str | None = None

    @field_validator("weekly")
    @classmethod
    def _non_negative(cls, value: float | None) -> float | None:
        if value is not None and (not math.isfinite(value) or value < 0):
            raise ValueError("must be a non-negative number of pounds a week")
        return value


class _OverrideModel(BaseModel):
    """An authority's own figure given as a mapping (a bare number is also accepted)."""

    model_config = ConfigDict(extra="forbid")
    weekly: StrictFloat | StrictInt
    year: str | None = Field(default=None, pattern=_YEAR_PATTERN)
    price_base: str | None = Field(default=None, pattern=_YEAR_PATTERN)
    source: str = Field(default="the authority's own figure", min_length=1)
    note: str | None = None

    @field_validator("weekly")
    @classmethod
    def _non_negative(cls, value: float) -> float:
        if not math.isfinite(value) or value < 0:
            raise ValueError("must be a non-negative number of pounds a week")
        return value


class _InflationModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    source: str = Field(min_length=1)
    base: str | None = None
    note: str | None = None
    values: dict[str, StrictFloat | StrictInt]

    @field_validator("values")
    @classmethod
    def _years(cls, values: dict[str, float]) -> dict[str, float]:
        if not values:
            raise ValueError("needs at least one year")
        for key, value in values.items():
            financial_year(key)
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"index for {key} must be a positive number")
        return values


@dataclass(frozen=True)
class InflationIndex:
    """A price index by financial year, used to uplift a figure from its price base.

    Attributes
    ----------
    name, source, note
        What the index is and where its values come from.
    values
        Index value per financial year (``"2023-24"``); only ratios matter.
    """

    name: str
    source: str
    values: Mapping[str, float]
    note: str | None = None

    def factor(self, from_year: int | str, to_year: int | str) -> float:
        """Multiply a figure in ``from_year`` prices by this to get ``to_year`` prices."""
        start, end = financial_year(from_year), financial_year(to_year)
        for year in (start, end):
            if year not in self.values:
                raise CostsError(
                    f"inflation index '{self.name}': no value for {year}; accepted years: "
                    f"{', '.join(sorted(self.values))} (add the year to the index in costs.yaml)"
                )
        return float(self.values[end]) / float(self.values[start])


def uplift(
    amount: float,
    from_year: int | str | None,
    to_year: int | str,
    index: InflationIndex | Mapping[str, float],
) -> float:
    """Express an amount in ``from_year`` prices in ``to_year`` prices.

    Parameters
    ----------
    amount
        Pounds in ``from_year`` prices.
    from_year
        Price base of ``amount`` (``"2020-21"`` or ``2021``); ``None`` means it is already in
        ``to_year`` prices (an authority's figure given without a price base).
    to_year
        Target year.
    index
        An :class:`InflationIndex` or a mapping of financial year to index value.

    Returns
    -------
    float
        ``amount * index[to_year] / index[from_year]``.

    Examples
    --------
    >>> uplift(100.0, "2020-21", "2022-23", {"2020-21": 100.0, "2022-23": 110.0})
    110.00000000000001
    """
    if from_year is None:
        return float(amount)
    if not isinstance(index, InflationIndex):
        index = InflationIndex(name="index", source="given", values=dict(index))
    return float(amount) * index.factor(from_year, to_year)


@dataclass(frozen=True)
class UnitCost:
    """One weekly unit cost and where it comes from.

    Attributes
    ----------
    placement_type, provider
        Keys of :data:`PLACEMENT_TYPES` and :data:`PROVIDERS` (or :data:`ANY_PROVIDER`).
    weekly
        Pounds per child per week in ``price_base`` prices; ``None`` = not costed (no figure).
    year
        Year the figure describes.
    price_base
        Prices the figure is in; ``None`` = the report year's prices (no uplift).
    source
        Publication (publisher, year, table or page), or the authority's own source.
    note
        Caveats: approximations, proxies.
    origin
        ``"national"`` (a default in ``costs.yaml``) or ``"authority"`` (the authority's own).
    """

    placement_type: str
    provider: str
    weekly: float | None
    year: str | None
    price_base: str | None
    source: str
    note: str | None = None
    origin: Origin = "national"


@dataclass(frozen=True)
class CostTable:
    """Validated unit costs with their inflation index (build with :func:`load_costs`).

    Attributes
    ----------
    entries
        ``(placement_type, provider)`` -> :class:`UnitCost`; ``provider`` may be ``"any"``.
    inflation
        The index used to uplift each figure to the report year.
    path
        The ``costs.yaml`` read.
    currency, unit
        As written in the file.
    """

    entries: Mapping[tuple[str, str], UnitCost]
    inflation: InflationIndex
    path: Path | None = None
    currency: str = "GBP"
    unit: str = "per child per week"

    def entry(self, placement_type: str, provider: str) -> UnitCost | None:
        """The figure for a cell: the provider's own, else the type's ``any``, else ``None``."""
        _check_cell(placement_type, provider, where="cost look-up")
        return self.entries.get((placement_type, provider)) or self.entries.get(
            (placement_type, ANY_PROVIDER)
        )

    def weekly(self, placement_type: str, provider: str, year: int | str) -> float:
        """Weekly unit cost of a cell in ``year`` prices (``NaN`` when not costed)."""
        found = self.entry(placement_type, provider)
        if found is None or found.weekly is None:
            return math.nan
        return uplift(found.weekly, found.price_base, year, self.inflation)

    def weekly_table(
        self,
        year: int | str,
        placement_types: Iterable[str] | None = None,
        providers: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """Weekly unit costs in ``year`` prices: placement types x providers (``NaN`` = none)."""
        types = list(placement_types or PLACEMENT_TYPES)
        provs = list(providers or PROVIDERS)
        return pd.DataFrame(
            [[self.weekly(t, p, year) for p in provs] for t in types], index=types, columns=provs
        )

    def scaled(self, factor: float) -> CostTable:
        """Every unit cost multiplied by ``factor`` (sensitivity analysis, tests)."""
        return replace(
            self,
            entries={
                key: replace(e, weekly=None if e.weekly is None else e.weekly * factor)
                for key, e in self.entries.items()
            },
        )

    def figures(self, year: int | str | None = None) -> pd.DataFrame:
        """Every figure with its source and origin (for Appendix A and "which are our own").

        With ``year``, a column ``weekly_in_year`` gives it in that year's prices.
        """
        rows = []
        for (placement_type, provider), e in sorted(self.entries.items()):
            row = {
                "placement_type": placement_type,
                "provider": provider,
                "weekly": e.weekly,
                "year": e.year,
                "price_base": e.price_base,
                "origin": e.origin,
                "source": e.source,
                "note": e.note,
            }
            if year is not None:
                row["weekly_in_year"] = (
                    math.nan
                    if e.weekly is None
                    else uplift(e.weekly, e.price_base, year, self.inflation)
                )
            rows.append(row)
        return pd.DataFrame(rows)


def _check_cell(placement_type: str, provider: str, where: str) -> None:
    if placement_type not in PLACEMENT_TYPES:
        raise CostsError(
            f"{where}: unknown placement type '{placement_type}'; accepted: "
            f"{', '.join(PLACEMENT_TYPES)}"
        )
    accepted = [*PROVIDERS, ANY_PROVIDER]
    if provider not in accepted:
        raise CostsError(f"{where}: unknown provider '{provider}'; accepted: {', '.join(accepted)}")


_UNION_MEMBERS = {"float", "int", "none", "str", "bool"}


def _pydantic_message(
    error: ValidationError, fields: tuple[str, ...], required: tuple[str, ...] | None = None
) -> tuple[str, str]:
    """The first problem as (dotted sub-key, message)."""
    first = error.errors()[0]
    loc = [str(p) for p in first["loc"] if str(p) not in _UNION_MEMBERS]
    sub = ".".join(loc)
    if first["type"] == "extra_forbidden":
        return sub, f"unknown key; accepted: {', '.join(fields)}"
    if first["type"] == "missing":
        needs = required or tuple(f for f in fields if f != "note")
        return sub, f"missing; each figure needs: {', '.join(needs)}"
    if loc and loc[-1] == "weekly":
        return sub, f"got {first.get('input')!r}; accepted: a number of pounds a week, 0 or more"
    if first["type"] == "string_pattern_mismatch":
        return sub, f"got {first.get('input')!r}; accepted: a financial year such as '2023-24'"
    return sub, str(first["msg"]).removeprefix("Value error, ")


def _where(file: str, key: str) -> str:
    return f"{file}: {key}" if key else file


def _read_entries(
    costs: Any, file: str, origin: Origin, model: type[BaseModel], base_key: str
) -> dict[tuple[str, str], UnitCost]:
    if not isinstance(costs, Mapping):
        raise CostsError(
            f"{_where(file, base_key)}: expected a mapping of placement type to providers; "
            f"accepted placement types: {', '.join(PLACEMENT_TYPES)}"
        )
    providers_accepted = [*PROVIDERS, ANY_PROVIDER]
    entries: dict[tuple[str, str], UnitCost] = {}
    for placement_type, by_provider in costs.items():
        key = f"{base_key}.{placement_type}" if base_key else str(placement_type)
        if placement_type not in PLACEMENT_TYPES:
            raise CostsError(
                f"{_where(file, key)}: unknown placement type '{placement_type}'; accepted: "
                f"{', '.join(PLACEMENT_TYPES)}"
            )
        if not isinstance(by_provider, Mapping):
            raise CostsError(
                f"{_where(file, key)}: expected a mapping of provider to figure; accepted "
                f"providers: {', '.join(providers_accepted)}"
            )
        for provider, raw in by_provider.items():
            cell = f"{key}.{provider}"
            if provider not in providers_accepted:
                raise CostsError(
                    f"{_where(file, cell)}: unknown provider '{provider}'; accepted: "
                    f"{', '.join(providers_accepted)}"
                )
            if model is _OverrideModel and not isinstance(raw, Mapping):
                raw = {"weekly": raw}
            if not isinstance(raw, Mapping):
                raise CostsError(
                    f"{_where(file, cell)}: expected a figure with keys "
                    f"{', '.join(_ENTRY_FIELDS)}, got {raw!r}"
                )
            try:
                parsed = model.model_validate(dict(raw))
            except ValidationError as error:
                required = ("weekly",) if model is _OverrideModel else None
                sub, message = _pydantic_message(error, _ENTRY_FIELDS, required)
                raise CostsError(f"{_where(file, f'{cell}.{sub}')}: {message}") from None
            data = parsed.model_dump()
            entries[(placement_type, provider)] = UnitCost(
                placement_type=placement_type,
                provider=provider,
                weekly=None if data["weekly"] is None else float(data["weekly"]),
                year=data["year"],
                price_base=data["price_base"],
                source=data["source"],
                note=data["note"],
                origin=origin,
            )
    return entries


_YAML_DOCUMENTS = SourceMemo(maxsize=4)


def _yaml_document(text: str) -> Any:
    """``yaml.safe_load(text)``, parsed once per process for each text (a fresh copy each time).

    Keyed on the text itself, so an edited ``costs.yaml`` is parsed again; the report runner
    checks the costs before running the notebooks and the forecast notebook reads them again.
    """
    return copy.deepcopy(_YAML_DOCUMENTS.get(text, (), lambda: yaml.safe_load(text)))


def load_costs(
    path: str | Path,
    overrides: Mapping[str, Any] | None = None,
    *,
    overrides_source: str = "the authority's params",
) -> CostTable:
    """Read and validate ``costs.yaml`` and apply an authority's own figures.

    Parameters
    ----------
    path
        The national defaults, ``params/costs.yaml``: keys ``currency``, ``unit``, ``inflation``
        (``name``, ``source``, ``base``, ``note``, ``values``: financial year -> index) and
        ``costs`` (placement type -> provider or ``any`` -> ``weekly``, ``year``, ``price_base``,
        ``source``, ``note``).
    overrides
        The authority's own figures, placement type -> provider -> either a number (pounds a week
        in the report year's prices) or a mapping with ``weekly`` and optionally ``year``,
        ``price_base``, ``source``, ``note``. Each one replaces the national figure for that cell
        and is marked ``origin="authority"``.
    overrides_source
        How to name the overrides in error messages (for example the authority's params file).

    Returns
    -------
    CostTable

    Raises
    ------
    CostsError
        A negative or non-numeric cost, an unknown placement type or provider, an unknown or
        missing key, an unreadable file: one message naming the file, the key and the accepted
        values.
    """
    path = Path(path)
    file = str(path)
    try:
        document = _yaml_document(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CostsError(f"{file}: file not found") from None
    except yaml.YAMLError as error:
        raise CostsError(f"{file}: not valid YAML ({error})") from None
    if not isinstance(document, Mapping):
        raise CostsError(f"{file}: expected a mapping with keys {', '.join(_TOP_KEYS)}")
    unknown = [k for k in document if k not in _TOP_KEYS]
    if unknown:
        raise CostsError(
            f"{_where(file, str(unknown[0]))}: unknown key; accepted: {', '.join(_TOP_KEYS)}"
        )
    for key in ("inflation", "costs"):
        if key not in document:
            raise CostsError(f"{_where(file, key)}: missing; accepted keys: {', '.join(_TOP_KEYS)}")
    try:
        inflation = _InflationModel.model_validate(document["inflation"])
    except ValidationError as error:
        sub, message = _pydantic_message(error, _INFLATION_FIELDS)
        raise CostsError(f"{_where(file, f'inflation.{sub}')}: {message}") from None
    index = InflationIndex(
        name=inflation.name,
        source=inflation.source,
        values={financial_year(k): float(v) for k, v in inflation.values.items()},
        note=inflation.note,
    )
    entries = _read_entries(document["costs"], file, "national", _UnitCostModel, "costs")
    for e in entries.values():
        if e.weekly is not None and e.price_base not in index.values:
            raise CostsError(
                f"{file}: costs.{e.placement_type}.{e.provider}.price_base: no inflation index "
                f"for {e.price_base}; accepted: {', '.join(sorted(index.values))}"
            )
    if overrides:
        own = _read_entries(overrides, overrides_source, "authority", _OverrideModel, "costs")
        for e in own.values():
            if e.price_base is not None and e.price_base not in index.values:
                raise CostsError(
                    f"{overrides_source}: costs.{e.placement_type}.{e.provider}.price_base: no "
                    f"inflation index for {e.price_base}; accepted: "
                    f"{', '.join(sorted(index.values))}"
                )
        entries = {**entries, **own}
    return CostTable(
        entries=entries,
        inflation=index,
        path=path,
        currency=str(document.get("currency", "GBP")),
        unit=str(document.get("unit", "per child per week")),
    )


# --------------------------------------------------------------------------------------------
# Costing
# --------------------------------------------------------------------------------------------


def _cells(table: pd.DataFrame, what: str) -> pd.DataFrame:
    """Long form of a placement type x provider table, checking the labels."""
    if not isinstance(table, pd.DataFrame):
        raise CostsError(f"{what}: expected a DataFrame of placement types x providers")
    for placement_type in table.index:
        if placement_type not in PLACEMENT_TYPES:
            raise CostsError(
                f"{what}: unknown placement type '{placement_type}'; accepted: "
                f"{', '.join(PLACEMENT_TYPES)}"
            )
    for provider in table.columns:
        if provider not in PROVIDERS:
            raise CostsError(
                f"{what}: unknown provider '{provider}'; accepted: {', '.join(PROVIDERS)}"
            )
    values = table.astype(float)
    if (values.to_numpy() < 0).any():
        raise CostsError(f"{what}: negative counts")
    long = values.stack().rename("value").reset_index()
    long.columns = ["placement_type", "provider", "value"]
    return long[long["value"].fillna(0) > 0].reset_index(drop=True)


def _priced(
    table: pd.DataFrame, what: str, quantity: str, costs: CostTable, label: str
) -> pd.DataFrame:
    """One row per cell of ``table`` with a quantity: the quantity (``children`` or ``days``),
    the weekly unit cost in ``label`` prices, and the unit cost's origin and source."""
    rows = []
    for placement_type, provider, value in _cells(table, what).itertuples(index=False):
        found = costs.entry(placement_type, provider)
        rows.append(
            {
                "placement_type": placement_type,
                "provider": provider,
                quantity: float(value),
                "weekly_unit_cost": costs.weekly(placement_type, provider, label),
                "origin": found.origin
                if found is not None and found.weekly is not None
                else "none",
                "source": found.source if found is not None else None,
            }
        )
    columns = ["placement_type", "provider", quantity, "weekly_unit_cost", "origin", "source"]
    return pd.DataFrame(rows, columns=columns)


def placement_costs(
    counts_by_type_provider: pd.DataFrame, costs: CostTable, year: int | str
) -> pd.DataFrame:
    """Weekly and annual cost of a snapshot of placements, cell by cell.

    Parameters
    ----------
    counts_by_type_provider
        Children (for example at 31 March): placement types (index) x providers (columns), keys of
        :data:`PLACEMENT_TYPES` and :data:`PROVIDERS`; fractional counts (an estimate) are fine.
    costs
        From :func:`load_costs`.
    year
        Report year: every unit cost is uplifted to this year's prices.

    Returns
    -------
    pandas.DataFrame
        One row per cell with children: ``placement_type``, ``provider``, ``children``,
        ``weekly_unit_cost``, ``weekly_cost`` (children x unit cost), ``annual_cost`` (weekly cost x
        :data:`WEEKS_PER_YEAR`), ``origin`` and ``source`` of the unit cost. A cell with no unit
        cost has ``NaN`` costs and ``origin`` ``"none"``. ``attrs``: ``year``, ``children``,
        ``costed_children``, ``uncosted_children``, ``weekly_cost``, ``annual_cost`` (totals over
        costed cells).
    """
    label = financial_year(year)
    result = _priced(counts_by_type_provider, "counts_by_type_provider", "children", costs, label)
    children, unit = result["children"], result["weekly_unit_cost"]
    result.insert(4, "weekly_cost", children * unit)
    result.insert(5, "annual_cost", children * unit * WEEKS_PER_YEAR)
    costed = result["weekly_unit_cost"].notna()
    result.attrs.update(
        year=label,
        children=float(result["children"].sum()),
        costed_children=float(result.loc[costed, "children"].sum()),
        uncosted_children=float(result.loc[~costed, "children"].sum()),
        weekly_cost=float(result.loc[costed, "weekly_cost"].sum()),
        annual_cost=float(result.loc[costed, "annual_cost"].sum()),
    )
    return result


def cost_at_england_mix(
    counts_by_type_provider: pd.DataFrame,
    england_by_type_provider: pd.DataFrame,
    costs: CostTable,
    year: int | str,
) -> pd.DataFrame:
    """What the authority's placements would cost with England's mix.

    The authority's total number of children is spread over the cells in England's shares
    (England's count in a cell divided by England's total), then costed with the same unit
    costs as :func:`placement_costs`. Comparing the two ``attrs["annual_cost"]`` shows how much of
    the cost is down to the mix rather than the number of children.

    Parameters
    ----------
    counts_by_type_provider
        The authority's children by placement type x provider (only the total is used).
    england_by_type_provider
        England's table, for example :func:`england_type_by_provider`.
    costs, year
        As :func:`placement_costs`.

    Returns
    -------
    pandas.DataFrame
        As :func:`placement_costs`; ``attrs["england_year"]`` copied from England's table.
    """
    total = float(_cells(counts_by_type_provider, "counts_by_type_provider")["value"].sum())
    england = england_by_type_provider.astype(float).fillna(0.0)
    england_total = float(england.to_numpy().sum())
    if england_total <= 0:
        raise CostsError("england_by_type_provider: England's table is empty")
    mixed = england * (total / england_total)
    result = placement_costs(mixed, costs, year)
    result.attrs["england_year"] = england_by_type_provider.attrs.get("time_period")
    return result


@dataclass(frozen=True)
class ShiftSaving:
    """The annual saving of moving children from one placement cell to another.

    Attributes
    ----------
    from_cell, to_cell
        ``(placement_type, provider)``.
    n_children
        Children moved (may be fractional when given as a share).
    weekly_from, weekly_to
        Unit costs in ``year`` prices.
    weekly_saving, annual_saving
        ``n_children x (weekly_from - weekly_to)``, and that x :data:`WEEKS_PER_YEAR`. Negative
        when the move costs more.
    year
        Prices.
    origins
        Origin of the two unit costs (``"national"`` or ``"authority"``).
    """

    from_cell: tuple[str, str]
    to_cell: tuple[str, str]
    n_children: float
    weekly_from: float
    weekly_to: float
    weekly_saving: float
    annual_saving: float
    year: str
    origins: tuple[str, str]


def shift_saving(
    costs: CostTable,
    from_cell: tuple[str, str],
    to_cell: tuple[str, str],
    n_children: float | None = None,
    share: float | None = None,
    *,
    of: float | None = None,
    year: int | str,
) -> ShiftSaving:
    """Annual saving of moving children from one placement type x provider to another.

    Give either ``n_children`` or ``share`` with ``of`` (the number the share is of: for "a 1%
    shift of children looked after from private children's homes to in-house fostering", ``share
    = 0.01`` and ``of`` = the number of children looked after).

    Parameters
    ----------
    costs
        From :func:`load_costs`.
    from_cell, to_cell
        ``(placement_type, provider)``, for example ``("childrens_home", "private")`` and
        ``("foster", "own_la")``.
    n_children
        Children moved.
    share, of
        Alternatively, a share (0.01 = 1%) of ``of`` children.
    year
        Prices (report year).

    Returns
    -------
    ShiftSaving

    Raises
    ------
    CostsError
        Unknown cell, a cell without a unit cost, or both or neither of ``n_children`` and
        ``share``.
    """
    if (n_children is None) == (share is None):
        raise CostsError("shift_saving: give either n_children or share (with of=...)")
    if share is not None:
        if of is None:
            raise CostsError("shift_saving: a share needs of=... (the number it is a share of)")
        n_children = float(share) * float(of)
    assert n_children is not None
    units, origins = [], []
    for cell in (from_cell, to_cell):
        found = costs.entry(*cell)
        if found is None or found.weekly is None:
            raise CostsError(
                f"shift_saving: no unit cost for {cell[0]}.{cell[1]} in {costs.path}; set one"
            )
        units.append(costs.weekly(*cell, year))
        origins.append(found.origin)
    weekly = float(n_children) * (units[0] - units[1])
    return ShiftSaving(
        from_cell=tuple(from_cell),
        to_cell=tuple(to_cell),
        n_children=float(n_children),
        weekly_from=units[0],
        weekly_to=units[1],
        weekly_saving=weekly,
        annual_saving=weekly * WEEKS_PER_YEAR,
        year=financial_year(year),
        origins=(origins[0], origins[1]),
    )


def placement_days_cost(
    days_by_type_provider: pd.DataFrame, costs: CostTable, *, year: int | str
) -> pd.DataFrame:
    """Cost of the placement-days in a period (903 sources: a quarter's spend, not a snapshot).

    Parameters
    ----------
    days_by_type_provider
        Placement-days in the period: placement types x providers (each child counts one day per
        day in that placement within the period).
    costs
        From :func:`load_costs`.
    year
        Prices (the period's financial year).

    Returns
    -------
    pandas.DataFrame
        One row per cell with days: ``placement_type``, ``provider``, ``days``,
        ``weekly_unit_cost``, ``daily_unit_cost`` (weekly / 7), ``cost`` (days x daily), ``origin``,
        ``source``. ``attrs``: ``year``, ``days``, ``uncosted_days``, ``cost``.
    """
    label = financial_year(year)
    result = _priced(days_by_type_provider, "days_by_type_provider", "days", costs, label)
    result.insert(4, "daily_unit_cost", result["weekly_unit_cost"] / 7)
    result.insert(5, "cost", result["days"] * result["daily_unit_cost"])
    costed = result["weekly_unit_cost"].notna()
    result.attrs.update(
        year=label,
        days=float(result["days"].sum()),
        uncosted_days=float(result.loc[~costed, "days"].sum()),
        cost=float(result.loc[costed, "cost"].sum()),
    )
    return result


# --------------------------------------------------------------------------------------------
# Money in GOV.UK style
# --------------------------------------------------------------------------------------------


def _round_half_up(value: float, places: int = 0) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def money(amount: float, *, negative: Literal["minus", "sign"] = "minus") -> str:
    """An amount of money in GOV.UK style.

    Whole pounds with thousands separators below £1 million ("£820", "£1,250"); millions and
    billions to one decimal place, dropping ".0" ("£3.7 million", "£3 million", "£1.2 billion").
    An amount that rounds up to the next unit uses it (£999,999,999 is "£1 billion").

    Parameters
    ----------
    amount
        Pounds.
    negative
        ``"minus"``: "minus £820" (reads well in a sentence); ``"sign"``: "−£820" (tables).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        ``NaN`` or infinite amounts.

    Examples
    --------
    >>> money(820), money(1_250), money(3_700_000), money(2_450_000_000), money(-820)
    ('£820', '£1,250', '£3.7 million', '£2.5 billion', 'minus £820')
    """
    if amount is None or not math.isfinite(float(amount)):
        raise ValueError(f"not an amount of money: {amount!r}")
    value = float(amount)
    magnitude = abs(value)
    text = _money_magnitude(magnitude)
    if value < 0 and text != "£0":
        return f"minus {text}" if negative == "minus" else f"\u2212{text}"
    return text


def _money_magnitude(magnitude: float) -> str:
    pounds = _round_half_up(magnitude)
    if pounds < 1_000_000:
        return f"£{int(pounds):,}"
    millions = _round_half_up(magnitude / 1e6, 1)
    if millions < 1000:
        return f"£{_drop_zero(millions)} million"
    billions = _round_half_up(magnitude / 1e9, 1)
    return f"£{_drop_zero(billions)} billion"


def _drop_zero(value: Decimal) -> str:
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def money_a_week(amount: float) -> str:
    """ "£820 a week" (GOV.UK: "a week", not "per week")."""
    return f"{money(amount)} a week"


def money_a_year(amount: float) -> str:
    """ "£3.7 million a year"."""
    return f"{money(amount)} a year"
