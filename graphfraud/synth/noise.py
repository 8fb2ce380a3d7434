"""Tips and seizures: helpers for cases and the background noise around them."""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth import ids
from graphfraud.synth.geo import Address
from graphfraud.synth.model import Row
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
    """Tips about nothing in particular and seizures at ports, roads and in the mail."""
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
