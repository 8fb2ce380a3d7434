"""EMCS XML: generated messages read back to the rows the generator meant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graphfraud.synth.emcs_writer import EmcsXmlWriter
from graphfraud.synth.movements import Destination, Line, Movement, movement_rows
from ingest.emcs_xml import MOVEMENT_COLUMNS, merge_emcs_messages, read_emcs_dir


def _movements() -> list[Movement]:
    when = dt.datetime(2022, 5, 3, 7, 30)
    d1 = Destination("1", "H12", "NL00000000017", "Tabakshandel Noord B.V.", "Industrieweg 4",
                     "5911 AB", "Venlo", "NL", "NL00000000025")
    d2 = Destination("2", "D02", "NL00000000033", "Atlas & Zonen <Trading>", "Kade 1",
                     "1011 AB", "Amsterdam", "NL", "Kade 1, 1011 AB Amsterdam")
    d3 = Destination("8", "D02", delivery_place="Markt 3, 6211 AB Maastricht")
    lines = [Line("T200", "24022090", "Noordster", "5000", "4"),
             Line("T400", "24031990", "Molen Shag", "812.5", "1", "S", "2.5")]
    delivered = Movement("22PL00010000000012345", "PL00000000041", "PL00000000041", "1", when,
                         "Anker Transport B.V.", "NL000000001B01", ["VX-123-B", "12-BDF-3"], "12",
                         lines, [d1, d2, d3], received_at="2022-05-05", receipt_conclusion="1")
    cancelled = Movement("22NL00020000000012349", "NL00000000058", "NL00000000066", "1", when,
                         "Anker Transport B.V.", "NL000000001B01", ["BD-TH-55"], "1",
                         [Line("T300", "24021000", "Oud Brabant", "40", "4")], [d1],
                         cancelled_at="2022-05-03T06:00:00")
    in_transit = Movement("22NL00020000000012358", "NL00000000058", "NL00000000066", "1", when,
                          "Anker Transport B.V.", "NL000000001B01", ["BD-TH-55"], "1",
                          [Line("T500", "24031100", "Mint Oasis", "120.0", "1")], [d1])
    return [delivered, cancelled, in_transit]


def test_round_trip(tmp_path: Path) -> None:
    moves = _movements()
    with EmcsXmlWriter(tmp_path) as w:
        for m in moves:
            w.write(m)
    triples = list(read_emcs_dir(tmp_path))
    assert all(set(r) == set(MOVEMENT_COLUMNS) for _, _, r in triples)
    assert triples[0][0] == "EMCS-00001.xml"
    expected = [row for m in moves for row, _ in movement_rows(m)]
    assert merge_emcs_messages(triples) == expected
    statuses = {(r["arc"][-3:], r["sequence"]): r["status"] for r in expected}
    assert statuses[("345", "1")] == "replaced" and statuses[("345", "3")] == "delivered"
    assert statuses[("349", "1")] == "cancelled" and statuses[("358", "1")] == "accepted"


def test_merge_ignores_file_order(tmp_path: Path) -> None:
    with EmcsXmlWriter(tmp_path) as w:
        for m in _movements():
            w.write(m)
    rows = [r for _, _, r in read_emcs_dir(tmp_path)]
    assert merge_emcs_messages(list(reversed(rows))) == merge_emcs_messages(rows) or \
        sorted(map(str, merge_emcs_messages(list(reversed(rows))))) == \
        sorted(map(str, merge_emcs_messages(rows)))


def test_generated_world_xml_round_trip(tmp_path: Path) -> None:
    from graphfraud.synth import generate_world

    generate_world("tiny", 9, tmp_path, xml_share=0.5)
    rows = merge_emcs_messages(read_emcs_dir(tmp_path / "emcs"))
    assert rows
    assert {r["status"] for r in rows} <= {"accepted", "delivered", "cancelled", "refused",
                                            "partially_refused", "replaced"}


@pytest.mark.parametrize("payload", [
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><EMCSMessages>&a;</EMCSMessages>',
    b'<!DOCTYPE EMCSMessages SYSTEM "http://example.invalid/x.dtd"><EMCSMessages/>',
])
def test_doctype_refused(tmp_path: Path, payload: bytes) -> None:
    (tmp_path / "evil.xml").write_bytes(payload)
    with pytest.raises(ValueError, match="evil.xml"):
        list(read_emcs_dir(tmp_path))


def test_malformed_names_file(tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_bytes(b"<EMCSMessages><IE801>")
    with pytest.raises(ValueError, match="broken.xml"):
        list(read_emcs_dir(tmp_path))
