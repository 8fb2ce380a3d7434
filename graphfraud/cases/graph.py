"""Cases in the graph store: the I/O edge of case work. Writes use the model's generated
upserts (idempotent MERGE by key), reads the `cypher/cases/` statements."""

from __future__ import annotations

from typing import Any

from graphfraud.cases.model import (
    ABOUT_LABELS,
    Case,
    LinkedFinding,
    Note,
    SavedView,
)
from graphfraud.store.base import GraphStore

PROVENANCE = {"source": "graphfraud case", "legal_basis": "investigation"}


def _prov(case_id: str) -> dict[str, Any]:
    return {**PROVENANCE, "delivery": case_id}


def put_case(store: GraphStore, case: Case) -> None:
    props = {k: v for k, v in case.to_dict().items() if k != "case_id"}
    store.upsert("upsert_case", [{"key": case.case_id, "props": props}],
                 extra=_prov(case.case_id))


def get_case(store: GraphStore, case_id: str) -> Case | None:
    rows = store.run("case_get", {"case_id": case_id})
    return Case.from_row(rows[0]) if rows else None


def list_cases(store: GraphStore, status: str | None = None,
               user: str | None = None) -> list[dict[str, Any]]:
    return store.run("case_list", {"status": status, "user": user})


def case_counts(store: GraphStore) -> dict[str, int]:
    return {str(r["status"]): int(r["cases"]) for r in store.run("case_counts")}


def add_note(store: GraphStore, case_id: str, note: Note) -> None:
    props = {k: v for k, v in note.__dict__.items() if k != "note_id"}
    store.upsert("upsert_note", [{"key": note.note_id, "props": props}], extra=_prov(case_id))
    store.upsert("link_has_note__case_note",
                 [{"start": case_id, "end": note.note_id, "props": {}}], extra=_prov(case_id))


def notes(store: GraphStore, case_id: str) -> list[Note]:
    return [Note.from_row(r) for r in store.run("case_notes", {"case_id": case_id})]


def save_view(store: GraphStore, case_id: str, view: SavedView) -> None:
    props = {"name": view.name, "nodes": view.nodes_json(), "filters": view.filters_json(),
             "author": view.author, "created_at": view.created_at}
    store.upsert("upsert_savedview", [{"key": view.view_id, "props": props}],
                 extra=_prov(case_id))
    store.upsert("link_has_view__case_savedview",
                 [{"start": case_id, "end": view.view_id, "props": {}}], extra=_prov(case_id))


def views(store: GraphStore, case_id: str) -> list[SavedView]:
    return [SavedView.from_row(r) for r in store.run("case_views", {"case_id": case_id})]


def link_finding(store: GraphStore, case_id: str, lf: LinkedFinding) -> str:
    key = f"{case_id}:{lf.run_id}:{lf.finding_id}"
    props = {"finding_id": lf.finding_id, "run_id": lf.run_id, "kind": lf.kind,
             "score": lf.score, "title": lf.title, "document": lf.document_json(),
             "data_hash": lf.data_hash, "linked_at": lf.linked_at, "linked_by": lf.linked_by}
    store.upsert("upsert_casefinding", [{"key": key, "props": props}], extra=_prov(case_id))
    store.upsert("link_has_finding__case_casefinding",
                 [{"start": case_id, "end": key, "props": {}}], extra=_prov(case_id))
    return key


def findings(store: GraphStore, case_id: str) -> list[LinkedFinding]:
    return [LinkedFinding.from_row(r) for r in store.run("case_findings", {"case_id": case_id})]


def link_entities(store: GraphStore, case_id: str, keys: dict[str, list[str]]) -> None:
    """(:Case)-[:ABOUT]->(entity) for each entity that exists (others are skipped by
    the MATCH; a case may name an entity before its delivery arrives)."""
    for label in ABOUT_LABELS:
        rows = [{"start": case_id, "end": k, "props": {}} for k in keys.get(label, [])]
        if rows:
            store.upsert(f"link_about__case_{label.lower()}", rows, extra=_prov(case_id))


def entities(store: GraphStore, case_id: str) -> list[dict[str, Any]]:
    return store.run("case_entities", {"case_id": case_id})
