"""One numbering of the CHILD ids per return, reused by validation, :func:`combine_returns` and
``prepare``, gives exactly what numbering every table again gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.indicators import blocks
from reportgen.sources.ssda903 import read
from reportgen.sources.ssda903.validate import validate_scan


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    columns = read.TABLES[table]
    frame = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], dtype="str")
    frame.index = pd.Index(range(2, len(rows) + 2), dtype="int64", name="row")
    return frame


def _episode(child, decom, dec=None, rne="S", rec=None) -> dict:
    return {"CHILD": child, "DECOM": decom, "RNE": rne, "LS": "C2", "CIN": "N1", "PLACE": "U1",
            "PLACE_PROVIDER": "PR1", "DEC": dec, "REC": rec}  # fmt: skip


def _returns() -> list[read.Return]:
    header = [
        {"CHILD": c, "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI"} for c in ("Z9", "A1", "M5")
    ]
    older = {
        "OC3": _frame("OC3", [{"CHILD": "Q7", "DOB": "01/01/2006"}, {"CHILD": None}]),
        "Header": _frame("Header", header + [{"CHILD": None}]),
        "Episodes": _frame(
            "Episodes",
            [
                _episode("M5", "01/05/2023"),
                _episode("Z9", "01/06/2023", "01/07/2023", rec="E4A"),
                _episode("A1", "01/04/2023", "01/09/2023", rec="X1"),
                _episode("A1", "01/09/2023", rne="P"),
                _episode(None, "01/10/2023"),
            ],
        ),
    }
    newer = {
        "Header": _frame("Header", header[1:] + [{"CHILD": "B2", "DOB": "01/01/2015"}]),
        "Episodes": _frame(
            "Episodes",
            [
                _episode("B2", "01/05/2024"),
                _episode("A1", "01/09/2023", "01/02/2025", rne="P", rec="E11"),
                _episode("M5", "01/05/2023"),
            ],
        ),
        "OC3": _frame("OC3", [{"CHILD": "Q8", "DOB": "01/01/2006"}, {"CHILD": "A1"}]),
    }
    return [
        read.Return(year=2024, folder=Path("2024"), tables=older),
        read.Return(year=2025, folder=Path("2025"), tables=newer),
    ]


def test_return_numbering_is_the_header_first_then_first_appearance():
    codes, ids = read.return_child_codes(_returns()[0].tables)
    assert ids.to_pylist() == ["Z9", "A1", "M5", "Q7"]
    assert codes["Header"].tolist() == [0, 1, 2, -1]
    assert codes["Episodes"].tolist() == [2, 0, 1, 1, -1]
    assert codes["OC3"].tolist() == [3, -1]


def test_history_and_prepare_are_the_same_with_and_without_the_kept_numbering():
    returns = _returns()
    for ret in returns:  # validation numbers each return first, as reportgen does
        files = {name: Path(f"{name}.csv") for name in ret.tables}
        validate_scan(read.ReturnScan(ret.folder, ret.year, ret.tables, files, []))
    history = read.combine_returns(returns)
    assert read.history_child_codes(history.tables) is not None
    plain = {
        name: frame.assign(CHILD=pd.Series(frame["CHILD"].tolist(), index=frame.index, dtype="str"))
        for name, frame in history.tables.items()
    }
    assert read.history_child_codes(plain) is None  # new columns: numbered again
    ids, codes = blocks._child_codes(history.tables)
    ids_again, codes_again = blocks._child_codes(plain)
    assert ids.dtype == ids_again.dtype == object
    assert ids.tolist() == ids_again.tolist()
    assert set(codes) == set(codes_again)
    for table in codes:
        np.testing.assert_array_equal(codes[table], codes_again[table])

    # the history itself is what combining returns never validated gives
    fresh = read.combine_returns(_returns())
    for name, frame in fresh.tables.items():
        pd.testing.assert_frame_equal(history.tables[name], frame, check_exact=True)
    assert history.warnings == fresh.warnings
    fixed, _ = read.fix_episodes(
        pd.concat(
            [r.tables["Episodes"].reset_index(drop=True).assign(YEAR=r.year) for r in _returns()],
            ignore_index=True,
        ).dropna(subset=["CHILD"]),
        2025,
    )
    assert fixed["CHILD"].tolist() == history.tables["Episodes"]["CHILD"].tolist()
