"""Template styles: open a reference template, check its styles, and build templates.

The writer never guesses a style: every name it uses (see :func:`required_styles`) must exist in
the layout's template, or :func:`check_styles` raises :class:`~reportgen.core.errors.TemplateError`
before anything is written. :func:`build_template` makes a template from python-docx's default
one; ``scripts/build_templates.py`` saves one per layout in ``templates/``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from reportgen.core.errors import TemplateError
from reportgen.docx.layouts import LayoutSpec, StyleNames, TemplateLook

__all__ = [
    "BUILD_HINT",
    "StyleSheet",
    "add_text",
    "build_template",
    "check_styles",
    "open_template",
    "required_styles",
    "set_language",
]

BUILD_HINT = "python scripts/build_templates.py"
"""The command that (re)builds every layout's template."""

TEMPLATE_DATE = dt.datetime(2019, 1, 1)
"""Fixed core-property date of the built templates (keeps them byte-reproducible)."""

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_PLAIN_TEXT = re.compile(r"[^\t\r\n]*")


def add_text(paragraph: DocxParagraph, text: str, *, bold: bool | None = None) -> None:
    """Append ``text`` to ``paragraph`` as runs, ``**bold**`` spans as bold runs.

    Nothing else is interpreted: an unpaired ``**`` stays as typed.

    Parameters
    ----------
    paragraph
        A python-docx paragraph.
    text
        Plain text with optional ``**bold**`` spans.
    bold
        ``True`` makes every run bold (e.g. a table header); ``None`` leaves the plain runs to
        the paragraph style.
    """
    for index, piece in enumerate(_BOLD.split(text)):
        if not piece:
            continue
        if _PLAIN_TEXT.fullmatch(piece):  # one w:t, as add_run(piece) makes, without its scan
            run = paragraph.add_run()
            run._r.add_t(piece)
        else:  # tabs and line breaks: python-docx makes w:tab and w:br
            run = paragraph.add_run(piece)
        if index % 2 == 1:
            run.bold = True
        elif bold is not None:
            run.bold = bold


class StyleSheet:
    """A layout's style names resolved once to the document's style ids.

    python-docx looks a style name up by scanning every style of the template on each
    assignment (a few milliseconds with Word's full style set); a report with a thousand table
    cells would spend seconds there. The writer resolves each name once here and sets the
    paragraph's ``w:pStyle`` (and a table's ``w:tblStyle``) directly.

    Parameters
    ----------
    document
        The document being written (its styles were checked by :func:`check_styles`).
    names
        The layout's style names.
    """

    def __init__(self, document: Document, names: StyleNames) -> None:
        self.document = document
        self.names = names
        self._ids: dict[str, str | None] = {}
        self._table_ids: dict[str, str | None] = {}
        self._table_text_pt: float | None = None
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self._default_id = default.style_id if default is not None else None

    def style_id(self, name: str) -> str | None:
        """Return the style id of paragraph style ``name`` (``None`` for the default style)."""
        if name not in self._ids:
            style_id = self.document.styles[name].style_id
            self._ids[name] = None if style_id == self._default_id else style_id
        return self._ids[name]

    def apply(self, paragraph: DocxParagraph, name: str) -> None:
        """Give ``paragraph`` the paragraph style ``name``.

        The same XML as python-docx's ``paragraph.style = ...``, without its scan for the
        elements that follow ``w:pStyle`` (``w:pStyle`` is always ``w:pPr``'s first child).
        """
        style_id = self.style_id(name)
        ppr = paragraph._p.get_or_add_pPr()
        if style_id is None:
            ppr._remove_pStyle()
            return
        pstyle = ppr.pStyle
        if pstyle is None:
            pstyle = ppr._new_pStyle()
            ppr.insert(0, pstyle)
        pstyle.val = style_id

    def table_style_id(self, name: str) -> str | None:
        """Return the style id of table style ``name`` (``None`` for the default table style)."""
        if name not in self._table_ids:
            self._table_ids[name] = self.document.part.get_style_id(name, WD_STYLE_TYPE.TABLE)
        return self._table_ids[name]

    def apply_table(self, table: DocxTable, name: str) -> None:
        """Give ``table`` the table style ``name`` (as ``table.style = ...`` does)."""
        table._tbl.tblStyle_val = self.table_style_id(name)

    @property
    def table_text_pt(self) -> float:
        """The font size of the table text style (else the body style's; 12 pt if neither)."""
        if self._table_text_pt is None:
            styles = self.document.styles
            size = styles[self.names.table_text].font.size or styles[self.names.body].font.size
            self._table_text_pt = size.pt if size is not None else 12.0
        return self._table_text_pt

    def add_paragraph(self, name: str, text: str = "") -> DocxParagraph:
        """Append a paragraph in style ``name`` to the document body, ``text`` as runs.

        ``**bold**`` spans in ``text`` become bold runs (see :func:`add_text`).
        """
        paragraph = self.document.add_paragraph()
        self.apply(paragraph, name)
        if text:
            add_text(paragraph, text)
        return paragraph


