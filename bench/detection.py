"""Benchmark 3: detection — each detector's time and peak memory, end-to-end `detect`,
and each graph algorithm against the alternatives on the same trader projection.

- Inputs are read from the loaded embedded graph (`load_inputs`: the signal queries).
- Detector time is measured without tracing; peak memory in a second run under
  tracemalloc (Python allocations, igraph's C memory not included), so tracing does not
  slow the timed run. The process's peak RSS is reported too.
- Algorithms on `supplier_networks.network_edges` (the whole trader projection):
  PageRank (igraph, networkx at tol 1e-10, rustworkx, GDS), communities (igraph Leiden,
  networkx Louvain, GDS Leiden and Louvain) with their modularity, and betweenness
  (igraph, networkx, rustworkx) on the largest community, as the detector uses it.
  networkx is skipped past NX_MAX_EDGES edges (it takes minutes; say so).
  GDS times include sending the edge list over Bolt and projecting it.
- Before and after (issue 20): with `BENCH_BASELINE=<a source tree>` (e.g. `git archive
  main | tar -x -C /tmp/main`) only `detect` runs, in a process of its own for each
  tree on the same kept home (`BENCH_ROUNDS` times, alternately), and the table sets
  seconds and peak RSS (VmHWM) side by side and says whether the findings JSON is
  byte-identical. Its JSON replaces `detection-<scale>.json`: keep it apart by hand
  (`detection-before-after-<scale>.json`).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import bench.common as common
from bench.common import home, measure, neo4j_server, table
from bench.loaded import loaded_store

NX_MAX_EDGES = 400_000


def _rustworkx_graph(nodes: list[str], edges: list[tuple[str, str, float]]):
    import rustworkx as rx

    from graphfraud.detect.gds import merged_edges

    g = rx.PyDiGraph()
    g.add_nodes_from(range(len(nodes)))
    rows = merged_edges(nodes, edges)
    g.add_edges_from([(r["source"], r["target"], r["weight"]) for r in rows]
                     + [(r["target"], r["source"], r["weight"]) for r in rows])
    return g


def _rx_pagerank(nodes, edges):
    import rustworkx as rx

    g = _rustworkx_graph(nodes, edges)
    pr = rx.pagerank(g, alpha=0.85, weight_fn=float, tol=1e-10, max_iter=1000)
    return {nodes[i]: pr[i] for i in range(len(nodes))}


def _rx_betweenness(nodes, edges):
    import rustworkx as rx

    from graphfraud.detect.gds import merged_edges

    g = rx.PyGraph()
    g.add_nodes_from(range(len(nodes)))
    g.add_edges_from([(r["source"], r["target"], r["weight"])
                      for r in merged_edges(nodes, edges)])
    b = rx.betweenness_centrality(g, normalized=True)
    return {nodes[i]: b[i] for i in range(len(nodes))}


def _nx_betweenness(nodes, edges):
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((a, b) for a, b, _ in edges if a != b)
    return nx.betweenness_centrality(g, normalized=True)


#: each algorithm is timed this many times and the best kept (warm-up included)
REPEATS = 3


def algorithms(nodes: list[str], edges: list[tuple[str, str, float]]) -> dict[str, Any]:
    from graphfraud.detect import gds, graphs

    out: dict[str, Any] = {"nodes": len(nodes), "edges": len(edges),
                           "merged_edges": len(gds.merged_edges(nodes, edges))}
    big = len(edges) > NX_MAX_EDGES

    def timed(fn, repeats: int = REPEATS):
        """(first result, best of `repeats` wall times): one run of a sub-second call
        on a shared 2-core machine measures the machine more than the library."""
        best, value = float("inf"), None
        for i in range(repeats):
            began = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - began)
            if i == 0:
                value = result
        return value, round(best, 3)

    pr: dict[str, Any] = {}
    ref, pr["igraph"] = timed(lambda: graphs.pagerank(nodes, edges, engine="igraph"))
    if not big:
        _, pr["networkx"] = timed(lambda: graphs.pagerank(nodes, edges, engine="networkx"))
    _, pr["rustworkx"] = timed(lambda: _rx_pagerank(nodes, edges))
    comm: dict[str, Any] = {}
    part, comm["igraph_leiden"] = timed(lambda: graphs.communities(nodes, edges))
    quality = {"igraph_leiden": round(graphs.modularity(nodes, edges, part), 4)}
    if not big:
        p2, comm["networkx_louvain"] = timed(
            lambda: graphs.communities(nodes, edges, engine="networkx"))
        quality["networkx_louvain"] = round(graphs.modularity(nodes, edges, p2), 4)
    sizes = Counter(part.values())
    biggest = sizes.most_common(1)[0][0] if sizes else None
    members = sorted(n for n, c in part.items() if c == biggest)
    mset = set(members)
    inner = [(a, b, w) for a, b, w in edges if a in mset and b in mset]
    btw: dict[str, Any] = {"community_nodes": len(members), "community_edges": len(inner)}
    _, btw["igraph"] = timed(lambda: graphs.betweenness(members, inner))
    if len(members) <= 5000:
        _, btw["networkx"] = timed(lambda: _nx_betweenness(members, inner))
    _, btw["rustworkx"] = timed(lambda: _rx_betweenness(members, inner))
    # GDS: a server of its own (the projection comes from the edge list, not the graph)
    with neo4j_server(home("detection-gds", wipe=False)) as settings:
        from graphfraud.store import open_store

        st = open_store(settings, "neo4j")
        try:
            gds.pagerank(st, nodes, edges[:500])  # warm-up: JIT and procedure caches
            gpr, pr["gds"] = timed(lambda: gds.pagerank(st, nodes, edges))
            gpart, comm["gds_leiden"] = timed(lambda: gds.communities(st, nodes, edges))
            quality["gds_leiden"] = round(graphs.modularity(nodes, edges, gpart), 4)
            lpart, comm["gds_louvain"] = timed(
                lambda: gds.communities(st, nodes, edges, algorithm="louvain"))
            quality["gds_louvain"] = round(graphs.modularity(nodes, edges, lpart), 4)
        finally:
            st.close()
    top = sorted(ref, key=lambda n: (-ref[n], n))[:10]
    pr["top10_same_gds"] = top == sorted(gpr, key=lambda n: (-gpr[n], n))[:10]
    out.update({"pagerank_seconds": pr, "communities_seconds": comm, "modularity": quality,
                "betweenness_seconds": btw,
                "networkx_skipped": big and f"more than {NX_MAX_EDGES:,} edges"})
    for key, d in (("pagerank", pr), ("communities", comm), ("betweenness", btw)):
        times = {k: v for k, v in d.items() if isinstance(v, float) and "community" not in k}
        fastest = min(times, key=times.__getitem__)
        ours = {"pagerank": "igraph", "communities": "igraph_leiden",
                "betweenness": "igraph"}[key]
        out[f"{key}_fastest"] = fastest
        out[f"{key}_ours_vs_fastest"] = round(times[ours] / times[fastest], 2) \
            if times[fastest] else None
    return out


#: one `detect` in a process of its own, on the kept home, run with either source tree:
#: prints its seconds and the process's peak RSS (VmHWM: `ru_maxrss` of a child would
#: inherit the parent's) and writes the reproducible findings document
_ONCE = """
import json, sys, time
from bench.common import embedded_server, home
from graphfraud.store import open_store
from graphfraud.detect import runner
scale, out = sys.argv[1], sys.argv[2]
with embedded_server(home(f"loaded-embedded-{scale}", wipe=False)) as settings:
    store = open_store(settings, "embedded")
    try:
        store.run("count_by_label")  # the server is up before the clock starts
        began = time.perf_counter()
        doc = runner.detect(store, dataset=scale, write=False)
        seconds = time.perf_counter() - began
    finally:
        store.close()
