"""Number style: worked by hand from the GOV.UK/DfE conventions."""

import math
from datetime import date

import pytest

from reportgen.core.formatting import (
    format_cell,
    format_date,
    format_value,
    is_missing,
    plural,
    round_half_up,
    whole,
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (2.5, 0, 3.0),
        (3.5, 0, 4.0),
        (0.5, 0, 1.0),
        (-2.5, 0, -3.0),
        (53.45, 1, 53.5),
        (1.005, 2, 1.01),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value, places, expected):
    # Python's round(2.5) is 2; the DfE publishes 3.
    assert round_half_up(value, places) == expected


def test_whole_numbers_and_thousands_separators():
    assert whole(46.5) == 47
    assert format_value(81770.0, "count") == "81,770"
    assert format_value(1036.0, "count") == "1,036"
    assert format_value(47.0, "rate") == "47"
    assert format_value(9.5, "percent") == "10%"
    assert format_value(426.4, "days") == "426 days"


@pytest.mark.parametrize(
    ("marker", "sentence_text", "cell_text"),
    [
        ("c", "not published (small number)", "withheld"),
        ("k", "less than 0.5%", "<0.5%"),
        ("z", "not applicable", "n/a"),
        ("x", "not available", "n/a"),
        (None, "not published", "n/a"),
    ],
)
def test_missing_values_read_as_their_marker_never_nan(marker, sentence_text, cell_text):
    for missing in (None, math.nan):
        assert format_value(missing, "count", marker) == sentence_text
        assert format_cell(missing, "percent", marker) == cell_text
        assert "nan" not in format_value(missing, "percent", marker).lower()


def test_is_missing():
    assert is_missing(None) and is_missing(math.nan)
    assert not is_missing(0.0) and not is_missing(0)


def test_dates_and_plurals():
    assert format_date(date(2019, 6, 4)) == "4 June 2019"
    assert format_date(date(2025, 3, 31)) == "31 March 2025"
    assert plural(1, "child", "children") == "1 child"
    assert plural(1200, "child", "children") == "1,200 children"
