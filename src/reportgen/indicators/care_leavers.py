"""Care-leaver indicators from 903 returns (``indicators.md`` §0 and §5; OC3 table).

A care leaver is counted in the period in which the birthday the OC3 row is about falls (the
age reached at that birthday gives the age group: 17-18 or 19-21), not by their age on 31 March.
Left out, as the DfE does: young people who died (IN_TOUCH DIED), returned home for 6 months or
more (RHOM), whose care was taken over by another authority (last REC E3) or who were only ever
looked after under short breaks. A row with IN_TOUCH, ACTIV and ACCOM all blank for a young person
still looked after on the birthday is left out too (DfE: care-leaver information is not required
for 17- or 18-year-olds still looked after), with a note saying how many.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reportgen import codes
from reportgen.indicators.blocks import (
    FOSTER,
    NAT,
    OPEN,
    PLACE_CODES,
    REC_CODES,
    _factorize,
    _flags,
    age_on,
    birthday,
    from_ymd,
    run_ends,
)
from reportgen.indicators.measures import Frame, Measure, NotAvailable, indicator, register
from reportgen.sources.ssda903.read import EPISODE_FIX_REC

BANDS = {"17_18": (17, 18), "19_21": (19, 21)}
OC3_TABLES = ("Header", "Episodes", "OC3")


def _year_end_days(years: np.ndarray) -> np.ndarray:
    """Day numbers of 31 March of each year."""
    return from_ymd(years, np.full(len(years), 3), np.full(len(years), 31))


def _group_by_year(values: pd.Series, years: np.ndarray, field: str, grouping: str) -> np.ndarray:
    """Group of each code in its collection year ('' when none); loops over distinct pairs only."""
    codes_, uniques = _factorize(values)
    pairs, inverse = np.unique((codes_ + 1) * 10_000 + years, return_inverse=True)
    mapped = []
    for pair in pairs:
        index, year = divmod(int(pair), 10_000)
        code = uniques[index - 1] if index > 0 else None
        group = codes.group_of(field, code, year, grouping) if code is not None else None
        mapped.append(group or "")
    return np.array(mapped + [""], dtype=object)[inverse] if len(pairs) else np.array([], object)


def child_facts(f: Frame) -> dict[str, np.ndarray]:
    """Per child: care taken over by another authority (last REC E3); only short breaks."""
    p = f.p
    if "child_facts" not in p.cache:
        last = np.flatnonzero(run_ends(p.e_child))
        transferred = np.zeros(p.n_children, dtype=bool)
        transferred[p.e_child[last]] = p.e_rec[last] == REC_CODES.index("E3")
        episodes = np.bincount(p.e_child, minlength=p.n_children)
        regular = np.bincount(p.e_child, weights=~p.e_short, minlength=p.n_children)
        p.cache["child_facts"] = {
            "transferred": transferred,
            "short_breaks_only": (episodes > 0) & (regular == 0),
        }
    return p.cache["child_facts"]


def _all_leavers(f: Frame) -> dict[str, np.ndarray]:
    """Every OC3 row about a 17th-21st birthday (one per child and return), with its birthday,
    groups and whether the DfE leaves it out: worked out once per history."""
    p = f.p
    if "leavers" in p.cache:
        return p.cache["leavers"]
    table = p.tables["OC3"]
    child = table["_CHILD"].to_numpy()
    year = table["YEAR"].to_numpy().astype(np.int64)
    dob = p.dob[child]
    age = age_on(dob, _year_end_days(year))  # the age reached at the birthday in the year
    index = np.flatnonzero((dob != NAT) & (age >= 17) & (age <= 21))
    # one row per child and year (the last, if a return repeats a child)
    order = index[np.lexsort((index, year[index], child[index]))]
    index = np.sort(order[run_ends(child[order] * 10_000 + year[order])])
    child, year, age = child[index], year[index], age[index]
    rows = table.iloc[index]
    in_touch = _group_by_year(rows["IN_TOUCH"], year, "IN_TOUCH", "group")
    facts = child_facts(f)
    excluded = (in_touch == "excluded") | facts["transferred"][child]
    excluded |= facts["short_breaks_only"][child]
    blank = rows[["IN_TOUCH", "ACTIV", "ACCOM"]].isna().all(axis=1).to_numpy()
    still_looked_after = np.zeros(len(index), dtype=bool)
    if blank.any():
        chosen = np.flatnonzero(blank)
        still_looked_after[chosen] = _looked_after_on(
            f, child[chosen], birthday(p.dob[child[chosen]], age[chosen])
        )
    excluded |= still_looked_after
    accom = rows["ACCOM"]
    out = {
        "child": child,
        "age": age,
        "birthday": birthday(p.dob[child], age),
        "in_touch": in_touch,
        "activity": _group_by_year(rows["ACTIV"], year, "ACTIV", "group"),
        "accommodation": _group_by_year(accom, year, "ACCOM", "group"),
        "suitability_total": _group_by_year(accom, year, "ACCOM", "suitability_total"),
        "accommodation_type": _group_by_year(accom, year, "ACCOM", "type"),
    }
    p.cache["leavers"] = {key: value[~excluded] for key, value in out.items()}
    p.cache["leavers_still_looked_after"] = {
        key: out[key][still_looked_after] for key in ("age", "birthday")
    }
    return p.cache["leavers"]


def _looked_after_on(f: Frame, child: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whether each ``child`` had an episode open on ``day`` (short breaks aside)."""
    p = f.p
    mine = np.isin(p.e_child, child)
    episodes = pd.DataFrame(
        {
            "child": p.e_child[mine],
            "decom": p.e_decom[mine],
            "end": p.e_end[mine],
            "short": p.e_short[mine],
        }
    )
    asked = pd.DataFrame({"row": np.arange(len(child)), "child": child, "day": day})
    pairs = asked.merge(episodes, on="child")
    open_ = (pairs["decom"] <= pairs["day"]) & (pairs["end"] > pairs["day"]) & ~pairs["short"]
    out = np.zeros(len(child), dtype=bool)
    out[pairs.loc[open_, "row"].to_numpy()] = True
    return out


