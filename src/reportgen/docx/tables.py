"""Tables: computed "Table N:" captions, repeating header rows, right-aligned numbers.

python-docx cannot mark a header row that repeats on each page (issue #322): the first row gets
``w:tblHeader`` in its ``w:trPr`` here. Cells are never merged (screen readers read a simple
grid best).

Three kinds of table (``Table.kind``):

- ``data``: "Table N: caption" above, a repeating header row, numbers right-aligned, the source
  line below;
- ``list``: a register (background documents, appendices): a repeating header row, no
  caption line or number; the caption is the table's title (``w:tblCaption``);
- ``layout``: a label/value grid (front sheet, audit trail): no header row, bold labels,
  ``w:tblLook w:firstRow="0"`` and a description starting "Layout table", so assistive
  technology and Word's accessibility checker treat it as layout, not data.
"""

from __future__ import annotations

import re

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row

from reportgen.docx.styles import StyleSheet, add_text
from reportgen.model import Table

__all__ = [
    "LAYOUT_TABLE",
    "add_label_table",
    "add_table",
    "mark_header_row",
    "mark_layout_table",
    "table_caption",
]

LAYOUT_TABLE = "Layout table"
"""Start of the description (``w:tblDescription``) of every layout table."""


def table_caption(number: int, caption: str) -> str:
    """Return the caption line ``"Table N: caption"`` (``"Table N"`` without a caption)."""
    caption = caption.strip()
    return f"Table {number}: {caption}" if caption else f"Table {number}"


def mark_header_row(row: _Row) -> None:
    """Mark ``row`` as a header row that Word repeats at the top of each page.

    Parameters
    ----------
    row
        The table's first row.
    """
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        header = OxmlElement("w:tblHeader")
        tr_pr.append(header)


def _set_tbl_pr(grid: DocxTable, tag: str, value: str) -> None:
    """Set ``w:tblCaption`` or ``w:tblDescription`` (kept last in ``w:tblPr``, schema order)."""
    tbl_pr = grid._tbl.tblPr
    for old in tbl_pr.findall(qn(tag)):
        tbl_pr.remove(old)
    element = OxmlElement(tag)
    element.set(qn("w:val"), value[:255])
    if tag == "w:tblCaption":
        description = tbl_pr.find(qn("w:tblDescription"))
        if description is not None:
            description.addprevious(element)
            return
    tbl_pr.append(element)


def mark_layout_table(grid: DocxTable, title: str) -> None:
    """Mark ``grid`` as a layout table: no header row in ``w:tblLook``, a "Layout table" title."""
    tbl_pr = grid._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        anchor = tbl_pr.find(qn("w:tblCaption"))
        if anchor is None:
            anchor = tbl_pr.find(qn("w:tblDescription"))
        if anchor is None:
            tbl_pr.append(look)
        else:
            anchor.addprevious(look)
    look.attrib.clear()
    for attr, value in (
        ("w:val", "0000"),
        ("w:firstRow", "0"),
        ("w:lastRow", "0"),
        ("w:firstColumn", "1"),
        ("w:lastColumn", "0"),
        ("w:noHBand", "1"),
        ("w:noVBand", "1"),
    ):
        look.set(qn(attr), value)
    if title.strip():
        _set_tbl_pr(grid, "w:tblCaption", title.strip())
    _set_tbl_pr(grid, "w:tblDescription", f"{LAYOUT_TABLE}: {title.strip() or 'labels and values'}")


def _cant_split(row: _Row) -> None:
    """Keep a row on one page (``w:cantSplit``)."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _validate(table: Table) -> None:
    """Raise ``ValueError`` for a table that cannot be drawn as a plain grid."""
    width = len(table.columns)
    if width == 0:
        raise ValueError(f"table {table.caption!r} has no columns")
    for index, row in enumerate(table.rows, start=1):
        if len(row) != width:
            raise ValueError(
                f"table {table.caption!r}: row {index} has {len(row)} cells, the header has {width}"
            )
    for column in table.numeric_columns:
        if not 0 <= column < width:
            raise ValueError(
                f"table {table.caption!r}: numeric column {column} is out of range 0..{width - 1}"
            )


NUMERIC_COLUMN_CM = 2.3
"""Width of a column of figures (narrower when many share the page); text columns share the rest."""
MIN_TEXT_COLUMN_CM = 2.5
MIN_LABEL_COLUMN_CM = 4.5
"""A table of figures keeps at least this much for its label column (less only when the figures
need the room)."""
CELL_PADDING_CM = 0.45
"""Word's default left and right cell margins (0.19 cm each) and a little slack."""

_EM_WIDTHS = {
    **dict.fromkeys("0123456789", 0.556),
    **dict.fromkeys(",.:;'|!il", 0.278),
    **dict.fromkeys("-()[]/frt", 0.333),
    **dict.fromkeys("%", 0.889),
    **dict.fromkeys("mwMW", 0.9),
    **dict.fromkeys("<>+=", 0.584),
    " ": 0.278,
}
"""Advance widths of Arial characters in ems (others: 0.56 lower case, 0.7 capitals)."""


