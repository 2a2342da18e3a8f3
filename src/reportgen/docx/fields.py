"""Word fields: paragraph cross-references (``REF`` to bookmarks) and a contents list (``TOC``).

A reference such as "(paragraph 14)" in a key message is written as "paragraph " followed by a
``REF _RefPara3 \\r \\h`` field whose cached result is ``14``; the referenced paragraph carries
the bookmark ``_RefPara3`` around its text. ``\\r`` gives the bookmarked paragraph's number as
Word numbers it, ``\\h`` makes the reference a link. The cached result is the number the
assembler computed (:func:`reportgen.core.plans.paragraph_numbers`), so the paper reads right
before Word updates its fields (F9, or on printing), and an edit that renumbers the paragraphs
is followed when it does.

Bookmark names and ids depend only on the report: targets are numbered in the order the
references first name them, ids continue after the template's own bookmarks. Same report, same
bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from reportgen.docx.styles import add_text
from reportgen.model import Bullets, Paragraph, Ref, Report

__all__ = [
    "BOOKMARK_PREFIX",
    "CrossReferences",
    "add_field",
    "add_toc",
    "ref_pattern",
]

BOOKMARK_PREFIX = "_RefPara"
"""Start of every paragraph bookmark (a leading ``_`` hides it from Word's bookmark list)."""

TOC_INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '
"""Headings of levels 1 and 2, as links; page numbers appear when Word updates the field."""


def ref_pattern(number: str) -> re.Pattern[str]:
    """The words "paragraph <number>" (not a longer number such as 14 in 140 or 1.3 in 1.30)."""
    return re.compile(rf"\bparagraph ({re.escape(number)})(?![0-9]|\.[0-9])")


def _run(parent, *children) -> None:  # noqa: ANN001 - an lxml element
    run = OxmlElement("w:r")
    for child in children:
        run.append(child)
    parent.append(run)


def _fld_char(kind: str):  # noqa: ANN202 - an lxml element
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def add_field(paragraph: DocxParagraph, instruction: str, cached: str) -> None:
    """Append a complex field with ``instruction`` and the cached result ``cached``.

    Parameters
    ----------
    paragraph
        A python-docx paragraph.
    instruction
        Field code, e.g. ``" REF _RefPara1 \\r \\h "``.
    cached
        Text shown until Word updates the field.
    """
    p = paragraph._p
    _run(p, _fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    _run(p, instr)
    _run(p, _fld_char("separate"))
    text = OxmlElement("w:t")
    text.text = cached
    _run(p, text)
    _run(p, _fld_char("end"))


class CrossReferences:
    """The paragraph references of one report: bookmark names, REF fields and bookmarks.

    Parameters
    ----------
    document
        The document being written (its template may hold bookmarks already).
    report
        The report; every :class:`~reportgen.model.Ref` of its body is collected.
    """

    def __init__(self, document: Document, report: Report) -> None:
        self.names: dict[str, str] = {}
        for section in report.sections:
            for block in section.blocks:
                if isinstance(block, Paragraph | Bullets):
                    for ref in block.refs:
                        if ref.target not in self.names:
                            self.names[ref.target] = f"{BOOKMARK_PREFIX}{len(self.names) + 1}"
        ids = [
            int(value)
            for element in document.element.body.iter(qn("w:bookmarkStart"))
            if (value := element.get(qn("w:id")) or "").isdigit()
        ]
        self.first_id = max(ids, default=0) + 1
        self.placed: set[str] = set()

    def add_text(self, paragraph: DocxParagraph, text: str, refs: Iterable[Ref]) -> None:
        """Append ``text`` to ``paragraph``, each "paragraph <n>" of ``refs`` as a REF field.

        Without a matching reference the runs are those of
        :func:`reportgen.docx.styles.add_text` (the same bytes as a paper without references).

        Raises
        ------
        ValueError
            A reference whose words "paragraph <n>" are not in ``text``.
        """
        spans: list[tuple[int, int, Ref]] = []
        for ref in refs:
            found = list(ref_pattern(ref.number).finditer(text))
            if not found:
                raise ValueError(f"reference to paragraph {ref.number} not in {text[:80]!r}")
            spans.extend((m.start(1), m.end(1), ref) for m in found)
        start = 0
        for begin, end, ref in sorted(set(spans), key=lambda span: span[0]):
            if begin < start:
                continue  # two references to one number: one field
            if text[start:begin]:
                add_text(paragraph, text[start:begin])
            add_field(paragraph, f" REF {self.names[ref.target]} \\r \\h ", ref.number)
            start = end
        if text[start:]:
            add_text(paragraph, text[start:])

    def bookmark(self, paragraph: DocxParagraph, anchors: Iterable[str]) -> None:
        """Put a bookmark around ``paragraph`` for each referenced anchor first seen here."""
        for anchor in anchors:
            name = self.names.get(anchor)
            if name is None or anchor in self.placed:
                continue
            self.placed.add(anchor)
            bookmark_id = str(self.first_id + int(name.removeprefix(BOOKMARK_PREFIX)) - 1)
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), bookmark_id)
            start.set(qn("w:name"), name)
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), bookmark_id)
            p = paragraph._p
            ppr = p.pPr
            if ppr is None:
                p.insert(0, start)
            else:
                ppr.addnext(start)
            p.append(end)

    def unplaced(self) -> list[str]:
        """Referenced anchors that no numbered body paragraph carried."""
        return [anchor for anchor in self.names if anchor not in self.placed]


