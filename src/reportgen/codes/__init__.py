"""SSDA903 code lists per collection year, kept as data in the YAML files beside this module.

Each YAML file maps a *field* (usually the 903 column name, e.g. ``PLACE``) to its title and codes.
A code has a ``meaning``, a main ``group`` (e.g. ``foster``), optional extra groupings under
``groups`` (e.g. ``dfe_group``, the label the DfE publishes), the collection years it is valid in
(``valid_from`` / ``valid_to``, inclusive *end* years: ``2025`` is 2024-25), and for placements a
date after which an episode may no longer be open in it (``must_end_by``) and minimum ages by year.
A field can serve several columns (``columns``: the OC2 0/1 flags share one list).

Years are collection end years throughout, as in :mod:`reportgen.sources.ssda903.read`.

Examples
--------
>>> "K3" in valid_codes("PLACE", 2024), "K3" in valid_codes("PLACE", 2025)
(False, True)
>>> sorted(valid_codes("SEX", 2025))
['F', 'M', 'U']
>>> group_of("REC", "E44", 2018), group_of("REC", "E44", 2019), group_of("REC", "E46", 2019)
('sgo', None, 'sgo')
>>> group_of("PLACE", "U1", 2025, grouping="dfe_group")
'Foster placements'
>>> describe("ACCOM", "z1")
'With former foster carers (staying put): suitable'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from reportgen.core.periods import year_label

CODES_DIR = Path(__file__).resolve().parent
"""Folder of the YAML code lists."""

_FIELD_KEYS = frozenset({"title", "codes", "columns"})
_CODE_KEYS = frozenset(
    {"meaning", "group", "groups", "valid_from", "valid_to", "must_end_by", "min_age", "note"}
)
_AGE_KEYS = frozenset({"from", "to", "age"})


class CodeListError(Exception):
    """A YAML code list that does not follow the format (a bug in the shipped data)."""


@dataclass(frozen=True)
class MinAge:
    """A minimum age at the start of an episode, for a span of collection years (inclusive)."""

    age: int
    from_year: int | None = None
    to_year: int | None = None

    def applies(self, year: int) -> bool:
        """True when this minimum age holds in collection year ``year``."""
        return (self.from_year is None or year >= self.from_year) and (
            self.to_year is None or year <= self.to_year
        )


@dataclass(frozen=True)
class CodeInfo:
    """One code of one field, as written in the YAML.

    Attributes
    ----------
    field, code
        The field (e.g. ``PLACE``) and the code (upper case, e.g. ``U1``).
    meaning
        Plain-English meaning.
    group
        Main grouping (``None`` when the code has none, e.g. REC ``X1``).
    groups
        Other named groupings, e.g. ``{"dfe_group": "Foster placements"}``.
    valid_from, valid_to
        First and last collection (end) year in which the code is valid; ``None`` = open-ended.
    must_end_by
        An episode with this code must have ended on or before this date (P2: 28 October 2023).
    min_age
        Minimum ages (in whole years at the episode start) by collection year.
    note
        Source or caveat.
    """

    field: str
    code: str
    meaning: str
    group: str | None = None
    groups: Mapping[str, str] = field(default_factory=dict)
    valid_from: int | None = None
    valid_to: int | None = None
    must_end_by: dt.date | None = None
    min_age: tuple[MinAge, ...] = ()
    note: str | None = None

    def valid_in(self, year: int) -> bool:
        """True when the code is valid in collection year ``year``."""
        return (self.valid_from is None or year >= self.valid_from) and (
            self.valid_to is None or year <= self.valid_to
        )

    def min_age_in(self, year: int) -> int | None:
        """The minimum age for this code in collection year ``year`` (``None``: no minimum)."""
        ages = [rule.age for rule in self.min_age if rule.applies(year)]
        return max(ages) if ages else None

    def validity(self) -> str:
        """When the code is valid, in words: ``"valid from 2024-25"``, ``"valid in all years"``."""
        if self.valid_from is None and self.valid_to is None:
            return "valid in all years"
        if self.valid_from is None:
            return f"valid up to {year_label(self.valid_to)}"  # type: ignore[arg-type]
        if self.valid_to is None:
            return f"valid from {year_label(self.valid_from)}"
        return f"valid from {year_label(self.valid_from)} to {year_label(self.valid_to)}"


@dataclass(frozen=True)
class FieldInfo:
    """A field's code list: title, the columns it applies to, and its codes."""

    name: str
    title: str
    columns: tuple[str, ...]
    codes: Mapping[str, CodeInfo]
    source: str


