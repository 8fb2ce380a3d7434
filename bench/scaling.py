"""Benchmark 5: the scaling curve — the headline figures at every scale up to the one
asked, with a plot (`docs/bench/scaling.png`, matplotlib) so the growth is visible.

Figures of a scale come from that scale's result files in `bench/results/` when they
exist (a `python -m bench all --scale S` run writes them); missing ones are measured
here with the cheaper benchmarks (embedded ingest, detection, queries; the Neo4j ingest
figure then comes from the queries benchmark's own GraphFraud ingest, without anchors).

The xlarge points come from `bench/xlarge.py`'s steps (`bench/results/xlarge-steps.json`):
each step's time and peak RSS, a step stopped at the memory limit drawn as a cross at
the rows it was given.
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


XLARGE_STEPS = "xlarge-steps.json"
#: xlarge step kinds drawn, with their label
XLARGE_SERIES = {"generate": "generate", "bulk": "embedded bulk first load",
                 "export": "neo4j-admin export (parse + CSV)", "admin": "neo4j-admin import",
                 "detect": "detect", "polars-memory": "Polars read + checks, in memory",
                 "polars-stream": "Polars read + checks, streaming",
                 "export_stream": "neo4j-admin export, streamed (Parquet spill)",
                 "admin_stream": "neo4j-admin import of the streamed files",
                 "daily_neo4j": "daily delivery onto it (Neo4j)",
                 "detect_neo4j": "detect on it (Neo4j)"}


def _step_rows(entry: dict[str, Any]) -> int | None:
    r = entry.get("result") or {}
    if r.get("rows"):
        return int(r["rows"])
    counts = r.get("counts") or {}
    if counts:
        return sum(v for k, v in counts.items()
                   if k.endswith(".csv") or k == "emcs_xml_lines")
    return entry.get("input_rows")


def xlarge_points(results: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per step kind: the measured points (rows, seconds, peak MiB, stopped at the limit)
    of the xlarge chain and its prefixes."""
    path = (results or RESULTS) / XLARGE_STEPS
    if not path.exists():
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    world_rows = _step_rows(doc["generate-xlarge"]) if "generate-xlarge" in doc else None
    for entry in doc.values():
        kind = entry["step"]
        if kind == "polars":
            kind = f"polars-{entry['args'][1]}"
        if kind not in XLARGE_SERIES:
            continue
        r = entry.get("result") or {}
        if not r and not entry.get("limit_reached"):
            continue  # failed or stopped by hand: no figure to draw
        rows = _step_rows(entry) if kind != "daily_neo4j" else None
        if entry.get("args") == ["all"] and kind != "daily_neo4j":
            rows = world_rows  # the whole world: its input rows, as generated
        elif kind == "daily_neo4j":  # drawn at the size of the graph it lands on
            rows = entry.get("input_rows") or world_rows
        if not rows:
            continue
        peak = max(entry.get("peak_rss_mib") or 0, r.get("python_peak_rss_mib") or 0)
        out.setdefault(kind, []).append({
            "rows": rows, "seconds": r.get("seconds") or entry.get("wall_seconds"),
            "peak_mib": peak, "limit": bool(entry.get("limit_reached")),
            "limit_mib": entry.get("limit_mib")})
    for pts in out.values():
        pts.sort(key=lambda p: p["rows"])
    return out


def _limits() -> list[dict[str, Any]]:
    path = RESULTS / XLARGE_STEPS
    return list(json.loads(path.read_text(encoding="utf-8")).values()) if path.exists() else []


def _series(ax: Any, points: list[dict[str, Any]], key: str, label: str) -> None:
    """One line of the plot: `key` against input rows, over the scales that have it."""
    xs = [p["rows"] for p in points if p.get(key)]
    if xs:
        ax.plot(xs, [p[key] for p in points if p.get(key)], marker="o", label=label)


def _xlarge(ax1: Any, ax3: Any, xl: dict[str, list[dict[str, Any]]]) -> None:
    """The xlarge steps: time (left, completed steps) and peak RSS (right, crosses where
    the step was stopped at the memory limit)."""
    for kind, pts in xl.items():
        done = [p for p in pts if not p["limit"]]
        if kind in ("generate", "bulk", "export", "admin", "detect") and done:
            ax1.plot([p["rows"] for p in done], [p["seconds"] for p in done], marker="s",
                     ls="--", label=f"{XLARGE_SERIES[kind]} (xlarge chain)")
        line = ax3.plot([p["rows"] for p in done], [p["peak_mib"] for p in done], marker="o",
                        label=XLARGE_SERIES[kind]) if done else None
        stopped = [p for p in pts if p["limit"]]
        for mib in sorted({p.get("limit_mib") or 0 for p in stopped}):
            at = [p for p in stopped if (p.get("limit_mib") or 0) == mib]
            where = f"its {mib / 1024:.0f} GiB watchdog" if mib else "the limit"
            ax3.plot([p["rows"] for p in at], [p["peak_mib"] for p in at],
                     marker="x", ls="", ms=10, c=line[0].get_color() if line else None,
                     label=f"{XLARGE_SERIES[kind]}: stopped at {where}")


def plot(points: list[dict[str, Any]], path: Path | None = None,
         xl: dict[str, list[dict[str, Any]]] | None = None) -> str | None:
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
    xl = xlarge_points() if xl is None else xl
    if xl:
        fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(17, 4.8))
    else:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    x = [p["rows"] for p in pts]
    for key, label in (("embedded_seconds", "ingest embedded"),
                       ("neo4j_seconds", "ingest Neo4j (GraphFraud)"),
                       ("load_csv_seconds", "LOAD CSV (anchor)"),
                       ("admin_import_seconds", "neo4j-admin import"),
                       ("detect_seconds", "detect end to end")):
        _series(ax1, pts, key, label)
    if xl:
        _xlarge(ax1, ax3, xl)
        x = x + [p["rows"] for ps in xl.values() for p in ps]
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
    if xl:
        mib = max((p.get("limit_mib") or 0 for p in _limits()), default=0)
        if mib:  # the watchdog's limit of the chain's steps
            ax3.axhline(mib, ls="--", c="red", lw=1, label=f"memory limit {mib / 1024:.0f} GiB")
        ax3.set(xscale="log", yscale="log", xlabel="input rows", ylabel="peak RSS (MiB)",
                title="Peak memory vs. size (xlarge chain)")
        ax3.legend(fontsize=7)
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
