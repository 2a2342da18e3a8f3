"""Tests of the three committee layouts: layout files, plans, rendering, numbering, accessibility,
reproducibility, the standard content parts and the committee details; and that a fourth layout
is only a new file and template."""

from __future__ import annotations

import datetime as dt
import doctest
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

import reportgen.core.committee
import reportgen.docx.tables
from reportgen.core import config, paths
from reportgen.core.committee import CommitteeDetails
from reportgen.core.config import load_params
from reportgen.core.errors import ParamsError, TemplateError
from reportgen.core.plans import (
    LAYOUT_FILES,
    PLANS,
    PlanItem,
    paragraph_numbers,
    read_layout_file,
)
from reportgen.docx import LAYOUTS, build_template, save_document, write_report
from reportgen.docx.checks import accessibility_problems, heading_outline
from reportgen.docx.layouts import spec_from_file
from reportgen.docx.tables import CELL_PADDING_CM, column_widths, text_width_cm
from reportgen.model import (
    Appendix,
    Block,
    Bullets,
    Figure,
    Officer,
    Paragraph,
    Report,
    Section,
    Table,
)
from reportgen.report.assemble import FAMILY_HEADINGS, PARTS
from reportgen.report.context import Context, Results
from reportgen.report.parts import STANDARD_PARTS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}
THREE = {"county-scrutiny", "open-report", "corporate-parenting"}


def _blocks(heading: str) -> list[Block]:
    """A little of everything under a heading."""
    return [
        Paragraph(f"The first paragraph under {heading}."),
        Paragraph("A sub-paragraph.", level=1),
        Bullets(("one", "two")),
        Paragraph("An unnumbered paragraph.", numbered=False),
    ]


def plan_report(layout: str, image: Path) -> Report:
    """A report laid out by ``layout``'s plan, with tables of every kind, a figure and an
    appendix, as the assembler would build it."""
    sections: list[Section] = []
    for item in PLANS[layout]:
        if item.heading is not None:
            sections.append(Section(item.heading, _blocks(item.heading)))
        for family in item.children:
            heading = FAMILY_HEADINGS[family]
            blocks = _blocks(heading)
            if family == "sufficiency":
                blocks += [
                    Figure("Children looked after", image, "Line chart: rose from 600 to 680."),
                    Table(
                        "Key indicators",
                        ("Indicator", "2024-25", "England"),
                        (("Children looked after", "694", "81,770"),),
                        numeric_columns=(1, 2),
                        source="DfE",
                    ),
                ]
            sections.append(Section(heading, blocks, level=2 if item.heading else 1))
    sections[-1].blocks += [
        Table("Appendices", ("No.", "Title"), (("Appendix A", "Method"),), kind="list"),
        Table("Audit trail", ("Item", "Detail"), (("Version", "Final"),), kind="layout"),
    ]
    return Report(
        title="Children in care: sufficiency, adoption and care leavers 2024-25",
        committee="Corporate Parenting Committee",
        meeting_date=dt.date(2025, 12, 1),
        report_of="Director of Children's Services",
        layout=layout,  # type: ignore[arg-type]
        sections=sections,
        appendices=[
            Appendix("A", "Method", [Section("Data", [Paragraph("One."), Paragraph("Two.")])])
        ],
        officers=[Officer("Jane Moore", "Director", "0116 305 2649")],
        subject="Children in care, adoption and care leavers: Testshire, 2024-25",
        author="Testshire Council",
        details=CommitteeDetails(item_no="8", director_name="Jane Moore").front_sheet(
            "Director of Children's Services"
        ),
    )


def paragraphs(path: Path) -> list[tuple[etree._Element, str, str]]:
    document = docx.Document(str(path))
    return [(p._p, p.style.name, p.text) for p in document.paragraphs]


def num_pr(p: etree._Element) -> tuple[int, int] | None:
    found = p.find("w:pPr/w:numPr", NS)
    if found is None:
        return None
    return int(found.find("w:numId", NS).get(qn("w:val"))), int(
        found.find("w:ilvl", NS).get(qn("w:val"))
    )


def numbering(path: Path) -> etree._Element:
    return docx.Document(str(path)).part.numbering_part.element


