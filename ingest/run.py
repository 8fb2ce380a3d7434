"""Ingest a dataset directory: every contract file, validated, batched, resumable.

Per file: rows are read as a stream and validated; a bad row goes to
`DIR/.graphfraud/quarantine/<file>.csv` with its row number, field and reason, and the
good rows load in batches of upserts (idempotent MERGE by key), each batch's statements
in one write transaction (`GraphStore.upsert_many`), sent from a writer thread while the
next batch is parsed. After each batch the number of rows done is written to
`DIR/.graphfraud/checkpoint.json`; a run killed part-way validates again from the start
(cheap, and it rebuilds the reference index) but sends only the batches not yet done, so
it ends with the same graph.

This module is the orchestration; the checkpoint is `checkpoint.py` and the writer thread
`writer.py` (`Checkpoint` and `BatchWriter` stay importable from here).
"""

from __future__ import annotations

import errno
import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from graphfraud.ingest import columnar
from graphfraud.ingest.batch import Grouped, RecordBatch
from graphfraud.ingest.checkpoint import Checkpoint, files_fingerprint
from graphfraud.ingest.columnar import Parsed
from graphfraud.ingest.deliveries import counting, record_deliveries
from graphfraud.ingest.framework import (
    FileUnreadable,
    Loader,
    Op,
    RefIndex,
    Rejection,
    open_csv,
    write_quarantine,
)
from graphfraud.ingest.investigation import SeizureLoader, TipLoader
from graphfraud.ingest.licences import LicenceLoader, MachineEventLoader
from graphfraud.ingest.movements import MovementLoader
from graphfraud.ingest.references import StoredRefIndex
from graphfraud.ingest.register import PersonLoader, PremiseLoader, RoleLoader, TraderLoader
from graphfraud.ingest.supervision import EpsPackLoader, RetailCheckLoader
from graphfraud.ingest.writer import BatchWriter
from graphfraud.model.operations import Write
from graphfraud.store.base import GraphStore, StoreDiskFull

LOADERS: tuple[type[Loader], ...] = (
    TraderLoader, PersonLoader, RoleLoader, PremiseLoader, MovementLoader, LicenceLoader,
    MachineEventLoader, RetailCheckLoader, EpsPackLoader, TipLoader, SeizureLoader,
)
EMCS_DIR = "emcs"


@dataclass
class FileReport:
    file: str
    read: int = 0
    loaded: int = 0
    quarantined: int = 0
    resumed_from: int = 0
    status: str = "loaded"  # loaded | absent | unreadable
    reason: str = ""
    seconds: float = 0.0
    messages: int = 0  # EMCS: messages read (rows are `read`)
    pending: int = 0  # EMCS: follow-ups waiting for their e-AD or IE813
    notes: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    directory: str
    delivery: str
    files: list[FileReport] = field(default_factory=list)
    resolution: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def unreadable(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "unreadable"]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def group_operations(ops: list[Op], order: tuple[Write | str, ...],
                     ) -> list[tuple[Write, list[dict]]]:
    """Ops of one batch grouped per write in `order`, duplicates merged (later wins) and,
    for single-valued relationships, one end per start (the last one)."""
    grouped = Grouped()
    grouped.extend(ops)
    return grouped.items(order)


def parse_file(loader: Loader, directory: Path, rejections: list[Rejection],
               ) -> tuple[Iterator[Parsed], list[Path]]:
    """The rows of `loader`'s file in `directory`, parsed (column-wise by default, else one
    by one), and the paths read; rejected rows are added to `rejections`. Public: the
    benchmarks time the parse apart from the write."""
    path = directory / loader.file_name
    csv_file = open_csv(path, loader)
    if columnar.enabled():
        return columnar.parsed_rows(loader, csv_file, rejections), [path]
    return _parse_each(loader, csv_file.rows(rejections)), [path]


