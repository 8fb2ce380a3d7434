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
