"""Property-based tests: any input gives a result or a typed error, never another exception."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.core.config import load_params
from reportgen.core.errors import ReportgenError
from reportgen.core.periods import parse_period

PERIODISH = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A\d{4}[-/]\d{2,4}( ?Q\d)?\Z"),
    st.from_regex(r"\A\d{4}-\d{2}\Z"),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}\Z"),
)


@given(PERIODISH)
@settings(max_examples=300, deadline=None)
def test_period_parser_returns_a_period_or_a_period_error(text):
    try:
        period = parse_period(text)
    except ReportgenError:
        return
    assert period.start <= period.end
    assert parse_period(period.label) == period


@given(
    authority=st.one_of(
        st.none(), st.text(max_size=20), st.sampled_from(["855", "Southwark", "E09000028"])
    ),
    period=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["2023-24", "2024-25Q3"])),
    layout=st.one_of(st.none(), st.text(max_size=10), st.just("open-report")),
    overrides=st.dictionaries(
        st.sampled_from(
            [
                "committee",
                "meeting_date",
                "officers",
                "targets",
                "nonsense",
                "statistical_neighbours",
            ]
        ),
        st.one_of(
            st.none(), st.integers(), st.text(max_size=8), st.lists(st.integers(), max_size=3)
        ),
        max_size=3,
    ),
)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_params_loader_returns_params_or_a_typed_error(authority, period, layout, overrides):
    try:
        params = load_params(authority, period, layout=layout, overrides=overrides)
    except ReportgenError as error:
        assert str(error) and "\n" not in str(error).strip()
        return
    assert params.authority_code.startswith("E")


CSV_TEXT = st.text(alphabet=string.printable + "é£\ufeff", max_size=400)


@pytest.fixture(scope="module")
def reader():
    from reportgen.sources.ssda903 import read as ssda903

    return ssda903


@given(header=CSV_TEXT, episodes=CSV_TEXT, raw=st.binary(max_size=200))
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_903_reader_returns_a_return_or_a_typed_error(
    tmp_path_factory, reader, header, episodes, raw
):
    folder: Path = tmp_path_factory.mktemp("r")
    (folder / "header.csv").write_text(
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n" + header, encoding="utf-8"
    )
    (folder / "episodes.csv").write_text(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        + episodes,
        encoding="utf-8",
    )
    (folder / "other.csv").write_bytes(raw)
    try:
        result = reader.read_return(folder, 2025)
    except ReportgenError:
        return
    assert result.has("Header") and result.has("Episodes")
