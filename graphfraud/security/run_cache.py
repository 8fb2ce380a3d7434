"""The latest detect run, parsed once per file version: every page rerun asks for it
(findings, risk badges, timeline, maps) and parsing the medium world's 1 MB findings file
took ~60 ms each time (issue 18's benchmark). A version is the file's path, size and
modification time, so a new `graphfraud detect` is seen on the next request.

The documents handed out are shared frozen records (`FindingsDocument`); `redact_findings`
makes new ones."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from graphfraud.config import Settings
from graphfraud.detect.records import FindingsDocument
from graphfraud.detect.runs import read_run_file, runs_dir

RunVersion = tuple[str, int, int]  # path, size, mtime_ns
T = TypeVar("T")

_lock = threading.Lock()
_parsed: dict[str, tuple[RunVersion, FindingsDocument]] = {}


def run_version(settings: Settings) -> RunVersion | None:
    """The latest run's findings file as (path, size, mtime_ns); None before any run."""
    marker = runs_dir(settings) / "latest"
    try:
        path = runs_dir(settings) / marker.read_text().strip() / "findings.json"
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return str(path), st.st_size, st.st_mtime_ns


def latest_run(settings: Settings) -> FindingsDocument | None:
    """The newest run's findings document (shared), or None before a run."""
    version = run_version(settings)
    if version is None:
        return None
    home = str(settings.home)
    with _lock:
        kept = _parsed.get(home)
        if kept is not None and kept[0] == version:
            return kept[1]
    try:
        doc = read_run_file(Path(version[0]))
    except FileNotFoundError:
        return None
    with _lock:
        _parsed[home] = (version, doc)
    return doc


_derived: dict[tuple[Any, ...], Any] = {}
DERIVED_KEPT = 32  # (what, role) pairs per run version: a handful in practice


def derived(settings: Settings, what: str, role: str, make: Callable[[], T]) -> T:
    """`make()` kept per latest-run version, home, `what` and role: the redacted
    document and the risk per entity a role gets from it (the UI builds a new Session
    on every page run, so a cache on the Session would last one run only). Shared and
    read-only, as the documents are."""
    key = (str(settings.home), run_version(settings), what, role)
    with _lock:
        if key in _derived:
            return _derived[key]
    value = make()
    with _lock:
        if len(_derived) >= DERIVED_KEPT:
            _derived.clear()
        _derived[key] = value
    return value
