"""Layout files and body plans: which sections each committee layout has, in which order.

Every layout is one YAML file, ``templates/layouts/<name>.yaml``, read by this module (the body
plan) and by :mod:`reportgen.docx.layouts` (how the writer renders it)::

    name: open-report                     # the file's stem; what `layout:` in params names
    description: Lincolnshire "Open Report on behalf of ..."
    body:                                 # the plan: sections in order
      - heading: Summary
        parts: [purpose, summary]         # content parts (reportgen.report.assemble.PARTS)
        numbering: none                   # main (default) | none | own
      - heading: Background
        parts: [background]
        families: [sufficiency, adoption, care_leavers]   # family sections one level down
      - families: [sufficiency]           # no heading: a family section at the top level
      - heading: Risks and Impact Analysis
        parts: [risks_and_impact]
        level: 2                          # printed as a sub-heading of the section before
    render: {...}                         # title block, numbering, look (reportgen.docx.layouts)

A plan item is a headed section whose blocks come from named *parts* ("purpose", "background",
"conclusions" ...), and whose *families* are whole family sections ("sufficiency", "adoption",
"care_leavers") placed under it one level down. ``numbering`` says how the section's numbered
paragraphs are numbered: ``main`` in the report's continuous list (and its heading numbered when
the layout numbers headings), ``none`` not at all, ``own`` in a list of their own starting at 1
(an "Actions Required" list before the numbered sections). ``level: 2`` prints the heading as a
sub-heading. Adding a layout is adding a file: no code changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from reportgen.core import paths
from reportgen.core.errors import TemplateError
from reportgen.model import Paragraph, Section

__all__ = [
    "DEFAULT_BASE",
    "LAYOUTS_DIR",
    "LAYOUT_FILES",
    "PLANS",
    "LayoutFile",
    "PlanItem",
    "get_layout_file",
    "get_plan",
    "is_template_layout",
    "load_layout_files",
    "mapping_path",
    "paragraph_numbers",
    "read_layout_file",
    "read_template_layout",
]

LAYOUTS_DIR = paths.TEMPLATES_DIR / "layouts"
"""Folder of the layout files."""

Numbering = Literal["main", "none", "own"]
NUMBERING_MODES: tuple[str, ...] = ("main", "none", "own")
TOP_KEYS = ("name", "description", "body", "render")
ITEM_KEYS = ("heading", "parts", "families", "numbering", "level")
MAPPING_KEYS = ("description", "base", "front_sheet", "contents", "styles")
"""Keys of a council template's style mapping (``<template>.yaml`` beside the .docx)."""
DEFAULT_BASE = "county-scrutiny"
"""The layout whose body plan and numbering a council template uses unless its mapping names
another (``base:``)."""


@dataclass(frozen=True)
class PlanItem:
    """One section of a layout's body.

    Parameters
    ----------
    heading
        Section heading; ``None`` for a family section placed at the top level.
    parts
        Names of the content parts whose blocks fill the section, in order.
    children
        Family sections placed under this heading (one level down), or at the top level when
        ``heading`` is None.
    numbering
        ``"main"``, ``"none"`` or ``"own"`` (see the module docstring); used by the writer.
    level
        Heading level the writer prints the section at (1, or 2 for a sub-heading).
    """

    heading: str | None
    parts: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    numbering: Numbering = "main"
    level: int = 1


@dataclass(frozen=True)
class LayoutFile:
    """A parsed layout file: its body plan and the writer's (unparsed) ``render`` mapping."""

    name: str
    path: Path
    description: str
    plan: tuple[PlanItem, ...]
    render: dict[str, Any] = field(default_factory=dict)
    council: bool = False
    """True for a council's own Word template (``name`` is the .docx path, ``path`` its
    style mapping): every style role must then be mapped (see :func:`read_template_layout`)."""

    def item_for(self, heading: str) -> PlanItem | None:
        """The plan item headed ``heading`` (case-insensitive), if any."""
        wanted = heading.strip().casefold()
        for item in self.plan:
            if item.heading is not None and item.heading.strip().casefold() == wanted:
                return item
        return None


