"""A collected graph written into an empty Neo4j over Bolt, with CREATE only.

The collected graph (`CollectingStore`: every node and relationship once, merged, its
provenance lists in it) needs no MERGE, no list arithmetic and no replacement checks: each
node is one map (`bulk_upsert_<label>`: `CREATE (n:Label) SET n = row`), each relationship
its two keys and one map (`bulk_link_…`: both ends found by their key constraint, then
CREATE). These are the `bulk_` twins that `graphfraud.model.loadgen` generates beside the
load statements. The neo4j-admin route's fixed costs (two JVM starts, a server stop and
start) exceed the whole LOAD CSV anchor at medium; this route has none of them, and it
serves a Neo4j that GraphFraud does not run.

Two sessions write at once, so that one batch is encoded while the server runs the other.
Nodes never conflict (one label's batches create distinct keys). Relationship writes lock
their sparse end nodes, so two groups (type, start label, end label) run at the same time
only when they share no label, and one group's batches run in order in one session: no
two transactions ever lock the same node. A deadlock or another transient error is still
retried by the driver (`execute_write`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphfraud.model.loadgen import bulk_name, link_name, upsert_name
from graphfraud.store.library import get_query

#: rows per transaction: at medium, 5,000 took 200 s for the nodes and relationships
#: against 286 s for 20,000 (alternated in one run, load 11-16; docs/scaling.md "s10-n"),
#: and a synthetic check found no gain above 2,000-5,000 on this machine
DEFAULT_BATCH_ROWS = 5_000
#: sessions writing at once (see the module docstring)
DEFAULT_SESSIONS = 2


@dataclass
class _Task:
    """Batches one session runs in order; `labels` are the labels whose nodes they lock."""

    statement: str
    labels: frozenset[str]
    batches: Callable[[], Iterator[list[dict[str, Any]]]]
    size: int


@dataclass
class _Lanes:
    """Hands tasks to the sessions: a task starts only when no running task shares a
    label with it (the lock order: see the module docstring)."""

    pending: list[_Task]
    running: list[frozenset[str]] = field(default_factory=list)
    failed: BaseException | None = None
    cond: threading.Condition = field(default_factory=threading.Condition)

    def take(self) -> _Task | None:
        with self.cond:
            while self.pending and self.failed is None:
                for i, task in enumerate(self.pending):
                    if not any(task.labels & held for held in self.running):
                        self.running.append(task.labels)
                        return self.pending.pop(i)
                self.cond.wait()
            return None

    def done(self, task: _Task, error: BaseException | None = None) -> None:
        with self.cond:
            self.running.remove(task.labels)
            if error is not None and self.failed is None:
                self.failed = error
            self.cond.notify_all()


def _chunks(items: list[Any], size: int, row: Callable[[Any], dict[str, Any]]
            ) -> Callable[[], Iterator[list[dict[str, Any]]]]:
    def batches() -> Iterator[list[dict[str, Any]]]:
        for i in range(0, len(items), size):
            yield [row(x) for x in items[i:i + size]]
    return batches


def _present(props: Mapping[str, Any]) -> dict[str, Any]:
    """The properties with a value (Cypher stores no null: `SET n = row` skips them)."""
    return {k: v for k, v in props.items() if v is not None}


def node_tasks(nodes: Mapping[str, Mapping[str, dict[str, Any]]], batch_rows: int
               ) -> list[_Task]:
    """One task per batch of a label's nodes (nodes never conflict: no labels held)."""
    tasks = []
    for label, table in nodes.items():
        records = list(table.values())
        text = get_query(bulk_name(upsert_name(label))).text_for("neo4j")
        for i in range(0, len(records), batch_rows):
            part = records[i:i + batch_rows]
            tasks.append(_Task(text, frozenset(), _chunks(part, batch_rows, _present),
                               len(part)))
    return tasks


def relationship_tasks(rels: Iterable[Any], batch_rows: int) -> list[_Task]:
    """One task per (type, start label, end label), largest first, holding both labels."""
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for r in rels:
        groups.setdefault((r.type, r.start_label, r.end_label), []).append(r)
    tasks = []
    for (rtype, s_label, e_label), group in groups.items():
        text = get_query(bulk_name(link_name(rtype, s_label, e_label))).text_for("neo4j")
        tasks.append(_Task(text, frozenset((s_label, e_label)), _chunks(
            group, batch_rows, lambda r: {"s": r.start, "e": r.end, "p": _present(r.props)}),
            len(group)))
    return sorted(tasks, key=lambda t: -t.size)


def _run(driver: Any, database: str, tasks: list[_Task], sessions: int
         ) -> tuple[int, int]:
    """Run the tasks on `sessions` sessions: what they created, and in how many
    transactions."""
    sessions = max(1, sessions)
    lanes = _Lanes(list(tasks))
    made, calls = [0] * sessions, [0] * sessions

    def create(tx: Any, text: str, rows: list[dict[str, Any]]) -> int:
        counters = tx.run(text, rows=rows).consume().counters
        return counters.nodes_created + counters.relationships_created

    def lane(i: int) -> None:
        with driver.session(database=database) as session:
            while (task := lanes.take()) is not None:
                try:
                    for rows in task.batches():
                        made[i] += session.execute_write(create, task.statement, rows)
                        calls[i] += 1
                except BaseException as exc:  # the other lanes stop at their next task
                    lanes.done(task, exc)
                    return
                lanes.done(task)

    threads = [threading.Thread(target=lane, args=(i,), daemon=True)
               for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if lanes.failed is not None:
        raise lanes.failed
    return sum(made), sum(calls)


def bolt_load(nodes: Mapping[str, Mapping[str, dict[str, Any]]], rels: Iterable[Any],
              uri: str, auth: tuple[str, str], database: str,
              batch_rows: int = DEFAULT_BATCH_ROWS,
              sessions: int = DEFAULT_SESSIONS) -> dict[str, Any]:
    """Create the collected graph (`CollectingStore.nodes`, `.rels.values()`) in the empty
    database; the key constraints must be in place (the relationship writes find their
    ends by key). Returns what was created and how long each half took."""
    from neo4j import GraphDatabase

    began = time.perf_counter()
    with GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF") as driver:
        made_nodes, node_calls = _run(driver, database, node_tasks(nodes, batch_rows),
                                      sessions)
        nodes_done = time.perf_counter()
        made_rels, rel_calls = _run(driver, database, relationship_tasks(rels, batch_rows),
                                    sessions)
    done = time.perf_counter()
    return {"nodes": made_nodes, "relationships": made_rels,
            "batches": node_calls + rel_calls, "sessions": sessions,
            "batch_rows": batch_rows,
            "node_seconds": round(nodes_done - began, 3),
            "relationship_seconds": round(done - nodes_done, 3),
            "cpu_seconds": round(time.process_time(), 3)}
