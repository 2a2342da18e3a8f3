"""Build the :class:`~reportgen.model.Report` from params and the notebooks' section results.

The body follows the county scrutiny paper (Leicestershire): Purpose of report, Background,
one section per family, Conclusions, Recommendations, Background Papers, Circulation under the
Local Issues Alert Procedure, Equality and Human Rights Implications, Appendices, Officer(s) to
Contact; Appendix A "Data and definitions", Appendix B full indicator tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from reportgen.core.config import DisclosurePolicy, ReportParams
from reportgen.core.errors import TemplateError
from reportgen.core.formatting import (
    MARKER_CELL,
    MARKER_TEXT,
    format_cell,
    format_date,
    format_value,
)
from reportgen.core.formatting import is_missing as missing
from reportgen.core.periods import Period, as_period, parse_period, year_label
from reportgen.core.plans import PlanItem, get_plan, paragraph_numbers
from reportgen.indicators import registry
from reportgen.indicators.result import IndicatorResult, SectionResult
from reportgen.model import (
    Appendix,
    Block,
    Bullets,
    Figure,
    Officer,
    Paragraph,
    Ref,
    Report,
    Section,
    Table,
)
from reportgen.report import data_quality, key_messages, outlook_parts, questions
from reportgen.report import narrative as nv
from reportgen.report.context import Context, Results
from reportgen.report.narrative_context import NarrativeContext
from reportgen.report.notebook_api import CHART_STEMS
from reportgen.report.officer_sections import officer_inline, officer_written, own_folder
from reportgen.report.parts import APPENDICES, STANDARD_PARTS
from reportgen.report.targets import Assessment, assess
from reportgen.report.templating import NARRATIVE_DIR, environment, parse_blocks, render_text

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
    "ten statistical neighbours (DfE model 2025) with a published figure; counts are not "
    "compared with the neighbours ('–')."
)
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
FAMILY_HEADINGS = {
    "sufficiency": "Children in care and placement sufficiency",
    "adoption": "Adoption and special guardianship",
    "care_leavers": "Care leavers",
}
SYNTHETIC_NOTICE = (
    "SYNTHETIC DATA: the figures for this authority are generated test data, not real children. "
    "Do not use this paper for decisions."
)
"""Shown on the front page of every report made from synthetic 903 data."""

DASHBOARD_APPENDIX = ("C", "Monthly sufficiency dashboard")
DASHBOARD_MONTHS_PER_TABLE = 6
"""The dashboard's months per table (a label column and six months fit a portrait page)."""


def comparator_label(period: Period | str) -> str:
    """The year England and neighbour figures are for: the period itself when it is a
    collection year, else the DfE's latest published year ("latest year" when unknown)."""
    parsed = as_period(period)
    if parsed.is_collection_year:
        return parsed.label
    from reportgen.indicators.engine import comparator_year

    year = comparator_year(parsed)
    return year_label(year) if year else "latest year"


NOT_COMPARED = "–"
"""The neighbour cell of a count: an average of other authorities' counts says nothing about
this authority's (Rutland's 32 children against a neighbour "average" of 639)."""


def comparator_cells(r: IndicatorResult) -> tuple[str, str]:
    """The England and statistical-neighbour cells of one indicator's row ("n/a": no neighbours;
    "–": a count, which is not compared with the neighbours' average count)."""
    if r.unit == "count":
        neighbours = NOT_COMPARED
    else:
        neighbours = format_cell(r.sn_mean, r.unit) if r.sn_n else "n/a"
    return (format_cell(r.england, r.unit, r.england_marker), neighbours)


def period_title(title: str, period: str) -> str:
    """An indicator title for a period: "at 31 March" becomes the period's last day when the
    period is not a collection year ("Children looked after at 31 December 2024")."""
    parsed = parse_period(period)
    if parsed.is_collection_year:
        return title
    return title.replace(" at 31 March", f" at {format_date(parsed.end)}")


