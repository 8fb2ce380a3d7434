"""Phoenix successions: a company dissolves and another rises at its address or under
its director within 36 months, often leaving debts (and excise duty) behind."""

from __future__ import annotations

from collections import defaultdict

from graphfraud.detect.geo import months_between
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.scoring import Finding, Reason

VERSION = "1.0"
#: the named queries (cypher/signals/) whose rows this detector reads
INPUTS = ("signal_traders", "signal_roles")


def successions(inputs: DetectionInputs, months: float) -> list[dict]:
    """(dissolved, successor) pairs with what ties them: address and/or director."""
    directors_of: dict[str, set[str]] = defaultdict(set)
    for r in inputs.rows["signal_roles"]:
        if r["role"] in ("director", "ubo", "shareholder"):
            directors_of[r["trader_id"]].add(r["person_id"])
    companies_of: dict[str, set[str]] = defaultdict(set)
    for tid, persons in directors_of.items():
        for p in persons:
            companies_of[p].add(tid)
    pairs = []
    for dead in inputs.traders:
        if dead.get("status") not in ("dissolved", "bankrupt") or not dead.get("dissolved_on"):
            continue
        near: set[str] = set(inputs.traders_at_address.get(dead.get("address_key") or "", []))
        for p in directors_of.get(dead["trader_id"], ()):
            near |= companies_of[p]
        for succ_id in sorted(near - {dead["trader_id"]}):
            succ = inputs.trader.get(succ_id, {})
            gap = months_between(dead["dissolved_on"], succ.get("registered_on"))
            if gap is None or not -3 <= gap <= months:
                continue
            shared = sorted(directors_of.get(dead["trader_id"], set())
                            & directors_of.get(succ_id, set()))
            pairs.append({"dead": dead["trader_id"], "successor": succ_id, "gap_months": gap,
                          "same_address": bool(dead.get("address_key"))
                          and dead.get("address_key") == succ.get("address_key"),
                          "directors": shared,
                          "same_activity": bool(dead.get("sbi_code"))
                          and dead.get("sbi_code") == succ.get("sbi_code")})
    return pairs


def detect_phoenix(inputs: DetectionInputs, weights: dict[str, float],
                   thresholds: dict[str, float]) -> list[Finding]:
    by_successor: dict[str, list[dict]] = defaultdict(list)
    for pair in successions(inputs, thresholds["phoenix_months"]):
        by_successor[pair["successor"]].append(pair)
    results = []
    for succ, pairs in sorted(by_successor.items()):
        pairs.sort(key=lambda p: (not p["directors"], not p["same_address"], p["dead"]))
        best = pairs[0]
        if not best["directors"]:
            continue  # a new shop at an old shop's address is ordinary; a director ties them
        t = inputs.trader.get(succ, {})
        dead = best["dead"]
        reasons = [Reason("same_director", weights["same_director"],
                          f"director {', '.join(best['directors'])} led {dead}, dissolved "
                          f"{inputs.trader[dead].get('dissolved_on')}",
                          (f"Trader:{dead}", *(f"Person:{p}" for p in best["directors"])))]
        if best["same_address"]:
            reasons.append(Reason("same_address", weights["same_address"],
                                  f"registered at the same address {t.get('address_key')}",
                                  (f"Address:{t.get('address_key')}",)))
        reasons.append(Reason("within_36_months", weights["within_36_months"],
                              f"registered {best['gap_months']:.0f} months after the "
                              "dissolution", (f"Trader:{succ}",)))
        if best["same_activity"]:
            reasons.append(Reason("same_activity", weights["same_activity"],
                                  f"same activity code {t.get('sbi_code')}", (f"Trader:{succ}",)))
        finding = Finding("phoenix", f"Trader:{succ}",
                          f"{t.get('name', succ)} succeeds {inputs.trader[dead].get('name')}",
                          reasons,
                          {"traders": [succ] + [p["dead"] for p in pairs],
                           "persons": sorted({d for p in pairs for d in p["directors"]}),
                           "addresses": [t["address_key"]] if t.get("address_key") else []},
                          {"municipality": t.get("city"), "lat": t.get("lat"),
                           "lon": t.get("lon")})
        if finding.score >= thresholds["min_score"]:
            results.append(finding)
    return results
