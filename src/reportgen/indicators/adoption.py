"""Adoption indicators from 903 returns (``indicators.md`` §0 and §5).

Adoptions and special guardianship orders (last cessation in the period), new placement orders,
children waiting with a placement order, and the former scorecard's timeliness measures A1, A10
and A2 over the 3 years to the period's last day.
"""

from __future__ import annotations

import numpy as np

from reportgen.indicators.blocks import (
    ADOPTION_WITH_CARER,
    LS_CODES,
    NAT,
    OPEN,
    PLACE_CODES,
    PLACED_FOR_ADOPTION,
    PLACEMENT_ORDER,
    REC_GROUPS,
    _flags,
    parse_days,
    run_ends,
    run_starts,
)
from reportgen.indicators.measures import Frame, Measure, NotAvailable, indicator
from reportgen.indicators.sufficiency import ceased_for

THREE_YEARS = "adoption timeliness (3 years to the period's end)"


@indicator("adopted", "flow")
def adopted(f: Frame) -> Measure:
    """Children whose last cessation in the period was an adoption (REC E11, E12)."""
    return ceased_for(f, "adopted")


@indicator("adopted_pct_of_ceased", "flow")
def adopted_pct_of_ceased(f: Frame) -> Measure:
    return ceased_for(f, "adopted", "percent")


@indicator("sgo", "flow")
def sgo(f: Frame) -> Measure:
    """Children whose last cessation in the period was a special guardianship order (E45-E48;
    E43, E44 up to 2017-18)."""
    return ceased_for(f, "sgo")


@indicator("sgo_pct_of_ceased", "flow")
def sgo_pct_of_ceased(f: Frame) -> Measure:
    return ceased_for(f, "sgo", "percent")


def first_in_poc(f: Frame, flags: np.ndarray) -> np.ndarray:
    """Row of the first flagged episode of each period of care (-1 where none)."""
    p = f.p
    rows = np.flatnonzero(flags)
    first = np.full(len(p.poc_first), -1, dtype=np.int64)
    if len(rows):
        poc = p.e_poc[rows]
        keep = run_starts(poc)
        first[poc[keep]] = rows[keep]
    return first


def placement_order_rows(f: Frame) -> np.ndarray:
    """Row of each period of care's first placement order episode (LS E1, D1), -1 if none."""
    if "po_rows" not in f.p.cache:
        f.p.cache["po_rows"] = first_in_poc(f, _flags(LS_CODES, PLACEMENT_ORDER)[f.p.e_ls])
    return f.p.cache["po_rows"]


def adoptive_placement_rows(f: Frame) -> np.ndarray:
    """Row of each period of care's first placed-for-adoption episode (A3-A6), -1 if none."""
    if "a_rows" not in f.p.cache:
        flags = _flags(PLACE_CODES, PLACED_FOR_ADOPTION)[f.p.e_place]
        f.p.cache["a_rows"] = first_in_poc(f, flags)
    return f.p.cache["a_rows"]


@indicator("placement_orders", "flow")
def placement_orders(f: Frame) -> Measure:
    """Children whose period of care's first placement order episode started in the period."""
    f.require_days(f.start, f.end, "a count over the period")
    p = f.p
    rows = placement_order_rows(f)
    rows = rows[rows >= 0]
    rows = rows[(p.e_decom[rows] >= f.start) & (p.e_decom[rows] <= f.end)]
    child = p.e_child[rows]
    keep = run_starts(child)
    return Measure("count", child[keep], np.ones(int(keep.sum())), episode=rows[keep])


@indicator("waiting_placement_order_not_placed", "snapshot")
def waiting_placement_order_not_placed(f: Frame) -> Measure:
    """Children looked after at the end with a placement order (E1, D1), not placed for adoption."""
    p = f.p
    order = _flags(LS_CODES, PLACEMENT_ORDER)[p.e_ls[f.cla]]
    placed = _flags(PLACE_CODES, PLACED_FOR_ADOPTION)[p.e_place[f.cla_eff]]
    return f.snapshot(order & ~placed)


# ------------------------------------------------------------------------------ timeliness


def _latest_by_child(f: Frame, table: str, column: str) -> np.ndarray:
    """Each child's ``column`` from their latest row of ``table`` (object array, None if none)."""
    p = f.p
    out = np.full(p.n_children, None, dtype=object)
    if table not in p.tables:
        return out
    frame = p.tables[table]
    child = frame["_CHILD"].to_numpy()
    order = np.lexsort((frame["YEAR"].to_numpy(), child))
    values = frame[column].to_numpy(dtype=object)[order]
    child = child[order]
    last = run_ends(child)
    out[child[last]] = values[last]
    return out


