"""The records a detect run keeps: its findings with their reasons, and the run itself.

These are the data contract's output (`findings.json`, docs/data-contract.md) as typed,
frozen records, used from the runner to the UI. `to_dict()` gives the document's JSON
objects key for key and in the same order, and `from_dict()` reads them back without
changing a value's type, so `from_dict(json.loads(text)).to_json() == text` for every run
file: the on-disk format is the contract, these classes only stop it being an untyped dict.
Keys a record does not know are kept in `extra` and written back after the known ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

#: the subject lists of a finding, in the order the contract writes them
SUBJECT_KEYS = ("traders", "persons", "premises", "addresses", "movements", "machines")
#: subject list -> node label (the (:Finding)-[:CONCERNS]-> targets)
SUBJECT_LABELS: dict[str, str] = {
    "traders": "Trader", "persons": "Person", "premises": "Premise",
    "addresses": "Address", "movements": "Movement", "machines": "Machine",
}


def _extra(d: Mapping[str, Any], known: Iterable[str]) -> dict[str, Any]:
    names = set(known)
    return {k: v for k, v in d.items() if k not in names}


@dataclass(frozen=True)
class Reason:
    """A signal that fired: its weight (from `weights.yaml`), its evidence and the
    "Label:key" refs of the nodes behind it (e.g. "Seizure:S-1"). `part` is how much it
    raised its finding's score at its turn; 0 until the finding is recorded."""

    signal: str
    weight: float
    evidence: str
    refs: tuple[str, ...] = ()
    part: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"signal": self.signal, "weight": self.weight, "part": self.part,
                "evidence": self.evidence, "refs": list(self.refs)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Reason:
        return cls(d.get("signal", ""), d.get("weight", 0.0), d.get("evidence", ""),
                   tuple(d.get("refs") or ()), d.get("part", 0.0))


_FINDING_KEYS = ("id", "kind", "rank", "score", "primary", "title", "subjects", "location",
                 "reasons")


@dataclass(frozen=True)
class Finding:
    """One ranked finding of a run: `rank` is its place within its kind (1 = highest),
    `subjects` the ids it concerns per subject list, `location` where the map puts it."""

    id: str
    kind: str
    rank: int
    score: float
    primary: str  # "Label:key" of what the finding is about
    title: str
    subjects: dict[str, tuple[str, ...]] = field(default_factory=dict)
    location: dict[str, Any] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def subject_ids(self, key: str) -> tuple[str, ...]:
        """The ids of one subject list ("traders", "persons"…), empty when it has none."""
        return tuple(self.subjects.get(key) or ())

    def subject_keys(self) -> dict[str, list[str]]:
        """{label: [keys]} of the subjects, only the labels that have some."""
        return {SUBJECT_LABELS[k]: [str(x) for x in self.subject_ids(k)]
                for k in SUBJECT_KEYS if self.subject_ids(k)}

    @property
    def municipality(self) -> str | None:
        return self.location.get("municipality")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "rank": self.rank, "score": self.score,
                "primary": self.primary, "title": self.title,
                "subjects": {k: list(v) for k, v in self.subjects.items()},
                "location": dict(self.location),
                "reasons": [r.to_dict() for r in self.reasons], **self.extra}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        subjects = d.get("subjects") or {}
        return cls(d.get("id", ""), d.get("kind", ""), d.get("rank", 0), d.get("score", 0.0),
                   d.get("primary", ""), d.get("title", ""),
                   {k: tuple(v or ()) for k, v in subjects.items()},
                   dict(d.get("location") or {}),
                   tuple(Reason.from_dict(r) for r in d.get("reasons") or ()),
                   _extra(d, _FINDING_KEYS))


@dataclass(frozen=True)
class Parameters:
    """What a run was asked: the kinds, at most `top` findings per kind (None: all), and
    the hash of the weights file it scored with."""

    kinds: tuple[str, ...] = ()
    top: int | None = None
    weights_sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kinds": list(self.kinds), "top": self.top,
                "weights_sha256": self.weights_sha256, **self.extra}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Parameters:
        return cls(tuple(d.get("kinds") or ()), d.get("top"), d.get("weights_sha256", ""),
                   _extra(d, ("kinds", "top", "weights_sha256")))


@dataclass(frozen=True)
class Change:
    """A finding new in this run, or gone since the previous one, with its score then."""

    id: str
    kind: str | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "score": self.score}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Change:
        return cls(d.get("id", ""), d.get("kind"), d.get("score", 0.0))


@dataclass(frozen=True)
class Rise:
    """A finding whose score rose past the threshold: from below it to at least it."""

    id: str
    kind: str | None
    from_score: float
    to_score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "from": self.from_score, "to": self.to_score}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Rise:
        return cls(d.get("id", ""), d.get("kind"), d.get("from", 0.0), d.get("to", 0.0))


