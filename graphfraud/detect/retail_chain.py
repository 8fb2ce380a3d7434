"""Retail supply chain: from outlets with illicit findings back to the supplier they name.

A supplier is suspect when several outlets with illicit whites, counterfeits or unstamped
packs name it (by id, KvK number, or a name resolved by entity resolution; a company
dissolved before the check stands for its successor under the same director), when its
intake by e-AD leans to the very brands found illicit at those outlets, and when it
shares people or an address with them.

A stated name that entity resolution could only match as a *candidate* (a namesake, or a
score below the link threshold) is weaker evidence: the outlet is shared out over the
candidate and its namesakes, in proportion to what says each one really supplied it —
how far its intake leans to the brands found at the outlet, whether it shares people or
an address with the outlet's other, resolved suppliers, and whether other outlets name
it unambiguously.

A big legal wholesaler that illicit shops give as cover is named on clean lines far more
often than on illicit ones: when a supplier's namings are illicit at less than three
quarters of the rate of every other supplier's (`thresholds.cover_max_lift`), its naming
signals count a quarter of their weight (`thresholds.cover_damping`), and the evidence
says why. Outlets that name nobody still lead to a supplier that receives e-ADs when it
is tied to them through people (director, shareholder, employee, a relative) or phones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from graphfraud.detect.columns import present
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.phoenix import successions
from graphfraud.detect.scoring import Finding, Reason
from graphfraud.resolve.normalize import normalize_company_name

VERSION = "1.2"
#: the named queries (cypher/signals/) whose rows this detector reads
INPUTS = ("signal_check_lines", "signal_movements", "signal_traders", "signal_roles")
ILLICIT = frozenset({"illicit_white", "counterfeit", "no_tax_stamp"})
#: what every namesake gets before evidence, so a tie without evidence splits evenly
PRIOR = 0.1
#: an outlet counts for a candidate's brands and ties when more than this share is its
DECIDED = 0.5
#: outlets (resolved ones 1 each, candidate ones by their share) a supplier needs
MIN_OUTLETS = 1.5
#: the signals that rest on outlets naming the supplier (damped for a cover name)
NAMING_SIGNALS = frozenset({"named_by_outlets_with_findings", "named_as_candidate",
                            "many_outlets"})


def illicit_lines_at(inputs: DetectionInputs) -> dict[str, list[dict]]:
    """outlet -> its check lines with illicit, counterfeit or unstamped goods."""
    out: dict[str, list[dict]] = defaultdict(list)
    for line in inputs.check_lines:
        if line.get("classification") in ILLICIT and line.get("outlet"):
            out[line["outlet"]].append(line)
    return out


def successors(inputs: DetectionInputs, months: float) -> dict[str, str]:
    """dissolved trader -> the company that succeeded it under the same director: the only
    one, or the one alone with the most of same address, same activity, registered after
    the dissolution (a sister company at the address is no successor)."""
    return dict(inputs.derived(("successors", months), lambda: _successors(inputs, months)))


def _successors(inputs: DetectionInputs, months: float) -> dict[str, str]:
    found: dict[str, list[tuple[tuple[bool, ...], str]]] = defaultdict(list)
    for pair in successions(inputs, months):
        if pair["directors"]:
            ties = (pair["same_address"], pair["same_activity"], pair["gap_months"] >= 0)
            found[pair["dead"]].append((ties, pair["successor"]))
    out = {}
    for dead, ranked in found.items():
        ranked.sort(key=lambda r: (tuple(not x for x in r[0]), r[1]))
        if len(ranked) == 1 or ranked[0][0] > ranked[1][0]:
            out[dead] = ranked[0][1]
    return out


def supplier_findings(inputs: DetectionInputs,
                      successor: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """supplier -> the illicit check lines whose outlet named it (by id or a linked name).

    A line naming a company dissolved before the check goes to its successor, when it has
    exactly one (`successors`): a dissolved company delivers nothing; the shopkeeper
    names the business as he knew it.
    """
    successor = successor or {}
    out: dict[str, list[dict]] = defaultdict(list)
    for line in inputs.check_lines:
        named = line.get("supplier")
        if not named or line.get("classification") not in ILLICIT or named == line.get("outlet"):
            continue
        dead = inputs.trader.get(named, {})
        if named in successor and dead.get("dissolved_on") and \
                (line.get("checked_on") or "") > dead["dissolved_on"]:
            named = successor[named]
            line = {**line, "supplier": named, "named_predecessor": line["supplier"]}
        if named != line.get("outlet"):
            out[named].append(line)
    return out


@dataclass
class BrandMix:
    """Which brands each trader received by e-AD, against the market as a whole.

    Counted per brand on an e-AD (an e-AD of two brands counts once for each), so the
    shares add up. A busy wholesaler receives every brand; only a supplier whose intake
    leans to the brands found illicit at its outlets says something by receiving them.
    """

    arcs: dict[str, dict[str, list[str]]]  # consignee -> brand -> ARCs
    market: dict[str, int]  # brand -> e-ADs carrying it, all consignees

    @classmethod
    def of(cls, inputs: DetectionInputs) -> BrandMix:
        entries = inputs.movement_frame.filter(present("consignee")) \
            .select("consignee", "brands", "arc").explode("brands") \
            .filter(present("brands"))
        arcs: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for consignee, brand, got in entries.group_by(
                "consignee", "brands", maintain_order=True).agg("arc").iter_rows():
            arcs[consignee][brand] = got
        market = dict(entries.group_by("brands", maintain_order=True).len().iter_rows())
        return cls(arcs, market)

    @cached_property
    def _totals(self) -> dict[str, int]:
        return {tid: sum(len(a) for a in brands.values()) for tid, brands in self.arcs.items()}

    @cached_property
    def _market_total(self) -> int:
        return sum(self.market.values())

    def share(self, trader: str, brands: Iterable[str]) -> float:
        """The share of the trader's inbound brand entries that are one of `brands`."""
        total = self._totals.get(trader, 0)
        got = self.arcs.get(trader, {})
        return sum(len(got.get(b, [])) for b in set(brands)) / total if total else 0.0

    def market_share(self, brands: Iterable[str]) -> float:
        total = self._market_total
        return sum(self.market.get(b, 0) for b in set(brands)) / total if total else 0.0

    def excess(self, trader: str, brands: Iterable[str]) -> float:
        """0 for an intake like the market's, 1 when it receives nothing but `brands`."""
        brands = set(brands)
        s, m = self.share(trader, brands), self.market_share(brands)
        return max(0.0, (s - m) / (1.0 - m)) if m < 1.0 else 0.0


