"""Key messages: the three to five most notable facts, chosen by rule, each pointing to its paragraph.

Candidates are the indicators shown in the report's tables. Each gets a score from:

* its movement since the previous period (3 percentage points, or 10% for rates, scores 1;
  a count's movement counts half);
* its gap to England (5 points, or 20% for rates; counts are not compared with England);
* crossing the England figure since the previous period (scores 1.5);
* a target met or missed (scores 1.5).

The highest-scoring indicators (at most two per family, one message per indicator, a score of
at least 0.5) become messages; at least three are kept when there are three candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.core.formatting import format_value, is_missing, whole
from reportgen.indicators.result import IndicatorResult
from reportgen.report import narrative as nv
from reportgen.report.targets import Assessment

MIN_MESSAGES, MAX_MESSAGES, PER_FAMILY = 3, 5, 2
MIN_SCORE = 0.5
COUNT_WEIGHT = 0.5
"""Counts move more from year to year than rates and shares: their movement counts half."""


@dataclass(frozen=True)
class KeyMessage:
    """One message and the indicator it is about."""

    indicator_id: str
    family: str
    score: float
    text: str


def _movement(r: IndicatorResult) -> float:
    if is_missing(r.value) or is_missing(r.previous):
        return 0.0
    assert r.value is not None and r.previous is not None
    if r.unit == "percent":
        return abs(whole(r.value) - whole(r.previous)) / 3
    if r.previous == 0:
        return 0.0
    weight = COUNT_WEIGHT if r.unit == "count" else 1.0
    return weight * abs(r.value - r.previous) / abs(r.previous) / 0.10


def _gap(r: IndicatorResult) -> float:
    if r.unit == "count" or is_missing(r.value) or is_missing(r.england):
        return 0.0
    assert r.value is not None and r.england is not None
    if r.unit == "percent":
        return abs(whole(r.value) - whole(r.england)) / 5
    if r.england == 0:
        return 0.0
    return abs(r.value - r.england) / abs(r.england) / 0.20


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


def score(r: IndicatorResult, assessment: Assessment | None = None) -> float:
    """How notable an indicator is this period (see the module notes)."""
    total = _movement(r) + _gap(r) + (1.5 if _crossed(r) else 0.0)
    if assessment is not None and assessment.status in ("met", "not met"):
        total += 1.5
    return round(total, 6)


def message_text(
    r: IndicatorResult,
    assessment: Assessment | None = None,
    previous_label: str = "the previous year",
) -> str:
    """A one-sentence message for an indicator, led by what makes it notable."""
    title = r.title.removesuffix(" (%)")
    value = format_value(r.value, r.unit, r.marker)
    if assessment is not None and assessment.status in ("met", "not met"):
        return nv.sentence(assessment.sentence)
    if _crossed(r):
        side = "above" if r.value > r.england else "below"  # type: ignore[operator]
        return nv.sentence(
            f"{title} moved {side} the England figure: {value} against "
            f"{format_value(r.england, r.unit)}"
        )
    if _movement(r) >= _gap(r):
        change = nv.change_clause(r, r.previous_period or previous_label)
        return nv.sentence(f"{title}: {value}, {change}")
    return nv.sentence(f"{title}: {value}, {nv.comparator_clause(r)}")


def select(
    results: list[IndicatorResult],
    assessments: dict[str, Assessment] | None = None,
    previous_label: str = "the previous year",
) -> list[KeyMessage]:
    """Choose the key messages among ``results`` (the indicators shown, in report order)."""
    assessments = assessments or {}
    scored = [
        KeyMessage(r.id, r.family, score(r, assessments.get(r.id)), "")
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
    by_id = {r.id: r for r in results}
    return [
        KeyMessage(
            m.indicator_id,
            m.family,
            m.score,
            message_text(by_id[m.indicator_id], assessments.get(m.indicator_id), previous_label),
        )
        for m in chosen
    ]