def comparison_table(
    results: list[IndicatorResult], authority: str, period: str, previous: str, caption: str
) -> Table:
    """Authority (this and last period), England and statistical neighbours, one row each."""
    rows = tuple(
        (
            period_title(r.title, period),
            format_cell(r.value, r.unit, r.marker),
            format_cell(r.previous, r.unit, r.previous_marker),
            *comparator_cells(r),
        )
        for r in results
    )
    previous = next((r.previous_period for r in results if r.previous_period), previous)
    compared = comparator_label(period)
    return Table(
        caption=caption,
        columns=("Indicator", period, previous, f"England {compared}", f"Neighbours {compared}"),
        rows=rows,
        numeric_columns=(1, 2, 3, 4),
        source=SOURCE_LINE,
    )


def _trend_words(results: list[IndicatorResult]) -> str:
    """ "five-year trend", or the years the trend really covers ("trend 2020-21 to 2023-24,
    whole years" for a quarter's report with four earlier years)."""
    years = list(results[0].trend) if results else []
    if len(years) == 5 or not years:
        return "five-year trend"
    return f"trend {years[0]} to {years[-1]}, whole years"


def _trend_marker(r: IndicatorResult, year: str) -> str | None:
    """Why a trend year's cell is empty: withheld that year, or the period's own marker."""
    if year in r.trend_markers:
        return r.trend_markers[year]
    return r.marker if year == r.period else None


def trend_table(results: list[IndicatorResult], caption: str, period: str) -> Table:
    """Five-year trend for the authority, with England and neighbours for the latest year."""
    years = list(results[0].trend) if results else []
    rows = tuple(
        (r.title,)
        + tuple(format_cell(r.trend.get(y), r.unit, _trend_marker(r, y)) for y in years)
        + comparator_cells(r)
        for r in results
    )
    return Table(
        caption=caption,
        columns=("Indicator", *years, "England", "SN avg."),
        rows=rows,
        numeric_columns=tuple(range(1, len(years) + 3)),
        source=SOURCE_LINE,
    )


def disclosure_applied(params: ReportParams) -> str:
    """Appendix A's account of small-number rules other than the default (``disclosure:``).

    Says exactly what was applied, so a paper written with suppression off or weakened never
    claims that small counts are withheld.
    """
    policy = params.disclosure
    name = params.authority_name
    if policy.min_count <= 1:
        first = (
            f"{name}'s own figures are NOT withheld in this paper: its author turned off the "
            "withholding of small numbers (disclosure: min_count 1), so counts of 1 to 4 "
            "children, and rates and percentages made from them, are shown as they are; it must "
            "not be published as it stands"
        )
    else:
        k = policy.min_count
        first = (
            f"{name}'s own figures are withheld where they would show a small number, set for "
            f"this paper at fewer than {k} (the usual threshold is 5): in the tables, '<{k}' "
            f"marks a count of fewer than {k} (and a rate or percentage made from one)"
        )
        if policy.secondary:
            first += (
                ", and 'withheld' a figure withheld so that a small number cannot be worked out "
                "from it by subtraction"
            )
        else:
            first += (
                "; other figures are NOT withheld to protect them (secondary suppression is off), "
                "so a withheld figure may be worked out from a total and its other parts"
            )
    return (
        f"{first}; zero is shown. England and neighbour figures keep the DfE's markers: "
        "'withheld' a figure the DfE suppressed, '<0.5%' a percentage that rounds to zero, and "
        "'n/a' a figure that is not applicable or not published. The table lists the figures "
        f"withheld for {params.period} and why, never their values"
    )


def _p(text: str) -> Paragraph:
    return Paragraph(nv.sentence(text))


def narrative_folders(params: ReportParams) -> list[Path]:
    """Where narrative templates are looked up: the officers' own text first, then the defaults."""
    return [own_folder(params), NARRATIVE_DIR]


