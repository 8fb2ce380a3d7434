"""Benchmark 1: ingest into Neo4j, side by side with its anchors.

- GraphFraud: `ingest_directory` (validation, quarantine, batched UNWIND upserts of 2000
  rows, entity resolution), parse and load time apart.
- (a) LOAD CSV: `cypher/bench/bench_loadcsv_*.cypher`, `CALL { } IN TRANSACTIONS OF 2000
  ROWS`, the same CSV files copied into the server's import folder, the same schema
  (constraints applied first). They cover the seven files that hold nearly all rows; the
  EMCS XML, licences, machine events, tips and seizures (<2% of rows) are not loaded, and
  no validation, normalisation or entity resolution is done: the anchor does less work.
- (b) naive: every statement of GraphFraud's own pipeline sent one row per transaction
  (batch size 1), per file for a few seconds on the file's first rows, extrapolated to
  the whole file (the figure says "extrapolated").
- (c) neo4j-admin database import: `graphfraud.export.neo4j_admin.export_import_csv` (parse +
  write CSV) then `neo4j-admin database import full` into an empty home, then the
  schema (constraints and indexes) on the started server.

- GraphFraud first-load route: `ingest --fresh --bulk` on Neo4j (`ingest/bulk_neo4j.py`):
  the same pipeline (validation, quarantine, ER) into memory, its own neo4j-admin files,
  the managed server stopped, `neo4j-admin database import full`, started, the schema.

The online GraphFraud ingest uses the first-load mode (CREATE twins for rows that cannot
exist yet; `GRAPHFRAUD_NEO4J_FIRST_LOAD=0` for the MERGE-only path). Each method gets a
fresh home and server (same heap and page cache) on the bench ports.
`BENCH_NEO4J_SKIP=naive,admin` leaves those two out (for one large run: GraphFraud's two
routes and LOAD CSV only), `online` the online GraphFraud ingest (the bulk route and LOAD
CSV side by side, at large about 25 minutes less); the load average at the start and end of
each method is kept.
"""

from __future__ import annotations

import os
import shutil
import time
from typing import Any

from bench.common import (
    SEED,
    Timer,
    data_rows,
    fresh_copy,
    home,
    neo4j_admin,
    neo4j_server,
    rate,
    ratio,
    table,
    world,
)
from bench.loaded import graph_counts, load_fresh

LOADCSV_FILES = ("traders.csv", "persons.csv", "roles.csv", "premises.csv", "movements.csv",
                 "retail_checks.csv", "eps_packs.csv")
NAIVE_SECONDS_PER_FILE = 4.0


def run_graphfraud(scale: str, rows: int) -> dict[str, Any]:
    """GraphFraud's ingest; its home is kept as the loaded Neo4j for later benchmarks."""
    fig = load_fresh("neo4j", scale)
    fig["rows"] = rows
    fig["rows_per_s"] = rate(rows, fig["seconds"])
    return fig


def run_graphfraud_bulk(scale: str, rows: int, route: str = "admin") -> dict[str, Any]:
    """GraphFraud's first-load route on Neo4j (`bulk_ingest_neo4j`), by `route`: admin
    (neo4j-admin import) or bolt (CREATE over Bolt)."""
    from graphfraud.ingest.bulk_neo4j import bulk_ingest_neo4j
    from graphfraud.store import open_store

    suffix = "bulk" if route == "admin" else f"bulk-{route}"
    dataset = fresh_copy(world(scale), f"{scale}-neo4j-{suffix}")
    home_dir = home(f"ingest-neo4j-{scale}-{suffix}")
    with neo4j_server(home_dir) as settings:
        st = open_store(settings, "neo4j")
        try:
            with Timer() as t:
                report = bulk_ingest_neo4j(st, dataset, route=route)
            fig = graph_counts(st)
        finally:
            st.close()
    detail = report.to_dict()
    ingest = detail.pop("ingest")
    without_start = t.seconds - report.start_seconds
    return {"rows": rows, "seconds": round(t.seconds, 3), "rows_per_s": rate(rows, t.seconds),
            "seconds_without_restart": round(without_start, 3),
            "rows_per_s_without_restart": rate(rows, without_start), **detail,
            "quarantined": sum(f["quarantined"] for f in ingest["files"]), **fig}


