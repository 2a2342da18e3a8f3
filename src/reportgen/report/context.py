"""What every content part of a report sees: params, indicator results, charts folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.core.config import ReportParams
from reportgen.indicators.result import IndicatorResult, SectionResult
from reportgen.model import Appendix


class Results:
    """Lookup of indicator results across the three families.

    Parameters
    ----------
    sections
        Each family's :class:`SectionResult`, keyed by family.
    """

    def __init__(self, sections: dict[str, SectionResult]):
        self.sections = sections
        self.by_id = {r.id: r for s in sections.values() for r in s.indicators}

    def __getitem__(self, indicator_id: str) -> IndicatorResult:
        return self.by_id[indicator_id]

    def __contains__(self, indicator_id: str) -> bool:
        return indicator_id in self.by_id

    def present(self, ids: tuple[str, ...]) -> list[IndicatorResult]:
        """The results for those of ``ids`` that exist, in order."""
        return [self.by_id[i] for i in ids if i in self.by_id]


@dataclass
class Context:
    """Everything a content part needs to write its blocks.

    Parameters
    ----------
    params
        The validated report parameters.
    s
        The indicator results.
    work_dir
        Folder of the charts the notebooks drew.
    prev
        Label of the previous period ("2023-24").
    appendices
        The report's appendices (set by the assembler after the body is laid out).
    appendix_titles
        ``(letter, title)`` of each appendix the report will have, known before the body is
        laid out (the body lists them).
    shown
        Ids of the indicators shown in the body's tables, in order (filled while laying out).
    narrative
        The narrative renderer (``reportgen.report.assemble.Narrative``) parts call for their text.
    extra
        Data parts load once and share (the outlook: ``work/outlook.json``).
    """

    params: ReportParams
    s: Results
    work_dir: Path
    prev: str
    appendices: list[Appendix] = field(default_factory=list)
    appendix_titles: list[tuple[str, str]] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)
    narrative: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The authority's name."""
        return self.params.authority_name

    @property
    def period(self) -> str:
        """The period label."""
        return self.params.period.label
