"""What the report notebooks' parameters cell resolves to, where a hand run writes, and the table
it shows (issue 14, analysts' notebooks)."""

from __future__ import annotations

import re

import pytest

from reportgen.core.config import load_params
from reportgen.core.errors import PeriodError, UnknownAuthorityError
from reportgen.core.paths import PROJECT_ROOT
from reportgen.indicators.result import IndicatorResult, SectionResult
from reportgen.report.notebook_api import (
    default_work_dir,
    resolve_params,
    summary_frame,
    summary_table,
)


def test_plain_values_resolve_like_make_report():
    resolved = resolve_params(authority="Southwark", period="2023-24")
    assert resolved.authority_code == "E09000028"  # Southwark's GSS code
    assert resolved.period.label == "2023-24"
    assert resolved.source == "published"
    assert resolved == load_params("Southwark", "2023-24")


def test_numbers_from_papermill_are_taken_as_text():
    """``papermill -p authority 855`` injects the int 855 (Leicestershire's DfE number)."""
    assert resolve_params(authority=855, period="2024-25").authority_code == "E10000018"


def test_nothing_given_is_the_defaults_file():
    assert resolve_params() == load_params()


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"authority": "Narnia"}, UnknownAuthorityError),
        ({"authority": "Southwark", "period": "1999-00"}, PeriodError),
    ],
)
def test_a_bad_value_gives_the_cli_error(values, error):
    with pytest.raises(error) as from_cli:
        load_params(values["authority"], values.get("period"))
    with pytest.raises(error) as from_notebook:
        resolve_params(**values)
    assert str(from_notebook.value) == str(from_cli.value)


def test_the_runner_params_win_over_the_plain_values():
    runner = load_params("Southwark", "2023-24")
    resolved = resolve_params(runner.to_notebook_parameters(), authority="Narnia", period="x")
    assert resolved == runner


def test_a_hand_run_writes_under_out_in_the_project():
    params = resolve_params(authority="Leicestershire", period="2024-25")
    expected = PROJECT_ROOT / "out" / "E10000018" / "2024-25" / "work"
    assert default_work_dir(params) == expected


def test_relative_out_is_in_the_project_and_absolute_out_is_kept(tmp_path):
    relative = resolve_params(authority="Leicestershire", period="2024-25", out="mine")
    assert default_work_dir(relative) == PROJECT_ROOT / "mine" / "E10000018" / "2024-25" / "work"
    absolute = resolve_params(authority="Leicestershire", period="2024-25", out=tmp_path)
    assert default_work_dir(absolute) == tmp_path / "E10000018" / "2024-25" / "work"


def _section(rows: int) -> SectionResult:
    long = "a label longer than the fifty characters pandas shows by default, number"
    indicators = [
        IndicatorResult(
            id=f"indicator_with_a_long_identifier_of_more_than_fifty_characters_{n}",
            family="sufficiency",
            title=f"{long} {n}",
            unit="count",
            polarity="neutral",
            period="2024-25",
            value=n,
        )
        for n in range(rows)
    ]
    return SectionResult(
        family="sufficiency",
        authority_code="E10000018",
        authority_name="Leicestershire",
        period="2024-25",
        source="published",
        indicators=indicators,
    )


def test_the_summary_table_shows_every_row_and_whole_labels():
    section = _section(78)
    plain = summary_frame(section)
    # pandas' defaults would cut this table (the issue: 10 of 78 rows, ids cut off) ...
    assert "indicator_with_a_long_identifier_of_more_than_fifty_characters_40" not in (
        plain._repr_html_()
    )
    table = summary_table(section)
    html, text = table._repr_html_(), repr(table)
    # ... the summary table shows all 78, ids and labels whole, in HTML and as text
    for n in range(78):
        for shown in (html, text):
            assert f"indicator_with_a_long_identifier_of_more_than_fifty_characters_{n}" in shown
            assert re.search(rf"pandas shows by default, number {n}\b", shown)
    assert "Leicestershire, 2024-25 (published data)" in html


def test_the_summary_table_leaves_pandas_options_alone():
    import pandas as pd

    repr(summary_table(_section(3)))
    assert pd.get_option("display.max_rows") == 60