def required_styles(spec: LayoutSpec) -> list[str]:
    """Return every style name the writer may use for layout ``spec``.

    Parameters
    ----------
    spec
        The layout.

    Returns
    -------
    list of str
        Style names, in a stable order, without duplicates.
    """
    s = spec.styles
    names = [
        s.body,
        s.title,
        s.title_block,
        s.notice,
        *(s.heading_style(level) for level in range(1, spec.max_heading_level + 1)),
        s.bullet,
        s.caption,
        s.table,
        s.table_text,
        s.source,
        s.figure,
        s.contact,
    ]
    return list(dict.fromkeys(names))


def check_styles(
    document: Document, names: Iterable[str], template: Path | str | None = None
) -> None:
    """Raise if any of ``names`` is not a style of ``document``.

    python-docx raises a bare ``KeyError`` for an unknown style and Word silently ignores one,
    so the writer checks every name it uses before it starts.

    Parameters
    ----------
    document
        The opened template.
    names
        Style names (UI names, e.g. ``"Heading 1"``).
    template
        The template's path or name, for the message.

    Raises
    ------
    TemplateError
        Naming the first missing style, the template and how to rebuild it.
    """
    where = f"template {template}" if template is not None else "the template"
    missing = [name for name in names if name not in document.styles]
    if missing:
        listed = ", ".join(repr(name) for name in missing)
        raise TemplateError(
            f"{where} has no style {listed} (used by the report writer); "
            f"rebuild the templates with `{BUILD_HINT}`"
        )


def open_template(path: Path) -> Document:
    """Open a reference template, turning every failure into a one-line :class:`TemplateError`.

    Parameters
    ----------
    path
        The template .docx.

    Returns
    -------
    docx.document.Document
        The opened document (the writer adds the report to it).

    Raises
    ------
    TemplateError
        If the file is missing, unreadable or not a valid .docx.
    """
    if not path.is_file():
        raise TemplateError(f"template {path} not found; build the templates with `{BUILD_HINT}`")
    try:
        return docx.Document(str(path))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        etree.XMLSyntaxError,
    ) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise TemplateError(
            f"template {path} is not a valid .docx ({reason}); "
            f"rebuild the templates with `{BUILD_HINT}`"
        ) from exc


def set_language(document: Document, language: str) -> None:
    """Set the proofing language of the document defaults and the theme fonts.

    Parameters
    ----------
    document
        The document.
    language
        BCP 47 tag, e.g. ``"en-GB"``.
    """
    styles = document.styles.element
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = _child(doc_defaults, "w:rPrDefault", first=True)
    rpr = _child(rpr_default, "w:rPr")
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), language)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), language)


