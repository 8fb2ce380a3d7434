"""Each signal on a tiny hand-built input: one world where it must fire, one where not."""

from __future__ import annotations

import copy

import pytest

from graphfraud.detect.diversion import detect_diversion
from graphfraud.detect.factory_sites import detect_factory_sites
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.phoenix import detect_phoenix
from graphfraud.detect.retail_chain import detect_retail_chain
from graphfraud.detect.runner import load_weights
from graphfraud.detect.supplier_networks import detect_supplier_networks

W = load_weights()
TH = {**W["thresholds"], "min_score": 0.0}  # report every finding, to see single signals


def trader(tid, **kw):
    return {"trader_id": tid, "name": kw.pop("name", tid), "status": "active",
            "registered_on": "2010-01-01", "dissolved_on": None, "sbi_code": "4726",
            "excise_status": "none", "excise_number": None, "legal_form": "bv",
            "is_chain": False, "address_key": None, "city": "Venlo", "lat": 51.37,
            "lon": 6.17, **kw}


def movement(arc, consignor, consignee, **kw):
    return {"arc": arc, "consignor": consignor, "consignee": consignee,
            "destination_type": "2", "origin_type": "1",
            "dispatched_at": "2023-03-01T08:00:00Z", "received_at": "2023-03-03",
            "journey_time": "D02", "status": "delivered", "receipt_conclusion": "1",
            "destination_changes": 0, "from_lat": 51.0, "from_lon": 4.0, "to_lat": 51.37,
            "to_lon": 6.17, "to_address": None, "plates": [], "epcs": ["T200"],
            "brands": ["Acme"], "quantity": 100.0, "short_lines": 0, **kw}


def base() -> dict:
    """A unit rented by a company, three warehouses supplying a consignee, a few outlets."""
    return {
        "signal_traders": [trader("OP", registered_on="2015-01-01", address_key="5928PA|1"),
                           trader("CE", excise_status="registered_consignee"),
                           trader("W1", excise_status="authorised_warehousekeeper"),
                           trader("W2", excise_status="authorised_warehousekeeper"),
                           trader("SUP", address_key="5911AA|1"),
                           *[trader(f"O{i}") for i in range(5)]],
        "signal_roles": [], "signal_identifiers": [],
        "signal_premises": [{"premise_id": "U1", "kind": "industrial_unit", "excise_number": None,
                             "lease_start": "2016-01-01", "lease_end": None,
                             "address_key": "5928PA|1", "city": "Venlo", "lat": 51.37,
                             "lon": 6.17, "operator": "OP"}],
        "signal_licences": [], "signal_machine_events": [], "signal_seizures": [],
        "signal_tips": [], "signal_check_lines": [],
        "signal_movements": [movement(f"A{i}", "W1", "CE", short_lines=0) for i in range(4)]
        + [movement(f"B{i}", "W2", "W1", short_lines=1 if i % 3 == 0 else 0,
                    received_at="2023-03-05") for i in range(12)]
        + [movement("C0", "CE", "W2")],
        "eps_counts": [],
    }


def signals(findings, kind_primary):
    return {r.signal for f in findings if f.primary == kind_primary for r in f.reasons}


def run_factory(rows):
    return signals(detect_factory_sites(DetectionInputs.from_rows(rows), W["factory_site"], TH),
                   "Premise:U1")


def _licence(status):
    return {"licence_id": "L1", "kind": "possession", "status": status, "granted_on": None,
            "valid_until": None, "machine_id": "M1", "holder": "OP", "site_premise": "U1",
            "site_address": None}


def _seizure(product, address_key="5928PA|3"):
    return {"seizure_id": "S1", "seized_on": "2023-05-01", "context": "storage",
            "product": product, "classification": None, "quantity": 10,
            "address_key": address_key, "city": "Venlo", "lat": None, "lon": None,
            "trader_id": None, "plate": None}


