"""Numbers in one house style (GOV.UK / DfE): digits, thousands separators, whole percentages and rates.

Rounding is half-up, as the DfE rounds (Python's ``round`` rounds half to even).
Missing values are described by their DfE marker, never shown as "nan" or "None".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from reportgen.core.periods import format_date  # noqa: F401 (house style for dates too)

MARKER_TEXT = {
    "c": "not published (small number)",
    "k": "less than 0.5%",
    "z": "not applicable",
    "x": "not available",
    "low": "less than 0.5%",
    "u": "low reliability",
    "not published": "not published",
    "suppressed": "fewer than 5",
    "secondary": "withheld to protect a small number",
    "not available": "not available",
    "needs published data": "needs the DfE's published data",
}
"""How each marker reads in a sentence (``suppressed`` and ``secondary``: our own suppression)."""

MARKER_CELL = {
    "c": "withheld",
    "k": "<0.5%",
    "low": "<0.5%",
    "z": "n/a",
    "x": "n/a",
    "u": "n/a",
    "not published": "n/a",
    "suppressed": "<5",
    "secondary": "withheld",
    "not available": "n/a",
    "needs published data": "n/a",
}
"""How each marker reads in a table cell (explained in the appendix)."""


def is_missing(value: float | None) -> bool:
    """True for None and NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_half_up(value: float, places: int = 0) -> float:
    """Round as the DfE does: halves away from zero.

    >>> round_half_up(2.5), round_half_up(53.45, 1), round_half_up(-0.5)
    (3.0, 53.5, -1.0)
    """
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def whole(value: float) -> int:
    """Round half-up to a whole number."""
    return int(round_half_up(value))


def format_value(value: float | None, unit: str, marker: str | None = None) -> str:
    """Format a value for a sentence.

    Parameters
    ----------
    value
        The number, or None/NaN when missing.
    unit
        ``count``, ``percent``, ``rate`` or ``days``.
    marker
        The DfE marker explaining a missing value.

    Returns
    -------
    str
        E.g. ``"1,234"``, ``"45%"``, ``"47"``, ``"412 days"``; for a missing value the marker's
        wording (``"not published (small number)"``).

    Examples
    --------
    >>> format_value(1234.0, "count"), format_value(44.5, "percent"), format_value(None, "count", "c")
    ('1,234', '45%', 'not published (small number)')
    """
    if is_missing(value):
        return MARKER_TEXT.get(marker or "not published", "not published")
    assert value is not None
    if unit == "percent":
        return f"{whole(value)}%"
    if unit == "days":
        return f"{whole(value):,} days"
    return f"{whole(value):,}"


def format_cell(value: float | None, unit: str, marker: str | None = None) -> str:
    """Format a value for a table cell (short marker forms, explained in Appendix A)."""
    if is_missing(value):
        return MARKER_CELL.get(marker or "not published", "n/a")
    assert value is not None
    if unit == "percent":
        return f"{whole(value)}%"
    return f"{whole(value):,}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 child``, ``2 children``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


DAYS_PER_MONTH = 365.25 / 12


def format_duration(days: float | None, marker: str | None = None) -> str:
    """A duration in years and months, as the DfE writes adoption stages.

    Examples
    --------
    >>> format_duration(821.8125), format_duration(273.9375), format_duration(30.4)
    ('2 years 3 months', '9 months', '1 month')
    """
    if is_missing(days):
        return MARKER_TEXT.get(marker or "not published", "not published")
    assert days is not None
    months = whole(days / DAYS_PER_MONTH)
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months or not years:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts)
