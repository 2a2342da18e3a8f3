"""From simulated stories to 903 tables: episodes, then each collection year's return.

:func:`build_events` turns every period of care into episodes and draws the other per-child events
(reviews, missing incidents, short breaks, social worker changes, previous permanence, adopters).
:func:`year_tables` then writes one collection year the way an authority would: every episode
open at any time in the year (left open, DEC and REC blank, when it ended after 31 March), OC2 for
children looked after all year, OC3 for care leavers with a 17th to 21st birthday in the year,
AD1 for the year's adoptions, and so on, coded as that year requires (``indicators.md`` §2, §3, §6).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reportgen.sources.ssda903.read import TABLES
from reportgen.sources.synthetic.postcodes import PostcodeBank
from reportgen.sources.synthetic.simulate import (
    URN_H5_FROM,
    YEAR,
    Draws,
    Period,
    Plan,
    cumulative,
    day,
    to_date,
    year_end,
    year_of,
    year_start,
)
from reportgen.sources.synthetic.targets import Targets

CHILD_PREFIX = "SYN"
"""Every synthetic CHILD id starts with this (``SYN0000001``): never a real child."""

DATE_BASE = day(1985, 1, 1)
_DATE_TEXT = (
    pd.to_datetime(np.arange(DATE_BASE, day(2045, 1, 1)), unit="D").strftime("%d/%m/%Y").to_numpy()
)
_DATE_LIST: list[str] = _DATE_TEXT.tolist()


def one_date(n: int) -> str:
    """``dd/mm/YYYY`` of one day number."""
    return _DATE_LIST[n - DATE_BASE]


ETHNIC_ENGLAND = {
    "WBRI": 0.70, "WIRI": 0.005, "WOTH": 0.04, "WIRT": 0.004, "WROM": 0.006,
    "MWBC": 0.035, "MWBA": 0.01, "MWAS": 0.012, "MOTH": 0.04,
    "AIND": 0.006, "APKN": 0.012, "ABAN": 0.005, "AOTH": 0.012,
    "BCRB": 0.012, "BAFR": 0.03, "BOTH": 0.012, "CHNE": 0.002, "OOTH": 0.03,
    "REFU": 0.002, "NOBT": 0.016,
}  # fmt: skip
ETHNIC_LONDON = {
    "WBRI": 0.25, "WIRI": 0.01, "WOTH": 0.1, "WIRT": 0.003, "WROM": 0.01,
    "MWBC": 0.08, "MWBA": 0.03, "MWAS": 0.02, "MOTH": 0.07,
    "AIND": 0.01, "APKN": 0.01, "ABAN": 0.02, "AOTH": 0.03,
    "BCRB": 0.08, "BAFR": 0.12, "BOTH": 0.06, "CHNE": 0.003, "OOTH": 0.07,
    "REFU": 0.002, "NOBT": 0.012,
}  # fmt: skip
ETHNIC_UASC = {"OOTH": 0.35, "BAFR": 0.3, "AOTH": 0.25, "WOTH": 0.05, "BOTH": 0.05}

RPC = {
    "CARPL": 0.42, "CREQB": 0.12, "CREQO": 0.08, "CHILD": 0.06, "LAREQ": 0.08,
    "STAND": 0.03, "ALLEG": 0.02, "APPRR": 0.01, "CLOSE": 0.02, "OTHER": 0.16,
}  # fmt: skip
SW_REASONS = {
    "MANAGE": 0.2, "LEFTRL": 0.3, "ORGRST": 0.15, "TSPROC": 0.15,
    "ABSENC": 0.05, "CHCHAN": 0.05, "PCCHAN": 0.03, "OTHERS": 0.07,
}  # fmt: skip
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
NO_URN = frozenset(
    {
        "P1",
        "P2",
        "P3",
        "R1",
        "R2",
        "R5",
        "Z1",
        "Z11",
        "Z12",
        "Z13",
        "Z14",
        "T0",
        "T1",
        "T2",
        "T3",
        "T4",
    }
)
"""Placement types recorded without an Ofsted URN (V rule_222)."""
NO_PROVIDER = frozenset({"Z1", "Z11", "Z12", "Z13", "Z14", "T0", "T1", "T2", "T3", "T4"})
"""Placement types recorded without a provider (V rule_178)."""


def date_text(days: np.ndarray) -> np.ndarray:
    """``dd/mm/YYYY`` for an array of day numbers (-1 -> None)."""
    days = np.asarray(days, dtype=np.int64)
    out = _DATE_TEXT[np.clip(days - DATE_BASE, 0, len(_DATE_TEXT) - 1)].astype(object)
    out[days < 0] = None
    return out


def upn(la_number: int, child: int) -> str:
    """A well-formed UPN: check letter + LA number + school + year + serial (DfE check letter).

    Made from the child number alone (no random draw), so it never changes between years.
    """
    school = 1000 + (child * 7919) % 7000
    body = f"{la_number:03d}{school:04d}{5 + (child * 31) % 20:02d}{child % 1000:03d}"
    total = sum(int(ch) * w for ch, w in zip(body, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23] + body


@dataclass
class Events:
    """Every episode and event of the simulation, as flat lists (one entry per row)."""

    ep: dict[str, list] = field(default_factory=dict)
    reviews: list[tuple[int, int, str]] = field(default_factory=list)
    missing: list[tuple[int, str, int, int]] = field(default_factory=list)
    sw: list[tuple[int, str, int, int, str | None]] = field(default_factory=list)
    prev_perm: dict[int, tuple[str, str | None, int | None]] = field(default_factory=dict)
    adopters: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    la_number: int = 0
    child_ids: list[str] = field(default_factory=list)
    sex_female: list[bool] = field(default_factory=list)
    ethnic: list[str] = field(default_factory=list)
    upn: list[str] = field(default_factory=list)
    mother_day: dict[int, int] = field(default_factory=dict)
    oc2_draws: dict[tuple[int, int], tuple] = field(default_factory=dict)


EP_COLUMNS = (
    "child", "decom", "dec", "rne", "ls", "cin", "place", "provider", "rec", "rpc",
    "home", "pl_row", "urn", "period", "temp",
)  # fmt: skip


def _period_episodes(p: Period, horizon: int, draws: Draws, home_row: int, out: dict) -> None:
    """Cut one period's story into episodes (appended to ``out``)."""
    changes: dict[int, None] = {p.start: None}
    for d, _ in p.ls:
        if d <= horizon:
            changes[d] = None
    for pl in p.placements:
        if pl[1] <= horizon:
            changes[pl[1]] = None
        for d, _ in pl[9]:
            if pl[1] < d <= horizon:
                changes[d] = None
    for t0, t1, _, _ in p.excursions:
        if t0 <= horizon:
            changes[t0] = None
        if t1 <= horizon:
            changes[t1] = None
    end = p.end
    if end is not None and end in changes:
        del changes[end]
    days = sorted(changes)
    if end is not None:
        days = [d for d in days if d < end]
    ls_days = [d for d, _ in p.ls]
    ls_codes = [c for _, c in p.ls]
    pls = p.placements
    pl_starts = [pl[1] for pl in pls]
    exc = p.excursions
    prev = None
    rows = []
    import bisect

    for d in days:
        ls = ls_codes[bisect.bisect_right(ls_days, d) - 1]
        k = bisect.bisect_right(pl_starts, d) - 1
        pl = pls[k]
        code = pl[4]
        for rd, rc in pl[9]:
            if rd <= d:
                code = rc
        state = None
        for t0, t1, tcode, trow in exc:
            if t0 <= d < t1:
                state = (tcode, None, trow, None, ("T", t0), True)
                break
        if state is None:
            urn = pl[7] or None
            if code in NO_URN or (code == "H5" and d < URN_H5_FROM):
                urn = None
            provider = None if code in NO_PROVIDER else pl[5]
            state = (code, provider, pl[6], urn, pl[8], False)
        if prev is not None and prev == (ls, state):
            continue
        rows.append((d, ls, state))
        prev = (ls, state)
    n = len(rows)
    for i, (d, ls, state) in enumerate(rows):
        code, provider, row, urn, carer, temp = state
        if i == 0:
            rne = "S"
        else:
            pls_, pstate = rows[i - 1][1], rows[i - 1][2]
            ls_changed = ls != pls_
            carer_changed = carer != pstate[4]
            place_changed = code != pstate[0] or row != pstate[2]
            if not carer_changed and not place_changed:
                rne = "L"
            elif carer_changed:
                rne = "B" if ls_changed else "P"
            else:
                rne = "U" if ls_changed else "T"
        if i + 1 < n:
            dec, rec = rows[i + 1][0], "X1"
            nxt = rows[i + 1]
            next_rne_place = nxt[2][4] != carer or nxt[2][0] != code or nxt[2][2] != row
            if temp or nxt[2][5] or not next_rne_place:
                rpc = None
            elif nxt[2][4] == carer:
                rpc = "PLACE"
            else:
                rpc = _pick_rpc(draws)
        else:
            dec = end if end is not None and end <= horizon else -1
            rec = p.rec if dec >= 0 else None
            rpc = None
        if row == home_row and code != "P1" and row >= 0:
            row = row + 1
        out["child"].append(p.child)
        out["decom"].append(d)
        out["dec"].append(dec)
        out["rne"].append(rne)
        out["ls"].append(ls)
        out["cin"].append(p.cin)
        out["place"].append(code)
        out["provider"].append(provider)
        out["rec"].append(rec)
        out["rpc"].append(rpc)
        out["home"].append(home_row)
        out["pl_row"].append(row)
        out["urn"].append(urn)
        out["period"].append(p)
        out["temp"].append(temp)


