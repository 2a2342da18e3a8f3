"""reportgen.core.periods: each accepted form, boundaries, titles, folder names and errors."""

from datetime import date

import pytest

from reportgen.core.errors import PeriodError
from reportgen.core.periods import Period, parse_period, year_label


@pytest.mark.parametrize("text", ["2024-25", "2024/25", "2024-2025", "2024/2025", " 2024 - 25 "])
def test_collection_year_forms(text):
    period = parse_period(text)
    assert period == Period("2024-25", "year", date(2024, 4, 1), date(2025, 3, 31))
    assert period.collection_year == 2025
    assert period.is_collection_year
    assert period.title == "2024-25"
    assert period.folder_name == "2024-25"
    assert str(period) == "2024-25"


def test_collection_year_across_a_century():
    period = parse_period("1999-00")
    assert (period.start, period.end, period.collection_year) == (
        date(1999, 4, 1),
        date(2000, 3, 31),
        2000,
    )


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "title"),
    [
        ("2024-25Q1", "2024-25 Q1", (2024, 4, 1), (2024, 6, 30), "April to June 2024 (2024-25 Q1)"),
        ("2024-25 Q2", "2024-25 Q2", (2024, 7, 1), (2024, 9, 30), "July to September 2024"),
        ("2024-25Q3", "2024-25 Q3", (2024, 10, 1), (2024, 12, 31), "October to December 2024"),
        ("2024/25 q4", "2024-25 Q4", (2025, 1, 1), (2025, 3, 31), "January to March 2025"),
    ],
)
def test_quarters(text, label, start, end, title):
    period = parse_period(text)
    assert (period.label, period.kind) == (label, "quarter")
    assert (period.start, period.end) == (date(*start), date(*end))
    expected_title = title if title.endswith(")") else f"{title} ({label})"
    assert period.title == expected_title
    assert (
        period.collection_year == 2025
    )  # every quarter of 2024-25 belongs to collection year 2025
    assert not period.is_collection_year
    assert period.folder_name == label.replace(" ", "-")


def test_quarter_three_details():
    period = parse_period("2024-25 Q3")
    assert period.quarter == 3
    assert period.folder_name == "2024-25-Q3"
    assert period.days == 92  # 31 + 30 + 31


@pytest.mark.parametrize(
    ("text", "start", "end", "title", "collection_year"),
    [
        ("2025-01", date(2025, 1, 1), date(2025, 1, 31), "January 2025", 2025),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "February 2024", 2024),  # leap year
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28), "February 2025", 2025),
        (
            "2025-03",
            date(2025, 3, 1),
            date(2025, 3, 31),
            "March 2025",
            2025,
        ),  # last month of 2024-25
        ("2025-04", date(2025, 4, 1), date(2025, 4, 30), "April 2025", 2026),  # first of 2025-26
    ],
)
def test_months(text, start, end, title, collection_year):
    period = parse_period(text)
    assert (period.label, period.kind, period.start, period.end) == (text, "month", start, end)
    assert period.title == title
    assert period.collection_year == collection_year
    assert period.folder_name == text


def test_date_range_keeps_its_label_and_round_trips():
    period = parse_period("2024-04-01:2024-06-30")
    assert period == Period("2024-04-01:2024-06-30", "range", date(2024, 4, 1), date(2024, 6, 30))
    assert period.title == "1 April 2024 to 30 June 2024"
    assert period.folder_name == "2024-04-01_2024-06-30"
    assert period.collection_year == 2025
    assert parse_period(period.label) == period
    assert parse_period(" 2024-04-01 : 2024-06-30 ") == period


def test_single_day_range_and_range_across_years():
    assert parse_period("2024-04-01:2024-04-01").days == 1
    period = parse_period("2024-01-01:2024-12-31")
    assert period.collection_year == 2025  # end 31 December 2024 falls in 2024-25
    assert period.days == 366


def test_range_spanning_a_collection_year_is_not_a_collection_year():
    period = parse_period("2024-04-01:2025-03-31")
    assert period.kind == "range"
    assert not period.is_collection_year
    assert period.spans_collection_year


@pytest.mark.parametrize("label", ["2024-25", "2024-25 Q3", "2025-01", "2023-10-15:2024-02-10"])
def test_labels_round_trip(label):
    assert parse_period(label).label == label


def test_year_label():
    assert year_label(2025) == "2024-25"
    assert year_label(2021) == "2020-21"
    assert year_label(2000) == "1999-00"
    assert Period.for_collection_year(2025) == parse_period("2024-25")


@pytest.mark.parametrize("bad", [2025.0, "2025", True, 99])
def test_year_label_rejects_non_years(bad):
    with pytest.raises(PeriodError, match="collection year"):
        year_label(bad)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2024-26", "2024 and 26 are not consecutive years; did you mean 2024-25?"),
        ("2024/2026", "2024 and 2026 are not consecutive years"),
        ("2025-13", "13 is not 01 to 12"),
        ("2025-00", "00 is not 01 to 12"),
        ("2024-25 Q5", "quarter 5 is not 1 to 4"),
        ("2024-26 Q1", "2024 and 26 are not consecutive years"),
        ("2024-06-30:2024-04-01", "the end 2024-04-01 is before the start 2024-06-30"),
        ("2025-02-30:2025-03-31", "2025-02-30 is not a real date"),
        ("2023-02-29:2023-03-31", "2023-02-29 is not a real date"),  # 2023 is not a leap year
        ("2024-04-01", "a single date is not a period"),
        ("2024-25:2025-26", "'2024-25' is not a date written YYYY-MM-DD"),
        ("last year", "not a recognised period"),
        ("", "no period given"),
    ],
)
def test_errors_name_the_value_and_the_accepted_forms(text, problem):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    message = str(caught.value)
    assert problem in message
    assert "\n" not in message
    assert "accepted forms: 2024-25" in message
    if text:
        assert f"'{text}'" in message


def test_periods_are_frozen_and_hashable():
    period = parse_period("2024-25")
    with pytest.raises(AttributeError):
        period.label = "2023-24"  # type: ignore[misc]
    assert len({period, parse_period("2024/25")}) == 1
