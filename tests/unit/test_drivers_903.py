"""Issue 16: driver sentences for 903 and synthetic sources, from ``work/breakdowns.json``
(hand-worked: JSON in, sentence out)."""

from __future__ import annotations

import json
from pathlib import Path

from reportgen.analysis import drivers as dr
from reportgen.core.config import load_params
from reportgen.indicators.result import IndicatorResult, SectionResult
from reportgen.report import breakdowns as bd
from reportgen.report.context import Context, Results
from reportgen.report.narrative_context import NarrativeContext


def _context(tmp_path: Path, payload: dict, totals: dict[str, tuple[float | None, float]]):
    """A synthetic paper's narrative context whose work folder holds ``payload``."""
    (tmp_path / bd.FILE).write_text(json.dumps(payload))
    params = load_params("Leicestershire", source="synthetic")
    results = [
        IndicatorResult(
            id=id_,
            family="sufficiency",
            title=id_,
            unit="count",
            polarity="neutral",
            period="2024-25",
            value=now,
            previous=before,
        )
        for id_, (before, now) in totals.items()
    ]
    section = SectionResult(
        family="sufficiency",
        authority_code=params.authority_code,
        authority_name=params.authority_name,
        period=params.period.label,
        source="synthetic",
        indicators=results,
    )
    c = Context(
        params=params, s=Results({"sufficiency": section}), work_dir=tmp_path, prev="2023-24"
    )
    return NarrativeContext(c)


def _payload(topic: str, total: list, by: dict) -> dict:
    return {
        "period": "2024-25",
        "previous_period": "2023-24",
        "topics": {topic: {"total": total, "by": by}},
    }


def test_two_group_breakdown_gives_the_sentence(tmp_path):
    # Leavers 40 -> 60 (+20). Age: 16_plus 20 -> 38 (+18, share 0.9, size 0.5, score 0.4);
    # 10_15 20 -> 22 (+2). Reason: adopted 10 -> 12 (+2, share 0.1, size 0.25: score -0.15);
    # other 30 -> 48 (+18, share 0.9, size 0.75, score 0.15). Age scores higher: "mostly
    # among" (0.5 <= 0.9 < 1); the reason's 0.9 share adds a second sentence.
    payload = _payload(
        "ceased",
        [40, 60],
        {
            "age band": {"10_15": [20, 22], "16_plus": [20, 38]},
            "reason for leaving": {"adopted": [10, 12], "other": [30, 48]},
        },
    )
    text = _context(tmp_path, payload, {"ceased": (40, 60)}).drivers("ceased")
    assert text == (
        "The rise from 40 to 60 children ceasing to be looked after was mostly among young people "
        "aged 16 and over (20 to 38). By reason for leaving, it was mostly among children who "
        "left care for other reasons (30 to 48)."
    )


def test_published_total_must_match_the_paper(tmp_path):
    # The section withheld the previous total: nothing is said.
    payload = _payload("started", [40, 60], {"age band": {"10_15": [20, 22], "16_plus": [20, 38]}})
    assert _context(tmp_path, payload, {"started": (None, 60)}).drivers("started") == ""


def test_a_small_group_is_withheld_and_never_named():
    # Starts 30 -> 40 (+10): a 3 -> 12 would explain it, but 3 is below 5: withheld (None), so is
    # b's 27 the first year (its complement, a's 3, is 1 to 4). c has no small count or complement.
    raw = {
        "topics": {
            "started": {
                "total": [30, 40],
                "by": {"x": {"a": [3, 12], "b": [27, 28]}, "y": {"c": [10, 20], "d": [20, 20]}},
            }
        }
    }
    safe = bd.withhold(raw, 5)["topics"]["started"]
    assert safe["by"]["x"] == {"a": [None, 12], "b": [None, 28]}
    assert safe["by"]["y"] == {"c": [10, 20], "d": [20, 20]}
    # a withheld count is unknown: it is pooled, never named
    breakdowns, totals = bd.driver_input({"topics": {"started": safe}}, "started")
    found = dr.main_drivers({"x": breakdowns["x"]}, total_previous=30, total_current=40)
    assert found == []  # only the unknown pool moved with the total
    found = dr.main_drivers(breakdowns, total_previous=30, total_current=40)
    assert [d.group for d in found] == ["c"]


def test_a_small_group_is_never_named_in_the_sentence(tmp_path):
    # Starts 30 -> 40: group a (3 -> 12) explains it, but is withheld; the other breakdown
    # moved in proportion (score 0), so nothing is said rather than naming a.
    raw = {
        "topics": {
            "started": {
                "total": [30, 40],
                "by": {"x": {"a": [3, 12], "b": [27, 28]}, "y": {"c": [15, 20], "d": [15, 20]}},
            }
        }
    }
    payload = bd.withhold(raw, 5)
    assert _context(tmp_path, payload, {"started": (30, 40)}).drivers("started") == ""


def test_withheld_in_the_section_is_withheld_in_the_file():
    # placement_foster is shown as 20 now but the section withheld last year's figure.
    raw = {
        "topics": {
            "cla_at_end": {
                "total": [50, 60],
                "by": {
                    "placement type": {"placement_foster": [30, 20], "placement_other": [20, 40]}
                },
            }
        }
    }
    shown = IndicatorResult(
        id="placement_foster",
        family="sufficiency",
        title="t",
        unit="count",
        polarity="neutral",
        period="2024-25",
        value=20,
        previous=None,
    )
    safe = bd.withhold(raw, 5, [shown])["topics"]["cla_at_end"]["by"]["placement type"]
    assert safe == {"placement_foster": [None, 20], "placement_other": [20, 40]}


def test_published_papers_do_not_read_the_file(tmp_path):
    payload = _payload(
        "cla_at_end", [40, 60], {"age band": {"10_15": [20, 22], "16_plus": [20, 38]}}
    )
    ctx = _context(tmp_path, payload, {"cla_at_end": (40, 60)})
    ctx.c.params = ctx.c.params.model_copy(update={"source": "published"})
    assert "(20 to 38)" not in ctx.drivers("cla_at_end")
