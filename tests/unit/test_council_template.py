"""A council's own Word template (``LAYOUT=our-template.docx``) and paragraph cross-references.

Two council templates are built by hand here with python-docx: "Shire" (A4, its own style names
such as "Numbered Para" and "CC Heading 1", a logo in the header, a front sheet of {fields},
python-docx's own numbering definitions) and "Borough" (US Letter, "Section Head" ... headings,
LibreOffice-style "Table Contents", a numbering part of its own with unusual ids). Every check
reopens the written .docx.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
import yaml
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Mm, Pt
from lxml import etree
from typer.testing import CliRunner

from reportgen.cli.app import app
from reportgen.core.config import load_params
from reportgen.core.errors import ParamsError, TemplateError
from reportgen.core.plans import get_plan, paragraph_numbers
from reportgen.docx import write_report
from reportgen.docx.council import draft_mapping, init_layout
from reportgen.docx.layouts import get_layout
from reportgen.model import Bullets, Paragraph, Ref, Report, Section

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MEETING = dt.date(2025, 12, 1)


# -- the two hand-built council templates --------------------------------------------------


def _drop_styles(document, names: set[str]) -> None:
    root = document.styles.element
    for style in list(root.iter(qn("w:style"))):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in names:
            root.remove(style)


def _add_styles(document, names: list[str]) -> None:
    for name in names:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]


def shire_template(folder: Path, logo: Path) -> Path:
    """A4, margins 2 cm; "Numbered Para", "Report Title", "Front Sheet", "CC Heading 1-3",
    "CC Caption", "Table Text", "Source Note"; no "Heading N", "Title", "Subtitle" or "Caption";
    a logo and the council's name in the header, {committee} – {meeting_date} in the footer;
    a front sheet of {fields}."""
    document = docx.Document()
    _drop_styles(document, {"heading 1", "heading 2", "heading 3", "Title", "Subtitle", "caption"})
    _add_styles(
        document,
        [
            "Numbered Para",
            "Report Title",
            "Front Sheet",
            "CC Heading 1",
            "CC Heading 2",
            "CC Heading 3",
            "CC Caption",
            "Table Text",
            "Source Note",
        ],
    )
    for name, size in (("Report Title", 16), ("CC Heading 1", 13), ("CC Heading 2", 12)):
        document.styles[name].font.bold = True
        document.styles[name].font.size = Pt(size)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    header = section.header.paragraphs[0]
    header.add_run().add_picture(str(logo), width=Cm(3))
    header.add_run("Shire County Council")
    section.footer.paragraphs[0].text = "{committee} – {meeting_date}"
    document.add_paragraph("Agenda item {item_no}", style="Front Sheet")
    document.add_paragraph("{title}", style="Report Title")
    front = document.add_paragraph("", style="Front Sheet")
    front.add_run("{report")  # a field split over two runs, as Word often saves it
    front.add_run("_of}")
    path = folder / "shire-template.docx"
    document.save(str(path))
    return path


BOROUGH_NUMBERING = f"""<w:numbering xmlns:w="{W}">
  <w:abstractNum w:abstractNumId="7"><w:nsid w:val="1A2B3C4D"/>
    <w:multiLevelType w:val="singleLevel"/>
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
      <w:lvlText w:val="Article %1"/><w:lvlJc w:val="left"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="12"><w:abstractNumId w:val="7"/></w:num>
