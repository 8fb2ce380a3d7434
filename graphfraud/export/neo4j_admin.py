"""`neo4j-admin database import` files from a dataset directory: the bulk path for an
initial national load into Neo4j.

The dataset goes through the ingest pipeline into the in-memory store
(`graphfraud.store.memory.CollectingStore`, the load statements' semantics in memory);
the collected graph is then written as one CSV per label and one per relationship type
and pair of end labels, with typed headers (`prop:long`, `prop:string[]`, …) and one ID
space per label keyed on the model key (`trader_id:ID(Trader)`), so
`neo4j-admin database import full` builds the graph `ingest` would have built. Apply the
schema afterwards (start the server and run `graphfraud schema`): the import makes no
constraints.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from graphfraud.store.memory import CollectingStore
from graphfraud.store.neo4j_import import absolute_args, column_types, write_import_csv

__all__ = ["column_types", "copy_dataset", "export_import_csv", "write_import_csv"]


def export_import_csv(dataset_dir: Path, out_dir: Path) -> dict[str, Any]:
    """Write `neo4j-admin database import` CSVs for the dataset in `dataset_dir` into
    `out_dir`; the graph is the one `graphfraud ingest` makes of the same files.

    Returns a summary: node and relationship counts per label/type, the files written,
    the arguments to pass to `neo4j-admin database import full` (run it with `out_dir`
    as the working directory, or prefix the file names), and the seconds spent parsing
    (the ingest pipeline) and writing. Also writes `out_dir/import.args`, one argument a
    line, usable as `neo4j-admin database import full @import.args neo4j`.
    """
    from graphfraud.ingest.run import ingest_directory, quiet_gc

    dataset_dir, out_dir = Path(dataset_dir).resolve(), Path(out_dir).resolve()
    began = time.perf_counter()
    store = CollectingStore()
    report = ingest_directory(store, dataset_dir, restart=True, batch_size=5000)
    parsed = time.perf_counter()
    with quiet_gc():  # millions of cells: see quiet_gc
        files = write_import_csv(store, out_dir)
    written = time.perf_counter()
    counts = store.counts()
    (out_dir / "import.args").write_text(
        "\n".join(absolute_args(files["admin_args"], out_dir)) + "\n", encoding="utf-8")
    return {
        "dataset": str(dataset_dir),
        "out_dir": str(out_dir),
        **counts,
        "node_total": sum(counts["nodes"].values()),
        "relationship_total": sum(counts["relationships"].values()),
        "quarantined": sum(f.quarantined for f in report.files),
        "resolution": report.resolution,
        **files,
        "parse_seconds": round(parsed - began, 3),
        "write_seconds": round(written - parsed, 3),
    }


def copy_dataset(src: Path, dst: Path) -> Path:
    """A clean copy of a dataset directory (without a previous run's `.graphfraud/`)."""
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".graphfraud"))
    return dst
