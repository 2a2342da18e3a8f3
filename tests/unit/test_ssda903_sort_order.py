"""``sort_order`` and ``day_key`` (read.py) give the orders ``np.lexsort`` gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reportgen.sources.ssda903.read import day_key, isin_text, sort_order


@pytest.mark.parametrize("seed", range(20))
def test_sort_order_is_lexsort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 300))
    keys = [rng.integers(-5, int(rng.integers(1, 50)), n) for _ in range(int(rng.integers(1, 5)))]
    assert sort_order(keys).tolist() == np.lexsort(tuple(reversed(keys))).tolist()


def test_sort_order_falls_back_for_wide_keys() -> None:
    wide = np.array([2**61, -(2**61), 0, 2**61], dtype=np.int64)
    other = np.array([3, 1, 2, 0])
    assert sort_order([wide, other]).tolist() == np.lexsort((other, wide)).tolist()


@pytest.mark.parametrize("descending", [False, True])
def test_day_key_orders_as_the_dates(descending: bool) -> None:
    rng = np.random.default_rng(1)
    days = rng.integers(-30_000, 30_000, 200).astype("datetime64[D]").astype("datetime64[ns]")
    days[rng.random(200) < 0.2] = np.datetime64("NaT")
    missing = np.isnat(days)
    ns = days.view(np.int64)
    expected = np.where(missing, np.iinfo(np.int64).max, -ns if descending else ns)
    key = day_key(days, descending=descending)
    assert np.argsort(key, kind="stable").tolist() == np.argsort(expected, kind="stable").tolist()
    # not whole days: the nanoseconds
    odd = days + np.timedelta64(1, "ns")
    key = day_key(odd, descending=descending)
    assert np.argsort(key, kind="stable").tolist() == np.argsort(expected, kind="stable").tolist()


def test_isin_text_with_and_without_codes() -> None:
    values = pd.Series(["A", None, "b", "B", "A"], dtype="str")
    assert isin_text(values, ["A", "B"]).tolist() == [True, False, False, True, True]
    as_objects = pd.Series(["A", None, "b", "B", "A"], dtype=object)
    assert isin_text(as_objects, ["A", "B"]).tolist() == [True, False, False, True, True]