class Narrative:
    """Renders narrative templates into blocks for one report, recording the tables shown."""

    def __init__(self, c: Context):
        self.c = c
        self.env = environment(narrative_folders(c.params), inline=officer_inline(c.params))
        self.names = NarrativeContext(c).as_dict()
        self.charts = {
            Path(chart.file).stem: chart
            for section in c.s.sections.values()
            for chart in section.charts
        }

    def figure(self, stem: str) -> Figure | None:
        chart = self.charts.get(stem)
        if chart is None and stem in CHART_STEMS:
            return None  # not drawn: every figure it would show is unpublished
        if chart is None:
            raise TemplateError(
                f"narrative names a chart '{stem}' that no notebook drew: known charts are "
                f"{', '.join(sorted(self.charts))}"
            )
        return Figure(
            caption=chart.caption, image=self.c.work_dir / chart.file, alt_text=chart.alt_text
        )

    def table(self, caption: str, ids: list[str]) -> Table:
        unknown = [i for i in ids if i not in self.c.s]
        if unknown:
            raise TemplateError(
                f"narrative table '{caption}' names unknown indicators: {', '.join(unknown)}"
            )
        self.c.shown.extend(i for i in ids if i not in self.c.shown)
        return comparison_table(
            self.c.s.present(tuple(ids)), self.c.name, self.c.period, self.c.prev, caption
        )

    def blocks(self, part: str) -> list[Block]:
        """The blocks of narrative part ``part`` (``<part>.md``)."""
        text = render_text(self.env, f"{part}.md", self.names)
        return parse_blocks(text, self.figure, self.table, source=part)

    def has_own(self, part: str) -> bool:
        """True when the author wrote this part (inline in params or as a file)."""
        return part in officer_written(self.c.params)


def family_section(family: str, c: Context) -> Section:
    """A family's section: its heading and the blocks of its narrative template."""
    return Section(FAMILY_HEADINGS[family], c.narrative.blocks(family))


NARRATIVE_PARTS = ("purpose", "background", "conclusions", "recommendations", "equality")
"""Parts with a default template in templates/narrative/ (an officer's own text replaces it)."""
OWN_ONLY_PARTS = ("service_context", "resource_implications")
"""Parts with no default: only an officer can write them; the run lists them as still to write."""


def part_appendices_list(c: Context) -> list[Block]:
    """The list of appendices."""
    return [
        Paragraph(f"Appendix {letter}: {title}", numbered=False)
        for letter, title in (c.appendix_titles or APPENDICES)
    ]


def planned_appendices(c: Context, quality: dict | None) -> list[tuple[str, str]]:
    """``(letter, title)`` of the appendices :func:`build_report` will add, in order."""
    titles = [tuple(a) for a in APPENDICES]
    if c.s.sections["sufficiency"].monthly:
        titles.append(DASHBOARD_APPENDIX)
    if quality is not None:
        titles.append((chr(ord(titles[-1][0]) + 1), data_quality.TITLE))
    return titles


KEY_MESSAGES_SLOT = Bullets(("key messages are filled in once the paragraphs are numbered",))


def part_key_messages(c: Context) -> list[Block]:
    """An introduction and a slot that :func:`fill_key_messages` replaces."""
    return [Paragraph(f"The key messages from the figures for {c.period} are:"), KEY_MESSAGES_SLOT]


def _assessments(c: Context) -> dict[str, Assessment]:
    found = {}
    for t in c.params.targets:
        if t.indicator in c.s:
            found.setdefault(t.indicator, assess(c.s[t.indicator], t.target, t.direction, t.label))
    return found


