"""Build the :class:`~reportgen.model.Report` from params and the notebooks' section results.

The body follows the county scrutiny paper (Leicestershire): Purpose of report, Background,
one section per family, Conclusions, Recommendations, Background Papers, Circulation under the
Local Issues Alert Procedure, Equality and Human Rights Implications, Appendices, Officer(s) to
Contact; Appendix A "Data and definitions", Appendix B full indicator tables.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportgen import narrative as nv
from reportgen.authorities import lookup
from reportgen.config import ReportParams
from reportgen.errors import TemplateError
from reportgen.formatting import MARKER_CELL, MARKER_TEXT, format_cell, format_date, format_value
from reportgen.formatting import is_missing as missing
from reportgen.indicators import registry
from reportgen.indicators.result import IndicatorResult, SectionResult
from reportgen.model import Appendix, Block, Figure, Officer, Paragraph, Report, Section, Table
from reportgen.periods import year_label
from reportgen.plans import PlanItem, get_plan
from reportgen.report_context import Context, Results
from reportgen.standard_parts import STANDARD_PARTS

SOURCE_TITLES = {
    "cla_number_and_rate_per_10k_children": "CLA numbers and rates",
    "la_children_who_ceased_during_the_year": "Children who ceased",
    "la_children_who_started_to_be_looked_after_during_the_year": "Children who started",
    "la_cla_on_31_march_by_characteristics": "CLA at 31 March by characteristics",
    "la_cla_placement_stability": "Placement stability",
    "la_cla_during_year_new_placements": "New placements in the year",
    "la_care_leavers_activity": "Care leavers' activity",
    "la_care_leavers_accommodation_suitability": "Care leavers' accommodation",
    "la_care_leavers_intouch": "Care leavers in touch (2024 release)",
    "la_care_leavers_stayput": "Staying Put (2024 release)",
    "la_children_who_ceased_during_the_year_sgo_adoption": "Adoptions and SGOs (2024 release)",
    "national_cla_adopted_average_time_between_adoption_process_stages": "Adoption stages (England)",
}
"""Short names of the DfE tables for the appendix (the file names are in run.json)."""

SOURCE_LINE = (
    "Source: DfE, Children looked after in England including adoptions. Neighbours: mean of the "
    "ten statistical neighbours (DfE model 2025) with a published figure."
)
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
FAMILY_HEADINGS = {
    "sufficiency": "Children in care and placement sufficiency",
    "adoption": "Adoption and special guardianship",
    "care_leavers": "Care leavers",
}
SUFFICIENCY_TABLE = (
    "cla_at_end",
    "cla_rate_per_10k",
    "started",
    "started_rate_per_10k",
    "ceased",
    "ceased_rate_per_10k",
    "stability_3plus_pct",
    "stability_long_term_pct",
    "placed_over_20_miles_pct",
    "placed_outside_la_pct",
    "uasc_at_end",
)
PLACEMENT_TABLE = (
    "placement_foster_pct",
    "placement_childrens_homes_pct",
    "placement_supported_accommodation_pct",
    "placement_with_parents_pct",
    "placement_placed_for_adoption_pct",
    "placement_other_residential_pct",
    "placement_residential_schools_pct",
    "placement_other_pct",
)
ADOPTION_TABLE = ("adopted", "adopted_pct_of_ceased", "sgo", "sgo_pct_of_ceased")
CARE_LEAVER_TABLE = (
    "cl_17_18_count",
    "cl_17_18_in_touch_pct",
    "cl_17_18_eet_pct",
    "cl_17_18_suitable_accom_pct",
    "cl_19_21_count",
    "cl_19_21_in_touch_pct",
    "cl_19_21_eet_pct",
    "cl_19_21_neet_pct",
    "cl_19_21_suitable_accom_pct",
    "staying_put_18_pct",
    "staying_put_19_20_pct",
)


def comparison_table(
    results: list[IndicatorResult], authority: str, period: str, previous: str, caption: str
) -> Table:
    """Authority (this and last period), England and statistical neighbours, one row each."""
    rows = tuple(
        (
            r.title,
            format_cell(r.value, r.unit, r.marker),
            format_cell(r.previous, r.unit, r.previous_marker),
            format_cell(r.england, r.unit, r.england_marker),
            format_cell(r.sn_mean, r.unit) if r.sn_n else "n/a",
        )
        for r in results
    )
    return Table(
        caption=caption,
        columns=("Indicator", period, previous, f"England {period}", f"Neighbours {period}"),
        rows=rows,
        numeric_columns=(1, 2, 3, 4),
        source=SOURCE_LINE,
    )


def trend_table(results: list[IndicatorResult], caption: str, period: str) -> Table:
    """Five-year trend for the authority, with England and neighbours for the latest year."""
    years = list(results[0].trend) if results else []
    rows = tuple(
        (r.title,)
        + tuple(format_cell(r.trend.get(y), r.unit, None) for y in years)
        + (
            format_cell(r.england, r.unit, r.england_marker),
            format_cell(r.sn_mean, r.unit) if r.sn_n else "n/a",
        )
        for r in results
    )
    return Table(
        caption=caption,
        columns=("Indicator", *years, "England", "SN avg."),
        rows=rows,
        numeric_columns=tuple(range(1, len(years) + 3)),
        source=SOURCE_LINE,
    )


def _figures(section: SectionResult, work_dir: Path) -> list[Figure]:
    return [
        Figure(caption=c.caption, image=work_dir / c.file, alt_text=c.alt_text)
        for c in section.charts
    ]


def _p(text: str) -> Paragraph:
    return Paragraph(nv.sentence(text))


def sufficiency_section(s: Results, params: ReportParams, work_dir: Path, prev: str) -> Section:
    """Children in care: numbers, flows, reasons ceased, placements, stability, distance."""
    name, period = params.authority_name, params.period
    end = format_date(params.period_obj.end)
    blocks: list = []
    cla, rate = s["cla_at_end"], s["cla_rate_per_10k"]
    if missing(cla.value):
        blocks.append(Paragraph(nv.unavailable_sentence(cla, prev)))
    else:
        text = f"At {end} there were {format_value(cla.value, 'count')} children looked after by {name}"
        change = nv.change_clause(cla, prev)
        blocks.append(_p(text + (f", {change}" if change else "")))
    blocks.append(
        Paragraph(
            nv.indicator_sentence(
                rate,
                "This is a rate of {value} children looked after per 10,000 children aged under 18",
                prev,
            )
        )
    )
    started, ceased = s["started"], s["ceased"]
    flows = []
    for r, verb in ((started, "started"), (ceased, "ceased")):
        if missing(r.value):
            flows.append(f"the number of children who {verb} to be looked after is not available")
            continue
        change = nv.change_clause(r, prev)
        flows.append(
            f"{format_value(r.value, 'count')} children {verb} to be looked after"
            + (f" ({change})" if change else "")
        )
    blocks.append(_p(f"During {period}, " + " and ".join(flows)))
    blocks.append(
        Paragraph(
            nv.indicator_sentence(
                s["started_rate_per_10k"],
                "The rate of children starting to be looked after was {value} per 10,000 children",
                prev,
            )
        )
    )
    blocks.append(Paragraph(_reasons_ceased(s, period)))
    blocks.extend(_figures(s.sections["sufficiency"], work_dir)[:1])
    blocks.append(Paragraph(_placement_mix(s, end)))
    blocks.append(
        Paragraph(
            nv.indicator_sentence(
                s["stability_3plus_pct"],
                "Short-term placement stability: {value} of children looked after at "
                f"{end} had three or more placements during the year",
                prev,
            )
        )
    )
    blocks.append(
        Paragraph(
            nv.indicator_sentence(
                s["stability_long_term_pct"],
                "Long-term placement stability: of children under 16 who had been looked after "
                "for at least two and a half years, {value} had lived with the same carer "
                "for at least two years",
                prev,
            )
        )
    )
    for indicator_id, lead in (
        (
            "placed_over_20_miles_pct",
            "{value} of children looked after were placed more than 20 miles from home",
        ),
        ("placed_outside_la_pct", "{value} were placed outside the authority's boundary"),
    ):
        blocks.append(Paragraph(nv.indicator_sentence(s[indicator_id], lead, prev)))
    uasc = s["uasc_at_end"]
    if missing(uasc.value):
        blocks.append(Paragraph(nv.unavailable_sentence(uasc, prev)))
    else:
        change = nv.change_clause(uasc, prev)
        blocks.append(
            _p(
                f"{format_value(uasc.value, 'count')} of the children looked after at {end} were "
                "unaccompanied asylum-seeking children" + (f", {change}" if change else "")
            )
        )
    blocks.append(
        comparison_table(
            s.present(SUFFICIENCY_TABLE),
            name,
            period,
            prev,
            f"Children looked after in {name}: key indicators, {period}",
        )
    )
    blocks.extend(_figures(s.sections["sufficiency"], work_dir)[1:])
    blocks.append(
        comparison_table(
            s.present(PLACEMENT_TABLE),
            name,
            period,
            prev,
            f"Children looked after at {end} by placement type (per cent)",
        )
    )
    return Section(FAMILY_HEADINGS["sufficiency"], blocks)


def _reasons_ceased(s: Results, period: str) -> str:
    ceased = s["ceased"]
    parts = []
    for indicator_id, words in (
        ("ceased_adopted", "were adopted"),
        ("ceased_sgo", "left on a special guardianship order"),
        (
            "ceased_returned_home",
            "returned home to live with their parents or others with parental responsibility",
        ),
        ("ceased_independent_living", "moved into independent living"),
        (
            "ceased_other",
            "left care for other reasons, including turning 18 and staying with their carers",
        ),
    ):
        r = s[indicator_id]
        if missing(r.value):
            parts.append(
                f"the number who {words.split(' ', 1)[1] if words.startswith('were') else words} is {format_value(None, 'count', r.marker)}"
            )
        else:
            parts.append(f"{format_value(r.value, 'count')} {words}")
    if missing(ceased.value):
        return nv.sentence(
            f"The reasons children ceased to be looked after in {period} are not available"
        )
    head = f"Of the {format_value(ceased.value, 'count')} children who ceased to be looked after in {period}, "
    return nv.sentence(head + ", ".join(parts[:-1]) + " and " + parts[-1])


def _placement_mix(s: Results, end: str) -> str:
    parts = []
    for indicator_id, words in (
        ("placement_foster_pct", "in foster placements"),
        ("placement_childrens_homes_pct", "in secure or children's homes"),
        (
            "placement_supported_accommodation_pct",
            "in independent or semi-independent living or supported accommodation",
        ),
        ("placement_with_parents_pct", "placed with parents"),
    ):
        if indicator_id not in s:
            continue
        r = s[indicator_id]
        if missing(r.value):
            continue
        england = f" (England: {format_value(r.england, r.unit)})" if not missing(r.england) else ""
        parts.append(f"{format_value(r.value, r.unit)} were {words}{england}")
    if not parts:
        return nv.sentence(
            f"The placement types of children looked after at {end} are not available"
        )
    return nv.sentence(
        f"Of the children looked after at {end}, "
        + ", ".join(parts[:-1])
        + (" and " if len(parts) > 1 else "")
        + parts[-1]
    )


def adoption_section(s: Results, params: ReportParams, work_dir: Path, prev: str) -> Section:
    """Adoptions and special guardianship orders."""
    name, period = params.authority_name, params.period
    blocks: list = [
        Paragraph(
            nv.indicator_sentence(
                s["adopted"],
                f"In {period}, {{value}} children were adopted from care in {name}",
                prev,
            )
        ),
        Paragraph(
            nv.indicator_sentence(
                s["adopted_pct_of_ceased"],
                "Adoptions were {value} of all children who ceased to be looked after",
                prev,
            )
        ),
        Paragraph(
            nv.indicator_sentence(
                s["sgo"],
                "{value} children left care on a special guardianship order",
                prev,
            )
        ),
    ]
    if "sgo_pct_of_ceased" in s:
        blocks.append(
            Paragraph(
                nv.indicator_sentence(
                    s["sgo_pct_of_ceased"],
                    "Special guardianship orders accounted for {value} of children leaving care",
                    prev,
                )
            )
        )
    blocks.append(
        _p(
            "The DfE does not publish adoption timeliness (the former adoption scorecard measures "
            "A1, A2 and A10) for each local authority; these measures need the authority's own "
            "SSDA903 return"
        )
    )
    blocks.extend(_figures(s.sections["adoption"], work_dir))
    blocks.append(
        comparison_table(
            s.present(ADOPTION_TABLE),
            name,
            period,
            prev,
            f"Adoption and special guardianship, {period}",
        )
    )
    return Section(FAMILY_HEADINGS["adoption"], blocks)


def care_leavers_section(s: Results, params: ReportParams, work_dir: Path, prev: str) -> Section:
    """Care leavers aged 17 to 21: in touch, activity, accommodation, staying put."""
    name, period = params.authority_name, params.period
    leads = (
        (
            "cl_19_21_eet_pct",
            "{value} of care leavers aged 19 to 21 were in education, employment or training around their birthday",
        ),
        (
            "cl_17_18_eet_pct",
            "{value} of care leavers aged 17 to 18 were in education, employment or training",
        ),
        (
            "cl_19_21_suitable_accom_pct",
            "{value} of care leavers aged 19 to 21 were living in suitable accommodation",
        ),
        (
            "cl_17_18_suitable_accom_pct",
            "{value} of care leavers aged 17 to 18 were living in suitable accommodation",
        ),
        (
            "cl_19_21_in_touch_pct",
            "The authority was in touch with {value} of care leavers aged 19 to 21",
        ),
        (
            "staying_put_18_pct",
            "{value} of young people who left a foster placement on their 18th birthday were staying put with their former foster carers",
        ),
    )
    blocks: list = [
        Paragraph(nv.indicator_sentence(s[i], lead, prev)) for i, lead in leads if i in s
    ]
    blocks.extend(_figures(s.sections["care_leavers"], work_dir))
    blocks.append(
        comparison_table(
            s.present(CARE_LEAVER_TABLE), name, period, prev, f"Care leavers in {name}, {period}"
        )
    )
    return Section(FAMILY_HEADINGS["care_leavers"], blocks)


def _conclusions(s: Results, params: ReportParams) -> list[Paragraph]:
    name = params.authority_name
    out = []
    rate = s["cla_rate_per_10k"]
    comparison = nv.comparator_clause(rate)
    if comparison:
        out.append(
            _p(
                f"The rate of children looked after in {name} "
                f"({format_value(rate.value, 'rate')} per 10,000) is {comparison}"
            )
        )
    for indicator_id, words in (
        ("stability_3plus_pct", "the share of children with three or more placements in the year"),
        (
            "cl_19_21_eet_pct",
            "the share of care leavers aged 19 to 21 in education, employment or training",
        ),
    ):
        r = s[indicator_id]
        comparison = nv.comparator_clause(r)
        if comparison:
            out.append(
                _p(
                    f"In {params.period}, {words} ({format_value(r.value, r.unit)}) was {comparison}"
                )
            )
    out.append(
        _p(
            "The figures in this report are the Department for Education's published statistics; "
            "local management information may show more recent changes"
        )
    )
    return out


def part_purpose(c: Context) -> list[Block]:
    """Why the report is written."""
    return [
        _p(
            f"The purpose of this report is to provide the Committee with an overview of "
            f"the sufficiency of placements for children in care, adoption and outcomes for "
            f"care leavers in {c.name} for {c.period}, using the Department for Education's "
            "published statistics, compared with England and with similar authorities"
        )
    ]


def part_background(c: Context) -> list[Block]:
    """The sufficiency duty, the data and the comparators."""
    neighbours = ", ".join(_neighbour_names(c.params))
    return [
        _p(
            "Section 22G of the Children Act 1989 requires local authorities to take steps "
            "to secure, as far as reasonably practicable, sufficient accommodation within "
            "their area to meet the needs of the children they look after"
        ),
        _p(
            f"The figures are for the year ending {format_date(c.params.period_obj.end)} and "
            "come from the Department for Education's statistical release Children looked "
            "after in England including adoptions. Rates and percentages are rounded to "
            "whole numbers, as the DfE publishes them; small numbers withheld by the DfE "
            "are shown as not published"
        ),
        _p(
            f"{c.name} is compared with England and with the average of its ten statistical "
            f"neighbours, the authorities most similar to it in the DfE's 2025 model: "
            f"{neighbours}"
        ),
    ]


def part_recommendations(c: Context) -> list[Block]:
    """What the Committee is asked to do."""
    return [
        _p(
            "The Committee is asked to note the contents of this report and to comment on "
            "the sufficiency of placements for children in care, adoption and the outcomes "
            "for care leavers"
        )
    ]


def part_equality(c: Context) -> list[Block]:
    """Equality and human rights implications."""
    return [
        _p(
            "There are no equality or human rights implications arising directly from this "
            "report. Children in care and care leavers are among the most vulnerable children "
            "and young people; the services described aim to meet their needs, taking into "
            "account race, language, culture, religion, sexual orientation and disability"
        )
    ]


def part_appendices_list(c: Context) -> list[Block]:
    """The list of appendices."""
    return [Paragraph(f"Appendix {a.letter}: {a.title}", numbered=False) for a in _appendices(c)]


def _appendices(c: Context) -> list[Appendix]:
    return [_appendix_a(c.s, c.params), _appendix_b(c.s, c.params)]


PARTS: dict[str, Callable[[Context], list[Block]]] = {
    "purpose": part_purpose,
    "background": part_background,
    "conclusions": lambda c: list(_conclusions(c.s, c.params)),
    "recommendations": part_recommendations,
    "background_papers": lambda c: [Paragraph(c.params.background_papers, numbered=False)],
    "circulation": lambda c: [Paragraph(c.params.circulation, numbered=False)],
    "equality": part_equality,
    "appendices_list": part_appendices_list,
    **STANDARD_PARTS,
}
"""Named content parts a layout's plan can place (reportgen.plans)."""

