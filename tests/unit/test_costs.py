"""Placement costs: IPF estimation, unit costs, costing and money (hand-worked figures)."""

from __future__ import annotations

import copy
import doctest
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

import reportgen.analysis.costs as costs_module
from reportgen.analysis.costs import (
    WEEKS_PER_YEAR,
    CostsError,
    IPFError,
    cost_at_england_mix,
    england_type_by_provider,
    estimated_type_by_provider,
    financial_year,
    ipf_estimate,
    load_costs,
    money,
    money_a_week,
    money_a_year,
    placement_costs,
    placement_days_cost,
    shift_saving,
    uplift,
)
from reportgen.core.tables import rows_for_code

PROJECT = Path(__file__).resolve().parents[2]
COSTS_YAML = PROJECT / "params" / "costs.yaml"


def _flat(table) -> list[float]:
    return [float(v) for v in table.to_numpy().ravel()]


def test_docstring_examples():
    failures, attempted = doctest.testmod(costs_module)
    assert attempted > 0
    assert failures == 0


# --------------------------------------------------------------------------------------------
# Iterative proportional fitting, worked by hand
# --------------------------------------------------------------------------------------------


def test_ipf_two_by_two_hand_worked():
    # Seed (England's shape):   x  y        Margins: rows a = 2, b = 4; columns x = 3, y = 3.
    #                        a  1  1
    #                        b  1  3
    # IPF keeps the seed's odds ratio (1 * 3) / (1 * 1) = 3. Any table with these margins is
    #     a: p      2 - p
    #     b: 3 - p  1 + p        (row b: (3 - p) + (1 + p) = 4; column y: (2 - p) + (1 + p) = 3)
    # so p (1 + p) / ((2 - p)(3 - p)) = 3
    #    p + p^2 = 3 (6 - 5p + p^2)  ->  2p^2 - 16p + 18 = 0  ->  p^2 - 8p + 9 = 0
    #    p = 4 - sqrt(7) = 1.354249 (the other root, 4 + sqrt(7), makes cells negative).
    seed = pd.DataFrame([[1.0, 1.0], [1.0, 3.0]], index=["a", "b"], columns=["x", "y"])
    fit = ipf_estimate(pd.Series({"a": 2.0, "b": 4.0}), pd.Series({"x": 3.0, "y": 3.0}), seed)
    r7 = math.sqrt(7)
    expected = [[4 - r7, r7 - 2], [r7 - 1, 5 - r7]]
    assert _flat(fit) == pytest.approx([v for row in expected for v in row], abs=1e-9)
    assert list(fit.index) == ["a", "b"] and list(fit.columns) == ["x", "y"]
    assert fit.attrs["iterations"] >= 1


def test_ipf_uniform_seed_gives_independence():
    # A flat seed has odds ratio 1, so each cell is row total x column total / grand total:
    # a,x = 2 * 3 / 6 = 1; a,y = 2 * 3 / 6 = 1; b,x = 4 * 3 / 6 = 2; b,y = 4 * 3 / 6 = 2.
    seed = pd.DataFrame(1.0, index=["a", "b"], columns=["x", "y"])
    fit = ipf_estimate(pd.Series({"b": 4.0, "a": 2.0}), pd.Series({"y": 3.0, "x": 3.0}), seed)
    assert _flat(fit) == pytest.approx([1, 1, 2, 2])


def test_ipf_scales_column_margin_to_row_total():
    # Rows add up to 6, columns to 12: the column margin is scaled by 6 / 12 = 0.5 to (2, 4).
    # Flat seed: a,x = 2 * 2 / 6 = 0.6667; a,y = 2 * 4 / 6 = 1.3333; b,x = 4 * 2 / 6 = 1.3333;
    # b,y = 4 * 4 / 6 = 2.6667.
    seed = pd.DataFrame(1.0, index=["a", "b"], columns=["x", "y"])
    fit = ipf_estimate(pd.Series({"a": 2.0, "b": 4.0}), pd.Series({"x": 4.0, "y": 8.0}), seed)
    assert _flat(fit) == pytest.approx([2 / 3, 4 / 3, 4 / 3, 8 / 3])
    assert fit.attrs["col_scale"] == pytest.approx(0.5)
    assert fit.attrs["row_scale"] == 1.0


