"""The findings of the latest detect run as the workbench shows them: filters, the score
waterfall, the subgraph behind a finding, and the investigators' decisions.

Every finding detail shown here comes from the run file (`graphfraud.detect.runs`, as
`records.Finding`); the graph's (:Finding) nodes are only its index, read here to find
which findings touch a node (`findings_touching`), never for what a finding says.

A decision (make it a case, or dismiss it with a reason) is kept in
`GRAPHFRAUD_HOME/decisions.jsonl` (one JSON object per line, the latest per finding
wins); its one writer is `graphfraud.security.session.Session.decide_finding`, which
audits it first. This module only reads the file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphfraud.detect import registry
from graphfraud.detect.records import Finding, FindingsDocument
from graphfraud.explore.graph import Subgraph
from graphfraud.explore.neighbourhood import add_links_among, find_nodes
from graphfraud.store.base import GraphStore

KINDS = registry.kinds()  # the detectors' finding kinds (graphfraud.detect.registry)
DECISIONS = ("case", "dismissed")


@dataclass(frozen=True)
class FindingFilter:
    kinds: tuple[str, ...] = ()
    min_score: float = 0.0
    municipalities: tuple[str, ...] = ()
    decided: str = "all"  # all | open | case | dismissed

    def keep(self, f: Finding, decisions: dict[str, dict[str, Any]]) -> bool:
        if self.kinds and f.kind not in self.kinds:
            return False
        if float(f.score or 0.0) < self.min_score:
            return False
        if self.municipalities and f.municipality not in self.municipalities:
            return False
        state = decisions.get(str(f.id), {}).get("decision", "open")
        return self.decided == "all" or state == self.decided


def findings_of(doc: FindingsDocument | None) -> list[Finding]:
    """The findings of a run document, by rank."""
    return doc.by_rank() if doc else []


def filter_findings(findings: Iterable[Finding], flt: FindingFilter,
                    decisions: dict[str, dict[str, Any]] | None = None) -> list[Finding]:
    decisions = decisions or {}
    return [f for f in findings if flt.keep(f, decisions)]


def finding_rows(findings: Iterable[Finding],
                 decisions: dict[str, dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Table rows (no person names: titles and counts only): the one place a findings
    table (the UI's frame, the CLI's rows) is made from the records."""
    decisions = decisions or {}
    return [{"rank": f.rank, "id": f.id, "kind": f.kind,
             "score": round(float(f.score or 0.0), 3), "title": f.title,
             "municipality": f.municipality,
             "subjects": sum(len(v or ()) for v in f.subjects.values()),
             "status": decisions.get(str(f.id), {}).get("decision", "open")}
            for f in findings]


def waterfall(finding: Finding) -> list[dict[str, Any]]:
    """The score's waterfall: each reason's part, stacked from 0 to the score."""
    rows, running = [], 0.0
    for r in sorted(finding.reasons, key=lambda r: -float(r.part or 0)):
        part = float(r.part or 0.0)
        rows.append({"signal": str(r.signal), "part": part, "start": running,
                     "end": running + part, "weight": float(r.weight or 0.0),
                     "evidence": str(r.evidence or "")})
        running += part
    rows.append({"signal": "score", "part": float(finding.score or 0.0), "start": 0.0,
                 "end": float(finding.score or 0.0), "weight": 0.0, "evidence": ""})
    return rows


def subject_keys(finding: Finding | None) -> dict[str, list[str]]:
    """{label: [keys]} of a finding's subjects."""
    return finding.subject_keys() if finding is not None else {}


#: labels never used to tie a finding's nodes together: they hold half the register
BRIDGE_SKIP = ("Municipality", "EpsPack", "Delivery", "Finding")


def parse_ref(ref: str, finding: Finding | None = None) -> tuple[str, str] | None:
    """(label, key) of an evidence ref: "Label:key" as the detectors write it
    (`graphfraud.detect.scoring.Reason.refs`), or a bare key that is one of the
    finding's subjects; None when it names nothing the graph holds."""
    from graphfraud.explore.graph import KEY_OF

    text = str(ref).strip()
    label, sep, key = text.partition(":")
    if sep and label in KEY_OF and key:
        return label, key
    for lb, keys in subject_keys(finding).items():
        if text in keys:
            return lb, text
    return None


def primary_ref(finding: Finding) -> tuple[str, str] | None:
    """(label, key) of what the finding is about: its `primary` ("Label:key"), else its
    first subject (traders first)."""
    parsed = parse_ref(str(finding.primary or ""), finding)
    if parsed:
        return parsed
    for label, keys in subject_keys(finding).items():
        return label, keys[0]
    return None


def entity_param(label: str, key: str) -> str:
    """An entity as a deep link names it (`?entity=Trader:KVK:1`), read by `parse_ref`."""
    return f"{label}:{key}"


