"""reportgen.core.authorities: the authority list from published data, and lookup by code or name."""

import pytest

from reportgen.core.authorities import (
    Authority,
    all_authorities,
    authorities_frame,
    get,
    latest_published_year,
    lookup,
    published_year_labels,
    published_years,
)
from reportgen.core.errors import UnknownAuthorityError
from reportgen.core.tables import load_table


def test_there_are_153_current_authorities():
    # Checked by hand on shared/data/dfe/cla_number_and_rate_per_10k_children.csv:
    #   grep -c '^2025,Reporting year,Local authority,.*,Children looked after on 31 March'
    #     -> 155 LA rows in 2025;
    #   grep '^2025,Reporting year,Local authority,.*,Children looked after on 31 March.*,x,'
    #     -> Cumbria (E10000006) and Northamptonshire (E10000021): population 'x', count 'z'.
    # 155 - 2 = 153, the same as `tail -n +2 sn_model_2025_wide.csv | wc -l`. Isles of Scilly (count
    # 'z' in every year, but a child population and neighbours) is included; City of London ('c'
    # in 2025) too.
    authorities = all_authorities()
    assert len(authorities) == 153
    names = {a.name for a in authorities}
    assert "Cumbria" not in names
    assert "Northamptonshire" not in names
    assert {"Cumberland", "Westmorland and Furness", "North Northamptonshire"} <= names
    assert {"Isles of Scilly", "City of London"} <= names


def test_the_list_is_exactly_the_statistical_neighbour_model():
    sn = load_table("sn_model_2025_wide")
    assert {a.old_code for a in all_authorities()} == set(sn["old_la_code"])


def test_codes_are_unique_and_well_formed():
    authorities = all_authorities()
    assert len({a.gss for a in authorities}) == 153
    assert len({a.old_code for a in authorities}) == 153
    for authority in authorities:
        assert len(authority.gss) == 9 and authority.gss.startswith("E")
        assert len(authority.old_code) == 3 and authority.old_code.isdigit()
        assert len(authority.neighbours) == 10
        assert len(set(authority.neighbours)) == 10
        assert authority.gss not in authority.neighbours
        assert all(get(code).gss == code for code in authority.neighbours)


def test_sorted_by_name():
    names = [a.name.casefold() for a in all_authorities()]
    assert names == sorted(names)


def test_leicestershire():
    leics = lookup("Leicestershire")
    assert leics == get("E10000018")
    assert (leics.gss, leics.old_code, leics.name, leics.region) == (
        "E10000018",
        "855",
        "Leicestershire",
        "East Midlands",
    )
    # grep '^855,' shared/data/dfe/sn_model_2025_wide.csv -> SN_1 = 916 (Very close);
    # grep ',916,Gloucestershire,' cla_number_and_rate_per_10k_children.csv -> E10000013.
    assert leics.neighbours[0] == "E10000013"
    assert get(leics.neighbours[0]).name == "Gloucestershire"
    # SN_10 = 891 Nottinghamshire
    assert get(leics.neighbours[-1]).old_code == "891"


def test_southwark_is_in_inner_london_with_lambeth_closest():
    southwark = lookup("Southwark")
    assert southwark.region == "Inner London"
    # grep '^210,' sn_model_2025_wide.csv -> SN_1 = 208 (Lambeth)
    assert get(southwark.neighbours[0]).name == "Lambeth"


@pytest.mark.parametrize(
    "query", ["Southwark", "E09000028", "e09000028", "210", "  southwark ", "SOUTHWARK", " 210 "]
)
def test_lookup_southwark(query):
    assert lookup(query).gss == "E09000028"


