"""``SourceMemo``: a result is reused only while its sources are the same objects or equal tuples."""

from __future__ import annotations

import pandas as pd

from reportgen.core.memo import SourceMemo


def test_a_result_is_kept_while_its_sources_are_unchanged():
    memo = SourceMemo(maxsize=2)
    table = pd.DataFrame({"a": [1]})
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert memo.get("k", (table,), compute) == 1
    assert memo.get("k", (table,), compute) == 1  # the same object: reused
    assert memo.get("k", (table.copy(),), compute) == 2  # an equal table read again: recomputed
    stamp = ("t.parquet", 10, 5)
    assert memo.get("f", (stamp,), compute) == 3
    assert memo.get("f", (("t.parquet", 10, 5),), compute) == 3  # an equal file stamp: reused
    assert memo.get("f", (("t.parquet", 10, 6),), compute) == 4  # the file changed


def test_the_least_recently_used_entry_goes_first():
    memo = SourceMemo(maxsize=2)
    memo.get("a", (), lambda: "A")
    memo.get("b", (), lambda: "B")
    memo.get("a", (), lambda: "not used")  # "a" used last
    memo.get("c", (), lambda: "C")  # drops "b"
    assert memo.get("a", (), lambda: "new") == "A"
    assert memo.get("b", (), lambda: "new") == "new"
