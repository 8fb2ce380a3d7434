"""Phoenix successions: a company dissolves (or goes bankrupt) and another rises at its
address, under its director or proxy, under a relative of him, or with its phone, within
36 months, often leaving debts (and excise duty) behind.

The circle around a company is wider than its directors: the old director comes back as
proxy, a relative (same surname, same home address) signs for the new company, the phone
number moves along. A trust office's nominee directors, on the other hand, sit on the board
of hundreds of holdings at one address, wound up and replaced as a matter of routine: a
nominee ties nothing (`thresholds.nominee_roles`).
"""

from __future__ import annotations

from collections import defaultdict

from graphfraud.detect.geo import months_between
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.scoring import Finding, Reason, trader_location
from graphfraud.model.addresses import address_line_of

VERSION = "1.1"
#: the named queries (cypher/signals/) whose rows this detector reads
INPUTS = ("signal_traders", "signal_roles", "signal_identifiers")
#: the roles that put a person in charge of a company
LEADING_ROLES = ("director", "ubo", "shareholder", "proxy")
#: a successor registered within this many months after the dissolution is a short gap
SHORT_GAP_MONTHS = 3


def surname(full_name: str | None) -> str:
    """The last word of a name, lower-cased: what relatives share."""
    parts = (full_name or "").strip().lower().split()
    return parts[-1] if parts else ""


def successions(inputs: DetectionInputs, months: float,
                nominee_roles: int = 10) -> list[dict]:
    """(dissolved, successor) pairs with what ties them: address, the same people, their
    relatives, a phone or e-mail. `directors` are the shared persons (nominees left out).
    Made once per inputs (three detectors read them)."""
    return list(inputs.derived(("successions", months, nominee_roles),
                               lambda: _successions(inputs, months, nominee_roles)))


def _successions(inputs: DetectionInputs, months: float, nominee_roles: int) -> list[dict]:
    roles_of: dict[str, int] = {p: len(rs) for p, rs in inputs.roles_by_person.items()}
    directors_of: dict[str, set[str]] = defaultdict(set)
    person: dict[str, tuple[str, str]] = {}
    for r in inputs.rows["signal_roles"]:
        if r["role"] in LEADING_ROLES and roles_of.get(r["person_id"], 0) < nominee_roles:
            directors_of[r["trader_id"]].add(r["person_id"])
            person[r["person_id"]] = (surname(r.get("full_name")), r.get("home_address") or "")
    companies_of: dict[str, set[str]] = defaultdict(set)
    for tid, persons in directors_of.items():
        for p in persons:
            companies_of[p].add(tid)
    household: dict[tuple[str, str], set[str]] = defaultdict(set)  # (surname, home) -> persons
    for p, key in person.items():
        if all(key):
            household[key].add(p)

    def relatives(persons: set[str]) -> set[str]:
        out: set[str] = set()
        for p in persons:
            key = person.get(p)
            if key and all(key):
                out |= household[key] - {p}
        return out - persons

    def ids(tid: str) -> set[str]:
        return inputs.identifiers_of.get(("trader", tid), set())

    pairs = []
    for dead in inputs.traders:
        if dead.get("status") not in ("dissolved", "bankrupt") or not dead.get("dissolved_on"):
            continue
        dead_id = dead["trader_id"]
        people = directors_of.get(dead_id, set())
        kin = relatives(people)
        near: set[str] = set(inputs.traders_at_address.get(dead.get("address_key") or "", []))
        for p in people | kin:
            near |= companies_of[p]
        for value in ids(dead_id):
            near |= {o for k, o in inputs.identifier_owners.get(value, ()) if k == "trader"}
        for succ_id in sorted(near - {dead_id}):
            succ = inputs.trader.get(succ_id, {})
            gap = months_between(dead["dissolved_on"], succ.get("registered_on"))
            if gap is None or not -3 <= gap <= months:
                continue
            theirs = directors_of.get(succ_id, set())
            pairs.append({"dead": dead_id, "successor": succ_id, "gap_months": gap,
                          "same_address": bool(dead.get("address_key"))
                          and dead.get("address_key") == succ.get("address_key"),
                          "directors": sorted(people & theirs),
                          "relatives": sorted(kin & theirs),
                          "shared_ids": sorted(ids(dead_id) & ids(succ_id)),
                          "bankrupt": dead.get("status") == "bankrupt",
                          "same_activity": bool(dead.get("sbi_code"))
                          and dead.get("sbi_code") == succ.get("sbi_code")})
    return pairs


