"""The shipped municipality shapes: real polygons inside the Netherlands, one name per
municipality of the synthetic world, and a NOTICE with source and licence."""

from __future__ import annotations

import csv
from importlib import resources

from graphfraud.explore.geo import municipality_shapes, shape_names, unmapped


def test_shapes_are_polygons_inside_the_netherlands() -> None:
    fc = municipality_shapes()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 393
    for f in fc["features"]:
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        rings = (f["geometry"]["coordinates"] if f["geometry"]["type"] == "Polygon"
                 else [r for p in f["geometry"]["coordinates"] for r in p])
        for ring in rings:
            assert len(ring) >= 4 and ring[0] == ring[-1]
            for lon, lat in ring:
                assert 3.3 <= lon <= 7.3 and 50.7 <= lat <= 53.6


def test_every_world_municipality_has_a_shape() -> None:
    path = resources.files("graphfraud") / "synth" / "data" / "municipalities.csv"
    with path.open(encoding="utf-8") as fh:
        names = [r["name"] for r in csv.DictReader(fh)]
    assert unmapped(names) == []
    assert {"Amsterdam", "'s-Gravenhage", "Maastricht", "Dijk en Waard"} <= shape_names()
    assert unmapped(["Atlantis"]) == ["Atlantis"]


def test_notice_names_source_and_licence() -> None:
    text = (resources.files("graphfraud") / "data" / "geo" / "NOTICE.md").read_text()
    assert "CBS" in text and "PDOK" in text and "CC BY 4.0" in text