def _parse_each(loader: Loader, rows: Iterator[tuple[int, dict[str, str]]],
                ) -> Iterator[Parsed]:
    """Rows parsed one by one (`Loader.parse_row`): the EMCS rows, and CSV files with
    GRAPHFRAUD_COLUMNAR=0."""
    for n, raw in rows:
        rec, errors = loader.parse_row(raw)
        yield n, (lambda raw=raw: raw), rec, errors


def ingest_emcs(store: GraphStore, directory: Path, refs: RefIndex, checkpoint: Checkpoint,
                delivery: str, batch_size: int,
                progress: Callable[[str, int], None] | None = None,
                prefetch: Any = None) -> list[FileReport]:
    """Load `directory/emcs/*.xml`: one report for the folder (messages, rows, pending
    follow-ups) and one `unreadable` report per file that yields nothing, with why.
    `prefetch` (`emcs.prefetch.FolderPrefetch`) has read the folder already."""
    from graphfraud.ingest.emcs.loader import EVENT_QUERIES, EmcsLoader, event_operations, prepare

    loader = EmcsLoader()
    emcs = prepare(store, directory / EMCS_DIR,
                   prefetch.result() if prefetch is not None else None)
    early: list[Rejection] = [Rejection(p.file, p.index, p.path, p.reason)
                              for f in emcs.files for p in f.problems]
    reports: list[FileReport] = []

    def finish(rejections: list[Rejection], report: FileReport) -> None:
        quarantined = {r.raw.get("arc") for r in rejections if r.raw.get("arc")}
        for r in rejections:  # a folded row's line names the e-AD's file and message
            file, _, index = (r.raw.get("_source") or "").partition("#")
            if r.file == loader.file_name and file:
                r.file, r.row = file, int(index or 0)
        ops, pending = event_operations(emcs, quarantined)
        for i in range(0, len(ops), batch_size * 2):
            items = group_operations(ops[i:i + batch_size * 2], EVENT_QUERIES)
            store.upsert_many(items, extra={"source": loader.file_name, "delivery": delivery,
                                            "legal_basis": loader.legal_basis})
        for m, reason in pending:
            rejections.append(Rejection(m.file, m.index, "arc", f"pending follow-up {m.kind} "
                                        f"for {m.arc}: {reason}",
                                        {"arc": m.arc, "kind": m.kind,
                                         "message_id": m.message_id}))
        report.messages = emcs.messages
        report.pending = len(pending)
        report.notes = [f"{f.file}: {n}" for f in emcs.files for n in f.notes]
        if emcs.from_graph:
            report.notes.append(f"{emcs.from_graph} earlier message(s) of these ARCs "
                                "folded from the graph")
        if pending:
            report.notes.append(f"{len(pending)} follow-up(s) pending (in the quarantine "
                                "with their reason; applied when what they need arrives)")

    report = ingest_file(store, loader, directory, refs, checkpoint, delivery, batch_size,
                         progress, source=(emcs.rows(), emcs.sources, early), finish=finish,
                         fingerprint=emcs.fingerprint or None)
    if not emcs.messages:
        report.status = "unreadable"
        report.reason = ("no file in emcs/ yielded a message" if emcs.files
                         else "emcs/ holds no .xml file")
    reports.append(report)
    for f in emcs.files:
        if f.refused:
            reports.append(FileReport(f.file, status="unreadable", reason=f.refused))
    return reports