_RPC_ITEMS = cumulative(RPC)


def _pick_rpc(draws: Draws) -> str:
    return draws.pick(*_RPC_ITEMS)


def build_events(plan: Plan, t: Targets, la_number: int, london: bool, draws: Draws) -> Events:
    kids = plan.children
    ev = Events()
    ev.ep = {c: [] for c in EP_COLUMNS}
    ev.la_number = la_number
    horizon = plan.horizon
    first_written = year_start(plan.first_year)
    eth = cumulative(ETHNIC_LONDON if london else ETHNIC_ENGLAND)
    eth_uasc = cumulative(ETHNIC_UASC)
    for child in range(len(kids.dob)):
        ev.child_ids.append(f"{CHILD_PREFIX}{child + 1:07d}")
        ev.ethnic.append(draws.pick(*(eth_uasc if kids.uasc[child] else eth)))
        ev.upn.append(upn(la_number, child))
    for p in plan.periods:
        if p.end is not None and p.end + 45 < first_written:
            continue  # over before the first year written: nothing of it is in any return
        child = p.child
        home_row = kids.home[child]
        _period_episodes(p, horizon, draws, home_row, ev.ep)
        last = p.end if p.end is not None else horizon + 1
        # reviews: within 20 working days, then 3 months, then every 6 months
        r = p.start + draws.between(14, 27)
        gap = draws.between(80, 92)
        while r < last and r <= horizon:
            if r >= first_written:
                ev.reviews.append((child, r, _review_code(kids, child, r, draws)))
            r += gap
            gap = draws.between(160, 182)
        # missing incidents (teenagers; some go missing often)
        b11 = kids.birthday(child, 11)
        lo = max(p.start + 3, b11, first_written)
        hi = min(last - 2, horizon)
        if hi > lo:
            rate = 6.0 if draws.u() < 0.13 else 0.3
            tt = lo
            while True:
                tt += max(int(draws.expo(YEAR / rate)), 2)
                if tt >= hi:
                    break
                length = draws.between(0, 3) if draws.u() < 0.9 else draws.between(4, 10)
                t_end = min(tt + length, hi - 1)
                if year_of(tt) != year_of(t_end) or t_end < tt:
                    continue
                ev.missing.append((child, "M" if draws.u() < 0.62 else "A", tt, t_end))
                tt = t_end + 1
        # previous permanence (asked of every child starting care)
        u = draws.u()
        if p.reentry or u < 0.78:
            prev = ("Z1", None, None)
        elif u < 0.84:
            born, started = to_date(kids.dob[child]).year, to_date(p.start).year
            prev = ("P4", "999", born) if started - 1 >= born else ("Z1", None, None)
        else:
            kind = "P2" if u < 0.92 else ("P3" if u < 0.97 else "P1")
            lo, hi = kids.dob[child] + 30, p.start - 30
            if hi > lo:
                when = draws.between(lo, hi)
                prev = (kind, str(la_number) if draws.u() < 0.7 else "NUK", when)
            else:
                prev = ("Z1", None, None)
        ev.prev_perm[id(p)] = prev
        if p.adoption is not None and p.adoption["placed"] is not None:
            if draws.u() < 0.84:
                sexes = "MF" if draws.u() < 0.8 else ("MM" if draws.u() < 0.5 else "FF")
                if sexes == "MF":
                    status = "L11" if draws.u() < 0.75 else "L3"
                else:
                    status = ("L12", "L2", "L4")[draws.below(3)]
                ev.adopters[id(p)] = ("2", sexes, status)
            else:
                ev.adopters[id(p)] = ("1", "F1" if draws.u() < 0.8 else "M1", "L0")
    # social workers: one allocated when a period of care starts, then changes; after the final
    # period the last one stays a little (never changing in the last days of a year: V SW11b)
    sw_items = cumulative(SW_REASONS)
    final_start: dict[int, int] = {}
    for p in plan.periods:
        final_start[p.child] = max(final_start.get(p.child, p.start), p.start)
    for p in plan.periods:
        if p.end is not None and p.end + 45 < first_written:
            continue
        child = p.child
        final = p.start == final_start[child]
        if p.end is None:
            last = horizon + 1
        elif final:
            last = p.end + draws.between(0, 30)
            if year_end(year_of(last)) - last <= 6:
                last = year_end(year_of(last)) + 1
        else:
            last = p.end
            if year_end(year_of(last)) - last <= 6:
                last = max(year_end(year_of(last)) - 7, p.start + 1)
        s, reason = p.start, "FCONTA"
        while s <= horizon:
            e = s + draws.between(120, 700)
            if year_end(year_of(e)) - e <= 6:
                e = year_end(year_of(e)) + 1
            sw_id = f"SW{draws.between(10000, 99999)}"
            if e >= last or (p.end is not None and e >= p.end):
                ev.sw.append((child, sw_id, s, last if last <= horizon else -1, reason))
                break
            ev.sw.append((child, sw_id, s, e if e <= horizon else -1, reason))
            reason = draws.pick(*sw_items)
            s = e
    # young mothers: a few looked-after girls of 16-17 have a child
    for p in plan.periods:
        child = p.child
        if not kids.female[child] or child in ev.mother_day:
            continue
        b16 = kids.birthday(child, 16)
        last = min(p.end if p.end is not None else horizon, kids.birthday(child, 18) - 1)
        if last - b16 > 120 and draws.u() < 0.04:
            ev.mother_day[child] = draws.between(max(b16, p.start), last)
    _short_breaks(plan, t, ev, draws)
    return ev


