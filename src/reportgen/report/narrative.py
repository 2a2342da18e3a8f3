"""Plain-English sentences generated from indicator results.

The register follows the example committee papers: short factual sentences with the figure,
the change since last year and the comparison with England and statistical neighbours
("... has increased from 701 to 785", "the national average is 10%"). Direction words respect
the indicator's polarity, differences within a tolerance are "similar to", and a missing
figure is said to be unavailable, never compared.
"""

from __future__ import annotations

import re

from reportgen.core.formatting import format_value, is_missing, whole
from reportgen.indicators.result import IndicatorResult

SIMILAR_PERCENT_POINTS = 1.0
"""Percentages within this many points of a comparator are "similar to" it."""
SIMILAR_RELATIVE = 0.05
"""Rates, days and counts within this share of a comparator are "similar to" it."""


def _displayed(value: float, unit: str) -> float:
    """The value as the reader sees it (rounded), so words never contradict the tables."""
    return float(whole(value))


def relation(value: float, other: float, unit: str) -> str:
    """``"higher than"``, ``"lower than"``, ``"the same as"`` or ``"similar to"``.

    Compares the displayed (rounded) figures. Percentages within one point and other units
    within 5% are "similar to".

    Examples
    --------
    >>> relation(47, 67, "rate"), relation(10.2, 9.8, "percent"), relation(59, 54, "percent")
    ('lower than', 'the same as', 'higher than')
    >>> relation(55, 54, "percent"), relation(100, 103, "rate")
    ('similar to', 'similar to')
    """
    a, b = _displayed(value, unit), _displayed(other, unit)
    if a == b:
        return "the same as"
    if unit == "percent":
        similar = abs(a - b) <= SIMILAR_PERCENT_POINTS
    else:
        similar = b != 0 and abs(a - b) / abs(b) <= SIMILAR_RELATIVE
    if similar:
        return "similar to"
    return "higher than" if a > b else "lower than"


def judgement(result: IndicatorResult, relation_text: str) -> str:
    """``" (better)"``-style judgement words for a relation, respecting polarity; '' if neutral."""
    if result.polarity == "neutral" or relation_text in ("the same as", "similar to"):
        return ""
    higher = relation_text == "higher than"
    good = higher == (result.polarity == "higher_is_better")
    return "better" if good else "worse"


def change_clause(result: IndicatorResult, previous_label: str) -> str:
    """How the value moved since the previous period.

    Returns e.g. ``"a decrease from 725 in 2023-24"``, ``"an improvement on 9% in 2023-24"``,
    ``"unchanged from 2023-24"``; ``""`` when either value is missing.

    Examples
    --------
    >>> r = IndicatorResult(id="x", family="f", title="t", unit="count", polarity="neutral",
    ...                     period="2024-25", value=694, previous=725)
    >>> change_clause(r, "2023-24")
    'a decrease from 725 in 2023-24'
    """
    if is_missing(result.value) or is_missing(result.previous):
        return ""
    assert result.value is not None and result.previous is not None
    now, before = _displayed(result.value, result.unit), _displayed(result.previous, result.unit)
    shown = format_value(result.previous, result.unit)
    if now == before:
        return f"unchanged from {previous_label}"
    up = now > before
    if result.polarity == "neutral":
        word = "an increase from" if up else "a decrease from"
        return f"{word} {shown} in {previous_label}"
    good = up == (result.polarity == "higher_is_better")
    word = "an improvement on" if good else "worse than"
    return f"{word} {shown} in {previous_label}"


def comparator_clause(result: IndicatorResult) -> str:
    """Position against England and the statistical neighbour average.

    Returns
    -------
    str
        e.g. ``"lower than England (67) and the statistical neighbour average (54)"``, or ``""``
        when the authority's value is missing. A missing comparator is left out. A count is
        never compared (``""``): an authority's number of children says nothing against
        England's or its neighbours' average number (Rutland's 32 children against a neighbour
        average of 639); rates and percentages compare, counts get their change and trend.

    Examples
    --------
    >>> r = IndicatorResult(id="x", family="f", title="t", unit="rate", polarity="neutral",
    ...                     period="2024-25", value=47, england=67, sn_mean=53.5)
    >>> comparator_clause(r)
    'lower than England (67) and the statistical neighbour average (54)'
    >>> comparator_clause(r.model_copy(update={"sn_mean": 48}))
    'lower than England (67) and similar to the statistical neighbour average (48)'
    >>> comparator_clause(r.model_copy(update={"unit": "count", "value": 32, "sn_mean": 639}))
    ''
    """
    if is_missing(result.value) or result.unit == "count":
        return ""
    assert result.value is not None
    parts = []
    comparators = [
        ("England", result.england),
        ("the statistical neighbour average", result.sn_mean),
    ]
    for label, other in comparators:
        if is_missing(other):
            continue
        assert other is not None
        parts.append((relation(result.value, other, result.unit), label, other))
    if not parts:
        return ""
    if len(parts) == 2 and parts[0][0] == parts[1][0]:
        rel = parts[0][0]
        return (
            f"{rel} {parts[0][1]} ({format_value(parts[0][2], result.unit)}) and "
            f"{parts[1][1]} ({format_value(parts[1][2], result.unit)})"
        )
    return " and ".join(
        f"{rel} {label} ({format_value(other, result.unit)})" for rel, label, other in parts
    )