def _valid_batches(rows: Iterator[Parsed], loader: Loader, refs: RefIndex,
                   report: FileReport, rejections: list[Rejection], batch_size: int,
                   defer: bool = False) -> Iterator[tuple[PendingBatch, int, int]]:
    """The statements of the valid rows, `batch_size` rows at a time, as (the batch,
    a callable giving its grouped statement rows; rows; number of the last valid row so
    far); the last batch may be empty. Every row read counts in `report.read`; a row
    that fails goes to `rejections`. A loader with `operations_into` writes its rows
    straight into the batch's groups; the others make operations that are grouped.
    With `defer`, a loader that can (`statements_into`, or `refs_free`) keeps its valid
    records instead (`PendingBatch.records`), for a store that builds the rows itself."""
    seen: dict[tuple[Any, ...], int] = {}
    into = getattr(loader, "operations_into", None)
    resolve = getattr(loader, "resolve", None) if into is not None else None
    keep = defer and (resolve is not None or loader.refs_free)
    # `check_refs` and `resolve` in one look-up where the loader can and `register`
    # leaves the index as it was between them (the movements)
    fold = getattr(loader, "check_resolve", None) \
        if keep and resolve is not None and type(loader).register is Loader.register else None
    refs_of_row: Any = None
    ops: list[Op] = []
    grouped = Grouped()
    records: list[dict[str, Any]] = []
    resolved: list[Any] = []
    count = last = 0
    need = getattr(refs, "need", None)  # a `StoredRefIndex` reads its parts at the first row
    for n, raw, rec, errors in rows:
        if need is not None:
            need(loader.references)
            need = None
        report.read += 1
        key = None
        if rec is not None:
            key = loader.row_key(rec)
            if key is not None and key in seen:
                errors = [(loader.key_columns[0], f"duplicate key {key} (first on row "
                           f"{seen[key]})")]
            elif fold is not None:
                errors, refs_of_row = fold(rec, refs)
            else:
                errors = loader.check_refs(rec, refs)
        if errors:
            cells = raw()
            for fld, reason in errors:
                rejections.append(Rejection(loader.file_name, n, fld, reason, cells))
            continue
        assert rec is not None
        if key is not None:
            seen[key] = n
        rec["_row"] = n
        loader.register(rec, refs)
        if keep:
            records.append(rec)
            if resolve is not None:
                resolved.append(refs_of_row if fold is not None else resolve(rec, refs))
        elif into is not None:
            into(grouped, rec, refs)
        else:
            ops.extend(loader.operations(rec, refs))
        count, last = count + 1, n
        if count >= batch_size:
            yield _batch(loader, ops, grouped, records, resolved, keep, resolve), count, last
            ops, grouped, records, resolved, count = [], Grouped(), [], [], 0
    yield _batch(loader, ops, grouped, records, resolved, keep, resolve), count, last


class PendingBatch:
    """One batch of `_valid_batches`: called, its statement rows per write, in the
    loader's order; `records` the same batch as records (`RecordBatch`) when they were
    kept for the store to build the rows."""

    def __init__(self, rows: Callable[[], list[tuple[Write, list[dict]]]],
                 records: RecordBatch | None = None) -> None:
        self._rows, self.records = rows, records

    def __call__(self) -> list[tuple[Write, list[dict]]]:
        return self._rows()


def _batch(loader: Loader, ops: list[Op], grouped: Grouped, records: list[dict[str, Any]],
           resolved: list[Any], keep: bool, resolve: Any) -> PendingBatch:
    if keep:
        kept = RecordBatch(type(loader), records, resolved if resolve is not None else None)
        return PendingBatch(kept.items, kept)
    if ops:
        return PendingBatch(lambda: group_operations(ops, loader.query_order))
    return PendingBatch(lambda: grouped.items(loader.query_order))


def defers_statements(store: GraphStore) -> bool:
    """Whether `store` builds the statement rows from the records itself
    (`upsert_records`: the collecting stores of the bulk load), so the parsing process
    only parses and validates; `GRAPHFRAUD_DEFER_STATEMENTS=0` builds them here."""
    return (callable(getattr(store, "upsert_records", None))
            and os.environ.get("GRAPHFRAUD_DEFER_STATEMENTS", "1") != "0")


