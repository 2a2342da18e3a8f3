"""A copy of the new paper with Word tracked changes against the last one.

The comparison is made by python-redlines (``pip install -e '.[compare]'``), whose Docxodus
engine (a maintained .NET port of Open-XML-PowerTools' WmlComparer, shipped as a binary inside
the ``python-redlines-docxodus`` wheel) writes real ``w:ins``/``w:del`` revisions: reviewers open
the copy in Word or LibreOffice and accept or reject each change as usual. This module adds the
short "Changes since the last report" list at the top of that copy (the list itself comes from
the runs' indicator JSON: :mod:`reportgen.report.changes`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn

from reportgen.core.atomic import write_with
from reportgen.core.errors import DataError, ReportgenError
from reportgen.docx.writer import document_bytes

AUTHOR = "reportgen"
"""Whose name Word shows on each tracked change."""

INSTALL_HINT = (
    "the tracked-changes comparison needs python-redlines with its Docxodus engine: "
    "run .venv/bin/pip install -c requirements.lock -e '.[compare]' (about 45 MB)"
)


class CompareError(ReportgenError):
    """The comparison could not be made (engine missing or failing)."""


def check_docx(path: Path | str, what: str) -> Path:
    """Return ``path`` when it is a Word .docx that exists; else raise with what to fix.

    Parameters
    ----------
    path
        The file given.
    what
        What it is for the message ("the last paper", "the new paper").

    Raises
    ------
    DataError
        Missing, a folder, or not a .docx (a Word document is a zip with ``word/document.xml``).
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{what} {path} does not exist: give the path of a .docx paper")
    if not path.is_file():
        raise DataError(f"{what} {path} is a folder: give the path of a .docx paper")
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        names = set()
    if "word/document.xml" not in names:
        kind = "a .doc, PDF or other file" if path.suffix.lower() != ".docx" else "damaged"
        raise DataError(
            f"{what} {path} is not a Word .docx document ({kind}): give the .docx that "
            "'reportgen report' wrote (save a .doc as .docx in Word first)"
        )
    return path


def engine_problem() -> str:
    """Why tracked changes cannot be made here ('' when they can): the engine is missing or
    its binary does not run on this machine."""
    try:
        from python_redlines import DocxodusEngine  # type: ignore[import-not-found]
    except ImportError:
        return INSTALL_HINT
    try:
        DocxodusEngine()
    except Exception as error:  # noqa: BLE001 - EngineNotInstalledError, unsupported platform
        return f"{INSTALL_HINT} ({error})"
    return ""


def _revision_time(new: Path) -> str:
    """The new paper's own date (its fixed core-property date) for every revision, so the
    same two papers always give the same comparison."""
    modified = docx.Document(str(new)).core_properties.modified
    when = modified or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tracked_changes(old: Path, new: Path, author: str = AUTHOR) -> bytes:
    """The new paper with Word tracked changes against the old one (python-redlines).

    Parameters
    ----------
    old, new
        The last paper and this one (.docx, checked by :func:`check_docx`).
    author
        The revisions' author.

    Returns
    -------
    bytes
        The .docx with ``w:ins`` and ``w:del`` revisions.

    Raises
    ------
    CompareError
        The engine is not installed, does not run here, or fails on the documents.
    """
    problem = engine_problem()
    if problem:
        raise CompareError(problem)
    from python_redlines import DocxodusEngine

    try:
        redline, _out, _err = DocxodusEngine().run_redline(
            author, original=Path(old), modified=Path(new), date_time=_revision_time(new)
        )
    except Exception as error:  # noqa: BLE001 - EngineExecutionError and OSError
        detail = str(error).strip().splitlines()[-1] if str(error).strip() else repr(error)
        raise CompareError(
            f"comparing {old} with {new} failed ({detail}): check both open in Word"
        ) from error
    return redline


def add_change_list(document: bytes, heading: str, lines: Sequence[str]) -> bytes:
    """Put ``heading`` and one bullet a line at the top of ``document``, then a page break.

    The list is plain text (not a tracked change): it is for the reviewers of this copy, and
    the paper itself is the new .docx. Uses the document's ``Heading 1`` and ``List Bullet``
    styles when it has them, else bold text and a bullet character.
    """
    doc = docx.Document(io.BytesIO(document))
    names = {s.name for s in doc.styles}
    body = doc.element.body
    first = next(iter(body.iterchildren()), None)
    blocks = []
    title = doc.add_paragraph(style="Heading 1" if "Heading 1" in names else None)
    run = title.add_run(heading)
    if "Heading 1" not in names:
        run.bold = True
    blocks.append(title)
    for line in lines:
        if "List Bullet" in names:
            blocks.append(doc.add_paragraph(line, style="List Bullet"))
        else:
            blocks.append(doc.add_paragraph(f"\u2022 {line}"))
    blocks[-1].add_run().add_break(WD_BREAK.PAGE)
    for block in blocks:
        element = block._p
        if first is not None:
            first.addprevious(element)
    return document_bytes(doc)


def revisions(document: bytes | Path) -> tuple[int, int]:
    """How many ``w:ins`` and ``w:del`` elements the document's body has."""
    data = Path(document).read_bytes() if isinstance(document, Path) else document
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return len(root.findall(".//" + qn("w:ins"))), len(root.findall(".//" + qn("w:del")))


def write_comparison(
    old: Path, new: Path, target: Path, heading: str, lines: Sequence[str]
) -> Path:
    """Write the tracked-changes copy of ``new`` against ``old``, with the change list at the
    top, to ``target`` atomically (a failure leaves no file)."""
    document = add_change_list(tracked_changes(old, new), heading, lines)
    return write_with(target, lambda out: out.write(document), mode="wb")


__all__ = [
    "AUTHOR",
    "CompareError",
    "add_change_list",
    "check_docx",
    "engine_problem",
    "revisions",
    "tracked_changes",
    "write_comparison",
]
