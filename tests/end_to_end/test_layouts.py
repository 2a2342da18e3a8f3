"""One real report per layout, through the command line, then its structure reopened from the .docx.

Each layout is run for the authority whose paper it is modelled on (Leicestershire, Lincolnshire,
Southwark), twice: the two files must be byte-identical.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from reportgen.core.plans import PLANS
from reportgen.docx.checks import accessibility_problems, heading_outline
from reportgen.report.assemble import FAMILY_HEADINGS

pytestmark = pytest.mark.slow

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
FAMILIES = [
    "Children in care and placement sufficiency",
    "Adoption and special guardianship",
    "Care leavers",
]
APPENDICES = [
    (1, "Appendix A: Data and definitions"),
    (1, "Appendix B: Indicator tables with five-year trends"),
]

CASES = {
    "county-scrutiny": (
        "Leicestershire",
        "E10000018",
        [
            (1, "Purpose of report"),
            (1, "Background"),
            *((1, f) for f in FAMILIES),
            (1, "Conclusions"),
            (1, "Questions the committee may wish to ask"),
            (1, "Recommendations"),
            (1, "Background Papers"),
            (1, "Circulation under the Local Issues Alert Procedure"),
            (1, "Equality and Human Rights Implications"),
            (1, "Appendices"),
            (1, "Officer(s) to Contact"),
        ],
    ),
    "open-report": (
        "Lincolnshire",
        "E10000019",
        [
            (1, "Summary"),
            (1, "Actions Required"),
            (1, "Background"),
            *((2, f) for f in FAMILIES),
            (1, "Placement providers and costs"),
            (1, "Looking ahead"),
            (1, "Conclusion"),
            (1, "Questions the committee may wish to ask"),
            (1, "Consultation"),
            (2, "Risks and Impact Analysis"),
            (1, "Financial Implications"),
            (1, "Appendices"),
            (1, "Background Papers"),
        ],
    ),
    "corporate-parenting": (
        "Southwark",
        "E09000028",
        [
            (1, "Recommendations"),
            (1, "Background information"),
            (1, "Key issues for consideration"),
            *((2, f) for f in FAMILIES),
            (2, "Placement providers and costs"),
            (2, "Looking ahead"),
            (2, "Conclusions"),
            (2, "Questions the committee may wish to ask"),
            (2, "Policy implications"),
            (2, "Community impact statement"),
            (2, "Equalities implications"),
            (2, "Financial implications"),
            (2, "Legal implications"),
            (2, "Consultation"),
            (1, "Background documents"),
            (1, "Appendices"),
            (1, "Audit trail"),
        ],
    ),
}


def _reportgen(project_root: Path) -> str:
    local = project_root / ".venv" / "bin" / "reportgen"
    return str(local) if local.exists() else (shutil.which("reportgen") or "reportgen")


@pytest.fixture(scope="module", params=sorted(CASES))
def written(request, project_root, tmp_path_factory):
    """(layout, first .docx, second .docx) for one layout."""
    layout = request.param
    authority, code, _ = CASES[layout]
    paths = []
    for run in ("first", "second"):
        out = tmp_path_factory.mktemp(f"{layout}-{run}")
        completed = subprocess.run(
            [
                _reportgen(project_root),
                "report",
                "--authority",
                authority,
                "--layout",
                layout,
                "--out",
                str(out),
            ],
            cwd=project_root,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr
        files = list((out / code / "2024-25").glob("*.docx"))
        assert len(files) == 1
        paths.append(files[0])
    return layout, paths[0], paths[1]


def _plan_headings(layout: str) -> set[tuple[int, str]]:
    """Every heading the layout's plan can print (sections left empty are left out)."""
    allowed = {(1, "Officer(s) to Contact")}
    for item in PLANS[layout]:
        if item.heading:
            allowed.add((item.level, item.heading))
        allowed |= {(2 if item.heading else 1, FAMILY_HEADINGS[f]) for f in item.children}
    return allowed


def test_headings_in_order(written):
    """The issue's headings, in order and at their levels; nothing but the plan's headings."""
    layout, path, _ = written
    outline = heading_outline(path)
    body = outline[: outline.index(APPENDICES[0])]
    required = CASES[layout][2]
    found = iter(body)
    assert all(heading in found for heading in required), (required, body)
    assert set(body) <= _plan_headings(layout)
    assert [h for h in outline if h[0] == 1][-2:] == APPENDICES