def text_width_cm(text: str, font_pt: float = 12.0, *, bold: bool = False) -> float:
    """Estimated printed width of ``text`` in Arial (a little generous for other sans fonts).

    >>> round(text_width_cm("81,770"), 2), round(text_width_cm("England", bold=True), 2)
    (1.29, 1.76)
    """
    ems = sum(_EM_WIDTHS.get(ch, 0.7 if ch.isupper() else 0.56) for ch in text)
    return ems * (1.1 if bold else 1.0) * font_pt * 2.54 / 72


def _tokens(text: str) -> list[str]:
    """The pieces a line may not break inside: words, split after hyphens."""
    return [piece for word in str(text).split() for piece in re.split(r"(?<=-)", word) if piece]


def _min_width_cm(table: Table, column: int, font_pt: float) -> float:
    """The narrowest the column can be without breaking a word or a number inside it."""
    widths = [text_width_cm(t, font_pt, bold=True) for t in _tokens(table.columns[column])]
    for row in table.rows:
        widths += [text_width_cm(t, font_pt) for t in _tokens(row[column])]
    return max(widths, default=0.0) + CELL_PADDING_CM


def column_widths(table: Table, total_cm: float, font_pt: float = 12.0) -> list[float]:
    """Column widths in cm: figures get a fixed width, text columns share the rest by content.

    A column is never narrower than its longest word or number (headers break only at spaces
    and after hyphens, figures never), so "England" or "81,770" is never split.

    Parameters
    ----------
    table
        The table (its header and cells give the content lengths).
    total_cm
        The text width of the page.
    font_pt
        Size of the table text.

    Returns
    -------
    list of float
        One width per column, adding up to ``total_cm`` (or more if the minimums do not fit).

    Examples
    --------
    >>> t = Table("c", ("Indicator", "2024-25", "England"), (("Children looked after", "694", "81,770"),),
    ...           numeric_columns=(1, 2))
    >>> column_widths(t, 16.0)
    [11.4, 2.3, 2.3]
    >>> column_widths(Table("c", ("x",) + ("1",) * 8, (), numeric_columns=tuple(range(1, 9))), 16.0)
    [4.48, 1.44, 1.44, 1.44, 1.44, 1.44, 1.44, 1.44, 1.44]
    >>> t = Table("c", ("Indicator", "England", "Neighbours"), (("x", "81,770", "1"),), numeric_columns=(1, 2))
    >>> column_widths(t, 16.0)
    [10.81, 2.3, 2.89]
    """
    numeric = set(table.numeric_columns)
    text = [i for i in range(len(table.columns)) if i not in numeric]
    need = {i: round(_min_width_cm(table, i, font_pt), 2) for i in range(len(table.columns))}
    widths = [0.0] * len(table.columns)
    if numeric:
        figure_cm = min(
            NUMERIC_COLUMN_CM, (total_cm - MIN_LABEL_COLUMN_CM * len(text)) / len(numeric)
        )
        figure_cm = round(max(figure_cm, 0.9), 2)
        for i in numeric:
            widths[i] = max(figure_cm, need[i])
    left = max(
        total_cm - sum(widths),
        sum(max(MIN_TEXT_COLUMN_CM, need[i]) for i in text),
    )
    weights = {
        i: max(min(max(len(str(row[i])) for row in (table.columns, *table.rows)), 80), 8)
        for i in text
    }
    total_weight = sum(weights.values()) or 1
    for i in text:
        widths[i] = round(max(MIN_TEXT_COLUMN_CM, need[i], left * weights[i] / total_weight), 2)
    return widths


def _set_column_widths(
    document: Document,
    grid: DocxTable,
    table: Table,
    sheet: StyleSheet,
    cells: list[list[_Cell]],
) -> None:
    """Fixed column widths (Word reads the cells, LibreOffice the grid): no squeezed labels."""
    section = document.sections[-1]
    total_cm = (section.page_width - section.left_margin - section.right_margin) / 360000
    widths = column_widths(table, total_cm, sheet.table_text_pt)
    grid.autofit = False
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row_cells in cells:
        for cell, width in zip(row_cells, widths, strict=True):
            cell.width = Cm(width)


def _right_aligned() -> BaseOxmlElement:
    """A ``<w:jc w:val="right"/>`` (right-aligned paragraph) element."""
    return OxmlElement("w:jc", {qn("w:val"): WD_ALIGN_PARAGRAPH.RIGHT.xml_value})


