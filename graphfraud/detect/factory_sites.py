"""Illegal-factory sites: a score per premise from the indicators seen in Dutch cases.

A factory hides in a rented industrial unit (or, for waterpipe tobacco, a residence):
a new tenant company, a director with dissolved companies behind it, a refused or lapsed
machine licence or a licensed machine gone missing, precursors (cut tobacco, paper,
filters, tow, packaging, tax stamps) seized at or near it or delivered to it, tips that
name it, and illicit whites turning up in the packs and shops around it. Precursors often
go to a front company elsewhere: seizures at a company one hop from the operator (a shared
director, proxy, shareholder, phone or e-mail; a trust office's nominee excepted) count,
weaker than at the site. Licence signals read the licence history whole: a refusal put
right by a later grant for the same machine, and a machine moved into a site licensed for
it, count for nothing; an expiry at a holder with current licences is weak.
Litter and shops count by distance (`spatial`): the factory's own brand, rare nationally,
in the EPS packs within a kilometre or so and in the shops within 15 km. A tip counts when
it names the address, also by street, number and place without a postcode (address
resolution at ingest). A supplier of unstamped waterpipe tobacco without a shop (a
webshop) is looked for where it works: the barn or house it rents.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl

from graphfraud.detect.columns import present
from graphfraud.detect.geo import haversine_km, months_between
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.scoring import Finding, Reason
from graphfraud.detect.spatial import BrandMap, Concentration, Observation
from graphfraud.model.addresses import address_line_of

VERSION = "1.2"
#: the named queries (cypher/signals/) whose rows this detector reads
INPUTS = ("signal_premises", "signal_traders", "signal_roles", "signal_identifiers", "signal_licences",
          "signal_machine_events", "signal_seizures", "signal_tips", "signal_check_lines",
          "signal_movements", "eps_counts", "signal_eps_packs")
CANDIDATE_KINDS = ("industrial_unit", "factory", "storage", "farm", "residence", "other")
PRECURSORS = frozenset({"leaf_tobacco", "cut_tobacco", "acetate_tow", "cigarette_paper",
                        "filters", "packaging", "tax_stamps"})
NEAR_KM = 0.3


def _postcode(address_key: str | None) -> str | None:
    return address_key.split("|")[0] if address_key and "|" in address_key else None


def _near(site: dict[str, Any], row: dict[str, Any]) -> bool:
    """Same address, same postcode (next door), or within NEAR_KM."""
    if row.get("address_key") and row["address_key"] == site.get("address_key"):
        return True
    pc = _postcode(site.get("address_key"))
    if pc and pc == _postcode(row.get("address_key")):
        return True
    if None not in (site.get("lat"), site.get("lon"), row.get("lat"), row.get("lon")):
        return haversine_km(site["lat"], site["lon"], row["lat"], row["lon"]) <= NEAR_KM
    return False


def municipal_illicit_excess(inputs: DetectionInputs, ratio: float) -> dict[str, str]:
    """Municipalities whose latest-wave illicit-white share is at least `ratio` times the
    national share of that wave -> a short evidence text."""
    by_year: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in inputs.eps:
        cell = by_year[int(r["year"])][r["municipality"]]
        cell[1] += int(r["packs"])
        if r["classification"] == "illicit_white":
            cell[0] += int(r["packs"])
    if not by_year:
        return {}
    year = max(by_year)
    national_hits = sum(c[0] for c in by_year[year].values())
    national_n = sum(c[1] for c in by_year[year].values())
    base = national_hits / national_n if national_n else 0.0
    out = {}
    for muni, (hits, n) in by_year[year].items():
        if n >= 30 and base > 0 and hits / n >= ratio * base and hits >= 3:
            out[muni] = (f"EPS {year}: {hits} of {n} packs illicit white in {muni} "
                         f"({100 * hits / n:.1f}% vs {100 * base:.1f}% nationally)")
    return out


def _covered(lic: dict[str, Any], pid: str, addr: str | None) -> bool:
    """The licence is for this premise (by id or by its address)."""
    return lic.get("site_premise") == pid or bool(addr and lic.get("site_address") == addr)


def _put_right(lic: dict[str, Any], granted: list[dict[str, Any]]) -> bool:
    """A refused licence for a machine that was granted later, to the same holder or for
    the same site: the refusal was put right (a form corrected), not a factory sign."""
    return lic["status"] == "refused" and any(
        g["machine_id"] == lic["machine_id"] and (
            (g.get("holder") and g.get("holder") == lic.get("holder"))
            or (g.get("site_premise") and g.get("site_premise") == lic.get("site_premise"))
            or (g.get("site_address") and g.get("site_address") == lic.get("site_address")))
        for g in granted)


def tied_companies(inputs: DetectionInputs, trader_id: str,
                   nominee_min: int) -> dict[str, str]:
    """Companies one hop from the trader through a person (any role: director, proxy,
    shareholder, employee) or a shared phone or e-mail -> how they are tied (for the
    evidence). A person with `nominee_min` or more roles (a trust office's nominee) ties
    nothing: his companies share a desk, not a business."""
    out: dict[str, str] = {}
    for r in inputs.roles_by_trader.get(trader_id, []):
        theirs = inputs.roles_by_person.get(r["person_id"], [])
        if len(theirs) >= nominee_min:
            continue
        for other in theirs:
            if other["trader_id"] != trader_id:
                out.setdefault(other["trader_id"], f"Person:{r['person_id']}")
    for value in sorted(inputs.identifiers_of.get(("trader", trader_id), set())):
        for kind, owner in inputs.identifier_owners.get(value, ()):
            if kind == "trader" and owner != trader_id:
                out.setdefault(owner, f"{'Email' if '@' in value else 'Phone'}:{value}")
    return out


def precursor_receipts(inputs: DetectionInputs) -> dict[str, list[dict[str, Any]]]:
    """consignee -> the e-ADs of precursors (T400, T500) it received, in the movements'
    order: picked column-wise, the few rows as dicts."""
    found = inputs.movement_frame.filter(
        present("consignee") & pl.col("epcs").list.eval(
            pl.element().is_in(["T400", "T500"])).list.any().fill_null(False))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in found.select("arc", "consignee", "epcs").to_dicts():
        out[m["consignee"]].append(m)
    return out


def detect_factory_sites(inputs: DetectionInputs, weights: dict[str, float],
                         thresholds: dict[str, float]) -> list[Finding]:
    """One finding per premise whose factory signals reach the minimum score."""
    now = inputs.latest_date
    granted = [lic for lic in inputs.licences if lic["status"] == "granted"]
    licensed_manufacturers = {lic["holder"] for lic in granted if lic.get("holder")}
    current_holders = {lic["holder"] for lic in granted if lic.get("holder")
                       and (not lic.get("valid_until") or str(lic["valid_until"]) >= now)}
    nominee_min = int(thresholds.get("nominee_roles", 10))
    precursor_seized_by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in inputs.seizures:
        if s.get("product") in PRECURSORS and s.get("trader_id"):
            precursor_seized_by[s["trader_id"]].append(s)
    excess = municipal_illicit_excess(inputs, thresholds["illicit_white_excess_ratio"])
    findings_by_city: dict[str, list[str]] = defaultdict(list)
    for line in inputs.check_lines:
        if line.get("classification") in ("illicit_white", "counterfeit") and line.get("city"):
            findings_by_city[line["city"]].append(line["check_id"])
    eps_map = BrandMap(Observation(f"EpsPack:{p['pack_id']}", p["brand"], float(p["lat"]),
                                   float(p["lon"])) for p in inputs.eps_packs)
    retail_map = BrandMap(Observation(f"RetailCheck:{ln['check_id']}", ln["brand"],
                                      float(ln["lat"]), float(ln["lon"]))
                          for ln in inputs.check_lines
                          if ln.get("classification") == "illicit_white" and ln.get("brand")
                          and ln.get("lat") is not None and ln.get("lon") is not None)
    waterpipe_named = waterpipe_suppliers(inputs)
    missing = {e["machine_id"] for e in inputs.machine_events if e["event"] == "reported_missing"}
    inbound = precursor_receipts(inputs)
    phones_of = inputs.identifiers_of
    results: list[Finding] = []
    for pid, site in sorted(inputs.premises.items()):
        if site.get("kind") not in CANDIDATE_KINDS:
            continue
        ops = sorted(set(site["operators"]))
        addr = site.get("address_key")
        reasons: list[Reason] = []
        subjects: dict[str, list[str]] = {"premises": [pid], "traders": list(ops),
                                          "addresses": [addr] if addr else [],
                                          "persons": [], "movements": [], "machines": []}
        # licences
        bad, lapsed = [], []
        for lic in inputs.licences:
            if lic["status"] not in ("refused", "revoked", "expired") or not (
                    _covered(lic, pid, addr) or lic.get("holder") in ops) \
                    or _put_right(lic, granted):
                continue
            # an expiry at a holder with current licences is a renewal not made, not a sign
            weak = lic["status"] == "expired" and lic.get("holder") in current_holders
            (lapsed if weak else bad).append(lic)
        if lapsed and not bad:
            reasons.append(Reason("licence_lapsed_at_licensed_holder",
                                  weights["licence_lapsed_at_licensed_holder"],
                                  "; ".join(f"licence {lic['licence_id']} expired (machine "
                                            f"{lic['machine_id']}); the holder has current "
                                            "licences" for lic in lapsed[:3]),
                                  tuple(f"Licence:{lic['licence_id']}" for lic in lapsed[:5])))
        if bad:
            reasons.append(Reason("licence_refused_revoked_expired",
                                  weights["licence_refused_revoked_expired"],
                                  "; ".join(f"licence {lic['licence_id']} {lic['status']} "
                                            f"(machine {lic['machine_id']})" for lic in bad[:3]),
                                  tuple(f"Licence:{lic['licence_id']}" for lic in bad[:5])))
            subjects["machines"] += [lic["machine_id"] for lic in bad]
        # a move into a site licensed for that very machine (a sale to a licensed buyer)
        # is the licence system working, not a machine gone astray
        moved_in = [e for e in inputs.machine_events if e["event"] == "moved"
                    and (e.get("to_premise") == pid or (addr and e.get("to_address") == addr))
                    and not any(g["machine_id"] == e["machine_id"] and _covered(g, pid, addr)
                                for g in granted)]
        gone = [e for e in moved_in if e["machine_id"] in missing]
        if moved_in:
            text = "; ".join(f"machine {e['machine_id']} moved here on {e['at'][:10]}"
                             + (" after it was reported missing" if e in gone else "")
                             for e in moved_in[:3])
            reasons.append(Reason("licensed_machine_missing_or_moved",
                                  weights["licensed_machine_missing_or_moved"], text,
                                  tuple(f"MachineEvent:{e['event_id']}" for e in moved_in[:5])))
            subjects["machines"] += [e["machine_id"] for e in moved_in]
        # precursors
        seized = [s for s in inputs.seizures if s.get("product") in PRECURSORS
                  and (_near(site, s) or (s.get("trader_id") and s["trader_id"] in ops))]
        if seized:
            reasons.append(Reason("precursor_seizure", weights["precursor_seizure"],
                                  "; ".join(f"{s['product']} seized {s['seized_on']}"
                                            for s in seized[:4]),
                                  tuple(f"Seizure:{s['seizure_id']}" for s in seized[:6])))
        if not seized:
            via = sorted({(s["seizure_id"], tied, how) for op in ops
                          for tied, how in tied_companies(inputs, op, nominee_min).items()
                          for s in precursor_seized_by.get(tied, [])})
            if via:
                fronts = sorted({t for _, t, _ in via})
                reasons.append(Reason(
                    "precursors_at_tied_company", weights["precursors_at_tied_company"],
                    f"{len(via)} precursor seizure(s) at {len(fronts)} company(ies) tied to the "
                    "operator (" + "; ".join(f"{t} via {how}" for _, t, how in via[:3]) + ")",
                    tuple(f"Seizure:{sid}" for sid, _, _ in via[:4])
                    + tuple(f"Trader:{t}" for t in fronts[:2])
                    + tuple(sorted({how for _, _, how in via})[:2])))
                subjects["traders"] += fronts
        deliveries = [m for op in ops if op not in licensed_manufacturers
                      and inputs.trader.get(op, {}).get("excise_status")
                      != "authorised_warehousekeeper" for m in inbound.get(op, [])]
        if deliveries:
            epcs = sorted({e for m in deliveries for e in m.get("epcs") or []})
            reasons.append(Reason(
                "precursor_deliveries", weights["precursor_deliveries"],
                f"{len(deliveries)} e-AD(s) of {'/'.join(epcs)} to the operator, who holds no "
                "granted manufacturing licence", tuple(f"Movement:{m['arc']}"
                                                      for m in deliveries[:6])))
            subjects["movements"] += [m["arc"] for m in deliveries]
        # tenant
        lease = site.get("lease_start")
        for op in ops:
            reg = inputs.trader.get(op, {}).get("registered_on")
            gap = months_between(reg, lease)
            if lease and gap is not None and 0 <= gap <= thresholds["new_tenant_months"]:
                reasons.append(Reason("new_tenant", weights["new_tenant"],
                                      f"operator registered {reg}, lease from {lease}",
                                      (f"Trader:{op}",)))
                break
        age = months_between(lease, now)
        if lease and age is not None and 0 <= age <= thresholds["recent_lease_months"]:
            reasons.append(Reason("recent_lease", weights["recent_lease"],
                                  f"lease started {lease}", (f"Premise:{pid}",)))
        shady = sorted({(r["person_id"], tuple(inputs.dissolved_companies_of_person
                                              .get(r["person_id"], [])))
                        for op in ops for r in inputs.roles_by_trader.get(op, [])
                        if r["role"] in ("director", "ubo")
                        and len(inputs.dissolved_companies_of_person.get(r["person_id"], [])) >= 2})
        if shady:
            pid0, dead = shady[0]
            reasons.append(Reason("director_with_dissolved_companies",
                                  weights["director_with_dissolved_companies"],
                                  f"director {pid0} was behind {len(dead)} dissolved companies",
                                  (f"Person:{pid0}", *(f"Trader:{t}" for t in dead[:4]))))
            subjects["persons"] += [p for p, _ in shady]
            subjects["traders"] += [t for _, d in shady for t in d]
        # tips
        site_phones = set().union(*(phones_of.get(("trader", op), set()) for op in ops)) \
            if ops else set()
        for op in ops:
            for r in inputs.roles_by_trader.get(op, []):
                site_phones |= phones_of.get(("person", r["person_id"]), set())
        plates = {s["plate"] for s in seized if s.get("plate")}
        tips = sorted({t["tip_id"] for t in inputs.tips
                       if (addr and t.get("address_key") == addr)
                       or (t.get("trader_id") and t["trader_id"] in ops)
                       or (t.get("phone") and t["phone"] in site_phones)
                       or (t.get("plate") and t["plate"] in plates)})
        if tips:
            by_street = sorted({(t["tip_id"], t.get("address_score")) for t in inputs.tips
                                if addr and t.get("address_key") == addr
                                and t.get("address_match") == "street_number_place"})
            how = (f"; {len(by_street)} named it by street, number and place without a "
                   "postcode (address resolution, score "
                   + ", ".join(f"{sc:.2f}" for _, sc in by_street[:3] if sc is not None) + ")"
                   if by_street else "")
            reasons.append(Reason("tip_names_site", weights["tip_names_site"],
                                  f"{len(tips)} tip(s) name the address, operator, a phone or "
                                  "a plate of it" + how, tuple(f"Tip:{t}" for t in tips[:6])))
        city = site.get("city")
        near_eps, near_retail = _brands_near_site(site, eps_map, retail_map, thresholds)
        if near_eps:
            reasons.append(_near_reason("eps_brand_near_site", weights, near_eps[0],
                                        "EPS: {near} of the {national} illicit-white packs",
                                        thresholds["eps_near_km"]))
        elif city in excess:  # the coarse view, when no pack points at the site itself
            reasons.append(Reason("illicit_white_excess_nearby",
                                  weights["illicit_white_excess_nearby"], excess[city],
                                  (f"Municipality:{city}",)))
        nearby_checks = sorted(set(findings_by_city.get(city or "", [])))
        if near_retail:
            reasons.append(_near_reason("retail_brand_near_site", weights, near_retail[0],
                                        "{near} of the {national} retail checks that found "
                                        "illicit whites", thresholds["retail_near_km"]))
        elif len(nearby_checks) >= 2:
            reasons.append(Reason("retail_findings_nearby", weights["retail_findings_nearby"],
                                  f"{len(nearby_checks)} retail checks in {city} found illicit "
                                  "whites or counterfeits",
                                  tuple(f"RetailCheck:{c}" for c in nearby_checks[:6])))
        if site.get("kind") == "residence":
            t500 = [m for op in ops for m in inbound.get(op, []) if "T500" in (m.get("epcs") or [])]
            if t500:
                reasons.append(Reason("residential_waterpipe", weights["residential_waterpipe"],
                                      f"a residence receiving {len(t500)} e-AD(s) of other "
                                      "smoking tobacco (T500)",
                                      tuple(f"Movement:{m['arc']}" for m in t500[:6])))
        reasons += _workshop_reasons(inputs, site, ops, waterpipe_named, weights)
        finding = Finding("factory_site", f"Premise:{pid}",
                          f"{site.get('kind', 'premise').replace('_', ' ')} "
                          f"{address_line_of(site) or pid}", reasons, subjects,
                          {"municipality": city, "lat": site.get("lat"), "lon": site.get("lon")})
        if reasons and finding.score >= thresholds["min_score"]:
            results.append(finding)
    return results


def waterpipe_suppliers(inputs: DetectionInputs) -> dict[str, set[str]]:
    """Trader -> the retail checks that found unstamped or illicit waterpipe tobacco and
    named it (by id or resolved name) as the supplier."""
    out: dict[str, set[str]] = defaultdict(set)
    for line in inputs.check_lines:
        if line.get("product") == "waterpipe" and line.get("supplier") and \
                line.get("classification") in ("no_tax_stamp", "illicit_white", "counterfeit"):
            out[line["supplier"]].add(line["check_id"])
    return out


def _workshop_reasons(inputs: DetectionInputs, site: dict[str, Any], ops: list[str],
                      waterpipe_named: dict[str, set[str]],
                      weights: dict[str, float]) -> list[Reason]:
    """A supplier of unstamped waterpipe tobacco that rents a barn, a house or a unit: the
    place it works from is the candidate site, not only the company (a webshop has no
    shop to check). A farm rented to a company that does not farm says a little too."""
    kind = site.get("kind")
    out: list[Reason] = []
    if kind == "factory":  # a licensed factory is checked by its licences
        return out
    for op in ops:
        checks = sorted(waterpipe_named.get(op, ()))
        if len(checks) >= 2 and inputs.trader.get(op, {}).get("excise_status") in (None, "none"):
            out.append(Reason("waterpipe_supplier_works_here",
                              weights["waterpipe_supplier_works_here"],
                              f"the operator is named as supplier by {len(checks)} retail checks "
                              f"that found unstamped waterpipe tobacco; this {kind} is where it "
                              "works from", (f"Trader:{op}", *(f"RetailCheck:{c}" for c in checks[:5]))))
            break
    if kind == "farm" and site.get("lease_start"):
        tenants = [op for op in ops
                   if not str(inputs.trader.get(op, {}).get("sbi_code") or "").startswith("01")]
        if tenants:
            out.append(Reason("farm_rented_to_non_farmer", weights["farm_rented_to_non_farmer"],
                              f"farm buildings leased from {site['lease_start']} to a company "
                              f"outside farming (SBI {inputs.trader.get(tenants[0], {}).get('sbi_code')})",
                              (f"Trader:{tenants[0]}", f"Premise:{site['premise_id']}")))
    return out


def _near_reason(signal: str, weights: dict[str, float], c: Concentration, what: str,
                 radius_km: float) -> Reason:
    return Reason(signal, weights[signal],
                  what.format(near=c.near, national=c.national) + f" of brand {c.brand} "
                  f"nationally lie within {radius_km:g} km of the site (nearest "
                  f"{c.nearest_km:.1f} km)", c.refs[:6])


def _brands_near_site(site: dict[str, Any], eps_map: BrandMap, retail_map: BrandMap,
                      thresholds: dict[str, float],
                      ) -> tuple[list[Concentration], list[Concentration]]:
    """Brands concentrated in the EPS packs within `eps_near_km` of the site, and retail
    findings within `retail_near_km` of a brand concentrated near it (in the packs, or,
    without packs, among the retail findings themselves)."""
    if site.get("lat") is None or site.get("lon") is None:
        return [], []
    lat, lon = float(site["lat"]), float(site["lon"])
    share = thresholds["near_site_brand_share"]
    eps = eps_map.concentrated(lat, lon, thresholds["eps_near_km"],
                               int(thresholds["eps_near_min_packs"]), share)
    brands = {c.brand for c in eps} or None
    retail = retail_map.concentrated(lat, lon, thresholds["retail_near_km"], 2,
                                     share, brands)
    return eps, retail
