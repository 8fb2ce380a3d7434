"""Spatial evidence near a site: brands rare nationally but concentrated around it.

A factory's own brand turns up in the litter along the routes near the unit and in the
shops of the region, and hardly anywhere else. Counting per municipality gives every
unit in the town the same points; here each observation (an EPS pack, a retail finding)
counts by its distance to the site, against the brand's national total: the baseline is
the brand itself, so a common brand (sold everywhere) never looks concentrated.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from graphfraud.detect.geo import haversine_km

#: grid cell in degrees for the look-up (about 2 km): a radius of R km scans
#: ceil(R / 2) cells each way
_CELL_LAT = 0.02
_CELL_LON = 0.03


@dataclass(frozen=True, slots=True)
class Observation:
    """One sighting of a brand at a place: an EPS pack or a retail finding."""

    ref: str  # "Label:key" of the evidence node
    brand: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Concentration:
    brand: str
    near: int  # observations within the radius
    national: int  # observations of the brand anywhere
    nearest_km: float
    refs: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.near / self.national if self.national else 0.0


class BrandMap:
    """Observations on a coarse grid, with each brand's national count."""

    def __init__(self, observations: Iterable[Observation]) -> None:
        self.cells: dict[tuple[int, int], list[Observation]] = defaultdict(list)
        self.national: Counter[str] = Counter()  # distinct evidence nodes per brand
        seen: set[tuple[str, str]] = set()
        for o in observations:
            self.cells[self._cell(o.lat, o.lon)].append(o)
            if (o.brand, o.ref) not in seen:
                seen.add((o.brand, o.ref))
                self.national[o.brand] += 1

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / _CELL_LAT), math.floor(lon / _CELL_LON)

    def within(self, lat: float, lon: float, radius_km: float) -> list[tuple[float, Observation]]:
        """(distance, observation) within `radius_km` of the point, nearest first."""
        ci, cj = self._cell(lat, lon)
        reach_i = math.ceil(radius_km / (111.0 * _CELL_LAT))
        reach_j = math.ceil(radius_km / (111.0 * _CELL_LON * max(0.2, math.cos(math.radians(lat)))))
        out = []
        for i in range(ci - reach_i, ci + reach_i + 1):
            for j in range(cj - reach_j, cj + reach_j + 1):
                for o in self.cells.get((i, j), ()):
                    d = haversine_km(lat, lon, o.lat, o.lon)
                    if d <= radius_km:
                        out.append((d, o))
        out.sort(key=lambda x: (x[0], x[1].ref))
        return out

    def concentrated(self, lat: float, lon: float, radius_km: float, min_near: int,
                     min_share: float, brands: set[str] | None = None) -> list[Concentration]:
        """Brands with at least `min_near` observations within the radius that make up at
        least `min_share` of the brand's national count (only `brands`, if given), the
        most concentrated first."""
        by_brand: dict[str, list[tuple[float, Observation]]] = defaultdict(list)
        for d, o in self.within(lat, lon, radius_km):
            if brands is None or o.brand in brands:
                by_brand[o.brand].append((d, o))
        out = []
        for brand, hits in by_brand.items():
            refs = tuple(dict.fromkeys(o.ref for _, o in hits))
            c = Concentration(brand, len(refs), self.national[brand], round(hits[0][0], 2), refs)
            if c.near >= min_near and c.share >= min_share:
                out.append(c)
        out.sort(key=lambda c: (-c.share, -c.near, c.brand))
        return out
