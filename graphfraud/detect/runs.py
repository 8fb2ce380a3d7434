"""Detect runs on disk: every run's findings and metadata under `GRAPHFRAUD_HOME/runs/`.

Layout: `runs/<run_id>/findings.json` (the data contract's output, plus `run`),
`runs/<run_id>/decisions.jsonl` is not here (decisions live with the audit log), and
`runs/latest` holds the id of the newest run. The UI and `graphfraud evaluate` read runs
through these functions only, as `records.FindingsDocument`.

One source of truth: the run file is the record of a run. It is reproducible (same data
and weights, same bytes but for the volatile run keys), carries the data's hash, and is
what a report or a case cites. The graph's (:Finding) nodes are a derived index, written
from the same records by `runner.write_back` and carrying the run id: they say which
findings touch a node (for Cypher and the explorer), and every finding detail the
workbench shows — title, score, reasons, subjects — is read from the run file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from graphfraud.config import Settings
from graphfraud.detect.records import FindingsDocument, RunInfo


def runs_dir(settings: Settings) -> Path:
    return settings.home / "runs"


def save_run(settings: Settings, document: FindingsDocument) -> Path:
    """Write a run's findings document and mark it the latest; returns its path."""
    run_id = str(document.run.run_id)
    folder = runs_dir(settings) / run_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "findings.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(document.to_json())
    os.replace(tmp, path)
    latest = runs_dir(settings) / "latest"
    latest.write_text(run_id + "\n")
    return path


def read_run_file(path: Path) -> FindingsDocument:
    """A run file as its records (files written by earlier versions load too)."""
    return FindingsDocument.from_json(Path(path).read_text())


def load_run(settings: Settings, run_id: str) -> FindingsDocument:
    return read_run_file(runs_dir(settings) / run_id / "findings.json")


def latest_run(settings: Settings) -> FindingsDocument | None:
    """The newest run's findings document, or None before the first `graphfraud detect`."""
    marker = runs_dir(settings) / "latest"
    if not marker.exists():
        return None
    run_id = marker.read_text().strip()
    try:
        return load_run(settings, run_id)
    except FileNotFoundError:
        return None


def list_runs(settings: Settings) -> list[RunInfo]:
    """Metadata of every stored run, newest first."""
    out = []
    for path in runs_dir(settings).glob("*/findings.json"):
        try:
            out.append(RunInfo.from_dict(json.loads(path.read_text())["run"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return sorted(out, key=lambda r: r.started_at or "", reverse=True)