def _review_code(kids, child: int, when: int, draws: Draws) -> str:
    if kids.age(child, when) < 4:
        return "PN0"
    u = draws.u()
    for code, cum in (
        ("PN1", 0.42),
        ("PN2", 0.58),
        ("PN3", 0.7),
        ("PN4", 0.8),
        ("PN5", 0.88),
        ("PN6", 0.95),
    ):
        if u < cum:
            return code
    return "PN7"


def _short_breaks(plan: Plan, t: Targets, ev: Events, draws: Draws) -> None:
    """Disabled children on an agreed series of short breaks (LS V3): excluded from DfE counts."""
    kids = plan.children
    n = int(round(0.02 * t.count("cla", plan.last_year)))
    first = year_start(plan.first_year) - 400
    horizon = plan.horizon
    la_row = -1
    for _ in range(n):
        age = draws.between(int(4 * YEAR), int(15 * YEAR))
        child = kids.add(first - age, draws.u() < 0.35, False, -1, short_breaks=True)
        ev.child_ids.append(f"{CHILD_PREFIX}{child + 1:07d}")
        ev.ethnic.append(draws.pick(*cumulative(ETHNIC_ENGLAND)))
        ev.upn.append(upn(ev.la_number, child))
        stop = min(kids.birthday(child, 18) - 30, horizon)
        tt = first + draws.between(0, 120)
        while True:
            tt += draws.between(35, 80)
            length = draws.between(1, 4)
            if tt + length >= stop:
                break
            for key, value in (
                ("child", child), ("decom", tt), ("dec", tt + length), ("rne", "S"),
                ("ls", "V3"), ("cin", "N2"), ("place", "K2"), ("provider", "PR1"),
                ("rec", "E13"), ("rpc", None), ("home", la_row), ("pl_row", la_row),
                ("urn", None), ("period", None), ("temp", False),
            ):  # fmt: skip
                ev.ep[key].append(value)