FACTORY_CASES = [
    ("licence_refused_revoked_expired",
     lambda r: r["signal_licences"].append(_licence("refused")),
     lambda r: r["signal_licences"].append(_licence("granted"))),
    ("licensed_machine_missing_or_moved",
     lambda r: r["signal_machine_events"].extend([
         {"event_id": "E1", "machine_id": "M9", "event": "reported_missing", "at": "2023-01-01",
          "from_premise": None, "to_premise": None, "to_address": None},
         {"event_id": "E2", "machine_id": "M9", "event": "moved", "at": "2023-01-05",
          "from_premise": None, "to_premise": "U1", "to_address": None}]),
     lambda r: r["signal_machine_events"].append(
         {"event_id": "E2", "machine_id": "M9", "event": "moved", "at": "2023-01-05",
          "from_premise": None, "to_premise": "ELSEWHERE", "to_address": None})),
    ("precursor_seizure", lambda r: r["signal_seizures"].append(_seizure("cigarette_paper")),
     lambda r: r["signal_seizures"].append(_seizure("cigarette_paper", "1011AA|1"))),
    ("precursor_deliveries",
     lambda r: r["signal_movements"].append(movement("P1", "W1", "OP", epcs=["T400"])),
     lambda r: r["signal_movements"].append(movement("P1", "W1", "OP", epcs=["T200"]))),
    ("new_tenant",
     lambda r: r["signal_traders"][0].update(registered_on="2015-10-01"),
     lambda r: r["signal_traders"][0].update(registered_on="2009-10-01")),
    ("recent_lease",
     lambda r: r["signal_premises"][0].update(lease_start="2022-10-01"),
     lambda r: None),
    ("director_with_dissolved_companies",
     lambda r: (r["signal_roles"].extend([
         {"person_id": "P1", "trader_id": t, "role": "director", "since": None, "until": None}
         for t in ("OP", "D1", "D2")]), r["signal_traders"].extend(
         [trader("D1", status="dissolved"), trader("D2", status="bankrupt")])),
     lambda r: (r["signal_roles"].extend([
         {"person_id": "P1", "trader_id": t, "role": "director", "since": None, "until": None}
         for t in ("OP", "D1")]), r["signal_traders"].append(trader("D1", status="dissolved")))),
    ("tip_names_site",
     lambda r: r["signal_tips"].append({"tip_id": "T1", "received_on": "2023-01-01",
                                        "address_key": "5928PA|1", "plate": None,
                                        "phone": None, "trader_id": None}),
     lambda r: r["signal_tips"].append({"tip_id": "T1", "received_on": "2023-01-01",
                                        "address_key": "1011AA|1", "plate": None,
                                        "phone": None, "trader_id": None})),
    ("illicit_white_excess_nearby",
     lambda r: r["eps_counts"].extend([
         {"year": 2023, "municipality": "Venlo", "border": True, "route": "1",
          "classification": "illicit_white", "packs": 10},
         {"year": 2023, "municipality": "Venlo", "border": True, "route": "1",
          "classification": "domestic_duty_paid", "packs": 90},
         {"year": 2023, "municipality": "Utrecht", "border": False, "route": "1",
          "classification": "illicit_white", "packs": 2},
         {"year": 2023, "municipality": "Utrecht", "border": False, "route": "1",
          "classification": "domestic_duty_paid", "packs": 398}]),
     lambda r: r["eps_counts"].extend([
         {"year": 2023, "municipality": m, "border": True, "route": "1",
          "classification": c, "packs": n}
         for m in ("Venlo", "Utrecht") for c, n in (("illicit_white", 3),
                                                    ("domestic_duty_paid", 97))])),
    ("retail_findings_nearby",
     lambda r: r["signal_check_lines"].extend([
         {"check_id": f"C{i}", "line_id": f"C{i}/1", "checked_on": "2023-04-01",
          "outcome": "findings", "classification": "illicit_white", "brand": "X",
          "product": "cigarettes", "quantity": 10, "outlet": f"O{i}", "city": "Venlo",
          "lat": None, "lon": None, "supplier": None} for i in range(2)]),
     lambda r: r["signal_check_lines"].extend([
         {"check_id": f"C{i}", "line_id": f"C{i}/1", "checked_on": "2023-04-01",
          "outcome": "findings", "classification": "non_domestic_legal", "brand": "X",
          "product": "cigarettes", "quantity": 10, "outlet": f"O{i}", "city": "Venlo",
          "lat": None, "lon": None, "supplier": None} for i in range(2)])),
    ("residential_waterpipe",
     lambda r: (r["signal_premises"][0].update(kind="residence"),
                r["signal_movements"].append(movement("P1", "W1", "OP", epcs=["T500"]))),
     lambda r: (r["signal_premises"][0].update(kind="residence"),
                r["signal_movements"].append(movement("P1", "W1", "OP", epcs=["T200"])))),
]


