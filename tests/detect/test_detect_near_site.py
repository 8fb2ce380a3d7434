"""Issue-13 signals, second round, on hand-built inputs: tips matched by street and
place, spatial evidence near a site, diversion by product, the farm-barn workshop."""

from __future__ import annotations

from test_detect_signals import TH, W, base, run_factory  # noqa: F401

from graphfraud.detect.factory_sites import detect_factory_sites
from graphfraud.detect.inputs import DetectionInputs


def _tip(tip_id="TIP1", address_key="5928PA|1", match="street_number_place", score=0.97):
    return {"tip_id": tip_id, "received_on": "2023-05-01", "address_key": address_key,
            "address_match": match, "address_score": score, "plate": None, "phone": None,
            "trader_id": None}


def _factory(rows):
    return {f.primary: f for f in detect_factory_sites(DetectionInputs.from_rows(rows),
                                                       W["factory_site"], TH)}


# --- tips matched like addresses ------------------------------------------------------
def test_a_tip_matched_by_street_number_and_place_names_the_site_and_says_how():
    rows = base()
    rows["signal_tips"].append(_tip())
    reason = next(r for r in _factory(rows)["Premise:U1"].reasons
                  if r.signal == "tip_names_site")
    assert "by street, number and place without a postcode" in reason.evidence
    assert "0.97" in reason.evidence and reason.refs == ("Tip:TIP1",)
    rows = base()  # the tip's address resolved to another door: nothing
    rows["signal_tips"].append(_tip(address_key="5928PA|1B"))
    assert "tip_names_site" not in run_factory(rows)
    rows = base()  # by postcode: the signal, without the street remark
    rows["signal_tips"].append(_tip(match="postcode", score=None))
    reason = next(r for r in _factory(rows)["Premise:U1"].reasons
                  if r.signal == "tip_names_site")
    assert "street" not in reason.evidence


# --- spatial evidence near a site -----------------------------------------------------
def _pack(i, brand="Raquel", lat=51.372, lon=6.171):
    return {"pack_id": f"EPS-{i}", "year": 2023, "brand": brand, "lat": lat, "lon": lon,
            "municipality": "Venlo"}


def _finding(check, brand="Raquel", lat=51.40, lon=6.20):
    return {"check_id": check, "line_id": f"{check}-1", "checked_on": "2023-06-01",
            "outcome": "fined", "classification": "illicit_white", "brand": brand,
            "product": "cigarettes", "quantity": 10, "outlet": "O1", "city": "Tegelen",
            "lat": lat, "lon": lon, "supplier": None, "candidates": []}


def test_a_brand_rare_nationally_but_in_the_packs_around_the_site_fires():
    rows = base()  # the site U1 is at 51.37, 6.17
    rows["signal_eps_packs"] = [_pack(i) for i in range(4)] + [_pack(9, lat=52.37, lon=4.89)]
    reason = next(r for r in _factory(rows)["Premise:U1"].reasons
                  if r.signal == "eps_brand_near_site")
    assert "4 of the 5" in reason.evidence and "Raquel" in reason.evidence
    assert reason.refs[0].startswith("EpsPack:EPS-")
    # the same packs 3 km away: not near this site
    rows["signal_eps_packs"] = [_pack(i, lat=51.397) for i in range(4)]
    assert "eps_brand_near_site" not in run_factory(rows)
    # a brand sold everywhere: 4 near the site of 20 nationally is no concentration
    rows["signal_eps_packs"] = [_pack(i) for i in range(4)] + [
        _pack(100 + i, lat=52.0 + i / 10, lon=5.0) for i in range(16)]
    assert "eps_brand_near_site" not in run_factory(rows)


def test_retail_findings_of_the_near_brand_within_15_km_fire():
    rows = base()
    rows["signal_eps_packs"] = [_pack(i) for i in range(3)]
    rows["signal_check_lines"] = [_finding("C1"), _finding("C2", lat=51.45, lon=6.10),
                                  _finding("C3", lat=53.2, lon=6.5)]  # Groningen: far off
    got = run_factory(rows)
    assert "retail_brand_near_site" in got and "retail_findings_nearby" not in got
    reason = next(r for r in _factory(rows)["Premise:U1"].reasons
                  if r.signal == "retail_brand_near_site")
    assert reason.refs == ("RetailCheck:C1", "RetailCheck:C2") and "2 of the 3" in reason.evidence
    rows["signal_check_lines"] = [_finding("C1", brand="Marlboro"),
                                  _finding("C2", brand="Marlboro", lat=51.45, lon=6.10)]
    assert "retail_brand_near_site" not in run_factory(rows)  # not the brand of the packs


# --- diversion by product -------------------------------------------------------------
def _diversion(rows, primary):
    from graphfraud.detect.diversion import detect_diversion

    found = detect_diversion(DetectionInputs.from_rows(rows), W["diversion"], TH)
    assert len({f.primary for f in found}) == len(found)  # one finding per primary
    return {r.signal for f in found if f.primary == primary for r in f.reasons}


def _type8(arc, epcs, changes=0):
    from test_detect_signals import movement

    return movement(arc, "W1", None, destination_type="8", epcs=epcs,
                    delivery_place="Dorpsstraat 4, 5928 PA Venlo", destination_changes=changes)