def test_ipf_zero_cells_stay_zero():
    # Seed a,y = 0: row a (2) can only go to x, so a,x = 2; column x (3) leaves b,x = 3 - 2 = 1;
    # row b (3) leaves b,y = 3 - 1 = 2; column y = 0 + 2 = 2. Exactly:
    seed = pd.DataFrame([[1.0, 0.0], [1.0, 1.0]], index=["a", "b"], columns=["x", "y"])
    fit = ipf_estimate(pd.Series({"a": 2.0, "b": 3.0}), pd.Series({"x": 3.0, "y": 2.0}), seed)
    assert _flat(fit) == pytest.approx([2, 0, 1, 2])


def test_ipf_missing_entries_share_the_remainder():
    # Rows: a = 2, b and c suppressed, total 10 -> b and c share 10 - 2 = 8. Columns x = y = 5.
    # With a flat seed they split it evenly (4 each), and each row splits evenly across x and y.
    seed = pd.DataFrame(1.0, index=["a", "b", "c"], columns=["x", "y"])
    rows = pd.Series({"a": 2.0, "b": math.nan, "c": math.nan})
    fit = ipf_estimate(rows, pd.Series({"x": 5.0, "y": 5.0}), seed, total=10)
    assert _flat(fit) == pytest.approx([1, 1, 2, 2, 2, 2])
    assert fit.attrs["row_filled"] == ["b", "c"]
    assert fit.attrs["row_margin_fitted"] == pytest.approx({"a": 2.0, "b": 4.0, "c": 4.0})


def test_ipf_ties_fill_suppressed_entries_exactly():
    # Seed ties row b to column z one-to-one (b's only cell is z, z's only cell is b).
    # Columns: x = 2, y = 1, z suppressed, total 5 -> z = 5 - 3 = 2 -> b = 2 -> a = 5 - 2 = 3.
    # Row a (3) over x and y (2 and 1): a,x = 2, a,y = 1.
    seed = pd.DataFrame(
        [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], index=["a", "b"], columns=["x", "y", "z"]
    )
    rows = pd.Series({"a": math.nan, "b": math.nan})
    cols = pd.Series({"x": 2.0, "y": 1.0, "z": math.nan})
    fit = ipf_estimate(rows, cols, seed, total=5)
    assert _flat(fit) == pytest.approx([2, 1, 0, 0, 0, 2])
    assert fit.attrs["iterations"] <= 2


def test_ipf_zero_total():
    seed = pd.DataFrame(1.0, index=["a", "b"], columns=["x", "y"])
    fit = ipf_estimate(pd.Series({"a": 0.0, "b": 0.0}), pd.Series({"x": 0.0, "y": 0.0}), seed)
    assert (fit.to_numpy() == 0).all()


@pytest.mark.parametrize(
    ("rows", "cols", "seed", "total", "message"),
    [
        # Labels differ from the seed's.
        ({"a": 1, "q": 1}, {"x": 1, "y": 1}, [[1, 1], [1, 1]], None, "labels do not match"),
        # Both margins incomplete and no total.
        ({"a": math.nan, "b": 1}, {"x": math.nan, "y": 1}, [[1, 1], [1, 1]], None, "total="),
        # Published entries exceed the total.
        ({"a": 5, "b": math.nan}, {"x": 2, "y": 2}, [[1, 1], [1, 1]], 4, "more than the total"),
        # A positive row whose seed is all zero.
        ({"a": 1, "b": 1}, {"x": 1, "y": 1}, [[0, 0], [1, 1]], None, "no cell there"),
        # One-to-one tie with different totals: a only in x and x only in a, but 2 != 3.
        ({"a": 2, "b": 3}, {"x": 3, "y": 2}, [[1, 0], [0, 1]], None, "must be equal"),
        # Negative margin entry.
        ({"a": -1, "b": 3}, {"x": 1, "y": 1}, [[1, 1], [1, 1]], None, "negative"),
    ],
)
def test_ipf_errors(rows, cols, seed, total, message):
    seed = pd.DataFrame(seed, index=["a", "b"], columns=["x", "y"], dtype=float)
    with pytest.raises(IPFError, match=message):
        ipf_estimate(pd.Series(rows, dtype=float), pd.Series(cols, dtype=float), seed, total=total)