def run_load_csv(scale: str) -> dict[str, Any]:
    from neo4j import GraphDatabase

    from graphfraud.store import open_store
    from graphfraud.store.library import get_query

    src = world(scale)
    counts = data_rows(src)
    home_dir = home(f"ingest-neo4j-{scale}-loadcsv")
    with neo4j_server(home_dir) as settings:
        st = open_store(settings, "neo4j")
        try:
            st.apply_schema()
            imp = settings.neo4j_home / "import"
            imp.mkdir(parents=True, exist_ok=True)
            for name in LOADCSV_FILES:
                shutil.copy2(src / name, imp / name)
            per_file: dict[str, Any] = {}
            with GraphDatabase.driver(settings.bolt_uri(), auth=settings.neo4j_auth(),
                                      notifications_min_severity="OFF") as driver, \
                    driver.session(database=settings.neo4j_database) as session:
                for name in LOADCSV_FILES:
                    text = get_query(f"bench_loadcsv_{name[:-4]}").text_for("neo4j")
                    with Timer() as t:
                        # CALL { } IN TRANSACTIONS needs an auto-commit transaction,
                        # which GraphStore does not offer: session.run is one.
                        session.run(text, url=f"file:///{name}").consume()
                    per_file[name] = {"rows": counts[name], "seconds": round(t.seconds, 3)}
            fig = graph_counts(st)
        finally:
            st.close()
    rows = sum(v["rows"] for v in per_file.values())
    seconds = sum(v["seconds"] for v in per_file.values())
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_s": rate(rows, seconds),
            "files": per_file, **fig,
            "note": "7 CSV files (no EMCS XML, licences, events, tips, seizures); no "
                    "validation, normalisation or entity resolution"}


