"""Per-child measures, the period context they are computed in, and the 903 function registry.

Every 903 indicator is a function ``f(frame) -> Measure`` registered with :func:`indicator`. A
:class:`Measure` holds one row per child of the indicator's cohort (its denominator, or the
children counted), the numerator of each row (a 0/1 flag, or days for an average) and enough
to show analysts the rows (:func:`reportgen.indicators.engine.detail`). The engine adds the rows
up per authority, so the same functions serve one authority's report and every authority at once.

A function raises :class:`NotAvailable` when the returns cannot give the figure (a table or a
year is missing): the engine turns that into ``value=None``, marker ``"not available"`` and the
note, and carries on with the other indicators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np

from reportgen.core.periods import Period, year_label
from reportgen.indicators.blocks import (
    OPEN,
    REC_CODES,
    EngineOptions,
    Prepared,
    add_years,
    age_on,
    from_day,
    run_ends,
    run_starts,
    to_day,
)
from reportgen.sources.ssda903.read import EPISODE_FIX_REC

Kind = Literal["count", "percent", "mean", "rate"]
Timing = Literal["snapshot", "flow", "rolling_year", "lookback", "rolling_3_years", "birthdays"]

TIMINGS: dict[str, str] = {
    "snapshot": "on the period's last day",
    "flow": "during the period",
    "rolling_year": "the 12 months to the period's last day (the DfE year to 31 March)",
    "lookback": "on the period's last day, looking back 2.5 years (DfE definition)",
    "rolling_3_years": "the 3 years to the period's last day (rolling, as the DfE scorecard)",
    "birthdays": "young people whose birthday fell in the period",
}
"""What each timing means, for notes and the README."""


class NotAvailable(Exception):
    """The returns cannot give this figure; the message says what is needed."""


@dataclass
class Measure:
    """One indicator's rows for one period.

    Attributes
    ----------
    kind
        ``count`` (sum of ``num``), ``percent`` (100 × sum ``num`` / sum ``den``), ``mean``
        (sum ``num`` / sum ``den``) or ``rate`` (10,000 × sum ``num`` / population).
    child
        Child code of each row.
    num
        Numerator of each row: 1/0, or days for a mean.
    den
        Whether the row is in the denominator (percent, mean); ``None`` otherwise.
    episode
        An episode row per child (for the detail view), or ``None``.
    extra
        Further per-row columns for the detail view.
    notes
        Caveats to show with the figure.
    """

    kind: Kind
    child: np.ndarray
    num: np.ndarray
    den: np.ndarray | None = None
    episode: np.ndarray | None = None
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.num = np.asarray(self.num, dtype=np.float64)
        if self.den is not None:
            self.den = np.asarray(self.den, dtype=bool)
            if self.kind == "percent":
                self.num = self.num * self.den


@dataclass(frozen=True)
class Spec:
    """A registered 903 indicator function."""

    id: str
    function: Callable[[Frame], Measure]
    timing: Timing
    tables: tuple[str, ...]


FUNCTIONS: dict[str, Spec] = {}
"""Indicator id -> its 903 function, timing and the 903 tables it reads."""


def indicator(
    id_: str, timing: Timing, tables: tuple[str, ...] = ("Header", "Episodes")
) -> Callable[[Callable[[Frame], Measure]], Callable[[Frame], Measure]]:
    """Register ``function`` as the 903 computation of ``id_``."""

    def register(function: Callable[[Frame], Measure]) -> Callable[[Frame], Measure]:
        if id_ in FUNCTIONS:
            raise ValueError(f"903 indicator {id_!r} registered twice")
        FUNCTIONS[id_] = Spec(id_, function, timing, tables)
        return function

    return register


def register(
    id_: str,
    function: Callable[[Frame], Measure],
    timing: Timing,
    tables: tuple[str, ...] = ("Header", "Episodes"),
) -> None:
    """Register a function built in a loop (e.g. one per placement group)."""
    indicator(id_, timing, tables)(function)


def long_date(day: int) -> str:
    """``31 March 2025``."""
    when = from_day(day)
    return f"{when.day} {when:%B %Y}"


class Frame:
    """One period of one prepared history: what every indicator function reads.

    Intermediate results (children looked after at the end, starts, cessations ...) are computed
    once per frame and shared by the functions.
    """

    def __init__(
        self,
        prepared: Prepared,
        period: Period,
        population: np.ndarray | None = None,
        population_note: str = "",
    ) -> None:
        self.p = prepared
        self.period = period
        self.start = to_day(period.start)
        self.end = to_day(period.end)
        self.population = population
        self.population_note = population_note

    @property
    def options(self) -> EngineOptions:
        return self.p.options

    # -- coverage -----------------------------------------------------------------------------

    def require_days(self, first: int, last: int, why: str) -> None:
        """Raise :class:`NotAvailable` unless the returns cover ``first..last``."""
        missing = self.p.missing_years(first, last)
        if missing:
            needed = ", ".join(year_label(y) for y in missing)
            raise NotAvailable(
                f"{why} needs 903 returns from {long_date(first)} to {long_date(last)}: "
                f"add the {needed} return{'s' if len(missing) > 1 else ''}"
            )

    def require_table(self, table: str, first: int, last: int, why: str) -> None:
        """Raise :class:`NotAvailable` unless each year overlapping ``first..last`` has ``table``."""
        lacking = self.p.years_without(table, first, last)
        if lacking:
            labels = ", ".join(year_label(y) for y in lacking)
            verb = "returns lack" if len(lacking) > 1 else "return lacks"
            raise NotAvailable(f"{why} needs the {table} table, which the {labels} {verb}")

    # -- snapshot -----------------------------------------------------------------------------

    @cached_property
    def cla(self) -> np.ndarray:
        """Episode rows of the children looked after on the last day (short breaks left out)."""
        self.require_days(self.end, self.end, "a figure on the period's last day")
        return self.p.looked_after_on(self.end)

    @cached_property
    def cla_child(self) -> np.ndarray:
        return self.p.e_child[self.cla]

    @cached_property
    def cla_eff(self) -> np.ndarray:
        """The rows whose placement counts (the placement before a temporary one)."""
        return self.p.e_eff[self.cla]

    @cached_property
    def cla_age(self) -> np.ndarray:
        return age_on(self.p.dob[self.cla_child], self.end)

    def snapshot(self, flags: np.ndarray, kind: Kind = "count", **extra: np.ndarray) -> Measure:
        """A measure over the children looked after at the end: ``flags`` per child."""
        return Measure(
            kind,
            self.cla_child,
            flags,
            np.ones(len(self.cla), dtype=bool) if kind == "percent" else None,
            episode=self.cla,
            extra=dict(extra),
        )

    # -- flows --------------------------------------------------------------------------------

    @cached_property
    def starts(self) -> np.ndarray:
        """Row of each child's first start of care in the period (short-break periods left out)."""
        self.require_days(self.start, self.end, "a count over the period")
        p = self.p
        first = p.poc_first
        chosen = first[
            p.poc_start_known
            & ~p.poc_all_short
            & (p.e_decom[first] >= self.start)
            & (p.e_decom[first] <= self.end)
        ]
        if len(chosen) > 1:
            child = p.e_child[chosen]
            chosen = chosen[run_starts(child)]
        return chosen

    @cached_property
    def cessations(self) -> np.ndarray:
        """Row of each child's last cessation in the period (REC not X1; short-break periods
        left out). Episodes closed by the multi-year fix (E99) are not cessations."""
        self.require_days(self.start, self.end, "a count over the period")
        p = self.p
        last = p.poc_last
        rec = p.e_rec[last]
        chosen = last[
            (p.e_dec[last] != OPEN)
            & (p.e_dec[last] >= self.start)
            & (p.e_dec[last] <= self.end)
            & (rec >= 0)
            & (rec != REC_CODES.index("X1"))
            & (rec != REC_CODES.index(EPISODE_FIX_REC))
            & ~p.poc_all_short
        ]
        if len(chosen) > 1:
            child = p.e_child[chosen]
            chosen = chosen[run_ends(child)]
        return chosen

    @cached_property
    def unknown_cessations(self) -> int:
        """Periods of care closed by the multi-year fix (E99) whose end falls in the period."""
        p = self.p
        last = p.poc_last
        fixed = p.e_rec[last] == REC_CODES.index(EPISODE_FIX_REC)
        end = p.e_end[last]
        return int(np.count_nonzero(fixed & (end >= self.start) & (end <= self.end)))

    def cessation_notes(self) -> list[str]:
        count = self.unknown_cessations
        if not count:
            return []
        return [
            f"{count} {'child' if count == 1 else 'children'} left open in an older return "
            "and missing from the next one are not counted as leaving care: check the later "
            "return"
        ]

    # -- windows ------------------------------------------------------------------------------

    def window_start(self, years: int) -> int:
        """First day of the ``years`` years ending on the period's last day."""
        return add_years(self.end, -years) + 1
