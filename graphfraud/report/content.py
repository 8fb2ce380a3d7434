"""What a case report holds, gathered once through the Session (audited, redacted for
the reader's role) and then drawn by the PDF and HTML writers without further I/O.

Deterministic: the same case and run give the same content apart from `printed_at`:
nodes are laid out by a seeded layout in key order, lists are sorted, and the audit
trail holds the case's changes (reads, such as this report's own, are not part of it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graphfraud.detect.records import Finding, FindingsDocument

CLASSIFICATION = "politiegegevens"
CHANGE_ACTIONS = ("case_create", "case_note", "case_status", "case_members",
                  "case_save_view", "case_link_finding")
RUN_KEYS = ("run_id", "started_at", "store", "graphfraud_version", "detector_versions",
            "parameters", "seeds", "community_engine", "data_hash")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_DATE_PROPS = re.compile(r"(date|_on$|_at$|^at$|^since$|start$)")
#: dates that are a person's, not an event's
_NOT_EVENTS = ("birth_date", "first_loaded_at", "last_loaded_at")


@dataclass
class Evidence:
    finding_id: str
    signal: str
    text: str
    ref: str
    sources: list[str]
    deliveries: list[str]
    legal_bases: list[str]
    date: str


@dataclass
class NetNode:
    id: str
    label: str
    caption: str
    x: float
    y: float


@dataclass(frozen=True)
class ReportFinding:
    """A linked finding as this reader may see it (redacted), with the run it came from."""

    finding: Finding
    run_id: str


@dataclass
class ReportContent:
    case: dict[str, Any]
    printed_at: str
    reader: str
    reader_role: str
    findings: list[ReportFinding]
    evidence: list[Evidence]
    nodes: list[NetNode]
    edges: list[tuple[str, str, str]]
    timeline: list[tuple[str, str]]
    cards: list[dict[str, Any]]
    runs: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    classification: str = CLASSIFICATION
    legend: list[tuple[str, str]] = field(default_factory=list)


def date_of(node: dict[str, Any]) -> str:
    """The node's own date: its first date-like property holding an ISO date."""
    for key in sorted(node):
        value = node.get(key)
        if _DATE_PROPS.search(key) and isinstance(value, str) and _DATE.match(value) \
                and key not in _NOT_EVENTS:
            return value[:10]
    return ""


