"""Read an authority's own SSDA903 ("903") returns: one folder of DfE-format CSVs per year.

Conventions (``indicators.md`` sections 1, 2 and 8):

* A table is identified by its **exact set of column names**, not by its file name, as the DfE
  validator does. Header and Episodes are required; every other table is optional.
* Cells are read as text. Surrounding whitespace is stripped, blank cells become missing (NaN) and
  text is upper-cased (``u4`` reads as ``U4``), as the DfE validator does; header names are stripped
  and upper-cased too. A UTF-8 byte-order mark is ignored. Files that are not UTF-8 are read as
  Windows-1252 (the encoding Excel uses for "CSV" on English Windows) with a warning; binary
  files (an ``.xlsx`` renamed ``.csv``, UTF-16 text) are refused with a message saying how to
  re-save them.
* Dates stay as the ``dd/mm/YYYY`` strings of the file; :meth:`Return.dates` parses a column. The
  index of every table is the row number as a spreadsheet shows it (header = row 1, first data
  row = 2), so a problem can always be traced back to the file.
* Years are collection *end* years: ``2025`` is 2024-25, 1 April 2024 to 31 March 2025.

Several returns combine into a :class:`History` (:func:`read_history`): episodes de-duplicated
on CHILD + DECOM (later returns supersede earlier ones) and episodes left open in an older return
closed as liia-tools ``episodes_fix`` does; the Header keeps each child's latest row; other tables
are concatenated with a ``YEAR`` column.
"""

from __future__ import annotations

import csv
import io
import os
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from reportgen.core.errors import DataError
from reportgen.core.periods import year_label
from reportgen.core.redact import redact

TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "AD1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": (
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}
"""The 903 tables and their exact columns, in DfE order (V ``lac_validator/config.py``)."""

REQUIRED_TABLES: tuple[str, ...] = ("Header", "Episodes")
"""Tables every return must have."""

FIRST_YEAR: dict[str, int] = {"SWEpisodes": 2024, "DoLo": 2027}
"""Tables collected only from a given collection year (SWEpisodes 2023-24, DoLo 2026-27)."""

DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "Header": ("DOB", "MC_DOB"),
    "Episodes": ("DECOM", "DEC"),
    "UASC": ("DOB", "DUC"),
    "Reviews": ("DOB", "REVIEW"),
    "AD1": ("DOB", "DATE_INT", "DATE_MATCH"),
    "PlacedAdoption": ("DOB", "DATE_PLACED", "DATE_PLACED_CEASED"),
    "PrevPerm": ("DOB", "DATE_PERM"),
    "OC2": ("DOB",),
    "OC3": ("DOB",),
    "Missing": ("DOB", "MIS_START", "MIS_END"),
    "SWEpisodes": ("DOB", "SW_DECOM", "SW_DEC"),
    "DoLo": ("DOB", "DOLO_START", "DOLO_END"),
}
"""Date columns (``dd/mm/YYYY``) of each table. PrevPerm.DATE_PERM may be ``ZZ/MM/YYYY``."""

KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD",),
    "Episodes": ("CHILD", "DECOM"),
    "UASC": ("CHILD",),
    "Reviews": ("CHILD", "REVIEW"),
    "AD1": ("CHILD",),
    "PlacedAdoption": ("CHILD", "DATE_PLACED"),
    "PrevPerm": ("CHILD",),
    "OC2": ("CHILD",),
    "OC3": ("CHILD",),
    "Missing": ("CHILD", "MIS_START"),
    "SWEpisodes": ("CHILD", "SW_DECOM"),
    "DoLo": ("CHILD", "DOLO_START"),
}
"""Columns that identify one row of each table (at most one row per key in a return)."""

DATE_FORMAT = "%d/%m/%Y"
"""The only date format of a 903 CSV."""

EPISODE_FIX_REC = "E99"
"""REC of an episode closed by :func:`fix_episodes` (liia-tools' marker, not a DfE code)."""

EPISODE_FIX_REASON = "LIIAF"
"""REASON_PLACE_CHANGE written on an episode closed by a placement change (liia-tools' marker)."""

Severity = str  # "error" | "warning"
T = TypeVar("T")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YEAR_NAME = re.compile(r"^(?P<first>\d{4})(?:\s*[-_/ ]\s*(?P<second>\d{4}|\d{2}))?$")