def adoptions(f: Frame) -> dict[str, np.ndarray]:
    """Children adopted in the 3 years to the period's end, with the dates A1, A10 and A2 use.

    Keys: ``row`` (the adoption episode), ``child``, ``entry`` (start of the period of care, NAT
    when it began before the returns), ``placed`` (first A3-A6 episode's start, NAT if never
    placed), ``with_carers_since`` (start of the placement with the adopters: the same-carer
    chain of that episode), ``foster_carer`` (adopted by the foster carers: AD1 FOSTER_CARE 1,
    or placed A3/A5), ``order`` (first placement order episode's start, NAT if none or
    unknown).
    """
    if "adoptions" in f.__dict__:
        return f.__dict__["adoptions"]
    p = f.p
    first = f.window_start(3)
    f.require_days(first, f.end, THREE_YEARS)
    last = p.poc_last
    dec = p.e_dec[last]
    rows = last[
        (p.e_rec_group[last] == REC_GROUPS.index("adopted"))
        & (dec != OPEN)
        & (dec >= first)
        & (dec <= f.end)
    ]
    poc = p.e_poc[rows]
    child = p.e_child[rows]
    entry = np.where(p.poc_start_known[poc], p.e_decom[p.poc_first[poc]], NAT)
    a_rows = adoptive_placement_rows(f)[poc]
    has_a = (a_rows >= 0) & (p.e_decom[np.maximum(a_rows, 0)] < p.e_dec[rows])
    safe_a = np.maximum(a_rows, 0)
    placed = np.where(has_a, p.e_decom[safe_a], NAT)
    carer_since = np.where(has_a, p.e_decom[p.chain_first[p.e_chain[safe_a]]], NAT)
    carer_since = np.maximum(carer_since, entry)  # never before care began
    foster_flag = _latest_by_child(f, "AD1", "FOSTER_CARE")[child] == "1"
    with_carer = _flags(PLACE_CODES, ADOPTION_WITH_CARER)[p.e_place[safe_a]] & has_a
    po = placement_order_rows(f)[poc]
    safe_po = np.maximum(po, 0)
    order_known = (po >= 0) & ((po != p.poc_first[poc]) | p.poc_start_known[poc])
    order = np.where(order_known, p.e_decom[safe_po], NAT)
    out = {
        "row": rows,
        "child": child,
        "entry": entry,
        "placed": placed,
        "with_carers_since": carer_since,
        "foster_carer": foster_flag | with_carer,
        "order": order,
    }
    f.__dict__["adoptions"] = out
    return out


def _excluded_note(count: int, why: str) -> list[str]:
    if not count:
        return []
    return [f"{count} adopted {'child' if count == 1 else 'children'} left out: {why}"]


def _entry_measure(f: Frame, kind: str) -> Measure:
    a = adoptions(f)
    known = (a["entry"] != NAT) & (a["placed"] != NAT)
    a1 = a["placed"] - a["entry"]
    a10 = np.where(a["foster_carer"], a["with_carers_since"] - a["entry"], a1)
    notes = _excluded_note(
        int(np.count_nonzero(a["entry"] == NAT)),
        "they entered care before the earliest return, so the date is not known",
    )
    notes += _excluded_note(
        int(np.count_nonzero((a["entry"] != NAT) & (a["placed"] == NAT))),
        "no placed-for-adoption episode (A3-A6) before the adoption",
    )
    if len(a["child"]) and not known.any():
        raise NotAvailable(
            "no child adopted in the 3 years has a known entry into care and adoptive "
            "placement in the returns: add earlier returns"
        )
    value = {"a1": a1, "a10": a10}[kind.split("_")[0]]
    extra = {"entry": a["entry"], "placed": a["placed"], "a1_days": a1, "a10_days": a10}
    if kind == "a10_within":
        num = a10 < f.options.a10_threshold_days
        return Measure("percent", a["child"], num, known, a["row"], extra, notes)
    return Measure("mean", a["child"], np.where(known, value, 0), known, a["row"], extra, notes)


@indicator("a1_avg_days", "rolling_3_years")
def a1_avg_days(f: Frame) -> Measure:
    """Mean days from entering care to moving in with the adopters (first A3-A6 episode)."""
    return _entry_measure(f, "a1")


@indicator("a10_avg_days", "rolling_3_years")
def a10_avg_days(f: Frame) -> Measure:
    """As A1, but for adoptions by the foster carers measured to the start of the placement with
    them (walking back through same-carer episodes)."""
    return _entry_measure(f, "a10")


@indicator("a10_within_426_days_pct", "rolling_3_years")
def a10_within_426_days_pct(f: Frame) -> Measure:
    """Adopted children whose A10 time was under 426 days (14 months)."""
    return _entry_measure(f, "a10_within")


@indicator("a2_avg_days", "rolling_3_years", ("Header", "Episodes", "AD1"))
def a2_avg_days(f: Frame) -> Measure:
    """Mean days from the placement order (first E1/D1 episode) to the match (AD1 DATE_MATCH),
    0 when matched first; children with no order, or not placed before adoption, left out."""
    a = adoptions(f)
    f.require_table("AD1", f.window_start(3), f.end, THREE_YEARS)
    match = parse_days(_latest_by_child(f, "AD1", "DATE_MATCH")[a["child"]])
    included = (a["order"] != NAT) & (a["placed"] != NAT) & (match != NAT)
    days = np.maximum(match - a["order"], 0)
    notes = _excluded_note(
        int(np.count_nonzero(~included)),
        "no placement order, no adoptive placement or no match date (AD1) in the returns",
    )
    if len(a["child"]) and not included.any():
        raise NotAvailable(
            "no child adopted in the 3 years has a placement order, an adoptive placement and a "
            "match date in the returns"
        )
    return Measure(
        "mean",
        a["child"],
        np.where(included, days, 0),
        included,
        a["row"],
        {"order": a["order"], "match": match, "a2_days": days},
        notes,
    )