def layout(nodes: list[tuple[str, str]], edges: list[tuple[str, str, str]],
           fixed: dict[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]² for node ids given in a stable order: the saved view's where
    it has them all, else a seeded spring layout."""
    ids = [n for n, _ in nodes]
    if fixed and all(i in fixed for i in ids) and ids:
        pts = {i: fixed[i] for i in ids}
    else:
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(ids)
        g.add_edges_from((a, b) for a, b, _ in edges if a in g and b in g)
        pts = {k: (float(v[0]), float(v[1])) for k, v in
               nx.spring_layout(g, seed=7, iterations=80).items()} if ids else {}
    if not pts:
        return {}
    xs, ys = [p[0] for p in pts.values()], [p[1] for p in pts.values()]
    w, h = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {k: (round((x - min(xs)) / w, 4), round((y - min(ys)) / h, 4))
            for k, (x, y) in pts.items()}


def gather(session: Any, case_id: str, printed_at: str | None = None) -> ReportContent:
    """Everything the report shows, read through `session` (it must hold `view_cases`)."""
    from graphfraud.detect.register_cards import card
    from graphfraud.explore.graph import Subgraph, caption_of, key_of, label_of
    from graphfraud.explore.network import LABEL_COLOURS
    from graphfraud.security import audit as audit_mod
    from graphfraud.security.session import audit_path, redact_findings

    got = session.case(case_id)
    case = got["case"]
    printed_at = printed_at or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    shown: list[ReportFinding] = []  # each linked finding as this role may see it
    runs = {}
    for lf in got["findings"]:
        f = redact_findings(FindingsDocument(findings=(lf.finding,)), session).findings[0]
        shown.append(ReportFinding(f, lf.run_id))
        run = lf.run.to_dict()
        runs[lf.run_id] = {k: run.get(k) for k in RUN_KEYS}
    refs = sorted({ref for s in shown for r in s.finding.reasons for ref in r.refs})
    keys: dict[str, list[str]] = {}
    for ref in refs:
        label, _, key = ref.partition(":")
        keys.setdefault(label, []).append(key)

    def load() -> Any:
        sg = Subgraph()
        for row in session._store().run("explorer_nodes_by_keys", {"keys": keys}):
            sg.nodes[str(row["n"]["_id"])] = row["n"]
        return sg

    ref_nodes = session.redact_subgraph(session._view({"case_id": case_id,
                                                        "report": "evidence"}, load)) \
        if keys else Subgraph()
    by_ref = {f"{label_of(n)}:{key_of(n)}": n for n in ref_nodes.nodes.values()}
    evidence = []
    for f in (s.finding for s in shown):
        for r in f.reasons:
            for ref in r.refs:
                n = by_ref.get(ref, {})
                evidence.append(Evidence(
                    str(f.id), str(r.signal), str(r.evidence or ""), ref,
                    sorted(str(x) for x in n.get("sources") or []),
                    sorted(str(x) for x in n.get("deliveries") or []),
                    sorted(str(x) for x in n.get("legal_bases") or []), date_of(n)))
    net = Subgraph()
    for lf in got["findings"]:
        part = session.finding_subgraph(lf.finding)
        net.nodes.update(part.nodes)
        net.edges.update(part.edges)
    order = sorted(net.nodes, key=lambda i: (label_of(net.nodes[i]),
                                             key_of(net.nodes[i]) or "", i))
    edges = sorted({(str(e["_start"]), str(e["_end"]), str(e.get("_type")))
                    for e in net.edges.values()})
    fixed = {}
    for v in got["views"]:
        fixed.update({n.id: (n.x, -n.y) for n in v.nodes})
    pos = layout([(i, label_of(net.nodes[i])) for i in order], edges, fixed)
    nodes = [NetNode(i, label_of(net.nodes[i]), caption_of(net.nodes[i], 24), *pos[i])
             for i in order]
    legend = [(lb, LABEL_COLOURS.get(lb, "#999999")) for lb in sorted({n.label for n in nodes})]
    timeline = sorted({(e.date, f"{e.ref}: {e.signal}") for e in evidence if e.date}
                      | {(n.created_at[:10], f"case: {n.text}" if n.kind == "note" else
                          f"case status {n.from_status} -> {n.to_status}: {n.text}")
                         for n in got["notes"]}
                      | {(lf.linked_at[:10], f"finding {lf.finding_id} linked (run "
                          f"{lf.run_id})") for lf in got["findings"]})
    trail = [{"time": r["time"], "user": r["user"], "role": r["role"], "action": r["action"],
              "outcome": (r.get("detail") or {}).get("outcome", ""),
              "detail": ", ".join(f"{k}={v}" for k, v in sorted((r.get("detail") or {}).items())
                                  if k not in ("outcome", "case_id") and v not in (None, "", []))}
             for r in audit_mod.read(audit_path(session.settings))
             if r["action"] in CHANGE_ACTIONS
             and (r.get("detail") or {}).get("case_id") == case_id]
    return ReportContent(
        case=case.to_dict(), printed_at=printed_at, reader=session.username,
        reader_role=str(session.role),
        findings=shown,
        evidence=evidence, nodes=nodes,
        edges=[e for e in edges if e[0] in pos and e[1] in pos], timeline=timeline,
        cards=[card(k) for k in sorted({str(s.finding.kind) for s in shown})],
        runs=[runs[k] for k in sorted(runs)],
        notes=[n.__dict__ for n in got["notes"]], audit=trail, legend=legend)
