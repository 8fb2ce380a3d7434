"""The legal EMCS traffic, generated day by day so large worlds stream to disk.

Nothing here is kept after it is yielded except the vehicle busy-times, so memory stays
bounded whatever the number of movement lines.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator

from graphfraud.synth import ids, names
from graphfraud.synth.geo import journey_time, km
from graphfraud.synth.market import EXPORT_CONSIGNEES, Flow, Market
from graphfraud.synth.model import Trader
from graphfraud.synth.movements import Destination, Line, Movement
from graphfraud.synth.products import EPC_INFO, quantity
from graphfraud.synth.world import World

LINES_PER_MOVEMENT = ([1, 2, 3, 4], [50, 25, 15, 10])
MEAN_LINES = 1.55  # effective: a shipper with a small portfolio ships fewer lines


class ArcMinter:
    """Unique ARCs for the whole world (legal stream and planted cases share it)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.serial = rng, 10_000

    def mint(self, when: dt.datetime, country: str, warehouse: str) -> str:
        self.serial += self.rng.randint(1, 40)
        return ids.arc(when.year, country, warehouse[-4:], self.serial)


class PlatePool:
    """Each transporter's fleet; a truck is never on two legal trips at once."""

    def __init__(self, rng: random.Random, transporters: list[Trader]) -> None:
        self.rng = rng
        self.fleet = {t.trader_id: [ids.nl_plate(rng) for _ in range(4)] for t in transporters}
        self.busy: dict[str, dt.datetime] = {}

    def pick(self, transporter: Trader, start: dt.datetime, end: dt.datetime) -> str:
        fleet = self.fleet[transporter.trader_id]
        for _ in range(4):
            plate = fleet[self.rng.randrange(len(fleet))]
            if self.busy.get(plate, dt.datetime.min) < start:
                break
        else:
            plate = ids.nl_plate(self.rng)
            while plate in self.busy:
                plate = ids.nl_plate(self.rng)
            fleet.append(plate)
        self.busy[plate] = end
        return plate


def poisson(rng: random.Random, mu: float) -> int:
    if mu > 30:
        return max(0, round(rng.gauss(mu, math.sqrt(mu))))
    limit, k, p = math.exp(-mu), 0, 1.0
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def destination_for(flow: Flow, rng: random.Random, distance: float) -> Destination:
    jt = journey_time(distance)
    c = flow.consignee
    if c is None:
        name, cc, street, city = rng.choice(EXPORT_CONSIGNEES)
        return Destination("6", jt, "", name, street, "", city, cc, "", name_truth=(None,))
    a = c.address
    declared = c.name
    truth: tuple[str | None] | None = None
    if rng.random() < 0.02:
        declared = names.name_variant(rng, c.name)
        truth = (c.trader_id,)
    place = flow.delivery_place or f"{a.street} {a.house_number}, {a.postcode} {a.city}"
    return Destination(flow.destination_type, jt, c.excise_number, declared, f"{a.street} {a.house_number}",
                       a.postcode, a.city, a.country, place, name_truth=truth)


def legal_movements(world: World, market: Market, arcs: ArcMinter) -> Iterator[Movement]:
    """Chronological legal movements, about `scale.movement_lines` lines in all."""
    rng = world.rng("legal-movements")
    plates = PlatePool(world.rng("plates"), market.transporters)
    flows = market.flows
    cum = list(itertools.accumulate(f.weight for f in flows))
    total = cum[-1]
    days = (world.end - world.start).days + 1
    target = world.scale.movement_lines / MEAN_LINES
    per_weekday = target / (days * (5 + 0.2) / 7)
    weights_tr = [rng.paretovariate(1.3) for _ in market.transporters]
    for offset in range(days):
        day = world.start + dt.timedelta(days=offset)
        mu = per_weekday * (1.0 if day.weekday() < 5 else 0.1)
        batch = []
        for _ in range(poisson(rng, mu)):
            flow = flows[bisect.bisect_right(cum, rng.random() * total)]
            when = dt.datetime.combine(day, dt.time(rng.randint(4, 20), rng.choice((0, 15, 30, 45))))
            batch.append((when, flow))
        batch.sort(key=lambda x: x[0])
        for when, flow in batch:
            tr = rng.choices(market.transporters, weights_tr)[0]
            yield _movement(world, rng, arcs, plates, when, flow, tr)


def _movement(world: World, rng: random.Random, arcs: ArcMinter, plates: PlatePool,
              when: dt.datetime, flow: Flow, tr: Trader) -> Movement:
    sh = flow.shipper
    src = sh.trader.address
    if flow.consignee is not None:
        dst = flow.consignee.address
        distance = km(src.lat, src.lon, dst.lat, dst.lon) * 1.25
    else:
        distance = rng.uniform(150, 600)  # to the exit office
    dest = destination_for(flow, rng, distance)
    n_lines = rng.choices(*LINES_PER_MOVEMENT)[0]
    picks = rng.sample(sh.brands, k=min(n_lines, len(sh.brands)))
    lines = []
    for epc, brand in picks:
        cn, unit, *_ = EPC_INFO[epc]
        lines.append(Line(epc, cn, brand, quantity(rng, epc, 1.0 / len(picks) ** 0.5), unit))
    travel_h = distance / rng.uniform(55, 75) + rng.uniform(0.5, 3)
    arrival = when + dt.timedelta(hours=travel_h + rng.choice((0, 0, 2, 14, 20, 40)))
    plate = plates.pick(tr, when, arrival)
    m = Movement(arcs.mint(when, src.country, sh.warehouse), sh.trader.excise_number,
                 sh.warehouse, "1", when, tr.name, tr.vat_number, [plate],
                 rng.choice(("1", "1", "1", "12", "2")), lines, [dest])
    if rng.random() < 0.006 and flow.consignee is not None:
        alt = world.by_role["wholesaler"][rng.randrange(len(world.by_role["wholesaler"]))]
        if alt.excise_status == "authorised_warehousekeeper" and alt is not flow.consignee:
            a = alt.address
            m.destinations.append(Destination(
                "1", dest.journey_time, alt.excise_number, alt.name, f"{a.street} {a.house_number}",
                a.postcode, a.city, a.country, a.postcode))
    r = rng.random()
    if arrival.date() > world.end - dt.timedelta(days=3):
        return m  # still on its way when the extract was taken
    if r < 0.012 and len(m.destinations) == 1:
        cancel = when - dt.timedelta(hours=rng.randint(1, 30))
        m.cancelled_at = cancel.isoformat(timespec="seconds")
        return m
    m.received_at = arrival.date().isoformat()
    export = dest.destination_type == "6"
    if r < 0.017:
        m.receipt_conclusion = "23" if export else "3"
        return m
    m.receipt_conclusion = "21" if export else "1"
    for ln in lines:
        u = rng.random()
        if u < 0.04:
            ln.shortage_or_excess = "S"
            ln.observed_difference = _diff(rng, ln, 0.0005, 0.004)
        elif u < 0.045:
            ln.shortage_or_excess = "E"
            ln.observed_difference = _diff(rng, ln, 0.0002, 0.002)
        elif u < 0.048 and not export:
            ln.shortage_or_excess = "S"
            ln.observed_difference = _diff(rng, ln, 0.01, 0.05)
            m.receipt_conclusion = "2"
    return m


def _diff(rng: random.Random, ln: Line, lo: float, hi: float) -> str:
    d = float(ln.quantity) * rng.uniform(lo, hi)
    return str(max(1, round(d))) if ln.unit == "4" else f"{max(0.1, d):.1f}"
