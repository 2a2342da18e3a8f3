"""Placement sufficiency indicators from 903 returns (``indicators.md`` §0 and §5).

Numbers looked after, rates, starts and cessations, reasons ceased, placement mix (with the
in-house / other LA / IFA / kinship splits), stability, distance and locality, UASC and the
profile of the children looked after on the period's last day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from reportgen import codes
from reportgen.indicators.blocks import (
    AGE_BANDS,
    ETHNIC_GROUPS,
    FOSTER,
    KINSHIP,
    LEGAL_STATUS_IDS,
    LS_CODES,
    NAT,
    PLACE_CODES,
    PLACEMENT_GROUP_IDS,
    PROVIDER_CODES,
    PROVIDER_SPLIT_IDS,
    REC_GROUPS,
    _flags,
    _strings,
    add_months,
    add_years,
    collection_year_of,
    parse_days,
    run_ends,
)
from reportgen.indicators.measures import (
    Frame,
    Measure,
    NotAvailable,
    indicator,
    long_date,
    register,
)
from reportgen.sources import geo

# ------------------------------------------------------------------------------ numbers


@indicator("cla_at_end", "snapshot")
def cla_at_end(f: Frame) -> Measure:
    """Children looked after on the last day (open episode, not a short break)."""
    return f.snapshot(np.ones(len(f.cla)))


@indicator("cla_rate_per_10k", "snapshot")
def cla_rate_per_10k(f: Frame) -> Measure:
    """``cla_at_end`` per 10,000 children aged 0-17 (ONS)."""
    return Measure("rate", f.cla_child, np.ones(len(f.cla)), episode=f.cla)


@indicator("started", "flow")
def started(f: Frame) -> Measure:
    """Children who started to be looked after (first start in the period only)."""
    rows = f.starts
    return Measure("count", f.p.e_child[rows], np.ones(len(rows)), episode=rows)


@indicator("started_rate_per_10k", "flow")
def started_rate_per_10k(f: Frame) -> Measure:
    rows = f.starts
    return Measure("rate", f.p.e_child[rows], np.ones(len(rows)), episode=rows)


@indicator("ceased", "flow")
def ceased(f: Frame) -> Measure:
    """Children who ceased to be looked after (last cessation in the period only)."""
    rows = f.cessations
    return Measure(
        "count", f.p.e_child[rows], np.ones(len(rows)), episode=rows, notes=f.cessation_notes()
    )


@indicator("ceased_rate_per_10k", "flow")
def ceased_rate_per_10k(f: Frame) -> Measure:
    rows = f.cessations
    return Measure("rate", f.p.e_child[rows], np.ones(len(rows)), episode=rows)


def ceased_for(f: Frame, group: str, kind: str = "count") -> Measure:
    """Children whose last cessation in the period had a REC in ``group``."""
    rows = f.cessations
    flags = f.p.e_rec_group[rows] == REC_GROUPS.index(group)
    den = np.ones(len(rows), dtype=bool) if kind == "percent" else None
    return Measure(kind, f.p.e_child[rows], flags, den, episode=rows)  # type: ignore[arg-type]


for _group in REC_GROUPS:
    register(f"ceased_{_group}", lambda f, g=_group: ceased_for(f, g), "flow")


# ------------------------------------------------------------------------------ placements


def placement_flags(f: Frame) -> dict[str, np.ndarray]:
    """Placement id -> flag per child looked after at the end (the placement before a
    temporary one counts)."""
    key = "placement_flags"
    if key in f.__dict__:
        return f.__dict__[key]
    place = f.p.e_place[f.cla_eff]
    provider = f.p.e_provider[f.cla_eff]
    out: dict[str, np.ndarray] = {}
    for id_, members in PLACEMENT_GROUP_IDS.items():
        out[id_] = _flags(PLACE_CODES, members)[place]
    grouped = np.zeros(len(place), dtype=bool)
    for flags in out.values():
        grouped |= flags
    out["placement_other"] = ~grouped
    foster = _flags(PLACE_CODES, FOSTER)[place]
    for id_, providers in PROVIDER_SPLIT_IDS.items():
        out[id_] = foster & _flags(PROVIDER_CODES, providers)[provider]
    out["placement_foster_kinship"] = _flags(PLACE_CODES, KINSHIP)[place]
    f.__dict__[key] = out
    return out


PLACEMENT_IDS = (
    *PLACEMENT_GROUP_IDS,
    "placement_other",
    *PROVIDER_SPLIT_IDS,
    "placement_foster_kinship",
)

for _id in PLACEMENT_IDS:
    register(_id, lambda f, i=_id: f.snapshot(placement_flags(f)[i]), "snapshot")
    register(
        f"{_id}_pct", lambda f, i=_id: f.snapshot(placement_flags(f)[i], "percent"), "snapshot"
    )


# ------------------------------------------------------------------------------ stability


@indicator("stability_3plus_pct", "rolling_year")
def stability_3plus_pct(f: Frame) -> Measure:
    """Children looked after at the end with 3 or more placements in the 12 months to it.

    Placements: the one the child was in on the window's first day, plus every placement
    starting later in the window (a start of care, or an RNE in ``options.moves``, temporary
    placements and the return from one to the same placement excepted).
    """
    p = f.p
    first = f.window_start(1)
    f.require_days(first, f.end, "placement stability over the year")
    at_start = np.zeros(p.n_children, dtype=np.int64)
    at_start[p.e_child[p.looked_after_on(first)]] = 1
    later = p.e_placement_start & (p.e_decom > first) & (p.e_decom <= f.end)
    counts = np.bincount(p.e_child[later], minlength=p.n_children) + at_start
    placements = counts[f.cla_child]
    return f.snapshot(placements >= 3, "percent", placements=placements)


@indicator("stability_long_term_pct", "lookback")
def stability_long_term_pct(f: Frame) -> Measure:
    """Under-16s looked after at the end, in care since 2.5 years earlier (period of care started
    on or before the 30 September), and with the same carer since 2 years earlier (on or before
    31 March two years before). Periods of care that began as short breaks are left out.

    The look-back uses the episodes in the files, not which year folders exist: a child's period
    of care is known when the chain of episodes reaches its start (an episode with RNE S), and the
    carer chain within it is then known too. A child under 16 looked after at the end whose chain
    does not reach an RNE S episode cannot be placed in or out of the cohort (the care may have
    begun earlier, or as short breaks the DfE leaves out): it is never assumed to start at the
    first episode seen. When any child cannot be determined the figure is withheld
    (:class:`~reportgen.indicators.measures.NotAvailable`, saying how many).
    """
    p = f.p
    care_since = add_months(f.end, -30)
    carer_since = add_years(f.end, -2)
    rows = f.cla
    poc = p.e_poc[rows]
    first = p.poc_first[poc]
    poc_start = p.e_decom[first]
    began_short = p.e_short[first]
    age = f.cla_age
    under_16 = (age >= 0) & (age < 16)
    unknown = under_16 & ~p.poc_start_known[poc]
    if unknown.any():
        n = int(np.count_nonzero(unknown))
        raise NotAvailable(
            f"long-term placement stability: for {n} of the {int(np.count_nonzero(under_16))} "
            f"children under 16 looked after on {long_date(f.end)} the returns do not reach the "
            "start of their period of care (an episode with RNE S), so whether they have been "
            f"looked after since {long_date(care_since)} cannot be determined: add earlier "
            "returns, or check those children's episodes"
        )
    cohort = under_16 & (poc_start <= care_since) & ~began_short
    carer_start = p.e_decom[p.chain_first[p.e_chain[rows]]]
    return Measure(
        "percent",
        f.cla_child[cohort],
        (carer_start <= carer_since)[cohort],
        np.ones(int(cohort.sum()), dtype=bool),
        episode=rows[cohort],
        extra={
            "period_of_care_start": poc_start[cohort],
            "same_carer_since": carer_start[cohort],
        },
    )


# ------------------------------------------------------------------------------ distance


def _normalised(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 blank) and the distinct postcodes, upper case without spaces.

    Done in pyarrow compute: pandas' own string methods fall back to a Python loop for regular
    expressions.
    """
    text = pc.replace_substring_regex(pc.utf8_upper(_strings(values)), r"\s+", "")
    encoded = text.dictionary_encode()
    codes_ = encoded.indices.to_numpy(zero_copy_only=False)
    codes_ = (
        np.where(np.isnan(codes_), -1, codes_).astype(np.int64)
        if codes_.dtype.kind == "f"
        else codes_.astype(np.int64)
    )
    return codes_, encoded.dictionary.to_numpy(zero_copy_only=False).astype(object)