</w:numbering>"""


def borough_template(folder: Path) -> Path:
    """US Letter; "Section Head", "Subsection Head", "Minor Head", "Table Contents", "Source"
    beside python-docx's "Body Text", "Title", "Subtitle" and "Caption"; a numbering part of
    its own (abstractNum 7, num 12); an instruction paragraph in the body."""
    document = docx.Document()
    _drop_styles(document, {"heading 1", "heading 2", "heading 3"})
    _add_styles(
        document, ["Section Head", "Subsection Head", "Minor Head", "Table Contents", "Source"]
    )
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    section.footer.paragraphs[0].text = "Borough Council – {title}"
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(BOROUGH_NUMBERING):
        numbering.append(child)
    document.add_paragraph("Delete this text and type the report.", style="Body Text")
    path = folder / "borough-template.docx"
    document.save(str(path))
    return path


@pytest.fixture()
def shire(tmp_path: Path, png: Path) -> Path:
    path = shire_template(tmp_path, png)
    init_layout(path)
    return path


@pytest.fixture()
def borough(tmp_path: Path) -> Path:
    path = borough_template(tmp_path)
    init_layout(path)
    return path


# -- a report with cross-references ----------------------------------------------------------


def referring_report(layout: str) -> Report:
    """County-scrutiny sections; worked by hand, the numbered paragraphs are 1 purpose,
    2 key messages' intro, 3-4 background (4 explains ``cla``), 5-6 care leavers (6 explains
    ``eet``), 7 questions' intro, 8 the recommendation citing paragraph 6."""
    return Report(
        title="Children in care 2024-25",
        committee="Children and Families Overview and Scrutiny Committee",
        meeting_date=MEETING,
        report_of="Director of Children and Family Services",
        layout=layout,
        details={"item_no": "8"},
        sections=[
            Section("Purpose of report", [Paragraph("The purpose of this report.")]),
            Section(
                "Key messages",
                [
                    Paragraph("The key messages are:"),
                    Bullets(
                        (
                            "Children looked after rose (paragraph 4).",
                            "Care leavers in education fell (paragraph 6).",
                        ),
                        refs=(Ref("4", "cla"), Ref("6", "eet")),
                    ),
                ],
            ),
            Section(
                "Background",
                [
                    Paragraph("The sufficiency duty."),
                    Paragraph("694 children were looked after.", anchors=("cla",)),
                ],
            ),
            Section(
                "Care leavers",
                [
                    Paragraph("Care leavers are young people."),
                    Paragraph("55% were in education, employment or training.", anchors=("eet",)),
                    Paragraph("A later paragraph on the same indicator.", anchors=("eet",)),
                ],
                level=1,
            ),
            Section(
                "Questions the committee may wish to ask",
                [
                    Paragraph("The figures raise these questions:"),
                    Bullets(("What lies behind the rise (paragraph 4)?",), refs=(Ref("4", "cla"),)),
                ],
            ),
            Section(
                "Recommendations",
                [
                    Paragraph(
                        "A focused report on care leavers (paragraph 6) is proposed.",
                        refs=(Ref("6", "eet"),),
                    )
                ],
            ),
        ],
    )