class OneRowPerTransaction:
    """A store proxy sending every row of every statement in its own transaction."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def upsert(self, name: str, rows: Any, batch_size: int = 1, extra: Any = None) -> int:
        n = 0
        for row in rows:
            n += self.inner.upsert(name, [row], batch_size=1, extra=extra)
        return n

    def upsert_many(self, items: Any, extra: Any = None) -> int:
        """A batch's statements, still one row per statement per transaction."""
        return sum(self.upsert(name, rows, extra=extra) for name, rows in items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Budget(Exception):
    pass


def run_naive(scale: str) -> dict[str, Any]:
    """(b): a few seconds per file, one row per transaction, extrapolated."""
    from graphfraud.ingest.framework import RefIndex
    from graphfraud.ingest.run import LOADERS, Checkpoint, ingest_file, parse_file
    from graphfraud.store import open_store

    dataset = fresh_copy(world(scale), f"{scale}-naive")
    counts = data_rows(dataset)
    refs = RefIndex()  # every id the files bring, so references resolve as in a full run
    for cls in LOADERS:
        loader = cls()
        if not (dataset / loader.file_name).exists():
            continue
        rows, _ = parse_file(loader, dataset, [])
        for _n, _raw, rec, errors in rows:  # parsed rows (ingest.columnar.Parsed)
            if rec is not None and not errors:
                rec["_row"] = _n
                loader.register(rec, refs)
    per_file: dict[str, Any] = {}
    home_dir = home(f"ingest-neo4j-{scale}-naive")
    with neo4j_server(home_dir) as settings:
        st = open_store(settings, "neo4j")
        try:
            st.apply_schema()
            naive = OneRowPerTransaction(st)
            checkpoint = Checkpoint(home_dir / "naive-checkpoint.json")
            for cls in LOADERS:
                loader = cls()
                if not (dataset / loader.file_name).exists():
                    continue
                # the first row plans each statement on a cold server: a warm-up, not
                # counted; the rate is taken from the second row on
                done: dict[str, float] = {"rows": 0, "warm_rows": 0, "warm_at": 0.0}
                began = time.perf_counter()

                def progress(_file: str, read: int, began=began, done=done) -> None:
                    now = time.perf_counter()
                    done["rows"] = read
                    if not done["warm_at"]:
                        done["warm_at"], done["warm_rows"] = now, read
                    elif now - done["warm_at"] > NAIVE_SECONDS_PER_FILE:
                        raise Budget

                try:
                    ingest_file(naive, loader, dataset, refs, checkpoint, dataset.name, 1,
                                progress)
                except Budget:
                    pass
                end = time.perf_counter()
                seconds = end - (done["warm_at"] or began)
                measured = int(done["rows"] - done["warm_rows"])
                total = counts.get(loader.file_name, 0) + (
                    counts.get("emcs/*.xml", 0) if loader.file_name == "movements.csv" else 0)
                r = rate(measured, seconds) if measured > 0 else None
                per_file[loader.file_name] = {
                    "sample_rows": measured, "sample_seconds": round(seconds, 3),
                    "warm_up_seconds": round((done["warm_at"] or end) - began, 3),
                    "rows_per_s": r, "rows": total,
                    "extrapolated_seconds": round(total / r, 1) if r else None}
        finally:
            st.close()
    rows = sum(v["rows"] for v in per_file.values())
    seconds = sum(v["extrapolated_seconds"] or 0 for v in per_file.values())
    sample = sum(v["sample_rows"] for v in per_file.values())
    return {"rows": rows, "seconds": round(seconds, 1), "rows_per_s": rate(rows, seconds),
            "extrapolated": True, "sample_rows": sample, "files": per_file,
            "note": f"one row per transaction on each file's first rows for "
                    f"{NAIVE_SECONDS_PER_FILE:.0f} s, extrapolated to the whole file"}


def run_admin_import(scale: str, rows: int) -> dict[str, Any]:
    """(c): export the import CSVs, neo4j-admin import into an empty home, then the schema."""
    from bench.common import WORK, settings_for
    from graphfraud.export.neo4j_admin import export_import_csv
    from graphfraud.servers import neo4j_local
    from graphfraud.store import open_store

    dataset = fresh_copy(world(scale), f"{scale}-admin")
    out = WORK / "import-csv" / f"{scale}-{SEED}"
    if out.exists():
        shutil.rmtree(out)
    with Timer() as t_export:
        summary = export_import_csv(dataset, out)
    home_dir = home(f"ingest-neo4j-{scale}-admin")
    settings = settings_for(home_dir)
    args = [a.replace("--nodes=", f"--nodes={out}/").replace(
        "--relationships=", f"--relationships={out}/") for a in summary["admin_args"]]
    with Timer() as t_import:
        result = neo4j_admin(settings, "database", "import", "full", *args,
                             "--overwrite-destination=true", "neo4j")
    if result.returncode != 0:
        raise RuntimeError(f"neo4j-admin import failed ({result.returncode}):\n"
                           f"{(result.stdout + result.stderr)[-3000:]}")
    try:
        with Timer() as t_start:
            neo4j_local.start(settings, timeout_s=300)
        st = open_store(settings, "neo4j")
        try:
            with Timer() as t_schema:
                st.apply_schema()  # constraints build their index before returning
            fig = graph_counts(st)
        finally:
            st.close()
    finally:
        neo4j_local.stop(settings)
    offline = t_import.seconds + t_schema.seconds
    return {"rows": rows, "export_seconds": round(t_export.seconds, 3),
            "parse_seconds": summary["parse_seconds"], "write_seconds": summary["write_seconds"],
            "import_seconds": round(t_import.seconds, 3),
            "schema_seconds": round(t_schema.seconds, 3),
            "start_seconds": round(t_start.seconds, 3),
            "seconds": round(offline, 3), "rows_per_s": rate(rows, offline),
            "seconds_with_export": round(offline + t_export.seconds, 3),
            "rows_per_s_with_export": rate(rows, offline + t_export.seconds),
            "expected_nodes": summary["node_total"],
            "expected_relationships": summary["relationship_total"], **fig,
            "admin_output_tail": result.stdout[-1200:]}


def _with_load(fn, *args: Any) -> dict[str, Any]:
    """`fn(*args)`'s figures with the machine's load average before and after."""
    before = os.getloadavg()
    fig = fn(*args)
    fig["load_average"] = {"before": [round(x, 2) for x in before],
                           "after": [round(x, 2) for x in os.getloadavg()]}
    return fig


def run(scale: str) -> dict[str, Any]:
    rows = sum(data_rows(world(scale)).values())
    skip = {s.strip() for s in os.environ.get("BENCH_NEO4J_SKIP", "").split(",") if s.strip()}
    gf = None if "online" in skip else _with_load(run_graphfraud, scale, rows)
    bk = None if "bulk_admin" in skip else _with_load(run_graphfraud_bulk, scale, rows)
    bt = None if "bolt" in skip else _with_load(run_graphfraud_bulk, scale, rows, "bolt")
    lc = _with_load(run_load_csv, scale)
    nv = None if "naive" in skip else _with_load(run_naive, scale)
    ad = None if "admin" in skip else _with_load(run_admin_import, scale, rows)
    result = {
        "rows": rows, "skipped": sorted(skip),
        "graphfraud": gf, "graphfraud_bulk": bk, "graphfraud_bolt": bt, "load_csv": lc,
        "naive": nv,
        "admin_import": ad,
        "ratios": {
            "graphfraud_vs_load_csv": ratio(gf["rows_per_s"], lc["rows_per_s"])
            if gf else None,
            "graphfraud_bulk_vs_load_csv": ratio(bk["rows_per_s"], lc["rows_per_s"])
            if bk else None,
            "graphfraud_bolt_vs_load_csv": ratio(bt["rows_per_s"], lc["rows_per_s"])
            if bt else None,
            "graphfraud_vs_naive": ratio(gf["rows_per_s"], nv["rows_per_s"])
            if nv and gf else None,
            "admin_import_vs_load_csv": ratio(ad["rows_per_s"], lc["rows_per_s"])
            if ad else None,
        },
        "targets": {"graphfraud_vs_load_csv": ">= 1.0", "graphfraud_bulk_vs_load_csv": ">= 1.0",
                    "graphfraud_bolt_vs_load_csv": ">= 1.0",
                    "graphfraud_vs_naive": ">= 50"},
    }
    return result


def render(result: dict[str, Any], scale: str) -> str:
    lc = result["load_csv"]["rows_per_s"]
    gf, bk, bt = result["graphfraud"], result["graphfraud_bulk"], result.get("graphfraud_bolt")
    rows = []
    if gf:
        rows.append(["GraphFraud ingest (online, first-load mode)", gf["rows"], gf["seconds"],
                     gf["rows_per_s"], ratio(gf["rows_per_s"], lc),
                     f"parse {gf['parse_seconds']} s, load {gf['load_seconds']} s, ER "
                     f"{gf['resolve_seconds']} s"])
    for fig, label, note in (
            (bk, "neo4j-admin", lambda f: (
                f"parse {f['parse_seconds']} s, CSV {f['write_seconds']} s, stop wait "
                f"{f.get('stop_wait_seconds', 0)} s, import {f['import_seconds']} s, restart "
                f"{f['start_seconds']} s, schema {f['index_seconds']} s")),
            (bt, "Bolt CREATE", lambda f: (
                f"constraints {f['constraint_seconds']} s, parse {f['parse_seconds']} s, "
                f"nodes {f['node_seconds']} s, relationships {f['relationship_seconds']} s, "
                f"rest of schema {round(f['index_seconds'] - f['constraint_seconds'], 3)} s, "
                f"{f['batches']} transactions"))):
        if fig:
            rows.append([f"GraphFraud ingest --fresh --bulk ({label})", fig["rows"],
                         fig["seconds"], fig["rows_per_s"], ratio(fig["rows_per_s"], lc),
                         f"{note(fig)}; CPU: parent {fig.get('parent_cpu_seconds', '?')} s, "
                         "worker " + (f"{fig.get('worker_cpu_seconds', 0)} s"
                                      if fig.get("worker") else "none (in-process)")])
    rows.append(["(a) LOAD CSV IN TRANSACTIONS", result["load_csv"]["rows"],
                 result["load_csv"]["seconds"], lc, 1.0, "7 files, no validation/ER"])
    if result.get("naive"):
        nv = result["naive"]
        rows.append(["(b) naive 1 row/tx", nv["rows"], nv["seconds"], nv["rows_per_s"],
                     ratio(nv["rows_per_s"], lc),
                     f"extrapolated from {nv['sample_rows']} rows"])
    if result.get("admin_import"):
        ad = result["admin_import"]
        rows.append(["(c) neo4j-admin import", ad["rows"], ad["seconds"], ad["rows_per_s"],
                     ratio(ad["rows_per_s"], lc),
                     f"+ export {ad['export_seconds']} s (parse+CSV)"])
    out = table(f"Ingest into Neo4j — {scale} (rows/s; ratio to LOAD CSV)",
                ["method", "rows", "seconds", "rows/s", "× LOAD CSV", "note"], rows)
    r = result["ratios"]
    graphs = ([f"GraphFraud {gf['nodes']:,} nodes / {gf['relationships']:,} rels"] if gf
              else []) + ([f"bulk route {bk['nodes']:,} / {bk['relationships']:,}"] if bk
                          else []) + (
        [f"Bolt route {bt['nodes']:,} / {bt['relationships']:,}"] if bt else []) + [
        f"(a) LOAD CSV {result['load_csv']['nodes']:,} / "
        f"{result['load_csv']['relationships']:,}"]
    return out + (f"\nGraphFraud online vs LOAD CSV {r['graphfraud_vs_load_csv']}×, bulk route "
                  f"{r['graphfraud_bulk_vs_load_csv']}×, Bolt route "
                  f"{r.get('graphfraud_bolt_vs_load_csv')}× (target ≥ 1.0), vs naive "
                  f"{r['graphfraud_vs_naive']}× (target ≥ 50)\n"
                  f"graph: {'; '.join(graphs)}\n"
                  f"load averages (1 min, before → after): " + ", ".join(
                      f"{k} {result[k]['load_average']['before'][0]} → "
                      f"{result[k]['load_average']['after'][0]}"
                      for k in ("graphfraud", "graphfraud_bulk", "graphfraud_bolt",
                                "load_csv", "naive",
                                "admin_import") if result.get(k)))