def part_targets(c: Context) -> list[Block]:
    """Targets with their status: a sentence each and a table."""
    if not c.params.targets:
        return []
    rows, sentences = [], []
    for t in c.params.targets:
        a = assess(c.s[t.indicator], t.target, t.direction, t.label)
        rows.append((a.label[0].upper() + a.label[1:], a.target_text, a.value_text, a.status))
        sentences.append(Paragraph(a.sentence, anchors=(t.indicator,)))
    table = Table(
        caption=f"Targets and performance, {c.period}",
        columns=("Target", "Target value", c.period, "Status"),
        rows=tuple(rows),
        numeric_columns=(1, 2),
        source="Targets: " + c.name + " params; figures as in the tables above.",
    )
    return [*sentences, table]


def part_commitments(c: Context) -> list[Block]:
    """ "We will" commitments, each with its measure and status where it has one."""
    blocks: list[Block] = []
    rows = []
    for item in c.params.commitments:
        text = item.text.strip()
        if item.indicator and item.indicator in c.s:
            r = c.s[item.indicator]
            if item.target is not None:
                a = assess(r, item.target, item.direction)
                status, target = a.status, a.target_text
            else:
                status, target = ("no data" if missing(r.value) else "reported"), "n/a"
            figure = format_value(r.value, r.unit, r.marker)
            blocks.append(
                Paragraph(
                    nv.sentence(
                        f"{text}. Measure: {r.title.removesuffix(' (%)').lower()}, {figure} in {c.period}"
                    )
                    + (f" Status: {status}." if status != "reported" else ""),
                    anchors=(item.indicator,),
                )
            )
            rows.append((text, target, figure, status))
        else:
            blocks.append(_p(text))
            rows.append((text, "n/a", "n/a", "no measure"))
    if rows:
        blocks.append(
            Table(
                caption=f"Commitments and progress, {c.period}",
                columns=("We will", "Target", c.period, "Status"),
                rows=tuple(rows),
                numeric_columns=(1, 2),
                source="Commitments: " + c.name + " params.",
            )
        )
    return blocks


def _own(part: str) -> Callable[[Context], list[Block]]:
    """A part only an officer can write: their text, or nothing."""
    return lambda c: c.narrative.blocks(part) if c.narrative.has_own(part) else []


PARTS: dict[str, Callable[[Context], list[Block]]] = {
    **{name: (lambda c, name=name: c.narrative.blocks(name)) for name in NARRATIVE_PARTS},
    "background_papers": lambda c: [Paragraph(c.params.background_papers, numbered=False)],
    "circulation": lambda c: [Paragraph(c.params.circulation, numbered=False)],
    "appendices_list": part_appendices_list,
    **{name: _own(name) for name in OWN_ONLY_PARTS},
    **STANDARD_PARTS,
    "looking_ahead": outlook_parts.part_looking_ahead,
    "placement_market": outlook_parts.part_placement_market,
    "financial_implications": outlook_parts.part_financial_implications,
    "recommendations": lambda c: part_recommendations(c),
    "questions": lambda c: part_questions(c),
    "resource_implications": lambda c: (
        c.narrative.blocks("resource_implications")
        if c.narrative.has_own("resource_implications")
        else outlook_parts.part_resource_implications(c)
    ),
    "key_messages": part_key_messages,
    "targets": part_targets,
    "commitments": part_commitments,
}
"""Named content parts a layout's plan can place (reportgen.core.plans)."""


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
            if c.narrative.has_own(part):
                blocks.extend(c.narrative.blocks(part))
            else:
                blocks.extend(mark_default(PARTS[part](c), part, c))
        depth = 0
        if item.heading is not None:
            if not blocks and not item.children:
                continue  # no empty sections: an officer-only part nobody wrote
            body.append(Section(item.heading, blocks))
            depth = 1
        for family in item.children:
            section = family_section(family, c)
            section.level += depth
            body.append(section)
    return body