@pytest.mark.parametrize(
    ("query", "gss"),
    [
        ("Bristol", "E06000023"),
        ("Bristol, City of", "E06000023"),
        ("City of Bristol", "E06000023"),
        ("bristol city council", "E06000023"),
        ("St Helens", "E08000013"),
        ("St. Helens", "E08000013"),
        ("Saint Helens", "E08000013"),
        ("Brighton & Hove", "E06000043"),
        ("brighton and hove", "E06000043"),
        ("Windsor & Maidenhead", "E06000040"),
        ("Stoke on Trent", "E06000021"),
        ("Herefordshire", "E06000019"),
        ("Kingston upon Hull", "E06000010"),
        ("Hull", "E06000010"),
        ("Durham", "E06000047"),
        ("Leicestershire County Council", "E10000018"),
        ("Leicester", "E06000016"),  # an exact name wins over being a prefix of Leicestershire
        ("855", "E10000018"),
        ("London Borough of Southwark", "E09000028"),
        ("Isles of Scilly", "E06000053"),
        ("City of London", "E09000001"),
    ],
)
def test_lookup_variants(query, gss):
    assert lookup(query).gss == gss


def test_unknown_authority_suggests_the_closest():
    with pytest.raises(UnknownAuthorityError) as caught:
        lookup("Leicestershir")
    message = str(caught.value)
    assert message.startswith(
        "unknown authority 'Leicestershir': did you mean Leicestershire (E10000018, 855)"
    )
    assert message.endswith("Run 'reportgen list-authorities' to see all 153.")
    assert message.count("(E") <= 3
    assert "\n" not in message


def test_misspelt_name_suggests_it():
    with pytest.raises(UnknownAuthorityError, match=r"did you mean Southwark \(E09000028, 210\)"):
        lookup("Southwak")


def test_unknown_without_suggestion():
    with pytest.raises(UnknownAuthorityError, match="no authority has a similar name or code"):
        lookup("Atlantis")


def test_unique_prefix_is_not_accepted_silently():
    with pytest.raises(UnknownAuthorityError, match="did you mean Richmond upon Thames"):
        lookup("Richmond")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kingston", ["Kingston upon Hull, City of (E06000010, 810)", "Kingston upon Thames"]),
        (
            "Lincoln",
            ["Lincolnshire (E10000019, 925)", "North Lincolnshire", "North East Lincolnshire"],
        ),
        ("North", ["North Somerset", "and 4 more"]),
    ],
)
def test_ambiguous_query_is_an_error_listing_the_candidates(query, expected):
    with pytest.raises(UnknownAuthorityError) as caught:
        lookup(query)
    message = str(caught.value)
    assert message.startswith(f"ambiguous authority '{query}': it matches ")
    for text in expected:
        assert text in message


@pytest.mark.parametrize(
    ("query", "successors"),
    [
        ("Cumbria", ["Cumberland (E06000063, 942)", "Westmorland and Furness (E06000064, 943)"]),
        ("928", ["North Northamptonshire (E06000061, 940)", "West Northamptonshire"]),
    ],
)
def test_former_authorities_name_their_successors(query, successors):
    with pytest.raises(UnknownAuthorityError, match="no longer exists") as caught:
        lookup(query)
    for text in successors:
        assert text in str(caught.value)


def test_empty_query():
    with pytest.raises(UnknownAuthorityError, match="no authority given"):
        lookup("   ")


def test_published_years():
    assert latest_published_year() == 2025
    # Cumberland is 'z' in 2021-2023 (it was created in April 2023).
    assert published_years("Cumberland") == (2024, 2025)
    assert published_year_labels("Cumberland") == ("2023-24", "2024-25")
    # North Northamptonshire is 'z' in 2021 only.
    assert published_years("940") == (2022, 2023, 2024, 2025)
    # City of London's 2025 count is 'c' (suppressed) and still counts as published.
    assert published_years("City of London") == (2021, 2022, 2023, 2024, 2025)
    # Isles of Scilly: 'z' every year.
    assert published_years(lookup("Isles of Scilly")) == ()


def test_authorities_are_frozen():
    leics = lookup("855")
    assert isinstance(leics, Authority)
    with pytest.raises(AttributeError):
        leics.name = "Rutland"  # type: ignore[misc]
    assert str(leics) == "Leicestershire (E10000018, 855)"


def test_frame_for_list_authorities():
    frame = authorities_frame()
    assert list(frame.columns) == ["gss", "old_code", "name", "region", "published_years"]
    assert len(frame) == 153
    row = frame.set_index("gss").loc["E06000063"]
    assert row["published_years"] == "2023-24, 2024-25"


def test_lookup_is_cached():
    assert all_authorities() is all_authorities()
