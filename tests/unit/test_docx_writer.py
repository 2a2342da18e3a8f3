"""Tests of reportgen.docx: numbering, headings, tables, figures, properties, atomic reproducible
writes and template errors. Every check reopens the written .docx with python-docx and lxml."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from reportgen.core import paths
from reportgen.core.errors import DataError, TemplateError
from reportgen.docx import LAYOUTS, LayoutSpec, build_template, write_report
from reportgen.docx.layouts import TitleLine, TitleTable
from reportgen.docx.styles import required_styles
from reportgen.docx.writer import document_bytes
from reportgen.model import (
    Appendix,
    Bullets,
    Figure,
    Officer,
    Paragraph,
    Report,
    Section,
    Table,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}
MEETING = dt.date(2019, 6, 4)


def make_report(image: Path) -> Report:
    """Three body sections, 8 numbered paragraphs, a sub-paragraph, bullets, 2 tables, a figure,
    an appendix with 2 numbered paragraphs."""
    purpose = Section(
        "Purpose of report",
        [Paragraph("The purpose of this report is to update the Committee on sufficiency.")],
    )
    background = Section(
        "Background",
        [
            Paragraph("Leicestershire aims to provide **good quality placements** for children."),
            Paragraph("The strategy has four components:"),
            Bullets(("Edge of care", "Placement sufficiency", "Care leavers")),
            Paragraph("Progress is reported monthly to the board, which covers:"),
            Paragraph("fostering recruitment and retention;", level=1),
            Paragraph("This sentence continues the paragraph above.", numbered=False),
            Table(
                caption="Children looked after at 31 March",
                columns=("Year", "Leicestershire", "England rate"),
                rows=(("2022", "650", "70"), ("2023", "680", "71")),
                numeric_columns=(1, 2),
                source="DfE, Children looked after in England",
            ),
        ],
    )
    progress = Section(
        "Progress to date",
        [
            Paragraph("Placement stability improved over the year."),
            Figure(
                caption="Children looked after, 2019 to 2023",
                image=image,
                alt_text="Line chart: children looked after rose from 600 in 2019 to 680 in 2023.",
                width_cm=12.0,
            ),
            Paragraph("In-house fostering capacity grew."),
            Table(
                caption="Placement types",
                columns=("Placement", "Number"),
                rows=(("Foster", "400"), ("Residential", "60")),
                numeric_columns=(1,),
            ),
            Paragraph("Residential demand is stable."),
            Paragraph("The Committee is asked to note the report."),
        ],
    )
    background_papers = Section("Background Papers", [Paragraph("None", numbered=False)])
    appendix = Appendix(
        letter="A",
        title="Method",
        sections=[
            Section(
                "Data sources",
                [
                    Paragraph("Figures come from published DfE tables."),
                    Paragraph("Statistical neighbours are the DfE's ten closest."),
                ],
            )
        ],
    )
    return Report(
        title="Progress made against the Care Placement Strategy 2018-2021",
        committee="Children and Families Overview and Scrutiny Committee",
        meeting_date=MEETING,
        report_of="Report of the Director of Children and Family Services",
        sections=[purpose, background, progress, background_papers],
        appendices=[appendix],
        officers=[
            Officer("Jane Moore", "Director, Children and Family Services", "0116 305 2649"),
            Officer("Sharon Cooke", email="sharon.cooke@example.gov.uk"),
        ],
        subject="Care placement sufficiency",
        author="Performance and Insight Team",
        notice="Figures in this report are synthetic.",
    )


@pytest.fixture()
def written(tmp_path: Path, png: Path) -> Path:
    return write_report(make_report(png), tmp_path / "out" / "report.docx")


def body_paragraphs(path: Path):
    """(paragraph element, style name, text) for every body paragraph, in order."""
    document = docx.Document(str(path))
    return document, [(p._p, p.style.name, p.text) for p in document.paragraphs]


def num_pr(p) -> tuple[int, int] | None:
    found = p.find("w:pPr/w:numPr", NS)
    if found is None:
        return None
    return (
        int(found.find("w:numId", NS).get(qn("w:val"))),
        int(found.find("w:ilvl", NS).get(qn("w:val"))),
    )


def numbering_root(document):
    return document.part.numbering_part.element


def abstract_of(document, num_id: int) -> int:
    num = numbering_root(document).find(f"w:num[@w:numId='{num_id}']", NS)
    return int(num.find("w:abstractNumId", NS).get(qn("w:val")))


def split_body_appendix(rows):
    index = next(i for i, (_, _, text) in enumerate(rows) if text.startswith("Appendix A:"))
    return rows[:index], rows[index:]


# -- numbering --------------------------------------------------------------------------------


def test_numbered_paragraphs_share_one_body_list(written: Path) -> None:
    document, rows = body_paragraphs(written)
    body, _ = split_body_appendix(rows)
    numbered = [(num_pr(p), text) for p, style, text in body if style == "Normal" and num_pr(p)]
    assert len(numbered) == 9  # 8 main paragraphs and 1 sub-paragraph
    num_ids = {pr[0] for pr, _ in numbered}
    assert len(num_ids) == 1
    levels = [pr[1] for pr, _ in numbered]
    assert levels.count(1) == 1 and levels.count(0) == 8
    sub = next(text for pr, text in numbered if pr[1] == 1)
    assert sub == "fostering recruitment and retention;"


def test_unnumbered_paragraphs_have_no_numpr(written: Path) -> None:
    _, rows = body_paragraphs(written)
    for text in ("This sentence continues the paragraph above.", "None"):
        p = next(p for p, _, t in rows if t == text)
        assert num_pr(p) is None


def test_appendix_restarts_numbering_on_same_abstract(written: Path) -> None:
    document, rows = body_paragraphs(written)
    body, appendix = split_body_appendix(rows)
    body_num = next(num_pr(p)[0] for p, s, _ in body if s == "Normal" and num_pr(p))
    appendix_prs = [num_pr(p) for p, s, _ in appendix if s == "Normal" and num_pr(p)]
    assert len(appendix_prs) == 2
    appendix_num = appendix_prs[0][0]
    assert {pr[0] for pr in appendix_prs} == {appendix_num}
    assert appendix_num != body_num
    assert abstract_of(document, appendix_num) == abstract_of(document, body_num)
    num = numbering_root(document).find(f"w:num[@w:numId='{appendix_num}']", NS)
    start = num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS)
    assert start is not None and start.get(qn("w:val")) == "1"
    body_num_el = numbering_root(document).find(f"w:num[@w:numId='{body_num}']", NS)
    assert body_num_el.find("w:lvlOverride", NS) is None


def test_abstract_num_levels(written: Path) -> None:
    document, rows = body_paragraphs(written)
    body_num = next(num_pr(p)[0] for p, s, _ in rows if s == "Normal" and num_pr(p))
    abstract_id = abstract_of(document, body_num)
    abstract = numbering_root(document).find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)
    lvl0 = abstract.find("w:lvl[@w:ilvl='0']", NS)
    assert lvl0.find("w:numFmt", NS).get(qn("w:val")) == "decimal"
    assert lvl0.find("w:lvlText", NS).get(qn("w:val")) == "%1."
    ind = lvl0.find("w:pPr/w:ind", NS)
    assert int(ind.get(qn("w:hanging"))) > 0
    lvl1 = abstract.find("w:lvl[@w:ilvl='1']", NS)
    assert lvl1.find("w:numFmt", NS).get(qn("w:val")) == "lowerLetter"
    assert lvl1.find("w:lvlText", NS).get(qn("w:val")) == "(%2)"
    # every abstractNum comes before every num (schema order)
    tags = [child.tag.split("}")[1] for child in numbering_root(document)]
    assert tags.index("num") > max(i for i, t in enumerate(tags) if t == "abstractNum")


def test_bullets_use_a_separate_bullet_list(written: Path) -> None:
    document, rows = body_paragraphs(written)
    bullets = [(p, t) for p, s, t in rows if s == "List Bullet"]
    assert [t for _, t in bullets] == ["Edge of care", "Placement sufficiency", "Care leavers"]
    body_num = next(num_pr(p)[0] for p, s, _ in rows if s == "Normal" and num_pr(p))
    bullet_nums = {num_pr(p) for p, _ in bullets}
    assert len(bullet_nums) == 1
    ((bullet_num, ilvl),) = bullet_nums
    assert abstract_of(document, bullet_num) != abstract_of(document, body_num)
    abstract = numbering_root(document).find(
        f"w:abstractNum[@w:abstractNumId='{abstract_of(document, bullet_num)}']", NS
    )
    fmt = abstract.find(f"w:lvl[@w:ilvl='{ilvl}']/w:numFmt", NS).get(qn("w:val"))
    assert fmt == "bullet"


def test_no_typed_numbers(written: Path) -> None:
    _, rows = body_paragraphs(written)
    typed = re.compile(r"^\s*(\d+[.)]|\([a-z0-9]+\)|[a-z][.)])\s")
    offenders = [text for _, _, text in rows if typed.match(text)]
    assert offenders == []


# -- structure ---------------------------------------------------------------------------------


def test_title_block_and_notice(written: Path) -> None:
    _, rows = body_paragraphs(written)
    first = [(style, text) for _, style, text in rows[:4]]
    assert first == [
        ("Title Block", "CHILDREN AND FAMILIES OVERVIEW AND SCRUTINY COMMITTEE – 4 JUNE 2019"),
        ("Title", "PROGRESS MADE AGAINST THE CARE PLACEMENT STRATEGY 2018-2021"),
        ("Title Block", "REPORT OF THE DIRECTOR OF CHILDREN AND FAMILY SERVICES"),
        ("Notice", "Figures in this report are synthetic."),
    ]


def test_headings_in_order_without_skipped_levels(written: Path) -> None:
    _, rows = body_paragraphs(written)
    headings = [
        (int(style.split()[-1]), text) for _, style, text in rows if style.startswith("Heading")
    ]
    assert headings == [
        (1, "Purpose of report"),
        (1, "Background"),
        (1, "Progress to date"),
        (1, "Background Papers"),
        (1, "Officer(s) to Contact"),
        (1, "Appendix A: Method"),
        (2, "Data sources"),
    ]
    previous = 0
    for level, _ in headings:
        assert level <= previous + 1
        previous = level


def test_appendix_starts_on_new_page(written: Path) -> None:
    document = docx.Document(str(written))
    heading = next(p for p in document.paragraphs if p.text == "Appendix A: Method")
    assert heading.paragraph_format.page_break_before is True


def test_officers_section(written: Path) -> None:
    _, rows = body_paragraphs(written)
    start = next(i for i, (_, _, t) in enumerate(rows) if t == "Officer(s) to Contact")
    lines = [t for _, s, t in rows[start + 1 :] if s == "Contact"]
    assert lines == [
        "Jane Moore",
        "Director, Children and Family Services",
        "Telephone: 0116 305 2649",
        "Sharon Cooke",
        "Email: sharon.cooke@example.gov.uk",
    ]


def test_officers_section_not_duplicated(tmp_path: Path, png: Path) -> None:
    report = make_report(png)
    report.sections.append(Section("Officer(s) to Contact", [Paragraph("Ask the team.", False)]))
    path = write_report(report, tmp_path / "r.docx")
    _, rows = body_paragraphs(path)
    assert [t for _, _, t in rows].count("Officer(s) to Contact") == 1
    assert not any(s == "Contact" for _, s, _ in rows)


def test_bold_markup_renders_bold_run(written: Path) -> None:
    document = docx.Document(str(written))
    paragraph = next(p for p in document.paragraphs if "good quality" in p.text)
    assert "**" not in paragraph.text
    bold = [r.text for r in paragraph.runs if r.bold]
    assert bold == ["good quality placements"]


# -- tables and figures --------------------------------------------------------------------------


def test_tables(written: Path) -> None:
    document = docx.Document(str(written))
    assert len(document.tables) == 2
    for table in document.tables:
        assert table.style.name == "Table Grid"
        first = table.rows[0]._tr
        assert first.find("w:trPr/w:tblHeader", NS) is not None
        for row in table.rows[1:]:
            assert row._tr.find("w:trPr/w:tblHeader", NS) is None
        assert table._tbl.xpath(".//w:gridSpan | .//w:vMerge | .//w:hMerge") == []
        for cell in table.rows[0].cells:
            assert all(run.bold for run in cell.paragraphs[0].runs)
        for row in table.rows[1:]:
            for cell in row.cells:
                assert cell.paragraphs[0].style.name == "Table Text"
    first = document.tables[0]
    assert first.rows[1].cells[0].paragraphs[0].alignment is None
    assert first.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert first.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert [c.text for c in first.rows[0].cells] == ["Year", "Leicestershire", "England rate"]


def test_source_line_under_table(written: Path) -> None:
    document = docx.Document(str(written))
    tbl = document.tables[0]._tbl
    following = tbl.getnext()
    assert following.tag == qn("w:p")
    paragraph = DocxParagraph(following, document._body)
    assert paragraph.style.name == "Source"
    assert paragraph.text == "Source: DfE, Children looked after in England"
    assert document.styles["Source"].font.italic is True


def test_captions_are_computed(written: Path) -> None:
    _, rows = body_paragraphs(written)
    captions = [t for _, s, t in rows if s == "Caption"]
    assert captions == [
        "Table 1: Children looked after at 31 March",
        "Figure 1: Children looked after, 2019 to 2023",
        "Table 2: Placement types",
    ]
    # table captions sit directly above their tables
    document = docx.Document(str(written))
    for number, table in enumerate(document.tables, start=1):
        previous = table._tbl.getprevious()
        assert DocxParagraph(previous, None).text.startswith(f"Table {number}: ")


def test_figure_alt_text_and_size(written: Path, png: Path) -> None:
    document = docx.Document(str(written))
    doc_prs = document.element.body.findall(".//wp:docPr", NS)
    assert len(doc_prs) == 1
    for doc_pr in doc_prs:
        assert doc_pr.get("descr", "").strip()
        assert doc_pr.get("title") == "Figure 1: Children looked after, 2019 to 2023"
    ids = [d.get("id") for d in doc_prs]
    assert len(ids) == len(set(ids))
    shape = document.inline_shapes[0]
    assert abs(shape.width - Cm(12)) < Cm(0.01)
    assert abs(shape.height - Cm(6)) < Cm(0.01)  # 40 x 20 px keeps its aspect ratio
    with zipfile.ZipFile(written) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert [archive.read(n) for n in media] == [png.read_bytes()]
    # the caption is the paragraph after the picture
    picture = doc_prs[0].getparent().getparent().getparent().getparent()
    caption = picture.getnext()
    assert DocxParagraph(caption, None).text == "Figure 1: Children looked after, 2019 to 2023"


def test_figure_needs_alt_text(tmp_path: Path, png: Path) -> None:
    report = make_report(png)
    report.sections[0].blocks.append(Figure("Chart", png, alt_text="  "))
    with pytest.raises(ValueError, match="alt text"):
        write_report(report, tmp_path / "r.docx")
    assert list(tmp_path.glob("r.docx*")) == []


def test_ragged_table_is_rejected(tmp_path: Path, png: Path) -> None:
    report = make_report(png)
    report.sections[0].blocks.append(Table("Bad", ("A", "B"), (("1",),)))
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        write_report(report, tmp_path / "r.docx")


# -- properties and language ------------------------------------------------------------------


def test_core_properties(written: Path) -> None:
    document = docx.Document(str(written))
    props = document.core_properties
    midnight = dt.datetime(2019, 6, 4, tzinfo=dt.UTC)
    assert props.title == "Progress made against the Care Placement Strategy 2018-2021"
    assert props.subject == "Care placement sufficiency"
    assert props.author == "Performance and Insight Team"
    assert props.last_modified_by == "Performance and Insight Team"
    assert props.language == "en-GB"
    assert props.created == midnight
    assert props.modified == midnight
    assert props.last_printed == midnight
    assert props.revision == 1
    assert props.comments == ""
    lang = document.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(qn("w:val")) == "en-GB"


def test_body_text_is_arial_12(written: Path) -> None:
    document = docx.Document(str(written))
    normal = document.styles["Normal"]
    assert normal.font.name == "Arial"
    assert normal.font.size.pt == 12
    for name in ("Heading 1", "Heading 2", "Title", "Title Block", "Caption", "Table Text"):
        style = document.styles[name]
        size = style.font.size or normal.font.size
        assert size.pt >= 11, name
        assert style.font.color.rgb in (None, RGBColor(0, 0, 0)), name
    assert document.styles["Heading 1"].font.bold is True
    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert abs(section.left_margin - Cm(2.5)) < Cm(0.01)


# -- reproducible and atomic writes ---------------------------------------------------------


def test_two_writes_are_byte_identical(tmp_path: Path, png: Path) -> None:
    first = write_report(make_report(png), tmp_path / "a.docx")
    other_png = tmp_path / "elsewhere" / "chart.png"
    other_png.parent.mkdir()
    other_png.write_bytes(png.read_bytes())
    second = write_report(make_report(other_png), tmp_path / "b.docx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in infos)
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])


def test_missing_image_leaves_no_file(tmp_path: Path, png: Path) -> None:
    report = make_report(png)
    report.sections[2].blocks.append(Figure("Gone", tmp_path / "missing.png", "alt"))
    target = tmp_path / "out" / "report.docx"
    with pytest.raises(DataError, match="missing.png"):
        write_report(report, target)
    assert not target.exists()
    assert list(tmp_path.rglob("*.tmp")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png"]


def test_failed_write_keeps_old_file_and_leaves_no_temp(
    tmp_path: Path, png: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"previous")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("reportgen.docx.writer.os.replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_report(make_report(png), target)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png", "report.docx"]


def test_returns_path_and_creates_folder(tmp_path: Path, png: Path) -> None:
    target = tmp_path / "a" / "b" / "report.docx"
    assert write_report(make_report(png), str(target)) == target
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.docx"]


# -- templates ------------------------------------------------------------------------------------


def test_missing_template(tmp_path: Path, png: Path) -> None:
    with pytest.raises(TemplateError, match=r"county-scrutiny\.docx not found.*build_templates"):
        write_report(make_report(png), tmp_path / "r.docx", templates_dir=tmp_path / "none")
    assert not (tmp_path / "r.docx").exists()


def test_corrupt_template(tmp_path: Path, png: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "county-scrutiny.docx").write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="not a valid .docx.*build_templates") as info:
        write_report(make_report(png), tmp_path / "r.docx", templates_dir=folder)
    assert "\n" not in str(info.value)


def test_template_missing_a_style(tmp_path: Path, png: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    template = docx.Document(str(paths.TEMPLATES_DIR / "county-scrutiny.docx"))
    style = template.styles["Source"].element
    style.getparent().remove(style)
    template.save(str(folder / "county-scrutiny.docx"))
    with pytest.raises(TemplateError, match="no style 'Source'.*build_templates"):
        write_report(make_report(png), tmp_path / "r.docx", templates_dir=folder)


def test_unknown_layout(tmp_path: Path, png: Path) -> None:
    report = make_report(png)
    report.layout = "no-such-layout"  # type: ignore[assignment]
    with pytest.raises(TemplateError, match="unknown layout 'no-such-layout': choose one of"):
        write_report(report, tmp_path / "r.docx")


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_committed_template_is_current(name: str) -> None:
    spec = LAYOUTS[name]
    committed = paths.TEMPLATES_DIR / spec.template
    assert committed.is_file(), "run `python scripts/build_templates.py`"
    fresh = document_bytes(build_template(spec))
    with zipfile.ZipFile(committed) as old, zipfile.ZipFile(io.BytesIO(fresh)) as new:
        assert old.namelist() == new.namelist()
        for entry in old.namelist():
            assert old.read(entry) == new.read(entry), (
                f"{entry} differs: run `python scripts/build_templates.py`"
            )
    template = docx.Document(str(committed))
    missing = [s for s in required_styles(spec) if s not in template.styles]
    assert missing == []


def test_only_reportgen_docx_imports_python_docx() -> None:
    src = Path(__file__).resolve().parents[2] / "src" / "reportgen"
    pattern = re.compile(r"^\s*(import docx\b|from docx\b)", re.MULTILINE)
    offenders = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if "docx" not in path.relative_to(src).parts[:1] and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_template_copy_in_other_folder_is_used(tmp_path: Path, png: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(paths.TEMPLATES_DIR / "county-scrutiny.docx", folder)
    path = write_report(make_report(png), tmp_path / "r.docx", templates_dir=folder)
    assert path.read_bytes() == write_report(make_report(png), tmp_path / "s.docx").read_bytes()


def test_new_layout_is_only_a_layouts_entry(
    tmp_path: Path, png: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An "open report" style entry (label table, numbered headings, unnumbered paragraphs)
    renders without any change to the writer."""
    spec = LayoutSpec(
        name="open-report-test",
        template="county-scrutiny.docx",
        title_block=(
            TitleLine("Open Report on behalf of {report_of_raw}", style="title_block"),
            TitleTable(
                rows=(
                    ("Report to:", "{committee}"),
                    ("Date:", "{meeting_date}"),
                    ("Subject:", "{title}"),
                    ("Author:", "{author}"),
                )
            ),
        ),
        date_format="{day2} {month} {year}",
        numbered_paragraphs=False,
        numbered_headings=True,
        officers_heading=None,
    )
    monkeypatch.setitem(LAYOUTS, spec.name, spec)
    report = make_report(png)
    report.layout = spec.name  # type: ignore[assignment]
    report.report_of = "Heather Sandy, Executive Director - Children's Services"
    report.author = ""
    path = write_report(report, tmp_path / "open.docx")
    document = docx.Document(str(path))
    assert document.paragraphs[0].text.startswith("Open Report on behalf of Heather Sandy")
    front = document.tables[0]
    assert [[c.text for c in row.cells] for row in front.rows] == [
        ["Report to:", "Children and Families Overview and Scrutiny Committee"],
        ["Date:", "04 June 2019"],
        ["Subject:", "Progress made against the Care Placement Strategy 2018-2021"],
    ]
    heading_nums = {
        num_pr(p._p) for p in document.paragraphs if p.style.name == "Heading 1" and num_pr(p._p)
    }
    assert len(heading_nums) == 1  # the body's top-level headings share one numbered list
    normal_numbered = [p for p in document.paragraphs if p.style.name == "Normal" and num_pr(p._p)]
    assert normal_numbered == []
    assert "Officer(s) to Contact" not in [p.text for p in document.paragraphs]
    assert "Table 1: Children looked after at 31 March" in [p.text for p in document.paragraphs]
