"""The in-memory graph of a bulk load collected in a second process, on the second core.

A bulk load's parse (`ingest_directory` into a `CollectingStore`) spent about half its
time applying the statement rows to the collected graph, in the writer thread, sharing
one core with the parse. `CollectorProcess` is a `GraphStore` that sends each batch's
statement rows to a worker process holding the `CollectingStore`, without waiting: the
worker reads ahead (`READ_AHEAD` batches) and applies them while the parser makes the
next. Reads (`run`, `stream`, the
counts) wait for the worker, which handles messages in order, so a read sees every
write sent before it. The worker then encodes the collected graph into `GRAPH.BULK`
batches itself and hands them back as bytes (`bulk_batches`), so the graph (several GiB
at large) never crosses the pipe and the parent does not hold it.

The rows are the very ones the in-process store takes (same order, same calls), so the
graph is the same. On where there is a second core (`GRAPHFRAUD_COLLECT_WORKER=0` turns it
off, see `enabled`).
"""

from __future__ import annotations

import gc
import os
import pickle
import queue
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphfraud.store.base import GraphStore, QueryResult, StoreError
from graphfraud.store.memory import EMPTY_READS

_CALL, _SEND, _BULK, _STOP = "call", "send", "bulk", "stop"


def enabled() -> bool:
    """Whether a bulk load collects in a worker process: on by default where there is a
    second core, `GRAPHFRAUD_COLLECT_WORKER=0` keeps it in-process (`=1` forces it).
    Measured on the quiet two-core machine (load about 1): the large first load took
    114.5 s with the worker against 127.9 s in-process; on the same machine shared by
    six sessions (load 8-15) the worker was slower (479.6 s against 386.7 s), because
    the two processes then split one session's share of the CPU (docs/scaling.md)."""
    chosen = os.environ.get("GRAPHFRAUD_COLLECT_WORKER")
    if chosen in ("0", "1"):
        return chosen == "1"
    return (os.cpu_count() or 1) >= 2


_LENGTH = struct.Struct("!Q")


class Channel:
    """Length-prefixed pickled messages over a Unix socket. A message goes in one
    blocking `sendall` and comes in one `recv_into(..., MSG_WAITALL)`: each side gives up
    the GIL once per message, not once per socket-buffer's worth (a few MB per batch
    would otherwise wait for the GIL dozens of times while the other thread parses)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send_bytes(self, data: bytes) -> None:
        self.sock.sendall(_LENGTH.pack(len(data)) + data)

    def recv_bytes(self) -> bytes:
        head = self._exactly(_LENGTH.size)
        return self._exactly(_LENGTH.unpack(head)[0])

    def _exactly(self, size: int) -> bytes:
        buf = bytearray(size)
        view, got = memoryview(buf), 0
        while got < size:
            n = self.sock.recv_into(view[got:], size - got, socket.MSG_WAITALL)
            if n == 0:
                raise EOFError("the other end closed the channel")
            got += n
        return bytes(buf)

    def send(self, obj: Any) -> None:
        self.send_bytes(pickle.dumps(obj, pickle.HIGHEST_PROTOCOL))

    def recv(self) -> Any:
        return pickle.loads(self.recv_bytes())

    def close(self) -> None:
        self.sock.close()


#: messages the worker reads ahead of what it applies (a batch's rows are a few MB pickled)
READ_AHEAD = 32


def _read_ahead(conn: Channel, inbox: queue.Queue[bytes | None]) -> None:
    """The worker's reader thread: takes messages off the pipe as they come (the read
    releases the GIL), so the parent's send returns while an earlier batch is applied."""
    try:
        while True:
            inbox.put(conn.recv_bytes())
    except (EOFError, OSError):
        inbox.put(None)


def _send_error(conn: Channel, exc: BaseException) -> None:
    """An error for the parent: itself where it pickles, else a `StoreError` naming it."""
    try:
        data = pickle.dumps((exc, None), pickle.HIGHEST_PROTOCOL)
    except Exception:
        data = pickle.dumps((StoreError(f"{type(exc).__name__}: {exc}"), None))
    conn.send_bytes(data)