@pytest.mark.parametrize("signal, fire, quiet", FACTORY_CASES, ids=[c[0] for c in FACTORY_CASES])
def test_factory_signal(signal, fire, quiet):
    rows = base()
    fire(rows)
    assert signal in run_factory(rows)
    rows = base()
    quiet(rows)
    assert signal not in run_factory(rows)


def run_diversion(rows):
    return signals(detect_diversion(DetectionInputs.from_rows(rows), W["diversion"], TH),
                   "Trader:CE")


DIVERSION_CASES = [
    ("temporary_or_recent_consignee",
     lambda r: r["signal_traders"][1].update(excise_status="temporary_registered_consignee"),
     lambda r: None),
    ("destination_type_unknown",
     lambda r: r["signal_movements"][0].update(destination_type="8"), lambda r: None),
    ("journey_too_fast",
     lambda r: r["signal_movements"][0].update(dispatched_at="2023-03-01T20:00:00Z",
                                               received_at="2023-03-01", from_lat=44.0),
     lambda r: r["signal_movements"][0].update(from_lat=44.0, received_at="2023-03-04")),
    ("vehicle_on_overlapping_trips",
     lambda r: (r["signal_movements"][0].update(plates=["VX123B"]),
                r["signal_movements"][1].update(plates=["VX123B"],
                                                dispatched_at="2023-03-02T08:00:00Z")),
     lambda r: (r["signal_movements"][0].update(plates=["VX123B"]),
                r["signal_movements"][1].update(plates=["VX123B"],
                                                dispatched_at="2023-03-06T08:00:00Z",
                                                received_at="2023-03-07"))),
    ("repeated_destination_changes",
     lambda r: r["signal_movements"][0].update(destination_changes=2),
     lambda r: r["signal_movements"][0].update(destination_changes=1)),
    ("receives_never_dispatches",
     lambda r: r["signal_movements"].pop(),  # drop CE's only dispatch
     lambda r: None),
    ("always_satisfactory", lambda r: None,
     lambda r: r["signal_movements"][0].update(short_lines=1)),
    ("destination_type_unknown",  # no consignee: delivered at CE's registered address
     lambda r: (r["signal_traders"][1].update(address_key="3325NA|166"),
                r["signal_movements"][0].update(destination_type="8", consignee=None,
                                                delivery_place="Mozartlaan 166, 3325 NA Dordrecht")),
     lambda r: (r["signal_traders"][1].update(address_key="3325NA|166"),
                r["signal_movements"][0].update(destination_type="8", consignee=None,
                                                delivery_place="Mozartlaan 168, 3325 NA Dordrecht"))),
]


@pytest.mark.parametrize("signal, fire, quiet", DIVERSION_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(DIVERSION_CASES)])
def test_diversion_signal(signal, fire, quiet):
    rows = base()
    fire(rows)
    assert signal in run_diversion(rows)
    rows = base()
    quiet(rows)
    assert signal not in run_diversion(rows)


def _illicit_lines(n, supplier="SUP", cls="illicit_white", brand="Acme", candidates=()):
    return [{"check_id": f"C{i}", "line_id": f"C{i}/1", "checked_on": "2023-04-01",
             "outcome": "findings", "classification": cls, "brand": brand,
             "product": "cigarettes", "quantity": 10, "outlet": f"O{i}", "city": "Venlo",
             "lat": None, "lon": None, "supplier": supplier, "candidates": list(candidates)}
            for i in range(n)]


def run_retail(rows):
    return signals(detect_retail_chain(DetectionInputs.from_rows(rows),
                                       W["retail_supply_chain"], TH), "Trader:SUP")


