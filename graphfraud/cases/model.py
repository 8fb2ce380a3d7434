"""The case records and the status workflow, as plain data (no I/O).

A case moves open → investigating → handed_over (to the public prosecutor) → closed;
every change needs a reason, kept as a status note. A handed-over case may come back
(investigating), a closed one may be reopened; nothing else skips a step but closing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from graphfraud.detect.records import Finding, RunInfo

STATUSES = ("open", "investigating", "handed_over", "closed")
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"investigating", "closed"}),
    "investigating": frozenset({"handed_over", "closed"}),
    "handed_over": frozenset({"closed", "investigating"}),
    "closed": frozenset({"investigating"}),
}
#: the entity labels a case can be about (the labels a finding concerns)
ABOUT_LABELS = ("Trader", "Person", "Premise", "Address", "Movement", "Machine")


class CaseError(ValueError):
    """A case change that the workflow or the case's membership does not allow."""


def check_transition(current: str, new: str, reason: str) -> None:
    """Raise `CaseError` unless `current` → `new` is allowed and has a reason."""
    if new not in STATUSES:
        raise CaseError(f"unknown status {new!r}; statuses: {', '.join(STATUSES)}")
    if new not in TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "none"
        raise CaseError(f"a case that is {current!r} cannot become {new!r} (allowed: {allowed})")
    if not (reason or "").strip():
        raise CaseError(f"changing a case to {new!r} needs a reason")


@dataclass
class Case:
    case_id: str
    reference: str
    title: str
    status: str
    owner: str
    members: list[str] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    created_by: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Case:
        return cls(**{k: row.get(k) or ([] if k == "members" else "")
                      for k in cls.__dataclass_fields__})

    def may_work(self, username: str) -> bool:
        return username == self.owner or username in self.members

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Note:
    note_id: str
    kind: str  # note | status
    text: str
    author: str
    created_at: str
    target: str = ""  # "" (the case), "Label:key" (an entity) or "TYPE:id" (a link)
    from_status: str = ""
    to_status: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Note:
        return cls(**{k: row.get(k) or "" for k in cls.__dataclass_fields__})


@dataclass
class ViewNode:
    """One node of a saved view: its internal id, label and key, and where it was drawn."""

    id: str
    label: str
    key: str
    x: float
    y: float


@dataclass
class SavedView:
    view_id: str
    name: str
    nodes: list[ViewNode]
    filters: dict[str, Any]
    author: str = ""
    created_at: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SavedView:
        nodes = [ViewNode(**n) for n in json.loads(row.get("nodes") or "[]")]
        return cls(str(row["view_id"]), str(row.get("name") or ""), nodes,
                   json.loads(row.get("filters") or "{}"), str(row.get("author") or ""),
                   str(row.get("created_at") or ""))

    def nodes_json(self) -> str:
        return json.dumps([asdict(n) for n in self.nodes], sort_keys=True)

    def filters_json(self) -> str:
        return json.dumps(self.filters, sort_keys=True)

    def keys_by_label(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for n in self.nodes:
            out.setdefault(n.label, []).append(n.key)
        return out


@dataclass
class LinkedFinding:
    """A finding as its run gave it (the run file's record) and the run's metadata
    without its changes: a later run replaces the graph's (:Finding) index, never the
    case's copy."""

    finding_id: str
    run_id: str
    kind: str
    score: float
    title: str
    finding: Finding
    run: RunInfo
    linked_at: str = ""
    linked_by: str = ""

    @property
    def data_hash(self) -> str:
        return str(self.run.data_hash or "")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LinkedFinding:
        doc = json.loads(row.get("document") or "{}")
        return cls(str(row["finding_id"]), str(row.get("run_id") or ""),
                   str(row.get("kind") or ""), float(row.get("score") or 0.0),
                   str(row.get("title") or ""), Finding.from_dict(doc.get("finding") or {}),
                   RunInfo.from_dict(doc.get("run") or {}),
                   str(row.get("linked_at") or ""), str(row.get("linked_by") or ""))

    def document_json(self) -> str:
        return json.dumps({"finding": self.finding.to_dict(), "run": self.run.to_dict()},
                          sort_keys=True, ensure_ascii=False)


#: a case links at most this many entities of each subject list (like the write-back)
LINKED_CAP = 100


def subjects_of(finding: Finding) -> dict[str, list[str]]:
    """Label -> keys of the entities a finding concerns (capped like the write-back)."""
    return {label: keys[:LINKED_CAP] for label, keys in finding.subject_keys().items()}
