"""Tips and seizures: helpers for cases and the background noise around them."""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import ids, names
from graphfraud.synth.cases.common import company, new_case
from graphfraud.synth.geo import Address
from graphfraud.synth.licences import licence_row, new_machine
from graphfraud.synth.model import Row, Subjects, Trader
from graphfraud.synth.names import name_variant
from graphfraud.synth.products import ILLICIT_WHITE_BRANDS, LEGAL_BRANDS
from graphfraud.synth.retail import NOBODY
from graphfraud.synth.world import World, iso, rand_date

CHANNELS = ["crime_line", "excise_fraud_line", "police", "other"]


def add_tip(world: World, rng: random.Random, on: dt.date, text: str, *,
            name: str = "", name_truth: str | None = None, address: Address | None = None,
            plate: str = "", phone: str = "", channel: str = "", city: str = "") -> Row:
    row: Row = {"tip_id": "", "received_on": iso(on), "channel": channel or rng.choice(CHANNELS),
                "text": text, "mentioned_name": name,
                "mentioned_plate": ids.messy_plate(rng, plate) if plate else "",
                "mentioned_phone": ids.messy_phone(rng, phone) if phone else ""}
    if address is None and city:
        row["mentioned_city"] = city  # a caller says the town even without the address
    if address is not None:
        row.update({"mentioned_street": address.street,
                    "mentioned_house_number": address.house_number,
                    "mentioned_postcode": address.postcode if rng.random() < 0.7
                    else address.postcode.replace(" ", "").lower(),
                    "mentioned_city": address.city})
    if name:
        row["_nv"] = ("mentioned_name", name_truth)  # type: ignore[assignment]
    world.tips.append(row)
    return row


def add_street_tip(world: World, rng: random.Random, on: dt.date, text: str,
                   address: Address, *, name: str = "", name_truth: str | None = None) -> Row:
    """A tip that gives street, house number and place but no postcode, written as a
    caller says it ('industrieweg 55 a', 'Kerkstr. 12-b'): address resolution must find it."""
    row = add_tip(world, rng, on, text, name=name, name_truth=name_truth)
    street = address.street
    if street.endswith("straat") and rng.random() < 0.4:
        street = street[: -len("straat")] + "str."
    row.update({"mentioned_street": street.lower() if rng.random() < 0.3 else street,
                "mentioned_house_number": ids.spoken_house_number(rng, address.house_number),
                "mentioned_city": address.city if rng.random() < 0.7 else address.city.upper()})
    return row


def add_seizure(world: World, on: dt.date, context: str, product: str, quantity: str,
                unit: str, *, address: Address | None = None, brand: str = "",
                classification: str = "", trader_id: str = "", person_id: str = "",
                plate: str = "", case_ref: str = "") -> Row:
    row: Row = {"seizure_id": "", "seized_on": iso(on), "context": context, "product": product,
                "brand": brand, "classification": classification, "quantity": quantity,
                "unit": unit, "trader_id": trader_id, "person_id": person_id,
                "vehicle_plate": plate, "case_ref": case_ref}
    if address is not None:
        row.update({"street": address.street, "house_number": address.house_number,
                    "postcode": address.postcode, "city": address.city,
                    "country": address.country, "lat": f"{address.lat:.5f}",
                    "lon": f"{address.lon:.5f}"})
    world.seizures.append(row)
    return row


def background(world: World) -> None:
    """Tips about nothing in particular and seizures at ports, roads and in the mail;
    with the harder profile, the legal look-alikes of `harder_noise` too."""
    if world.scale.harder:
        harder_noise(world)
    rng = world.rng("noise")
    outlets = [o for o in world.by_role["outlet"] if o.trader_id not in world.reserved]
    for _ in range(world.scale.background_tips):
        on = rand_date(rng, world.start, world.end)
        u = rng.random()
        if u < 0.4:
            o = outlets[rng.randrange(len(outlets))]
            add_tip(world, rng, on, "Winkel verkoopt sigaretten zonder Nederlandse zegel",
                    name=o.name if rng.random() < 0.5 else name_variant(rng, o.name),
                    name_truth=o.trader_id, address=o.address if rng.random() < 0.6 else None,
                    city=o.address.city)
        elif u < 0.7:
            add_tip(world, rng, on, "Busje laadt 's nachts dozen uit in de straat",
                    plate=ids.nl_plate(rng))
        elif u < 0.85:
            add_tip(world, rng, on, "Iemand verkoopt sigaretten via Telegram",
                    phone=ids.nl_mobile(rng))
        else:
            add_tip(world, rng, on, "Handel in goedkope sigaretten", name=rng.choice(NOBODY),
                    name_truth=None)
    for _ in range(world.scale.background_seizures):
        on = rand_date(rng, world.start, world.end)
        ctx = rng.choices(["port", "road", "airport", "mail"], [35, 35, 15, 15])[0]
        cls = rng.choice(["counterfeit", "illicit_white", "non_domestic_legal"])
        brand = rng.choice(ILLICIT_WHITE_BRANDS if cls == "illicit_white" else LEGAL_BRANDS["T200"])
        qty = {"port": (100_000, 8_000_000), "road": (2_000, 800_000), "airport": (400, 20_000),
               "mail": (200, 4_000)}[ctx]
        add_seizure(world, on, ctx, "cigarettes", str(rng.randint(*qty)), "sticks", brand=brand,
                    classification=cls, plate=ids.nl_plate(rng) if ctx == "road" else "")


