"""Findings and how their scores are made: every score is the combination of its reasons.

Each reason is a signal that fired, with a weight in (0, 1] taken from `weights.yaml`
and its evidence (a short text and the ids of the nodes behind it). The score combines
the weights as a *noisy-OR*: ``score = 1 - prod(1 - w_i)``. It stays within 0–1, grows
with every independent signal, and no single weak signal can dominate. Reasons are
ordered by weight (then name) and each one's `part` is how much it raised the score at
its turn, so the parts add up to the score: the waterfall the UI draws.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SUBJECT_KEYS = ("traders", "persons", "premises", "addresses", "movements", "machines")


@dataclass(frozen=True)
class Reason:
    signal: str
    weight: float
    evidence: str
    refs: tuple[str, ...] = ()  # "Label:key" of the nodes behind it, e.g. "Seizure:S-1"


@dataclass
class Finding:
    kind: str
    primary: str  # "Label:key" of what the finding is about
    title: str
    reasons: list[Reason]
    subjects: dict[str, list[str]] = field(default_factory=dict)
    location: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        digest = hashlib.sha256(f"{self.kind}|{self.primary}".encode()).hexdigest()[:12]
        return f"F-{self.kind.split('_')[0][:4]}-{digest}"

    def ordered_reasons(self) -> list[Reason]:
        return sorted(self.reasons, key=lambda r: (-r.weight, r.signal, r.refs))

    @property
    def score(self) -> float:
        return combine([r.weight for r in self.reasons])

    def to_dict(self, rank: int) -> dict[str, Any]:
        parts = waterfall([r.weight for r in self.ordered_reasons()])
        return {
            "id": self.id, "kind": self.kind, "rank": rank, "score": round(self.score, 6),
            "primary": self.primary, "title": self.title,
            "subjects": {k: sorted(set(self.subjects.get(k, []))) for k in SUBJECT_KEYS},
            "location": self.location,
            "reasons": [{"signal": r.signal, "weight": r.weight, "part": round(p, 6),
                         "evidence": r.evidence, "refs": list(r.refs)}
                        for r, p in zip(self.ordered_reasons(), parts, strict=True)],
        }


def trader_location(t: dict[str, Any]) -> dict[str, Any]:
    """A finding's map location from a trader row: its municipality and coordinates."""
    return {"municipality": t.get("city"), "lat": t.get("lat"), "lon": t.get("lon")}


def combine(weights: list[float]) -> float:
    """Noisy-OR of the weights: 1 - prod(1 - w)."""
    remaining = 1.0
    for w in sorted(weights, reverse=True):
        remaining *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - remaining


def waterfall(weights: list[float]) -> list[float]:
    """Each weight's part of the combined score, in the given order; they sum to it."""
    parts, so_far = [], 0.0
    for i in range(len(weights)):
        now = combine(weights[: i + 1])
        parts.append(now - so_far)
        so_far = now
    return parts


def rank_findings(findings: list[Finding]) -> list[Finding]:
    """Highest score first; ties by kind and id, so the order is the same every run."""
    return sorted(findings, key=lambda f: (-round(f.score, 9), f.kind, f.id))