FAMILY_SECTIONS: dict[str, Callable[[Results, ReportParams, Path, str], Section]] = {
    "sufficiency": sufficiency_section,
    "adoption": adoption_section,
    "care_leavers": care_leavers_section,
}


def arrange(plan: tuple[PlanItem, ...], c: Context) -> list[Section]:
    """Lay the parts and family sections out in the order and headings of a plan."""
    body: list[Section] = []
    for item in plan:
        blocks: list[Block] = []
        for part in item.parts:
            if part not in PARTS:
                raise TemplateError(
                    f"layout plan names an unknown part '{part}': known parts are "
                    f"{', '.join(sorted(PARTS))}"
                )
            blocks.extend(PARTS[part](c))
        depth = 0
        if item.heading is not None:
            body.append(Section(item.heading, blocks))
            depth = 1
        for family in item.children:
            section = FAMILY_SECTIONS[family](c.s, c.params, c.work_dir, c.prev)
            section.level += depth
            body.append(section)
    return body


def build_report(
    params: ReportParams, sections: dict[str, SectionResult], work_dir: Path
) -> Report:
    """Assemble the whole paper for the params' layout.

    Parameters
    ----------
    params
        Validated report parameters.
    sections
        The three families' results, keyed by family.
    work_dir
        Folder holding the charts the sections refer to.
    """
    s = Results(sections)
    name, period = params.authority_name, params.period
    context = Context(params, s, work_dir, year_label(params.period_obj.collection_year - 1))
    context.appendices = [_appendix_a(s, params), _appendix_b(s, params)]
    body = arrange(get_plan(params.layout), context)
    return Report(
        title=params.report_title,
        committee=params.committee,
        meeting_date=params.meeting_date,
        report_of=params.report_of,
        layout=params.layout,
        sections=body,
        appendices=context.appendices,
        officers=[Officer(**o.model_dump()) for o in params.officers],
        subject=f"Children in care, adoption and care leavers: {name}, {period}",
        author=f"{name} Council" if "Council" not in name else name,
        details=params.committee_details.front_sheet(params.report_of),
    )


