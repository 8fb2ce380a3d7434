"""One query cannot take a store down (issue #16), on both stores.

Each hostile family (nested, padded, filled, doubled, cartesian, huge UNWIND) is refused
by the guard or stopped within its time-out + 20 %; meanwhile a simple query from
another user answers within 2 s each time, and afterwards the server answers again."""

from __future__ import annotations

import threading
import time

import pytest

from graphfraud.security.guard import check_read_only
from graphfraud.store.base import QueryTimedOut, StoreError

TIMEOUT_S = 4.0
PROBES = 600  # nodes: a three-way cartesian product is 2.2e8 rows, which never finishes

HOSTILE: list[tuple[str, str]] = [
    ("nested", "RETURN " + "(" * 30 + "1" + ")" * 30),
    ("nested", "RETURN " + "NOT " * 30 + "true"),
    ("padded", "RETURN size(apoc.text.lpad('', 1500000000, 'x'))"),
    ("padded", "RETURN size(apoc.text.rpad('', 1500000000, 'x'))"),
    ("filled", "RETURN size(apoc.coll.fill('x', 400000000))"),
    ("doubled", "RETURN size(reduce(s = 'x', i IN range(1, 30) | s + s))"),
    ("doubled", "RETURN size(reduce(l = [1], i IN range(1, 40) | l + l))"),
    ("cartesian", "MATCH (a), (b) RETURN a.name, b.name"),
    ("cartesian", "MATCH (a), (b), (c) RETURN count(*)"),
    ("cartesian", "MATCH (a), (b), (c) RETURN a.name, b.name, c.name ORDER BY a.name + b.name"),
    ("cartesian", "MATCH (a), (b), (c) RETURN collect(a.name + b.name + c.name)[0]"),
    ("huge unwind", "UNWIND range(1, 10000000) AS x RETURN x"),
    ("huge unwind", "UNWIND range(1, 1000000) AS x UNWIND range(1, 1000000) AS y "
                    "RETURN count(*)"),
]


class Prober:
    """Another user's simple query, asked again and again while the hostile one runs."""

    def __init__(self, store) -> None:
        self.store = store
        self.worst = 0.0
        self.answers = 0
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            began = time.monotonic()
            try:
                rows = self.store.read_cypher("MATCH (n:Probe) RETURN count(n) AS c",
                                              timeout_s=10).rows
                assert rows == [{"c": PROBES}]
                self.answers += 1
            except Exception as exc:  # noqa: BLE001 - reported by the test
                self.errors.append(f"{type(exc).__name__}: {exc}")
            self.worst = max(self.worst, time.monotonic() - began)
            time.sleep(0.2)

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=15)


@pytest.fixture
def probed_store(store):
    store._write("UNWIND range(1, $n) AS i CREATE (:Probe {name: toString(i)})",
                 {"n": PROBES}, None)
    return store


def _server_pid(store, request) -> int | None:
    """The pid of the server behind `store` (GraphFraud runs both in the tests)."""
    from graphfraud.servers import falkordb_local, neo4j_local
    from graphfraud.servers.process import read_pid

    if store.kind == "neo4j":
        settings = request.getfixturevalue("neo4j_settings")
        return neo4j_local.running_pid(settings) if settings.uses_local_neo4j else None
    settings = request.getfixturevalue("embedded_settings")
    return read_pid(falkordb_local.paths_for(settings).pidfile)