same = runner.reproducible(doc)
# a tree with typed records returns them, an older one dicts: compare as dicts
doc, same = (d.to_dict() if hasattr(d, "to_dict") else d for d in (doc, same))
with open(out, "w", encoding="utf-8") as fh:
    json.dump(same, fh, indent=1)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"seconds": round(seconds, 3), "peak_rss_mib": round(hwm / 1024, 1),
                  "findings": len(doc["findings"]), "source": runner.__file__,
                  "query_seconds": doc["run"]["query_seconds"],
                  "detector_seconds": doc["run"]["detector_seconds"]}))
"""


def _detect_once(tree: Path, scale: str, out: Path) -> dict[str, Any]:
    """`detect` with the source tree `tree` in a fresh process (see `_ONCE`)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", _ONCE, scale, str(out)], cwd=tree, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"detect with {tree} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _same_findings(before: Path, after: Path) -> dict[str, Any]:
    """Byte-identical findings JSON, leaving out only `run.data_hash` (computed another
    way since issue 20: from the Arrow tables, not from the rows' JSON) if set apart."""
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    hashes = (a["run"].pop("data_hash", None), b["run"].pop("data_hash", None))
    same = json.dumps(a, indent=1) == json.dumps(b, indent=1)
    return {"identical_except_data_hash": same, "data_hash_same": hashes[0] == hashes[1],
            "findings": len(b["findings"])}


