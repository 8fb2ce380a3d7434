"""Benchmark: the xlarge chain (issue 20): a national year of EMCS on this machine, each
step in a process of its own, timed, with the peak resident memory of its process tree
(the embedded server of its home included), and stopped at a memory limit; each
process's peak and the split by role at the total's peak (the step, its workers, the
embedded server, the Neo4j JVM) are kept with it (`bench/watchdog.py`).

`python -m bench.xlarge STEP [--lines N]` runs one step and merges its figures into
`bench/results/xlarge-steps.json`; every step at large or above takes the shared lock
(`XLARGE_LOCK`, `/work/wt/large.lock`) for its own duration only, and runs niced.
A step that passes `XLARGE_RSS_LIMIT_MIB` (10 GiB) is killed and recorded as "limit
reached" with the memory, the time and the rows it had read, instead of letting the
machine swap or the OOM killer pick another job.

Steps: `generate` (the world, streamed); `bulk` (embedded first load, `ingest --bulk`,
on a prefix of the movements: `--lines`); `export` and `admin` (the neo4j-admin route:
`export-import-csv`, then `neo4j-admin database import` on the bench ports' server and
the schema); `daily` (10,000 new movement lines onto the loaded prefix); `detect`;
`queries` (`bench/queries.py`'s set on the loaded prefix); `polars` (the out-of-core
read and checks of movements.csv, `bench/out_of_core.py`).

A prefix dataset is the world's register files (traders, persons, roles, premises,
licences, checks, EPS, tips, seizures) with the first N lines of its movements.csv;
the EMCS XML messages (5% of the movements) are left out of prefixes, as their
follow-ups belong to e-ADs anywhere in the year.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import RESULTS, SEED, WORK, table
from bench.watchdog import watched

LIMIT_MIB = float(os.environ.get("XLARGE_RSS_LIMIT_MIB", "10240"))
LOCK = Path(os.environ.get("XLARGE_LOCK", "/work/wt/large.lock"))
#: the step's niceness (`XLARGE_NICE`): 19 when other sessions measure on the machine
NICE = os.environ.get("XLARGE_NICE", "10")
STEPS_FILE = RESULTS / "xlarge-steps.json"
#: appended to the prefix homes' names (`XLARGE_HOME_TAG`), so two sessions' chains
#: do not share a home
HOME_TAG = os.environ.get("XLARGE_HOME_TAG", "")
REGISTER = ("traders.csv", "persons.csv", "roles.csv", "premises.csv",
            "machine_licences.csv", "machine_events.csv", "retail_checks.csv",
            "eps_packs.csv", "tips.csv", "seizures.csv")


def world_dir(scale: str = "xlarge") -> Path:
    return WORK / "worlds" / f"{scale}-{SEED}"


def prefix_dataset(src: Path, lines: int) -> Path:
    """The register of `src` with the first `lines` movement lines (made once, kept)."""
    out = WORK / "datasets" / f"{src.name}-prefix-{lines}"
    done = out / ".complete"
    if done.exists():
        for stale in (out / ".graphfraud").glob("*"):  # a previous run's checkpoint
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in REGISTER:
        shutil.copyfile(src / name, out / name)
    with open(src / "movements.csv", "rb") as fh, open(out / "movements.csv", "wb") as dst:
        for n, line in enumerate(fh):
            if n > lines:
                break
            dst.write(line)
    done.write_text("ok\n")
    return out


def large_lock():
    """The shared lock for one step (waits for the other sessions' large jobs); the
    same flock(2) lock as `flock /work/wt/large.lock …`."""
    from graphfraud.security.filelock import locked

    return locked(LOCK.with_suffix(""))


def _rss_now() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(x.split()[1]) for x in fh if x.startswith("VmRSS")) / 1024


def progress_printer():
    """Rows read per file on stdout, so a killed step's log says how far it got."""
    last = [0.0]

    def show(name: str, rows: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= 5:
            last[0] = now
            print(f"progress {name} {rows} rss_mib {_rss_now():.0f}", flush=True)
    return show


# -- the steps, each run in its own process (`_step`) -----------------------------------
def _digest(out: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in sorted(q for q in out.rglob("*") if q.is_file() and q.name != ".complete"):
        h.update(p.relative_to(out).as_posix().encode() + b"\0")
        with open(p, "rb") as fh:
            while block := fh.read(1 << 22):
                h.update(block)
    return h.hexdigest()


def step_generate(scale: str) -> dict[str, Any]:
    """Generate `scale`'s world; a world kept elsewhere (a symlink under worlds/, e.g.
    the session's shared large world) is generated beside it, compared byte for byte,
    and removed."""
    from graphfraud.synth import generate_world

    kept = world_dir(scale)
    out = kept if not kept.is_symlink() else WORK / "worlds-check" / kept.name
    if out.exists():
        shutil.rmtree(out)
    began = time.perf_counter()
    counts = generate_world(scale, SEED, out)
    seconds = time.perf_counter() - began
    result = {"seconds": round(seconds, 1), "counts": counts,
              "bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file())}
    if out != kept:
        result["same_bytes_as_kept_world"] = _digest(out) == _digest(kept.resolve())
        shutil.rmtree(out)
    else:
        (out / ".complete").write_text("ok\n")
    return result


def step_bulk(lines: int, keep: str = "") -> dict[str, Any]:
    """`ingest --bulk` of a prefix into a fresh home. With `keep`, the server stays up
    for the chain's later steps, without the load's compaction, so its log holds the
    whole load: the case `restart` then replays. (In session 7 the server crashed five
    seconds after the 500k-prefix load, in an automatic append-only rewrite started from
    its cron — Redis 8.2.3 `server.blocked_last_cron` assertion in `whileBlockedCron`,
    reached from FalkorDB's fork hook through `RM_Yield` — and again after each restart
    that replayed the log; the server now never forks on its own, see
    `graphfraud/servers/falkordb_local.py`, docs/scaling.md, xlarge.)"""
    from bench.common import embedded_server, home, settings_for
    from graphfraud.ingest.bulk import bulk_ingest
    from graphfraud.store import open_store

    dataset = prefix_dataset(world_dir(), lines)
    home_dir = home(f"xlarge-bulk-{lines}{HOME_TAG}")
    with (embedded_server(home_dir) if not keep else _up(settings_for(home_dir))) as settings:
        store = open_store(settings, "embedded")
        try:
            store.clear()
            if keep:
                store.compact = lambda: None  # type: ignore[method-assign]
                with store.background_saves_paused():
                    r = bulk_ingest(store, dataset, progress=progress_printer())
                # put back by the block's end; keep them off for the chain's steps
                store._db.connection.config_set("auto-aof-rewrite-percentage", 0)
                store._db.connection.config_set("save", "")
            else:
                r = bulk_ingest(store, dataset, progress=progress_printer())
        finally:
            store.close()
    return {"seconds": round(r.ingest.seconds, 1), "parse_seconds": round(r.parse_seconds, 1),
            "bulk_seconds": round(r.load_seconds, 1), "index_seconds": round(r.index_seconds, 1),
            "nodes": r.nodes, "relationships": r.relationships,
            "rows": sum(f.read for f in r.ingest.files), "server_kept_up": bool(keep)}


@contextmanager
def _up(settings: Any):
    """The server of `settings`, left running on the way out (`stop` ends it)."""
    yield settings


def step_stop(lines: int) -> dict[str, Any]:
    from bench.common import home, settings_for
    from graphfraud.servers import falkordb_local

    falkordb_local.stop(settings_for(home(f"xlarge-bulk-{lines}{HOME_TAG}", wipe=False)))
    return {"seconds": 0.0}


def step_restart(lines: int) -> dict[str, Any]:
    """Stop the prefix's server without compacting (as a crash leaves it) and start it:
    the start replays the log, then compacts it itself (`compact_after_replay`)."""
    from bench.common import home, settings_for
    from graphfraud.servers import falkordb_local

    settings = settings_for(home(f"xlarge-bulk-{lines}{HOME_TAG}", wipe=False))
    falkordb_local.stop(settings, compact_first=False)
    aof = falkordb_local.paths_for(settings).dir
    base, incr = falkordb_local._aof_sizes(aof)
    began = time.perf_counter()
    falkordb_local.ensure_running(settings)
    started = time.perf_counter()
    import redis

    client = redis.Redis(unix_socket_path=str(falkordb_local.paths_for(settings).socket))
    while (info := client.info("persistence"))["aof_rewrite_in_progress"]:
        time.sleep(0.25)
    rewritten = time.perf_counter()
    config = {k: client.config_get(k)[k] for k in ("auto-aof-rewrite-percentage", "save")}
    client.close()
    base_after, incr_after = falkordb_local._aof_sizes(aof)
    return {"seconds": round(started - began, 1),
            "rewrite_after_start_seconds": round(rewritten - started, 1),
            "log_before_mb": round((base + incr) / 2**20, 1),
            "log_after_snapshot_before_mb": round(incr / 2**20, 1),
            "snapshot_after_mb": round(base_after / 2**20, 1),
            "log_after_snapshot_after_bytes": incr_after,
            "rewrites": info["aof_rewrites"],
            "last_rewrite_status": str(info["aof_last_bgrewrite_status"]),
            "config": {k: str(v) for k, v in config.items()}}


def step_export(lines: int) -> dict[str, Any]:
    from graphfraud.export.neo4j_admin import export_import_csv

    dataset = prefix_dataset(world_dir(), lines)
    out = WORK / "import-csv" / f"xlarge-prefix-{lines}"
    if out.exists():
        shutil.rmtree(out)
    began = time.perf_counter()
    s = export_import_csv(dataset, out)
    return {"seconds": round(time.perf_counter() - began, 1),
            "parse_seconds": s["parse_seconds"], "write_seconds": s["write_seconds"],
            "nodes": s["node_total"], "relationships": s["relationship_total"],
            "bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
            "admin_args": s["admin_args"]}


def admin_import(out: Path, args_key: str, home_dir: Path) -> dict[str, Any]:
    """`neo4j-admin database import full` of the files in `out` (their arguments from
    the step `args_key`'s result) into the home's Neo4j, then start and schema; the
    server is stopped at the end."""
    from bench.common import neo4j_admin, settings_for
    from bench.loaded import graph_counts
    from graphfraud.servers import neo4j_local
    from graphfraud.store import open_store

    args = json.loads(STEPS_FILE.read_text())[args_key]["result"]["admin_args"]
    args = [a.replace("--nodes=", f"--nodes={out}/").replace(
        "--relationships=", f"--relationships={out}/") for a in args]
    settings = settings_for(home_dir)
    began = time.perf_counter()
    done = neo4j_admin(settings, "database", "import", "full", *args,
                       "--overwrite-destination=true", "neo4j")
    imported = time.perf_counter()
    if done.returncode != 0:
        raise RuntimeError(f"neo4j-admin import failed: {(done.stdout + done.stderr)[-2000:]}")
    try:
        neo4j_local.start(settings, timeout_s=900)
        started = time.perf_counter()
        st = open_store(settings, "neo4j")
        try:
            st.apply_schema()
            schema = time.perf_counter()
            counts = graph_counts(st)
        finally:
            st.close()
    finally:
        neo4j_local.stop(settings)
    return {"import_seconds": round(imported - began, 1),
            "start_seconds": round(started - imported, 1),
            "schema_seconds": round(schema - started, 1),
            "seconds": round(imported - began + schema - started, 1), **counts}


def step_admin(lines: int) -> dict[str, Any]:
    from bench.common import home

    return admin_import(WORK / "import-csv" / f"xlarge-prefix-{lines}", f"export-{lines}",
                        home(f"xlarge-admin-{lines}"))


@contextmanager
def _loaded(lines: int):
    """The prefix's embedded graph, on the server the bulk step left running (a restart
    would replay the log and crash in its rewrite: see `step_bulk`)."""
    from bench.common import home, settings_for
    from graphfraud.servers import falkordb_local
    from graphfraud.store import open_store

    settings = settings_for(home(f"xlarge-bulk-{lines}{HOME_TAG}", wipe=False))
    if not falkordb_local.is_running(settings):
        raise RuntimeError("the prefix's server is not running; run `bulk N keep` first")
    store = open_store(settings, "embedded")
    try:
        store.run("count_by_label")
        yield store
    finally:
        store.close()


def _daily(opened: Any, src: Path, daily_dir: Path) -> dict[str, Any]:
    """10,000 new movement lines cut from `src` into `daily_dir`, ingested the ordinary
    way onto the store `opened` (a context manager) gives."""
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.synth.daily import daily_delivery

    if daily_dir.exists():
        shutil.rmtree(daily_dir)
    daily_delivery(src, daily_dir)
    with opened as store:
        began = time.perf_counter()
        report = ingest_directory(store, daily_dir, restart=True)
        seconds = time.perf_counter() - began
    moved = next(f for f in report.files if f.file == "movements.csv")
    return {"seconds": round(seconds, 2), "rows": moved.read, "loaded": moved.loaded,
            "quarantined": moved.quarantined}


def step_daily(lines: int) -> dict[str, Any]:
    return _daily(_loaded(lines), prefix_dataset(world_dir(), lines),
                  WORK / "datasets" / f"xlarge-prefix-{lines}-daily")


def _detect(store: Any, dataset: str) -> dict[str, Any]:
    from graphfraud.detect import runner

    began = time.perf_counter()
    doc = runner.detect(store, dataset=dataset, write=False)
    return {"seconds": round(time.perf_counter() - began, 1), "findings": len(doc.findings),
            "query_seconds": doc.run.query_seconds}


def step_detect(lines: int) -> dict[str, Any]:
    with _loaded(lines) as store:
        return _detect(store, f"xlarge-prefix-{lines}")


def _queries(store: Any) -> dict[str, Any]:
    from bench.queries import sample_traders, time_queries

    began = time.perf_counter()
    timed = time_queries(store, sample_traders(store))
    seconds = time.perf_counter() - began
    p95 = {k: v.get("p95_ms") for k, v in timed.items()}
    interactive = [v for k, v in p95.items() if v is not None and k != "signal_traders"]
    return {"seconds": round(seconds, 1), "queries": timed,
            "worst_p95_ms": max(interactive) if interactive else None,
            "2hop_p95_ms": p95.get("bench_neighbourhood_2hop")}


def step_queries(lines: int) -> dict[str, Any]:
    with _loaded(lines) as store:
        return _queries(store)


def step_polars(scale: str, mode: str) -> dict[str, Any]:
    from bench.out_of_core import check_in_memory, check_streaming

    csv_path = world_dir(scale) / "movements.csv"
    if mode == "memory":
        return check_in_memory(csv_path)
    return check_streaming(csv_path, WORK / "parquet" / f"movements-{scale}.parquet")


def full_dataset(src: Path) -> Path:
    """The whole world as a dataset: links to its files in a directory of ours, so the
    ingest's checkpoint and quarantine (`.graphfraud/`) never go into the shared world."""
    out = WORK / "datasets" / f"{src.name}-all"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for p in sorted(src.iterdir()):
        if not p.name.startswith("."):
            (out / p.name).symlink_to(p)
    return out


def _stream_dataset(lines: int | str) -> Path:
    return full_dataset(world_dir()) if lines == "all" else prefix_dataset(world_dir(),
                                                                           int(lines))


def step_export_stream(lines: int | str) -> dict[str, Any]:
    """`export-import-csv --stream`: the movements spilled to Parquet, memory flat."""
    from graphfraud.export.stream_import import export_import_csv_streamed

    dataset = _stream_dataset(lines)
    out = WORK / "import-csv" / f"xlarge-stream-{lines}"
    if out.exists():
        shutil.rmtree(out)
    began = time.perf_counter()
    s = export_import_csv_streamed(dataset, out, progress=progress_printer())
    return {"seconds": round(time.perf_counter() - began, 1),
            "parse_seconds": s["parse_seconds"], "write_seconds": s["write_seconds"],
            "nodes": s["node_total"], "relationships": s["relationship_total"],
            "spilled_rows": s["spilled_rows"], "quarantined": s["quarantined"],
            "bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()),
            "admin_args": s["admin_args"]}


def _neo4j_home(lines: int | str, wipe: bool = False) -> Path:
    from bench.common import home

    return home(f"xlarge-neo4j-{lines}", wipe=wipe)


def step_admin_stream(lines: int | str) -> dict[str, Any]:
    """`neo4j-admin database import full` of the streamed files, then start and schema;
    the server is stopped at the end (each later step starts it)."""
    return admin_import(WORK / "import-csv" / f"xlarge-stream-{lines}",
                        _export_key(lines), _neo4j_home(lines, wipe=True))


def _export_key(lines: int | str) -> str:
    """The export whose files these are: this chain's own (`XLARGE_HOME_TAG`) where it
    ran one, else the untagged one (an earlier session's export of the same files)."""
    tagged = f"export_stream-{lines}{HOME_TAG}"
    done = json.loads(STEPS_FILE.read_text()) if STEPS_FILE.exists() else {}
    return tagged if tagged in done else f"export_stream-{lines}"


@contextmanager
def _on_neo4j(lines: int | str):
    """The imported graph on the bench ports' Neo4j, started for one step."""
    from bench.common import settings_for
    from graphfraud.servers import neo4j_local
    from graphfraud.store import open_store

    settings = settings_for(_neo4j_home(lines))
    neo4j_local.start(settings, timeout_s=900)
    try:
        store = open_store(settings, "neo4j")
        try:
            yield store
        finally:
            store.close()
    finally:
        neo4j_local.stop(settings)


def step_daily_neo4j(lines: int | str) -> dict[str, Any]:
    """10,000 new movement lines onto the imported graph (ordinary `ingest`)."""
    return _daily(_on_neo4j(lines), _stream_dataset(lines),
                  WORK / "datasets" / f"xlarge-stream-{lines}-daily")


def step_detect_neo4j(lines: int | str) -> dict[str, Any]:
    with _on_neo4j(lines) as store:
        return _detect(store, f"xlarge-stream-{lines}")


def step_queries_neo4j(lines: int | str) -> dict[str, Any]:
    with _on_neo4j(lines) as store:
        return _queries(store)


STEPS = {"generate": step_generate, "bulk": step_bulk, "export": step_export,
         "admin": step_admin, "daily": step_daily, "detect": step_detect,
         "queries": step_queries, "polars": step_polars, "stop": step_stop,
         "restart": step_restart,
         "export_stream": step_export_stream, "admin_stream": step_admin_stream,
         "daily_neo4j": step_daily_neo4j, "detect_neo4j": step_detect_neo4j,
         "queries_neo4j": step_queries_neo4j}


def _step(argv: list[str]) -> None:
    """In the child: run one step, print its figures as the last line of stdout."""
    name, *args = argv
    fn = STEPS[name]
    typed = [int(a) if a.isdigit() else a for a in args]
    result = fn(*typed)
    hwm = next(int(x.split()[1]) for x in open("/proc/self/status", encoding="ascii")
               if x.startswith("VmHWM"))
    result["python_peak_rss_mib"] = round(hwm / 1024, 1)
    print("RESULT " + json.dumps(result, default=str), flush=True)


# -- the parent: one watched, locked step ----------------------------------------------
def run_step(name: str, *args: str | int, lock: bool = True, key: str | None = None,
             limit_mib: float = LIMIT_MIB) -> dict[str, Any]:
    key = key or "-".join([name, *map(str, args)]) + HOME_TAG
    log = WORK / "logs" / f"xlarge-{key}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    home_needle = None
    if name in ("bulk", "daily", "detect", "queries", "stop", "restart"):
        home_needle = str(WORK / "homes" / f"xlarge-bulk-{args[0]}{HOME_TAG}")
    elif name == "admin":
        home_needle = str(WORK / "homes" / f"xlarge-admin-{args[0]}")
    elif name.endswith("_neo4j") or name == "admin_stream":
        home_needle = str(WORK / "homes" / f"xlarge-neo4j-{args[0]}")
    input_rows = _input_rows(name, args)
    cmd = ["nice", "-n", NICE, sys.executable, "-m", "bench.xlarge", "_step", name,
           *map(str, args)]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    waited = time.perf_counter()
    with large_lock() if lock else _nolock():
        waited = time.perf_counter() - waited
        watch = watched(cmd, limit_mib, also=home_needle, env=env, log=log,
                        rss_log=log.with_suffix(".rss.log"), poll_s=0.25)
    text = log.read_text(encoding="utf-8", errors="replace")
    result = next((json.loads(x[7:]) for x in reversed(text.splitlines())
                   if x.startswith("RESULT ")), None)
    progress = [x.split() for x in text.splitlines() if x.startswith("progress ")]
    entry = {"step": name, "args": list(args), "input_rows": input_rows,
             "lock_wait_s": round(waited, 1),
             "wall_seconds": watch["seconds"], "peak_rss_mib": watch["peak_rss_mib"],
             "peak_at_s": watch["peak_at_s"], "limit_mib": limit_mib,
             "limit_reached": watch["limit_reached"], "returncode": watch["returncode"],
             "peak_split_mib": watch["peak_split_mib"],
             "last_split_mib": watch["last_split_mib"],
             "process_peaks": watch["process_peaks"], "nice": min(19, os.nice(0) + int(NICE)),
             "result": result,
             "last_progress": " ".join(progress[-1][1:]) if progress else None,
             "error_tail": None if result else text[-1500:],
             "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    _merge(key, entry)
    return entry


def _input_rows(name: str, args: tuple[str | int, ...]) -> int | None:
    """The rows a step is given (made before the step, outside its clock and lock)."""
    from bench.common import data_rows

    if name.endswith("_neo4j") or name in ("export_stream", "admin_stream"):
        if args and args[0] == "all":
            return None  # 11.47M (the generate step's counts); counting 575k XML files is slow
    if (name in ("bulk", "export", "admin", "daily", "detect", "queries")
            or name.endswith("_neo4j") or name in ("export_stream", "admin_stream")) and args:
        return sum(data_rows(prefix_dataset(world_dir(), int(args[0]))).values())
    if name == "polars":
        with open(world_dir(str(args[0])) / "movements.csv", "rb") as fh:
            return sum(1 for _ in fh) - 1
    return None


@contextmanager
def _nolock():
    yield


def _merge(key: str, entry: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    doc = json.loads(STEPS_FILE.read_text()) if STEPS_FILE.exists() else {}
    doc[key] = entry
    STEPS_FILE.write_text(json.dumps(doc, indent=1, default=str) + "\n", encoding="utf-8")


def render(doc: dict[str, Any]) -> str:
    rows = []
    for key, e in doc.items():
        r = e.get("result") or {}
        what = ("limit reached" if e["limit_reached"] else
                "ok" if e["returncode"] == 0 and r else f"failed ({e['returncode']})")
        peak = max(e["peak_rss_mib"] or 0, r.get("python_peak_rss_mib") or 0)
        rows.append([key, r.get("seconds", e["wall_seconds"]), peak,
                     r.get("rows") or r.get("lines"), r.get("nodes"), r.get("relationships"),
                     what, split_text(e.get("peak_split_mib")),
                     e.get("last_progress") if e["limit_reached"] else ""])
    return table("xlarge chain (seconds, peak RSS of the step's processes in MiB)",
                 ["step", "seconds", "peak MiB", "rows", "nodes", "rels", "outcome",
                  "split at peak", "last progress"], rows)


def split_text(split: dict[str, float] | None) -> str:
    """`neo4j server 3,537 + step 1,220`: the peak's split, largest first."""
    return " + ".join(f"{k} {v:,.0f}" for k, v in sorted((split or {}).items(),
                                                          key=lambda kv: -kv[1]))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_step":
        _step(argv[1:])
        return 0
    p = argparse.ArgumentParser(prog="python -m bench.xlarge", description=__doc__)
    p.add_argument("step", choices=(*STEPS, "show"))
    p.add_argument("args", nargs="*")
    p.add_argument("--no-lock", action="store_true", help="a step that stays small")
    a = p.parse_args(argv)
    if a.step != "show":
        e = run_step(a.step, *a.args, lock=not a.no_lock)
        print(json.dumps({k: v for k, v in e.items() if k != "error_tail"}, indent=1,
                         default=str)[:3000])
        if e["error_tail"]:
            print(e["error_tail"])
    print(render(json.loads(STEPS_FILE.read_text())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