def abstract_of(root: etree._Element, num_id: int) -> etree._Element:
    num = root.find(f"w:num[@w:numId='{num_id}']", NS)
    abstract_id = num.find("w:abstractNumId", NS).get(qn("w:val"))
    return root.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)


# -- layout files and plans ---------------------------------------------------------------------


def test_each_layout_is_a_file_a_plan_a_spec_and_a_template() -> None:
    assert set(LAYOUT_FILES) == set(PLANS) == set(LAYOUTS) == THREE
    for name, spec in LAYOUTS.items():
        assert (paths.TEMPLATES_DIR / spec.template).is_file()
        assert LAYOUT_FILES[name].path == paths.TEMPLATES_DIR / "layouts" / f"{name}.yaml"
        assert spec.description


def test_params_accept_every_layout_and_only_those() -> None:
    base = config.load_params("E10000018", "2024-25")
    for name in LAYOUTS:
        assert config.load_params("E10000018", "2024-25", layout=name).layout == name
    with pytest.raises(ParamsError, match="unknown layout 'glossy'"):
        config.load_params("E10000018", "2024-25", layout="glossy")
    assert base.layout == "county-scrutiny"


@pytest.mark.parametrize("name", sorted(THREE))
def test_plans_name_only_known_parts_and_families(name: str) -> None:
    for item in PLANS[name]:
        assert set(item.parts) <= set(PARTS), item
        assert set(item.children) <= set(FAMILY_HEADINGS), item


def _in_order(required: list[str], headings: list[str]) -> bool:
    found = iter(headings)
    return all(heading in found for heading in required)


def test_plans_of_the_issue() -> None:
    """The sections the issue names, in its order (a plan may add sections between them)."""
    headings = {name: [i.heading for i in plan if i.heading] for name, plan in PLANS.items()}
    assert _in_order(
        [
            "Summary",
            "Actions Required",
            "Background",
            "Conclusion",
            "Consultation",
            "Risks and Impact Analysis",
            "Appendices",
            "Background Papers",
        ],
        headings["open-report"],
    )
    assert headings["open-report"][:2] == ["Summary", "Actions Required"]
    assert headings["corporate-parenting"][0] == "Recommendations"
    assert _in_order(
        [
            "Recommendations",
            "Background information",
            "Key issues for consideration",
            "Policy implications",
            "Community impact statement",
            "Equalities implications",
            "Financial implications",
            "Legal implications",
            "Background documents",
            "Appendices",
            "Audit trail",
        ],
        headings["corporate-parenting"],
    )
    assert headings["corporate-parenting"][-1] == "Audit trail"
    key_issues = next(
        i for i in PLANS["corporate-parenting"] if i.heading == "Key issues for consideration"
    )
    assert key_issues.children == ("sufficiency", "adoption", "care_leavers")
    assert "commitments" in key_issues.parts
    open_report = LAYOUTS["open-report"]
    assert open_report.rule_for("summary").numbering == "none"
    assert open_report.rule_for("Actions Required").numbering == "own"
    assert open_report.rule_for("Risks and Impact Analysis").level == 2
    assert open_report.rule_for("Background") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("body: []\n", "'body' must be a list"),
        ("body:\n  - heading: A\n    colour: red\n", "unknown key 'colour'"),
        ("body:\n  - heading: A\n    numbering: roman\n", "numbering 'roman'"),
        ("body:\n  - parts: [purpose]\n", "needs a 'heading' or 'families'"),
        ("body:\n  - heading: A\n    level: 3\n", "level must be 1 or 2"),
        ("name: other\nbody:\n  - heading: A\n", "the file is 'fourth'"),
        ("body:\n  - heading: A\nextra: 1\n", "unknown key 'extra'"),
        ("body: [\n", "invalid YAML"),
    ],
)
def test_bad_layout_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "fourth.yaml"
    path.write_text(text)
    with pytest.raises(TemplateError, match=re.escape(message)) as info:
        read_layout_file(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("render", "message"),
    [
        ("render:\n  title_block: []\n", "'title_block' must be a list"),
        ("render:\n  title_block:\n    - words: x\n", "expected a 'line:' or a 'table:'"),
        ("render:\n  title_block:\n    - line: x\n  numbering: {roman: true}\n", "'roman'"),
        ("render:\n  title_block:\n    - line: x\n  look: {body_pt: 9}\n", "at least 11 pt"),
        ("render:\n  title_block:\n    - table: [[a]]\n", "[label, value] pairs"),
    ],
)
def test_bad_render_mapping_is_a_clear_error(tmp_path: Path, render: str, message: str) -> None:
    path = tmp_path / "fourth.yaml"
    path.write_text("body:\n  - heading: A\n" + render)
    with pytest.raises(TemplateError, match=re.escape(message)):
        spec_from_file(read_layout_file(path))