def _gap_text(gap: float) -> str:
    if gap < 0:
        return f"registered {-gap:.0f} months before the dissolution"
    return f"registered {gap:.0f} months after the dissolution"


def detect_phoenix(inputs: DetectionInputs, weights: dict[str, float],
                   thresholds: dict[str, float]) -> list[Finding]:
    by_successor: dict[str, list[dict]] = defaultdict(list)
    for pair in successions(inputs, thresholds["phoenix_months"],
                            int(thresholds.get("nominee_roles", 10))):
        by_successor[pair["successor"]].append(pair)
    results = []
    for succ, pairs in sorted(by_successor.items()):
        pairs.sort(key=lambda p: (not p["directors"], not p["relatives"], not p["same_address"],
                                  not p["shared_ids"], p["dead"]))
        best = pairs[0]
        if not best["directors"] and not best["relatives"]:
            continue  # a new shop at an old shop's address is ordinary; a person ties them
        t = inputs.trader.get(succ, {})
        dead = best["dead"]
        gone = inputs.trader[dead]
        reasons = []
        if best["directors"]:
            reasons.append(Reason("same_director", weights["same_director"],
                                  f"{', '.join(best['directors'])} led {dead} (director, "
                                  f"proxy or shareholder), {gone.get('status')} "
                                  f"{gone.get('dissolved_on')}",
                                  (f"Trader:{dead}", *(f"Person:{p}" for p in best["directors"]))))
        if best["relatives"]:
            reasons.append(Reason("relative_in_charge", weights["relative_in_charge"],
                                  f"{', '.join(best['relatives'])} leads it: same surname and "
                                  f"home address as a director of {dead}",
                                  (f"Trader:{dead}", *(f"Person:{p}" for p in best["relatives"]))))
        if best["same_address"]:
            reasons.append(Reason("same_address", weights["same_address"],
                                  f"registered at the same address {address_line_of(t)}",
                                  (f"Address:{t.get('address_key')}",)))
        if best["shared_ids"]:
            reasons.append(Reason("same_phone_or_email", weights["same_phone_or_email"],
                                  f"the phone or e-mail of {dead} moved along: "
                                  f"{', '.join(best['shared_ids'][:2])}",
                                  tuple(f"{'Email' if '@' in v else 'Phone'}:{v}"
                                        for v in best["shared_ids"][:3])))
        if best["bankrupt"]:
            reasons.append(Reason("bankrupt_predecessor", weights["bankrupt_predecessor"],
                                  f"{dead} went bankrupt {gone.get('dissolved_on')}",
                                  (f"Trader:{dead}",)))
        reasons.append(Reason("within_36_months", weights["within_36_months"],
                              _gap_text(best["gap_months"]), (f"Trader:{succ}",)))
        if 0 <= best["gap_months"] <= SHORT_GAP_MONTHS:
            reasons.append(Reason("short_gap", weights["short_gap"],
                                  f"{_gap_text(best['gap_months'])}: no pause between them",
                                  (f"Trader:{succ}",)))
        if best["same_activity"]:
            reasons.append(Reason("same_activity", weights["same_activity"],
                                  f"same activity code {t.get('sbi_code')}", (f"Trader:{succ}",)))
        finding = Finding("phoenix", f"Trader:{succ}",
                          f"{t.get('name', succ)} succeeds {gone.get('name')}",
                          reasons,
                          {"traders": [succ] + [p["dead"] for p in pairs],
                           "persons": sorted({d for p in pairs
                                              for d in p["directors"] + p["relatives"]}),
                           "addresses": [t["address_key"]] if t.get("address_key") else []},
                          trader_location(t))
        if finding.score >= thresholds["min_score"]:
            results.append(finding)
    return results
