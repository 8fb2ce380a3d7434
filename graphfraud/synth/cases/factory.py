"""Illegal factories: a new tenant in a rented unit, precursors, machines, tips, spikes.

Each instance draws which signals exist and how strong they are, so no two look alike.
The last instance is a waterpipe-tobacco workshop in a house.
"""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import ids, names
from graphfraud.synth.cases.common import (
    company,
    consignor,
    director_with_past,
    new_case,
    simple_movement,
    to_trader,
)
from graphfraud.synth.config import BARN_FACTORY_AT
from graphfraud.synth.geo import journey_time, km
from graphfraud.synth.legal_stream import ArcMinter
from graphfraud.synth.licences import event, licence_row, new_machine
from graphfraud.synth.model import Subjects
from graphfraud.synth.noise import add_seizure, add_street_tip, add_tip
from graphfraud.synth.products import ILLICIT_WHITE_BRANDS, LEGAL_BRANDS
from graphfraud.synth.retail import add_check, finding_line, stated
from graphfraud.synth.world import World, iso, rand_date

PRECURSORS = [("cut_tobacco", "kg", 200, 4000), ("acetate_tow", "kg", 100, 1500),
              ("cigarette_paper", "kg", 50, 800), ("filters", "pieces", 100000, 2000000),
              ("packaging", "pieces", 20000, 500000), ("tax_stamps", "pieces", 5000, 100000)]
TIP_TEXTS = ["Sterke tabakslucht rond de bedrijfsunit, ook 's nachts",
             "Ramen van de loods afgeplakt, veel vrachtverkeer 's avonds laat",
             "Arbeiders uit Oost-Europa lijken in de hal te slapen",
             "Busje rijdt elke nacht af en aan bij de unit, machines te horen"]
SITE_MUNIS = ["Heerlen", "Kerkrade", "Venlo", "Sittard-Geleen", "Landgraaf", "Roosendaal",
              "Bergen op Zoom", "Baarle-Nassau", "Breda", "Tilburg", "Eindhoven", "Emmen",
              "Enschede", "Maastricht", "Terneuzen"]


def plant_factories(world: World, arcs: ArcMinter) -> None:
    rng = world.rng("case-factory")
    n = world.scale.cases_per_kind
    munis = rng.sample(SITE_MUNIS, k=min(n, len(SITE_MUNIS)))
    brands = rng.sample(ILLICIT_WHITE_BRANDS, k=min(n, len(ILLICIT_WHITE_BRANDS)))
    for i in range(n):
        if world.scale.harder and i == BARN_FACTORY_AT:  # a farm barn rented to a webshop
            _waterpipe_barn(world, world.rng("case-factory-barn"))
            continue
        _cigarette_factory(world, rng, arcs, world.muni_by_name[munis[i % len(munis)]],
                           brands[i % len(brands)], i)
    _waterpipe_workshop(world, rng, arcs)


def _signals(rng: random.Random) -> dict[str, bool]:
    while True:
        s = {k: rng.random() < p for k, p in [("licence", 0.6), ("seizure", 0.65),
                                               ("precursor_movements", 0.5), ("tips", 0.7),
                                               ("retail", 0.7)]}
        if sum(s.values()) >= 3:
            return s


