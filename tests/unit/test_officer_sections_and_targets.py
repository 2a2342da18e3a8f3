"""Officer-written sections, targets and commitments in the assembled report (no notebooks)."""

from __future__ import annotations

import pytest

from reportgen.core.config import load_params
from reportgen.core.errors import ParamsError
from reportgen.indicators import registry
from reportgen.model import Bullets, Paragraph, Table
from reportgen.report import officer_sections
from reportgen.report.assemble import build_report
from reportgen.report.notebook_api import compute_sections


def _report(params):
    sections = compute_sections(params)
    return build_report(params, sections, work_dir=__import__("pathlib").Path("."))


def _section(report, heading):
    return next(s for s in report.sections if s.heading == heading)


@pytest.fixture
def own_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(officer_sections, "AUTHORITY_PARAMS_DIR", tmp_path)
    return tmp_path


def test_officer_text_replaces_the_default_and_is_numbered(own_dir):
    folder = own_dir / "E10000018" / "2024-25"
    folder.mkdir(parents=True)
    (folder / "purpose.md").write_text(
        "Our own purpose for {{ authority }}.\n\nA second paragraph.\n"
    )
    params = load_params(
        "E10000018",
        "2024-25",
        overrides={
            "sections": {"service_context": "The service has 120 foster households ({{ period }})."}
        },
    )
    report = _report(params)
    purpose = _section(report, "Purpose of report").blocks
    assert purpose == [
        Paragraph("Our own purpose for Leicestershire."),
        Paragraph("A second paragraph."),
    ]
    context = _section(report, "Service context").blocks
    assert context == [Paragraph("The service has 120 foster households (2024-25).")]
    assert officer_sections.still_to_write(params)[:2] == ["background", "recommendations"]


def test_sections_nobody_wrote_are_left_out_not_empty(own_dir):
    report = _report(load_params("E10000018", "2024-25"))
    headings = [s.heading for s in report.sections]
    assert "Service context" not in headings and "Resource Implications" not in headings
    assert "Targets and commitments" not in headings


def test_required_section_with_no_default_is_an_error_before_running(own_dir):
    params = load_params(
        "E10000018", "2024-25", overrides={"required_sections": ["service_context"]}
    )
    with pytest.raises(ParamsError, match="required section.*service_context"):
        officer_sections.check_required(params)
    ok = load_params("E10000018", "2024-25", overrides={"required_sections": ["purpose"]})
    officer_sections.check_required(ok)  # has a default


def test_targets_and_commitments_with_status(own_dir):
    # Leicestershire 2024-25 (DfE published): 37 adopted (24 in 2023-24); 3+ placements 10%.
    params = load_params(
        "E10000018",
        "2024-25",
        overrides={
            "targets": [
                {"indicator": "adopted", "target": 25, "label": "25 adoptions a year"},
                {
                    "indicator": "stability_3plus_pct",
                    "target": 9,
                    "direction": "at_most",
                    "label": "stability at or below 9%",
                },
                {"indicator": "adopted", "target": 40, "label": "40 adoptions a year"},
                {
                    "indicator": "cl_19_21_in_touch_pct",
                    "target": 95,
                    "label": "95% of care leavers in touch",
                },
            ],
            "commitments": [
                {
                    "text": "We will grow our own fostering service",
                    "indicator": "placement_foster_pct",
                    "target": 70,
                }
            ],
        },
    )
    blocks = _section(_report(params), "Targets and commitments").blocks
    table = next(b for b in blocks if isinstance(b, Table) and b.caption.startswith("Targets"))
    assert [row[-1] for row in table.rows] == ["met", "not met", "on track", "no data"]
    assert table.rows[0] == ("25 adoptions a year", "25", "37", "met")
    sentences = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert (
        sentences[0] == "The target of 25 adoptions a year was met: the figure for 2024-25 was 37."
    )
    assert "not yet met but improving: 37 in 2024-25, from 24 the year before" in sentences[2]
    commitments = next(
        b for b in blocks if isinstance(b, Table) and b.caption.startswith("Commitments")
    )
    # foster placements 59% at 31 March 2025 against 70%: not met (was 60% in 2024: further away)
    assert commitments.rows[0] == (
        "We will grow our own fostering service",
        "70%",
        "59%",
        "not met",
    )


def test_unknown_indicator_in_a_target_is_rejected():
    with pytest.raises(ParamsError, match="adoptions"):
        load_params(
            "E10000018",
            "2024-25",
            overrides={"targets": [{"indicator": "adoptions", "target": 1}]},
            check_indicator=registry.get,
        )


def test_key_messages_point_to_their_paragraphs(own_dir):
    report = _report(load_params("E10000018", "2024-25"))
    key = _section(report, "Key messages").blocks
    assert isinstance(key[1], Bullets) and 3 <= len(key[1].items) <= 5
    numbered = [
        b for s in report.sections for b in s.blocks if isinstance(b, Paragraph) and b.numbered
    ]
    for item in key[1].items:
        number = int(item.rsplit("(paragraph ", 1)[1].rstrip(")."))
        assert numbered[number - 1].anchors, item
