"""The checkpoint of an ingest run: rows done per file, so a killed run resumes.

Written after each batch is in the graph (`DIR/.graphfraud/checkpoint-<store>.json`, one per
store), keyed by the content hash of the files read, and replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["Checkpoint", "files_fingerprint"]


class Checkpoint:
    """Rows done per file of an interrupted run, keyed by the file's content hash.

    One per store (a run into Neo4j does not resume from one into the embedded graph).
    A run that completed leaves nothing to resume: the next run starts from row one
    (and, the upserts being idempotent, changes only what changed).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, dict[str, Any]] = {}
        if path.exists():
            try:
                self.data = json.loads(path.read_text())
            except ValueError:
                self.data = {}
        if self.data.get("_run", {}).get("state") != "in_progress":
            self.data = {}
        self.data["_run"] = {"state": "in_progress"}

    def finish(self) -> None:
        self.data = {"_run": {"state": "complete"}}
        self._write()

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.data = {"_run": {"state": "in_progress"}}

    def rows_done(self, name: str, fingerprint: str) -> int:
        entry = self.data.get(name)
        return int(entry["rows_done"]) if entry and entry["fingerprint"] == fingerprint else 0

    def save(self, name: str, fingerprint: str, rows_done: int, complete: bool) -> None:
        self.data[name] = {"fingerprint": fingerprint, "rows_done": rows_done,
                           "complete": complete}
        self._write()

    def _write(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(self.data, indent=1, sort_keys=True))
        os.replace(tmp, self.path)


def files_fingerprint(paths: Iterable[Path]) -> str:
    """The SHA-256 of the files' names and bytes: a checkpoint resumes only the same data."""
    fingerprint = Fingerprint()
    for p in sorted(paths):
        fingerprint.add_file(p)
    return fingerprint.hexdigest()


class Fingerprint:
    """`files_fingerprint` built file by file, in sorted order: from bytes already read
    (`add`: the EMCS reader reads every file of its folder, so no second read for the
    checkpoint) or from the file (`add_file`)."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()

    def add(self, path: Path, data: bytes) -> None:
        self._h.update(path.name.encode())
        self._h.update(data)

    def add_file(self, path: Path) -> None:
        self._h.update(path.name.encode())
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                self._h.update(chunk)

    def hexdigest(self) -> str:
        return self._h.hexdigest()
