"""What narrative templates can use: names and functions over one report's indicator results.

Every function returns plain text, already in the house number style; none raises for a missing
figure (it says the figure is unavailable instead). Templates call them as ``{{ say("id", "...") }}``.
"""

from __future__ import annotations

from typing import Any

from reportgen.core.authorities import display_name, lookup
from reportgen.core.formatting import format_date, format_duration, format_value, is_missing, whole
from reportgen.indicators import registry
from reportgen.indicators.result import IndicatorResult
from reportgen.report import narrative as nv
from reportgen.report.context import Context

REASONS = (
    ("ceased_adopted", "were adopted"),
    ("ceased_sgo", "left on a special guardianship order"),
    (
        "ceased_returned_home",
        "returned home to their parents or others with parental responsibility",
    ),
    ("ceased_independent_living", "moved into independent living"),
    (
        "ceased_other",
        "left care for other reasons, including turning 18 and staying with their carers",
    ),
)
PLACEMENTS = (
    ("placement_foster_pct", "in foster placements"),
    ("placement_childrens_homes_pct", "in secure or children's homes"),
    (
        "placement_supported_accommodation_pct",
        "in independent or semi-independent living or supported accommodation",
    ),
    ("placement_with_parents_pct", "placed with parents"),
)
ADOPTION_STAGES = (
    (
        "adoption_entry_to_decision_days",
        "from entering care to the decision that they should be adopted",
    ),
    ("adoption_decision_to_match_days", "from that decision to being matched with adopters"),
    ("adoption_entry_to_placed_days", "from entering care to moving in with their adoptive family"),
)


