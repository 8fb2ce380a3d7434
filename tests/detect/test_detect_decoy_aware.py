"""The issue-13 signals on hand-built inputs: each fires where it must and stays quiet on
its look-alike decoy (a refusal put right, a machine sold to a licensed buyer, a trust
office's nominee, a wholesaler named as cover)."""

from __future__ import annotations

from test_detect_signals import (
    TH,
    W,
    _illicit_lines,
    _licence,
    _phoenix_rows,
    _seizure,
    base,
    run_factory,
    run_phoenix,
    trader,
)

from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.phoenix import detect_phoenix
from graphfraud.detect.retail_chain import detect_retail_chain


def _role(person, tid, role="director", **kw):
    return {"person_id": person, "trader_id": tid, "role": role, "since": None,
            "until": None, **kw}


# --- factory sites: decoy-aware licences ---------------------------------------------
def test_a_refusal_put_right_by_a_grant_for_the_same_machine_is_no_refusal():
    rows = base()
    rows["signal_licences"] += [_licence("refused"), {**_licence("granted"), "licence_id": "L2",
                                                      "valid_until": "2028-01-01"}]
    assert "licence_refused_revoked_expired" not in run_factory(rows)
    rows = base()  # the grant is for another machine: the refusal stands
    rows["signal_licences"] += [_licence("refused"), {**_licence("granted"), "licence_id": "L2",
                                                      "machine_id": "M2"}]
    assert "licence_refused_revoked_expired" in run_factory(rows)


def test_an_expiry_at_a_holder_with_current_licences_is_weak():
    rows = base()
    rows["signal_licences"] += [{**_licence("expired"), "valid_until": "2020-01-01"},
                                {**_licence("granted"), "licence_id": "L2", "machine_id": "M2",
                                 "valid_until": "2028-01-01"}]
    got = run_factory(rows)
    assert "licence_lapsed_at_licensed_holder" in got
    assert "licence_refused_revoked_expired" not in got
    rows = base()  # nothing current: the expiry counts in full
    rows["signal_licences"].append({**_licence("expired"), "valid_until": "2020-01-01"})
    got = run_factory(rows)
    assert "licence_refused_revoked_expired" in got
    assert "licence_lapsed_at_licensed_holder" not in got


def _moved_in():
    return {"event_id": "E2", "machine_id": "M9", "event": "moved", "at": "2023-01-05",
            "from_premise": "TW1", "to_premise": "U1", "to_address": "5928PA|1"}


def test_a_machine_moved_into_a_site_licensed_for_it_is_not_missing_or_moved():
    rows = base()
    rows["signal_machine_events"].append(_moved_in())
    rows["signal_licences"].append({**_licence("granted"), "machine_id": "M9",
                                    "site_address": "5928PA|1"})
    assert "licensed_machine_missing_or_moved" not in run_factory(rows)
    rows = base()  # licensed here, but for another machine: the move counts
    rows["signal_machine_events"].append(_moved_in())
    rows["signal_licences"].append({**_licence("granted"), "machine_id": "M1",
                                    "site_address": "5928PA|1"})
    assert "licensed_machine_missing_or_moved" in run_factory(rows)


# --- factory sites: evidence through people and phones -------------------------------
def _front(tie: str, roles_of_person: int = 2):
    rows = base()
    rows["signal_traders"].append(trader("FRONT", address_key="1011AA|9"))
    rows["signal_seizures"].append({**_seizure("acetate_tow", "1011AA|9"), "trader_id": "FRONT"})
    if tie == "proxy":
        rows["signal_roles"] += [_role("P1", "OP", "proxy"), _role("P1", "FRONT")]
        rows["signal_roles"] += [_role("P1", f"X{i}") for i in range(roles_of_person - 2)]
    elif tie == "phone":
        rows["signal_identifiers"] += [{"owner_kind": "trader", "owner": t, "kind": "phone",
                                        "value": "+31612345678"} for t in ("OP", "FRONT")]
    return rows


def test_precursors_seized_at_a_company_tied_by_a_proxy_or_phone_reach_the_site():
    for tie in ("proxy", "phone"):
        got = run_factory(_front(tie))
        assert "precursors_at_tied_company" in got, tie
        assert "precursor_seizure" not in got
    assert "precursors_at_tied_company" not in run_factory(_front("none"))
    # a nominee with ten roles ties nothing
    assert "precursors_at_tied_company" not in run_factory(_front("proxy", roles_of_person=10))


def test_tied_company_evidence_names_the_seizure_the_company_and_the_path():
    from graphfraud.detect.factory_sites import detect_factory_sites

    found = detect_factory_sites(DetectionInputs.from_rows(_front("phone")), W["factory_site"], TH)
    reason = next(r for f in found for r in f.reasons if r.signal == "precursors_at_tied_company")
    assert {"Seizure:S1", "Trader:FRONT", "Phone:+31612345678"} <= set(reason.refs)
    assert reason.weight < W["factory_site"]["precursor_seizure"]  # one hop weaker