def vary_openings(body: list[Section], c: Context) -> None:
    """Reword a "not available" paragraph that would open like the one before it in its section."""
    for section in body:
        previous = ""
        for index, block in enumerate(section.blocks):
            if not isinstance(block, Paragraph) or not block.numbered:
                continue
            here = nv.opening(block.text)
            if here == previous and len(block.anchors) == 1 and block.anchors[0] in c.s:
                r = c.s[block.anchors[0]]
                if block.text == nv.unavailable_sentence(r, c.prev):
                    block = Paragraph(
                        nv.unavailable_sentence(r, c.prev, variant=1), anchors=block.anchors
                    )
                    section.blocks[index] = block
                    here = nv.opening(block.text)
            previous = here


def anchor_numbers(c: Context, body: list[Section]) -> dict[str, str]:
    """The number Word shows ("7", "1.3") of the first paragraph explaining each indicator."""
    numbers: dict[str, str] = {}
    for paragraph, number in paragraph_numbers(c.params.layout, body):
        for anchor in paragraph.anchors:
            numbers.setdefault(anchor, number)
    return numbers


DEFAULT_COMMENT = "Default text: replace or confirm"
"""The Word comment on every piece of default text (``run.json`` lists them)."""
DEFAULT_TEXT_PARTS = (
    *NARRATIVE_PARTS,
    "background_papers",
    "circulation",
    "consultation",
    "risks_and_impact",
    "policy_implications",
    "community_impact",
    "equalities_implications",
    "legal_implications",
)
"""Parts whose text is the project's standard wording until the author writes their own."""


def mark_default(blocks: list[Block], part: str, c: Context) -> list[Block]:
    """Put :data:`DEFAULT_COMMENT` on the paragraphs of a default part (one comment over all).

    ``background_papers`` and ``circulation`` count as default only while they keep the default
    "None".
    """
    if part not in DEFAULT_TEXT_PARTS:
        return blocks
    if part in ("background_papers", "circulation"):
        if getattr(c.params, part) != type(c.params).model_fields[part].default:
            return blocks
    paragraphs = [i for i, b in enumerate(blocks) if isinstance(b, Paragraph)]
    if not paragraphs:
        return blocks
    first = paragraphs[0]
    out = list(blocks)
    out[first] = replace(
        blocks[first],  # type: ignore[arg-type]
        comment=f"{DEFAULT_COMMENT} ('{part}': write {part}.md to replace it)",
        comment_span=len(paragraphs),
    )
    return out


QUESTIONS_SLOT = Bullets(("questions are filled in once the paragraphs are numbered",))
FOCUSED_SLOT = Paragraph("a focused report is proposed once the paragraphs are numbered")


def part_questions(c: Context) -> list[Block]:
    """An introduction and a slot that :func:`fill_key_messages` replaces."""
    return [
        Paragraph(
            "The figures raise the following questions, which the Committee may wish to put to "
            "officers; each gives the paragraph with the evidence:"
        ),
        QUESTIONS_SLOT,
    ]


def part_recommendations(c: Context) -> list[Block]:
    """The default "note and comment" recommendation, the options in the params
    (``recommendations:``) and, where the findings warrant it, a proposed focused report."""
    blocks = c.narrative.blocks("recommendations")
    for option in c.params.recommendations:
        blocks.append(_p(option))
    blocks.append(FOCUSED_SLOT)
    return blocks


def _counts(c: Context) -> dict[str, float | None]:
    """Counts of children by indicator id (how many children a percentage rests on)."""
    return {i: r.value for i, r in c.s.by_id.items() if r.unit == "count"}


def _candidates(c: Context, numbers: dict[str, str]) -> list[IndicatorResult]:
    """Indicators a paragraph explains (targets first), so every message can cite it."""
    return [
        c.s[i]
        for i in dict.fromkeys([*(t.indicator for t in c.params.targets), *c.shown])
        if i in numbers and i in c.s and not i.endswith("_count")
    ]


def _replace_block(
    body: list[Section], slot: Block, new: list[Block], drop_before: int = 0
) -> None:
    """Replace ``slot`` (by identity) with ``new``; with nothing new, also drop the
    ``drop_before`` blocks before it (its introduction)."""
    for section in body:
        for index, block in enumerate(section.blocks):
            if block is slot:
                start = index - (0 if new else drop_before)
                section.blocks[start : index + 1] = new
                return


