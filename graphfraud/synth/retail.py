"""Retail checks at points of sale: the background inspections and a helper for cases.

About 20% of checks have findings, mostly small non-domestic legal stock; the stated
supplier is free text (exact name, a variant, a KvK number, or a name of nobody).
"""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import names
from graphfraud.synth.model import Row, Trader
from graphfraud.synth.products import ILLICIT_WHITE_BRANDS, LEGAL_BRANDS, foreign_stamp
from graphfraud.synth.world import World, iso, rand_date

TEAMS = ["HEIT Den Haag", "Team Zuid", "Team Noord", "Team Oost", "Team West", "Team Midden"]
#: suppliers named in checks and tips that are no registered trader, worded so that no
#: generated company name is a namesake (not 'Groothandel De Ster' beside 'Ster Groothandel')
NOBODY = ["Groothandel Anatolia", "Tabak Express Antwerpen", "Cash & Carry Oost",
          "Mehmet van de markt", "Smokey Trading", "Groothandel De Morgenster", "Baltic Import",
          "Rookwaren Depot Nederland"]
FINDING_MIX = [("non_domestic_legal", 70), ("illicit_white", 10), ("no_tax_stamp", 9),
               ("counterfeit", 8), ("unknown", 3)]
ILLEGAL = ("illicit_white", "counterfeit", "no_tax_stamp")


def finding_line(rng: random.Random, classification: str, product: str = "",
                 brand: str = "") -> Row:
    """One product line of a finding, consistent brand and stamp for its class."""
    product = product or rng.choices(["cigarettes", "fine_cut", "waterpipe", "cigars"],
                                     [70, 18, 9, 3])[0]
    epc = {"cigarettes": "T200", "fine_cut": "T400", "waterpipe": "T500", "cigars": "T300"}[product]
    stamp = ""
    if classification == "non_domestic_legal":
        stamp = foreign_stamp(rng)[0]
        brand = brand or rng.choice(LEGAL_BRANDS[epc])
    elif classification == "counterfeit":
        stamp = rng.choice(["NL", "NL", "DE"])
        brand = brand or rng.choice(LEGAL_BRANDS[epc])
    elif classification == "illicit_white":
        stamp = rng.choice(["", "", "BY", "AE"])
        brand = brand or (rng.choice(ILLICIT_WHITE_BRANDS) if epc == "T200"
                          else rng.choice(LEGAL_BRANDS[epc]) + " Export")
    elif classification == "no_tax_stamp":
        brand = brand or rng.choice(LEGAL_BRANDS[epc] + ILLICIT_WHITE_BRANDS[:3])
    else:
        brand = brand or rng.choice(LEGAL_BRANDS[epc])
    sticks = product in ("cigarettes", "cigars")
    qty = rng.choice([20, 40, 200, 400, 600, 1000, 2000]) if sticks else rng.choice(
        [50, 100, 250, 500, 1000, 3000])
    if classification in ILLEGAL and rng.random() < 0.3:
        qty *= rng.randint(3, 20)
    return {"product": product, "brand": brand, "classification": classification,
            "stamp_country": stamp, "quantity": str(qty), "unit": "sticks" if sticks else "grams",
            "seized": "true" if classification in ILLEGAL or rng.random() < 0.3 else "false"}


def add_check(world: World, rng: random.Random, outlet: Trader, on: dt.date,
              lines: list[Row], team: str = "") -> None:
    """Append one inspection (rows share a provisional id; final ids are set at writing)."""
    key = world.next_id("CHK", 7)
    team = team or rng.choice(TEAMS)
    if not lines:
        world.checks.append({"check_id": key, "checked_on": iso(on),
                             "outlet_trader_id": outlet.trader_id, "team": team,
                             "outcome": "no_findings"})
        return
    fine = str(rng.choice([250, 500, 1000, 1500, 2500, 5000]))
    invoice = f"F{on.year}-{rng.randint(1000, 99999)}" if rng.random() < 0.3 else ""
    for ln in lines:
        row = {"check_id": key, "checked_on": iso(on), "outlet_trader_id": outlet.trader_id,
               "team": team, "outcome": "findings", "invoice_number": invoice,
               "fine_eur": fine}
        row.update(ln)
        world.checks.append(row)


def supplier_text(rng: random.Random, trader: Trader) -> tuple[str, str | None]:
    """How a shopkeeper names a supplier: exact, a variant, or the KvK number."""
    u = rng.random()
    if u < 0.35:
        return trader.name, trader.trader_id
    if u < 0.45 and trader.kvk_number:
        return trader.kvk_number, trader.trader_id
    return names.name_variant(rng, trader.name), trader.trader_id


def stated(row: Row, text: str, trader_id: str | None) -> Row:
    row["stated_supplier"] = text
    row["_nv"] = ("stated_supplier", trader_id)  # type: ignore[assignment]
    return row


def background_checks(world: World) -> None:
    """Routine inspections; suppliers named in findings exclude decoys and case traders."""
    rng = world.rng("retail-background")
    outlets = world.by_role["outlet"]
    weights = [1.0 if o.is_chain == "true" else 3.0 for o in outlets]
    years = world.end.year - world.start.year + 1
    suppliers = [t for t in world.by_role["wholesaler"] if t.trader_id not in world.reserved]
    similar = world.similar_pairs
    for _ in range(world.scale.checks_per_year * years):
        outlet = rng.choices(outlets, weights)[0]
        if outlet.trader_id in world.reserved:
            continue
        on = rand_date(rng, world.start, world.end)
        if rng.random() >= 0.21:
            add_check(world, rng, outlet, on, [])
            continue
        lines = []
        for _ in range(rng.choices([1, 2, 3], [70, 22, 8])[0]):
            cls = rng.choices(*zip(*FINDING_MIX, strict=True))[0]
            if outlet.is_chain == "true" and cls in ILLEGAL:
                cls = "non_domestic_legal"
            ln = finding_line(rng, cls)
            u = rng.random()
            if world.cover_wholesaler is not None and cls == "non_domestic_legal" \
                    and rng.random() < 0.6:
                # harder profile: the big legal wholesaler, named on clean lines all the time
                stated(ln, *supplier_text(rng, world.cover_wholesaler))
            elif u < 0.25 and similar and cls == "non_domestic_legal":
                a, b = similar[rng.randrange(len(similar))]
                pick = a if rng.random() < 0.5 else b
                stated(ln, pick.name, pick.trader_id)
            elif u < 0.45 and suppliers and cls == "non_domestic_legal":
                sup = suppliers[rng.randrange(len(suppliers))]
                stated(ln, *supplier_text(rng, sup))
            elif u < 0.55:
                stated(ln, rng.choice(NOBODY), None)
            lines.append(ln)
        add_check(world, rng, outlet, on, lines)
