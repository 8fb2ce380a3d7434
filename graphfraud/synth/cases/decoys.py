"""Legal look-alikes: they share surface features with the cases but are clean."""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import ids, names
from graphfraud.synth.cases.common import company, consignor, new_case, simple_movement, to_trader
from graphfraud.synth.geo import journey_time, km
from graphfraud.synth.legal_stream import ArcMinter
from graphfraud.synth.licences import event, licence_row, new_machine
from graphfraud.synth.market import Market
from graphfraud.synth.model import Person, Subjects, Trader
from graphfraud.synth.movements import Destination, Line, Movement
from graphfraud.synth.products import ENERGY_EPC_INFO
from graphfraud.synth.retail import add_check, finding_line
from graphfraud.synth.world import World, iso, rand_date


def plant_decoys(world: World, market: Market, arcs: ArcMinter) -> None:
    rng = world.rng("decoys")
    n = world.scale.decoys_per_kind
    _busy_wholesalers(world, market, n)
    for _ in range(n):
        _licensed_unit_factory(world, rng, arcs)
        _border_outlet(world, rng)
    office = _trust_office(world, rng)
    if world.scale.harder:
        hard = world.rng("decoys-harder")
        _nominee_successions(world, hard, *office)
        for i in range(n):
            _licensed_unit_factory(world, hard, arcs,
                                   twist=HARD_FACTORY_TWISTS[i % len(HARD_FACTORY_TWISTS)])
        _cover_wholesaler(world, market)
        _fuel_under_type_8(world, world.rng("decoys-fuel"), arcs, n)


#: the factory look-alikes of the harder profile, one per decoy in turn
HARD_FACTORY_TWISTS = ("refused_then_granted", "sold_to_licensed_buyer",
                       "expired_at_licensed_maker")


def _busy_wholesalers(world: World, market: Market, n: int) -> None:
    inbound: dict[str, float] = {}
    for f in market.flows:
        if f.consignee is not None and f.consignee.role == "wholesaler":
            inbound[f.consignee.trader_id] = inbound.get(f.consignee.trader_id, 0.0) + f.weight
    similar = {t.trader_id for pair in world.similar_pairs for t in pair}
    ranked = sorted((tid for tid in inbound if tid not in similar),
                    key=lambda t: (-inbound[t], t))[:n]
    for tid in ranked:
        world.reserved.add(tid)
        t = world.by_id[tid]
        new_case(world, "decoy", "busy_clean_wholesaler",
                 f"{t.name} receives many movements but has clean receipts and no findings.",
                 Subjects(traders=[tid], addresses=[t.address.key]), ("trader", tid),
                 ["many_movements"], looks_like="diversion")


def _cover_wholesaler(world: World, market: Market) -> None:
    """A big legal wholesaler that clean shops name all the time; illicit shops name it
    as cover too (`world.cover_wholesaler`, used by the supplier cases and the routine
    checks)."""
    inbound: dict[str, float] = {}
    for f in market.flows:
        if f.consignee is not None and f.consignee.role == "wholesaler" \
                and f.consignee.trader_id not in world.reserved:
            inbound[f.consignee.trader_id] = inbound.get(f.consignee.trader_id, 0.0) + f.weight
    similar = {t.trader_id for pair in world.similar_pairs for t in pair}
    ranked = sorted((t for t in inbound if t not in similar), key=lambda t: (-inbound[t], t))
    if not ranked:
        return
    t = world.by_id[ranked[0]]
    world.reserved.add(t.trader_id)
    world.cover_wholesaler = t
    new_case(world, "decoy", "cover_wholesaler",
             f"{t.name}: a big legal wholesaler named by many clean shops, and as cover by "
             "some illicit ones.", Subjects(traders=[t.trader_id], addresses=[t.address.key]),
             ("trader", t.trader_id), ["named_by_outlets_with_findings", "many_outlets"],
             looks_like="retail_supply_chain")


