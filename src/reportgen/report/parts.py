"""Layout-specific standard content parts (consultation, implications, audit trail ...).

Each part is a function ``(Context) -> list[Block]`` registered in :data:`STANDARD_PARTS`;
``reportgen.report.assemble`` merges them into its parts, and a layout's plan
(``templates/layouts/<name>.yaml``, read by :mod:`reportgen.core.plans`) places them.

The wording follows the example papers' register: short, factual, for a report that asks the
Committee to note figures and comment on them (no decision, no change to policy). Names, titles
and dates come from the params (``officers``, ``committee_details``); where the params have
none, ``params/defaults.yaml`` gives a bracketed placeholder (``[Officer name]``) that the
writer marks with a Word comment.
"""

from __future__ import annotations

from collections.abc import Callable

from reportgen.core.config import OfficerParams
from reportgen.core.formatting import format_date, format_value, is_missing
from reportgen.model import Block, Paragraph, Table
from reportgen.report import narrative as nv
from reportgen.report.context import Context

APPENDICES = (("A", "Data and definitions"), ("B", "Indicator tables with five-year trends"))

__all__ = ["STANDARD_PARTS"]

_ROLE_WORDS = ("director", "head of", "manager", "officer", "team", "service", "lead")


def _p(text: str, numbered: bool = True) -> Paragraph:
    return Paragraph(nv.sentence(text), numbered=numbered)


def _is_role(name: str) -> bool:
    """True when an officer's "name" is a role ("Director of Children's Services")."""
    if name.strip().startswith("["):
        return False  # a placeholder ("[Officer name]")
    return any(word in name.casefold() for word in _ROLE_WORDS)


def _officer_name(officer: OfficerParams, *, with_title: bool = True) -> str:
    name = officer.name.strip()
    if _is_role(name):
        name = f"the {name}"
    if with_title and officer.job_title.strip():
        name += f", {officer.job_title.strip()}"
    return name


