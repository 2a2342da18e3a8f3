"""The paper's outlook: provider shares, scenarios, checks of costs/scenarios params, sentences.

Expected values are worked out by hand in the comments (or read from the DfE CSV in ../shared).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from reportgen.analysis.costs import WEEKS_PER_YEAR
from reportgen.core.config import load_params
from reportgen.core.errors import ParamsError
from reportgen.model import Figure, Paragraph, Table
from reportgen.report import outlook, outlook_parts
from reportgen.report.context import Context, Results

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dfe"


def _rows(total: str, own: str, private: str, private_marker: str | None = None) -> pd.DataFrame:
    labels = {
        "Own provision (by the LA)": own,
        "Private provision": private,
        "Total": total,
    }
    rows = []
    for label, value in labels.items():
        marker = private_marker if label == "Private provision" else None
        rows.append(
            {
                "characteristic": "Place providers",
                "breakdown": label,
                "children_count": float("nan") if marker else float(value),
                "children_count_marker": marker,
            }
        )
    return pd.DataFrame(rows)


def test_provider_shares_are_percentages_of_the_total_and_keep_the_dfe_marker():
    # 4 of 10 with the council's own provision = 40%; private withheld by the DfE ('c')
    shares = outlook._provider_shares(_rows("10", "4", "", private_marker="c"))
    assert shares["own_la"] == pytest.approx(40.0)
    assert shares["private"] == "c"
    assert shares["voluntary"] is None  # not in the rows: not published
    assert outlook_parts._pct("c") == "withheld"
    assert outlook_parts._pct(None) == "n/a"
    assert outlook_parts._pct(0.3) == "<0.5%"
    assert outlook_parts._pct(39.6) == "40%"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared not present")
def test_leicestershire_provider_shares_match_the_dfe_csv():
    # Worked from the DfE CSV itself: own provision / total for Leicestershire at 31 March 2025
    found = {}
    with open(SHARED / "la_cla_on_31_march_by_characteristics.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if (
                row["new_la_code"] == "E10000018"
                and row["time_period"] == "2025"
                and row["characteristic"] == "Place providers"
            ):
                found[row["breakdown"]] = row["children_count"]
    expected = int(found["Own provision (by the LA)"]) / int(found["Total"]) * 100
    market = outlook.provider_mix(load_params("E10000018", "2024-25"), "2024-25")
    assert market["authority"]["own_la"] == pytest.approx(expected)
    assert market["neighbour_count"] == 10


def test_bad_costs_and_scenarios_are_refused_with_the_accepted_values():
    with pytest.raises(ParamsError, match="unknown provider 'inhouse'"):
        outlook.check_params(
            load_params("E10000018", "2024-25", overrides={"costs": {"foster": {"inhouse": 500}}})
        )
    with pytest.raises(
        ParamsError,
        match="costs.foster.own_la.weekly: got -5; accepted: a number of pounds a week, 0 or more",
    ):
        outlook.check_params(
            load_params("E10000018", "2024-25", overrides={"costs": {"foster": {"own_la": -5}}})
        )
    bad_cell = {
        "scenarios": [
            {
                "name": "x",
                "move_from": "homes.private",
                "move_to": "foster.own_la",
                "children_per_year": 2,
            }
        ]
    }
    with pytest.raises(ParamsError, match="placement types: foster"):
        outlook.check_params(load_params("E10000018", "2024-25", overrides=bad_cell))
    late = {"scenarios": [{"name": "x", "entries_change": -0.1, "from_year": "2031-32"}]}
    with pytest.raises(ParamsError, match="accepted: 2025-26, 2026-27, 2027-28"):
        outlook.check_params(load_params("E10000018", "2024-25", overrides=late))


def test_a_horizon_outside_one_to_four_is_refused():
    params = load_params("E10000018", "2024-25")
    with pytest.raises(ParamsError, match="horizon"):
        outlook.with_options(params, horizon=5)
    assert outlook.with_options(params, horizon=2).forecast.horizon == 2


def _five_a_year():
    """Own unit costs (report year prices) and one scenario moving 5 children a year from
    private children's homes (£5,000 a week) to the council's foster carers (£500 a week)."""
    return load_params(
        "E10000018",
        "2024-25",
        overrides={
            "costs": {"childrens_home": {"private": 5000}, "foster": {"own_la": 500}},
            "scenarios": [
                {
                    "name": "Five a year to in-house foster care",
                    "move_from": "childrens_home.private",
                    "move_to": "foster.own_la",
                    "children_per_year": 5,
                }
            ],
        },
    )


def test_a_scenario_moving_children_saves_what_is_worked_out_by_hand():
    # Own unit costs: private children's home £5,000 a week, own foster care £500 a week (report
    # year prices, so no uplift). Moving 5 children a year saves 5 x £4,500 a week in the first
    # year: 22,500 x 365.25 / 7 = £1,174,017.86 a year; 10 children (£2,348,035.71) in the second.
    params = _five_a_year()
    data = outlook.compute(params)
    base, moved = data["scenarios"]
    years = list(base["years"])
    first = base["years"][years[0]]["annual_cost"] - moved["years"][years[0]]["annual_cost"]
    second = base["years"][years[1]]["annual_cost"] - moved["years"][years[1]]["annual_cost"]
    assert first == pytest.approx(1_174_017.857, rel=1e-9)
    assert second == pytest.approx(2_348_035.714, rel=1e-9)
    assert 5 * 4500 * WEEKS_PER_YEAR == pytest.approx(1_174_017.857, rel=1e-9)
    # the same children: a move changes the cost, not the number
    assert moved["years"][years[0]]["looked_after"] == base["years"][years[0]]["looked_after"]


def test_fewer_entries_give_fewer_children_than_the_baseline():
    params = load_params(
        "E10000018",
        "2024-25",
        overrides={"scenarios": [{"name": "10% fewer entries", "entries_change": -0.1}]},
    )
    base, fewer = outlook.compute(params)["scenarios"]
    last = list(base["years"])[-1]
    assert fewer["years"][last]["looked_after"] < base["years"][last]["looked_after"]


def _context(tmp_path: Path, data: dict) -> Context:
    outlook.write_outlook(data, tmp_path)
    params = load_params("E10000018", "2024-25")
    return Context(params, Results({}), tmp_path, "2023-24")


def test_no_forecast_says_why_in_one_sentence(tmp_path):
    data = {
        "forecast": {
            "available": False,
            "reason": "needs at least three years of published figures",
        },
        "market": {"year": "2024-25", "authority": None},
        "costs": {"available": False, "reason": "no total"},
    }
    blocks = outlook_parts.part_looking_ahead(_context(tmp_path, data))
    assert [b.text for b in blocks] == [
        "There is no forecast in this report: needs at least three years of published figures."
    ]


def test_cost_sentences_are_in_govuk_money_style(tmp_path):
    # 100 children costing £50,000 a week: £50,000 x 365.25 / 7 = £2,608,928.57 a year, "£2.6
    # million"; £500 a week each. England's mix £2 million: £608,929 less, "£610,000" to two
    # significant figures (estimates are never shown more precisely).
    weekly = 50_000.0
    annual = weekly * WEEKS_PER_YEAR
    costs = {
        "available": True,
        "year": "2024-25",
        "children": 100.0,
        "costed_children": 100.0,
        "uncosted_children": 0.0,
        "weekly_cost": weekly,
        "annual_cost": annual,
        "annual_cost_england_mix": 2_000_000.0,
        "by_type": {
            "childrens_home": {
                "children": 10.0,
                "weekly_cost": 25_000.0,
                "annual_cost": annual / 2,
                "costed": True,
            }
        },
        "shift": {
            "children": 1.0,
            "weekly_from": 5_000.0,
            "weekly_to": 500.0,
            "annual_saving": 4_500 * WEEKS_PER_YEAR,
        },
        "trend_at_this_years_prices": {},
        "estimate_note": "Estimated.",
        "own_figures": [],
    }
    sentences = outlook_parts._cost_sentences(
        _context(tmp_path, {"forecast": {}, "market": {}, "costs": costs}), costs
    )
    assert sentences[0].startswith(
        "We estimate that the placements of the 100 children looked after at 31 March 2025 cost "
        "about £2.6 million a year (£50,000 a week) at 2024-25 prices: on average £500 a week"
    )
    assert any("would cost about £2 million a year, £610,000 less" in s for s in sentences)
    assert "Children's homes account for about 50% of the cost and 10% of the children" in sentences
    # 1 child x £4,500 a week x 365.25 / 7 = £234,803.57 a year: "£230,000" to two figures; 1% of
    # 100 children is one child, so the sentence is about each child
    assert (
        "Each child placed with the council's own foster carers instead of in a private "
        "children's home would save about £230,000 a year"
    ) in sentences


def test_the_looking_ahead_part_has_a_table_and_a_fan_chart_with_numbers_in_its_alt_text(tmp_path):
    params = load_params("E10000018", "2024-25")
    data = outlook.run_outlook(params, tmp_path)
    c = Context(params, Results({}), tmp_path, "2023-24")
    blocks = outlook_parts.part_looking_ahead(c)
    tables = [b for b in blocks if isinstance(b, Table)]
    figures = [b for b in blocks if isinstance(b, Figure)]
    assert len(tables) == 1 and len(tables[0].rows) == 3
    assert figures and "694" in figures[0].alt_text  # the published figure at 31 March 2025
    assert figures[0].image.exists()
    first = [b for b in blocks if isinstance(b, Paragraph)][0].text
    assert first.startswith("If recent trends continue, we expect between")
    # never a negative or a fractional count in the table
    for row in tables[0].rows:
        for cell in row[1:]:
            for number in cell.replace(",", "").replace(" to ", " ").split():
                assert float(number) >= 0 and math.isclose(float(number), round(float(number)))
    saved = json.loads((tmp_path / "outlook.json").read_text())
    assert saved["forecast"]["years"][0]["year"] == "2025-26"
    assert data["charts"]["forecast_fan"]["file"] == "forecast_fan.png"


def test_the_shipped_back_test_summary_matches_a_recomputation():
    # data/forecast_backtest.json is what papers quote: it must be what the method gives today
    from reportgen.analysis import forecast as fc

    shipped = json.loads(outlook.BACKTEST_FILE.read_text())
    again = json.loads(json.dumps(fc.summary_json(fc.backtest(**shipped["settings"]))))
    assert again["overall"] == shipped["overall"]
    assert again["authorities"] == shipped["authorities"]


def test_a_placement_type_the_dfe_withheld_is_withheld_in_the_cost_table(tmp_path):
    # Rutland, 31 March 2025: the DfE withheld ('c') children's homes and placed for adoption
    # (checked in the DfE CSV: children_count 'c' for both); their estimates and costs are withheld
    params = load_params("E06000017", "2024-25")
    data = outlook.compute(params)
    costs = data["costs"]
    assert {"childrens_home", "placed_for_adoption"} <= set(costs["withheld_types"])
    table = outlook_parts._cost_table(costs)
    rows = {r[0]: r for r in table.rows}
    assert rows["Children's homes"][1:] == ("withheld", "withheld", "withheld")
    c = Context(params, Results({}), tmp_path, "2023-24")
    assert not any("Children's homes account" in s for s in outlook_parts._cost_sentences(c, costs))


def test_reportgen_forecast_writes_json_and_refuses_bad_options(tmp_path):
    from typer.testing import CliRunner

    from reportgen.cli.app import app

    runner = CliRunner()
    out = tmp_path / "f.json"
    done = runner.invoke(
        app, ["forecast", "--authority", "Leicestershire", "--horizon", "2", "--json", str(out)]
    )
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text())
    years = data["forecast"]["years"]
    assert [y["year"] for y in years] == ["2025-26", "2026-27"]
    band = years[0]["looked_after"]
    assert band["low95"] <= band["low80"] <= band["central"] <= band["high80"] <= band["high95"]
    bad = runner.invoke(app, ["forecast", "--authority", "Leicestershire", "--horizon", "5"])
    assert bad.exit_code != 0 and "horizon 1 to 4" in bad.output
    early = runner.invoke(app, ["forecast", "--authority", "Rutland", "--as-of", "2021-22"])
    assert early.exit_code != 0 and "needs at least three years" in early.output
    unknown = runner.invoke(app, ["forecast", "--scenario", "nope"])
    assert unknown.exit_code != 0 and "--scenario 'nope'" in unknown.output


def test_903_costs_are_counted_from_the_returns_and_small_types_withheld(tmp_path):
    # Synthetic Rutland, 31 March 2025: the cost table is counted from the returns (the note says
    # so), every placement type with 1 to 4 children is withheld, and when only one withheld type
    # has a cost another type with a cost is withheld too, so the total less the shown rows never
    # gives one type's cost away.
    params = load_params("E06000017", "2024-25", source="synthetic")
    data = outlook.compute(params)
    costs = data["costs"]
    assert costs["counted"] and costs["estimate_note"].startswith("Counted from synthetic returns")
    days, _ = outlook.placement_days(params, last_day_only=True)
    by_type = days.sum(axis=1)
    small = {k for k, n in by_type.items() if 0 < n < 5}
    assert small <= set(costs["withheld_types"])
    costly = [k for k in costs["withheld_types"] if costs["by_type"][k]["annual_cost"] > 0]
    assert len(costly) != 1
    table = outlook_parts._cost_table(costs)
    for row in table.rows:
        if row[0] != "All placements" and row[1] != "withheld":
            assert int(row[1]) >= 5
    assert data["market"]["counted"] and data["market"]["trend"] == {}


def test_the_scenario_chart_states_each_saving_in_its_alt_text(tmp_path):
    # As the hand-worked scenario above: 5 children a year at £4,500 a week less saves
    # £1,174,018 in the first year ("£1.2 million") and £2,348,036 in the second ("£2.3 million").
    params = _five_a_year()
    data = outlook.run_outlook(params, tmp_path)
    chart = data["charts"]["scenarios"]
    assert (tmp_path / chart["file"]).exists()
    assert "2025-26 £1.2 million, 2026-27 £2.3 million" in chart["alt_text"]


def test_903_distance_by_provider_withholds_small_cells_and_their_companions():
    # Synthetic Leicestershire, 31 March 2025: every cell shown is 0 or at least 5, and no row or
    # column has exactly one withheld cell (it would be the line's total, shown elsewhere, less
    # the rest).
    params = load_params("E10000018", "2024-25", source="synthetic")
    found = outlook.distance_by_provider(params)
    assert found["available"]
    frame = pd.DataFrame(found["cells"]).T
    shown = frame.stack().dropna()
    assert ((shown == 0) | (shown >= 5)).all()
    for axis in (0, 1):
        assert (frame.isna().sum(axis=axis) != 1).all()


def _providers_table(code: str, counts: dict[str, float]) -> pd.DataFrame:
    """A published LA table in miniature: one authority's 'Place providers' rows in 2025."""
    from reportgen.analysis import costs as cst

    labels = {v: k for k, v in cst.LA_PROVIDER_LABELS.items()}
    rows = [("Total", sum(counts.values()))] + [(labels[k], v) for k, v in counts.items()]
    return pd.DataFrame(
        {
            "time_period": 2025,
            "geographic_level": "Local authority",
            "new_la_code": code,
            "characteristic": "Place providers",
            "breakdown": [b for b, _ in rows],
            "children_count": [float(v) for _, v in rows],
            "children_count_marker": None,
        }
    )


def test_provider_shares_are_kept_only_while_the_table_is_the_same():
    first = _providers_table("E99000001", {"own_la": 6, "private": 4})
    shares = outlook._shares_in(first, "E99000001", 2025)
    assert shares["own_la"] == 60.0 and shares["private"] == 40.0  # 6 and 4 of 10
    assert shares["other_la"] is None  # no row: not published
    shares["own_la"] = -1.0  # a caller's change does not reach the next caller
    assert outlook._shares_in(first, "E99000001", 2025)["own_la"] == 60.0
    reloaded = _providers_table("E99000001", {"own_la": 1, "private": 3})
    assert outlook._shares_in(reloaded, "E99000001", 2025)["own_la"] == 25.0  # 1 of 4
    assert outlook._shares_in(reloaded, "E99000001", 2024) is None
