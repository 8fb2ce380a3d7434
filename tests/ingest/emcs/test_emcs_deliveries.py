"""EMCS deliveries on both stores: the e-ADs in one, their follow-ups in a later one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from graph_view import graph_view

from graphfraud.ingest.run import ingest_directory
from graphfraud.store.graphhash import graph_fingerprint

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "emcs"
ARC1, ARC2 = "24BE00010000000012346", "24NL00020000000012349"


@pytest.fixture
def deliveries(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copytree(FIXTURES / "d1", tmp_path / "d1")
    shutil.copytree(FIXTURES / "d2", tmp_path / "d2")
    return tmp_path / "d1", tmp_path / "d2"


def _quarantine(directory: Path) -> str:
    q = directory / ".graphfraud" / "quarantine" / "emcs.csv"
    return q.read_text(encoding="utf-8") if q.exists() else ""


def test_follow_ups_in_a_later_delivery_are_applied_and_reingest_changes_nothing(
        store, deliveries) -> None:
    d1, d2 = deliveries
    r1 = ingest_directory(store, d1, resolve=False)
    r2 = ingest_directory(store, d2, resolve=False)
    emcs2 = next(f for f in r2.files if f.file == "emcs")
    assert (emcs2.messages, emcs2.pending, emcs2.quarantined) == (3, 0, 0)
    assert not [f for f in r1.files + r2.files if f.status == "unreadable"]
    nodes, edges = graph_view(store)
    m1, m2 = nodes["Movement"][ARC1], nodes["Movement"][ARC2]
    # the e-AD's contract fields
    assert (m1["consignor_excise_number"], m1["place_of_dispatch"], m1["origin_type"],
            m1["dispatched_at"], m1["transport_mode"], m1["guarantor_type"]) == \
        ("BE00000000041", "BE00000000058", "1", "2024-03-04T09:30:00Z", "3", "1")
    assert m1["transport_units"] == "3:MACHINES"
    # IE813: new consignee, delivery place, transporter, plate, journey time, sequence 2
    assert (m1["sequence"], m1["destination_type"], m1["consignee_excise_number"],
            m1["consignee_name"], m1["transporter_name"], m1["transporter_vat"],
            m1["journey_time"], m1["destination_changes"]) == \
        (2, "4", "NL00000000074", "Groothandel Oost B.V.", "Twente Logistiek B.V.",
         "NL000000002B01", "D02", 1)
    assert m1["delivery_place"] == "Zuiderval 3, 7543 EZ Enschede"
    assert (f"Movement:{ARC1}", "CONSIGNED_TO", "Trader:T-NL-4") in edges
    assert (f"Movement:{ARC1}", "CONSIGNED_BY", "Trader:T-BE-1") in edges
    assert (f"Movement:{ARC1}", "DISPATCHED_FROM", "Premise:P-BE-1") in edges
    assert (f"Movement:{ARC1}", "DELIVERED_TO", "Address:7543EZ|3") in edges
    assert {(f"Movement:{ARC1}", "CARRIED_BY", "Vehicle:VX123B"),
            (f"Movement:{ARC1}", "CARRIED_BY", "Vehicle:12BDF3")} <= edges
    # IE818: conclusion and the shortage on line 2 of sequence 2
    assert (m1["status"], m1["received_at"], m1["receipt_conclusion"]) == \
        ("delivered", "2024-03-06", "2")
    lines = nodes["MovementLine"]
    assert (lines[f"{ARC1}/2/2"]["shortage_or_excess"], lines[f"{ARC1}/2/2"]["observed_difference"]) \
        == ("S", 2.5)
    assert lines[f"{ARC1}/1/1"]["epc"] == "T200" and lines[f"{ARC1}/1/2"]["unit"] == "1"
    assert lines[f"{ARC1}/1/1"]["quantity"] == 5000 and lines[f"{ARC1}/1/1"]["unit"] == "4"
    assert lines[f"{ARC1}/2/1"]["brand"] == "Noordster" and lines[f"{ARC1}/2/1"]["cn_code"] == "24022090"
    place = nodes["Address"]["7543EZ|3"]
    assert (place["street"], place["house_number"], place["postcode"], place["city"],
            place["country"]) == ("Zuiderval", "3", "7543EZ", "Enschede", "NL")
    # the second e-AD, every contract field, and its IE810
    assert (m2["sequence"], m2["consignor_excise_number"], m2["place_of_dispatch"],
            m2["consignee_excise_number"], m2["consignee_name"], m2["destination_type"],
            m2["origin_type"], m2["dispatched_at"], m2["journey_time"], m2["transport_mode"],
            m2["transporter_name"], m2["guarantor_type"], m2["destination_changes"]) == \
        (1, "NL00000000058", "NL00000000066", "NL00000000033", "Atlas & Zonen Trading", "2",
         "1", "2024-03-06", "D02", "3", "Zuid Express V.O.F.", "2", 0)
    assert m2["delivery_place"] == "Havenstraat 21a, 1013 BC Amsterdam"
    assert (m2["status"], m2["cancelled_at"]) == ("cancelled", "2024-03-05T16:45:00Z")
    line2 = lines[f"{ARC2}/1/1"]
    assert (line2["line"], line2["epc"], line2["cn_code"], line2["brand"], line2["quantity"],
            line2["unit"]) == (1, "T300", "24021000", "Oud Brabant", 40, "4")
    assert (f"Movement:{ARC2}", "CONSIGNED_TO", "Trader:T-NL-2") in edges
    assert (f"Movement:{ARC2}", "CONSIGNED_BY", "Trader:T-NL-3") in edges
    assert (f"Movement:{ARC2}", "DISPATCHED_FROM", "Premise:P-NL-2") in edges
    assert (f"Movement:{ARC2}", "DELIVERED_TO", "Address:1013BC|21A") in edges
    assert nodes["Address"]["1013BC|21A"]["city"] == "Amsterdam"
    assert (f"Movement:{ARC2}", "CARRIED_BY", "Vehicle:BDTH55") in edges
    assert not [e for e in edges if e[0] == f"Movement:{ARC1}" and e[1] == "DELIVERED_TO"
                and e[2] != "Address:7543EZ|3"]  # the replaced destination is not kept
    events = {k: e for k, e in nodes["MovementEvent"].items()}
    assert {(e["arc"], e["kind"], e["state"]) for e in events.values()} == {
        (ARC1, "IE801", "applied"), (ARC1, "IE813", "applied"), (ARC1, "IE818", "applied"),
        (ARC2, "IE801", "applied"), (ARC2, "IE810", "applied")}
    before = graph_fingerprint(store)
    ingest_directory(store, d1, resolve=False)
    ingest_directory(store, d2, resolve=False)
    assert graph_fingerprint(store) == before


def test_an_unknown_arc_is_pending_then_applied_when_its_ead_arrives(store, tmp_path) -> None:
    regs = tmp_path / "d0"
    regs.mkdir()
    for name in ("traders.csv", "premises.csv"):
        shutil.copy(FIXTURES / "d1" / name, regs / name)
    ingest_directory(store, regs, resolve=False)
    early = tmp_path / "early"
    shutil.copytree(FIXTURES / "d2", early)  # follow-ups first: no e-AD in the graph yet
    report = ingest_directory(store, early, resolve=False)
    emcs = next(f for f in report.files if f.file == "emcs")
    assert (emcs.messages, emcs.pending, emcs.loaded) == (3, 3, 0)
    assert any("pending" in n for n in emcs.notes)
    q = _quarantine(early)
    assert q.count("pending follow-up") == 3 and ARC1 in q and "no e-AD (IE801)" in q
    nodes, _ = graph_view(store)
    assert "Movement" not in nodes
    assert {e["state"] for e in nodes["MovementEvent"].values()} == {"pending"}
    late = tmp_path / "late"
    shutil.copytree(FIXTURES / "d1", late)
    report = ingest_directory(store, late, resolve=False)
    emcs = next(f for f in report.files if f.file == "emcs")
    assert emcs.pending == 0 and _quarantine(late) == ""
    nodes, edges = graph_view(store)
    assert nodes["Movement"][ARC1]["status"] == "delivered"
    assert nodes["Movement"][ARC1]["sequence"] == 2
    assert nodes["Movement"][ARC2]["status"] == "cancelled"
    assert {e["state"] for e in nodes["MovementEvent"].values()} == {"applied"}
    assert (f"Movement:{ARC1}", "HAS_EVENT", f"MovementEvent:{ARC1}/IE818/GF-TEST-818-0001") \
        in edges


def test_an_ie818_before_its_ie813_waits_for_it(store, deliveries, tmp_path) -> None:
    d1, d2 = deliveries
    ingest_directory(store, d1, resolve=False)
    receipt, change = tmp_path / "receipt", tmp_path / "change"
    (receipt / "emcs").mkdir(parents=True)
    (change / "emcs").mkdir(parents=True)
    shutil.copy(d2 / "emcs" / "IE818-shortage.xml", receipt / "emcs")
    shutil.copy(d2 / "emcs" / "IE813-change.xml", change / "emcs")
    report = ingest_directory(store, receipt, resolve=False)
    emcs = next(f for f in report.files if f.file == "emcs")
    assert emcs.pending == 1 and "names sequence 2" in _quarantine(receipt)
    nodes, _ = graph_view(store)
    assert nodes["Movement"][ARC1]["status"] == "accepted"
    assert "shortage_or_excess" not in nodes["MovementLine"][f"{ARC1}/1/2"]
    ingest_directory(store, change, resolve=False)
    nodes, _ = graph_view(store)
    assert nodes["Movement"][ARC1]["status"] == "delivered"
    assert nodes["MovementLine"][f"{ARC1}/2/2"]["shortage_or_excess"] == "S"
    assert "shortage_or_excess" not in nodes["MovementLine"][f"{ARC1}/1/2"]


def test_a_follow_up_for_a_movement_from_movements_csv_is_applied(store, tmp_path) -> None:
    from graphfraud.ingest.emcs.fold import MOVEMENT_COLUMNS

    d1 = tmp_path / "d1"
    d1.mkdir()
    for name in ("traders.csv", "premises.csv"):
        shutil.copy(FIXTURES / "d1" / name, d1 / name)
    row = dict.fromkeys(MOVEMENT_COLUMNS, "")
    row.update({"arc": ARC1, "sequence": "1", "line": "2", "consignor_excise_number":
                "BE00000000041", "consignee_excise_number": "NL00000000074", "epc": "T400",
                "quantity": "812.5", "unit": "1", "dispatched_at": "2024-03-04T10:30:00",
                "status": "accepted", "destination_type": "2"})
    (d1 / "movements.csv").write_text(",".join(MOVEMENT_COLUMNS) + "\n"
                                      + ",".join(row[c] for c in MOVEMENT_COLUMNS) + "\n")
    ingest_directory(store, d1, resolve=False)
    d2 = tmp_path / "d2"
    (d2 / "emcs").mkdir(parents=True)
    receipt = (FIXTURES / "d2" / "emcs" / "IE818-shortage.xml").read_text(encoding="utf-8")
    (d2 / "emcs" / "IE818.xml").write_text(
        receipt.replace("<ie:SequenceNumber>2</ie:SequenceNumber>",
                        "<ie:SequenceNumber>1</ie:SequenceNumber>"), encoding="utf-8")
    report = ingest_directory(store, d2, resolve=False)
    emcs = next(f for f in report.files if f.file == "emcs")
    assert (emcs.messages, emcs.pending, emcs.quarantined) == (1, 0, 0)
    nodes, edges = graph_view(store)
    m = nodes["Movement"][ARC1]
    assert (m["status"], m["receipt_conclusion"], m["received_at"]) == \
        ("delivered", "2", "2024-03-06")
    line = nodes["MovementLine"][f"{ARC1}/1/2"]
    assert (line["shortage_or_excess"], line["observed_difference"], line["quantity"]) == \
        ("S", 2.5, 812.5)
    assert (f"Movement:{ARC1}", "CONSIGNED_TO", "Trader:T-NL-4") in edges
    assert {e["kind"] for e in nodes["MovementEvent"].values()} == {"IE818"}
    before = graph_fingerprint(store)
    ingest_directory(store, d2, resolve=False)
    assert graph_fingerprint(store) == before


def test_a_manager_does_not_see_the_addresses_an_event_keeps(store, deliveries) -> None:
    from graphfraud.security.pseudonym import redact_for_role

    d1, d2 = deliveries
    ingest_directory(store, d1, resolve=False)
    ingest_directory(store, d2, resolve=False)
    key = f"{ARC1}/IE813/GF-TEST-813-0001"
    rows = store.run("explorer_nodes_by_keys", {"keys": {"MovementEvent": [key]}})
    assert "Zuiderval" in str(rows)  # the analyst's view: the new delivery place
    (seen,) = redact_for_role(rows, "manager", "test-secret")
    assert "Zuiderval" not in str(seen) and "payload" not in str(seen)
    assert "IE813" in str(seen) and "Europe/Brussels" in str(seen)


def test_an_ead_that_fails_validation_of_its_rows_keeps_its_follow_ups_pending(
        store, deliveries) -> None:
    d1, d2 = deliveries
    (d1 / "traders.csv").write_text(
        "\n".join(ln for ln in (d1 / "traders.csv").read_text().splitlines()
                  if not ln.startswith("T-BE-1")) + "\n")  # the consignor is unknown
    (d1 / "premises.csv").write_text(
        "\n".join(ln for ln in (d1 / "premises.csv").read_text().splitlines()
                  if not ln.startswith("P-BE-1")) + "\n")
    ingest_directory(store, d1, resolve=False)
    q = _quarantine(d1)
    assert "emcs/IE801-two-lines.xml,1,consignor_excise_number" in q
    assert f"pending follow-up IE801 for {ARC1}" in q and "quarantined" in q
    report = ingest_directory(store, d2, resolve=False)
    emcs = next(f for f in report.files if f.file == "emcs")
    assert emcs.pending == 3  # IE813 and IE818 of ARC1 wait, with the e-AD itself
    nodes, _ = graph_view(store)
    assert ARC1 not in nodes["Movement"] and nodes["Movement"][ARC2]["status"] == "cancelled"


def test_a_folder_of_files_that_yield_nothing_is_not_loaded(store, tmp_path) -> None:
    d = tmp_path / "d"
    (d / "emcs").mkdir(parents=True)
    shutil.copy(FIXTURES / "d1" / "traders.csv", d)
    (d / "emcs" / "old.xml").write_text('<EMCSMessages xmlns="urn:graphfraud:emcs:1"/>')
    report = ingest_directory(store, d, resolve=False)
    status = {f.file: (f.status, f.reason) for f in report.files if f.file.startswith("emcs")}
    assert status["emcs"] == ("unreadable", "no file in emcs/ yielded a message")
    assert status["emcs/old.xml"][0] == "unreadable"
    assert "no EMCS phase-4 message" in status["emcs/old.xml"][1]
