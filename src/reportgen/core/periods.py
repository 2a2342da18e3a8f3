"""Reporting periods: collection years, financial-year quarters, calendar months and date ranges.

English children's services count in *collection years* (the DfE reporting year), which run from
1 April to 31 March and are written ``2024-25``. The DfE's ``time_period`` column holds the year in
which the collection year ends (``2025`` for ``2024-25``); :attr:`Period.collection_year` uses the
same convention.

Accepted forms (case-insensitive, spaces around the parts tolerated):

=============================  ==============  ===============================================
Text                           Kind            Period
=============================  ==============  ===============================================
``2024-25``, ``2024/25``,      ``year``        1 April 2024 to 31 March 2025
``2024-2025``, ``2024/2025``
``2024-25Q3``, ``2024-25 Q3``  ``quarter``     Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar
``2025-01``                    ``month``       1 to 31 January 2025
``2024-04-01:2024-06-30``      ``range``       inclusive ISO dates
=============================  ==============  ===============================================

Every period has one canonical :attr:`Period.label` (``2024-25``, ``2024-25 Q3``, ``2025-01``,
``2024-04-01:2024-06-30``) and ``parse_period(p.label) == p``. A date range keeps its form even when
it spans exactly a year, quarter or month (``2024-04-01:2024-06-30`` stays a ``range``, with the
title "1 April 2024 to 30 June 2024"): the author chose to write dates, and the label round-trips.

``YYYY-NN`` is read as a collection year when ``NN`` is the two-digit year after ``YYYY`` (so
``2011-12`` is the collection year 2011-12, not December 2011; write the month as
``2011-12-01:2011-12-31``), and otherwise as a calendar month. This only matters for 2000 to 2011.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Literal, NoReturn

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from reportgen.core.errors import PeriodError

PeriodKind = Literal["year", "quarter", "month", "range"]

ACCEPTED_FORMS = (
    "2024-25 (collection year, also 2024/25 or 2024-2025), 2024-25 Q3 (financial-year quarter), "
    "2025-01 (calendar month) or 2024-04-01:2024-06-30 (inclusive dates)"
)
"""The accepted forms, as quoted in every :class:`~reportgen.core.errors.PeriodError`."""

MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names (not :data:`calendar.month_name`, which follows the locale)."""

_QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}
"""Financial-year quarter -> (first month, last month)."""

_YEAR = re.compile(r"^(?P<first>\d{4})\s*[-/]\s*(?P<second>\d{4}|\d{2})$")
_QUARTER = re.compile(r"^(?P<year>\d{4}\s*[-/]\s*(?:\d{4}|\d{2}))\s*Q\s*(?P<quarter>\d+)$", re.I)
_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
_RANGE = re.compile(r"^(?P<start>[^:]+?)\s*:\s*(?P<end>[^:]+)$")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")