def test_ipf_non_convergence_raises():
    # Column x (2) can only come from row a, whose total is 1: no table fits, and the seed's
    # zeros are not a one-to-one tie, so only the iteration can find out.
    seed = pd.DataFrame(
        [[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]], index=["a", "b"], columns=["x", "y", "z"]
    )
    rows = pd.Series({"a": 1.0, "b": 1.0})
    cols = pd.Series({"x": 2.0, "y": 0.0, "z": 0.0})
    with pytest.raises(IPFError, match="did not converge"):
        ipf_estimate(rows, cols, seed, max_iter=200)


# --------------------------------------------------------------------------------------------
# The published tables (DfE figures typed in from the published tables as expectations)
# --------------------------------------------------------------------------------------------


def test_england_table_adds_inside_and_outside():
    # 2023-24 national table: foster x own provision 24,380 inside + 9,200 outside = 33,580;
    # children's homes x private 1,600 + 5,440 = 7,040; placed with parents 4,290 + 1,000 = 5,290;
    # other placement (no provider reported) 3,790.
    england = england_type_by_provider("2023-24")
    assert england.loc["foster", "own_la"] == 33_580
    assert england.loc["childrens_home", "private"] == 7_040
    assert england.loc["with_parents", "parents"] == 5_290
    assert england.loc["other", "not_reported"] == 3_790
    # Structural zeros (z): foster placements with parents as provider.
    assert england.loc["foster", "parents"] == 0


def test_leicestershire_estimate_keeps_the_published_margins():
    # DfE, children looked after at 31 March 2025, Leicestershire (855): by placement type
    # foster 407, children's homes 95, supported accommodation 109, other residential 9,
    # residential schools 0, with parents 31, placed for adoption 16, other 27 (total 694);
    # by provider own 268, private 335, voluntary 32, parents 31, not reported 27, other LA and
    # other public suppressed (c): together 694 - 693 = 1.
    fit = estimated_type_by_provider("855", "2024-25")
    types = {
        "foster": 407,
        "childrens_home": 95,
        "supported_accommodation": 109,
        "other_residential": 9,
        "residential_school": 0,
        "with_parents": 31,
        "placed_for_adoption": 16,
        "other": 27,
    }
    for key, value in types.items():
        assert fit.loc[key].sum() == pytest.approx(value, abs=1e-6)
    for key, value in {"own_la": 268, "private": 335, "voluntary": 32, "parents": 31}.items():
        assert fit[key].sum() == pytest.approx(value, abs=1e-6)
    assert fit["other_la"].sum() + fit["other_public"].sum() == pytest.approx(1, abs=1e-6)
    assert fit.to_numpy().sum() == pytest.approx(694)
    assert fit.attrs["estimate"] is True
    assert fit.attrs["seed_year"] == "2023-24"  # the national table ends in 2023-24
    assert fit.attrs["note"].startswith("Estimated")
    assert set(fit.attrs["filled"]) == {"other_la", "other_public"}
    # Structural: children placed with parents are all with the "parents" provider.
    assert fit.loc["with_parents", "parents"] == pytest.approx(31)
    assert fit.loc["other", "not_reported"] == pytest.approx(27)


def test_estimate_refuses_an_unpublished_total():
    # City of London's total at 31 March 2025 is suppressed (c).
    with pytest.raises(IPFError, match="not published"):
        estimated_type_by_provider("201", 2025)


# --------------------------------------------------------------------------------------------
# Unit costs: a small file worked by hand
# --------------------------------------------------------------------------------------------


def _figure(weekly, price_base="2023-24", source="test source"):
    return {"weekly": weekly, "year": price_base, "price_base": price_base, "source": source}


HAND = {
    "currency": "GBP",
    "unit": "per child per week",
    "inflation": {
        "name": "test index",
        "source": "made up for the test",
        "values": {"2022-23": 100.0, "2023-24": 110.0},
    },
    "costs": {
        "foster": {"own_la": _figure(500), "private": _figure(1000, "2022-23")},
        "childrens_home": {"any": _figure(5000)},
        "other": {"any": _figure(None)},
    },
}


@pytest.fixture()
def hand_costs(tmp_path):
    path = tmp_path / "costs.yaml"
    path.write_text(yaml.safe_dump(HAND), encoding="utf-8")
    return load_costs(path)


def _counts(cells: dict[tuple[str, str], float]) -> pd.DataFrame:
    return pd.Series(cells, dtype=float).unstack(fill_value=0.0)