def add_table(document: Document, table: Table, number: int, sheet: StyleSheet) -> DocxTable:
    """Append a table of any kind (data: captioned, with its source line) to ``document``.

    Parameters
    ----------
    document
        The document being written.
    table
        The table to draw.
    number
        Its number in the whole document (``Table 1``, ``Table 2`` ... across appendices);
        used only by data tables.
    sheet
        The layout's styles (caption, table, table text, source).

    Returns
    -------
    docx.table.Table
        The new table.

    Raises
    ------
    ValueError
        If a row's length differs from the header's or a numeric column does not exist.
    """
    _validate(table)
    styles = sheet.names
    if table.kind == "layout":
        grid = _label_grid(document, list(table.rows), sheet, bold_labels=True, borders=True)
        mark_layout_table(grid, table.caption)
        _after_table(table, sheet)
        return grid
    if table.kind == "data":
        caption = sheet.add_paragraph(styles.caption, table_caption(number, table.caption))
        caption.paragraph_format.keep_with_next = True
    elif table.kind != "list":
        raise ValueError(f"table {table.caption!r}: unknown kind {table.kind!r}")

    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    sheet.apply_table(grid, styles.table)
    numeric = set(table.numeric_columns)
    cells = []
    for row_index, (row, values) in enumerate(
        zip(grid.rows, (table.columns, *table.rows), strict=True)
    ):
        header = row_index == 0
        _cant_split(row)
        if header:
            mark_header_row(row)
        row_cells = row.cells
        cells.append(row_cells)
        for col_index, (cell, value) in enumerate(zip(row_cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            sheet.apply(paragraph, styles.table_text)
            if col_index in numeric:
                # a new cell's w:pPr holds only its w:pStyle: w:jc goes last, as
                # ``paragraph.alignment = RIGHT`` puts it, without its scan of the schema
                paragraph._p.get_or_add_pPr().append(_right_aligned())
            if header:
                paragraph.paragraph_format.keep_with_next = True
            add_text(paragraph, str(value), bold=True if header else None)

    _set_column_widths(document, grid, table, sheet, cells)
    if table.caption.strip():  # the table's alt-text title in Word
        title = table_caption(number, table.caption) if table.kind == "data" else table.caption
        _set_tbl_pr(grid, "w:tblCaption", title.strip())
    _after_table(table, sheet)
    return grid


def _after_table(table: Table, sheet: StyleSheet) -> None:
    """The source line under a table, or a little air before the next block."""
    styles = sheet.names
    if table.source.strip():
        source = table.source.strip()
        if not source.casefold().startswith("source"):
            source = f"Source: {source}"
        sheet.add_paragraph(styles.source, source)
    else:
        # A table directly followed by another block needs a little air; an empty paragraph
        # in the small style gives it without a visible line.
        sheet.add_paragraph(styles.source)


def add_label_table(
    document: Document,
    rows: list[tuple[str, str]],
    sheet: StyleSheet,
    *,
    bold_labels: bool = True,
    borders: bool = False,
    title: str = "",
    label_width_cm: float = 4.5,
) -> DocxTable | None:
    """Append a two-column label/value layout table (a front-sheet block).

    Parameters
    ----------
    document
        The document being written.
    rows
        ``(label, value)`` pairs, already rendered.
    sheet
        The layout's styles (the cells use the table-text style).
    bold_labels
        Print the labels in bold.
    borders
        Draw the grid (the layout's table style); otherwise the default style, no borders.
    title
        What the table is, for its "Layout table: ..." description.
    label_width_cm
        Width of the label column.

    Returns
    -------
    docx.table.Table or None
        The new table, or ``None`` when ``rows`` is empty.
    """
    if not rows:
        return None
    grid = _label_grid(
        document,
        rows,
        sheet,
        bold_labels=bold_labels,
        borders=borders,
        label_width_cm=label_width_cm,
    )
    mark_layout_table(grid, title)
    sheet.add_paragraph(sheet.names.body)
    return grid


def _label_grid(
    document: Document,
    rows: list[tuple[str, ...]],
    sheet: StyleSheet,
    *,
    bold_labels: bool,
    borders: bool,
    label_width_cm: float = 4.5,
) -> DocxTable:
    """A grid whose first column holds labels and whose other columns share the rest."""
    width = len(rows[0])
    grid = document.add_table(rows=len(rows), cols=width)
    if borders:
        sheet.apply_table(grid, sheet.names.table)
    section = document.sections[-1]
    total = section.page_width - section.left_margin - section.right_margin
    label = min(Cm(label_width_cm), total // 2)
    rest = (total - label) // max(width - 1, 1)
    widths = [label, *([rest] * (width - 1))]
    grid.autofit = False
    for col, column_width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(Emu(column_width).twips)))
    for row, values in zip(grid.rows, rows, strict=True):
        _cant_split(row)
        for index, (cell, text, column_width) in enumerate(
            zip(row.cells, values, widths, strict=True)
        ):
            cell.width = column_width
            paragraph = cell.paragraphs[0]
            sheet.apply(paragraph, sheet.names.table_text)
            add_text(paragraph, str(text), bold=True if bold_labels and index == 0 else None)
    return grid
