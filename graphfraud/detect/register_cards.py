"""Algorithm-register cards: one per detector, in the Dutch algorithm register's
publication standard, filled from the detector's own code so they cannot drift.

The description, signals, weights, inputs and legal bases come from the detector module
(docstring, `VERSION`, `INPUTS`), `weights.yaml` (with each weight's comment) and the
model (the legal basis of every label a query reads). Only the organisation's own fields
(name, contact, status) are set here, once for all cards.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from graphfraud.detect import registry
from graphfraud.detect.registry import WEIGHTS_FILE
from graphfraud.model import LEGAL_BASES, NODE_TYPES
from graphfraud.store.library import get_query

SCHEMA_VERSION = "1.0.0"  # Publicatiestandaard algoritmeregister
MANDATORY = ("name", "short_description", "organisation", "status", "contact",
             "publication_category", "language", "schema_version")
ORGANISATION = {
    "organisation": "Douane Nederland / FIOD (Belastingdienst)",
    "contact": "algoritmeregister@example.invalid (set by the organisation before publishing)",
    "status": "in development",
    "publication_category": "B - impactful algorithm (human decision follows)",
    "language": "en",
    "source_code": "GraphFraud repository, graphfraud/detect/",
}


def _weight_comments() -> dict[str, dict[str, tuple[float, str]]]:
    out: dict[str, dict[str, tuple[float, str]]] = {}
    section = None
    for line in WEIGHTS_FILE.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\w+:\s*$", line):
            section = line.rstrip(":").strip()
            out[section] = {}
            continue
        m = re.match(r"^\s+(\w+):\s*([0-9.]+)\s*#\s*(.*)$", line)
        if m and section:
            out[section][m.group(1)] = (float(m.group(2)), m.group(3).strip())
    return out


def _legal_bases(queries: tuple[str, ...]) -> list[str]:
    labels = {n.label: n.legal_basis for n in NODE_TYPES}
    bases = set()
    for q in queries:
        text = get_query(q).text_for("neo4j")
        bases |= {labels[label] for label in re.findall(r":(\w+)", text) if label in labels}
    return sorted(bases)


def card(kind: str) -> dict[str, Any]:
    detector = registry.get(kind)
    doc = detector.description
    short = " ".join(doc.split("\n\n")[0].split())
    signals = _weight_comments().get(kind, {})
    bases = _legal_bases(detector.inputs)
    return {
        "name": f"GraphFraud {kind.replace('_', ' ')} detector",
        "short_description": short[:350],
        **{k: v for k, v in ORGANISATION.items() if k != "source_code"},
        "schema_version": SCHEMA_VERSION,
        "purpose_and_impact": (
            f"Ranks {kind.replace('_', ' ')} leads for excise-fraud investigators so they "
            "spend their time where the evidence is strongest. A finding is a lead, not a "
            "decision: it starts a human investigation, never a sanction."),
        "human_intervention": (
            "Every finding is reviewed by an investigator, who sees each signal, its weight "
            "and its evidence, and marks it as a case or dismisses it with a reason (audited)."),
        "risks": (
            "False leads burden legal traders (decoys such as busy wholesalers and trust "
            "offices are part of the test worlds; precision is measured per release); "
            "entity-resolution errors can attach evidence to the wrong company (links below "
            "the threshold are candidates for review, never merges)."),
        "legal_basis": [LEGAL_BASES[b] for b in bases],
        "data_used": list(detector.inputs),
        "technical_operation": {
            "description": doc,
            "self_learning": False,
            "scoring": "noisy-OR of fixed, documented signal weights (weights.yaml)",
            "signals": [{"signal": s, "weight": w, "meaning": c}
                        for s, (w, c) in sorted(signals.items())],
            "version": detector.version,
        },
        "source_code": ORGANISATION["source_code"],
    }


def validate(c: dict[str, Any]) -> list[str]:
    """Problems with a card against the mandatory fields of the standard."""
    problems = [f"missing {k}" for k in MANDATORY if not c.get(k)]
    if len(c.get("short_description", "")) > 350:
        problems.append("short_description longer than 350 characters")
    return problems


def to_markdown(c: dict[str, Any]) -> str:
    lines = [f"# {c['name']}", "", c["short_description"], ""]
    for key in MANDATORY[2:]:
        lines.append(f"- **{key.replace('_', ' ')}**: {c[key]}")
    for key in ("purpose_and_impact", "human_intervention", "risks", "source_code"):
        lines += ["", f"## {key.replace('_', ' ').capitalize()}", "", str(c[key])]
    lines += ["", "## Legal basis", ""] + [f"- {b}" for b in c["legal_basis"]]
    lines += ["", "## Data used", ""] + [f"- `{q}` (cypher/signals/)" for q in c["data_used"]]
    tech = c["technical_operation"]
    lines += ["", "## Technical operation", "", f"Version {tech['version']}; self-learning: "
              f"{'yes' if tech['self_learning'] else 'no'}; {tech['scoring']}.", "",
              "| signal | weight | meaning |", "|---|---|---|"]
    lines += [f"| {s['signal']} | {s['weight']} | {s['meaning']} |" for s in tech["signals"]]
    return "\n".join(lines) + "\n"


def write_cards(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in registry.kinds():
        c = card(kind)
        problems = validate(c)
        if problems:
            raise ValueError(f"card {kind}: {problems}")
        (out / f"{kind}.json").write_text(json.dumps(c, indent=2, ensure_ascii=False))
        (out / f"{kind}.md").write_text(to_markdown(c))
        written += [out / f"{kind}.json", out / f"{kind}.md"]
    return written