def fill_key_messages(body: list[Section], c: Context) -> None:
    """Fill the key messages, the questions and the proposed focused report, with the numbers
    of the paragraphs they cite."""
    numbers = anchor_numbers(c, body)
    counts = _counts(c)
    candidates = _candidates(c, numbers)
    asked = questions.select(candidates, numbers, c.period, counts)
    focus = questions.focused_report(asked)
    if focus is None:  # drop the slot first: the paragraphs after it are numbered without it
        _replace_block(body, FOCUSED_SLOT, [])
        numbers = anchor_numbers(c, body)
        asked = questions.select(candidates, numbers, c.period, counts)
    else:
        numbers = anchor_numbers(c, body)
        asked = questions.select(candidates, numbers, c.period, counts)
        focus = questions.focused_report(asked)
        assert focus is not None
        title = c.s[focus.indicator_id].title.removesuffix(" (%)")
        focused = _p(
            "In addition, the Committee may wish to ask for a focused report at a future "
            f"meeting on {title[:1].lower() + title[1:] if not title[1:2].isupper() else title}, "
            f"which the figures show to be a concern (paragraph {focus.paragraph}): what "
            "lies behind it, what is being done, and what difference it is expected to make"
        )
        refs = (Ref(focus.paragraph, focus.indicator_id),)
        _replace_block(body, FOCUSED_SLOT, [replace(focused, refs=refs)])
    asked_refs = tuple(Ref(q.paragraph, q.indicator_id) for q in asked)
    _replace_block(
        body,
        QUESTIONS_SLOT,
        [Bullets(tuple(q.text for q in asked), refs=asked_refs)] if asked else [],
        1,
    )
    messages = key_messages.select(candidates, _assessments(c), c.prev, counts)
    items = tuple(
        f"{m.text.removesuffix('.')} (paragraph {numbers[m.indicator_id]})." for m in messages
    )
    message_refs = tuple(Ref(numbers[m.indicator_id], m.indicator_id) for m in messages)
    for section in body:
        for index, block in enumerate(section.blocks):
            if block is KEY_MESSAGES_SLOT:
                if items:
                    section.blocks[index] = Bullets(items, refs=message_refs)
                else:
                    del section.blocks[index - 1 : index + 1]
                return


SYNTHETIC_SOURCE = "SYNTHETIC DATA, not real children."
"""Opens every source line of a paper made from synthetic 903 data."""


def source_line(text: str, params: ReportParams) -> str:
    """A table's source line as it must read for the params' source.

    Published figures keep it. Figures from 903 returns name them, not the DfE, as the source of
    the authority's figures; synthetic ones also open with :data:`SYNTHETIC_SOURCE`.

    >>> p = type("P", (), {"source": "synthetic", "authority_name": "Rutland"})()
    >>> source_line("Source: Rutland's SSDA903 data.", p)
    'Source: SYNTHETIC DATA, not real children. Synthetic SSDA903 data for Rutland.'
    """
    name = params.authority_name
    if params.source == "published" or not text.strip():
        return text
    body = text.strip()
    body = body[len("source:") :].strip() if body.casefold().startswith("source:") else body
    dfe = "DfE, Children looked after in England including adoptions."
    if params.source == "synthetic":
        body = body.replace(
            dfe, f"synthetic SSDA903 returns for {name} (generated); England and neighbours: {dfe}"
        )
        body = body.replace(f"{name}'s SSDA903 data", f"synthetic SSDA903 data for {name}")
        body = body[:1].upper() + body[1:]
        return f"Source: {SYNTHETIC_SOURCE} {body}"
    body = body.replace(dfe, f"{name}'s SSDA903 returns; England and neighbours: {dfe}")
    return f"Source: {body}"