RETAIL_CASES = [
    ("named_by_outlets_with_findings",
     lambda r: r["signal_check_lines"].extend(_illicit_lines(2)),
     lambda r: r["signal_check_lines"].extend(_illicit_lines(2, cls="non_domestic_legal"))),
    ("many_outlets", lambda r: r["signal_check_lines"].extend(_illicit_lines(4)),
     lambda r: r["signal_check_lines"].extend(_illicit_lines(3))),
    ("inbound_same_brand",
     lambda r: (r["signal_check_lines"].extend(_illicit_lines(2, brand="Zeta")),
                r["signal_movements"].append(movement("IN1", "W1", "SUP", brands=["Zeta"]))),
     lambda r: (r["signal_check_lines"].extend(_illicit_lines(2, brand="Zeta")),
                r["signal_movements"].append(movement("IN1", "W1", "SUP", brands=["Other"])))),
    ("shared_people_or_address",
     lambda r: (r["signal_check_lines"].extend(_illicit_lines(2)), r["signal_roles"].extend([
         {"person_id": "P1", "trader_id": t, "role": "director", "since": None, "until": None}
         for t in ("SUP", "O0")])),
     lambda r: r["signal_check_lines"].extend(_illicit_lines(2))),
    ("named_as_candidate",
     lambda r: r["signal_check_lines"].extend(_illicit_lines(3, None, candidates=["SUP"])),
     lambda r: r["signal_check_lines"].extend(_illicit_lines(3, None, cls="non_domestic_legal",
                                                             candidates=["SUP"]))),
]


def _namesakes(rows, n=4, brand="Acme"):
    """SUP and SUP2 share a name; outlets name it, resolved only as a candidate (SUP)."""
    rows["signal_traders"][4].update(name="Noord Distributie B.V.")
    rows["signal_traders"].append(trader("SUP2", name="Noord Distributie BV"))
    rows["signal_check_lines"] += _illicit_lines(n, None, brand=brand, candidates=["SUP"])
    return rows


def test_inbound_brand_is_no_evidence_when_the_intake_is_like_the_market():
    """A busy wholesaler receives every brand, the ones found illicit among them."""
    rows = base()  # nearly every e-AD of the market carries Acme
    rows["signal_check_lines"] += _illicit_lines(2, brand="Acme")
    rows["signal_movements"] += [movement(f"IN{i}", "W1", "SUP", brands=[b])
                                 for i, b in enumerate(["Acme", "Other", "Third"])]
    assert "inbound_same_brand" not in run_retail(rows)


def test_outlets_naming_a_dissolved_predecessor_name_its_successor():
    rows = _phoenix_rows()  # OLD dissolved 2021-01-01, NEW succeeded it with its director
    rows["signal_check_lines"] += _illicit_lines(2, supplier="OLD")  # checked 2023-04-01
    found = _retail_by_primary(rows)
    assert "Trader:OLD" not in found
    reason = next(r for r in found["Trader:NEW"].reasons
                  if r.signal == "named_by_outlets_with_findings")
    assert "predecessor OLD" in reason.evidence and "Trader:OLD" in reason.refs
    rows = _phoenix_rows()
    rows["signal_check_lines"] += [{**ln, "checked_on": "2020-06-01"}
                                   for ln in _illicit_lines(2, supplier="OLD")]
    assert set(_retail_by_primary(rows)) == {"Trader:OLD"}  # named while it still traded


def test_a_dissolved_namesake_hands_its_candidate_share_to_its_successor():
    rows = _phoenix_rows()  # OLD dissolved 2021, NEW its successor under the same director
    rows["signal_traders"][-2].update(name="Noord Distributie B.V.")
    rows["signal_traders"].append(trader("LEGIT", name="Noord Distributie BV"))
    rows["signal_check_lines"] += _illicit_lines(4, None, candidates=["LEGIT"])  # 2023
    found = _retail_by_primary(rows)
    assert {"Trader:NEW", "Trader:LEGIT"} <= set(found) and "Trader:OLD" not in found
    assert found["Trader:NEW"].score == pytest.approx(found["Trader:LEGIT"].score)


def _retail_by_primary(rows):
    found = detect_retail_chain(DetectionInputs.from_rows(rows), W["retail_supply_chain"], TH)
    return {f.primary: f for f in found}


