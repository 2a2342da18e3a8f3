"""Issue 16: driver sentences, counts never compared, few children, the neighbour average, and
the sentences a clerk would send back (hand-worked)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest

from reportgen.core.config import load_params
from reportgen.indicators.result import IndicatorResult, SectionResult
from reportgen.model import Paragraph
from reportgen.report import narrative as nv
from reportgen.report.assemble import build_report
from reportgen.report.context import Context, Results
from reportgen.report.narrative_context import NarrativeContext, driver_sentences
from reportgen.report.notebook_api import compute_sections


def _s(**counts: float) -> pd.Series:
    return pd.Series(counts, dtype=float)


def _r(**fields) -> IndicatorResult:
    base = {"id": "x", "family": "f", "title": "T", "unit": "percent", "polarity": "neutral"}
    return IndicatorResult(**{"period": "2024-25", **base, **fields})


# --- driver sentences ------------------------------------------------------------------------
def test_two_group_driver_sentence_by_hand():
    # UASC 111 -> 74 (-37), others 614 -> 620 (+6): total 725 -> 694 (-31). UASC's share of the
    # fall is 37 / 31 = 1.19: more than accounts for it.
    uasc = {"UASC status": (_s(uasc=111, other=614), _s(uasc=74, other=620))}
    text = driver_sentences(
        uasc, (725, 694), "children looked after", labels={"uasc": "unaccompanied children"}
    )
    assert text == (
        "The fall from 725 to 694 children looked after is more than accounted for by "
        "unaccompanied children (111 to 74)."
    )
    assert "because" not in text and "due to" not in text


def test_the_better_of_two_breakdowns_is_chosen_and_a_second_added_when_it_explains_half():
    # Total 100 -> 110 (+10).
    # age: young 40 -> 48 (+8, share 0.8, size 0.4, score 0.4); old 60 -> 62.
    # status: s1 10 -> 16 (+6, share 0.6, size 0.1, score 0.5); s2 90 -> 94.
    # status scores higher: first sentence; age's 0.8 share >= 0.5: second sentence.
    breakdowns = {
        "age": (_s(young=40, old=60), _s(young=48, old=62)),
        "status": (_s(s1=10, s2=90), _s(s1=16, s2=94)),
    }
    text = driver_sentences(breakdowns, (100, 110), "children")
    assert text == (
        "The rise from 100 to 110 children was mostly among s1 (10 to 16). "
        "By age, it was mostly among young (40 to 48)."
    )


def test_a_small_group_is_never_named_and_a_small_change_not_decomposed():
    # a 4 -> 12 (+8) explains the rise 30 -> 38 but was 4 (fewer than 5) the year before.
    small = {"x": (_s(a=4, b=26), _s(a=12, b=26))}
    assert driver_sentences(small, (30, 38), "children") == ""
    # a change of 3 children (fewer than 5) is not decomposed
    three = {"x": (_s(a=10, b=20), _s(a=13, b=20))}
    assert driver_sentences(three, (30, 33), "children") == ""
    assert driver_sentences(three, (30, 33), "children", min_count=3) != ""


# --- counts are never compared ---------------------------------------------------------------
def test_a_count_is_not_compared_with_the_neighbour_average():
    # Rutland: 32 children against a neighbour "average" of 639 (a count: not comparable).
    r = _r(unit="count", value=32, previous=27, england=81770, sn_mean=639, sn_n=10)
    assert nv.comparator_clause(r) == ""
    assert "639" not in nv.indicator_sentence(r, "{value} children", "2023-24")
    rate = _r(unit="rate", value=40, england=67, sn_mean=60, sn_n=10)
    assert nv.comparator_clause(rate) == (
        "lower than England (67) and the statistical neighbour average (60)"
    )


# --- few children ----------------------------------------------------------------------------
def test_a_percentage_of_few_children_says_so():
    r = _r(value=100)
    # 7 care leavers: each is 100 / 7 = 14.3, shown 14, points.
    assert nv.few_children_note(r, 7, "care leavers") == (
        "This percentage rests on 7 care leavers, so each of them moves it by 14 percentage points."
    )
    assert nv.few_children_note(r, 20, "care leavers") == ""  # 20 is not few
    assert nv.few_children_note(r, None, "care leavers") == ""


# --- the neighbour average -------------------------------------------------------------------
def test_neighbour_average_names_the_neighbour_that_pulls_it():
    # Eight neighbours: seven at 93 and one at 45. Mean (7 * 93 + 45) / 8 = 87; without the
    # 45 it is 93: a shift of 6 points (> 3).
    values = {f"N{i}": 93.0 for i in range(7)} | {"Hampshire": 45.0}
    r = _r(value=94, sn_mean=87, sn_n=8)
    assert nv.neighbour_note(r, values) == (
        "The statistical neighbour average is of the 8 neighbours with a figure. Hampshire's "
        "figure (45%) pulls the statistical neighbour average down: without Hampshire it would "
        "be 93%."
    )
    # Ten neighbours, one at 70 among nine at 90: mean 88, without it 90: 2 points, not named.
    calm = {f"N{i}": 90.0 for i in range(9)} | {"Z": 70.0}
    assert nv.neighbour_note(_r(value=90, sn_mean=88, sn_n=10), calm) == ""
    # A rate: 10% of the average without the neighbour. Nine at 50, one at 119: mean 56.9,
    # without it 50: 6.9 > 5.
    rates = {f"N{i}": 50.0 for i in range(9)} | {"Shropshire": 119.0}
    note = nv.neighbour_note(_r(unit="rate", value=40, sn_mean=56.9, sn_n=10), rates)
    assert note.startswith("Shropshire's figure (119) pulls the statistical neighbour average up")


# --- the sentences that were wrong -----------------------------------------------------------
def _context(code: str, period: str = "2024-25", **overrides) -> NarrativeContext:
    params = load_params(code, period, overrides=overrides)
    sections = compute_sections(params)
    return NarrativeContext(Context(params, Results(sections), Path("."), "2023-24"))


def test_reasons_ceased_gives_the_published_detail_of_a_withheld_group():
    # Lincolnshire 2024-25 (DfE table la_children_who_ceased_during_the_year): independent living
    # with no formalised support is withheld (c), so the group is; 50 moved into independent
    # living with supportive accommodation and 44 stayed with their carers at 18 are published.
    text = _context("E10000019").reasons_ceased()
    assert "50 moved into independent living with supportive accommodation" in text
    assert "44 stayed with their carers at 18" in text
    assert "did not publish the number who moved into independent living" not in text
    # Southwark: 59 returned home as planned, 24 stayed with their carers.
    southwark = _context("E09000028").reasons_ceased()
    assert "59 returned home as planned" in southwark
    assert "24 stayed with their carers at 18" in southwark


def test_adoption_stages_do_not_list_a_cumulative_time_as_a_stage():
    # England 2024-25: entry to adoption 27 months; entry to placed 19 months (cumulative);
    # entry to decision 9 months and decision to match 10 months (stages).
    text = _context("E10000018").adoption_stages()
    assert "2 years 3 months between entering care and being adopted" in text
    assert "moved in with their adoptive family 1 year 7 months after entering care" in text
    # the old sentence listed the 19 months as a part of the 27 after a colon
    assert ":" not in text
    assert "from entering care to moving in" not in text


def test_leicestershire_driver_sentence_from_published_figures():
    # DfE la_cla_on_31_march_by_characteristics: 725 -> 694; UASC 111 -> 74.
    text = _context("E10000018").drivers("cla_at_end")
    assert text == (
        "The fall from 725 to 694 children looked after is more than accounted for by "
        "unaccompanied asylum-seeking children (111 to 74)."
    )


# --- counts never compared, over whole reports -----------------------------------------------
@pytest.mark.parametrize("code", ["E06000017", "E09000001", "E08000025", "E10000018"])
def test_no_count_is_compared_with_a_neighbour_average(code):
    params = load_params(code, "2024-25")
    sections = compute_sections(params)
    results = {r.id: r for s in sections.values() for r in s.indicators}
    report = build_report(params, sections, Path("."))
    checked = 0
    for section in report.sections:
        for block in section.blocks:
            if not isinstance(block, Paragraph):
                continue
            counts = [a for a in block.anchors if a in results and results[a].unit == "count"]
            if counts and len(block.anchors) == 1:
                checked += 1
                assert "neighbour average" not in block.text, block.text
                assert "England (" not in block.text, block.text
            for r in results.values():  # no neighbour count average appears in a comparison
                if r.unit == "count" and r.sn_mean is not None and r.sn_mean >= 5:
                    shown = nv.format_value(r.sn_mean, "count")
                    assert f"statistical neighbour average ({shown})" not in block.text
    assert checked >= 2


# --- quarterly papers ------------------------------------------------------------------------
def _quarter_context(*results: IndicatorResult) -> NarrativeContext:
    params = load_params("E10000018", "2024-25Q3", overrides={"source": "synthetic"})
    section = SectionResult(
        family="sufficiency",
        authority_code=params.authority_code,
        authority_name=params.authority_name,
        period=params.period.label,
        source=params.source,
        indicators=list(results),
    )
    return NarrativeContext(Context(params, Results({"sufficiency": section}), Path("."), "x"))


def test_a_quarters_flow_rate_is_not_compared_with_whole_years():
    # 4 per 10,000 in October to December 2024 against 17 in the whole of 2020-21: no.
    started = _r(
        id="started_rate_per_10k",
        unit="rate",
        period="2024-25 Q3",
        value=4,
        previous=6,
        previous_period="2024-25 Q2",
        trend={"2020-21": 17, "2021-22": 18, "2022-23": 18, "2023-24": 21},
    )
    cla = _r(
        id="cla_rate_per_10k",
        unit="rate",
        period="2024-25 Q3",
        value=52,
        previous=52,
        previous_period="2024-25 Q2",
        trend={"2020-21": 50, "2021-22": 49, "2022-23": 48, "2023-24": 50},
    )
    c = _quarter_context(started, cla)
    text = c.say("started_rate_per_10k", "The rate was {value} per 10,000 children")
    assert "2020-21" not in text and "17" not in text
    # a rate of children looked after on a day compares with other years' 31 March figures
    assert "in 2020-21 it was 50" in c.say("cla_rate_per_10k", "A rate of {value}")


def test_a_quarters_england_figures_are_labelled_with_their_year():
    foster = _r(id="placement_foster_pct", period="2024-25 Q3", value=62, england=67)
    text = _quarter_context(foster).placement_mix()
    assert text.startswith("At 31 December 2024, 62% of children looked after")
    assert "(England in 2024-25: 67%)" in text


def test_quarter_tables_name_the_day_and_the_years_they_cover():
    from reportgen.report.assemble import _trend_words, period_title

    assert period_title("Children looked after at 31 March", "2024-25 Q3") == (
        "Children looked after at 31 December 2024"
    )
    assert period_title("Children looked after at 31 March", "2024-25") == (
        "Children looked after at 31 March"
    )
    four = _r(trend={"2020-21": 1, "2021-22": 1, "2022-23": 1, "2023-24": 1})
    assert _trend_words([four]) == "trend 2020-21 to 2023-24, whole years"
    five = four.model_copy(update={"trend": {**four.trend, "2024-25": 1}})
    assert _trend_words([five]) == "five-year trend"


# --- per-process memos: never a result of a table that has changed --------------------------
UASC = "Unaccompanied asylum-seeking children"


def _expected_uasc(frame: pd.DataFrame) -> dict[str, float]:
    rows = frame[
        (frame["new_la_code"].astype(str) == "E10000018")
        & (frame["time_period"] == 2025)
        & (frame["characteristic"] == UASC)
    ]
    return {
        str(k): float(v) for k, v in zip(rows["breakdown"], rows["children_count"], strict=True)
    }


@pytest.mark.parametrize("read_from", ["file", "loaded table"])
def test_published_breakdown_as_a_scan_of_the_loaded_table(monkeypatch, read_from):
    from reportgen.analysis import drivers as dr
    from reportgen.report import narrative_context as nc

    first = ["E10000018"] if read_from == "file" else ["E06000017"]
    monkeypatch.setattr(nc, "_FILE_AUTHORITY", first)
    table = dr.CHARACTERISTICS_TABLE
    expected = _expected_uasc(nc.load_table(table))
    assert expected and all(isinstance(v, float) for v in expected.values())
    published = nc._published_breakdown(table, "E10000018", UASC, 2025)
    assert published == expected
    published["Total"] = -1.0  # a caller's change stays its own
    assert nc._published_breakdown(table, "E10000018", UASC, 2025) == expected
    assert nc._published_breakdown(table, "E10000018", UASC, 1990) is None
    care_leavers = nc._published_breakdown(
        nc.CARE_LEAVER_ACTIVITY_TABLE, "E10000018", "19 to 21 years", 2025
    )
    assert care_leavers and "Total" in care_leavers


def test_published_breakdown_follows_a_reloaded_table(monkeypatch):
    from reportgen.analysis import drivers as dr
    from reportgen.report import narrative_context as nc

    monkeypatch.setattr(nc, "_FILE_AUTHORITY", ["E06000017"])  # another authority: whole tables
    table = dr.CHARACTERISTICS_TABLE
    original = nc.load_table
    expected = _expected_uasc(original(table))
    assert nc._published_breakdown(table, "E10000018", UASC, 2025) == expected
    changed = original(table).copy()
    changed["children_count"] = changed["children_count"] + 1
    monkeypatch.setattr(nc, "load_table", lambda name: changed if name == table else original(name))
    again = nc._published_breakdown(table, "E10000018", UASC, 2025)
    assert again == {k: v + 1 for k, v in expected.items()}


def test_published_breakdown_follows_an_edited_file(monkeypatch, tmp_path):
    import shutil

    from reportgen.analysis import drivers as dr
    from reportgen.core.paths import DATA_DIR
    from reportgen.report import narrative_context as nc

    monkeypatch.setattr(nc, "_FILE_AUTHORITY", ["E10000018"])  # the first authority: the file
    monkeypatch.setattr(nc, "DATA_DIR", tmp_path)
    table = dr.CHARACTERISTICS_TABLE
    path = tmp_path / f"{table}.parquet"
    shutil.copy(DATA_DIR / f"{table}.parquet", path)
    expected = _expected_uasc(nc.load_table(table))
    assert nc._published_breakdown(table, "E10000018", UASC, 2025) == expected
    raw = pd.read_parquet(path)
    rows = (raw["new_la_code"] == "E10000018") & (raw["characteristic"] == UASC)
    raw.loc[rows, "children_count"] = "c"  # withheld since
    raw.to_parquet(path, index=False)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    again = nc._published_breakdown(table, "E10000018", UASC, 2025)
    assert again is not None and set(again) == set(expected)
    assert all(math.isnan(v) for v in again.values())


def test_published_cells_follow_the_published_values(monkeypatch):
    from reportgen.indicators import published
    from reportgen.report import narrative_context as nc

    cells = nc._published_cells()
    assert nc._published_cells() is cells  # built once per process
    values = published.published_values()
    row = values[values["value"].notna()].iloc[0]
    key = (row["indicator"], row["new_la_code"], int(row["year"]))
    assert cells[key] == float(row["value"])
    changed = values.copy()
    changed["value"] = changed["value"] * 2
    monkeypatch.setattr(published, "published_values", lambda: changed)
    assert nc._published_cells()[key] == 2 * float(row["value"])
    monkeypatch.undo()
    assert nc._published_cells()[key] == float(row["value"])