def side_by_side(scale: str, baseline: Path, rounds: int = 1) -> dict[str, Any]:
    """`detect` before (the `baseline` tree, e.g. `git archive main`) and after (this
    tree), each in its own process on the same kept home, `rounds` times alternately;
    the fastest round of each, its peak RSS, and whether the findings are the same."""
    from bench.loaded import loaded_store

    with loaded_store("embedded", scale):
        pass  # loads the world into the kept home if it is not there yet
    work = common.WORK / "detect-side-by-side"
    work.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    for _ in range(rounds):
        for label, tree in (("before", baseline), ("after", common.REPO)):
            runs[label].append(_detect_once(tree, scale, work / f"{scale}-{label}.json"))
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    return {"before": best["before"], "after": best["after"], "rounds": rounds,
            "all_seconds": {k: [r["seconds"] for r in v] for k, v in runs.items()},
            "peak_rss_mib_max": {k: max(r["peak_rss_mib"] for r in v) for k, v in runs.items()},
            "same": _same_findings(work / f"{scale}-before.json", work / f"{scale}-after.json"),
            "baseline": str(baseline)}


def run(scale: str) -> dict[str, Any]:
    baseline = os.environ.get("BENCH_BASELINE")
    if baseline:  # before and after only: the full benchmark holds the inputs twice
        return {"side_by_side": side_by_side(scale, Path(baseline),
                                             int(os.environ.get("BENCH_ROUNDS", "1"))),
                "targets": {"detect_end_to_end_seconds_large": "< 60",
                            "peak_rss_mib_large": "< 4096"}}
    return _full(scale)


