"""Empty Pack Survey waves calibrated to the published national shares.

Counts per class are fixed by quota (not drawn), so the national shares equal the
targets up to rounding; border municipalities get a higher weight for foreign and
illegal packs, the others less, and factory spikes come out of the same quota.
"""

from __future__ import annotations

import datetime as dt
import random

from graphfraud.synth.config import EPS_YEARS
from graphfraud.synth.geo import Municipality
from graphfraud.synth.model import Row
from graphfraud.synth.products import ILLICIT_WHITE_BRANDS, LEGAL_BRANDS, foreign_stamp
from graphfraud.synth.world import World, iso

# national targets: share not Dutch duty-paid, and share illegal (counterfeit + illicit white)
TARGETS = {2019: (0.158, 0.012), 2021: (0.153, 0.014), 2023: (0.25, 0.041)}
COUNTERFEIT_PART = {2019: 0.45, 2021: 0.40, 2023: 0.35}
UNKNOWN_SHARE = 0.004
BORDER_WEIGHT = {"foreign": 2.2, "illegal": 1.8}


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` proportional to `weights`."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    rest = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in rest[: total - sum(out)]:
        out[i] += 1
    return out


def eps_targets() -> dict[str, dict[str, float]]:
    return {str(y): {"not_domestic_duty_paid": t[0], "illegal": t[1]} for y, t in TARGETS.items()}


def eps_rows(world: World) -> list[Row]:
    rng = world.rng("eps")
    munis = [m for m in world.munis if m.eps]
    rows: list[Row] = []
    for year in EPS_YEARS:
        rows.extend(_wave(world, rng, year, munis))
    return rows


def _wave(world: World, rng: random.Random, year: int, munis: list[Municipality]) -> list[Row]:
    n = world.scale.eps_packs_per_wave
    size = _allocate(n, [m.population ** 0.5 for m in munis])
    not_dutch, illegal = TARGETS[year]
    n_illegal = round(n * illegal)
    n_cf = round(n_illegal * COUNTERFEIT_PART[year])
    n_iw = n_illegal - n_cf
    n_unknown = round(n * UNKNOWN_SHARE)
    n_foreign = round(n * not_dutch) - n_illegal - n_unknown
    spikes = {name: extra for y, name, extra in world.eps_spikes if y == year}
    spike_total = min(sum(spikes.values()), n_iw)
    spike_alloc = [spikes.get(m.name, 0) for m in munis]
    if sum(spike_alloc) > spike_total:
        spike_alloc = _allocate(spike_total, spike_alloc)
    fw = [s * (BORDER_WEIGHT["foreign"] if m.border else 1.0) for s, m in zip(size, munis, strict=True)]
    iw = [s * (BORDER_WEIGHT["illegal"] if m.border else 1.0) for s, m in zip(size, munis, strict=True)]
    per_class = {
        "illicit_white": [a + b for a, b in zip(_allocate(n_iw - sum(spike_alloc), iw), spike_alloc,
                                                 strict=True)],
        "counterfeit": _allocate(n_cf, iw),
        "non_domestic_legal": _allocate(n_foreign, fw),
        "unknown": _allocate(n_unknown, size),
    }
    rows: list[Row] = []
    counter = 0
    near = world.rng(f"eps-near-site-{year}")  # harder profile only: packs along a route
    for j, m in enumerate(munis):
        classes: list[str] = []
        for cls, alloc in per_class.items():
            classes += [cls] * alloc[j]
        classes += ["domestic_duty_paid"] * max(0, size[j] - len(classes))
        rng.shuffle(classes)
        routes = max(1, size[j] // 25)
        for k, cls in enumerate(classes):
            counter += 1
            on = dt.date(year, 9, 15) + dt.timedelta(days=rng.randint(0, 60))
            brand, stamp, lang = _pack(rng, cls, world.factory_brands.get(m.name) if
                                       spike_alloc[j] and cls == "illicit_white" else None)
            rows.append({
                "pack_id": f"EPS-{year}-{counter:05d}", "survey_year": str(year),
                "wave": f"{year}-autumn", "municipality": m.name,
                "border_municipality": "true" if m.border else "false",
                "route_id": f"{year}-{m.name[:4].upper().replace(' ', '').replace(chr(39), '')}"
                            f"-{k % routes + 1:02d}",
                "collected_on": iso(on),
                "lat": f"{m.lat + rng.uniform(-0.02, 0.02):.5f}",
                "lon": f"{m.lon + rng.uniform(-0.03, 0.03):.5f}",
                "brand": brand, "stamp_country": stamp, "warning_language": lang,
                "classification": cls, "pack_size": rng.choice(["20", "20", "20", "19", "22", "25"]),
            })
            site = world.factory_sites.get(m.name)
            if site and cls == "illicit_white" and brand == world.factory_brands.get(m.name):
                # the factory's own brand in the litter within about a kilometre of the unit
                rows[-1]["lat"] = f"{site[0] + near.uniform(-0.008, 0.008):.5f}"
                rows[-1]["lon"] = f"{site[1] + near.uniform(-0.012, 0.012):.5f}"
    return rows


def _pack(rng: random.Random, cls: str, spike_brand: str | None) -> tuple[str, str, str]:
    if cls == "domestic_duty_paid":
        return rng.choice(LEGAL_BRANDS["T200"]), "NL", "nl"
    if cls == "non_domestic_legal":
        stamp, lang = foreign_stamp(rng)
        return rng.choice(LEGAL_BRANDS["T200"]), stamp, lang
    if cls == "counterfeit":
        return rng.choice(LEGAL_BRANDS["T200"]), rng.choice(["NL", "NL", "DE"]), rng.choice(["nl", "de"])
    if cls == "illicit_white":
        brand = spike_brand if spike_brand and rng.random() < 0.8 else rng.choice(ILLICIT_WHITE_BRANDS)
        return brand, rng.choice(["", "", "", "BY"]), rng.choice(["en", "ru", ""])
    return "", "", ""
