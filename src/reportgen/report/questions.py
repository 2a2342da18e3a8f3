"""Questions the committee may wish to ask: scrutiny "key lines of enquiry" from the findings.

Four kinds of finding raise a question, each about one indicator a paragraph explains:

* ``sustained``: a figure with a better and a worse direction that has moved the worse way for
  at least :data:`SUSTAINED_YEARS` years running, by at least 3 points (10% for other units)
  in all (score 2 + the number of years);
* ``gap``: worse than England or the statistical-neighbour average by at least 5 percentage
  points (20% for rates and days), or, for a figure that is neither better nor worse (the
  rate of children looked after), at least 25% away from England (score 1.5 + the gap in
  those units);
* ``sudden``: a change since the previous period at least twice the authority's usual
  year-to-year change (:func:`reportgen.report.key_messages.typical_change`), and at least
  3 points or 10% (score 1 + the change in usual changes);
* ``few``: a percentage resting on fewer than
  :data:`~reportgen.report.key_messages.FEW_CHILDREN_BELOW` children (score 1).

The best finding per indicator is kept; questions are ordered by score, at most two of a kind
first, between :data:`MIN_QUESTIONS` and :data:`MAX_QUESTIONS`. When the findings give fewer
than three, the indicators with the highest key-message scores fill in with a question on what
the service expects next. Every question cites the paragraph with the evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reportgen.core.formatting import format_value, is_missing, whole
from reportgen.indicators.result import IndicatorResult
from reportgen.report import key_messages as km

MIN_QUESTIONS, MAX_QUESTIONS, PER_KIND = 3, 6, 2
SUSTAINED_YEARS = 2
NEUTRAL_GAP = 0.25


@dataclass(frozen=True)
class Question:
    """One question, the indicator and paragraph it rests on, and why it was asked."""

    indicator_id: str
    kind: str
    score: float
    text: str
    paragraph: str


def _title(r: IndicatorResult) -> str:
    return r.title.removesuffix(" (%)")


def _v(r: IndicatorResult, value: float | None) -> str:
    return format_value(value, r.unit)


def _worse_gap(r: IndicatorResult) -> tuple[float, list[str]]:
    """The largest gap on the worse side of England and the neighbours, in thresholds, and the
    comparators it is worse than (``"England (54%)"``)."""
    if r.unit == "count" or is_missing(r.value):
        return 0.0, []
    assert r.value is not None
    worst, against = 0.0, []
    comparators = [("England", r.england), ("the neighbour average", r.sn_mean if r.sn_n else None)]
    for label, other in comparators:
        if is_missing(other):
            continue
        assert other is not None
        if r.unit == "percent":
            diff = whole(r.value) - whole(other)
            size = abs(diff) / 5
        elif other:
            diff = r.value - other
            size = abs(diff) / abs(other) / 0.20
        else:
            continue
        if r.polarity == "neutral":
            if label != "England" or abs(diff) / max(abs(other), 1e-9) < NEUTRAL_GAP:
                continue
            if r.unit == "percent":
                continue
        elif diff == 0 or (diff > 0) == (r.polarity == "higher_is_better") or size < 1:
            continue
        worst = max(worst, size)
        against.append(f"{label} ({_v(r, other)})")
    return worst, against


def _run_size(r: IndicatorResult, run: int) -> float:
    """The change over the last ``run`` years in thresholds: 3 points, or 10% for other units."""
    series = km._series(r)
    start, end = series[-run - 1], series[-1]
    if r.unit == "percent":
        return abs(end - start) / 3
    return abs(end - start) / abs(start) / 0.10 if start else 0.0


def finding(
    r: IndicatorResult,
    paragraph: str,
    period: str,
    counts: Mapping[str, float | None] | None = None,
) -> Question | None:
    """The strongest question ``r`` raises, or ``None``."""
    if is_missing(r.value):
        return None
    counts = counts or {}
    title, value, where = _title(r), _v(r, r.value), f"(paragraph {paragraph})"
    found: list[Question] = []
    change = km._change(r)
    run = km.streak(r)
    if (
        r.polarity != "neutral"
        and run >= SUSTAINED_YEARS
        and km._good(r, change > 0) == "bad"
        and _run_size(r, run) >= 1
    ):
        found.append(
            Question(
                r.id,
                "sustained",
                2.0 + run,
                f"{title}: {value} in {period}, worse {run} years running {where}. What is "
                "driving this, and what is being done to turn it round?",
                paragraph,
            )
        )
    size, against = _worse_gap(r)
    if against:
        if r.polarity == "neutral":
            side = "above" if r.value > r.england else "below"  # type: ignore[operator]
            text = (
                f"{title}: {value}, well {side} {against[0]} {where}. What explains the "
                "difference, and is it what the service would expect?"
            )
        else:
            text = (
                f"{title}: {value}, worse than {' and '.join(against)} {where}. What explains "
                "the gap, and what would close it?"
            )
        found.append(Question(r.id, "gap", 1.5 + min(size, 3.0), text, paragraph))
    usual = km.typical_change(r)
    if change and usual and r.unit != "count":
        ratio = abs(change) / usual
        big = abs(change) >= 3 if r.unit == "percent" else abs(change) >= 0.1 * abs(r.previous or 0)
        if ratio >= 2 and big:
            verdict = km._good(r, change > 0)
            before = f"from {_v(r, r.previous)} to {value}"
            text = {
                "bad": f"{title} worsened sharply, {before} {where}. What caused the change, "
                "and is it expected to last?",
                "good": f"{title} improved sharply, {before} {where}. What made the "
                "difference, and can it be sustained?",
                "neutral": f"{title} changed sharply, {before} {where}. What lies behind the "
                "change?",
            }[verdict]
            found.append(Question(r.id, "sudden", 1.0 + min(ratio, 3.0), text, paragraph))
    n = km.children(r, counts)
    if km.few_children(r, counts) and n is not None:
        found.append(
            Question(
                r.id,
                "few",
                1.0,
                f"{title}: {value} rests on only {format_value(n, 'count')} children {where}, so "
                "each child moves it by several points. How does the service follow up each of "
                "these young people?",
                paragraph,
            )
        )
    if not found:
        return None
    return max(found, key=lambda q: q.score)  # first of equals: the order above


def _fallback(r: IndicatorResult, paragraph: str, period: str) -> Question:
    return Question(
        r.id,
        "outlook",
        0.0,
        f"{_title(r)}: {_v(r, r.value)} in {period} (paragraph {paragraph}). What does the "
        "service expect it to be next year, and what would change it?",
        paragraph,
    )


def select(
    results: list[IndicatorResult],
    numbers: Mapping[str, str],
    period: str,
    counts: Mapping[str, float | None] | None = None,
) -> list[Question]:
    """Choose three to six questions among ``results`` that a numbered paragraph explains.

    Parameters
    ----------
    results
        Candidate indicators, in report order.
    numbers
        The paragraph number explaining each indicator (``anchor_numbers`` in the assembler);
        an indicator without one raises no question.
    period
        The period label ("2024-25").
    counts
        Counts of children by indicator id, to know how many children a percentage rests on.
    """
    candidates = [r for r in results if r.id in numbers and not is_missing(r.value)]
    found = [q for r in candidates if (q := finding(r, numbers[r.id], period, counts)) is not None]
    found.sort(key=lambda q: -q.score)  # stable: report order breaks ties
    chosen: list[Question] = []
    per_kind: dict[str, int] = {}
    for q in found:  # at most PER_KIND of a kind on the first pass ...
        if per_kind.get(q.kind, 0) < PER_KIND and len(chosen) < MAX_QUESTIONS:
            chosen.append(q)
            per_kind[q.kind] = per_kind.get(q.kind, 0) + 1
    for q in found:  # ... then the rest by score
        if q not in chosen and len(chosen) < MAX_QUESTIONS:
            chosen.append(q)
    if len(chosen) < MIN_QUESTIONS:
        asked = {q.indicator_id for q in chosen}
        spare = sorted(
            (r for r in candidates if r.id not in asked and r.unit != "count"),
            key=lambda r: -km.score(r, None, counts),
        )
        chosen += [
            _fallback(r, numbers[r.id], period) for r in spare[: MIN_QUESTIONS - len(chosen)]
        ]
    return sorted(chosen, key=lambda q: -q.score)


def focused_report(questions: list[Question]) -> Question | None:
    """The finding that warrants asking for a focused report: the highest-scoring sustained
    adverse trend or adverse gap, if any."""
    serious = [q for q in questions if q.kind in ("sustained", "gap") and "worse" in q.text]
    return max(serious, key=lambda q: q.score) if serious else None
