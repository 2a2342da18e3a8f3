"""903 returns as councils hold them (issue 19, fidelity): partial histories, DfE edge cases.

Each case writes tiny returns in the test and works the figure out by hand from the DfE definitions
in ``shared/design/indicators.md`` (section 5). Every child's story is told in comments.

Long-term stability at 31 March 2025 (DfE): children looked after on the day, under 16, whose
period of care started on or before 30 September 2022 (2.5 years), and (numerator) whose carer has
been the same since 31 March 2023 or earlier. Children whose care began as an agreed series of
short breaks (LS V3/V4) are left out.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.core.config import load_params
from reportgen.core.errors import DataError, OutputError
from reportgen.indicators import engine
from reportgen.run import report as run
from reportgen.sources import choose
from reportgen.sources.ssda903.read import read_return, scan_return
from reportgen.sources.ssda903.validate import check_continuity, validate_return

LEICS = "E10000018"
LONG_TERM = "stability_long_term_pct"

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)
OC3 = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM"


def person(child: str, dob: str) -> str:
    """A Header row (SEX coded M, as from 2024-25; earlier returns get 1 below)."""
    return f"{child},M,{dob},WBRI,UN1,,"


def episode(
    child: str, decom: str, rne: str, place: str = "U4", dec: str = "", rec: str = "", ls="C2"
) -> str:
    """An Episodes row; a move (RNE P) gets a reason for the change."""
    reason = "CARPL" if rne == "P" else ""
    return f"{child},{decom},{rne},{ls},N1,{place},PR1,{dec},{rec},{reason},LE11 3TU,LE3 8RA,"


def write_return(folder: Path, header: list[str], episodes: list[str], oc3=None) -> Path:
    """One year folder with header.csv, episodes.csv (and oc3.csv)."""
    folder.mkdir(parents=True, exist_ok=True)
    year = int(folder.name[-4:]) if folder.name[-4:].isdigit() else 2025
    rows = header if year >= 2025 else [r.replace(",M,", ",1,", 1) for r in header]
    (folder / "header.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    (folder / "episodes.csv").write_text("\n".join([EPISODES, *episodes]) + "\n")
    if oc3 is not None:
        (folder / "oc3.csv").write_text("\n".join([OC3, *oc3]) + "\n")
    return folder


def long_term(folder: Path) -> engine.Value:
    history = choose.load_history(folder)
    return engine.compute(history, LEICS, "2024-25", [LONG_TERM])[LONG_TERM]


# --------------------------------------------------------------------------------------------
# 1. Long-term stability uses the history in the files, not the folders that exist


def two_returns(root: Path, with_unreachable_chain: bool = False) -> Path:
    """The 2023-24 and 2024-25 returns only (no 2022-23 folder, which the look-back spans).

    * A (born 2014, 11): started care on 01/01/2019 in one foster placement, open ever since: the
      2023-24 return shows that RNE S episode. In the cohort; same carer since 2019: numerator.
    * B (born 2014): started care 01/06/2020 (RNE S), moved to a new carer (RNE P) on
      01/06/2023. The 2023-24 return holds both episodes, so the chain reaches the start. In the
      cohort (2020 <= 30/09/2022); carer since 01/06/2023, after 31/03/2023: not in numerator.
    * C (born 2014): started care 01/02/2024: too recent for the cohort (determined).
    * D (born 2008, 17 on 31/03/2025): first seen in a move of 01/01/2021 (RNE P), the start of
      care is in no return, but at 17 D is outside the cohort whatever it was: no matter.
    * E (only with ``with_unreachable_chain``; born 2014): first seen in an RNE L episode of
      01/03/2022; the episode with RNE S is in no return given, so E cannot be placed.
    """
    people = [person(c, "01/01/2014") for c in "ABC"] + [person("D", "01/01/2008")]
    older = [
        episode("A", "01/01/2019", "S"),
        episode("B", "01/06/2020", "S", dec="01/06/2023", rec="X1"),
        episode("B", "01/06/2023", "P", place="U6"),
        episode("C", "01/02/2024", "S"),
        episode("D", "01/01/2021", "P"),
    ]
    newer = [
        episode("A", "01/01/2019", "S"),
        episode("B", "01/06/2023", "P", place="U6"),
        episode("C", "01/02/2024", "S"),
        episode("D", "01/01/2021", "P"),
    ]
    if with_unreachable_chain:
        people.append(person("E", "01/01/2014"))
        older.append(episode("E", "01/03/2022", "L"))
        newer.append(episode("E", "01/03/2022", "L"))
    write_return(root / "2024", people, older)
    write_return(root / "2025", people, newer)
    return root


def test_long_term_stability_from_a_partial_history_whose_chains_reach_the_start(tmp_path):
    # Cohort A, B; same carer A: 1 of 2 = 50%. Before the fix: not available (no 2022-23 folder).
    got = long_term(two_returns(tmp_path))
    assert got.value == pytest.approx(50.0)
    assert got.marker is None


def test_long_term_stability_withheld_when_a_chain_does_not_reach_the_start(tmp_path):
    # Under 16 on 31/03/2025: A, B, C, E (4); E cannot be determined: withheld, saying 1 of 4.
    got = long_term(two_returns(tmp_path, with_unreachable_chain=True))
    assert got.value is None
    assert got.marker == engine.NOT_AVAILABLE
    assert "for 1 of the 4 children under 16" in got.note
    assert "RNE S" in got.note


# --------------------------------------------------------------------------------------------
# 2. A chain that does not reach the start of care is never taken as the start


def short_breaks_then_care(root: Path, with_2021_22: bool) -> Path:
    """Exactly the three returns 2022-23 to 2024-25 (plus 2021-22 when asked).

    * F (born 2014): care began with an agreed series of short breaks (LS V3, RNE S 01/01/2022),
      which became continuous care on 01/03/2022 (RNE L, LS V2), then a new carer (RNE P) on
      01/06/2023. The V3 episode ended before 1 April 2022, so only the 2021-22 return shows it.
      DfE: F is left out (care began under short breaks).
    * G (born 2014): started care 01/01/2020, same foster carer since: cohort and numerator.

    By hand: DfE cohort G only, 1 of 1 = 100%. Taking F's first seen episode (RNE L, 01/03/2022)
    as the start of care put F in the cohort, not in the numerator: 1 of 2 = 50% (the fault).
    Without the 2021-22 return F cannot be determined, so the figure is withheld.
    """
    people = [person("F", "01/01/2014"), person("G", "01/01/2014")]
    g = episode("G", "01/01/2020", "S")
    if with_2021_22:
        write_return(
            root / "2022",
            people,
            [
                episode("F", "01/01/2022", "S", place="U6", dec="01/03/2022", rec="X1", ls="V3"),
                episode("F", "01/03/2022", "L", place="U6", ls="V2"),
                g,
            ],
        )
    write_return(root / "2023", people, [episode("F", "01/03/2022", "L", place="U6", ls="V2"), g])
    write_return(
        root / "2024",
        people,
        [
            episode("F", "01/03/2022", "L", place="U6", dec="01/06/2023", rec="X1", ls="V2"),
            episode("F", "01/06/2023", "P", ls="V2"),
            g,
        ],
    )
    write_return(root / "2025", people, [episode("F", "01/06/2023", "P", ls="V2"), g])
    return root


def test_chain_not_reaching_the_start_of_care_is_undeterminable(tmp_path):
    got = long_term(short_breaks_then_care(tmp_path, with_2021_22=False))
    assert got.value is None  # not 50%
    assert "for 1 of the 2 children under 16" in got.note


def test_care_that_began_as_short_breaks_is_left_out_once_the_start_is_seen(tmp_path):
    got = long_term(short_breaks_then_care(tmp_path, with_2021_22=True))
    assert got.value == pytest.approx(100.0)  # G of G; F left out (began as short breaks)


# --------------------------------------------------------------------------------------------
# 3. Blank care-leaver rows for young people still looked after on their birthday


def care_leavers(root: Path, y4_left_before_birthday: bool = False) -> Path:
    """The 2024-25 return; every young person's birthday falls in 2024-25, all aged 17-18.

    * Y1 (17 on 15/06/2024): left care 10/05/2024; in touch (YES), F2, D1.
    * Y2 (18 on 01/09/2024): left care on the birthday; in touch (YES), G5, S2.
    * Y3 (17 on 01/10/2024): left care 01/05/2024; not in touch (NO).
    * Y4 (17 on 01/12/2024): still looked after on the birthday (foster care since 2021), so the
      DfE collects no care-leaver information: IN_TOUCH, ACTIV and ACCOM blank. Not a care
      leaver: left out. With ``y4_left_before_birthday`` Y4 instead left care on 01/11/2024 and
      the blank row is a care leaver with nothing recorded: counted, not in touch.

    By hand: care leavers aged 17-18 Y1, Y2, Y3 = 3; in touch Y1, Y2 = 2 of 3 = 66.7%.
    Counting the blank row gave 4 and 2 of 4 = 50% (the fault).
    """
    dobs = {"Y1": "15/06/2007", "Y2": "01/09/2006", "Y3": "01/10/2007", "Y4": "01/12/2007"}
    y4_end = ("01/11/2024", "E8") if y4_left_before_birthday else ("", "")
    write_return(
        root / "2025",
        [person(c, d) for c, d in dobs.items()],
        [
            episode("Y1", "01/01/2020", "S", dec="10/05/2024", rec="E8"),
            episode("Y2", "01/01/2020", "S", dec="01/09/2024", rec="E8"),
            episode("Y3", "01/01/2020", "S", dec="01/05/2024", rec="E8"),
            episode("Y4", "01/01/2021", "S", dec=y4_end[0], rec=y4_end[1]),
        ],
        oc3=[
            f"Y1,{dobs['Y1']},YES,F2,D1",
            f"Y2,{dobs['Y2']},YES,G5,S2",
            f"Y3,{dobs['Y3']},NO,0,0",
            f"Y4,{dobs['Y4']},,,",
        ],
    )
    return root


def test_blank_row_of_a_young_person_still_looked_after_is_left_out(tmp_path):
    history = choose.load_history(care_leavers(tmp_path))
    got = engine.compute(history, LEICS, "2024-25", ["cl_17_18_count", "cl_17_18_in_touch_pct"])
    assert got["cl_17_18_count"].value == 3
    assert got["cl_17_18_in_touch_pct"].value == pytest.approx(100 * 2 / 3)
    assert "1 OC3 row with IN_TOUCH, ACTIV and ACCOM blank" in got["cl_17_18_count"].note
    assert "still looked after on the birthday left out" in got["cl_17_18_in_touch_pct"].note


def test_blank_row_of_a_young_person_who_had_left_care_still_counts(tmp_path):
    history = choose.load_history(care_leavers(tmp_path, y4_left_before_birthday=True))
    got = engine.compute(history, LEICS, "2024-25", ["cl_17_18_count", "cl_17_18_in_touch_pct"])
    assert got["cl_17_18_count"].value == 4
    assert got["cl_17_18_in_touch_pct"].value == pytest.approx(50.0)
    assert got["cl_17_18_count"].note == ""


# --------------------------------------------------------------------------------------------
# 4. Two folders for one year: validate and report refuse alike, naming both


def test_two_folders_for_one_year_are_refused_by_validate_and_report(tmp_path):
    people = [person("A", "01/01/2014")]
    write_return(tmp_path / "2025", people, [episode("A", "01/01/2019", "S")])
    write_return(tmp_path / "2024-25", people, [episode("A", "01/01/2019", "S")])
    with pytest.raises(DataError) as validating:
        choose.validate_input(tmp_path)
    with pytest.raises(DataError) as reporting:
        choose.load_history(tmp_path)
    for error in (validating.value, reporting.value):
        assert "2024-25 and" in str(error) and f"{tmp_path / '2025'}" in str(error)
        assert "keep one folder" in str(error)
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code != 0
    assert "are both for 2024-25" in result.output


# --------------------------------------------------------------------------------------------
# 5. A child missing from the next year's return


def continuity(root: Path, k3_in_next_return: bool = False) -> Path:
    """The 2023-24 and 2024-25 returns (every child born 2014).

    * K1: in care since 2019, open in both returns.
    * K2: in care since 2020, looked after on 31/03/2024, ceased 01/06/2024 (E8).
    * K3: in care since 2022, looked after on 31/03/2024, and missing from the 2024-25 return
      (the fault; ``k3_in_next_return`` puts K3's open episode in it).
    * K4: started 01/05/2023 and ceased 01/09/2023: in neither stock.
    * K5: started 01/05/2024, open.
    * K6: started 01/06/2024, ceased 01/09/2024.
    * K7: started 01/04/2024, ceased 01/05/2024, started again 01/07/2024, open (two starts,
      one cessation).

    By hand: 3 looked after on 31/03/2024 (K1, K2, K3) + 4 starts (K5, K6, K7 twice) - 3
    cessations (K2, K6, K7) = 4, but 3 looked after on 31/03/2025 (K1, K5, K7): 1 child
    unaccounted for (K3).
    """
    people = [person(f"K{i}", "01/01/2014") for i in range(1, 8)]
    older = [
        episode("K1", "01/01/2019", "S"),
        episode("K2", "01/01/2020", "S"),
        episode("K3", "01/01/2022", "S"),
        episode("K4", "01/05/2023", "S", dec="01/09/2023", rec="E8"),
    ]
    newer = [
        episode("K1", "01/01/2019", "S"),
        episode("K2", "01/01/2020", "S", dec="01/06/2024", rec="E8"),
        episode("K5", "01/05/2024", "S"),
        episode("K6", "01/06/2024", "S", dec="01/09/2024", rec="E8"),
        episode("K7", "01/04/2024", "S", dec="01/05/2024", rec="E8"),
        episode("K7", "01/07/2024", "S"),
    ]
    if k3_in_next_return:
        newer.append(episode("K3", "01/01/2022", "S"))
    write_return(root / "2024", people[:4], older)
    write_return(root / "2025", people, newer)
    return root


def test_child_missing_from_the_next_return_is_warned_about(tmp_path):
    folder = continuity(tmp_path)
    problems = [p for p in choose.validate_input(folder) if p.check == "continuity"]
    assert len(problems) == 1
    warning = problems[0]
    assert warning.severity == "warning" and warning.file == "2025"
    assert "3 looked after on 31 March 2024" in warning.message
    assert "+ 4 started - 3 ceased in 2024-25 = 4" in warning.message
    assert "has 3 looked after on 31 March 2025" in warning.message
    assert "1 child unaccounted for" in warning.message
    assert "K3" not in str(warning) and warning.child is None  # no identifiers


def test_returns_that_follow_on_give_no_continuity_warning(tmp_path):
    folder = continuity(tmp_path, k3_in_next_return=True)
    # 3 + 4 - 3 = 4 = K1, K3, K5, K7
    older, newer = scan_return(folder / "2024", 2024), scan_return(folder / "2025", 2025)
    assert check_continuity(older, newer) == []


# --------------------------------------------------------------------------------------------
# 6. Semicolon-delimited files


def test_semicolon_delimited_file_says_so(tmp_path):
    folder = write_return(tmp_path / "2025", [person("A", "01/01/2014")], [])
    (folder / "episodes.csv").write_text(
        EPISODES.replace(",", ";") + "\nA;01/01/2019;S;C2;N1;U4;PR1;;;;LE11 3TU;LE3 8RA;\n"
    )
    problems = [p for p in validate_return(folder, 2025) if p.file == "episodes.csv"]
    assert [p.check for p in problems] == ["delimiter"]
    assert problems[0].message.startswith(
        "this file uses ';' as the delimiter: export as comma-separated"
    )
    assert not any("match no" in p.message for p in problems)
    with pytest.raises(DataError, match="uses ';' as the delimiter"):
        read_return(folder, 2025)


# --------------------------------------------------------------------------------------------
# 7. Disk full during a run


def test_disk_full_names_the_path_and_removes_what_the_run_wrote(tmp_path, monkeypatch):
    params = load_params("Southwark", "2023-24", out=tmp_path)

    def execute(family, params, staging, kernel):
        target = staging / "notebooks" / f"{family}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("{}")
        return target, None

    def write_report(report, path):
        path.write_bytes(b"PK half a document")  # the disk fills up part way
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(run, "_execute", execute)
    monkeypatch.setattr(run, "read_section", lambda work, family: None)
    monkeypatch.setattr(run, "build_report", lambda params, sections, work: object())
    monkeypatch.setattr(run, "write_report", write_report)
    with pytest.raises(OutputError) as raised:
        run.run_report(params, kernel=object())
    message = str(raised.value)
    assert "the disk is full" in message
    assert str(params.out_dir / run.report_filename(params)) in message  # the file not written
    assert not params.out_dir.exists()
    assert list(params.out_dir.parent.iterdir()) == []  # no .failed/, no staging folder
