"""Diversion: duty-suspended goods that never reach a real consignee.

Scored per consignee: a temporary or brand-new authorisation, e-ADs to an unknown
destination (type 8), receipts faster than the road allows, one vehicle on two trips at
once, repeated changes of destination, receiving much while never dispatching, and
receipts always satisfactory where the consignee's peers report shortages, declared
journey times the road cannot meet, and a vehicle dispatched again sooner after a receipt
than it could have driven back. Scored per consignor too: loads fanned out over many
new or temporary consignees that each receive too little to stand out on their own, and
exports that never close. Destination type 8 and changes of destination are read by
product: legal for energy products (`diversion_product`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from graphfraud.detect.diversion_product import (
    energy_only,
    legal_type_8,
    unclosed_export_findings,
)
from graphfraud.detect.geo import (
    address_key_from_text,
    declared_hours,
    haversine_km,
    months_between,
    parse_instant,
)
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.scoring import Finding, Reason, trader_location

VERSION = "1.3"
#: the named queries (cypher/signals/) whose rows this detector reads
INPUTS = ("signal_movements", "signal_traders")
ROAD_FACTOR = 1.25  # road distance over great-circle distance, typical for NL/BE/DE
MIN_RECEIPTS = 3
MAX_AT_PLACE = 3  # traders registered at one delivery place that can still be told apart


def too_fast(m: dict[str, Any], max_kmh: float) -> tuple[float, float] | None:
    """(km, hours) when the receipt came sooner than the distance allows, else None.

    A receipt carries a date only; it is read as the end of that day, the most
    favourable reading for the trader, so only impossible journeys are flagged.
    """
    if None in (m.get("from_lat"), m.get("from_lon"), m.get("to_lat"), m.get("to_lon")):
        return None
    start, end = parse_instant(m.get("dispatched_at")), parse_instant(m.get("received_at"))
    if start is None or end is None:
        return None
    if len(m["received_at"]) == 10:
        end = end.replace(hour=23, minute=59)
    km = haversine_km(m["from_lat"], m["from_lon"], m["to_lat"], m["to_lon"]) * ROAD_FACTOR
    hours = (end - start).total_seconds() / 3600
    if km > 50 and hours < km / max_kmh:
        return km, hours
    return None


def declared_impossible(m: dict[str, Any], max_kmh: float) -> tuple[float, float] | None:
    """(km, declared hours) when the e-AD's own declared journey time is shorter than the
    road distance allows at `max_kmh`, else None: the declaration itself is impossible."""
    hours = declared_hours(m.get("journey_time"))
    if hours is None or None in (m.get("from_lat"), m.get("from_lon"), m.get("to_lat"),
                                 m.get("to_lon")):
        return None
    km = haversine_km(m["from_lat"], m["from_lon"], m["to_lat"], m["to_lon"]) * ROAD_FACTOR
    return (km, hours) if km > 50 and hours < km / max_kmh else None


def overlapping_plates(movements: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """plate -> pairs of ARCs whose trips (dispatch to receipt) overlap in time."""
    trips: dict[str, list[tuple[Any, Any, str]]] = defaultdict(list)
    for m in movements:
        start, end = parse_instant(m.get("dispatched_at")), parse_instant(m.get("received_at"))
        if start is None or end is None:
            continue
        for plate in m.get("plates") or []:
            trips[plate].append((start, end, m["arc"]))
    out: dict[str, list[tuple[str, str]]] = {}
    for plate, items in trips.items():
        items.sort()
        pairs = []
        for (s1, e1, a1), (s2, _e2, a2) in zip(items, items[1:], strict=False):
            if s2 < e1 and a1 != a2 and (e1 - s1).days < 5:
                pairs.append((a1, a2))
        if pairs:
            out[plate] = pairs
    return out


#: a vehicle's return leg counts only beyond this many road km (short hops are too
#: uncertain with receipts dated by day)
MIN_RETURN_KM = 300


def impossible_returns(movements: list[dict[str, Any]], max_kmh: float,
                       ) -> dict[str, list[tuple[str, str, float, float]]]:
    """plate -> (ARC, next ARC, km, hours): a vehicle shuttling between one consignor and
    one consignee was dispatched on its next trip sooner after its previous receipt than
    the road back allows: the load was never driven all the way. The receipt is read as the end of its day, the reading
    most favourable to the trader, so only impossible sequences are flagged."""
    trips: dict[str, list[tuple[dt.datetime, dt.datetime, dict[str, Any]]]] = defaultdict(list)
    for m in movements:
        start, end = parse_instant(m.get("dispatched_at")), parse_instant(m.get("received_at"))
        if start is None or end is None:
            continue
        if len(m["received_at"]) == 10:
            end = end.replace(hour=23, minute=59)
        for plate in m.get("plates") or []:
            trips[plate].append((start, end, m))
    out: dict[str, list[tuple[str, str, float, float]]] = {}
    for plate, items in trips.items():
        items.sort(key=lambda x: (x[0], x[2]["arc"]))
        found = []
        for (_s1, e1, m1), (s2, _e2, m2) in zip(items, items[1:], strict=False):
            if m1["arc"] == m2["arc"] or s2 <= e1 or m1.get("consignor") != m2.get("consignor") \
                    or m1.get("consignee") != m2.get("consignee") or None in (
                    m1.get("to_lat"), m1.get("to_lon"), m2.get("from_lat"), m2.get("from_lon")):
                continue  # an overlap is vehicle_on_overlapping_trips' business
            km = haversine_km(m1["to_lat"], m1["to_lon"], m2["from_lat"], m2["from_lon"]) \
                * ROAD_FACTOR
            hours = (s2 - e1).total_seconds() / 3600
            if km >= MIN_RETURN_KM and hours < km / max_kmh:
                found.append((m1["arc"], m2["arc"], km, hours))
        if found:
            out[plate] = found
    return out


def unknown_consignee_receivers(inputs: DetectionInputs, m: dict[str, Any],
                                ) -> list[tuple[str, dict[str, Any]]]:
    """Who received an e-AD to an unknown consignee (type 8): the traders registered at
    its delivery place, if at most MAX_AT_PLACE are (more is a business building, not a
    lead), each with the movement as if delivered to its registered address.

    Used when the e-AD has no consignee, or changed destination: type 8 has no consignee
    by definition, so a link left from before the change names a former consignee.
    """
    key = address_key_from_text(m.get("delivery_place"))
    traders = inputs.traders_at_address.get(key, []) if key else []
    if not 1 <= len(traders) <= MAX_AT_PLACE:
        return []
    out = []
    for tid in sorted(traders):
        t = inputs.trader.get(tid, {})
        out.append((tid, {**m, "consignee": tid, "to_address": key, "to_lat": t.get("lat"),
                          "to_lon": t.get("lon")}))
    return out


def detect_diversion(inputs: DetectionInputs, weights: dict[str, float],
                     thresholds: dict[str, float]) -> list[Finding]:
    suspended = [m for m in inputs.movements if m.get("origin_type") in (None, "1")]
    received: dict[str, list[dict[str, Any]]] = defaultdict(list)
    dispatched: dict[str, int] = defaultdict(int)
    for m in inputs.movements:
        dispatched[m["consignor"]] += 1
    for m in suspended:
        if legal_type_8(m):  # energy products: type 8 is routine (diversion_product)
            continue
        if m.get("destination_type") == "8" and (
                not m.get("consignee") or (m.get("destination_changes") or 0) > 0):
            for tid, at_place in unknown_consignee_receivers(inputs, m):
                received[tid].append(at_place)
        elif m.get("consignee"):
            received[m["consignee"]].append(m)
    # Peers: consignees with enough receipts; their shortage rate is the yardstick.
    short_rates = [sum(1 for m in ms if m.get("short_lines")) / len(ms)
                   for ms in received.values() if len(ms) >= 10]
    peer_rate = sum(short_rates) / len(short_rates) if short_rates else 0.0
    plate_pairs = overlapping_plates(inputs.movements)
    arcs_on_overlap = {a for pairs in plate_pairs.values() for p in pairs for a in p}
    returns = impossible_returns(inputs.movements, thresholds["max_speed_kmh"])
    no_return: dict[str, list[tuple[str, str, str, float, float]]] = defaultdict(list)
    for plate, hits in returns.items():
        for a1, a2, km, hours in hits:
            no_return[a1].append((plate, a1, a2, km, hours))
            no_return[a2].append((plate, a1, a2, km, hours))
    results: list[Finding] = []
    for consignee, ms in sorted(received.items()):
        if len(ms) < MIN_RECEIPTS and not any(m.get("destination_type") == "8" for m in ms):
            continue
        t = inputs.trader.get(consignee, {})
        reasons: list[Reason] = []
        arcs = sorted(m["arc"] for m in ms)
        first = min((m.get("dispatched_at") or "")[:10] for m in ms)
        age = months_between(t.get("registered_on"), first)
        if t.get("excise_status") == "temporary_registered_consignee" or (
                age is not None and age < thresholds["recent_registration_months"]):
            why = ("temporary registered consignee"
                   if t.get("excise_status") == "temporary_registered_consignee"
                   else f"registered {t.get('registered_on')}, first receipt {first}")
            reasons.append(Reason("temporary_or_recent_consignee",
                                  weights["temporary_or_recent_consignee"], why,
                                  (f"Trader:{consignee}",)))
        dest8 = [m["arc"] for m in ms if m.get("destination_type") == "8"]
        if dest8:
            reasons.append(Reason("destination_type_unknown", weights["destination_type_unknown"],
                                  f"{len(dest8)} e-AD(s) with destination type 8 (unknown) "
                                  "delivered at its registered address",
                                  tuple(f"Movement:{a}" for a in dest8[:6])))
        reasons += _physics_reasons(ms, weights, thresholds, declared=False)
        overlap = sorted(a for a in arcs if a in arcs_on_overlap)
        if overlap:
            plates = sorted(p for p, pairs in plate_pairs.items()
                            if any(a in overlap for pair in pairs for a in pair))
            reasons.append(Reason("vehicle_on_overlapping_trips",
                                  weights["vehicle_on_overlapping_trips"],
                                  f"vehicle {', '.join(plates[:3])} on overlapping trips",
                                  tuple(f"Movement:{a}" for a in overlap[:6])
                                  + tuple(f"Vehicle:{p}" for p in plates[:3])))
        back = sorted({h for a in arcs for h in no_return.get(a, [])})
        if back:
            plate, a1, a2, km, hours = back[0]
            reasons.append(Reason("vehicle_cannot_be_back", weights["vehicle_cannot_be_back"],
                                  f"vehicle {plate} dispatched again {max(hours, 0):.1f} h after "
                                  f"a receipt {km:.0f} km away ({a1} then {a2}); "
                                  f"{len(back)} such sequence(s)",
                                  tuple(f"Movement:{a}" for h in back[:3] for a in h[1:3])
                                  + (f"Vehicle:{plate}",)))
        changes = [m["arc"] for m in ms if (m.get("destination_changes") or 0) >= 2
                   and not energy_only(m)]
        if changes:
            reasons.append(Reason("repeated_destination_changes",
                                  weights["repeated_destination_changes"],
                                  f"{len(changes)} e-AD(s) with 2+ changes of destination",
                                  tuple(f"Movement:{a}" for a in changes[:6])))
        if len(ms) >= MIN_RECEIPTS and dispatched.get(consignee, 0) == 0 and \
                t.get("excise_status") != "authorised_warehousekeeper":
            reasons.append(Reason("receives_never_dispatches",
                                  weights["receives_never_dispatches"],
                                  f"received {len(ms)} duty-suspended e-ADs, dispatched none",
                                  (f"Trader:{consignee}",)))
        receipts = [m for m in ms if m.get("receipt_conclusion")]
        if len(receipts) >= MIN_RECEIPTS and peer_rate >= 0.05 and \
                all(m["receipt_conclusion"] == "1" and not m.get("short_lines") for m in receipts):
            reasons.append(Reason("always_satisfactory", weights["always_satisfactory"],
                                  f"all {len(receipts)} receipts satisfactory without shortage; "
                                  f"peers report shortages on {100 * peer_rate:.0f}% of theirs",
                                  (f"Trader:{consignee}",)))
        reasons += [r for r in _physics_reasons(ms, weights, thresholds)
                    if r.signal == "declared_journey_impossible"]
        finding = Finding("diversion", f"Trader:{consignee}",
                          f"consignee {t.get('name', consignee)}", reasons,
                          {"traders": [consignee], "movements": arcs[:50],
                           "addresses": [t["address_key"]] if t.get("address_key") else []},
                          {"municipality": t.get("city"), "lat": t.get("lat"),
                           "lon": t.get("lon")})
        if reasons and finding.score >= thresholds["min_score"]:
            results.append(finding)
    results += fan_out_findings(inputs, suspended, received, weights, thresholds)
    return _merged(results + unclosed_export_findings(inputs, suspended, weights, thresholds))


def _merged(findings: list[Finding]) -> list[Finding]:
    """One finding per primary: a consignor found both by its fan-out and its exports
    gets one finding with both sets of reasons."""
    out: dict[str, Finding] = {}
    for f in findings:
        if f.primary in out:
            have = {r.signal for r in out[f.primary].reasons}
            out[f.primary].reasons += [r for r in f.reasons if r.signal not in have]
            for k, v in f.subjects.items():
                out[f.primary].subjects.setdefault(k, [])
                out[f.primary].subjects[k] += [x for x in v if x not in out[f.primary].subjects[k]]
        else:
            out[f.primary] = f
    return list(out.values())


def _physics_reasons(ms: list[dict[str, Any]], weights: dict[str, float],
                     thresholds: dict[str, float], declared: bool = True) -> list[Reason]:
    """Receipts sooner than the road allows and (with `declared`) declared journey times
    shorter than it, over these movements."""
    kmh = thresholds["max_speed_kmh"]
    out = []
    checks = [("journey_too_fast", too_fast, "receipt(s) sooner than the road allows",
               "in {h:.1f} h")]
    if declared:
        checks.append(("declared_journey_impossible", declared_impossible,
                       "e-AD(s) declare a journey shorter than the road allows",
                       "declared in {h:.0f} h"))
    for signal, test, what, how in checks:
        hits = [(m["arc"], v) for m in ms if (v := test(m, kmh))]
        if hits:
            arc, (km, hours) = hits[0]
            out.append(Reason(signal, weights[signal],
                              f"{len(hits)} {what}, e.g. {arc}: {km:.0f} km "
                              + how.format(h=max(hours, 0)),
                              tuple(f"Movement:{a}" for a, _ in hits[:6])))
    return out


def _new_or_temporary(t: dict[str, Any], first: str, months: float) -> bool:
    age = months_between(t.get("registered_on"), first)
    return t.get("excise_status") == "temporary_registered_consignee" or (
        age is not None and age < months)


def fan_out_findings(inputs: DetectionInputs, suspended: list[dict[str, Any]],
                     received: dict[str, list[dict[str, Any]]], weights: dict[str, float],
                     thresholds: dict[str, float]) -> list[Finding]:
    """Per consignor: loads spread over many new or temporary consignees that each receive
    too little to stand out (fewer than MIN_RECEIPTS in all), scored on the flow as a
    whole: how many such consignees, receipts and declarations faster than the road, and
    receipts all satisfactory."""
    flows: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for m in suspended:
        if m.get("consignee") and m.get("consignor"):
            flows[m["consignor"]][m["consignee"]].append(m)
    months = thresholds["recent_registration_months"]
    out = []
    for consignor, by_consignee in sorted(flows.items()):
        fan = sorted(c for c, ms in by_consignee.items()
                     if len(received.get(c, ms)) < MIN_RECEIPTS and _new_or_temporary(
                         inputs.trader.get(c, {}),
                         min((m.get("dispatched_at") or "")[:10] for m in ms), months))
        if len(fan) < thresholds["fan_out_consignees"]:
            continue
        ms = [m for c in fan for m in by_consignee[c]]
        arcs = sorted(m["arc"] for m in ms)
        reasons = [Reason("fan_out_to_new_consignees", weights["fan_out_to_new_consignees"],
                          f"{len(ms)} e-AD(s) spread over {len(fan)} new or temporary "
                          f"consignees, none receiving {MIN_RECEIPTS} or more",
                          tuple(f"Trader:{c}" for c in fan[:6])
                          + tuple(f"Movement:{a}" for a in arcs[:4]))]
        reasons += _physics_reasons(ms, weights, thresholds)
        if all(m.get("receipt_conclusion") == "1" and not m.get("short_lines") for m in ms):
            reasons.append(Reason("always_satisfactory", weights["always_satisfactory"],
                                  f"all {len(ms)} receipts of the flow satisfactory without "
                                  "shortage", (f"Trader:{consignor}",)))
        t = inputs.trader.get(consignor, {})
        finding = Finding("diversion", f"Trader:{consignor}",
                          f"consignor {t.get('name', consignor)} fans out to {len(fan)} "
                          "new consignees", reasons,
                          {"traders": [consignor, *fan], "movements": arcs[:50],
                           "addresses": [t["address_key"]] if t.get("address_key") else []},
                          trader_location(t))
        if finding.score >= thresholds["min_score"]:
            out.append(finding)
    return out
