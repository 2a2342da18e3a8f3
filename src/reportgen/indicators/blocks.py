"""Building blocks of the SSDA903 indicator engine (``indicators.md`` §4), as numpy arrays.

:func:`prepare` turns a :class:`~reportgen.sources.ssda903.read.History` (tables of strings) into a
:class:`Prepared` history once: every child gets an integer code, every date becomes a day number
(days since 1970-01-01), every code a small integer or a flag, and the period-independent
structure of the episodes is worked out (periods of care, carers, temporary placements). The
indicator functions then only compare and count arrays: no Python loop ever runs over children
or episodes (loops run over the few distinct codes or years).

Conventions (each one a decision of ``indicators.md``):

* **Open on day d**: ``DECOM <= d < DEC`` (an episode ending on d ceased that day; an open
  episode's DEC is :data:`OPEN`). An episode closed by the multi-year fix with REC ``E99``
  (the return that last showed it said it was open at 31 March) counts as open on its DEC day.
* **Period of care**: episodes chained by REC X1; a new period starts at a child's first
  episode, after any other REC, or at an RNE S episode.
* **Short breaks**: an episode with LS V3/V4. A period of care made only of them is a short-break
  period (left out of flows); a child whose open episode is one is left out of snapshots.
* **Temporary placements** (T0-T4): at a snapshot the child is counted in the placement before
  the temporary one; the return to that placement is not a move (configurable,
  :class:`EngineOptions`).
* **Same carer**: a carer chain starts with a period of care and at every RNE P or B episode,
  except a temporary placement, the return from one to the same placement, and a placement for
  adoption with the current foster carer (A3, A5). A move into a fostering-for-adoption placement
  (U2, U5) starts a new chain (DfE methodology since 2021; configurable).
* **Birthdays**: a child born on 29 February has birthdays on 1 March in other years.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from reportgen import codes
from reportgen.sources.ssda903.read import (
    EPISODE_FIX_REC,
    History,
    date_values,
    encode,
    history_child_codes,
    sort_order,
)

NAT = np.int64(-(2**40))
"""Day number of an unknown date (far in the past)."""

OPEN = np.int64(2**40)
"""Day number used as the DEC of an open episode (far in the future)."""

_EPOCH = date(1970, 1, 1)


def to_day(value: date | pd.Timestamp | str) -> int:
    """A date as a day number (days since 1970-01-01).

    >>> to_day(date(2025, 3, 31))
    20178
    """
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return (value - _EPOCH).days


def from_day(day: int) -> date:
    """A day number back as a date."""
    return date.fromordinal(_EPOCH.toordinal() + int(day))


def _factorize(values: pd.Series | np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes (-1 for blanks) and distinct values; fast on pandas' Arrow-backed strings."""
    codes_, uniques = pd.factorize(values)
    return np.asarray(codes_), pd.Index(uniques)


def parse_days(values: pd.Series | np.ndarray) -> np.ndarray:
    """``dd/mm/YYYY`` strings to day numbers (:data:`NAT` for blanks and invalid dates).

    Only the distinct strings are parsed (once per column:
    :func:`~reportgen.sources.ssda903.read.date_values`), so an England-sized column takes
    milliseconds.
    """
    if not isinstance(values, pd.Series):
        values = pd.Series(np.asarray(values, dtype=object), dtype=object)
    parsed = date_values(values).astype("datetime64[D]")
    return np.where(np.isnat(parsed), NAT, parsed.view(np.int64))


def ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of day numbers (0 for unknown dates).

    Integer arithmetic (H. Hinnant's ``civil_from_days``), much faster than numpy's datetime
    unit conversions on large arrays.
    """
    days = np.asarray(days, dtype=np.int64)
    known = (days != NAT) & (days != OPEN)
    z = np.where(known, days, 0) + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return (np.where(known, year, 0), np.where(known, month, 0), np.where(known, day, 0))


def from_ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Day numbers of dates given as arrays (H. Hinnant's ``days_from_civil``); a day past the
    month's end rolls into the next month (29 February 2025 -> 1 March 2025)."""
    year = np.asarray(year, dtype=np.int64) - (np.asarray(month) <= 2)
    era = year // 400
    yoe = year - era * 400
    mp = (np.asarray(month, dtype=np.int64) + 9) % 12
    doy = (153 * mp + 2) // 5 + np.asarray(day, dtype=np.int64) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


_APRIL_FIRSTS = np.array([(date(y, 4, 1) - _EPOCH).days for y in range(1899, 2201)])


def collection_year_of(days: np.ndarray) -> np.ndarray:
    """Collection (end) year of each day: 1 April 2024 to 31 March 2025 -> 2025 (0 if unknown)."""
    days = np.asarray(days, dtype=np.int64)
    year = 1899 + np.searchsorted(_APRIL_FIRSTS, days, side="right")
    return np.where((days == NAT) | (days == OPEN), 0, year)


def birthday(dob: np.ndarray, age: np.ndarray | int) -> np.ndarray:
    """Day number of the birthday on which a child reaches ``age`` (29 February -> 1 March)."""
    years, months, days = ymd(dob)
    return np.where(dob == NAT, NAT, from_ymd(years + age, months, days))


def age_on(dob: np.ndarray, day: int | np.ndarray) -> np.ndarray:
    """Age in whole years on a day (-1 where the date of birth is unknown)."""
    y, m, d = ymd(dob)
    dy, dm, dd = ymd(np.asarray(day, dtype=np.int64))
    age = dy - y - ((dm * 100 + dd) < (m * 100 + d))
    return np.where(dob == NAT, -1, age)


def add_years(day: int, years: int) -> int:
    """A day number moved by whole years (29 February -> 28 February), as the DfE's 2-year rule."""
    when = pd.Timestamp(from_day(day)) + pd.DateOffset(years=years)
    return to_day(when)


def add_months(day: int, months: int) -> int:
    """A day number moved by whole months, the day clipped to the month's end.

    >>> from_day(add_months(to_day(date(2025, 3, 31)), -30))
    datetime.date(2022, 9, 30)
    """
    when = pd.Timestamp(from_day(day)) + pd.DateOffset(months=months)
    return to_day(when)


def _strings(values: pd.Series | np.ndarray) -> pa.Array:
    """Text as one pyarrow string array (blanks null), whatever pandas or numpy holds it."""
    text = pa.array(values, from_pandas=True)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    if text.type not in (pa.string(), pa.large_string()):
        text = text.cast(pa.string())
    return text


def _squeeze(postcodes: np.ndarray) -> np.ndarray:
    """Postcodes upper case without white space, for comparing two of them."""
    text = pc.replace_substring_regex(pc.utf8_upper(_strings(postcodes)), r"\s+", "")
    return text.to_numpy(zero_copy_only=False)


def run_starts(keys: np.ndarray) -> np.ndarray:
    """True at the first element of each run of equal keys (sorted data)."""
    if len(keys) == 0:
        return np.zeros(0, dtype=bool)
    return np.r_[True, keys[1:] != keys[:-1]]


def run_ends(keys: np.ndarray) -> np.ndarray:
    """True at the last element of each run of equal keys (sorted data)."""
    if len(keys) == 0:
        return np.zeros(0, dtype=bool)
    return np.r_[keys[1:] != keys[:-1], True]


# --------------------------------------------------------------------------------------------
# Options


@dataclass(frozen=True)
class EngineOptions:
    """The choices the DfE sources leave open (``indicators.md`` [assumption] items).

    Parameters
    ----------
    moves
        RNE codes that start a new placement for ``stability_3plus_pct`` (default P and B: a new
        carer). A start of care (S) always starts a placement. ``("P", "B", "T", "U")`` also
        counts same-carer placement changes.
    ignore_temporary
        Leave temporary placements (T0-T4) and the return from one to the same placement out of
        placement counts, and count a child in a temporary placement at a snapshot in the
        placement before it.
    ffa_is_new_carer
        A move into a fostering-for-adoption placement (U2, U5) starts a new carer chain for
        long-term stability (DfE methodology since 2021).
    distance_miles
        ``placed_over_20_miles_pct`` counts distances strictly above this (DfE rounded miles).
    a10_threshold_days
        ``a10_within_426_days_pct`` counts A10 times strictly below this.
    eligible_days_after_14
        Days looked after since the 14th birthday that make a young person eligible for
        care-leaver support (13 weeks), for the staying-put denominators.
    staying_put_rec
        REC codes that mean "stayed with the foster carers" at 18 (E17).
    """

    moves: tuple[str, ...] = ("P", "B")
    ignore_temporary: bool = True
    ffa_is_new_carer: bool = True
    distance_miles: float = 20.0
    a10_threshold_days: int = 426
    eligible_days_after_14: int = 91
    staying_put_rec: tuple[str, ...] = ("E17",)


DEFAULT_OPTIONS = EngineOptions()


# --------------------------------------------------------------------------------------------
# Code vocabularies


def _all_codes(field_name: str) -> list[str]:
    return sorted(codes.field_info(field_name).codes)


def _index(values: pd.Series, vocabulary: Sequence[str]) -> np.ndarray:
    """Position of each value in ``vocabulary`` (-1 for blanks and unknown codes)."""
    lookup = {code: i for i, code in enumerate(vocabulary)}
    codes_, uniques = encode(values)
    table = [lookup.get(str(u).strip().upper(), -1) for u in uniques.to_pylist()]
    return np.array(table + [-1], np.int16)[codes_]  # code -1 (blank) picks the trailing -1


def _flags(vocabulary: Sequence[str], wanted: Iterable[str]) -> np.ndarray:
    """Boolean lookup over a vocabulary, with a trailing False for index -1."""
    chosen = set(wanted)
    return np.array([code in chosen for code in vocabulary] + [False])


def _groups(field_name: str, grouping: str = "group") -> dict[str, set[str]]:
    """Codes of a field by group (any year)."""
    out: dict[str, set[str]] = {}
    for code, info in codes.field_info(field_name).codes.items():
        group = info.group if grouping == "group" else info.groups.get(grouping)
        if group is not None:
            out.setdefault(group, set()).add(code)
    return out


RNE_CODES = ("S", "L", "P", "T", "B", "U")
PLACE_CODES = tuple(_all_codes("PLACE"))
PROVIDER_CODES = tuple(_all_codes("PLACE_PROVIDER"))
LS_CODES = tuple(_all_codes("LS"))
REC_CODES = tuple(_all_codes("REC")) + (EPISODE_FIX_REC,)
ETHNIC_CODES = tuple(_all_codes("ETHNIC"))

PLACE_GROUPS = _groups("PLACE")
TEMPORARY = frozenset(PLACE_GROUPS["temporary"])
FOSTER = frozenset(PLACE_GROUPS["foster"])
KINSHIP = frozenset(_groups("PLACE", "carer")["relative_or_friend"])
PLACED_FOR_ADOPTION = frozenset(PLACE_GROUPS["placed_for_adoption"])
ADOPTION_WITH_CARER = frozenset({"A3", "A5"})
FFA = frozenset({"U2", "U5"})
SHORT_BREAK = frozenset(_groups("LS")["short_break"])
PLACEMENT_ORDER = frozenset(_groups("LS")["placement_order"])

PLACEMENT_GROUP_IDS: dict[str, frozenset[str]] = {
    "placement_foster": FOSTER,
    "placement_placed_for_adoption": PLACED_FOR_ADOPTION,
    "placement_with_parents": frozenset(PLACE_GROUPS["with_parents"]),
    "placement_childrens_homes": frozenset(
        PLACE_GROUPS["childrens_home"] | PLACE_GROUPS["secure_childrens_home"]
    ),
    "placement_supported_accommodation": frozenset(PLACE_GROUPS["supported_accommodation"]),
    "placement_residential_schools": frozenset(PLACE_GROUPS["residential_school"]),
    "placement_other_residential": frozenset(PLACE_GROUPS["other_residential"]),
}
"""Placement ids (§0) -> PLACE codes. ``placement_other`` is everything else, so the groups
always add up to ``cla_at_end`` (Z1, Z11-Z14, a temporary placement with no placement before
it in the returns, and codes that are not valid PLACE codes)."""

PROVIDER_SPLIT_IDS: dict[str, frozenset[str]] = {
    "placement_foster_in_house": frozenset({"PR1"}),
    "placement_foster_other_la": frozenset({"PR2"}),
    "placement_foster_ifa": frozenset({"PR4", "PR5"}),
}
"""Foster placements (U1-U6) split by provider (indicators.md §5)."""

LEGAL_STATUS_IDS: dict[str, str] = {
    "interim_care_order": "Interim care order",
    "full_care_order": "Full care order",
    "placement_order": "Placement order granted",
    "s20": "Voluntary agreements under S20 CA 1989",
    "detained_for_child_protection": "Detained for child protection",
    "youth_justice": "Youth justice legal statuses",
}
"""``cla_by_legal_status_<suffix>`` -> the DfE group of the LS code list."""

ETHNIC_GROUPS = ("white", "mixed", "asian", "black", "other", "not_known")
"""``cla_by_ethnicity_<group>``; a blank ETHNIC counts as not known."""

AGE_BANDS: dict[str, tuple[int, int]] = {
    "under_1": (0, 0),
    "1_4": (1, 4),
    "5_9": (5, 9),
    "10_15": (10, 15),
    "16_plus": (16, 200),
}
"""``cla_by_age_<band>`` -> ages (inclusive) on the snapshot day (DfE bands)."""

REC_GROUPS = ("adopted", "sgo", "returned_home", "independent_living", "other")
"""Reason-ceased groups of ``ceased_<group>`` (REC codes not valid in their year are 'other')."""

SEX_MALE = frozenset({"1", "M"})
SEX_FEMALE = frozenset({"2", "F"})


# --------------------------------------------------------------------------------------------
# The prepared history


@dataclass
class Prepared:
    """A history turned into arrays once, shared by every period and indicator.

    Children are numbered ``0 .. n_children - 1`` (``child_ids`` holds their CHILD ids) and belong
    to one of ``la_codes`` (``child_la``). Episode arrays (prefix ``e_``) are sorted by child and
    DECOM. Dates are day numbers; an open episode has ``e_dec == OPEN``.
    """

    years: tuple[int, ...]
    first_day: int
    last_day: int
    la_codes: list[str]
    tables_by_year: dict[str, frozenset[int]]
    child_ids: np.ndarray
    child_la: np.ndarray
    dob: np.ndarray
    sex: np.ndarray  # 0 unknown, 1 male, 2 female
    ethnic_group: np.ndarray  # index into ETHNIC_GROUPS
    # episodes
    e_child: np.ndarray
    e_decom: np.ndarray
    e_dec: np.ndarray  # as recorded (OPEN when open)
    e_end: np.ndarray  # last day looked after in the episode + 1 (E99: the day after DEC)
    e_rne: np.ndarray
    e_ls: np.ndarray
    e_place: np.ndarray
    e_provider: np.ndarray
    e_rec: np.ndarray
    e_rec_group: np.ndarray  # index into REC_GROUPS, -1 for X1/E99/blank
    e_year: np.ndarray
    e_source: np.ndarray  # row of the history's Episodes table each episode came from
    postcodes: pd.DataFrame  # HOME_POST and PL_POST of the Episodes table (looked up lazily)
    e_short: np.ndarray
    e_temp: np.ndarray
    e_eff: np.ndarray  # the row whose placement counts (the one before a temporary placement)
    e_return_same: np.ndarray
    e_placement_start: np.ndarray
    e_poc: np.ndarray
    e_chain: np.ndarray
    poc_first: np.ndarray
    poc_last: np.ndarray
    poc_start_known: np.ndarray
    poc_all_short: np.ndarray
    chain_first: np.ndarray
    options: EngineOptions
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)

    @property
    def n_children(self) -> int:
        return len(self.child_ids)

    @property
    def n_la(self) -> int:
        return len(self.la_codes)

    # -- table and year coverage --------------------------------------------------------------

    def missing_years(self, first: int, last: int) -> list[int]:
        """Collection years overlapping ``first..last`` that have no return."""
        span = range(
            int(collection_year_of(np.array([first]))[0]),
            1 + int(collection_year_of(np.array([last]))[0]),
        )
        return [y for y in span if y not in self.years]

    def years_without(self, table: str, first: int, last: int) -> list[int]:
        """Collection years overlapping ``first..last`` whose return lacks ``table``."""
        first_year = int(collection_year_of(np.array([first]))[0])
        last_year = int(collection_year_of(np.array([last]))[0])
        have = self.tables_by_year.get(table, frozenset())
        return [y for y in range(first_year, last_year + 1) if y not in have]

    # -- episodes -----------------------------------------------------------------------------

    def open_on(self, day: int) -> np.ndarray:
        """Row of each child's episode open on ``day`` (the latest, if records overlap)."""
        key = ("open", day)
        if key not in self.cache:
            rows = np.flatnonzero((self.e_decom <= day) & (self.e_end > day))
            if len(rows) > 1:
                child = self.e_child[rows]
                rows = rows[run_ends(child)]
            self.cache[key] = rows
        return self.cache[key]

    def looked_after_on(self, day: int) -> np.ndarray:
        """Rows of the children looked after on ``day``: open episode, not a short break."""
        rows = self.open_on(day)
        return rows[~self.e_short[rows]]


