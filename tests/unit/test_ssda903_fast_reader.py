"""The pyarrow fast path of the 903 reader reads every file to exactly what the careful path
(decode to text, pandas' C parser, the csv module for ragged files) reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.sources.ssda903 import read

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"

CELL = st.one_of(
    st.sampled_from(["", " ", "C1", " c1 ", "u4", "M", "01/02/2024", "2024-02-01", "nan", "NA"]),
    st.sampled_from(['"a,b"', '""', '"x""y"', '"line\nbreak"', "é", "ß", "\u00a0x\u00a0", "Zoë"]),
    st.text(alphabet="ab ,\"'\t\r\nÉ9/", max_size=6),
)


def _both(path: Path, monkeypatch: pytest.MonkeyPatch):
    fast = read._read_table_file(path)
    with monkeypatch.context() as patched:
        patched.setattr(read, "_arrow_cells", lambda raw: None)
        careful = read._read_table_file(path)
    return fast, careful


def _same(fast, careful) -> None:
    assert fast[0] == careful[0]
    assert [str(i) for i in fast[2]] == [str(i) for i in careful[2]]
    if careful[1] is None:
        assert fast[1] is None
        return
    pd.testing.assert_frame_equal(fast[1], careful[1], check_exact=True)
    assert fast[1].index.name == careful[1].index.name == "row"


@given(
    rows=st.lists(st.lists(CELL, min_size=7, max_size=8), max_size=6),
    bom=st.sampled_from(["", "\ufeff", "\ufeff\ufeff"]),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    final=st.booleans(),
)
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_fast_path_reads_what_the_careful_path_reads(
    rows, bom, ending, final, tmp_path, monkeypatch
):
    text = bom + ending.join([HEADER] + [",".join(r) for r in rows]) + (ending if final else "")
    path = tmp_path / "header.csv"
    path.write_bytes(text.encode("utf-8"))
    _same(*_both(path, monkeypatch))


TIDY_CELL = st.sampled_from(
    ["", "C1", "M", "01/02/2024", "NAN", "NA", "N/A", "NULL", "#N/A", "A B", "-", "0", "TS5 4PQ"]
)


@given(
    rows=st.lists(st.lists(TIDY_CELL, min_size=7, max_size=7), max_size=6),
    bom=st.sampled_from(["", "\ufeff"]),
    ending=st.sampled_from(["\n", "\r\n"]),
    final=st.booleans(),
)
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_tidy_files_read_as_the_careful_path_reads_them(
    rows, bom, ending, final, tmp_path, monkeypatch
):
    """Files whose cells need no trimming or upper-casing skip those steps (blanks are made
    missing by pyarrow itself, and only blanks: not NA, NULL or N/A)."""
    text = bom + ending.join([HEADER] + [",".join(r) for r in rows]) + (ending if final else "")
    path = tmp_path / "header.csv"
    path.write_bytes(text.encode("utf-8"))
    found = read._arrow_cells(path.read_bytes())
    assert found is None or found[1][0]  # tidy when read by pyarrow
    _same(*_both(path, monkeypatch))


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "\nC1 ,1,01/01/2010,WBRI,,,\n",  # padded cells of a tidy file
        HEADER + "\n C1,1,01/01/2010,WBRI,,,\n",
        HEADER + "\nC1,1,01/01/2010,WBRI,,, \n",
        HEADER + "\nC1,1,01/01/2010,WBRI, ,,\n C2 ,  ,01/01/2010,WBRI,,,\n",
        HEADER + "\r\nC1,1,01/01/2010,WBRI,A B ,,\r\n",
        HEADER + "\n   ,  , ,,,,\nC1,1,01/01/2010,WBRI,,,\n",  # a row of spaces only
    ],
)
def test_padded_cells_of_tidy_files_are_trimmed(text, tmp_path, monkeypatch):
    found = read._arrow_cells(text.encode("utf-8"))
    assert found is not None and found[1] == (True, True)
    path = tmp_path / "header.csv"
    path.write_bytes(text.encode("utf-8"))
    _same(*_both(path, monkeypatch))


@pytest.mark.parametrize(
    ("text", "spaced"),
    [
        (HEADER + "\nC1,1,01/01/2010,WBRI,A B,,\n", False),  # spaces inside cells only
        (HEADER + "\nC1,1,01/01/2010,WBRI,A B,,C D", False),
        (HEADER + "\nC1,1,01/01/2010,WBRI,,,C ", True),  # the last byte
        (" " + HEADER + "\nC1,1,01/01/2010,WBRI,,,\n", True),  # the first byte
        (HEADER + "\r\nC1,1,01/01/2010,WBRI,,, \r\n", True),
    ],
)
def test_only_spaces_at_cell_edges_need_trimming(text, spaced, tmp_path, monkeypatch):
    found = read._arrow_cells(text.encode("utf-8"))
    assert found is not None and found[1] == (True, spaced)
    path = tmp_path / "header.csv"
    path.write_bytes(text.encode("utf-8"))
    _same(*_both(path, monkeypatch))


def test_untidy_bytes_keep_the_full_path():
    for raw in (
        HEADER + "\nC1,1,01/01/2010,wbri,,,\n",  # lower case
        HEADER + '\n"C1",1,01/01/2010,WBRI,,,\n',  # quoted
        HEADER + "\nC1,1,01/01/2010,WBRI,\t,,\n",  # tab
        HEADER + "\nC1,1,01/01/2010,WBRI,É,,\n",  # not ASCII
    ):
        found = read._arrow_cells(raw.encode("utf-8"))
        assert found is not None and not found[1][0], raw


@pytest.mark.parametrize(
    "text",
    [
        HEADER + "\nC1,1,01/01/2010,WBRI,,,\n\nC2,2,01/01/2011,WBRI,,,\n",  # blank line
        HEADER + "\nC1,1,01/01/2010,WBRI,,,\n,,,,,,\nC2,2,01/01/2011,WBRI,,,\n",  # empty row
        HEADER + "\nC1,1,01/01/2010\n",  # short row
        HEADER + "\nC1,1,01/01/2010,WBRI,,,,X\n",  # long row
        " child , Sex,dob,ETHNIC,UPN,MOTHER,MC_DOB\n c1 ,m,01/01/2010,wbri,,,\n",
        "DOB,CHILD,SEX,ETHNIC,UPN,MOTHER,MC_DOB\n01/01/2010,C1,1,WBRI,,,\n",  # other order
        'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"C,1",1,01/01/2010,WBRI,"a\nb",,\n',
        "CHILD;SEX;DOB;ETHNIC;UPN;MOTHER;MC_DOB\nC1;1;01/01/2010;WBRI;;;\n",  # semicolons
        "C1,1,01/01/2010,WBRI,,,\n",  # no header row
        "",
        "   \n",
        HEADER + ",,\nC1,1,01/01/2010,WBRI,,,,X,\nC2,1,01/01/2010,WBRI,,,,,\n",  # unnamed columns
        HEADER + ",\nC1,1,01/01/2010,WBRI,,,,\n",
        HEADER + '\n"C1" ,1,01/01/2010,WBRI,,,\nC"2"x,1,01/01/2010,WBRI,,,\n"C3"y,1,,,,,\n',
        "\ufeff\ufeff\ufeff" + HEADER + "\nC1,1,01/01/2010,WBRI,,,\n",
        HEADER + "\nC1,1,01/01/2010,WBRI,,,\nC1,1,01/01/2010,WBRI,,,",  # no final newline
    ],
)
def test_fast_path_agrees_on_awkward_files(text, tmp_path, monkeypatch):
    path = tmp_path / "header.csv"
    path.write_bytes(text.encode("utf-8"))
    _same(*_both(path, monkeypatch))


def test_fast_path_leaves_other_encodings_to_the_careful_path(tmp_path):
    path = tmp_path / "header.csv"
    path.write_bytes((HEADER + "\nC1,1,01/01/2010,WBRI,Zoë,,\n").encode("cp1252"))
    assert read._arrow_cells(path.read_bytes()) is None
    table, frame, issues = read._read_table_file(path)
    assert table == "Header" and frame.loc[2, "UPN"] == "ZOË"
    assert [i.check for i in issues] == ["encoding"]


def test_fast_path_is_taken_for_a_plain_file(tmp_path):
    raw = (HEADER + "\n c1 ,1,01/01/2010,wbri,,,\n").encode("utf-8")
    found = read._arrow_cells(raw)
    assert found is not None
    cells, tidy = found
    assert cells.num_rows == 2 and tidy == (False, True)
    path = tmp_path / "header.csv"
    path.write_bytes(raw)
    table, frame, issues = read._read_table_file(path)
    assert (table, issues) == ("Header", [])
    assert frame.loc[2, "CHILD"] == "C1" and frame.loc[2, "ETHNIC"] == "WBRI"
    assert pd.isna(frame.loc[2, "UPN"]) and list(frame.index) == [2]


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(read.TABLES[table]), dtype="str")
    frame.index = pd.Index(range(2, len(rows) + 2), dtype="int64", name="row")
    return frame


def test_header_keeps_each_childs_latest_row_sorted_blank_last(tmp_path):
    def header(*rows):
        return _frame("Header", [dict(zip(("CHILD", "SEX"), r, strict=True)) for r in rows])

    episodes = _frame("Episodes", [])
    old = read.Return(2024, tmp_path, {"Header": header(("C2", "1"), ("C1", "1"), (None, "1"))})
    new = read.Return(2025, tmp_path, {"Header": header((None, "2"), ("C1", "2"))})
    for ret in (old, new):
        ret.tables["Episodes"] = episodes
    got = read.combine_returns([new, old]).tables["Header"]
    # C1 from 2025 (its latest return), C2 from 2024, one blank-CHILD row (2025's) last
    assert got["CHILD"].tolist()[:2] == ["C1", "C2"] and pd.isna(got["CHILD"].iloc[2])
    assert got["SEX"].tolist() == ["2", "1", "2"]
    assert got["YEAR"].tolist() == [2025, 2024, 2025] and got["ROW"].tolist() == [3, 2, 2]


def test_duplicate_episodes_keep_the_latest_end_then_the_latest_return():
    rows = [
        ("C1", "01/04/2024", None, None, 2024),  # open
        ("C1", "01/04/2024", "01/06/2024", "E4A", 2024),  # the latest DEC: kept
        ("C1", "01/04/2024", "01/05/2024", "E4A", 2025),
        ("C0", "01/04/2024", "01/05/2024", "E4A", 2024),
        ("C0", "01/04/2024", "01/05/2024", "E11", 2025),  # same DEC, later return: kept
    ]
    frame = pd.DataFrame(
        [dict(zip(("CHILD", "DECOM", "DEC", "REC"), r[:4], strict=True)) for r in rows],
        columns=list(read.TABLES["Episodes"]),
        dtype="str",
    )
    frame["YEAR"] = [r[4] for r in rows]
    fixed, counts = read.fix_episodes(frame, 2025)
    assert counts["duplicates"] == 3
    assert fixed["CHILD"].tolist() == ["C0", "C1"]
    assert fixed["DEC"].tolist() == ["01/05/2024", "01/06/2024"]
    assert fixed["REC"].tolist() == ["E11", "E4A"] and fixed["YEAR"].tolist() == [2025, 2024]


def test_threaded_scan_reads_what_one_thread_reads(tmp_path, monkeypatch):
    """Files read side by side (``READ_THREADS``) give the same tables and the same issues in
    the same order as files read one after another."""
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "a_header.csv").write_text(f"{HEADER}\nC1,1,01/02/2010,WBRI,,,\n")
    (folder / "b_notes.txt").write_text("ignored")
    (folder / "c_header_again.csv").write_text(f"{HEADER}\nC2,2,01/02/2011,WBRI,,,\n")
    (folder / "d_bad.csv").write_text("A;B;C\n1;2;3\n")
    (folder / "e_episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN\nc1 ,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n"
    )
    monkeypatch.setattr(read, "READ_THREADS", 2)
    monkeypatch.setattr(read.os, "cpu_count", lambda: 2)
    threaded = read.scan_return(folder, 2025)
    monkeypatch.setattr(read, "READ_THREADS", 1)
    single = read.scan_return(folder, 2025)
    assert [str(i) for i in threaded.issues] == [str(i) for i in single.issues]
    assert threaded.files == single.files
    assert list(threaded.tables) == list(single.tables)
    for table, frame in single.tables.items():
        pd.testing.assert_frame_equal(threaded.tables[table], frame, check_exact=True)
