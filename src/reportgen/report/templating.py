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
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    DictLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2 import TemplateError as JinjaError
from jinja2.sandbox import SandboxedEnvironment, safe_range

from reportgen.core.errors import TemplateError
from reportgen.core.paths import PROJECT_ROOT, TEMPLATES_DIR
from reportgen.model import Block, Bullets, Figure, Paragraph, Table

NARRATIVE_DIR = TEMPLATES_DIR / "narrative"

_ANCHOR = re.compile(r"\u27e6(\w+)\u27e7")
_FIGURE = re.compile(r"^\[figure:\s*([\w-]+)\s*\]$")
_TABLE = re.compile(r"^\[table:\s*(.+?)\s*\|\s*([\w\s,]+?)\s*\]$", re.DOTALL)


MAX_ITEMS = 1_000_000
"""Longest string or list an expression may make (repetition, ``+``, padding, format widths)."""
MAX_INT_BITS = 4096
"""Largest integer (in bits) ``**`` and ``*`` may make: ``9**(9**9)`` is refused at once."""
RENDER_SECONDS = 30.0
"""Limit for rendering one template, in seconds of the rendering thread's CPU time (not wall
time: a busy machine must not fail a report whose templates are fine)."""
MAX_OUTPUT = 2_000_000
"""Most characters one template may render."""

_DEADLINE = threading.local()
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\*|\d{7,})|\.(\*|\d{7,})|\{[^{}]*:[^{}]*\d{7,}")
_PADDING = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class _Refused(Exception):
    """An expression a template may not evaluate (it would take too much time or memory)."""


def _check_time() -> None:
    deadline = getattr(_DEADLINE, "at", None)
    if deadline is not None and time.thread_time() > deadline:
        raise _Refused(
            f"rendering took more than {RENDER_SECONDS:g} s of CPU time: simplify the template"
        )


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


class _BoundedRange:
    """``range()`` in templates: at most the sandbox's 100,000 items, and the render's time limit
    checked at every step (so nested loops cannot run for ever)."""

    def __init__(self, *args: int):
        self._range = safe_range(*args)

    def __iter__(self) -> Any:
        for item in self._range:
            _check_time()
            yield item

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]


class BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, bounded in time and memory.

    Refuses huge powers and products of integers, repetition or concatenation making a string or
    list longer than :data:`MAX_ITEMS`, padding and format widths beyond it; ``range`` is checked
    against the render's time limit (:data:`RENDER_SECONDS`).
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.globals["range"] = _BoundedRange

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_time()
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "**" and ints and right > 0 and abs(left) > 1:
            if right * abs(left).bit_length() > MAX_INT_BITS:
                raise _Refused(f"{left} ** {right} is too large a number")
        elif operator == "*" and ints:
            if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                raise _Refused("the product is too large a number")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) is not None and isinstance(times, int):
                    if _size(seq) * times > MAX_ITEMS:
                        raise _Refused(f"repeating makes more than {MAX_ITEMS:,} items")
        elif operator == "+" and _size(left) is not None and _size(right) is not None:
            if _size(left) + _size(right) > MAX_ITEMS:
                raise _Refused(f"joining makes more than {MAX_ITEMS:,} items")
        elif operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise _Refused("a format width or precision too large")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        """``str.format``/``format_map`` as the sandbox wraps them, refusing huge widths."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_FORMAT.search(value.__self__):
            raise _Refused("a format width or precision too large")
        return wrapped

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_time()
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str | bytes | list | tuple):
            values = [*args, *kwargs.values()]
            if name in _PADDING and any(isinstance(v, int) and v > MAX_ITEMS for v in values):
                raise _Refused(f"{name}() to more than {MAX_ITEMS:,} characters")
            if name == "replace" and len(args) > 1 and _size(args[1]):
                if len(owner) * max(1, _size(args[1])) > MAX_ITEMS:
                    raise _Refused(f"replace() could make more than {MAX_ITEMS:,} characters")
        return super().call(__context, __obj, *args, **kwargs)


def _bounded_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        values = [*args, *kwargs.values()]
        if any(isinstance(v, int) and not isinstance(v, bool) and v > MAX_ITEMS for v in values):
            raise _Refused(f"|{name} with a number over {MAX_ITEMS:,}")
        if name == "format" and isinstance(value, str) and _WIDE_FORMAT.search(value):
            raise _Refused("a format width or precision too large")
        return original(value, *args, **kwargs)

    return bounded


class _CompiledTemplates(BytecodeCache):
    """Compiled narrative templates kept per process, shared by every report's environment.

    Jinja keys each entry on the template's name and file, and uses it only when its checksum
    of the source still matches (an edited template is compiled afresh). Every environment
    :func:`environment` makes has the same settings, so their compiled code is the same: a
    batch compiles each template once, not once a paper. Least recently used entries go
    beyond ``size`` (officers' inline texts differ by authority).
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._code: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Any) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
            if code is not None:
                self._code.move_to_end(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # discarded if the source's checksum differs

    def dump_bytecode(self, bucket: Any) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code
            self._code.move_to_end(bucket.key)
            while len(self._code) > self.size:
                self._code.popitem(last=False)


_COMPILED = _CompiledTemplates()


def environment(folders: list[Path], inline: dict[str, str] | None = None) -> SandboxedEnvironment:
    """A sandboxed Jinja environment reading templates from ``inline`` sources, then ``folders``.

    Rendering is bounded (:class:`BoundedSandbox`, :func:`render_text`).

    Parameters
    ----------
    folders
        Folders searched in order (first match wins).
    inline
        Template sources by name (``"purpose.md"``), searched first.
    """
    env = BoundedSandbox(
        loader=ChoiceLoader(
            [DictLoader(inline or {}), FileSystemLoader([str(f) for f in folders])]
        ),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    for name in ("center", "indent", "truncate", "wordwrap", "format", "batch", "slice"):
        env.filters[name] = _bounded_filter(name, env.filters[name])
    return env


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
        _DEADLINE.at = time.thread_time() + RENDER_SECONDS
        chunks, length = [], 0
        for chunk in template.generate(**context):
            length += len(chunk)
            if length > MAX_OUTPUT:
                raise _Refused(f"the text is longer than {MAX_OUTPUT:,} characters")
            _check_time()
            chunks.append(chunk)
        return "".join(chunks)
    except TemplateNotFound:
        raise TemplateError(f"narrative template '{name}' not found") from None
    except TemplateSyntaxError as error:
        raise TemplateError(f"{_where(error, name)}: {error.message}") from None
    except (JinjaError, Exception) as error:  # noqa: BLE001 - any template failure
        if isinstance(error, TemplateError):
            raise
        if isinstance(error, _Refused):
            raise TemplateError(f"{_where(error, name)}: refused: {error}") from None
        what = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise TemplateError(
            f"{_where(error, name)}: {type(error).__name__}: {what}"
        ).with_traceback(None) from None
    finally:
        _DEADLINE.at = None


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
