"""Distances and locality from packaged postcode centroids (no web service).

Expected distances are the DfE validator's own derived PL_DISTANCE for the same pairs
(indicators.md §7: LE11 3TU→LE3 8RA 7.7 miles, LE11 3TU→NG1 5FS 13.5 miles, NG1 in E06000018).
"""

import pandas as pd

from reportgen.sources import geo


def test_distance_matches_the_dfe_validator():
    home = pd.Series(["LE11 3TU", "le113tu", "LE11 3TU", None])
    placement = pd.Series(["LE3 8RA", "NG1 5FS", "ZZ99 9ZZ", "LE3 8RA"])
    miles = geo.distance_miles(home, placement)
    assert miles.iloc[0] == 7.7
    assert miles.iloc[1] == 13.5
    assert pd.isna(miles.iloc[2]) and pd.isna(miles.iloc[3])


def test_upper_tier_authority_is_current():
    found = geo.centroids(pd.Series(["LE3 8RA", "NG1 5FS", "CA1 1AA", "TA1 1AA"]))
    # Leicester postcode LE3 8RA lies in Blaby district, Leicestershire county
    assert found["utla"].tolist()[:2] == ["E10000018", "E06000018"]
    # the 2023 unitaries that the validator's 2021 lookup misses (trap 4)
    assert found["utla"].tolist()[2:] == ["E06000063", "E06000066"]


def test_inside_authority():
    inside = geo.inside_authority(pd.Series(["LE3 8RA", "NG1 5FS", ""]), "E10000018")
    assert bool(inside.iloc[0]) is True
    assert bool(inside.iloc[1]) is False
    assert pd.isna(inside.iloc[2])


def test_outside_england():
    assert geo.upper_tier(pd.Series(["S12000014", "W06000015", "N09000003"])).tolist() == [
        "SCO",
        "WAL",
        "NIR",
    ]


def test_lookup_of_odd_keys_finds_nothing():
    odd = pd.Series(["LE11 3TU", "LE113TUXX", "LE1\x003TU", "é11 3TU", "", None, "le11\xa03tu"])
    found = geo.centroids(odd)
    assert found["utla"].isna().tolist() == [False, True, True, True, True, True, False]
    assert found["easting"].iloc[0] == found["easting"].iloc[6]


def test_normalise_removes_every_kind_of_space():
    text = pd.Series([" le11 3tu\t", "LE11\x1c3TU", "le11\xa03tu", "  ", None], dtype=object)
    assert geo.normalise(text).tolist() == ["LE113TU", "LE113TU", "LE113TU", pd.NA, pd.NA]
    ascii_only = pd.Series(["le11 3tu\r\n", "\x1f"], dtype=object)
    assert geo.normalise(ascii_only).tolist() == ["LE113TU", pd.NA]
