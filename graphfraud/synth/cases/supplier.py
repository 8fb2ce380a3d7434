"""Supplier networks, phoenix successions and retail supply chains.

A wholesaler named by many outlets with illegal findings, tied to sister companies by
directors, phones and addresses; its predecessor at the same address was dissolved
with the same director (phoenix). Separate chains link a lone supplier to outlets via
the stated supplier and its incoming EMCS movements.
"""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import ids, names
from graphfraud.synth.cases.common import company, consignor, new_case, simple_movement, to_trader
from graphfraud.synth.config import LONE_SUPPLIER_EVERY, base_name
from graphfraud.synth.geo import journey_time, km
from graphfraud.synth.legal_stream import ArcMinter
from graphfraud.synth.model import Person, Subjects, Trader
from graphfraud.synth.products import LEGAL_BRANDS
from graphfraud.synth.retail import NOBODY, add_check, finding_line, stated, supplier_text
from graphfraud.synth.world import World, rand_date

ILLEGAL_MIX = [("counterfeit", 45), ("illicit_white", 35), ("no_tax_stamp", 20)]


def plant_suppliers(world: World, arcs: ArcMinter) -> None:
    rng = world.rng("case-supplier")
    for i in range(world.scale.cases_per_kind):
        w, network_subj = _network(world, rng, arcs, i)
        # A network's wholesaler is named by its outlets and receives the same brand:
        # by definition a retail supply chain too. Lone suppliers come on top
        # (config.planted_per_kind).
        _chain(world, rng, arcs, w, network_subj)
        if i % LONE_SUPPLIER_EVERY == 0:
            # harder profile: the first lone supplier is reached only through people
            _chain(world, rng, arcs, None, None, hidden=world.scale.harder and i == 0)


def _inbound(world: World, rng: random.Random, arcs: ArcMinter, w: Trader, brand: str,
             start: dt.date) -> list[str]:
    """Legal-looking duty-suspended deliveries of `brand` to the supplier."""
    src = consignor(world, rng)
    tr = world.by_role["transporter"][rng.randrange(len(world.by_role["transporter"]))]
    dist = km(src.address.lat, src.address.lon, w.address.lat, w.address.lon) * 1.25
    out = []
    for _ in range(rng.randint(3, 8)):
        when = dt.datetime.combine(rand_date(rng, start, world.end - dt.timedelta(days=10)),
                                   dt.time(rng.randint(5, 17)))
        mv = simple_movement(arcs, src, when, to_trader(w, "2", journey_time(dist)), "T200",
                             brand, str(rng.randint(500, 4000)), ids.nl_plate(rng), tr)
        mv.received_at = (when + dt.timedelta(hours=dist / 60 + rng.uniform(3, 30))).date().isoformat()
        mv.receipt_conclusion = "1"
        world.case_movements.append(mv)
        out.append(mv.arc)
    return out


def _outlet_findings(world: World, rng: random.Random, w: Trader, brand: str, k: int,
                     since: dt.date, old: Trader | None = None,
                     named: bool = True) -> list[str]:
    pool = [o for o in world.by_role["outlet"] if o.is_chain == "false"
            and o.trader_id not in world.reserved]
    chosen = rng.sample(pool, k=min(len(pool), k))
    for o in chosen:
        world.reserved.add(o.trader_id)
        for _ in range(rng.choice((1, 1, 2))):
            lines = []
            for _ in range(rng.choice((1, 2))):
                cls = rng.choices(*zip(*ILLEGAL_MIX, strict=True))[0]
                ln = finding_line(rng, cls, "cigarettes", brand if cls == "counterfeit" else "")
                cover = world.cover_wholesaler
                if cover is not None and rng.random() < 0.15:
                    stated(ln, *supplier_text(rng, cover))  # named as cover (harder profile)
                elif old is not None and rng.random() < 0.15:
                    stated(ln, old.name, old.trader_id)
                elif not named:  # the shop names nobody, or a name that leads nowhere
                    if rng.random() < 0.4:
                        stated(ln, rng.choice(NOBODY), None)
                elif rng.random() < 0.75:
                    stated(ln, *supplier_text(rng, w))
                lines.append(ln)
            add_check(world, rng, o, rand_date(rng, since, world.end), lines)
    return [o.trader_id for o in chosen]