def _licensed_unit_factory(world: World, rng: random.Random, arcs: ArcMinter,
                           twist: str = "") -> None:
    m = world.pick_muni(rng)
    addr = world.address_book.nl(m, "industrial")
    lease = rand_date(rng, dt.date(2021, 3, 1), dt.date(2023, 3, 1))
    t = company(world, rng, f"{rng.choice(names.WORDS)} "
                f"{rng.choice(['Sigarenmakerij', 'Shisha Manufacturing', 'Tabaksmakerij'])}",
                addr, "small_manufacturer", lease - dt.timedelta(days=rng.randint(60, 400)),
                sbi="1200", excise_status="authorised_warehousekeeper", phone=ids.nl_landline(rng))
    world.add_role(world.add_person(rng, m, born=(1960, 1985)), t)
    unit = world.add_premise("industrial_unit", addr, t, lease_start=iso(lease),
                             excise_number=ids.excise_number("NL", world.excise_draw),
                             floor_area_m2=str(rng.randint(300, 1500)))
    machines = []
    for _ in range(rng.randint(1, 3)):
        mac = new_machine(world, rng)
        licence_row(world, mac, "possession", "granted", lease + dt.timedelta(days=rng.randint(5, 40)),
                    holder=t, site=unit)
        event(world, mac[0], "inspected", rand_date(rng, lease + dt.timedelta(days=60), world.end),
              src=unit.premise_id)
        machines.append(mac[0])
    if twist:
        machines.append(_twist(world, rng, twist, t, unit, lease))
    src = consignor(world, rng)
    tr = world.by_role["transporter"][rng.randrange(len(world.by_role["transporter"]))]
    dist = km(src.address.lat, src.address.lon, addr.lat, addr.lon) * 1.25
    arcs_in = []
    for _ in range(rng.randint(2, 5)):
        when = dt.datetime.combine(rand_date(rng, lease, world.end - dt.timedelta(days=10)),
                                   dt.time(rng.randint(6, 15)))
        dest = to_trader(t, "1", journey_time(dist))
        dest.delivery_place = unit.excise_number
        mv = simple_movement(arcs, src, when, dest, "T400", "Leaf and cut tobacco",
                             f"{rng.uniform(300, 2000):.1f}", ids.nl_plate(rng), tr)
        mv.received_at = (when + dt.timedelta(hours=dist / 60 + rng.uniform(4, 30))).date().isoformat()
        mv.receipt_conclusion = "1"
        if rng.random() < 0.3:
            mv.lines[0].shortage_or_excess = "S"
            mv.lines[0].observed_difference = f"{float(mv.lines[0].quantity) * 0.002:.1f}"
        world.case_movements.append(mv)
        arcs_in.append(mv.arc)
    new_case(world, "decoy", "licensed_factory_industrial_unit" + (f":{twist}" if twist else ""),
             f"{t.name}: licensed manufacturer in a leased industrial unit with normal flows.",
             Subjects(traders=[t.trader_id], premises=[unit.premise_id], addresses=[addr.key],
                      machines=machines, movements=arcs_in), ("premise", unit.premise_id),
             ["industrial_unit", "recent_lease", "machines"], looks_like="factory_site")


def _twist(world: World, rng: random.Random, twist: str, t, unit, lease: dt.date) -> str:
    """What makes a licensed unit look like a factory to a careless reading: a refusal later
    put right, a machine bought from a licensed maker, an old licence left to expire."""
    mac = new_machine(world, rng)
    applied = lease + dt.timedelta(days=rng.randint(5, 60))
    if twist == "refused_then_granted":
        licence_row(world, mac, "possession", "refused", applied, holder=t, site=unit)
        licence_row(world, mac, "possession", "granted",
                    applied + dt.timedelta(days=rng.randint(40, 120)), holder=t, site=unit)
    elif twist == "sold_to_licensed_buyer" and world.machines_of:
        owner = sorted(world.machines_of)[rng.randrange(len(world.machines_of))]
        mac = world.machines_of[owner][rng.randrange(len(world.machines_of[owner]))]
        licence_row(world, mac, "possession", "granted", applied, holder=t, site=unit)
        event(world, mac[0], "moved", applied + dt.timedelta(days=rng.randint(30, 60)),
              dst=unit.premise_id, to_address=unit.address, counterparty=owner)
    else:  # expired_at_licensed_maker: an old machine's licence lapsed, the others are current
        licence_row(world, mac, "possession", "expired",
                    lease - dt.timedelta(days=rng.randint(1900, 2100)), holder=t, site=unit,
                    valid_years=5)
    return mac[0]


def _border_outlet(world: World, rng: random.Random) -> None:
    pool = [o for o in world.by_role["outlet"] if o.trader_id not in world.reserved
            and world.muni_by_name[o.muni].border and o.is_chain == "false"]
    if not pool:
        return
    o = pool[rng.randrange(len(pool))]
    world.reserved.add(o.trader_id)
    for _ in range(rng.randint(2, 4)):
        lines = [finding_line(rng, "non_domestic_legal", "cigarettes")
                 for _ in range(rng.choice((1, 2)))]
        for ln in lines:
            ln["seized"] = "false"
        add_check(world, rng, o, rand_date(rng, world.start, world.end), lines)
    new_case(world, "decoy", "border_outlet_non_domestic_legal",
             f"{o.name} in {o.muni} (border) has repeated findings, all non-domestic legal.",
             Subjects(traders=[o.trader_id], addresses=[o.address.key]), ("trader", o.trader_id),
             ["repeated_findings"], looks_like="retail_supply_chain")


def _trust_office(world: World, rng: random.Random) -> tuple[Trader, Person]:
    m = world.muni_by_name["Amsterdam"]
    addr = world.address_book.nl(m)
    office = company(world, rng, f"{rng.choice(names.WORDS)} Trust", addr, "trust_office",
                     dt.date(2001, 5, 1), sbi="6420", phone=ids.nl_landline(rng))
    manager = world.add_person(rng, m, nationality="NL", born=(1955, 1975))
    world.add_role(manager, office)
    subj = Subjects(traders=[office.trader_id], persons=[manager.person_id], addresses=[addr.key])
    for _ in range(world.scale.trust_office_companies):
        t = company(world, rng, f"{rng.choice(names.WORDS)} {rng.choice(names.WORDS)} Holding",
                    addr, "managed_holding", rand_date(rng, dt.date(2005, 1, 1), dt.date(2022, 1, 1)),
                    sbi="6420", phone=office.phone)
        world.add_role(manager, t)
        subj.traders.append(t.trader_id)
    new_case(world, "decoy", "trust_office",
             f"{manager.full_name} directs {world.scale.trust_office_companies} active holdings "
             "at a trust office address; no findings.", subj, ("address", addr.key),
             ["many_directorships", "shared_address", "shared_phone"], looks_like="supplier_network")
    return office, manager