def _still_looked_after_note(f: Frame, low: int, high: int) -> list[str]:
    """The warning for blank OC3 rows left out: young people still looked after on the birthday
    (the DfE does not collect care-leaver information for them)."""
    rows = f.p.cache.get("leavers_still_looked_after", {})
    if not rows:
        return []
    chosen = (
        (rows["birthday"] >= f.start)
        & (rows["birthday"] <= f.end)
        & (rows["age"] >= low)
        & (rows["age"] <= high)
    )
    n = int(np.count_nonzero(chosen))
    if not n:
        return []
    return [
        f"{n} OC3 row{'s' if n != 1 else ''} with IN_TOUCH, ACTIV and ACCOM blank for young "
        f"{'people' if n != 1 else 'person'} still looked after on the birthday left out (not "
        "care leavers yet: the DfE does not collect their care-leaver information)"
    ]


def leavers(f: Frame) -> dict[str, np.ndarray]:
    """OC3 rows about a 17th-21st birthday in the period, after the DfE's exclusions."""
    if "leavers" in f.__dict__:
        return f.__dict__["leavers"]
    f.require_table("OC3", f.start, f.end, "a care-leaver figure")
    rows = _all_leavers(f)
    chosen = (rows["birthday"] >= f.start) & (rows["birthday"] <= f.end)
    f.__dict__["leavers"] = {key: value[chosen] for key, value in rows.items()}
    return f.__dict__["leavers"]


def _band(f: Frame, band: str) -> dict[str, np.ndarray]:
    low, high = BANDS[band]
    rows = leavers(f)
    chosen = (rows["age"] >= low) & (rows["age"] <= high)
    return {key: value[chosen] for key, value in rows.items()}


def _leaver_measure(f: Frame, band: str, what: str) -> Measure:
    rows = _band(f, band)
    n = len(rows["child"])
    extra = {"age": rows["age"], "birthday": rows["birthday"]}
    notes = _still_looked_after_note(f, *BANDS[band])
    if what == "count":
        return Measure("count", rows["child"], np.ones(n), extra=extra, notes=notes)
    den = np.ones(n, dtype=bool)
    if what == "in_touch":
        num = rows["in_touch"] == "in_touch"
    elif what in ("eet", "neet"):
        num = rows["activity"] == what
    else:  # suitable accommodation; abroad, deported, residence not known left out
        num = rows["accommodation"] == "suitable"
        den = rows["suitability_total"] != "excluded"
    extra |= {what: num}
    return Measure("percent", rows["child"], num, den, extra=extra, notes=notes)