def join_clauses(*clauses: str) -> str:
    """Join non-empty clauses with commas."""
    return ", ".join(c for c in clauses if c)


def sentence(text: str) -> str:
    """Capitalise the first letter and end with one full stop."""
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def indicator_sentence(result: IndicatorResult, lead: str, previous_label: str) -> str:
    """One sentence: lead with the value, then the change and the comparison.

    Parameters
    ----------
    result
        The indicator.
    lead
        The opening with ``{value}`` where the formatted value goes, e.g.
        ``"{value} of care leavers aged 19 to 21 were in education, employment or training"``.
    previous_label
        The previous period's label ("2023-24").

    Returns
    -------
    str
        A full sentence; when the value is missing, a sentence saying it is not available.
    """
    if is_missing(result.value):
        return unavailable_sentence(result, previous_label)
    value = format_value(result.value, result.unit)
    change = change_clause(result, result.previous_period or previous_label)
    five = five_year_clause(result)
    comparison = comparator_clause(result)
    body = lead.format(value=value)
    if change:
        body += f", {change}"
    if five:
        body += f"; {five}"
    if comparison:
        body += f". This is {comparison}" if (change or five) else f", {comparison}"
    return sentence(body)


def opening(text: str, words: int = 2) -> str:
    """How a paragraph opens: its first words, lower case, figures as ``#``.

    Examples
    --------
    >>> opening("59% of care leavers"), opening("73% of those aged 17")
    ('#% of', '#% of')
    """
    first = re.sub(r"\d[\d,.]*", "#", text.strip().lower()).split()[:words]
    return " ".join(first)


def unavailable_sentence(result: IndicatorResult, previous_label: str, variant: int = 0) -> str:
    """Say that a figure is not available, why, and the last known value when there is one.

    Examples
    --------
    >>> r = IndicatorResult(id="x", family="f", title="Care leavers aged 19 to 21 in touch (%)",
    ...                     unit="percent", polarity="higher_is_better", period="2024-25",
    ...                     marker="not published", previous=98)
    >>> unavailable_sentence(r, "2023-24")
    'Care leavers aged 19 to 21 in touch: the DfE has not yet published the 2024-25 figure; in 2023-24 it was 98%.'
    """
    why = {
        "c": "the DfE withheld the {period} figure to protect confidentiality (small numbers)",
        "z": "the {period} figure is not applicable",
        "x": "the {period} figure is not available",
        "not published": "the DfE has not yet published the {period} figure",
        "not available": "the {period} figure is not available from the data supplied",
        "needs published data": "the {period} figure needs the DfE's published data (it is not "
        "computed from 903 returns)",
        "suppressed": "the {period} figure is fewer than 5 and is withheld to protect confidentiality",
        "secondary": "the {period} figure is withheld so that a small number cannot be worked out from it",
    }.get(result.marker or "not published", "the DfE has not published the {period} figure")
    title = result.title.removesuffix(" (%)")
    if variant:  # the same facts, opening differently (after a paragraph that opened alike)
        why = why.format(period=result.period).replace(f"the {result.period} figure", "the figure")
        text = f"For {title[0].lower() + title[1:]} in {result.period}, {why}"
    else:
        text = f"{title}: {why.format(period=result.period)}"
    if not is_missing(result.previous):
        label = result.previous_period or previous_label
        text += f"; in {label} it was {format_value(result.previous, result.unit)}"
    return sentence(text)


def five_year_clause(result: IndicatorResult) -> str:
    """Position against the first year of the five-year trend.

    Returns e.g. ``"in 2020-21 it was 706"``; ``""`` when the trend has no earlier value
    or only one year.

    Examples
    --------
    >>> r = IndicatorResult(id="x", family="f", title="t", unit="count", polarity="neutral",
    ...                     period="2024-25", value=694,
    ...                     trend={"2020-21": 706, "2023-24": 725, "2024-25": 694})
    >>> five_year_clause(r)
    'in 2020-21 it was 706'
    """
    if is_missing(result.value):
        return ""
    earlier = [(y, v) for y, v in result.trend.items() if not is_missing(v) and y != result.period]
    if len(earlier) < 2:
        return ""
    year, first = earlier[0]
    return f"in {year} it was {format_value(first, result.unit)}"


SINGULAR = {"children": "child", "young people": "young person", "care leavers": "care leaver"}