def _lookup_frame(values: pd.Series, table: dict[str, int], default: int) -> np.ndarray:
    codes_, uniques = encode(values)
    mapped = [table.get(str(u).strip().upper(), default) for u in uniques.to_pylist()]
    return np.array(mapped + [default])[codes_].astype(np.int16)


def _child_codes(
    tables: dict[str, pd.DataFrame],
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Number every CHILD of every table (Header first, in order of first appearance; -1 for a
    blank CHILD); codes of each table's rows. From the numbering :func:`combine_returns` kept
    with the tables (no CHILD id hashed again) when every table has it, else one pass over the
    pyarrow strings."""
    order = [t for t in ["Header"] + [t for t in tables if t != "Header"] if t in tables]
    columns = [tables[t]["CHILD"] for t in order]
    if not columns:
        return np.array([], dtype=object), {}
    numbered = history_child_codes({t: tables[t] for t in order})
    if numbered is not None:  # numbered by combine_returns: renumber in order of appearance
        codes, ids = numbered
        every = np.concatenate([codes[t] for t in order])
        first = np.full(len(ids), len(every), dtype=np.int64)
        named = every >= 0
        np.minimum.at(first, every[named], np.flatnonzero(named))
        present = np.flatnonzero(first < len(every))
        present = present[np.argsort(first[present], kind="stable")]
        renumber = np.full(len(ids) + 1, -1, dtype=np.int64)  # the last: a blank CHILD
        renumber[present] = np.arange(len(present))
        out = {t: renumber[codes[t]] for t in order}
        return ids.take(pa.array(present)).to_numpy(zero_copy_only=False).astype(object), out
    chunks = []
    for column in columns:
        array = pa.array(column.array, from_pandas=True)
        parts = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
        chunks.extend(part.cast(pa.large_string()) for part in parts)
    encoded = pa.chunked_array(chunks, pa.large_string()).dictionary_encode()
    combined = encoded.combine_chunks()
    all_codes = pc.fill_null(combined.indices, -1).to_numpy(zero_copy_only=False)
    all_codes = all_codes.astype(np.int64)
    out: dict[str, np.ndarray] = {}
    start = 0
    for table, column in zip(order, columns, strict=True):
        out[table] = all_codes[start : start + len(column)]
        start += len(column)
    return combined.dictionary.to_numpy(zero_copy_only=False).astype(object), out


def _rec_groups(rec: np.ndarray, dec: np.ndarray) -> np.ndarray:
    """Reason-ceased group of each REC in the collection year of its DEC (-1: none)."""
    years = collection_year_of(dec)
    known = years > 0
    first = int(years[known].min()) if known.any() else 0
    last = int(years[known].max()) if known.any() else 0
    group_index = {g: i for i, g in enumerate(REC_GROUPS)}
    table = np.full((len(REC_CODES) + 1, last - first + 1), -1, dtype=np.int16)
    for i, code in enumerate(REC_CODES):  # a few dozen codes by a few years
        if code in ("X1", EPISODE_FIX_REC):
            continue
        for year in range(first, last + 1):
            table[i, year - first] = group_index[codes.group_of("REC", code, year) or "other"]
    mapped = table[rec, np.where(known, years - first, 0)]  # rec -1 picks the last row (-1)
    return np.where(known, mapped, -1).astype(np.int16)


def prepare(
    history: History, authority: str = "", options: EngineOptions | None = None
) -> Prepared:
    """Turn a history into a :class:`Prepared` one (see the module notes).

    Parameters
    ----------
    history
        Returns read by :func:`reportgen.sources.ssda903.read.read_history`. When the Header has an
        ``LA`` column (several authorities' children in one history, as in the benchmark) each
        child belongs to its LA; otherwise every child belongs to ``authority``.
    authority
        The authority's GSS code.
    options
        :class:`EngineOptions` (defaults when ``None``).
    """
    options = options or DEFAULT_OPTIONS
    tables = history.tables
    header = tables["Header"]
    episodes = tables["Episodes"]
    child_ids, child_codes = _child_codes(tables)
    n = len(child_ids)

    # children (a row with a blank CHILD belongs to nobody: it is left out; validation reports
    # it as an error)
    in_header = child_codes["Header"]
    named = in_header >= 0
    in_header = in_header[named]
    if "LA" in header.columns:
        la_values, la_uniques = _factorize(header["LA"])
        la_codes = [str(u) for u in la_uniques]
        child_la = np.zeros(n, dtype=np.int64)
        child_la[in_header] = np.maximum(la_values, 0)[named]
    else:
        la_codes = [authority]
        child_la = np.zeros(n, dtype=np.int64)
    dob = np.full(n, NAT, dtype=np.int64)
    dob[in_header] = parse_days(header["DOB"])[named]
    for table in ("OC3", "UASC", "AD1", "PlacedAdoption"):  # children missing from the Header
        if table in tables and "DOB" in tables[table]:
            codes_ = child_codes[table]
            lacking = np.flatnonzero((codes_ >= 0) & (dob[codes_] == NAT))
            if len(lacking):
                found = parse_days(tables[table]["DOB"].iloc[lacking])
                dob[codes_[lacking]] = np.where(found != NAT, found, dob[codes_[lacking]])
    sex_lookup = dict.fromkeys(SEX_MALE, 1) | dict.fromkeys(SEX_FEMALE, 2)
    sex = np.zeros(n, dtype=np.int8)
    sex[in_header] = _lookup_frame(header["SEX"], sex_lookup, 0)[named]
    ethnic_lookup = {
        code: ETHNIC_GROUPS.index(group)
        for group, members in _groups("ETHNIC").items()
        for code in members
    }
    ethnic = np.full(n, ETHNIC_GROUPS.index("not_known"), dtype=np.int8)
    ethnic[in_header] = _lookup_frame(
        header["ETHNIC"], ethnic_lookup, ETHNIC_GROUPS.index("not_known")
    )[named]

    # episodes with a CHILD, sorted by child then DECOM (``order``: rows of the Episodes table)
    e_child = child_codes["Episodes"]
    e_decom = parse_days(episodes["DECOM"])
    named = np.flatnonzero(e_child >= 0)
    order = named[sort_order([e_child[named], e_decom[named]])]
    e_child, e_decom = e_child[order], e_decom[order]
    e_dec = parse_days(episodes["DEC"])[order]
    e_dec = np.where(e_dec == NAT, OPEN, e_dec)
    e_rec = _index(episodes["REC"], REC_CODES)[order]
    fixed = e_rec == REC_CODES.index(EPISODE_FIX_REC)
    e_end = np.where(fixed, e_dec + 1, e_dec)
    e_rne = _index(episodes["RNE"], RNE_CODES)[order]
    e_ls = _index(episodes["LS"], LS_CODES)[order]
    e_place = _index(episodes["PLACE"], PLACE_CODES)[order]
    e_provider = _index(episodes["PLACE_PROVIDER"], PROVIDER_CODES)[order]
    e_year = episodes["YEAR"].to_numpy()[order].astype(np.int64)
    e_rec_group = _rec_groups(e_rec, np.where(e_dec == OPEN, NAT, e_dec))
    m = len(e_child)

    rows = np.arange(m)
    is_s = e_rne == RNE_CODES.index("S")
    e_short = _flags(LS_CODES, SHORT_BREAK)[e_ls]
    e_temp = _flags(PLACE_CODES, TEMPORARY)[e_place]
    is_x1 = e_rec == REC_CODES.index("X1")
    same_prev = ~run_starts(e_child)
    prev_x1 = np.roll(is_x1, 1) & same_prev

    # periods of care
    new_poc = ~same_prev | ~prev_x1 | is_s
    e_poc = np.cumsum(new_poc) - 1
    poc_first = np.flatnonzero(new_poc)
    poc_last = np.r_[poc_first[1:] - 1, m - 1] if m else np.array([], dtype=np.int64)
    poc_start_known = is_s[poc_first]
    short_count = np.bincount(e_poc, weights=e_short, minlength=len(poc_first))
    poc_all_short = short_count == (poc_last - poc_first + 1)

    # temporary placements: the row whose placement counts, and returns to the same placement
    if options.ignore_temporary:
        candidate = np.maximum.accumulate(np.where(~e_temp, rows, -1)) if m else rows
        usable = e_temp & (candidate >= 0)
        usable &= e_poc[np.maximum(candidate, 0)] == e_poc
        e_eff = np.where(usable, candidate, rows)
    else:
        e_eff = rows.copy()
    same_poc_prev = same_prev & ~new_poc
    prev_rows = np.maximum(rows - 1, 0)
    after_temp = same_poc_prev & e_temp[prev_rows]
    before = e_eff[prev_rows]  # the placement before the temporary one
    e_return_same = after_temp & ~e_temp[before] & (e_place == e_place[before])
    candidates = np.flatnonzero(e_return_same)  # few rows: compare their PL_POST text
    if len(candidates):
        posts = episodes["PL_POST"]
        here = posts.iloc[order[candidates]].to_numpy(dtype=object)
        there = posts.iloc[order[before[candidates]]].to_numpy(dtype=object)
        here_n, there_n = pd.Series(here).isna().to_numpy(), pd.Series(there).isna().to_numpy()
        same = here_n | there_n
        same[~same] = _squeeze(here[~same]) == _squeeze(there[~same])
        e_return_same[candidates] = same
    if not options.ignore_temporary:
        e_return_same = np.zeros(m, dtype=bool)
        skip_temp = np.zeros(m, dtype=bool)
    else:
        skip_temp = e_temp

    # placements (stability_3plus_pct): a start of care, or a move as the options define it
    moves = _flags(RNE_CODES, options.moves)[e_rne]
    e_placement_start = (is_s | moves) & ~skip_temp & ~e_return_same & ~e_short

    # carers (stability_long_term_pct, A10)
    new_carer_rne = _flags(RNE_CODES, ("P", "B"))[e_rne]
    with_carer = _flags(PLACE_CODES, ADOPTION_WITH_CARER)[e_place]
    carer_break = new_poc | (new_carer_rne & ~e_temp & ~e_return_same & ~with_carer)
    if options.ffa_is_new_carer:
        is_ffa = _flags(PLACE_CODES, FFA)[e_place]
        prev_ffa = _flags(PLACE_CODES, FFA)[e_place[before]]
        carer_break |= same_poc_prev & is_ffa & ~prev_ffa
    e_chain = np.cumsum(carer_break) - 1
    chain_first = np.flatnonzero(carer_break)

    years = tuple(history.years)
    tables_by_year = {
        name: frozenset(y for y, ret in history.returns.items() if ret.has(name))
        for name in ("Header", "Episodes", "UASC", "AD1", "PlacedAdoption", "OC3")
    }
    kept = {
        name: tables[name] for name in ("UASC", "AD1", "PlacedAdoption", "OC3") if name in tables
    }
    for name, frame in kept.items():
        codes_ = child_codes[name]
        frame = frame.assign(_CHILD=codes_)
        kept[name] = frame if (codes_ >= 0).all() else frame[codes_ >= 0]
    return Prepared(
        years=years,
        first_day=to_day(date(years[0] - 1, 4, 1)),
        last_day=to_day(date(years[-1], 3, 31)),
        la_codes=la_codes,
        tables_by_year=tables_by_year,
        child_ids=child_ids,
        child_la=child_la,
        dob=dob,
        sex=sex,
        ethnic_group=ethnic,
        e_child=e_child,
        e_decom=e_decom,
        e_dec=e_dec,
        e_end=e_end,
        e_rne=e_rne,
        e_ls=e_ls,
        e_place=e_place,
        e_provider=e_provider,
        e_rec=e_rec,
        e_rec_group=e_rec_group,
        e_year=e_year,
        e_source=order,
        postcodes=episodes[["HOME_POST", "PL_POST"]],
        e_short=e_short,
        e_temp=e_temp,
        e_eff=e_eff,
        e_return_same=e_return_same,
        e_placement_start=e_placement_start,
        e_poc=e_poc,
        e_chain=e_chain,
        poc_first=poc_first,
        poc_last=poc_last,
        poc_start_known=poc_start_known,
        poc_all_short=poc_all_short,
        chain_first=chain_first,
        options=options,
        tables=kept,
    )
