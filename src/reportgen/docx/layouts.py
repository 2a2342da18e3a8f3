"""The Word layouts: how the writer renders each committee-paper house style.

Every layout is described by one YAML file, ``templates/layouts/<name>.yaml``
(:mod:`reportgen.core.plans` reads it): its ``body`` is the plan of sections, its ``render`` mapping
becomes a :class:`LayoutSpec` here: which reference template to open, what the title block looks
like, which style names the writer uses for each role, how paragraphs and headings are numbered,
and how the "Officer(s) to Contact" section and the appendices are headed. The writer
(:mod:`reportgen.docx.writer`) only reads these specs, so a new layout is a new file plus its
template (built by ``scripts/build_templates.py``): no change to the writer.

``render`` keys (all optional except ``title_block``)::

    template: <name>.docx                 # reference template in templates/
    title_block:                          # in order
      - line: "{committee} – {meeting_date}"
        style: title_block                # or title
        upper: true
      - table: [["Report to:", "{committee}"], ["Date:", "{meeting_date}"]]
        bold_labels: true
        borders: false
    date_format: "{day} {month} {year}"   # fields day, day2, month, year
    numbering: {paragraphs: true, headings: false, outline: false, indent_cm: 1.0}
    officers: {heading: "Officer(s) to Contact", lines: ["{name}", "{job_title}", ...]}
    appendices: {heading: "Appendix {letter}: {title}", new_page: true}
    max_heading_level: 3
    styles: {body: Normal, ...}           # style name per role (StyleNames)
    look: {font: Arial, body_pt: 12, small_pt: 11, margin_cm: 2.5, page_numbers: true,
           title_centred: true, heading1_caps: false}

Text templates (``TitleLine.text``, ``TitleTable.rows``, ``officer_lines``,
``appendix_heading``) are :meth:`str.format` strings. The fields available to the title block
are ``committee``, ``title``, ``report_of`` ("Report of the ..."), ``report_of_raw``,
``meeting_date`` (formatted with :attr:`LayoutSpec.date_format`), ``subject``, ``author`` and
every key of ``Report.details`` (``item_no``, ``classification``, ``wards``, ``on_behalf_of``).
A line or table row whose fields are all empty is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from reportgen.core.errors import TemplateError
from reportgen.core.plans import LAYOUT_FILES, LayoutFile, get_layout_file

__all__ = [
    "LAYOUTS",
    "ROLES",
    "LayoutSpec",
    "SectionRule",
    "StyleNames",
    "TemplateLook",
    "TitleLine",
    "TitleTable",
    "get_layout",
    "spec_from_file",
]

TWIPS_PER_CM = 567


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
    """A two-column label/value layout table in a title block ("Report to:", "Date:" ...).

    Parameters
    ----------
    rows
        ``(label, value)`` pairs; values are format strings over the title-block fields. A
        row whose value renders empty is left out.
    bold_labels
        Print the labels in bold.
    borders
        Draw the grid (the layout's table style); otherwise no borders.
    """

    rows: tuple[tuple[str, str], ...]
    bold_labels: bool = True
    borders: bool = False


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
    headings: tuple[str, ...] = ()
    """The heading styles of levels 1, 2 ... by name (a council template's); when given,
    they replace ``heading``."""

    def heading_style(self, level: int) -> str:
        """Return the heading style name for outline ``level`` (1-based)."""
        if self.headings:
            return self.headings[min(level, len(self.headings)) - 1]
        return self.heading.format(level=level)


ROLES: dict[str, str] = {
    "body": "body text and numbered paragraphs",
    "title": "the report title",
    "title_block": "the title block (committee, date, report of)",
    "notice": "a notice under the title block",
    "headings": "section headings, level 1, 2, 3",
    "bullet": "bullet lists (key messages, questions)",
    "caption": "table and figure captions",
    "table": "tables (a table style)",
    "table_text": "text in table cells",
    "source": "the source line under a table",
    "figure": "the paragraph holding a chart",
    "contact": "officer contact lines",
}
"""The roles a council template's mapping gives a style to, and what each role is for."""


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
        Size of the "Source" notes under tables (never below 11 either).
    margin_cm
        All four page margins.
    page
        Paper size name (only ``"A4"`` is defined).
    page_numbers
        Put a centred page number (PAGE field) in the footer.
    title_centred
        Centre the title block.
    heading1_caps
        Show top-level headings in capitals (by the style: the text stays as written, so
        screen readers read words, not letters).
    """

    font: str = "Arial"
    body_pt: float = 12.0
    small_pt: float = 11.0
    margin_cm: float = 2.5
    page: str = "A4"
    page_numbers: bool = True
    title_centred: bool = True
    heading1_caps: bool = False


@dataclass(frozen=True)
class SectionRule:
    """How the writer treats one body section of a layout (from its plan item).

    Parameters
    ----------
    heading
        The section's heading, as in the plan.
    numbering
        ``"main"``: its numbered paragraphs continue the report's list (and its heading is
        numbered when the layout numbers headings); ``"none"``: nothing in it is numbered;
        ``"own"``: its paragraphs are numbered 1, 2 ... in a list of their own, its heading is
        not numbered.
    level
        Heading level to print the section at.
    """

    heading: str
    numbering: str = "main"
    level: int = 1


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
    outline_numbering
        Number headings and paragraphs as one outline: headings ``1.``, ``2.``, their
        paragraphs ``1.1``, ``1.2``, sub-paragraphs ``(a)`` (needs ``numbered_headings``).
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
    section_rules
        Numbering and heading level of particular body sections, by heading (the plan's
        ``numbering`` and ``level``); other sections are numbered in the main list at the
        level the report gives them.
    description
        One line saying what the layout is modelled on.
    council
        A council's own Word template (``template`` is its absolute path): its body is kept
        as the front sheet (``front_sheet="template"``) or emptied, ``{field}`` placeholders in
        it and in its headers and footers are filled, and every role must map to one of its
        styles.
    front_sheet
        ``"title_block"``: print :attr:`title_block`; ``"template"``: the council template's
        own first page is the front sheet.
    contents
        Print a contents list (a TOC field) after the title block unless the report says
        otherwise (:attr:`reportgen.model.Report.contents`).
    """

    name: str
    template: str
    title_block: tuple[TitleElement, ...]
    date_format: str = "{day} {month} {year}"
    numbered_paragraphs: bool = True
    numbered_headings: bool = False
    outline_numbering: bool = False
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
    section_rules: tuple[SectionRule, ...] = ()
    description: str = ""
    council: bool = False
    front_sheet: str = "title_block"
    contents: bool = False

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
        if self.look.body_pt < 11 or self.look.small_pt < 11:
            raise ValueError(f"layout {self.name!r}: text must be at least 11 pt")
        if self.outline_numbering and not self.numbered_headings:
            raise ValueError(f"layout {self.name!r}: outline numbering numbers the headings")
        for rule in self.section_rules:
            if rule.numbering not in ("main", "none", "own"):
                raise ValueError(
                    f"layout {self.name!r}: section {rule.heading!r} numbering "
                    f"{rule.numbering!r} is not main, none or own"
                )

    def rule_for(self, heading: str) -> SectionRule | None:
        """The rule of the body section headed ``heading`` (case-insensitive), if any."""
        wanted = heading.strip().casefold()
        for rule in self.section_rules:
            if rule.heading.strip().casefold() == wanted:
                return rule
        return None


# -- reading a layout file's `render` mapping ------------------------------------------------


def _mapping(value: Any, allowed: tuple[str, ...], where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TemplateError(f"{where}: expected a mapping, got {value!r}")
    extra = [key for key in value if key not in allowed]
    if extra:
        raise TemplateError(f"{where}: unknown key {extra[0]!r} (allowed: {', '.join(allowed)})")
    return value


def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _title_element(raw: Any, where: str) -> TitleElement:
    if isinstance(raw, dict) and "line" in raw:
        item = _mapping(raw, ("line", "style", "upper"), where)
        return TitleLine(
            str(item["line"]), str(item.get("style", "title_block")), bool(item.get("upper", False))
        )
    if isinstance(raw, dict) and "table" in raw:
        item = _mapping(raw, ("table", "bold_labels", "borders"), where)
        rows = item["table"]
        if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == 2 for r in rows):
            raise TemplateError(f"{where}: 'table' must be a list of [label, value] pairs")
        return TitleTable(
            tuple((str(label), str(value)) for label, value in rows),
            bold_labels=bool(item.get("bold_labels", True)),
            borders=bool(item.get("borders", False)),
        )
    raise TemplateError(f"{where}: expected a 'line:' or a 'table:' entry, got {raw!r}")


def spec_from_file(layout: LayoutFile) -> LayoutSpec:
    """Build the :class:`LayoutSpec` of a layout file (its ``render`` mapping and its plan).

    Raises
    ------
    TemplateError
        Unknown or malformed keys, naming the file.
    """
    where = f"layout file {layout.path}: render"
    render = _mapping(
        layout.render,
        (
            "template",
            "title_block",
            "date_format",
            "numbering",
            "officers",
            "appendices",
            "max_heading_level",
            "styles",
            "look",
            "front_sheet",
            "contents",
        ),
        where,
    )
    title_block = render.get("title_block")
    if not isinstance(title_block, list) or not title_block:
        raise TemplateError(f"{where}: 'title_block' must be a list of 'line:'/'table:' entries")
    numbering = _mapping(
        render.get("numbering"),
        ("paragraphs", "headings", "outline", "indent_cm"),
        f"{where}.numbering",
    )
    officers = _mapping(render.get("officers"), ("heading", "lines"), f"{where}.officers")
    appendices = _mapping(render.get("appendices"), ("heading", "new_page"), f"{where}.appendices")
    styles = _mapping(render.get("styles"), _field_names(StyleNames), f"{where}.styles")
    if layout.council:
        where = f"style mapping {layout.path}"
        roles = [role for role in ROLES if role not in styles]
        if "heading" in styles and "headings" in roles:
            roles.remove("headings")
        if roles:
            raise TemplateError(
                f"{where}: no style for role {roles[0]!r} ({ROLES[roles[0]]}); "
                f"map every role: {', '.join(ROLES)}"
            )
    style_names: dict[str, Any] = {}
    for key, value in styles.items():
        if key == "headings":
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) for v in value)
            ):
                raise TemplateError(f"{where}.styles: 'headings' must be a list of style names")
            style_names[key] = tuple(value)
        else:
            style_names[key] = str(value)
    look = _mapping(render.get("look"), _field_names(TemplateLook), f"{where}.look")
    defaults = LayoutSpec(name="defaults", template="", title_block=())
    extra: dict[str, Any] = {}
    if "heading" in officers:
        extra["officers_heading"] = officers["heading"]
    if "lines" in officers:
        extra["officer_lines"] = tuple(str(line) for line in officers["lines"])
    if "indent_cm" in numbering:
        extra["number_indent_twips"] = round(float(numbering["indent_cm"]) * TWIPS_PER_CM)
    rules = tuple(
        SectionRule(item.heading, item.numbering, item.level)
        for item in layout.plan
        if item.heading is not None and (item.numbering != "main" or item.level != 1)
    )
    try:
        return LayoutSpec(
            name=layout.name,
            template=str(render.get("template", f"{layout.name}.docx")),
            title_block=tuple(
                _title_element(raw, f"{where}.title_block[{i}]")
                for i, raw in enumerate(title_block)
            ),
            date_format=str(render.get("date_format", defaults.date_format)),
            numbered_paragraphs=bool(numbering.get("paragraphs", True)),
            numbered_headings=bool(numbering.get("headings", False)),
            outline_numbering=bool(numbering.get("outline", False)),
            appendix_heading=str(appendices.get("heading", defaults.appendix_heading)),
            appendix_new_page=bool(appendices.get("new_page", True)),
            max_heading_level=int(render.get("max_heading_level", defaults.max_heading_level)),
            styles=StyleNames(**style_names),
            look=TemplateLook(**look),
            section_rules=rules,
            description=layout.description,
            council=layout.council,
            front_sheet=str(render.get("front_sheet", "title_block")),
            contents=bool(render.get("contents", False)),
            **extra,
        )
    except (TypeError, ValueError) as exc:
        raise TemplateError(f"{where}: {exc}") from None


LAYOUTS: dict[str, LayoutSpec] = {
    name: spec_from_file(layout) for name, layout in LAYOUT_FILES.items()
}
"""Every layout the writer can produce, by name (one per file in ``templates/layouts/``)."""


def get_layout(name: str) -> LayoutSpec:
    """Return the layout called ``name``.

    Parameters
    ----------
    name
        A key of :data:`LAYOUTS`, e.g. ``"county-scrutiny"``, or the path of a council's own
        template (``.docx``) with its style mapping beside it.

    Returns
    -------
    LayoutSpec
        The layout description.

    Raises
    ------
    TemplateError
        If no layout has that name.
    """
    if name in LAYOUTS:
        return LAYOUTS[name]
    return spec_from_file(get_layout_file(name))  # a council template, or the one message
