"""Where entity resolution keeps its index and results between ingests: two files per
database in the GraphFraud home's cache folder (owner-only, like the graph beside it).

The values and their keys are `graphfraud.resolve.kept`'s; this module only reads and
writes them. A file that is missing, of another digest, unreadable or damaged is a miss
(the caller builds and writes it again), never an error: the cache can only make an
ingest faster, not change its result. Writes go to a temporary file renamed over the old
one, so a killed ingest leaves the old file or the new one.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

FORMAT = 1
#: the home's folder the CLI's ingest keeps it in
FOLDER = "cache"


def cache_dir_of(store: Any) -> Path | None:
    """The cache folder of the home of a store GraphFraud runs itself (the embedded
    server: `FalkorDBStore.home`), where `graphfraud ingest` keeps it; None otherwise."""
    home = getattr(store, "home", None)
    found = home() if callable(home) else None
    return found / FOLDER if found is not None else None


class ResolutionCache:
    """The kept index (`index-<db>.bin`, written when the traders change) and the results
    per mention (`results-<db>.bin`, written when the mentions change) of one database."""

    def __init__(self, directory: Path, identity: str) -> None:
        self.directory = directory
        self.identity = identity

    def _path(self, kind: str) -> Path:
        return self.directory / f"er-{kind}-{self.identity}.bin"

    def _load(self, kind: str, digest: str) -> Any | None:
        try:
            with open(self._path(kind), "rb") as fh:
                kept = marshal.load(fh)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not (isinstance(kept, tuple) and len(kept) == 3 and kept[0] == FORMAT
                and kept[1] == digest):
            return None
        return kept[2]

    def _save(self, kind: str, digest: str, value: Any) -> None:
        path = self._path(kind)
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                marshal.dump((FORMAT, digest, value), fh)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written only costs the next ingest its time

    def index(self, digest: str) -> Any | None:
        return self._load("index", digest)

    def save_index(self, digest: str, plain: Any) -> None:
        self._save("index", digest, plain)

    def results(self, digest: str) -> dict[Any, Any]:
        kept = self._load("results", digest)
        return kept if isinstance(kept, dict) else {}

    def save_results(self, digest: str, results: dict[Any, Any]) -> None:
        self._save("results", digest, results)
