"""Our own 903 checks (reportgen.sources.ssda903.validate).

Each test breaks one thing in a tiny valid return and asserts the exact problem: file, spreadsheet
row (header = row 1), child, column, severity and check. The base return (2024-25 unless stated):

    header.csv    row 2  A1  born 01/06/2010
                  row 3  B2  born 15/09/2012
    episodes.csv  row 2  A1  01/05 to 01/09 (X1, carer's care plan move)   U4 PR1
                  row 3  A1  01/09 onwards, open                           U6 PR4
                  row 4  B2  10/06 to 20/12 (E4A, returned home)           U4 PR1
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from reportgen.core.errors import DataError
from reportgen.sources.ssda903.read import TABLES
from reportgen.sources.ssda903.validate import (
    PROBLEM_COLUMNS,
    Problem,
    has_errors,
    problems_frame,
    summarise,
    validate_return,
    write_problems_csv,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "valid"
HEADER = ",".join(TABLES["Header"])
EPISODES = ",".join(TABLES["Episodes"])


def base(year: int = 2025) -> dict[str, str]:
    y = year - 1  # episodes fall in the calendar year the collection year starts in
    male, female = ("M", "F") if year >= 2025 else ("1", "2")
    return {
        "header.csv": (
            f"{HEADER}\n"
            f"A1,{male},01/06/2010,WBRI,A800000000101,,\n"
            f"B2,{female},15/09/2012,WBRI,A800000000102,0,\n"
        ),
        "episodes.csv": (
            f"{EPISODES}\n"
            f"A1,01/05/{y},S,C1,N1,U4,PR1,01/09/{y},X1,CARPL,LE11 3TU,LE3 8RA,\n"
            f"A1,01/09/{y},P,C1,N1,U6,PR4,,,,LE11 3TU,LE1 7RH,\n"
            f"B2,10/06/{y},S,V2,N4,U4,PR1,20/12/{y},E4A,,LE11 3TU,LE3 8RA,\n"
        ),
    }


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


def run(tmp_path: Path, files: dict[str, str | bytes], year: int = 2025) -> list[Problem]:
    folder = tmp_path / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    return validate_return(folder, year)


def keys(problems: list[Problem]) -> list[tuple]:
    return [(p.file, p.row, p.child, p.column, p.severity, p.check) for p in problems]


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# ---------------------------------------------------------------------------------------------
# Clean data


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_base_return_is_clean(tmp_path, year):
    assert run(tmp_path, base(year), year) == []


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_fixture_returns_are_clean(year):
    assert validate_return(FIXTURES / str(year), year) == []


# ---------------------------------------------------------------------------------------------
# Files and columns


def _drop_column(text: str, column: str) -> str:
    lines = text.strip("\n").split("\n")
    index = lines[0].split(",").index(column)
    return (
        "\n".join(
            ",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines
        )
        + "\n"
    )


def test_a_missing_column_names_the_closest_table(tmp_path):
    files = base()
    files["episodes.csv"] = _drop_column(files["episodes.csv"], "URN")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 1, None, "URN", "error", "columns")]
    assert "closest is Episodes" in problem.message and "missing: URN" in problem.message


def test_an_extra_column_is_named(tmp_path):
    files = base()
    files["episodes.csv"] = (
        "\n".join(
            line + (",NOTES" if i == 0 else ",")
            for i, line in enumerate(files["episodes.csv"].split("\n")[:-1])
        )
        + "\n"
    )

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 1, None, "NOTES", "error", "columns")]
    assert problem.value == "NOTES"
    assert "closest is Episodes" in problem.message and "extra: NOTES" in problem.message


def test_a_missing_header_table(tmp_path):
    files = base()
    del files["header.csv"]

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [(str(tmp_path / "2025"), None, None, None, "error", "missing_table")]
    assert "Header" in problem.message


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01garbage\x00\xff", b"PK\x03\x04rest of a zip"],
    ids=["empty", "binary", "xlsx"],
)
def test_empty_and_binary_files(tmp_path, content):
    files = base()
    files["junk.csv"] = content

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("junk.csv", None, None, None, "error", "file")]


def test_a_row_with_too_many_cells(tmp_path):
    files = base()
    files["episodes.csv"] = changed(
        files["episodes.csv"], "E4A,,LE11 3TU,LE3 8RA,\n", "E4A,,LE11 3TU,LE3 8RA,,X\n"
    )

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, None, None, "error", "row_width")]


# ---------------------------------------------------------------------------------------------
# Blanks and dates


def test_a_required_blank(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "N4,U4,PR1", "N4,,PR1")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "PLACE", "error", "required")]


def test_an_iso_date_says_use_dd_mm_yyyy(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "20/12/2024", "2024-12-20")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "DEC", "error", "date")]
    assert problem.value == "2024-12-20"
    assert "dd/mm/YYYY" in problem.message and "(20/12/2024)" in problem.message


def test_an_impossible_date(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "B2,10/06/2024", "B2,31/02/2024")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "DECOM", "error", "date")]
    assert problem.value == "31/02/2024"
    assert "not a real date" in problem.message


def test_a_two_digit_year(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "20/12/2024", "20/12/24")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "DEC", "error", "date")]
    assert "four-digit year" in problem.message


def test_a_date_of_birth_in_the_future(tmp_path):
    files = base()
    files["header.csv"] = changed(files["header.csv"], "15/09/2012", "15/09/2099")

    problems = run(tmp_path, files)

    # the header row, and B2's episode now starts before the child was born
    assert keys(problems) == [
        ("episodes.csv", 4, "B2", "DECOM", "error", "episode"),
        ("header.csv", 3, "B2", "DOB", "error", "date"),
    ]
    assert "in the future" in problems[1].message


def test_a_date_of_birth_after_the_collection_year(tmp_path):
    # 2023-24 return (ends 31/03/2024); A1 "born" 01/06/2024, which is not in the future
    files = base(2024)
    files["header.csv"] = changed(files["header.csv"], "01/06/2010", "01/06/2024")

    problems = run(tmp_path, files, 2024)

    assert keys(problems) == [
        ("episodes.csv", 2, "A1", "DECOM", "error", "episode"),
        ("episodes.csv", 3, "A1", "DECOM", "error", "episode"),
        ("header.csv", 2, "A1", "DOB", "error", "date"),
    ]
    assert "after the end of 2023-24 (31/03/2024)" in problems[2].message


def test_partial_previous_permanence_dates_are_allowed(tmp_path):
    files = base()
    files["prevperm.csv"] = (
        ",".join(TABLES["PrevPerm"]) + "\n"
        "A1,01/06/2010,P2,E10000018,ZZ/05/2019\n"
        "B2,15/09/2012,P3,E10000018,2019\n"
    )

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("prevperm.csv", 3, "B2", "DATE_PERM", "error", "date")]


def test_uasc_status_ending_at_18_after_the_year_is_not_questioned(tmp_path):
    # B2 (born 15/09/2012) is UASC until 18, 15/09/2030: DUC is rightly after 31/03/2025;
    # a date of birth after the year's end is still an error
    files = base()
    files["uasc.csv"] = (
        ",".join(TABLES["UASC"]) + "\nB2,F,15/09/2012,15/09/2030\nA1,M,01/06/2025,01/06/2043\n"
    )

    problems = [p for p in run(tmp_path, files) if p.file == "uasc.csv"]

    assert not [p for p in problems if p.column == "DUC"]
    assert (3, "DOB") in [(p.row, p.column) for p in problems]


# ---------------------------------------------------------------------------------------------
# Codes


def test_k3_is_not_valid_in_2023_24(tmp_path):
    files = base(2024)
    files["episodes.csv"] = changed(files["episodes.csv"], "P,C1,N1,U6", "P,C1,N1,K3")

    problem = only(run(tmp_path, files, 2024))

    assert keys([problem]) == [("episodes.csv", 3, "A1", "PLACE", "error", "code")]
    assert problem.value == "K3"
    assert "not a valid PLACE code in 2023-24 (valid from 2024-25)" in problem.message


def test_k3_in_2024_25_needs_age_16(tmp_path):
    # A1, born 01/06/2010, is 14 on 01/09/2024 when the K3 placement starts
    files = base(2025)
    files["episodes.csv"] = changed(files["episodes.csv"], "P,C1,N1,U6", "P,C1,N1,K3")

    problem = only(run(tmp_path, files, 2025))

    assert keys([problem]) == [("episodes.csv", 3, "A1", "PLACE", "error", "code")]
    assert "was 14" in problem.message and "needs age 16" in problem.message


@pytest.mark.parametrize(("dec", "expected"), [("20/12/2023", 1), ("20/10/2023", 0)])
def test_p2_must_end_by_28_october_2023(tmp_path, dec, expected):
    # 2023-24 return; B2 made 17 (born 15/09/2005) so the minimum age is met
    files = base(2024)
    files["header.csv"] = changed(files["header.csv"], "15/09/2012", "15/09/2005")
    files["episodes.csv"] = changed(
        files["episodes.csv"], "N4,U4,PR1,20/12/2023", f"N4,P2,PR1,{dec}"
    )

    problems = run(tmp_path, files, 2024)

    assert keys(problems) == [("episodes.csv", 4, "B2", "PLACE", "error", "code")] * expected
    if expected:
        assert "after 28/10/2023" in problems[0].message


def test_sex_1_is_not_valid_in_2024_25(tmp_path):
    files = base(2025)
    files["header.csv"] = changed(files["header.csv"], "A1,M,", "A1,1,")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("header.csv", 2, "A1", "SEX", "error", "code")]
    assert "valid up to 2023-24" in problem.message and "F, M, U" in problem.message


def test_an_unknown_code_in_lower_case(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "B2,10/06/2024,S", "B2,10/06/2024,x")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "RNE", "error", "code")]
    assert problem.value == "X"
    assert "not a RNE code" in problem.message


# ---------------------------------------------------------------------------------------------
# Children and duplicates


def test_an_episode_child_not_in_the_header(tmp_path):
    files = base()
    files["header.csv"] = changed(
        files["header.csv"], "B2,F,15/09/2012,WBRI,A800000000102,0,\n", ""
    )

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "CHILD", "error", "child")]
    assert "header.csv" in problem.message


def test_another_tables_child_and_dob_are_checked_against_the_header(tmp_path):
    files = base()
    files["missing.csv"] = (
        ",".join(TABLES["Missing"]) + "\n"
        "A1,02/06/2010,M,03/09/2024,04/09/2024\n"  # DOB differs from the Header's 01/06/2010
        "Z9,01/01/2010,A,05/09/2024,05/09/2024\n"  # not in the Header
    )

    problems = run(tmp_path, files)

    assert keys(problems) == [
        ("missing.csv", 2, "A1", "DOB", "error", "child"),
        ("missing.csv", 3, "Z9", "CHILD", "error", "child"),
    ]
    assert "01/06/2010" in problems[0].message


def test_a_repeated_row(tmp_path):
    files = base()
    files["episodes.csv"] += "B2,10/06/2024,S,V2,N4,U4,PR1,20/12/2024,E4A,,LE11 3TU,LE3 8RA,\n"

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 5, "B2", None, "error", "duplicate")]
    assert "repeats row 4" in problem.message


def test_a_second_episode_with_the_same_child_and_decom(tmp_path):
    files = base()
    files["episodes.csv"] += "B2,10/06/2024,S,V2,N4,U6,PR4,20/12/2024,E4A,,LE11 3TU,LE1 7RH,\n"

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 5, "B2", "DECOM", "error", "duplicate")]
    assert "first is row 4" in problem.message


def test_a_child_twice_in_the_header(tmp_path):
    files = base()
    files["header.csv"] += "A1,F,01/06/2010,WBRI,A800000000101,0,\n"

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("header.csv", 4, "A1", "CHILD", "error", "duplicate")]


# ---------------------------------------------------------------------------------------------
# Episodes


def test_dec_before_decom(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "20/12/2024", "01/06/2024")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "DEC", "error", "episode")]


def test_rec_without_dec(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "20/12/2024,E4A", ",E4A")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "DEC", "error", "episode")]
    assert "REC is filled" in problem.message


def test_dec_without_rec(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "20/12/2024,E4A", "20/12/2024,")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "REC", "error", "episode")]


def test_dec_after_the_year_end_is_a_warning(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "20/12/2024", "20/04/2025")

    problems = run(tmp_path, files)

    assert keys(problems) == [("episodes.csv", 4, "B2", "DEC", "warning", "episode")]
    assert not has_errors(problems)
    assert "31/03/2025" in problems[0].message


def test_an_episode_starting_after_the_year(tmp_path):
    files = base()
    files["episodes.csv"] = changed(
        files["episodes.csv"],
        "B2,10/06/2024,S,V2,N4,U4,PR1,20/12/2024,E4A",
        "B2,10/06/2025,S,V2,N4,U4,PR1,,",
    )

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "DECOM", "error", "episode")]


def test_an_episode_overlapping_a_closed_one(tmp_path):
    files = base()
    files["episodes.csv"] += "B2,01/12/2024,P,V2,N4,U6,PR4,,,,LE11 3TU,LE1 7RH,\n"

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 5, "B2", "DECOM", "error", "overlap")]
    assert "row 4" in problem.message and "ends on 20/12/2024" in problem.message


def test_an_episode_overlapping_an_open_one(tmp_path):
    files = base()
    files["episodes.csv"] += "A1,01/12/2024,P,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,\n"

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 5, "A1", "DECOM", "error", "overlap")]
    assert "row 3" in problem.message and "still open" in problem.message


def test_an_x1_chain_with_a_gap(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "A1,01/09/2024,P", "A1,02/09/2024,P")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 2, "A1", "REC", "error", "x1_chain")]
    assert "row 3" in problem.message and "02/09/2024" in problem.message


def test_an_x1_with_no_next_episode(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "20/12/2024,E4A", "20/12/2024,X1")

    problem = only(run(tmp_path, files))

    assert keys([problem]) == [("episodes.csv", 4, "B2", "REC", "error", "x1_chain")]


def test_problems_in_a_messy_return_are_sorted_by_file_row_and_column(tmp_path):
    files = base()
    files["episodes.csv"] = changed(files["episodes.csv"], "20/12/2024,E4A", "01/06/2024,")
    files["header.csv"] = changed(files["header.csv"], "A1,M,", "A1,2,")

    problems = run(tmp_path, files)

    assert keys(problems) == [
        ("episodes.csv", 4, "B2", "DEC", "error", "episode"),
        ("episodes.csv", 4, "B2", "REC", "error", "episode"),
        ("header.csv", 2, "A1", "SEX", "error", "code"),
    ]


def test_a_missing_folder_raises(tmp_path):
    with pytest.raises(DataError, match="not found"):
        validate_return(tmp_path / "nowhere", 2025)


# ---------------------------------------------------------------------------------------------
# Reporting problems

PROBLEMS = [
    Problem(
        "episodes.csv", 4, "B2", "DEC", "01/06/2024", "DEC is before DECOM", "error", "episode"
    ),
    Problem("episodes.csv", None, None, None, None, "read as Windows-1252", "warning", "encoding"),
]


def test_problems_frame():
    frame = problems_frame(PROBLEMS)

    assert list(frame.columns) == list(PROBLEM_COLUMNS)
    assert str(frame["row"].dtype) == "Int64"
    assert frame.loc[0, "row"] == 4 and pd.isna(frame.loc[1, "row"])
    assert list(problems_frame([]).columns) == list(PROBLEM_COLUMNS)


def test_write_problems_csv_replaces_the_file_atomically(tmp_path):
    target = tmp_path / "out" / "problems.csv"
    target.parent.mkdir()
    target.write_text("old content", encoding="utf-8")

    write_problems_csv(PROBLEMS, target)

    back = pd.read_csv(target, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == list(PROBLEM_COLUMNS)
    assert back.loc[0].tolist() == [
        "episodes.csv", "4", "B2", "DEC", "01/06/2024", "error", "DEC is before DECOM", "episode",
    ]  # fmt: skip
    assert back.loc[1, "row"] == ""
    assert sorted(p.name for p in target.parent.iterdir()) == ["problems.csv"]


def test_has_errors_and_summary():
    assert has_errors(PROBLEMS)
    assert not has_errors(PROBLEMS[1:])
    assert not has_errors([])
    assert summarise(PROBLEMS) == "1 error and 1 warning"
    assert summarise([]) == "no problems"
    # issue 15: file, row and column; never the CHILD id or a date (those are in --csv)
    assert str(PROBLEMS[0]) == "error: episodes.csv, row 4, column DEC: DEC is before DECOM"
