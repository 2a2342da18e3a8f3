"""Word output: the only package that imports python-docx.

``write_report(report, path)`` turns a :class:`reportgen.model.Report` into a committee paper
in the house style of its layout (:mod:`reportgen.docx.layouts`), with real Word numbering,
computed table and figure numbers, repeating table headers, alt text on every picture, and
byte-reproducible, atomically written output. ``accessibility_problems(path)`` checks a written
paper against the rules every layout meets.
"""

from __future__ import annotations

from reportgen.docx.checks import accessibility_problems
from reportgen.docx.layouts import LAYOUTS, LayoutSpec, get_layout
from reportgen.docx.styles import build_template, check_styles, required_styles
from reportgen.docx.writer import list_comments, render_report, save_document, write_report

__all__ = [
    "LAYOUTS",
    "LayoutSpec",
    "accessibility_problems",
    "build_template",
    "check_styles",
    "get_layout",
    "list_comments",
    "render_report",
    "required_styles",
    "save_document",
    "write_report",
]
