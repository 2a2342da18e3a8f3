"""The identifier scan finds what must never be in a report, and passes a clean one."""

from __future__ import annotations

from datetime import date

from reportgen.analysis.privacy import scan_docx
from reportgen.docx import write_report
from reportgen.model import Paragraph, Report, Section, Table


def _write(tmp_path, texts, rows=()):
    report = Report(
        title="t",
        committee="c",
        meeting_date=date(2025, 12, 1),
        report_of="r",
        sections=[
            Section(
                "Purpose of report",
                [Paragraph(t) for t in texts]
                + ([Table("x", ("a", "b"), tuple(rows), source="s")] if rows else []),
            )
        ],
    )
    return write_report(report, tmp_path / "r.docx")


def test_a_clean_report_passes(tmp_path):
    path = _write(
        tmp_path,
        ["At 31 March 2025 there were 694 children looked after, 47 per 10,000."],
        rows=[("Children looked after", "694")],
    )
    assert scan_docx(path, child_ids=["C0001", "SYN000123"]) == []


def test_identifiers_are_found(tmp_path):
    path = _write(
        tmp_path,
        ["Child C0001 (UPN A800000000011) born 14/03/2012 lives at LE11 3TU."],
        rows=[("SYN000123", "1")],
    )
    found = scan_docx(path, child_ids=["C0001", "SYN000123", "C0002"])
    assert "UPN-like: A800000000011" in found
    assert "postcode: LE11 3TU" in found
    assert "dd/mm/YYYY date: 14/03/2012" in found
    assert "CHILD id: C0001" in found and "CHILD id: SYN000123" in found
    assert "CHILD id: C0002" not in found