def _network(world: World, rng: random.Random, arcs: ArcMinter, i: int) -> tuple[Trader, Subjects]:
    m = world.pick_muni(rng)
    addr = world.address_book.nl(m, "industrial")
    director = world.add_person(rng, m, born=(1960, 1990))
    if not director.phone:
        director.phone = ids.nl_mobile(rng)
    base = names.wholesaler_name(rng)
    old_reg = rand_date(rng, dt.date(2012, 1, 1), dt.date(2018, 12, 31))
    dissolved = rand_date(rng, dt.date(2020, 1, 1), dt.date(2022, 3, 1))
    old = company(world, rng, base, addr, "wholesaler_old", old_reg, sbi="4635",
                  status=rng.choice(["dissolved", "bankrupt"]), dissolved=dissolved,
                  phone=ids.nl_landline(rng))
    world.add_role(director, old)
    if world.scale.harder and i % 2 == 1:
        w, lead = _relative_successor(world, rng, m, base, old, director)
        subj = Subjects(traders=[w.trader_id, old.trader_id],
                        persons=[lead.person_id, director.person_id],
                        addresses=[addr.key, w.address.key])
    else:
        new_reg = dissolved + dt.timedelta(days=rng.randint(10, 900))
        new_name = rng.choice([f"{base} Nieuw",
                               f"{names.strip_legal_form(base).split()[-1]} Handel",
                               names.similar_but_different(rng, base), f"{base} 2"])
        w = company(world, rng, names.strip_legal_form(new_name), addr, "network_wholesaler",
                    new_reg, sbi="4635", excise_status="registered_consignee",
                    phone=old.phone if rng.random() < 0.5 else ids.nl_landline(rng))
        world.add_role(director, w)
        lead = director
        subj = Subjects(traders=[w.trader_id, old.trader_id], persons=[director.person_id],
                        addresses=[addr.key])
        new_case(world, "phoenix", "same_address_same_director",
                 f"{old.name} ({old.status} {old.dissolved_on}) succeeded by {w.name} at the "
                 "same address with the same director.", Subjects(
                     traders=[old.trader_id, w.trader_id], persons=[director.person_id],
                     addresses=[addr.key]), ("trader", w.trader_id),
                 ["dissolved_predecessor", "same_address", "same_director", "within_36_months"])
    new_reg = dt.date.fromisoformat(w.registered_on)
    world.add_premise("storage", w.address, w, floor_area_m2=str(rng.randint(300, 1500)))
    co = world.add_person(rng, m)
    world.add_role(co, w, rng.choice(["shareholder", "proxy", "director"]))
    subj.persons.append(co.person_id)
    for _ in range(rng.randint(1, 3)):
        link = rng.choice(["address", "phone", "director"])
        sister = company(world, rng, f"{rng.choice(names.WORDS)} "
                         f"{rng.choice(['Opslag', 'Transport', 'Vastgoed', 'Trading'])}",
                         w.address if link == "address"
                         else world.address_book.nl(world.pick_muni(rng)),
                         "network_sister", rand_date(rng, dt.date(2016, 1, 1), dt.date(2022, 6, 1)),
                         sbi=rng.choice(["5210", "4941", "6810", "4690"]),
                         phone=w.phone if link == "phone" else ids.nl_mobile(rng))
        world.add_role(lead if link != "phone" else co, sister)
        subj.traders.append(sister.trader_id)
    brand = rng.choice(LEGAL_BRANDS["T200"])
    k = {"tiny": 4}.get(base_name(world.scale), rng.randint(5, 12))
    outlets = _outlet_findings(world, rng, w, brand, k, new_reg, old)
    subj.traders.extend(outlets)
    new_case(world, "supplier_network", f"phoenix+{k}_outlets",
             f"{w.name} is named by {k} outlets with illegal findings; shares director, phone "
             f"or address with {len(subj.traders) - 2 - len(outlets)} sister companies.", subj,
             ("trader", w.trader_id), ["named_by_outlets_with_findings", "shared_director",
                                       "shared_phone_or_address", "phoenix_predecessor"])
    world.network_inbound[w.trader_id] = _inbound(world, rng, arcs, w, brand, new_reg)
    world.network_outlets[w.trader_id] = outlets
    return w, subj