def postcode_places(f: Frame, *wanted: tuple[np.ndarray, str]) -> list[tuple[np.ndarray, ...]]:
    """Easting, northing and upper-tier authority of the postcodes in ``column`` of each
    ``(episode rows, column)``: NaN / None where blank or unknown.

    Only the rows asked for are read, each distinct postcode is looked up once per history, and
    each call makes at most one call to :func:`reportgen.sources.geo.centroids`.
    """
    p = f.p
    cache = p.cache.setdefault(
        "centroids",
        {
            "index": pd.Index([], dtype=object),
            "east": np.array([]),
            "north": np.array([]),
            "utla": np.array([], dtype=object),
        },
    )
    parts = [_normalised(p.postcodes[column].iloc[p.e_source[rows]]) for rows, column in wanted]
    keys = pd.Index(np.concatenate([part[1] for part in parts] + [np.array([], object)]))
    position = cache["index"].get_indexer(keys)
    missing = position < 0
    # the postcodes not looked up yet, in order of first appearance, and where each goes
    new_codes, new = pd.factorize(keys[missing].to_numpy(dtype=object))
    if len(new):
        position[missing] = len(cache["index"]) + new_codes
        found = geo.centroids(pd.Series(new, dtype=object))
        utla = found["utla"].astype(object)
        cache["index"] = cache["index"].append(pd.Index(new, dtype=object))
        cache["east"] = np.r_[cache["east"], found["easting"].to_numpy(float, na_value=np.nan)]
        cache["north"] = np.r_[cache["north"], found["northing"].to_numpy(float, na_value=np.nan)]
        cache["utla"] = np.r_[cache["utla"], utla.where(utla.notna(), None).to_numpy()]
    east = np.r_[cache["east"], np.nan]
    north = np.r_[cache["north"], np.nan]
    utla = np.r_[cache["utla"], np.array([None], dtype=object)]
    out = []
    start = 0
    for codes_, uniques in parts:
        at = position[start : start + len(uniques)]
        start += len(uniques)
        rows = np.where(codes_ >= 0, at[np.maximum(codes_, 0)] if len(at) else -1, -1)
        out.append((east[rows], north[rows], utla[rows]))
    return out


