"""A council's own Word template: draft its style mapping, check it, fill its front sheet.

``LAYOUT=path/to/our-template.docx`` writes the paper into the council's own template: its
styles, page set-up, headers and footers (with the logo) and, with ``front_sheet: template``,
its first page as the front sheet. A small YAML mapping beside the .docx
(:func:`reportgen.core.plans.read_template_layout`) says which of the template's styles plays
each of our roles (:data:`reportgen.docx.layouts.ROLES`); :func:`draft_mapping` drafts it
(``reportgen layout init TEMPLATE.docx``) by reading the template's styles, and
:func:`check_roles` refuses a mapping naming a style the template lacks, naming the role and
the styles the template has.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from reportgen.core.atomic import write_with
from reportgen.core.errors import TemplateError
from reportgen.core.plans import DEFAULT_BASE, LAYOUT_FILES, mapping_path
from reportgen.docx.layouts import ROLES, LayoutSpec
from reportgen.docx.styles import open_template

__all__ = [
    "check_roles",
    "draft_mapping",
    "fill_fields",
    "init_layout",
    "prepare_template",
    "role_styles",
]

_PATTERNS: dict[str, tuple[str, ...]] = {
    "body": (
        r"numbered ?para",
        r"para(graph)? ?numbered",
        r"^body ?text$",
        r"^body$",
        r"^normal$",
    ),
    "title": (r"^title$", r"report title", r"title$"),
    "title_block": (r"title ?block", r"front ?sheet", r"cover", r"^subtitle$", r"title"),
    "notice": (r"notice", r"warning", r"banner", r"intense quote"),
    "bullet": (r"^list bullet$", r"bullet"),
    "caption": (r"^caption$", r"caption"),
    "table_text": (r"table ?text", r"table ?body", r"table (para|contents)", r"^table"),
    "source": (r"^source", r"source", r"^note"),
    "figure": (r"^figure$", r"figure", r"chart", r"picture"),
    "contact": (r"contact", r"officer"),
}
"""Name patterns tried in order (case-insensitive) when drafting each role's style."""

_HEADING_PATTERNS = (
    (r"^heading 1$", r"heading ?1$", r"^section head", r"^head(ing)? ?1"),
    (r"^heading 2$", r"heading ?2$", r"^sub-? ?section head", r"^head(ing)? ?2"),
    (r"^heading 3$", r"heading ?3$", r"sub-? ?sub-? ?section|minor head", r"^head(ing)? ?3"),
)
"""Name patterns of heading levels 1, 2 and 3."""

FIELD = re.compile(r"\{([a-z_]+)\}")
"""A front-sheet field in the template's text: ``{committee}``, ``{meeting_date}`` ..."""


def _styles(document: Document, kind: WD_STYLE_TYPE) -> list[str]:
    return [s.name for s in document.styles if s.type == kind and s.name]


def role_styles(spec: LayoutSpec) -> list[tuple[str, str]]:
    """Every ``(role, style name)`` the writer uses for ``spec``, headings one per level."""
    names = spec.styles
    out = [(role, getattr(names, role)) for role in ROLES if role != "headings"]
    for level in range(1, spec.max_heading_level + 1):
        out.append((f"headings[{level}]", names.heading_style(level)))
    return out


def check_roles(document: Document, spec: LayoutSpec, template: Path | str) -> None:
    """Raise unless every role of a council template's mapping names a style it has.

    Parameters
    ----------
    document
        The opened template.
    spec
        The template's layout (from its mapping).
    template
        The template's path, for the message.

    Raises
    ------
    TemplateError
        Naming each role whose style is missing (or of the wrong kind), the template's
        paragraph and table styles, and the mapping to correct.
    """
    paragraph_styles = _styles(document, WD_STYLE_TYPE.PARAGRAPH)
    table_styles = _styles(document, WD_STYLE_TYPE.TABLE)
    problems = []
    for role, name in role_styles(spec):
        wanted = table_styles if role == "table" else paragraph_styles
        if name not in wanted:
            kind = "table" if role == "table" else "paragraph"
            base_role = role.split("[")[0]
            problems.append(
                f"role {role!r} ({ROLES[base_role]}) uses {kind} style {name!r}, "
                "which the template does not have"
            )
    if problems:
        raise TemplateError(
            f"council template {template}: {'; '.join(problems)}. Its paragraph styles are: "
            f"{', '.join(paragraph_styles)}; its table styles: {', '.join(table_styles) or 'none'}. "
            f"Correct the names in {mapping_path(template)} "
            f"(`reportgen layout init {template} --force` drafts it again)"
        )