COUNTS = {
    ("foster", "own_la"): 10,
    ("foster", "private"): 4,
    ("childrens_home", "private"): 2,
    ("other", "not_reported"): 1,
}


def test_cost_table_by_hand(hand_costs):
    # Unit costs in 2023-24 prices: foster own 500; foster private 1,000 in 2022-23 prices
    # x 110 / 100 = 1,100; children's homes (any provider) 5,000; other: no figure.
    # Weekly: 10 x 500 = 5,000; 4 x 1,100 = 4,400; 2 x 5,000 = 10,000; total 19,400.
    # Annual: 19,400 x 365.25 / 7 = 7,085,850 / 7 = 1,012,264.2857.
    result = placement_costs(_counts(COUNTS), hand_costs, "2023-24").set_index(
        ["placement_type", "provider"]
    )
    assert result.loc[("foster", "own_la"), "weekly_cost"] == pytest.approx(5_000)
    assert result.loc[("foster", "private"), "weekly_unit_cost"] == pytest.approx(1_100)
    assert result.loc[("foster", "private"), "weekly_cost"] == pytest.approx(4_400)
    assert result.loc[("childrens_home", "private"), "weekly_cost"] == pytest.approx(10_000)
    assert math.isnan(result.loc[("other", "not_reported"), "weekly_cost"])
    assert result.loc[("other", "not_reported"), "origin"] == "none"
    assert result.attrs["weekly_cost"] == pytest.approx(19_400)
    assert result.attrs["annual_cost"] == pytest.approx(1_012_264.2857, abs=1e-3)
    assert result.attrs["children"] == 17
    assert result.attrs["uncosted_children"] == 1
    assert WEEKS_PER_YEAR == pytest.approx(52.178571, abs=1e-6)


def test_shift_of_known_children_saves_by_hand(hand_costs):
    # 3 children from private children's homes (5,000 a week) to in-house fostering (500):
    # weekly 3 x (5,000 - 500) = 13,500; annual 13,500 x 365.25 / 7 = 4,930,875 / 7 = 704,410.71.
    saving = shift_saving(
        hand_costs, ("childrens_home", "private"), ("foster", "own_la"), 3, year="2023-24"
    )
    assert saving.weekly_saving == pytest.approx(13_500)
    assert saving.annual_saving == pytest.approx(704_410.714, abs=1e-3)
    # The same as a share: 1% of 300 children looked after is 3 children.
    by_share = shift_saving(
        hand_costs,
        ("childrens_home", "private"),
        ("foster", "own_la"),
        share=0.01,
        of=300,
        year="2023-24",
    )
    assert by_share.n_children == pytest.approx(3)
    assert by_share.annual_saving == pytest.approx(saving.annual_saving)
    # A move the other way costs money: the saving is negative.
    back = shift_saving(
        hand_costs, ("foster", "own_la"), ("childrens_home", "private"), 3, year="2023-24"
    )
    assert back.annual_saving == pytest.approx(-saving.annual_saving)
    with pytest.raises(CostsError, match="no unit cost"):
        shift_saving(hand_costs, ("other", "not_reported"), ("foster", "own_la"), 1, year=2024)
    with pytest.raises(CostsError, match="either n_children or share"):
        shift_saving(hand_costs, ("foster", "private"), ("foster", "own_la"), year=2024)


def test_doubling_every_unit_cost_doubles_every_total(hand_costs):
    counts = _counts(COUNTS)
    once = placement_costs(counts, hand_costs, "2023-24")
    twice = placement_costs(counts, hand_costs.scaled(2), "2023-24")
    assert twice["weekly_cost"].tolist() == pytest.approx(
        (2 * once["weekly_cost"]).tolist(), nan_ok=True
    )
    for key in ("weekly_cost", "annual_cost"):
        assert twice.attrs[key] == pytest.approx(2 * once.attrs[key])
    days = _counts({("foster", "own_la"): 70, ("childrens_home", "private"): 14})
    assert placement_days_cost(days, hand_costs.scaled(2), year="2023-24").attrs[
        "cost"
    ] == pytest.approx(2 * placement_days_cost(days, hand_costs, year="2023-24").attrs["cost"])
    saving = shift_saving(hand_costs, ("foster", "private"), ("foster", "own_la"), 2, year=2024)
    doubled = shift_saving(
        hand_costs.scaled(2), ("foster", "private"), ("foster", "own_la"), 2, year=2024
    )
    assert doubled.annual_saving == pytest.approx(2 * saving.annual_saving)
    # The same through authority overrides doubling each figure (in its own price base).
    own = {
        "foster": {
            "own_la": {"weekly": 1000, "price_base": "2023-24"},
            "private": {"weekly": 2000, "price_base": "2022-23"},
        },
        "childrens_home": {"any": {"weekly": 10000, "price_base": "2023-24"}},
    }
    overridden = load_costs(hand_costs.path, own)
    assert placement_costs(counts, overridden, "2023-24").attrs["annual_cost"] == pytest.approx(
        2 * once.attrs["annual_cost"]
    )


