"""Targets and "We will" commitments tied to indicator ids, with a status for the period.

Status rules (on the figures as displayed, so the words never contradict the table):

* **no data**: the indicator has no value for the period;
* **met**: the value is at or beyond the target in the target's direction;
* **on track**: not met, but closer to the target than in the previous period;
* **not met**: otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reportgen.core.formatting import format_value, is_missing, whole
from reportgen.indicators.result import IndicatorResult

Status = Literal["met", "on track", "not met", "no data"]
Direction = Literal["at_least", "at_most"]


@dataclass(frozen=True)
class Assessment:
    """One target's status with the figures behind it."""

    label: str
    indicator_id: str
    status: Status
    value_text: str
    target_text: str
    sentence: str


def target_status(result: IndicatorResult, target: float, direction: Direction) -> Status:
    """The status of ``result`` against ``target``.

    Examples
    --------
    >>> r = IndicatorResult(id="adopted", family="adoption", title="Children adopted", unit="count",
    ...                     polarity="neutral", period="2024-25", value=37, previous=24)
    >>> target_status(r, 25, "at_least"), target_status(r, 40, "at_least")
    ('met', 'on track')
    >>> target_status(r.model_copy(update={"previous": 39}), 40, "at_least")
    'not met'
    >>> target_status(r.model_copy(update={"value": None}), 25, "at_least")
    'no data'
    """
    if is_missing(result.value):
        return "no data"
    assert result.value is not None
    value = whole(result.value)
    goal = whole(target)
    met = value >= goal if direction == "at_least" else value <= goal
    if met:
        return "met"
    if not is_missing(result.previous):
        assert result.previous is not None
        if abs(goal - value) < abs(goal - whole(result.previous)):
            return "on track"
    return "not met"


def assess(
    result: IndicatorResult, target: float, direction: Direction, label: str = ""
) -> Assessment:
    """Status, figures and a one-sentence account of a target."""
    status = target_status(result, target, direction)
    title = result.title.removesuffix(" (%)")
    bound = "at or above" if direction == "at_least" else "at or below"
    label = label or f"{title.lower()} {bound} {format_value(target, result.unit)}"
    value_text = format_value(result.value, result.unit, result.marker)
    target_text = format_value(target, result.unit)
    words = {
        "met": f"met: the figure for {result.period} was {value_text}",
        "on track": f"not yet met but improving: {value_text} in {result.period}, "
        f"from {format_value(result.previous, result.unit)} the year before",
        "not met": f"not met: the figure for {result.period} was {value_text}",
        "no data": f"cannot be assessed for {result.period}: the figure is {value_text}",
    }[status]
    sentence = f"The target of {label[0].lower() + label[1:]} was {words}."
    return Assessment(label, result.id, status, value_text, target_text, sentence)
