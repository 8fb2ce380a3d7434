"""Run the detectors: read inputs from a store (the I/O edge), score, rank, record.

Same data + same weights → the same findings, ids and order: every detector is
deterministic (seeded community detection, ties broken by id) and 'now' is the latest
date in the data, not the clock.
"""

from __future__ import annotations

import gc
import hashlib
import os
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from graphfraud import __version__
from graphfraud.detect import changes, gds, registry, supplier_networks
from graphfraud.detect.frames import (
    Columns,
    Part,
    join_lines,
    lines_by_arc,
    part_array,
    parts_to_frame,
    to_frame,
    with_plates,
)
from graphfraud.detect.graphs import communities
from graphfraud.detect.inputs import SIGNAL_QUERIES, DetectionInputs
from graphfraud.detect.records import (
    SUBJECT_LABELS,
    FindingsDocument,
    Parameters,
    RunInfo,
)
from graphfraud.detect.scoring import Finding, rank_findings
from graphfraud.store.base import GraphStore, StoreError

WEIGHTS_FILE = registry.WEIGHTS_FILE
#: `engine="auto"` runs communities in GDS when the store is a Neo4j with GDS and the
#: trader projection has at least this many edges. Below it igraph in-process is faster
#: here (large world, 153k edges: igraph Leiden 0.9 s, GDS Leiden 9.1 s with the
#: projection sent over Bolt); past it the graph need not fit in the detect process.
GDS_MIN_EDGES = 2_000_000
ENGINES = ("auto", "igraph", "networkx", "gds")
#: where GDS takes the trader graph from: "stored" (default: projected inside the server
#: from the stored graph, only the candidate ties sent) or "bolt" (the edge list sent
#: from this process, the fallback); `GRAPHFRAUD_GDS_PROJECTION` overrides it
GDS_PROJECTIONS = ("stored", "bolt")
GDS_PROJECTION_ENV = "GRAPHFRAUD_GDS_PROJECTION"
#: inputs read as more than one store query, joined column-wise (`frames.join_lines`)
JOINED_READS = {"signal_movements": ("signal_movements", "signal_movement_lines")}
#: reads done in parts by the last character of the ARC, so no store reply holds the
#: whole input: the statements of each (e-ADs as scalars, their plates and their lines
#: one per row, put together in `frames`)
PART_READS = {"signal_movements": ("signal_movements_part", "signal_movement_plates_part"),
              "signal_movement_lines": ("signal_movement_lines_part",)}
LONGEST_READS = tuple(PART_READS)
_S, _I, _F, _B = "string", "int", "float", "bool"
#: the kinds of the columns of the reads that return scalars only, so a store whose
#: replies are text can read them cheaper (`GraphStore.read_columns(types=...)`)
READ_TYPES: dict[str, dict[str, str]] = {
    "signal_movements_part": {
        **dict.fromkeys(("arc", "consignor", "consignee", "destination_type", "origin_type",
                         "dispatched_at", "received_at", "journey_time", "status",
                         "receipt_conclusion", "to_address", "delivery_place"), _S),
        "destination_changes": _I, **dict.fromkeys(("from_lat", "from_lon", "to_lat",
                                                    "to_lon"), _F)},
    "signal_movement_plates_part": {"arc": _S, "plate": _S},
    "signal_movement_lines_part": {"arc": _S, "epc": _S, "brand": _S, "quantity": _F,
                                   "shortage": _S},
    "signal_traders": {
        **dict.fromkeys(("trader_id", "name", "status", "registered_on", "dissolved_on",
                         "sbi_code", "excise_status", "excise_number", "legal_form",
                         "address_key", "street", "house_number", "postcode", "city"), _S),
        "is_chain": _B, "lat": _F, "lon": _F},
    "signal_roles": dict.fromkeys(("person_id", "trader_id", "role", "since", "until",
                                   "full_name", "home_address"), _S),
    "signal_identifiers": dict.fromkeys(("owner_kind", "owner", "kind", "value"), _S),
    "signal_premises": {
        **dict.fromkeys(("premise_id", "kind", "excise_number", "lease_start", "lease_end",
                         "address_key", "street", "house_number", "postcode", "city",
                         "operator"), _S), "lat": _F, "lon": _F},
    "signal_tips": {**dict.fromkeys(("tip_id", "received_on", "address_key", "address_match",
                                     "plate", "phone", "trader_id"), _S),
                    "address_score": _F},
}
#: rows per part aimed at (the parts split the ARCs' last digits into as many groups)
PART_ROWS = 50_000
DIGITS = "0123456789"
#: the write-back links a finding to at most this many subjects of each list
CONCERNS_CAP = 100