def test_cost_at_england_mix_by_hand(hand_costs):
    # 17 children; England: 50 in-house foster, 50 private children's homes (half each), so
    # 8.5 x 500 + 8.5 x 5,000 = 4,250 + 42,500 = 46,750 a week.
    england = _counts({("foster", "own_la"): 50, ("childrens_home", "private"): 50})
    mixed = cost_at_england_mix(_counts(COUNTS), england, hand_costs, "2023-24")
    assert mixed["children"].sum() == pytest.approx(17)
    assert mixed.attrs["weekly_cost"] == pytest.approx(46_750)


def test_placement_days_cost_by_hand(hand_costs):
    # 70 days in-house fostering at 500 / 7 a day = 5,000; 14 days in a private children's home
    # at 5,000 / 7 a day = 10,000; total 15,000.
    days = _counts({("foster", "own_la"): 70, ("childrens_home", "private"): 14})
    result = placement_days_cost(days, hand_costs, year="2023-24")
    cost = result.set_index(["placement_type", "provider"])["cost"]
    assert cost[("foster", "own_la")] == pytest.approx(5_000)
    assert cost[("childrens_home", "private")] == pytest.approx(10_000)
    assert result.attrs["cost"] == pytest.approx(15_000)


def test_uplift_by_hand():
    index = {"2022-23": 100.0, "2023-24": 110.0}
    assert uplift(100, "2022-23", "2023-24", index) == pytest.approx(110)
    assert uplift(100, 2023, 2024, index) == pytest.approx(110)  # reporting years
    assert uplift(110, "2023-24", "2022-23", index) == pytest.approx(100)
    assert uplift(100, None, "2023-24", index) == 100  # already in report-year prices
    with pytest.raises(CostsError, match="accepted years: 2022-23, 2023-24"):
        uplift(100, "2021-22", "2023-24", index)


def test_financial_years():
    assert financial_year(2025) == "2024-25"
    assert financial_year("2025") == "2024-25"
    assert financial_year("2024-25") == "2024-25"
    with pytest.raises(ValueError):
        financial_year("2024-26")


def test_overrides_mark_the_authoritys_own_figures(hand_costs):
    table = load_costs(hand_costs.path, {"foster": {"own_la": 520}})
    own = table.entry("foster", "own_la")
    assert own.origin == "authority" and own.weekly == 520 and own.price_base is None
    # A bare number is in the report year's prices: no uplift.
    assert table.weekly("foster", "own_la", "2022-23") == 520
    assert table.entry("foster", "private").origin == "national"
    figures = table.figures("2023-24").set_index(["placement_type", "provider"])
    assert figures.loc[("foster", "own_la"), "origin"] == "authority"
    assert figures.loc[("foster", "private"), "weekly_in_year"] == pytest.approx(1_100)


# --------------------------------------------------------------------------------------------
# Bad costs.yaml: one message naming the file, the key and the accepted values
# --------------------------------------------------------------------------------------------


def _set(path: tuple, value):
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _rename(path: tuple, new):
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[new] = node.pop(path[-1])

    return change


def _delete(path: tuple):
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


