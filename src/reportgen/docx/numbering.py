"""Real Word numbering (numbering.xml) for numbered paragraphs, bullets and headings.

python-docx has no API for defining or restarting lists, so this module writes the OOXML:

- one ``w:abstractNum`` for the report's paragraphs: level 0 ``1.``, level 1 ``(a)``, level 2
  ``(i)``, each with a hanging indent;
- one ``w:abstractNum`` for bullets, indented under the paragraph text;
- optionally one for numbered top-level headings, or one *outline* for layouts that number
  headings ``1.`` and their paragraphs ``1.1``, ``1.2`` (headings at level 0, paragraphs at
  level 1: Word restarts level 1 after each level-0 item);
- a ``w:num`` per list instance: the body's paragraphs share one (so numbers run 1..N across
  sections) and each appendix gets a new ``w:num`` on the same abstractNum with
  ``w:lvlOverride/w:startOverride`` = 1, which restarts the count;
- for sections numbered on their own ("Actions Required" before the numbered sections), a
  separate abstractNum, so restarting them never disturbs the body's count.

A paragraph joins a list by carrying ``w:numPr`` (``w:ilvl``, ``w:numId``); no number is ever
typed into the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

__all__ = [
    "BULLET_LEVELS",
    "PARAGRAPH_LEVELS",
    "Level",
    "ReportNumbering",
    "add_abstract_num",
    "add_num",
    "set_numbering",
]


@dataclass(frozen=True)
class Level:
    """One level of a numbering definition.

    Parameters
    ----------
    fmt
        ``w:numFmt`` value: ``decimal``, ``lowerLetter``, ``lowerRoman``, ``bullet``.
    text
        ``w:lvlText``: ``"%1."``, ``"(%2)"``, or the bullet character.
    text_steps
        Where the text starts, in indents from the margin (the number hangs one indent to its
        left); default: one indent deeper per level.
    """

    fmt: str
    text: str
    text_steps: int | None = None


PARAGRAPH_LEVELS: tuple[Level, ...] = (
    Level("decimal", "%1."),
    Level("lowerLetter", "(%2)"),
    Level("lowerRoman", "(%3)"),
)
"""Main paragraphs ``1.``, sub-paragraphs ``(a)``, sub-sub-paragraphs ``(i)``."""

BULLET_LEVELS: tuple[Level, ...] = (
    Level("bullet", "•"),
    Level("bullet", "–"),
    Level("bullet", "•"),
)
"""Bullets under a main paragraph, under a sub-paragraph, and one level deeper."""

HEADING_LEVELS: tuple[Level, ...] = (Level("decimal", "%1."),)
"""Numbered top-level headings (``1. Background``) for layouts that use them."""

OUTLINE_LEVELS: tuple[Level, ...] = (
    Level("decimal", "%1.", 1),
    Level("decimal", "%1.%2", 1),
    Level("lowerLetter", "(%3)", 2),
    Level("lowerRoman", "(%4)", 3),
)
"""Outline numbering: headings ``1.``, paragraphs ``1.1``, sub-paragraphs ``(a)``, ``(i)``."""


def add_abstract_num(
    numbering: etree._Element,
    levels: tuple[Level, ...],
    *,
    name: str,
    indent_twips: int,
    first_indent_steps: int = 0,
) -> int:
    """Add a ``w:abstractNum`` with ``levels`` and return its ``w:abstractNumId``.

    The new definition goes after the existing ones (the schema wants every abstractNum before
    the first ``w:num``); its id and ``w:nsid`` are derived from the existing ids, so the same
    template always gives the same XML.

    Parameters
    ----------
    numbering
        The ``w:numbering`` root of the numbering part.
    levels
        Formats of levels 0, 1, ...
    name
        ``w:name`` of the definition (shown by some editors).
    indent_twips
        Hanging indent; level ``i`` has its number at ``(i + first_indent_steps) * indent``
        and its text one indent further.
    first_indent_steps
        How many indents level 0's number sits from the margin (1 for bullets under text).

    Returns
    -------
    int
        The new abstractNumId.
    """
    existing = numbering.findall(qn("w:abstractNum"))
    ids = [int(a.get(qn("w:abstractNumId"))) for a in existing]
    abstract_id = max(ids, default=-1) + 1
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    _val(abstract, "w:nsid", f"{0x52470000 + abstract_id:08X}")
    _val(abstract, "w:multiLevelType", "multilevel")
    _val(abstract, "w:name", name)
    for ilvl, level in enumerate(levels):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        _val(lvl, "w:start", "1")
        _val(lvl, "w:numFmt", level.fmt)
        _val(lvl, "w:lvlText", level.text)
        _val(lvl, "w:lvlJc", "left")
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        steps = level.text_steps if level.text_steps is not None else ilvl + 1
        ind.set(qn("w:left"), str((steps + first_indent_steps) * indent_twips))
        ind.set(qn("w:hanging"), str(indent_twips))
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
    if existing:
        existing[-1].addnext(abstract)
    else:
        numbering.insert(0, abstract)
    return abstract_id


def add_num(numbering: etree._Element, abstract_id: int, *, restart: bool = False) -> int:
    """Add a ``w:num`` instance of ``abstract_id`` and return its ``w:numId``.

    Parameters
    ----------
    numbering
        The ``w:numbering`` root of the numbering part.
    abstract_id
        The abstractNumId the instance uses.
    restart
        Add ``w:lvlOverride w:ilvl="0"/w:startOverride w:val="1"`` so the count starts again
        at 1 instead of continuing the other instances of the same definition.

    Returns
    -------
    int
        The new numId.
    """
    num = numbering.add_num(abstract_id)
    if restart:
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(1)
    return int(num.numId)


def set_numbering(paragraph: DocxParagraph, num_id: int, ilvl: int) -> None:
    """Make ``paragraph`` an item of list ``num_id`` at level ``ilvl`` (``w:numPr``).

    Parameters
    ----------
    paragraph
        A python-docx paragraph.
    num_id
        The list instance (``w:num/@w:numId``).
    ilvl
        The level, 0-based.
    """
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


class ReportNumbering:
    """The lists of one report, added to a document's numbering part.

    Parameters
    ----------
    document
        The document being written (its numbering part is created if the template has none).
    indent_twips
        Hanging indent of each level (567 twips = 1 cm).
    numbered_headings
        Also define a list for top-level headings.
    outline
        Number headings and paragraphs as one outline (``1.``, ``1.1``): the heading list and
        the body's paragraph list are then the same list instance, at levels 0 and 1.

    Attributes
    ----------
    paragraph_abstract_id
        The abstractNum of numbered paragraphs.
    body_num_id
        The list instance of the body's numbered paragraphs (continuous across sections).
    bullet_num_id
        The list instance of every bullet.
    heading_num_id
        The list instance of numbered headings, or ``None``.
    paragraph_ilvl
        Level of a main body paragraph in the body's list (0; 1 in an outline).
    """

    def __init__(
        self,
        document: Document,
        *,
        indent_twips: int = 567,
        numbered_headings: bool = False,
        outline: bool = False,
    ) -> None:
        self._numbering = document.part.numbering_part.element
        self._indent_twips = indent_twips
        self._own_abstract_id: int | None = None
        self.paragraph_abstract_id = add_abstract_num(
            self._numbering,
            PARAGRAPH_LEVELS,
            name="reportgen numbered paragraphs",
            indent_twips=indent_twips,
        )
        self.bullet_abstract_id = add_abstract_num(
            self._numbering,
            BULLET_LEVELS,
            name="reportgen bullets",
            indent_twips=indent_twips,
            first_indent_steps=1,
        )
        self.heading_abstract_id: int | None = None
        if outline or numbered_headings:
            self.heading_abstract_id = add_abstract_num(
                self._numbering,
                OUTLINE_LEVELS if outline else HEADING_LEVELS,
                name="reportgen outline" if outline else "reportgen headings",
                indent_twips=indent_twips,
            )
        self.body_num_id = add_num(self._numbering, self.paragraph_abstract_id)
        self.bullet_num_id = add_num(self._numbering, self.bullet_abstract_id)
        self.heading_num_id: int | None = None
        if self.heading_abstract_id is not None:
            self.heading_num_id = add_num(self._numbering, self.heading_abstract_id)
        self.paragraph_ilvl = 0
        if outline:
            assert self.heading_num_id is not None
            self.body_num_id = self.heading_num_id
            self.paragraph_ilvl = 1

    @property
    def max_paragraph_level(self) -> int:
        """The deepest paragraph level (0-based) the definition has."""
        return len(PARAGRAPH_LEVELS) - 1

    @property
    def max_bullet_level(self) -> int:
        """The deepest bullet level (0-based) the definition has."""
        return len(BULLET_LEVELS) - 1

    def restart(self) -> int:
        """Return a new paragraph list instance whose numbering starts again at 1."""
        return add_num(self._numbering, self.paragraph_abstract_id, restart=True)

    def separate(self) -> int:
        """Return a list instance numbered 1, 2 ... apart from the body's paragraphs.

        It uses its own abstractNum (Word counts every instance of one abstractNum together
        unless restarted, so a restart there would also restart the body's numbers).
        """
        if self._own_abstract_id is None:
            self._own_abstract_id = add_abstract_num(
                self._numbering,
                PARAGRAPH_LEVELS,
                name="reportgen separate lists",
                indent_twips=self._indent_twips,
            )
        return add_num(self._numbering, self._own_abstract_id, restart=True)


def _val(parent: etree._Element, tag: str, value: str) -> None:
    """Append ``<tag w:val="value"/>`` to ``parent``."""
    child = OxmlElement(tag)
    child.set(qn("w:val"), value)
    parent.append(child)
