"""What changed since the last paper, from the two runs' indicator JSON (not from text diffs).

A paper's run keeps its indicators in ``work/<family>.json`` beside the .docx
(:class:`reportgen.indicators.result.SectionResult`). Comparing two runs gives:

- the **figures that moved**: an indicator whose figure, as the paper shows it (rounded, with
  its marker), differs between the two runs, or that became available or unavailable;
- the **sentences whose meaning changed**: an indicator whose direction since the previous
  period (rose, fell, did not change) or whose position against England or the statistical
  neighbour average (higher, lower, about the same) is not what the last paper said. These
  follow the words the narrative uses (:func:`reportgen.report.narrative.relation`), so a
  figure that moved but still "fell" and is still "lower than England" is not listed here.

``reportgen compare`` and ``reportgen report --since`` put these lines at the top of the
tracked-changes copy of the new paper.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from reportgen.core.errors import DataError
from reportgen.core.formatting import format_value, is_missing, whole
from reportgen.indicators.result import IndicatorResult, SectionResult
from reportgen.report.narrative import relation

FAMILY_ORDER = ("sufficiency", "adoption", "care_leavers")
"""The order the families appear in a paper; other families follow, by name."""

DEFAULT_LIMIT = 25
"""How many moved figures the list shows; the rest are counted ("and 40 more")."""


@dataclass(frozen=True)
class RunIndicators:
    """The indicators of one paper's run, in paper order.

    Attributes
    ----------
    period
        The period label of the run ("2024-25").
    authority
        The authority's name.
    indicators
        Indicator id to its result, in the order the paper shows the families.
    """

    period: str
    authority: str
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)


def work_folder(docx: Path) -> Path:
    """The ``work/`` folder of the run that wrote ``docx`` (beside it)."""
    return Path(docx).parent / "work"


def load_run(docx: Path) -> RunIndicators:
    """Read the indicator JSON of the run that wrote ``docx``.

    Parameters
    ----------
    docx
        A paper written by ``reportgen report``; its run's ``work/*.json`` are beside it.

    Returns
    -------
    RunIndicators
        Every indicator of the run's family files (files without indicators, such as the
        forecast's ``outlook.json``, are skipped).

    Raises
    ------
    DataError
        When no indicator JSON is beside the paper, or a file is not valid indicator JSON.
    """
    folder = work_folder(docx)
    sections: list[SectionResult] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DataError(f"{path} is not readable JSON ({error}): rerun the report") from error
        if not isinstance(data, dict) or "indicators" not in data:
            continue
        try:
            sections.append(SectionResult.model_validate(data))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise DataError(
                f"{path} is not indicator JSON ({where}: {first['msg']}): rerun the report"
            ) from error
    if not sections:
        raise DataError(
            f"no indicator JSON beside {docx} (expected {folder}/<family>.json, written by "
            "'reportgen report'): compare papers in the folders their runs wrote"
        )

    def rank(section: SectionResult) -> tuple[int, str]:
        known = section.family in FAMILY_ORDER
        return (FAMILY_ORDER.index(section.family) if known else len(FAMILY_ORDER), section.family)

    sections.sort(key=rank)
    indicators = {r.id: r for s in sections for r in s.indicators}
    return RunIndicators(sections[0].period, sections[0].authority_name, indicators)


def shown(result: IndicatorResult) -> str:
    """The figure as the paper shows it: ``"725"``, ``"60%"``, or why it is missing."""
    return format_value(result.value, result.unit, result.marker)


@dataclass(frozen=True)
class FigureMove:
    """An indicator whose shown figure differs between the two runs."""

    id: str
    title: str
    old: str
    new: str
    old_period: str
    new_period: str

    @property
    def text(self) -> str:
        """``"694 in 2024-25 (725 in 2023-24)"``; ``"694 (the last report said 725)"`` when
        both runs are of the same period (revised figures)."""
        if self.old_period == self.new_period:
            return f"{self.new} (the last report said {self.old})"
        return f"{self.new} in {self.new_period} ({self.old} in {self.old_period})"


ASPECTS = {
    "change": "Since the period before",
    "england": "Against England",
    "neighbours": "Against the statistical neighbour average",
    "available": "The figure",
}
"""How each kind of statement opens its sentence."""


@dataclass(frozen=True)
class MeaningChange:
    """A statement about an indicator that the new paper makes differently."""

    id: str
    title: str
    aspect: str
    """``"change"`` (since the previous period), ``"england"``, ``"neighbours"``, or
    ``"available"`` (the figure became available or unavailable; not also a :class:`FigureMove`)."""
    old: str
    new: str

    @property
    def text(self) -> str:
        """``"Since the period before it fell (725 to 694); the last report said it rose (681 to
        725)."``, ``"Against England it is higher (14% against 12%); the last report had it about
        the same (10% against 10%)."``"""
        if self.aspect == "available":
            return f"The figure is {self.new}; in the last report it was {self.old}."
        if self.aspect == "change":
            return f"Since the period before it {self.new}; the last report said it {self.old}."
        return f"{ASPECTS[self.aspect]} it is {self.new}; the last report had it {self.old}."