BAD = [
    (
        _set(("costs", "foster", "own_la", "weekly"), -5),
        "costs.foster.own_la.weekly",
        ["got -5", "a number of pounds a week, 0 or more"],
    ),
    (
        _set(("costs", "foster", "own_la", "weekly"), "lots"),
        "costs.foster.own_la.weekly",
        ["got 'lots'", "a number of pounds a week, 0 or more"],
    ),
    (
        _rename(("costs", "foster"), "fostering"),
        "costs.fostering",
        ["unknown placement type 'fostering'", "accepted: foster, kinship, childrens_home"],
    ),
    (
        _rename(("costs", "foster", "own_la"), "inhouse"),
        "costs.foster.inhouse",
        ["unknown provider 'inhouse'", "accepted: own_la, other_la", "any"],
    ),
    (
        _set(("costs", "foster", "own_la", "weekyl"), 1),
        "costs.foster.own_la.weekyl",
        ["unknown key", "accepted: weekly, year, price_base, source, note"],
    ),
    (
        _set(("colour",), "red"),
        "colour",
        ["unknown key", "accepted: currency, unit, inflation, costs"],
    ),
    (
        _delete(("costs", "foster", "own_la", "source")),
        "costs.foster.own_la.source",
        ["missing", "weekly, year, price_base, source"],
    ),
    (
        _set(("costs", "foster", "own_la", "price_base"), "2014-15"),
        "costs.foster.own_la.price_base",
        ["no inflation index for 2014-15", "accepted: 2015-16"],
    ),
    (
        _set(("costs", "foster", "own_la", "price_base"), "2016"),
        "costs.foster.own_la.price_base",
        ["got '2016'", "a financial year such as '2023-24'"],
    ),
]


@pytest.mark.parametrize(("change", "key", "parts"), BAD)
def test_bad_costs_yaml_one_clear_message(tmp_path, change, key, parts):
    document = copy.deepcopy(yaml.safe_load(COSTS_YAML.read_text(encoding="utf-8")))
    change(document)
    path = tmp_path / "bad_costs.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(CostsError) as caught:
        load_costs(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {key}")
    for part in parts:
        assert part in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("overrides", "parts"),
    [
        ({"foster": {"own_la": -1}}, ["costs.foster.own_la.weekly", "got -1"]),
        ({"foster": {"own_la": "cheap"}}, ["costs.foster.own_la.weekly", "got 'cheap'"]),
        ({"fostr": {"own_la": 1}}, ["costs.fostr", "accepted: foster, kinship"]),
        ({"foster": {"own": 1}}, ["costs.foster.own", "accepted: own_la"]),
    ],
)
def test_bad_authority_figures_name_the_params_file(overrides, parts):
    with pytest.raises(CostsError) as caught:
        load_costs(COSTS_YAML, overrides, overrides_source="params/authorities/E10000018.yaml")
    message = str(caught.value)
    assert message.startswith("params/authorities/E10000018.yaml: costs.")
    for part in parts:
        assert part in message


def test_shipped_costs_yaml_is_valid_and_sourced():
    table = load_costs(COSTS_YAML)
    brief = [
        ("foster", "own_la"),  # in-house fostering
        ("foster", "private"),  # independent fostering agency
        ("kinship", "own_la"),  # kinship / connected carers
        ("childrens_home", "own_la"),
        ("childrens_home", "private"),
        ("childrens_home", "voluntary"),
        ("secure_childrens_home", "own_la"),
        ("supported_accommodation", "private"),
        ("residential_school", "private"),
        ("with_parents", "parents"),
        ("other", "not_reported"),
    ]
    for cell in brief:
        entry = table.entry(*cell)
        assert entry is not None, cell
        assert entry.origin == "national"
        assert entry.source and entry.year and entry.price_base
    # Every figure can be uplifted to 2024-25.
    weekly = table.weekly_table("2024-25")
    assert (weekly.stack().dropna() >= 0).all()
    # Sanity of the published defaults: a private children's home costs more than an IFA
    # placement, which costs more than in-house fostering.
    assert (
        table.weekly("childrens_home", "private", 2025)
        > table.weekly("foster", "private", 2025)
        > table.weekly("foster", "own_la", 2025)
    )


# --------------------------------------------------------------------------------------------
# Money in GOV.UK style
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (820, "£820"),
        (820.4, "£820"),
        (820.5, "£821"),
        (1_250, "£1,250"),
        (999_999, "£999,999"),
        (999_999.6, "£1 million"),  # rounds up to the next unit
        (1_000_000, "£1 million"),
        (3_700_000, "£3.7 million"),
        (3_749_999, "£3.7 million"),
        (3_750_000, "£3.8 million"),
        (10_250_000, "£10.3 million"),
        (999_999_999, "£1 billion"),
        (2_450_000_000, "£2.5 billion"),
        (0, "£0"),
        (-820, "minus £820"),
        (-3_700_000, "minus £3.7 million"),
        (-0.2, "£0"),
    ],
)
def test_money(amount, text):
    assert money(amount) == text