def test_plan_item_defaults_keep_the_old_api() -> None:
    item = PlanItem("Background", ("background",))
    assert (item.children, item.numbering, item.level) == ((), "main", 1)


# -- every layout: structure, accessibility, reproducibility ---------------------------------


@pytest.mark.parametrize("layout", sorted(THREE))
def test_every_layout_is_accessible(tmp_path: Path, png: Path, layout: str) -> None:
    path = write_report(plan_report(layout, png), tmp_path / f"{layout}.docx")
    assert accessibility_problems(path) == []
    document = docx.Document(str(path))
    props = document.core_properties
    assert props.title == "Children in care: sufficiency, adoption and care leavers 2024-25"
    assert props.subject.startswith("Children in care")
    assert props.language == "en-GB"
    assert props.created == dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    for doc_pr in document.element.body.iter(f"{{{WP}}}docPr"):
        assert doc_pr.get("descr") == "Line chart: rose from 600 to 680."


@pytest.mark.parametrize("layout", sorted(THREE))
def test_every_layout_heading_order_follows_its_plan(
    tmp_path: Path, png: Path, layout: str
) -> None:
    path = write_report(plan_report(layout, png), tmp_path / "r.docx")
    expected: list[tuple[int, str]] = []
    spec = LAYOUTS[layout]
    for item in PLANS[layout]:
        if item.heading:
            expected.append((item.level, item.heading))
        for family in item.children:
            expected.append((2 if item.heading else 1, FAMILY_HEADINGS[family]))
    if spec.officers_heading:
        expected.append((1, spec.officers_heading))
    expected += [(1, "Appendix A: Method"), (2, "Data")]
    assert heading_outline(path) == expected


@pytest.mark.parametrize("layout", sorted(THREE))
def test_every_layout_is_byte_reproducible(tmp_path: Path, png: Path, layout: str) -> None:
    first = write_report(plan_report(layout, png), tmp_path / "a.docx")
    second = write_report(plan_report(layout, png), tmp_path / "b.docx")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("layout", sorted(THREE))
def test_every_layout_numbers_with_word_numbering(tmp_path: Path, png: Path, layout: str) -> None:
    path = write_report(plan_report(layout, png), tmp_path / "r.docx")
    rows = paragraphs(path)
    spec = LAYOUTS[layout]
    main = [
        num_pr(p)
        for p, _, t in rows
        if t.startswith("The first paragraph under")
        and not t.endswith(("Summary.", "Actions Required."))
    ]
    assert all(main), "every main paragraph carries w:numPr"
    assert len({pr[0] for pr in main}) == 1, "one continuous list through the body"
    assert {pr[1] for pr in main} == {1 if spec.outline_numbering else 0}
    sub = [num_pr(p) for p, _, t in rows if t == "A sub-paragraph."]
    unnumbered_sections = sum(rule.numbering == "none" for rule in spec.section_rules)
    assert sum(pr is None for pr in sub) == unnumbered_sections
    appendix = [num_pr(p) for p, _, t in rows if t in ("One.", "Two.")]
    assert appendix[0][0] == appendix[1][0] != main[0][0]
    root = numbering(path)
    start = root.find(f"w:num[@w:numId='{appendix[0][0]}']/w:lvlOverride/w:startOverride", NS)
    assert start is not None and start.get(qn("w:val")) == "1"


