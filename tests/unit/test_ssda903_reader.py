"""Reading 903 returns (reportgen.sources.ssda903.read): one year, and several years combined.

The fixture tests/fixtures/903/valid holds two invented returns (2023-24 in 2024/, 2024-25 in
2025/); its README tells each child's story. Expected values are worked out by hand from that
story and indicators.md sections 1, 2 and 8.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pandas as pd
import pytest

import reportgen.sources.ssda903.read
from reportgen.core.errors import DataError
from reportgen.sources.ssda903.read import (
    TABLES,
    combine_returns,
    read_history,
    read_return,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "903" / "valid"

HEADER = ",".join(TABLES["Header"])
EPISODES = ",".join(TABLES["Episodes"])


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return folder


def minimal(folder: Path, episodes: str | None = None, header: str | None = None) -> Path:
    """A valid 2024-25 return with one child, A1, in care from 01/05/2024."""
    return write(
        folder,
        {
            "header.csv": header or f"{HEADER}\nA1,M,01/06/2010,WBRI,A800000000101,,\n",
            "episodes.csv": episodes
            or f"{EPISODES}\nA1,01/05/2024,S,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,\n",
        },
    )


def test_module_examples():
    failures, attempted = doctest.testmod(reportgen.sources.ssda903.read)
    assert attempted > 0
    assert failures == 0


# ---------------------------------------------------------------------------------------------
# One return


def test_fixture_tables_are_found_by_their_columns_not_their_names():
    ret = read_return(FIXTURES / "2025", 2025)

    assert ret.year == 2025 and ret.label == "2024-25"
    assert set(ret.tables) == {
        "Header",
        "Episodes",
        "AD1",
        "PlacedAdoption",
        "OC2",
        "OC3",
        "Missing",
        "Reviews",
        "SWEpisodes",
    }
    assert ret.files["Episodes"].name == "placements.csv"
    assert ret.files["Header"].name == "SSDA903_2024-25_children.csv"
    assert ret.files["AD1"].name == "adopted.csv"
    assert ret.warnings == []
    assert not ret.has("UASC") and ret.has("OC3")


def test_rows_are_numbered_as_in_a_spreadsheet_and_cells_are_strings():
    episodes = read_return(FIXTURES / "2025", 2025).tables["Episodes"]

    # header = row 1: C0001 is on row 2, C0005 on row 6
    assert list(episodes.index) == [2, 3, 4, 5, 6]
    assert episodes.loc[6, "CHILD"] == "C0005"
    assert episodes.loc[6, "REC"] == "E11"
    assert list(episodes.columns) == list(TABLES["Episodes"])
    assert pd.isna(episodes.loc[2, "DEC"])  # open episode: blank, not ""
    assert episodes.loc[3, "URN"] == "SC999001"


def test_dates_parses_a_column_and_keeps_the_row_numbers():
    ret = read_return(FIXTURES / "2025", 2025)

    dec = ret.dates("Episodes", "DEC")

    assert dec.loc[3] == pd.Timestamp(2024, 6, 30)
    assert pd.isna(dec.loc[2])
    assert ret.start == pd.Timestamp(2024, 4, 1) and ret.end == pd.Timestamp(2025, 3, 31)
    with pytest.raises(KeyError, match="not a date column"):
        ret.dates("Episodes", "PLACE")


def test_require_names_the_indicator_the_table_and_the_folder(tmp_path):
    folder = minimal(tmp_path / "2025")
    ret = read_return(folder, 2025)

    with pytest.raises(DataError) as caught:
        ret.require("OC3", "indicator cl_19_21_eet_pct")

    message = str(caught.value)
    assert message.startswith(
        f"indicator cl_19_21_eet_pct needs the OC3 table, which is not in {folder}"
    )
    assert "\n" not in message
    assert ret.require("Episodes", "anything") is ret.tables["Episodes"]


def test_bom_whitespace_and_lower_case_are_tolerated(tmp_path):
    header = "\ufeff CHILD , sex,DOB ,ETHNIC,UPN,MOTHER,MC_DOB\r\n a1 , m ,01/06/2010, wbri ,,,\r\n"
    episodes = (
        f"{EPISODES.lower()}\r\n"
        "a1, 01/05/2024 ,s,c1,n1, u4 ,pr1,,,, le11 3tu ,LE3 8RA,\r\n"
        "\r\n"  # a blank line is skipped but still counts as a spreadsheet row
        ",,,,,,,,,,,,\r\n"
        "a1,01/09/2024,p,c1,n1,u6,pr4,,,,,,\r\n"
    )
    folder = write(tmp_path / "2025", {"h.csv": header.encode("utf-8"), "e.csv": episodes})

    ret = read_return(folder, 2025)

    head = ret.tables["Header"]
    assert list(head.columns) == list(TABLES["Header"])
    assert head.loc[2].tolist()[:4] == ["A1", "M", "01/06/2010", "WBRI"]
    assert pd.isna(head.loc[2, "UPN"])
    row = ret.tables["Episodes"].loc[2]
    assert (row["CHILD"], row["DECOM"], row["RNE"], row["PLACE"]) == ("A1", "01/05/2024", "S", "U4")
    assert row["HOME_POST"] == "LE11 3TU"
    # row 3 is blank and row 4 is all commas: both skipped, and the next row is still row 5
    assert list(ret.tables["Episodes"].index) == [2, 5]
    assert ret.tables["Episodes"].loc[5, "PLACE"] == "U6"


def test_windows_1252_text_is_read_with_a_warning(tmp_path):
    folder = minimal(tmp_path / "2025")
    text = f"{HEADER}\nA1,M,01/06/2010,WBRI,Z\u00e9\u00a3,,\n"  # "Zé£": not valid UTF-8 in cp1252
    (folder / "header.csv").write_bytes(text.encode("cp1252"))

    ret = read_return(folder, 2025)

    assert ret.tables["Header"].loc[2, "UPN"] == "Z\u00c9\u00a3"  # upper-cased "ZÉ£"
    assert len(ret.warnings) == 1
    assert "header.csv" in ret.warnings[0] and "Windows-1252" in ret.warnings[0]


def test_a_table_with_only_a_header_row_is_an_empty_table(tmp_path):
    folder = minimal(tmp_path / "2025")
    write(folder, {"missing.csv": ",".join(TABLES["Missing"]) + "\n"})

    missing = read_return(folder, 2025).tables["Missing"]

    assert missing.empty and list(missing.columns) == list(TABLES["Missing"])


def test_missing_header_is_refused(tmp_path):
    folder = minimal(tmp_path / "2025")
    (folder / "header.csv").unlink()

    with pytest.raises(DataError, match=r"no file holds the Header table") as caught:
        read_return(folder, 2025)
    assert str(folder) in str(caught.value)


def test_unknown_columns_name_the_closest_table_and_the_differences(tmp_path):
    episodes = (
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,"
        "PL_POST,URN_NO\nA1,01/05/2024,S,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,\n"
    )
    folder = minimal(tmp_path / "2025", episodes=episodes)

    with pytest.raises(DataError) as caught:
        read_return(folder, 2025)

    message = str(caught.value)
    assert "episodes.csv" in message and "row 1" in message
    assert "closest is Episodes" in message
    assert "missing: URN" in message and "extra: URN_NO" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"PK\x03\x04\x14\x00\x06\x00binary", "Excel workbook"),
        ("CHILD,SEX".encode("utf-16"), "UTF-16"),
        (b"\x00\x01\x02\x03garbage\xff\xfe\x00", "not a text CSV"),
    ],
)
def test_empty_and_binary_files_are_refused(tmp_path, content, expected):
    folder = minimal(tmp_path / "2025")
    write(folder, {"oc3.csv": content})

    with pytest.raises(DataError, match=expected) as caught:
        read_return(folder, 2025)
    assert "oc3.csv" in str(caught.value)


def test_a_row_with_too_many_cells_names_the_row(tmp_path):
    episodes = (
        f"{EPISODES}\n"
        "A1,01/05/2024,S,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,\n"
        "A1,01/06/2024,P,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,,EXTRA\n"
    )
    folder = minimal(tmp_path / "2025", episodes=episodes)

    with pytest.raises(
        DataError, match=r"episodes.csv, row 3: the row has 14 cells but the header has 13"
    ):
        read_return(folder, 2025)


def test_trailing_empty_cells_and_header_commas_are_ignored(tmp_path):
    episodes = f"{EPISODES},,\nA1,01/05/2024,S,C1,N1,U4,PR1,,,,LE11 3TU,LE3 8RA,,,\n"
    folder = minimal(tmp_path / "2025", episodes=episodes)

    assert read_return(folder, 2025).tables["Episodes"].loc[2, "PLACE"] == "U4"


def test_two_files_for_one_table_are_refused(tmp_path):
    folder = minimal(tmp_path / "2025")
    write(folder, {"copy_of_header.csv": (folder / "header.csv").read_text()})

    with pytest.raises(DataError, match="holds the Header table, as copy_of_header.csv does"):
        read_return(folder, 2025)


def test_other_files_are_ignored_with_a_warning(tmp_path):
    folder = minimal(tmp_path / "2025")
    write(folder, {"notes.txt": "not data", "return.xml": "<Message/>"})

    ret = read_return(folder, 2025)

    assert len(ret.warnings) == 2
    assert all("ignored" in w for w in ret.warnings)


def test_a_missing_folder_or_bad_year_is_refused(tmp_path):
    with pytest.raises(DataError, match="not found"):
        read_return(tmp_path / "nowhere", 2025)
    with pytest.raises(DataError, match="end year such as 2025"):
        read_return(minimal(tmp_path / "2025"), 24)


def test_a_folder_named_for_another_year_gives_a_warning(tmp_path):
    ret = read_return(minimal(tmp_path / "2024-25"), 2024)

    assert ret.warnings == [
        f"{tmp_path / '2024-25'}: the folder name says 2024-25 but it is being read as "
        "2023-24: check the year"
    ]


def test_sw_episodes_before_2023_24_gives_a_warning(tmp_path):
    folder = minimal(tmp_path / "2023")
    write(folder, {"sw.csv": ",".join(TABLES["SWEpisodes"]) + "\n"})

    ret = read_return(folder, 2023)

    assert ret.has("SWEpisodes")
    assert any("collected only from 2023-24" in w for w in ret.warnings)


# ---------------------------------------------------------------------------------------------
# Several years


def test_history_deduplicates_episodes_and_later_returns_supersede():
    history = read_history(FIXTURES)

    assert history.years == (2024, 2025)
    episodes = history.tables["Episodes"]
    # 13 rows in 2024 + 5 in 2025; C0001 15/02/2024, C0002 01/09/2022, C0003 15/01/2024 and
    # C0005 05/10/2023 are in both returns.
    assert len(episodes) == 14
    assert list(episodes.groupby("CHILD").size()) == [5, 1, 2, 3, 3]
    key = episodes.set_index(["CHILD", "DECOM"])
    # open in 2024, closed in 2025: the closed 2025 row wins
    assert tuple(key.loc[("C0002", "01/09/2022"), ["DEC", "REC", "YEAR", "ROW"]]) == (
        "30/06/2024",
        "E4A",
        2025,
        3,
    )
    assert tuple(key.loc[("C0003", "15/01/2024"), ["DEC", "REC", "YEAR"]]) == (
        "20/12/2024",
        "E46",
        2025,
    )
    assert tuple(key.loc[("C0005", "05/10/2023"), ["DEC", "REC"]]) == ("12/06/2024", "E11")
    # open in both: still open, from the latest return
    assert pd.isna(key.loc[("C0001", "15/02/2024"), "DEC"])
    assert key.loc[("C0001", "15/02/2024"), "YEAR"] == 2025
    # episodes only in 2024 keep their 2024 row numbers
    assert key.loc[("C0001", "05/11/2023"), "PLACE"] == "T1"
    assert key.loc[("C0001", "05/11/2023"), "ROW"] == 4
    assert set(episodes["EPISODE_SOURCE"]) == {"Original"}
    # sorted by child, then start date
    assert list(episodes.loc[episodes["CHILD"] == "C0001", "DECOM"]) == [
        "10/05/2023",
        "20/08/2023",
        "05/11/2023",
        "12/11/2023",
        "15/02/2024",
    ]


def test_history_header_keeps_each_childs_latest_row_and_other_tables_are_stacked():
    history = read_history(FIXTURES)

    header = history.tables["Header"].set_index("CHILD")
    assert len(header) == 6
    assert header.loc["C0005", "UPN"] == "A800000000055"  # 2024 had UN1
    assert header.loc["C0001", "SEX"] == "M"  # 2024 had 1
    assert set(header["YEAR"]) == {2025}

    oc3 = history.tables["OC3"]
    assert list(zip(oc3["YEAR"], oc3["ACTIV"], oc3["ACCOM"], strict=True)) == [
        (2024, "G5", "Z1"),
        (2025, "F5", "U1"),
    ]
    assert list(history.tables["PlacedAdoption"]["YEAR"]) == [2024, 2025]
    assert list(history.tables["PrevPerm"]["YEAR"]) == [2024]
    assert history.returns[2024].tables["Header"].loc[6, "UPN"] == "UN1"
    assert history.dates("Episodes", "DECOM").notna().all()


def test_history_from_a_list_or_a_mapping_and_year_folder_names(tmp_path):
    a = minimal(tmp_path / "2023-24")
    b = minimal(tmp_path / "2024_25")

    from_list = read_history([b, a])
    from_mapping = read_history({2025: FIXTURES / "2025", 2024: FIXTURES / "2024"})

    assert from_list.years == (2024, 2025)
    assert from_mapping.years == (2024, 2025)
    with pytest.raises(DataError, match="cannot tell the collection year"):
        read_history([tmp_path / "2023-24", FIXTURES / "2025" / ".." / "2025", tmp_path])


def test_history_parent_folder_ignores_non_year_folders_with_a_warning(tmp_path):
    minimal(tmp_path / "2025")
    (tmp_path / "archive").mkdir()

    history = read_history(tmp_path)

    assert history.years == (2025,)
    assert any("archive" in w and "ignored" in w for w in history.warnings)


def test_history_refuses_two_folders_for_one_year(tmp_path):
    minimal(tmp_path / "2025")
    minimal(tmp_path / "2024-25")

    with pytest.raises(DataError, match="both for 2024-25"):
        read_history(tmp_path)


def _row(child: str, decom: str, rne: str, place: str, dec: str = "", rec: str = "") -> str:
    provider = "" if place.startswith("T") else ("PR1" if place == "U4" else "PR4")
    return f"{child},{decom},{rne},C1,N1,{place},{provider},{dec},{rec},,LE11 3TU,LE3 8RA,\n"


def test_open_episodes_of_older_returns_are_closed_as_liia_tools_does(tmp_path):
    # Hand-worked cases of indicators.md section 8 (episodes_fix). 2024 = 2023-24, 2025 = 2024-25.
    children = ["R1", "R1A", "R1B", "R2", "R3", "R3A", "R4", "R5"]
    header = HEADER + "\n" + "".join(f"{c},M,01/06/2010,WBRI,,,\n" for c in children)
    older = (
        EPISODES
        + "\n"
        + "".join(
            [
                _row("R1", "01/06/2023", "S", "U4"),  # open; 2025 has the next episode (RNE P)
                _row("R1A", "01/06/2023", "S", "U4"),  # open; re-enters the same U4 01/09/2024
                _row("R1B", "01/06/2023", "S", "U4"),  # open; re-enters in a U6 10/03/2024
                _row("R2", "01/06/2023", "S", "U4"),  # open; not in 2025 at all
                _row("R3", "10/06/2023", "S", "U4"),  # open; 2025 has it re-dated 01/06/2023
                _row("R3A", "10/06/2023", "S", "U4"),  # open; 2025 starts earlier, other details
                _row("R4", "01/06/2023", "S", "U4", "20/03/2024", "X1"),  # overlaps 2025's next
                _row("R5", "01/06/2023", "S", "U4", "01/03/2024", "X1"),  # gap before 2025's next
            ]
        )
    )
    later = (
        EPISODES
        + "\n"
        + "".join(
            [
                _row("R1", "01/08/2024", "P", "U6"),
                _row("R1A", "01/09/2024", "S", "U4"),
                _row("R1B", "10/03/2024", "S", "U6"),
                _row("R3", "01/06/2023", "S", "U4"),
                _row("R3A", "01/06/2023", "S", "U6"),
                _row("R4", "10/03/2024", "P", "U6"),
                _row("R5", "05/03/2024", "P", "U6"),
            ]
        )
    )
    write(tmp_path / "2024", {"h.csv": header, "e.csv": older})
    write(tmp_path / "2025", {"h.csv": header, "e.csv": later})

    episodes = read_history(tmp_path).tables["Episodes"]
    first = episodes.drop_duplicates("CHILD").set_index("CHILD")  # first episode of each

    def end(child: str) -> tuple:
        row = first.loc[child]
        rpc = None if pd.isna(row["REASON_PLACE_CHANGE"]) else row["REASON_PLACE_CHANGE"]
        return row["DEC"], row["REC"], rpc, row["EPISODE_SOURCE"]

    # rule 1: care continued: DEC = next DECOM, X1, LIIAF because the next RNE is P
    assert end("R1") == ("01/08/2024", "X1", "LIIAF", "RULE_1")
    # rule 1A: DEC = min(31/03/2024, 31/08/2024) = 31/03/2024, E99. Same details as the new
    # episode, but that starts after 31/03/2024, so it is a re-entry, not a re-dated copy.
    assert end("R1A") == ("31/03/2024", "E99", None, "RULE_1A")
    # rule 1A: DEC = min(31/03/2024, 09/03/2024) = 09/03/2024
    assert end("R1B") == ("09/03/2024", "E99", None, "RULE_1A")
    # rule 2: DEC = 31 March of its own return's year, E99
    assert end("R2") == ("31/03/2024", "E99", None, "RULE_2")
    # rule 3: the re-dated copy from 2025 replaces the 2024 one (same details)
    assert list(episodes.loc[episodes["CHILD"] == "R3", "DECOM"]) == ["01/06/2023"]
    assert first.loc["R3", "YEAR"] == 2025
    # rule 3A: a later return starts earlier with other details: the 2024 row goes
    assert list(episodes.loc[episodes["CHILD"] == "R3A", "PLACE"]) == ["U6"]
    # rule 4: DEC 20/03/2024 overlaps the next DECOM 10/03/2024: ended on 10/03/2024
    assert end("R4") == ("10/03/2024", "X1", None, "RULE_4")
    # rule 5: X1 on 01/03/2024 but the next starts 05/03/2024: ended on 05/03/2024
    assert end("R5") == ("05/03/2024", "X1", None, "RULE_5")
    # episodes of the latest return are untouched
    latest = episodes[episodes["YEAR"] == 2025]
    assert set(latest["EPISODE_SOURCE"]) == {"Original"}
    # 8 rows in 2024 + 7 in 2025, less the two dropped by rules 3 and 3A
    assert len(episodes) == 13


def test_combine_returns_refuses_two_returns_for_one_year(tmp_path):
    a = read_return(minimal(tmp_path / "a"), 2025)
    b = read_return(minimal(tmp_path / "b"), 2025)

    with pytest.raises(DataError, match="both for 2024-25"):
        combine_returns([a, b])


def test_history_require_names_the_folders(tmp_path):
    history = read_history([minimal(tmp_path / "2025")])

    with pytest.raises(DataError, match=r"needs the AD1 table, which is not in any of the returns"):
        history.require("AD1", "indicator a2_avg_days")
