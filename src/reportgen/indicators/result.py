"""Indicator results as they travel from the notebooks (JSON) to the report."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Unit = Literal["count", "percent", "rate", "days"]
Polarity = Literal["higher_is_better", "lower_is_better", "neutral"]


class IndicatorResult(BaseModel):
    """One indicator for one authority and period, with its comparators and trend.

    ``previous`` is the value for ``previous_period`` (the previous year, or the previous quarter
    or month for 903 data; empty means the previous collection year).
    ``value`` is ``None`` when the figure is not available; ``marker`` then says why
    (a DfE marker ``c``, ``k``, ``z``, ``x``, ``low``, or ``"not published"`` when the
    published tables have no row for it). Percentages are 0-100, unrounded.
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    family: str
    title: str
    unit: Unit
    polarity: Polarity
    period: str
    value: float | None = None
    marker: str | None = None
    previous: float | None = None
    previous_marker: str | None = None
    previous_period: str = ""
    england: float | None = None
    england_marker: str | None = None
    sn_mean: float | None = None
    sn_n: int = 0
    trend: dict[str, float | None] = Field(default_factory=dict)
    trend_markers: dict[str, str] = Field(default_factory=dict)
    """Why a trend year's figure is missing, where it was withheld (``"suppressed"``, ...)."""
    england_trend: dict[str, float | None] = Field(default_factory=dict)
    sn_trend: dict[str, float | None] = Field(default_factory=dict)
    source: str = ""
    denominator: float | None = Field(default=None, exclude=True)
    """How many children a percentage from 903 data is of, for disclosure control only: never
    written out (disclosure control drops it)."""
    previous_denominator: float | None = Field(default=None, exclude=True)
    trend_denominators: dict[str, float | None] = Field(default_factory=dict, exclude=True)


class ChartRef(BaseModel):
    """A chart file written by a notebook, with its caption and alt text."""

    model_config = ConfigDict(extra="forbid")

    file: str
    caption: str
    alt_text: str


class SectionResult(BaseModel):
    """What one family notebook writes to ``work/<family>.json``."""

    model_config = ConfigDict(extra="forbid")

    family: str
    authority_code: str
    authority_name: str
    period: str
    source: str
    indicators: list[IndicatorResult]
    charts: list[ChartRef] = Field(default_factory=list)
    monthly: dict[str, dict[str, float | str | None]] = Field(default_factory=dict)
    """Dashboard measures by calendar month (903 data only); ``"suppressed"`` where disclosure
    control withheld the figure."""

    def get(self, indicator_id: str) -> IndicatorResult | None:
        """Return the result for ``indicator_id``, or None when the family has none."""
        return next((r for r in self.indicators if r.id == indicator_id), None)