def _read_yaml(path: Path, what: str) -> Any:
    """A YAML file read with the safe loader; ``TemplateError`` naming ``what`` (and the line of
    a YAML error) when it cannot be read or parsed."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TemplateError(f"{what} cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise TemplateError(f"{what}: invalid YAML{at}") from None


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TemplateError(f"{where}: expected a list of names, got {value!r}")
    return tuple(v.strip() for v in value)


def _unknown(mapping: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    extra = [key for key in mapping if key not in allowed]
    if extra:
        raise TemplateError(f"{where}: unknown key {extra[0]!r} (allowed: {', '.join(allowed)})")


def _plan_item(raw: Any, where: str) -> PlanItem:
    if not isinstance(raw, dict):
        raise TemplateError(f"{where}: expected 'heading:', 'parts:' ... keys, got {raw!r}")
    _unknown(raw, ITEM_KEYS, where)
    heading = raw.get("heading")
    if heading is not None and (not isinstance(heading, str) or not heading.strip()):
        raise TemplateError(f"{where}: 'heading' must be text, got {heading!r}")
    parts = _strings(raw.get("parts", []), f"{where}: parts")
    children = _strings(raw.get("families", []), f"{where}: families")
    numbering = raw.get("numbering", "main")
    if numbering not in NUMBERING_MODES:
        raise TemplateError(
            f"{where}: numbering {numbering!r} is not one of {', '.join(NUMBERING_MODES)}"
        )
    level = raw.get("level", 1)
    if level not in (1, 2):
        raise TemplateError(f"{where}: level must be 1 or 2, got {level!r}")
    if heading is None:
        if not children:
            raise TemplateError(f"{where}: an item needs a 'heading' or 'families'")
        if parts or level != 1 or numbering != "main":
            raise TemplateError(
                f"{where}: an item without a heading holds only 'families' (its parts would "
                "have no section to go in)"
            )
    return PlanItem(heading.strip() if heading else None, parts, children, numbering, level)


def read_layout_file(path: Path) -> LayoutFile:
    """Read and check one layout file (safe YAML loader).

    Raises
    ------
    TemplateError
        Unreadable file, invalid YAML, unknown keys or a malformed body item, naming the file.
    """
    where = str(path)
    data = _read_yaml(path, f"layout file {where}")
    if not isinstance(data, dict):
        raise TemplateError(f"layout file {where}: expected 'name:', 'body:' and 'render:' keys")
    _unknown(data, TOP_KEYS, f"layout file {where}")
    name = data.get("name", path.stem)
    if name != path.stem:
        raise TemplateError(f"layout file {where}: 'name' is {name!r}, the file is {path.stem!r}")
    body = data.get("body")
    if not isinstance(body, list) or not body:
        raise TemplateError(f"layout file {where}: 'body' must be a list of sections")
    plan = tuple(
        _plan_item(item, f"layout file {where}: body item {i}")
        for i, item in enumerate(body, start=1)
    )
    render = data.get("render") or {}
    if not isinstance(render, dict):
        raise TemplateError(f"layout file {where}: 'render' must be a mapping")
    return LayoutFile(name, path, str(data.get("description", "")).strip(), plan, render)


def load_layout_files(folder: Path = LAYOUTS_DIR) -> dict[str, LayoutFile]:
    """Read every ``*.yaml`` layout file in ``folder``, by name, in name order."""
    return {f.name: f for f in map(read_layout_file, sorted(folder.glob("*.yaml")))}


LAYOUT_FILES: dict[str, LayoutFile] = load_layout_files()
"""Every shipped layout file, by name."""

PLANS: dict[str, tuple[PlanItem, ...]] = {name: f.plan for name, f in LAYOUT_FILES.items()}
"""The body plan of every layout, by name."""


def is_template_layout(layout: str | Path) -> bool:
    """True when ``layout`` names a council's own Word template (a ``.docx`` path)."""
    return str(layout).strip().casefold().endswith(".docx")


def mapping_path(template: Path | str) -> Path:
    """The style mapping of a council template: ``<template>.yaml`` beside the .docx."""
    return Path(template).with_suffix(".yaml")