def count_phrase(value: float | None, noun: str, marker: str | None = None) -> str:
    """``"37 children"``, ``"no children"``, or the marker's wording.

    Examples
    --------
    >>> count_phrase(37, "children"), count_phrase(0, "children"), count_phrase(None, "children", "c")
    ('37 children', 'no children', 'a number of children not published (small numbers)')
    """
    if is_missing(value):
        wording = {"c": "not published (small numbers)"}.get(marker or "", "not published")
        return f"a number of {noun} {wording}"
    assert value is not None
    if whole(value) == 0:
        return f"no {noun}"
    if whole(value) == 1:
        noun = SINGULAR.get(noun, noun)
    return f"{format_value(value, 'count')} {noun}"


NEIGHBOUR_COUNT = 10
"""How many statistical neighbours the DfE model gives each authority."""
OUTLIER_PERCENT_POINTS = 3.0
"""One neighbour moving the neighbour average of a percentage by more than this many points is
named (Hampshire's 45% suitable accommodation pulls Leicestershire's neighbour average from about
93% to 87%)."""
OUTLIER_RELATIVE = 0.10
"""One neighbour moving the neighbour average of a rate or a number of days by more than this
share is named."""
FEW_CHILDREN = 20
"""A percentage of fewer children than this is said to rest on few children ("7 care leavers"):
one child then moves it by more than 5 points."""


def neighbour_note(
    result: IndicatorResult,
    values: dict[str, float],
    *,
    points: float = OUTLIER_PERCENT_POINTS,
    relative: float = OUTLIER_RELATIVE,
) -> str:
    """What the reader should know about the statistical neighbour average, or ``""``.

    Parameters
    ----------
    result
        The indicator, with its ``sn_mean`` and ``sn_n``.
    values
        Each neighbour's figure (name -> value) behind ``sn_mean`` (neighbours without one left
        out); empty when unknown.
    points, relative
        A neighbour whose figure moves the average by more than ``points`` percentage points
        (percentages) or by more than ``relative`` of the average without it (other units) is
        named; only the one that moves it most.

    Returns
    -------
    str
        Up to two sentences: how many neighbours have a figure when fewer than ten do, and which
        neighbour pulls the average and what it would be without it. ``""`` for counts (never
        compared) and when the average is missing.

    Examples
    --------
    >>> r = IndicatorResult(id="x", family="f", title="t", unit="percent", period="2024-25",
    ...                     polarity="higher_is_better", value=94, sn_mean=88, sn_n=3)
    >>> neighbour_note(r, {"A": 93, "B": 95, "C": 76})
    "The statistical neighbour average is of the 3 neighbours with a figure. C's figure (76%) pulls the statistical neighbour average down: without C it would be 94%."
    """
    if result.unit == "count" or is_missing(result.sn_mean) or is_missing(result.value):
        return ""
    notes = []
    if 0 < result.sn_n < NEIGHBOUR_COUNT:
        notes.append(
            "The statistical neighbour average is of the "
            f"{result.sn_n} neighbour{'s' if result.sn_n != 1 else ''} with a figure"
        )
    if len(values) >= 2:
        mean = sum(values.values()) / len(values)
        best: tuple[float, str, float] | None = None
        for name in values:
            others = [v for n, v in values.items() if n != name]
            without = sum(others) / len(others)
            shift = abs(mean - without)
            limit = points if result.unit == "percent" else relative * abs(without)
            if shift > limit and (best is None or shift > best[0]):
                best = (shift, name, without)
        if best is not None:
            _, name, without = best
            way = "down" if values[name] < without else "up"
            notes.append(
                f"{name}'s figure ({format_value(values[name], result.unit)}) pulls the "
                f"statistical neighbour average {way}: without {name} it would be "
                f"{format_value(without, result.unit)}"
            )
    return " ".join(sentence(n) for n in notes)


def few_children_note(result: IndicatorResult, base: float | None, noun: str) -> str:
    """Say that a percentage rests on few children, or ``""``.

    Parameters
    ----------
    result
        A percentage indicator.
    base
        How many children it is a percentage of (``None`` when unknown).
    noun
        What they are, plural ("care leavers").

    Examples
    --------
    >>> r = IndicatorResult(id="x", family="f", title="t", unit="percent", period="2024-25",
    ...                     polarity="higher_is_better", value=100)
    >>> few_children_note(r, 7, "care leavers")
    'This percentage rests on 7 care leavers, so each of them moves it by 14 percentage points.'
    >>> few_children_note(r, 25, "care leavers")
    ''
    """
    if result.unit != "percent" or is_missing(result.value) or is_missing(base):
        return ""
    assert base is not None
    if not 0 < base < FEW_CHILDREN:
        return ""
    each = format_value(100 / base, "count")
    count = count_phrase(base, noun)
    return sentence(
        f"This percentage rests on {count}, so each of them moves it by {each} percentage point"
        + ("" if each == "1" else "s")
    )