# --- phoenix: the whole circle -------------------------------------------------------
def _circle(relative=True, proxy=True, phone=True, bankrupt=True, days_after=True):
    """OLD (led by P1) went down 2021-01-01; NEW at another address, led by P2."""
    rows = _phoenix_rows(same_address=False, months=0, director=False)
    if bankrupt:
        rows["signal_traders"][-2].update(status="bankrupt")
    rows["signal_traders"][-1].update(registered_on="2021-01-10" if days_after else "2022-06-01")
    home = "6211AA|4"
    rows["signal_roles"] += [
        _role("P1", "OLD", full_name="Ahmet Yilmaz", home_address=home),
        _role("P2", "NEW", full_name="Emre Yilmaz",
              home_address=home if relative else "6211AA|8")]
    if proxy:
        rows["signal_roles"].append(_role("P1", "NEW", "proxy", full_name="Ahmet Yilmaz",
                                          home_address=home))
    if phone:
        rows["signal_identifiers"] += [{"owner_kind": "trader", "owner": t, "kind": "phone",
                                        "value": "+31455551234"} for t in ("OLD", "NEW")]
    return rows


def test_phoenix_circle_signals_fire_and_stay_quiet():
    got = run_phoenix(_circle())
    assert {"same_director", "relative_in_charge", "same_phone_or_email",
            "bankrupt_predecessor", "short_gap"} <= got
    assert "same_director" not in run_phoenix(_circle(proxy=False))
    assert "relative_in_charge" not in run_phoenix(_circle(relative=False))
    assert "same_phone_or_email" not in run_phoenix(_circle(phone=False))
    assert "bankrupt_predecessor" not in run_phoenix(_circle(bankrupt=False))
    assert "short_gap" not in run_phoenix(_circle(days_after=False))
    # a relative alone (no proxy) is enough to tie them; a phone alone is not
    assert "relative_in_charge" in run_phoenix(_circle(proxy=False, phone=False))
    assert run_phoenix(_circle(proxy=False, relative=False)) == set()


def test_a_nominee_director_ties_no_succession():
    rows = _phoenix_rows()  # same director P1, same address: a phoenix
    assert "same_director" in run_phoenix(rows)
    rows["signal_roles"] += [_role("P1", f"H{i}") for i in range(8)]  # P1 now has 10 roles
    assert run_phoenix(rows) == set()


def test_a_successor_registered_before_the_dissolution_says_so():
    rows = _phoenix_rows(months=0)
    rows["signal_traders"][-1].update(registered_on="2020-11-01")
    found = detect_phoenix(DetectionInputs.from_rows(rows), W["phoenix"], TH)
    text = next(r.evidence for f in found for r in f.reasons if r.signal == "within_36_months")
    assert "before the dissolution" in text


# --- retail: a supplier named as cover -----------------------------------------------
def test_a_supplier_named_mostly_on_clean_lines_is_damped():
    def score(clean: int) -> float:
        rows = base()
        rows["signal_check_lines"] += _illicit_lines(4)
        rows["signal_check_lines"] += _illicit_lines(4, supplier="OTHERSUP")
        rows["signal_check_lines"] += [  # the other suppliers' namings: 4 of 10 illicit
            {**ln, "line_id": f"W{i}", "check_id": f"W{i}"}
            for i, ln in enumerate(_illicit_lines(6, supplier="W1", cls="non_domestic_legal"))]
        rows["signal_check_lines"] += [
            {**ln, "line_id": f"K{i}", "check_id": f"K{i}"}
            for i, ln in enumerate(_illicit_lines(clean, cls="non_domestic_legal"))]
        found = detect_retail_chain(DetectionInputs.from_rows(rows), W["retail_supply_chain"],
                                    TH)
        return next(f for f in found if f.primary == "Trader:SUP").score

    assert score(0) > 0.5
    assert score(2) == score(0)  # 4 of 6 illicit, against 4 of 10 elsewhere: no damping
    assert score(40) < 0.25  # 4 of 44: lift 0.23, named as cover


# --- diversion: per consignor and per flow -------------------------------------------
def _fan(n_consignees=5, temporary=True, loads=1, journey="H03", far=True):
    """Warehouse FW (far away) sends `loads` e-AD(s) to each of n consignees."""
    from test_detect_signals import movement

    rows = base()
    rows["signal_traders"].append(trader("FW", excise_status="authorised_warehousekeeper"))
    for i in range(n_consignees):
        rows["signal_traders"].append(trader(
            f"TC{i}", registered_on="2023-02-01" if temporary else "2010-01-01",
            excise_status="temporary_registered_consignee" if temporary
            else "registered_consignee"))
        rows["signal_movements"] += [
            movement(f"F{i}-{k}", "FW", f"TC{i}", destination_type="3", journey_time=journey,
                     from_lat=45.0 if far else 51.3, from_lon=25.0 if far else 6.1,
                     received_at="2023-03-06") for k in range(loads)]
    return rows