def test_type_8_counts_for_tobacco_and_not_for_energy_products():
    rows = base()
    rows["signal_traders"].append(trader_at("FARM", "5928PA|4"))
    rows["signal_movements"] += [_type8("F1", ["T200"]), _type8("F2", ["T200"], changes=2)]
    got = _diversion(rows, "Trader:FARM")
    assert {"destination_type_unknown", "repeated_destination_changes"} <= got
    rows = base()  # the same e-ADs of gas oil: routine, no finding at all
    rows["signal_traders"].append(trader_at("FARM", "5928PA|4"))
    rows["signal_movements"] += [_type8("F1", ["E430"]), _type8("F2", ["E430"], changes=2)]
    assert _diversion(rows, "Trader:FARM") == set()


def trader_at(tid, key):
    from test_detect_signals import trader

    return trader(tid, address_key=key, sbi_code="0161")


def _export(arc, status="accepted", received=None, changes=1, epcs=("T200",),
            dispatched="2023-01-10T08:00:00Z"):
    from test_detect_signals import movement

    return movement(arc, "IMP", None, destination_type="6", status=status,
                    received_at=received, receipt_conclusion="21" if received else None,
                    destination_changes=changes, epcs=list(epcs), dispatched_at=dispatched)


def test_exports_that_never_close_fire_per_consignor_and_stay_quiet():
    from test_detect_signals import trader

    rows = base()
    rows["signal_traders"].append(trader("IMP", excise_status="authorised_warehousekeeper"))
    rows["signal_movements"] += [_export("X1"), _export("X2", status="manually_closed",
                                                        changes=0)]
    assert _diversion(rows, "Trader:IMP") == {"export_never_closed",
                                              "export_after_destination_changes"}
    quiet = [
        [_export("X1", status="delivered", received="2023-01-12"),
         _export("X2", status="delivered", received="2023-01-13")],  # reported out
        [_export("X1", epcs=("E430",)), _export("X2", epcs=("E430",))],  # energy
        [_export("X1")],  # one alone
        [_export("X1", dispatched="2023-03-01T08:00:00Z"),  # still on its way
         _export("X2", dispatched="2023-03-01T08:00:00Z")],
    ]
    for extra in quiet:
        rows = base()
        rows["signal_traders"].append(trader("IMP", excise_status="authorised_warehousekeeper"))
        rows["signal_movements"] += extra
        assert "export_never_closed" not in _diversion(rows, "Trader:IMP"), extra


# --- the waterpipe workshop in a farm barn rented to a webshop --------------------------
def _barn_rows(excise_status="none", sbi="4791", named=3, kind="farm"):
    from test_detect_signals import trader

    rows = base()
    rows["signal_traders"].append(trader("WEB", sbi_code=sbi, excise_status=excise_status,
                                         registered_on="2022-06-01"))
    rows["signal_premises"].append({"premise_id": "B1", "kind": kind, "excise_number": None,
                                    "lease_start": "2023-01-01", "lease_end": None,
                                    "address_key": "7451AB|3", "city": "Holten", "lat": 52.28,
                                    "lon": 6.42, "operator": "WEB"})
    rows["signal_check_lines"] = [
        {**_finding(f"W{i}", brand="Nargila Gold", lat=52.0 + i / 10, lon=5.0),
         "product": "waterpipe", "classification": "no_tax_stamp", "supplier": "WEB"}
        for i in range(named)]
    return rows


def _barn(rows):
    found = _factory(rows)
    return {r.signal: r for r in found["Premise:B1"].reasons} if "Premise:B1" in found else {}


def test_the_barn_of_a_webshop_named_on_unstamped_waterpipe_is_a_site():
    got = _barn(_barn_rows())
    assert {"waterpipe_supplier_works_here", "farm_rented_to_non_farmer"} <= set(got)
    assert got["waterpipe_supplier_works_here"].refs[:2] == ("Trader:WEB", "RetailCheck:W0")
    assert "new_tenant" in got  # registered seven months before the lease
    assert "waterpipe_supplier_works_here" not in _barn(_barn_rows(named=1))
    assert "waterpipe_supplier_works_here" not in _barn(
        _barn_rows(excise_status="registered_consignee"))  # an authorised trader: its licences
    assert "farm_rented_to_non_farmer" not in _barn(_barn_rows(sbi="0141"))  # a farmer
    assert "farm_rented_to_non_farmer" not in _barn(_barn_rows(kind="storage"))


# --- titles read like addresses (issue 18's trial) -------------------------------------
def test_a_site_title_reads_street_number_postcode_city_never_the_key():
    rows = base()
    rows["signal_premises"][0].update(street="Industrieweg", house_number="1",
                                      postcode="5928PA")
    rows["signal_tips"].append(_tip(match="postcode", score=None))
    title = _factory(rows)["Premise:U1"].title
    assert title == "industrial unit Industrieweg 1, 5928PA Venlo"
    rows["signal_premises"][0].update(street=None, house_number=None, postcode=None)
    assert "|" not in _factory(rows)["Premise:U1"].title
