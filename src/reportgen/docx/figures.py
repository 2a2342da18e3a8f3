"""Figures: the chart image at its width, alt text on ``wp:docPr``, a "Figure N:" caption below.

python-docx has no API for alt text (PR #317/#1530 unmerged): the text goes in the ``descr``
attribute (and the caption in ``title``) of the inline picture's ``wp:docPr``. python-docx
gives each ``wp:docPr`` an id one above the largest id in the document, so ids are unique and
the same for the same report.
"""

from __future__ import annotations

import io

from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Cm, Emu

from reportgen.core.errors import DataError
from reportgen.docx.styles import StyleSheet
from reportgen.model import Figure

__all__ = ["add_figure", "figure_caption", "set_alt_text"]


def figure_caption(number: int, caption: str) -> str:
    """Return the caption line ``"Figure N: caption"`` (``"Figure N"`` without a caption)."""
    caption = caption.strip()
    return f"Figure {number}: {caption}" if caption else f"Figure {number}"


def set_alt_text(inline: object, description: str, title: str = "") -> None:
    """Set the alt text of an inline picture.

    Parameters
    ----------
    inline
        The ``wp:inline`` element (``InlineShape._inline``).
    description
        What the picture shows (``wp:docPr/@descr``, read by screen readers).
    title
        Short title (``wp:docPr/@title``).
    """
    doc_pr = inline.find(qn("wp:docPr"))  # type: ignore[attr-defined]
    doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)


def add_figure(document: Document, figure: Figure, number: int, sheet: StyleSheet) -> None:
    """Append a picture paragraph and its caption to the end of ``document``.

    The image's bytes are embedded as they are; its width is ``figure.width_cm`` (at most the
    text width) and its height follows the aspect ratio.

    Parameters
    ----------
    document
        The document being written.
    figure
        The figure (image path, caption, alt text, width).
    number
        Its number in the whole document.
    sheet
        The layout's styles (figure paragraph, caption).

    Raises
    ------
    DataError
        If the image file does not exist or cannot be read.
    ValueError
        If the figure has no alt text or a non-positive width.
    """
    if not figure.alt_text.strip():
        raise ValueError(f"figure {figure.caption!r} has no alt text; every chart needs one")
    if figure.width_cm <= 0:
        raise ValueError(f"figure {figure.caption!r} has width {figure.width_cm} cm")
    try:
        data = figure.image.read_bytes()
    except OSError as exc:
        raise DataError(
            f"figure {number} ({figure.caption!r}): cannot read image {figure.image} "
            f"({exc.strerror or exc}); re-run the notebook that draws it"
        ) from exc

    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    width = min(Cm(figure.width_cm), Emu(text_width))

    paragraph = sheet.add_paragraph(sheet.names.figure)
    paragraph.paragraph_format.keep_with_next = True
    try:
        shape = paragraph.add_run().add_picture(io.BytesIO(data), width=width)
    except Exception as exc:  # python-docx raises its own errors for unknown image formats
        raise DataError(
            f"figure {number} ({figure.caption!r}): {figure.image} is not a usable image "
            f"({type(exc).__name__}: {exc}); re-run the notebook that draws it"
        ) from exc
    caption = figure_caption(number, figure.caption)
    set_alt_text(shape._inline, figure.alt_text.strip(), caption)
    sheet.add_paragraph(sheet.names.caption, caption)
