"""The report as plain data: sections, numbered paragraphs, tables, figures (no python-docx here).

``reportgen.report.assemble`` builds a :class:`Report` from indicator results and params;
``reportgen.docx.writer`` turns it into Word. Nothing in this module knows about Word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Ref:
    """A reference to a numbered paragraph ("paragraph 14"), written as a Word cross-reference.

    The text keeps the number as printed; the writer turns each ``paragraph <number>`` in the
    text of the block holding this reference into "paragraph " followed by a ``REF`` field to a
    bookmark on the referenced paragraph, whose cached result is ``number`` (so the paper reads
    right before Word updates its fields).

    Parameters
    ----------
    number
        The paragraph number as the text gives it (``"14"``, ``"1.3"``).
    target
        An anchor (indicator id) of the referenced paragraph: the first numbered main body
        paragraph whose ``anchors`` hold it, as
        :func:`reportgen.core.plans.paragraph_numbers` numbers it.
    """

    number: str
    target: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of body text.

    Parameters
    ----------
    text
        Plain text. ``**bold**`` spans are rendered bold; nothing else is interpreted.
    numbered
        True for the report's main numbered paragraphs (continuous 1..N across sections).
    level
        0 for a main paragraph, 1 for a sub-paragraph ((a), (b) ...) under the previous main one.
    anchors
        Indicator ids this paragraph explains (key messages refer to it by its number).
    comment
        A note for the report's author, written as a Word comment on the paragraph (default
        text to replace or confirm); empty for none.
    comment_span
        How many paragraphs (this one and the next ones) the comment covers.
    refs
        Paragraph references in ``text`` to write as cross-references (:class:`Ref`).
    """

    text: str
    numbered: bool = True
    level: int = 0
    anchors: tuple[str, ...] = ()
    comment: str = ""
    comment_span: int = 1
    refs: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class Bullets:
    """An unnumbered bullet list, attached to the paragraph before it.

    Parameters
    ----------
    items
        The bullets' text (``**bold**`` spans as in :class:`Paragraph`).
    refs
        Paragraph references in the items to write as cross-references (:class:`Ref`).
    """

    items: tuple[str, ...]
    refs: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table with one header row.

    Parameters
    ----------
    caption
        Caption text without the "Table N:" prefix (numbers are computed by the writer).
    columns
        Header cells.
    rows
        Body cells, already formatted as display strings.
    numeric_columns
        Indices of columns to right-align.
    source
        Source line printed under the table ("Source: ...").
    kind
        ``"data"`` (default): a numbered "Table N:" caption above, a header row repeated on each
        page, the source line below. ``"list"``: a register such as background documents or
        appendices, with a header row but no caption line or number (the caption is kept as
        the table's title for screen readers). ``"layout"``: a label/value grid such as an
        audit trail; ``columns`` are not printed, the first column is bold, and the table is
        marked as a layout table.
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_columns: tuple[int, ...] = ()
    source: str = ""
    kind: Literal["data", "list", "layout"] = "data"


@dataclass(frozen=True)
class Figure:
    """A chart image with its caption and alt text.

    Parameters
    ----------
    caption
        Caption text without the "Figure N:" prefix.
    image
        Path of a PNG file.
    alt_text
        What the chart shows and its key figure (written to ``wp:docPr/@descr``).
    width_cm
        Display width; the height follows the image's aspect ratio.
    """

    caption: str
    image: Path
    alt_text: str
    width_cm: float = 15.0


Block = Paragraph | Bullets | Table | Figure


@dataclass
class Section:
    """A headed section of the report body or of an appendix."""

    heading: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 1


@dataclass(frozen=True)
class Officer:
    """An officer to contact."""

    name: str
    job_title: str = ""
    telephone: str = ""
    email: str = ""


@dataclass
class Appendix:
    """An appendix: a letter, a title and its own sections (paragraph numbering restarts)."""

    letter: str
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Report:
    """A whole committee paper, independent of any Word layout.

    Parameters
    ----------
    title
        Report title (also the document title property).
    committee
        Meeting name, e.g. "Children and Families Overview and Scrutiny Committee".
    meeting_date
        Date of the meeting; also used for the fixed core-property dates (reproducible output).
    report_of
        Who the report is from ("Report of the Director of Children and Family Services").
    layout
        Name of the layout (``templates/layouts/<name>.yaml``), or the path of a council's own
        Word template (``.docx``) with its style mapping beside it.
    sections
        Body sections in order; paragraphs numbered continuously across them.
    appendices
        Appendices; each restarts its paragraph numbering.
    officers
        Officer(s) to contact.
    subject
        Document subject property.
    notice
        A short banner shown under the title block (e.g. that figures are synthetic); empty for none.
    details
        Further front-sheet fields a layout's title block may print, by name (``item_no``,
        ``classification``, ``wards``, ``on_behalf_of`` ...); see
        :meth:`reportgen.core.committee.CommitteeDetails.front_sheet`.
    contents
        Print a contents list (a Word TOC field) after the title block; ``None`` for the
        layout's default (its ``contents`` setting).
    """

    title: str
    committee: str
    meeting_date: date
    report_of: str
    layout: str = "county-scrutiny"
    sections: list[Section] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    subject: str = ""
    author: str = ""
    notice: str = ""
    language: str = "en-GB"
    details: dict[str, str] = field(default_factory=dict)
    contents: bool | None = None
