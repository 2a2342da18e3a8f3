"""Word output: the only package that imports python-docx.

``write_report(report, path)`` turns a :class:`reportgen.model.Report` into a committee paper
in the house style of its layout (:mod:`reportgen.docx.layouts`), with real Word numbering,
computed table and figure numbers, repeating table headers, alt text on every picture, and
byte-reproducible, atomically written output.
"""

from __future__ import annotations

from reportgen.docx.layouts import LAYOUTS, LayoutSpec, get_layout
from reportgen.docx.styles import build_template, check_styles, required_styles
from reportgen.docx.writer import render_report, save_document, write_report

__all__ = [
    "LAYOUTS",
    "LayoutSpec",
    "build_template",
    "check_styles",
    "get_layout",
    "render_report",
    "required_styles",
    "save_document",
    "write_report",
]
