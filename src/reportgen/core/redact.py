"""Keep child identifiers out of messages, logs and ``batch.json``: one place that redacts them.

Messages name the file, row and column of a problem, never the value of an identifying column
(:data:`IDENTIFYING_COLUMNS`) nor anything shaped like a UPN, a full postcode or a date. The
detail stays in the findings file an author asks for (``reportgen validate --csv FILE``).
The same patterns are what :func:`reportgen.analysis.privacy.scan_docx` looks for in a paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")
"""Unique pupil number: a letter and 12 characters (indicators.md §2)."""
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
"""A full UK postcode (a district alone, such as "LE11", is not personal)."""
DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
"""A dd/mm/YYYY date, as dates of birth appear in 903 files; reports write dates in words."""

ANY_DATE = re.compile(
    r"(?<!\d)\d{1,2}[/.]\d{1,2}[/.]\d{2,4}(?!\d)"
    r"|(?<!\d)\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?!\d)"
)
"""Dates as they may be written in a 903 file: dd/mm/YYYY, d.m.yy, ISO (with a time)."""

IDENTIFYING_COLUMNS = frozenset({"CHILD", "UPN", "DOB", "MC_DOB", "HOME_POST", "PL_POST"})
"""903 columns whose values identify a child: never quoted in a message."""

WITHHELD = "(withheld)"
"""What a redacted value reads as."""

_COLUMN_VALUE = re.compile(
    r"\b(?P<column>" + "|".join(sorted(IDENTIFYING_COLUMNS, key=len, reverse=True)) + r")"
    r"(?P<sep>=| )(?P<value>[^\s,;:()]+)"
)


def redact(text: str, identifiers: Iterable[str] = ()) -> str:
    """``text`` with identifiers replaced by :data:`WITHHELD`.

    Parameters
    ----------
    text
        A message, log line or reason.
    identifiers
        Further values to withhold wherever they appear (e.g. the CHILD ids of a return).

    Returns
    -------
    str
        The text with UPN-shaped strings, full postcodes, dates, ``CHILD=...``-style values of
        :data:`IDENTIFYING_COLUMNS` and the given identifiers replaced.
    """
    for value in sorted({str(v).strip() for v in identifiers if v and str(v).strip()}, key=len)[
        ::-1
    ]:
        text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", WITHHELD, text)
    text = ANY_DATE.sub(WITHHELD, text)
    text = UPN.sub(WITHHELD, text)
    text = POSTCODE.sub(WITHHELD, text)
    return _COLUMN_VALUE.sub(_withhold_column_value, text)


def _withhold_column_value(match: re.Match[str]) -> str:
    """``CHILD=C0001`` -> ``CHILD=[withheld]``; ``CHILD C0001`` only when the value has a digit
    (so ``the CHILD column`` is left alone)."""
    value = match["value"]
    if value.startswith("(") or (match["sep"] == " " and not re.search(r"\d", value)):
        return match[0]
    return f"{match['column']}{match['sep']}{WITHHELD}"


def redact_value(column: str | None, value: str | None) -> str | None:
    """The value as a message may show it: withheld for an identifying column or a date.

    Parameters
    ----------
    column
        The 903 column the value is from (``None`` when unknown).
    value
        The value as written in the file.
    """
    if value is None:
        return None
    if (column or "").strip().upper() in IDENTIFYING_COLUMNS:
        return WITHHELD
    return redact(str(value))