def use_system_allocator() -> bool:
    """Make the C library's allocator pyarrow's default memory pool, unless the user chose one
    (``ARROW_DEFAULT_MEMORY_POOL``). Returns whether the pool was changed.

    pyarrow's default, mimalloc, hands freed memory back to the system within milliseconds and
    takes it again for the next column; on machines with transparent huge pages always on (many
    servers and containers) each new 2 MB page is cleared first, which doubled the CPU time of
    reading and combining England's returns (1.7 of 6.3 s was the kernel clearing pages). The
    C library keeps freed memory for reuse. Process-wide: every pyarrow allocation after the
    903 reader is imported comes from that pool (the figures are unchanged).
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return False
    if pa.default_memory_pool().backend_name != "mimalloc":
        return False
    pa.set_memory_pool(pa.system_memory_pool())
    return True


use_system_allocator()


# --------------------------------------------------------------------------------------------
# Collection years and dates


def year_start(year: int) -> pd.Timestamp:
    """First day of a collection year: 1 April of ``year - 1``."""
    return pd.Timestamp(year - 1, 4, 1)


def year_end(year: int) -> pd.Timestamp:
    """Last day of a collection year: 31 March of ``year``."""
    return pd.Timestamp(year, 3, 31)


_COLUMN_CACHE: dict[int, tuple[weakref.ref, dict[str, object]]] = {}
"""What :func:`encode` and :func:`parse_dates` worked out for a text column, by the identity of
the column's (immutable) pyarrow array: every check of a return, and the continuity check
between two returns, reuse them. An entry goes when its array does."""


def _column_cache(values: pd.Series) -> dict[str, object] | None:
    """The cache entry of a column held as pyarrow strings (pandas' default ``str``), or None."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    array = values.array.__arrow_array__()  # the column's own buffers (no copy)
    key = id(array)
    entry = _COLUMN_CACHE.get(key)
    if entry is None or entry[0]() is not array:
        entry = (weakref.ref(array), {"array": weakref.ref(array)})
        _COLUMN_CACHE[key] = entry
        weakref.finalize(array, _COLUMN_CACHE.pop, key, None)
    return entry[1]


def encode(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """``pd.factorize(values)``: integer codes (-1 for blanks) and the distinct values in order of
    first appearance, as a pyarrow string array; worked out once per column.

    >>> codes, uniques = encode(pd.Series(["B", None, "A", "B"], dtype="str"))
    >>> codes.tolist(), uniques.to_pylist()
    ([0, -1, 1, 0], ['B', 'A'])
    """
    cache = _column_cache(values)
    if cache is not None and "codes" in cache:
        return cache["codes"], cache["uniques"]  # type: ignore[return-value]
    if cache is None:
        codes, found = pd.factorize(values)
        uniques = pa.array(np.asarray(found, dtype=object), pa.large_string(), from_pandas=True)
        return np.asarray(codes, dtype=np.int64), uniques
    array: pa.ChunkedArray = values.array.__arrow_array__()
    if len(array) == 0:
        codes, uniques = np.zeros(0, dtype=np.int64), pa.array([], pa.large_string())
    else:
        encoded = array.dictionary_encode().combine_chunks()
        indices = encoded.indices
        if indices.null_count:
            indices = pc.fill_null(indices, -1)
        codes = indices.to_numpy(zero_copy_only=False).astype(np.int64)
        uniques = encoded.dictionary
    cache["codes"], cache["uniques"] = codes, uniques
    return codes, uniques


def memo(values: pd.Series, key: str, depends: Sequence[pd.Series], compute: Callable[[], T]) -> T:
    """``compute()``, worked out once for a text column held as pyarrow strings and the columns
    it ``depends`` on (kept with the column, as :func:`encode` keeps its codes; found again only
    while every one of those columns is the same array). Other columns: ``compute()`` each time.
    """
    cache = _column_cache(values)
    arrays = [_arrow_of(column) for column in depends]
    if cache is None or any(array is None for array in arrays):
        return compute()
    found = cache.get(key)
    if found is not None:
        refs, result = found  # type: ignore[misc]
        if len(refs) == len(arrays) and all(r() is a for r, a in zip(refs, arrays, strict=True)):
            return result
    result = compute()
    cache[key] = ([weakref.ref(array) for array in arrays], result)
    return result


def _arrow_of(values: pd.Series) -> pa.ChunkedArray | None:
    """The pyarrow array holding a column of pyarrow strings (None for other columns)."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    return values.array.__arrow_array__()


def isin_text(values: pd.Series, texts: Iterable[str]) -> np.ndarray:
    """``values.isin(texts)`` as a boolean array (blanks False): on the column's distinct
    values when :func:`encode` has them already, else one ``pyarrow`` pass over the cells.

    >>> isin_text(pd.Series(["A", None, "b", "B"], dtype="str"), ["A", "B"]).tolist()
    [True, False, False, True]
    """
    value_set = pa.array(sorted(set(texts)), pa.large_string())
    cache = _column_cache(values)
    if cache is not None and "codes" not in cache:
        array = values.array.__arrow_array__()
        found = pc.fill_null(pc.is_in(array, value_set=value_set), False)
        return found.to_numpy(zero_copy_only=False) if len(array) else np.zeros(0, dtype=bool)
    codes, uniques = encode(values)
    found = pc.fill_null(pc.is_in(uniques, value_set=value_set), False)
    return np.append(found.to_numpy(zero_copy_only=False), False)[codes]


def first_positions(codes: np.ndarray) -> np.ndarray:
    """Position of the first row of each code, for codes numbered in order of first appearance
    (as :func:`encode` numbers them; -1 is ignored).

    >>> first_positions(np.array([0, 1, -1, 0, 2, 1])).tolist()
    [0, 1, 4]
    """
    seen = np.maximum.accumulate(np.r_[-1, codes])  # highest code so far, before each row
    return np.flatnonzero(codes > seen[:-1])


def _child_array(values: pd.Series) -> pa.ChunkedArray:
    """A CHILD column as pyarrow large strings (the column's own buffers when it has them)."""
    array = _arrow_of(values)
    if array is None:
        array = pa.array(values.array, from_pandas=True)
    if isinstance(array, pa.Array):
        array = pa.chunked_array([array])
    if array.type != pa.large_string():
        array = array.cast(pa.large_string())
    return array


def return_child_codes(
    tables: Mapping[str, pd.DataFrame],
) -> tuple[dict[str, np.ndarray], pa.Array]:
    """Every CHILD of one return numbered once: the Header's children first, then those of the
    other tables in their order in ``tables``, each in order of first appearance (-1 for a
    blank CHILD).

    Validation and :func:`combine_returns` share the numbering: it is worked out once and kept
    with the Header's CHILD column (see :func:`memo`) while every CHILD column is unchanged.

    Parameters
    ----------
    tables
        The return's tables (each with a CHILD column).

    Returns
    -------
    codes, ids
        For each table, the number of each row's CHILD (int64); the CHILD ids in number order
        (pyarrow large strings).

    >>> codes, ids = return_child_codes({
    ...     "Episodes": pd.DataFrame({"CHILD": pd.Series(["B", "C", None], dtype="str")}),
    ...     "Header": pd.DataFrame({"CHILD": pd.Series(["A", "B"], dtype="str")}),
    ... })
    >>> codes["Header"].tolist(), codes["Episodes"].tolist(), ids.to_pylist()
    ([0, 1], [1, 2, -1], ['A', 'B', 'C'])
    """
    names = sorted(tables, key=lambda name: name != "Header")
    if not names:
        return {}, pa.array([], pa.large_string())
    columns = [tables[name]["CHILD"] for name in names]

    def compute() -> tuple[dict[str, np.ndarray], pa.Array]:
        arrays = [_child_array(column) for column in columns]
        joined = pa.chunked_array(
            [chunk for array in arrays for chunk in array.chunks], pa.large_string()
        )
        encoded = joined.dictionary_encode().combine_chunks()
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        bounds = np.cumsum([0] + [len(array) for array in arrays])
        found = {name: codes[a:b] for name, a, b in zip(names, bounds, bounds[1:], strict=False)}
        return found, encoded.dictionary

    return memo(columns[0], "return_child_codes:" + ",".join(names), columns, compute)


_STRICT_DATE = r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$"
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of valid dates (H. Hinnant's ``days_from_civil``)."""
    year = year - (month <= 2)
    era = year // 400
    yoe = year - era * 400
    doy = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468


def _parse_unique_dates(uniques: pa.Array) -> np.ndarray:
    """``pd.to_datetime(uniques, format="%d/%m/%Y", errors="coerce")`` as ``datetime64[ns]``.

    Strings of exactly ``dd/mm/YYYY`` (two, two and four digits) with a year pandas can hold are
    converted with integer arithmetic; anything else (``1/2/2024``, ISO dates, text) goes to
    pandas itself, so the result is pandas' whatever the text.
    """
    out = np.full(len(uniques), np.datetime64("NaT", "ns"))
    if not len(uniques):
        return out
    if uniques.type != pa.large_string():
        uniques = uniques.cast(pa.large_string())
    strict = pc.match_substring_regex(uniques, _STRICT_DATE)
    strict = pc.fill_null(strict, False).to_numpy(zero_copy_only=False)
    where = np.flatnonzero(strict)
    if len(where):
        texts = uniques.filter(pa.array(strict))
        offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)
        data = np.frombuffer(texts.buffers()[2], dtype=np.uint8)
        first = int(offsets[texts.offset])
        digits = data[first : first + 10 * len(texts)].reshape(-1, 10).astype(np.int64) - 48
        day = digits[:, 0] * 10 + digits[:, 1]
        month = digits[:, 3] * 10 + digits[:, 4]
        year = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        longest = _MONTH_DAYS[np.clip(month - 1, 0, 11)] + (leap & (month == 2))
        valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= longest)
        in_range = (year >= 1700) & (year <= 2200)  # else pandas decides (its bounds)
        good = valid & in_range  # in range but not valid (31/02/2024): NaT, as pandas gives
        days = _days_from_civil(year[good], month[good], day[good])
        out[where[good]] = days.astype("datetime64[D]").astype("datetime64[ns]")
        strict[where[~in_range]] = False
    rest = np.flatnonzero(~strict)
    if len(rest):
        text = pd.Series(uniques.take(pa.array(rest)).to_pylist(), dtype=object)
        parsed = pd.to_datetime(text, format=DATE_FORMAT, errors="coerce")
        out[rest] = parsed.to_numpy(dtype="datetime64[ns]")
    return out


def unique_dates(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The column's :func:`encode` codes and its distinct values parsed as :func:`parse_dates`
    parses them (``datetime64[ns]``) with a NaT appended for blanks (code -1), so that
    ``parsed[codes]`` is the parsed column; worked out once per column. Read-only.

    >>> codes, parsed = unique_dates(pd.Series(["01/02/2024", None, "01/02/2024"], dtype="str"))
    >>> codes.tolist(), [str(d) for d in parsed]
    ([0, -1, 0], ['2024-02-01T00:00:00.000000000', 'NaT'])
    """
    cache = _column_cache(values)
    codes, uniques = encode(values)
    if cache is not None and "unique_dates" in cache:
        return codes, cache["unique_dates"]  # type: ignore[return-value]
    with_blank = np.append(_parse_unique_dates(uniques), np.datetime64("NaT", "ns"))
    with_blank.flags.writeable = False
    if cache is not None:
        cache["unique_dates"] = with_blank
    return codes, with_blank


def date_values(values: pd.Series) -> np.ndarray:
    """:func:`parse_dates` as a ``datetime64[ns]`` array (NaT for blanks and invalid dates),
    worked out once per column: each distinct string is parsed once. Read-only."""
    cache = _column_cache(values)
    if cache is not None and "dates" in cache:
        return cache["dates"]  # type: ignore[return-value]
    codes, with_blank = unique_dates(values)
    parsed = with_blank[codes]  # code -1 (blank) takes the NaT
    parsed.flags.writeable = False
    if cache is not None:
        cache["dates"] = parsed
    return parsed


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse ``dd/mm/YYYY`` strings; blanks and anything else (ISO dates, 31/02/2024) become NaT.

    >>> parse_dates(pd.Series(["01/02/2024", "2024-02-01", "31/02/2024", None])).tolist()
    [Timestamp('2024-02-01 00:00:00'), NaT, NaT, NaT]
    """
    return pd.Series(date_values(values), index=values.index, copy=True)


def format_dates(values: pd.Series) -> pd.Series:
    """Write dates back as ``dd/mm/YYYY`` strings (NaT stays missing)."""
    text = values.dt.strftime(DATE_FORMAT)
    return text.where(values.notna())


def collection_year_from_name(name: str) -> int | None:
    """The collection end year a folder name stands for, or ``None``.

    ``2025`` (an end year, as everywhere in reportgen), ``2024-25``, ``2024_25`` and ``2024-2025``
    all mean 2024-25.

    >>> collection_year_from_name("2025"), collection_year_from_name("2024-25")
    (2025, 2025)
    >>> collection_year_from_name("archive") is None
    True
    """
    match = _YEAR_NAME.match(name.strip())
    if not match:
        return None
    first = int(match["first"])
    second = match["second"]
    if second is None:
        return first if 1990 <= first <= 2100 else None
    end = int(second) if len(second) == 4 else (first + 1) // 100 * 100 + int(second)
    return end if end == first + 1 else None


# --------------------------------------------------------------------------------------------
# Reading one folder


@dataclass(frozen=True)
class FileIssue:
    """A problem found while reading a return's files (before any content check).

    Attributes
    ----------
    file
        File name (or the folder, for a missing table).
    row
        Spreadsheet row number (header = 1), or ``None`` for the whole file.
    column
        Column name, or ``None``.
    value
        The offending cell or header name, or ``None``.
    message
        What is wrong and how to fix it.
    severity
        ``"error"`` (the return cannot be used) or ``"warning"``.
    check
        Short identifier of the kind of issue.
    table
        The table the file was identified as (or its closest table), if any.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"
    check: str = "file"
    table: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {redact(self.message)}"


@dataclass
class ReturnScan:
    """What :func:`scan_return` found in a folder: tables read, their files, and issues."""

    folder: Path
    year: int
    tables: dict[str, pd.DataFrame]
    files: dict[str, Path]
    issues: list[FileIssue]

    @property
    def errors(self) -> list[FileIssue]:
        """The issues that stop the return being used."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[FileIssue]:
        """The issues that do not."""
        return [i for i in self.issues if i.severity == "warning"]


class _TableSet:
    """What a single return and a multi-year history have in common."""

    tables: dict[str, pd.DataFrame]

    def _where(self) -> str:
        raise NotImplementedError

    def has(self, table: str) -> bool:
        """True when the table was supplied (it may still have no rows)."""
        return table in self.tables

    def require(self, table: str, for_what: str) -> pd.DataFrame:
        """The table, or a :class:`~reportgen.core.errors.DataError` saying who needs it.

        Parameters
        ----------
        table
            903 table name, e.g. ``"OC3"``.
        for_what
            Who needs it, e.g. ``"indicator cl_19_21_eet_pct"``.

        Raises
        ------
        DataError
            ``"indicator cl_19_21_eet_pct needs the OC3 table, which is not in <folder>: ..."``
        """
        if table not in TABLES:
            raise KeyError(f"{table!r} is not a 903 table; tables: {', '.join(TABLES)}")
        if table not in self.tables:
            raise DataError(
                f"{for_what} needs the {table} table, which is not in {self._where()}: add the "
                f"{table} CSV (columns {', '.join(TABLES[table])}) or leave this figure out"
            )
        return self.tables[table]

    def dates(self, table: str, column: str) -> pd.Series:
        """A date column parsed to ``datetime64`` (NaT for blanks and invalid dates).

        The index is the table's, so the result lines up with ``tables[table]``.
        """
        frame = self.require(table, f"reading {table}.{column}")
        if column not in DATE_COLUMNS.get(table, ()):
            raise KeyError(f"{table}.{column} is not a date column; dates: {DATE_COLUMNS[table]}")
        return parse_dates(frame[column])


@dataclass
class Return(_TableSet):
    """One collection year's 903 return, as read from a folder of CSVs.

    Attributes
    ----------
    year
        Collection end year (``2025`` for 2024-25).
    folder
        The folder read.
    tables
        Table name -> DataFrame of strings (NaN for blank cells), columns in DfE order, indexed by
        the spreadsheet row number (header = row 1).
    files
        Table name -> the CSV it came from.
    warnings
        Things worth telling the user that did not stop the read (one line each).
    """

    year: int
    folder: Path
    tables: dict[str, pd.DataFrame]
    files: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def _where(self) -> str:
        return str(self.folder)

    @property
    def label(self) -> str:
        """``"2024-25"``."""
        return year_label(self.year)

    @property
    def start(self) -> pd.Timestamp:
        """1 April at the start of the collection year."""
        return year_start(self.year)

    @property
    def end(self) -> pd.Timestamp:
        """31 March at the end of the collection year."""
        return year_end(self.year)


def _decode(raw: bytes, name: str) -> tuple[str | None, FileIssue | None]:
    """Bytes -> text, or an issue saying why the file is not a CSV we can read."""
    if not raw.strip():
        return None, FileIssue(
            name, None, None, None, "the file is empty: export the table again with its header row"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, FileIssue(
            name,
            None,
            None,
            None,
            "the file is UTF-16 text (Excel 'Unicode text'), not a CSV: save it as 'CSV UTF-8'",
        )
    if raw.startswith(b"PK\x03\x04"):
        return None, FileIssue(
            name,
            None,
            None,
            None,
            "the file is an Excel workbook renamed .csv: open it in Excel and save as 'CSV UTF-8'",
        )
    warning = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        else:
            warning = FileIssue(
                name,
                None,
                None,
                None,
                "the file is not UTF-8, so it was read as Windows-1252: save it as 'CSV UTF-8' "
                "if any accented characters look wrong",
                severity="warning",
                check="encoding",
            )
    if text is None or _CONTROL.search(text):
        return None, FileIssue(
            name,
            None,
            None,
            None,
            "the file is not a text CSV (binary content): export the table as 'CSV UTF-8'",
        )
    return text.removeprefix("\ufeff").removeprefix("ï»¿"), warning


_ALL_COLUMNS = frozenset(col for cols in TABLES.values() for col in cols)
"""Every 903 column name, to tell a header row from a child's row."""


def _closest_table(columns: Iterable[str]) -> tuple[str, list[str], list[str]]:
    """The 903 table whose columns best match, and the columns missing from / extra to it."""
    have = set(columns)

    def score(name: str) -> tuple[float, int]:
        want = set(TABLES[name])
        return (len(have & want) / len(have | want), -len(want ^ have))

    best = max(TABLES, key=score)
    want = TABLES[best]
    missing = [c for c in want if c not in have]
    extra = [c for c in columns if c not in set(want)]
    return best, missing, extra


_BOM = b"\xef\xbb\xbf"
_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
_UNTIDY_BYTES = bytes(range(0x61, 0x7B)) + bytes(range(0x80, 0x100)) + b'"\t'
"""Bytes that make a cell need upper-casing or trimming (or may: a quoted cell)."""
_KEPT = frozenset(_CONTROL_BYTES + _UNTIDY_BYTES)
_NOT_KEPT = bytes(b for b in range(256) if b not in _KEPT)
"""Every byte but the control characters :data:`_CONTROL` refuses and :data:`_UNTIDY_BYTES`
(in UTF-8 these ASCII bytes occur only as themselves, never inside a multi-byte character)."""


def _arrow_cells(raw: bytes) -> tuple[pa.Table, tuple[bool, bool]] | None:
    """Every cell of a plain UTF-8 CSV as text, header row included, read by pyarrow, and
    ``(tidy, spaced)``: whether the file is tidy (no lower-case letter, no byte outside ASCII, no quote and no tab
    (:data:`_UNTIDY_BYTES`), so that no cell needs upper-casing and a cell needs trimming only
    if it starts or ends with a space; blank cells are then made null by pyarrow) and whether a
    space may start or end a cell (:func:`_space_at_a_cell_edge`). ``None`` when
    the file needs the careful path (:func:`_decode` and :func:`_parse_cells`).

    The fast path takes only files that path would read to the same cells: UTF-8 without control
    characters (after at most two byte-order marks, as :func:`_decode` strips), every record
    with as many cells as the first (no blank lines, no short or long rows), so that row ``i``
    of the table is record ``i`` of the file. Anything else returns ``None``. pyarrow reads on
    this thread only: its worker threads cost more CPU time than they save on a shared machine.
    """
    start = 0
    for _ in range(2):  # _decode removes one BOM with utf-8-sig and then one more
        if raw.startswith(_BOM, start):
            start += len(_BOM)
    if raw.startswith(_BOM, start) or raw.startswith((b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04")):
        return None
    if len(raw) == start or raw[start:].isspace():
        return None
    body = raw[start:] if start else raw
    kept = body.translate(None, _NOT_KEPT)  # one pass: control characters and untidy bytes
    if any(byte in _CONTROL_BYTES for byte in set(kept)):
        return None
    tidy = not kept
    spaced = b" " in body and _space_at_a_cell_edge(body)
    del body
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(raw).slice(start),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.large_string() for i in range(_first_width(raw, start))},
                strings_can_be_null=tidy,
                null_values=[""],
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if any(column.type != pa.large_string() for column in table.columns):
        return None
    last = table.column(table.num_columns - 1)[0].as_py() if table.num_rows else ""
    if not (last or "").strip().removeprefix("\ufeff").strip():
        return None  # an unnamed last column: the careful path checks its cells (row_width)
    return table, (tidy, spaced)


_CELL_EDGES = np.array([ord(","), ord("\n"), ord("\r")], dtype=np.uint8)


def _space_at_a_cell_edge(body: bytes) -> bool:
    """Whether a space starts or ends a cell of a file without quotes: a space at the start or
    end of the file, or next to a comma or a line break (cells of a tidy file are separated by
    nothing else). False means no cell needs trimming."""
    data = np.frombuffer(body, dtype=np.uint8)
    at = np.flatnonzero(data == ord(" "))
    if not len(at):
        return False
    if at[0] == 0 or at[-1] == len(data) - 1:
        return True
    return bool(
        np.isin(data[at - 1], _CELL_EDGES).any() or np.isin(data[at + 1], _CELL_EDGES).any()
    )


def _first_width(raw: bytes, start: int) -> int:
    """An upper bound of the number of cells in the first record (column types for pyarrow)."""
    end = raw.find(b"\n", start)
    line = raw[start : end if end >= 0 else len(raw)]
    return line.count(b",") + 1


def _padded(values: pa.ChunkedArray) -> bool:
    """True when a cell starts or ends with a space."""
    if not len(values):
        return False
    return bool(pc.any(pc.starts_with(values, " ")).as_py()) or bool(
        pc.any(pc.ends_with(values, " ")).as_py()
    )


def _arrow_body(
    cells: pa.Table, header: list[str], table: str, tidy: tuple[bool, bool]
) -> pd.DataFrame:
    """The data rows of a table read by :func:`_arrow_cells`, as :func:`_read_table_file`'s slow
    path makes them: text stripped and upper-cased, blank cells missing, rows with no cell filled
    left out, indexed by spreadsheet row number, columns in DfE order. Tidy cells are taken as
    they are."""
    n = cells.num_rows - 1
    position = {name: i for i, name in enumerate(header)}
    blank = pa.scalar(None, pa.large_string())
    columns: dict[str, pa.ChunkedArray] = {}
    for name in TABLES[table]:
        values = cells.column(position[name]).slice(1)
        if not tidy[0]:
            values = pc.utf8_upper(pc.utf8_trim_whitespace(values))
            values = pc.if_else(pc.equal(values, ""), blank, values)
        elif tidy[1] and _padded(values):
            values = pc.utf8_trim_whitespace(values)
            values = pc.if_else(pc.equal(values, ""), blank, values)
        columns[name] = values
    rows = np.arange(2, n + 2, dtype=np.int64)
    body = pa.table(columns)
    if n and all(column.null_count for column in columns.values()):
        filled = None
        for values in columns.values():
            valid = pc.is_valid(values)
            filled = valid if filled is None else pc.or_(filled, valid)
        if filled is not None and not pc.all(filled).as_py():
            body = body.filter(filled)
            rows = rows[filled.to_numpy(zero_copy_only=False)]
    frame = body.to_pandas()
    frame.index = pd.Index(rows, dtype="int64", name="row")
    return frame


def _parse_cells(text: str) -> pd.DataFrame:
    """Every cell of a CSV as text ("" for blank or absent cells), header row included.

    pandas' C parser does the common case; a file whose rows have differing numbers of cells
    (which that parser refuses) goes through the csv module instead. Either way row ``i`` of the
    result is record ``i`` of the file, blank lines included, so row numbers match a spreadsheet.
    """
    try:
        cells = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            na_values=[],
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError:
        records = list(csv.reader(io.StringIO(text, newline="")))
        width = max((len(r) for r in records), default=0)
        cells = pd.DataFrame([r + [""] * (width - len(r)) for r in records], dtype=str)
    except pd.errors.EmptyDataError:
        return pd.DataFrame(dtype=str)
    return cells.fillna("")


def _semicolon_header(header: list[str]) -> bool:
    """True when a header read as comma-separated is really a ';'-separated list of 903 columns
    (Excel's CSV export in locales that write decimals with a comma)."""
    if len(header) != 1 or ";" not in header[0]:
        return False
    names = {part.strip().strip('"').upper() for part in header[0].split(";")}
    return any(len(names & set(columns)) >= 2 for columns in TABLES.values())


MAX_FILE_MB = 200
"""Largest 903 CSV read, in MB (``REPORTGEN_MAX_903_MB`` changes it). A large authority's
Episodes file is a few MB; a bigger file is refused before it is read."""


def max_file_bytes() -> int:
    """The size limit for one 903 file, in bytes: :data:`MAX_FILE_MB`, or the environment
    variable ``REPORTGEN_MAX_903_MB`` (a whole number of MB) when set.

    Raises
    ------
    DataError
        When ``REPORTGEN_MAX_903_MB`` is not a positive whole number.
    """
    text = os.environ.get("REPORTGEN_MAX_903_MB", "").strip()
    if not text:
        return MAX_FILE_MB * 1024 * 1024
    if not text.isdigit() or int(text) < 1:
        raise DataError(f"REPORTGEN_MAX_903_MB={text!r}: give a whole number of MB, such as 500")
    return int(text) * 1024 * 1024


def _too_large(name: str, size: int, limit: int) -> FileIssue:
    return FileIssue(
        name,
        None,
        None,
        None,
        f"the file is {size / 1024 / 1024:,.0f} MB, over the {limit // (1024 * 1024):,} MB "
        "limit for a 903 CSV: check it is the right file (a 903 table is a few MB), or raise "
        "the limit with REPORTGEN_MAX_903_MB=<MB>",
        check="size",
    )


def _read_table_file(path: Path) -> tuple[str | None, pd.DataFrame | None, list[FileIssue]]:
    """Read one CSV: (table name, frame, issues). The frame is None when the file is unusable."""
    name = path.name
    try:
        size = path.stat().st_size
        limit = max_file_bytes()
        if size > limit:
            return None, None, [_too_large(name, size, limit)]
        raw = path.read_bytes()
    except OSError as exc:
        return None, None, [FileIssue(name, None, None, None, f"cannot be read ({exc.strerror})")]
    except DataError as exc:
        return None, None, [FileIssue(name, None, None, None, str(exc))]
    issues: list[FileIssue] = []
    read = _arrow_cells(raw)  # plain UTF-8 and rectangular: pyarrow, no Python strings
    fast, tidy = read if read is not None else (None, (False, False))
    if fast is not None:
        del raw
        first_row = [fast.column(i)[0].as_py() or "" for i in range(fast.num_columns)]
        cells = None
    else:
        text, issue = _decode(raw, name)
        del raw  # the text is all that is needed now: do not hold the file twice
        issues = [issue] if issue else []
        if text is None:
            return None, None, issues
        try:
            cells = _parse_cells(text)
            del text
        except (csv.Error, ValueError) as exc:
            issues.append(FileIssue(name, None, None, None, f"is not a valid CSV ({exc})"))
            return None, None, issues
        first_row = [] if cells.empty else list(cells.iloc[0])
    if not first_row or not any(str(cell).strip() for cell in first_row):
        issues.append(
            FileIssue(
                name,
                1,
                None,
                None,
                "the first row is blank: the first row must hold the column names",
            )
        )
        return None, None, issues

    header = [str(c).strip().removeprefix("\ufeff").strip().upper() for c in first_row]
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    blanks = [i + 1 for i, col in enumerate(header) if col == ""]
    if blanks:
        issues.append(
            FileIssue(
                name,
                1,
                None,
                None,
                f"column {blanks[0]} of the header has no name: give every column its DfE name",
            )
        )
        return None, None, issues
    named = sum(col in _ALL_COLUMNS for col in header)
    if named * 2 < len(header) and not _semicolon_header(header):
        # a child's row, not column names: quote none of it
        issues.append(
            FileIssue(
                name,
                1,
                None,
                None,
                f"the first row does not hold 903 column names (only {named} of its "
                f"{len(header)} cells are): it looks like data; export the table again with "
                "its header row",
                check="columns",
            )
        )
        return None, None, issues
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        issues.append(
            FileIssue(
                name,
                1,
                repeated[0],
                repeated[0],
                f"column {repeated[0]} appears twice in the header: keep one",
            )
        )
        return None, None, issues

    matches = [t for t, cols in TABLES.items() if set(cols) == set(header)]
    if not matches and _semicolon_header(header):
        issues.append(
            FileIssue(
                name,
                1,
                None,
                None,
                "this file uses ';' as the delimiter: export as comma-separated "
                "(in Excel: Save As 'CSV UTF-8 (Comma delimited)')",
                check="delimiter",
            )
        )
        return None, None, issues
    if not matches:
        table, missing, extra = _closest_table(header)
        summary = f"(missing: {', '.join(missing) or 'none'}; extra: {', '.join(extra) or 'none'})"
        for col in missing:
            issues.append(
                FileIssue(
                    name,
                    1,
                    col,
                    None,
                    f"the columns match no 903 table; the closest is {table}, which needs a "
                    f"column {col}: add it {summary}",
                    check="columns",
                    table=table,
                )
            )
        for col in extra:
            issues.append(
                FileIssue(
                    name,
                    1,
                    col,
                    col,
                    f"the columns match no 903 table; the closest is {table}, which has no "
                    f"column {col}: remove or rename it {summary}",
                    check="columns",
                    table=table,
                )
            )
        return None, None, issues
    table = matches[0]
    if fast is not None:
        return table, _arrow_body(fast, header, table, tidy), issues

    assert cells is not None
    body = cells.iloc[1:]
    body.index = pd.Index(range(2, len(cells) + 1), dtype="int64", name="row")
    too_wide = pd.Series(False, index=body.index)
    if body.shape[1] > width:
        overflow = body.iloc[:, width:]
        too_wide = overflow.apply(lambda col: col.str.strip() != "").any(axis=1)
        for number in body.index[too_wide]:
            count = width + int((overflow.loc[number] != "").to_numpy().nonzero()[0].max()) + 1
            issues.append(
                FileIssue(
                    name,
                    int(number),
                    None,
                    None,
                    f"the row has {count} cells but the header has {width} columns: remove the "
                    "extra cells, or put quotes round a value that contains a comma",
                    check="row_width",
                    table=table,
                )
            )
    frame = body.iloc[:, :width].copy()
    frame.columns = header
    for column in frame.columns:
        values = frame[column].astype("str").str.strip().str.upper()
        frame[column] = values.where(values != "")
    keep = frame.notna().any(axis=1) & ~too_wide  # blank lines and ",,,," rows are skipped
    if not keep.all():
        frame = frame[keep]
    return table, frame[list(TABLES[table])], issues


def _whole_file_issue(
    file: str,
    message: str,
    *,
    check: str,
    severity: Severity = "error",
    table: str | None = None,
) -> FileIssue:
    """An issue about a whole file or folder (no row, column or value)."""
    return FileIssue(file, None, None, None, message, severity=severity, check=check, table=table)


READ_THREADS = 2
"""Files of one folder read at once by :func:`scan_return` (at most the machine's cores).
pyarrow's CSV parser lets go of Python's lock while it parses, so two files are parsed side by
side; each file is still parsed on one thread (see :func:`_arrow_cells`)."""


def _read_files(
    paths: Sequence[Path],
) -> list[tuple[str | None, pd.DataFrame | None, list[FileIssue]]]:
    """:func:`_read_table_file` of each path, in the order given, up to :data:`READ_THREADS`
    files at a time (one thread when the machine has one core or there is one file).

    Parameters
    ----------
    paths
        The CSV files, in the order their results are wanted.

    Returns
    -------
    list
        ``(table, frame, issues)`` of each file, in the order of ``paths``.
    """
    threads = min(READ_THREADS, os.cpu_count() or 1, len(paths))
    if threads <= 1:
        return [_read_table_file(path) for path in paths]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="read903") as pool:
        return list(pool.map(_read_table_file, paths))


def scan_return(folder: Path | str, year: int) -> ReturnScan:
    """Read every CSV in a folder, collecting problems instead of raising.

    Used by :func:`read_return` (which raises on the first error) and by
    :func:`reportgen.sources.ssda903.validate.validate_return` (which reports them all).

    Parameters
    ----------
    folder
        Folder holding one collection year's CSVs (other files are ignored with a warning).
    year
        Collection end year (``2025`` for 2024-25).

    Raises
    ------
    DataError
        When the folder does not exist or ``year`` is not a plausible collection year.
    """
    folder = Path(folder)
    if (
        isinstance(year, bool)
        or not isinstance(year, (int, np.integer))
        or not 1990 <= year <= 2100
    ):
        raise DataError(f"collection year {year!r} for {folder} must be an end year such as 2025")
    year = int(year)
    if not folder.is_dir():
        raise DataError(f"903 folder {folder} not found: give the folder holding that year's CSVs")
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    issues: list[FileIssue] = []
    named = collection_year_from_name(folder.name)
    if named is not None and named != year:
        issues.append(
            _whole_file_issue(
                str(folder),
                f"the folder name says {year_label(named)} but it is being read as "
                f"{year_label(year)}: check the year",
                severity="warning",
                check="folder_year",
            )
        )
    paths = [
        path
        for path in sorted(folder.iterdir(), key=lambda p: p.name.lower())
        if not path.name.startswith((".", "~$")) and path.is_file()
    ]
    read = iter(_read_files([path for path in paths if path.suffix.lower() == ".csv"]))
    for path in paths:
        if path.suffix.lower() != ".csv":
            issues.append(
                _whole_file_issue(
                    path.name,
                    "ignored: only .csv files are read (export XML or Excel returns as CSV)",
                    severity="warning",
                    check="ignored_file",
                )
            )
            continue
        table, frame, file_issues = next(read)
        issues.extend(file_issues)
        if table is None or frame is None:
            continue
        if table in tables:
            issues.append(
                _whole_file_issue(
                    path.name,
                    f"holds the {table} table, as {files[table].name} does: keep one of the two",
                    check="duplicate_table",
                    table=table,
                )
            )
            continue
        tables[table] = frame
        files[table] = path
        first = FIRST_YEAR.get(table)
        if first is not None and year < first:
            issues.append(
                _whole_file_issue(
                    path.name,
                    f"the {table} table is collected only from {year_label(first)}, "
                    f"not in {year_label(year)}: check the folder is for the right year",
                    severity="warning",
                    check="table_year",
                    table=table,
                )
            )
    for table in REQUIRED_TABLES:
        if table not in tables and not any(
            i.table == table and i.check != "table_year" for i in issues
        ):
            issues.append(
                _whole_file_issue(
                    str(folder),
                    f"no file holds the {table} table (columns {', '.join(TABLES[table])}): "
                    f"add the {table} CSV to this folder",
                    check="missing_table",
                    table=table,
                )
            )
    return ReturnScan(folder=folder, year=year, tables=tables, files=files, issues=issues)


def read_return(folder: Path | str, year: int) -> Return:
    """Read one collection year's 903 return.

    Parameters
    ----------
    folder
        Folder of CSVs, one per table, with the exact DfE column names (any file names).
    year
        Collection end year (``2025`` for 2024-25).

    Returns
    -------
    Return

    Raises
    ------
    DataError
        One line naming the file (and row and column where there is one) and the fix, for the
        first problem that stops the return being read: an unreadable, empty or binary file,
        columns that match no 903 table (naming the closest table and the missing and extra
        columns), two files for one table, or no Header or Episodes table. Content problems (bad
        dates, invalid codes, overlapping episodes) are not raised here: see
        :func:`reportgen.sources.ssda903.validate.validate_return`.
    """
    return return_from_scan(scan_return(folder, year))


def return_from_scan(scan: ReturnScan) -> Return:
    """The :class:`Return` of a folder already read by :func:`scan_return` (so a caller that
    validates the scan need not read the files again).

    Raises
    ------
    DataError
        As :func:`read_return` does, for the first problem that stops the return being read.
    """
    errors = scan.errors
    if errors:
        more = f" (and {len(errors) - 1} more problems in {scan.folder})" if len(errors) > 1 else ""
        raise DataError(f"{_issue_line(scan.folder, errors[0])}{more}")
    return Return(
        year=scan.year,
        folder=scan.folder,
        tables=scan.tables,
        files=scan.files,
        warnings=[_issue_line(scan.folder, w) for w in scan.warnings],
    )


def _issue_line(folder: Path, issue: FileIssue) -> str:
    if issue.file == str(folder):
        return f"{folder}: {issue.message}"
    return str(FileIssue(str(folder / issue.file), issue.row, issue.column, None, issue.message))


# --------------------------------------------------------------------------------------------
# Several years


@dataclass
class History(_TableSet):
    """Several collection years' returns combined (``indicators.md`` sections 4 and 8).

    Attributes
    ----------
    years
        Collection end years, oldest first.
    returns
        Each year's :class:`Return`, unchanged.
    tables
        ``Episodes``: de-duplicated on CHILD + DECOM and fixed (see :func:`combine_returns`), sorted
        by CHILD and DECOM, with ``YEAR`` (the return the row came from), ``ROW`` (its row number
        there) and ``EPISODE_SOURCE`` (``"Original"`` or the liia-tools rule(s) that changed it).
        ``Header``: each child's row from the latest return that has one, with ``YEAR`` and
        ``ROW``. Other tables: all years' rows, with ``YEAR`` and ``ROW``.
    warnings
        One line each.
    """

    years: tuple[int, ...]
    returns: dict[int, Return]
    tables: dict[str, pd.DataFrame]
    warnings: list[str] = field(default_factory=list)

    def _where(self) -> str:
        folders = ", ".join(str(self.returns[y].folder) for y in self.years)
        return f"any of the returns read ({folders})"

    @property
    def latest(self) -> int:
        """The latest collection year."""
        return self.years[-1]


def _history_folders(folders: Path | str | Sequence[Path | str] | Mapping[int, Path | str]):
    """Normalise the ``read_history`` argument to {year: folder}, plus warnings."""
    warnings: list[str] = []
    if isinstance(folders, Mapping):
        mapping = {int(y): Path(p) for y, p in folders.items()}
    elif isinstance(folders, (str, Path)):
        parent = Path(folders)
        if not parent.is_dir():
            raise DataError(
                f"903 folder {parent} not found: give a folder with one subfolder per year"
            )
        mapping = {}
        for sub in sorted(p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")):
            found = collection_year_from_name(sub.name)
            if found is None:
                warnings.append(f"{sub}: ignored, the folder name is not a collection year")
                continue
            if found in mapping:
                raise DataError(
                    f"{mapping[found]} and {sub} are both for {year_label(found)}: keep one folder"
                )
            mapping[found] = sub
        if not mapping:
            raise DataError(
                f"{parent} has no year folders: put each return in a subfolder named by its "
                "collection year, e.g. 2025 or 2024-25 for 2024-25"
            )
    else:
        mapping = {}
        for item in folders:
            path = Path(item)
            found = collection_year_from_name(path.name)
            if found is None:
                raise DataError(
                    f"cannot tell the collection year of {path}: name the folder by its "
                    "collection year, e.g. 2025 or 2024-25 for 2024-25"
                )
            if found in mapping:
                raise DataError(
                    f"{mapping[found]} and {path} are both for {year_label(found)}: give one folder"
                )
            mapping[found] = path
        if not mapping:
            raise DataError("no 903 folders given: give at least one year's folder")
    return dict(sorted(mapping.items())), warnings


def read_history(
    folders: Path | str | Sequence[Path | str] | Mapping[int, Path | str],
    scans: Mapping[int, ReturnScan] | None = None,
) -> History:
    """Read several collection years' returns and combine them.

    Parameters
    ----------
    folders
        A parent folder with one subfolder per year (named ``2025`` or ``2024-25`` for 2024-25;
        other subfolders are ignored with a warning), a list of year folders named that way, or a
        mapping {collection end year: folder}.
    scans
        Years already read by :func:`scan_return` (as validation does): a year whose scan is of
        the same folder is not read again.

    Returns
    -------
    History
        See :func:`combine_returns`.

    Raises
    ------
    DataError
        For a folder whose year cannot be told, two folders for one year, or any return that
        :func:`read_return` cannot read.
    """
    mapping, warnings = _history_folders(folders)
    scans = scans or {}
    returns = [
        return_from_scan(scans[year])
        if year in scans and Path(scans[year].folder) == Path(path)
        else read_return(path, year)
        for year, path in mapping.items()
    ]
    history = combine_returns(returns)
    history.warnings[:0] = warnings
    return history


_DETAIL_COLUMNS = ("RNE", "LS", "PLACE", "PLACE_PROVIDER", "PL_POST", "URN")
"""Columns compared to decide that two open episodes are duplicates (liia-tools rule 3)."""

_NAT = np.datetime64("NaT", "ns")


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the text in sorted order (as ``pd.factorize(values, sort=True)``; blanks get
    the largest code, so they sort last) and a mask of the blanks."""
    codes, uniques = encode(values)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[pc.sort_indices(uniques).to_numpy()] = np.arange(len(uniques))
    blank = codes < 0
    return np.where(blank, np.iinfo(np.int64).max, np.append(rank, 0)[codes]), blank


_DAY_NS = 86_400_000_000_000


def sort_order(keys: Sequence[np.ndarray]) -> np.ndarray:
    """``np.lexsort(keys[::-1])``: the stable order of rows by integer ``keys`` (the first the
    primary key), as one stable argsort of a combined int64 key when the keys' ranges allow
    (three to four times faster than ``lexsort`` on a million rows); else ``np.lexsort``.

    >>> sort_order([np.array([2, 1, 2, 1]), np.array([0, 5, -3, 5])]).tolist()
    [1, 3, 2, 0]
    """
    if not len(keys) or not len(keys[0]):
        return np.lexsort(tuple(reversed(keys))) if len(keys) else np.zeros(0, dtype=np.intp)
    combined: np.ndarray | None = None
    span = 1
    for key in keys:
        low, high = int(key.min()), int(key.max())
        width = high - low + 1
        span *= width
        if span >= 2**62:
            return np.lexsort(tuple(reversed(keys)))
        part = key.astype(np.int64) - low
        combined = part if combined is None else combined * width + part
    assert combined is not None
    return np.argsort(combined, kind="stable")


def day_key(dates: np.ndarray, descending: bool = False) -> np.ndarray:
    """Sort keys of ``datetime64[ns]`` dates as int64 with a small range when every date is a
    whole day (as parsed dates are): day numbers (negated when ``descending``), missing dates
    after every other; else the nanoseconds themselves (missing last), whose order is the same.

    >>> day_key(np.array(["2024-01-02", "NaT", "2024-01-01"], dtype="datetime64[ns]")).tolist()
    [19724, 19725, 19723]
    """
    missing = np.isnat(dates)
    ns = dates.view(np.int64)
    if (ns[~missing] % _DAY_NS).any():
        values = -ns if descending else ns
        return np.where(missing, np.iinfo(np.int64).max, values)
    days = ns // _DAY_NS
    if descending:
        days = -days
    last = int(days[~missing].max()) + 1 if (~missing).any() else 0
    return np.where(missing, last, days)


def _shifted(values: np.ndarray, step: int, fill: object) -> np.ndarray:
    """``values`` moved by ``step`` places (-1: each row gets the next row's value)."""
    out = np.empty_like(values)
    if step < 0:
        out[:-1], out[-1:] = values[1:], fill
    else:
        out[1:], out[:1] = values[:-1], fill
    return out


def _sort_key(dates: np.ndarray) -> np.ndarray:
    """Day numbers as int64 sort keys, missing dates last."""
    return np.where(np.isnat(dates), np.iinfo(np.int64).max, dates.view(np.int64))


def _march_31(years: np.ndarray) -> np.ndarray:
    """31 March of each year as ``datetime64[ns]``."""
    if not len(years):
        return np.zeros(0, dtype="datetime64[ns]")
    first = int(years.min())
    ends = [np.datetime64(f"{y:04d}-03-31", "ns") for y in range(first, int(years.max()) + 1)]
    return np.array(ends, dtype="datetime64[ns]")[years - first]


def fix_episodes(episodes: pd.DataFrame, latest_year: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """De-duplicate and repair multi-year Episodes (liia-tools ``la_agg`` and ``episodes_fix``).

    Parameters
    ----------
    episodes
        Episodes rows of several returns with a ``YEAR`` column (any order, string cells).
    latest_year
        The latest collection year combined: its open episodes are genuinely open.

    Returns
    -------
    episodes, counts
        The repaired table sorted by CHILD and DECOM (fresh index) with an ``EPISODE_SOURCE``
        column, and how many rows each step removed or changed.

    Notes
    -----
    1. Rows with the same CHILD and DECOM are one episode: the row with the latest non-blank DEC
       is kept, then the one from the latest return (``la_agg``).
    2. An episode left open (blank DEC) in a return older than ``latest_year`` is wrong in the
       combined history, since a later return says what happened to it:

       * rule 3: dropped when the next or previous episode of the child has the same RNE, LS,
         PLACE, PLACE_PROVIDER, PL_POST and URN and comes from a later return (the same episode
         re-dated). Two differences from liia-tools: the copy must come from a *later* return
         (liia-tools also drops same-return copies, which can drop both), and a next episode
         starting after the older return's year end is not a copy (the later return would then
         show the child in care from 1 April), so it goes to rule 1A or 1 instead;
       * rule 3A: dropped when the child's previous episode comes from a later return (a later
         return replaced it);
       * rule 1: closed on the next episode's DECOM with REC X1 (care continued), and
         REASON_PLACE_CHANGE ``LIIAF`` when the next RNE is P, B, T or U;
       * rule 1A: when the next episode has RNE S, closed on the earlier of 31 March of its own
         return's year and the day before the next DECOM, with REC ``E99``;
       * rule 2: when the child has no later episode, closed on 31 March of its own return's
         year with REC ``E99``. The child then no longer counts as looked after on that day.
    3. Then an episode followed by one from a later return is ended on that episode's DECOM when
       it overlaps it (rule 4) or ends before it with REC X1 (rule 5).
    """
    frame, counts, _ = _fix_episodes(episodes, latest_year, None)
    return frame, counts


def _fix_episodes(
    episodes: pd.DataFrame, latest_year: int, child_rank: np.ndarray | None
) -> tuple[pd.DataFrame, dict[str, int], np.ndarray]:
    """:func:`fix_episodes`, given (when known) each row's CHILD as a number that sorts as the
    text does (-1 for a blank CHILD); also returns the rows of ``episodes`` kept, in order."""
    counts = {"duplicates": 0, "rule_3": 0, "rule_3a": 0, "rule_1": 0, "rule_1a": 0, "rule_2": 0}
    counts.update({"rule_4": 0, "rule_5": 0})
    # everything is worked out on integer codes and day numbers; the rows are taken once at the
    # end and only the changed cells are written

    # 1. one row per CHILD + DECOM: latest non-blank DEC first, then the latest return (one
    # stable lexsort on integer keys: CHILD codes in sorted order, blanks last)
    if child_rank is None:
        child, child_blank = _sorted_codes(episodes["CHILD"])
    else:
        child_blank = child_rank < 0
        child = np.where(child_blank, np.iinfo(np.int64).max, child_rank)
    decom_all, dec_all = date_values(episodes["DECOM"]), date_values(episodes["DEC"])
    year_all = episodes["YEAR"].to_numpy(dtype=np.int64)
    decom_key = _sort_key(decom_all)
    named = child[~child_blank]
    order = sort_order(
        [
            np.where(child_blank, int(named.max(initial=-1)) + 1, child),
            day_key(decom_all),
            day_key(dec_all, descending=True),
            -year_all,
        ]
    )
    repeat = np.zeros(len(order), dtype=bool)
    repeat[1:] = (child[order][1:] == child[order][:-1]) & (
        decom_key[order][1:] == decom_key[order][:-1]
    )
    counts["duplicates"] = int(repeat.sum())
    rows = order[~repeat]

    def neighbours(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Masks: the row has a next / a previous episode of the same child."""
        same = (child[rows][1:] == child[rows][:-1]) & ~child_blank[rows][1:]
        return np.append(same, False), np.append(False, same)

    # 2. rules 3 and 3A: drop superseded open episodes
    dec_blank = episodes["DEC"].isna().to_numpy()
    year, decom = year_all[rows], decom_all[rows]
    open_old = np.isnat(dec_all[rows]) & dec_blank[rows] & (year != latest_year)
    has_next, has_prev = neighbours(rows)
    later_next = has_next & (_shifted(year, -1, 0) > year)
    later_prev = has_prev & (_shifted(year, 1, 0) > year)
    own_year_end = _march_31(year)
    same_as_next = later_next & (_shifted(decom, -1, _NAT) <= own_year_end)
    same_as_prev = later_prev.copy()
    # the details are compared only for the open episodes of older returns (a few rows)
    at = np.flatnonzero(open_old & (same_as_next | same_as_prev))
    if len(at):
        last = len(rows) - 1
        for column in _DETAIL_COLUMNS:
            here = _cells(episodes[column], rows[at])  # equal text, or both blank
            same_as_next[at] &= here == _cells(episodes[column], rows[np.minimum(at + 1, last)])
            same_as_prev[at] &= here == _cells(episodes[column], rows[np.maximum(at - 1, 0)])
    rule3 = open_old & (same_as_next | same_as_prev)
    rule3a = open_old & ~rule3 & later_prev
    counts["rule_3"] = int(rule3.sum())
    counts["rule_3a"] = int(rule3a.sum())
    rows = rows[~(rule3 | rule3a)]

    # rules 1, 1A, 2: close the remaining open episodes of older returns
    year, decom, dec = year_all[rows], decom_all[rows], dec_all[rows].copy()
    open_old = np.isnat(dec) & dec_blank[rows] & (year != latest_year)
    has_next, _ = neighbours(rows)
    next_decom = np.where(has_next, _shifted(decom, -1, _NAT), _NAT)
    next_s = np.zeros(len(rows), dtype=bool)
    next_move = np.zeros(len(rows), dtype=bool)
    at = np.flatnonzero(open_old & has_next)
    if len(at):
        next_rne = _cells(episodes["RNE"], rows[at + 1])
        next_s[at] = next_rne == "S"
        next_move[at] = [value in ("P", "B", "T", "U") for value in next_rne]
    own_year_end = _march_31(year)
    rule2 = open_old & ~has_next
    rule1a = open_old & next_s
    rule1 = open_old & has_next & ~rule1a
    dec[rule1] = next_decom[rule1]
    day_before = next_decom[rule1a] - np.timedelta64(1, "D")
    dec[rule1a] = np.minimum(own_year_end[rule1a], day_before)
    dec[rule2] = own_year_end[rule2]
    moved = rule1 & next_move
    counts["rule_1"], counts["rule_1a"], counts["rule_2"] = (
        int(rule1.sum()),
        int(rule1a.sum()),
        int(rule2.sum()),
    )

    # 3. rules 4 and 5: a later return's next episode fixes this one's end
    is_x1 = _isin_text(episodes["REC"], ("X1",))[rows]
    is_x1 = (is_x1 & ~(rule1a | rule2)) | rule1  # REC as rules 1, 1A and 2 left it
    later = has_next & (_shifted(year, -1, 0) > year) & ~np.isnat(dec)
    rule4 = later & (dec > next_decom)
    rule5 = later & ~rule4 & is_x1 & (dec < next_decom)
    dec[rule4 | rule5] = next_decom[rule4 | rule5]
    counts["rule_4"], counts["rule_5"] = int(rule4.sum()), int(rule5.sum())
    changed = rule1 | rule1a | rule2 | rule4 | rule5

    frame = episodes.take(rows).reset_index(drop=True)
    first_rule = np.select([rule1, rule1a, rule2], [1, 2, 3], 0)
    second_rule = np.select([rule4, rule5], [1, 2], 0)
    labels = np.array(
        [
            " | ".join(r for r in (a, b) if r) or "Original"
            for a in ("", "RULE_1", "RULE_1A", "RULE_2")
            for b in ("", "RULE_4", "RULE_5")
        ],
        dtype=object,
    )
    frame["EPISODE_SOURCE"] = pd.Series(labels[first_rule * 3 + second_rule], dtype="str")
    if changed.any():
        frame.loc[changed, "DEC"] = format_dates(pd.Series(dec[changed])).to_numpy()
    if (rule1 | rule1a | rule2).any():
        frame.loc[rule1, "REC"] = "X1"
        frame.loc[rule1a | rule2, "REC"] = EPISODE_FIX_REC
    if moved.any():
        frame.loc[moved, "REASON_PLACE_CHANGE"] = EPISODE_FIX_REASON
    return frame, counts, rows


def _cells(values: pd.Series, positions: np.ndarray) -> np.ndarray:
    """The cells at ``positions`` as an object array (None for blanks)."""
    picked = values.iloc[positions].to_numpy(dtype=object)
    return np.where(pd.isna(picked), None, picked)


def _isin_text(values: pd.Series, texts: Sequence[str]) -> np.ndarray:
    """Whether each cell is one of ``texts`` (worked out on the column's distinct values)."""
    return isin_text(values, texts)


def combine_returns(returns: Sequence[Return]) -> History:
    """Combine returns of different years into one :class:`History`.

    Parameters
    ----------
    returns
        One :class:`Return` per collection year (any order; years must differ).

    Returns
    -------
    History
        Episodes fixed by :func:`fix_episodes` (rows without a valid DECOM or without a CHILD
        are left out, with a warning each); the Header row of each child from the latest return
        holding the child; every other table concatenated. Every table gets ``YEAR`` (the
        return's collection year) and ``ROW`` (the row number in that return's file).

    Raises
    ------
    DataError
        When two returns are for the same year, or none is given.
    """
    if not returns:
        raise DataError("no 903 returns to combine: give at least one year's folder")
    by_year: dict[int, Return] = {}
    for ret in returns:
        if ret.year in by_year:
            raise DataError(
                f"{by_year[ret.year].folder} and {ret.folder} are both for {ret.label}: keep one"
            )
        by_year[ret.year] = ret
    years = tuple(sorted(by_year))
    warnings = [w for y in years for w in by_year[y].warnings]

    def stacked(table: str) -> pd.DataFrame | None:
        parts = []
        for year in years:
            frame = by_year[year].tables.get(table)
            if frame is not None:
                part = frame.reset_index(names="ROW")[list(TABLES[table]) + ["ROW"]]
                part.insert(len(TABLES[table]), "YEAR", year)
                parts.append(part)
        if not parts:
            return None
        combined = pd.concat(parts, ignore_index=True)
        combined["YEAR"] = combined["YEAR"].astype("int64")
        combined["ROW"] = combined["ROW"].astype("int64")
        return combined

    child_codes, child_ids = _history_child_codes([by_year[year].tables for year in years])
    rank = np.empty(len(child_ids), dtype=np.int64)
    rank[pc.sort_indices(child_ids).to_numpy()] = np.arange(len(child_ids))
    rank = np.append(rank, -1)  # code -1 (a blank CHILD): -1

    tables: dict[str, pd.DataFrame] = {}
    numbers: dict[str, np.ndarray] = {}
    for table in TABLES:
        combined = stacked(table)
        if combined is None:
            continue
        codes = child_codes[table]
        if table == "Episodes":
            bad = np.isnat(date_values(combined["DECOM"]))
            if bad.any():
                warnings.append(
                    f"{int(bad.sum())} Episodes rows without a valid DECOM were left out of the "
                    "history: validate the returns to find them"
                )
            nobody = combined["CHILD"].isna().to_numpy() & ~bad
            if nobody.any():
                warnings.append(
                    f"{int(nobody.sum())} Episodes rows without a CHILD were left out of the "
                    "history: validate the returns to find them"
                )
            if bad.any() or nobody.any():
                combined = combined[~(bad | nobody)]
                codes = codes[~(bad | nobody)]
            combined, _, kept = _fix_episodes(combined, years[-1], rank[codes])
            codes = codes[kept]
        elif table == "Header":
            # each child's row from the latest return (the first such row), sorted by CHILD
            # (blank last): one stable lexsort on integer keys instead of sorting the text
            child = rank[codes]
            blank = child < 0
            year = -combined["YEAR"].to_numpy(dtype=np.int64)
            last = int(child[~blank].max(initial=-1)) + 1
            order = sort_order([np.where(blank, last, child), year])
            child = np.where(blank, last, child)[order]
            first = np.ones(len(child), dtype=bool)
            first[1:] = child[1:] != child[:-1]
            combined = combined.take(order[first]).reset_index(drop=True)
            codes = codes[order[first]]
        tables[table] = combined
        numbers[table] = codes
    _keep_history_numbering(tables, numbers, child_ids)
    return History(years=years, returns=by_year, tables=tables, warnings=warnings)


def _history_child_codes(
    returns: Sequence[Mapping[str, pd.DataFrame]],
) -> tuple[dict[str, np.ndarray], pa.Array]:
    """One numbering of the CHILD ids of several returns (oldest first), from each return's own
    (:func:`return_child_codes`, usually worked out already by validation): only each return's
    distinct ids are matched across returns. Codes of each table's rows, the returns' rows one
    after another as :func:`combine_returns` stacks them (-1 for a blank CHILD), and the ids.
    """
    numbered = [return_child_codes(tables) for tables in returns]
    ids = [found for _, found in numbered]
    merged = pa.chunked_array(ids, pa.large_string()).dictionary_encode().combine_chunks()
    into = merged.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    bounds = np.cumsum([0] + [len(found) for found in ids])
    out: dict[str, np.ndarray] = {}
    for table in TABLES:
        parts = [
            np.append(into[a:b], -1)[codes[table]]
            for (codes, _), a, b in zip(numbered, bounds, bounds[1:], strict=False)
            if table in codes
        ]
        if parts:
            out[table] = np.concatenate(parts)
    return out, merged.dictionary


def _keep_history_numbering(
    tables: Mapping[str, pd.DataFrame], codes: Mapping[str, np.ndarray], ids: pa.Array
) -> None:
    """Keep with each table's CHILD column its rows' CHILD numbers in one numbering of the
    history (``ids``), for :func:`history_child_codes`."""
    for table, frame in tables.items():
        cache = _column_cache(frame["CHILD"])
        if cache is not None:
            cache["history_child_codes"] = (ids, codes[table])


def history_child_codes(
    tables: Mapping[str, pd.DataFrame],
) -> tuple[dict[str, np.ndarray], pa.Array] | None:
    """The CHILD numbers of each row of ``tables`` that :func:`combine_returns` kept with the
    tables' CHILD columns, when every table has them, in one numbering (``ids``); else None
    (a table replaced or added since). The numbers are not in any particular order.

    Returns
    -------
    tuple or None
        For each table, the number of each row's CHILD (-1 blank); the CHILD ids in number
        order (pyarrow large strings).
    """
    ids: pa.Array | None = None
    out: dict[str, np.ndarray] = {}
    for table, frame in tables.items():
        cache = _column_cache(frame["CHILD"])
        found = None if cache is None else cache.get("history_child_codes")
        if found is None or (ids is not None and found[0] is not ids):
            return None
        ids = found[0]
        if len(found[1]) != len(frame):
            return None
        out[table] = found[1]
    if ids is None:
        return None
    return out, ids