def test_each_hostile_query_is_refused_or_stopped_in_time(probed_store, request):
    from graphfraud.servers.process import pid_alive

    store = probed_store
    pid = _server_pid(store, request)
    outcomes: list[tuple[str, str, str, float]] = []
    with Prober(store) as prober:
        for family, query in HOSTILE:
            verdict = check_read_only(query)
            if not verdict.allowed:
                outcomes.append((family, query[:40], "refused", 0.0))
                continue
            began = time.monotonic()
            try:
                res = store.read_cypher(query, row_cap=1000, timeout_s=TIMEOUT_S)
                outcome = f"answered {len(res.rows)} rows" + (" (cut)" if res.truncated else "")
                assert len(res.rows) <= 1000
            except QueryTimedOut as exc:
                outcome = "timed out"
                assert "time-out" in str(exc)
            except StoreError as exc:  # e.g. over the engine's memory limit: said plainly
                outcome = f"stopped: {exc}"
                assert "Traceback" not in str(exc)
            took = time.monotonic() - began
            outcomes.append((family, query[:40], outcome, took))
            assert took <= TIMEOUT_S * 1.2, (family, query, outcome, took)
    for family, query, outcome, took in outcomes:  # shown with -s: the figures of the note
        print(f"{store.kind:9} {family:12} {took:5.2f} s  {outcome[:60]:60} {query}")
    print(f"{store.kind:9} concurrent probe: {prober.answers} answers, worst {prober.worst:.2f} s")
    assert not prober.errors, prober.errors
    assert prober.answers >= 5 and prober.worst < 2.0, (prober.worst, outcomes)
    families = {f for f, *_ in outcomes}
    assert families == {"nested", "padded", "filled", "doubled", "cartesian", "huge unwind"}
    # the guard refuses the allocators; the engine stops the products by their time-out
    assert {o for f, _q, o, _t in outcomes if f in ("padded", "filled", "doubled",
                                                     "nested")} == {"refused"}
    assert any(o == "timed out" for f, _q, o, _t in outcomes if f == "cartesian")
    assert store.health()["ok"]
    assert store.read_cypher("RETURN 1 AS one").rows == [{"one": 1}]
    if pid is not None:  # the same server process, alive: nothing was restarted
        assert pid_alive(pid) and _server_pid(store, request) == pid


def test_the_row_cap_is_a_limit_in_the_query(probed_store):
    """Ten million rows asked for, a thousand shown: the engine stops at 1,001 (it took
    50 s and 2.9 GB in the client when the cap was applied after fetching)."""
    began = time.monotonic()
    res = probed_store.read_cypher("MATCH (a), (b) RETURN a.name AS a, b.name AS b",
                                   row_cap=1000, timeout_s=TIMEOUT_S)
    assert len(res.rows) == 1000 and res.truncated
    assert time.monotonic() - began < 2.0
    small = probed_store.read_cypher("MATCH (a:Probe) RETURN a.name AS n LIMIT 5",
                                     row_cap=1000)
    assert len(small.rows) == 5 and not small.truncated
    union = probed_store.read_cypher("MATCH (a:Probe) RETURN a.name AS n UNION ALL "
                                     "MATCH (b:Probe) RETURN b.name AS n", row_cap=10)
    assert len(union.rows) == 10 and union.truncated


def test_a_time_out_is_met_within_twenty_percent(probed_store):
    for seconds in (2.0, 6.0):
        began = time.monotonic()
        with pytest.raises(QueryTimedOut, match="time-out"):
            probed_store.read_cypher("MATCH (a), (b), (c) RETURN count(*)",
                                     timeout_s=seconds)
        took = time.monotonic() - began
        assert took <= seconds * 1.2, took
    assert probed_store.read_cypher("RETURN 2 AS two").rows == [{"two": 2}]


def test_cancel_ends_a_running_query(probed_store):
    """The API a UI's stop button calls: `read_cypher(query_id=...)`, then `cancel`."""
    store = probed_store
    box: dict[str, object] = {}

    timeout = 60.0 if store.kind == "neo4j" else 6.0

    def run() -> None:
        began = time.monotonic()
        try:
            store.read_cypher("MATCH (a), (b), (c) RETURN count(*)", timeout_s=timeout,
                              query_id="gf-test-cancel")
        except StoreError as exc:
            box["error"] = exc
        box["took"] = time.monotonic() - began

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(1.5)
    ended = store.cancel("gf-test-cancel")
    worker.join(timeout=30)
    if store.kind == "neo4j":  # ends at the engine at once
        assert ended is True
        assert isinstance(box["error"], QueryTimedOut) and box["took"] < 5
    else:  # the embedded engine cannot end one query; its workers answer, so no restart
        assert ended is False
        assert isinstance(box["error"], QueryTimedOut) and box["took"] < timeout * 1.2
    assert store.cancel("no-such-query") is False
