"""``make report`` end to end, then reopen the .docx and check its structure and figures.

Figures expected for Leicestershire 2024-25 are the DfE published values (spot-check table in
shared/data/dfe/README.md, typed in by hand).
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile

import docx
import pytest
from lxml import etree

pytestmark = pytest.mark.slow

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}

BODY_HEADINGS = [
    "Purpose of report",
    "Key messages",
    "Background",
    "Children in care and placement sufficiency",
    "Placement providers and costs",
    "Looking ahead",
    "Adoption and special guardianship",
    "Care leavers",
    "Resource Implications",
    "Conclusions",
    "Questions the committee may wish to ask",
    "Recommendations",
    "Background Papers",
    "Circulation under the Local Issues Alert Procedure",
    "Equality and Human Rights Implications",
    "Appendices",
    "Officer(s) to Contact",
]


@pytest.fixture(scope="module")
def report(project_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    completed = subprocess.run(
        ["make", "report", f"OUT={out}"],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    folder = out / "E10000018" / "2024-25"
    files = list(folder.glob("*.docx"))
    assert len(files) == 1, list(folder.iterdir())
    return folder, files[0]


def _paragraphs(path):
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return root.findall(f".//{{{W}}}body/{{{W}}}p")


def test_audit_trail_is_kept(report):
    folder, _ = report
    run = json.loads((folder / "run.json").read_text())
    assert run["authority"]["code"] == "E10000018"
    assert run["period"] == "2024-25"
    assert any(name.endswith(".parquet") for name in run["inputs"])
    assert {"papermill", "python-docx", "pandas"} <= set(run["versions"])
    for family in ("sufficiency", "adoption", "care_leavers"):
        assert (folder / "notebooks" / f"{family}.ipynb").exists()
        assert (folder / "notebooks" / f"{family}.html").exists()
    assert not list(folder.parent.glob(".*staging*"))


def test_headings_in_order(report):
    _, path = report
    document = docx.Document(path)
    heading1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    body = heading1[: len(BODY_HEADINGS)]
    assert body == BODY_HEADINGS
    assert heading1[len(BODY_HEADINGS) :] == [
        "Appendix A: Data and definitions",
        "Appendix B: Indicator tables with five-year trends",
    ]
    levels = [
        int(p.style.name.split()[-1])
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
    ]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), "no skipped levels"


def test_numbered_paragraphs_use_word_numbering_continuously(report):
    _, path = report
    numbered = []
    for p in _paragraphs(path):
        num = p.find("w:pPr/w:numPr", NS)
        text = "".join(p.itertext())
        if num is not None:
            numbered.append(
                (
                    num.find("w:numId", NS).get(f"{{{W}}}val"),
                    num.find("w:ilvl", NS).get(f"{{{W}}}val"),
                    text,
                )
            )
        # no typed paragraph numbers
        assert not re.match(r"^\s*\d+\.\s", text), text
    body_num = numbered[0][0]
    body = [n for n in numbered if n[0] == body_num]
    assert len(body) >= 25, "a real report has many numbered paragraphs"
    with zipfile.ZipFile(path) as z:
        numbering_xml = etree.fromstring(z.read("word/numbering.xml"))

    def abstract_of(num_id):
        num = numbering_xml.find(f"w:num[@w:numId='{num_id}']", NS)
        return num.find("w:abstractNumId", NS).get(f"{{{W}}}val")

    # nothing restarts the count inside the body: no other list of the same kind before its end
    last = max(i for i, n in enumerate(numbered) if n[0] == body_num)
    same_kind = {n[0] for n in numbered[: last + 1] if abstract_of(n[0]) == abstract_of(body_num)}
    assert same_kind == {body_num}
    with zipfile.ZipFile(path) as z:
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    num = numbering.find(f"w:num[@w:numId='{body_num}']", NS)
    abstract_id = num.find("w:abstractNumId", NS).get(f"{{{W}}}val")
    abstract = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)
    lvl0 = abstract.find("w:lvl[@w:ilvl='0']", NS)
    assert lvl0.find("w:numFmt", NS).get(f"{{{W}}}val") == "decimal"
    assert lvl0.find("w:start", NS).get(f"{{{W}}}val") == "1"


def test_every_picture_has_alt_text_and_every_table_a_repeating_header(report):
    _, path = report
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    pictures = root.findall(".//wp:docPr", NS)
    assert len(pictures) >= 3, "at least one chart per family"
    for pic in pictures:
        assert len(pic.get("descr", "")) > 40
    tables = root.findall(f".//{{{W}}}tbl")
    assert len(tables) >= 4
    for table in tables:
        first_row = table.find("w:tr", NS)
        assert first_row.find("w:trPr/w:tblHeader", NS) is not None


def test_no_placeholder_or_nan_reaches_the_document(report):
    _, path = report
    document = docx.Document(path)
    # "None" alone is the council wording for no background papers or circulation
    texts = [p.text for p in document.paragraphs if p.text.strip() != "None"]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    joined = "\n".join(texts)
    for bad in ("nan", "None", "TODO", "{", "}", "NaN", "placeholder"):
        assert not re.search(
            rf"\b{re.escape(bad)}\b" if bad.isalpha() else re.escape(bad), joined
        ), bad
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert all(h.text.strip() for h in headings)


def test_leicestershire_figures_equal_dfe_published_values(report):
    """DfE published 2025 values (spot-check table): LA / England / SN mean."""
    _, path = report
    document = docx.Document(path)
    rows = {}
    for table in document.tables:
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            rows.setdefault(cells[0], cells)
    # a count is not compared with the neighbours' average count (issue 16): "–" where the DfE's
    # spot-check table gives the neighbours' mean (705); the rate row below carries the comparison
    assert rows["Children looked after at 31 March"][1:5] == ["694", "725", "81,770", "–"]
    assert rows["Children looked after per 10,000 children"][1:5] == ["47", "50", "67", "54"]
    assert rows["Children who started to be looked after"][1:4] == ["299", "311", "32,270"]
    assert rows["Children who ceased to be looked after"][1:4] == ["332", "275", "34,450"]
    assert rows["Children with 3 or more placements in the year (%)"][1:5] == [
        "10%",
        "9%",
        "10%",
        "12%",
    ]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "At 31 March 2025 there were 694 children looked after by Leicestershire" in body
    assert "59%" in body and "94%" in body


def test_no_child_level_identifiers(report):
    from reportgen.analysis.privacy import scan_docx

    _, path = report
    assert scan_docx(path) == []
