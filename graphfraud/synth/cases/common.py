"""Building blocks shared by the planted cases: fresh companies, directors with a past."""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import ids, names
from graphfraud.synth.geo import Address, Municipality
from graphfraud.synth.legal_stream import ArcMinter
from graphfraud.synth.model import Case, Person, Subjects, Trader
from graphfraud.synth.movements import Destination, Line, Movement
from graphfraud.synth.products import EPC_INFO
from graphfraud.synth.world import World

FAR_COUNTRIES = ("PL", "BG", "HU", "CZ", "LT", "GR", "CY")


def company(world: World, rng: random.Random, name: str, address: Address, role: str,
            registered: dt.date, *, form: str = "bv", sbi: str = "4690",
            excise_status: str = "none", phone: str = "", status: str = "active",
            dissolved: dt.date | None = None) -> Trader:
    t = world.add_trader(rng, name, address, form, sbi, registered, role,
                         excise_status=excise_status, status=status, dissolved_on=dissolved,
                         phone=phone, with_excise=excise_status != "none")
    world.reserved.add(t.trader_id)
    return t


def director_with_past(world: World, rng: random.Random, m: Municipality, before: dt.date,
                       n_dissolved: int) -> tuple[Person, list[Trader]]:
    """A director whose earlier companies were dissolved within the last 36 months."""
    p = world.add_person(rng, m, nationality=rng.choice(["NL", "TR", "PL", "BG", "UA", "MA"]),
                         born=(1965, 1995))
    if not p.phone:
        p.phone = ids.nl_mobile(rng)
    past: list[Trader] = []
    for _ in range(n_dissolved):
        dissolved = before - dt.timedelta(days=rng.randint(30, 1000))
        registered = dissolved - dt.timedelta(days=rng.randint(200, 1200))
        t = company(world, rng, names.generic_company(rng), world.address_book.nl(world.pick_muni(rng)),
                    "other", registered, sbi=rng.choice(["4635", "4690", "5210", "4719"]),
                    status="dissolved", dissolved=dissolved)
        world.add_role(p, t)
        past.append(t)
    return p, past


def consignor(world: World, rng: random.Random, far: bool = False) -> Trader:
    pool = world.by_role["foreign_consignor"]
    if far:
        far_pool = [t for t in pool if t.address.country in FAR_COUNTRIES]
        pool = far_pool or pool
    return pool[rng.randrange(len(pool))]


def to_trader(t: Trader, dest_type: str, journey: str, declared: str = "") -> Destination:
    a = t.address
    return Destination(dest_type, journey, t.excise_number, declared or t.name,
                       f"{a.street} {a.house_number}", a.postcode, a.city, a.country,
                       f"{a.street} {a.house_number}, {a.postcode} {a.city}",
                       name_truth=(t.trader_id,) if declared and declared != t.name else None)


def simple_movement(arcs: ArcMinter, src: Trader, when: dt.datetime, dest: Destination,
                    epc: str, brand: str, qty: str, plate: str, transporter: Trader) -> Movement:
    cn, unit, *_ = EPC_INFO[epc]
    return Movement(arcs.mint(when, src.address.country, src.excise_number), src.excise_number,
                    src.excise_number, "1", when, transporter.name, transporter.vat_number,
                    [plate], "1", [Line(epc, cn, brand, qty, unit)], [dest])


def new_case(world: World, kind: str, variant: str, description: str, subjects: Subjects,
             primary: tuple[str, str], signals: list[str], looks_like: str = "") -> Case:
    prefix = "DECOY" if looks_like else "CASE"
    case = Case(world.next_id(prefix, 3), kind, variant, description, subjects, primary[0],
                primary[1], looks_like, signals)
    (world.decoys if looks_like else world.cases).append(case)
    return case
