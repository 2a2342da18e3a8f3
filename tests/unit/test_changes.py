"""The "Changes since the last report" list, from two runs' hand-made indicator JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportgen.core.errors import DataError
from reportgen.report.changes import (
    FigureMove,
    MeaningChange,
    compare_papers,
    compare_runs,
    load_run,
)


def _indicator(id: str, title: str, unit: str, value, previous=None, **extra) -> dict:
    return {
        "id": id,
        "family": "sufficiency",
        "title": title,
        "unit": unit,
        "polarity": extra.pop("polarity", "neutral"),
        "period": extra.pop("period", "2024-25"),
        "value": value,
        "previous": previous,
        **extra,
    }


def _paper(folder: Path, period: str, indicators: list[dict], extra_files=()) -> Path:
    """A fake paper with its run's work/sufficiency.json beside it (the .docx is never read)."""
    work = folder / "work"
    work.mkdir(parents=True)
    section = {
        "family": "sufficiency",
        "authority_code": "E10000018",
        "authority_name": "Leicestershire",
        "period": period,
        "source": "published",
        "indicators": [{**i, "period": period} for i in indicators],
    }
    (work / "sufficiency.json").write_text(json.dumps(section))
    for name, data in extra_files:
        (work / name).write_text(json.dumps(data))
    paper = folder / f"E10000018_{period}_children-in-care.docx"
    paper.write_bytes(b"")
    return paper


# The last paper (2023-24) and this one (2024-25). Expected values worked by hand:
# - children looked after: 681 -> 725 last time (rose), 725 -> 694 now (fell): moved, and the
#   sentence about the change since last year turned round.
# - placed more than 20 miles away: 21% against England's 22% was "about the same" (within one
#   point); 24% against 22% is "higher": moved and a new position against England.
# - foster placements 60.2% -> 59.8%: both show as 60%, so nothing moved (and it "did not
#   change" from the 60% before it both times).
# - stability 77% -> 75%, still lower than England's 80% both times, still fell: moved only.
# - with parents 6% -> 6.4% (shows 6%) but England 6% -> 6%: nothing.
# - UASC, a count, 111 against England 7,000 then 74 against 7,200: counts are never
#   compared with England; it rose from 83 to 111 last time and fell to 74 now, so the
#   direction turned.
# - care leavers in touch 98% -> withheld ("c"): no longer available (not a moved figure).
# - outside the authority 42% against 45% ("lower") -> 44% against 44% ("the same") and
#   against neighbours 42% vs 41% ("similar") -> 44% vs 44% ("the same"): "similar" and
#   "the same" are one meaning, so only England's position changed.
OLD = [
    _indicator("cla_at_end", "Children looked after at 31 March", "count", 725, 681),
    _indicator(
        "placed_over_20_miles_pct", "Placed more than 20 miles away (%)", "percent", 21, england=22
    ),
    _indicator("placement_foster_pct", "Foster placements (%)", "percent", 60.2, 60),
    _indicator(
        "stability_long_term_pct", "Same placement 2 years (%)", "percent", 77, 78, england=80
    ),
    _indicator("placement_with_parents_pct", "With parents (%)", "percent", 6, england=6),
    _indicator("uasc_at_end", "UASC looked after", "count", 111, 83, england=7000),
    _indicator("cl_19_21_in_touch_pct", "Care leavers in touch (%)", "percent", 98),
    _indicator(
        "placed_outside_la_pct", "Outside the authority (%)", "percent", 42, england=45, sn_mean=41
    ),
]
NEW = [
    _indicator("cla_at_end", "Children looked after at 31 March", "count", 694, 725),
    _indicator(
        "placed_over_20_miles_pct", "Placed more than 20 miles away (%)", "percent", 24, england=22
    ),
    _indicator("placement_foster_pct", "Foster placements (%)", "percent", 59.8, 60.2),
    _indicator(
        "stability_long_term_pct", "Same placement 2 years (%)", "percent", 75, 77, england=80
    ),
    _indicator("placement_with_parents_pct", "With parents (%)", "percent", 6.4, england=6),
    _indicator("uasc_at_end", "UASC looked after", "count", 74, 111, england=7200),
    _indicator("cl_19_21_in_touch_pct", "Care leavers in touch (%)", "percent", None, marker="c"),
    _indicator(
        "placed_outside_la_pct", "Outside the authority (%)", "percent", 44, england=44, sn_mean=44
    ),
]


@pytest.fixture()
def papers(tmp_path: Path) -> tuple[Path, Path]:
    outlook = ("outlook.json", {"forecast": {}, "year": 2024})  # no indicators: skipped
    return (
        _paper(tmp_path / "old", "2023-24", OLD, [outlook]),
        _paper(tmp_path / "new", "2024-25", NEW, [outlook]),
    )


