"""Sizes of each scale; everything else in the generator is scale-free."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

PERIOD_START = dt.date(2021, 1, 1)
PERIOD_END = dt.date(2023, 12, 31)
EPS_YEARS = (2019, 2021, 2023)


@dataclass(frozen=True, slots=True)
class Scale:
    name: str
    foreign_consignors: int
    manufacturers: int
    importers: int
    wholesalers: int
    outlets: int
    transporters: int
    other_companies: int
    trust_office_companies: int
    movement_lines: int
    checks_per_year: int
    eps_packs_per_wave: int
    cases_per_kind: int    # planted cases per kind, before the extras (waterpipe, lone suppliers)
    background_tips: int
    background_seizures: int
    decoys_per_kind: int   # legal look-alikes per kind (busy wholesalers, licensed units, …)
    #: the harder profile (issue 13): evasive variants of the typologies (a front company
    #: takes the precursors, a relative runs the successor) and more look-alike decoys
    #: (refused-then-granted licences, machines sold to licensed buyers, a trust office's
    #: nominee successions, a legal wholesaler named as cover)
    harder: bool = False


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", 8, 2, 2, 14, 220, 4, 20, 12, 400, 35, 600, 1, 20, 10, 1),
    "small": Scale("small", 20, 3, 4, 50, 2500, 10, 200, 25, 5000, 150, 4500, 3, 150, 60, 3),
    # Medium plants at most 8 cases of a kind, extras included (6 factories + the
    # waterpipe workshop; 6 network suppliers + 2 lone suppliers), so "every planted case
    # in the top 10 of its kind" can hold; its 10 decoys per kind outnumber the cases.
    "medium": Scale("medium", 60, 4, 10, 300, 20000, 40, 1500, 40, 100_000, 1000, 4500, 6,
                    800, 300, 10),
    "large": Scale("large", 150, 6, 20, 800, 80000, 120, 15000, 60, 1_000_000, 2700, 4500, 10,
                   3000, 1000, 10),
    # A national year (issue 20): ten times large's movement lines, the register grown
    # as the scales above grow it (about 2.5x per step), the planted cases as large's.
    # Movements are streamed to disk as they are made, so memory follows the register.
    "xlarge": Scale("xlarge", 300, 8, 40, 2000, 200000, 300, 50000, 80, 10_000_000, 6000,
                    4500, 10, 8000, 2500, 10),
}
#: `<scale>-hard`: the same sizes with the harder profile; new worlds for tuning and
#: measuring detection use it, the plain scales stay as they were (their figures hold)
SCALES.update({f"{k}-hard": replace(v, name=f"{k}-hard", harder=True)
               for k, v in list(SCALES.items())})


def base_name(scale: Scale) -> str:
    """The scale's size name without the profile: `small-hard` -> `small`."""
    return scale.name.removesuffix("-hard")


#: a lone retail supplier is planted after every this many supplier networks (from the first)
LONE_SUPPLIER_EVERY = 3


#: the harder profile's factory at this index is the farm barn rented to a webshop
BARN_FACTORY_AT = 2


def planted_per_kind(scale: Scale) -> dict[str, int]:
    """How many cases of each kind a world of this scale plants, extras included: each
    supplier network also plants its phoenix succession and its retail chain, factories
    end with a waterpipe workshop, and lone suppliers come on top of the chains. In the
    harder profile the farm barn's webshop, named as supplier by lounges, is also planted
    as a retail supply chain."""
    n = scale.cases_per_kind
    barn = scale.harder and n > BARN_FACTORY_AT
    return {"factory_site": n + 1, "diversion": n, "supplier_network": n, "phoenix": n,
            "retail_supply_chain": n + len(range(0, n, LONE_SUPPLIER_EVERY)) + int(barn)}


def get_scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; choose one of {', '.join(SCALES)}") from None
