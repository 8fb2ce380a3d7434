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
from graphfraud.synth.model import Subjects
from graphfraud.synth.retail import add_check, finding_line
from graphfraud.synth.world import World, iso, rand_date


def plant_decoys(world: World, market: Market, arcs: ArcMinter) -> None:
    rng = world.rng("decoys")
    n = world.scale.decoys_per_kind
    _busy_wholesalers(world, market, n)
    for _ in range(n):
        _licensed_unit_factory(world, rng, arcs)
        _border_outlet(world, rng)
    _trust_office(world, rng)


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


def _licensed_unit_factory(world: World, rng: random.Random, arcs: ArcMinter) -> None:
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
    new_case(world, "decoy", "licensed_factory_industrial_unit",
             f"{t.name}: licensed manufacturer in a leased industrial unit with normal flows.",
             Subjects(traders=[t.trader_id], premises=[unit.premise_id], addresses=[addr.key],
                      machines=machines, movements=arcs_in), ("premise", unit.premise_id),
             ["industrial_unit", "recent_lease", "machines"], looks_like="factory_site")


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


def _trust_office(world: World, rng: random.Random) -> None:
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

