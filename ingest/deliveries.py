"""What each delivery brought, counted once at the end of an ingest.

The data page shows nodes per label per delivery. Counting that is a scan of the whole
graph (322 ms p95 embedded, 615 ms on Neo4j for a medium world; 1.4–2 s at large), and it
only changes when something is ingested, so the ingest counts once and keeps the result
on the `(:Delivery)` nodes; the page reads those (`explorer_delivery_counts`).
No clock times are stored: ingesting the same files twice leaves the same graph.

An ingest only adds its own delivery to nodes' `deliveries` (the lists only grow, and
nothing but clearing the graph deletes nodes), so the other deliveries' counts stay as
they were and this one's are the nodes its statements wrote, when no earlier run of the
same delivery wrote any: `DeliveryCounter` knows that by the Delivery node, written
before the first row (a run killed part-way leaves it, so the next run scans). Otherwise,
or when a delivery is too large to keep its keys, every delivery is counted by the scan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from graphfraud.model.loadgen import upsert_name
from graphfraud.model.operations import Write
from graphfraud.model.schema import NODE_TYPES
from graphfraud.store.base import GraphStore, StoreError
from graphfraud.store.statements import statement_name

#: labels that are not data a delivery brought
NOT_COUNTED = frozenset({"Delivery", "Finding"})
#: node keys kept per run at most (~100 B each); a larger delivery is counted by the scan
MAX_KEYS = 1_000_000
_LABEL_OF = {upsert_name(nt.label): nt.label for nt in NODE_TYPES
             if nt.label not in NOT_COUNTED}
_PROVENANCE = {"source": "ingest", "legal_basis": "derived"}


def count_per_delivery(rows: Iterable[dict]) -> dict[str, dict[str, int]]:
    """delivery -> label -> nodes, from `explorer_nodes_per_delivery` rows."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        if r["label"] not in NOT_COUNTED:
            out[r["delivery"]][r["label"]] = int(r["nodes"])
    return dict(out)


class DeliveryCounter:
    """The keys of the nodes one run writes, per label (see the module docstring);
    `exact` says whether they are this delivery's count."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.keys: dict[str, set[Any]] = defaultdict(set)
        self._kept = 0

    def note(self, items: list[tuple[Write | str, list[Mapping[str, Any]]]],
             extra: Mapping[str, Any] | None, delivery: str) -> None:
        if not self.exact or (extra or {}).get("delivery") != delivery:
            return
        for write, rows in items:  # a typed write, or a statement's name
            label = _LABEL_OF.get(statement_name(write))
            if label is not None:
                keys = self.keys[label]
                before = len(keys)
                keys.update(r["key"] for r in rows)
                self._kept += len(keys) - before
        if self._kept > MAX_KEYS:
            self.exact, self.keys = False, defaultdict(set)

    def counts(self) -> dict[str, int]:
        return {label: len(keys) for label, keys in self.keys.items() if keys}


@contextmanager
def counting(store: GraphStore, delivery: str) -> Iterator[DeliveryCounter]:
    """Count what this run writes (the store's `upsert_many`, seen on the way), when it
    is the first run of `delivery` and every other delivery already has its counts."""
    try:
        state = store.run("delivery_state", {"delivery": delivery})[0]
    except StoreError:  # a store that answers only the ingest's own reads: scan
        yield DeliveryCounter(exact=False)
        return
    counter = DeliveryCounter(exact=not state["known"] and not state["uncounted"])
    if not counter.exact:
        yield counter
        return
    store.upsert("upsert_delivery", [{"key": delivery, "props": {}}],
                 extra={**_PROVENANCE, "delivery": delivery})
    send = store.upsert_many

    def upsert_many(items, extra=None):  # noqa: ANN001, ANN202 - the method's own
        items = [(name, rows if isinstance(rows, list) else list(rows))
                 for name, rows in items]
        counter.note(items, extra, delivery)
        return send(items, extra)

    store.upsert_many = upsert_many  # type: ignore[method-assign]
    try:
        yield counter
    finally:
        del store.upsert_many


def record_deliveries(store: GraphStore, delivery: str, path: str, files: list[str],
                      counter: DeliveryCounter | None = None) -> int:
    """Write this delivery's counts, path and files to its Delivery node: counted from
    what it wrote when `counter` is exact, else every delivery recounted by the scan.
    Returns the number of deliveries recorded."""
    if counter is not None and counter.exact:
        counts = {delivery: counter.counts()}
    else:
        counts = count_per_delivery(store.run("explorer_nodes_per_delivery"))
        counts.setdefault(delivery, {})
    for name, per_label in sorted(counts.items()):
        labels = sorted(per_label)
        props: dict[str, object] = {"count_labels": labels,
                                    "count_nodes": [per_label[k] for k in labels]}
        if name == delivery:
            props.update(path=path, files=sorted(files))
        store.upsert("upsert_delivery", [{"key": name, "props": props}],
                     extra={**_PROVENANCE, "delivery": name})
    return len(counts)