# --------------------------------------------------------------------------------------------
# One collection year


@dataclass
class Arrays:
    """Episodes as numpy arrays, built once."""

    child: np.ndarray
    decom: np.ndarray
    dec: np.ndarray
    cols: dict[str, np.ndarray]


def episode_arrays(ev: Events) -> Arrays:
    ep = ev.ep
    order = np.lexsort((np.asarray(ep["decom"]), np.asarray(ep["child"])))
    cols = {}
    for key in ("rne", "ls", "cin", "place", "provider", "rec", "rpc", "urn"):
        cols[key] = np.asarray(ep[key], dtype=object)[order]
    cols["home"] = np.asarray(ep["home"], dtype=np.int64)[order]
    cols["pl_row"] = np.asarray(ep["pl_row"], dtype=np.int64)[order]
    cols["temp"] = np.asarray(ep["temp"], dtype=bool)[order]
    return Arrays(
        child=np.asarray(ep["child"], dtype=np.int64)[order],
        decom=np.asarray(ep["decom"], dtype=np.int64)[order],
        dec=np.asarray(ep["dec"], dtype=np.int64)[order],
        cols=cols,
    )


def _postcodes(bank: PostcodeBank, rows: np.ndarray) -> np.ndarray:
    out = np.full(len(rows), None, dtype=object)
    ok = rows >= 0
    clipped = np.minimum(rows[ok], len(bank.postcode) - 1)
    out[ok] = bank.postcode[clipped]
    return out


def _sex(female: np.ndarray, year: int) -> np.ndarray:
    if year >= 2025:
        return np.where(female, "F", "M").astype(object)
    return np.where(female, "2", "1").astype(object)


