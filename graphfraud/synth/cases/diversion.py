"""Diversion: duty-suspended loads 'received' by ghost consignees that never dispatch.

Per instance a subset of the EMCS red flags is present: destination type 8, journeys
faster than the distance allows, one truck on overlapping trips, repeated changes of
destination, and receipts that are always satisfactory.
"""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import ids, names
from graphfraud.synth.cases.common import (
    company,
    consignor,
    new_case,
    simple_movement,
    to_trader,
)
from graphfraud.synth.config import base_name
from graphfraud.synth.geo import journey_time, km
from graphfraud.synth.legal_stream import ArcMinter
from graphfraud.synth.market import EXPORT_CONSIGNEES
from graphfraud.synth.model import Subjects
from graphfraud.synth.movements import Destination, Line, Movement
from graphfraud.synth.products import EPC_INFO, ILLICIT_WHITE_BRANDS, LEGAL_BRANDS
from graphfraud.synth.world import World, rand_date


def plant_diversions(world: World, arcs: ArcMinter) -> None:
    rng = world.rng("case-diversion")
    for i in range(world.scale.cases_per_kind):
        if world.scale.harder and i % 2 == 1:
            _fan_out(world, rng, arcs)
        elif world.scale.harder and i % 4 == 2:
            _export_never_closed(world, world.rng(f"case-diversion-export-{i}"), arcs)
        else:
            _one(world, rng, arcs)


def _export_never_closed(world: World, rng: random.Random, arcs: ArcMinter) -> None:
    """The evasive diversion by product: a Dutch tax warehouse imports cheap whites and
    sends them on under destination type 8 (allowed for energy products, not tobacco),
    changes the destination once or twice, and ends at an export that is never closed:
    no report of export ever comes. No Dutch consignee receives anything; the
    consignor's flow is the only trace."""
    m = world.pick_muni(rng)
    src = company(world, rng, f"{rng.choice(names.WORDS)} Tobacco Import",
                  world.address_book.nl(m, "industrial"), "export_consignor",
                  rand_date(rng, dt.date(2016, 1, 1), dt.date(2021, 6, 1)),
                  excise_status="authorised_warehousekeeper", phone=ids.nl_mobile(rng))
    world.add_role(world.add_person(rng, m), src)
    transporter = world.by_role["transporter"][rng.randrange(len(world.by_role["transporter"]))]
    legit = [t for t in world.by_role["wholesaler"]
             if t.excise_status == "authorised_warehousekeeper" and t.trader_id not in world.reserved]
    subj = Subjects(traders=[src.trader_id], addresses=[src.address.key])
    first = rand_date(rng, dt.date(2022, 1, 1), dt.date(2023, 3, 1))
    brand = rng.choice(ILLICIT_WHITE_BRANDS)  # a cheap white: legal where it is made
    for k in range(rng.randint(4, 7)):
        when = dt.datetime.combine(first + dt.timedelta(days=k * rng.randint(7, 25)),
                                   dt.time(rng.randint(6, 18)))
        if when.date() > world.end - dt.timedelta(days=45):
            break
        city = world.munis[rng.randrange(len(world.munis))]
        place = world.address_book.nl(city, "industrial")
        first_dest = Destination("8", "D03", delivery_place=f"{place.street} {place.house_number}, "
                                 f"{place.postcode} {place.city}")
        name, cc, street, ecity = rng.choice(EXPORT_CONSIGNEES)
        export = Destination("6", "D05", "", name, street, "", ecity, cc, "", name_truth=(None,))
        mv = simple_movement(arcs, src, when, first_dest, "T200", brand,
                             str(rng.randint(6000, 10000)), ids.nl_plate(rng), transporter)
        middle = [to_trader(rng.choice(legit), "1", "D02")] if legit and rng.random() < 0.6 else []
        mv.destinations = [first_dest, *middle, export]
        mv.received_at = ""  # the export is never reported: the e-AD stays open
        mv.receipt_conclusion = ""
        world.case_movements.append(mv)
        subj.movements.append(mv.arc)
    new_case(world, "diversion", "type8_changes_export_never_closed",
             f"{src.name} sends {len(subj.movements)} loads of cheap whites ({brand}) under "
             "destination type 8, changes the destination and ends at exports that never "
             "close.", subj, ("trader", src.trader_id),
             ["destination_type_unknown", "repeated_destination_changes", "export_never_closed"])