def _diversion(rows, primary):
    from graphfraud.detect.diversion import detect_diversion

    found = detect_diversion(DetectionInputs.from_rows(rows), W["diversion"], TH)
    return {r.signal for f in found if f.primary == primary for r in f.reasons}


def test_fan_out_to_new_consignees_fires_per_consignor_and_stays_quiet():
    assert {"fan_out_to_new_consignees", "declared_journey_impossible",
            "always_satisfactory"} <= _diversion(_fan(), "Trader:FW")
    assert _diversion(_fan(n_consignees=4), "Trader:FW") == set()  # too few
    assert _diversion(_fan(temporary=False), "Trader:FW") == set()  # established consignees
    assert _diversion(_fan(loads=3), "Trader:FW") == set()  # each receives enough to stand out


def test_declared_journey_impossible_fires_and_stays_quiet():
    assert "declared_journey_impossible" in _diversion(_fan(loads=3), "Trader:TC0")
    # two days declared for the same 2,000 km: possible
    assert "declared_journey_impossible" not in _diversion(_fan(loads=3, journey="D02"),
                                                           "Trader:TC0")
    # three hours declared for a short trip: possible
    assert "declared_journey_impossible" not in _diversion(_fan(loads=3, far=False),
                                                           "Trader:TC0")


# --- retail: supply chains through people --------------------------------------------
def _hidden_chain(tie: str = "people", receives: bool = True, n: int = 2):
    """Outlets O0..O(n-1) with illicit findings name nobody; SUP is tied to them."""
    from test_detect_signals import movement

    rows = base()
    rows["signal_check_lines"] += _illicit_lines(n, supplier=None)
    if receives:
        rows["signal_movements"].append(movement("IN1", "W1", "SUP", brands=["Acme"]))
    rows["signal_roles"] += [_role("D", "SUP", full_name="Jan Bakker", home_address="1011AA|7"),
                             _role("E", "SUP", "employee", full_name="Piet de Vries",
                                   home_address="1011AA|8")]
    if tie == "people":
        rows["signal_roles"] += [_role("D", "O0", "shareholder", full_name="Jan Bakker",
                                       home_address="1011AA|7"),
                                 _role("K", "O1", full_name="Anna Bakker",
                                       home_address="1011AA|7")]  # a relative of D
    elif tie == "phone":
        rows["signal_identifiers"] += [
            {"owner_kind": "person", "owner": "E", "kind": "phone", "value": "+31611111111"},
            *[{"owner_kind": "trader", "owner": f"O{i}", "kind": "phone",
               "value": "+31611111111"} for i in range(n)]]
    return rows


def test_outlets_tied_through_people_or_phones_reach_their_supplier():
    from test_detect_signals import run_retail

    assert "tied_outlets_with_findings" in run_retail(_hidden_chain("people"))
    assert "tied_outlets_with_findings" in run_retail(_hidden_chain("phone"))
    assert "tied_outlets_with_findings" not in run_retail(_hidden_chain("none"))
    # one tied outlet is not a chain; a trader receiving no e-ADs is no supplier
    assert "tied_outlets_with_findings" not in run_retail(_hidden_chain("phone", n=1))
    assert "tied_outlets_with_findings" not in run_retail(_hidden_chain("people",
                                                                        receives=False))


def test_tied_outlet_evidence_names_the_path():
    found = detect_retail_chain(DetectionInputs.from_rows(_hidden_chain("people")),
                                W["retail_supply_chain"], TH)
    reason = next(r for f in found for r in f.reasons if r.signal == "tied_outlets_with_findings")
    assert "relative" in reason.evidence and {"Trader:O0", "Trader:O1"} <= set(reason.refs)


def _shuttle(next_dispatch: str, same_consignor: bool = True):
    """W1 (far away) sends plate VX-1 to CE on day 1 and again the next day."""
    from test_detect_signals import movement

    rows = base()
    far = {"from_lat": 50.05, "from_lon": 14.45, "plates": ["VX-1"]}
    rows["signal_movements"][0].update(dispatched_at="2023-03-01T07:00:00Z",
                                       received_at="2023-03-01", **far)
    rows["signal_movements"].append(movement("S2", "W1" if same_consignor else "W2", "CE",
                                             dispatched_at=next_dispatch,
                                             received_at="2023-03-04", **far))
    return rows


def test_vehicle_cannot_be_back_fires_and_stays_quiet():
    # received at the end of 1 March at the latest, 750+ road km from Prague: back by
    # about 10:00 on 2 March at the earliest
    assert "vehicle_cannot_be_back" in _diversion(_shuttle("2023-03-02T06:00:00Z"),
                                                  "Trader:CE")
    assert "vehicle_cannot_be_back" not in _diversion(_shuttle("2023-03-02T16:00:00Z"),
                                                      "Trader:CE")
    # another consignor's trip: the vehicle need not have driven back
    assert "vehicle_cannot_be_back" not in _diversion(
        _shuttle("2023-03-02T06:00:00Z", same_consignor=False), "Trader:CE")
