"""Suspicious supplier networks: communities over trade and shared identifiers.

Traders are tied by what they share — directors and owners, registered addresses,
phones, e-mails — and by trade: outlets naming a supplier, e-ADs between them. Ties are
weighted (a person behind two companies counts more than one e-AD) and a hub that ties
hundreds (a trust office, a busy wholesaler) counts less per tie. Leiden communities
(igraph; networkx Louvain as the reference) are then scored on what their members did:
retail findings — most of all, how many outlets with findings name members as their
supplier, the reach that makes a supply network — seizures, tips and phoenix successions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import polars as pl

from graphfraud.detect.columns import present
from graphfraud.detect.factory_sites import PRECURSORS
from graphfraud.detect.graphs import Edge, betweenness, communities, pagerank
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.phoenix import successions
from graphfraud.detect.retail_chain import (
    DECIDED,
    ILLICIT,
    BrandMix,
    candidate_shares,
    successors,
)
from graphfraud.detect.scoring import Finding, Reason

VERSION = "1.1"
#: the named queries (cypher/signals/) whose rows this detector reads
INPUTS = ("signal_traders", "signal_roles", "signal_identifiers", "signal_check_lines",
          "signal_movements", "signal_seizures", "signal_tips")
SEED = 42
MAX_SHARED = 50  # an identifier shared by more traders than this is a hub, not a tie


def decided_candidates(inputs: DetectionInputs, months: float,
                       ) -> dict[tuple[str, str], float]:
    """(supplier, outlet) -> share, where an outlet named the supplier by a name entity
    resolution left as a candidate and the tie-break gives it the larger part of that
    naming (`retail_chain.candidate_shares`): more than half of it."""
    shares = candidate_shares(inputs, BrandMix.of(inputs), successors(inputs, months))
    return {(sup, o): v for sup, by_outlet in shares.items() for o, v in by_outlet.items()
            if v > DECIDED and sup != o}


def trade_pairs(inputs: DetectionInputs) -> pl.DataFrame:
    """(a, b, n): how many e-ADs went between two traders either way (a < b), by pair."""
    ends = pl.col("consignor"), pl.col("consignee")
    return inputs.movement_frame.filter(present("consignee") & (ends[0] != ends[1])).select(
        a=pl.min_horizontal(*ends), b=pl.max_horizontal(*ends)) \
        .group_by("a", "b").agg(n=pl.len()).sort("a", "b")


def network_edges(inputs: DetectionInputs,
                  candidates: dict[tuple[str, str], float] | None = None,
                  ) -> tuple[list[str], list[Edge], dict[str, set]]:
    """Trader nodes, weighted edges, and per pair the kinds of tie (for evidence).

    `candidates` (`decided_candidates`) adds a supplier named by a candidate match as a
    trade tie weighted by its share."""
    ties: dict[tuple[str, str], set[str]] = defaultdict(set)
    edges: list[Edge] = []

    def tie_group(members: list[str], kind: str, weight: float) -> None:
        members = sorted(set(members))
        if not 2 <= len(members) <= MAX_SHARED:
            return
        w = weight / (len(members) - 1)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                edges.append((a, b, w))
                ties[(a, b)].add(kind)

    for _person, roles in sorted(inputs.roles_by_person.items()):
        tie_group([r["trader_id"] for r in roles], "director", 3.0)
    for _addr, traders in sorted(inputs.traders_at_address.items()):
        tie_group(traders, "address", 2.0)
    owners_of: dict[str, list[str]] = defaultdict(list)
    person_traders = {p: [r["trader_id"] for r in rs] for p, rs in inputs.roles_by_person.items()}
    for (kind, owner), values in inputs.identifiers_of.items():
        for v in values:
            owners_of[v] += [owner] if kind == "trader" else person_traders.get(owner, [])
    for _value, traders in sorted(owners_of.items()):
        tie_group(traders, "contact", 2.0)
    for line in inputs.check_lines:
        if line.get("supplier") and line.get("outlet") and line["supplier"] != line["outlet"]:
            a, b = sorted((line["supplier"], line["outlet"]))
            edges.append((a, b, 1.0))
            ties[(a, b)].add("stated_supplier")
    for (sup, outlet), share in sorted((candidates or {}).items()):
        a, b = sorted((sup, outlet))
        edges.append((a, b, share))
        ties[(a, b)].add("candidate_supplier")
    for a, b, n in trade_pairs(inputs).iter_rows():
        edges.append((a, b, 0.2 * min(n, 10) / 10))
        ties[(a, b)].add("trade")
    nodes = sorted({x for a, b, _ in edges for x in (a, b)})
    return nodes, edges, ties


#: `partition(nodes, edges, seed, extra)` -> node -> community. `extra` is the part of
#: `edges` the stored graph does not hold (`candidate_ties`), for a partition that builds
#: the graph inside the store (GDS on the stored graph) instead of taking `edges`.
Partition = Callable[[list[str], list[Edge], int, list[Edge]], dict[str, int]]


def candidate_ties(candidates: dict[tuple[str, str], float]) -> list[Edge]:
    """The candidate-supplier ties of `network_edges` (decided by detection, not stored):
    (supplier, outlet, share)."""
    return [(sup, outlet, share) for (sup, outlet), share in sorted(candidates.items())]


def detect_supplier_networks(inputs: DetectionInputs, weights: dict[str, float],
                             thresholds: dict[str, float], engine: str = "igraph",
                             partition: Partition | None = None) -> list[Finding]:
    """Communities of the trader graph scored on what their members did.

    `partition(nodes, edges, seed, extra)` replaces the in-process community detection
    (the runner passes GDS on a Neo4j store for projections past a size, projected from
    the stored graph plus `extra`, the candidate ties); by default igraph Leiden
    (`engine="networkx"`: Louvain, the reference)."""
    candidates = decided_candidates(inputs, thresholds["phoenix_months"])
    nodes, edges, ties = network_edges(inputs, candidates)
    named_by_candidate: dict[str, set[str]] = defaultdict(set)  # outlet -> suppliers
    for sup, outlet in candidates:
        named_by_candidate[outlet].add(sup)
    membership = partition(nodes, edges, SEED, candidate_ties(candidates)) if partition else \
        communities(nodes, edges, seed=SEED, engine=engine)
    groups: dict[int, list[str]] = defaultdict(list)
    for n, c in membership.items():
        groups[c].append(n)
    findings_at: dict[str, list[dict]] = defaultdict(list)
    named: dict[str, int] = defaultdict(int)
    named_cand: dict[str, int] = defaultdict(int)
    for line in inputs.check_lines:
        if line.get("classification") in ILLICIT and line.get("outlet"):
            findings_at[line["outlet"]].append(line)
            if line.get("supplier"):
                named[line["supplier"]] += 1
            elif line.get("candidates"):  # by a candidate match the tie-break decided
                for sup in sorted(named_by_candidate.get(line["outlet"], ())):
                    named_cand[sup] += 1
    seized: dict[str, list[str]] = defaultdict(list)
    for s in inputs.seizures:  # precursors point to a factory (factory_site), not a network
        if s.get("trader_id") and s.get("product") not in PRECURSORS:
            seized[s["trader_id"]].append(s["seizure_id"])
    tipped: dict[str, list[str]] = defaultdict(list)
    for t in inputs.tips:
        if t.get("trader_id"):
            tipped[t["trader_id"]].append(t["tip_id"])
    phoenix_pairs = successions(inputs, thresholds["phoenix_months"])
    # Edges and ties inside each community, bucketed once (not rescanned per community).
    inner_edges: dict[int, list[Edge]] = defaultdict(list)
    for a, b, w in edges:
        if membership[a] == membership[b]:
            inner_edges[membership[a]].append((a, b, w))
    inner_ties: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(
        lambda: defaultdict(list))
    for (a, b), ks in ties.items():
        if membership[a] == membership[b]:
            for k in ks:
                inner_ties[membership[a]][k].append((a, b))
    results = []
    for cid, members in sorted(groups.items()):
        if len(members) < 3:
            continue
        mset = set(members)
        inner = inner_edges[cid]
        kinds = inner_ties[cid]
        reasons: list[Reason] = []
        outlets = sorted(o for o in members if findings_at.get(o))
        if len(outlets) >= 2:
            checks = sorted({ln["check_id"] for o in outlets for ln in findings_at[o]})
            reasons.append(Reason("outlet_findings", weights["outlet_findings"],
                                  f"{len(outlets)} member outlets had illicit or counterfeit "
                                  "findings", tuple(f"RetailCheck:{c}" for c in checks[:8])))
        if kinds.get("director"):
            pairs = sorted(kinds["director"])
            reasons.append(Reason("shared_director", weights["shared_director"],
                                  f"{len(pairs)} pair(s) of members share a director or owner",
                                  tuple(f"Trader:{x}" for x in sorted({*pairs[0]}))))
        if kinds.get("contact") or kinds.get("address"):
            pairs = sorted(kinds.get("contact", []) + kinds.get("address", []))
            reasons.append(Reason("shared_contact", weights["shared_contact"],
                                  f"{len(pairs)} pair(s) of members share a phone, e-mail or "
                                  "address", tuple(f"Trader:{x}" for x in sorted({*pairs[0]}))))
        inside = [p for p in phoenix_pairs if p["dead"] in mset and p["successor"] in mset
                  and (p["directors"] or p["same_address"])]
        if inside:
            p = inside[0]
            reasons.append(Reason("phoenix_inside", weights["phoenix_inside"],
                                  f"{p['successor']} succeeded dissolved {p['dead']}",
                                  (f"Trader:{p['dead']}", f"Trader:{p['successor']}")))
        s_ids = sorted({s for m in members for s in seized.get(m, [])})
        if s_ids:
            reasons.append(Reason("seizures", weights["seizures"],
                                  f"{len(s_ids)} seizure(s) of tobacco products involve members",
                                  tuple(f"Seizure:{s}" for s in s_ids[:6])))
        t_ids = sorted({t for m in members for t in tipped.get(m, [])})
        if t_ids:
            reasons.append(Reason("tips", weights["tips"], f"{len(t_ids)} tip(s) name members",
                                  tuple(f"Tip:{t}" for t in t_ids[:6])))
        if not outlets and not s_ids and not t_ids:
            continue  # shared people alone (a trust office) is no network of interest
        by_name = sorted(o for o in outlets if any(
            ln.get("supplier") in mset and ln["supplier"] != o for ln in findings_at[o]))
        by_candidate = sorted(o for o in outlets if o not in by_name
                              and named_by_candidate.get(o, set()) & (mset - {o}))
        reach = by_name + by_candidate
        if len(reach) >= thresholds["network_reach_outlets"]:
            checks = sorted({ln["check_id"] for o in reach for ln in findings_at[o]})
            reasons.append(Reason(
                "wide_retail_reach", weights["wide_retail_reach"],
                f"{len(reach)} outlets with illicit findings name members as their supplier"
                + (f" ({len(by_candidate)} by a name entity resolution left as a candidate "
                   "match)" if by_candidate else ""),
                tuple(f"RetailCheck:{c}" for c in checks[:8])))
        rank = pagerank(members, inner, engine="igraph")
        hub = max(members, key=lambda m: (named.get(m, 0) + named_cand.get(m, 0), rank[m], m))
        times = named.get(hub, 0) + named_cand.get(hub, 0)
        if times >= 3:
            lines = sorted({ln["check_id"] for o in outlets for ln in findings_at[o]
                            if ln.get("supplier") == hub or (
                                ln.get("candidates") and hub in named_by_candidate.get(o, ()))})
            reasons.append(Reason("hub_named_by_outlets", weights["hub_named_by_outlets"],
                                  f"{times} illicit findings at outlets name the hub {hub} "
                                  "as their supplier" + (
                                      f" ({named_cand[hub]} by a candidate match)"
                                      if named_cand.get(hub) else ""),
                                  (f"Trader:{hub}", *(f"RetailCheck:{c}" for c in lines[:6]))))
        broker = max(betweenness(members, inner).items(), key=lambda kv: (kv[1], kv[0]))[0] \
            if len(members) > 2 else hub
        t = inputs.trader.get(hub, {})
        finding = Finding(
            "supplier_network", f"Trader:{hub}",
            f"network of {len(members)} traders around {t.get('name', hub)} "
            f"(hub {hub}, broker {broker})", reasons,
            {"traders": sorted(members)[:200],
             "addresses": sorted({inputs.trader[m]["address_key"] for m in members
                                  if inputs.trader.get(m, {}).get("address_key")})[:50]},
            {"municipality": t.get("city"), "lat": t.get("lat"), "lon": t.get("lon")})
        if finding.score >= thresholds["min_score"]:
            results.append(finding)
    return results