def _fan_out(world: World, rng: random.Random, arcs: ArcMinter) -> None:
    """The evasive diversion: one far-away tax warehouse spreads small loads over many
    short-lived temporary consignees, each receiving one or two, always 'satisfactory',
    with declared journey times far shorter than the road needs. No consignee receives
    enough to stand out; the consignor and the flow do."""
    cc = rng.choice(["PL", "BG", "HU", "LT"])
    src = company(world, rng, names.foreign_name(rng, cc), world.address_book.foreign(cc),
                  "fan_out_consignor", rand_date(rng, dt.date(2015, 1, 1), dt.date(2021, 1, 1)),
                  form="foreign", sbi="", excise_status="authorised_warehousekeeper",
                  phone=ids.foreign_phone(rng, cc))
    transporter = world.by_role["transporter"][rng.randrange(len(world.by_role["transporter"]))]
    first = rand_date(rng, dt.date(2021, 6, 1), dt.date(2023, 3, 1))
    subj = Subjects(traders=[src.trader_id])
    n = rng.randint(6, 8) if base_name(world.scale) == "tiny" else rng.randint(8, 14)
    for k in range(n):
        m = world.pick_muni(rng)
        day = first + dt.timedelta(days=k * rng.randint(5, 20))
        if day > world.end - dt.timedelta(days=5):
            break
        straw = world.add_person(rng, m, nationality=rng.choice(["PL", "BG", "UA", "NL"]),
                                 born=(1990, 2004))
        temp = company(world, rng, f"{rng.choice(names.WORDS)} "
                       f"{rng.choice(['Trade', 'Commerce', 'Handel', 'Distributie'])}",
                       world.address_book.nl(m), "fan_out_consignee",
                       day - dt.timedelta(days=rng.randint(7, 60)), sbi="4690",
                       excise_status="temporary_registered_consignee", phone=ids.nl_mobile(rng))
        world.add_role(straw, temp)
        subj.traders.append(temp.trader_id)
        subj.persons.append(straw.person_id)
        subj.addresses.append(temp.address.key)
        for _ in range(rng.choice((1, 1, 2))):
            when = dt.datetime.combine(day, dt.time(rng.randint(12, 19), 0))
            hours = rng.randint(2, 6)  # declared: impossible for 900+ km
            mv = simple_movement(arcs, src, when, to_trader(temp, "3", f"H{hours:02d}"), "T200",
                                 rng.choice(LEGAL_BRANDS["T200"]), str(rng.randint(800, 2500)),
                                 ids.nl_plate(rng), transporter)
            arrival = when + dt.timedelta(hours=rng.uniform(1, 5))
            mv.received_at = min(arrival.date(), world.end).isoformat()
            mv.receipt_conclusion = "1"
            world.case_movements.append(mv)
            subj.movements.append(mv.arc)
            day += dt.timedelta(days=rng.randint(1, 4))
    new_case(world, "diversion", "fan_out_temporary_consignees",
             f"{src.name} ({cc}) spreads {len(subj.movements)} small loads over "
             f"{len(subj.traders) - 1} short-lived temporary consignees, declared and received "
             "faster than the road allows.", subj, ("trader", src.trader_id),
             ["fan_out", "temporary_consignees", "declared_journey_impossible",
              "journey_too_fast", "always_satisfactory"])


