"""Our own checks of a 903 return: the problems that would make reportgen's figures wrong.

These are not the DfE's ~300 validation rules (run the DfE validator for the submission itself,
``indicators.md`` section 7). They catch what breaks the indicator engine, each problem naming the
file, the spreadsheet row (header = row 1, first data row = 2), the child, the column and the value,
with a fix:

==========================  ======================================================================
Check (``Problem.check``)   What it finds
==========================  ======================================================================
``file``                    unreadable, empty or binary files (error); a file read as
                            Windows-1252 (``encoding``, warning); a non-CSV file in the folder
                            (``ignored_file``, warning); a table not collected that year
                            (``table_year``, warning); a folder named for another year
                            (``folder_year``, warning)
``columns``                 columns that match no 903 table: one problem per missing or extra
                            column, naming the closest table
``delimiter``               a file with ';' between its columns (export as comma-separated)
``row_width``               a row with more cells than the header has columns
``duplicate_table``         two files holding the same table
``missing_table``           no Header or no Episodes table
``required``                blank CHILD, DOB, DECOM, RNE, LS, PLACE, SEX, ETHNIC where required
``date``                    not ``dd/mm/YYYY`` (ISO dates get their own message), impossible dates
                            (31/02/2024), dates before 1900, DOB in the future or after the year
``code``                    codes not valid in the collection year (K3 before 2024-25, SEX 1/2 from
                            2024-25, Z1 from 2025-26); P2 still open after 28 October 2023;
                            H5/P2/K3 below the minimum age
``duplicate``               repeated rows; two rows with the same key (CHILD + DECOM for Episodes)
``child``                   a CHILD that is not in the Header; a DOB that differs from the Header's
``episode``                 DEC before DECOM, DECOM before birth, REC without DEC or DEC without
                            REC, DECOM after the year, DEC after the year end (warning), DEC before
                            the year started (warning)
``overlap``                 an episode starting before the child's previous episode ended
``x1_chain``                REC X1 (care continues) with no next episode starting on DEC
``continuity``              across two consecutive returns (:func:`check_continuity`): children
                            looked after at the end of one + starts - cessations in the next
                            differ from the next one's children at its end (warning)
==========================  ======================================================================

Checks are vectorised with pandas (England-sized returns take a few seconds); Python loops run only
over the rows that fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from reportgen import codes
from reportgen.core.redact import WITHHELD, redact, redact_value
from reportgen.sources.ssda903.read import (
    DATE_COLUMNS,
    KEY_COLUMNS,
    TABLES,
    FileIssue,
    ReturnScan,
    date_values,
    day_key,
    encode,
    first_positions,
    isin_text,
    memo,
    parse_dates,
    return_child_codes,
    scan_return,
    sort_order,
    unique_dates,
    year_end,
    year_label,
    year_start,
)

Severity = Literal["error", "warning"]

PROBLEM_COLUMNS = ("file", "row", "child", "column", "value", "severity", "message", "check")
"""Columns of :func:`problems_frame` and of the CSV written by :func:`write_problems_csv`."""

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "PLACE"),
}
"""Columns that must be filled in every row (every table needs CHILD, and DOB where it has one)."""

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d+)$")
_PARTIAL = re.compile(r"^(\d{2}|ZZ)/(\d{2}|ZZ)/(\d{4})$")
_EARLIEST = pd.Timestamp(1900, 1, 1)


@dataclass(frozen=True)
class Problem:
    """One problem in a 903 return.

    Attributes
    ----------
    file
        File name within the return folder (the folder itself for a missing table).
    row
        Row number as a spreadsheet shows it: the header is row 1, the first data row is row 2.
        ``None`` for a problem with the whole file.
    child
        The CHILD of the row, when there is one.
    column
        The column at fault, when there is one.
    value
        The offending value, as written in the file (upper-cased and stripped).
    message
        What is wrong and how to fix it, in one line.
    severity
        ``"error"``: figures would be wrong or cannot be produced; ``"warning"``: worth a look.
    check
        Which check found it (see the module docstring).
    """

    file: str
    row: int | None
    child: str | None
    column: str | None
    value: str | None
    message: str
    severity: Severity = "error"
    check: str = ""

    def __str__(self) -> str:
        """File, row and column; never the CHILD id, a date or an identifying value (those go
        to the findings file, ``reportgen validate --csv``)."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        shown = redact_value(self.column, self.value)
        value = f" ({shown})" if shown is not None and shown != WITHHELD else ""
        message = redact(self.message, [self.child] if self.child else ())
        return f"{self.severity}: {', '.join(parts)}{value}: {message}"


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem is an error (not just a warning)."""
    return any(p.severity == "error" for p in problems)


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """The problems as a table (columns :data:`PROBLEM_COLUMNS`; ``row`` as nullable integers)."""
    rows = [asdict(p) for p in problems]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame


def write_problems_csv(problems: Iterable[Problem], path: Path | str) -> Path:
    """Write the problems to a CSV (UTF-8 with a byte-order mark, so Excel opens it correctly).

    The file is written under a temporary name in the same folder and then renamed, so a failure
    never leaves a half-written file.

    Returns
    -------
    Path
        ``path``.
    """
    from reportgen.core.atomic import write_csv

    return write_csv(problems_frame(problems), path)


# --------------------------------------------------------------------------------------------
# Building problems from masks (loops run only over failing rows)


class _Collector:
    """Holds the scanned return and turns masks into :class:`Problem` objects."""

    def __init__(self, scan: ReturnScan) -> None:
        self.scan = scan
        self.year = scan.year
        self.tables = scan.tables
        self.problems: list[Problem] = []
        self.cache: dict[str, object] = {}

    def file(self, table: str) -> str:
        return self.scan.files[table].name

    def add(
        self,
        table: str,
        mask: pd.Series,
        column: str | None,
        message: str | Callable[[pd.Series], str],
        check: str,
        severity: Severity = "error",
        frame: pd.DataFrame | None = None,
    ) -> None:
        """One problem per True row of ``mask`` (aligned on the table's row-number index).

        ``message`` is a string, or a function of the row (a Series holding the table's columns
        plus any extra columns of ``frame``).
        """
        frame = self.tables[table] if frame is None else frame
        if mask.dtype == bool and not mask.to_numpy().any():
            return  # the common case, without aligning the mask
        mask = mask.reindex(frame.index, fill_value=False).fillna(False).astype(bool)
        if not mask.any():
            return
        name = self.file(table)
        picked = frame[mask.to_numpy()]
        columns = list(picked.columns)
        for row_number, cells in zip(
            picked.index, picked.itertuples(index=False, name=None), strict=True
        ):
            row = _Row(zip(columns, cells, strict=True))
            row.name = row_number
            value = row.get(column) if column else None
            text = message(row) if callable(message) else message
            self.problems.append(
                Problem(
                    file=name,
                    row=int(row_number),
                    child=_text(row.get("CHILD")),
                    column=column,
                    value=_text(value),
                    message=text,
                    severity=severity,
                    check=check,
                )
            )

    def child_codes(self, table: str) -> np.ndarray:
        """For each row of ``table``: its CHILD's number (-1 when blank), one numbering for every
        table of the return, the Header's children first (in order of first appearance); worked
        out in one pass over every CHILD column (:func:`~reportgen.sources.ssda903.read.return_child_codes`,
        which :func:`~reportgen.sources.ssda903.read.combine_returns` uses again)."""
        if "child_codes" not in self.cache:
            found, _ = return_child_codes(self.tables)
            header = found.get("Header", np.zeros(0, dtype=np.int64))
            self.cache["n_header_children"] = int(header.max()) + 1 if len(header) else 0
            self.cache["child_codes"] = found  # type: ignore[assignment]
        return self.cache["child_codes"][table]  # type: ignore[index]

    def header_child(self, table: str) -> np.ndarray:
        """For each row of ``table``: its CHILD's number among the Header's CHILD ids (in order
        of first appearance), -1 when blank or not in the Header."""
        key = f"header_child:{table}"
        if key not in self.cache:
            codes = self.child_codes(table)
            self.cache[key] = np.where(codes < self.cache["n_header_children"], codes, -1)
        return self.cache[key]  # type: ignore[return-value]

    def header_rows(self, table: str) -> np.ndarray:
        """For each row of ``table``: the position in the Header of the first row of its CHILD
        (-1 when none)."""
        key = f"header_rows:{table}"
        if key not in self.cache:
            if "header_first" not in self.cache:
                self.cache["header_first"] = first_positions(self.header_child("Header"))
            first = self.cache["header_first"]
            found = self.header_child(table)
            self.cache[key] = np.where(found >= 0, np.append(first, -1)[found], -1)
        return self.cache[key]  # type: ignore[return-value]

    def header_dob(self, table: str) -> np.ndarray:
        """The parsed Header DOB of each row's CHILD (``datetime64[ns]``, NaT when none)."""
        key = f"header_dob:{table}"
        if key not in self.cache:
            rows = self.header_rows(table)
            dob = date_values(self.tables["Header"]["DOB"])
            self.cache[key] = np.append(dob, np.datetime64("NaT", "ns"))[rows]  # -1: NaT
        return self.cache[key]  # type: ignore[return-value]


class _Row(dict):
    """One failing row for a message function: ``row[column]``, ``row.get(column)`` and
    ``row.name`` (its row number), as a pandas row would give, without building a Series."""

    name: object = None


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _isin(values: pd.Series, allowed: Iterable[str]) -> np.ndarray:
    """``values.isin(allowed)`` as a boolean array
    (:func:`~reportgen.sources.ssda903.read.isin_text`)."""
    return isin_text(values, allowed)


def _series(mask: np.ndarray, frame: pd.DataFrame) -> pd.Series:
    return pd.Series(mask, index=frame.index, dtype=bool)


def _from_issue(issue: FileIssue) -> Problem:
    return Problem(
        file=issue.file,
        row=issue.row,
        child=None,
        column=issue.column,
        value=issue.value,
        message=issue.message,
        severity="warning" if issue.severity == "warning" else "error",
        check=issue.check,
    )


# --------------------------------------------------------------------------------------------
# The checks


def _check_required(c: _Collector) -> None:
    for table, frame in c.tables.items():
        required = REQUIRED_COLUMNS.get(table, ("CHILD",) + (("DOB",) if "DOB" in frame else ()))
        for column in required:
            c.add(
                table,
                frame[column].isna(),
                column,
                f"{column} is blank: every {table} row needs one",
                "required",
            )


def _check_not_empty(c: _Collector) -> list[Problem]:
    """Header and Episodes with a header row but no data: nothing can be counted from them."""
    return [
        Problem(
            file=c.file(table),
            row=None,
            child=None,
            column=None,
            value=None,
            message=f"{table} has no data rows: a return needs at least one {table} row",
            severity="error",
            check="empty",
        )
        for table in ("Header", "Episodes")
        if table in c.tables and c.tables[table].empty
    ]


def _date_message(raw: str) -> str:
    if _ISO.match(raw):
        parsed = pd.to_datetime(raw[:10], format="%Y-%m-%d", errors="coerce")
        example = f" ({parsed:%d/%m/%Y})" if not pd.isna(parsed) else ""
        return f"{raw} is an ISO date: write dates as dd/mm/YYYY{example}"
    if " " in raw or "T" in raw or ":" in raw:
        return f"{raw} is not a date in dd/mm/YYYY form: remove any time and write dd/mm/YYYY"
    match = _DMY.match(raw)
    if match:
        if len(match[3]) != 4:
            return f"{raw} does not have a four-digit year: write dates as dd/mm/YYYY"
        return f"{raw} is not a real date (no such day): correct it"
    return f"{raw} is not a date in dd/mm/YYYY form: correct it"


def _check_dates(c: _Collector) -> None:
    """Each check on the column's distinct values (parsed once); rows only for failing ones."""
    end, today = year_end(c.year), pd.Timestamp(date.today())
    end64, today64 = end.to_datetime64(), today.to_datetime64()
    earliest64 = _EARLIEST.to_datetime64()
    label = year_label(c.year)
    for table, frame in c.tables.items():
        for column in DATE_COLUMNS[table]:
            raw = frame[column]
            codes_, parsed = unique_dates(raw)  # the last value is the blank's NaT

            def add(
                bad: np.ndarray,
                message: Callable[[pd.Series], str],
                severity: Severity = "error",
                table: str = table,
                frame: pd.DataFrame = frame,
                codes_: np.ndarray = codes_,
                column: str = column,
            ) -> None:
                if bad.any():
                    c.add(table, _series(bad[codes_], frame), column, message, "date", severity)

            bad = np.isnat(parsed)
            bad[-1] = False  # blank cells are not dates to check
            if table == "PrevPerm" and column == "DATE_PERM" and bad.any():
                # the day or month of a previous permanence order may be unknown: ZZ/MM/YYYY
                texts = pd.Series(encode(raw)[1].to_pylist(), dtype=raw.dtype)
                partial = texts.str.match(_PARTIAL.pattern).fillna(False).astype(bool)
                bad &= ~np.append(partial.to_numpy(dtype=bool), False)
            add(bad, lambda r, col=column: _date_message(r[col]))
            add(
                parsed < earliest64,
                lambda r, col=column: f"{r[col]} is not a possible date (before 1900): correct it",
            )
            if column in ("DOB", "MC_DOB"):
                add(
                    parsed > today64,
                    lambda r, col=column: f"{col} {r[col]} is in the future: correct it",
                )
                add(
                    (parsed > end64) & (parsed <= today64),
                    lambda r, col=column: (
                        f"{col} {r[col]} is after the end of {label} ({end:%d/%m/%Y}): "
                        "correct it, or check the folder is for the right year"
                    ),
                )
            elif column not in ("DECOM", "DEC", "DUC"):
                # Episodes dates have their own checks; DUC, when UASC status ends, is the 18th
                # birthday for a child still under 18, so it is rightly after the year's end
                add(
                    parsed > end64,
                    lambda r, col=column: (
                        f"{col} {r[col]} is after the end of {label} ({end:%d/%m/%Y}): "
                        "check it belongs in this return"
                    ),
                    severity="warning",
                )


def _ymd(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of ``datetime64`` dates (meaningless where NaT)."""
    months = dates.astype("datetime64[M]")
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (dates.astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _age_on(dob: pd.Series, when: pd.Series) -> pd.Series:
    """Age in whole years on a date (vectorised; NaN where either date is missing).

    >>> dob = pd.Series(pd.to_datetime(["2010-03-01", "2010-03-01", None]))
    >>> _age_on(dob, pd.Series(pd.to_datetime(["2020-02-29", "2020-03-01", "2020-01-01"]))).tolist()
    [9.0, 10.0, nan]
    """
    born = dob.to_numpy(dtype="datetime64[ns]")
    on = when.to_numpy(dtype="datetime64[ns]")
    (by, bm, bd), (wy, wm, wd) = _ymd(born), _ymd(on)
    before_birthday = (wm < bm) | ((wm == bm) & (wd < bd))
    age = (wy - by - before_birthday).astype("float64")
    age[np.isnat(born) | np.isnat(on)] = np.nan
    return pd.Series(age, index=when.index)


def _check_codes(c: _Collector) -> None:
    label = year_label(c.year)
    for table, frame in c.tables.items():
        for column in TABLES[table]:
            field = codes.field_for_column(column)
            if field is None:
                continue
            valid = codes.valid_codes(field, c.year)
            bad = frame[column].notna().to_numpy() & ~_isin(frame[column], valid)
            if not bad.any():
                continue

            def message(row: pd.Series, column: str = column, field: str = field) -> str:
                value = row[column]
                info = codes.code_info(field, value)
                allowed = ", ".join(sorted(codes.valid_codes(field, c.year)))
                if info is not None:
                    return (
                        f"{value} is not a valid {column} code in {label} ({info.validity()}): "
                        f"use one of {allowed}"
                    )
                title = codes.field_info(field).title.lower()
                return f"{value} is not a {column} code ({title}): use one of {allowed}"

            c.add(table, _series(bad, frame), column, message, "code")

    episodes = c.tables.get("Episodes")
    if episodes is None:
        return
    decom, dec = parse_dates(episodes["DECOM"]), parse_dates(episodes["DEC"])
    place = episodes["PLACE"]
    valid_places = codes.valid_codes("PLACE", c.year)
    for code in sorted(valid_places):
        info = codes.code_info("PLACE", code)
        if info is None or info.must_end_by is None:
            continue
        last = pd.Timestamp(info.must_end_by)
        still_open = episodes["DEC"].isna() if last < year_end(c.year) else False
        late = _series(_isin(place, [code]), episodes) & (still_open | (dec > last))
        c.add(
            "Episodes",
            late,
            "PLACE",
            lambda r, code=code, last=last: (
                f"{code} is not a valid placement type after {last:%d/%m/%Y}: end this episode "
                f"by then (DEC) and record the new placement from that date"
            ),
            "code",
        )
    header = c.tables.get("Header")
    if header is None:
        return
    dob = pd.Series(c.header_dob("Episodes"), index=episodes.index)
    age = _age_on(dob, decom)
    for code in sorted(valid_places):
        info = codes.code_info("PLACE", code)
        minimum = info.min_age_in(c.year) if info else None
        if minimum is None:
            continue
        young = _series(_isin(place, [code]), episodes) & (age < minimum)
        if not young.any():
            continue
        frame = episodes.assign(_AGE=age)
        c.add(
            "Episodes",
            young,
            "PLACE",
            lambda r, code=code, minimum=minimum: (
                f"the child was {int(r['_AGE'])} when this {code} placement started "
                f"({r['DECOM']}); {code} needs age {minimum} or over in {label}"
            ),
            "code",
            frame=frame,
        )


def _key_codes(c: _Collector, table: str) -> list[np.ndarray]:
    """Integer codes (-1 for blanks) of each key column of ``table``."""
    frame = c.tables[table]
    return [
        c.child_codes(table) if key == "CHILD" else encode(frame[key])[0]
        for key in KEY_COLUMNS[table]
    ]


def _key_groups(codes: Sequence[np.ndarray]) -> np.ndarray:
    """Group number (``0 .. n - 1``, not in any particular order) of each row's key (blank values
    form groups too, as ``groupby(..., dropna=False)``), from the key columns' integer codes:
    a one-column key's codes as they are, several columns combined and numbered once."""
    combined = codes[0] + 1
    for column in codes[1:]:
        width = int(column.max(initial=-1)) + 2
        if int(combined.max(initial=0)) >= np.iinfo(np.int64).max // width // 2:
            combined, _ = pd.factorize(combined)  # keep the combined numbers in range
        combined = combined * width + (column + 1)
    if len(codes) > 1:
        combined, _ = pd.factorize(combined)
    return np.asarray(combined, dtype=np.int64)


def _group_min(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The smallest of ``values`` in each row's group (groups numbered ``0 .. n - 1``)."""
    if not len(values):
        return values.copy()
    least = np.full(int(groups.max()) + 1, np.iinfo(np.int64).max)
    np.minimum.at(least, groups, values)
    return least[groups]


def _check_duplicates(c: _Collector) -> set[int]:
    """Repeated rows and keys; returns the Episodes rows to leave out of the sequence checks.

    Rows with the same key are found on the key columns' integer codes; whole rows are compared
    only among those (a repeated row repeats its key too)."""
    skip: set[int] = set()
    for table, frame in c.tables.items():
        if frame.empty:
            continue
        keys = list(KEY_COLUMNS[table])
        key_codes = _key_codes(c, table)
        groups = _key_groups(key_codes)
        rows = frame.index.to_numpy(dtype=np.int64)
        key_first_rows = _group_min(groups, rows)
        shared = np.bincount(groups)[groups] > 1
        repeated_rows = np.zeros(len(frame), dtype=bool)
        first = pd.Series(rows, index=frame.index)
        if shared.any():
            candidates = frame[shared]
            numbered = candidates.reset_index()
            columns = list(frame.columns)
            first_row = numbered.groupby(columns, dropna=False, sort=False)["row"].transform("min")
            repeated_rows[shared] = (numbered["row"] != first_row).to_numpy()
            first.loc[candidates.index] = first_row.to_numpy()
        repeated = _series(repeated_rows, frame)
        c.add(
            table,
            repeated,
            None,
            lambda r, first=first: f"this row repeats row {first[r.name]}: delete it",
            "duplicate",
        )
        complete = np.ones(len(frame), dtype=bool)
        for codes_ in key_codes:
            complete &= codes_ >= 0
        key_first = pd.Series(key_first_rows, index=frame.index)
        again = _series(complete & (rows != key_first_rows) & ~repeated_rows, frame)
        described = " + ".join(keys)
        c.add(
            table,
            again,
            keys[-1],
            lambda r, key_first=key_first, described=described: (
                f"a second {described} row for this child (the first is row "
                f"{key_first[r.name]}): keep one, correcting its values"
            ),
            "duplicate",
        )
        if table == "Episodes":
            skip |= set(frame.index[repeated | again])
    return skip


def _check_children(c: _Collector) -> None:
    header = c.tables.get("Header")
    if header is None:
        return
    for table, frame in c.tables.items():
        if table == "Header":
            continue
        found = c.header_child(table)
        missing = (c.child_codes(table) >= 0) & (found < 0)
        c.add(
            table,
            _series(missing, frame),
            "CHILD",
            f"this child is not in the Header ({c.file('Header')}): add the child's Header row "
            "or correct the CHILD id",
            "child",
        )
        if "DOB" in frame:
            own, expected = date_values(frame["DOB"]), c.header_dob(table)
            differs = ~np.isnat(own) & ~np.isnat(expected) & (own != expected)
            if not differs.any():
                continue
            at = c.header_rows(table)[differs]
            shown = pd.Series(header["DOB"].iloc[at].to_numpy(), index=frame.index[differs])
            c.add(
                table,
                _series(differs, frame),
                "DOB",
                lambda r, shown=shown: (
                    f"DOB {r['DOB']} differs from the Header DOB {shown[r.name]}: "
                    "make them the same"
                ),
                "child",
            )


def _check_episodes(c: _Collector, skip: set[int]) -> None:
    episodes = c.tables.get("Episodes")
    if episodes is None or episodes.empty:
        return
    start, end = year_start(c.year), year_end(c.year)
    label = year_label(c.year)
    decom, dec = parse_dates(episodes["DECOM"]), parse_dates(episodes["DEC"])
    rec = episodes["REC"]

    c.add(
        "Episodes",
        dec < decom,
        "DEC",
        lambda r: f"DEC {r['DEC']} is before DECOM {r['DECOM']}: correct one of them",
        "episode",
    )
    header = c.tables.get("Header")
    if header is not None:
        dob = pd.Series(c.header_dob("Episodes"), index=episodes.index)
        c.add(
            "Episodes",
            decom < dob,
            "DECOM",
            lambda r: f"DECOM {r['DECOM']} is before the child's date of birth: correct it",
            "episode",
        )
    c.add(
        "Episodes",
        episodes["DEC"].notna() & rec.isna(),
        "REC",
        "REC is blank but DEC is filled: give the reason the episode ceased "
        "(X1 if care continued in a new episode)",
        "episode",
    )
    c.add(
        "Episodes",
        rec.notna() & episodes["DEC"].isna(),
        "DEC",
        "DEC is blank but REC is filled: give the date the episode ceased, or clear REC if the "
        "episode is still open",
        "episode",
    )
    c.add(
        "Episodes",
        decom > end,
        "DECOM",
        f"the episode starts after the end of {label} ({end:%d/%m/%Y}): it belongs in the "
        "next year's return",
        "episode",
    )
    c.add(
        "Episodes",
        dec > end,
        "DEC",
        f"DEC is after the end of {label} ({end:%d/%m/%Y}): the episode was open at the year "
        "end, so DEC and REC should be blank in this return",
        "episode",
        severity="warning",
    )
    c.add(
        "Episodes",
        dec < start,
        "DEC",
        f"the episode ended before {label} began ({start:%d/%m/%Y}): it belongs in an earlier "
        "return",
        "episode",
        severity="warning",
    )

    # sequence checks: each child's episodes in DECOM order (valid dates, no duplicate keys),
    # on integer codes: one stable sort, neighbours compared as arrays
    decom_v, dec_v = date_values(episodes["DECOM"]), date_values(episodes["DEC"])
    usable = ~np.isnat(decom_v) & ~episodes.index.isin(list(skip))
    child = c.child_codes("Episodes")
    at = np.flatnonzero(usable)
    order = at[sort_order([child[at], day_key(decom_v[at])])]
    child, decom_s, dec_s = child[order], decom_v[order], dec_v[order]
    dec_blank = episodes["DEC"].isna().to_numpy()[order]
    same_prev = np.zeros(len(order), dtype=bool)
    same_prev[1:] = (child[1:] == child[:-1]) & (child[1:] >= 0)
    same_next = np.append(same_prev[1:], False)
    prev_dec = np.append(np.datetime64("NaT", "ns"), dec_s[:-1])
    prev_blank = np.append(True, dec_blank[:-1])
    overlap = same_prev & (prev_blank | (decom_s < prev_dec))
    is_x1 = _isin(episodes["REC"], ["X1"])[order] & ~np.isnat(dec_s)
    no_next = is_x1 & ~same_next & (dec_s <= end.to_datetime64())
    next_decom = np.append(decom_s[1:], np.datetime64("NaT", "ns"))
    gap = is_x1 & same_next & (next_decom != dec_s) & ~np.append(overlap[1:], False)
    rows = episodes.index.to_numpy()[order]

    def failing(mask: np.ndarray) -> pd.DataFrame:
        """The failing rows (in sequence order) with their neighbours' rows and dates."""
        where = np.flatnonzero(mask)
        frame = episodes.iloc[order[where]].copy()
        before, after = np.maximum(where - 1, 0), np.minimum(where + 1, len(order) - 1)
        frame["_PREV_ROW"] = rows[before]
        frame["_PREV_DEC"] = episodes["DEC"].iloc[order[before]].to_numpy()
        frame["_NEXT_ROW"] = rows[after]
        frame["_NEXT_DECOM"] = episodes["DECOM"].iloc[order[after]].to_numpy()
        return frame

    def overlap_message(r: pd.Series) -> str:
        ended = "is still open (no DEC)" if pd.isna(r["_PREV_DEC"]) else f"ends on {r['_PREV_DEC']}"
        return (
            f"the episode starts on {r['DECOM']}, but the child's previous episode (row "
            f"{int(r['_PREV_ROW'])}) {ended}: one child can only have one episode at a time; "
            "correct DECOM or the previous DEC"
        )

    for mask, column, message, check in (
        (overlap, "DECOM", overlap_message, "overlap"),
        (
            no_next,
            "REC",
            lambda r: (
                f"REC is X1 (care continues in a new episode) but the child has no episode "
                f"starting on {r['DEC']}: add that episode, or give the real reason care ended"
            ),
            "x1_chain",
        ),
        (
            gap,
            "REC",
            lambda r: (
                f"REC is X1 (care continues) but the next episode (row {int(r['_NEXT_ROW'])}) "
                f"starts on {r['_NEXT_DECOM']}, not on DEC {r['DEC']}: make the next DECOM equal "
                "this DEC, or give the real reason care ended"
            ),
            "x1_chain",
        ),
    ):
        if mask.any():
            frame = failing(mask)
            flags = pd.Series(True, index=frame.index, dtype=bool)
            c.add("Episodes", flags, column, message, check, frame=frame)


def validate_return(folder: Path | str, year: int) -> list[Problem]:
    """Check one collection year's 903 return folder.

    Parameters
    ----------
    folder
        Folder of the return's CSVs.
    year
        Collection end year (``2025`` for 2024-25).

    Returns
    -------
    list of Problem
        Sorted by file, row and column (in the DfE column order); empty when nothing was found.

    Raises
    ------
    DataError
        Only when the folder does not exist (everything else is reported as a problem).
    """
    return validate_scan(scan_return(folder, year))


def validate_scan(scan: ReturnScan) -> list[Problem]:
    """:func:`validate_return` on a folder already read by
    :func:`~reportgen.sources.ssda903.read.scan_return`."""
    problems = [_from_issue(issue) for issue in scan.issues]
    collector = _Collector(scan)
    problems.extend(_check_not_empty(collector))
    _check_required(collector)
    _check_dates(collector)
    _check_codes(collector)
    skip = _check_duplicates(collector)
    _check_children(collector)
    _check_episodes(collector, skip)
    problems.extend(collector.problems)
    # file, then row, then the column's place in the DfE table (CHILD, DECOM, ... as in the file)
    position = {
        (path.name, column): index
        for table, path in scan.files.items()
        for index, column in enumerate(TABLES[table])
    }
    return sorted(
        problems,
        key=lambda p: (
            p.file,
            p.row if p.row is not None else 0,
            position.get((p.file, p.column or ""), -1 if p.column is None else 99),
            p.column or "",
            p.check,
            p.message,
        ),
    )


_SHORT_BREAK_LS = ("V3", "V4")


_FLOW_COLUMNS = ("DECOM", "DEC", "REC", "RNE", "LS")


def _stock_and_flows(episodes: pd.DataFrame, year: int) -> dict[str, np.ndarray]:
    """:func:`_count_stock_and_flows`, worked out once per Episodes table and year (a return is
    checked against the one before it and the one after it)."""
    return memo(
        episodes["CHILD"],
        f"stock_and_flows:{year}",
        [episodes[column] for column in _FLOW_COLUMNS],
        lambda: _count_stock_and_flows(episodes, year),
    )


def _count_stock_and_flows(episodes: pd.DataFrame, year: int) -> dict[str, np.ndarray]:
    """Per child of one return (numbered as :func:`~reportgen.sources.ssda903.read.encode`
    numbers the CHILD column; ``ids`` holds the CHILD ids): looked after at its year end
    (``looked_after``), and how many periods of care started (RNE S) and ended (REC other than
    X1) in its year. Periods of care made only of short breaks (LS V3/V4) are left out, as in
    the DfE's counts."""
    child, ids = encode(episodes["CHILD"])
    decom, dec = date_values(episodes["DECOM"]), date_values(episodes["DEC"])
    at = np.flatnonzero(~np.isnat(decom) & (child >= 0))
    order = at[sort_order([child[at], day_key(decom[at])])]  # each child's, by DECOM
    child, decom, dec = child[order], decom[order], dec[order]
    is_x1 = _isin(episodes["REC"], ["X1"])[order]
    is_s = _isin(episodes["RNE"], ["S"])[order]
    short = _isin(episodes["LS"], _SHORT_BREAK_LS)[order]
    new_period = np.ones(len(order), dtype=bool)
    new_period[1:] = (child[1:] != child[:-1]) | ~is_x1[:-1]
    new_period |= is_s
    period = np.cumsum(new_period) - 1
    n_periods = int(period[-1]) + 1 if len(period) else 0
    all_short = np.bincount(period, weights=short, minlength=n_periods) == np.bincount(
        period, minlength=n_periods
    )
    kept = ~all_short[period]
    last = np.append(period[1:] != period[:-1], True) & kept
    first_day, last_day = year_start(year).to_datetime64(), year_end(year).to_datetime64()
    started = new_period & kept & is_s & (decom >= first_day) & (decom <= last_day)
    rec_filled = episodes["REC"].notna().to_numpy()[order]
    ceased = last & (dec >= first_day) & (dec <= last_day) & rec_filled & ~is_x1
    looked_after = last & episodes["DEC"].isna().to_numpy()[order]
    n = len(ids)
    return {
        "ids": ids,
        "looked_after": np.bincount(child, weights=looked_after, minlength=n) > 0,
        "started": np.bincount(child, weights=started, minlength=n).astype(np.int64),
        "ceased": np.bincount(child, weights=ceased, minlength=n).astype(np.int64),
    }


def check_continuity(older: ReturnScan, newer: ReturnScan) -> list[Problem]:
    """Check that one return follows from the one before it.

    The children looked after at the end of the older return, plus the periods of care the newer
    return starts, minus those it ends, must be the children looked after at the end of the newer
    return. A child looked after at the end of one return and missing from the next (or a start
    or cessation not recorded) breaks the balance: one warning gives the counts and how many
    children are unaccounted for, never who they are.

    Parameters
    ----------
    older, newer
        Scans of two consecutive collection years (``newer.year == older.year + 1``).

    Returns
    -------
    list of Problem
        Empty when the returns agree (or either lacks an Episodes table); else one warning
        (check ``continuity``) about the newer return's folder.
    """
    if "Episodes" not in older.tables or "Episodes" not in newer.tables:
        return []
    before = _stock_and_flows(older.tables["Episodes"], older.year)
    after = _stock_and_flows(newer.tables["Episodes"], newer.year)
    # the older return's children numbered as the newer one's (those not in it after them)
    n = len(after["ids"])
    at = pc.index_in(before["ids"], value_set=after["ids"]).to_numpy(zero_copy_only=False)
    missing = np.isnan(at) if at.dtype.kind == "f" else np.zeros(len(at), dtype=bool)
    at = np.where(missing, 0, at).astype(np.int64)
    at[missing] = n + np.arange(int(missing.sum()))
    total = n + int(missing.sum())
    was = np.zeros(total, dtype=np.int64)
    was[at] = before["looked_after"]
    stock = int(was.sum())
    started, ceased = int(after["started"].sum()), int(after["ceased"].sum())
    now = int(after["looked_after"].sum())
    balance = was.copy()
    balance[:n] += after["started"] - after["ceased"] - after["looked_after"]
    unaccounted = int(np.count_nonzero(balance))
    if not unaccounted:
        return []
    expected = stock + started - ceased
    children = "child" if unaccounted == 1 else "children"
    message = (
        f"{stock} looked after on 31 March {older.year} ({year_label(older.year)} return) + "
        f"{started} started - {ceased} ceased in {year_label(newer.year)} = {expected}, but the "
        f"{year_label(newer.year)} return has {now} looked after on 31 March {newer.year}: "
        f"{unaccounted} {children} unaccounted for (looked after at the end of one return and "
        "missing from the next, or a start or cessation not recorded): check both returns"
    )
    return [
        Problem(str(newer.folder), None, None, None, None, message, "warning", check="continuity")
    ]


def summarise(problems: Sequence[Problem]) -> str:
    """One line: ``"3 errors and 1 warning"`` (or ``"no problems"``)."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "no problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return " and ".join(parts)
