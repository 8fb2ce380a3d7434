"""Benchmark 5: the scaling curve — the headline figures at every scale up to the one
asked, with a plot (`docs/bench/scaling.png`, matplotlib) so the growth is visible.

Figures of a scale come from that scale's result files in `bench/results/` when they
exist (a `python -m bench all --scale S` run writes them); missing ones are measured
here with the cheaper benchmarks (embedded ingest, detection, queries; the Neo4j ingest
figure then comes from the queries benchmark's own GraphFraud ingest, without anchors).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.common import REPO, RESULTS, SCALES, table, write_result

PLOT = REPO / "docs" / "bench" / "scaling.png"
CHEAP = ("ingest_embedded", "detection", "queries")
#: measured by the queries benchmark for scale, but batch inputs, not interactive
BATCH_QUERIES = ("signal_traders",)


def _load(name: str, scale: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}-{scale}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def figures(scale: str) -> dict[str, Any]:
    emb, det, qry, neo = (_load(n, scale) for n in ("ingest_embedded", "detection",
                                                       "queries", "ingest_neo4j"))
    out: dict[str, Any] = {"scale": scale}
    if emb:
        e = emb["embedded"]
        out.update(rows=e["rows"], embedded_seconds=e["seconds"],
                   embedded_load_seconds=e["load_seconds"],
                   embedded_parse_seconds=e["parse_seconds"], nodes=e["nodes"],
                   relationships=e["relationships"])
        if emb.get("bulk"):
            out.update(embedded_bulk_load_seconds=emb["bulk"]["load_seconds"])
    if neo:
        out.update(neo4j_seconds=neo["graphfraud"]["seconds"],
                   load_csv_seconds=neo["load_csv"]["seconds"],
                   load_csv_rows=neo["load_csv"]["rows"],
                   admin_import_seconds=neo["admin_import"]["seconds"],
                   neo4j_vs_load_csv=neo["ratios"]["graphfraud_vs_load_csv"])
    elif qry and qry.get("neo4j_ingest"):
        out.update(neo4j_seconds=qry["neo4j_ingest"]["seconds"])
    if det:
        out.update(detect_seconds=det["detect_end_to_end_seconds"],
                   detect_max_rss_mib=det["max_rss_mib"],
                   projection_edges=det["algorithms"]["merged_edges"])
    if qry:
        for kind in ("embedded", "neo4j"):
            p95 = [v["p95_ms"] for name, v in qry[kind].items()
                   if v.get("p95_ms") is not None and name not in BATCH_QUERIES]
            n2 = qry[kind].get("bench_neighbourhood_2hop", {})
            out[f"{kind}_worst_p95_ms"] = max(p95) if p95 else None
            out[f"{kind}_2hop_p95_ms"] = n2.get("p95_ms")
    return out


def _series(ax: Any, points: list[dict[str, Any]], key: str, label: str) -> None:
    """One line of the plot: `key` against input rows, over the scales that have it."""
    xs = [p["rows"] for p in points if p.get(key)]
    if xs:
        ax.plot(xs, [p[key] for p in points if p.get(key)], marker="o", label=label)


def plot(points: list[dict[str, Any]], path: Path | None = None) -> str | None:
    path = path or PLOT  # read at call time, so tests can point it elsewhere
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    pts = [p for p in points if p.get("rows")]
    if not pts:
        return None
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    x = [p["rows"] for p in pts]
    for key, label in (("embedded_seconds", "ingest embedded"),
                       ("neo4j_seconds", "ingest Neo4j (GraphFraud)"),
                       ("load_csv_seconds", "LOAD CSV (anchor)"),
                       ("admin_import_seconds", "neo4j-admin import"),
                       ("detect_seconds", "detect end to end")):
        _series(ax1, pts, key, label)
    lo, hi = min(x), max(x)
    base = next((p["embedded_seconds"] for p in pts if p.get("embedded_seconds")), None)
    if base and hi > lo:
        ax1.plot([lo, hi], [base, base * hi / lo], ls=":", c="grey", label="linear")
    ax1.set(xscale="log", yscale="log", xlabel="input rows", ylabel="seconds",
            title="Load and detect time vs. size")
    ax1.legend(fontsize=8)
    for key, label in (("embedded_worst_p95_ms", "embedded worst p95"),
                       ("neo4j_worst_p95_ms", "Neo4j worst p95"),
                       ("embedded_2hop_p95_ms", "embedded 2-hop p95"),
                       ("neo4j_2hop_p95_ms", "Neo4j 2-hop p95")):
        _series(ax2, pts, key, label)
    ax2.axhline(300, ls="--", c="red", lw=1, label="target 300 ms")
    ax2.set(xscale="log", yscale="log", xlabel="input rows", ylabel="ms",
            title="Query latency p95 vs. size")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def run(scale: str) -> dict[str, Any]:
    import importlib

    upto = SCALES[: SCALES.index(scale) + 1]
    measured: list[str] = []
    for s in upto:
        for name in CHEAP:
            if _load(name, s) is None:
                module = importlib.import_module(f"bench.{name}")
                write_result(name, s, module.run(s))
                measured.append(f"{name}-{s}")
    points = [figures(s) for s in upto]
    return {"scales": list(upto), "points": points, "measured_now": measured,
            "plot": plot(points)}


def render(result: dict[str, Any], scale: str) -> str:
    cols = [("rows", "rows"), ("nodes", "nodes"), ("embedded_seconds", "emb ingest s"),
            ("neo4j_seconds", "neo4j ingest s"), ("load_csv_seconds", "LOAD CSV s"),
            ("admin_import_seconds", "admin s"), ("detect_seconds", "detect s"),
            ("embedded_worst_p95_ms", "emb worst p95"), ("neo4j_worst_p95_ms", "neo4j worst p95")]
    rows = [[p.get(k) for k, _ in cols] for p in result["points"]]
    rows = [[p["scale"], *r] for p, r in zip(result["points"], rows, strict=True)]
    return table("Scaling", ["scale", *(c for _, c in cols)], rows) + \
        f"\nplot: {result['plot'] or 'not drawn (matplotlib not installed)'}"