def _norm(value: object) -> str:
    return str(value).strip().upper()


def _year(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        raise CodeListError(f"{where}: a year must be a 4-digit collection end year, not {value!r}")
    return value


def _parse_code(name: str, code: object, spec: object, source: str) -> CodeInfo:
    where = f"{source}: {name} code {code!r}"
    if not isinstance(code, str):
        # YAML reads unquoted YES/NO/ON/OFF as booleans and 0/1 as numbers: quote every code.
        raise CodeListError(f"{where}: quote the code so YAML reads it as text")
    if not isinstance(spec, dict) or not isinstance(spec.get("meaning"), str):
        raise CodeListError(f"{where}: needs a mapping with a 'meaning'")
    unknown = set(spec) - _CODE_KEYS
    if unknown:
        raise CodeListError(f"{where}: unknown keys {sorted(unknown)}")
    groups = spec.get("groups") or {}
    if not isinstance(groups, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in groups.items()
    ):
        raise CodeListError(f"{where}: 'groups' must map names to quoted text")
    group = spec.get("group")
    if group is not None and not isinstance(group, str):
        raise CodeListError(f"{where}: 'group' must be quoted text or null")
    must_end_by = spec.get("must_end_by")
    if isinstance(must_end_by, str):
        must_end_by = dt.date.fromisoformat(must_end_by)
    if must_end_by is not None and not isinstance(must_end_by, dt.date):
        raise CodeListError(f"{where}: 'must_end_by' must be a date (YYYY-MM-DD)")
    ages = []
    for rule in spec.get("min_age") or []:
        if not isinstance(rule, dict) or set(rule) - _AGE_KEYS or "age" not in rule:
            raise CodeListError(f"{where}: each min_age needs 'age' and optional 'from'/'to'")
        ages.append(
            MinAge(
                age=int(rule["age"]),
                from_year=_year(rule.get("from"), where),
                to_year=_year(rule.get("to"), where),
            )
        )
    info = CodeInfo(
        field=name,
        code=_norm(code),
        meaning=spec["meaning"],
        group=group,
        groups=dict(groups),
        valid_from=_year(spec.get("valid_from"), where),
        valid_to=_year(spec.get("valid_to"), where),
        must_end_by=must_end_by,
        min_age=tuple(ages),
        note=spec.get("note"),
    )
    if info.valid_from and info.valid_to and info.valid_from > info.valid_to:
        raise CodeListError(f"{where}: valid_from is after valid_to")
    return info


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about 10x faster), else the pure-Python one."""


@cache
def _load(directory: Path = CODES_DIR) -> tuple[dict[str, FieldInfo], dict[str, str]]:
    """Read every YAML file once: fields by name, and column name -> field name."""
    fields: dict[str, FieldInfo] = {}
    columns: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_SAFE_LOADER) or {}
        if not isinstance(data, dict):
            raise CodeListError(f"{path.name}: expected a mapping of field names")
        for name, spec in data.items():
            if not isinstance(name, str) or not isinstance(spec, dict):
                raise CodeListError(f"{path.name}: field {name!r} must be a mapping")
            name = _norm(name)
            if name in fields:
                raise CodeListError(f"{path.name}: field {name} is also in {fields[name].source}")
            if set(spec) - _FIELD_KEYS or "codes" not in spec:
                raise CodeListError(f"{path.name}: field {name} needs 'title' and 'codes' only")
            codes = {}
            for code, code_spec in (spec["codes"] or {}).items():
                info = _parse_code(name, code, code_spec, path.name)
                if info.code in codes:
                    raise CodeListError(f"{path.name}: {name} code {info.code} is listed twice")
                codes[info.code] = info
            cols = tuple(_norm(c) for c in spec.get("columns") or [name])
            fields[name] = FieldInfo(
                name=name,
                title=str(spec.get("title") or name),
                columns=cols,
                codes=codes,
                source=path.name,
            )
            for col in cols:
                if col in columns:
                    raise CodeListError(f"{path.name}: column {col} already uses {columns[col]}")
                columns[col] = name
    return fields, columns


def fields() -> tuple[str, ...]:
    """Names of all fields with a code list."""
    return tuple(sorted(_load()[0]))


def field_info(name: str) -> FieldInfo:
    """The code list of a field, looked up by field or column name (case-insensitive).

    Raises
    ------
    KeyError
        When no code list covers ``name``.
    """
    all_fields, columns = _load()
    key = _norm(name)
    key = columns.get(key, key)
    if key not in all_fields:
        raise KeyError(
            f"no 903 code list for {name!r}; known fields: {', '.join(sorted(all_fields))}"
        )
    return all_fields[key]


def field_for_column(column: str) -> str | None:
    """The field whose code list checks ``column``, or ``None`` for columns without one."""
    return _load()[1].get(_norm(column))


def code_info(field_name: str, code: object) -> CodeInfo | None:
    """A code's details, or ``None`` when ``code`` is not a code of the field in any year."""
    if code is None or (isinstance(code, float) and code != code):
        return None
    return field_info(field_name).codes.get(_norm(code))