def namesakes(inputs: DetectionInputs, trader_id: str,
              by_name: dict[str, list[str]]) -> list[str]:
    """The trader and every trader whose normalised name is the same."""
    name = normalize_company_name(inputs.trader.get(trader_id, {}).get("name"))
    return sorted({trader_id, *by_name.get(name, [])}) if name else [trader_id]


def alive_at(inputs: DetectionInputs, group: list[str], date: str,
             successor: dict[str, str]) -> list[str]:
    """The group as it could have traded on `date`: a trader dissolved before then is
    replaced by its successor, or left out (unless no one is left)."""
    out = set()
    for x in group:
        gone = inputs.trader.get(x, {}).get("dissolved_on")
        if gone and date and gone < date:
            if x in successor:
                out.add(successor[x])
        else:
            out.add(x)
    return sorted(out) or group


def candidate_shares(inputs: DetectionInputs, mix: BrandMix,
                     successor: dict[str, str] | None = None) -> dict[str, dict[str, float]]:
    """supplier -> outlet -> the share of that outlet's candidate naming that is its.

    A namesake dissolved before the outlet's checks stands for its successor
    (`successors`), or drops out when it has none.

    Per outlet and candidate match, each namesake scores PRIOR + brand fit (how far its
    intake leans to the brands found illicit at the outlet, `BrandMix.excess`) + 1 when
    it shares a director or address with a supplier the outlet names by a resolved link
    + 0.5 per other outlet with illicit findings that names it by a resolved link (at
    most 1): a known supplier of illicit goods is the likelier one behind its name.
    """
    lines_at = illicit_lines_at(inputs)
    by_name: dict[str, list[str]] = defaultdict(list)
    for t in inputs.traders:
        if t.get("name"):
            by_name[normalize_company_name(t["name"])].append(t["trader_id"])
    people = {tid: {r["person_id"] for r in rs} for tid, rs in inputs.roles_by_trader.items()}
    resolved_at: dict[str, set[str]] = defaultdict(set)  # supplier -> outlets naming it
    for outlet, lines in lines_at.items():
        for ln in lines:
            if ln.get("supplier") and ln["supplier"] != outlet:
                resolved_at[ln["supplier"]].add(outlet)
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for outlet, lines in sorted(lines_at.items()):
        candidates = sorted({c for ln in lines for c in ln.get("candidates") or []
                             if c != outlet})
        if not candidates:
            continue
        brands = {ln["brand"] for ln in lines if ln.get("brand")}
        resolved = {ln["supplier"] for ln in lines if ln.get("supplier")} - {outlet}
        checked = max((ln.get("checked_on") or "") for ln in lines if ln.get("candidates"))
        for cand in candidates:
            group = alive_at(inputs, namesakes(inputs, cand, by_name), checked, successor or {})
            score = {}
            for x in group:
                fit = mix.excess(x, brands)
                tie = any(people.get(x, set()) & people.get(r, set()) or (
                    inputs.trader.get(x, {}).get("address_key") and
                    inputs.trader.get(x, {}).get("address_key")
                    == inputs.trader.get(r, {}).get("address_key"))
                    for r in resolved if r != x)
                known = min(1.0, 0.5 * len(resolved_at.get(x, set()) - {outlet}))
                score[x] = PRIOR + fit + (1.0 if tie else 0.0) + known
            total = sum(score.values())
            for x, s in score.items():
                out[x][outlet] = max(out[x].get(outlet, 0.0), s / total)
    return out


