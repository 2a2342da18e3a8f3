"""Accessibility checks of a written .docx (the rules every layout must meet).

:func:`accessibility_problems` reopens the file's XML and lists what a screen-reader user or an
accessibility audit would trip over:

- a picture without alt text (``wp:docPr/@descr``);
- headings that are not heading styles in order (the first is level 1, none skips a level);
- a table without a header row (``w:tblHeader`` on its first row) that is not marked as a
  layout table, or a data table with merged cells;
- no document title or subject, or a language other than the report's;
- text smaller than 11 pt;
- coloured or highlighted text (nothing may be conveyed by colour alone);
- a paragraph number typed into the text instead of Word numbering.

It is used by the tests of every layout; authors can run it on an edited paper too.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from reportgen.docx.tables import LAYOUT_TABLE

__all__ = ["MIN_TEXT_HALF_POINTS", "accessibility_problems", "heading_outline"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
MIN_TEXT_HALF_POINTS = 22
"""11 pt, the smallest text allowed."""
_TYPED_NUMBER = re.compile(r"^\s*(\d+(\.\d+)*[.)]|\([a-z0-9]{1,4}\)|[a-z][.)])\s")
_HEADING = re.compile(r"^heading (\d)$", re.IGNORECASE)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    size: int | None
    color: str | None


def _styles(root: etree._Element) -> tuple[dict[str, _Style], int, str | None]:
    """Paragraph styles by id, the default text size (half-points) and the default style id."""
    styles: dict[str, _Style] = {}
    default_id = None
    for style in root.findall("w:style", NS):
        if style.get(_w("type")) != "paragraph":
            continue
        style_id = style.get(_w("styleId"))
        name = style.find("w:name", NS)
        based = style.find("w:basedOn", NS)
        size = style.find("w:rPr/w:sz", NS)
        color = style.find("w:rPr/w:color", NS)
        styles[style_id] = _Style(
            name=name.get(_w("val")) if name is not None else style_id,
            based_on=based.get(_w("val")) if based is not None else None,
            size=int(size.get(_w("val"))) if size is not None else None,
            color=color.get(_w("val")) if color is not None else None,
        )
        if style.get(_w("default")) in ("1", "true"):
            default_id = style_id
    size = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS)
    default_size = int(size.get(_w("val"))) if size is not None else 20  # Word's own: 10 pt
    return styles, default_size, default_id


def _resolve(styles: dict[str, _Style], style_id: str | None, attr: str) -> object:
    seen = set()
    while style_id is not None and style_id in styles and style_id not in seen:
        seen.add(style_id)
        value = getattr(styles[style_id], attr)
        if value is not None:
            return value
        style_id = styles[style_id].based_on
    return None


def _text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t")))


def _style_id(p: etree._Element, default_id: str | None) -> str | None:
    found = p.find("w:pPr/w:pStyle", NS)
    return found.get(_w("val")) if found is not None else default_id


def heading_outline(source: Path | str | bytes) -> list[tuple[int, str]]:
    """``(level, text)`` of every heading-style paragraph of the body, in order."""
    parts = _read(source)
    styles, _, default_id = _styles(parts["word/styles.xml"])
    out = []
    for p in parts["word/document.xml"].iter(_w("p")):
        sid = _style_id(p, default_id)
        match = _HEADING.match(styles[sid].name) if sid in styles else None
        if match:
            out.append((int(match.group(1)), _text(p)))
    return out


def _read(source: Path | str | bytes) -> dict[str, etree._Element]:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in ("word/document.xml", "word/styles.xml", "docProps/core.xml")
        }


def accessibility_problems(source: Path | str | bytes, *, language: str = "en-GB") -> list[str]:
    """List the accessibility problems of a .docx; an empty list means it passes.

    Parameters
    ----------
    source
        The .docx file, or its bytes.
    language
        The language the document must declare.

    Returns
    -------
    list of str
        One line per problem, naming what and where.
    """
    parts = _read(source)
    document, styles_root, core = (
        parts["word/document.xml"],
        parts["word/styles.xml"],
        parts["docProps/core.xml"],
    )
    styles, default_size, default_id = _styles(styles_root)
    problems: list[str] = []

    for doc_pr in document.iter(f"{{{NS['wp']}}}docPr"):
        if not (doc_pr.get("descr") or "").strip():
            problems.append(f"picture {doc_pr.get('name')!r} has no alt text")

    previous = 0
    for level, text in heading_outline(source):
        if (previous == 0 and level != 1) or level > previous + 1:
            problems.append(f"heading {text!r} is level {level} after level {previous}")
        if not text.strip():
            problems.append("an empty heading")
        previous = level

    for index, table in enumerate(document.iter(_w("tbl")), start=1):
        description = table.find("w:tblPr/w:tblDescription", NS)
        layout = description is not None and (description.get(_w("val")) or "").startswith(
            LAYOUT_TABLE
        )
        first_row = table.find("w:tr", NS)
        if layout:
            continue
        if first_row is None or first_row.find("w:trPr/w:tblHeader", NS) is None:
            problems.append(f"table {index} has no header row and is not a layout table")
        if table.xpath(".//w:gridSpan | .//w:vMerge | .//w:hMerge", namespaces=NS):
            problems.append(f"table {index} has merged cells")

    title = core.find("dc:title", NS)
    subject = core.find("dc:subject", NS)
    lang = core.find("dc:language", NS)
    if title is None or not (title.text or "").strip():
        problems.append("the document has no title property")
    if subject is None or not (subject.text or "").strip():
        problems.append("the document has no subject property")
    if lang is None or lang.text != language:
        problems.append(f"the document language is not {language}")
    default_lang = styles_root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    if default_lang is None or default_lang.get(_w("val")) != language:
        problems.append(f"the default proofing language is not {language}")

    for p in document.iter(_w("p")):
        sid = _style_id(p, default_id)
        size = _resolve(styles, sid, "size") or default_size
        text = _text(p)
        if text.strip() and int(size) < MIN_TEXT_HALF_POINTS:  # type: ignore[call-overload]
            problems.append(f"text smaller than 11 pt: {text[:50]!r}")
        color = _resolve(styles, sid, "color")
        if text.strip() and color not in (None, "auto", "000000"):
            problems.append(f"coloured text ({color}): {text[:50]!r}")
        if _TYPED_NUMBER.match(text):
            problems.append(f"a typed paragraph number: {text[:50]!r}")
        for run in p.iter(_w("r")):
            run_text = "".join(t.text or "" for t in run.iter(_w("t")))
            if not run_text.strip():
                continue
            sz = run.find("w:rPr/w:sz", NS)
            if sz is not None and int(sz.get(_w("val"))) < MIN_TEXT_HALF_POINTS:
                problems.append(f"text smaller than 11 pt: {run_text[:50]!r}")
            color = run.find("w:rPr/w:color", NS)
            if color is not None and color.get(_w("val")) not in ("auto", "000000"):
                problems.append(f"coloured text: {run_text[:50]!r}")
            if run.find("w:rPr/w:highlight", NS) is not None:
                problems.append(f"highlighted text: {run_text[:50]!r}")
    return problems
