"""The store seam: what GraphFraud asks of a graph database, whichever one it is.

Only `graphfraud.store` knows which database is behind it. Every statement is a named
query from `cypher/` (see `graphfraud.store.library`), sent with parameters; results
come back as plain Python (dicts, lists, str, int, float) so nothing above this layer
touches a driver type.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from graphfraud.model.operations import Write
from graphfraud.store.library import NamedQuery, get_query
from graphfraud.store.statements import statement_name


class StoreError(RuntimeError):
    """A statement failed; the message names the query and the backend."""


class StoreUnavailable(StoreError):
    """The database cannot be reached."""


class ReadOnlyViolation(StoreError):
    """A write was attempted through a read-only path."""


class QueryTimedOut(StoreError):
    """A query ran past its time-out; it was stopped at the engine (or abandoned)."""


class QueryTooLarge(StoreError):
    """A query needed more memory than the engine's per-query limit allows."""


class StoreDiskFull(StoreError):
    """The database cannot write: its disk is full. The message names the path."""


@dataclass
class QueryResult:
    """Rows of a query, with the column order and whether a row cap cut them."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False
    notes: list[str] = field(default_factory=list)


def chunked(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(dict(row))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class GraphStore(ABC):
    """A graph database behind GraphFraud: Neo4j or the embedded FalkorDB."""

    #: the Cypher dialect, which picks a query's variant: "neo4j" or "falkordb"
    dialect: str = ""
    #: what users call it: "neo4j" or "embedded"
    kind: str = ""
    #: whether the store can create a whole graph in one bulk call (`bulk_insert`); the
    #: bulk ingest asks this, not the store's type
    supports_bulk: bool = False

    def identity(self) -> str:
        """A short stable name for this database (e.g. to key an ingest checkpoint)."""
        import hashlib

        return f"{self.kind}-" + hashlib.sha256(self._locator().encode()).hexdigest()[:10]

    def _locator(self) -> str:
        return self.kind

    # --- named queries -------------------------------------------------------------
    def query(self, name: str) -> NamedQuery:
        return get_query(name)

    def run(self, name: str, params: Mapping[str, Any] | None = None,
            timeout_s: float | None = None) -> list[dict[str, Any]]:
        """Run the named query (read or write, as its header says); all rows."""
        q = self.query(name)
        text = q.text_for(self.dialect)
        try:
            if q.mode == "read":
                return self._read(text, dict(params or {}), timeout_s).rows
            return self._write(text, dict(params or {}), timeout_s).rows
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"query {name!r} failed on {self.kind}: "
                             f"{type(exc).__name__}: {exc}") from exc

    def stream(self, name: str, params: Mapping[str, Any] | None = None,
               ) -> Iterator[dict[str, Any]]:
        """Rows of a read query one at a time, without holding them all where the
        backend allows it."""
        q = self.query(name)
        if q.mode != "read":
            raise ReadOnlyViolation(f"query {name!r} is a {q.mode} query; stream reads only")
        yield from self._stream(q.text_for(self.dialect), dict(params or {}))

    def read_columns(self, name: str, params: Mapping[str, Any] | None = None,
                     types: Mapping[str, str] | None = None,
                     ) -> tuple[list[str], list[list[Any]]]:
        """A read query's result as columns (names, one list of values per column): a
        bulk read (detection inputs) builds no dict per row. `types` (column -> string,
        int, float or bool) lets a backend whose replies are untyped text read them
        cheaper; the values are the same with or without it."""
        q = self.query(name)
        if q.mode != "read":
            raise ReadOnlyViolation(f"query {name!r} is a {q.mode} query; columns reads only")
        return self._read_columns(q.text_for(self.dialect), dict(params or {}), types)

    def _read_columns(self, text: str, params: dict[str, Any],
                      types: Mapping[str, str] | None = None,
                      ) -> tuple[list[str], list[list[Any]]]:
        """Columns from the rows (`types` unused: the rows are typed); a backend with a
        cheaper path overrides it."""
        columns: list[str] | None = None
        values: list[list[Any]] = []
        for row in self._stream(text, params):
            if columns is None:
                columns = list(row)
                values = [[] for _ in columns]
            for out, c in zip(values, columns, strict=True):
                out.append(row[c])
        if columns is None:  # no rows: the names from the query's RETURN
            columns = self._read(text, params, None).columns
            values = [[] for _ in columns]
        return columns, values

    def upsert(self, name: Write | str, rows: Iterable[Mapping[str, Any]],
               batch_size: int = 5000, extra: Mapping[str, Any] | None = None) -> int:
        """Send `rows` to the write's statement (or the named write query) as `$rows`, in
        batches (UNWIND)."""
        total = 0
        for batch in chunked(rows, batch_size):
            total += self.upsert_many([(name, batch)], extra)
        return total

    def upsert_many(self, items: Iterable[tuple[Write | str, Iterable[Mapping[str, Any]]]],
                    extra: Mapping[str, Any] | None = None) -> int:
        """Send each `(write, rows)` to its write query as `$rows`, in order, in ONE
        write transaction where the backend has them (Neo4j): one commit per ingest batch
        instead of one per statement, and a batch lands whole or not at all. A write is
        a typed `NodeWrite`/`LinkWrite` (run as its generated load statement, named here
        by `statement_name`: the only place ingest operations become names) or the name
        of a write query.

        FalkorDB has no multi-statement transactions: there the statements run one after
        the other, each atomic on its own (a crash can leave a batch part-done; the ingest
        checkpoint then sends the whole batch again, and the upserts are idempotent)."""
        statements: list[tuple[str, dict[str, Any]]] = []
        names: list[str] = []
        for write, rows in items:
            name = statement_name(write)
            q = self.query(name)
            if q.mode != "write":
                raise StoreError(f"query {name!r} is not a write query")
            batch = [dict(r) for r in rows]
            if batch:
                statements.append((q.text_for(self.dialect), {"rows": batch, **(extra or {})}))
                names.append(name)
        if not statements:
            return 0
        try:
            self._write_many(statements)
        except StoreDiskFull:
            raise  # its message names the disk and what to free; the batch is beside it
        except Exception as exc:
            sizes = ", ".join(f"{n} ({len(p['rows'])} rows)"
                              for n, (_t, p) in zip(names, statements, strict=True))
            raise StoreError(f"upsert of {sizes} failed on {self.kind}: "
                             f"{type(exc).__name__}: {exc}") from exc
        return sum(len(p["rows"]) for _t, p in statements)

    # --- ad-hoc read-only Cypher (the analysts' console goes through a guard first) ---
    def read_cypher(self, text: str, params: Mapping[str, Any] | None = None,
                    row_cap: int = 1000, timeout_s: float = 30.0,
                    query_id: str | None = None) -> QueryResult:
        """Run caller-given Cypher in a read-only transaction, cut at `row_cap` rows.

        The cap goes into the query as a LIMIT (`row_cap.cap_rows`); the engine stops the
        query at `timeout_s`, and the watchdog answers `QueryTimedOut` by
        `timeout_s × 1.15` at the latest, ending the query at the engine. `query_id`
        names the run for `cancel` (a UI's stop button); one is made up if not given."""
        from graphfraud.store.row_cap import cap_rows
        from graphfraud.store.watchdog import Overrun, run_with_deadline

        qid = query_id or uuid.uuid4().hex
        capped = cap_rows(text, row_cap)
        call_params = dict(params or {})
        try:
            return run_with_deadline(
                lambda: self._read(capped, call_params, timeout_s, row_cap=row_cap,
                                   query_id=qid),
                timeout_s, lambda: self.cancel(qid))
        except Overrun as exc:
            ended = ("ended at the engine" if exc.cancelled else
                     "the engine did not confirm it stopped")
            raise QueryTimedOut(
                f"the query ran past its time-out of {timeout_s:g} s and was cancelled "
                f"({ended}); narrow it: a label, a key, a shorter path or a LIMIT") from None
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"{self.kind} refused the query: {type(exc).__name__}: "
                             f"{exc}") from exc

    def read_free_cypher(self, text: str, params: Mapping[str, Any] | None = None,
                         row_cap: int = 1000, timeout_s: float = 30.0,
                         query_id: str | None = None) -> QueryResult:
        """An analyst's own Cypher (after the guard): `read_cypher`, where the backend
        first makes sure it answers as Neo4j would or refuses (the embedded one does)."""
        return self.read_cypher(text, params, row_cap, timeout_s, query_id)

    def cancel(self, query_id: str) -> bool:
        """End the running `read_cypher` call named `query_id` at the engine; True if the
        engine said it ended one. Safe to call from another thread, or for a query that
        has already finished (then False)."""
        return False

    def compact(self, wait: bool = True) -> bool:
        """Make the stored graph quick to open again after a load (the embedded engine
        rewrites its append-only file as a snapshot); nothing to do on Neo4j. `wait=False`
        starts it and returns (the engine rewrites in a child process of its own). False
        when the rewrite did not happen or failed."""
        return True

    def bulk_insert(self, batches: Iterable[list[Any]]) -> dict[str, int]:
        """Create the graph in an empty store from bulk batches (the embedded engine's
        `GRAPH.BULK` argument lists); returns nodes, relationships and calls made. Only a
        store with `supports_bulk`; the others refuse."""
        raise StoreError(f"the {self.kind} store has no bulk load")

    def background_saves_paused(self) -> AbstractContextManager[None]:
        """A block during which the server takes no snapshot of its own (a bulk load and
        the indexes after it); nothing to pause on Neo4j."""
        return nullcontext()

    # --- backend hooks -----------------------------------------------------------------
    @abstractmethod
    def _read(self, text: str, params: dict[str, Any], timeout_s: float | None,
              row_cap: int | None = None, query_id: str | None = None) -> QueryResult:
        """Run a read; `query_id` (ad-hoc reads only) tags it for `cancel`."""

    @abstractmethod
    def _write(self, text: str, params: dict[str, Any],
               timeout_s: float | None) -> QueryResult: ...

    def _write_many(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        """Run write statements in order; a backend with transactions runs them in one."""
        for text, params in statements:
            self._write(text, params, None)

    @abstractmethod
    def _stream(self, text: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]: ...

    @abstractmethod
    def apply_schema(self) -> None:
        """Create the model's constraints and indexes; a second call changes nothing."""

    @abstractmethod
    def schema_snapshot(self) -> list[tuple[str, ...]]:
        """The constraints and indexes present, sorted, for comparing two states."""

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """Reachability and versions; never raises."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship (tests, `ingest --fresh`)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
