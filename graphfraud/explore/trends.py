"""EPS shares as the managers' page shows them: per municipality and year with their
confidence intervals, the national trend and border vs. non-border. Aggregates only.

Thin over `graphfraud.explore.eps_shares.estimate_shares`; adds the municipality points
(`explorer_municipality_points`) so a map can be drawn without map tiles.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from graphfraud.explore.eps_shares import estimate_shares
from graphfraud.store.base import GraphStore

GROUPS = ("national", "border", "non-border")


def share_rows(store: GraphStore) -> list[dict[str, Any]]:
    """Every share estimate as a dict (year, scope, measure, packs, hits, share, low,
    high, clusters)."""
    return [asdict(e) for e in estimate_shares(store.stream("eps_counts"))]


def municipality_points(store: GraphStore) -> dict[str, dict[str, Any]]:
    """municipality -> {lat, lon, border}."""
    return {str(r["municipality"]): r for r in store.run("explorer_municipality_points")}


def map_rows(shares: list[dict[str, Any]], points: dict[str, dict[str, Any]], year: int,
             measure: str) -> list[dict[str, Any]]:
    """One row per municipality for `year` and `measure`, with its point."""
    out = []
    for s in shares:
        if s["year"] != year or s["measure"] != measure or s["scope"] in GROUPS:
            continue
        p = points.get(s["scope"])
        if not p:
            continue
        out.append({"municipality": s["scope"], "lat": p["lat"], "lon": p["lon"],
                    "border": bool(p.get("border")), "share": s["share"], "low": s["low"],
                    "high": s["high"], "packs": s["packs"]})
    return out