def _one(world: World, rng: random.Random, arcs: ArcMinter) -> None:
    while True:
        sig = {k: rng.random() < p for k, p in [("dest8", 0.4), ("too_fast", 0.6),
                                               ("plate_overlap", 0.5), ("changes", 0.5),
                                               ("temporary", 0.5)]}
        if sum(sig.values()) >= 2:
            break
    m = world.pick_muni(rng)
    first = rand_date(rng, dt.date(2021, 6, 1), dt.date(2023, 9, 1))
    temporary = sig["temporary"]
    straw = world.add_person(rng, m, nationality=rng.choice(["NL", "PL", "BG", "UA", "MA"]),
                             born=(1993, 2003))
    ghost = company(world, rng, f"{rng.choice(names.WORDS)} "
                    f"{rng.choice(['Trading', 'Import Export', 'Handelsonderneming', 'Commerce'])}",
                    world.address_book.nl(m), "ghost",
                    first - dt.timedelta(days=rng.randint(40, 240)), sbi="4690",
                    excise_status="temporary_registered_consignee" if temporary
                    else "registered_consignee", phone=ids.nl_mobile(rng))
    world.add_role(straw, ghost)
    subj = Subjects(traders=[ghost.trader_id], persons=[straw.person_id],
                    addresses=[ghost.address.key])
    senders = [consignor(world, rng, far=True) for _ in range(rng.randint(1, 3))]
    transporter = world.by_role["transporter"][rng.randrange(len(world.by_role["transporter"]))]
    shared_plate = ids.nl_plate(rng)
    legit = [t for t in world.by_role["wholesaler"]
             if t.excise_status == "authorised_warehousekeeper" and t.trader_id not in world.reserved]
    n = rng.randint(4, 6) if base_name(world.scale) == "tiny" else rng.randint(6, 14)
    window = rng.randint(20, 60)
    dtype = "3" if temporary else "2"
    prev_end: dt.datetime | None = None
    for k in range(n):
        src = senders[k % len(senders)]
        dist = km(src.address.lat, src.address.lon, ghost.address.lat, ghost.address.lon) * 1.25
        day = first + dt.timedelta(days=rng.randint(0, window))
        when = dt.datetime.combine(day, dt.time(rng.randint(6, 21), rng.choice((0, 30))))
        plate = ids.nl_plate(rng)
        if sig["plate_overlap"] and k % 2 == 1 and prev_end is not None and not sig["too_fast"]:
            when = prev_end - dt.timedelta(hours=rng.randint(4, 12))  # truck still on trip k-1
            plate = shared_plate
        elif sig["plate_overlap"] and k % 2 == 0:
            plate = shared_plate
        jt = journey_time(dist)
        if sig["dest8"] and rng.random() < 0.5:
            a = ghost.address
            dest = Destination("8", jt, delivery_place=f"{a.street} {a.house_number}, {a.postcode} {a.city}")
        else:
            declared = names.name_variant(rng, ghost.name) if rng.random() < 0.2 else ""
            dest = to_trader(ghost, dtype, jt, declared)
        epc = "T200"
        cn, unit, *_ = EPC_INFO[epc]
        lines = [Line(epc, cn, rng.choice(LEGAL_BRANDS[epc]), str(rng.randint(8000, 10000)), unit)
                 for _ in range(rng.choice((1, 1, 2)))]
        mv = Movement(arcs.mint(when, src.address.country, src.excise_number), src.excise_number,
                      src.excise_number, "1", when, transporter.name, transporter.vat_number,
                      [plate], rng.choice(("1", "12")), lines, [dest])
        if sig["changes"] and k % 3 == 0 and legit:
            a, b = rng.sample(legit, k=2) if len(legit) > 1 else (legit[0], legit[0])
            mv.destinations = [to_trader(a, "1", jt), to_trader(b, "1", jt), dest]
            if not dest.delivery_place:
                dest.delivery_place = ghost.address.postcode
        hours = dist / 70 + 2
        if sig["too_fast"] and k % 2 == 0:
            # dispatched late afternoon far away, 'received' the same day
            when = dt.datetime.combine(when.date(), dt.time(rng.randint(15, 19), 0))
            arrival = when + dt.timedelta(hours=rng.uniform(1, 4))
        else:
            arrival = when + dt.timedelta(hours=hours + rng.uniform(0, 20))
        prev_end = when + dt.timedelta(hours=hours)
        if arrival.date() > world.end:
            arrival = dt.datetime.combine(world.end, dt.time(12))
        mv.received_at = arrival.date().isoformat()
        mv.receipt_conclusion = "1"  # never a shortage: the load never really arrives
        world.case_movements.append(mv)
        subj.movements.append(mv.arc)
    used = ["ghost_consignee", "recent_registration", "always_satisfactory", "never_dispatches"]
    used += [k for k, v in sig.items() if v]
    new_case(world, "diversion", "+".join(k for k, v in sig.items() if v) or "plain",
             f"{n} duty-suspended loads of cigarettes from {', '.join(s.address.country for s in senders)} "
             f"'received' by {ghost.name}, which never dispatches.", subj,
             ("trader", ghost.trader_id), used)