def ingest_file(store: GraphStore, loader: Loader, directory: Path, refs: RefIndex,
                checkpoint: Checkpoint, delivery: str, batch_size: int,
                progress: Callable[[str, int], None] | None = None,
                source: tuple[Iterator[tuple[int, dict[str, str]]], list[Path],
                              list[Rejection]] | None = None,
                finish: Callable[[list[Rejection], FileReport], None] | None = None,
                fingerprint: str | None = None) -> FileReport:
    """Load one contract file. `progress(file, rows read)` is called from the writer
    thread once each full batch is in the graph (it may raise to stop the run).

    `source` gives the rows, the files they come from and rejections already made
    (EMCS); `finish(rejections, report)` runs after the last batch, before the
    quarantine is written. `fingerprint` is the checkpoint's `files_fingerprint` of those
    files where it was made as they were read (the EMCS folder's)."""
    report = FileReport(loader.file_name)
    began = time.monotonic()
    rejections: list[Rejection] = []
    quarantine_dir = directory / ".graphfraud" / "quarantine"
    try:
        if source is not None:
            raw_rows, sources, early = source
            rows = (columnar.parsed_dicts(loader, raw_rows) if columnar.enabled()
                    else _parse_each(loader, raw_rows))
            rejections.extend(early)
        else:
            rows, sources = parse_file(loader, directory, rejections)
    except FileUnreadable as exc:
        report.status, report.reason = "unreadable", str(exc)
        write_quarantine(quarantine_dir, loader.file_name,
                         [Rejection(loader.file_name, 0, "", str(exc))])
        return report
    fingerprint = fingerprint or files_fingerprint(sources)
    done = checkpoint.rows_done(loader.file_name, fingerprint)
    report.resumed_from = done
    prov = {"source": loader.file_name, "delivery": delivery,
            "legal_basis": loader.legal_basis}

    defer = defers_statements(store)

    def send(batch: PendingBatch, last_row: int, full: bool) -> Callable[[], None]:
        """The job that writes one batch (unless a resumed run already did), records it
        and, for a full batch, reports progress: all once the batch is in the graph."""
        kept = batch.records if defer and last_row > done else None
        items = [] if kept is not None or last_row <= done else batch()
        rows_done, read = max(done, last_row), report.read

        def write() -> None:
            if kept is not None and kept.records:
                store.upsert_records(kept, extra=prov)  # type: ignore[attr-defined]
            elif items:
                store.upsert_many(items, extra=prov)
            if rows_done:
                checkpoint.save(loader.file_name, fingerprint, rows_done, False)
            if progress and full:
                progress(loader.file_name, read)
        return write

    last_row = 0
    with BatchWriter() as writer:
        for batch, count, last_row in _valid_batches(rows, loader, refs, report, rejections,
                                                     batch_size, defer):
            writer.submit(send(batch, last_row, count >= batch_size))
            report.loaded += count
    checkpoint.save(loader.file_name, fingerprint, max(done, last_row), True)
    if finish is not None:
        finish(rejections, report)
    report.quarantined = len({(r.file, r.row) for r in rejections})
    write_quarantine(quarantine_dir, loader.file_name, rejections)
    report.seconds = round(time.monotonic() - began, 3)
    return report


def _ingest_file_alone(store: GraphStore, loader: Any, directory: Path, refs: Any,
                      checkpoint: Checkpoint, delivery: str, batch_size: int,
                      progress: Any) -> FileReport:
    """One contract file; a file that cannot be read is reported and the others still
    load, and a full disk stops the run with one message (the ingest resumes later)."""
    try:
        return ingest_file(store, loader, directory, refs, checkpoint, delivery,
                           batch_size, progress)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StoreDiskFull(
                f"the disk holding {exc.filename or directory} is full: free space "
                "there and run the ingest again (it resumes where it stopped)") from exc
        return FileReport(loader.file_name, status="unreadable",
                          reason=f"{loader.file_name}: cannot be read: "
                                 f"{exc.strerror or exc}")


