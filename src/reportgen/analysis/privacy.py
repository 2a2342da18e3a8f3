"""Checks that a written report holds no child-level identifiers.

Used by the tests on every generated .docx, and available to authors before they send a paper:
``python -c "from reportgen.analysis.privacy import scan_docx; print(scan_docx('paper.docx'))"``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from reportgen.core.redact import DATE, POSTCODE, UPN

__all__ = ["DATE", "POSTCODE", "UPN", "document_text", "find_identifiers", "scan_docx"]


def document_text(path: Path | str) -> str:
    """All the text of a .docx: body, tables, headers, footers, notes and alt text."""
    parts = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name.startswith("word/") and name.endswith(".xml") or name == "docProps/core.xml":
                xml = archive.read(name).decode("utf-8")
                parts.append(re.sub(r"<[^>]+>", " ", xml))
                parts.extend(re.findall(r'descr="([^"]*)"', xml))
    return " ".join(parts)


def scan_docx(path: Path | str, child_ids: Iterable[str] = ()) -> list[str]:
    """Identifiers found in a report (empty when it is clean).

    Parameters
    ----------
    path
        The .docx.
    child_ids
        CHILD ids of the return it was made from (none may appear).

    Returns
    -------
    list of str
        One line per finding: what it looks like and the text found.
    """
    return [f"{kind}: {value}" for kind, value in find_identifiers(document_text(path), child_ids)]


def find_identifiers(text: str, child_ids: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Identifier-shaped strings in ``text``, as ``(kind, text found)`` pairs.

    Parameters
    ----------
    text
        Any text (a paper's, a section's).
    child_ids
        CHILD ids that must not appear.
    """
    found = [("UPN-like", m) for m in UPN.findall(text)]
    found += [("postcode", m) for m in POSTCODE.findall(text)]
    found += [("dd/mm/YYYY date", m) for m in DATE.findall(text)]
    for child in sorted({c.strip() for c in child_ids if c and c.strip()}):
        if re.search(rf"(?<![\w-]){re.escape(child)}(?![\w-])", text, re.IGNORECASE):
            found.append(("CHILD id", child))
    return found