def test_accessible(written):
    _, path, _ = written
    assert accessibility_problems(path) == []
    document = docx.Document(str(path))
    props = document.core_properties
    assert props.title.startswith("Children in care")
    assert props.subject.startswith("Children in care, adoption and care leavers")
    assert props.language == "en-GB"
    assert props.created == props.modified == dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    pictures = document.element.body.findall(".//wp:docPr", document.element.nsmap)
    assert len(pictures) >= 3
    assert all(len(p.get("descr", "")) > 40 for p in pictures)


def test_numbered_with_word_numbering(written):
    layout, path, _ = written
    document = docx.Document(str(path))
    body = []
    for p in document.paragraphs:
        if p.text.startswith("Appendix A:") and p.style.name == "Heading 1":
            break
        body.append(p)
    numbered = [
        p._p.find("w:pPr/w:numPr", NS)
        for p in body
        if p.style.name == "Normal" and p._p.find("w:pPr/w:numPr", NS) is not None
    ]
    pairs = [
        (n.find("w:numId", NS).get(qn("w:val")), n.find("w:ilvl", NS).get(qn("w:val")))
        for n in numbered
    ]
    assert len(pairs) >= 25
    main = max({num for num, _ in pairs}, key=[num for num, _ in pairs].count)
    levels = {ilvl for num, ilvl in pairs if num == main}
    headings = [p for p in body if p.style.name == "Heading 1" and _num_id(p) is not None]
    if layout == "open-report":
        assert "1" in levels  # paragraphs 1.1, 1.2 ...
        assert [h.text for h in headings] == [
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
        heading_lists = {_num_id(h) for h in headings}
        assert heading_lists == {main}
        actions = _under(body, "Actions Required")
        assert actions and all(_num_id(p) not in (None, main) for p in actions)
        assert all(_num_id(p) is None for p in _under(body, "Summary"))
    else:
        assert "0" in levels
        assert headings == []
        recommendations = _under(body, "Recommendations")
        assert recommendations and all(_num_id(p) == main for p in recommendations)


def _num_id(paragraph) -> str | None:
    found = paragraph._p.find("w:pPr/w:numPr/w:numId", NS)
    return found.get(qn("w:val")) if found is not None else None


def _under(body, heading: str) -> list:
    """The body-text paragraphs of the section headed ``heading``."""
    start = next(i for i, p in enumerate(body) if p.text == heading)
    out = []
    for p in body[start + 1 :]:
        if p.style.name.startswith("Heading"):
            break
        if p.style.name == "Normal" and p.text.strip():
            out.append(p)
    return out


def test_front_sheet(written):
    layout, path, _ = written
    document = docx.Document(str(path))
    if layout == "open-report":
        assert document.paragraphs[0].text == (
            "Open Report on behalf of Executive Director - Children's Services"
        )
        labels = [r.cells[0].text for r in document.tables[0].rows]
        assert labels == ["Report to:", "Date:", "Subject:"]
        last = [p.text for p in document.paragraphs if p.text.startswith("This report was written")]
        assert last == [  # placeholders until Lincolnshire's params name the author
            "This report was written by [Officer name], who can be contacted on [Telephone] or "
            "[Email]."
        ]
    elif layout == "corporate-parenting":
        rows = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
        assert rows["Classification"] == "Open"
        assert rows["Meeting name"] == "Corporate Parenting Committee"
        assert rows["Ward(s) or groups affected"] == "All"
        assert rows["From"] == "Director of Children and Families"
        audit = next(t for t in document.tables if t.rows[0].cells[0].text == "Lead officer")
        assert audit.rows[0].cells[1].text == "[Officer name], [Job title]"
    else:
        assert document.paragraphs[0].text.startswith("CHILDREN AND FAMILIES OVERVIEW")


def test_tables_right_align_figures_with_thousands_separators(written):
    _, path, _ = written
    document = docx.Document(str(path))
    figures = 0
    for table in document.tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                paragraph = cell.paragraphs[0]
                if paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT:
                    figures += 1
                    assert not re.search(r"\d{4}", cell.text.replace("-", " ")), cell.text
    assert figures >= 50


def test_byte_identical_on_a_second_run(written):
    _, first, second = written
    assert first.read_bytes() == second.read_bytes()
