"""Declarative descriptions of the Word layouts (one entry per committee-paper house style).

A layout says which reference template to open, what the title block looks like, which style
names the writer uses for each role, how paragraphs and headings are numbered, and how the
"Officer(s) to Contact" section and the appendices are headed. The writer
(:mod:`reportgen.docx.writer`) only reads these entries, so a new layout is a new entry in
:data:`LAYOUTS` plus its template (built by ``scripts/build_templates.py``): no change to the
writer.

Text templates (``TitleLine.text``, ``TitleTable.rows``, ``officer_lines``,
``appendix_heading``) are :meth:`str.format` strings. The fields available to the title block
are ``committee``, ``title``, ``report_of``, ``meeting_date`` (formatted with
:attr:`LayoutSpec.date_format`), ``subject`` and ``author``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportgen.errors import TemplateError

__all__ = [
    "LAYOUTS",
    "LayoutSpec",
    "StyleNames",
    "TemplateLook",
    "TitleLine",
    "TitleTable",
    "get_layout",
]


@dataclass(frozen=True)
class TitleLine:
    """One paragraph of a title block.

    Parameters
    ----------
    text
        Format string over the title-block fields, e.g. ``"{committee} – {meeting_date}"``.
    style
        Role in :class:`StyleNames` whose style the paragraph uses (``"title"`` or
        ``"title_block"``).
    upper
        Upper-case the rendered text (the county papers print their title block in capitals).
    """

    text: str
    style: str = "title_block"
    upper: bool = False


@dataclass(frozen=True)
class TitleTable:
    """A borderless two-column label/value table in a title block ("Report to:", "Date:" ...).

    Parameters
    ----------
    rows
        ``(label, value)`` pairs; values are format strings over the title-block fields. A
        row whose value renders empty is left out.
    bold_labels
        Print the labels in bold.
    """

    rows: tuple[tuple[str, str], ...]
    bold_labels: bool = True


TitleElement = TitleLine | TitleTable


@dataclass(frozen=True)
class StyleNames:
    """The template style used for each role the writer renders.

    Every name here must exist in the layout's template (checked before writing by
    :func:`reportgen.docx.styles.check_styles`).
    """

    body: str = "Normal"
    title: str = "Title"
    title_block: str = "Title Block"
    notice: str = "Notice"
    heading: str = "Heading {level}"
    bullet: str = "List Bullet"
    caption: str = "Caption"
    table: str = "Table Grid"
    table_text: str = "Table Text"
    source: str = "Source"
    figure: str = "Figure"
    contact: str = "Contact"

    def heading_style(self, level: int) -> str:
        """Return the heading style name for outline ``level`` (1-based)."""
        return self.heading.format(level=level)


@dataclass(frozen=True)
class TemplateLook:
    """Page and type settings that ``scripts/build_templates.py`` writes into a template.

    Parameters
    ----------
    font
        Body and heading font.
    body_pt
        Body text size in points (council papers: 12; never below 11 for accessibility).
    small_pt
        Size of the "Source" notes under tables.
    margin_cm
        All four page margins.
    page
        Paper size name (only ``"A4"`` is defined).
    page_numbers
        Put a centred page number (PAGE field) in the footer.
    title_centred
        Centre the title block.
    """

    font: str = "Arial"
    body_pt: float = 12.0
    small_pt: float = 9.0
    margin_cm: float = 2.5
    page: str = "A4"
    page_numbers: bool = True
    title_centred: bool = True


@dataclass(frozen=True)
class LayoutSpec:
    """Everything the writer needs to know about one layout.

    Parameters
    ----------
    name
        Layout name, as in ``Report.layout``.
    template
        File name of the reference template in ``templates/``.
    title_block
        Paragraphs and label tables printed at the top of the paper, in order.
    date_format
        Format of ``{meeting_date}``; fields ``day`` (4), ``day2`` (04), ``month`` (June) and
        ``year`` (2019).
    numbered_paragraphs
        Give ``Paragraph(numbered=True)`` real Word numbering (``1.``, ``(a)``).
    numbered_headings
        Number the body's top-level headings (``1. Background``) with their own list.
    number_indent_twips
        Hanging indent of each numbering level (567 twips = 1 cm).
    officers_heading
        Heading of the contacts section added after the body; ``None`` to add none.
    officer_lines
        One paragraph per format string over ``name``, ``job_title``, ``telephone``,
        ``email``; a line whose fields are all empty is skipped.
    appendix_heading
        Heading of an appendix; fields ``letter`` and ``title``.
    appendix_new_page
        Start each appendix on a new page.
    max_heading_level
        Deepest heading style used; deeper sections are rendered at this level.
    styles
        Style names per role.
    look
        Settings used when building the template.
    """

    name: str
    template: str
    title_block: tuple[TitleElement, ...]
    date_format: str = "{day} {month} {year}"
    numbered_paragraphs: bool = True
    numbered_headings: bool = False
    number_indent_twips: int = 567
    officers_heading: str | None = "Officer(s) to Contact"
    officer_lines: tuple[str, ...] = (
        "{name}",
        "{job_title}",
        "Telephone: {telephone}",
        "Email: {email}",
    )
    appendix_heading: str = "Appendix {letter}: {title}"
    appendix_new_page: bool = True
    max_heading_level: int = 3
    styles: StyleNames = field(default_factory=StyleNames)
    look: TemplateLook = field(default_factory=TemplateLook)

    def __post_init__(self) -> None:
        roles = set(StyleNames.__dataclass_fields__)
        for element in self.title_block:
            if isinstance(element, TitleLine) and element.style not in roles:
                raise ValueError(
                    f"layout {self.name!r}: title line style role {element.style!r} is not one "
                    f"of {sorted(roles)}"
                )
        if self.max_heading_level < 2:
            raise ValueError(f"layout {self.name!r}: appendices need at least 2 heading levels")
        if self.look.body_pt < 11:
            raise ValueError(f"layout {self.name!r}: body text must be at least 11 pt")


COUNTY_SCRUTINY = LayoutSpec(
    name="county-scrutiny",
    template="county-scrutiny.docx",
    title_block=(
        TitleLine("{committee} – {meeting_date}", style="title_block", upper=True),
        TitleLine("{title}", style="title", upper=True),
        TitleLine("{report_of}", style="title_block", upper=True),
    ),
)
"""Leicestershire-style county scrutiny paper: capitals title block, paragraphs 1..N."""

LAYOUTS: dict[str, LayoutSpec] = {
    COUNTY_SCRUTINY.name: COUNTY_SCRUTINY,
}
"""Every layout the writer can produce, by name."""


def get_layout(name: str) -> LayoutSpec:
    """Return the layout called ``name``.

    Parameters
    ----------
    name
        A key of :data:`LAYOUTS`, e.g. ``"county-scrutiny"``.

    Returns
    -------
    LayoutSpec
        The layout description.

    Raises
    ------
    TemplateError
        If no layout has that name.
    """
    try:
        return LAYOUTS[name]
    except KeyError:
        known = ", ".join(sorted(LAYOUTS))
        raise TemplateError(f"unknown report layout {name!r}; choose one of: {known}") from None
