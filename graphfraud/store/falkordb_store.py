"""The embedded backend: FalkorDB over a unix socket, started on first use.

Reads go through `GRAPH.RO_QUERY`, which the server refuses to run for a statement that
writes; that is the engine's own read-only path. The engine has no transaction spanning
several statements, so `upsert_many` runs its statements one after the other (the base
class's `_write_many`), each atomic on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from graphfraud.config import Settings
from graphfraud.model.ddl import index_specs
from graphfraud.store.base import (
    GraphStore,
    QueryResult,
    QueryTimedOut,
    QueryTooLarge,
    ReadOnlyViolation,
    StoreDiskFull,
    StoreError,
    StoreUnavailable,
)
from graphfraud.store.falkordb_compact import decode_columns, decode_result, decode_typed
from graphfraud.store.values import from_falkordb


class FalkorDBStore(GraphStore):
    dialect = "falkordb"
    kind = "embedded"
    supports_bulk = True

    def __init__(self, socket_path: str, graph_name: str = "graphfraud",
                 settings: Settings | None = None) -> None:
        from falkordb import FalkorDB

        self.socket_path = socket_path
        self.graph_name = graph_name
        self._db = FalkorDB(unix_socket_path=socket_path)
        self._graph = self._db.select_graph(graph_name)
        #: set when GraphFraud runs this server itself: a wedged one may be restarted
        self._settings = settings

    @classmethod
    def from_settings(cls, settings: Settings) -> FalkorDBStore:
        from graphfraud.servers.falkordb_local import ensure_running

        return cls(str(ensure_running(settings)), settings.graph_name, settings)

    def home(self) -> Path | None:
        """The GraphFraud home of a server GraphFraud runs (its caches are kept there)."""
        return self._settings.home if self._settings else None

    def _data_dir(self) -> str:
        return str(self._settings.falkordb_dir) if self._settings else self.socket_path

    def _locator(self) -> str:
        return f"{self.socket_path}/{self.graph_name}"

    @staticmethod
    def _result(res, row_cap: int | None) -> QueryResult:
        columns = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in (res.header or [])]
        raw = res.result_set or []
        truncated = row_cap is not None and len(raw) > row_cap
        if truncated:
            raw = raw[:row_cap]
        rows = [{c: from_falkordb(v) for c, v in zip(columns, row, strict=True)} for row in raw]
        return QueryResult(columns, rows, truncated)

    def _read(self, text, params, timeout_s, row_cap=None, query_id=None) -> QueryResult:
        return self._guarded(lambda conn, timeout_ms: self._ro_query(
            text, params, timeout_ms, row_cap, conn), timeout_s, query_id)

    def _read_columns(self, text: str, params: dict[str, Any],
                      types: Mapping[str, str] | None = None,
                      ) -> tuple[list[str], list[list[Any]]]:
        """The compact reply decoded column by column (`falkordb_compact.decode_columns`);
        a reply with graph entities goes through the client's parser, as rows. With the
        kinds of every column (`types`, all scalars) the plain reply is read instead
        (`decode_typed`): a third of the objects, for the largest reads."""
        def columns(conn: Any, timeout_ms: int | None) -> tuple[list[str], list[list[Any]]]:
            if types:
                typed = decode_typed(self._ro_response(text, params, timeout_ms, conn,
                                                       compact=False), dict(types))
                if typed is not None:
                    return typed
            response = self._ro_response(text, params, timeout_ms, conn)
            decoded = decode_columns(response)
            if decoded is not None:
                return decoded
            from falkordb.query_result import QueryResult as ClientResult

            result = self._result(ClientResult(self._graph, response), None)
            return result.columns, [[r[c] for r in result.rows] for c in result.columns]

        return self._guarded(columns, None, None)

    def _guarded(self, work: Any, timeout_s: float | None, query_id: str | None) -> Any:
        """`work(connection, timeout_ms)` with the engine's errors in the user's words."""
        import redis

        from graphfraud.servers.resources import clamp_timeout_ms

        timeout_ms = clamp_timeout_ms(timeout_s)
        # An ad-hoc read gets a connection of its own whose socket gives up well after
        # the engine's time-out: a thread the watchdog abandoned cannot hang for ever.
        conn = (self._connection(socket_timeout=2 * timeout_s + 5)
                if query_id is not None and timeout_s else self._db.connection)
        try:
            return work(conn, timeout_ms)
        except redis.exceptions.ResponseError as exc:
            msg = str(exc)
            if "empty key" in msg:  # no graph yet: create the empty graph, ask again
                try:
                    self._graph.query(self.query("ping").text_for(self.dialect))
                except redis.exceptions.ResponseError as again:
                    raise self._engine_error(again, timeout_s) or again from None
                return work(conn, timeout_ms)
            if "read-only" in msg:
                raise ReadOnlyViolation(f"refused on the read-only path: {msg}") from exc
            raise self._engine_error(exc, timeout_s) or exc from None
        except redis.exceptions.TimeoutError as exc:
            raise QueryTimedOut(f"the embedded engine gave no answer within {timeout_s:g} s "
                                "of its time-out; the query was abandoned") from exc
        except (redis.exceptions.ConnectionError, OSError) as exc:
            raise StoreUnavailable(f"the embedded graph at {self.socket_path} is not "
                                   f"reachable: {exc}") from exc
        finally:
            if conn is not self._db.connection:
                conn.close()

    def _connection(self, socket_timeout: float) -> Any:
        """A client of its own, set up like the FalkorDB client's but with a socket
        time-out."""
        import redis

        pool = self._db.connection.connection_pool
        kwargs = {**pool.connection_kwargs, "socket_timeout": socket_timeout,
                  "socket_connect_timeout": min(5.0, socket_timeout)}
        return redis.Redis(connection_pool=redis.ConnectionPool(
            connection_class=pool.connection_class, max_connections=1, **kwargs))

    def _engine_error(self, exc: Exception, timeout_s: float | None) -> StoreError | None:
        """The engine's refusals in the user's words (time-out, memory, disk full)."""
        msg = str(exc)
        if "timed out" in msg.lower():
            limit = f"{timeout_s:g} s" if timeout_s else "the server's time-out"
            return QueryTimedOut(f"the query ran past its time-out of {limit} and the "
                                 "embedded engine stopped it; narrow it: a label, a key, "
                                 "a shorter path or a LIMIT")
        if "mem consumption" in msg.lower() or "memory" in msg.lower() and "capacity" in msg:
            return QueryTooLarge("the query needed more memory than the embedded engine "
                                 "allows one query (QUERY_MEM_CAPACITY); aggregate or "
                                 "narrow it")
        if msg.startswith("MISCONF") or "No space left" in msg:
            return StoreDiskFull(
                f"the disk holding the embedded graph ({self._data_dir()}) is full: the "
                "server cannot save writes. Free space on that disk (old exports, logs, "
                "quarantine files), then run the command again; reads still work")
        return None

    def _ro_query(self, text: str, params: dict[str, Any] | None, timeout_ms: int | None,
                  row_cap: int | None, conn: Any = None) -> QueryResult:
        """GRAPH.RO_QUERY in the compact format, decoded by `falkordb_compact` (fast);
        results with graph entities go through the client's parser."""
        from falkordb.query_result import QueryResult as ClientResult

        response = self._ro_response(text, params, timeout_ms, conn)
        decoded = decode_result(response)
        if decoded is None:
            return self._result(ClientResult(self._graph, response), row_cap)
        columns, raw = decoded
        truncated = row_cap is not None and len(raw) > row_cap
        if truncated:
            raw = raw[:row_cap]
        return QueryResult(columns, [dict(zip(columns, r, strict=True)) for r in raw],
                           truncated)

    def _ro_response(self, text: str, params: dict[str, Any] | None,
                     timeout_ms: int | None, conn: Any = None, compact: bool = True,
                     ) -> list[Any]:
        """The raw reply of GRAPH.RO_QUERY: compact ([type, value] per cell), or plain."""
        command: list[Any] = ["GRAPH.RO_QUERY", self.graph_name,
                              self._graph._build_params_header(params or None) + text]
        if compact:
            command.append("--compact")
        if timeout_ms:
            command += ["timeout", timeout_ms]
        return (conn or self._db.connection).execute_command(*command)

    def read_free_cypher(self, text: str, params: dict[str, Any] | None = None,
                         row_cap: int = 1000, timeout_s: float = 30.0,
                         query_id: str | None = None) -> QueryResult:
        """An analyst's Cypher, checked and rewritten first so the engine answers as
        Neo4j would, or refused (`falkordb_dialect`)."""
        from graphfraud.store import falkordb_dialect

        prepared = falkordb_dialect.prepare(text)
        result = self.read_cypher(prepared.text, params, row_cap, timeout_s, query_id)
        falkordb_dialect.check_rows(result.rows, prepared)
        result.notes.extend(prepared.notes)
        return result

    def _write(self, text, params, timeout_s) -> QueryResult:
        import redis

        from graphfraud.servers.resources import clamp_timeout_ms

        try:
            return self._result(self._graph.query(text, params or None,
                                                  timeout=clamp_timeout_ms(timeout_s)), None)
        except redis.exceptions.ResponseError as exc:
            raise self._engine_error(exc, timeout_s) or exc from None

    def cancel(self, query_id: str) -> bool:
        """The engine cannot end one query, but it stops a read at its own time-out. A
        query still running past it means the workers are wedged (e.g. in a parse): if
        a trivial read gets no answer in 2 s either, GraphFraud's own server is
        restarted (it comes back from its snapshot in seconds; writes since the last
        second of fsync are replayed). True if it was restarted."""
        import redis

        probe = self._connection(socket_timeout=2)
        try:
            probe.execute_command("GRAPH.RO_QUERY", self.graph_name, "RETURN 1", "--compact")
            return False
        except redis.exceptions.ResponseError:
            return False  # it answers (e.g. no graph yet): not wedged
        except (redis.exceptions.TimeoutError, redis.exceptions.ConnectionError, OSError):
            if self._settings is None:
                return False
            from graphfraud.servers import falkordb_local

            falkordb_local.restart(self._settings, reason=f"query {query_id} wedged the "
                                   "engine's workers")
            return True
        finally:
            probe.close()

    def compact(self, wait: bool = True) -> bool:
        """Rewrite the append-only file as a snapshot plus nothing (after a load), so
        the next start reads a snapshot instead of replaying every statement. Without
        `wait` the rewrite runs on in the server's child process: a daily delivery onto
        the large graph need not wait the ~5 s of writing its 300 MB snapshot again."""
        if self._settings is not None:
            from graphfraud.servers import falkordb_local

            return falkordb_local.compact(self._settings, wait=wait)
        return True

    def _stream(self, text, params) -> Iterator[dict[str, Any]]:
        # FalkorDB sends a result set whole; stream keeps the interface for callers.
        yield from self._read(text, params, None).rows

    def _present(self) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        indexes: set[tuple[str, str]] = set()
        for row in self.run("schema_indexes"):
            for prop in row.get("properties") or []:
                indexes.add((row["label"], prop))
        uniques = {(r["label"], p) for r in self.run("schema_constraints")
                   if r.get("type") == "UNIQUE" for p in r.get("properties") or []}
        return indexes, uniques

    def apply_schema(self) -> None:
        indexes, _uniques = self._present()
        statements = self.query("schema").statements_for("falkordb")
        for spec, stmt in zip(index_specs(), statements, strict=True):
            if (spec.label, spec.prop) not in indexes:
                try:
                    self._graph.query(stmt)
                except Exception as exc:
                    if "already indexed" not in str(exc):
                        raise StoreError(f"schema statement failed on FalkorDB: {stmt}: "
                                         f"{exc}") from exc
        # No unique constraints on the embedded engine: replaying GRAPH.CONSTRAINT from the
        # append-only file fails ("Constraint already exists") and the server then refuses
        # to start. Keys stay unique because every write is a MERGE on the indexed key.

    def bulk_insert(self, batches: Iterable[list[Any]]) -> dict[str, int]:
        """Create the graph from `GRAPH.BULK` argument lists (`falkordb_bulk.bulk_batches`).
        The graph must not exist: the first call's `BEGIN` refuses an existing key.

        A batch is sent from a second thread while the next one is encoded, so the
        server's work overlaps Python's (the calls stay in order: one sender)."""
        from concurrent.futures import Future, ThreadPoolExecutor

        import redis

        def send(args: list[Any]) -> tuple[int, int]:
            try:
                reply = self._db.connection.execute_command("GRAPH.BULK", self.graph_name,
                                                            *args)
            except redis.exceptions.ResponseError as exc:
                raise StoreError(f"bulk insert into {self._locator()} refused: {exc}"
                                 ) from exc
            made = (reply.decode() if isinstance(reply, bytes) else str(reply)).split(", ")
            return int(made[0].split(" ")[0]), int(made[1].split(" ")[0])

        totals = [0, 0, 0]  # nodes, relationships, calls

        def settle(future: Future) -> None:
            nodes, rels = future.result()
            totals[0] += nodes
            totals[1] += rels
            totals[2] += 1

        with self.background_saves_paused(), \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk") as sender:
            pending: Future | None = None
            for args in batches:
                if pending is not None:
                    settle(pending)  # at most one batch in flight, one being encoded
                pending = sender.submit(send, args)
            if pending is not None:
                settle(pending)
        return {"nodes": totals[0], "relationships": totals[1], "calls": totals[2]}

    #: the server settings that make it fork on its own: a rewrite of the append-only
    #: file when it has grown by this percentage, and snapshots after so many changes
    BACKGROUND_SAVE_SETTINGS = ("auto-aof-rewrite-percentage", "save")

    @contextmanager
    def background_saves_paused(self) -> Iterator[None]:
        """No fork of the server while the block runs; its settings are put back after.

        A bulk load grows the append-only file by 64 MB a call, so the server forks for a
        rewrite every few seconds. On the large world (2.3M nodes) one such fork during a
        `GRAPH.BULK` call left the server deaf: every thread idle, the module's busy flag
        still set, no answer even to PING, and the load waiting for ever (seen three
        times). The writes are still logged to the file while paused, so nothing is lost;
        the caller compacts the file afterwards (`compact`). Blocks may nest."""
        conn = self._db.connection
        saved = {name: conn.config_get(name).get(name) for name in self.BACKGROUND_SAVE_SETTINGS}
        conn.config_set("auto-aof-rewrite-percentage", 0)
        conn.config_set("save", "")
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is not None:
                    conn.config_set(name, value)

    def schema_snapshot(self) -> list[tuple[str, ...]]:
        rows = self.run("schema_constraints") + self.run("schema_indexes")
        out = []
        for r in rows:
            out.append(tuple(f"{k}={r[k]}" for k in sorted(r) if k not in ("status",)))
        return sorted(out)

    def health(self) -> dict[str, Any]:
        try:
            self._db.connection.ping()
            return {"ok": True, "backend": "embedded", "socket": self.socket_path,
                    "graph": self.graph_name}
        except Exception as exc:  # noqa: BLE001 - health reports, never raises
            return {"ok": False, "backend": "embedded", "socket": self.socket_path,
                    "error": f"{type(exc).__name__}: {exc}"}

    def clear(self) -> None:
        """Drop the whole graph (indexes too; `apply_schema` makes them again).

        Faster than deleting in batches, and it avoids a state seen after mass deletion
        in a graph reloaded from disk, where every property access failed with
        "Attempted to access undefined attribute"."""
        import redis

        try:
            self._graph.delete()
        except redis.exceptions.ResponseError as exc:
            if "empty key" not in str(exc) and "Invalid graph" not in str(exc):
                raise

    def close(self) -> None:
        try:
            self._db.connection.close()
        except Exception:  # noqa: BLE001
            pass