def load_weights(path: Path = WEIGHTS_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


#: signal queries read at once: both stores run concurrent reads on their own threads,
#: so the longest read (signal_movements) overlaps the others
READ_WORKERS = 2


def arc_parts(movements: int, rows: int = PART_ROWS) -> list[dict[str, Any]]:
    """The parameters of the parts a read of `movements` e-ADs is split into: groups of
    last digits, and a last part for every other ARC (the whole read when one part)."""
    n = max(1, min(len(DIGITS), -(-movements // max(1, rows))))
    groups = [list(DIGITS[i::n]) for i in range(n)]
    return [{"chars": g, "last": False} for g in groups[:-1]] + [
        {"chars": [c for g in groups[:-1] for c in g], "last": True}]


def _concat(parts: list[Columns]) -> Columns:
    """The columns of parts of one read, one after the other (names from the first part
    that has them)."""
    names = next((n for n, _ in parts if n), [])
    values: list[list[Any]] = [[] for _ in names]
    for got_names, got in parts:
        if got_names:
            for out, col in zip(values, (got[got_names.index(n)] for n in names), strict=True):
                out.extend(col)
    return names, values


def _by_arc(columns: Columns) -> Columns:
    """Rows in the order of the query's `ORDER BY arc` (nulls last), stable."""
    names, values = columns
    if not names:
        return columns
    arcs = values[names.index("arc")]
    order = sorted(range(len(arcs)), key=lambda i: (arcs[i] is None, arcs[i] or ""))
    return names, [[col[i] for i in order] for col in values]


def _movement_part(got: dict[str, Columns]) -> tuple[list[str], list[Part]] | None:
    """One part's e-ADs with their plates and lines (`frames.with_plates`,
    `frames.join_lines`: the parts hold disjoint ARCs, so a part's plates and lines are
    all in it) as Arrow arrays per column; None for a part without e-ADs."""
    moved = got["signal_movements_part"]
    if not moved[0] or not moved[1] or not moved[1][0]:
        return None
    names, values = join_lines(with_plates(moved, got["signal_movement_plates_part"]),
                               lines_by_arc(got["signal_movement_lines_part"]))
    got.clear()
    return names, [part_array(v) for v in values]


def load_inputs(store: GraphStore, workers: int = READ_WORKERS,
                ) -> tuple[DetectionInputs, dict[str, float]]:
    """Every signal query's rows, and how long each took (seconds, each query's own wall
    time; with `workers` > 1 they overlap). The longest reads are started first, in
    parts (`PART_READS`) so that no reply holds all of them; each part of the e-ADs is
    made Arrow columns as it arrives and its Python values let go, so the e-ADs are
    never all held as Python objects (at 2M movement lines they were ~1.9 KB each, held
    twice)."""
    from concurrent.futures import ThreadPoolExecutor

    parts = arc_parts(int(store.run("signal_movement_count")[0]["n"]), PART_ROWS)

    def read(job: tuple[str, str, dict[str, Any]]) -> tuple[str, Columns, float]:
        statement, _, params = job
        began = time.perf_counter()
        got = store.read_columns(statement, params, READ_TYPES.get(statement))
        return statement, got, round(time.perf_counter() - began, 3)

    jobs = [(st, r, p) for p in parts for r in LONGEST_READS for st in PART_READS[r]]
    per_part = len(jobs) // len(parts)
    jobs += [(r, r, {}) for q in SIGNAL_QUERIES for r in JOINED_READS.get(q, (q,))
             if r not in PART_READS]
    input_of = {st: r for st, r, _ in jobs}
    pieces: dict[str, list[Columns]] = {}
    seconds: dict[str, float] = {}
    part: dict[str, Columns] = {}
    empty: list[dict[str, Columns]] = []  # parts without e-ADs, for an empty input's columns
    made: list[tuple[list[str], list[Part]]] = []
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="signal") as pool:
        for n, (statement, got, took) in enumerate(pool.map(read, jobs)):
            seconds[input_of[statement]] = seconds.get(input_of[statement], 0.0) + took
            if n >= per_part * len(parts):
                pieces.setdefault(statement, []).append(got)
                continue
            part[statement] = got
            del got
            if len(part) == per_part:
                kept = dict(part)
                one = _movement_part(part)
                if one is None:
                    empty.append(kept)
                else:
                    made.append(one)
                del kept
                part = {}
    columns = {q: _concat(got) for q, got in pieces.items()}
    pieces.clear()
    movements = JOINED_READS["signal_movements"][0]
    if made:
        names = made[0][0]
        frames = {movements: parts_to_frame(names, [list(a) for _, a in made], sort_by="arc")}
    else:
        def of(statement: str) -> Columns:
            return _concat([p[statement] for p in empty])
        frames = {movements: to_frame(*_by_arc(join_lines(
            with_plates(of("signal_movements_part"), of("signal_movement_plates_part")),
            lines_by_arc(of("signal_movement_lines_part")))))}
    made.clear()
    # an input read in parts: the seconds of its parts added
    took = {q: round(sum(seconds[r] for r in JOINED_READS.get(q, (q,))), 3)
            for q in SIGNAL_QUERIES}
    inputs = DetectionInputs.from_columns(columns, frames)
    columns.clear()
    return inputs, took


class CommunityEngine:
    """Which engine partitions the trader graph, chosen per call by its size.

    A callable for `detect_supplier_networks(partition=...)`: the detector stays pure, the
    store (the I/O) stays here. `used` records the engine that ran, for the run metadata."""

    def __init__(self, store: GraphStore | None, engine: str = "auto",
                 min_edges: int = GDS_MIN_EDGES, projection: str | None = None) -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        projection = projection or os.environ.get(GDS_PROJECTION_ENV) or "stored"
        if projection not in GDS_PROJECTIONS:
            raise ValueError(f"{GDS_PROJECTION_ENV} must be one of "
                             f"{', '.join(GDS_PROJECTIONS)}, not {projection!r}")
        self.store, self.engine, self.min_edges = store, engine, min_edges
        self.projection = projection
        self.used: str | None = None
        #: the GDS projection that ran ("stored", or "bolt" also when the stored one did
        #: not give the detector's nodes and was not used)
        self.projected: str | None = None

    def choose(self, edge_count: int) -> str:
        if self.engine != "auto":
            return self.engine
        if self.store is not None and edge_count >= self.min_edges \
                and gds.gds_available(self.store):
            return "gds"
        return "igraph"

    def __call__(self, nodes: list[str], edges: list[Any], seed: int,
                 extra: Sequence[Any] = ()) -> dict[str, int]:
        """`extra`: the ties of `edges` the stored graph does not hold (the candidate
        suppliers), sent with a projection of the stored graph."""
        self.used = self.choose(len(edges))
        if self.used != "gds":
            return communities(nodes, edges, seed=seed, engine=self.used)
        # auto has asked already; an explicit 'gds' is checked here, once
        if self.engine == "gds" and (self.store is None or not gds.gds_available(self.store)):
            raise StoreError("engine 'gds' needs a Neo4j store with Graph Data Science")
        assert self.store is not None
        if self.projection == "stored":
            try:
                found = gds.communities(self.store, nodes, [], seed=seed, source="stored",
                                        extra=extra, expect_nodes=True)
                self.projected = "stored"
                return found
            except gds.ProjectionMismatch:
                pass  # not the detector's graph: the edge list then, the same answer
        self.projected = "bolt"
        return gds.communities(self.store, nodes, edges, seed=seed)


def run_detectors(inputs: DetectionInputs, weights: dict[str, Any],
                  kinds: list[str] | None = None, partition: CommunityEngine | None = None,
                  ) -> tuple[list[Finding], dict[str, float]]:
    """All (or the named) detectors over the inputs: ranked findings and seconds each."""
    findings: list[Finding] = []
    timings: dict[str, float] = {}
    for detector in registry.DETECTORS:
        if kinds and detector.kind not in kinds:
            continue
        began = time.perf_counter()
        findings += detector.run(inputs, weights, partition=partition)
        timings[detector.kind] = round(time.perf_counter() - began, 3)
    return rank_findings(findings), timings


def findings_document(findings: list[Finding], inputs: DetectionInputs, weights_text: str,
                      dataset: str, kinds: list[str] | None, top: int | None,
                      community_engine: str | None = None) -> FindingsDocument:
    """The contract's output, plus the reproducible part of the run's metadata."""
    by_kind: dict[str, int] = {}
    out = []
    for f in findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        if top is None or by_kind[f.kind] <= top:
            out.append(f.record(rank=by_kind[f.kind]))
    run = RunInfo(
        graphfraud_version=__version__,
        detector_versions={d.kind: d.version for d in registry.DETECTORS},
        parameters=Parameters(tuple(kinds or sorted(registry.kinds())), top,
                              hashlib.sha256(weights_text.encode()).hexdigest()),
        seeds={"supplier_network": supplier_networks.SEED},
        data_hash=inputs.data_hash(), community_engine=community_engine)
    return FindingsDocument(dataset, inputs.latest_date, run, tuple(out))


def write_back(store: GraphStore, document: FindingsDocument) -> int:
    """The graph's index of a run: (:Finding {run_id})-[:CONCERNS]->(subject), written
    from the run's records (the run file is the record; these nodes only say which
    findings touch a node, for Cypher and the explorer). Replaces the previous run's."""
    run_id = str(document.run.run_id or "")
    store.run("findings_clear")
    prov = {"source": "graphfraud detect", "delivery": run_id, "legal_basis": "derived"}
    store.upsert("upsert_finding", [
        {"key": f.id, "props": {"kind": f.kind, "score": f.score, "rank": f.rank,
                                "title": f.title, "run_id": run_id}}
        for f in document.findings], extra=prov)
    links: dict[str, list[dict[str, Any]]] = {}
    for f in document.findings:
        for key, label in SUBJECT_LABELS.items():
            for sid in f.subject_ids(key)[:CONCERNS_CAP]:
                links.setdefault(label, []).append({"start": f.id, "end": sid,
                                                    "props": {"role": key}})
    for label, rows in links.items():
        store.upsert(f"link_concerns__finding_{label.lower()}", rows, extra=prov)
    return len(document.findings)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: reading and detecting make millions of objects
    that live until the end (no cycles among them), and each full collection walks them
    all again (a third of a medium detect's detector time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def detect(store: GraphStore, dataset: str = "", kinds: list[str] | None = None,
           top: int | None = None, weights_path: Path = WEIGHTS_FILE,
           write: bool = True, engine: str = "auto") -> FindingsDocument:
    """Read, detect, rank; returns the findings document with run metadata and timings.

    `engine` partitions the trader graph: auto (GDS on a Neo4j with GDS past
    `GDS_MIN_EDGES`, else igraph), igraph, networkx or gds."""
    started = time.time()
    weights_text = weights_path.read_text(encoding="utf-8")
    weights = yaml.safe_load(weights_text)
    partition = CommunityEngine(store, engine)
    with _without_cycle_collection():
        inputs, query_seconds = load_inputs(store)
        findings, detector_seconds = run_detectors(inputs, weights, kinds, partition)
        document = findings_document(findings, inputs, weights_text, dataset, kinds, top,
                                     partition.used)
    del inputs
    run_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime(started)) + "-" + uuid.uuid4().hex[:6]
    run = replace(document.run, run_id=run_id, store=store.kind,
                  started_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
                  query_seconds=query_seconds, detector_seconds=detector_seconds)
    document = replace(document, run=run)
    run = replace(run, changes=changes.since_previous(store, document))  # before write-back
    document = replace(document, run=run)
    if write:
        write_back(store, document)
    return replace(document, run=replace(run, seconds=round(time.time() - started, 3)))


def reproducible(document: FindingsDocument) -> FindingsDocument:
    """The document without wall-clock and per-run keys: what must be byte-identical."""
    return document.reproducible()
