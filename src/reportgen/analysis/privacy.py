"""Checks that a written report holds no child-level identifiers.

Used by the tests on every generated .docx, and available to authors before they send a paper:
``python -c "from reportgen.analysis.privacy import scan_docx; print(scan_docx('paper.docx'))"``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")
"""Unique pupil number: a letter and 12 characters (indicators.md §2)."""
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")
"""A full UK postcode (a district alone, such as "LE11", is not personal)."""
DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
"""A dd/mm/YYYY date, as dates of birth appear in 903 files; reports write dates in words."""


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
    text = document_text(path)
    found = [f"UPN-like: {m}" for m in UPN.findall(text)]
    found += [f"postcode: {m}" for m in POSTCODE.findall(text)]
    found += [f"dd/mm/YYYY date: {m}" for m in DATE.findall(text)]
    for child in {c.strip() for c in child_ids if c and c.strip()}:
        if re.search(rf"(?<![\w-]){re.escape(child)}(?![\w-])", text, re.IGNORECASE):
            found.append(f"CHILD id: {child}")
    return found