def _pick(names: list[str], patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        for name in names:
            if re.search(pattern, name, re.IGNORECASE):
                return name
    return None


def draft_mapping(template: Path | str, base: str = DEFAULT_BASE) -> str:
    """Draft the style mapping of a council template by reading its styles.

    Each role gets the first of the template's styles whose name matches the role's patterns
    (``Heading 1``, ``Section Head`` ...); a role with no match gets the body style, marked
    ``# CHECK`` in the draft. The draft is YAML with a comment per role saying what it is for.

    Parameters
    ----------
    template
        The council's .docx (or .dotx saved as .docx).
    base
        The shipped layout whose body plan, numbering and title block the paper follows.

    Returns
    -------
    str
        The mapping's YAML text.

    Raises
    ------
    TemplateError
        A template that cannot be opened, or an unknown base layout.
    """
    if base not in LAYOUT_FILES:
        raise TemplateError(f"base layout {base!r} is not one of {', '.join(sorted(LAYOUT_FILES))}")
    path = Path(template)
    document = open_template(path)
    paragraph_styles = _styles(document, WD_STYLE_TYPE.PARAGRAPH)
    table_styles = _styles(document, WD_STYLE_TYPE.TABLE)
    body = _pick(paragraph_styles, _PATTERNS["body"]) or paragraph_styles[0]
    has_fields = any(
        FIELD.search(p.text) for p in _all_paragraphs(document, headers=False) if p.text
    )
    lines = [
        f"# Style mapping of {path.name}, drafted by `reportgen layout init` from its styles.",
        "# Check each style (Word: Home > Styles); a role marked CHECK had no matching style.",
        f"# Paragraph styles in the template: {', '.join(paragraph_styles)}",
        f"# Table styles: {_some(table_styles)}",
        f"base: {base}                  # body plan, numbering and title block",
        f"front_sheet: {'template' if has_fields else 'title_block'}"
        "          # template: its first page, {committee} {meeting_date} ... filled in",
        "contents: false                # a contents list after the front sheet",
        "styles:",
    ]

    def entry(role: str, value: str, found: bool) -> str:
        note = ROLES[role] if found else f"CHECK: no matching style; {ROLES[role]}"
        return f"  {role}: {_quote(value)}".ljust(40) + f"  # {note}"

    for role in ROLES:
        if role == "headings":
            picked = [_pick(paragraph_styles, patterns) for patterns in _HEADING_PATTERNS]
            found = [name for name in picked if name is not None]
            if len(found) < 2:
                found = [*found, *([body] * (2 - len(found)))]
            items = ", ".join(_quote(name) for name in found)
            note = ROLES[role] if len(set(found)) == len(found) else f"CHECK: {ROLES[role]}"
            lines.append(f"  headings: [{items}]".ljust(40) + f"  # {note}")
        elif role == "table":
            name = _pick(table_styles, (r"^table grid$", r"grid", r"."))
            lines.append(entry(role, name or "Table Grid", name is not None))
        elif role == "body":
            lines.append(entry(role, body, True))
        else:
            name = _pick([n for n in paragraph_styles if n != body], _PATTERNS[role])
            lines.append(entry(role, name or body, name is not None))
    return "\n".join(lines) + "\n"


def _some(names: list[str], most: int = 12) -> str:
    """``names`` joined, the first ``most`` of a long list and how many more."""
    if not names:
        return "none"
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def init_layout(template: Path | str, base: str = DEFAULT_BASE, *, force: bool = False) -> Path:
    """Write the drafted mapping beside ``template`` (see :func:`draft_mapping`).

    Raises
    ------
    TemplateError
        The mapping exists already (unless ``force``), or the template cannot be read.
    """
    path = Path(template)
    target = mapping_path(path)
    if target.exists() and not force:
        raise TemplateError(f"{target} exists already: edit it, or add --force to redraft it")
    text = draft_mapping(path, base)
    write_with(target, lambda out: out.write(text), encoding="utf-8")
    return target


def _all_paragraphs(document: Document, *, headers: bool = True) -> list[DocxParagraph]:
    """Every paragraph of the body (tables too) and, with ``headers``, of headers and footers."""
    parts = [document.element.body]
    if headers:
        for section in document.sections:
            for part in (
                section.header,
                section.footer,
                section.first_page_header,
                section.first_page_footer,
                section.even_page_header,
                section.even_page_footer,
            ):
                if not part.is_linked_to_previous:
                    parts.append(part._element)
    seen: set[int] = set()
    out = []
    for root in parts:
        if id(root) in seen:
            continue
        seen.add(id(root))
        for p in root.iter(qn("w:p")):
            out.append(DocxParagraph(p, document._body))
    return out


def fill_fields(document: Document, fields: dict[str, str]) -> None:
    """Replace ``{field}`` placeholders in the template's body, headers and footers.

    A paragraph whose placeholder is split over several runs gets its text joined into its
    first run. Unknown names are left as written.
    """

    def replace(match: re.Match[str]) -> str:
        return fields.get(match.group(1), match.group(0))

    for paragraph in _all_paragraphs(document):
        text = paragraph.text
        if not FIELD.search(text):
            continue
        filled = FIELD.sub(replace, text)
        if filled == text:
            continue
        runs = paragraph.runs
        done = False
        for run in runs:  # placeholders inside one run keep the run's formatting
            if FIELD.search(run.text):
                run.text = FIELD.sub(replace, run.text)
                done = True
        if not done or FIELD.sub(replace, paragraph.text) != paragraph.text:
            runs[0].text = filled
            for run in runs[1:]:
                run.text = ""


def prepare_template(document: Document, spec: LayoutSpec) -> None:
    """Empty a council template's body, unless its first page is the front sheet.

    The section properties (page size, margins, headers and footers) stay.
    """
    if spec.front_sheet == "template":
        return
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
