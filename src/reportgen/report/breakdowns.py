"""903 sources: who was looked after, started and left, by group, for the driver sentences.

The notebook stage (:func:`reportgen.report.notebook_api.run_section`, sufficiency family, 903 and
synthetic sources) counts, for the period and the previous comparable period, the children looked
after at the end, the children who started and the children who left, by age band, by placement
type group and (leavers) by reason group, applies the disclosure rules and writes
``work/breakdowns.json``. The narrative (:meth:`NarrativeContext.drivers
<reportgen.report.narrative_context.NarrativeContext.drivers>`) reads that file, never the returns.

File layout::

    {"period": "2024-25", "previous_period": "2023-24", "min_count": 5,
     "topics": {"cla_at_end": {"total": [prev, cur],
                               "by": {"age band": {"10_15": [prev, cur], ...}, ...}},
                "started": {...}, "ceased": {...}}}

A count of 1 to ``min_count - 1`` is ``null`` (withheld), and so is a group whose complement
(the total less the group) is 1 to ``min_count - 1``, or whose figure the section withheld.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reportgen.core.config import ReportParams
from reportgen.indicators.result import IndicatorResult

FILE = "breakdowns.json"
TOPICS = ("cla_at_end", "started", "ceased")
WHAT = {
    "cla_at_end": "children looked after",
    "started": "children starting to be looked after",
    "ceased": "children ceasing to be looked after",
}
"""The counted population of each topic, as it follows a number."""
AGE = "age band"
PLACEMENT = "placement type"
REASON = "reason for leaving"

PHRASES: dict[str, dict[str, str]] = {
    AGE: {
        "under_1": "children under 1",
        "1_4": "children aged 1 to 4",
        "5_9": "children aged 5 to 9",
        "10_15": "children aged 10 to 15",
        "16_plus": "young people aged 16 and over",
    },
    PLACEMENT: {
        "placement_foster": "children in foster placements",
        "placement_placed_for_adoption": "children placed for adoption",
        "placement_with_parents": "children placed with parents",
        "placement_childrens_homes": "children in children's homes or secure homes",
        "placement_supported_accommodation": "young people in supported accommodation",
        "placement_residential_schools": "children in residential schools",
        "placement_other_residential": "children in other residential settings",
        "placement_other": "children in other placements",
    },
    REASON: {
        "adopted": "children who were adopted",
        "sgo": "children who left on special guardianship orders",
        "returned_home": "children who returned home",
        "independent_living": "young people who moved into independent living",
        "other": "children who left care for other reasons",
    },
}
"""How each group reads in a driver sentence (age at the end, at starting or at leaving;
placement at the end, the first placement, or the last)."""


def _indicator_of(topic: str, breakdown: str, group: str) -> str | None:
    """The section indicator holding the same count, if any (its withholding carries over)."""
    if topic == "cla_at_end" and breakdown == AGE:
        return f"cla_by_age_{group}"
    if topic == "cla_at_end" and breakdown == PLACEMENT:
        return group
    if topic == "ceased" and breakdown == REASON:
        return f"ceased_{group}"
    if breakdown == "total":
        return topic
    return None


def _counts(labels: np.ndarray, order: Iterable[str]) -> dict[str, int]:
    found = pd.Series(labels, dtype=object).value_counts()
    return {g: int(found.get(g, 0)) for g in order}


def _period_counts(prep: Any, period: Any, index: int) -> dict[str, dict[str, Any]]:
    """Counts for one period (raw, before disclosure); a topic the returns cannot give is left
    out."""
    from reportgen.indicators import blocks
    from reportgen.indicators.measures import Frame, NotAvailable

    frame = Frame(prep, period)
    place_group = np.full(len(blocks.PLACE_CODES) + 1, "placement_other", dtype=object)
    for id_, members in blocks.PLACEMENT_GROUP_IDS.items():
        place_group[blocks._flags(blocks.PLACE_CODES, members)] = id_
    bands = list(blocks.AGE_BANDS)
    band_of = np.array(
        [next(b for b, (lo, hi) in blocks.AGE_BANDS.items() if lo <= a <= hi) for a in range(201)],
        dtype=object,
    )
    out: dict[str, dict[str, Any]] = {}
    for topic in TOPICS:
        try:
            rows = {"cla_at_end": lambda: frame.cla, "started": lambda: frame.starts}.get(
                topic, lambda: frame.cessations
            )()
        except NotAvailable:
            continue
        rows = rows[prep.child_la[prep.e_child[rows]] == index]
        child = prep.e_child[rows]
        day = {
            "cla_at_end": np.full(len(rows), frame.end),
            "started": prep.e_decom[rows],
            "ceased": prep.e_dec[rows],
        }[topic]
        ages = blocks.age_on(prep.dob[child], day)  # -1: date of birth not known
        age_band = np.where(ages >= 0, band_of[np.clip(ages, 0, 200)], "not known")
        by = {
            AGE: _counts(age_band, bands),
            PLACEMENT: _counts(place_group[prep.e_place[prep.e_eff[rows]]], PHRASES[PLACEMENT]),
        }
        if topic == "ceased":
            reason = np.array(blocks.REC_GROUPS + ("other",), dtype=object)[prep.e_rec_group[rows]]
            by[REASON] = _counts(reason, blocks.REC_GROUPS)
        out[topic] = {"total": len(rows), "by": by}
    return out


def compute(params: ReportParams) -> dict[str, Any]:
    """Raw counts (before disclosure) for the period and the previous comparable period.

    Returns
    -------
    dict
        ``{"period", "previous_period", "topics": {topic: {"total": [prev, cur], "by":
        {breakdown: {group: [prev, cur]}}}}}``; a topic the returns cannot give for both
        periods is left out.
    """
    from reportgen.indicators import engine

    prep = engine.prepared(engine.params_history(params), params.authority_code)
    code = params.authority_code
    index = prep.la_codes.index(code) if code in prep.la_codes else 0
    period = params.period
    before = engine.previous_period(period)
    now, then = _period_counts(prep, period, index), _period_counts(prep, before, index)
    topics: dict[str, Any] = {}
    for topic in TOPICS:
        if topic not in now or topic not in then:
            continue
        topics[topic] = {
            "total": [then[topic]["total"], now[topic]["total"]],
            "by": {
                name: {g: [then[topic]["by"][name][g], c] for g, c in groups.items()}
                for name, groups in now[topic]["by"].items()
            },
        }
    return {"period": period.label, "previous_period": before.label, "topics": topics}


def withhold(
    payload: dict[str, Any], min_count: int, results: Iterable[IndicatorResult] = ()
) -> dict[str, Any]:
    """Apply disclosure control to :func:`compute`'s counts (a new dict).

    Parameters
    ----------
    payload
        From :func:`compute`.
    min_count
        A count from 1 to ``min_count - 1`` becomes ``None``; so does a group count whose
        complement (total less the group) is 1 to ``min_count - 1`` in that year, so naming the
        group beside the total does not reveal the rest.
    results
        The section's indicators after disclosure control: a count the section withheld (its
        ``value`` or ``previous`` is ``None``) is withheld here too.

    Examples
    --------
    >>> raw = {"topics": {"started": {"total": [30, 22], "by": {"x": {"a": [27, 20], "b": [3, 2]}}}}}
    >>> withhold(raw, 5)["topics"]["started"]["by"]["x"]
    {'a': [None, None], 'b': [None, None]}
    """
    shown = {r.id: r for r in results}

    def small(value: float | None) -> bool:
        return value is not None and 0 < value < min_count

    def keep(value: int, total: int | None, indicator: str | None, year: int) -> int | None:
        if small(value) or (total is not None and small(total - value)):
            return None
        if indicator in shown:
            r = shown[indicator]
            if (r.previous if year == 0 else r.value) is None:
                return None
        return value

    topics: dict[str, Any] = {}
    for topic, part in payload["topics"].items():
        total = [
            keep(t, None, _indicator_of(topic, "total", ""), y) for y, t in enumerate(part["total"])
        ]
        topics[topic] = {
            "total": total,
            "by": {
                name: {
                    g: [
                        keep(v, total[y], _indicator_of(topic, name, g), y)
                        for y, v in enumerate(pair)
                    ]
                    for g, pair in groups.items()
                }
                for name, groups in part["by"].items()
            },
        }
    return {**payload, "min_count": min_count, "topics": topics}


def write(params: ReportParams, work_dir: Path, results: Iterable[IndicatorResult] = ()) -> Path:
    """Compute, withhold and write ``breakdowns.json`` in ``work_dir``."""
    payload = withhold(compute(params), params.disclosure.min_count, results)
    path = Path(work_dir) / FILE
    path.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
    return path


def read(work_dir: Path) -> dict[str, Any] | None:
    """``breakdowns.json`` of a work folder, ``None`` when there is none."""
    path = Path(work_dir) / FILE
    return json.loads(path.read_text()) if path.is_file() else None


def driver_input(
    payload: dict[str, Any], topic: str
) -> tuple[dict[str, tuple[pd.Series, pd.Series]], tuple[float, float]] | None:
    """One topic of the file as :func:`reportgen.analysis.drivers.main_drivers` takes it:
    ``{breakdown: (previous, current)}`` (withheld counts ``NaN``, so they count as unknown) and
    the totals; ``None`` when the topic or a total is missing."""
    part = payload.get("topics", {}).get(topic)
    if part is None or any(t is None for t in part["total"]):
        return None
    breakdowns = {
        name: tuple(
            pd.Series(
                {g: math.nan if pair[y] is None else float(pair[y]) for g, pair in groups.items()},
                dtype=float,
            )
            for y in (0, 1)
        )
        for name, groups in part["by"].items()
    }
    return breakdowns, (float(part["total"][0]), float(part["total"][1]))  # type: ignore[return-value]