@dataclass(frozen=True)
class Period:
    """A reporting period: a span of whole days, ``start`` to ``end`` inclusive.

    Build one with :func:`parse_period` (or :meth:`Period.for_collection_year`) rather than
    directly, so that the label is canonical.

    Parameters
    ----------
    label
        Canonical text: ``"2024-25"``, ``"2024-25 Q3"``, ``"2025-01"`` or
        ``"2024-04-01:2024-06-30"``. ``parse_period(label)`` gives this period back.
    kind
        ``"year"`` (collection year), ``"quarter"`` (financial-year quarter), ``"month"``
        (calendar month) or ``"range"`` (any other span of days).
    start, end
        First and last day, inclusive.
    """

    label: str
    kind: PeriodKind
    start: date
    end: date

    def __str__(self) -> str:
        return self.label

    @classmethod
    def for_collection_year(cls, collection_year: int) -> Period:
        """The collection year ending 31 March ``collection_year`` (2025 -> 2024-25)."""
        return parse_period(year_label(collection_year))

    @property
    def collection_year(self) -> int:
        """The collection year containing :attr:`end`, as the year it ends in (2024-25 -> 2025).

        This is the DfE ``time_period`` of the published tables.
        """
        return self.end.year if self.end.month <= 3 else self.end.year + 1

    @property
    def is_collection_year(self) -> bool:
        """Whether the period is a collection year (kind ``"year"``, e.g. ``2024-25``).

        A date range written ``2024-04-01:2025-03-31`` is not: see :attr:`spans_collection_year`.
        """
        return self.kind == "year"

    @property
    def spans_collection_year(self) -> bool:
        """Whether the period covers exactly one collection year, whatever its form."""
        first = self.start.year
        return self.start == date(first, 4, 1) and self.end == date(first + 1, 3, 31)

    @property
    def quarter(self) -> int | None:
        """The financial-year quarter (1-4) for a quarter, else ``None``."""
        if self.kind != "quarter":
            return None
        return next(q for q, (first, _) in _QUARTER_MONTHS.items() if first == self.start.month)

    @property
    def title(self) -> str:
        """The period in words, for report prose and headings.

        Examples: ``"2024-25"``, ``"October to December 2024 (2024-25 Q3)"``, ``"January 2025"``,
        ``"1 April 2024 to 30 June 2024"``.
        """
        if self.kind == "year":
            return self.label
        if self.kind == "quarter":
            first = MONTH_NAMES[self.start.month]
            last = MONTH_NAMES[self.end.month]
            return f"{first} to {last} {self.end.year} ({self.label})"
        if self.kind == "month":
            return f"{MONTH_NAMES[self.start.month]} {self.start.year}"
        return f"{format_date(self.start)} to {format_date(self.end)}"

    @property
    def folder_name(self) -> str:
        """The label made safe for file and folder names.

        Examples: ``"2024-25"``, ``"2024-25-Q3"``, ``"2025-01"``, ``"2024-04-01_2024-06-30"``.
        """
        return self.label.replace(" ", "-").replace(":", "_")

    @property
    def days(self) -> int:
        """Number of days in the period, counting both ends."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the period (both ends included)."""
        return self.start <= day <= self.end


def year_label(collection_year: int) -> str:
    """Label of the collection year ending 31 March ``collection_year``.

    Parameters
    ----------
    collection_year
        The year the collection year ends in, as in the DfE ``time_period`` column.

    Returns
    -------
    str
        For example ``year_label(2025) == "2024-25"`` and ``year_label(2000) == "1999-00"``.
    """
    if isinstance(collection_year, bool) or not isinstance(collection_year, int):
        raise PeriodError(
            f"invalid collection year {collection_year!r}: give the 4-digit year it ends in, "
            "e.g. 2025 for 2024-25"
        )
    if not 1001 <= collection_year <= 9999:
        raise PeriodError(
            f"invalid collection year {collection_year}: give the 4-digit year it ends in, "
            "e.g. 2025 for 2024-25"
        )
    return f"{collection_year - 1}-{collection_year % 100:02d}"


@lru_cache(maxsize=1024)
def parse_period(text: str) -> Period:
    """Parse a period written in one of the accepted forms.

    Parameters
    ----------
    text
        ``"2024-25"`` (also ``"2024/25"``, ``"2024-2025"``), ``"2024-25 Q3"`` (also
        ``"2024-25Q3"``), ``"2025-01"`` or ``"2024-04-01:2024-06-30"``. Surrounding white space is
        ignored; ``q`` may be lower case.

    Returns
    -------
    Period
        With a canonical label. A date range stays a ``"range"`` even when it spans exactly a
        collection year, quarter or month.

    Raises
    ------
    PeriodError
        One line naming the bad value, what is wrong with it, and the accepted forms.
    """
    if not isinstance(text, str):
        raise PeriodError(
            f"invalid period {text!r}: expected text; accepted forms: {ACCEPTED_FORMS}"
        )
    raw = " ".join(text.split())
    if not raw:
        raise PeriodError(f"no period given; accepted forms: {ACCEPTED_FORMS}")
    try:
        period = _parse(raw)
    except ValueError as error:  # e.g. year 0: not a real date
        _fail(raw, f"not a real date ({error})")
    if not (MIN_YEAR <= period.start.year and period.end.year <= MAX_YEAR):
        _fail(raw, f"years must be between {MIN_YEAR} and {MAX_YEAR}")
    return period


MIN_YEAR, MAX_YEAR = 1990, 2100
"""Periods outside these years are certainly typing mistakes."""