def _frame(table: str, data: dict, child=None, when=None) -> pd.DataFrame:
    """A table in DfE column order, rows sorted by child number then by ``when`` (days)."""
    columns = {}
    n = None
    for c in TABLES[table]:
        values = data.get(c)
        if values is None:
            columns[c] = None
            continue
        arr = np.empty(len(values), dtype=object)
        arr[:] = list(values) if not isinstance(values, np.ndarray) else values
        columns[c] = arr
        n = len(arr)
    n = n or 0
    if child is not None and n:
        keys = [np.asarray(child, dtype=np.int64)]
        if when is not None:
            keys.insert(0, np.asarray(when, dtype=np.int64))
        order = np.lexsort(keys)
        columns = {c: (v[order] if v is not None else None) for c, v in columns.items()}
    frame = pd.DataFrame(
        {c: (v if v is not None else np.full(n, None, dtype=object)) for c, v in columns.items()},
        columns=list(TABLES[table]),
        dtype=object,
    )
    return frame


def year_tables(
    plan: Plan,
    ev: Events,
    arr: Arrays,
    t: Targets,
    bank: PostcodeBank,
    year: int,
    seed_draws: Draws,
) -> dict[str, pd.DataFrame]:
    """Every table of one collection year's return (DataFrames of strings / None)."""
    kids = plan.children
    ys, ye = year_start(year), year_end(year)
    in_year = (arr.decom <= ye) & ((arr.dec < 0) | (arr.dec >= ys))
    idx = np.flatnonzero(in_year)
    dec = arr.dec[idx].copy()
    still_open = (dec < 0) | (dec > ye)
    dec[still_open] = -1
    rec = arr.cols["rec"][idx].copy()
    rec[still_open] = None
    rpc = arr.cols["rpc"][idx].copy()
    rpc[still_open] = None
    child = arr.child[idx]
    short = np.asarray(kids.short_breaks, dtype=bool)[child]
    uasc_flag = np.asarray(kids.uasc, dtype=bool)[child]
    home = _postcodes(bank, arr.cols["home"][idx])
    home[uasc_flag | short] = None
    pl_post = _postcodes(bank, arr.cols["pl_row"][idx])
    pl_post[short] = None
    place = arr.cols["place"][idx]
    urn = arr.cols["urn"][idx].copy()
    provider = arr.cols["provider"][idx].copy()
    ids = np.asarray(ev.child_ids, dtype=object)
    dob_all = np.asarray(kids.dob, dtype=np.int64)
    tables: dict[str, pd.DataFrame] = {}
    tables["Episodes"] = _frame(
        "Episodes",
        {
            "CHILD": ids[child],
            "DECOM": date_text(arr.decom[idx]),
            "RNE": arr.cols["rne"][idx],
            "LS": arr.cols["ls"][idx],
            "CIN": arr.cols["cin"][idx],
            "PLACE": place,
            "PLACE_PROVIDER": provider,
            "DEC": date_text(dec),
            "REC": rec,
            "REASON_PLACE_CHANGE": rpc,
            "HOME_POST": home,
            "PL_POST": pl_post,
            "URN": urn,
        },
    )
    children_in_eps = np.unique(child)
    looked_after = set(children_in_eps.tolist())

    # periods touching the year
    periods = [
        p
        for p in plan.periods
        if p.start <= ye and (p.end is None or p.end >= ys) and p.start <= plan.horizon
    ]

    # Reviews
    rev = [(c, r, code) for c, r, code in ev.reviews if ys <= r <= ye]
    tables["Reviews"] = _frame(
        "Reviews",
        {
            "CHILD": [ev.child_ids[c] for c, _, _ in rev],
            "DOB": date_text(np.array([kids.dob[c] for c, _, _ in rev], dtype=np.int64)),
            "REVIEW": date_text(np.array([r for _, r, _ in rev], dtype=np.int64)),
            "REVIEW_CODE": [code for _, _, code in rev],
        },
        child=[c for c, _, _ in rev],
        when=[r for _, r, _ in rev],
    )
    # Missing
    mis = [(c, m, a, b) for c, m, a, b in ev.missing if ys <= a <= ye]
    tables["Missing"] = _frame(
        "Missing",
        {
            "CHILD": [ev.child_ids[c] for c, _, _, _ in mis],
            "DOB": date_text(np.array([kids.dob[c] for c, *_ in mis], dtype=np.int64)),
            "MISSING": [m for _, m, _, _ in mis],
            "MIS_START": date_text(np.array([a for _, _, a, _ in mis], dtype=np.int64)),
            "MIS_END": date_text(np.array([b for *_, b in mis], dtype=np.int64)),
        },
        child=[c for c, *_ in mis],
        when=[a for _, _, a, _ in mis],
    )

    # AD1 and PlacedAdoption
    ad1, placed = [], []
    for p in periods:
        a = p.adoption
        if a is None:
            continue
        if (
            p.group == "adopted"
            and p.end is not None
            and ys <= p.end <= ye
            and p.rec in ("E11", "E12")
        ):
            nb, sexes, status = ev.adopters[id(p)]
            ad1.append(
                (p.child, a["decision"], a["match"], "1" if a["ffa"] else "0", nb, sexes, status)
            )
        if a["decision"] <= ye and (a["ceased"] is None or a["ceased"] >= ys):
            ceased = a["ceased"] if a["ceased"] is not None and a["ceased"] <= ye else -1
            reason = a["reason_ceased"] if ceased >= 0 else None
            placed.append((p.child, a["decision"], ceased, reason))
    tables["AD1"] = _frame(
        "AD1",
        {
            "CHILD": [ev.child_ids[r[0]] for r in ad1],
            "DOB": date_text(np.array([kids.dob[r[0]] for r in ad1], dtype=np.int64)),
            "DATE_INT": date_text(np.array([r[1] for r in ad1], dtype=np.int64)),
            "DATE_MATCH": date_text(np.array([r[2] for r in ad1], dtype=np.int64)),
            "FOSTER_CARE": [r[3] for r in ad1],
            "NB_ADOPTR": [r[4] for r in ad1],
            "SEX_ADOPTR": [r[5] for r in ad1],
            "LS_ADOPTR": [r[6] for r in ad1],
        },
        child=[r[0] for r in ad1],
    )
    tables["PlacedAdoption"] = _frame(
        "PlacedAdoption",
        {
            "CHILD": [ev.child_ids[r[0]] for r in placed],
            "DOB": date_text(np.array([kids.dob[r[0]] for r in placed], dtype=np.int64)),
            "DATE_PLACED": date_text(np.array([r[1] for r in placed], dtype=np.int64)),
            "DATE_PLACED_CEASED": date_text(np.array([r[2] for r in placed], dtype=np.int64)),
            "REASON_PLACED_CEASED": [r[3] for r in placed],
        },
        child=[r[0] for r in placed],
        when=[r[1] for r in placed],
    )

    # PrevPerm: children starting care in the year
    prev = []
    seen = set()
    for p in periods:
        if ys <= p.start <= ye and p.child not in seen:
            seen.add(p.child)
            prev.append((p.child, *ev.prev_perm[id(p)]))
    short_starts = arr.decom[idx][short]
    for c, d in zip(child[short].tolist(), short_starts.tolist(), strict=True):
        if c not in seen and ys <= d <= ye:
            seen.add(c)
            prev.append((c, "Z1", None, None))
    tables["PrevPerm"] = _frame(
        "PrevPerm",
        {
            "CHILD": [ev.child_ids[r[0]] for r in prev],
            "DOB": date_text(np.array([kids.dob[r[0]] for r in prev], dtype=np.int64)),
            "PREV_PERM": [r[1] for r in prev],
            "LA_PERM": [r[2] for r in prev],
            "DATE_PERM": [_perm_date(r, kids) for r in prev],
        },
        child=[r[0] for r in prev],
    )

    # OC2: looked after continuously through the year
    oc2 = []
    for p in periods:
        if kids.short_breaks[p.child]:
            continue
        if p.start <= ys and (p.end is None or p.end >= ye):
            oc2.append(_oc2_row(plan, p.child, ys, ye, seed_draws))
    tables["OC2"] = _frame(
        "OC2",
        {col: [r[k] for r in oc2] for k, col in enumerate(TABLES["OC2"])},
        child=[r[-1] for r in oc2],
    )

    # OC3: care leavers with a 17th to 21st birthday in the year
    oc3 = _oc3_rows(plan, t, ev, year, looked_after, seed_draws)
    tables["OC3"] = _frame(
        "OC3",
        {col: [r[k] for r in oc3] for k, col in enumerate(TABLES["OC3"])},
        child=[r[-1] for r in oc3],
    )

    # UASC: children who are or were unaccompanied asylum-seekers, looked after in the year
    uasc_children = [c for c in children_in_eps.tolist() if kids.uasc[c]]
    b18 = np.array([plan.children.birthday(c, 18) for c in uasc_children], dtype=np.int64)
    duc = b18  # the day UASC status ceases: the 18th birthday (V rule 205B wants it every year)
    female = np.asarray(kids.female, dtype=bool)
    tables["UASC"] = _frame(
        "UASC",
        {
            "CHILD": ids[uasc_children] if uasc_children else [],
            "SEX": _sex(female[uasc_children], year) if uasc_children else [],
            "DOB": date_text(dob_all[uasc_children]) if uasc_children else [],
            "DUC": date_text(duc),
        },
    )

    # SWEpisodes (from 2023-24): social worker episodes overlapping the year
    if year >= 2024:
        sw = [
            (c, sid, s, e, reason)
            for c, sid, s, e, reason in ev.sw
            if c in looked_after and s <= ye and (e < 0 or e >= ys)
        ]
        tables["SWEpisodes"] = _frame(
            "SWEpisodes",
            {
                "CHILD": [ev.child_ids[r[0]] for r in sw],
                "DOB": date_text(np.array([kids.dob[r[0]] for r in sw], dtype=np.int64)),
                "SW_ID": [r[1] for r in sw],
                "SW_DECOM": date_text(np.array([r[2] for r in sw], dtype=np.int64)),
                "SW_DEC": date_text(
                    np.array([r[3] if 0 <= r[3] <= ye else -1 for r in sw], dtype=np.int64)
                ),
                "SW_REASON": [r[4] for r in sw],
            },
            child=[r[0] for r in sw],
            when=[r[2] for r in sw],
        )

    # Header: every child in any table
    everyone = set(looked_after)
    everyone.update(r[-1] for r in oc3)
    header_children = np.array(sorted(everyone), dtype=np.int64)
    mother = []
    mc_dob = []
    for c in header_children.tolist():
        if c in looked_after and not kids.short_breaks[c] and kids.female[c]:
            md = ev.mother_day.get(c)
            if md is not None and md <= ye:
                mother.append("1")
                mc_dob.append(md)
            else:
                mother.append("0")
                mc_dob.append(-1)
        else:
            mother.append(None)
            mc_dob.append(-1)
    upn_codes = []
    ref = day(year - 2, 8, 31)
    for c in header_children.tolist():
        b4 = kids.birthday(c, 4)
        upn_codes.append(ev.upn[c] if b4 <= ref else "UN1")
    tables["Header"] = _frame(
        "Header",
        {
            "CHILD": ids[header_children],
            "SEX": _sex(female[header_children], year),
            "DOB": date_text(dob_all[header_children]),
            "ETHNIC": np.asarray(ev.ethnic, dtype=object)[header_children],
            "UPN": upn_codes,
            "MOTHER": mother,
            "MC_DOB": date_text(np.array(mc_dob, dtype=np.int64)),
        },
    )
    return tables


