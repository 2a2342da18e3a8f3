"""Default text and placeholders are marked with Word comments; notices head every page."""

from __future__ import annotations

import datetime as dt
import hashlib

import docx

from reportgen.docx import list_comments, write_report
from reportgen.model import Officer, Paragraph, Report, Section


def _report(notice: str = "") -> Report:
    return Report(
        title="Children in care",
        committee="[Committee name]",
        meeting_date=dt.date(2025, 12, 1),
        report_of="Director of Children's Services",
        sections=[
            Section(
                "Purpose of report",
                [
                    Paragraph(
                        "First default.", comment="Default text: replace or confirm", comment_span=2
                    ),
                    Paragraph("Second default."),
                    Paragraph("Own words."),
                ],
            )
        ],
        officers=[Officer(name="[Officer name]")],
        notice=notice,
    )


def test_comments_cover_default_text_and_placeholders(tmp_path):
    path = write_report(_report(), tmp_path / "a.docx")
    found = list_comments(path)
    assert [c["comment"].split(" (")[0].split(":")[0] for c in found] == [
        "Placeholder",  # the committee line of the title block
        "Default text",
        "Placeholder",  # the officer to contact
    ]
    default = found[1]
    assert default["section"] == "Purpose of report"
    assert default["text"] == "First default. Second default."  # both paragraphs, not the third
    assert "[Committee name]" in found[0]["comment"]
    assert "[Officer name]" in found[2]["comment"]


def test_comments_keep_the_bytes_reproducible(tmp_path):
    one = write_report(_report(), tmp_path / "one.docx").read_bytes()
    two = write_report(_report(), tmp_path / "two.docx").read_bytes()
    assert hashlib.sha256(one).digest() == hashlib.sha256(two).digest()
    comment = docx.Document(tmp_path / "one.docx").comments
    assert {c.timestamp for c in comment} == {dt.datetime(2025, 12, 1, tzinfo=dt.UTC)}


def test_notice_in_every_page_header(tmp_path):
    path = write_report(_report(notice="SYNTHETIC DATA"), tmp_path / "s.docx")
    document = docx.Document(path)
    assert all("SYNTHETIC DATA" in s.header.paragraphs[0].text for s in document.sections)
    plain = docx.Document(write_report(_report(), tmp_path / "p.docx"))
    assert all("SYNTHETIC" not in s.header.paragraphs[0].text for s in plain.sections)


def test_a_placeholder_split_across_runs_still_gets_its_comment(tmp_path):
    """Paragraphs are picked by their whole text, not run by run: '**[Job** title]' is two runs."""
    report = _report()
    report.sections[0].blocks.append(Paragraph("Ask the **[Job** title] today."))
    found = list_comments(write_report(report, tmp_path / "a.docx"))
    assert [c["comment"] for c in found if "[Job title]" in c["comment"]]
    assert [c["text"] for c in found if "[Job title]" in c["comment"]] == [
        "Ask the [Job title] today."
    ]
