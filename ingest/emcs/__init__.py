"""EMCS phase-4 XML messages: safe parsing (`safe`), XSD validation (`schema`), reading
by local name (`messages`, `read`), folding follow-ups across deliveries (`fold`) and the
ingest source (`loader`). The invented `urn:graphfraud:emcs:1` shape is no longer read."""

from __future__ import annotations

from pathlib import Path

from graphfraud.ingest.emcs.fold import MOVEMENT_COLUMNS, fold
from graphfraud.ingest.emcs.read import read_folder


def read_movement_rows(*folders: Path) -> list[dict[str, str]]:
    """The movements.csv rows the messages in these folders fold to (contract columns)."""
    messages = [m for folder in folders for f in read_folder(folder) for m in f.messages]
    return [{c: r[c] for c in MOVEMENT_COLUMNS} for r in fold(messages).rows]