def outlets_or_firms(world: World, rng: random.Random) -> Trader:
    """An innocent shop or company (not part of a case) that a noise tip may name."""
    pool = [t for role in ("outlet", "business_centre_firm", "wholesaler")
            for t in world.by_role.get(role, []) if t.trader_id not in world.reserved]
    return pool[rng.randrange(len(pool))]


def harder_noise(world: World) -> None:
    """The ordinary world that looks like fraud (harder profile): a business centre where
    firms come and go, shops taken over by new owners at the same address, an EPS hot
    spot in a town without a factory, and licences lapsed at legal manufacturers."""
    rng = world.rng("noise-harder")
    n = max(3, world.scale.decoys_per_kind)
    centre_muni = world.pick_muni(rng)
    centre = world.address_book.nl(centre_muni, "industrial")
    for _ in range(3 * n):
        gone = rng.random() < 0.3
        dissolved = rand_date(rng, dt.date(2021, 1, 1), dt.date(2023, 6, 1)) if gone else None
        t = company(world, rng, names.generic_company(rng), centre, "business_centre_firm",
                    rand_date(rng, dt.date(2012, 1, 1), dt.date(2023, 6, 1)),
                    sbi=rng.choice(["6201", "7022", "4690", "7311", "6920"]),
                    status="dissolved" if gone else "active", dissolved=dissolved)
        world.add_role(world.add_person(rng, centre_muni), t)
    for _ in range(n):  # a shop closes, a new owner opens one at the same address
        m = world.pick_muni(rng)
        shop = world.address_book.nl(m, "residential")
        closed = rand_date(rng, dt.date(2021, 1, 1), dt.date(2023, 3, 1))
        old = company(world, rng, f"Tabakszaak {rng.choice(names.WORDS)}", shop,
                      "shop_succession", closed - dt.timedelta(days=rng.randint(800, 4000)),
                      form="eenmanszaak", sbi="4726", status="dissolved", dissolved=closed)
        world.add_role(world.add_person(rng, m), old)
        new = company(world, rng, f"{rng.choice(names.WORDS)} Tabak & Gemak", shop,
                      "shop_succession", closed + dt.timedelta(days=rng.randint(10, 120)),
                      form="eenmanszaak", sbi="4726")
        world.add_role(world.add_person(rng, m), new)
        new_case(world, "decoy", "shop_succession",
                 f"{old.name} closed; {new.name}, another owner, opened at the same address.",
                 Subjects(traders=[new.trader_id, old.trader_id], addresses=[shop.key]),
                 ("trader", new.trader_id), ["same_address", "within_36_months"],
                 looks_like="phoenix")
    quiet = [m for m in world.munis if m.eps and m.name not in world.factory_brands]
    if quiet:
        m = quiet[rng.randrange(len(quiet))]
        world.eps_spikes.append((2023, m.name, max(3, world.scale.eps_packs_per_wave // 300)))
    for _ in range(2 * n):  # callers who name innocent shops and firms by street only
        o = outlets_or_firms(world, rng)
        add_street_tip(world, rng, rand_date(rng, world.start, world.end),
                       rng.choice(["Winkel verkoopt sigaretten zonder Nederlandse zegel",
                                   "Veel busjes bij het pand, ook 's avonds",
                                   "Dozen worden achterom uitgeladen"]), o.address)
    for maker in world.by_role.get("manufacturer", []):
        site = next((p for p in world.premises if p.operator_trader_id == maker.trader_id), None)
        if site is not None and rng.random() < 0.7:
            licence_row(world, new_machine(world, rng), "possession", "expired",
                        rand_date(rng, dt.date(2014, 1, 1), dt.date(2017, 1, 1)),
                        holder=maker, site=site, valid_years=5)
