"""Body plans: which sections each committee layout has, in which order, under which headings.

A plan is data: a list of :class:`PlanItem`. Each item is a headed section whose blocks come from
named *parts* (``reportgen.assemble.PARTS``: "purpose", "background", "conclusions" ...), and
whose *children* are whole family sections ("sufficiency", "adoption", "care_leavers") placed
under it one level down. An item with no heading and one child puts that family section at the
top level. Adding a layout is adding a plan here and a rendering spec in ``reportgen.docx.layouts``.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.errors import TemplateError


@dataclass(frozen=True)
class PlanItem:
    """One section of a layout's body.

    Parameters
    ----------
    heading
        Section heading; ``None`` for a family section placed at the top level.
    parts
        Names of the content parts whose blocks fill the section, in order.
    children
        Family sections placed under this heading (one level down), or at the top level when
        ``heading`` is None.
    """

    heading: str | None
    parts: tuple[str, ...] = ()
    children: tuple[str, ...] = ()


COUNTY_SCRUTINY = (
    PlanItem("Purpose of report", ("purpose",)),
    PlanItem("Background", ("background",)),
    PlanItem(None, children=("sufficiency",)),
    PlanItem(None, children=("adoption",)),
    PlanItem(None, children=("care_leavers",)),
    PlanItem("Conclusions", ("conclusions",)),
    PlanItem("Recommendations", ("recommendations",)),
    PlanItem("Background Papers", ("background_papers",)),
    PlanItem("Circulation under the Local Issues Alert Procedure", ("circulation",)),
    PlanItem("Equality and Human Rights Implications", ("equality",)),
    PlanItem("Appendices", ("appendices_list",)),
)
"""The Leicestershire county scrutiny paper."""

PLANS: dict[str, tuple[PlanItem, ...]] = {"county-scrutiny": COUNTY_SCRUTINY}


def get_plan(layout: str) -> tuple[PlanItem, ...]:
    """The body plan of ``layout``.

    Raises
    ------
    TemplateError
        For a layout with no plan.
    """
    try:
        return PLANS[layout]
    except KeyError:
        raise TemplateError(
            f"layout '{layout}' has no body plan: choose one of {', '.join(sorted(PLANS))}"
        ) from None
