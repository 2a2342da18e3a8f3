"""Narrative templates: Markdown + Jinja files that analysts edit without Python.

Templates live in ``templates/narrative/`` (officers' own text can also come from
``params/authorities/<code>/<period>/<section>.md``). They render in a **sandboxed** Jinja
environment with strict undefined variables; an error names the file and line.

The rendered Markdown is read block by block (blocks are separated by blank lines):

* a plain block is a numbered paragraph (``**bold**`` allowed);
* a block whose lines all start with ``- `` is a bullet list;
* ``[figure: <chart file stem>]`` places a chart the notebook drew;
* ``[table: <caption> | <indicator id>, <indicator id>, ...]`` places a comparison table;
* ``> text`` is an unnumbered paragraph;
* a block that renders empty (for example an ``{% if %}`` that is false) is dropped.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    DictLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment

from reportgen.core.errors import TemplateError
from reportgen.core.paths import PROJECT_ROOT, TEMPLATES_DIR
from reportgen.model import Block, Bullets, Figure, Paragraph, Table

NARRATIVE_DIR = TEMPLATES_DIR / "narrative"

_ANCHOR = re.compile(r"\u27e6(\w+)\u27e7")
_FIGURE = re.compile(r"^\[figure:\s*([\w-]+)\s*\]$")
_TABLE = re.compile(r"^\[table:\s*(.+?)\s*\|\s*([\w\s,]+?)\s*\]$", re.DOTALL)


def environment(folders: list[Path], inline: dict[str, str] | None = None) -> SandboxedEnvironment:
    """A sandboxed Jinja environment reading templates from ``inline`` sources, then ``folders``.

    Parameters
    ----------
    folders
        Folders searched in order (first match wins).
    inline
        Template sources by name (``"purpose.md"``), searched first.
    """
    return SandboxedEnvironment(
        loader=ChoiceLoader(
            [DictLoader(inline or {}), FileSystemLoader([str(f) for f in folders])]
        ),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _where(error: BaseException, fallback: str) -> str:
    """``templates/narrative/x.md, line 3`` from a Jinja error or its traceback."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if not filename or not line:
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if frame.filename.endswith(".md"):
                filename, line = frame.filename, frame.lineno
                break
    shown = Path(filename or fallback)
    try:
        shown = shown.resolve().relative_to(PROJECT_ROOT)
    except ValueError:
        pass
    return f"{shown}, line {line}" if line else str(shown)


def render_text(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``; any error becomes a one-line :class:`TemplateError`.

    Raises
    ------
    TemplateError
        Naming the file and line, and what went wrong.
    """
    try:
        template = env.get_template(name)
        return template.render(**context)
    except TemplateNotFound:
        raise TemplateError(f"narrative template '{name}' not found") from None
    except TemplateSyntaxError as error:
        raise TemplateError(f"{_where(error, name)}: {error.message}") from None
    except (JinjaError, Exception) as error:  # noqa: BLE001 - any template failure
        if isinstance(error, TemplateError):
            raise
        what = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise TemplateError(
            f"{_where(error, name)}: {type(error).__name__}: {what}"
        ).with_traceback(None) from None


def parse_blocks(
    markdown: str,
    figure: Callable[[str], Figure | None],
    table: Callable[[str, list[str]], Table],
    source: str = "",
) -> list[Block]:
    """Turn rendered Markdown into report blocks (see the module notes for the syntax).

    Parameters
    ----------
    markdown
        Rendered template text.
    figure
        Returns the Figure for a chart stem, or None for a chart that was not drawn (it is
        left out); raises TemplateError for an unknown chart.
    table
        Returns the Table for a caption and a list of indicator ids.
    source
        Template name, for error messages.
    """
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", markdown):
        text = chunk.strip()
        if not text:
            continue
        lines = [line.strip() for line in text.splitlines()]
        if match := _FIGURE.match(text):
            found = figure(match.group(1))
            if found is not None:
                blocks.append(found)
        elif match := _TABLE.match(text):
            ids = [i.strip() for i in match.group(2).split(",") if i.strip()]
            blocks.append(table(" ".join(match.group(1).split()), ids))
        elif all(line.startswith("- ") for line in lines):
            blocks.append(Bullets(tuple(_ANCHOR.sub("", line[2:]).strip() for line in lines)))
        elif text.startswith(">"):
            plain = _ANCHOR.sub("", " ".join(line.lstrip("> ") for line in lines))
            blocks.append(Paragraph(plain.strip(), numbered=False))
        else:
            joined = " ".join(lines)
            anchors = tuple(dict.fromkeys(_ANCHOR.findall(joined)))
            blocks.append(Paragraph(_ANCHOR.sub("", joined).strip(), anchors=anchors))
    return blocks