def test_figures_that_moved(papers) -> None:
    changes = compare_runs(load_run(papers[0]), load_run(papers[1]))
    assert changes.figures == (
        FigureMove(
            "cla_at_end", "Children looked after at 31 March", "725", "694", "2023-24", "2024-25"
        ),
        FigureMove(
            "placed_over_20_miles_pct",
            "Placed more than 20 miles away (%)",
            "21%",
            "24%",
            "2023-24",
            "2024-25",
        ),
        FigureMove(
            "stability_long_term_pct",
            "Same placement 2 years (%)",
            "77%",
            "75%",
            "2023-24",
            "2024-25",
        ),
        FigureMove("uasc_at_end", "UASC looked after", "111", "74", "2023-24", "2024-25"),
        FigureMove(
            "placed_outside_la_pct", "Outside the authority (%)", "42%", "44%", "2023-24", "2024-25"
        ),
    )


def test_sentences_whose_meaning_changed(papers) -> None:
    changes = compare_runs(load_run(papers[0]), load_run(papers[1]))
    assert changes.meanings == (
        MeaningChange(
            "cla_at_end",
            "Children looked after at 31 March",
            "change",
            "rose (681 to 725)",
            "fell (725 to 694)",
        ),
        MeaningChange(
            "placed_over_20_miles_pct",
            "Placed more than 20 miles away (%)",
            "england",
            "about the same (21% against 22%)",
            "higher (24% against 22%)",
        ),
        MeaningChange(
            "uasc_at_end", "UASC looked after", "change", "rose (83 to 111)", "fell (111 to 74)"
        ),
        MeaningChange(
            "cl_19_21_in_touch_pct",
            "Care leavers in touch (%)",
            "available",
            "98%",
            "not published (small number)",
        ),
        MeaningChange(
            "placed_outside_la_pct",
            "Outside the authority (%)",
            "england",
            "lower (42% against 45%)",
            "about the same (44% against 44%)",
        ),
    )


def test_lines_one_an_indicator_in_paper_order(papers) -> None:
    lines = compare_runs(load_run(papers[0]), load_run(papers[1])).lines()
    assert lines[0] == (
        "Children looked after at 31 March: 694 in 2024-25 (725 in 2023-24). Since the period "
        "before it fell (725 to 694); the last report said it rose (681 to 725)."
    )
    assert lines[1] == (
        "Placed more than 20 miles away (%): 24% in 2024-25 (21% in 2023-24). Against England "
        "it is higher (24% against 22%); the last report had it about the same (21% against 22%)."
    )
    assert lines[2] == "Same placement 2 years (%): 75% in 2024-25 (77% in 2023-24)."
    assert lines[4] == (
        "Care leavers in touch (%): The figure is not published (small number); in the last "
        "report it was 98%."
    )
    assert len(lines) == 6


def test_limit_counts_the_moved_figures_left_out_but_keeps_every_meaning_change(papers) -> None:
    lines = compare_runs(load_run(papers[0]), load_run(papers[1])).lines(limit=0)
    # 5 indicators have a meaning change; the stability figure only moved and is left out.
    assert len(lines) == 6
    assert not any(line.startswith("Same placement") for line in lines)
    assert lines[-1] == "And 1 more figure moved: the tracked changes show each one."


def test_same_period_revisions_say_what_the_last_report_said(tmp_path: Path) -> None:
    old = _paper(tmp_path / "a", "2024-25", [_indicator("cla_at_end", "CLA", "count", 700, 690)])
    new = _paper(tmp_path / "b", "2024-25", [_indicator("cla_at_end", "CLA", "count", 702, 690)])
    assert compare_runs(load_run(old), load_run(new)).lines() == [
        "CLA: 702 (the last report said 700)."
    ]


def test_nothing_changed(papers) -> None:
    assert compare_runs(load_run(papers[1]), load_run(papers[1])).lines() == [
        "No figure moved and no statement changed its meaning."
    ]


def test_compare_papers_lists_only_the_figures_the_comparison_tables_show(tmp_path: Path) -> None:
    # cla_by_age_under_1 is a breakdown (Appendix B), not a comparison-table row.
    extra = _indicator("cla_by_age_under_1", "Aged under 1", "count", 31, 34)
    old = _paper(tmp_path / "a", "2023-24", [OLD[0], {**extra, "value": 34, "previous": 31}])
    new = _paper(tmp_path / "b", "2024-25", [NEW[0], extra])
    ids = [f.id for f in compare_papers(old, new).figures]
    assert ids == ["cla_at_end"]


def test_a_paper_without_its_run_says_where_the_json_should_be(tmp_path: Path) -> None:
    paper = tmp_path / "moved.docx"
    paper.write_bytes(b"")
    with pytest.raises(DataError, match=r"no indicator JSON beside .*moved\.docx .*work"):
        load_run(paper)


def test_broken_indicator_json_names_the_file(tmp_path: Path) -> None:
    paper = _paper(tmp_path, "2024-25", NEW)
    (tmp_path / "work" / "adoption.json").write_text('{"indicators": [{"id": 1}]}')
    with pytest.raises(DataError, match=r"adoption\.json is not indicator JSON"):
        load_run(paper)