def _rels_in_child(store: Any) -> Any:
    """The collected relationships' GRAPH.BULK parts, encoded by a forked child while
    this worker encodes the nodes (`ingest.forked`)."""
    from graphfraud.ingest.forked import ForkedParts
    from graphfraud.store.falkordb_bulk import node_ids_in_send_order, rel_parts

    nodes, rels = store.nodes, store.rels
    try:
        return ForkedParts(lambda: rel_parts(rels.values(), node_ids_in_send_order(nodes)))
    except OSError:  # no fork now (out of processes or memory): the worker does it all
        return None


def _serve(conn: Channel) -> None:
    """The worker: a `CollectingStore` applying the messages in order. A failed
    fire-and-forget write is kept and reported with the next reply."""
    from graphfraud.ingest.forked import can_fork
    from graphfraud.store.falkordb_bulk import bulk_batches
    from graphfraud.store.memory import CollectingStore

    gc.disable()  # millions of small acyclic values: see ingest.run.quiet_gc
    # a Ctrl-C at the terminal reaches the whole process group: the parent stops the load
    # and closes this worker; the worker itself does not die half-way with a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    store = CollectingStore()
    failed: BaseException | None = None
    inbox: queue.Queue[bytes | None] = queue.Queue(READ_AHEAD)
    threading.Thread(target=_read_ahead, args=(conn, inbox), daemon=True).start()
    while True:
        message = inbox.get()
        if message is None:
            return
        op, method, args, kwargs = pickle.loads(message)
        if op == _STOP:
            return
        if op == _SEND:
            if failed is None:
                try:
                    getattr(store, method)(*args, **kwargs)
                except Exception as exc:  # reported with the next reply
                    failed = exc
            continue
        if failed is not None:
            _send_error(conn, failed)
            failed = None
            continue
        if method == "cpu_seconds":  # the worker's own CPU time, for the benchmarks
            conn.send((None, time.process_time()))
            continue
        if op == _BULK:
            # the relationships in a forked child while this worker encodes the nodes
            forked = _rels_in_child(store) if can_fork() else None
            try:
                for batch in bulk_batches(store.nodes, store.rels.values(), *args,
                                          encoded_rels=forked):
                    conn.send((None, batch))
            except Exception as exc:
                _send_error(conn, exc)
                continue
            finally:
                if forked is not None:
                    forked.close()
            conn.send((None, None))
            continue
        try:
            result = getattr(store, method)(*args, **kwargs)
            if isinstance(result, Iterator):
                result = list(result)
        except Exception as exc:
            _send_error(conn, exc)
            continue
        conn.send((None, result))