def naming_lift(inputs: DetectionInputs) -> dict[str, tuple[float, float, float]]:
    """supplier -> (lift, illicit lines, clean lines naming it; a line naming it by a
    candidate match counts as a share, over the candidates).

    The lift is the share of a supplier's namings that are on illicit lines over that
    share among every other supplier's resolved namings (leaving its own out, so a big
    name does not set its own baseline). A big legal wholesaler that illicit shops give
    as cover is named on clean lines many times more: its lift is well below 1."""
    ill: dict[str, float] = defaultdict(float)
    clean: dict[str, float] = defaultdict(float)
    for line in inputs.check_lines:
        named = [line["supplier"]] if line.get("supplier") else sorted(
            set(line.get("candidates") or []))  # a candidate match: shared out
        named = [x for x in named if x != line.get("outlet")]
        into = ill if line.get("classification") in ILLICIT else clean
        for x in named:
            into[x] += 1 / len(named)
    total_ill, total = sum(ill.values()), sum(ill.values()) + sum(clean.values())
    out = {}
    for sup in set(ill) | set(clean):
        n = ill[sup] + clean[sup]
        rest = total - n
        base = (total_ill - ill[sup]) / rest if rest else 0.0
        out[sup] = ((ill[sup] / n) / base if base else 1.0, ill[sup], clean[sup])
    return out