def test_money_variants():
    assert money(-820, negative="sign") == "\u2212£820"
    assert money_a_week(820) == "£820 a week"
    assert money_a_year(3_700_000) == "£3.7 million a year"
    with pytest.raises(ValueError):
        money(math.nan)


# --------------------------------------------------------------------------------------------
# Per-process memos: never a result of a table or file that has changed
# --------------------------------------------------------------------------------------------


def _replaced_table(monkeypatch, name: str, change) -> pd.DataFrame:
    """Make ``load_table(name)`` return a changed copy of the published table (as after the
    file was edited and read again), other tables as published."""
    original = costs_module.load_table
    changed = change(original(name).copy())
    monkeypatch.setattr(
        costs_module, "load_table", lambda table: changed if table == name else original(table)
    )
    return changed


def test_england_memo_follows_a_reloaded_national_table(monkeypatch):
    before = england_type_by_provider("2023-24")
    assert england_type_by_provider("2023-24") is not before  # each caller has its own copy
    before.loc["foster", "own_la"] = -1.0  # a caller's change stays its own
    assert england_type_by_provider("2023-24").loc["foster", "own_la"] == 33_580

    def double(frame: pd.DataFrame) -> pd.DataFrame:
        frame["number"] = frame["number"] * 2
        return frame

    _replaced_table(monkeypatch, costs_module.NATIONAL_TABLE, double)
    assert england_type_by_provider("2023-24").loc["foster", "own_la"] == 2 * 33_580
    seed = england_type_by_provider("2023-24", as_seed=True)
    assert seed.loc["foster", "own_la"] == 2 * 33_580
    monkeypatch.undo()
    assert england_type_by_provider("2023-24").loc["foster", "own_la"] == 33_580


def test_estimate_memo_follows_a_reloaded_authority_table(monkeypatch):
    published = estimated_type_by_provider("855", "2024-25")
    assert published.to_numpy().sum() == pytest.approx(694)
    again = estimated_type_by_provider("855", "2024-25")
    assert again is not published and again.equals(published)
    assert again.attrs == published.attrs

    def twice_the_children(frame: pd.DataFrame) -> pd.DataFrame:
        rows = (frame["old_la_code"] == "855") & (frame["time_period"] == 2025)
        frame.loc[rows, "children_count"] = frame.loc[rows, "children_count"] * 2
        return frame

    _replaced_table(monkeypatch, costs_module.LA_TABLE, twice_the_children)
    assert estimated_type_by_provider("855", "2024-25").to_numpy().sum() == pytest.approx(1388)
    monkeypatch.undo()
    assert estimated_type_by_provider("855", "2024-25").to_numpy().sum() == pytest.approx(694)


def test_authority_look_up_matches_a_scan_of_the_table():
    frame = costs_module.load_table(costs_module.LA_TABLE)
    la = frame[frame["geographic_level"] == "Local authority"]
    for code in ("855", "E10000018", "e10000018", "leicestershire", " Rutland "):
        key = code.strip()
        expected = la[
            (la["old_la_code"].astype(str) == key)
            | (la["new_la_code"].astype(str).str.upper() == key.upper())
            | (la["la_name"].astype(str).str.casefold() == key.casefold())
        ]
        assert costs_module._authority_rows(frame, code).equals(expected)
    for code in ("E10000018", "E92000001", "nowhere"):
        assert rows_for_code(frame, code).equals(frame[frame["new_la_code"] == code])
    changed = frame.copy()
    changed["new_la_code"] = changed["new_la_code"].replace("E10000018", "E99999999")
    assert rows_for_code(changed, "E10000018").empty  # another table, another index
    assert len(rows_for_code(changed, "E99999999")) > 0


def test_costs_yaml_edited_is_read_again(tmp_path):
    path = tmp_path / "costs.yaml"
    document = yaml.safe_load(COSTS_YAML.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    first = load_costs(path)
    assert load_costs(path).entries == first.entries
    placement_type, by_provider = next(iter(document["costs"].items()))
    provider, figure = next((p, f) for p, f in by_provider.items() if f.get("weekly"))
    figure["weekly"] = figure["weekly"] + 100
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    edited = load_costs(path)
    assert edited.entries[(placement_type, provider)].weekly == figure["weekly"]
    assert first.entries[(placement_type, provider)].weekly == figure["weekly"] - 100
