"""English local authorities with children's services, built from the shipped published data.

Which authorities
-----------------
:func:`all_authorities` returns the authorities on **current boundaries**: the local-authority rows
of ``cla_number_and_rate_per_10k_children`` that have a child population (a numeric
``population_estimate``) in the latest published year. That is 153 authorities for the 2025 release,
exactly the 153 of the DfE statistical neighbour model 2025:

* ``Cumbria`` (909) and ``Northamptonshire`` (928) are left out: they no longer exist (population
  ``x`` and counts ``z`` in the latest year). :func:`lookup` names their successors.
* ``Isles of Scilly`` (420) is **included**: it is a current authority with a child population and
  statistical neighbours, but the DfE publishes no count of its children looked after in any year
  (``z``). :func:`published_years` is therefore empty for it, and a report from the published source
  is refused with a clear message (its own 903 returns can still be used).
* ``City of London`` (201) is included; its 2025 count is suppressed (``c``), which still counts as
  published (the figure exists but is withheld).

Each authority's name, codes and region come from the latest year in which it has a count that is
not ``z`` (the latest year it appears, for Isles of Scilly). ``region`` is the published
``region_name`` of the LA rows: London boroughs have ``Inner London`` or ``Outer London`` (the DfE
sub-regions, which also have their own regional rows), other authorities one of the 8 other English
regions. Statistical neighbours are the ``SN_1`` ... ``SN_10`` columns of ``sn_model_2025_wide``,
closest first, mapped from 3-digit codes to GSS codes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from reportgen.core.errors import DataError, UnknownAuthorityError
from reportgen.core.periods import year_label
from reportgen.core.tables import load_table

CLA_TABLE = "cla_number_and_rate_per_10k_children"
SN_TABLE = "sn_model_2025_wide"
CLA_POPULATION = "Children looked after on 31 March each year"
"""The ``population_type`` whose ``children_count`` decides whether an LA has published data."""

FORMER_SUCCESSORS: dict[str, tuple[str, ...]] = {
    "909": ("942", "943"),  # Cumbria -> Cumberland, Westmorland and Furness (April 2023)
    "928": ("940", "941"),  # Northamptonshire -> North / West Northamptonshire (April 2021)
}
"""Abolished authorities in the published tables and the old codes of their successors."""

COMMON_ALIASES: dict[str, str] = {
    "hull": "810",
    "durham": "840",
    "bcp": "839",
}
"""Everyday names (normalised) for authorities whose published name differs, to old codes."""

_INVERTED = re.compile(r"^(?P<main>.+), (?P<qualifier>(?:City|County) of)$")
_QUERY_SUFFIXES = (
    " metropolitan borough council",
    " county borough council",
    " borough council",
    " county council",
    " city council",
    " council",
)
_QUERY_PREFIXES = ("london borough of ", "royal borough of ", "the ")
_MAX_LISTED = 5


def display_name(name: str) -> str:
    """The name as a report says it: the DfE's "Bristol, City of" reads "Bristol".

    Examples
    --------
    >>> display_name("Herefordshire, County of"), display_name("Kingston upon Hull, City of")
    ('Herefordshire', 'Kingston upon Hull')
    >>> display_name("Leicestershire")
    'Leicestershire'
    """
    match = _INVERTED.match(name)
    return match["main"] if match else name


@dataclass(frozen=True)
class Authority:
    """An English local authority with children's services.

    Parameters
    ----------
    gss
        9-character ONS (GSS) code, e.g. ``"E10000018"``.
    old_code
        3-digit DfE LA number as text, e.g. ``"855"``.
    name
        Name as published by the DfE, e.g. ``"Leicestershire"``, ``"Bristol, City of"``.
    region
        Published ``region_name`` (``"Inner London"`` / ``"Outer London"`` for London boroughs).
    neighbours
        GSS codes of the 10 DfE statistical neighbours (2025 model), closest first.
    """

    gss: str
    old_code: str
    name: str
    region: str
    neighbours: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.name} ({self.gss}, {self.old_code})"


@dataclass(frozen=True)
class _Tables:
    """Everything :func:`lookup` and friends need, built once from the published data."""

    current: tuple[Authority, ...]
    by_gss: dict[str, Authority]
    by_old_code: dict[str, Authority]
    keys: dict[str, frozenset[str]]  # normalised name or alias -> GSS codes
    former: dict[str, tuple[str, str, str, int]]  # key -> (gss, old code, name, last year)
    published_years: dict[str, tuple[int, ...]]
    latest_year: int


def normalise_name(text: str) -> str:
    """Fold a name for matching: lower case, ``&`` as ``and``, no punctuation, single spaces.

    Examples: ``" St. Helens "`` -> ``"st helens"``, ``"Brighton & Hove"`` -> ``"brighton and
    hove"``, ``"Stoke-on-Trent"`` -> ``"stoke on trent"``.
    """
    folded = text.casefold().replace("&", " and ").replace("-", " ")
    folded = re.sub(r"[.,'’()]", " ", folded)
    return " ".join(folded.split())


def _name_keys(name: str) -> set[str]:
    """Every normalised spelling accepted for a published name."""
    keys = {normalise_name(name)}
    inverted = _INVERTED.match(name)
    if inverted:  # "Bristol, City of" -> "bristol", "city of bristol"
        main, qualifier = inverted["main"], inverted["qualifier"]
        keys |= {normalise_name(main), normalise_name(f"{qualifier} {main}")}
    for key in list(keys):
        if key.startswith("st "):
            keys.add("saint " + key[3:])
    return keys


@cache
def _tables() -> _Tables:
    """Build the authority tables from the published data (cached for the process)."""
    cla = load_table(CLA_TABLE)
    rows = cla[
        (cla["geographic_level"] == "Local authority") & (cla["population_type"] == CLA_POPULATION)
    ]
    if rows.empty:  # pragma: no cover - the shipped data has these rows
        raise DataError(f"published table '{CLA_TABLE}' has no local-authority rows")
    latest_year = int(cla["time_period"].max())
    has_count = rows["children_count_marker"].ne("z") & (
        rows["children_count"].notna() | rows["children_count_marker"].notna()
    )
    published = (
        rows[has_count]
        .groupby("old_la_code")["time_period"]
        .agg(lambda s: tuple(sorted(int(y) for y in set(s))))
        .to_dict()
    )
    # Latest row per LA, preferring rows with a published count.
    ranked = rows.assign(_has=has_count.astype(int)).sort_values(
        ["old_la_code", "_has", "time_period"]
    )
    facts = ranked.groupby("old_la_code").tail(1).set_index("old_la_code")
    latest = rows[rows["time_period"] == latest_year]
    current_codes = sorted(latest.loc[latest["population_estimate"].notna(), "old_la_code"])

    old_to_gss = facts["new_la_code"].to_dict()
    sn = load_table(SN_TABLE).set_index("old_la_code")
    missing = sorted(set(current_codes) - set(sn.index))
    if missing:  # pragma: no cover - checked by the tests on the shipped data
        raise DataError(f"'{SN_TABLE}' has no statistical neighbours for old codes {missing}")

    current = []
    for code in current_codes:
        sn_codes = [str(sn.at[code, f"SN_{i}"]) for i in range(1, 11)]
        unknown = [c for c in sn_codes if c not in old_to_gss]
        if unknown:  # pragma: no cover
            raise DataError(f"'{SN_TABLE}': neighbours {unknown} of {code} are not known LAs")
        row = facts.loc[code]
        current.append(
            Authority(
                gss=str(row["new_la_code"]),
                old_code=str(code),
                name=str(row["la_name"]),
                region=str(row["region_name"]),
                neighbours=tuple(old_to_gss[c] for c in sn_codes),
            )
        )
    current.sort(key=lambda a: (normalise_name(a.name), a.gss))

    keys: dict[str, set[str]] = {}
    for authority in current:
        for key in _name_keys(authority.name) | {authority.gss.casefold(), authority.old_code}:
            keys.setdefault(key, set()).add(authority.gss)
    by_old_code = {a.old_code: a for a in current}
    for alias, code in COMMON_ALIASES.items():
        keys.setdefault(alias, set()).add(by_old_code[code].gss)

    former: dict[str, tuple[str, str, str, int]] = {}
    for code, row in facts.drop(index=current_codes).iterrows():
        years = published.get(code, ())
        entry = (str(row["new_la_code"]), str(code), str(row["la_name"]), max(years, default=0))
        for key in _name_keys(str(row["la_name"])) | {entry[0].casefold(), str(code)}:
            former[key] = entry

    return _Tables(
        current=tuple(current),
        by_gss={a.gss: a for a in current},
        by_old_code=by_old_code,
        keys={k: frozenset(v) for k, v in keys.items()},
        former=former,
        published_years={a.gss: tuple(published.get(a.old_code, ())) for a in current},
        latest_year=latest_year,
    )


def all_authorities() -> tuple[Authority, ...]:
    """The 153 authorities on current boundaries, sorted by name.

    Returns
    -------
    tuple of Authority
        See the module documentation for which authorities are included and why.
    """
    return _tables().current


def latest_published_year() -> int:
    """The latest collection year in the published CLA table, as the year it ends in (2025)."""
    return _tables().latest_year


def published_years(authority: Authority | str) -> tuple[int, ...]:
    """Collection years (ending-year ints) in which the authority has a published CLA count.

    A suppressed count (``c``) counts as published; ``z`` (not applicable) does not.

    Parameters
    ----------
    authority
        An :class:`Authority` or anything :func:`lookup` accepts.

    Returns
    -------
    tuple of int
        Ascending, e.g. ``(2024, 2025)`` for Cumberland; empty for Isles of Scilly.
    """
    found = authority if isinstance(authority, Authority) else lookup(authority)
    return _tables().published_years[found.gss]


def published_year_labels(authority: Authority | str) -> tuple[str, ...]:
    """:func:`published_years` as labels, e.g. ``("2023-24", "2024-25")``."""
    return tuple(year_label(y) for y in published_years(authority))


def get(gss: str) -> Authority:
    """The authority with this GSS code (exact, upper case), via :func:`lookup` if not found."""
    found = _tables().by_gss.get(gss)
    return found if found is not None else lookup(gss)


def lookup(query: str) -> Authority:
    """Find one authority by GSS code, 3-digit DfE code or name.

    Matching ignores case, extra white space and punctuation; ``&`` equals ``and``; published
    names such as ``"Bristol, City of"`` also match ``"Bristol"`` and ``"City of Bristol"``;
    ``"St Helens"`` equals ``"St. Helens"`` and ``"Saint Helens"``; a trailing ``"County
    Council"``/``"City Council"``/``"Council"`` or a leading ``"London Borough of"`` is ignored;
    ``"Hull"``, ``"Durham"`` and ``"BCP"`` are accepted. A prefix is never accepted on its own:
    it is reported as ambiguous or offered as a suggestion.

    Parameters
    ----------
    query
        E.g. ``"E10000018"``, ``"855"``, ``"leicestershire"``, ``"  Southwark "``.

    Returns
    -------
    Authority

    Raises
    ------
    UnknownAuthorityError
        One line: the query, up to 3 close matches (name, GSS, old code) or the ambiguous
        candidates, and where to see the full list.
    """
    tables = _tables()
    text = " ".join(str(query).split())
    if not text:
        raise UnknownAuthorityError(
            f"no authority given: give a name, GSS code or 3-digit DfE code. {_list_hint()}"
        )
    for key in _query_keys(text):
        matches = tables.keys.get(key)
        if matches is None:
            continue
        if len(matches) == 1:
            return tables.by_gss[next(iter(matches))]
        raise UnknownAuthorityError(_ambiguous(text, sorted(matches)))

    key = normalise_name(text)
    if key in tables.former:
        raise UnknownAuthorityError(_former_message(text, tables.former[key]))

    candidates = _prefix_candidates(key)
    if len(candidates) > 1:
        raise UnknownAuthorityError(_ambiguous(text, candidates))
    suggestions = candidates + [g for g in _close_matches(key) if g not in candidates]
    suggestions = suggestions[:3]
    if suggestions:
        raise UnknownAuthorityError(
            f"unknown authority '{text}': did you mean {_join_or(_describe(suggestions))}? "
            f"{_list_hint()}"
        )
    raise UnknownAuthorityError(
        f"unknown authority '{text}': no authority has a similar name or code. {_list_hint()}"
    )


def _query_keys(text: str) -> list[str]:
    """The normalised forms of a query to try, most literal first."""
    key = normalise_name(text)
    keys = [key]
    stripped = key
    for prefix in _QUERY_PREFIXES:
        if stripped.startswith(prefix):
            stripped = stripped[len(prefix) :]
    for suffix in _QUERY_SUFFIXES:
        if stripped.endswith(suffix) and len(stripped) > len(suffix):
            stripped = stripped[: -len(suffix)]
            break
    if stripped != key:
        keys.append(stripped)
    return keys


def _prefix_candidates(key: str) -> list[str]:
    """GSS codes of authorities whose name, or a word-aligned part of it, starts with ``key``."""
    if len(key) < 2:
        return []
    found = []
    for authority in _tables().current:
        name = normalise_name(authority.name)
        if f" {key}" in f" {name}":
            found.append(authority.gss)
    return found


def _close_matches(key: str) -> list[str]:
    """GSS codes of the authorities whose names (or codes) are closest to ``key``."""
    tables = _tables()
    pool: dict[str, str] = {}
    for authority in tables.current:
        for name_key in _name_keys(authority.name):
            pool.setdefault(name_key, authority.gss)
        pool.setdefault(authority.gss.casefold(), authority.gss)
        pool.setdefault(authority.old_code, authority.gss)
    found = []
    for match in difflib.get_close_matches(key, list(pool), n=10, cutoff=0.6):
        if pool[match] not in found:
            found.append(pool[match])
    return found


def _describe(codes: list[str]) -> list[str]:
    by_gss = _tables().by_gss
    return [str(by_gss[code]) for code in codes]


def _join_or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"


def _list_hint() -> str:
    return f"Run 'reportgen list-authorities' to see all {len(_tables().current)}."


def _ambiguous(text: str, codes: list[str]) -> str:
    described = _describe(codes[:_MAX_LISTED])
    more = len(codes) - len(described)
    listed = _join_or(described) if not more else f"{', '.join(described)} and {more} more"
    return (
        f"ambiguous authority '{text}': it matches {listed}; "
        f"give the full name, the GSS code or the 3-digit code. {_list_hint()}"
    )


def _former_message(text: str, entry: tuple[str, str, str, int]) -> str:
    gss, code, name, last_year = entry
    by_old_code = _tables().by_old_code
    successors = [str(by_old_code[c]) for c in FORMER_SUCCESSORS.get(code, ()) if c in by_old_code]
    last = f"its last published year is {year_label(last_year)}" if last_year else "no data"
    instead = f"; use {_join_or(successors)}" if successors else ""
    return (
        f"authority '{text}' is {name} ({gss}, {code}), which no longer exists ({last}){instead}. "
        f"{_list_hint()}"
    )


def authorities_frame() -> pd.DataFrame:
    """The authorities as a table (for ``reportgen list-authorities``).

    Returns
    -------
    pandas.DataFrame
        Columns ``gss``, ``old_code``, ``name``, ``region``, ``published_years`` (labels joined
        with ", "), sorted by name.
    """
    tables = _tables()
    return pd.DataFrame(
        {
            "gss": [a.gss for a in tables.current],
            "old_code": [a.old_code for a in tables.current],
            "name": [a.name for a in tables.current],
            "region": [a.region for a in tables.current],
            "published_years": [
                ", ".join(year_label(y) for y in tables.published_years[a.gss])
                for a in tables.current
            ],
        }
    )