def honest_sources(sections: list[Section], params: ReportParams) -> None:
    """Rewrite source lines for 903 and synthetic papers, in place: no "Source: DfE" for
    figures the DfE did not publish (the Background's account of the data is written for the
    source by its template)."""
    if params.source == "published":
        return
    for section in sections:
        for index, block in enumerate(section.blocks):
            if isinstance(block, Table) and block.source:
                section.blocks[index] = replace(block, source=source_line(block.source, params))


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
    context = Context(params, s, work_dir, year_label(params.period.collection_year - 1))
    context.narrative = Narrative(context)
    quality = data_quality.load(work_dir)
    context.appendix_titles = planned_appendices(context, quality)
    body = arrange(get_plan(params.layout), context)
    vary_openings(body, context)
    fill_key_messages(body, context)
    context.appendices = [_appendix_a(context), _appendix_b(context)]
    dashboard = _appendix_dashboard(context)
    if dashboard is not None:
        context.appendices.append(dashboard)
    if quality is not None:
        letter = context.appendix_titles[len(context.appendices)][0]
        context.appendices.append(data_quality.appendix(quality, letter, params))
    honest_sources(body, params)
    for appendix in context.appendices:
        honest_sources(appendix.sections, params)
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
        notice=SYNTHETIC_NOTICE if params.source == "synthetic" else "",
        contents=params.contents,
    )


def shown_ids(c: Context) -> list[str]:
    """Ids of the indicators that appear in the report's tables, in order."""
    ids = [*c.shown, *(r.id for r in _profile(c.s))]
    return [i for i in dict.fromkeys(ids) if i in c.s]


def _profile(s: Results) -> list[IndicatorResult]:
    """Counts of children looked after by age and legal status that the DfE publishes."""
    return [
        r
        for r in s.sections["sufficiency"].indicators
        if r.id.startswith("cla_by_")
        and not r.id.endswith("_pct")
        and not all(missing(v) for v in r.trend.values())
    ]


def _own_data_source(c: Context) -> list[Paragraph]:
    """The authority's own (or synthetic) 903 returns, when the figures come from them."""
    if c.params.source == "published":
        return []
    if c.params.source == "synthetic":
        return [
            _p(
                f"Synthetic SSDA903 returns for {c.name}, generated by reportgen to resemble the "
                "authority's published figures: they describe no real child. England and "
                "statistical neighbour figures are the DfE's published ones (below)"
            )
        ]
    checks = [letter for letter, title in c.appendix_titles if title == data_quality.TITLE]
    where = f"; Appendix {checks[0]} describes how they were checked" if checks else ""
    return [
        _p(
            f"{c.name}'s SSDA903 returns to the DfE (children looked after, adoption and care "
            f"leavers), the source of the authority's figures{where}. England and statistical "
            "neighbour figures are the DfE's published ones (below)"
        )
    ]


