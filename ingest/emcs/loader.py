"""The EMCS folder as one ingest source: messages read, folded with what the graph
already holds for their ARCs, loaded as movement rows plus a MovementEvent per message.

`prepare` does the reading and folding (no writes); `EmcsLoader` validates the folded
rows like movements.csv rows; `event_operations` gives the MovementEvent upserts once the
rows' fate is known (an ARC whose row was quarantined keeps its messages pending).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphfraud.ingest.emcs.codes import zone_for
from graphfraud.ingest.emcs.fold import ROW_COLUMNS, Folded, fold
from graphfraud.ingest.emcs.messages import EmcsMessage
from graphfraud.ingest.emcs.read import FileRead, FolderRead, read_folder_once
from graphfraud.ingest.framework import Op, link, node
from graphfraud.ingest.movements import MovementLoader
from graphfraud.model.operations import link_write, node_write
from graphfraud.store.base import GraphStore

FETCH_CHUNK = 1000
EVENT_QUERIES = (
    node_write("MovementEvent"),
    link_write("HAS_EVENT", "Movement", "MovementEvent"),
)
GRAPH_BASE = "graph-base"  # message id of a stand-in e-AD read from the graph
LINE_COLUMNS = ("line", "epc", "cn_code", "brand", "quantity", "unit", "shortage_or_excess",
                "observed_difference")
ROW_QUARANTINED = "its e-AD's rows were quarantined (see the quarantine); kept to fold again"


class EmcsLoader(MovementLoader):
    """Folded EMCS rows: the movements.csv columns and what the XML adds."""

    file_name = "emcs"
    query_order = MovementLoader.query_order + EVENT_QUERIES

    def parse_row(self, raw: dict[str, str]):
        return super().parse_row({k: v for k, v in raw.items() if not k.startswith("_")})


@dataclass
class EmcsDelivery:
    """A delivery's EMCS folder, read and folded with the graph's earlier messages.

    `folded.rows` holds only the ARCs whose rows this delivery changes (all rows of such
    an ARC, so the Movement takes its latest sequence's values); `changed` names the
    messages whose event must be written: this delivery's, and earlier ones whose state
    changed (a pending follow-up now applied). Re-reading a delivery writes the same
    values, and a delivery already folded in writes nothing new."""

    files: list[FileRead]
    folded: Folded
    from_graph: int = 0
    sources: list[Path] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    #: the checkpoint's `files_fingerprint` of `sources`, made as they were read
    fingerprint: str = ""

    @property
    def messages(self) -> int:
        return sum(len(f.messages) for f in self.files)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, row) with `_source` naming the e-AD's file and message."""
        for n, row in enumerate(self.folded.rows, start=1):
            out = {c: row.get(c, "") for c in ROW_COLUMNS}
            out["_source"] = row.get("_source", "")
            yield n, out


def stored_messages(store: GraphStore, arcs: list[str]) -> list[EmcsMessage]:
    """The messages earlier deliveries left in the graph for these ARCs."""
    out: list[EmcsMessage] = []
    for i in range(0, len(arcs), FETCH_CHUNK):
        for r in store.stream("emcs_events_by_arc", {"arcs": arcs[i:i + FETCH_CHUNK]}):
            if r.get("payload"):
                out.append(EmcsMessage.from_dict(json.loads(r["payload"])))
    return out


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def graph_bases(store: GraphStore, arcs: list[str]) -> list[EmcsMessage]:
    """Stand-in e-ADs for movements the graph holds without an XML e-AD (movements.csv):
    the current sequence's header and lines, for follow-ups to fold onto. They are never
    written back as events."""
    out: list[EmcsMessage] = []
    for i in range(0, len(arcs), FETCH_CHUNK):
        for r in store.stream("emcs_movement_base", {"arcs": arcs[i:i + FETCH_CHUNK]}):
            mv = r["movement"] or {}
            head = {c: _plain(mv.get(c)) for c in ROW_COLUMNS if c not in LINE_COLUMNS}
            lines = [{c: _plain(ln.get(c)) for c in LINE_COLUMNS} for ln in r["lines"] or []]
            if not lines:
                continue
            seq = _plain(mv.get("sequence")) or "1"
            head.update({"arc": r["arc"], "sequence": seq})
            out.append(EmcsMessage("IE801", "", r["arc"], seq, "", GRAPH_BASE, "(graph)", 0,
                                   head, lines))
    return out


def _states(f: Folded) -> dict[str, tuple[str, str]]:
    out = {m.key: ("applied", "") for m in f.applied}
    out.update({m.key: ("pending", reason) for m, reason in f.pending})
    return out


def prepare(store: GraphStore, folder: Path, read: FolderRead | None = None) -> EmcsDelivery:
    """The delivery's messages folded with the graph's; `read` is the folder already
    read (`read_folder_once`, by `prefetch.FolderPrefetch`)."""
    read = read_folder_once(folder) if read is None else read
    files = read.files
    mine = [m for f in files for m in f.messages]
    earlier = stored_messages(store, sorted({m.arc for m in mine}))
    with_ead = {m.arc for m in earlier + mine if m.kind == "IE801"}
    earlier += graph_bases(store, sorted({m.arc for m in mine} - with_ead))
    folded = fold(earlier + mine)  # this delivery's copy of a message wins
    before = fold(earlier)
    old_rows = {(r["arc"], r["sequence"], r["line"]): r for r in before.rows}
    touched = {r["arc"] for r in folded.rows
               if old_rows.get((r["arc"], r["sequence"], r["line"])) != r}
    touched |= {r["arc"] for r in before.rows} - {r["arc"] for r in folded.rows}
    folded.rows = [r for r in folded.rows if r["arc"] in touched]
    old_states, new_states = _states(before), _states(folded)
    changed = {m.key for m in mine} | {k for k, st in new_states.items()
                                       if old_states.get(k) != st}
    by_arc = {m.arc: m for m in folded.applied if m.kind == "IE801"}
    for row in folded.rows:
        ead = by_arc.get(row["arc"])
        row["_source"] = f"{ead.file}#{ead.index}" if ead else ""
    return EmcsDelivery(files, folded, len(earlier), read.paths, changed, read.fingerprint)


def _event_props(m: EmcsMessage, state: str, reason: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        "arc": m.arc, "kind": m.kind, "version": m.version, "sequence": m.sequence or None,
        "validated_at": m.validated_at or None, "message_id": m.message_id or None,
        "file": m.file, "state": state, "reason": reason,
        "payload": json.dumps(m.to_dict(), sort_keys=True, ensure_ascii=False),
        "time_zone": zone_for(m.arc).key,  # the zone its zone-less times were read in
    }
    props.update({k: v for k, v in m.event.items() if v})
    return props


def event_operations(delivery: EmcsDelivery, quarantined_arcs: set[str],
                     ) -> tuple[list[Op], list[tuple[EmcsMessage, str]]]:
    """MovementEvent upserts (and HAS_EVENT links for applied ones); the pending list."""
    ops: list[Op] = []
    pending = list(delivery.folded.pending)
    for m in delivery.folded.applied:
        if m.arc in quarantined_arcs:
            pending.append((m, ROW_QUARANTINED))
        elif m.key in delivery.changed and m.message_id != GRAPH_BASE:
            ops.append(node("MovementEvent", m.key, _event_props(m, "applied", "")))
            ops.append(link("HAS_EVENT", "Movement", m.arc, "MovementEvent", m.key))
    for m, reason in pending:
        if m.key in delivery.changed or reason == ROW_QUARANTINED:
            ops.append(node("MovementEvent", m.key, _event_props(m, "pending", reason)))
    return ops, pending