def test_candidate_naming_is_split_over_namesakes_without_evidence():
    found = _retail_by_primary(_namesakes(base()))
    for tid in ("SUP", "SUP2"):  # no evidence either way: each gets half of 4 outlets
        reason = next(r for r in found[f"Trader:{tid}"].reasons
                      if r.signal == "named_as_candidate")
        assert "2.0" in reason.evidence and "candidate" in reason.evidence
    assert found["Trader:SUP"].score == pytest.approx(found["Trader:SUP2"].score)
    assert not any(r.signal == "named_by_outlets_with_findings"
                   for f in found.values() for r in f.reasons)


def test_candidate_tie_is_broken_by_inbound_brand_and_shared_people():
    rows = _namesakes(base(), n=5, brand="Zeta")
    rows["signal_movements"] += [movement(f"IN{i}", "W1", "SUP2", brands=["Zeta"])
                                 for i in range(3)]
    found = _retail_by_primary(rows)
    assert "Trader:SUP" not in found  # its share fell below one outlet
    assert {"named_as_candidate", "inbound_same_brand", "many_outlets"} <= {
        r.signal for r in found["Trader:SUP2"].reasons}
    # a director shared with another supplier the outlets name by a resolved link
    rows = _namesakes(base())
    rows["signal_traders"].append(trader("OTHER"))
    rows["signal_check_lines"] += [{**ln, "line_id": ln["line_id"] + "b", "supplier": "OTHER",
                                    "candidates": []} for ln in _illicit_lines(4)]
    rows["signal_roles"] += [{"person_id": "P9", "trader_id": t, "role": "director",
                              "since": None, "until": None} for t in ("SUP", "OTHER")]
    found = _retail_by_primary(rows)
    assert "Trader:SUP2" not in found
    assert "named_as_candidate" in {r.signal for r in found["Trader:SUP"].reasons}


@pytest.mark.parametrize("signal, fire, quiet", RETAIL_CASES, ids=[c[0] for c in RETAIL_CASES])
def test_retail_signal(signal, fire, quiet):
    rows = base()
    fire(rows)
    assert signal in run_retail(rows)
    rows = base()
    quiet(rows)
    assert signal not in run_retail(rows)


def _phoenix_rows(same_address=True, months=12, director=True, sbi="4726"):
    rows = base()
    rows["signal_traders"] += [
        trader("OLD", status="dissolved", dissolved_on="2021-01-01", address_key="1011AA|1"),
        trader("NEW", registered_on=f"{2021 + months // 12}-{months % 12 + 1:02d}-01",
               address_key="1011AA|1" if same_address else "1011AA|2", sbi_code=sbi)]
    if director:
        rows["signal_roles"] += [{"person_id": "P1", "trader_id": t, "role": "director",
                                  "since": None, "until": None} for t in ("OLD", "NEW")]
    return rows


def run_phoenix(rows):
    return signals(detect_phoenix(DetectionInputs.from_rows(rows), W["phoenix"], TH),
                   "Trader:NEW")


@pytest.mark.parametrize("signal, fire, quiet", [
    ("same_director", {}, {"director": False}),
    ("same_address", {}, {"same_address": False}),
    ("within_36_months", {}, {"months": 48}),
    ("same_activity", {}, {"sbi": "5210"}),
])
def test_phoenix_signal(signal, fire, quiet):
    assert signal in run_phoenix(_phoenix_rows(**fire))
    assert signal not in run_phoenix(_phoenix_rows(**quiet))


def _network_rows(findings=2, director=True, contact=True, seizure=False, tip=False,
                  phoenix=False, seized="cigarettes"):
    rows = base()
    rows["signal_check_lines"] += _illicit_lines(findings)
    if director:
        rows["signal_roles"] += [{"person_id": "P1", "trader_id": t, "role": "director",
                                  "since": None, "until": None} for t in ("SUP", "O0", "O1")]
    if contact:
        rows["signal_identifiers"] += [{"owner_kind": "trader", "owner": t, "kind": "phone",
                                        "value": "+31612345678"} for t in ("SUP", "O2")]
    if seizure:
        rows["signal_seizures"].append({**_seizure(seized), "trader_id": "O0"})
    if tip:
        rows["signal_tips"].append({"tip_id": "T1", "received_on": "2023-01-01",
                                    "address_key": None, "plate": None, "phone": None,
                                    "trader_id": "SUP"})
    if phoenix:
        rows["signal_traders"] += [trader("OLDSUP", status="dissolved", dissolved_on="2022-01-01",
                                          address_key="5911AA|1")]
        rows["signal_traders"][4].update(registered_on="2022-06-01")
        rows["signal_roles"].append({"person_id": "P1", "trader_id": "OLDSUP",
                                     "role": "director", "since": None, "until": None})
    return rows


