"""Municipality shapes of the Netherlands shipped with the package (CBS/PDOK 2015,
generalised; see data/geo/NOTICE.md), so managers' maps draw offline: no tile server.

Pure helpers: the shapes as a GeoJSON FeatureCollection and which of our municipality
names they cover. The chart itself is drawn by the UI.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

SHAPES_FILE = "gemeenten_2015.geojson"
ATTRIBUTION = "Municipality shapes: CBS / PDOK 2015 (CC BY 4.0)"


@lru_cache(maxsize=1)
def municipality_shapes() -> dict[str, Any]:
    """The shipped FeatureCollection; each feature's `properties.name` is today's name."""
    text = (resources.files("graphfraud") / "data" / "geo" / SHAPES_FILE).read_text(
        encoding="utf-8")
    return json.loads(text)


def shape_names() -> set[str]:
    return {str(f["properties"]["name"]) for f in municipality_shapes()["features"]}


def unmapped(names: list[str]) -> list[str]:
    """Municipalities with data but no shape (told to the user, never dropped silently)."""
    known = shape_names()
    return sorted({n for n in names if n not in known})
