"""What happened around an entity, in date order: movements, checks, licences, tips,
seizures and machine events within two steps, and its own dated relationships (roles
since/until, leases).

One query (`explorer_timeline`) returns the paths; Python picks the dated properties
declared below, so the list of what counts as an event lives in one place.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

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
                    extra = f"role={r['role']}" if r.get("role") else ""
                    out.append(TimelineEvent(str(r[prop])[:10], meaning, label_of(end),
                                             key_of(end) or "", caption_of(end, 60),
                                             str(r.get("_type")), extra))
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