def evidence_keys(finding: Finding) -> dict[str, list[str]]:
    """{label: [keys]} of every entity the finding's evidence refers to."""
    out: dict[str, list[str]] = {}
    for r in finding.reasons:
        for ref in r.refs:
            parsed = parse_ref(str(ref), finding)
            if parsed and parsed[1] not in out.setdefault(parsed[0], []):
                out[parsed[0]].append(parsed[1])
    return {lb: ks for lb, ks in out.items() if ks}


def finding_subgraph(store: GraphStore, finding: Finding, cap: int = 300,
                     bridges: int = 60, skip: tuple[str, ...] = ()) -> Subgraph:
    """A finding as one picture (at most `cap` nodes): its subjects, every entity its
    evidence refers to (seizures, tips, checks naming the hub...), the nodes that tie two
    or more of those together (`explorer_bridges`; never of a `skip` label) and the
    relationships among them all."""
    keys = subject_keys(finding)
    for label, ks in evidence_keys(finding).items():
        keys[label] = list(dict.fromkeys(keys.get(label, []) + ks))
    sg = Subgraph()
    for node in find_nodes(store, keys)[:cap]:
        sg.add_node(node)
    room = min(bridges, cap - len(sg))
    if len(sg) > 1 and room > 0:
        rows = store.run("explorer_bridges", {"ids": list(sg.nodes), "limit": int(room),
                                              "skip": [*BRIDGE_SKIP, *skip]})
        for row in rows:
            sg.add_node(row["m"])
    if len(sg):
        add_links_among(store, sg)
    return sg


def risk_by_key(doc: FindingsDocument | None) -> dict[tuple[str, str], float]:
    """(label, key) -> highest score of the findings that concern it."""
    out: dict[tuple[str, str], float] = {}
    for f in findings_of(doc):
        for label, keys in subject_keys(f).items():
            for k in keys:
                out[(label, k)] = max(out.get((label, k), 0.0), float(f.score or 0))
    return out


def findings_touching(store: GraphStore, node_ids: Sequence[str]) -> dict[str, list[str]]:
    """Node id -> ids of the findings that concern it: the one read of the graph's
    (:Finding) index (the details of those findings are the run file's)."""
    if not node_ids:
        return {}
    rows = store.run("explorer_risk", {"ids": [str(i) for i in node_ids]})
    return {str(r["id"]): sorted(str(f) for f in r.get("findings") or []) for r in rows}


def node_risk(touching: Mapping[str, Sequence[str]], doc: FindingsDocument | None,
              keys: Mapping[str, tuple[str, str]] | None = None,
              by_key: Mapping[tuple[str, str], float] | None = None) -> dict[str, float]:
    """Node id -> highest score of the run's findings that touch it: the findings the
    index names (`touching`), scored from the run `doc` (an id the run lacks counts for
    nothing: the index is stale), and, for nodes given as (label, key) in `keys`, the
    findings whose subjects name them (`by_key`, from `risk_by_key`)."""
    score = {f.id: float(f.score or 0.0) for f in (doc.findings if doc else ())}
    out: dict[str, float] = {}
    for nid, ids in touching.items():
        got = [score[i] for i in ids if i in score]
        if got:
            out[nid] = max(got)
    for nid, key in (keys or {}).items():
        s = (by_key or {}).get(key)
        if s is not None:
            out[str(nid)] = max(out.get(str(nid), 0.0), s)
    return out


def per_municipality(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Counts of findings per municipality and kind, with a mean position: aggregates
    only, for the managers' map."""
    acc: dict[tuple[str, str], dict[str, Any]] = {}
    for f in findings:
        loc = f.location
        muni = loc.get("municipality") or "(unknown)"
        key = (muni, str(f.kind))
        a = acc.setdefault(key, {"municipality": muni, "kind": key[1], "findings": 0,
                                 "lat_sum": 0.0, "lon_sum": 0.0, "located": 0})
        a["findings"] += 1
        if loc.get("lat") is not None and loc.get("lon") is not None:
            a["lat_sum"] += float(loc["lat"])
            a["lon_sum"] += float(loc["lon"])
            a["located"] += 1
    rows = []
    for a in acc.values():
        n = a.pop("located")
        lat, lon = a.pop("lat_sum"), a.pop("lon_sum")
        a["lat"] = lat / n if n else None
        a["lon"] = lon / n if n else None
        rows.append(a)
    return sorted(rows, key=lambda r: (r["municipality"], r["kind"]))


# --- decisions -----------------------------------------------------------------------

def decisions_path(home: Path) -> Path:
    return Path(home) / "decisions.jsonl"


def load_decisions(home: Path) -> dict[str, dict[str, Any]]:
    """The latest decision per finding id."""
    path = decisions_path(home)
    out: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        return out
    for line in lines:
        if line.strip():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            out[str(rec.get("finding_id"))] = rec
    return out


def decision_counts(decisions: dict[str, dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(d.get("decision", "open") for d in decisions.values()))
