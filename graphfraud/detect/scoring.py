"""Findings and how their scores are made: every score is the combination of its reasons.

Each reason is a signal that fired, with a weight in (0, 1] taken from `weights.yaml`
and its evidence (a short text and the ids of the nodes behind it). The score combines
the weights as a *noisy-OR*: ``score = 1 - prod(1 - w_i)``. It stays within 0–1, grows
with every independent signal, and no single weak signal can dominate. Reasons are
ordered by weight (then name) and each one's `part` is how much it raised the score at
its turn, so the parts add up to the score: the waterfall the UI draws.

`Finding` here is a detector's working finding (detectors merge reasons into it);
`record(rank)` turns it into the frozen `records.Finding` a run keeps, and `Reason` is
the one record of a reason (`records.Reason`, re-exported here for the detectors).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from graphfraud.detect import records
from graphfraud.detect.records import SUBJECT_KEYS, Reason

__all__ = ["SUBJECT_KEYS", "Finding", "Reason", "combine", "rank_findings", "trader_location",
           "waterfall"]  # Reason and SUBJECT_KEYS live in `records`; the detectors import here


@dataclass
class Finding:
    """A detector's finding while it is made: unranked, its reasons still open."""

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

    def record(self, rank: int) -> records.Finding:
        """The finding as a run keeps it: ranked, reasons ordered with their parts,
        every subject list sorted and once."""
        ordered = self.ordered_reasons()
        parts = waterfall([r.weight for r in ordered])
        return records.Finding(
            self.id, self.kind, rank, round(self.score, 6), self.primary, self.title,
            {k: tuple(sorted(set(self.subjects.get(k, [])))) for k in SUBJECT_KEYS},
            self.location,
            tuple(replace(r, refs=tuple(r.refs), part=round(p, 6))
                  for r, p in zip(ordered, parts, strict=True)))

    def to_dict(self, rank: int) -> dict[str, Any]:
        """The contract's JSON object of the recorded finding."""
        return self.record(rank).to_dict()


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