def distances(f: Frame) -> np.ndarray:
    """Miles (1 dp, DfE formula) from home to placement of each child looked after at the end;
    NaN where a postcode is blank or unknown."""
    if "distances" in f.__dict__:
        return f.__dict__["distances"]
    home, placement = postcode_places(f, (f.cla, "HOME_POST"), (f.cla_eff, "PL_POST"))
    f.__dict__["placement_places"] = placement
    (he, hn, _), (pe, pn, _) = home, placement
    if len(f.cla) and np.isnan(he).all() and np.isnan(pe).all():
        raise NotAvailable("needs home and placement postcodes (HOME_POST, PL_POST)")
    miles = np.round(np.hypot(he - pe, hn - pn) / 1000 / 1.6093, 1)
    f.__dict__["distances"] = miles
    return miles


@indicator("placed_over_20_miles_pct", "snapshot")
def placed_over_20_miles_pct(f: Frame) -> Measure:
    """Children looked after at the end placed more than 20 miles from home, as a percentage
    of all of them (unknown distances stay in the denominator, as the DfE's "not known")."""
    miles = distances(f)
    over = np.nan_to_num(miles, nan=-1.0) > f.options.distance_miles
    return f.snapshot(over, "percent", miles=miles)


@indicator("placed_outside_la_pct", "snapshot")
def placed_outside_la_pct(f: Frame) -> Measure:
    """Children looked after at the end whose placement postcode is outside the authority
    (upper tier, current boundaries), as a percentage of all of them."""
    p = f.p
    if "placement_places" not in f.__dict__:
        [f.__dict__["placement_places"]] = postcode_places(f, (f.cla_eff, "PL_POST"))
    _, _, utla = f.__dict__["placement_places"]
    if len(f.cla) and pd.isna(utla).all():
        raise NotAvailable("needs placement postcodes (PL_POST) of known postcodes")
    own = np.asarray(p.la_codes, dtype=object)[p.child_la[f.cla_child]]
    outside = pd.notna(utla) & (utla != own)
    return f.snapshot(outside, "percent", placement_authority=utla)


