"""A compact bank of real postcodes for synthetic returns: a sample per upper-tier authority.

The full centroid table (2.7 million postcodes, :mod:`reportgen.sources.geo`) takes about 10 seconds to
load, so the generator works from a sample of at most :data:`PER_AUTHORITY` postcodes per English
upper-tier authority, with their OS eastings and northings. The sample is deterministic (evenly
spaced through the sorted postcodes) and cached as a Parquet file beside the synthetic returns
(written atomically), so it is built once per machine.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

PER_AUTHORITY = 2500
"""Postcodes kept per authority."""

BANK_VERSION = 1
"""Bumped when the sampling changes, so an old cache is not reused."""


def _format(postcodes: np.ndarray) -> np.ndarray:
    """``"LE113TU"`` -> ``"LE11 3TU"`` (the inward code is always the last three characters)."""
    series = pd.Series(postcodes, dtype=object)
    return (series.str[:-3] + " " + series.str[-3:]).to_numpy(dtype=object)


def _build(letters: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ") -> pd.DataFrame:
    from reportgen.sources import geo

    everything = geo._centroids().load(letters)
    everything = everything[everything.index.str[0].isin(list(letters))]
    frame = everything.dropna(subset=["easting", "northing"]).copy()
    frame["utla"] = geo.upper_tier(frame["ltla"]).to_numpy()
    frame = frame[frame["utla"].astype(str).str.match(r"^E(06|08|09|10)")]
    frame = frame.reset_index(names="postcode").sort_values(["utla", "postcode"], kind="stable")
    parts = []
    for _utla, part in frame.groupby("utla", sort=True):
        if len(part) > PER_AUTHORITY:
            picks = np.linspace(0, len(part) - 1, PER_AUTHORITY).round().astype(int)
            part = part.iloc[np.unique(picks)]
        parts.append(part)
    bank = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(
        {
            "utla": bank["utla"].astype(str).to_numpy(),
            "postcode": _format(bank["postcode"].astype(str).to_numpy()),
            "easting": bank["easting"].astype("float64").to_numpy(),
            "northing": bank["northing"].astype("float64").to_numpy(),
        }
    )


def _write_atomic(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        frame.to_parquet(temp, index=False)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class PostcodeBank:
    """Sampled postcodes by authority, as numpy arrays (index = row of the bank)."""

    utla: np.ndarray
    postcode: np.ndarray
    easting: np.ndarray
    northing: np.ndarray
    rows: dict[str, np.ndarray]  # authority -> row numbers
    centre: dict[str, tuple[float, float]]

    def inside(self, authority: str) -> np.ndarray:
        """Rows of the authority's postcodes (empty when it has none)."""
        return self.rows.get(authority, np.empty(0, dtype=np.int64))

    def nearby(self, authority: str, miles: float = 30.0) -> np.ndarray:
        """Rows of other authorities' postcodes within ``miles`` of the authority's centre."""
        if authority not in self.centre:
            return np.empty(0, dtype=np.int64)
        east, north = self.centre[authority]
        distance = np.hypot(self.easting - east, self.northing - north) / 1609.3
        mask = (distance <= miles) & (self.utla != authority)
        return np.flatnonzero(mask)

    def elsewhere(self, authority: str) -> np.ndarray:
        """Rows of every other authority's postcodes."""
        return np.flatnonzero(self.utla != authority)


def cache_file(cache_dir: Path) -> Path:
    return cache_dir / f"postcode_bank_v{BANK_VERSION}_{PER_AUTHORITY}.parquet"


@cache
def load_bank(cache_dir: Path) -> PostcodeBank:
    """The postcode bank, built on first use (about 15 seconds) and cached under ``cache_dir``."""
    path = cache_file(cache_dir)
    if path.exists():
        frame = pd.read_parquet(path)
    else:
        frame = _build()
        _write_atomic(frame, path)
    return _bank(frame)


def bank_for_letters(letters: str) -> PostcodeBank:
    """A bank of the postcodes starting with ``letters`` only (quick to load: for tests)."""
    return _bank(_build(letters))


def _bank(frame: pd.DataFrame) -> PostcodeBank:
    utla = frame["utla"].astype(str).to_numpy(dtype=object)
    rows = {str(k): np.asarray(v, dtype=np.int64) for k, v in frame.groupby("utla").indices.items()}
    easting = frame["easting"].to_numpy(dtype="float64")
    northing = frame["northing"].to_numpy(dtype="float64")
    centre = {k: (float(easting[v].mean()), float(northing[v].mean())) for k, v in rows.items()}
    return PostcodeBank(
        utla=utla,
        postcode=frame["postcode"].astype(str).to_numpy(dtype=object),
        easting=easting,
        northing=northing,
        rows=rows,
        centre=centre,
    )