def build_template(spec: LayoutSpec) -> Document:
    """Build the reference template of layout ``spec`` from python-docx's default template.

    Sets the page (A4, margins), the document defaults and every style the writer uses (see
    :func:`required_styles`), in the layout's font, black, with no theme colours; adds page
    numbers to the footer. Save it with :func:`reportgen.docx.writer.save_document`.

    Parameters
    ----------
    spec
        The layout.

    Returns
    -------
    docx.document.Document
        The template, with an empty body.
    """
    look = spec.look
    names = spec.styles
    document = docx.Document()
    _drop_extra_parts(document)

    section = document.sections[0]
    if look.page != "A4":
        raise ValueError(f"unsupported page size {look.page!r} in layout {spec.name!r}")
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(look.margin_cm))
    section.header_distance = Cm(1.25)
    section.footer_distance = Cm(1.25)

    _set_doc_defaults(document, look.font, look.body_pt)
    set_language(document, "en-GB")
    styles = document.styles

    normal = styles[names.body]
    _reset(normal)
    _font(normal, look.font, look.body_pt)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(12)
    normal.paragraph_format.line_spacing = 1.0

    for level in range(1, spec.max_heading_level + 1):
        heading = _style(document, names.heading_style(level), WD_STYLE_TYPE.PARAGRAPH)
        _reset(heading)
        heading.base_style = normal
        # 1: bold; 2: bold italic; 3 and deeper: italic (all at body size, like council papers)
        _font(heading, look.font, look.body_pt, bold=level <= 2, italic=level >= 2)
        if level == 1 and look.heading1_caps:
            heading.font.all_caps = True
        fmt = heading.paragraph_format
        fmt.space_before = Pt(12 if level == 1 else 6)
        fmt.space_after = Pt(6)
        fmt.keep_with_next = True
        fmt.keep_together = True
        _outline_level(heading, level - 1)

    for item in _PARAGRAPH_STYLES:
        _paragraph_style(document, normal, names, look, item)

    bullet = _style(document, names.bullet, WD_STYLE_TYPE.PARAGRAPH)
    _font(bullet, look.font, look.body_pt)
    # Space after the last bullet only: the default style's w:contextualSpacing drops it
    # between bullets.
    bullet.paragraph_format.space_after = Pt(12)

    _style(document, names.table, WD_STYLE_TYPE.TABLE)  # "Table Grid": the default's grid

    for name in ("Header", "Footer"):
        _font(styles[name], look.font, look.small_pt)

    if look.page_numbers:
        _page_number_footer(document)

    props = document.core_properties
    props.title = f"{spec.name} template"
    props.subject = "reportgen reference template"
    props.author = "reportgen"
    props.last_modified_by = "reportgen"
    props.comments = f"Built by `{BUILD_HINT}`; do not edit by hand."
    props.keywords = ""
    props.category = ""
    props.language = "en-GB"
    props.revision = 1
    props.created = TEMPLATE_DATE
    props.modified = TEMPLATE_DATE
    props.last_printed = TEMPLATE_DATE
    return document


# -- helpers ---------------------------------------------------------------------------------


class _ParagraphStyle(NamedTuple):
    """How :func:`build_template` sets one paragraph style based on the body style."""

    name: str
    """The :class:`~reportgen.docx.layouts.StyleNames` attribute naming the style."""
    font: bool = True
    """Give the style an explicit font, size and colour (``False``: the body style's)."""
    small: bool = False
    """At the look's small size (else its body size)."""
    bold: bool = False
    italic: bool = False
    before: float | None = None
    """Space before, in points (``None``: inherited)."""
    after: float | None = None
    """Space after, in points (``None``: inherited)."""
    keep_with_next: bool = False
    centred: str | None = None
    """``"always"``, ``"title"`` (when the look centres titles) or ``None``."""
    fill: str | None = None
    """Shading of a boxed style (``None``: no box)."""
    unhide: bool = False


_PARAGRAPH_STYLES = (
    _ParagraphStyle("title", bold=True, after=12, keep_with_next=True, centred="title"),
    _ParagraphStyle("title_block", bold=True, after=12, keep_with_next=True, centred="title"),
    _ParagraphStyle("notice", bold=True, before=6, after=18, fill="F2F2F2"),
    _ParagraphStyle("caption", bold=True, before=6, after=6, unhide=True),
    _ParagraphStyle("table_text", before=2, after=2),
    _ParagraphStyle("source", small=True, italic=True, before=3, after=12),
    _ParagraphStyle("figure", font=False, before=6, after=0, keep_with_next=True, centred="always"),
    _ParagraphStyle("contact", font=False, after=0),
)
"""The paragraph styles :func:`build_template` derives from the body style, in build order."""