@cache
def _valid_codes(name: str, year: int) -> frozenset[str]:
    return frozenset(c for c, info in field_info(name).codes.items() if info.valid_in(year))


def valid_codes(field_name: str, year: int) -> frozenset[str]:
    """Codes of a field that are valid in a collection year.

    Parameters
    ----------
    field_name
        Field or column name, e.g. ``"PLACE"`` or ``"CONVICTED"`` (case-insensitive).
    year
        Collection end year (``2025`` for 2024-25). A code valid in part of the year only (P2 in
        2023-24 and 2024-25, see :attr:`CodeInfo.must_end_by`) is included.

    Returns
    -------
    frozenset of str
        Upper-case codes.
    """
    return _valid_codes(field_info(field_name).name, int(year))


def group_of(field_name: str, code: object, year: int, grouping: str = "group") -> str | None:
    """The group of a code in a collection year.

    Parameters
    ----------
    field_name
        Field or column name.
    code
        The code (case and surrounding spaces ignored).
    year
        Collection end year.
    grouping
        ``"group"`` for the main group, or the name of another grouping (``"dfe_group"``,
        ``"carer"``, ``"type"``, ...).

    Returns
    -------
    str or None
        ``None`` when the code is unknown, not valid in ``year``, or has no such group.
    """
    info = code_info(field_name, code)
    if info is None or not info.valid_in(int(year)):
        return None
    if grouping == "group":
        return info.group
    return info.groups.get(grouping)


def codes_in_group(
    field_name: str, group: str | Iterable[str], year: int, grouping: str = "group"
) -> frozenset[str]:
    """Codes valid in ``year`` whose ``grouping`` is ``group`` (or one of several groups).

    >>> sorted(codes_in_group("REC", "adopted", 2025))
    ['E11', 'E12']
    """
    wanted = {group} if isinstance(group, str) else set(group)
    return frozenset(
        code
        for code in valid_codes(field_name, year)
        if group_of(field_name, code, year, grouping) in wanted
    )


def describe(field_name: str, code: object) -> str:
    """The meaning of a code in plain English (any year).

    Returns
    -------
    str
        The meaning, or ``"unknown PLACE code 'XX'"`` for a code that is not in the list.
    """
    info = code_info(field_name, code)
    if info is None:
        return f"unknown {field_info(field_name).name} code {code!r}"
    return info.meaning
