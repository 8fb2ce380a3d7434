"""What happened around an entity, in date order: movements, checks, licences, tips,
seizures and machine events within two steps, and its own dated relationships (roles
since/until, leases).

One query (`explorer_timeline`) returns the paths; Python picks the dated properties
declared below, so the list of what counts as an event lives in one place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from graphfraud.detect.records import Finding
from graphfraud.explore.graph import Node, caption_of, key_of, label_of
from graphfraud.store.base import GraphStore

#: label -> (property, what it means) for events on nodes
EVENT_DATES: dict[str, tuple[tuple[str, str], ...]] = {
    "Movement": (("dispatched_at", "dispatched"), ("received_at", "received"),
                 ("cancelled_at", "cancelled")),
    "RetailCheck": (("checked_on", "retail check"),),
    "Licence": (("applied_on", "licence applied"), ("granted_on", "licence granted"),
                ("valid_until", "licence ends")),
    "Tip": (("received_on", "tip received"),),
    "Seizure": (("seized_on", "seizure"),),
    "MachineEvent": (("at", "machine event"),),
}
#: relationship type -> (property, what it means)
REL_DATES: dict[str, tuple[tuple[str, str], ...]] = {
    "HAS_ROLE": (("since", "role since"), ("until", "role until")),
    "OPERATES": (("lease_start", "lease start"), ("lease_end", "lease end")),
}
#: relationship type -> the end whose event a dated relationship is (a role is the
#: person's, a lease the premise's), whichever side the timeline is read from: one event,
#: one colour, not a Trader and a Person copy of it drawn over each other
REL_SUBJECT: dict[str, str] = {"HAS_ROLE": "_start", "OPERATES": "_end"}
#: the entity's own dates
OWN_DATES: dict[str, tuple[tuple[str, str], ...]] = {
    "Trader": (("registered_on", "registered"), ("dissolved_on", "dissolved")),
}
DEFAULT_LIMIT = 2000


@dataclass(frozen=True)
class TimelineEvent:
    date: str
    event: str
    label: str
    key: str
    name: str
    via: str
    detail: str

    def to_row(self) -> dict[str, Any]:
        return asdict(self)


def _detail(node: Node) -> str:
    label = label_of(node)
    fields = {
        "Movement": ("status", "consignee_name", "transporter_name"),
        "RetailCheck": ("outcome", "outlet_name"),
        "Licence": ("kind", "status"),
        "Tip": ("channel",),
        "Seizure": ("product", "quantity", "unit", "context"),
        "MachineEvent": ("event",),
    }.get(label, ())
    return ", ".join(f"{f}={node[f]}" for f in fields if node.get(f) not in (None, ""))


def _rel_event(r: dict[str, Any], prop: str, meaning: str, a: Node, b: Node
               ) -> TimelineEvent:
    """The event of dated relationship `r` between `a` and `b`, attributed to its
    subject end (`REL_SUBJECT`), the other end named in the detail."""
    side = REL_SUBJECT.get(str(r.get("_type")), "_end")
    subject, other = (a, b) if str(a.get("_id")) == str(r.get(side)) else (b, a)
    extra = ", ".join(x for x in (f"role={r['role']}" if r.get("role") else "",
                                  f"at {caption_of(other, 40)}") if x)
    return TimelineEvent(str(r[prop])[:10], meaning, label_of(subject), key_of(subject) or "",
                         caption_of(subject, 60), str(r.get("_type")), extra)


def events_from_paths(centre: Node, paths: list[dict[str, Any]]) -> list[TimelineEvent]:
    """Timeline events from `explorer_timeline` paths (pure; sorted by date)."""
    seen: set[tuple[str, str]] = set()
    out: list[TimelineEvent] = []
    for prop, meaning in OWN_DATES.get(label_of(centre), ()):
        if centre.get(prop):
            out.append(TimelineEvent(str(centre[prop])[:10], meaning, label_of(centre),
                                     key_of(centre) or "", caption_of(centre, 60), "", ""))
    for p in sorted(paths, key=lambda p: len(p.get("relationships", []))):
        nodes, rels = p.get("nodes", []), p.get("relationships", [])
        if not nodes:
            continue
        end = nodes[-1]
        via = " → ".join(str(r.get("_type")) for r in rels)
        if len(rels) == 1:
            r = rels[0]
            for prop, meaning in REL_DATES.get(str(r.get("_type")), ()):
                if r.get(prop) and (str(r["_id"]), prop) not in seen:
                    seen.add((str(r["_id"]), prop))
                    out.append(_rel_event(r, prop, meaning, nodes[0], end))
        for prop, meaning in EVENT_DATES.get(label_of(end), ()):
            if end.get(prop) and (str(end["_id"]), prop) not in seen:
                seen.add((str(end["_id"]), prop))
                out.append(TimelineEvent(str(end[prop])[:10], meaning, label_of(end),
                                         key_of(end) or "", caption_of(end, 60), via,
                                         _detail(end)))
    return sorted(out, key=lambda e: (e.date, e.event, e.label, e.key))


def timeline(store: GraphStore, label: str, key: str,
             limit: int = DEFAULT_LIMIT) -> list[TimelineEvent]:
    """The entity's events in date order (see the module docstring)."""
    from graphfraud.explore.neighbourhood import find_node

    return timeline_of_node(store, find_node(store, label, key), limit)