def _paragraph_style(
    document: Document,
    normal: BaseStyle,
    names: StyleNames,
    look: TemplateLook,
    spec: _ParagraphStyle,
) -> None:
    """Build one paragraph style of ``_PARAGRAPH_STYLES`` (reset, then based on ``normal``)."""
    style = _style(document, getattr(names, spec.name), WD_STYLE_TYPE.PARAGRAPH)
    _reset(style)
    style.base_style = normal
    if spec.font:
        size = look.small_pt if spec.small else look.body_pt
        _font(style, look.font, size, bold=spec.bold, italic=spec.italic)
    fmt = style.paragraph_format
    if spec.before is not None:
        fmt.space_before = Pt(spec.before)
    if spec.after is not None:
        fmt.space_after = Pt(spec.after)
    if spec.keep_with_next:
        fmt.keep_with_next = True
    if spec.centred == "always" or (spec.centred == "title" and look.title_centred):
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if spec.fill is not None:
        _box(style, fill=spec.fill)
    if spec.unhide:
        _unhide(style)


def _child(parent: etree._Element, tag: str, first: bool = False) -> etree._Element:
    """Return ``parent``'s child ``tag``, adding it (first or last) if absent."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        if first:
            parent.insert(0, found)
        else:
            parent.append(found)
    return found


def _set_rfonts(rpr: etree._Element, font: str) -> None:
    """Replace ``w:rFonts`` in ``rpr`` by one naming ``font`` for every script (no theme)."""
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    rpr.insert(0, fonts)


def _set_doc_defaults(document: Document, font: str, size_pt: float) -> None:
    """Set the default run font and size, and single-spaced paragraphs, in docDefaults."""
    styles = document.styles.element
    doc_defaults = _child(styles, "w:docDefaults", first=True)
    rpr = _child(_child(doc_defaults, "w:rPrDefault", first=True), "w:rPr")
    _set_rfonts(rpr, font)
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag).set(qn("w:val"), str(round(size_pt * 2)))
    ppr = _child(_child(doc_defaults, "w:pPrDefault"), "w:pPr")
    spacing = _child(ppr, "w:spacing")
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "240")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")


def _style(document: Document, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
    """Return style ``name``, adding it with type ``kind`` when the default template lacks it."""
    if name in document.styles:
        return document.styles[name]
    style = document.styles.add_style(name, kind)
    style.quick_style = True
    return style


def _reset(style: BaseStyle) -> None:
    """Remove a style's paragraph and run properties (the default template's blue and themes)."""
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        for child in element.findall(qn(tag)):
            element.remove(child)


def _font(
    style: BaseStyle,
    font: str,
    size_pt: float,
    *,
    bold: bool = False,
    italic: bool = False,
) -> None:
    """Give ``style`` an explicit font, size and black colour; bold or italic when asked.

    Weight and slant are otherwise inherited, so a heading based on Normal stays bold.
    """
    style.font.size = Pt(size_pt)
    style.font.bold = True if bold else None
    style.font.italic = True if italic else None
    style.font.color.rgb = RGBColor(0, 0, 0)
    _set_rfonts(style.element.get_or_add_rPr(), font)


def _outline_level(style: BaseStyle, level: int) -> None:
    """Set ``w:outlineLvl`` (navigation pane, PDF bookmarks) on a paragraph style."""
    ppr = style.element.get_or_add_pPr()
    outline = ppr.find(qn("w:outlineLvl"))
    if outline is None:
        outline = OxmlElement("w:outlineLvl")
        ppr.append(outline)
    outline.set(qn("w:val"), str(level))


def _box(style: BaseStyle, fill: str) -> None:
    """Give a paragraph style a thin border on every side and a light shading."""
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "8")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    # CT_PPrBase order: ... pBdr, shd, tabs, ..., spacing, ind, ..., jc, ..., outlineLvl
    anchor = None
    for tag in ("w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is None:
        ppr.append(borders)
        ppr.append(shading)
    else:
        anchor.addprevious(borders)
        anchor.addprevious(shading)


def _unhide(style: BaseStyle) -> None:
    """Show a style in Word's style gallery (the default Caption is semi-hidden)."""
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = True


def _page_number_footer(document: Document) -> None:
    """Put a centred PAGE field in the first section's footer."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    end = paragraph.add_run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._r.append(fld)


def _drop_extra_parts(document: Document) -> None:
    """Drop the default template's thumbnail and Word 2010 ``stylesWithEffects`` copy.

    The thumbnail shows an empty page and the styles copy would keep the old blue headings
    for Word 2010; neither belongs in a house-style template.
    """
    part = document.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            part.drop_rel(rid)
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
