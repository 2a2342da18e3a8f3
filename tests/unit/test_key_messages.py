"""Key-message selection by rule; scores worked out by hand from the module's rules."""

from __future__ import annotations

from reportgen.indicators.result import IndicatorResult
from reportgen.report import key_messages as km
from reportgen.report.targets import assess


def r(id, family, unit, value, previous=None, england=None, title=None, **kw):
    return IndicatorResult(
        id=id,
        family=family,
        title=title or id,
        unit=unit,
        polarity="neutral",
        period="2024-25",
        value=value,
        previous=previous,
        england=england,
        **kw,
    )


CANDIDATES = [
    # 10% -> 20%: movement 10/3 = 3.33; gap to England 10 points: 10/5 = 2 -> 5.33
    r("a", "sufficiency", "percent", 20, 10, 10),
    # rate 50 -> 47: movement 3/50/0.1 = 0.6; gap |47-67|/67/0.2 = 1.49 -> 2.09
    r("b", "sufficiency", "rate", 47, 50, 67),
    # count 24 -> 37: movement 0.5 * 13/24/0.1 = 2.71; counts are not compared with England
    r("c", "adoption", "count", 37, 24, 3040),
    # 59% unchanged, England 54%: gap 5/5 = 1.0
    r("d", "care_leavers", "percent", 59, 59, 54),
    # 10% unchanged, England 10%: 0, and a third sufficiency indicator
    r("e", "sufficiency", "percent", 10, 10, 10),
    # no value: never a message
    r("f", "care_leavers", "percent", None, 50, 50),
]


def test_scores_by_hand():
    scores = {c.id: round(km.score(c), 2) for c in CANDIDATES}
    assert scores == {"a": 5.33, "b": 2.09, "c": 2.71, "d": 1.0, "e": 0.0, "f": 0.0}


def test_selection_order_family_cap_and_threshold():
    chosen = [m.indicator_id for m in km.select(CANDIDATES)]
    assert chosen == ["a", "c", "b", "d"]


def test_at_least_three_messages_when_possible():
    quiet = [
        r(x, f, "percent", 10, 10, 10)
        for x, f in (("p", "sufficiency"), ("q", "adoption"), ("s", "care_leavers"))
    ]
    assert len(km.select(quiet)) == 3


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
    )
    assert km.score(crossed) == round(4 / 3 + 2 / 5 + 1.5, 6)
    assert (
        km.message_text(crossed)
        == "Care leavers in EET moved above the England figure: 52% against 50%."
    )


def test_target_missed_adds_to_the_score_and_leads_the_message():
    adopted = r("adopted", "adoption", "count", 20, 21, title="Children adopted")
    a = assess(adopted, 25, "at_least", "25 adoptions a year")
    assert a.status == "not met"
    assert km.score(adopted, a) == round(0.5 * 1 / 21 / 0.1 + 1.5, 6)
    assert km.message_text(adopted, a) == (
        "The target of 25 adoptions a year was not met: the figure for 2024-25 was 20."
    )


def test_movement_message_wording():
    adopted = r("adopted", "adoption", "count", 37, 24, title="Children adopted")
    assert km.message_text(adopted, None, "2023-24") == (
        "Children adopted: 37, an increase from 24 in 2023-24."
    )