def _cigarette_factory(world: World, rng: random.Random, arcs: ArcMinter, m, brand: str,
                       i: int) -> None:
    lease = rand_date(rng, dt.date(2023, 1, 1) if i == 0 else dt.date(2022, 3, 1),
                      dt.date(2023, 4, 30))
    active_to = min(lease + dt.timedelta(days=rng.randint(150, 300)), world.end)
    sig = _signals(rng)
    evasive = world.scale.harder and i % 2 == 1
    if evasive:  # the precursors go to a front company; little else points at the unit
        sig.update(licence=False, seizure=True, precursor_movements=False,
                   tips=rng.random() < 0.3, retail=rng.random() < 0.5)
    director, past = director_with_past(world, rng, m, lease, rng.randint(1, 4))
    unit_addr = world.address_book.nl(m, "industrial")
    street_tip = world.rng(f"factory-street-tip-{i}")  # harder profile only
    if world.scale.harder and street_tip.random() < 0.5:
        unit_addr.house_number += street_tip.choice("ABC")  # unit 55A of a split hall
    registered = lease - dt.timedelta(days=rng.randint(20, 130))
    tenant_status = "temporary_registered_consignee" if sig["precursor_movements"] and \
        rng.random() < 0.5 else "registered_consignee" if sig["precursor_movements"] else "none"
    tenant = company(world, rng, f"{rng.choice(names.WORDS)} "
                     f"{rng.choice(['Logistics', 'Opslag', 'Trading', 'Recycling', 'Verpakking'])}",
                     unit_addr, "tenant", registered, sbi=rng.choice(["5210", "4690", "3832"]),
                     excise_status=tenant_status,
                     phone=director.phone if rng.random() < 0.5 else ids.nl_mobile(rng))
    world.add_role(director, tenant)
    unit = world.add_premise("industrial_unit", unit_addr, tenant, lease_start=iso(lease),
                             floor_area_m2=str(rng.randint(400, 2500)))
    subj = Subjects(traders=[tenant.trader_id] + [t.trader_id for t in past],
                    persons=[director.person_id], premises=[unit.premise_id],
                    addresses=[unit_addr.key])
    van = ids.nl_plate(rng)
    used: list[str] = ["new_tenant", "director_dissolved_companies", "recent_lease"]
    if sig["licence"]:
        variant = rng.choice(["refused", "missing_machine", "expired_elsewhere"])
        machine = new_machine(world, rng)
        if variant == "refused":
            licence_row(world, machine, "possession", "refused",
                        lease + dt.timedelta(days=rng.randint(5, 60)), holder=tenant, site=unit)
        elif variant == "missing_machine" and world.machines_of:
            owner = sorted(world.machines_of)[rng.randrange(len(world.machines_of))]
            machine = world.machines_of[owner][rng.randrange(len(world.machines_of[owner]))]
            gone = lease + dt.timedelta(days=rng.randint(-40, 40))
            event(world, machine[0], "reported_missing", gone, counterparty=owner)
            if rng.random() < 0.6:
                event(world, machine[0], "moved", gone + dt.timedelta(days=rng.randint(1, 30)),
                      dst=unit.premise_id, to_address=unit_addr)
        else:
            old = past[0] if past else tenant
            licence_row(world, machine, "possession", rng.choice(["expired", "revoked"]),
                        lease - dt.timedelta(days=rng.randint(1900, 2100)), holder=old,
                        site_address=unit_addr, valid_years=5)
        subj.machines.append(machine[0])
        used.append(f"licence_{variant}")
    if sig["seizure"] and evasive:
        _front_company_seizures(world, rng, tenant, director, lease, active_to, van, subj)
        used.append("precursor_seizures_at_front_company")
    elif sig["seizure"]:
        for _ in range(rng.randint(1, 3)):
            product, unit_name, lo, hi = rng.choice(PRECURSORS)
            on = rand_date(rng, lease, active_to)
            near = rng.random() < 0.5
            where = world.address_book.next_door(unit_addr) if near else unit_addr
            ctx = rng.choice(["storage", "road", "factory"])
            add_seizure(world, on, ctx, product, str(rng.randint(lo, hi)), unit_name,
                        address=where, trader_id=tenant.trader_id if rng.random() < 0.4 else "",
                        person_id=director.person_id if rng.random() < 0.3 else "",
                        plate=van if ctx == "road" else "",
                        classification="counterfeit" if product == "tax_stamps" else "")
            if near:
                subj.addresses.append(where.key)
        used.append("precursor_seizures")
    if sig["precursor_movements"]:
        src = consignor(world, rng)
        tr = world.by_role["transporter"][rng.randrange(len(world.by_role["transporter"]))]
        dist = km(src.address.lat, src.address.lon, unit_addr.lat, unit_addr.lon) * 1.25
        dtype = "3" if tenant_status.startswith("temporary") else "2"
        for _ in range(rng.randint(2, 5)):
            when = dt.datetime.combine(rand_date(rng, lease, active_to - dt.timedelta(days=5)),
                                       dt.time(rng.randint(5, 18)))
            mv = simple_movement(arcs, src, when, to_trader(tenant, dtype, journey_time(dist)),
                                 rng.choice(["T400", "T500"]), "",
                                 f"{rng.uniform(500, 3000):.1f}", ids.nl_plate(rng), tr)
            mv.lines[0].brand = "Cut tobacco bulk"
            mv.received_at = (when + dt.timedelta(hours=dist / 60 + 6)).date().isoformat()
            mv.receipt_conclusion = "1"
            world.case_movements.append(mv)
            subj.movements.append(mv.arc)
        used.append("cut_tobacco_deliveries")
    if sig["tips"]:
        for _ in range(rng.randint(1, 3)):
            on = rand_date(rng, lease + dt.timedelta(days=30), active_to)
            what = rng.choice(["address", "plate", "phone", "name"])
            add_tip(world, rng, on, rng.choice(TIP_TEXTS),
                    address=unit_addr if what in ("address", "name") or rng.random() < 0.3
                    else None,
                    plate=van if what == "plate" else "",
                    phone=(tenant.phone or director.phone) if what == "phone" else "",
                    name=names.name_variant(rng, tenant.name) if what == "name" else "",
                    name_truth=tenant.trader_id)
        used.append("tips")
    if world.scale.harder and street_tip.random() < 0.75:
        # a neighbour calls in: street, number and place, no postcode
        add_street_tip(world, street_tip, rand_date(street_tip, lease + dt.timedelta(days=30),
                                                    active_to),
                       street_tip.choice(TIP_TEXTS), unit_addr)
        used.append("tip_by_street_without_postcode")
    if sig["retail"]:
        nearby = [o for o in world.by_role["outlet"] if o.muni == m.name
                  and o.is_chain == "false" and o.trader_id not in world.reserved]
        if world.scale.harder:  # the region it supplies: shops within 15 km, any town
            nearby = [o for o in world.by_role["outlet"] if o.is_chain == "false"
                      and o.trader_id not in world.reserved
                      and km(o.address.lat, o.address.lon, unit_addr.lat, unit_addr.lon) <= 15]
        for o in rng.sample(nearby, k=min(len(nearby), rng.randint(2, 5))):
            world.reserved.add(o.trader_id)
            on = rand_date(rng, lease + dt.timedelta(days=60), world.end)
            cls = "illicit_white" if rng.random() < 0.7 else "counterfeit"
            ln = finding_line(rng, cls, "cigarettes",
                              brand if cls == "illicit_white" else rng.choice(LEGAL_BRANDS["T200"]))
            if rng.random() < 0.3:
                stated(ln, names.name_variant(rng, tenant.name), tenant.trader_id)
            add_check(world, rng, o, on, [ln])
        used.append("retail_findings_nearby")
    if m.eps and active_to >= dt.date(2023, 6, 1):  # its packs are in the autumn-2023 litter
        extra = max(3, world.scale.eps_packs_per_wave // 300) + rng.randint(0, 4)
        world.eps_spikes.append((2023, m.name, extra))
        used.append("eps_illicit_white_spike")
    new_case(world, "factory_site", ("front_company:" if evasive else "industrial_unit:")
             + "+".join(k for k, v in sig.items() if v),
             f"Illegal cigarette factory in a rented unit in {m.name} run by a new tenant "
             f"({tenant.name}); brand {brand}.", subj, ("premise", unit.premise_id), used)
    world.factory_brands[m.name] = brand
    if world.scale.harder:
        world.factory_sites[m.name] = (unit_addr.lat, unit_addr.lon)


def _front_company_seizures(world: World, rng: random.Random, tenant, director, lease: dt.date,
                            active_to: dt.date, van: str, subj: Subjects) -> None:
    """The evasive variant: the precursors are bought by, delivered to and seized at a
    front company at another address, tied to the tenant only by a person (the same
    director, or a proxy of the tenant directing the front) or by the tenant's phone."""
    m = world.pick_muni(rng)
    addr = world.address_book.nl(m)
    tie = rng.choice(["director", "proxy", "phone"])
    front = company(world, rng, f"{rng.choice(names.WORDS)} "
                    f"{rng.choice(['Import', 'Handelsonderneming', 'Groothandel', 'Supplies'])}",
                    addr, "front", lease - dt.timedelta(days=rng.randint(30, 700)),
                    sbi=rng.choice(["4690", "4619", "4776"]),
                    phone=tenant.phone if tie == "phone" and tenant.phone else ids.nl_mobile(rng))
    if tie == "director" or (tie == "phone" and not tenant.phone):
        world.add_role(director, front)
    else:
        proxy = world.add_person(rng, m, born=(1970, 2000))
        world.add_role(proxy, tenant, "proxy")
        world.add_role(proxy, front)
        subj.persons.append(proxy.person_id)
    for _ in range(rng.randint(1, 3)):
        product, unit_name, lo, hi = rng.choice(PRECURSORS)
        ctx = rng.choice(["storage", "road", "mail"])
        add_seizure(world, rand_date(rng, lease, active_to), ctx, product,
                    str(rng.randint(lo, hi)), unit_name,
                    address=addr if ctx != "road" else None, trader_id=front.trader_id,
                    plate=van if ctx == "road" else "",
                    classification="counterfeit" if product == "tax_stamps" else "")
    subj.traders.append(front.trader_id)
    subj.addresses.append(addr.key)


def _waterpipe_workshop(world: World, rng: random.Random, arcs: ArcMinter) -> None:
    m = world.muni_by_name[rng.choice(["Rotterdam", "'s-Gravenhage", "Utrecht", "Bodegraven-Reeuwijk"])]
    start = rand_date(rng, dt.date(2022, 1, 1), dt.date(2023, 3, 1))
    director, past = director_with_past(world, rng, m, start, rng.randint(0, 2))
    home = director.address
    shop = company(world, rng, f"Shisha Handel {director.full_name.split()[-1]}", home, "tenant",
                   start - dt.timedelta(days=rng.randint(30, 200)), form="eenmanszaak",
                   sbi="4639", excise_status="registered_consignee", phone=director.phone)
    world.add_role(director, shop)
    res = world.add_premise("residence", home, shop, floor_area_m2=str(rng.randint(70, 160)))
    subj = Subjects(traders=[shop.trader_id] + [t.trader_id for t in past],
                    persons=[director.person_id], premises=[res.premise_id], addresses=[home.key])
    src = consignor(world, rng)
    tr = world.by_role["transporter"][0]
    dist = km(src.address.lat, src.address.lon, home.lat, home.lon) * 1.25
    for _ in range(rng.randint(2, 4)):
        when = dt.datetime.combine(rand_date(rng, start, min(world.end, start + dt.timedelta(days=300))),
                                   dt.time(rng.randint(6, 16)))
        mv = simple_movement(arcs, src, when, to_trader(shop, "2", journey_time(dist)), "T500",
                             "Waterpipe tobacco bulk", f"{rng.uniform(100, 900):.1f}",
                             ids.nl_plate(rng), tr)
        mv.received_at = (when + dt.timedelta(hours=dist / 60 + 4)).date().isoformat()
        mv.receipt_conclusion = "1"
        world.case_movements.append(mv)
        subj.movements.append(mv.arc)
    on = rand_date(rng, start + dt.timedelta(days=60), world.end)
    add_seizure(world, on, "factory", "packaging", str(rng.randint(5000, 40000)), "pieces",
                address=home, person_id=director.person_id)
    add_seizure(world, on, "factory", "waterpipe", str(rng.randint(200, 1500)), "kg",
                address=home, classification="no_tax_stamp", person_id=director.person_id)
    add_tip(world, rng, on - dt.timedelta(days=rng.randint(20, 90)),
            "Zoete tabaksgeur uit woning, dozen met shisha worden 's avonds opgehaald",
            address=home, phone=director.phone if rng.random() < 0.5 else "")
    lounges = [o for o in world.by_role["outlet"] if o.muni == m.name and o.is_chain == "false"
               and o.trader_id not in world.reserved]
    for o in rng.sample(lounges, k=min(len(lounges), 2)):
        world.reserved.add(o.trader_id)
        ln = finding_line(rng, "no_tax_stamp", "waterpipe")
        if rng.random() < 0.5:
            stated(ln, names.name_variant(rng, shop.name), shop.trader_id)
        add_check(world, rng, o, rand_date(rng, start + dt.timedelta(days=30), world.end), [ln])
    new_case(world, "factory_site", "waterpipe_residence",
             f"Waterpipe tobacco made and packed in a house in {m.name}.", subj,
             ("premise", res.premise_id),
             ["residence_premise", "t500_deliveries", "precursor_seizures", "tips",
              "retail_findings_nearby"])


def _waterpipe_barn(world: World, rng: random.Random) -> None:
    """The harder profile's waterpipe workshop: a farmer rents a barn to a young webshop
    that sells shisha tobacco online. No e-ADs (the tobacco comes duty-paid or smuggled),
    no licence; lounges around the country name the webshop as their supplier of
    unstamped waterpipe tobacco, a parcel is stopped in the mail, a neighbour sometimes
    calls. The webshop looks like a supplier; the barn is where it is made."""
    m = rng.choice([mm for mm in world.munis if mm.population < 60000])
    start = rand_date(rng, dt.date(2022, 1, 1), dt.date(2023, 2, 1))
    farmer = world.add_person(rng, m, born=(1950, 1975))
    barn_addr = world.address_book.nl(m, "residential")
    farm = company(world, rng, f"Maatschap {farmer.full_name.split()[-1]}", barn_addr, "farm",
                   rand_date(rng, dt.date(1985, 1, 1), dt.date(2005, 1, 1)), form="vof",
                   sbi="0141")
    world.add_role(farmer, farm)
    director = world.add_person(rng, m, born=(1985, 2000))
    shop = company(world, rng, f"{rng.choice(names.WORDS)} Shisha Webshop", director.address,
                   "webshop", start - dt.timedelta(days=rng.randint(60, 500)), sbi="4791",
                   phone=director.phone or ids.nl_mobile(rng))
    world.add_role(director, shop)
    barn = world.add_premise("farm", barn_addr, shop, lease_start=iso(start),
                             floor_area_m2=str(rng.randint(150, 600)))
    subj = Subjects(traders=[shop.trader_id], persons=[director.person_id],
                    premises=[barn.premise_id], addresses=[barn_addr.key])
    lounges = [o for o in world.by_role["outlet"] if o.is_chain == "false"
               and o.trader_id not in world.reserved]
    named = rng.sample(lounges, k=min(len(lounges), rng.randint(3, 5)))
    for o in named:
        world.reserved.add(o.trader_id)
        ln = finding_line(rng, "no_tax_stamp", "waterpipe")
        stated(ln, names.name_variant(rng, shop.name) if rng.random() < 0.5 else shop.name,
               shop.trader_id)
        add_check(world, rng, o, rand_date(rng, start + dt.timedelta(days=30), world.end), [ln])
    add_seizure(world, rand_date(rng, start + dt.timedelta(days=60), world.end), "mail",
                "waterpipe", str(rng.randint(5, 60)), "kg", classification="no_tax_stamp",
                trader_id=shop.trader_id)
    used = ["farm_barn_rented_to_webshop", "new_tenant", "recent_lease",
            "retail_findings_name_the_operator"]
    if rng.random() < 0.5:
        add_street_tip(world, rng, rand_date(rng, start + dt.timedelta(days=30), world.end),
                       "Zoete tabaksgeur uit de schuur, elke dag pakketbusjes", barn_addr)
        used.append("tip_by_street_without_postcode")
    new_case(world, "factory_site", "waterpipe_farm_barn_webshop",
             f"Waterpipe tobacco made in a farm barn in {m.name} rented to the webshop "
             f"{shop.name}.", subj, ("premise", barn.premise_id), used)
    # The webshop is also what the lounges say it is: their supplier of unstamped waterpipe
    # tobacco, a retail supply chain (config.planted_per_kind counts it). Only the truth
    # says so; the world is the same.
    new_case(world, "retail_supply_chain", "waterpipe_webshop_supplier",
             f"Outlets with findings of unstamped waterpipe tobacco name the webshop "
             f"{shop.name} as their supplier: {', '.join(o.name for o in named)}; it makes "
             f"the tobacco in a farm barn in {m.name}.",
             Subjects(traders=[shop.trader_id] + [o.trader_id for o in named],
                      persons=[director.person_id], addresses=[shop.address.key]),
             ("trader", shop.trader_id), ["stated_supplier", "seizure_in_the_mail"])
