"""The legal market: warehouses, foreign consignors, wholesalers, transporters, outlets.

It also fixes who ships to whom (`Flow`), which the movement stream samples from.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from graphfraud.synth import ids, names
from graphfraud.synth.geo import Address
from graphfraud.synth.model import Trader
from graphfraud.synth.products import LEGAL_BRANDS
from graphfraud.synth.world import World, rand_date

FOREIGN_COUNTRIES = [("DE", 30), ("BE", 20), ("PL", 15), ("LU", 8), ("CZ", 6), ("HU", 6),
                     ("BG", 6), ("LT", 4), ("GR", 3), ("CY", 2)]
EXPORT_CONSIGNEES = [("Gulf Tobacco Trading LLC", "AE", "Jebel Ali Free Zone", "Dubai"),
                     ("Balkan Duty Free d.o.o.", "RS", "Autoput 12", "Beograd"),
                     ("Nordic Travel Retail AS", "NO", "Lufthavnveien 5", "Gardermoen"),
                     ("Anadolu Tütün A.S.", "TR", "Organize Sanayi 4", "Izmir"),
                     ("Britannia Tobacco Distribution Ltd", "GB", "Dock Road 7", "Felixstowe"),
                     ("Swiss Tabak Lager AG", "CH", "Zollstrasse 3", "Basel")]


@dataclass(slots=True)
class Shipper:
    """A party that may dispatch under duty suspension from a tax warehouse."""

    trader: Trader
    warehouse: str  # place_of_dispatch excise number
    brands: list[tuple[str, str]]  # (epc, brand)
    weight: float


@dataclass(slots=True)
class Flow:
    shipper: Shipper
    consignee: Trader | None  # None: export outside the EU
    destination_type: str
    delivery_place: str
    weight: float


@dataclass
class Market:
    shippers: list[Shipper]
    flows: list[Flow]
    transporters: list[Trader]
    warehouse_of: dict[str, str]


def _portfolio(rng: random.Random, epcs: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for epc in epcs:
        for b in rng.sample(LEGAL_BRANDS[epc], k=min(len(LEGAL_BRANDS[epc]), rng.randint(1, 3))):
            out.append((epc, b))
    return out


def _director(world: World, rng: random.Random, t: Trader, reuse: float = 0.0) -> None:
    """Give a company a director; sometimes an existing person (ordinary multi-directorships)."""
    if reuse and world.persons and rng.random() < reuse:
        p = world.persons[rng.randrange(len(world.persons))]
    else:
        p = world.add_person(rng, world.muni_by_name.get(t.muni))
    world.add_role(p, t)
    if t.legal_form == "bv" and rng.random() < 0.4:
        world.add_role(p, t, "ubo")


def build_market(world: World) -> Market:
    rng = world.rng("market")
    s = world.scale
    shippers: list[Shipper] = []
    warehouse_of: dict[str, str] = {}
    old = dt.date(1995, 1, 1)

    foreign: list[Trader] = []
    for i in range(s.foreign_consignors):
        cc = ("PL", "BG")[i] if i < 2 else rng.choices(*zip(*FOREIGN_COUNTRIES, strict=True))[0]
        a = world.address_book.foreign(cc)
        t = world.add_trader(rng, names.foreign_name(rng, cc), a, "foreign", "",
                             rand_date(rng, old, dt.date(2018, 1, 1)), "foreign_consignor",
                             excise_status="authorised_warehousekeeper",
                             phone=ids.foreign_phone(rng, cc), with_excise=True)
        foreign.append(t)
        epcs = rng.choice([["T200"], ["T200", "T400"], ["T400"], ["T300"], ["T500"],
                           ["T200", "T300", "T400"]])
        shippers.append(Shipper(t, t.excise_number, _portfolio(rng, epcs),
                                rng.paretovariate(1.5)))
        warehouse_of[t.trader_id] = t.excise_number

    def nl_warehouse(t: Trader, kind: str = "tax_warehouse", area: tuple[int, int] = (2000, 20000),
                     address: Address | None = None) -> str:
        wh = ids.excise_number("NL", world.excise_draw)
        world.add_premise(kind, address or t.address, t, excise_number=wh,
                          floor_area_m2=str(rng.randint(*area)))
        warehouse_of[t.trader_id] = wh
        return wh

    for i in range(s.manufacturers):
        m = world.pick_muni(rng)
        base = rng.choice(["Tabaksfabriek", "Koninklijke Tabakfabriek", "Sigarenfabriek",
                           "Shagfabriek"]) + " " + rng.choice(names.WORDS)
        t = world.add_trader(rng, base, world.address_book.nl(m, "industrial"), "bv", "1200",
                             rand_date(rng, old, dt.date(2010, 1, 1)), "manufacturer",
                             excise_status="authorised_warehousekeeper",
                             phone=ids.nl_landline(rng), with_excise=True)
        _director(world, rng, t)
        _director(world, rng, t)
        wh = nl_warehouse(t)
        epcs = [["T200", "T400"], ["T300"], ["T200", "T400", "T500"]][i % 3]
        shippers.append(Shipper(t, wh, _portfolio(rng, epcs), 6.0))

    for _ in range(s.importers):
        m = world.pick_muni(rng)
        t = world.add_trader(rng, f"{rng.choice(names.WORDS)} Tobacco Import",
                             world.address_book.nl(m, "industrial"), "bv", "4635",
                             rand_date(rng, old, dt.date(2015, 1, 1)), "importer",
                             excise_status="authorised_warehousekeeper",
                             phone=ids.nl_landline(rng), with_excise=True)
        _director(world, rng, t)
        wh = nl_warehouse(t)
        shippers.append(Shipper(t, wh, _portfolio(rng, ["T200", "T400", "T500"]), 3.0))

    wholesalers: list[Trader] = []
    for _ in range(s.wholesalers):
        m = world.pick_muni(rng)
        aw = rng.random() < 0.4
        t = world.add_trader(rng, names.wholesaler_name(rng), world.address_book.nl(m, "industrial"),
                             rng.choice(["bv", "bv", "bv", "vof"]), "4635",
                             rand_date(rng, old, dt.date(2019, 6, 1)), "wholesaler",
                             excise_status="authorised_warehousekeeper" if aw
                             else "registered_consignee",
                             phone=ids.nl_landline(rng), with_excise=True)
        _director(world, rng, t, reuse=0.05)
        if aw:
            nl_warehouse(t, area=(800, 6000))
        else:
            world.add_premise("storage", t.address, t, floor_area_m2=str(rng.randint(300, 3000)))
        wholesalers.append(t)
    _similar_pairs(world, rng, wholesalers)
    wholesale_weight = {t.trader_id: rng.paretovariate(1.2) for t in wholesalers}

    transporters: list[Trader] = []
    for _ in range(s.transporters):
        m = world.pick_muni(rng)
        t = world.add_trader(rng, f"{rng.choice(names.WORDS)} Transport",
                             world.address_book.nl(m, "industrial"), "bv", "4941",
                             rand_date(rng, old, dt.date(2018, 1, 1)), "transporter",
                             phone=ids.nl_landline(rng))
        _director(world, rng, t, reuse=0.05)
        transporters.append(t)

    _outlets(world, rng)
    _other_companies(world, rng)

    flows: list[Flow] = []
    nl_receivers = wholesalers + world.by_role.get("importer", [])
    for sh in shippers:
        is_foreign = sh.trader.address.country != "NL"
        k = min(len(nl_receivers), rng.randint(2, 8))
        for c in rng.sample(nl_receivers, k=k):
            if not is_foreign and c.excise_status != "authorised_warehousekeeper":
                continue  # a registered consignee only receives from other member states
            if c.trader_id == sh.trader.trader_id:
                continue
            aw = c.excise_status == "authorised_warehousekeeper"
            flows.append(Flow(sh, c, "1" if aw else "2",
                              warehouse_of.get(c.trader_id, "") if aw else "",
                              sh.weight * wholesale_weight.get(c.trader_id, 2.0)))
        if not is_foreign:
            for c in rng.sample(foreign, k=min(len(foreign), 2)):
                flows.append(Flow(sh, c, "1", c.excise_number, sh.weight * 0.8))
            flows.append(Flow(sh, None, "6", "", sh.weight * 0.5))
    return Market(shippers, flows, transporters, warehouse_of)


def _outlets(world: World, rng: random.Random) -> None:
    s = world.scale
    n_chain = int(s.outlets * 0.3)
    for i in range(s.outlets):
        m = world.pick_muni(rng)
        a = world.address_book.nl(m, "shop")
        chain = i < n_chain
        if chain:
            name = f"{rng.choice(names.CHAINS)} {m.name} {a.street}"
            form = "bv"
        else:
            name = names.outlet_name(rng, m.name)
            form = rng.choice(["eenmanszaak", "eenmanszaak", "vof", "bv"])
        t = world.add_trader(rng, name, a, form, "4726" if rng.random() < 0.85 else "4711",
                             rand_date(rng, dt.date(2000, 1, 1), dt.date(2021, 6, 1)), "outlet",
                             phone=ids.nl_mobile(rng) if rng.random() < 0.5 else "",
                             is_chain="true" if chain else "false")
        owner = world.add_person(rng, m)
        world.add_role(owner, t)
        world.add_premise("shop", a, t, floor_area_m2=str(rng.randint(20, 200)))


def _other_companies(world: World, rng: random.Random) -> None:
    """Ordinary companies: background for directors, phones and dissolved entities."""
    for _ in range(world.scale.other_companies):
        m = world.pick_muni(rng)
        reg = rand_date(rng, dt.date(2005, 1, 1), dt.date(2023, 6, 1))
        dissolved = rng.random() < 0.12
        end = reg + dt.timedelta(days=rng.randint(400, 3000))
        dis = end if dissolved and end < world.end else None
        t = world.add_trader(rng, names.generic_company(rng), world.address_book.nl(m),
                             rng.choice(["bv", "bv", "eenmanszaak", "vof", "stichting"]),
                             rng.choice(["4690", "6420", "7022", "4941", "5210", "4719"]), reg,
                             "other", status="dissolved" if dis else "active", dissolved_on=dis)
        _director(world, rng, t, reuse=0.15)




def _similar_pairs(world: World, rng: random.Random, wholesalers: list[Trader]) -> None:
    """Different companies with near-identical names: entity resolution must keep them apart."""
    n = max(2, world.scale.cases_per_kind)
    seeds = [("Tabakshandel Jansen", "eenmanszaak"), ("Groothandel Yilmaz", "vof")]
    for i in range(n):
        m1, m2 = world.pick_muni(rng), world.pick_muni(rng)
        if i < len(seeds):
            base, form = seeds[i]
        else:
            base, form = names.wholesaler_name(rng), "bv"
        a = world.add_trader(rng, base, world.address_book.nl(m1, "industrial"), form, "4635",
                             rand_date(rng, dt.date(2000, 1, 1), dt.date(2018, 1, 1)),
                             "wholesaler", excise_status="registered_consignee",
                             phone=ids.nl_landline(rng), with_excise=True)
        other = "Tabakhandel Janssen B.V." if i == 0 else names.similar_but_different(rng, a.name)
        b = world.add_trader(rng, names.strip_legal_form(other),
                             world.address_book.nl(m2, "industrial"),
                             "bv" if other.endswith("B.V.") else "vof" if "V.O.F." in other
                             else "eenmanszaak", "4635",
                             rand_date(rng, dt.date(2000, 1, 1), dt.date(2018, 1, 1)),
                             "wholesaler", excise_status="registered_consignee",
                             phone=ids.nl_landline(rng), with_excise=True)
        for t in (a, b):
            _director(world, rng, t)
            world.add_premise("storage", t.address, t, floor_area_m2=str(rng.randint(300, 2000)))
            wholesalers.append(t)
        world.similar_pairs.append((a, b))