def ingest_directory(store: GraphStore, directory: Path, delivery: str | None = None,
                     batch_size: int = 2000, resolve: bool = True,
                     progress: Callable[[str, int], None] | None = None,
                     restart: bool = False, cache_dir: Path | None = None) -> IngestReport:
    """Load every contract file present in `directory` into `store`.

    `restart` forgets an interrupted run's checkpoint (say so after emptying the graph:
    the rows it counts as done are gone). `cache_dir` keeps entity resolution's index
    and results between ingests (`ingest.resolution.match_all`)."""
    directory = directory.resolve()
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a directory")
    emcs_only = (directory / EMCS_DIR).is_dir() and not any(directory.glob("*.csv"))
    if not (directory / "traders.csv").exists() and not emcs_only:
        raise FileNotFoundError(f"{directory / 'traders.csv'} is missing: every delivery "
                                "needs the trader register (a delivery of EMCS follow-ups "
                                "alone, only emcs/, is the exception)")
    delivery = delivery or directory.name
    began = time.monotonic()
    store.apply_schema()
    refs = StoredRefIndex(store)  # read from the graph part by part, as loaders need it
    checkpoint = Checkpoint(directory / ".graphfraud" / f"checkpoint-{store.identity()}.json")
    if restart:
        checkpoint.discard()
    report = IngestReport(str(directory), delivery)
    with quiet_gc(), counting(store, delivery) as counter:
        _ingest_files(store, directory, refs, checkpoint, delivery, batch_size, progress,
                      emcs_only, report)
        if resolve:
            from graphfraud.ingest.resolution import resolve_mentions

            report.resolution = resolve_mentions(store, delivery, cache_dir)
        record_deliveries(store, delivery, str(directory),
                          [f.file for f in report.files if f.status != "absent"], counter)
    checkpoint.finish()
    store.compact(wait=False)  # the embedded graph then opens from a snapshot
    report.seconds = round(time.monotonic() - began, 3)
    return report


@contextmanager
def quiet_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while the files load, its survivors frozen
    after each file. The ingest makes millions of small acyclic objects (records,
    statement rows, the in-memory graph of a bulk load); each collection scanned them
    all again, which was more than half the movements' statement building at medium."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was:
            gc.enable()


def prefetches_emcs(store: GraphStore, directory: Path) -> bool:
    """Whether the EMCS folder is read in a process of its own while the CSV files
    parse (`emcs.prefetch`): for the bulk load's collecting stores (`defers_statements`)
    where there is a second core; `GRAPHFRAUD_EMCS_PREFETCH=0` reads it in turn."""
    return ((directory / EMCS_DIR).is_dir() and defers_statements(store)
            and (os.cpu_count() or 1) >= 2
            and os.environ.get("GRAPHFRAUD_EMCS_PREFETCH", "1") != "0")


def _ingest_files(store: GraphStore, directory: Path, refs: RefIndex, checkpoint: Checkpoint,
                  delivery: str, batch_size: int, progress: Callable[[str, int], None] | None,
                  emcs_only: bool, report: IngestReport) -> None:
    prefetch = None
    if prefetches_emcs(store, directory):
        from graphfraud.ingest.emcs.prefetch import FolderPrefetch

        prefetch = FolderPrefetch(directory / EMCS_DIR)
    try:
        _each_file(store, directory, refs, checkpoint, delivery, batch_size, progress,
                   emcs_only, report, prefetch)
    finally:
        if prefetch is not None:
            prefetch.close()


def _each_file(store: GraphStore, directory: Path, refs: RefIndex, checkpoint: Checkpoint,
               delivery: str, batch_size: int, progress: Callable[[str, int], None] | None,
               emcs_only: bool, report: IngestReport, prefetch: Any) -> None:
    for loader_cls in LOADERS:
        loader = loader_cls()
        if (directory / loader.file_name).exists():
            report.files.append(_ingest_file_alone(store, loader, directory, refs,
                                                   checkpoint, delivery, batch_size,
                                                   progress))
        elif not emcs_only:
            report.files.append(FileReport(loader.file_name, status="absent"))
        if loader_cls is MovementLoader and (directory / EMCS_DIR).is_dir():
            report.files.extend(ingest_emcs(store, directory, refs, checkpoint, delivery,
                                            batch_size, progress, prefetch))
        gc.freeze()  # the file's survivors: no later collection scans them again
