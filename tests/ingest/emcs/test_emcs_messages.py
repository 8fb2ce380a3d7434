"""Real phase-4 messages (fixtures written to the V3.13 XSD) read by local name."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphfraud.ingest.emcs.codes import unit_for
from graphfraud.ingest.emcs.fold import fold
from graphfraud.ingest.emcs.read import read_bytes, read_folder
from graphfraud.ingest.emcs.safe import parse_safely
from graphfraud.ingest.emcs.schema import message_namespace, schema_for, validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "emcs"
ALL = sorted(FIXTURES.glob("d*/emcs/*.xml"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_fixture_is_valid_against_the_v313_xsd(path: Path) -> None:
    root = parse_safely(path.read_bytes())
    kind, version = message_namespace(root)
    assert version == "V3.13" and schema_for(kind, version) is not None
    assert validate(root, kind, version) == []


def test_the_ead_maps_every_contract_column() -> None:
    (m,) = read_bytes((FIXTURES / "d1/emcs/IE801-two-lines.xml").read_bytes(), "x").messages
    assert (m.kind, m.version, m.arc) == ("IE801", "V3.13", "24BE00010000000012346")
    h = m.head
    assert h["consignee_street"] == "Industrieweg 4"  # StreetName + StreetNumber
    assert h["consignee_country"] == "NL"  # from the excise number's prefix
    assert h["delivery_place"] == "NL00000000025" and h["delivery_place_street"] == "Celsiusweg 9"
    assert h["place_of_dispatch"] == "BE00000000058" and h["journey_time"] == "H12"
    # 10:30 in Brussels (the dispatch state) is 09:30 UTC in March
    assert h["dispatched_at"] == "2024-03-04T09:30:00Z"
    assert h["validated_at"] == "2024-03-04T08:00:00Z"
    assert h["vehicle_plate"] == "VX-123-B"
    assert h["transport_units"] == "3:MACHINES"  # free text stays text
    assert [(ln["line"], ln["epc"], ln["unit"]) for ln in m.lines] == [
        ("1", "T200", "4"), ("2", "T400", "1")]


def test_units_come_from_the_excise_product_code_list() -> None:
    assert (unit_for("T200"), unit_for("T500"), unit_for("B000"), unit_for("E430")) == \
        ("4", "1", "3", "2")
    assert unit_for("X999") == ""


def test_a_schema_error_names_the_path_and_the_valid_message_still_reads() -> None:
    good = (FIXTURES / "d2/emcs/IE810-cancel.xml").read_bytes()
    bad = good.replace(b"<ie:CancellationReasonCode>1</ie:CancellationReasonCode>",
                       b"<ie:CancellationReasonCode>12</ie:CancellationReasonCode>")
    out = read_bytes(bad, "emcs/bad.xml")
    assert not out.messages
    (p,) = out.problems
    assert "CancellationReasonCode" in p.path and "IE810 V3.13 schema" in p.reason
    assert read_bytes(good, "emcs/good.xml").messages


def test_later_versions_read_by_local_name_and_say_they_were_not_validated() -> None:
    data = (FIXTURES / "d2/emcs/IE810-cancel.xml").read_bytes().replace(b"V3.13", b"V3.23")
    out = read_bytes(data, "emcs/v323.xml")
    assert [m.version for m in out.messages] == ["V3.23"]
    assert any("not validated" in n for n in out.notes)


def test_the_invented_namespace_is_reported_not_read() -> None:
    out = read_bytes(b'<EMCSMessages xmlns="urn:graphfraud:emcs:1"><IE801/></EMCSMessages>',
                     "emcs/old.xml")
    assert not out.messages and "no EMCS phase-4 message" in out.refused


def test_follow_ups_fold_in_validation_order_whatever_the_file_order() -> None:
    files = read_folder(FIXTURES / "d1" / "emcs") + read_folder(FIXTURES / "d2" / "emcs")
    msgs = [m for f in files for m in f.messages]
    forward, backward = fold(msgs), fold(list(reversed(msgs)))
    assert forward.rows == backward.rows and not forward.pending
    status = {(r["arc"][-5:], r["sequence"], r["line"]): r["status"] for r in forward.rows}
    assert status == {("12346", "1", "1"): "replaced", ("12346", "1", "2"): "replaced",
                      ("12346", "2", "1"): "delivered", ("12346", "2", "2"): "delivered",
                      ("12349", "1", "1"): "cancelled"}


def test_a_national_wrapper_holds_several_messages_each_validated() -> None:
    good = (FIXTURES / "d2/emcs/IE810-cancel.xml").read_bytes().split(b"?>", 1)[1]
    bad = good.replace(b"GF-TEST-810-0001", b"GF-TEST-810-0002").replace(
        b"<ie:CancellationReasonCode>1</ie:CancellationReasonCode>", b"")
    out = read_bytes(b"<Batch xmlns='urn:example:national'>" + good + bad + b"</Batch>",
                     "emcs/batch.xml")
    assert [m.message_id for m in out.messages] == ["GF-TEST-810-0001"]
    assert [(p.index, "IE810 V3.13 schema" in p.reason) for p in out.problems] == [(2, True)]