def timeline_of_node(store: GraphStore, centre: Node,
                     limit: int = DEFAULT_LIMIT) -> list[TimelineEvent]:
    rows = store.run("explorer_timeline", {"id": str(centre["_id"]),
                                           "labels": sorted(EVENT_DATES), "limit": limit})
    return events_from_paths(centre, [r["p"] for r in rows])


# --- the whole view: every dated event, spans, a time range (issue #18 part B) -----------
#: start event -> end event of the same thing, drawn as one bar
SPANS: dict[str, str] = {"licence granted": "licence ends", "role since": "role until",
                         "lease start": "lease end", "registered": "dissolved",
                         "dispatched": "received"}


@dataclass(frozen=True)
class TimeSpan:
    """A bar on the time axis: something that lasted from `start` to `end`."""

    start: str
    end: str
    event: str
    label: str
    key: str
    name: str
    #: the start event's name: the timeline row the bar is drawn on
    row: str = ""


def _node_events(node: Node, via: str = "") -> list[TimelineEvent]:
    label = label_of(node)
    out = []
    for prop, meaning in EVENT_DATES.get(label, ()) + OWN_DATES.get(label, ()):
        if node.get(prop):
            out.append(TimelineEvent(str(node[prop])[:10], meaning, label, key_of(node) or "",
                                     caption_of(node, 60), via, _detail(node)))
    return out


def view_events(nodes: list[Node], edges: list[dict[str, Any]]) -> list[TimelineEvent]:
    """Dated events of the nodes and relationships drawn in a view (pure)."""
    by_id = {str(n.get("_id")): n for n in nodes}
    out = [e for n in nodes for e in _node_events(n)]
    for r in edges:
        a, b = by_id.get(str(r.get("_start"))), by_id.get(str(r.get("_end")))
        if a is None or b is None:
            a = b = a or b
        if a is None or b is None:
            continue
        for prop, meaning in REL_DATES.get(str(r.get("_type")), ()):
            if r.get(prop):
                out.append(_rel_event(r, prop, meaning, a, b))
    return out


