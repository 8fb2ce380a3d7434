"""Detect runs on disk: every run's findings and metadata under `GRAPHFRAUD_HOME/runs/`.

Layout: `runs/<run_id>/findings.json` (the data contract's output, plus `run`),
`runs/<run_id>/decisions.jsonl` is not here (decisions live with the audit log), and
`runs/latest` holds the id of the newest run. The UI and `graphfraud evaluate` read runs
through these functions only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from graphfraud.config import Settings


def runs_dir(settings: Settings) -> Path:
    return settings.home / "runs"


def save_run(settings: Settings, document: dict[str, Any]) -> Path:
    """Write a run's findings document and mark it the latest; returns its path."""
    run_id = document["run"]["run_id"]
    folder = runs_dir(settings) / run_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "findings.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False))
    os.replace(tmp, path)
    latest = runs_dir(settings) / "latest"
    latest.write_text(run_id + "\n")
    return path


def load_run(settings: Settings, run_id: str) -> dict[str, Any]:
    return json.loads((runs_dir(settings) / run_id / "findings.json").read_text())


def latest_run(settings: Settings) -> dict[str, Any] | None:
    """The newest run's findings document, or None before the first `graphfraud detect`."""
    marker = runs_dir(settings) / "latest"
    if not marker.exists():
        return None
    run_id = marker.read_text().strip()
    try:
        return load_run(settings, run_id)
    except FileNotFoundError:
        return None


def list_runs(settings: Settings) -> list[dict[str, Any]]:
    """Metadata of every stored run, newest first."""
    out = []
    for path in runs_dir(settings).glob("*/findings.json"):
        try:
            out.append(json.loads(path.read_text())["run"])
        except (ValueError, KeyError):
            continue
    return sorted(out, key=lambda r: r.get("started_at", ""), reverse=True)
