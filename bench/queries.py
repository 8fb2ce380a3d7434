"""Benchmark 4: interactive queries — p50/p95 latency on both stores (target p95 < 300 ms).

Neighbourhood expansion (1 and 2 hops around a trader, `cypher/bench/`), search by name
and by key, and the library queries the explorer and analysts run most, each with
SAMPLE inputs picked evenly from the traders in key order (the same on both stores),
after one warm-up call per query. Latency is the wall time of `store.run` in this
process (driver, network and result conversion included).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.common import percentiles, table
from bench.loaded import loaded_store

SAMPLE = 40
Params = Callable[[dict[str, Any]], dict[str, Any]]


def _fragments(name: str | None) -> list[str]:
    words = [w for w in (name or "").split() if len(w) >= 3]
    return words[:2] or ["tab"]


#: query name -> what to call it in the table, and its parameters for one sample trader
QUERIES: dict[str, tuple[str, Params]] = {
    "bench_neighbourhood_1hop": ("neighbourhood 1 hop",
                                 lambda t: {"trader_id": t["trader_id"], "limit": 300}),
    "bench_neighbourhood_2hop": ("neighbourhood 2 hops",
                                 lambda t: {"trader_id": t["trader_id"], "limit": 300}),
    "bench_search_name": ("search name prefix",
                          lambda t: {"prefix": (t["name_norm"] or "a")[:4], "limit": 20}),
    "explorer_search_names": ("search name fragments",
                              lambda t: {"fragments": _fragments(t["name_norm"]),
                                         "limit": 20}),
    "explorer_search_keys": ("search by key",
                             lambda t: {"raw": t["trader_id"].upper(), "kvk": t["kvk"],
                                        "excise": t["excise"],
                                        "address_key": t["address_key"],
                                        "postcode": t["postcode"], "plate": None,
                                        "phone": None, "email": None, "limit": 20}),
    "trader_by_id": ("trader_by_id", lambda t: {"trader_id": t["trader_id"]}),
    "traders_at_address": ("traders_at_address",
                           lambda t: {"address_key": t["address_key"]}),
    "explorer_nodes_by_keys": ("nodes by keys", lambda t: {"keys": {"Trader": [t["trader_id"]]}}),
    "explorer_deliveries": ("deliveries", lambda t: {}),
    "explorer_delivery_counts": ("nodes per delivery", lambda t: {}),
    "explorer_municipality_points": ("municipality points", lambda t: {}),
    "explorer_findings_in_graph": ("findings in graph", lambda t: {}),
    "signal_traders": ("signal_traders (detect input)", lambda t: {}),
}
#: queries without per-trader inputs run this many times
FIXED_REPEATS = 10


def sample_traders(store: Any, n: int = SAMPLE) -> list[dict[str, Any]]:
    rows = store.run("bench_sample_keys")
    if not rows:
        return []
    step = max(len(rows) // n, 1)
    return rows[::step][:n]


def time_queries(store: Any, traders: list[dict[str, Any]]) -> dict[str, Any]:
    from graphfraud.store.library import QueryNotFound

    out: dict[str, Any] = {}
    for name, (_label, params) in QUERIES.items():
        fixed = not params(traders[0])
        inputs = traders[:FIXED_REPEATS] if fixed else traders
        try:
            store.run(name, params(traders[0]))  # warm-up: plan and cache
            samples = []
            rows = 0
            for t in inputs:
                began = time.perf_counter()
                result = store.run(name, params(t))
                samples.append((time.perf_counter() - began) * 1000)
                rows += len(result)
            out[name] = {**percentiles(samples), "mean_rows": round(rows / len(inputs), 1)}
        except QueryNotFound:
            out[name] = {"error": "query not in the library"}
        except Exception as exc:  # noqa: BLE001 - a failing query is a result
            out[name] = {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    return out


def run(scale: str) -> dict[str, Any]:
    result: dict[str, Any] = {"sample": SAMPLE, "target": {"p95_ms": "< 300"}}
    for kind in ("embedded", "neo4j"):
        with loaded_store(kind, scale) as (store, ingest_fig):
            traders = sample_traders(store)
            result[kind] = time_queries(store, traders)
            if ingest_fig:
                result[f"{kind}_ingest"] = ingest_fig
    worst = [(v.get("p95_ms"), kind, name) for kind in ("embedded", "neo4j")
             for name, v in result[kind].items() if v.get("p95_ms") is not None]
    result["worst_p95"] = max(worst) if worst else None
    result["over_target"] = sorted(f"{k}:{n}" for p, k, n in worst if p >= 300)
    return result


def render(result: dict[str, Any], scale: str) -> str:
    rows = []
    for name, (label, _p) in QUERIES.items():
        e, n = result["embedded"].get(name, {}), result["neo4j"].get(name, {})
        rows.append([label, e.get("p50_ms"), e.get("p95_ms"), n.get("p50_ms"),
                     n.get("p95_ms"), e.get("mean_rows", n.get("mean_rows")),
                     e.get("error") or n.get("error") or ""])
    out = table(f"Queries — {scale} (ms; {result['sample']} inputs each; target p95 < 300)",
                ["query", "emb p50", "emb p95", "neo4j p50", "neo4j p95", "rows", "error"],
                rows)
    return out + f"\nover target: {', '.join(result['over_target']) or 'none'}"
