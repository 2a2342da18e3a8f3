"""An Episodes row with a blank CHILD: an error for ``validate``, left out of the history with a
warning, and never a crash in the indicator engine (issue 19)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.indicators import engine
from reportgen.indicators.blocks import prepare
from reportgen.sources.ssda903.read import TABLES, History, read_history
from reportgen.sources.ssda903.validate import validate_return

HEADER = ",".join(TABLES["Header"])
EPISODES = ",".join(TABLES["Episodes"])


def _return(folder: Path, blank_child: bool) -> Path:
    episodes = [
        "A1,01/05/2024,S,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,",
        "B2,01/06/2024,S,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,",
    ]
    if blank_child:
        episodes.append(" ,01/07/2024,S,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,")
    folder.mkdir(parents=True)
    (folder / "header.csv").write_text(
        f"{HEADER}\nA1,M,01/06/2010,WBRI,A800000000101,,\nB2,F,01/06/2012,WBRI,A800000000102,,\n"
    )
    (folder / "episodes.csv").write_text(EPISODES + "\n" + "\n".join(episodes) + "\n")
    return folder


def test_validate_names_the_row_with_a_blank_child(tmp_path):
    problems = validate_return(_return(tmp_path / "2025", blank_child=True), 2025)
    blank = [p for p in problems if p.check == "required"]
    assert [(p.row, p.column, p.severity) for p in blank] == [(4, "CHILD", "error")]
    assert blank[0].message == "CHILD is blank: every Episodes row needs one"


def test_the_history_leaves_the_row_out_with_a_warning_and_the_figures_are_unchanged(tmp_path):
    with_blank = read_history({2025: _return(tmp_path / "a" / "2025", blank_child=True)})
    without = read_history({2025: _return(tmp_path / "b" / "2025", blank_child=False)})
    assert with_blank.tables["Episodes"]["CHILD"].tolist() == ["A1", "B2"]
    assert any(
        "1 Episodes rows without a CHILD were left out of the history" in w
        for w in with_blank.warnings
    )
    got = engine.compute(with_blank, "E10000018", "2024-25")
    want = engine.compute(without, "E10000018", "2024-25")
    assert got["cla_at_end"].value == 2.0
    assert {i: (v.value, v.marker) for i, v in got.items()} == {
        i: (v.value, v.marker) for i, v in want.items()
    }


def test_prepare_leaves_out_rows_with_a_blank_child_wherever_they_come_from(tmp_path):
    history = read_history({2025: _return(tmp_path / "2025", blank_child=False)})
    episodes = history.tables["Episodes"]
    blank = episodes.iloc[[0]].assign(CHILD=pd.Series([None], dtype="str", index=[0]))
    header = history.tables["Header"]
    blank_header = header.iloc[[0]].assign(
        CHILD=pd.Series([None], dtype="str", index=[0]), DOB="01/01/2000"
    )
    tables = dict(history.tables)
    tables["Episodes"] = pd.concat([episodes, blank], ignore_index=True)
    tables["Header"] = pd.concat([header, blank_header], ignore_index=True)
    untidy = History(years=history.years, returns=history.returns, tables=tables, warnings=[])
    prep = prepare(untidy, "E10000018")
    assert prep.child_ids.tolist() == ["A1", "B2"]
    assert len(prep.e_child) == 2 and (prep.e_child >= 0).all()
    assert np.array_equal(prep.dob, prepare(history, "E10000018").dob)  # no DOB overwritten
    assert engine.compute(prep, "E10000018", "2024-25")["cla_at_end"].value == 2.0