def _perm_date(row: tuple, kids) -> str | None:
    """DATE_PERM: a full date, or ZZ/ZZ/YYYY when only the year is known (P4)."""
    child, kind, _, when = row
    if kind == "Z1":
        return None
    if kind == "P4":
        return f"ZZ/ZZ/{when}"  # only the year is known
    return one_date(when)


def _oc2_row(plan: Plan, child: int, ys: int, ye: int, draws: Draws) -> tuple:
    kids = plan.children
    age_end = kids.age(child, ye)
    sdq_score = sdq_reason = None
    if kids.birthday(child, 4) <= ye and kids.birthday(child, 17) >= ys:
        if draws.u() < 0.8:
            sdq_score = str(min(max(int(round(13 + 7 * (draws.u() + draws.u() - 1) * 1.7)), 0), 40))
        else:
            sdq_reason = ("SDQ2", "SDQ3", "SDQ4", "SDQ5")[draws.below(4)]
    convicted = None if age_end < 10 else ("1" if draws.u() < 0.03 else "0")
    health_check = ("1" if draws.u() < 0.9 else "0") if age_end < 5 else None
    immun = "1" if draws.u() < 0.88 else "0"
    teeth = "1" if draws.u() < 0.82 else "0"
    assess = "1" if draws.u() < 0.9 else "0"
    misuse = "1" if (age_end >= 11 and draws.u() < 0.05) else "0"
    received = offered = None
    if misuse == "1":
        received = "1" if draws.u() < 0.6 else "0"
        if received == "0":
            offered = "1" if draws.u() < 0.7 else "0"
    return (
        f"{CHILD_PREFIX}{child + 1:07d}",
        one_date(kids.dob[child]),
        sdq_score,
        sdq_reason,
        convicted,
        health_check,
        immun,
        teeth,
        assess,
        misuse,
        received,
        offered,
        child,
    )


