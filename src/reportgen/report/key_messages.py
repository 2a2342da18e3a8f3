"""Key messages: the three to five findings that matter most, each saying whether it is good news.

Candidates are the indicators a paragraph of the report explains. Each gets a score from:

* **movement against the authority's own variation**: the change since the previous period
  divided by the authority's typical year-to-year change (the mean absolute change between the
  earlier years of its trend, at least 1 percentage point, or 2% of the previous figure for
  rates and counts); a change twice the usual size scores 1, at most 3. With fewer than two
  earlier changes the usual size is taken as 3 points, or 10% for rates and counts. A count's
  movement counts half (counts move more than rates and shares);
* **gap to comparators**: the mean gap to England and to the statistical-neighbour average
  (5 points, or 20% for rates, score 1; at most 3; counts are not compared);
* **crossing the England figure** since the previous period (1.5);
* **persistence**: 0.5 for each further year the figure moved the same way (at most 1.5);
* **a target met or missed** (1.5).

The total is multiplied by 1.25 when the message is bad news (the committee needs it most) and
by 0.75 when fewer than :data:`MANY_CHILDREN` children are involved. A percentage resting on fewer than :data:`FEW_CHILDREN_BELOW` children never leads:
such messages come after all others and say how many children they rest on.

The highest-scoring indicators (at most two per family, a score of at least 0.5) become
messages; at least three are kept when there are three candidates. Every message opens with its
direction in plain words (:data:`DIRECTIONS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import mean

from reportgen.core.formatting import format_value, is_missing, whole
from reportgen.indicators.result import IndicatorResult
from reportgen.report import narrative as nv
from reportgen.report.targets import Assessment

MIN_MESSAGES, MAX_MESSAGES, PER_FAMILY = 3, 5, 2
MIN_SCORE = 0.5
COUNT_WEIGHT = 0.5
"""Counts move more from year to year than rates and shares: their movement counts half."""
BAD_NEWS_WEIGHT = 1.25
FEW_CHILDREN_BELOW = 20
"""A percentage of fewer children than this never leads the key messages."""
MANY_CHILDREN = 50
"""Below this many children a message's score is multiplied by 0.75."""
DIRECTIONS = {
    "good": "Good news",
    "bad": "Bad news",
    "neutral": "Neither good nor bad in itself",
}
"""How each message opens, by its direction."""

RATE_BASES = {
    "cla_rate_per_10k": "cla_at_end",
    "started_rate_per_10k": "started",
    "ceased_rate_per_10k": "ceased",
}
"""The count a rate is made of."""


@dataclass(frozen=True)
class KeyMessage:
    """One message and the indicator it is about."""

    indicator_id: str
    family: str
    score: float
    text: str
    direction: str = "neutral"
    """``"good"``, ``"bad"`` or ``"neutral"``."""
    few_children: bool = False


def base_id(r: IndicatorResult) -> str | None:
    """Id of the count of children a figure is about (itself for a count; ``None`` unknown)."""
    if r.unit == "count":
        return r.id
    if r.id in RATE_BASES:
        return RATE_BASES[r.id]
    if r.unit != "percent":
        return None
    for prefix in ("cl_19_21_", "cl_17_18_"):
        if r.id.startswith(prefix):
            return prefix + "count"
    if r.id.endswith("_pct_of_ceased"):
        return "ceased"
    if r.id.startswith(("placement_", "stability_", "placed_")):
        return "cla_at_end"
    return None


def children(r: IndicatorResult, counts: Mapping[str, float | None]) -> float | None:
    """How many children the figure is about, when known."""
    key = base_id(r)
    value = r.value if key == r.id else counts.get(key or "")
    return None if is_missing(value) else value


def _series(r: IndicatorResult) -> list[float]:
    """The trend up to and including the period, displayed values, missing years dropped.

    Empty unless every point is a collection year ("2023-24"): a quarter's or month's figure
    is not one step of a yearly series.
    """
    years = list(r.trend)
    if not all(re.fullmatch(r"\d{4}-\d{2}", y) for y in years) or r.period not in years:
        return []
    if r.period in years:
        years = years[: years.index(r.period) + 1]
    values = [r.trend[y] for y in years]
    shown = [
        float(whole(v)) if r.unit == "percent" else float(v) for v in values if not is_missing(v)
    ]  # type: ignore[arg-type]
    return shown


def _change(r: IndicatorResult) -> float:
    """The change since the previous period, in displayed units for percentages."""
    if is_missing(r.value) or is_missing(r.previous):
        return 0.0
    assert r.value is not None and r.previous is not None
    if r.unit == "percent":
        return float(whole(r.value) - whole(r.previous))
    return r.value - r.previous