def _full(scale: str) -> dict[str, Any]:
    from graphfraud.detect import registry, runner
    from graphfraud.detect.supplier_networks import decided_candidates, network_edges

    with loaded_store("embedded", scale) as (store, ingest_fig):
        began = time.perf_counter()
        doc = runner.detect(store, dataset=scale, write=False).to_dict()
        detect_s = time.perf_counter() - began
        (inputs, query_s), load_s, load_peak = measure(lambda: runner.load_inputs(store))
    weights = runner.load_weights()
    detectors: dict[str, Any] = {}
    for detector in registry.DETECTORS:
        kind = detector.kind
        _, seconds, _ = measure(lambda d=detector: d.run(inputs, weights), memory=False)
        _, _, peak = measure(lambda d=detector: d.run(inputs, weights))
        detectors[kind] = {"seconds": round(seconds, 3), "peak_mib": round(peak or 0, 1)}
    cands = decided_candidates(inputs, weights["thresholds"]["phoenix_months"])
    (nodes, edges, _ties), proj_s, _ = measure(lambda: network_edges(inputs, cands),
                                               memory=False)
    algos = algorithms(nodes, edges)
    algos["projection_seconds"] = round(proj_s, 3)
    return {
        "detect_end_to_end_seconds": round(detect_s, 3),
        "detect_run": {"query_seconds": doc["run"]["query_seconds"],
                       "detector_seconds": doc["run"]["detector_seconds"]},
        "findings": len(doc["findings"]),
        "load_inputs": {"seconds": round(load_s, 3), "peak_mib": round(load_peak or 0, 1),
                        "queries": query_s},
        "detectors": detectors,
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "algorithms": algos,
        "ingest": ingest_fig,
        "targets": {"detect_end_to_end_seconds_large": "< 60",
                    "algorithm_vs_fastest": "<= 2"},
    }


def _render_side_by_side(result: dict[str, Any], scale: str) -> str:
    sbs = result["side_by_side"]
    b, a = sbs["before"], sbs["after"]
    rows = [["detect end to end, s", b["seconds"], a["seconds"], "< 60 (large)"],
            ["peak RSS of the detect process, MiB", b["peak_rss_mib"], a["peak_rss_mib"],
             "< 4096 (large)"],
            ["signal_movements read, s", b["query_seconds"]["signal_movements"],
             a["query_seconds"]["signal_movements"], None],
            ["detectors, s", round(sum(b["detector_seconds"].values()), 3),
             round(sum(a["detector_seconds"].values()), 3), None],
            ["findings", b["findings"], a["findings"], "unchanged"]]
    same = sbs["same"]
    return "\n".join([
        table(f"Detection before (main) and after — {scale}, one run, embedded store, "
              f"fastest of {sbs['rounds']}", ["", "before", "after", "target"], rows),
        f"findings JSON byte-identical (run.data_hash left out): "
        f"{same['identical_except_data_hash']}; rounds {sbs['all_seconds']}"])


def render(result: dict[str, Any], scale: str) -> str:
    if "side_by_side" in result:
        return _render_side_by_side(result, scale)
    rows = [["read inputs (signal queries)", result["load_inputs"]["seconds"],
             result["load_inputs"]["peak_mib"]]]
    rows += [[k, v["seconds"], v["peak_mib"]] for k, v in result["detectors"].items()]
    rows.append(["detect end to end", result["detect_end_to_end_seconds"], None])
    out = [table(f"Detection — {scale} (embedded store; peak = Python allocations)",
                 ["step", "seconds", "peak MiB"], rows)]
    a = result["algorithms"]
    arows = []
    for key, ours in (("pagerank", "igraph"), ("communities", "igraph_leiden"),
                      ("betweenness", "igraph")):
        d = a[f"{key}_seconds"]
        for lib, s in d.items():
            if isinstance(s, float):
                q = a["modularity"].get(lib) if key == "communities" else None
                arows.append([key, lib + (" (ours)" if lib == ours else ""), s, q])
    out.append(table(f"Algorithms on the trader projection — {a['nodes']:,} nodes, "
                     f"{a['merged_edges']:,} edges (betweenness: largest community, "
                     f"{a['betweenness_seconds']['community_nodes']} nodes)",
                     ["algorithm", "library", "seconds", "modularity"], arows))
    out.append(f"ours vs fastest: pagerank {a['pagerank_ours_vs_fastest']}× "
               f"({a['pagerank_fastest']}), communities {a['communities_ours_vs_fastest']}× "
               f"({a['communities_fastest']}), betweenness {a['betweenness_ours_vs_fastest']}× "
               f"({a['betweenness_fastest']}); GDS top-10 PageRank same: "
               f"{a['pagerank_seconds']['top10_same_gds']}; max RSS "
               f"{result['max_rss_mib']} MiB")
    return "\n".join(out)