_EXCLUDED_LEAVERS = {
    "E11",
    "E12",
    "E45",
    "E46",
    "E47",
    "E48",
    "E43",
    "E44",
    "E41",
    "E2",
    "E3",
    "E15",
    "E16",
}


def care_leavers(plan: Plan) -> dict[int, tuple[int, str, bool]]:
    """Children who left care as relevant or former relevant children: child -> (last day of
    care, REC of the final period, whether they stayed put at 18)."""
    kids = plan.children
    by_child: dict[int, list[Period]] = {}
    for p in plan.periods:
        by_child.setdefault(p.child, []).append(p)
    out = {}
    for child, periods in by_child.items():
        if kids.short_breaks[child]:
            continue
        final = max(periods, key=lambda p: p.start)
        if final.end is None or final.rec in _EXCLUDED_LEAVERS or final.rec is None:
            continue
        b14, b16 = kids.birthday(child, 14), kids.birthday(child, 16)
        since14 = sum(
            max(0, min(p.end or plan.horizon, 10**9) - max(p.start, b14)) for p in periods
        )
        after16 = any((p.end is None or p.end > b16) for p in periods)
        if since14 >= 91 and after16 and final.end > b16:
            out[child] = (final.end, final.rec, final.rec == "E17")
    return out


def _oc3_rows(plan: Plan, t: Targets, ev: Events, year: int, looked_after: set, draws: Draws):
    kids = plan.children
    rows = {"17_18": [], "19_21": []}
    for child, age, rec, stayed in _leaver_birthdays(plan).get(year, ()):
        rows["17_18" if age <= 18 else "19_21"].append((child, age, rec, stayed))
    out = []
    for band, items in rows.items():
        items.sort()
        n = len(items)
        if n == 0:
            continue
        in_touch = t.care_leaver("in_touch_pct", band, year) / 100.0
        eet = t.care_leaver("eet_pct", band, year) / 100.0
        suitable = t.care_leaver("suitable_pct", band, year) / 100.0
        # a few returned home for good (RHOM) or died: left out of the DfE percentages
        status = []
        for _child, _age, rec, _stayed in items:
            u = draws.u()
            if rec in ("E4A", "E4B", "E13") and u < 0.5:
                status.append("RHOM")
            elif u < 0.002:
                status.append("DIED")
            else:
                status.append(None)
        counted = [k for k, s in enumerate(status) if s is None]
        m = len(counted)
        n_yes = min(int(round(in_touch * m)), m)
        n_eet = min(int(round(eet * m)), n_yes)
        n_suit = min(int(round(suitable * m)), n_yes)
        order = [counted[j] for j in draws.rng.permutation(m)]
        yes = order[:n_yes]
        not_yes = set(order[n_yes:])
        yes_order = [yes[j] for j in draws.rng.permutation(len(yes))]
        eet_set = set(yes_order[:n_eet])
        suit_order = [yes[j] for j in draws.rng.permutation(len(yes))]
        suit_set = set(suit_order[:n_suit])
        for k, (child, age, _rec, stayed) in enumerate(items):
            st = status[k]
            if st is not None:
                touch, activ, accom = st, "0", "0"
            elif k in not_yes:
                touch = ("NO", "REFU", "NREQ")[draws.pick((0, 1, 2), (0.55, 0.8, 1.0))]
                activ, accom = "0", "0"
            else:
                touch = "YES"
                activ = _activity(k in eet_set, year, draws)
                accom = _accommodation(k in suit_set, age, stayed, t, draws)
            out.append(
                (
                    ev.child_ids[child],
                    one_date(kids.dob[child]),
                    touch,
                    activ,
                    accom,
                    child,
                )
            )
    return out


