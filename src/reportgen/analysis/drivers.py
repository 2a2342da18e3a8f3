"""What drove a change: decompose the change in a total across the groups of a breakdown.

A total (children looked after, starts, leavers) moves between two years; each breakdown the DfE
publishes (age group, legal status, placement type, provider, locality, UASC status) splits it
into groups, and the change in the total is the sum of the groups' changes. :func:`decompose`
computes each group's change and its share of the total change; :func:`main_drivers` picks, across
breakdowns, the group(s) that account for most of it; :func:`describe_driver` writes the sentence.

The words are deliberately cautious: a decomposition shows *where* a change happened, never *why*.
Sentences say "accounted for by" and "mostly among", never "because" or "due to".

Example (Leicestershire, 31 March 2024 to 31 March 2025, DfE published figures)::

    The fall from 725 to 694 children looked after is more than accounted for by unaccompanied
    asylum-seeking children (111 to 74).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from reportgen.core.tables import load_table

UNKNOWN = "unknown"
"""Group label for counts the DfE suppressed (or groups present in only one year)."""

CHARACTERISTICS_TABLE = "la_cla_on_31_march_by_characteristics"
STARTED_TABLE = "la_children_who_started_to_be_looked_after_during_the_year"
CEASED_TABLE = "la_children_who_ceased_during_the_year"

PUBLISHED_BREAKDOWNS: dict[str, str] = {
    "Unaccompanied asylum-seeking children": "UASC status",
    "Age group": "age group",
    "Legal status": "legal status",
    "Placement": "placement type",
    "Place providers": "placement provider",
    "Locality of placement": "locality of placement",
}
"""Breakdowns of children looked after at 31 March in ``la_cla_on_31_march_by_characteristics``
(the ``characteristic`` column; the DfE file calls the group column ``breakdown``) whose total is
the number of children looked after, with a short name for each. ``LA of placement`` is left out:
its total is children placed *in* the area, a different population; the two distance breakdowns
overlap locality."""


DFE_GROUP_PHRASES: dict[str, str] = {
    # UASC status
    "Unaccompanied asylum-seeking children": "unaccompanied asylum-seeking children",
    "Children excluding unaccompanied asylum-seeking children": (
        "children other than unaccompanied asylum-seeking children"
    ),
    # Age group
    "Under 1 year": "children under 1",
    "1 to 4 years": "children aged 1 to 4",
    "5 to 9 years": "children aged 5 to 9",
    "10 to 15 years": "children aged 10 to 15",
    "16 years and over": "young people aged 16 and over",
    # Legal status
    "Full care order": "children on full care orders",
    "Interim care order": "children on interim care orders",
    "Placement order granted": "children with placement orders",
    "Voluntary agreements under S20 CA 1989": (
        "children looked after under section 20 voluntary agreements"
    ),
    "Detained for child protection": "children detained for child protection",
    "Youth justice legal statuses": "children with youth justice legal statuses",
    # Placement type
    "Foster placements": "children in foster placements",
    "Secure homes and children's homes": "children in children's homes or secure homes",
    "Independent and semi-independent living arrangements/supported accommodation": (
        "young people in supported accommodation or living independently"
    ),
    "Other residential settings": "children in other residential settings",
    "Residential schools": "children in residential schools",
    "Placed with parents or other person with parental responsibility": (
        "children placed with parents"
    ),
    "Placed for adoption": "children placed for adoption",
    "Other placements": "children in other placements",
    # Placement provider
    "Own provision (by the LA)": "children in the authority's own provision",
    "Other LA provision": "children in other authorities' provision",
    "Other public provision (e.g. by a PCT etc)": "children in other public provision",
    "Private provision": "children in private provision",
    "Voluntary/third sector provision": "children in voluntary sector provision",
    "Parents or other person with parental responsibility": "children placed with parents",
    "Placement provider not reported": "children whose placement provider was not reported",
    # Locality of placement
    "Placed inside the local authority boundary": "children placed inside the authority's area",
    "Placed outside the local authority boundary": "children placed outside the authority's area",
}
"""How the DfE group labels of :data:`PUBLISHED_BREAKDOWNS` read in a sentence about children
looked after (used by :func:`describe_driver` unless ``labels`` says otherwise)."""


@dataclass(frozen=True)
class DriverResult:
    """The change in a total decomposed across the groups of one breakdown.

    Attributes
    ----------
    groups
        One row per group (index: group label, with :data:`UNKNOWN` last when present), columns
        ``previous``, ``current``, ``change`` (current - previous) and ``share`` (change / total
        change: 1.0 = the whole change, above 1.0 = more than the whole change, negative = moved
        against it; ``NaN`` when the total did not change).
    total_previous, total_current, total_change
        The total in each year and its change.
    complete
        ``False`` when some groups were suppressed and no total was given, so the ``unknown``
        group could not be valued and ``total_change`` is the change of the known groups only.
    breakdown
        Name of the breakdown, if given.
    """

    groups: pd.DataFrame
    total_previous: float
    total_current: float
    total_change: float
    complete: bool = True
    breakdown: str | None = None

    @property
    def unchanged(self) -> bool:
        """The total did not change (shares are undefined)."""
        return self.total_change == 0

    def more_than_accounts(self) -> list[str]:
        """Groups whose change exceeds the whole change in the same direction (share > 1)."""
        known = self.groups.drop(index=UNKNOWN, errors="ignore")
        return list(known.index[known["share"] > 1 + 1e-12])


@dataclass(frozen=True)
class Driver:
    """A group that accounts for much of a change (from :func:`main_drivers`).

    Attributes
    ----------
    breakdown, group
        Where: for example ``"UASC status"`` and ``"Unaccompanied asylum-seeking children"``.
    previous, current, change, share
        The group's counts, change, and share of the total change (``NaN`` when the total did
        not change).
    score
        How well this group explains the change (see :func:`main_drivers`); higher is better.
    result
        The full decomposition of its breakdown.
    """

    breakdown: str
    group: str
    previous: float
    current: float
    change: float
    share: float
    score: float
    result: DriverResult

    @property
    def total_previous(self) -> float:
        return self.result.total_previous

    @property
    def total_current(self) -> float:
        return self.result.total_current

    @property
    def total_change(self) -> float:
        return self.result.total_change


def decompose(
    previous: pd.Series,
    current: pd.Series,
    *,
    total_previous: float | None = None,
    total_current: float | None = None,
    breakdown: str | None = None,
) -> DriverResult:
    """Decompose the change in a total across the groups of a breakdown.

    Parameters
    ----------
    previous, current
        Counts by group in the two years (index: group labels). ``NaN`` is a suppressed count; a
        group missing from one year is unknown in that year (not zero).
    total_previous, total_current
        The published totals. When given, the groups that are unknown in either year are pooled
        into one :data:`UNKNOWN` group valued as the remainder (total - known groups), so the
        groups always add up to the total. Default: the sum of the groups.
    breakdown
        Name, carried into the result.

    Returns
    -------
    DriverResult

    Notes
    -----
    * A group's *share* is its change divided by the total change, so the shares add up to 1.
      A share above 1 means the group more than accounts for the change (other groups moved the
      other way); a negative share means it moved against the total.
    * A total change of zero leaves shares undefined (``NaN``); :func:`main_drivers` then scores
      by the size of each group's movement instead.
    * Without totals, suppressed groups make the ``unknown`` group impossible to value: it is left
      ``NaN``, the total change is that of the known groups, and ``complete`` is ``False``.

    Examples
    --------
    >>> r = decompose(pd.Series({"a": 10, "b": 20}), pd.Series({"a": 4, "b": 23}))
    >>> r.total_change, r.groups["share"].tolist()
    (-3.0, [2.0, -1.0])
    """
    prev = pd.Series(previous, dtype=float)
    cur = pd.Series(current, dtype=float)
    labels = list(dict.fromkeys([*prev.index, *cur.index]))
    if UNKNOWN in labels:
        raise ValueError(f"group label {UNKNOWN!r} is reserved for suppressed counts")
    prev, cur = prev.reindex(labels), cur.reindex(labels)
    known = prev.notna() & cur.notna()
    if ((prev[known] < 0) | (cur[known] < 0)).any():
        raise ValueError("counts must not be negative")
    table = pd.DataFrame({"previous": prev[known], "current": cur[known]})

    if (total_previous is None) != (total_current is None):
        raise ValueError("give both totals (total_previous and total_current) or neither")
    complete = True
    if total_previous is not None and total_current is not None:
        tot_prev, tot_cur = float(total_previous), float(total_current)
        rest_prev = tot_prev - float(table["previous"].sum())
        rest_cur = tot_cur - float(table["current"].sum())
        if min(rest_prev, rest_cur) < -1e-9:
            raise ValueError(
                f"the groups add up to more than the total ({table['previous'].sum():g} against "
                f"{tot_prev:g}, {table['current'].sum():g} against {tot_cur:g})"
            )
        if not known.all() or abs(rest_prev) > 1e-9 or abs(rest_cur) > 1e-9:
            table.loc[UNKNOWN] = [rest_prev, rest_cur]
    else:
        tot_prev, tot_cur = float(table["previous"].sum()), float(table["current"].sum())
        if not known.all():
            table.loc[UNKNOWN] = [math.nan, math.nan]
            complete = False
    table["change"] = table["current"] - table["previous"]
    total_change = tot_cur - tot_prev
    table["share"] = table["change"] / total_change if total_change != 0 else math.nan
    return DriverResult(
        groups=table,
        total_previous=tot_prev,
        total_current=tot_cur,
        total_change=total_change,
        complete=complete,
        breakdown=breakdown,
    )


def _best_group(result: DriverResult) -> tuple[str, float] | None:
    """The group that best explains the change, and its score (see :func:`main_drivers`)."""
    known = result.groups.drop(index=UNKNOWN, errors="ignore")
    known = known[known["change"].notna() & (known["change"] != 0)]
    if known.empty:
        return None
    if result.total_change == 0:
        moves = known["change"].abs() / float(known["change"].abs().sum())
        return str(moves.idxmax()), float(moves.max())
    same = known[known["share"] > 0]
    if same.empty:
        return None
    size = (
        same["previous"] / result.total_previous
        if result.total_previous > 0
        else 0.0 * same["share"]
    )
    scores = same["share"] - size
    return str(scores.idxmax()), float(scores.max())


def main_drivers(
    breakdowns: Mapping[str, tuple[pd.Series, pd.Series]],
    n: int = 2,
    *,
    total_previous: float | None = None,
    total_current: float | None = None,
    min_score: float = 0.0,
) -> list[Driver]:
    """The breakdown(s) and group(s) that explain most of a change.

    Each breakdown is decomposed (:func:`decompose`) and its best group found; the breakdowns are
    ranked by that group's score and the top ``n`` returned (one group per breakdown).

    Score
        *Disproportionality*: the group's share of the total change minus its share of the
        total in the previous year, for groups that moved with the total. If every group had
        changed in proportion to its size, each would score 0; a group that accounts for far more
        of the change than its size predicts scores high (Leicestershire 2024-25: unaccompanied
        asylum-seeking children were 15% of children looked after and account for 119% of the
        fall, score 1.04; children placed inside the authority's area were 58% and account for
        94%, score 0.36). Groups that moved against the total, and suppressed (``unknown``)
        counts, never win. When the total did not change, the score is the group's share of the
        gross movement (sum of the absolute changes), so the largest mover wins. Ties keep the
        order of ``breakdowns``.

    Parameters
    ----------
    breakdowns
        Breakdown name -> (previous, current) counts by group, all breakdowns of the same total.
    n
        How many drivers to return.
    total_previous, total_current
        The published totals (recommended when counts are suppressed): see :func:`decompose`.
    min_score
        Drop drivers scoring this or less (default 0: a group that changed only in proportion
        to its size explains nothing).

    Returns
    -------
    list of Driver
        Best first; fewer than ``n`` when breakdowns have no group moving with the total.
    """
    found: list[Driver] = []
    for name, (previous, current) in breakdowns.items():
        result = decompose(
            previous,
            current,
            total_previous=total_previous,
            total_current=total_current,
            breakdown=name,
        )
        best = _best_group(result)
        if best is None:
            continue
        group, score = best
        if score <= min_score:
            continue
        row = result.groups.loc[group]
        found.append(
            Driver(
                breakdown=name,
                group=group,
                previous=float(row["previous"]),
                current=float(row["current"]),
                change=float(row["change"]),
                share=float(row["share"]),
                score=score,
                result=result,
            )
        )
    found.sort(key=lambda d: -d.score)  # stable: ties keep the given order
    return found[:n]


def _count(value: float) -> str:
    rounded = round(value)
    if math.isclose(value, rounded, abs_tol=1e-9):
        return f"{int(rounded):,}"
    return f"{value:,.1f}"


def group_phrase(label: str) -> str:
    """A DfE group label as it reads mid-sentence: the first letter lower-cased unless the first
    word is an acronym ("Unaccompanied asylum-seeking children" -> "unaccompanied asylum-seeking
    children"; "LA of placement" unchanged)."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def describe_driver(
    driver: Driver,
    *,
    what: str = "children looked after",
    labels: Mapping[str, str] | None = None,
) -> str:
    """One sentence saying where a change happened, without claiming why.

    Parameters
    ----------
    driver
        From :func:`main_drivers`.
    what
        The counted population, plural, as it follows a number ("children looked after").
    labels
        Phrases for group labels, for example ``{"16 years and over": "care leavers aged 16 and
        over"}``; otherwise :data:`DFE_GROUP_PHRASES`, otherwise :func:`group_phrase`.

    Returns
    -------
    str
        Wording by the group's share of the change:

        * above 1: "The fall from 725 to 694 children looked after is more than accounted for by
          unaccompanied asylum-seeking children (111 to 74)."
        * exactly 1: "... is accounted for by ..."
        * from 0.5 to 1: "The rise from A to B children looked after was mostly among ..."
        * below 0.5: "... was spread across groups; the largest part was among ..."
        * no change: "The number of children looked after did not change (694); ... (a to b)
          was offset by changes in other groups."
    """
    phrase = (
        (labels or {}).get(driver.group)
        or DFE_GROUP_PHRASES.get(driver.group)
        or group_phrase(driver.group)
    )
    counts = f"({_count(driver.previous)} to {_count(driver.current)})"
    before, after = _count(driver.total_previous), _count(driver.total_current)
    if driver.total_change == 0:
        movement = "a rise" if driver.change > 0 else "a fall"
        return (
            f"The number of {what} did not change ({after}); {movement} among {phrase} {counts} "
            "was offset by changes in other groups."
        )
    movement = "rise" if driver.total_change > 0 else "fall"
    opening = f"The {movement} from {before} to {after} {what}"
    share = driver.share
    if share > 1 + 1e-9:
        return f"{opening} is more than accounted for by {phrase} {counts}."
    if math.isclose(share, 1.0, abs_tol=1e-9):
        return f"{opening} is accounted for by {phrase} {counts}."
    if share >= 0.5:
        return f"{opening} was mostly among {phrase} {counts}."
    return f"{opening} was spread across groups; the largest part was among {phrase} {counts}."


def published_breakdowns(
    authority_code: str,
    previous_year: int,
    current_year: int,
    characteristics: Mapping[str, str] | None = None,
    table: str = CHARACTERISTICS_TABLE,
) -> tuple[dict[str, tuple[pd.Series, pd.Series]], tuple[float, float]]:
    """An authority's published breakdowns of a total (children looked after at 31 March), two years.

    Parameters
    ----------
    authority_code
        3-digit DfE code (``"855"``), GSS code (``"E10000018"``) or name.
    previous_year, current_year
        DfE reporting years (``2024``, ``2025``: 31 March 2024 and 31 March 2025).
    characteristics
        DfE ``characteristic`` -> breakdown name; default :data:`PUBLISHED_BREAKDOWNS`.
    table
        The DfE table (``characteristic``, ``breakdown`` and ``children_count`` columns, a
        ``Total`` row per characteristic): default :data:`CHARACTERISTICS_TABLE`; also
        :data:`STARTED_TABLE` and :data:`CEASED_TABLE` (children who started or ceased to be
        looked after during the year) with their own characteristics.

    Returns
    -------
    breakdowns, totals
        ``{name: (previous, current)}`` counts by group (``NaN`` where suppressed; the ``Total``
        row removed), and the published totals ``(previous, current)`` (of the first
        characteristic), for :func:`main_drivers`.
    """
    chosen = dict(characteristics or PUBLISHED_BREAKDOWNS)
    frame = load_table(table)
    la = frame[frame["geographic_level"] == "Local authority"]
    code = str(authority_code).strip()
    rows = la[
        (la["old_la_code"].astype(str) == code)
        | (la["new_la_code"].astype(str).str.upper() == code.upper())
        | (la["la_name"].astype(str).str.casefold() == code.casefold())
    ]
    if rows.empty:
        raise ValueError(f"authority {authority_code!r} not found in {table}")
    breakdowns: dict[str, tuple[pd.Series, pd.Series]] = {}
    totals: dict[int, float] = {}
    for characteristic, name in chosen.items():
        pair = []
        for year in (int(previous_year), int(current_year)):
            part = rows[(rows["characteristic"] == characteristic) & (rows["time_period"] == year)]
            if part.empty:
                raise ValueError(
                    f"no '{characteristic}' rows for {authority_code!r} in {year} in {table}"
                )
            counts = part.set_index("breakdown")["children_count"].astype(float)
            totals.setdefault(year, float(counts.get("Total", math.nan)))
            pair.append(counts.drop(index="Total", errors="ignore"))
        breakdowns[name] = (pair[0], pair[1])
    return breakdowns, (totals[int(previous_year)], totals[int(current_year)])
