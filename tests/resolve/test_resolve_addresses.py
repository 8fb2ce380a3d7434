"""Address resolution: a tip's street + number (with its addition) + place, no postcode."""

from __future__ import annotations

import pytest

from graphfraud.resolve.addresses import (
    KnownAddress,
    StatedAddress,
    match_addresses,
    score_address,
)
from graphfraud.resolve.matcher import LINK_THRESHOLD

KNOWN = [
    KnownAddress("5928PN|55A", "Industrieweg", "55A", "Venlo"),
    KnownAddress("5928PN|55B", "Industrieweg", "55B", "Venlo"),
    KnownAddress("5911AB|12BIS", "Kerkstraat", "12BIS", "Venlo"),
    KnownAddress("4811XX|12-1", "Kerkstraat", "12-1", "Breda"),
    KnownAddress("2511AA|7", "Grote Markt", "7", "Den Haag"),
    KnownAddress("1234AB|30", "Havenweg", "30", "Bergen op Zoom"),
    KnownAddress("1234AC|30", "Havenweg", "30", "Bergen op Zoom"),  # the street runs on
]


def _match(street: str, number: str, city: str) -> list[tuple[str, str]]:
    return [(m.address_key, m.status)
            for m in match_addresses([StatedAddress("tip1", street, number, city)], KNOWN)]


@pytest.mark.parametrize("street,number,city,key", [
    ("Industrieweg", "55a", "Venlo", "5928PN|55A"),
    ("industrieweg", "55-a", "VENLO", "5928PN|55A"),
    ("Industrieweg", "55 A", "Venlo", "5928PN|55A"),
    ("Industriewg", "55b", "venlo", "5928PN|55B"),       # a typo in the street
    ("Kerkstr.", "12 bis", "Venlo", "5911AB|12BIS"),     # abbreviation, 'bis'
    ("Kerkstraat", "12-bis", "Venlo", "5911AB|12BIS"),
    ("Kerkstraat", "12/1", "Breda", "4811XX|12-1"),
    ("Grote Markt", "7", "'s-Gravenhage", "2511AA|7"),  # the city's other name
])
def test_street_number_place_links_the_one_address(street: str, number: str, city: str,
                                                   key: str) -> None:
    assert _match(street, number, city) == [(key, "linked")]
    m = match_addresses([StatedAddress("tip1", street, number, city)], KNOWN)[0]
    assert m.score >= LINK_THRESHOLD and m.method == "street_number_place"
    assert any("same place" in e for e in m.evidence)


@pytest.mark.parametrize("street,number,city", [
    ("Industrieweg", "55c", "Venlo"),    # another door of the hall
    ("Industrieweg", "56a", "Venlo"),    # another number
    ("Industrieweg", "55a", "Tegelen"),  # another place
    ("Nijverheidsweg", "55a", "Venlo"),  # another street
    ("Kerkstraat", "12-2", "Breda"),
])
def test_no_match_elsewhere(street: str, number: str, city: str) -> None:
    assert _match(street, number, city) == []


def test_addition_missing_on_one_side_is_a_candidate_only() -> None:
    got = _match("Industrieweg", "55", "Venlo")
    assert got and all(status == "candidate" for _, status in got)
    score, evidence = score_address(StatedAddress("t", "Industrieweg", "55", "Venlo"), KNOWN[0])
    assert score < LINK_THRESHOLD and "missing" in evidence[-1]


def test_a_street_under_two_postcodes_gives_candidates_not_a_link() -> None:
    got = _match("Havenweg", "30", "Bergen op Zoom")
    assert sorted(got) == [("1234AB|30", "candidate"), ("1234AC|30", "candidate")]
    m = match_addresses([StatedAddress("t", "Havenweg", "30", "Bergen op Zoom")], KNOWN)[0]
    assert "2 addresses fit about as well" in m.evidence[-1]


def test_incomplete_statement_matches_nothing() -> None:
    assert _match("Industrieweg", "", "Venlo") == []
    assert _match("", "55a", "Venlo") == []
    assert _match("Industrieweg", "55a", "") == []