@dataclass(frozen=True)
class Changes:
    """What changed since the previous run (`graphfraud.detect.changes`)."""

    previous_run: str | None = None
    threshold: float = 0.5
    new: tuple[Change, ...] = ()
    risen: tuple[Rise, ...] = ()
    disappeared: tuple[Change, ...] = ()

    def ids(self, *rules: str) -> set[str]:
        """The finding ids under the named rules ("new", "risen", "disappeared")."""
        return {c.id for rule in rules for c in getattr(self, rule)}

    def to_dict(self) -> dict[str, Any]:
        return {"previous_run": self.previous_run, "threshold": self.threshold,
                "new": [c.to_dict() for c in self.new],
                "risen": [c.to_dict() for c in self.risen],
                "disappeared": [c.to_dict() for c in self.disappeared]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Changes:
        return cls(d.get("previous_run"), d.get("threshold", 0.5),
                   tuple(Change.from_dict(c) for c in d.get("new") or ()),
                   tuple(Rise.from_dict(c) for c in d.get("risen") or ()),
                   tuple(Change.from_dict(c) for c in d.get("disappeared") or ()))


#: the run keys that differ between two runs of the same data: None here means "not in
#: the document" (the reproducible part leaves them out)
VOLATILE_RUN_KEYS = ("run_id", "started_at", "seconds", "query_seconds", "detector_seconds",
                     "store", "changes")
_RUN_KEYS = ("graphfraud_version", "detector_versions", "parameters", "seeds", "data_hash",
             "community_engine", "run_id", "store", "started_at", "query_seconds",
             "detector_seconds", "changes", "seconds")


@dataclass(frozen=True)
class RunInfo:
    """The `run` block: what made the findings (versions, parameters, seeds, the data's
    hash) and, once run, its id, store, start, timings and changes. The volatile fields
    are None until the runner sets them, and are then written in the contract's order."""

    graphfraud_version: str = ""
    detector_versions: dict[str, str] = field(default_factory=dict)
    parameters: Parameters = field(default_factory=Parameters)
    seeds: dict[str, int] = field(default_factory=dict)
    data_hash: str = ""
    community_engine: str | None = None
    run_id: str | None = None
    store: str | None = None
    started_at: str | None = None
    query_seconds: dict[str, float] | None = None
    detector_seconds: dict[str, float] | None = None
    changes: Changes | None = None
    seconds: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def reproducible(self) -> RunInfo:
        """Without the wall-clock and per-run keys: what two runs of the same data share."""
        return replace(self, **dict.fromkeys(VOLATILE_RUN_KEYS))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "graphfraud_version": self.graphfraud_version,
            "detector_versions": dict(self.detector_versions),
            "parameters": self.parameters.to_dict(), "seeds": dict(self.seeds),
            "data_hash": self.data_hash, "community_engine": self.community_engine}
        volatile = {"run_id": self.run_id, "store": self.store, "started_at": self.started_at,
                    "query_seconds": self.query_seconds,
                    "detector_seconds": self.detector_seconds,
                    "changes": None if self.changes is None else self.changes.to_dict(),
                    "seconds": self.seconds}
        out.update({k: v for k, v in volatile.items() if v is not None})
        return {**out, **self.extra}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RunInfo:
        changes = d.get("changes")
        return cls(d.get("graphfraud_version", ""), dict(d.get("detector_versions") or {}),
                   Parameters.from_dict(d.get("parameters") or {}), dict(d.get("seeds") or {}),
                   d.get("data_hash", ""), d.get("community_engine"), d.get("run_id"),
                   d.get("store"), d.get("started_at"), d.get("query_seconds"),
                   d.get("detector_seconds"),
                   None if changes is None else Changes.from_dict(changes), d.get("seconds"),
                   _extra(d, _RUN_KEYS))


@dataclass(frozen=True)
class FindingsDocument:
    """A run's whole output: the dataset, the date the data runs to ('now' for the
    detectors), the run and its findings (highest score first)."""

    dataset: str = ""
    generated_at: str | None = None
    run: RunInfo = field(default_factory=RunInfo)
    findings: tuple[Finding, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id, or None when the run has none."""
        return next((f for f in self.findings if f.id == str(finding_id)), None)

    def by_rank(self) -> list[Finding]:
        """The findings by rank within kind, then highest score (the workbench's order)."""
        return sorted(self.findings, key=lambda f: (f.rank, -float(f.score or 0)))

    def reproducible(self) -> FindingsDocument:
        """The document without wall-clock and per-run keys: what must be byte-identical."""
        return replace(self, run=self.run.reproducible())

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "generated_at": self.generated_at,
                "run": self.run.to_dict(), "findings": [f.to_dict() for f in self.findings],
                **self.extra}

    def to_json(self) -> str:
        """The run file's text (and `graphfraud detect --format json`'s)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=False, ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FindingsDocument:
        return cls(d.get("dataset", ""), d.get("generated_at"),
                   RunInfo.from_dict(d.get("run") or {}),
                   tuple(Finding.from_dict(f) for f in d.get("findings") or ()),
                   _extra(d, ("dataset", "generated_at", "run", "findings")))

    @classmethod
    def from_json(cls, text: str) -> FindingsDocument:
        return cls.from_dict(json.loads(text))
