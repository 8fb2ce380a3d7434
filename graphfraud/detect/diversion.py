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

from collections import defaultdict
from typing import Any

import polars as pl

from graphfraud.detect import columns
from graphfraud.detect.diversion_product import unclosed_export_findings
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


def _plate_trips(movements: pl.DataFrame, day_end: bool) -> pl.DataFrame:
    """One row per (vehicle, e-AD) with both a dispatch and a receipt instant (µs): the
    trips each plate made; with `day_end` a receipt dated by day ends at 23:59."""
    start = columns.instants_us(movements, "dispatched_at")
    end = columns.instants_us(movements, "received_at")
    trips = movements.select("_i", "arc", "plates", "consignor", "consignee", "from_lat",
                             "from_lon", "to_lat", "to_lon", "dispatched_at", "received_at") \
        .with_columns(start=start, end=end) \
        .filter(pl.col("start").is_not_null() & pl.col("end").is_not_null()
                & (pl.col("plates").list.len() > 0))
    if day_end:
        trips = trips.with_columns(end=columns.day_end_us(pl.col("end"), pl.col("received_at")))
    return trips.explode("plates").rename({"plates": "plate"}).filter(
        pl.col("plate").is_not_null())


def overlapping_plates(movements: pl.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """plate -> pairs of ARCs whose trips (dispatch to receipt) overlap in time: each
    plate's trips in order of (dispatch, receipt, ARC), a trip overlapping the next."""
    day = 86_400_000_000
    pairs = _plate_trips(movements, day_end=False).sort("plate", "start", "end", "arc") \
        .with_columns(next_plate=pl.col("plate").shift(-1), next_start=pl.col("start").shift(-1),
                      next_arc=pl.col("arc").shift(-1)) \
        .filter((pl.col("next_plate") == pl.col("plate"))
                & (pl.col("next_start") < pl.col("end")) & (pl.col("arc") != pl.col("next_arc"))
                & ((pl.col("end") - pl.col("start")) // day < 5))
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for plate, a1, a2 in pairs.select("plate", "arc", "next_arc").iter_rows():
        out[plate].append((a1, a2))
    return dict(out)


#: a vehicle's return leg counts only beyond this many road km (short hops are too
#: uncertain with receipts dated by day)
MIN_RETURN_KM = 300


def impossible_returns(movements: pl.DataFrame, max_kmh: float,
                       ) -> dict[str, list[tuple[str, str, float, float]]]:
    """plate -> (ARC, next ARC, km, hours): a vehicle shuttling between one consignor and
    one consignee was dispatched on its next trip sooner after its previous receipt than
    the road back allows: the load was never driven all the way. The receipt is read as
    the end of its day, the reading most favourable to the trader, so only impossible
    sequences are flagged. Each plate's trips in order of (dispatch, ARC); the pairs
    that could be too fast are checked once more row by row (`_return_leg`)."""
    nxt = {c: pl.col(c).shift(-1) for c in ("plate", "start", "arc", "consignor", "consignee",
                                             "from_lat", "from_lon", "dispatched_at")}
    pairs = _plate_trips(movements, day_end=True).sort("plate", "start", "arc", "_i") \
        .with_columns(**{f"next_{c}": e for c, e in nxt.items()}) \
        .filter((pl.col("next_plate") == pl.col("plate")) & (pl.col("arc") != pl.col("next_arc"))
                & (pl.col("next_start") > pl.col("end"))
                & pl.col("consignor").eq_missing(pl.col("next_consignor"))
                & pl.col("consignee").eq_missing(pl.col("next_consignee"))
                & pl.all_horizontal(pl.col("to_lat", "to_lon", "next_from_lat",
                                           "next_from_lon").is_not_null()))
    km = columns.haversine_km(pl.col("to_lat"), pl.col("to_lon"), pl.col("next_from_lat"),
                              pl.col("next_from_lon")) * ROAD_FACTOR
    hours = (pl.col("next_start") - pl.col("end")) / 3_600_000_000
    pairs = pairs.filter(columns.could_be_faster(km, hours, MIN_RETURN_KM, max_kmh))
    out: dict[str, list[tuple[str, str, float, float]]] = defaultdict(list)
    for p in pairs.iter_rows(named=True):
        got = _return_leg(p, max_kmh)
        if got is not None:
            out[p["plate"]].append((p["arc"], p["next_arc"], *got))
    return dict(out)


def _return_leg(p: dict[str, Any], max_kmh: float) -> tuple[float, float] | None:
    """(km, hours) of the leg from a receipt to the next dispatch if the road does not
    allow it (row by row, `math`'s haversine: the figures of the explanation)."""
    end = parse_instant(p["received_at"])
    start = parse_instant(p["next_dispatched_at"])
    if end is None or start is None:
        return None
    if len(p["received_at"]) == 10:
        end = end.replace(hour=23, minute=59)
    km = haversine_km(p["to_lat"], p["to_lon"], p["next_from_lat"], p["next_from_lon"]) \
        * ROAD_FACTOR
    hours = (start - end).total_seconds() / 3600
    return (km, hours) if km >= MIN_RETURN_KM and hours < km / max_kmh else None


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


def suspended_movements(movements: pl.DataFrame) -> pl.DataFrame:
    """E-ADs of duty-suspended goods (origin type 1, or not given)."""
    return movements.filter(pl.col("origin_type").is_null() | (pl.col("origin_type") == "1"))


def receipts_by_consignee(inputs: DetectionInputs, suspended: pl.DataFrame) -> pl.DataFrame:
    """The duty-suspended e-ADs each consignee received (`receiver`), in the movements'
    order: to its own consignee, or, to an unknown consignee (type 8, or a consignee
    left from before a change of destination), to the traders at the delivery place
    (`unknown_consignee_receivers`). Type 8 of energy products is routine: left out."""
    dest8 = pl.col("destination_type") == "8"
    legal8 = dest8 & columns.energy_only()
    unknown = dest8 & (~columns.present("consignee")
                       | (pl.col("destination_changes").fill_null(0) > 0))
    own = suspended.filter(~legal8 & ~unknown & columns.present("consignee")) \
        .with_columns(receiver=pl.col("consignee"))
    at_place = []
    for m in suspended.filter(~legal8 & unknown).iter_rows(named=True):
        at_place += [{**row, "receiver": tid} for tid, row in unknown_consignee_receivers(inputs, m)]
    if at_place:
        own = pl.concat([own, pl.DataFrame(at_place, schema=own.schema)]).sort("_i", maintain_order=True)
    return own


def _per_consignee(received: pl.DataFrame, max_kmh: float,
                   ) -> tuple[pl.DataFrame, dict[str, dict[int, tuple[float, float]]],
                              dict[int, str]]:
    """One row per consignee: how many receipts and, for each signal, the e-ADs behind it
    in the order received (the explanation's 'e.g.' is the first). Receipts faster than
    the road, or declaring a journey shorter than it, are those a column-wise prefilter
    lets through and `too_fast` / `declared_impossible` confirm row by row."""
    physics = {}
    for name, test in (("fast", too_fast), ("declared", declared_impossible)):
        hits = {row["_k"]: v for row in _physics_candidates(received, name, max_kmh)
                if (v := test(row, max_kmh))}
        physics[name] = hits
    keyed = received.with_row_index("_k")
    for name, hits in physics.items():
        keyed = keyed.with_columns(pl.col("_k").is_in(list(hits)).alias(f"_{name}"))
    arc, first = pl.col("arc"), pl.col("dispatched_at").fill_null("").str.slice(0, 10)
    per = keyed.group_by("receiver", maintain_order=True).agg(
        n=pl.len(), at=pl.col("_i").min(), first=first.min(),
        short=columns.nonzero("short_lines").sum(),
        dest8=arc.filter(pl.col("destination_type") == "8"),
        fast=pl.col("_k").filter(pl.col("_fast")), declared=pl.col("_k").filter(pl.col("_declared")),
        changes=arc.filter((pl.col("destination_changes").fill_null(0) >= 2)
                           & ~columns.energy_only()),
        receipts=columns.present("receipt_conclusion").sum(),
        unsatisfied=(columns.present("receipt_conclusion")
                     & ((pl.col("receipt_conclusion") != "1")
                        | columns.nonzero("short_lines"))).sum(),
        arcs=arc.sort())
    arcs_of = dict(zip(keyed.get_column("_k").to_list(), keyed.get_column("arc").to_list(),
                       strict=True))
    return per, physics, arcs_of


def _physics_candidates(received: pl.DataFrame, name: str, max_kmh: float,
                        ) -> list[dict[str, Any]]:
    """Receipts that could be faster than the road (`name` 'fast': dispatch to receipt;
    'declared': the declared journey time), as rows for the row-wise test."""
    km = columns.haversine_km(pl.col("from_lat"), pl.col("from_lon"), pl.col("to_lat"),
                              pl.col("to_lon")) * ROAD_FACTOR
    coords = pl.all_horizontal(pl.col("from_lat", "from_lon", "to_lat", "to_lon").is_not_null())
    keyed = received.with_row_index("_k")
    if name == "fast":
        start = columns.instants_us(keyed, "dispatched_at")
        end = columns.instants_us(keyed, "received_at")
        keyed = keyed.with_columns(_s=start, _e=end).with_columns(
            _e=columns.day_end_us(pl.col("_e"), pl.col("received_at")))
        hours = (pl.col("_e") - pl.col("_s")) / 3_600_000_000
        wanted = coords & pl.col("_s").is_not_null() & pl.col("_e").is_not_null() \
            & columns.could_be_faster(km, hours, 50, max_kmh)
    else:
        code = pl.col("journey_time")
        digits = code.str.slice(1)
        plain = code.str.contains(r"^[HD][0-9]+$")
        hours = digits.cast(pl.Float64, strict=False) * pl.when(code.str.starts_with("D")) \
            .then(24.0).otherwise(1.0)
        wanted = coords & (code.str.len_chars() >= 2) & code.str.contains(r"^[HD]") & (
            ~plain | columns.could_be_faster(km, hours, 50, max_kmh))
    return keyed.filter(wanted).select("_k", "arc", "from_lat", "from_lon", "to_lat", "to_lon",
                                      "dispatched_at", "received_at", "journey_time").to_dicts()


def detect_diversion(inputs: DetectionInputs, weights: dict[str, float],
                     thresholds: dict[str, float]) -> list[Finding]:
    movements = inputs.movement_frame
    suspended = suspended_movements(movements)
    received = receipts_by_consignee(inputs, suspended)
    dispatchers = set(movements.get_column("consignor").drop_nulls().to_list())
    kmh = thresholds["max_speed_kmh"]
    per, physics, arc_of = _per_consignee(received, kmh)
    # Peers: consignees with enough receipts; their shortage rate is the yardstick.
    short_rates = [short / n for n, short in per.sort("at", "receiver", maintain_order=True)
                   .select("n", "short").iter_rows() if n >= 10]
    peer_rate = sum(short_rates) / len(short_rates) if short_rates else 0.0
    plate_pairs = overlapping_plates(movements)
    arcs_on_overlap = {a for pairs in plate_pairs.values() for p in pairs for a in p}
    returns = impossible_returns(movements, kmh)
    no_return: dict[str, list[tuple[str, str, str, float, float]]] = defaultdict(list)
    for plate, hits in returns.items():
        for a1, a2, km, hours in hits:
            no_return[a1].append((plate, a1, a2, km, hours))
            no_return[a2].append((plate, a1, a2, km, hours))
    results: list[Finding] = []
    counts = dict(zip(per.get_column("receiver").to_list(), per.get_column("n").to_list(),
                      strict=True))
    candidates = per.filter((pl.col("n") >= MIN_RECEIPTS) | (pl.col("dest8").list.len() > 0)) \
        .sort("receiver")
    for c in candidates.iter_rows(named=True):
        consignee, n, arcs = c["receiver"], c["n"], c["arcs"]
        t = inputs.trader.get(consignee, {})
        reasons: list[Reason] = []
        first = c["first"]
        age = months_between(t.get("registered_on"), first)
        if t.get("excise_status") == "temporary_registered_consignee" or (
                age is not None and age < thresholds["recent_registration_months"]):
            why = ("temporary registered consignee"
                   if t.get("excise_status") == "temporary_registered_consignee"
                   else f"registered {t.get('registered_on')}, first receipt {first}")
            reasons.append(Reason("temporary_or_recent_consignee",
                                  weights["temporary_or_recent_consignee"], why,
                                  (f"Trader:{consignee}",)))
        dest8 = c["dest8"]
        if dest8:
            reasons.append(Reason("destination_type_unknown", weights["destination_type_unknown"],
                                  f"{len(dest8)} e-AD(s) with destination type 8 (unknown) "
                                  "delivered at its registered address",
                                  tuple(f"Movement:{a}" for a in dest8[:6])))
        fast = _physics_reason("journey_too_fast", c["fast"], physics["fast"], arc_of, weights)
        reasons += fast
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
        changes = c["changes"]
        if changes:
            reasons.append(Reason("repeated_destination_changes",
                                  weights["repeated_destination_changes"],
                                  f"{len(changes)} e-AD(s) with 2+ changes of destination",
                                  tuple(f"Movement:{a}" for a in changes[:6])))
        if n >= MIN_RECEIPTS and consignee not in dispatchers and \
                t.get("excise_status") != "authorised_warehousekeeper":
            reasons.append(Reason("receives_never_dispatches",
                                  weights["receives_never_dispatches"],
                                  f"received {n} duty-suspended e-ADs, dispatched none",
                                  (f"Trader:{consignee}",)))
        receipts = c["receipts"]
        if receipts >= MIN_RECEIPTS and peer_rate >= 0.05 and c["unsatisfied"] == 0:
            reasons.append(Reason("always_satisfactory", weights["always_satisfactory"],
                                  f"all {receipts} receipts satisfactory without shortage; "
                                  f"peers report shortages on {100 * peer_rate:.0f}% of theirs",
                                  (f"Trader:{consignee}",)))
        reasons += _physics_reason("declared_journey_impossible", c["declared"],
                                   physics["declared"], arc_of, weights)
        finding = Finding("diversion", f"Trader:{consignee}",
                          f"consignee {t.get('name', consignee)}", reasons,
                          {"traders": [consignee], "movements": arcs[:50],
                           "addresses": [t["address_key"]] if t.get("address_key") else []},
                          {"municipality": t.get("city"), "lat": t.get("lat"),
                           "lon": t.get("lon")})
        if reasons and finding.score >= thresholds["min_score"]:
            results.append(finding)
    results += fan_out_findings(inputs, suspended, counts, weights, thresholds)
    exports = suspended.filter((pl.col("destination_type") == "6") & ~columns.energy_only()
                               & columns.present("consignor")).to_dicts()
    return _merged(results + unclosed_export_findings(inputs, exports, weights, thresholds))


_PHYSICS_TEXT = {"journey_too_fast": ("receipt(s) sooner than the road allows", "in {h:.1f} h"),
                 "declared_journey_impossible": (
                     "e-AD(s) declare a journey shorter than the road allows",
                     "declared in {h:.0f} h")}


def _physics_reason(signal: str, keys: list[int], hits: dict[int, tuple[float, float]],
                    arc_of: dict[int, str], weights: dict[str, float]) -> list[Reason]:
    """`_physics_reasons`' reason from a consignee's hits (receipt keys, in order)."""
    if not keys:
        return []
    what, how = _PHYSICS_TEXT[signal]
    km, hours = hits[keys[0]]
    return [Reason(signal, weights[signal],
                   f"{len(keys)} {what}, e.g. {arc_of[keys[0]]}: {km:.0f} km "
                   + how.format(h=max(hours, 0)),
                   tuple(f"Movement:{arc_of[k]}" for k in keys[:6]))]


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


def fan_out_findings(inputs: DetectionInputs, suspended: pl.DataFrame,
                     received: dict[str, int], weights: dict[str, float],
                     thresholds: dict[str, float]) -> list[Finding]:
    """Per consignor: loads spread over many new or temporary consignees that each receive
    too little to stand out (fewer than MIN_RECEIPTS in all, `received` counts them),
    scored on the flow as a whole: how many such consignees, receipts and declarations
    faster than the road, and receipts all satisfactory."""
    flows = suspended.filter(columns.present("consignee") & columns.present("consignor"))
    pairs = flows.group_by("consignor", "consignee").agg(
        n=pl.len(), first=pl.col("dispatched_at").fill_null("").str.slice(0, 10).min())
    months = thresholds["recent_registration_months"]
    fan_of: dict[str, list[str]] = defaultdict(list)
    for consignor, c, n, first in pairs.iter_rows():
        if received.get(c, n) < MIN_RECEIPTS and _new_or_temporary(
                inputs.trader.get(c, {}), first, months):
            fan_of[consignor].append(c)
    out = []
    for consignor in sorted(set(pairs.get_column("consignor").to_list())):
        fan = sorted(fan_of.get(consignor, []))
        if len(fan) < thresholds["fan_out_consignees"]:
            continue
        place = {c: i for i, c in enumerate(fan)}
        ms = flows.filter((pl.col("consignor") == consignor) & pl.col("consignee").is_in(fan)) \
            .with_columns(_fan=pl.col("consignee").replace_strict(place, return_dtype=pl.Int64)) \
            .sort("_fan", "_i").to_dicts()
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