def typical_change(r: IndicatorResult) -> float | None:
    """The authority's usual year-to-year change before this period (``None``: too little history).

    >>> r = IndicatorResult(id="x", family="f", title="t", unit="percent", polarity="neutral",
    ...     period="2024", value=20, previous=10, trend={"2021": 10, "2022": 12, "2023": 10, "2024": 20})
    >>> typical_change(r)
    2.0
    """
    series = _series(r)
    earlier = series[:-1] if len(series) >= 2 else []
    steps = [abs(b - a) for a, b in zip(earlier, earlier[1:], strict=False)]
    if len(steps) < 2:
        return None
    floor = 1.0 if r.unit == "percent" else 0.02 * abs(r.previous or 0)
    return max(mean(steps), floor) or None


def _movement(r: IndicatorResult) -> float:
    delta = abs(_change(r))
    if delta == 0:
        return 0.0
    usual = typical_change(r)
    if usual is None:
        if r.unit == "percent":
            usual = 3.0
        elif r.previous:
            usual = 0.10 * abs(r.previous)
        else:
            return 0.0
        ratio = delta / usual  # the fixed thresholds score 1 at their size
    else:
        ratio = delta / usual / 2
    weight = COUNT_WEIGHT if r.unit == "count" else 1.0
    return weight * min(ratio, 3.0)


def _gap_one(r: IndicatorResult, other: float | None) -> float | None:
    if is_missing(other) or is_missing(r.value):
        return None
    assert other is not None and r.value is not None
    if r.unit == "percent":
        return abs(whole(r.value) - whole(other)) / 5
    if other == 0:
        return None
    return abs(r.value - other) / abs(other) / 0.20


def _gap(r: IndicatorResult) -> float:
    if r.unit == "count":
        return 0.0
    gaps = [
        g
        for g in (_gap_one(r, r.england), _gap_one(r, r.sn_mean if r.sn_n else None))
        if g is not None
    ]
    return min(mean(gaps), 3.0) if gaps else 0.0


def _crossed(r: IndicatorResult) -> bool:
    """True if the authority moved from one side of England's figure to the other."""
    if r.unit == "count":
        return False
    years = list(r.england_trend)
    here = years.index(r.period) if r.period in years else -1
    england_before = r.england_trend[years[here - 1]] if here > 0 else None
    values = (r.value, r.previous, r.england, england_before)
    if any(is_missing(v) for v in values):
        return False
    now = whole(r.value) - whole(r.england)  # type: ignore[arg-type]
    before = whole(r.previous) - whole(england_before)  # type: ignore[arg-type]
    return now * before < 0


def streak(r: IndicatorResult) -> int:
    """How many years running the figure has moved the way it moved this period (0: no change).

    >>> r = IndicatorResult(id="x", family="f", title="t", unit="count", polarity="neutral",
    ...     period="2024", value=9, previous=8, trend={"2021": 9, "2022": 7, "2023": 8, "2024": 9})
    >>> streak(r)
    2
    """
    series = _series(r)
    if len(series) < 2 or series[-1] == series[-2]:
        return 0
    up = series[-1] > series[-2]
    run = 0
    for a, b in zip(reversed(series[:-1]), reversed(series[1:]), strict=False):
        if b == a or (b > a) != up:
            break
        run += 1
    return run


def _persistence(r: IndicatorResult) -> float:
    return min(0.5 * max(streak(r) - 1, 0), 1.5)


def _good(r: IndicatorResult, higher: bool) -> str:
    if r.polarity == "neutral":
        return "neutral"
    return "good" if higher == (r.polarity == "higher_is_better") else "bad"


def direction(r: IndicatorResult, assessment: Assessment | None = None) -> str:
    """``"good"``, ``"bad"`` or ``"neutral"``: what the message about ``r`` leads with."""
    if assessment is not None and assessment.status in ("met", "not met"):
        return "good" if assessment.status == "met" else "bad"
    if r.polarity == "neutral":
        return "neutral"
    if _crossed(r):
        return _good(r, r.value > r.england)  # type: ignore[operator]
    if _movement(r) >= _gap(r) and _change(r) != 0:
        return _good(r, _change(r) > 0)
    words = nv.relation(r.value, r.england, r.unit) if not is_missing(r.england) else ""  # type: ignore[arg-type]
    if words in ("higher than", "lower than"):
        return _good(r, words == "higher than")
    if _change(r) != 0:
        return _good(r, _change(r) > 0)
    return "neutral"