def read_template_layout(template: Path | str) -> LayoutFile:
    """The layout of a council's own Word template, from the style mapping beside it.

    The mapping (``our-template.yaml`` beside ``our-template.docx``; ``reportgen layout init``
    drafts it)::

        base: county-scrutiny        # body plan, numbering, title block (default county-scrutiny)
        front_sheet: title_block     # title_block: print the base layout's title block;
                                     # template: the template's own first page, {fields} filled
        contents: false              # a contents list after the front sheet
        styles:                      # our role -> the template's style name
          body: Body Text            # body text and numbered paragraphs
          title: Report Title
          headings: [Heading 1, Heading 2, Heading 3]
          ...

    The result keeps the base layout's ``render`` settings, with ``template`` set to the
    .docx (absolute) and ``styles`` replaced by the mapping's. Checking that every role is
    mapped to a style the template has needs the template itself
    (:func:`reportgen.docx.council.check_roles`).

    Parameters
    ----------
    template
        Path of the council's .docx.

    Returns
    -------
    LayoutFile
        With ``name`` the template's absolute path and ``council`` True.

    Raises
    ------
    TemplateError
        A missing template or mapping, invalid YAML, an unknown key or base layout.
    """
    docx_path = Path(template).expanduser().absolute()
    yaml_path = mapping_path(docx_path)
    if not docx_path.is_file():
        raise TemplateError(f"council template {docx_path} not found: check the LAYOUT path")
    if not yaml_path.is_file():
        raise TemplateError(
            f"council template {docx_path} has no style mapping {yaml_path.name} beside it: "
            f"draft one with `reportgen layout init {docx_path}` and check it"
        )
    where = f"style mapping {yaml_path}"
    data = _read_yaml(yaml_path, where)
    if not isinstance(data, dict):
        raise TemplateError(f"{where}: expected 'base:' and 'styles:' keys")
    _unknown(data, MAPPING_KEYS, where)
    base_name = data.get("base") or DEFAULT_BASE
    if base_name not in LAYOUT_FILES:
        raise TemplateError(
            f"{where}: base layout {base_name!r} is not one of {', '.join(sorted(LAYOUT_FILES))}"
        )
    styles = data.get("styles")
    if not isinstance(styles, dict) or not styles:
        raise TemplateError(f"{where}: 'styles' must map each role to one of the template's styles")
    front_sheet = data.get("front_sheet", "title_block")
    if front_sheet not in ("title_block", "template"):
        raise TemplateError(f"{where}: front_sheet must be title_block or template")
    base = LAYOUT_FILES[base_name]
    render = {key: value for key, value in base.render.items() if key not in ("styles", "look")}
    render.update(template=str(docx_path), styles=styles, front_sheet=front_sheet)
    if isinstance(styles.get("headings"), list):
        render["max_heading_level"] = len(styles["headings"])
    if "contents" in data:
        render["contents"] = data["contents"]
    description = str(data.get("description") or f"{docx_path.name} on the {base_name} plan")
    return LayoutFile(str(docx_path), yaml_path, description, base.plan, render, council=True)


def get_layout_file(layout: str) -> LayoutFile:
    """The layout file of ``layout``: a shipped layout's name or a council template's path.

    Raises
    ------
    TemplateError
        Neither a shipped layout nor a readable council template with its mapping.
    """
    if layout in LAYOUT_FILES:
        return LAYOUT_FILES[layout]
    if is_template_layout(layout):
        return read_template_layout(layout)
    raise TemplateError(
        f"unknown layout {layout!r}: choose one of {', '.join(sorted(LAYOUT_FILES))} "
        "(templates/layouts/*.yaml) or give a council template (path/to/template.docx)"
    )


def get_plan(layout: str) -> tuple[PlanItem, ...]:
    """The body plan of ``layout``.

    Raises
    ------
    TemplateError
        For a layout with no plan.
    """
    if layout in PLANS:
        return PLANS[layout]
    if is_template_layout(layout):
        return read_template_layout(layout).plan
    raise TemplateError(
        f"layout '{layout}' has no body plan: choose one of {', '.join(sorted(PLANS))}"
    )


def paragraph_numbers(layout: str, body: Sequence[Section]) -> list[tuple[Paragraph, str]]:
    """The number Word will show for each numbered main paragraph of ``body``, in order.

    ``"7"`` in a layout numbered 1..N through the body, ``"1.3"`` in an outline layout (the
    open report); paragraphs of ``numbering: none`` sections are left out and those of ``own``
    sections are numbered 1, 2 ... on their own, as the writer numbers them. Use it to refer
    to a paragraph by number ("see paragraph 1.3") before the document is written.

    Parameters
    ----------
    layout
        Layout name, or a council template's path.
    body
        The report's body sections, as laid out by the plan.

    Returns
    -------
    list of (Paragraph, str)
        Each numbered level-0 paragraph with its number.
    """
    layout_file = get_layout_file(layout)
    numbering = layout_file.render.get("numbering") or {}
    if not numbering.get("paragraphs", True):
        return []
    outline = bool(numbering.get("outline", False))
    out: list[tuple[Paragraph, str]] = []
    heading_count, count, heading_level = 0, 0, 0
    for section in body:
        item = layout_file.item_for(section.heading)
        mode = item.numbering if item is not None else "main"
        level = item.level if item is not None else section.level
        level = max(1, min(level, heading_level + 1))
        heading_level = level
        own = 0
        if outline and mode == "main" and level == 1:
            heading_count, count = heading_count + 1, 0
        for block in section.blocks:
            if not (isinstance(block, Paragraph) and block.numbered and block.level == 0):
                continue
            if mode == "own":
                own += 1
                out.append((block, str(own)))
            elif mode == "main":
                count += 1
                out.append((block, f"{heading_count}.{count}" if outline else str(count)))
    return out
