"""Machine licences of the legal manufacturers, and what is known of their machines.

Some licences name their holder only by name and address (a foreign machine dealer, or a
known trader written differently): those rows feed the entity-resolution truth.
"""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import names
from graphfraud.synth.geo import Address
from graphfraud.synth.model import Premise, Row, Trader
from graphfraud.synth.world import World, iso, rand_date

MACHINE_TYPES = [("maker", 800, 12000), ("packer", 150, 600), ("cutter", 0, 0),
                 ("filter_maker", 1000, 6000), ("wrapper", 100, 400)]
MAKERS = [("Fokke Machinebouw", "FM"), ("Tecnomac Italia", "TC"), ("Mako Systems", "MK"),
          ("Dresdner Tabakmaschinen", "DT"), ("Shenyang Precision", "SY")]
DEALERS = [("Maschinenhandel Rhein GmbH", "DE", "Duisburg", "47051", "Hafenstraße 12"),
           ("Used Tobacco Machinery Ltd", "GB", "Bristol", "BS1 4DJ", "Harbour Road 3"),
           ("Polmasz Sp. z o.o.", "PL", "Radom", "26-600", "ul. Fabryczna 8")]


def new_machine(world: World, rng: random.Random) -> tuple[str, str, str, str, str]:
    """(machine_id, type, manufacturer, model, capacity)."""
    mtype, lo, hi = rng.choice(MACHINE_TYPES)
    maker, code = rng.choice(MAKERS)
    mid = f"{code}{rng.randint(100000, 999999)}"
    cap = str(rng.randint(lo, hi) // 10 * 10) if hi else ""
    return mid, mtype, maker, f"{code}-{rng.randint(2, 12)}", cap


def licence_row(world: World, machine: tuple[str, str, str, str, str], kind: str, status: str,
                applied: dt.date, *, holder: Trader | None = None, site: Premise | None = None,
                site_address: Address | None = None, recipient: Trader | None = None,
                valid_years: int = 5) -> Row:
    mid, mtype, maker, model, cap = machine
    granted = applied + dt.timedelta(days=20 + int(mid[-2:]) % 40)
    row: Row = {"licence_id": world.next_id("ML", 6), "kind": kind, "machine_id": mid,
                "machine_type": mtype, "manufacturer": maker, "model": model,
                "capacity_per_minute": cap, "applied_on": iso(applied), "status": status,
                "holder_trader_id": holder.trader_id if holder else "",
                "site_premise_id": site.premise_id if site else "",
                "recipient_trader_id": recipient.trader_id if recipient else ""}
    if status in ("granted", "expired", "revoked"):
        row["granted_on"] = iso(granted)
        row["valid_until"] = iso(granted.replace(year=granted.year + valid_years))
    if site_address is not None:
        a = site_address
        row.update({"site_street": a.street, "site_house_number": a.house_number,
                    "site_postcode": a.postcode, "site_city": a.city, "site_country": a.country})
    world.licences.append(row)
    return row


def event(world: World, machine_id: str, what: str, at: dt.date, *, src: str = "",
          dst: str = "", to_address: Address | None = None, counterparty: str = "") -> Row:
    row: Row = {"event_id": world.next_id("ME", 6), "machine_id": machine_id, "event": what,
                "at": iso(at), "from_premise_id": src, "to_premise_id": dst,
                "counterparty_trader_id": counterparty}
    if to_address is not None:
        row.update({"to_street": to_address.street, "to_house_number": to_address.house_number,
                    "to_postcode": to_address.postcode, "to_city": to_address.city})
    world.machine_events.append(row)
    return row


def legal_licences(world: World) -> None:
    rng = world.rng("licences")
    sites = {p.operator_trader_id: p for p in world.premises if p.kind == "tax_warehouse"}
    for t in world.by_role.get("manufacturer", []):
        site = sites[t.trader_id]
        for _ in range(rng.randint(3, 7)):
            machine = new_machine(world, rng)
            applied = rand_date(rng, dt.date(2020, 10, 1), dt.date(2021, 6, 1))
            row = licence_row(world, machine, "possession", "granted", applied, holder=t,
                              site=site)
            world.machines_of.setdefault(t.trader_id, []).append(machine)
            if rng.random() < 0.4:
                dealer, cc, city, pc, street = rng.choice(DEALERS)
                holder_name = dealer if rng.random() < 0.7 else names.name_variant(rng, dealer)
                dispatch = licence_row(world, machine, "intra_eu_dispatch" if cc != "GB"
                                       else "import", "granted",
                                       applied - dt.timedelta(days=rng.randint(20, 90)),
                                       recipient=t, site=site)
                street_name, number = street.rsplit(" ", 1)
                dispatch.update({"holder_name": holder_name, "holder_street": street_name,
                                 "holder_house_number": number, "holder_postcode": pc,
                                 "holder_city": city, "holder_country": cc})
                dispatch["_nv"] = ("holder_name", None)  # type: ignore[assignment]
            if rng.random() < 0.15:
                # the holder written by name on a renewal form instead of by id
                renewal = dict(row)
                renewal["licence_id"] = world.next_id("ML", 6)
                renewal["holder_trader_id"] = ""
                renewal["holder_name"] = names.name_variant(rng, t.name)
                a = t.address
                renewal.update({"holder_street": a.street, "holder_house_number": a.house_number,
                                "holder_postcode": a.postcode, "holder_city": a.city,
                                "holder_country": "NL", "status": "applied",
                                "applied_on": iso(dt.date.fromisoformat(row["valid_until"])
                                                  - dt.timedelta(days=60)),
                                "granted_on": "", "valid_until": ""})
                renewal["_nv"] = ("holder_name", t.trader_id)  # type: ignore[assignment]
                world.licences.append(renewal)
            for year in range(2021, 2024):
                if rng.random() < 0.7:
                    event(world, machine[0], "inspected",
                          rand_date(rng, dt.date(year, 2, 1), dt.date(year, 11, 30)),
                          src=site.premise_id)