@dataclass(frozen=True)
class Changes:
    """The figures that moved and the statements whose meaning changed."""

    old_period: str
    new_period: str
    figures: tuple[FigureMove, ...] = ()
    meanings: tuple[MeaningChange, ...] = ()
    order: tuple[str, ...] = ()
    """Every compared indicator id, in the new paper's order."""

    def lines(self, limit: int = DEFAULT_LIMIT) -> list[str]:
        """The list as plain sentences, one an indicator, in paper order.

        An indicator whose statements changed meaning is always listed; of those whose figure
        only moved, the first ``limit`` are, then how many more there are.

        Examples
        --------
        >>> move = FigureMove("x", "Children looked after", "725", "694", "2023-24", "2024-25")
        >>> turn = MeaningChange("x", "Children looked after", "change", "rose (681 to 725)",
        ...                      "fell (725 to 694)")
        >>> Changes("2023-24", "2024-25", (move,), (turn,)).lines()
        ['Children looked after: 694 in 2024-25 (725 in 2023-24). Since the period before it fell (725 to 694); the last report said it rose (681 to 725).']
        """
        rank = {key: n for n, key in enumerate(self.order)}
        titles = {item.id: item.title for item in (*self.figures, *self.meanings)}
        order = sorted(titles, key=lambda key: (rank.get(key, len(rank)), key))
        moved = {f.id: f for f in self.figures}
        turned: dict[str, list[MeaningChange]] = {}
        for m in self.meanings:
            turned.setdefault(m.id, []).append(m)
        out: list[str] = []
        left_out = 0
        shown_moves = 0
        for key in order:
            if key not in turned:
                if shown_moves >= limit:
                    left_out += 1
                    continue
                shown_moves += 1
            parts = [f"{titles[key]}:"]
            if key in moved:
                parts.append(f"{moved[key].text}.")
            parts += [m.text for m in turned.get(key, [])]
            out.append(" ".join(parts))
        if left_out:
            out.append(
                f"And {left_out} more figure{'s' if left_out != 1 else ''} moved: the tracked "
                "changes show each one."
            )
        if not out:
            out.append("No figure moved and no statement changed its meaning.")
        return out


def _direction(result: IndicatorResult) -> str | None:
    """``"rose"``, ``"fell"`` or ``"did not change"`` since the previous period, on the figures as
    shown (rounded to whole numbers, as :func:`reportgen.report.narrative.change_clause`);
    ``None`` when either figure is missing."""
    if is_missing(result.value) or is_missing(result.previous):
        return None
    assert result.value is not None and result.previous is not None
    now, before = whole(result.value), whole(result.previous)
    if now == before:
        return "did not change"
    return "rose" if now > before else "fell"