def _neighbour_names(params: ReportParams) -> list[str]:
    return [lookup(code).name for code in params.statistical_neighbours]


def shown_ids(s: Results) -> list[str]:
    """Ids of the indicators that appear in the report's tables, in order."""
    ids = [*SUFFICIENCY_TABLE, *PLACEMENT_TABLE, *ADOPTION_TABLE, *CARE_LEAVER_TABLE]
    ids += [r.id for r in _profile(s)]
    return [i for i in dict.fromkeys(ids) if i in s]


def _profile(s: Results) -> list[IndicatorResult]:
    """Counts of children looked after by age and legal status that the DfE publishes."""
    return [
        r
        for r in s.sections["sufficiency"].indicators
        if r.id.startswith("cla_by_")
        and not r.id.endswith("_pct")
        and not all(missing(v) for v in r.trend.values())
    ]


def _appendix_a(s: Results, params: ReportParams) -> Appendix:
    shown = [s[i] for i in shown_ids(s)]
    definitions = tuple(
        (r.title, registry.get(r.id).definition, SOURCE_TITLES.get(r.source, r.source or "n/a"))
        for r in shown
    )
    unavailable = [r for r in shown if missing(r.value)]
    sections = [
        Section(
            "Data sources",
            [
                _p(
                    "Department for Education, Children looked after in England including adoptions "
                    "(Explore Education Statistics), reporting years 2021 to 2025 (2025 release; "
                    "care leavers in touch, staying put and the adoption and special guardianship "
                    "detail from the 2024 release)"
                ),
                _p(
                    "ONS mid-year population estimates of children aged 0 to 17 (the base for rates)"
                ),
                _p("DfE children's services statistical neighbour model, 2025"),
                _p(
                    "Crown copyright. " + LICENCE + " Local authority counts are not rounded; "
                    "national figures are rounded to the nearest 10; rates and percentages are "
                    "rounded to whole numbers"
                ),
            ],
            level=1,
        ),
        Section(
            "Definitions",
            [
                Table(
                    caption="Indicators shown in this report and their definitions",
                    columns=("Indicator", "Definition", "Source table"),
                    rows=definitions,
                    source="Definitions: DfE data guidance; reportgen indicator registry.",
                )
            ],
            level=1,
        ),
        Section(
            "Figures not available",
            [
                _p(
                    "In the tables, 'withheld' marks a figure the DfE suppressed to protect "
                    "confidentiality (small numbers), '<0.5%' a percentage that rounds to zero, and "
                    "'n/a' a figure that is not applicable or not published"
                ),
                Table(
                    caption=f"Figures for {params.authority_name} not available for {params.period}",
                    columns=("Indicator", "Reason"),
                    rows=tuple(
                        (r.title, MARKER_TEXT.get(r.marker or "not published", "not published"))
                        for r in unavailable
                    )
                    or (("None", "All figures shown are published"),),
                    source="Markers as published by the DfE: "
                    + ", ".join(
                        f"{k} = {v}" for k, v in MARKER_CELL.items() if k in ("c", "k", "z", "x")
                    )
                    + ".",
                ),
            ],
            level=1,
        ),
    ]
    return Appendix("A", "Data and definitions", sections)


def _appendix_b(s: Results, params: ReportParams) -> Appendix:
    sections = []
    ids = set(shown_ids(s))
    for family, heading in FAMILY_HEADINGS.items():
        results = [
            r
            for r in s.sections[family].indicators
            if r.id in ids and not r.id.startswith("cla_by_")
        ]
        shown = [r for r in results if not all(missing(v) for v in r.trend.values())]
        if not shown:
            continue
        sections.append(
            Section(
                heading,
                [
                    trend_table(
                        shown,
                        f"{heading}: {params.authority_name}, five-year trend, with England and "
                        f"the statistical neighbour (SN) average for {params.period}",
                        params.period,
                    )
                ],
                level=1,
            )
        )
    profile = _profile(s)
    if profile:
        sections.append(
            Section(
                "Profile of children looked after",
                [
                    comparison_table(
                        profile,
                        params.authority_name,
                        params.period,
                        year_label(params.period_obj.collection_year - 1),
                        f"Children looked after at {format_date(params.period_obj.end)} by age and legal status",
                    )
                ],
                level=1,
            )
        )
    return Appendix("B", "Indicator tables with five-year trends", sections)
