"""The shipped DfE and ONS published tables (``data/published/*.parquet``), read as published.

The Parquet files are a faithful copy of ``shared/data/dfe/*.csv``: every column kept as the published
string, so nothing is lost. :func:`load_table` turns each value column into a float column (missing
where the DfE wrote a marker) plus a ``<column>_marker`` column holding the marker (``c``, ``k``, ``z``,
``x``, ``low``, ``u``). A marker is *never* read as zero.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.core.errors import DataError
from reportgen.core.memo import SourceMemo
from reportgen.core.paths import DATA_DIR

ENGLAND_CODE = "E92000001"
"""ONS code of England, the ``new_la_code`` the published long frames give national rows."""

MARKERS = frozenset({"c", "k", "z", "x", "low", "u"})
"""DfE Explore Education Statistics markers: all mean *missing*, never zero."""

VALUE_COLUMNS = frozenset(
    {
        "children_count",
        "children_percent",
        "care_leaver_count",
        "care_leaver_percent",
        "number",
        "percentage",
        "population_estimate",
        "rate_per_10000",
    }
)
"""Columns holding numbers (or markers) in the DfE tidy files."""

_DURATION = re.compile(r"^(\d+):(\d{2})$")


def split_markers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split a published value column into numbers and markers.

    Parameters
    ----------
    raw
        Strings as published: numbers, ``YY:MM`` durations, markers or blanks.

    Returns
    -------
    values, markers
        ``values`` is float (NaN where there is no number; ``YY:MM`` durations become months);
        ``markers`` holds the marker string where the cell is a marker, else ``None``.
    """
    # each distinct string is split once (a table repeats few values many times), then spread
    codes, distinct = pd.factorize(raw)  # a missing cell: code -1, the last slot, NaN / None
    values, markers = _split_distinct(pd.Series(distinct, dtype=raw.dtype))
    return (
        pd.Series(
            np.append(values.to_numpy(dtype="float64"), np.nan)[codes],
            index=raw.index,
            name=raw.name,
            dtype="float64",
        ),
        pd.Series(
            np.append(markers.to_numpy(dtype=object), None)[codes],
            index=raw.index,
            name=raw.name,
            dtype=object,
        ),
    )


def _split_distinct(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`split_markers` of strings that are each one value: the parsing itself."""
    text = raw.astype("string").str.strip()
    lower = text.str.lower()
    is_marker = lower.isin(MARKERS)
    values = pd.to_numeric(text.where(~is_marker), errors="coerce").astype("float64")
    duration = text.str.extract(_DURATION)
    months = duration[0].astype("float64") * 12 + duration[1].astype("float64")
    values = values.where(months.isna(), months)
    markers = lower.where(is_marker).astype(object).where(is_marker, None)
    return values, markers


def build_from_csv(source_dir: Path, target_dir: Path) -> list[Path]:
    """Copy every published CSV in ``source_dir`` to a compressed Parquet file in ``target_dir``.

    All columns are stored as strings, exactly as published.

    Returns
    -------
    list of Path
        The Parquet files written.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for csv in sorted(source_dir.glob("*.csv")):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])
        out = target_dir / f"{csv.stem}.parquet"
        frame.to_parquet(out, index=False, compression="zstd", compression_level=19)
        written.append(out)
    return written


def table_names(data_dir: Path = DATA_DIR) -> list[str]:
    """Names of the shipped tables (file stems)."""
    return sorted(p.stem for p in data_dir.glob("*.parquet"))


@cache
def load_table(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Load one published table with numeric value columns and their markers.

    Parameters
    ----------
    name
        File stem, e.g. ``"cla_number_and_rate_per_10k_children"``.
    data_dir
        Folder of the Parquet copies (default: the project's ``data/published``).

    Returns
    -------
    pandas.DataFrame
        The published columns; ``time_period`` as int; each value column as float with a
        ``<column>_marker`` companion and the original string kept as ``<column>_raw``.
        The cached frame is shared: copy it before changing it.
    """
    path = data_dir / f"{name}.parquet"
    if not path.exists():
        raise DataError(
            f"published table '{name}' not found at {path}: restore data/published from git "
            "or rebuild it with 'python scripts/build_published_data.py'"
        )
    frame = pd.read_parquet(path)
    if "time_period" in frame:
        frame["time_period"] = frame["time_period"].astype(int)
    for column in [c for c in frame.columns if c in VALUE_COLUMNS]:
        frame[f"{column}_raw"] = frame[column]
        frame[column], frame[f"{column}_marker"] = split_markers(frame[column])
    return frame


def value_positions(values: pd.Series) -> dict[str, np.ndarray]:
    """The row positions of each text value of ``values`` (missing values left out)."""
    positions: dict[str, list[int]] = {}
    for position, value in enumerate(values.to_numpy(dtype=object)):
        if isinstance(value, str):
            positions.setdefault(value, []).append(position)
    return {k: np.array(v, dtype=np.intp) for k, v in positions.items()}


_CODE_INDEX = SourceMemo(maxsize=8)  # a paper reads about five tables by authority
_NO_ROWS = np.array([], dtype=np.intp)


def rows_for_code(frame: pd.DataFrame, code: str) -> pd.DataFrame:
    """``frame[frame["new_la_code"] == code]`` (every level, in the table's order), from an index
    of ``frame``'s rows by ONS code built once per loaded table (each table its own).

    Parameters
    ----------
    frame
        A published table with a ``new_la_code`` column (as :func:`load_table` returns it).
    code
        An ONS code, exactly as published (``"E10000018"``).
    """
    index = _CODE_INDEX.get(id(frame), (frame,), lambda: value_positions(frame["new_la_code"]))
    return frame.iloc[index.get(code, _NO_ROWS)]