def word_numbers(path: Path) -> dict[str, str]:
    """The number Word shows before each numbered paragraph, worked out from w:numPr and the
    level texts of numbering.xml, by paragraph text."""
    root = numbering(path)
    counters: dict[int, list[int]] = {}
    shown = {}
    for p, _, text in paragraphs(path):
        pr = num_pr(p)
        if pr is None:
            continue
        num_id, ilvl = pr
        levels = abstract_of(root, num_id).findall("w:lvl", NS)
        if levels[0].find("w:numFmt", NS).get(qn("w:val")) == "bullet":
            continue
        count = counters.setdefault(num_id, [0] * len(levels))
        count[ilvl] += 1
        count[ilvl + 1 :] = [0] * (len(levels) - ilvl - 1)
        label = levels[ilvl].find("w:lvlText", NS).get(qn("w:val"))
        for k in range(ilvl + 1):
            label = label.replace(f"%{k + 1}", str(count[k]))
        shown[text] = label.strip(".")
    return shown


@pytest.mark.parametrize("layout", sorted(THREE))
def test_paragraph_numbers_match_what_word_shows(tmp_path: Path, png: Path, layout: str) -> None:
    report = plan_report(layout, png)
    path = write_report(report, tmp_path / "r.docx")
    shown = word_numbers(path)
    predicted = paragraph_numbers(layout, report.sections)
    assert len(predicted) >= len(PLANS[layout]) - 2
    for paragraph, number in predicted:
        assert shown[paragraph.text] == number, paragraph.text
    if layout == "open-report":
        numbers = dict((p.text, n) for p, n in predicted)
        assert numbers["The first paragraph under Background."] == "1.1"
        # 1 Background, 2 Placement providers and costs, 3 Looking ahead, 4 Conclusion,
        # 5 Questions the committee may wish to ask, 6 Consultation (Risks and Impact Analysis
        # is its level-2 part), 7 Financial Implications
        assert numbers["The first paragraph under Consultation."] == "6.1"
        assert numbers["The first paragraph under Risks and Impact Analysis."] == "6.2"
        assert numbers["The first paragraph under Financial Implications."] == "7.1"
        assert "The first paragraph under Summary." not in numbers


def test_open_report_numbers_headings_and_paragraphs_as_an_outline(
    tmp_path: Path, png: Path
) -> None:
    path = write_report(plan_report("open-report", png), tmp_path / "r.docx")
    rows = paragraphs(path)
    by_text = {t: (p, s) for p, s, t in rows}
    heading_pr = {t: num_pr(p) for p, s, t in rows if s.startswith("Heading 1")}
    numbered = [
        "Background",
        "Placement providers and costs",
        "Looking ahead",
        "Conclusion",
        "Questions the committee may wish to ask",
        "Consultation",
        "Financial Implications",
        "Appendices",
        "Background Papers",
    ]
    assert [t for t, pr in heading_pr.items() if pr] == numbered
    (outline_id,) = {heading_pr[t][0] for t in numbered}
    assert {heading_pr[t][1] for t in numbered} == {0}
    assert heading_pr["Summary"] is None and heading_pr["Actions Required"] is None
    # paragraphs 1.1, 1.2 ...: same list, one level down
    assert num_pr(by_text["The first paragraph under Background."][0]) == (outline_id, 1)
    assert num_pr(by_text["The first paragraph under Summary."][0]) is None
    root = numbering(path)
    levels = abstract_of(root, outline_id).findall("w:lvl", NS)
    texts = [lvl.find("w:lvlText", NS).get(qn("w:val")) for lvl in levels]
    assert texts[:3] == ["%1.", "%1.%2", "(%3)"]
    # Actions Required: a list of its own, restarting at 1, on its own definition
    actions = num_pr(by_text["The first paragraph under Actions Required."][0])
    assert actions is not None and actions[1] == 0
    own = abstract_of(root, actions[0])
    assert own.get(qn("w:abstractNumId")) != abstract_of(root, outline_id).get(
        qn("w:abstractNumId")
    )
    # the risks sub-heading is a Heading 2 and its paragraphs continue section 3
    risks = by_text["Risks and Impact Analysis"]
    assert risks[1] == "Heading 2" and num_pr(risks[0]) is None
    assert num_pr(by_text["The first paragraph under Risks and Impact Analysis."][0]) == (
        outline_id,
        1,
    )
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == (
        "Open Report on behalf of Jane Moore, Director of Children's Services"
    )
    front = document.tables[0]
    assert [[c.text for c in r.cells] for r in front.rows] == [
        ["Report to:", "Corporate Parenting Committee"],
        ["Date:", "01 December 2025"],
        ["Subject:", "Children in care: sufficiency, adoption and care leavers 2024-25"],
    ]