def score(
    r: IndicatorResult,
    assessment: Assessment | None = None,
    counts: Mapping[str, float | None] | None = None,
) -> float:
    """How much an indicator matters this period (see the module notes)."""
    total = _movement(r) + _gap(r) + (1.5 if _crossed(r) else 0.0) + _persistence(r)
    if assessment is not None and assessment.status in ("met", "not met"):
        total += 1.5
    if direction(r, assessment) == "bad":
        total *= BAD_NEWS_WEIGHT
    n = children(r, counts or {})
    if n is not None and n < MANY_CHILDREN:
        total *= 0.75
    return round(total, 6)


def few_children(r: IndicatorResult, counts: Mapping[str, float | None] | None = None) -> bool:
    """True for a percentage or rate resting on fewer than :data:`FEW_CHILDREN_BELOW` children."""
    n = children(r, counts or {})
    return r.unit != "count" and n is not None and n < FEW_CHILDREN_BELOW


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text  # an acronym: "UASC ..."
    return text[:1].lower() + text[1:]


def message_text(
    r: IndicatorResult,
    assessment: Assessment | None = None,
    previous_label: str = "the previous year",
    counts: Mapping[str, float | None] | None = None,
) -> str:
    """A one-sentence message, opening with its direction and led by what makes it notable."""
    title = r.title.removesuffix(" (%)")
    value = format_value(r.value, r.unit, r.marker)
    lead = DIRECTIONS[direction(r, assessment)]
    if assessment is not None and assessment.status in ("met", "not met"):
        body = nv.sentence(assessment.sentence).removesuffix(".")
        return nv.sentence(f"{lead}: {_lower_first(body)}")
    if _crossed(r):
        side = "above" if r.value > r.england else "below"  # type: ignore[operator]
        body = (
            f"{_lower_first(title)} moved {side} the England figure: {value} against "
            f"{format_value(r.england, r.unit)}"
        )
    elif _movement(r) >= _gap(r) and _change(r) != 0:
        body = f"{_lower_first(title)}: {value}, {nv.change_clause(r, r.previous_period or previous_label)}"
    else:
        clause = nv.comparator_clause(r) or nv.change_clause(r, r.previous_period or previous_label)
        body = f"{_lower_first(title)}: {value}" + (f", {clause}" if clause else "")
    run = streak(r)
    if run >= 2:
        moved = "risen" if _change(r) > 0 else "fallen"
        lead_dir, run_dir = direction(r, assessment), _good(r, _change(r) > 0)
        though = "though " if "neutral" not in (lead_dir, run_dir) and lead_dir != run_dir else ""
        body += f"; {though}it has {moved} {run} years running"
    n = children(r, counts or {})
    if few_children(r, counts) and n is not None:
        body += f"; this rests on only {format_value(n, 'count')} children"
    return nv.sentence(f"{lead}: {body}")


def select(
    results: list[IndicatorResult],
    assessments: dict[str, Assessment] | None = None,
    previous_label: str = "the previous year",
    counts: Mapping[str, float | None] | None = None,
) -> list[KeyMessage]:
    """Choose the key messages among ``results`` (the indicators explained, in report order).

    Parameters
    ----------
    results
        Candidate indicators.
    assessments
        Target assessments by indicator id.
    previous_label
        The previous period's label, for a result without ``previous_period``.
    counts
        Counts of children by indicator id (``cla_at_end``, ``cl_19_21_count`` ...), to know how
        many children a percentage rests on.
    """
    assessments = assessments or {}
    counts = counts or {}
    scored = [
        KeyMessage(
            r.id,
            r.family,
            score(r, assessments.get(r.id), counts),
            "",
            direction(r, assessments.get(r.id)),
            few_children(r, counts),
        )
        for r in results
        if not is_missing(r.value)
    ]
    scored.sort(key=lambda m: -m.score)  # stable: report order breaks ties
    chosen: list[KeyMessage] = []
    per_family: dict[str, int] = {}
    for candidate in scored:
        if len(chosen) == MAX_MESSAGES:
            break
        if candidate.score < MIN_SCORE and len(chosen) >= MIN_MESSAGES:
            break
        if per_family.get(candidate.family, 0) >= PER_FAMILY:
            continue
        per_family[candidate.family] = per_family.get(candidate.family, 0) + 1
        chosen.append(candidate)
    chosen.sort(key=lambda m: m.few_children)  # stable: few-children messages never lead
    by_id = {r.id: r for r in results}
    return [
        KeyMessage(
            m.indicator_id,
            m.family,
            m.score,
            message_text(
                by_id[m.indicator_id], assessments.get(m.indicator_id), previous_label, counts
            ),
            m.direction,
            m.few_children,
        )
        for m in chosen
    ]