def body(path: Path) -> etree._Element:
    return docx.Document(str(path)).element.body


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def word_number(path: Path, target: str) -> str:
    """The number Word shows before the paragraph whose text is ``target``, worked out from w:numPr and numbering.xml's
    level texts (without its trailing full stop, as a REF \\r field gives it)."""
    document = docx.Document(str(path))
    numbering = document.part.numbering_part.element
    counters: dict[str, list[int]] = {}
    for p in document.element.body.iter(qn("w:p")):
        num_pr = p.find("w:pPr/w:numPr", NS)
        if num_pr is None:
            continue
        num_id = num_pr.find("w:numId", NS).get(qn("w:val"))
        ilvl = int(num_pr.find("w:ilvl", NS).get(qn("w:val")))
        abstract_id = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS).get(
            qn("w:val")
        )
        levels = numbering.findall(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl", NS)
        count = counters.setdefault(num_id, [0] * len(levels))
        count[ilvl] += 1
        count[ilvl + 1 :] = [0] * (len(count) - ilvl - 1)
        if text_of(p) == target:
            label = levels[ilvl].find("w:lvlText", NS).get(qn("w:val"))
            for k in range(ilvl + 1):
                label = label.replace(f"%{k + 1}", str(count[k]))
            return label.rstrip(".")
    raise AssertionError("not a numbered paragraph")


def references(path: Path) -> list[tuple[str, str, str]]:
    """Each REF field: (bookmark, switches, cached result)."""
    found = []
    for p in body(path).iter(qn("w:p")):
        runs = list(p.iter(qn("w:r")))
        for i, run in enumerate(runs):
            instr = run.find(qn("w:instrText"))
            if instr is None or not instr.text.strip().startswith("REF"):
                continue
            _, name, *switches = instr.text.split()
            cached = runs[i + 2].find(qn("w:t")).text  # begin, instr, separate, result, end
            assert runs[i + 1].find(qn("w:fldChar")).get(qn("w:fldCharType")) == "separate"
            assert runs[i + 3].find(qn("w:fldChar")).get(qn("w:fldCharType")) == "end"
            found.append((name, " ".join(switches), cached))
    return found


def bookmarked(path: Path) -> dict[str, etree._Element]:
    """Each bookmark's name and the paragraph holding it."""
    out = {}
    for start in body(path).iter(qn("w:bookmarkStart")):
        p = start.getparent()
        ids = [e.get(qn("w:id")) for e in p.iter(qn("w:bookmarkEnd"))]
        assert start.get(qn("w:id")) in ids  # closed in the same paragraph
        out[start.get(qn("w:name"))] = p
    return out


# -- `reportgen layout init` -----------------------------------------------------------------


def test_init_drafts_the_shire_mapping_from_its_styles(shire: Path) -> None:
    mapping = yaml.safe_load(shire.with_suffix(".yaml").read_text())
    assert mapping["base"] == "county-scrutiny"
    assert mapping["front_sheet"] == "template"  # its body has {fields}
    styles = mapping["styles"]
    assert styles["body"] == "Numbered Para"
    assert styles["title"] == "Report Title"
    assert styles["title_block"] == "Front Sheet"
    assert styles["headings"] == ["CC Heading 1", "CC Heading 2", "CC Heading 3"]
    assert styles["caption"] == "CC Caption"
    assert styles["table_text"] == "Table Text"
    assert styles["source"] == "Source Note"
    assert styles["table"] == "Table Grid"
    assert styles["bullet"] == "List Bullet"


def test_init_drafts_the_borough_mapping_from_its_styles(borough: Path) -> None:
    text = borough.with_suffix(".yaml").read_text()
    mapping = yaml.safe_load(text)
    assert mapping["front_sheet"] == "title_block"
    styles = mapping["styles"]
    assert styles["body"] == "Body Text"
    assert styles["title"] == "Title"
    assert styles["title_block"] == "Subtitle"
    assert styles["headings"] == ["Section Head", "Subsection Head", "Minor Head"]
    assert styles["caption"] == "Caption"
    assert styles["table_text"] == "Table Contents"
    assert styles["source"] == "Source"
    # no style looks like a contact line: the body style, flagged for the author
    assert styles["contact"] == "Body Text"
    assert re.search(r"contact: .*# CHECK", text)


def test_init_cli_writes_once_and_redrafts_with_force(tmp_path: Path) -> None:
    template = borough_template(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["layout", "init", str(template)])
    assert first.exit_code == 0, first.output
    assert template.with_suffix(".yaml").is_file()
    again = runner.invoke(app, ["layout", "init", str(template)])
    assert again.exit_code != 0
    assert "exists already" in again.output and "--force" in again.output
    forced = runner.invoke(app, ["layout", "init", str(template), "--force"])
    assert forced.exit_code == 0, forced.output


def test_init_refuses_an_unknown_base(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="base layout 'nope'"):
        draft_mapping(borough_template(tmp_path), base="nope")


# -- the mapping's errors ----------------------------------------------------------------------


def _edit_mapping(template: Path, **styles: str) -> None:
    path = template.with_suffix(".yaml")
    mapping = yaml.safe_load(path.read_text())
    for role, name in styles.items():
        if name is None:
            del mapping["styles"][role]
        else:
            mapping["styles"][role] = name
    path.write_text(yaml.safe_dump(mapping))


def test_missing_style_names_the_role_and_the_styles_found(shire: Path, tmp_path: Path) -> None:
    _edit_mapping(shire, body="Numbered Paragraph", source="Source Line")
    out = tmp_path / "out" / "paper.docx"
    with pytest.raises(TemplateError) as caught:
        write_report(referring_report(str(shire)), out)
    message = str(caught.value)
    assert "role 'body' (body text and numbered paragraphs)" in message
    assert "'Numbered Paragraph'" in message
    assert "role 'source'" in message and "'Source Line'" in message
    assert "Numbered Para, " in message  # the styles the template has
    assert "shire-template.yaml" in message
    assert not out.exists()


def test_unmapped_role_is_named(shire: Path) -> None:
    _edit_mapping(shire, caption=None)
    with pytest.raises(TemplateError, match=r"no style for role 'caption' \(table and figure"):
        get_layout(str(shire))


def test_template_without_mapping_says_how_to_draft_one(tmp_path: Path) -> None:
    template = borough_template(tmp_path)
    with pytest.raises(TemplateError, match="reportgen layout init"):
        get_plan(str(template))


def test_params_take_a_template_path_or_mapping(shire: Path, tmp_path: Path) -> None:
    params = load_params("Leicestershire", "2024-25", layout=str(shire))
    assert params.layout == str(shire.absolute())
    run = tmp_path / "run.yaml"
    run.write_text(f"layout: {{template: {shire}}}\ncontents: true\n")
    params = load_params("Leicestershire", "2024-25", params_file=run)
    assert params.layout == str(shire.absolute()) and params.contents is True
    with pytest.raises(ParamsError, match="key 'layout': council template .*none.docx not found"):
        load_params("Leicestershire", "2024-25", layout=str(tmp_path / "none.docx"))
    shire.with_suffix(".yaml").unlink()
    with pytest.raises(ParamsError, match="no style mapping shire-template.yaml"):
        load_params("Leicestershire", "2024-25", layout=str(shire))


def test_an_edited_council_template_or_mapping_changes_the_run_fingerprint(shire: Path) -> None:
    """``--resume`` must not skip a paper whose council template or style mapping changed."""
    from reportgen.run.report import input_hashes, inputs_fingerprint

    params = load_params("Leicestershire", "2024-25", layout=str(shire))
    hashes = input_hashes(params)
    assert {str(shire.absolute()), str(shire.absolute().with_suffix(".yaml"))} <= set(hashes)
    before = inputs_fingerprint(params)
    mapping = shire.with_suffix(".yaml")
    mapping.write_text(mapping.read_text() + "\n# reviewed\n")
    after_mapping = inputs_fingerprint(params)
    assert after_mapping != before
    shire.write_bytes(shire.read_bytes() + b"\0")  # the template itself
    assert inputs_fingerprint(params) not in (before, after_mapping)


# -- papers written on the council templates ---------------------------------------------------


def test_shire_paper_keeps_page_header_logo_and_fills_the_front_sheet(
    shire: Path, tmp_path: Path
) -> None:
    path = write_report(referring_report(str(shire)), tmp_path / "paper.docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.cm, 2) == 2
    header = section.header
    assert header.paragraphs[0].text == "Shire County Council"
    assert header._element.findall(f".//{{{W}}}drawing")  # the logo
    assert section.footer.paragraphs[0].text == (
        "Children and Families Overview and Scrutiny Committee – 1 December 2025"
    )
    paragraphs = document.paragraphs
    assert [(p.style.name, p.text) for p in paragraphs[:3]] == [
        ("Front Sheet", "Agenda item 8"),
        ("Report Title", "Children in care 2024-25"),  # the template's own front sheet
        ("Front Sheet", "Report of the Director of Children and Family Services"),
    ]
    styles = {p.text: p.style.name for p in paragraphs}
    assert styles["Purpose of report"] == "CC Heading 1"
    assert styles["694 children were looked after."] == "Numbered Para"
    assert styles["Children looked after rose (paragraph 4)."] == "List Bullet"


def test_borough_paper_is_letter_with_its_styles_and_numbering(
    borough: Path, tmp_path: Path
) -> None:
    path = write_report(referring_report(str(borough)), tmp_path / "paper.docx")
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    assert section.footer.paragraphs[0].text == "Borough Council – Children in care 2024-25"
    texts = [p.text for p in document.paragraphs]
    assert "Delete this text and type the report." not in texts  # the body was emptied
    styles = {p.text: p.style.name for p in document.paragraphs}
    # the base layout's title block, in capitals as county-scrutiny prints it
    assert styles["CHILDREN IN CARE 2024-25"] == "Title"
    assert styles["Purpose of report"] == "Section Head"
    assert styles["The sufficiency duty."] == "Body Text"
    numbering = document.part.numbering_part.element
    # the council's own definition is kept, ours added beside it
    assert numbering.find("w:num[@w:numId='12']/w:abstractNumId", NS).get(qn("w:val")) == "7"
    ids = [a.get(qn("w:abstractNumId")) for a in numbering.findall("w:abstractNum", NS)]
    assert len(ids) == len(set(ids)) and ids[0] == "7"


@pytest.mark.parametrize("which", ["shire", "borough", "county-scrutiny"])
def test_references_are_ref_fields_to_bookmarks_with_the_numbers_word_shows(
    which: str, shire: Path, borough: Path, tmp_path: Path
) -> None:
    layout = {"shire": str(shire), "borough": str(borough)}.get(which, which)
    report = referring_report(layout)
    path = write_report(report, tmp_path / "paper.docx")
    refs = references(path)
    # hand-worked: paragraph 4 explains cla, 6 explains eet; four references in all
    assert refs == [
        ("_RefPara1", "\\r \\h", "4"),
        ("_RefPara2", "\\r \\h", "6"),
        ("_RefPara1", "\\r \\h", "4"),
        ("_RefPara2", "\\r \\h", "6"),
    ]
    marks = bookmarked(path)
    assert set(marks) == {"_RefPara1", "_RefPara2"}
    assert text_of(marks["_RefPara1"]) == "694 children were looked after."
    # the first paragraph explaining eet, not the later one
    assert text_of(marks["_RefPara2"]) == "55% were in education, employment or training."
    assert word_number(path, text_of(marks["_RefPara1"])) == "4"
    assert word_number(path, text_of(marks["_RefPara2"])) == "6"
    predicted = {p.text: n for p, n in paragraph_numbers(layout, report.sections)}
    assert predicted["694 children were looked after."] == "4"
    # the text reads right before fields update
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Care leavers in education fell (paragraph 6)." in texts
    assert "A focused report on care leavers (paragraph 6) is proposed." in texts


def test_outline_references_give_the_outline_number(tmp_path: Path) -> None:
    """Open report: headings 1., 2. and paragraphs 1.1, 1.2 ...; Summary is not numbered."""
    report = Report(
        title="T",
        committee="C",
        meeting_date=MEETING,
        report_of="Director",
        layout="open-report",
        sections=[
            Section(
                "Summary",
                [Paragraph("See paragraph 2.2 for leavers.", refs=(Ref("2.2", "eet"),))],
            ),
            Section("Background", [Paragraph("One."), Paragraph("Two.")]),
            Section(
                "Conclusion",
                [Paragraph("Three."), Paragraph("Leavers.", anchors=("eet",))],
            ),
        ],
    )
    path = write_report(report, tmp_path / "open.docx")
    assert references(path) == [("_RefPara1", "\\r \\h", "2.2")]
    assert word_number(path, text_of(bookmarked(path)["_RefPara1"])) == "2.2"


def test_a_reference_to_no_paragraph_is_refused(tmp_path: Path) -> None:
    report = referring_report("county-scrutiny")
    report.sections[-1].blocks.append(
        Paragraph("See paragraph 9.", refs=(Ref("9", "nothing_explains_this"),))
    )
    with pytest.raises(ValueError, match="nothing_explains_this"):
        write_report(report, tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_contents_list_is_a_toc_field_cached_with_the_headings(
    borough: Path, tmp_path: Path
) -> None:
    report = referring_report(str(borough))
    report.contents = True
    path = write_report(report, tmp_path / "paper.docx")
    root = body(path)
    instr = [e.text for e in root.iter(qn("w:instrText")) if "TOC" in e.text]
    assert instr == [' TOC \\o "1-2" \\h \\z \\u ']
    entries = [
        text_of(p)
        for p in root.iter(qn("w:p"))
        if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(qn("w:val")) == "TOC1"
    ]
    assert entries == [
        "Purpose of report",
        "Key messages",
        "Background",
        "Care leavers",
        "Questions the committee may wish to ask",
        "Recommendations",
    ]
    no_toc = write_report(referring_report(str(borough)), tmp_path / "plain.docx")
    assert not [e for e in body(no_toc).iter(qn("w:instrText")) if "TOC" in e.text]


def test_the_mapping_can_ask_for_contents(borough: Path, tmp_path: Path) -> None:
    path = borough.with_suffix(".yaml")
    path.write_text(path.read_text().replace("contents: false", "contents: true"))
    written = write_report(referring_report(str(borough)), tmp_path / "paper.docx")
    assert [e for e in body(written).iter(qn("w:instrText")) if "TOC" in e.text]


@pytest.mark.parametrize("which", ["shire", "county-scrutiny"])
def test_two_writes_are_byte_identical(which: str, shire: Path, tmp_path: Path) -> None:
    layout = str(shire) if which == "shire" else which
    first = referring_report(layout)
    first.contents = True
    second = referring_report(layout)
    second.contents = True
    a = write_report(first, tmp_path / "a.docx").read_bytes()
    b = write_report(second, tmp_path / "b.docx").read_bytes()
    assert a == b


def test_a_paper_without_references_has_no_fields_or_bookmarks(tmp_path: Path) -> None:
    report = referring_report("county-scrutiny")
    for section in report.sections:
        section.blocks = [
            Bullets(b.items) if isinstance(b, Bullets) else Paragraph(b.text, anchors=b.anchors)
            for b in section.blocks
        ]
    path = write_report(report, tmp_path / "plain.docx")
    assert references(path) == [] and bookmarked(path) == {}