class NarrativeContext:
    """Template functions bound to one report's results (see :meth:`as_dict`)."""

    def __init__(self, context: Context):
        self.c = context
        self.s = context.s

    # --- lookups -----------------------------------------------------------------------------
    def result(self, indicator_id: str) -> IndicatorResult:
        """The indicator's result (a template error names an unknown id)."""
        if indicator_id not in self.s:
            raise KeyError(f"unknown indicator id '{indicator_id}'")
        return self.s[indicator_id]

    def has(self, indicator_id: str) -> bool:
        """True when the indicator has a value for the period."""
        return indicator_id in self.s and not is_missing(self.s[indicator_id].value)

    def value(self, indicator_id: str) -> str:
        """The formatted value (or why it is unavailable)."""
        r = self.result(indicator_id)
        return format_value(r.value, r.unit, r.marker)

    def change(self, indicator_id: str) -> str:
        """Change since the previous period, e.g. "a decrease from 725 in 2023-24" ('' if none)."""
        r = self.result(indicator_id)
        return nv.change_clause(r, r.previous_period or self.c.prev)

    def compare(self, indicator_id: str) -> str:
        """Position against England and neighbours ('' if none)."""
        return nv.comparator_clause(self.result(indicator_id))

    def say(self, indicator_id: str, lead: str) -> str:
        """A full sentence: ``lead`` with ``{value}``, the change, five years, the comparison."""
        return about(indicator_id) + nv.indicator_sentence(
            self.result(indicator_id), lead, self.c.prev
        )

    def unavailable(self, indicator_id: str) -> str:
        """Why the indicator's figure is not available."""
        return about(indicator_id) + nv.unavailable_sentence(self.result(indicator_id), self.c.prev)

    @staticmethod
    def table_ids(name: str) -> str:
        """The ids a comparison table shows, as declared in the registry (``Indicator.shown``),
        for ``[table: <caption> | {{ table_ids("<name>") }}]``."""
        return ", ".join(ind.id for ind in registry.shown_in(name))

    @staticmethod
    def clause(text: str, joiner: str = ", ") -> str:
        """``joiner + text`` when there is text, else ''."""
        return f"{joiner}{text}" if text else ""

    # --- composite sentences -----------------------------------------------------------------
    def flows(self) -> str:
        """Children who started and ceased to be looked after in the period."""
        parts = []
        for indicator_id, verb in (("started", "started"), ("ceased", "ceased")):
            r = self.result(indicator_id)
            if is_missing(r.value):
                parts.append(
                    f"the number of children who {verb} to be looked after is not available"
                )
                continue
            change = self.change(indicator_id)
            parts.append(
                f"{nv.count_phrase(r.value, 'children')} {verb} to be looked after"
                + (f" ({change})" if change else "")
            )
        return about("started", "ceased") + nv.sentence(
            f"During {self.c.period}, " + " and ".join(parts)
        )

    def reasons_ceased(self) -> str:
        """Why children ceased to be looked after, from the DfE reason groups."""
        ceased = self.result("ceased")
        if is_missing(ceased.value):
            return nv.sentence(
                f"The reasons children ceased to be looked after in {self.c.period} are not available"
            )
        known, withheld = [], []
        for indicator_id, words in REASONS:
            r = self.result(indicator_id)
            if is_missing(r.value):
                withheld.append(words.split(" ", 1)[1] if words.startswith("were ") else words)
            else:
                figure = format_value(r.value, "count") if whole(r.value) else "none"
                known.append(f"{figure} {words}")
        text = f"Of the {format_value(ceased.value, 'count')} children who ceased to be looked after in {self.c.period}, "
        text += _and_list(known) if known else "the reasons were not published"
        if withheld and self.c.params.source == "published":
            text += (
                f". The DfE did not publish the number who {_and_list(withheld, 'or')}, "
                "to protect confidentiality"
            )
        elif withheld:  # our own disclosure control (reportgen.analysis.suppression)
            text += (
                f". The number who {_and_list(withheld, 'or')} is withheld to protect "
                "confidentiality (a small number, or one from which a small number could be "
                "worked out)"
            )
        return about(*(i for i, _ in REASONS)) + nv.sentence(text)

    def placement_mix(self) -> str:
        """The main placement types at the period end, with England for comparison."""
        end = format_date(self.c.params.period_obj.end)
        parts = []
        for indicator_id, words in PLACEMENTS:
            if not self.has(indicator_id):
                continue
            r = self.result(indicator_id)
            england = (
                f" (England: {format_value(r.england, r.unit)})"
                if not is_missing(r.england)
                else ""
            )
            parts.append(f"{format_value(r.value, r.unit)} were {words}{england}")
        if not parts:
            return nv.sentence(
                f"The placement types of children looked after at {end} are not available"
            )
        return nv.sentence(
            f"At {end}, " + _and_list(parts).replace(" were ", " of children looked after were ", 1)
        )

    def adoption_stages(self) -> str:
        """England's average time between the stages of adoption (published nationally only)."""
        total = (
            self.s["adoption_entry_to_adopted_days"]
            if "adoption_entry_to_adopted_days" in self.s
            else None
        )
        if total is None or is_missing(total.england):
            return ""
        stages = [
            f"{format_duration(self.s[i].england)} {words}"
            for i, words in ADOPTION_STAGES
            if i in self.s and not is_missing(self.s[i].england)
        ]
        text = (
            f"Nationally, children adopted in {self.c.period} waited on average "
            f"{format_duration(total.england)} between entering care and being adopted"
        )
        if stages:
            text += ": " + _and_list(stages)
        return nv.sentence(text)

    def as_dict(self) -> dict[str, Any]:
        """The names a template sees."""
        params = self.c.params
        period = params.period_obj
        return {
            "authority": params.authority_name,
            "period": params.period,
            "period_title": period.title,
            "start_date": format_date(period.start),
            "end_date": format_date(period.end),
            "prev": self.c.prev,
            "neighbours": [
                display_name(lookup(code).name) for code in params.statistical_neighbours
            ],
            "source": params.source,
            "committee": params.committee,
            "result": self.result,
            "about": about,
            "has": self.has,
            "value": self.value,
            "change": self.change,
            "compare": self.compare,
            "say": self.say,
            "unavailable": self.unavailable,
            "clause": self.clause,
            "table_ids": self.table_ids,
            "flows": self.flows,
            "reasons_ceased": self.reasons_ceased,
            "placement_mix": self.placement_mix,
            "adoption_stages": self.adoption_stages,
            "and_list": _and_list,
            "count": lambda indicator_id, noun: nv.count_phrase(
                self.result(indicator_id).value, noun, self.result(indicator_id).marker
            ),
        }


ANCHOR = "\u27e6{}\u27e7"
"""Invisible-to-the-reader mark ``⟦id⟧`` that ties a paragraph to the indicators it explains;
``reportgen.report.templating.parse_blocks`` removes it and records the ids on the paragraph."""


def about(*indicator_ids: str) -> str:
    """Mark the paragraph as explaining these indicators (for key-message references)."""
    return "".join(ANCHOR.format(i) for i in indicator_ids)


def _and_list(items: list[str], conjunction: str = "and") -> str:
    """``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