def test_corporate_parenting_front_sheet_and_capitals(tmp_path: Path, png: Path) -> None:
    path = write_report(plan_report("corporate-parenting", png), tmp_path / "r.docx")
    document = docx.Document(str(path))
    front = document.tables[0]
    assert [[c.text for c in r.cells] for r in front.rows] == [
        ["Item No.", "8"],
        ["Classification", "Open"],
        ["Date", "1 December 2025"],
        ["Meeting name", "Corporate Parenting Committee"],
        ["Report title", "Children in care: sufficiency, adoption and care leavers 2024-25"],
        ["Ward(s) or groups affected", "All"],
        ["From", "Director of Children's Services"],
    ]
    assert all(run.bold for run in front.rows[4].cells[1].paragraphs[0].runs)
    description = front._tbl.find("w:tblPr/w:tblDescription", NS).get(qn("w:val"))
    assert description.startswith("Layout table")
    assert front.style.name == "Table Grid"
    assert document.styles["Heading 1"].font.all_caps is True
    assert document.styles["Heading 2"].font.all_caps is not True
    first_heading = next(p for p in document.paragraphs if p.style.name.startswith("Heading"))
    assert first_heading.text == "Recommendations"  # capitals by style, not typed
    assert "Officer(s) to Contact" not in [p.text for p in document.paragraphs]


def test_empty_front_sheet_fields_are_left_out(tmp_path: Path, png: Path) -> None:
    report = plan_report("corporate-parenting", png)
    report.details = {}
    document = docx.Document(str(write_report(report, tmp_path / "r.docx")))
    labels = [r.cells[0].text for r in document.tables[0].rows]
    assert "Item No." not in labels and "Classification" not in labels
    assert "Report title" in labels


def test_table_kinds(tmp_path: Path, png: Path) -> None:
    path = write_report(plan_report("county-scrutiny", png), tmp_path / "r.docx")
    document = docx.Document(str(path))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert [c for c in captions if c.startswith("Table")] == ["Table 1: Key indicators"]
    by_caption = {}
    for table in document.tables:
        caption = table._tbl.find("w:tblPr/w:tblCaption", NS)
        by_caption[caption.get(qn("w:val")) if caption is not None else None] = table
    data, listed, layout = (
        by_caption["Table 1: Key indicators"],
        by_caption["Appendices"],
        by_caption["Audit trail"],
    )
    for table in (data, listed):
        assert table.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is not None
    assert [c.text for c in listed.rows[0].cells] == ["No.", "Title"]
    assert layout.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is None
    assert [c.text for c in layout.rows[0].cells] == ["Version", "Final"]
    assert layout.rows[0].cells[0].paragraphs[0].runs[0].bold is True
    look = layout._tbl.find("w:tblPr/w:tblLook", NS)
    assert look.get(qn("w:firstRow")) == "0"
    # schema order inside w:tblPr: ... tblLook, tblCaption, tblDescription
    tags = [etree.QName(child).localname for child in layout._tbl.tblPr]
    assert tags[-3:] == ["tblLook", "tblCaption", "tblDescription"]


def test_figures_and_numbers_never_break_inside_a_column() -> None:
    years = ("2020-21", "2021-22", "2022-23", "2023-24", "2024-25")
    table = Table(
        "Trend",
        ("Indicator", *years, "England", "SN avg."),
        (
            (
                "Children who ceased to be looked after",
                "231",
                "257",
                "316",
                "342",
                "290",
                "34,450",
                "282",
            ),
        ),
        numeric_columns=tuple(range(1, 8)),
    )
    widths = column_widths(table, 16.0)
    assert widths[6] >= text_width_cm("England", bold=True) + CELL_PADDING_CM
    assert widths[6] >= text_width_cm("34,450") + CELL_PADDING_CM
    assert sum(widths) <= 16.0 + 0.05