def run_network(rows):
    found = detect_supplier_networks(DetectionInputs.from_rows(rows), W["supplier_network"], TH)
    return {r.signal for f in found if "SUP" in f.subjects["traders"] for r in f.reasons}


@pytest.mark.parametrize("signal, fire, quiet", [
    ("outlet_findings", {}, {"findings": 0, "tip": True}),
    ("shared_director", {}, {"director": False}),
    ("shared_contact", {}, {"contact": False}),
    ("seizures", {"seizure": True}, {}),
    ("seizures", {"seizure": True}, {"seizure": True, "seized": "acetate_tow"}),
    ("tips", {"tip": True}, {}),
    ("phoenix_inside", {"phoenix": True}, {}),
    ("hub_named_by_outlets", {"findings": 3}, {"findings": 2}),
    ("wide_retail_reach", {"findings": 4}, {"findings": 3}),
])
def test_network_signal(signal, fire, quiet):
    assert signal in run_network(_network_rows(**fire))
    assert signal not in run_network(_network_rows(**quiet))


def test_reach_counts_an_outlet_naming_a_member_by_a_candidate_match():
    rows = _network_rows(findings=3)
    assert "wide_retail_reach" not in run_network(rows)
    rows["signal_check_lines"].append({**_illicit_lines(4)[3], "supplier": None,
                                       "candidates": ["SUP"]})
    found = detect_supplier_networks(DetectionInputs.from_rows(rows), W["supplier_network"], TH)
    reach = next(r for f in found if "SUP" in f.subjects["traders"] for r in f.reasons
                 if r.signal == "wide_retail_reach")
    assert "4 outlets" in reach.evidence and "1 by a name entity resolution" in reach.evidence


def test_trust_office_without_findings_is_no_network():
    rows = base()
    rows["signal_roles"] += [{"person_id": "TRUST", "trader_id": f"O{i}", "role": "director",
                              "since": None, "until": None} for i in range(5)]
    assert detect_supplier_networks(DetectionInputs.from_rows(rows), W["supplier_network"],
                                    TH) == []


def test_inputs_are_not_changed_by_detectors():
    rows = base()
    rows["signal_check_lines"] += _illicit_lines(3)
    before = copy.deepcopy(rows)
    inputs = DetectionInputs.from_rows(rows)
    for fn, kind in ((detect_factory_sites, "factory_site"), (detect_diversion, "diversion"),
                     (detect_retail_chain, "retail_supply_chain")):
        fn(inputs, W[kind], TH)
    assert rows == before


def test_unknown_consignee_e_ad_is_not_put_on_a_former_consignee():
    """Type 8 after a change of destination may keep the link to the first consignee."""
    rows = base()
    rows["signal_movements"] += [movement(f"D{i}", "W2", "W1", destination_type="8",
                                          destination_changes=2,
                                          delivery_place="Mozartlaan 166, 3325 NA Dordrecht")
                                 for i in range(3)]
    found = detect_diversion(DetectionInputs.from_rows(rows), W["diversion"], TH)
    assert not any(r.signal == "destination_type_unknown" for f in found for r in f.reasons)
    rows["signal_traders"].append(trader("GHOST", address_key="3325NA|166"))
    found = detect_diversion(DetectionInputs.from_rows(rows), W["diversion"], TH)
    ghost = next(f for f in found if f.primary == "Trader:GHOST")
    assert {"destination_type_unknown", "receives_never_dispatches"} <= {
        r.signal for r in ghost.reasons}
    assert all(f.primary != "Trader:W1" or "destination_type_unknown" not in
               {r.signal for r in f.reasons} for f in found)