# ------------------------------------------------------------------------------ UASC


def uasc_flags(f: Frame) -> np.ndarray:
    """Whether each child looked after at the end was an unaccompanied asylum-seeking child."""
    f.require_table("UASC", f.end, f.end, "the number of unaccompanied asylum-seeking children")
    p = f.p
    table = p.tables["UASC"]
    year = collection_year_of(np.array([f.end]))[0]
    rows = table[table["YEAR"].to_numpy() <= year]
    child = rows["_CHILD"].to_numpy()
    duc = parse_days(rows["DUC"])
    order = np.lexsort((rows["YEAR"].to_numpy(), child))  # latest return last
    child, duc = child[order], duc[order]
    last = run_ends(child)
    is_uasc = np.zeros(p.n_children, dtype=bool)
    is_uasc[child[last]] = (duc[last] == NAT) | (duc[last] > f.end)
    return is_uasc[f.cla_child]


@indicator("uasc_at_end", "snapshot", ("Header", "Episodes", "UASC"))
def uasc_at_end(f: Frame) -> Measure:
    """Children looked after at the end listed in the UASC table, status not ceased by then."""
    return f.snapshot(uasc_flags(f))


# ------------------------------------------------------------------------------ profile


def _profile(f: Frame, id_: str) -> np.ndarray:
    p = f.p
    kind, _, value = id_.removeprefix("cla_by_").partition("_")
    if kind == "age":
        low, high = AGE_BANDS[value]
        return (f.cla_age >= low) & (f.cla_age <= high)
    if id_.startswith("cla_by_sex_"):
        return p.sex[f.cla_child] == (1 if value == "male" else 2)
    if id_.startswith("cla_by_ethnicity_"):
        return p.ethnic_group[f.cla_child] == ETHNIC_GROUPS.index(
            id_.removeprefix("cla_by_ethnicity_")
        )
    group = LEGAL_STATUS_IDS[id_.removeprefix("cla_by_legal_status_")]
    members = {
        code
        for code, info in codes.field_info("LS").codes.items()
        if info.groups.get("dfe_group") == group
    }
    return _flags(LS_CODES, members)[p.e_ls[f.cla]]


PROFILE_IDS = (
    *(f"cla_by_age_{band}" for band in AGE_BANDS),
    "cla_by_sex_male",
    "cla_by_sex_female",
    *(f"cla_by_ethnicity_{group}" for group in ETHNIC_GROUPS),
    *(f"cla_by_legal_status_{status}" for status in LEGAL_STATUS_IDS),
)

for _id in PROFILE_IDS:
    register(_id, lambda f, i=_id: f.snapshot(_profile(f, i)), "snapshot")
    register(f"{_id}_pct", lambda f, i=_id: f.snapshot(_profile(f, i), "percent"), "snapshot")