def _appendix_a(c: Context) -> Appendix:
    s, params = c.s, c.params
    shown = [s[i] for i in shown_ids(c)]
    definitions = tuple(
        (r.title, registry.get(r.id).definition, SOURCE_TITLES.get(r.source, r.source or "n/a"))
        for r in shown
    )
    unavailable = [r for r in shown if missing(r.value)]
    sections = [
        Section(
            "Data sources",
            [
                *_own_data_source(c),
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
                    if params.source == "published"
                    else (
                        f"{params.authority_name}'s own figures are withheld where they would show "
                        "a small number: in the tables, '<5' marks a count of fewer than 5 (and a rate "
                        "or percentage made from one), and 'withheld' a figure withheld so that a small "
                        "number cannot be worked out from it by subtraction; zero is shown. England and "
                        "neighbour figures keep the DfE's markers: 'withheld' a figure the DfE "
                        "suppressed, '<0.5%' a percentage that rounds to zero, and 'n/a' a figure that "
                        "is not applicable or not published. The table lists the figures withheld for "
                        f"{params.period} and why, never their values"
                    )
                    if params.disclosure == DisclosurePolicy()
                    else disclosure_applied(params)
                ),
                Table(
                    caption=f"Figures for {params.authority_name} not available for {params.period}",
                    columns=("Indicator", "Reason"),
                    rows=tuple(
                        (r.title, MARKER_TEXT.get(r.marker or "not published", "not published"))
                        for r in unavailable
                    )
                    + outlook_parts.unavailable_rows(c)
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
        *outlook_parts.appendix_sections(c),
    ]
    return Appendix(*APPENDICES[0], sections)


def _appendix_b(c: Context) -> Appendix:
    s, params = c.s, c.params
    sections = []
    ids = set(shown_ids(c))
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
                        f"{heading}: {params.authority_name}, "
                        f"{_trend_words(shown)}, with England and "
                        f"the statistical neighbour (SN) average for "
                        f"{comparator_label(params.period)}",
                        params.period.label,
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
                        params.period.label,
                        year_label(params.period.collection_year - 1),
                        f"Children looked after at {format_date(params.period.end)} by age and legal status",
                    )
                ],
                level=1,
            )
        )
    return Appendix(*APPENDICES[1], sections)


DASHBOARD_LABELS = {
    "cla_at_end": "In care at month end",
    "started": "Started care",
    "ceased": "Left care",
    "placement_foster_in_house": "In-house fostering",
    "placement_foster_ifa": "IFA fostering",
    "placement_childrens_homes": "Children's homes",
    "placement_supported_accommodation": "Supported accommodation",
    "placed_outside_la_pct": "Out of area (%)",
}
"""Short row labels (one line each, so both six-month tables fit a page); the appendix's
introduction says what each means."""


def _appendix_dashboard(c: Context) -> Appendix | None:
    """Appendix C: the monthly sufficiency dashboard (903 data only), as Southwark's."""
    months = c.s.sections["sufficiency"].monthly
    if not months:
        return None
    labels = list(months)
    shown = [k for k in DASHBOARD_LABELS if any(months[m].get(k) is not None for m in labels)]

    def cell(value: float | str | None, key: str) -> str:
        if value in ("suppressed", "secondary"):
            return MARKER_CELL[value]  # type: ignore[index]
        unit = "percent" if key.endswith("_pct") else "count"
        return format_cell(value, unit, "not available")  # type: ignore[arg-type]

    short = [f"{parse_period(m).start:%b %y}" for m in labels]
    # six months a table: thirteen columns do not fit a portrait page; the source goes under the
    # first, which has room after it on the page
    parts = [
        range(i, min(i + DASHBOARD_MONTHS_PER_TABLE, len(labels)))
        for i in range(0, len(labels), DASHBOARD_MONTHS_PER_TABLE)
    ]
    tables = [
        Table(
            caption=f"Monthly sufficiency dashboard, {c.name}, {short[part[0]]} to {short[part[-1]]}",
            columns=("Measure", *(short[i] for i in part)),
            rows=tuple(
                (DASHBOARD_LABELS[k], *(cell(months[labels[i]].get(k), k) for i in part))
                for k in shown
            ),
            numeric_columns=tuple(range(1, len(part) + 1)),
            source=(
                f"Source: {c.name}'s SSDA903 data; '<5' marks a figure of fewer than 5, withheld; "
                "'withheld' a figure withheld so that a small number cannot be worked out from it."
                if part[0] == 0
                else ""
            ),
        )
        for part in parts
    ]
    intro = Paragraph(
        "In care: children looked after on the last day of the month. Started and left care: "
        "children who started or ceased to be looked after in the month (first start, last "
        "cessation). The placement rows count children looked after at the month end by "
        "placement (IFA: independent fostering agency); out of area: the share placed outside "
        "the authority's boundary.",
        numbered=False,
    )
    return Appendix(*DASHBOARD_APPENDIX, [Section("Dashboard", [intro, *tables], level=1)])