def _position(result: IndicatorResult, other: float | None) -> str | None:
    """``"higher"``, ``"lower"`` or ``"about the same"`` against a comparator (the narrative's
    "similar to" and "the same as" mean the same to a reader); ``None`` for counts (never
    compared) and missing figures."""
    if result.unit == "count" or is_missing(result.value) or is_missing(other):
        return None
    assert result.value is not None and other is not None
    words = relation(result.value, other, result.unit)
    return {"higher than": "higher", "lower than": "lower"}.get(words, "about the same")


def _meaning_changes(old: IndicatorResult, new: IndicatorResult) -> list[MeaningChange]:
    """What the new run says differently about one indicator."""
    found: list[MeaningChange] = []
    old_there, new_there = not is_missing(old.value), not is_missing(new.value)
    if old_there != new_there:
        found.append(
            MeaningChange(
                new.id,
                new.title,
                "available",
                shown(old),
                shown(new),
            )
        )
        return found
    if not new_there:
        return found
    before, now = _direction(old), _direction(new)
    if before and now and before != now:

        def moved(r: IndicatorResult, word: str) -> str:
            if word == "did not change":
                return f"{word} ({shown(r)})"
            return f"{word} ({format_value(r.previous, r.unit)} to {shown(r)})"

        found.append(
            MeaningChange(new.id, new.title, "change", moved(old, before), moved(new, now))
        )
    for aspect, attr in (("england", "england"), ("neighbours", "sn_mean")):
        was, now_pos = _position(old, getattr(old, attr)), _position(new, getattr(new, attr))
        if was and now_pos and was != now_pos:

            def against(r: IndicatorResult, word: str, attr: str = attr) -> str:
                return f"{word} ({shown(r)} against {format_value(getattr(r, attr), r.unit)})"

            found.append(
                MeaningChange(new.id, new.title, aspect, against(old, was), against(new, now_pos))
            )
    return found


def headline_ids() -> frozenset[str]:
    """The indicators a paper's comparison tables show (the figures a reader sees and quotes);
    the breakdowns behind them (by age, legal status, ...) are left to the tracked changes."""
    from reportgen.indicators.registry import REGISTRY, TABLES

    return frozenset(i.id for i in REGISTRY.values() if any(s.where in TABLES for s in i.shown))


def compare_runs(
    old: RunIndicators, new: RunIndicators, ids: Collection[str] | None = None
) -> Changes:
    """The figures that moved and the statements whose meaning changed, from ``old`` to ``new``.

    Only indicators in both runs are compared, in the new paper's order.

    Parameters
    ----------
    old, new
        The last paper's run and this paper's run (:func:`load_run`).
    ids
        Compare only these indicators (default: every one in both runs).

    Returns
    -------
    Changes
        With the moved figures and the meaning changes.
    """
    figures: list[FigureMove] = []
    meanings: list[MeaningChange] = []
    for key, now in new.indicators.items():
        before = old.indicators.get(key)
        if before is None or (ids is not None and key not in ids):
            continue
        if shown(before) != shown(now) and is_missing(before.value) == is_missing(now.value):
            figures.append(
                FigureMove(key, now.title, shown(before), shown(now), old.period, new.period)
            )
        meanings.extend(_meaning_changes(before, now))
    return Changes(old.period, new.period, tuple(figures), tuple(meanings), tuple(new.indicators))


def compare_papers(old_docx: Path, new_docx: Path) -> Changes:
    """:func:`compare_runs` of the runs that wrote two papers, on the :func:`headline_ids`."""
    return compare_runs(load_run(old_docx), load_run(new_docx), headline_ids())


def heading(changes: Changes) -> str:
    """``"Changes since the last report (2023-24)"``."""
    return f"Changes since the last report ({changes.old_period})"


__all__: list[str] = [
    "Changes",
    "FigureMove",
    "MeaningChange",
    "RunIndicators",
    "compare_papers",
    "compare_runs",
    "heading",
    "headline_ids",
    "load_run",
]
