"""The Neo4j backend: the official driver, read and write transactions, parameters only.

Reads run in `execute_read` (routed to secondaries in a cluster), writes in
`execute_write`; every session shares the driver's bookmark manager, so a read after a
write sees it even on another cluster member. `neo4j://` and `neo4j+s://` URIs route.

Ingest batches go through the first-load planner (`first_load.py`): rows that cannot
exist yet (their label was empty when the load began, their key not yet sent) are
CREATEd by the statements' `fresh_` twins; `GRAPHFRAUD_NEO4J_FIRST_LOAD=0` turns it off.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphfraud.config import Settings
from graphfraud.model.ddl import index_specs
from graphfraud.model.operations import Write
from graphfraud.store.base import (
    GraphStore,
    QueryResult,
    QueryTimedOut,
    QueryTooLarge,
    ReadOnlyViolation,
    StoreError,
    StoreUnavailable,
)
from graphfraud.store.first_load import FirstLoadPlanner
from graphfraud.store.statements import statement_name
from graphfraud.store.values import from_neo4j

#: a server that does not accept a connection in this time is reported unreachable
CONNECT_TIMEOUT_S = 10.0
#: waiting for a free pooled connection longer than this is an error, not a hang
ACQUIRE_TIMEOUT_S = 30.0


class Neo4jStore(GraphStore):
    dialect = "neo4j"
    kind = "neo4j"

    def __init__(self, uri: str, auth: tuple[str, str], database: str = "neo4j") -> None:
        self.uri = uri
        self.database = database
        self._auth = auth
        self._connect()
        self._first = FirstLoadPlanner(
            enabled=os.environ.get("GRAPHFRAUD_NEO4J_FIRST_LOAD", "1") != "0")
        self._first_lock = threading.Lock()
        self.settings: Settings | None = None

    def _connect(self) -> None:
        from neo4j import GraphDatabase

        self._driver = GraphDatabase.driver(self.uri, auth=self._auth,
                                            max_connection_pool_size=20,
                                            notifications_min_severity="OFF",
                                            connection_timeout=CONNECT_TIMEOUT_S,
                                            connection_acquisition_timeout=ACQUIRE_TIMEOUT_S)
        self._bookmarks = self._driver.execute_query_bookmark_manager

    def reconnect(self) -> None:
        """A new driver, after the database was replaced underneath (neo4j-admin import):
        the old bookmarks name transactions the new database never had."""
        self._driver.close()
        self._connect()
        with self._first_lock:
            self._first.forget()

    def bolt_target(self) -> tuple[str, tuple[str, str], str]:
        """URI, credentials and database, for a writer of its own (the Bolt bulk load's,
        run in the collector's worker process)."""
        return self.uri, self._auth, self.database

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        store = cls(settings.bolt_uri(), settings.neo4j_auth(), settings.neo4j_database)
        store.settings = settings  # the bulk load stops and starts the managed server
        return store

    def _locator(self) -> str:
        return f"{self.uri}/{self.database}"

    def _session(self, write: bool):
        from neo4j import READ_ACCESS, WRITE_ACCESS

        return self._driver.session(
            database=self.database, bookmark_manager=self._bookmarks,
            default_access_mode=WRITE_ACCESS if write else READ_ACCESS)

    @staticmethod
    def _work(text: str, params: dict[str, Any], timeout_s: float | None,
              row_cap: int | None):
        from neo4j import unit_of_work

        @unit_of_work(timeout=timeout_s)
        def work(tx) -> QueryResult:
            result = tx.run(text, params)
            columns = list(result.keys())
            rows: list[dict[str, Any]] = []
            truncated = False
            for record in result:
                if row_cap is not None and len(rows) >= row_cap:
                    truncated = True
                    break
                rows.append({k: from_neo4j(v) for k, v in zip(columns, record.values(),
                                                               strict=True)})
            return QueryResult(columns, rows, truncated)

        return work

    def _read(self, text, params, timeout_s, row_cap=None, query_id=None) -> QueryResult:
        from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable

        try:
            with self._session(write=False) as session:
                if query_id is None:
                    return session.execute_read(self._work(text, params, timeout_s, row_cap))
                # Ad-hoc reads: one attempt (a retried memory error would run the query
                # again and again), tagged so the watchdog or a cancel can find it.
                with session.begin_transaction(
                        timeout=timeout_s, metadata={"graphfraud_query": query_id}) as tx:
                    return self._work(text, params, timeout_s, row_cap)(tx)
        except ServiceUnavailable as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {exc}") from exc
        except ClientError as exc:
            if exc.code and exc.code.endswith("AccessMode"):
                raise ReadOnlyViolation(f"refused in a read transaction: {exc.message}") from exc
            limit = _limit_error(exc, timeout_s)
            if limit is None:
                raise
            raise limit from exc
        except Neo4jError as exc:
            limit = _limit_error(exc, timeout_s)
            if limit is None:
                raise
            raise limit from exc

    def cancel(self, query_id: str) -> bool:
        """TERMINATE TRANSACTIONS for the transactions tagged `query_id` (Community 5
        lists and ends its own user's transactions)."""
        with self._driver.session(database=self.database) as session:
            ids = [r["transactionId"] for r in session.run(
                self.query("transactions_tagged").text_for(self.dialect),
                {"query_id": query_id})]
            if not ids:
                return False
            ended = list(session.run(
                self.query("terminate_transactions").text_for(self.dialect), {"ids": ids}))
        return any("terminated" in str(r["message"]).lower() for r in ended)

    def upsert_many(self, items: Iterable[tuple[Write | str, Iterable[Mapping[str, Any]]]],
                    extra: Mapping[str, Any] | None = None) -> int:
        """As the base, with each statement's certainly-new rows sent to its CREATE twin
        (see `first_load.py`); a key another writer made first (constraint violation)
        sends the batch again the ordinary way and ends first-load planning. The planner
        works on statement names, so typed writes are named here, at the store edge."""
        batch = [(statement_name(write), [dict(r) for r in rows]) for write, rows in items]
        with self._first_lock:
            if self._first.needs_counts:
                self._first.begin(r["label"] for r in self.run("data_label_counts"))
            planned = self._first.plan(batch)
            if planned is None:
                self._first.forget()
        if planned is not None:
            try:
                return super().upsert_many(planned, extra)
            except StoreError as exc:
                if "ConstraintValidationFailed" not in str(exc):
                    raise
                with self._first_lock:
                    self._first.disable()
        return super().upsert_many(batch, extra)

    @property
    def first_load_rows(self) -> int:
        """Rows sent to a `fresh_` (CREATE) statement so far."""
        return self._first.created

    def _write(self, text, params, timeout_s) -> QueryResult:
        from neo4j.exceptions import ServiceUnavailable

        with self._first_lock:  # not an upsert through the planner: it starts again
            self._first.forget()
        try:
            with self._session(write=True) as session:
                return session.execute_write(self._work(text, params, timeout_s, None))
        except ServiceUnavailable as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {exc}") from exc

    def _write_many(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        """All statements in one write transaction: one commit, all or nothing."""
        from neo4j.exceptions import ServiceUnavailable

        def work(tx) -> None:
            for text, params in statements:
                tx.run(text, params).consume()

        try:
            with self._session(write=True) as session:
                session.execute_write(work)
        except ServiceUnavailable as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable: {exc}") from exc

    def _stream(self, text, params) -> Iterator[dict[str, Any]]:
        with self._session(write=False) as session, session.begin_transaction() as tx:
            result = tx.run(text, params)
            columns = list(result.keys())
            for record in result:
                yield {k: from_neo4j(v) for k, v in zip(columns, record.values(), strict=True)}

    def _schema_groups(self) -> tuple[list[str], list[str]]:
        """The schema's statements: the unique key constraints, then the indexes."""
        stmts = self.query("schema").statements_for("neo4j")
        constraints = [s for s in stmts if s.startswith("CREATE CONSTRAINT")]
        return constraints, [s for s in stmts if s not in constraints]

    def _apply_group(self, group: list[str]) -> None:
        """One transaction for the group (a commit, not one per statement: on a freshly
        imported medium graph 3.0 s against 4.5-5.1 s); a failed one is run again
        statement by statement, so the error names the statement."""
        try:
            with self._session(write=True) as session, session.begin_transaction() as tx:
                for stmt in group:
                    tx.run(stmt).consume()
                tx.commit()
        except Exception:  # noqa: BLE001 - named below, one statement at a time
            for stmt in group:
                try:
                    with self._session(write=True) as session:
                        session.run(stmt).consume()
                except Exception as exc:
                    raise StoreError(
                        f"schema statement failed on Neo4j: {stmt}: {exc}") from exc

    def apply_schema(self) -> None:
        for group in self._schema_groups():
            self._apply_group(group)

    def await_indexes(self, timeout_s: int = 600) -> None:
        """Until every index is online (a bulk load's graph is queried at full speed)."""
        self.run("await_indexes", {"timeout_s": timeout_s})

    def apply_key_constraints(self) -> None:
        """The schema's unique key constraints alone (a bulk load's relationship writes
        find their ends by key; the other indexes come with `apply_schema` after it)."""
        self._apply_group(self._schema_groups()[0])

    def schema_snapshot(self) -> list[tuple[str, ...]]:
        rows = self.run("schema_constraints") + self.run("schema_indexes")
        return sorted(tuple(str(r[c]) for c in sorted(r)) for r in rows)

    def expected_schema_names(self) -> set[str]:
        return {s.name for s in index_specs()}

    def health(self) -> dict[str, Any]:
        try:
            self._driver.verify_connectivity()
            info = self._driver.get_server_info()
            return {"ok": True, "backend": "neo4j", "uri": self.uri,
                    "database": self.database, "agent": info.agent,
                    "protocol": ".".join(map(str, info.protocol_version))}
        except Exception as exc:  # noqa: BLE001 - health reports, never raises
            return {"ok": False, "backend": "neo4j", "uri": self.uri,
                    "error": f"{type(exc).__name__}: {exc}"}

    def clear(self) -> None:
        while self.run("delete_batch", {"batch": 10000})[0]["deleted"]:
            pass

    def close(self) -> None:
        self._driver.close()


def _limit_error(exc, timeout_s: float | None) -> StoreError | None:
    """The engine's own stop, in the user's words: time-out, terminated, out of memory."""
    code = getattr(exc, "code", "") or ""
    limit = f"{timeout_s:g} s" if timeout_s else "the server's time-out"
    if "TransactionTimedOut" in code:
        return QueryTimedOut(
            f"the query ran past its time-out of {limit} and Neo4j stopped it; "
            "narrow it: a label, a key, a shorter path or a LIMIT")
    if code.endswith("Transaction.Terminated") or "Terminated" in code:
        return QueryTimedOut(
            f"the query was stopped at the engine: cancelled, or past its time-out of "
            f"{limit}")
    if "MemoryPoolOutOfMemoryError" in code or "OutOfMemory" in code:
        return QueryTooLarge(
            "the query needed more memory than Neo4j allows one transaction "
            "(db.memory.transaction.max); aggregate or narrow it")
    return None
