"""Fold an ARC's messages into movements.csv rows, in EMCS order, across deliveries.

The messages of one ARC (this delivery's and those kept in the graph from earlier ones)
are applied in the order of their validation times, the e-AD first: an IE813 adds a
sequence (the earlier one becomes `replaced`), an IE818 concludes the sequence it names,
an IE810 cancels, an IE819 with the rejection flag rejects, an IE871 marks the shortage
explained; an IE803 is an event only. The result depends on the set of messages, not on
the order they arrived in, so re-reading them changes nothing.

A message is left pending, with its reason, when it cannot be applied yet: no e-AD for
its ARC, or an IE818/IE819/IE871 naming a sequence whose IE813 has not arrived.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from graphfraud.ingest.emcs.messages import EmcsMessage

MOVEMENT_COLUMNS = [
    "arc", "sequence", "line", "consignor_excise_number", "place_of_dispatch",
    "consignee_excise_number", "consignee_name", "consignee_street", "consignee_postcode",
    "consignee_city", "consignee_country", "delivery_place", "destination_type", "origin_type",
    "epc", "cn_code", "brand", "quantity", "unit", "dispatched_at", "journey_time",
    "transport_mode", "transporter_name", "transporter_vat", "vehicle_plate", "guarantor_type",
    "status", "received_at", "receipt_conclusion", "shortage_or_excess", "observed_difference",
    "cancelled_at", "destination_changes",
]
#: what the XML gives beyond the contract's columns (loaded as Movement properties)
EXTRA_COLUMNS = [
    "delivery_place_name", "delivery_place_street", "delivery_place_postcode",
    "delivery_place_city", "delivery_place_country", "transport_units", "validated_at",
    "rejected_at", "shortage_explained",
]
ROW_COLUMNS = MOVEMENT_COLUMNS + EXTRA_COLUMNS
CONSIGNEE = ("consignee_excise_number", "consignee_name", "consignee_street",
             "consignee_postcode", "consignee_city", "consignee_country")
PLACE = ("delivery_place", "delivery_place_name", "delivery_place_street",
         "delivery_place_postcode", "delivery_place_city", "delivery_place_country")
RECEIPT = ("received_at", "receipt_conclusion", "shortage_or_excess", "observed_difference")
LINE_FIELDS = ("line", "epc", "cn_code", "brand", "quantity", "unit")
NO_EAD = "no e-AD (IE801) for this ARC in the graph or in this delivery"

Row = dict[str, str]


@dataclass
class Folded:
    rows: list[Row] = field(default_factory=list)
    applied: list[EmcsMessage] = field(default_factory=list)
    pending: list[tuple[EmcsMessage, str]] = field(default_factory=list)


def _order(m: EmcsMessage) -> tuple:
    rank = {"IE801": 0, "IE813": 1, "IE803": 2, "IE819": 3, "IE818": 4, "IE871": 5,
            "IE810": 6}[m.kind]
    return (m.kind != "IE801", m.validated_at, rank, int(m.sequence or 0), m.key)


def unique(messages: Iterable[EmcsMessage]) -> list[EmcsMessage]:
    """One message per key, the last one read winning (this delivery over the graph's)."""
    out: dict[str, EmcsMessage] = {}
    for m in messages:
        out[m.key] = m
    return list(out.values())


def fold(messages: Iterable[EmcsMessage]) -> Folded:
    by_arc: dict[str, list[EmcsMessage]] = defaultdict(list)
    for m in unique(messages):
        by_arc[m.arc].append(m)
    out = Folded()
    for arc in sorted(by_arc):
        _fold_arc(sorted(by_arc[arc], key=_order), out)
    return out


def _fold_arc(msgs: list[EmcsMessage], out: Folded) -> None:
    ead = next((m for m in msgs if m.kind == "IE801"), None)
    if ead is None:
        out.pending.extend((m, NO_EAD) for m in msgs)
        return
    base = {c: "" for c in ROW_COLUMNS}
    base.update({k: v for k, v in ead.head.items() if k in base})
    lines = [{**base, **{k: ln.get(k, "") for k in LINE_FIELDS}} for ln in ead.lines]
    seqs: dict[int, list[Row]] = {int(ead.sequence or 1): lines}
    out.applied.append(ead)
    for m in msgs:
        if m is ead:
            continue
        reason = _apply(m, seqs)
        if reason:
            out.pending.append((m, reason))
        else:
            out.applied.append(m)
    changes = str(len(seqs) - 1)
    for seq in sorted(seqs):
        for row in sorted(seqs[seq], key=lambda r: int(r["line"] or 1)):
            row["sequence"], row["destination_changes"] = str(seq), changes
            out.rows.append(row)


def _apply(m: EmcsMessage, seqs: dict[int, list[Row]]) -> str:
    """Apply one follow-up to the ARC's sequences; the reason it waits, or ''."""
    latest = max(seqs)
    if m.kind == "IE801":
        return ""  # a second copy of the e-AD under another message id: nothing new
    if m.kind == "IE813":
        new = int(m.sequence) if m.sequence else latest + 1
        if new in seqs:
            return ""
        rows = []
        for old in seqs[latest]:
            row = dict(old)
            if any(m.head.get(c) for c in CONSIGNEE):
                row.update({c: m.head.get(c, "") for c in CONSIGNEE + PLACE})
            elif any(m.head.get(c) for c in PLACE):
                row.update({c: m.head.get(c, "") for c in PLACE})
            for k, v in m.head.items():
                if k not in CONSIGNEE + PLACE and v:
                    row[k] = v
            if "vehicle_plate" in m.head:  # new transport details replace the old ones
                row["vehicle_plate"] = m.head["vehicle_plate"]
                row["transport_units"] = m.head.get("transport_units", "")
            row.update({c: "" for c in RECEIPT + ("cancelled_at", "rejected_at")})
            row["status"] = "accepted"
            old["status"] = "replaced"
            rows.append(row)
        seqs[new] = rows
        return ""
    if m.kind == "IE803":
        return ""
    target = int(m.sequence) if m.sequence else latest
    if m.kind in ("IE818", "IE819", "IE871") and target not in seqs:
        return (f"{m.kind} names sequence {target}; the change of destination (IE813) "
                f"that made it has not arrived (known: {sorted(seqs)})")
    rows = seqs[target] if m.kind != "IE810" else seqs[latest]
    by_line = {r["line"]: r for r in rows}
    for row in rows:
        row.update({k: v for k, v in m.head.items() if k in row and v})
    if m.kind == "IE818":
        for ln in m.lines:
            row = by_line.get(ln.get("line", ""))
            if row is not None:
                row["shortage_or_excess"] = ln.get("shortage_or_excess", "")
                row["observed_difference"] = ln.get("observed_difference", "")
    return ""
