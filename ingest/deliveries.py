"""What each delivery brought, counted once at the end of an ingest.

The data page shows nodes per label per delivery. Counting that is a scan of the whole
graph (322 ms p95 embedded, 615 ms on Neo4j for a medium world, more as it grows), and it
only changes when something is ingested, so the ingest counts once and keeps the result
on the `(:Delivery)` nodes; the page reads those (`explorer_delivery_counts`).
No clock times are stored: ingesting the same files twice leaves the same graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from graphfraud.store.base import GraphStore

#: labels that are not data a delivery brought
NOT_COUNTED = frozenset({"Delivery", "Finding"})


def count_per_delivery(rows: Iterable[dict]) -> dict[str, dict[str, int]]:
    """delivery -> label -> nodes, from `explorer_nodes_per_delivery` rows."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        if r["label"] not in NOT_COUNTED:
            out[r["delivery"]][r["label"]] = int(r["nodes"])
    return dict(out)


def record_deliveries(store: GraphStore, delivery: str, path: str, files: list[str]) -> int:
    """Recount every delivery's nodes and write them to its Delivery node (this one's
    path and files too). Returns the number of deliveries recorded."""
    counts = count_per_delivery(store.run("explorer_nodes_per_delivery"))
    counts.setdefault(delivery, {})
    for name, per_label in sorted(counts.items()):
        labels = sorted(per_label)
        props: dict[str, object] = {"count_labels": labels,
                                    "count_nodes": [per_label[k] for k in labels]}
        if name == delivery:
            props.update(path=path, files=sorted(files))
        store.upsert("upsert_delivery", [{"key": name, "props": props}],
                     extra={"source": "ingest", "delivery": name, "legal_basis": "derived"})
    return len(counts)