def _toc_style(document: Document, level: int, body_style_id: str | None) -> str:
    """The style id of Word's built-in "toc <level>" style, added when the template lacks it."""
    style_id = f"TOC{level}"
    styles = document.styles.element
    for style in styles.iter(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            return style_id
    style = OxmlElement("w:style")
    style.set(qn("w:type"), "paragraph")
    style.set(qn("w:styleId"), style_id)
    name = OxmlElement("w:name")
    name.set(qn("w:val"), f"toc {level}")
    style.append(name)
    if body_style_id is not None:
        based = OxmlElement("w:basedOn")
        based.set(qn("w:val"), body_style_id)
        style.append(based)
    for tag, value in (("w:next", body_style_id or "Normal"), ("w:uiPriority", "39")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        style.append(child)
    style.append(OxmlElement("w:unhideWhenUsed"))
    ppr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:after"), "60")
    ppr.append(spacing)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(440 * (level - 1)))
    ppr.append(ind)
    style.append(ppr)
    styles.append(style)
    return style_id


def add_toc(
    document: Document,
    before: DocxParagraph,
    entries: list[tuple[int, str]],
    body_style_id: str | None,
) -> None:
    """Insert a contents list (a TOC field) before ``before``, cached with ``entries``.

    Parameters
    ----------
    document
        The document.
    before
        The paragraph the list goes before (the first body heading's place).
    entries
        ``(level, heading text)`` of every heading of levels 1 and 2, in order; they are the
        field's cached result (without page numbers, which Word adds when it updates it).
    body_style_id
        Style id the "toc N" styles are based on when the template lacks them.
    """
    if not entries:
        return
    shown = [(level, text) for level, text in entries if level <= 2]
    paragraphs: list[DocxParagraph] = []
    for level, text in shown:
        paragraph = before.insert_paragraph_before()
        ppr = paragraph._p.get_or_add_pPr()
        pstyle = ppr._new_pStyle()
        pstyle.val = _toc_style(document, level, body_style_id)
        ppr.insert(0, pstyle)
        paragraphs.append(paragraph)
        if len(paragraphs) == 1:
            p = paragraph._p
            _run(p, _fld_char("begin"))
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = TOC_INSTRUCTION
            _run(p, instr)
            _run(p, _fld_char("separate"))
        add_text(paragraph, text)
    _run(paragraphs[-1]._p, _fld_char("end"))