def _join(items: list[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _contact(officer: OfficerParams) -> str:
    """``"01522 552686 or tara.jones@..."``, or "" without either."""
    return " or ".join(x.strip() for x in (officer.telephone, officer.email) if x.strip())


# -- open report -------------------------------------------------------------------------------


def part_summary(c: Context) -> list[Block]:
    """What the report covers, and its headline figure (follows the "purpose" part)."""
    blocks: list[Block] = [
        _p(
            "It sets out how many children are looked after and how that has changed, the "
            "placements they live in and how stable and how close to home those placements are, "
            "adoption and special guardianship, and how care leavers are doing, each compared "
            "with the previous year, with England and with similar authorities"
        )
    ]
    if "cla_at_end" in c.s and "cla_rate_per_10k" in c.s:
        count, rate = c.s["cla_at_end"], c.s["cla_rate_per_10k"]
        if not is_missing(count.value) and not is_missing(rate.value):
            end = format_date(c.params.period.end)
            text = (
                f"At {end}, {format_value(count.value, 'count')} children were looked after by "
                f"{c.name}, a rate of {format_value(rate.value, 'rate')} per 10,000 children"
            )
            comparison = nv.comparator_clause(rate)
            blocks.append(_p(text + (f", which is {comparison}" if comparison else "")))
    return blocks


def part_consultation(c: Context) -> list[Block]:
    """Consultation: none needed for a report to note; where the figures come from."""
    source = {
        "published": (
            "The figures are the Department for Education's published statistics, which "
            f"{c.name} and every other local authority supply through the annual SSDA903 return "
            "on children looked after"
        ),
        "ssda903": (
            f"The figures for {c.name} are calculated from its own SSDA903 returns on children "
            "looked after; the comparisons with England and statistical neighbours use the "
            "Department for Education's published statistics"
        ),
        "synthetic": (
            f"The figures for {c.name} are calculated from synthetic SSDA903 returns generated "
            "to demonstrate the report; they are not real figures for the authority"
        ),
    }[c.params.source]
    blocks: list[Block] = [
        _p(
            "This report is for information: it asks the Committee to note the figures and to "
            "comment on them, and proposes no change to policy or services, so no public "
            "consultation was needed"
        ),
        _p(source),
    ]
    sought = [o.title for o in c.params.committee_details.officers_consulted if o.comments_sought]
    if sought:
        blocks.append(_p(f"Comments on the report were sought from the {_join(sought)}"))
    return blocks


def part_risks_and_impact(c: Context) -> list[Block]:
    """Risks and impact analysis for a report that asks for no decision."""
    return [
        _p(
            "The report asks for no decision, so it carries no direct risk and needs no "
            "equality impact assessment of its own"
        ),
        _p(
            f"It shows where {c.name} differs from England and from similar authorities. Any "
            "proposal that follows from it will be assessed for its risks and for its impact on "
            "children, young people and families, including an equality impact assessment, "
            "when it is brought forward"
        ),
    ]


def part_written_by(c: Context) -> list[Block]:
    """ "This report was written by ..., who can be contacted on ..." (unnumbered)."""
    officers = list(c.params.officers)
    if not officers:
        return []
    people = []
    for officer in officers:
        text = _officer_name(officer, with_title=False)
        contact = _contact(officer)
        if contact:
            text += f", who can be contacted on {contact}"
        people.append(text)
    return [_p(f"This report was written by {_join(people)}", numbered=False)]


# -- corporate parenting -----------------------------------------------------------------------


def part_key_issues(c: Context) -> list[Block]:
    """Introduces the family sections under "Key issues for consideration"."""
    return [
        _p(
            f"The sections below set out the figures for {c.period} on children looked after by "
            f"{c.name}, adoption and special guardianship, and care leavers. Each figure is "
            f"compared with the previous year, with England and with the average of "
            f"{c.name}'s ten statistical neighbours"
        )
    ]


def part_commitments(c: Context) -> list[Block]:
    """The authority's "We will" commitments with their progress; nothing until params hold
    commitments (a later change adds them), so the section is then simply absent."""
    return []


def part_policy_implications(c: Context) -> list[Block]:
    """Policy implications."""
    return [
        _p(
            "There are no policy implications arising directly from this report. The figures "
            f"inform {c.name}'s work to meet the sufficiency duty in section 22G of the "
            "Children Act 1989: to secure, as far as reasonably practicable, sufficient "
            "accommodation in its area for the children it looks after"
        )
    ]


def part_community_impact(c: Context) -> list[Block]:
    """Community impact statement."""
    return [
        _p(
            "The decision to note this report has been judged to have no or a very small "
            "impact on local people and communities"
        ),
        _p(
            "The figures it reports are about children in care and care leavers, and matter "
            "to them and to the foster carers, adopters and special guardians who look after them"
        ),
    ]


def part_equalities_implications(c: Context) -> list[Block]:
    """Equalities implications (the public sector equality duty)."""
    return [
        _p(
            "Section 149 of the Equality Act 2010 (the public sector equality duty) requires "
            "the council to have due regard to the need to eliminate discrimination, advance "
            "equality of opportunity and foster good relations between people who share a "
            "protected characteristic and those who do not"
        ),
        _p(
            "Noting this report has no direct equality implications. Children in care and care "
            "leavers are among the most disadvantaged children and young people. The report "
            "describes figures, not services; any proposal for services that follows from it "
            "will take account of age, disability, race, religion or belief, sex and sexual "
            "orientation"
        ),
    ]


def part_financial_implications(c: Context) -> list[Block]:
    """Financial implications."""
    return [
        _p(
            "There are no financial implications arising directly from this report. The number "
            "of children looked after and the kind of placement they live in drive the cost of "
            "placements: places in children's homes and with independent fostering agencies "
            "generally cost more than places with the council's own foster carers"
        )
    ]


def part_legal_implications(c: Context) -> list[Block]:
    """Legal implications."""
    return [
        _p(
            "There are no legal implications arising directly from this report. The council's "
            "duties include the sufficiency duty in section 22G of the Children Act 1989, its "
            "duties to care leavers under that Act as amended by the Children (Leaving Care) "
            "Act 2000, and the corporate parenting principles in section 1 of the Children and "
            "Social Work Act 2017"
        )
    ]


def _contact_cell(c: Context) -> str:
    if not c.params.officers:
        return c.params.report_of
    officer = c.params.officers[0]
    name = officer.name.strip()
    contact = _contact(officer)
    return f"{name}, {contact}" if contact else name


def part_background_documents(c: Context) -> list[Block]:
    """The background documents table: the published statistics the report uses."""
    contact = _contact_cell(c)
    rows = [
        (
            "Department for Education: Children looked after in England including adoptions",
            "Explore Education Statistics (explore-education-statistics.service.gov.uk)",
            contact,
        ),
        (
            "Department for Education: children's services statistical neighbour benchmarking tool",
            "GOV.UK (www.gov.uk)",
            contact,
        ),
        (
            "Office for National Statistics: mid-year population estimates",
            "ONS (www.ons.gov.uk)",
            contact,
        ),
    ]
    rows += [
        (d.title, d.held_at, d.contact or contact)
        for d in c.params.committee_details.background_documents
    ]
    return [
        Table(
            caption="Background documents",
            columns=("Background papers", "Held at", "Contact"),
            rows=tuple(rows),
            kind="list",
        )
    ]


def _appendix_titles(c: Context) -> list[tuple[str, str]]:
    """``(letter, title)`` of each appendix: the context's, or the assembler's list when the
    appendices are built after the body."""
    if c.appendices:
        return [(a.letter, a.title) for a in c.appendices]
    if c.appendix_titles:
        return list(c.appendix_titles)

    return [(letter, title) for letter, title in APPENDICES]


def part_appendices_table(c: Context) -> list[Block]:
    """The appendices table (No., Title)."""
    titles = _appendix_titles(c)
    if not titles:
        return [_p("There are no appendices to this report", numbered=False)]
    return [
        Table(
            caption="Appendices",
            columns=("No.", "Title"),
            rows=tuple((f"Appendix {letter}", title) for letter, title in titles),
            kind="list",
        )
    ]


def part_audit_trail(c: Context) -> list[Block]:
    """The audit trail: lead officer, author, version, dates, key decision, officers consulted."""
    details = c.params.committee_details
    officers = list(c.params.officers)
    lead = details.lead_officer.strip()
    if not lead:
        lead = _officer_name(officers[0]) if officers else c.params.report_of
    author = details.report_author.strip()
    if not author:
        authors = officers[1:] or officers[:1]
        author = _join([_officer_name(o) for o in authors]) or lead
    meeting = c.params.meeting_date
    rows = (
        ("Lead officer", _capital(lead)),
        ("Report author", _capital(author)),
        ("Version", details.version),
        ("Dated", format_date(details.dated_or_default(meeting))),
        ("Key decision?", details.key_decision),
        ("Date final report sent", format_date(details.sent_or_default(meeting))),
    )
    blocks: list[Block] = [
        Table(caption="Audit trail", columns=("Item", "Detail"), rows=rows, kind="layout")
    ]
    if details.officers_consulted:
        blocks.append(
            Paragraph(
                "Consultation with other officers, directorates and the cabinet member:",
                numbered=False,
            )
        )
        blocks.append(
            Table(
                caption="Consultation with other officers, directorates and the cabinet member",
                columns=("Officer title", "Comments sought", "Comments included"),
                rows=tuple(
                    (
                        o.title,
                        "Yes" if o.comments_sought else "No",
                        "Yes" if o.comments_included else "No",
                    )
                    for o in details.officers_consulted
                ),
                kind="list",
            )
        )
    return blocks


STANDARD_PARTS: dict[str, Callable[[Context], list[Block]]] = {
    "summary": part_summary,
    "consultation": part_consultation,
    "risks_and_impact": part_risks_and_impact,
    "written_by": part_written_by,
    "key_issues": part_key_issues,
    "commitments": part_commitments,
    "policy_implications": part_policy_implications,
    "community_impact": part_community_impact,
    "equalities_implications": part_equalities_implications,
    "financial_implications": part_financial_implications,
    "legal_implications": part_legal_implications,
    "background_documents": part_background_documents,
    "appendices_table": part_appendices_table,
    "audit_trail": part_audit_trail,
}
"""Parts for the open-report and corporate-parenting layouts, by the name plans use."""