def _leaver_birthdays(plan: Plan) -> dict[int, list[tuple[int, int, str, bool]]]:
    """Collection year -> care leavers with a 17th to 21st birthday in it (child, age, REC,
    stayed put). At 17 and 18 only those who left before the birthday (V rule 1016)."""
    cached = getattr(plan, "_leaver_years", None)
    if cached is not None:
        return cached
    kids = plan.children
    out: dict[int, list] = {}
    for child, (left, rec, stayed) in plan_leavers(plan).items():
        for age in (17, 18, 19, 20, 21):
            b = kids.birthday(child, age)
            if left > b or (age <= 18 and left == b):
                continue
            out.setdefault(year_of(b), []).append((child, age, rec, stayed))
    plan._leaver_years = out  # type: ignore[attr-defined]
    return out


def plan_leavers(plan: Plan) -> dict:
    cached = getattr(plan, "_leavers", None)
    if cached is None:
        cached = care_leavers(plan)
        plan._leavers = cached  # type: ignore[attr-defined]
    return cached


def _activity(eet: bool, year: int, draws: Draws) -> str:
    u = draws.u()
    if not eet:
        return "G4" if u < 0.2 else ("G6" if u < 0.35 else "G5")
    if year >= 2022:
        codes = (
            ("F2", 0.3),
            ("F5", 0.5),
            ("P5", 0.62),
            ("F1", 0.76),
            ("F4", 0.86),
            ("P2", 0.93),
            ("P4", 0.96),
            ("P1", 1.0),
        )
    else:
        codes = (("F2", 0.32), ("F3", 0.62), ("P3", 0.74), ("F1", 0.88), ("P2", 0.95), ("P1", 1.0))
    for code, cum in codes:
        if u < cum:
            return code
    return "F2"


def _accommodation(suitable: bool, age: int, stayed: bool, t: Targets, draws: Draws) -> str:
    u = draws.u()
    if suitable:
        if (
            stayed
            and age >= 18
            and u < min(t.staying_put_19_20_pct / max(t.staying_put_18_pct, 1.0), 0.9)
        ):
            return "Z1"
        options = ("D1", "E1", "U1", "B1", "K1")
        if age >= 18:
            options = options + ("T1",)
        return options[draws.below(len(options))]
    options = ("D2", "U2", "B2", "S2", "V2", "W2")
    if age >= 18:
        options = options + ("X2",)
    return options[draws.below(len(options))]