class CollectorProcess(GraphStore):
    """A `CollectingStore` in a worker process (see the module docstring). Writes return
    the number of rows sent (the worker counts what it made); close it when done."""

    dialect = "neo4j"
    kind = "collect"

    def __init__(self) -> None:
        # a fresh interpreter (not a fork of a process with threads, nor multiprocessing's
        # spawn, which imports the caller's main module again)
        ours, child = socket.socketpair()
        self._conn = Channel(ours)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "graphfraud.ingest.collector", str(child.fileno())],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL)
        child.close()
        self._lock = threading.Lock()  # the writer thread and the main thread both send
        self._streaming = False  # a bulk stream is under way (the worker may be sending)

    # -- the pipe -----------------------------------------------------------------------
    def _post(self, message: tuple[str, str, tuple, dict]) -> None:
        try:
            self._conn.send(message)
        except (BrokenPipeError, EOFError, ConnectionResetError) as exc:
            raise self._died() from exc

    def _reply(self) -> Any:
        try:
            error, result = self._conn.recv()
        except (EOFError, ConnectionResetError) as exc:
            raise self._died() from exc
        if error is not None:
            raise error
        return result

    def _died(self) -> StoreError:
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        return StoreError("the bulk load's collecting process ended unexpectedly (exit "
                          f"code {self._proc.returncode}; out of memory?)")

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self._post((_CALL, method, args, kwargs))
            return self._reply()

    def _send(self, method: str, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            self._post((_SEND, method, args, kwargs))

    # -- writes: sent, not waited for ------------------------------------------------------
    def upsert(self, name: str, rows: Iterable[Mapping[str, Any]], batch_size: int = 5000,
               extra: Mapping[str, Any] | None = None) -> int:
        rows = list(rows)
        self._send("upsert", name, rows, batch_size, dict(extra or {}))
        return len(rows)

    def upsert_many(self, items: Iterable[tuple[str, Iterable[Mapping[str, Any]]]],
                    extra: Mapping[str, Any] | None = None) -> int:
        items = [(name, list(rows)) for name, rows in items]
        self._send("upsert_many", items, dict(extra or {}))
        return sum(len(rows) for _, rows in items)

    def upsert_records(self, batch: Any, extra: Mapping[str, Any] | None = None) -> int:
        """A batch of records (`ingest.batch.RecordBatch`): the worker builds the
        statement rows from them, so the parent only parses and validates."""
        self._send("upsert_records", batch, dict(extra or {}))
        return len(batch.records)

    # -- reads: answered by the worker after every earlier write ------------------------
    def run(self, name: str, params: Mapping[str, Any] | None = None,
            timeout_s: float | None = None) -> list[dict[str, Any]]:
        return self._call("run", name, dict(params or {}) or None)

    def stream(self, name: str, params: Mapping[str, Any] | None = None,
               ) -> Iterator[dict[str, Any]]:
        """The worker's answer; a read its store answers empty whatever it holds
        (`EMPTY_READS`: the EMCS fold's look-ups of earlier messages) is answered here,
        so the parse does not wait for the worker to apply every batch sent before it
        (at the end of movements.csv the worker is up to `READ_AHEAD` batches behind)."""
        if name in EMPTY_READS:
            return iter(())
        return iter(self._call("stream", name, dict(params or {}) or None))

    def read_columns(self, name: str, params: Mapping[str, Any] | None = None,
                     types: Mapping[str, str] | None = None,
                     ) -> tuple[list[str], list[list[Any]]]:
        """Entity resolution reads its traders as columns: the worker's store answers."""
        return self._call("read_columns", name, dict(params or {}) or None,
                          dict(types) if types else None)

    def counts(self) -> dict[str, dict[str, int]]:
        return self._call("counts")

    def cpu_seconds(self) -> float:
        """CPU seconds the worker has used so far (after every write sent)."""
        return self._call("cpu_seconds")

    def sync(self) -> None:
        """Wait until every write sent is applied (raising a write's error)."""
        self._call("health")

    def write_import_csv(self, out_dir: str) -> dict[str, Any]:
        """The collected graph written as neo4j-admin import files by the worker
        (`CollectingStore.write_import_csv`); only the file lists come back."""
        return self._call("write_import_csv", str(out_dir))

    def write_bolt(self, uri: str, auth: tuple[str, str], database: str,
                   batch_rows: int | None = None, sessions: int | None = None,
                   ) -> dict[str, Any]:
        """The collected graph created over Bolt by the worker
        (`CollectingStore.write_bolt`); only the counts come back."""
        return self._call("write_bolt", uri, tuple(auth), database, batch_rows, sessions)

    def bulk_batches(self, batch_bytes: int) -> Iterator[list[Any]]:
        """The collected graph's `GRAPH.BULK` argument lists, encoded by the worker
        (`graphfraud.store.falkordb_bulk.bulk_batches`), one at a time; the next one is
        encoded while the caller sends this one."""
        with self._lock:
            self._post((_BULK, "", (batch_bytes,), {}))
            self._streaming = True
            while True:
                batch = self._reply()
                if batch is None:
                    self._streaming = False
                    return
                yield batch

    # -- the rest of the seam -----------------------------------------------------------
    def _read(self, text, params, timeout_s, row_cap=None, query_id=None) -> QueryResult:
        raise StoreError("the collecting store runs no Cypher")

    def _write(self, text, params, timeout_s) -> QueryResult:
        raise StoreError("the collecting store runs no Cypher")

    def _stream(self, text, params) -> Iterator[dict[str, Any]]:
        raise StoreError("the collecting store runs no Cypher")

    def apply_schema(self) -> None:
        pass

    def schema_snapshot(self) -> list[tuple[str, ...]]:
        return []

    def health(self) -> dict[str, Any]:
        return self._call("health")

    def clear(self) -> None:
        self._call("clear")

    def close(self) -> None:
        """Stop the worker (its graph goes with it)."""
        if self._proc.poll() is None and not self._streaming:  # else it may be mid-send
            try:
                self._conn.send((_STOP, "", (), {}))
                self._proc.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._conn.close()

    def __enter__(self) -> CollectorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":  # the worker: python -m graphfraud.ingest.collector FD
    _serve(Channel(socket.socket(fileno=int(sys.argv[1]))))
