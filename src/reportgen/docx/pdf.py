"""Tagged, accessible PDF (PDF/UA) of a paper, made by LibreOffice.

LibreOffice's Writer PDF export (7.4 or later takes the options as JSON on the command line)
writes a tagged PDF with ``UseTaggedPDF`` and declares PDF/UA with ``PDFUACompliance``: a
structure tree (headings, paragraphs, lists, tables, figures), the document title from the
paper's core properties shown in the window title, the language from its proofing language,
and each chart's alt text as the ``/Alt`` of its ``/Figure``.

One adjustment is made, in a temporary copy: LibreOffice tags a paragraph whose style is named
"Figure" (its own built-in caption style's name) as a ``/Figure`` too, so the paragraph that
holds a chart became a second, empty ``/Figure`` without alt text around the chart's own (a
PDF/UA failure). The copy renames that style to "Chart" before export; the paper is unchanged.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from reportgen.core.errors import OutputError, ReportgenError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

EXPORT_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "ExportNotes": {"type": "boolean", "value": "false"},
}
"""LibreOffice ``writer_pdf_Export`` options: tagged PDF, PDF/UA, bookmarks from headings, and
no PDF annotations for the officers' Word comments (they are notes for the author)."""

LIBREOFFICE_FIGURE_STYLES = ("figure", "illustration")
"""Paragraph style names LibreOffice tags as ``/Figure`` (compared in lower case)."""

MINIMUM_VERSION = (7, 4)
"""The first LibreOffice that reads the export options as JSON on the command line."""

INSTALL_HINT = "apt-get update && apt-get install -y libreoffice-writer-nogui"


def find_soffice() -> str | None:
    """The LibreOffice program (``soffice`` or ``libreoffice``) on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_version(soffice: str) -> tuple[int, int] | None:
    """LibreOffice's (major, minor) version, or None when it cannot be read."""
    try:
        text = subprocess.run(
            [soffice, "--version"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"LibreOffice (\d+)\.(\d+)", text)
    return (int(found.group(1)), int(found.group(2))) if found else None


def rename_figure_styles(styles_xml: bytes) -> bytes:
    """``word/styles.xml`` with paragraph styles LibreOffice would tag as ``/Figure`` renamed
    to "Chart" (their ids, and so every paragraph's style, stay the same)."""
    root = etree.fromstring(styles_xml)
    changed = False
    for style in root.iterfind(f"{{{W}}}style[@{{{W}}}type='paragraph']"):
        name = style.find(f"{{{W}}}name")
        if name is not None and name.get(f"{{{W}}}val", "").lower() in LIBREOFFICE_FIGURE_STYLES:
            name.set(f"{{{W}}}val", "Chart")
            changed = True
    if not changed:
        return styles_xml
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def export_copy(docx: Path, target: Path) -> Path:
    """Copy ``docx`` to ``target`` with :func:`rename_figure_styles` applied."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                data = rename_figure_styles(data)
            copy.writestr(item, data)
    return target


def filter_option() -> str:
    """The ``--convert-to`` value: PDF with :data:`EXPORT_OPTIONS`."""
    return "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS, separators=(",", ":"))


def write_pdf(docx: Path, pdf: Path | None = None, soffice: str | None = None) -> Path:
    """Write the tagged PDF of ``docx`` (default: beside it, same name) atomically.

    Parameters
    ----------
    docx
        The paper.
    pdf
        Where the PDF goes (default ``docx`` with ``.pdf``).
    soffice
        The LibreOffice program (default: found on PATH).

    Returns
    -------
    Path
        The PDF.

    Raises
    ------
    ReportgenError
        LibreOffice is missing or older than 7.4.
    OutputError
        The conversion failed (nothing is left at ``pdf``).
    """
    soffice = soffice or find_soffice()
    if not soffice:
        raise ReportgenError(f"LibreOffice is not installed: {INSTALL_HINT}")
    version = soffice_version(soffice)
    if version is not None and version < MINIMUM_VERSION:
        raise ReportgenError(
            f"LibreOffice {version[0]}.{version[1]} cannot write tagged PDF from the command "
            f"line (7.4 or later can): {INSTALL_HINT} from a newer release"
        )
    docx = Path(docx)
    pdf = Path(pdf) if pdf else docx.with_suffix(".pdf")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as scratch:
        work = Path(scratch)
        source = export_copy(docx, work / docx.name)
        profile = work / "profile"
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            filter_option(),
            "--outdir",
            str(work / "pdf"),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise OutputError(f"LibreOffice could not convert {docx} ({error})") from error
        written = work / "pdf" / source.with_suffix(".pdf").name
        if done.returncode != 0 or not written.is_file() or written.stat().st_size == 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise OutputError(
                f"LibreOffice could not convert {docx} to PDF"
                + (f" ({detail[-1]})" if detail else "")
                + ": check it opens in Word or LibreOffice"
            )
        handle, temp = tempfile.mkstemp(prefix=f".{pdf.name}.", suffix=".tmp", dir=pdf.parent)
        os.close(handle)
        try:
            shutil.copyfile(written, temp)
            os.replace(temp, pdf)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    return pdf


__all__ = ["EXPORT_OPTIONS", "export_copy", "filter_option", "find_soffice", "write_pdf"]
