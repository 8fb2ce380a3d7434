"""Run TCK scenarios through the analysts' console path (guard, session, store) and
classify each: passed, refused (a clear refusal with a message), wrong (rows that
differ from the TCK, or rows where the TCK expects an error), error (the engine failed).

The graph is built with the store's own write path (the console cannot write); the
query then goes through `Session.free_cypher` as an analyst's would.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tck_features import Scenario
from tck_values import Canon, canon, parse_expected, parse_param, unordered_lists

from graphfraud.security.guard import QueryRefused
from graphfraud.store.base import GraphStore
from graphfraud.store.falkordb_dialect import DialectRefused

OUTCOMES = ("passed", "refused", "wrong", "error")
ROW_CAP = 100_000
TIMEOUT_S = 20.0


@dataclass
class Outcome:
    key: str
    folder: str
    outcome: str  # one of OUTCOMES
    detail: str = ""


@dataclass
class Report:
    store: str
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def counts(self, folder: str | None = None) -> dict[str, int]:
        c = Counter(o.outcome for o in self.outcomes if folder in (None, o.folder))
        return {k: c.get(k, 0) for k in OUTCOMES}

    def folders(self) -> list[str]:
        return sorted({o.folder for o in self.outcomes})

    def of(self, outcome: str, folder: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if o.outcome == outcome and folder in (None, o.folder)]


def _reset(store: GraphStore, sc: Scenario, jar: Path) -> None:
    from graphfraud.servers.tck_kit import read_graph

    if store.kind == "neo4j":
        store._write("MATCH (n) DETACH DELETE n", {}, None)
    else:
        store.clear()
    scripts = ([read_graph(jar, sc.graph)] if sc.graph != "empty" else []) + sc.setup
    for script in scripts:
        store._write(script, {}, None)


def expected_rows(sc: Scenario) -> list[tuple[Canon, ...]]:
    rows = [tuple(parse_expected(cell) for cell in row) for row in sc.rows]
    if sc.ignore_list_order:
        rows = [tuple(unordered_lists(c) for c in row) for row in rows]
    return rows


def actual_rows(sc: Scenario, columns: list[str], rows: list[dict[str, Any]],
                ) -> list[tuple[Canon, ...]]:
    out = [tuple(canon(r.get(c)) for c in columns) for r in rows]
    if sc.ignore_list_order:
        out = [tuple(unordered_lists(c) for c in row) for row in out]
    return out


def compare(sc: Scenario, columns: list[str], rows: list[dict[str, Any]]) -> str:
    """'' when the result is the TCK's, else what differs (short)."""
    if sc.expect == "empty":
        return "" if not rows else f"{len(rows)} rows where none are expected"
    if sc.header and list(columns) != list(sc.header):
        return f"columns {columns} where {sc.header} are expected"
    want = expected_rows(sc)
    got = actual_rows(sc, columns, rows)
    same = want == got if sc.ordered else Counter(want) == Counter(got)
    if same:
        return ""
    return f"{len(got)} rows {got[:3]!r} where {len(want)} rows {want[:3]!r} are expected"[:600]


def run_scenario(session: Any, store: GraphStore, sc: Scenario, jar: Path) -> Outcome:
    try:
        _reset(store, sc, jar)
    except Exception as exc:  # noqa: BLE001 - the graph could not be built on this engine
        return Outcome(sc.key, sc.folder, "error", f"setup: {type(exc).__name__}: {exc}"[:400])
    try:
        params = {k: parse_param(v) for k, v in sc.params.items()}
        result = session.free_cypher(sc.query, params)
    except (QueryRefused, DialectRefused) as exc:
        return Outcome(sc.key, sc.folder, "refused", str(exc)[:400])
    except Exception as exc:  # noqa: BLE001 - the engine's own error
        if sc.expect == "error":
            return Outcome(sc.key, sc.folder, "passed", f"raised {type(exc).__name__}")
        return Outcome(sc.key, sc.folder, "error", f"{type(exc).__name__}: {exc}"[:400])
    if sc.expect == "error":
        return Outcome(sc.key, sc.folder, "wrong",
                       f"{len(result.rows)} rows where the TCK expects {sc.error}")
    diff = compare(sc, result.columns, result.rows)
    return Outcome(sc.key, sc.folder, "wrong" if diff else "passed", diff)


def run_all(session: Any, store: GraphStore, scenarios: list[Scenario], jar: Path,
            ) -> Report:
    began = time.monotonic()
    report = Report(store.kind)
    for sc in scenarios:
        report.outcomes.append(run_scenario(session, store, sc, jar))
    report.seconds = time.monotonic() - began
    return report


def open_session(store: GraphStore, settings: Any) -> Any:
    """A console session with free Cypher, as an investigator with a stated purpose: the
    TCK measures the engines, so the role's classification (which refuses an analyst's
    untyped reads, `keys()` and computed subscripts: see docs/security.md) stays out of
    the counts; the route (guard, session, dialect, store) is the console's own."""
    from graphfraud.security.roles import Role
    from graphfraud.security.session import Session
    from graphfraud.security.users import User

    return Session(store, settings, User("tck", Role.INVESTIGATOR), row_cap=ROW_CAP,
                   timeout_s=TIMEOUT_S, purpose="openCypher TCK conformance run")


def open_tck_store(kind: str, request: Any) -> GraphStore:
    """The store under test; the embedded one on a graph of its own ("tck")."""
    from dataclasses import replace

    from graphfraud.store import open_store

    if kind == "neo4j":
        return open_store(request.getfixturevalue("neo4j_settings"), "neo4j")
    settings = request.getfixturevalue("embedded_settings")
    return open_store(replace(settings, graph_name="tck"), "embedded")
