"""Key-message ranking by rule; scores worked out by hand from the module's rules."""

from __future__ import annotations

import pytest

from reportgen.indicators.result import IndicatorResult
from reportgen.report import key_messages as km
from reportgen.report.targets import assess


def r(id, family, unit, value, previous=None, england=None, title=None, **kw):
    kw.setdefault("polarity", "neutral")
    return IndicatorResult(
        id=id,
        family=family,
        title=title or id,
        unit=unit,
        period="2024-25",
        value=value,
        previous=previous,
        england=england,
        **kw,
    )


CANDIDATES = [
    # 10% -> 20%, no history: movement 10/3 = 3.33, capped at 3; gap to England 10/5 = 2 -> 5
    r("a", "sufficiency", "percent", 20, 10, 10),
    # rate 50 -> 47: movement 3/(0.1*50) = 0.6; gap |47-67|/67/0.2 = 1.4925 -> 2.09
    r("b", "sufficiency", "rate", 47, 50, 67),
    # count 100 -> 120: movement 0.5 * 20/10 = 1.0; counts are not compared with England
    r("c", "adoption", "count", 120, 100, 3040),
    # 59% unchanged, England 54%: gap 5/5 = 1.0
    r("d", "care_leavers", "percent", 59, 59, 54),
    # 10% unchanged, England 10%: 0, and a third sufficiency indicator
    r("e", "sufficiency", "percent", 10, 10, 10),
    # no value: never a message
    r("f", "care_leavers", "percent", None, 50, 50),
]


def test_scores_by_hand():
    scores = {c.id: round(km.score(c), 2) for c in CANDIDATES}
    assert scores == {"a": 5.0, "b": 2.09, "c": 1.0, "d": 1.0, "e": 0.0, "f": 0.0}


def test_selection_order_family_cap_and_threshold():
    chosen = [m.indicator_id for m in km.select(CANDIDATES)]
    assert chosen == ["a", "b", "c", "d"]


def test_at_least_three_messages_when_possible():
    quiet = [
        r(x, f, "percent", 10, 10, 10)
        for x, f in (("p", "sufficiency"), ("q", "adoption"), ("s", "care_leavers"))
    ]
    assert len(km.select(quiet)) == 3


def test_movement_is_measured_against_the_authoritys_own_variation():
    # earlier years 10, 12, 10: usual change 2 points; this year's 10 points is 5 usual
    # changes, halved: 2.5 (the fixed 3-point rule would give 3.33)
    jumpy = r(
        "x",
        "sufficiency",
        "percent",
        20,
        10,
        trend={"2021-22": 10, "2022-23": 12, "2023-24": 10, "2024-25": 20},
    )
    assert km.typical_change(jumpy) == 2.0
    assert km.score(jumpy) == 2.5


def test_persistence_adds_half_a_point_a_year():
    # 7, 8, 9, 10, 11: risen 4 years running -> 0.5 * 3 = 1.5; movement 0.5 * 1/1/2 = 0.25
    # (usual change 1, the floor 2% of 10 is lower); 11 children: x 0.75
    steady = r(
        "x",
        "adoption",
        "count",
        11,
        10,
        trend={"2020-21": 7, "2021-22": 8, "2022-23": 9, "2023-24": 10, "2024-25": 11},
    )
    assert km.streak(steady) == 4
    assert km.score(steady) == round((0.25 + 1.5) * 0.75, 6)
    assert "it has risen 4 years running" in km.message_text(steady)


def test_bad_news_weighs_more_and_says_so():
    # children's homes 10% -> 14%, lower is better: movement 4/3, gap to England 2/5
    homes = r(
        "placement_childrens_homes_pct",
        "sufficiency",
        "percent",
        14,
        10,
        12,
        title="Children in children's homes (%)",
        polarity="lower_is_better",
    )
    assert km.direction(homes) == "bad"
    assert km.score(homes) == round((4 / 3 + 2 / 5) * 1.25, 6)
    assert km.message_text(homes, None, "2023-24") == (
        "Bad news: children in children's homes: 14%, worse than 10% in 2023-24."
    )
    better = homes.model_copy(update={"value": 6.0})
    assert km.message_text(better, None, "2023-24").startswith("Good news: ")
    assert km.message_text(r("n", "sufficiency", "count", 5, 4)).startswith(
        "Neither good nor bad in itself: "
    )


def test_a_percentage_of_few_children_never_leads_and_says_how_few():
    few = r(
        "cl_19_21_eet_pct",
        "care_leavers",
        "percent",
        50,
        20,
        title="Care leavers aged 19 to 21 in EET (%)",
        polarity="higher_is_better",
    )
    many = r("cla_rate_per_10k", "sufficiency", "rate", 55, 50, polarity="neutral")
    counts = {"cl_19_21_count": 8, "cla_at_end": 700}
    assert km.few_children(few, counts) and not km.few_children(many, counts)
    # few: movement 30/3 capped at 3, x 0.75 (8 children) = 2.25; many: 5/5 = 1.0
    assert km.score(few, None, counts) == 2.25 and km.score(many, None, counts) == 1.0
    chosen = km.select([few, many], counts=counts)
    assert [m.indicator_id for m in chosen] == ["cla_rate_per_10k", "cl_19_21_eet_pct"]
    assert chosen[1].text.endswith("; this rests on only 8 children.")


def test_crossing_england_is_notable():
    # below England last year (48 v 50), above this year (52 v 50)
    crossed = r(
        "x",
        "care_leavers",
        "percent",
        52,
        48,
        50,
        title="Care leavers in EET (%)",
        england_trend={"2023-24": 50, "2024-25": 50},
        polarity="higher_is_better",
    )
    assert km.score(crossed) == round(4 / 3 + 2 / 5 + 1.5, 6)
    assert km.message_text(crossed) == (
        "Good news: care leavers in EET moved above the England figure: 52% against 50%."
    )


@pytest.mark.parametrize("target, status, lead", [(25, "not met", "Bad"), (15, "met", "Good")])
def test_target_adds_to_the_score_and_leads_the_message(target, status, lead):
    adopted = r("adopted", "adoption", "count", 20, 21, title="Children adopted")
    a = assess(adopted, target, "at_least", f"{target} adoptions a year")
    assert a.status == status
    weight = 1.25 if status == "not met" else 1.0
    # movement 0.5 * 1/2.1; 20 children: x 0.75
    assert km.score(adopted, a) == round((0.5 * 1 / 2.1 + 1.5) * weight * 0.75, 6)
    assert km.message_text(adopted, a).startswith(f"{lead} news: the target of {target}")


def test_movement_message_wording():
    adopted = r("adopted", "adoption", "count", 37, 24, title="Children adopted")
    assert km.message_text(adopted, None, "2023-24") == (
        "Neither good nor bad in itself: children adopted: 37, an increase from 24 in 2023-24."
    )


def test_a_quarter_is_not_a_step_of_the_yearly_trend():
    # 20, 18 a year, then a quarter's 4: not "fallen 2 years running", no usual change
    quarter = r(
        "started_rate_per_10k",
        "sufficiency",
        "rate",
        4,
        6,
        trend={"2022-23": 20, "2023-24": 18, "2024-25 Q3": 4},
    ).model_copy(update={"period": "2024-25 Q3"})
    assert km.streak(quarter) == 0 and km.typical_change(quarter) is None
    assert "running" not in km.message_text(quarter)