def _relative_successor(world: World, rng: random.Random, m, base: str, old: Trader,
                        director) -> tuple[Trader, object]:
    """The evasive phoenix: days after the bankruptcy a relative (same surname, same home
    address) registers the successor at another address, the old director comes back as
    proxy and the old phone number moves along."""
    old.status = "bankrupt"
    relative = world.add_person(rng, m, nationality=director.nationality, born=(1960, 2000),
                                address=director.address)
    surname = director.full_name.split(" ", 1)[-1]
    relative.full_name = f"{relative.full_name.split(' ', 1)[0]} {surname}"
    new_reg = dt.date.fromisoformat(old.dissolved_on) + dt.timedelta(days=rng.randint(3, 40))
    w = company(world, rng, names.strip_legal_form(rng.choice(
        [f"{names.strip_legal_form(base).split()[-1]} Groothandel",
         names.similar_but_different(rng, base)])),
        world.address_book.nl(world.pick_muni(rng), "industrial"), "network_wholesaler",
        new_reg, sbi="4635", excise_status="registered_consignee", phone=old.phone)
    world.add_role(relative, w)
    world.add_role(director, w, "proxy")
    new_case(world, "phoenix", "relative_successor_proxy_phone",
             f"{old.name} (bankrupt {old.dissolved_on}) succeeded days later by {w.name} at "
             f"another address, run by a relative of its director ({relative.full_name}, same "
             "home address), the old director back as proxy and the same phone.", Subjects(
                 traders=[old.trader_id, w.trader_id],
                 persons=[relative.person_id, director.person_id],
                 addresses=[w.address.key]), ("trader", w.trader_id),
             ["bankrupt_predecessor", "relative_director", "old_director_proxy",
              "same_phone", "short_gap"])
    return w, relative


def _tie_through_people(world: World, rng: random.Random, m, w: Trader, director: Person,
                        outlets: list[str]) -> list[str]:
    """The evasive chain: no shop names the wholesaler; it is reached only through people.
    Its director is a shareholder of some shops, an employee of it directs others (and a
    shop uses his phone), a relative of the director (same surname and home) runs one."""
    employee = world.add_person(rng, m, born=(1975, 2000))
    if not employee.phone:
        employee.phone = ids.nl_mobile(rng)
    world.add_role(employee, w, "employee")
    relative = world.add_person(rng, m, nationality=director.nationality,
                                address=director.address)
    relative.full_name = (f"{relative.full_name.split(' ', 1)[0]} "
                          f"{director.full_name.split(' ', 1)[-1]}")
    for i, oid in enumerate(outlets):
        o = world.by_id[oid]
        tie = ("shareholder", "employee_director", "phone", "relative")[i % 4]
        if tie == "shareholder":
            world.add_role(director, o, "shareholder")
        elif tie == "employee_director":
            world.add_role(employee, o, "director")
        elif tie == "phone":
            o.phone = employee.phone
        else:
            world.add_role(relative, o, "director")
    return [director.person_id, employee.person_id, relative.person_id]


def _chain(world: World, rng: random.Random, arcs: ArcMinter, w: Trader | None,
           network: Subjects | None, hidden: bool = False) -> None:
    if w is None:
        m = world.pick_muni(rng)
        w = company(world, rng, names.wholesaler_name(rng), world.address_book.nl(m, "industrial"),
                    "chain_supplier", rand_date(rng, dt.date(2010, 1, 1), dt.date(2020, 1, 1)),
                    sbi="4635", excise_status="registered_consignee", phone=ids.nl_landline(rng))
        boss = world.add_person(rng, m)
        world.add_role(boss, w)
        world.add_premise("storage", w.address, w, floor_area_m2=str(rng.randint(300, 2000)))
        brand = rng.choice(LEGAL_BRANDS["T200"])
        arcs_in = _inbound(world, rng, arcs, w, brand, world.start)
        k = 3 if base_name(world.scale) == "tiny" else rng.randint(4, 9)
        outlets = _outlet_findings(world, rng, w, brand, k, world.start, named=not hidden)
        variant = "lone_supplier"
        if hidden:
            people = _tie_through_people(world, rng, m, w, boss, outlets)
            variant = "through_people"
    else:
        arcs_in = world.network_inbound[w.trader_id]
        outlets = world.network_outlets[w.trader_id]
        variant = "network_supplier"
    if variant == "through_people":
        new_case(world, "retail_supply_chain", variant,
                 f"Outlets with findings never name {w.name}; its director, an employee and "
                 "a relative sit in them, one uses the employee's phone; it receives the "
                 "brand found there under duty suspension.",
                 Subjects(traders=[w.trader_id] + outlets, persons=people,
                          movements=list(arcs_in), addresses=[w.address.key]),
                 ("trader", w.trader_id), ["tied_by_people", "tied_by_phone",
                                           "inbound_movements_same_brand"])
        return
    new_case(world, "retail_supply_chain", variant,
             f"Outlets with findings name {w.name} as supplier; it receives the same brand "
             "under duty suspension.",
             Subjects(traders=[w.trader_id] + outlets, movements=list(arcs_in),
                      addresses=[w.address.key]),
             ("trader", w.trader_id), ["stated_supplier", "inbound_movements_same_brand"])
