"""Synthetic SSDA903 generator: files, coding by year, event structure, determinism, caching.

Fast: Rutland (about 30 children looked after), two collection years, and a postcode bank of a
few postcode areas instead of the national sample.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from reportgen.indicators.published import published_values
from reportgen.sources import synthetic
from reportgen.sources.ssda903.read import TABLES, read_history, read_return
from reportgen.sources.ssda903.validate import validate_return
from reportgen.sources.synthetic import postcodes

RUTLAND = "E06000017"
YEARS = [2024, 2025]
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


@pytest.fixture(scope="session")
def small_bank() -> postcodes.PostcodeBank:
    # Rutland (LE15, PE9) and its neighbours' postcode areas
    return postcodes.bank_for_letters("LP")


@pytest.fixture(scope="session")
def rutland(tmp_path_factory, small_bank) -> synthetic.SyntheticReturns:
    out = tmp_path_factory.mktemp("synth") / "rutland"
    return synthetic.generate(
        RUTLAND, "2023-24:2024-25", seed=7, out=out, bank=small_bank, published=published_values
    )


def _table(result, year: int, table: str) -> pd.DataFrame:
    return read_return(result.year_folders[year], year).tables[table]


def test_parse_years():
    assert synthetic.parse_years("2020-21:2024-25") == [2021, 2022, 2023, 2024, 2025]
    assert synthetic.parse_years("2024-25") == [2025]
    assert synthetic.parse_years("2021:2022") == [2021, 2022]
    assert synthetic.parse_years([2023, 2022]) == [2022, 2023]
    with pytest.raises(Exception, match="end before"):
        synthetic.parse_years("2024-25:2022-23")


def test_files_say_synthetic_and_read_back(rutland):
    folder = rutland.folder
    readme = (folder / "README.txt").read_text()
    assert "SYNTHETIC DATA" in readme and "Rutland" in readme
    assert rutland.years == tuple(YEARS)
    for year in YEARS:
        names = sorted(p.name for p in (folder / str(year)).iterdir())
        assert names and all(n.startswith("synthetic_") and n.endswith(".csv") for n in names)
        ret = read_return(folder / str(year), year)
        assert set(ret.tables) >= {"Header", "Episodes", "Reviews", "OC2", "OC3", "PrevPerm"}
        assert ("SWEpisodes" in ret.tables) == (year >= 2024)
        for name, frame in ret.tables.items():
            assert list(frame.columns) == list(TABLES[name])
            assert frame["CHILD"].str.startswith("SYN").all(), name
            assert frame["CHILD"].str.len().le(10).all()
    history = read_history(folder)
    assert history.years == tuple(YEARS)
    assert not history.warnings


def test_own_validation_finds_no_errors(rutland):
    for year in YEARS:
        problems = validate_return(rutland.year_folders[year], year)
        errors = [str(p) for p in problems if p.severity == "error"]
        assert errors == []
        # the only warnings: DUC (the 18th birthday) after the year, as the DfE rule 205B wants
        assert {p.column for p in problems} <= {"DUC"}


def test_coding_by_year(rutland):
    header24, header25 = _table(rutland, 2024, "Header"), _table(rutland, 2025, "Header")
    assert set(header24["SEX"]) <= {"1", "2"}
    assert set(header25["SEX"]) <= {"M", "F"}
    for year in YEARS:
        eps = _table(rutland, year, "Episodes")
        for column in ("DECOM", "DEC"):
            assert eps[column].dropna().str.match(DATE).all()
        decom = pd.to_datetime(eps["DECOM"], format="%d/%m/%Y")
        dec = pd.to_datetime(eps["DEC"], format="%d/%m/%Y")
        # P2 is not open after 28 October 2023; H5 has a URN from then; K3 only from 2024-25
        p2 = eps["PLACE"] == "P2"
        assert (dec[p2] <= pd.Timestamp(2023, 10, 28)).all() and eps.loc[p2, "DEC"].notna().all()
        late_h5 = (eps["PLACE"] == "H5") & (decom >= pd.Timestamp(2023, 10, 28))
        assert eps.loc[late_h5, "URN"].notna().all()
        if year < 2025:
            assert not (eps["PLACE"] == "K3").any()
        assert not eps["PLACE"].isin(["Z11", "Z12", "Z13", "Z14"]).any()
        oc3 = _table(rutland, year, "OC3")
        assert not oc3["ACTIV"].isin(["F3", "P3"]).any()


def test_episodes_form_periods_of_care(rutland):
    for year in YEARS:
        eps = _table(rutland, year, "Episodes").reset_index(drop=True)
        decom = pd.to_datetime(eps["DECOM"], format="%d/%m/%Y")
        dec = pd.to_datetime(eps["DEC"], format="%d/%m/%Y")
        same = eps["CHILD"] == eps["CHILD"].shift(-1)
        x1 = eps["REC"] == "X1"
        # an X1 episode is followed by the child's next episode on the same day
        assert (decom.shift(-1)[x1] == dec[x1]).all()
        assert same[x1].all()
        # a child's episodes never overlap, and care continues only through X1
        nxt = same & ~x1 & eps["DEC"].notna()
        assert (eps["RNE"].shift(-1)[nxt] == "S").all()
        # a temporary placement is followed by a return to the same placement (RNE P)
        temp = eps["PLACE"].str.startswith("T") & same
        for i in eps.index[temp]:
            if i > 0 and eps.loc[i - 1, "CHILD"] == eps.loc[i, "CHILD"]:
                assert eps.loc[i + 1, "RNE"] == "P"
                assert eps.loc[i + 1, "PLACE"] == eps.loc[i - 1, "PLACE"]
                assert eps.loc[i + 1, "PL_POST"] == eps.loc[i - 1, "PL_POST"]
        # supported accommodation only from 16
        header = _table(rutland, year, "Header").set_index("CHILD")
        dob = pd.to_datetime(eps["CHILD"].map(header["DOB"]), format="%d/%m/%Y")
        supported = eps["PLACE"].isin(["H5", "P2", "K3"])
        age = (decom - dob).dt.days / 365.25
        assert (age[supported] >= 16).all()


def test_deterministic(tmp_path, small_bank, rutland):
    again = synthetic.generate(
        RUTLAND,
        "2023-24:2024-25",
        seed=7,
        out=tmp_path / "a",
        bank=small_bank,
        published=published_values,
    )
    other = synthetic.generate(
        RUTLAND,
        "2023-24:2024-25",
        seed=8,
        out=tmp_path / "b",
        bank=small_bank,
        published=published_values,
    )
    for year in YEARS:
        for path in sorted(rutland.year_folders[year].iterdir()):
            assert path.read_bytes() == (again.year_folders[year] / path.name).read_bytes()
            assert b"\r\n" not in path.read_bytes()
    first = (rutland.year_folders[2025] / "synthetic_episodes.csv").read_bytes()
    assert first != (other.year_folders[2025] / "synthetic_episodes.csv").read_bytes()


def test_ensure_return_caches(tmp_path, monkeypatch, small_bank):
    monkeypatch.setenv("REPORTGEN_SYNTHETIC_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(postcodes, "load_bank", lambda cache_dir: small_bank)
    folder = synthetic.ensure_return(RUTLAND, "2024-25 Q3", seed=3, published=published_values)
    assert folder.is_dir() and (folder / "README.txt").exists()
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == [
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    stamp = (folder / "2025" / "synthetic_episodes.csv").stat().st_mtime_ns
    assert (
        synthetic.ensure_return("Rutland", "2024-25", seed=3, published=published_values) == folder
    )
    assert (folder / "2025" / "synthetic_episodes.csv").stat().st_mtime_ns == stamp
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]
    assert read_history(folder).years == (2021, 2022, 2023, 2024, 2025)


def test_cli_synth(tmp_path, monkeypatch, small_bank):
    from typer.testing import CliRunner

    from reportgen.cli.app import app

    monkeypatch.setattr(postcodes, "load_bank", lambda cache_dir: small_bank)
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        app,
        ["synth", "--authority", "Rutland", "--years", "2024-25", "--seed", "2", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "synthetic" in result.output
    assert (out / "2025" / "synthetic_header.csv").exists()
    bad = CliRunner().invoke(app, ["synth", "--authority", "Nowhere", "--out", str(out)])
    assert bad.exit_code != 0


def test_csv_text_quotes_only_when_needed():
    frame = pd.DataFrame({"A": ["x", None, "y,z"], "B": [None, "1", "2"]})
    assert synthetic.csv_text(frame) == 'A,B\nx,\n,1\n"y,z",2\n'
    assert synthetic.csv_text(frame.iloc[:2]) == "A,B\nx,\n,1\n"


def test_readme_written_once_per_folder(rutland):
    assert [p.name for p in Path(rutland.folder).iterdir() if p.is_file()] == ["README.txt"]