def _parse(raw: str) -> Period:
    """Parse a non-empty, whitespace-normalised period (see :func:`parse_period`)."""
    if match := _QUARTER.match(raw):
        first = _first_year(match["year"], raw)
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            _fail(raw, f"quarter {quarter} is not 1 to 4 (Q1 April-June ... Q4 January-March)")
        return _quarter(first, quarter)

    if match := _YEAR.match(raw):
        first, second = int(match["first"]), match["second"]
        if _is_next_year(first, second):
            return _year(first)
        if _MONTH.match(raw):
            month = int(match["second"])
            if 1 <= month <= 12:
                return _month(first, month)
            _fail(
                raw,
                f"not a collection year ({first} and {second} are not consecutive years; "
                f"did you mean {year_label(first + 1)}?) "
                f"and not a month ({second} is not 01 to 12)",
            )
        _first_year(raw, raw)  # raises: not consecutive years

    if match := _RANGE.match(raw):
        start = _iso_date(match["start"], raw)
        end = _iso_date(match["end"], raw)
        if end < start:
            _fail(raw, f"the end {end.isoformat()} is before the start {start.isoformat()}")
        return Period(f"{start.isoformat()}:{end.isoformat()}", "range", start, end)

    if _ISO_DATE.match(raw):
        _fail(raw, "a single date is not a period; give a range such as 2024-04-01:2024-06-30")
    _fail(raw, "not a recognised period")


def _fail(raw: str, problem: str) -> NoReturn:
    """Raise the one-line :class:`PeriodError` for ``raw``."""
    raise PeriodError(f"invalid period '{raw}': {problem}; accepted forms: {ACCEPTED_FORMS}")


def _is_next_year(first: int, second: str) -> bool:
    """Whether ``second`` (2 or 4 digits) is the year after ``first``."""
    if len(second) == 2:
        return int(second) == (first + 1) % 100
    return int(second) == first + 1


def _first_year(year_text: str, raw: str) -> int:
    """The first calendar year of a written collection year such as ``2024-25`` or ``2024/2025``."""
    match = _YEAR.match(year_text)
    if match is None:  # pragma: no cover - the callers' patterns guarantee a match
        _fail(raw, "not a recognised period")
    first, second = int(match["first"]), match["second"]
    if not _is_next_year(first, second):
        _fail(
            raw,
            f"{first} and {second} are not consecutive years "
            f"(did you mean {year_label(first + 1)}?)",
        )
    return first


def _iso_date(text: str, raw: str) -> date:
    """Parse ``YYYY-MM-DD`` strictly, naming the bad date in the error."""
    match = _ISO_DATE.match(text.strip())
    if match is None:
        _fail(raw, f"'{text.strip()}' is not a date written YYYY-MM-DD")
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError as exc:
        problem = f"{text.strip()} is not a real date ({exc})"
    _fail(raw, problem)


def _year(first: int) -> Period:
    return Period(year_label(first + 1), "year", date(first, 4, 1), date(first + 1, 3, 31))


def _quarter(first: int, quarter: int) -> Period:
    first_month, last_month = _QUARTER_MONTHS[quarter]
    year = first if quarter < 4 else first + 1
    last_day = calendar.monthrange(year, last_month)[1]
    return Period(
        f"{year_label(first + 1)} Q{quarter}",
        "quarter",
        date(year, first_month, 1),
        date(year, last_month, last_day),
    )


def _month(year: int, month: int) -> Period:
    last_day = calendar.monthrange(year, month)[1]
    return Period(
        f"{year:04d}-{month:02d}", "month", date(year, month, 1), date(year, month, last_day)
    )


def format_date(day: date) -> str:
    """``4 June 2019``: GOV.UK date style, no leading zero, English month name whatever the locale.

    >>> format_date(date(2019, 6, 4))
    '4 June 2019'
    """
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def as_period(period: Period | str) -> Period:
    """A :class:`Period` from one or from any accepted text (parsed once per text: cached).

    >>> as_period("2024/25") is as_period(as_period("2024-25"))
    True
    """
    return period if isinstance(period, Period) else parse_period(str(period))


def _validate_period(value: object) -> Period:
    """The params' period validator: :func:`as_period`, its error as pydantic expects."""
    try:
        return as_period(value)  # type: ignore[arg-type]
    except PeriodError as exc:
        raise ValueError(str(exc)) from None


PeriodField = Annotated[
    Period,
    PlainValidator(_validate_period),
    PlainSerializer(lambda period: period.label, return_type=str),
    WithJsonSchema({"type": "string", "description": ACCEPTED_FORMS}),
]
"""A period as a pydantic field: given as any accepted text (or a :class:`Period`), held as the
parsed :class:`Period`, written out (``model_dump``, JSON, notebook parameters) as its canonical
label. A bad value is a validation error quoting the accepted forms."""