def tied_outlets(inputs: DetectionInputs, lines_at: dict[str, list[dict]], mix: BrandMix,
                 nominee_roles: int) -> dict[str, dict[str, str]]:
    """supplier -> outlet with illicit findings -> the path that ties them, for suppliers
    that receive e-ADs (a shop buys duty paid; a wholesaler receives under suspension).

    A tie is a person with a role at both (director, shareholder, employee, …), a relative
    of a person of the supplier (same surname, same home address) with a role at the
    outlet, or the outlet's phone or e-mail held by the supplier or one of its people.
    A nominee (`nominee_roles` or more roles) ties nothing."""
    from graphfraud.detect.phoenix import surname

    roles = inputs.roles_by_person
    home = {r["person_id"]: (surname(r.get("full_name")), r.get("home_address") or "")
            for r in inputs.rows["signal_roles"]}
    household: dict[tuple[str, str], set[str]] = defaultdict(set)
    for p, key in home.items():
        if all(key):
            household[key].add(p)
    receivers = set(mix.arcs)
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for outlet in sorted(lines_at):
        people = {r["person_id"] for r in inputs.roles_by_trader.get(outlet, [])
                  if len(roles.get(r["person_id"], [])) < nominee_roles}
        paths: dict[str, str] = {}
        for p in sorted(people):
            kin = household.get(home.get(p, ("", "")), set()) - {p}
            for q, how in [(p, f"Person:{p}")] + [(k, f"Person:{p} (relative of {k})")
                                                  for k in sorted(kin)]:
                for r in roles.get(q, []):
                    paths.setdefault(r["trader_id"], how)
        for value in sorted(inputs.identifiers_of.get(("trader", outlet), set())):
            for kind, owner in inputs.identifier_owners.get(value, ()):
                ref = f"{'Email' if '@' in value else 'Phone'}:{value}"
                if kind == "trader":
                    paths.setdefault(owner, ref)
                elif len(roles.get(owner, [])) < nominee_roles:
                    for r in roles.get(owner, []):
                        paths.setdefault(r["trader_id"], f"{ref} of Person:{owner}")
        for sup, how in paths.items():
            if sup != outlet and sup in receivers:
                out[sup][outlet] = how
    return out