def finding_events(findings: list[Finding], decisions: dict[str, dict[str, Any]],
                   run_date: str, keys: set[tuple[str, str]]) -> list[TimelineEvent]:
    """The findings about any (label, key) in `keys` (dated by their detect run) and the
    decisions taken on them (pure)."""
    out = []
    for f in findings:
        subjects = {(lb, k) for lb, ks in f.subject_keys().items() for k in ks}
        if not subjects & keys:
            continue
        name = str(f.title or f.kind or "finding")[:60]
        fid = str(f.id)
        if run_date:
            out.append(TimelineEvent(run_date[:10], "finding", "Finding", fid, name,
                                     "detect run", f"kind={f.kind}, "
                                     f"score={f.score}"))
        d = decisions.get(fid)
        if d and d.get("time"):
            out.append(TimelineEvent(str(d["time"])[:10], f"decision: {d.get('decision')}",
                                     "Finding", fid, name, "decision",
                                     str(d.get("reason") or "")[:80]))
    return out


def merge_events(*groups: list[TimelineEvent]) -> list[TimelineEvent]:
    """One list, each event once, in date order (pure)."""
    seen: dict[tuple[str, str, str, str], TimelineEvent] = {}
    for group in groups:
        for e in group:
            seen.setdefault((e.date, e.event, e.label, e.key), e)
    return sorted(seen.values(), key=lambda e: (e.date, e.event, e.label, e.key))


def mention_events(store: GraphStore, centre: Node,
                   limit: int = DEFAULT_LIMIT) -> list[TimelineEvent]:
    """Retail checks naming the entity through a resolved name mention (three steps)."""
    rows = store.run("explorer_timeline_mentions", {"id": str(centre["_id"]), "limit": limit})
    return events_from_paths(centre, [r["p"] for r in rows])


def full_timeline(store: GraphStore, centre: Node, nodes: list[Node] = (),  # type: ignore[assignment]
                  edges: list[dict[str, Any]] = (),  # type: ignore[assignment]
                  limit: int = DEFAULT_LIMIT) -> list[TimelineEvent]:
    """Every dated event of the entity (two steps, and checks naming it) and of the
    nodes and relationships of the view around it."""
    return merge_events(timeline_of_node(store, centre, limit),
                        mention_events(store, centre, limit),
                        view_events(list(nodes), list(edges)))


def spans(events: list[TimelineEvent]) -> list[TimeSpan]:
    """Bars for things that lasted: a start event paired with its end event of the same
    entity (an open end is drawn up to the latest date of the timeline)."""
    last = max((e.date for e in events if e.date), default="")
    ends = {(e.event, e.label, e.key, e.via): e.date for e in events}
    out = []
    for e in events:
        end_name = SPANS.get(e.event)
        if end_name is None or not e.date:
            continue
        end = ends.get((end_name, e.label, e.key, e.via)) or last
        if end >= e.date:
            out.append(TimeSpan(e.date, end, e.event.split(" ")[0], e.label, e.key, e.name,
                                e.event))
    return out


def date_bounds(events: list[TimelineEvent]) -> tuple[str, str] | None:
    dates = sorted(e.date for e in events if e.date)
    return (dates[0], dates[-1]) if dates else None


def node_dates(node: Node) -> list[str]:
    """The event dates a node carries itself (empty for undated nodes)."""
    return [e.date for e in _node_events(node)]


def in_range(nodes: dict[str, Node], edges: dict[str, dict[str, Any]], start: str, end: str,
             keep: frozenset[str] = frozenset()) -> tuple[dict[str, Node],
                                                          dict[str, dict[str, Any]]]:
    """The view within a time range: dated nodes none of whose dates fall in
    [start, end] are left out with their relationships; undated nodes (traders,
    addresses) and the ids in `keep` stay (pure)."""
    kept = {i: n for i, n in nodes.items()
            if i in keep or not (ds := node_dates(n)) or any(start <= d <= end for d in ds)}
    rels = {i: r for i, r in edges.items()
            if str(r.get("_start")) in kept and str(r.get("_end")) in kept
            or (str(r.get("_start")) in kept and str(r.get("_end")) not in nodes)
            or (str(r.get("_end")) in kept and str(r.get("_start")) not in nodes)}
    return kept, rels
