"""Retail supply chain: from outlets with illicit findings back to the supplier they name.

A supplier is suspect when several outlets with illicit whites, counterfeits or unstamped
packs name it (by id, KvK number, or a name resolved by entity resolution), when it
received e-ADs of the very brands found illicit at those outlets, and when it shares
people or an address with them.
"""

from __future__ import annotations

from collections import defaultdict

from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.scoring import Finding, Reason

VERSION = "1.0"
#: the named queries (cypher/signals/) whose rows this detector reads
INPUTS = ("signal_check_lines", "signal_movements", "signal_traders", "signal_roles")
ILLICIT = frozenset({"illicit_white", "counterfeit", "no_tax_stamp"})


def supplier_findings(inputs: DetectionInputs) -> dict[str, list[dict]]:
    """supplier -> the illicit check lines whose outlet named it."""
    out: dict[str, list[dict]] = defaultdict(list)
    for line in inputs.check_lines:
        if line.get("supplier") and line.get("classification") in ILLICIT and \
                line.get("supplier") != line.get("outlet"):
            out[line["supplier"]].append(line)
    return out


def detect_retail_chain(inputs: DetectionInputs, weights: dict[str, float],
                        thresholds: dict[str, float]) -> list[Finding]:
    inbound_brands: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for m in inputs.movements:
        if m.get("consignee"):
            for b in m.get("brands") or []:
                if b:
                    inbound_brands[m["consignee"]][b].append(m["arc"])
    people = {tid: {r["person_id"] for r in roles} for tid, roles in
              inputs.roles_by_trader.items()}
    results = []
    for supplier, lines in sorted(supplier_findings(inputs).items()):
        outlets = sorted({ln["outlet"] for ln in lines if ln.get("outlet")})
        if len(outlets) < 2:
            continue
        t = inputs.trader.get(supplier, {})
        checks = sorted({ln["check_id"] for ln in lines})
        reasons = [Reason("named_by_outlets_with_findings",
                          weights["named_by_outlets_with_findings"],
                          f"{len(outlets)} outlets with illicit findings name it as supplier",
                          tuple(f"RetailCheck:{c}" for c in checks[:8]))]
        if len(outlets) >= 4:
            reasons.append(Reason("many_outlets", weights["many_outlets"],
                                  f"{len(outlets)} outlets", tuple(f"Trader:{o}"
                                                                   for o in outlets[:8])))
        brands = sorted({ln["brand"] for ln in lines if ln.get("brand")})
        arcs = sorted({a for b in brands for a in inbound_brands.get(supplier, {}).get(b, [])})
        if arcs:
            reasons.append(Reason("inbound_same_brand", weights["inbound_same_brand"],
                                  f"received {len(arcs)} e-AD(s) of {', '.join(brands[:3])}, "
                                  "found illicit at its outlets",
                                  tuple(f"Movement:{a}" for a in arcs[:6])))
        shared = sorted(o for o in outlets if people.get(o, set()) & people.get(supplier, set())
                        or (t.get("address_key") and inputs.trader.get(o, {}).get("address_key")
                            == t.get("address_key")))
        if shared:
            reasons.append(Reason("shared_people_or_address",
                                  weights["shared_people_or_address"],
                                  f"shares directors or address with {len(shared)} outlet(s)",
                                  tuple(f"Trader:{o}" for o in shared[:6])))
        finding = Finding("retail_supply_chain", f"Trader:{supplier}",
                          f"supplier {t.get('name', supplier)} named by {len(outlets)} outlets",
                          reasons, {"traders": [supplier, *outlets], "movements": arcs[:30],
                                    "addresses": [t["address_key"]] if t.get("address_key")
                                    else []},
                          {"municipality": t.get("city"), "lat": t.get("lat"),
                           "lon": t.get("lon")})
        if finding.score >= thresholds["min_score"]:
            results.append(finding)
    return results