def detect_retail_chain(inputs: DetectionInputs, weights: dict[str, float],
                        thresholds: dict[str, float]) -> list[Finding]:
    lift = naming_lift(inputs)
    mix = BrandMix.of(inputs)
    successor = successors(inputs, thresholds["phoenix_months"])
    shares = candidate_shares(inputs, mix, successor)
    named = supplier_findings(inputs, successor)
    lines_at = illicit_lines_at(inputs)
    people = {tid: {r["person_id"] for r in roles} for tid, roles in
              inputs.roles_by_trader.items()}
    ties = tied_outlets(inputs, lines_at, mix, int(thresholds.get("nominee_roles", 10)))
    results = []
    for supplier in sorted(set(named) | set(shares) | set(ties)):
        lines = named.get(supplier, [])
        outlets = sorted({ln["outlet"] for ln in lines if ln.get("outlet")} - {supplier})
        cand = {o: s for o, s in shares.get(supplier, {}).items()
                if o not in outlets and o != supplier}
        cand_total = sum(cand.values())
        tied = {o: how for o, how in ties.get(supplier, {}).items()
                if o not in outlets and o not in cand}
        if len(tied) < 2:
            tied = {}
        effective = len(outlets) + cand_total + len(tied)
        if effective < MIN_OUTLETS:
            continue
        t = inputs.trader.get(supplier, {})
        reasons = []
        if len(outlets) >= 2:
            checks = sorted({ln["check_id"] for ln in lines})
            old = sorted({ln["named_predecessor"] for ln in lines if ln.get("named_predecessor")})
            reasons.append(Reason("named_by_outlets_with_findings",
                                  weights["named_by_outlets_with_findings"],
                                  f"{len(outlets)} outlets with illicit findings name it as "
                                  "supplier" + (f" (some by its dissolved predecessor "
                                                f"{', '.join(old)})" if old else ""),
                                  tuple(f"RetailCheck:{c}" for c in checks[:8])
                                  + tuple(f"Trader:{o}" for o in old[:2])))
        decided = sorted(o for o, s in cand.items() if s > DECIDED)
        if cand_total >= 1.0:
            top = sorted(cand, key=lambda o: (-cand[o], o))
            checks = sorted({ln["check_id"] for o in top[:8] for ln in lines_at[o]
                             if ln.get("candidates")})
            reasons.append(Reason(
                "named_as_candidate", weights["named_as_candidate"],
                f"{len(cand)} outlet(s) with illicit findings name it or a namesake by a name "
                f"entity resolution left as a candidate match; its share {cand_total:.1f} of "
                "them, by the brands each namesake received, people shared with the outlets' "
                "other suppliers, and resolved namings elsewhere",
                tuple(f"RetailCheck:{c}" for c in checks[:8])
                + tuple(f"Trader:{o}" for o in top[:4])))
        if tied:
            paths = sorted(tied.items())
            reasons.append(Reason(
                "tied_outlets_with_findings", weights["tied_outlets_with_findings"],
                f"{len(tied)} outlet(s) with illicit findings that do not name it are tied to "
                "it through people or phones: " + "; ".join(f"{o} via {how}"
                                                            for o, how in paths[:3]),
                tuple(f"Trader:{o}" for o, _ in paths[:6])
                + tuple(sorted({how.split(" ")[0] for _, how in paths})[:4])))
        if not reasons:
            continue
        if effective >= 4:
            every = outlets + sorted(cand, key=lambda o: (-cand[o], o))
            reasons.append(Reason("many_outlets", weights["many_outlets"],
                                  f"{effective:.1f} outlets" + (
                                      f" ({cand_total:.1f} of them by candidate match)"
                                      if cand else ""),
                                  tuple(f"Trader:{o}" for o in every[:8])))
        found = [ln for o in sorted(set(outlets) | set(decided) | set(tied))
                 for ln in lines_at[o]]
        brands = sorted({ln["brand"] for ln in found if ln.get("brand")})
        got = mix.arcs.get(supplier, {})
        arcs = sorted({a for b in brands for a in got.get(b, [])})
        share, market = mix.share(supplier, brands), mix.market_share(brands)
        if arcs and share >= thresholds["brand_lift"] * market:
            received = sorted(b for b in brands if got.get(b))
            reasons.append(Reason("inbound_same_brand", weights["inbound_same_brand"],
                                  f"received {len(arcs)} e-AD(s) of {', '.join(received[:3])}, "
                                  f"found illicit at its outlets: {100 * share:.0f}% of its "
                                  f"intake, against {100 * market:.0f}% market-wide",
                                  tuple(f"Movement:{a}" for a in arcs[:6])))
        linked_or_decided = sorted(set(outlets) | set(decided))
        shared = sorted(o for o in linked_or_decided
                        if people.get(o, set()) & people.get(supplier, set())
                        or (t.get("address_key") and inputs.trader.get(o, {}).get("address_key")
                            == t.get("address_key")))
        if shared:
            reasons.append(Reason("shared_people_or_address",
                                  weights["shared_people_or_address"],
                                  f"shares directors or address with {len(shared)} outlet(s)",
                                  tuple(f"Trader:{o}" for o in shared[:6])))
        cover = lift.get(supplier)
        if cover and cover[2] and cover[0] < thresholds["cover_max_lift"]:
            # named mostly on clean lines: the name is the shop's cover, not its source
            factor = thresholds["cover_damping"]
            reasons = [Reason(r.signal, round(r.weight * factor, 6),
                              f"{r.evidence}; damped x{factor}: also named on {cover[2]:.0f} clean "
                              f"line(s) against {cover[1]:.0f} illicit (lift {cover[0]:.2f})",
                              r.refs) if r.signal in NAMING_SIGNALS else r for r in reasons]
        finding = Finding("retail_supply_chain", f"Trader:{supplier}",
                          f"supplier {t.get('name', supplier)} named by "
                          f"{len(linked_or_decided)} outlets",
                          reasons, {"traders": [supplier, *linked_or_decided, *sorted(tied)],
                                    "movements": arcs[:30],
                                    "addresses": [t["address_key"]] if t.get("address_key")
                                    else []},
                          {"municipality": t.get("city"), "lat": t.get("lat"),
                           "lon": t.get("lon")})
        if finding.score >= thresholds["min_score"]:
            results.append(finding)
    return results