for _band_name in BANDS:
    register(
        f"cl_{_band_name}_count",
        lambda f, b=_band_name: _leaver_measure(f, b, "count"),
        "birthdays",
        OC3_TABLES,
    )
    for _what in ("in_touch", "eet", "suitable_accom"):
        register(
            f"cl_{_band_name}_{_what}_pct",
            lambda f, b=_band_name, w=_what: _leaver_measure(f, b, w.removesuffix("_accom")),
            "birthdays",
            OC3_TABLES,
        )
register(
    "cl_19_21_neet_pct", lambda f: _leaver_measure(f, "19_21", "neet"), "birthdays", OC3_TABLES
)


# ------------------------------------------------------------------------------ staying put


def days_looked_after(
    f: Frame, child: np.ndarray, first: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Days each child was looked after (short breaks aside) from ``first`` up to ``last``."""
    p = f.p
    start = np.full(p.n_children, NAT, dtype=np.int64)
    end = np.full(p.n_children, NAT, dtype=np.int64)
    start[child], end[child] = first, last
    s, e = start[p.e_child], end[p.e_child]
    overlap = np.minimum(p.e_end, e) - np.maximum(p.e_decom, s)
    overlap = np.where((s != NAT) & ~p.e_short & (overlap > 0), overlap, 0)
    return np.bincount(p.e_child, weights=overlap, minlength=p.n_children)[child]


def left_foster_care_at_18(f: Frame, child: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each child: ceased care on their 18th birthday from a foster placement (U1-U6) and was
    eligible for care-leaver support (13 weeks looked after since 14); and the REC of that
    cessation (-1 if none)."""
    p = f.p
    b18 = np.full(p.n_children, NAT, dtype=np.int64)
    b18[child] = birthday(p.dob[child], 18)
    last = p.poc_last
    rec = p.e_rec[last]
    ended = (
        (p.e_dec[last] != OPEN)
        & (rec >= 0)
        & (rec != REC_CODES.index("X1"))
        & (rec != REC_CODES.index(EPISODE_FIX_REC))
        & ~p.poc_all_short
        & (p.e_dec[last] == b18[p.e_child[last]])
        & _flags(PLACE_CODES, FOSTER)[p.e_place[p.e_eff[last]]]
    )
    hit = last[ended]
    found_rec = np.full(p.n_children, -1, dtype=np.int64)
    found_rec[p.e_child[hit]] = p.e_rec[hit]
    rec_of = found_rec[child]
    eligible = (
        days_looked_after(f, child, birthday(p.dob[child], 14), birthday(p.dob[child], 18))
        >= f.options.eligible_days_after_14
    )
    return (rec_of >= 0) & eligible, rec_of


@indicator("staying_put_18_pct", "birthdays")
def staying_put_18_pct(f: Frame) -> Measure:
    """Of young people who left a foster placement on their 18th birthday in the period and were
    eligible for care-leaver support, those who stayed with their foster carers (REC E17)."""
    rows = f.cessations
    child = f.p.e_child[rows]
    cohort, rec = left_foster_care_at_18(f, child)
    rows, child, rec = rows[cohort], child[cohort], rec[cohort]
    stayed = np.isin(rec, [REC_CODES.index(c) for c in f.options.staying_put_rec])
    return Measure("percent", child, stayed, np.ones(len(child), dtype=bool), rows)


@indicator("staying_put_19_20_pct", "birthdays", OC3_TABLES)
def staying_put_19_20_pct(f: Frame) -> Measure:
    """Of care leavers aged 19 or 20 at their birthday in the period who had left a foster
    placement on their 18th birthday (eligible for support), those living with their former
    foster carers (ACCOM Z1, Z2)."""
    p = f.p
    rows = leavers(f)
    chosen = (rows["age"] == 19) | (rows["age"] == 20)
    child = rows["child"][chosen]
    known = birthday(p.dob[child], 18) >= p.first_day
    cohort, _ = left_foster_care_at_18(f, child)
    notes = []
    unknown = int(np.count_nonzero(~known))
    if unknown:
        notes.append(
            f"{unknown} care leaver{'s' if unknown != 1 else ''} aged 19 or 20 left out: their "
            "18th birthday is before the earliest return"
        )
        if not known.any():
            raise NotAvailable(
                "staying put at 19-20 needs the returns of the years these young people turned "
                "18: add earlier returns"
            )
    den = cohort & known
    num = rows["accommodation_type"][chosen] == "former_foster_carers"
    return Measure("percent", child, num, den, notes=notes)