# -- a fourth layout is a file and a template ------------------------------------------------------

FOURTH = """
name: fourth
description: A cabinet report with a decision box.
body:
  - heading: Decision required
    parts: [recommendations]
    numbering: own
  - heading: Information
    parts: [purpose]
    families: [sufficiency]
  - heading: Implications
    parts: [legal_implications]
    level: 2
render:
  template: fourth.docx
  title_block:
    - line: "{committee}"
    - line: "{title}"
      style: title
    - table: [["Item", "{item_no}"], ["Wards", "{wards}"]]
  numbering: {paragraphs: true}
  officers: {heading: Contact officer, lines: ["{name}, {telephone}"]}
  look: {font: Verdana, body_pt: 12, title_centred: false}
"""


def test_a_fourth_layout_is_a_file_and_a_template(
    tmp_path: Path, png: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    layouts = tmp_path / "templates" / "layouts"
    layouts.mkdir(parents=True)
    (layouts / "fourth.yaml").write_text(FOURTH)
    layout_file = read_layout_file(layouts / "fourth.yaml")
    spec = spec_from_file(layout_file)
    save_document(build_template(spec), tmp_path / "templates" / "fourth.docx")
    monkeypatch.setitem(LAYOUTS, "fourth", spec)
    monkeypatch.setitem(PLANS, "fourth", layout_file.plan)
    report = plan_report("fourth", png)
    path = write_report(report, tmp_path / "r.docx", templates_dir=tmp_path / "templates")
    assert accessibility_problems(path) == []
    assert heading_outline(path)[:5] == [
        (1, "Decision required"),
        (1, "Information"),
        (2, FAMILY_HEADINGS["sufficiency"]),
        (2, "Implications"),
        (1, "Contact officer"),
    ]
    document = docx.Document(str(path))
    assert document.styles["Normal"].font.name == "Verdana"
    assert [p.text for p in document.paragraphs if p.style.name == "Contact"] == [
        "Jane Moore, 0116 305 2649"
    ]
    decision = next(p for p in document.paragraphs if p.text.endswith("Decision required."))
    info = next(p for p in document.paragraphs if p.text.endswith("under Information."))
    assert num_pr(decision._p)[0] != num_pr(info._p)[0]


# -- standard parts and committee details ------------------------------------------------------


@pytest.fixture(scope="module")
def southwark_context() -> Context:
    params = load_params("Southwark", "2024-25")
    appendices = [Appendix("A", "Data and definitions"), Appendix("B", "Indicator tables")]
    return Context(params, Results({}), Path("."), "2023-24", appendices)


def _texts(blocks: list[Block]) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out += [cell for row in (block.columns, *block.rows) for cell in row]
    return out


@pytest.mark.parametrize("name", sorted(STANDARD_PARTS))
def test_standard_parts_write_finished_text(southwark_context: Context, name: str) -> None:
    blocks = STANDARD_PARTS[name](southwark_context)
    if name == "commitments":
        assert blocks == []  # no commitments in params yet: no section text at all
        return
    assert blocks, name
    for text in _texts(blocks):
        assert text.strip()
        assert not re.search(r"\bTBC\b|\bTODO\b|\{|\}|\bNone\b|\bnan\b|XX", text), text


def test_standard_parts_are_registered_with_the_assembler() -> None:
    assert set(STANDARD_PARTS) <= set(PARTS)


def test_audit_trail_from_southwark_params(southwark_context: Context) -> None:
    label, consulted = [
        b for b in STANDARD_PARTS["audit_trail"](southwark_context) if isinstance(b, Table)
    ]
    rows = dict(label.rows)
    assert label.kind == "layout"
    # no officer named in Southwark's params: placeholders, never the 2019 paper's officers
    assert rows["Lead officer"] == "[Officer name], [Job title]"
    assert rows["Report author"] == "[Officer name], [Job title]"
    assert rows["Version"] == "Final" and rows["Key decision?"] == "No"
    assert rows["Dated"] == "24 November 2025"  # a week before the default 1 December meeting
    assert consulted.kind == "list"
    assert [r[0] for r in consulted.rows] == [
        "Director of Law and Democracy",
        "Strategic Director of Finance and Governance",
        "Cabinet Member",
    ]
    appendices = STANDARD_PARTS["appendices_table"](southwark_context)[0]
    assert appendices.rows == (
        ("Appendix A", "Data and definitions"),
        ("Appendix B", "Indicator tables"),
    )


def test_written_by_line_for_lincolnshire() -> None:
    params = load_params("Lincolnshire", "2024-25")
    context = Context(params, Results({}), Path("."), "2023-24")
    (line,) = STANDARD_PARTS["written_by"](context)
    assert line.numbered is False
    assert line.text == (
        "This report was written by [Officer name], who can be contacted on [Telephone] or [Email]."
    )
    assert params.layout == "open-report"
    assert params.committee == "Children and Young People Scrutiny Committee"
    assert params.committee_details.on_behalf_of(params.report_of) == (
        "Executive Director - Children's Services"
    )


def test_written_by_a_role_reads_as_a_role() -> None:
    params = load_params(
        "Leicestershire",
        "2024-25",
        overrides={"officers": [{"name": "Director of Children's Services"}]},
    )
    (line,) = STANDARD_PARTS["written_by"](Context(params, Results({}), Path("."), "2023-24"))
    assert line.text == "This report was written by the Director of Children's Services."


def test_committee_details_defaults_and_southwark() -> None:
    details = CommitteeDetails()
    assert (details.classification, details.wards, details.key_decision) == ("Open", "All", "No")
    assert details.version == "Final" and details.item_no == ""
    assert len(details.officers_consulted) == 3
    assert details.dated_or_default(dt.date(2019, 2, 26)) == dt.date(2019, 2, 19)
    with pytest.raises(ValueError, match="extra"):
        CommitteeDetails(colour="red")  # type: ignore[call-arg]
    southwark = load_params("Southwark", "2024-25")
    assert southwark.layout == "corporate-parenting"
    assert southwark.committee_details.lead_officer == ""  # the first officer, when named
    assert load_params("Leicestershire").committee_details == CommitteeDetails()


@pytest.mark.parametrize("module", [reportgen.core.committee, reportgen.docx.tables])
def test_docstring_examples(module) -> None:
    failures, attempted = doctest.testmod(module)
    assert attempted > 0 and failures == 0


# -- the accessibility checker catches problems -------------------------------------------------


def _rewrite(path: Path, change) -> bytes:
    """The .docx bytes with ``change(document_root)`` applied to word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                root = etree.fromstring(data)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(name, data)
    return out.getvalue()


def test_checker_reports_each_kind_of_problem(tmp_path: Path, png: Path) -> None:
    path = write_report(plan_report("county-scrutiny", png), tmp_path / "r.docx")

    def break_it(root: etree._Element) -> None:
        for doc_pr in root.iter(f"{{{WP}}}docPr"):
            del doc_pr.attrib["descr"]
        header = root.find(".//w:tblHeader", NS)
        header.getparent().remove(header)
        heading = root.xpath("//w:p[w:pPr/w:pStyle/@w:val='Heading1']", namespaces=NS)[1]
        heading.find("w:pPr/w:pStyle", NS).set(qn("w:val"), "Heading3")
        run = root.xpath("//w:p[not(w:pPr/w:numPr)]/w:r[w:t]", namespaces=NS)[3]
        rpr = run.find("w:rPr", NS)
        if rpr is None:
            rpr = etree.SubElement(run, qn("w:rPr"))
            run.insert(0, rpr)
        for tag, value in (("w:color", "FF0000"), ("w:sz", "16")):
            element = etree.SubElement(rpr, qn(tag))
            element.set(qn("w:val"), value)
        run.find("w:t", NS).text = "1. Typed number"

    problems = "\n".join(accessibility_problems(_rewrite(path, break_it)))
    for expected in (
        "has no alt text",
        "is level 3 after level 1",
        "has no header row",
        "coloured text",
        "smaller than 11 pt",
        "typed paragraph number",
    ):
        assert expected in problems
