"""Tips that name street, house number and place but no postcode reach the site's
Address through address resolution, on both stores; candidates stay out of detection,
and a second ingest makes no second link."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphfraud.ingest.run import ingest_directory

TRADERS = """trader_id,name,kvk_number,legal_form,status,registered_on,street,house_number,postcode,city,country
T1,Venlo Opslag B.V.,12345678,bv,active,2022-01-01,Industrieweg,55A,5928 PN,Venlo,NL
T2,Haven Trading B.V.,23456789,bv,active,2015-01-01,Havenweg,30,4611 AB,Bergen op Zoom,NL
T3,Haven Logistics B.V.,34567890,bv,active,2016-01-01,Havenweg,30,4612 CD,Bergen op Zoom,NL
"""
PREMISES = """premise_id,kind,operator_trader_id,street,house_number,postcode,city,country,lease_start
P1,industrial_unit,T1,Industrieweg,55A,5928 PN,Venlo,NL,2022-03-01
"""
TIPS = """tip_id,received_on,channel,text,mentioned_street,mentioned_house_number,mentioned_postcode,mentioned_city
TIP1,2023-05-01,crime_line,Sterke tabakslucht,industrieweg,55 a,,VENLO
TIP2,2023-05-02,crime_line,Ramen afgeplakt,Industreweg,55-a,,Venlo
TIP3,2023-05-03,crime_line,Busjes 's nachts,Havenweg,30,,Bergen op Zoom
TIP4,2023-05-04,crime_line,Machines te horen,Industrieweg,55B,,Venlo
TIP5,2023-05-05,crime_line,Met postcode,Industrieweg,55A,5928PN,Venlo
"""


@pytest.fixture
def delivery(tmp_path: Path) -> Path:
    d = tmp_path / "tips"
    d.mkdir()
    for name, text in (("traders.csv", TRADERS), ("premises.csv", PREMISES),
                       ("tips.csv", TIPS)):
        (d / name).write_text(text, encoding="utf-8")
    return d


def _address_links(store) -> list[dict]:
    return sorted([
        r for r in store.stream("signal_tips") if r.get("address_key")],
        key=lambda r: r["tip_id"])


def test_tip_without_postcode_reaches_the_site_address(store, delivery: Path) -> None:
    report = ingest_directory(store, delivery, "d1")
    assert report.resolution["tip_addresses"] == 4  # TIP5 has a postcode
    assert report.resolution["tip_addresses_linked"] == 2  # TIP1, TIP2
    assert report.resolution["tip_addresses_candidates"] == 2  # TIP3 under two postcodes
    got = {r["tip_id"]: (r["address_key"], r["address_match"]) for r in _address_links(store)}
    assert got == {"TIP1": ("5928PN|55A", "street_number_place"),
                   "TIP2": ("5928PN|55A", "street_number_place"),
                   "TIP5": ("5928PN|55A", "postcode")}  # TIP3 a candidate, TIP4 no such door
    scores = {r["tip_id"]: r["address_score"] for r in _address_links(store)}
    assert scores["TIP1"] == 1.0 and 0.9 <= scores["TIP2"] < 1.0 and scores["TIP5"] is None
    # the same delivery again: links are restated, never doubled
    ingest_directory(store, delivery, "d1")
    assert len(_address_links(store)) == 3
    assert sum(1 for r in store.stream("er_tip_addresses")) == 4
