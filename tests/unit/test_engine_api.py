"""903 engine: registry coverage, report results, validation gate, CLI and building blocks."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.core.config import load_params
from reportgen.core.errors import DataError, ParamsError
from reportgen.indicators import engine, registry
from reportgen.indicators.blocks import add_months, birthday, collection_year_of, from_day, to_day
from reportgen.indicators.measures import FUNCTIONS
from reportgen.sources import choose

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "903"
VALID = FIXTURES / "valid"
CASES = FIXTURES / "cases"
LEICS = "E10000018"
ENGLAND_CLA_2025 = 81_770  # DfE published, England, 31 March 2025 (shared/data/dfe README)


def note_of(result) -> str:
    return getattr(result, "note", "") or result.source


# ------------------------------------------------------------------------------ registry


def test_every_registry_id_has_a_903_function_or_published_data():
    # Published-only ids are legal (no stub needed); an id with neither could never have a value.
    for id_, ind in registry.REGISTRY.items():
        assert id_ in FUNCTIONS or ind.published is not None, id_
        assert not (id_ in FUNCTIONS and ind.not_from_903), id_  # a reason only when no function
    assert set(FUNCTIONS) <= set(registry.REGISTRY)


def test_ids_without_a_903_function_say_why():
    # Declared England-only: the declared reason; otherwise: needs published data.
    assert engine.not_from_903("adoption_entry_to_adopted_days") == (
        "England-only figure from the DfE national adoption table"
    )
    history = choose.load_history(VALID)
    results = engine.family_results("adoption", history, LEICS, "2024-25")
    stage = next(r for r in results if r.id == "adoption_entry_to_adopted_days")
    assert (stage.value, stage.marker) == (None, engine.NOT_AVAILABLE)


def test_registry_points_at_the_903_function():
    spec = registry.get("cl_19_21_eet_pct").ssda903
    assert spec is not None and spec.timing == "birthdays"
    assert "OC3" in registry.get("cl_19_21_eet_pct").ssda903_tables
    assert registry.get("adoption_entry_to_adopted_days").ssda903 is None


# ------------------------------------------------------------------------------ code changes


def test_sgo_codes_by_collection_year():
    history = choose.load_history(CASES / "old_codes")
    first = engine.compute(history, LEICS, "2017-18")
    assert first["ceased"].value == 2
    assert first["ceased_sgo"].value == 2  # E44 and E43, valid until 2017-18
    second = engine.compute(history, LEICS, "2018-19")
    assert second["ceased_sgo"].value == 1  # E46
    assert second["ceased_other"].value == 1  # E44 is no longer an SGO code in 2018-19
    assert second["cla_by_sex_female"].value == 1  # O05, SEX coded 2


# ------------------------------------------------------------------------------ report results


def test_results_for_a_collection_year():
    history = choose.load_history(VALID)
    results = engine.family_results("sufficiency", history, LEICS, "2024-25", ["E10000019"])
    found = {r.id: r for r in results}
    assert [r.id for r in results] == [i.id for i in registry.by_family("sufficiency")]
    cla = found["cla_at_end"]
    assert cla.value == 1  # C0001 (README of the fixture)
    assert cla.previous == 4 and cla.previous_period == "2023-24"
    assert cla.england == ENGLAND_CLA_2025
    assert cla.trend == {
        "2020-21": None,
        "2021-22": None,
        "2022-23": None,
        "2023-24": 4,
        "2024-25": 1,
    }
    assert set(cla.england_trend) == set(cla.trend)
    assert "SSDA903 returns 2023-24 to 2024-25" in cla.source
    uasc = found["uasc_at_end"]
    assert uasc.value is None and uasc.marker == engine.NOT_AVAILABLE
    assert "needs the UASC table" in note_of(uasc)


def test_results_for_a_quarter_compare_with_the_latest_published_year():
    history = choose.load_history(VALID)
    found = {
        r.id: r
        for r in engine.family_results("sufficiency", history, LEICS, "2024-25 Q3", ["E10000019"])
    }
    cla = found["cla_at_end"]
    assert cla.value == 1 and cla.previous_period == "2024-25 Q2"
    assert cla.previous == 2  # C0001 and C0003 at 30/09/2024
    assert cla.england == ENGLAND_CLA_2025
    assert "DfE published 2024-25" in cla.source and "2024-25 Q3" in cla.source
    # an annual England count of starters does not compare with a quarter's
    assert found["started"].england is None
    assert list(cla.trend) == ["2020-21", "2021-22", "2022-23", "2023-24"]


def test_report_section_dispatch(tmp_path):
    params = load_params(LEICS, "2024-25", source="ssda903", input=VALID)
    from reportgen.report.notebook_api import compute_indicators

    results = compute_indicators("care_leavers", params)
    eet = {r.id: r for r in results}["cl_19_21_eet_pct"]
    assert eet.value == pytest.approx(100.0)  # C0006: F5 at 21


def test_synthetic_source_reads_the_generated_returns(monkeypatch):
    import reportgen.sources.synthetic as synthetic
    from reportgen.core.periods import parse_period

    calls = []

    def fake(authority_code, period, seed=0, *, published):
        calls.append((authority_code, period.label, seed))
        assert published().columns.tolist()[:2] == ["geographic_level", "new_la_code"]
        return VALID

    monkeypatch.setattr(synthetic, "ensure_return", fake)
    params = SimpleNamespace(
        source="synthetic",
        authority_code=LEICS,
        period=parse_period("2024-25"),
        statistical_neighbours=["E10000019"],
    )
    results = {r.id: r for r in engine.report_results("sufficiency", params)}
    assert calls == [(LEICS, "2024-25", 0)]
    assert results["cla_at_end"].value == 1
    assert results["cla_at_end"].source.startswith("synthetic SSDA903 returns")


def test_synthetic_source_without_its_generator_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "reportgen.sources.synthetic", None)
    params = SimpleNamespace(source="synthetic", authority_code=LEICS)
    with pytest.raises(ParamsError, match="SOURCE=synthetic is not available"):
        engine.report_results("sufficiency", params)


def test_detail_rejects_ids_not_from_903():
    with pytest.raises(ParamsError, match="England-only"):
        engine.detail("adoption_entry_to_adopted_days", choose.load_history(VALID), "2024-25")


def test_several_authorities_at_once():
    history = choose.load_history(CASES / "placements")
    header = history.tables["Header"]
    la = np.where(header["CHILD"].str[1:].astype(int) <= 8, "E06000016", "E10000018")
    tables = dict(history.tables) | {"Header": header.assign(LA=la)}
    both = dataclasses.replace(history, tables=tables)
    frame = engine.compute_all(both, "2024-25", ["cla_at_end", "placement_foster"])
    # P01-P08 in one authority; P09-P15 and P17 in the other (P16 is in a short break).
    assert frame.loc["E06000016", "cla_at_end"] == 8
    assert frame.loc["E10000018", "cla_at_end"] == 8
    assert frame.loc["E06000016", "placement_foster"] == 6  # P01-P06
    assert frame.loc["E10000018", "placement_foster"] == 1  # P15


# ------------------------------------------------------------------------------ validation gate


@pytest.fixture
def broken(tmp_path):
    folder = tmp_path / "returns"
    shutil.copytree(VALID, folder)
    path = folder / "2025" / "placements.csv"
    path.write_text(path.read_text().replace("C0003,15/01/2024", "C0003,2024-01-15"))
    return folder


def test_check_return_refuses_errors_and_names_the_command(broken):
    with pytest.raises(DataError) as raised:
        choose.check_return(SimpleNamespace(input=broken))
    message = str(raised.value)
    assert "1 validation error" in message
    assert "2025/placements.csv, row 4" in message
    assert f"reportgen validate {broken}" in message


def test_check_return_override(broken):
    problems = choose.check_return(SimpleNamespace(input=broken, allow_invalid_903=True))
    assert [p.severity for p in problems] == ["error"]


def test_check_return_passes_a_valid_return():
    assert choose.check_return(SimpleNamespace(input=VALID)) == []


# ------------------------------------------------------------------------------ CLI

runner = CliRunner()


def test_cli_indicators_writes_flat_json(tmp_path):
    out = tmp_path / "ind.json"
    result = runner.invoke(
        app,
        ["indicators", "--source", "ssda903", "--input", str(VALID), "--authority", LEICS]
        + ["--period", "2024-25", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert "NOT suppressed" in data.pop("_unsuppressed")  # raw figures from 903 data say so
    assert set(data) == set(registry.REGISTRY)
    assert data["cla_at_end"] == 1 and data["ceased"] == 3
    assert data["uasc_at_end"] is None


def test_cli_indicators_refuses_invalid_returns(broken, tmp_path):
    result = runner.invoke(
        app, ["indicators", "--source", "ssda903", "--input", str(broken), "--period", "2024-25"]
    )
    assert result.exit_code == 2
    assert "reportgen validate" in result.output


def test_cli_validate(broken, tmp_path):
    out = tmp_path / "problems.csv"
    result = runner.invoke(app, ["validate", str(broken), "--csv", str(out)])
    assert result.exit_code == 1
    assert "1 error" in result.output
    assert "2025/placements.csv" in out.read_text(encoding="utf-8-sig")
    single = runner.invoke(app, ["validate", str(VALID / "2025"), "--year", "2025"])
    assert single.exit_code == 0 and "no problems" in single.output


# ------------------------------------------------------------------------------ building blocks


def test_dates():
    assert from_day(add_months(to_day(date(2025, 3, 31)), -30)) == date(2022, 9, 30)
    leap = np.array([to_day(date(2004, 2, 29))])
    assert from_day(birthday(leap, 21)[0]) == date(2025, 3, 1)
    assert from_day(birthday(leap, 20)[0]) == date(2024, 2, 29)
    days = np.array([to_day(date(2024, 3, 31)), to_day(date(2024, 4, 1))])
    assert list(collection_year_of(days)) == [2024, 2025]