def _nominee_successions(world: World, rng: random.Random, office: Trader,
                         manager: Person) -> None:
    """Holdings at the trust office wound up and replaced by new ones, same nominee
    director, same address, same activity, weeks apart: ordinary for a trust office, and
    every surface sign of a phoenix."""
    addr = office.address
    for _ in range(max(2, world.scale.decoys_per_kind // 3)):
        dissolved = rand_date(rng, dt.date(2021, 1, 1), dt.date(2023, 6, 1))
        old = company(world, rng, f"{rng.choice(names.WORDS)} {rng.choice(names.WORDS)} Holding",
                      addr, "managed_holding", dissolved - dt.timedelta(days=rng.randint(900, 4000)),
                      sbi="6420", phone=office.phone, status="dissolved", dissolved=dissolved)
        world.add_role(manager, old)
        new = company(world, rng, f"{rng.choice(names.WORDS)} {rng.choice(names.WORDS)} Holding",
                      addr, "managed_holding", dissolved + dt.timedelta(days=rng.randint(-60, 90)),
                      sbi="6420", phone=office.phone)
        world.add_role(manager, new)
        new_case(world, "decoy", "trust_office_nominee_succession",
                 f"{old.name} wound up at the trust office, {new.name} registered there by "
                 f"the same nominee director {manager.full_name}.",
                 Subjects(traders=[new.trader_id, old.trader_id], persons=[manager.person_id],
                          addresses=[addr.key]), ("trader", new.trader_id),
                 ["same_director", "same_address", "within_36_months"], looks_like="phoenix")



def _fuel_under_type_8(world: World, rng: random.Random, arcs: ArcMinter, n: int) -> None:
    """Legal fuel under destination type 8: a Dutch oil distributor's tax warehouse sends
    gas oil (E430) to farms and contractors whose names it does not know at dispatch,
    the delivery place on the e-AD. EMCS allows type 8 for energy products; for tobacco
    it is a red flag. Each receiving farm is a look-alike of a diversion consignee."""
    m = world.pick_muni(rng)
    depot = company(world, rng, f"{rng.choice(names.WORDS)} Olie & Brandstoffen",
                    world.address_book.nl(m, "industrial"), "fuel_distributor",
                    rand_date(rng, dt.date(2005, 1, 1), dt.date(2015, 1, 1)), sbi="4671",
                    excise_status="authorised_warehousekeeper", phone=ids.nl_mobile(rng))
    transporter = world.by_role["transporter"][rng.randrange(len(world.by_role["transporter"]))]
    cn, unit, lo, hi, _ = ENERGY_EPC_INFO["E430"]
    for _ in range(n):
        near = world.muni_by_name[rng.choice([mm.name for mm in world.munis
                                              if km(mm.lat, mm.lon, m.lat, m.lon) < 60]
                                             or [m.name])]
        farm = company(world, rng, f"Loonbedrijf {names.person_name(rng, 'NL')[0].split()[-1]}",
                       world.address_book.nl(near), "fuel_receiver",
                       rand_date(rng, dt.date(1995, 1, 1), dt.date(2018, 1, 1)), sbi="0161",
                       form="vof")
        world.reserved.add(farm.trader_id)
        subj = Subjects(traders=[farm.trader_id, depot.trader_id], addresses=[farm.address.key])
        a = farm.address
        for _ in range(rng.randint(3, 6)):
            when = dt.datetime.combine(rand_date(rng, world.start, world.end - dt.timedelta(days=3)),
                                       dt.time(rng.randint(6, 15)))
            dest = Destination("8", "H08", delivery_place=f"{a.street} {a.house_number}, "
                               f"{a.postcode} {a.city}")
            mv = Movement(arcs.mint(when, "NL", depot.excise_number), depot.excise_number,
                          depot.excise_number, "1", when, transporter.name,
                          transporter.vat_number, [ids.nl_plate(rng)], "1",
                          [Line("E430", cn, "", str(rng.randint(lo, hi)), unit)], [dest])
            mv.received_at = (when + dt.timedelta(hours=rng.randint(2, 8))).date().isoformat()
            mv.receipt_conclusion = "1"
            world.case_movements.append(mv)
            subj.movements.append(mv.arc)
        new_case(world, "decoy", "fuel_under_destination_type_8",
                 f"{depot.name} delivers gas oil (E430) to {farm.name} under destination type "
                 "8, which EMCS allows for energy products.", subj, ("trader", farm.trader_id),
                 ["destination_type_unknown"], looks_like="diversion")
